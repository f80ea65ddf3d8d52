/**
 * The code-health figures of issue 20, measured with the TypeScript parser (not by eye):
 *   - functions over 80 lines of their own (lines not inside a nested function), and over 200 in all;
 *   - `as never` casts in the product code;
 *   - imports of `../src/…` and of three or more `../` in the product code;
 *   - file circles (value imports only: `import type` is erased and cannot form a load-order circle).
 *
 *   npx tsx scripts/code-health.ts            # prints the figures; exit 1 if a limit is passed
 *   npx tsx scripts/code-health.ts --list     # also lists every function over 50 own lines
 *   npx tsx scripts/code-health.ts --time     # also times `npm run test:fast` (goal: under 60 s here)
 *
 * Product code is everything under src/, handlers/, jobs/, db/ and locales/ (tests and benches are not).
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import ts from 'typescript'

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..')
const PRODUCT = ['src', 'handlers', 'jobs', 'db', 'locales']
const LIMITS = { ownLines: 80, nestedLines: 200, asNever: 5, circles: 0 }

function files(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : files(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

type Fn = { file: string; line: number; name: string; own: number; total: number }

const isFunction = (n: ts.Node): n is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) ||
  ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)

function nameOf(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (fn.name) return fn.name.getText(sf)
  const p = fn.parent
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return p.name.getText(sf)
  if (ts.isCallExpression(p)) {
    const callee = p.expression.getText(sf).slice(0, 40)
    const first = p.arguments[0]
    return first && ts.isStringLiteral(first) ? `${callee}(${JSON.stringify(first.text)})` : `${callee}(…)`
  }
  return '(anonymous)'
}

function measureFunctions(path: string, sf: ts.SourceFile): Fn[] {
  const out: Fn[] = []
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line
  const span = (n: ts.Node) => lineOf(n.getEnd()) - lineOf(n.getStart(sf)) + 1
  /** Lines covered by the outermost functions nested in `node` (not counting `node` itself). */
  function nestedLines(node: ts.Node): number {
    let sum = 0
    node.forEachChild(function walk(child) {
      if (isFunction(child)) sum += span(child)
      else child.forEachChild(walk)
    })
    return sum
  }
  function visit(node: ts.Node) {
    if (isFunction(node) && node.body) {
      const total = span(node)
      out.push({ file: relative(ROOT, path), line: lineOf(node.getStart(sf)) + 1, name: nameOf(node, sf), own: total - nestedLines(node.body), total })
    }
    node.forEachChild(visit)
  }
  visit(sf)
  return out
}

function countAsNever(sf: ts.SourceFile): number {
  let n = 0
  sf.forEachChild(function walk(node) {
    if (ts.isAsExpression(node) && node.type.kind === ts.SyntaxKind.NeverKeyword) n++
    node.forEachChild(walk)
  })
  return n
}

type Import = { spec: string; typeOnly: boolean }
function importsOf(sf: ts.SourceFile): Import[] {
  const out: Import[] = []
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      let typeOnly = ts.isImportDeclaration(st) ? !!st.importClause?.isTypeOnly : st.isTypeOnly
      if (ts.isImportDeclaration(st) && !typeOnly && st.importClause && !st.importClause.name) {
        const b = st.importClause.namedBindings
        if (b && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly)) typeOnly = true
      }
      out.push({ spec: st.moduleSpecifier.text, typeOnly })
    }
  }
  return out
}

const pkgImports: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports ?? {}
function resolveSpec(from: string, spec: string): string | null {
  let target: string | null = null
  if (spec.startsWith('.')) target = resolve(dirname(from), spec)
  else if (spec.startsWith('#')) {
    for (const [pattern, to] of Object.entries(pkgImports)) {
      const [pre, post = ''] = pattern.split('*')
      if (pattern.includes('*') && spec.startsWith(pre!) && spec.endsWith(post)) {
        target = resolve(ROOT, to.replace('*', spec.slice(pre!.length, spec.length - post.length)))
        break
      }
      if (pattern === spec) { target = resolve(ROOT, to); break }
    }
  }
  if (!target) return null
  for (const candidate of [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), target, `${target}.ts`, `${target}/index.ts`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return null
}

/** Tarjan's strongly connected components: every component of more than one file is a circle. */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>()
  const found: string[][] = []
  function strong(v: string) {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = []
      let w: string
      do { w = stack.pop()!; on.delete(w); comp.push(w) } while (w !== v)
      if (comp.length > 1) found.push(comp)
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) strong(v)
  return found
}

const all = PRODUCT.flatMap((d) => files(join(ROOT, d)))
const fns: Fn[] = []
let asNever = 0, srcChains = 0, deepChains = 0
const graph = new Map<string, string[]>()
for (const path of all) {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  fns.push(...measureFunctions(path, sf))
  asNever += countAsNever(sf)
  const edges: string[] = []
  for (const imp of importsOf(sf)) {
    if (/(^|\/)\.\.\/src\//.test(imp.spec)) srcChains++
    if (/^(\.\.\/){3,}/.test(imp.spec)) deepChains++
    const to = imp.typeOnly ? null : resolveSpec(path, imp.spec)
    if (to) edges.push(to)
  }
  graph.set(path, edges)
}

const overOwn = fns.filter((f) => f.own > LIMITS.ownLines).sort((a, b) => b.own - a.own)
const overTotal = fns.filter((f) => f.total > LIMITS.nestedLines).sort((a, b) => b.total - a.total)
const rings = circles(graph)
const longest = [...fns].sort((a, b) => b.own - a.own)[0]
const show = (f: Fn) => `  ${f.file}:${f.line} ${f.name} — ${f.own} own, ${f.total} in all`

console.log(`Loa code health (${all.length} product files, ${fns.length} functions)`)
console.log(`functions over ${LIMITS.ownLines} own lines:    ${overOwn.length}   (longest: ${longest ? `${longest.name}, ${longest.own}` : '—'})`)
for (const f of overOwn) console.log(show(f))
console.log(`functions over ${LIMITS.nestedLines} lines in all:  ${overTotal.length}`)
for (const f of overTotal) console.log(show(f))
console.log(`"as never" casts:               ${asNever}   (limit ${LIMITS.asNever})`)
console.log(`imports of ../src/…:            ${srcChains}`)
console.log(`imports of three or more ../:   ${deepChains}`)
console.log(`file circles (value imports):   ${rings.length}`)
for (const r of rings) console.log(`  ${r.map((p) => relative(ROOT, p)).join(' → ')}`)
if (process.argv.includes('--list')) {
  console.log('\nfunctions over 50 own lines:')
  for (const f of fns.filter((x) => x.own > 50).sort((a, b) => b.own - a.own)) console.log(show(f))
}
let slowLoop = false
if (process.argv.includes('--time')) {
  const started = performance.now()
  const run = spawnSync('npm', ['run', 'test:fast'], { cwd: ROOT, stdio: 'ignore' })
  const seconds = (performance.now() - started) / 1000
  slowLoop = run.status !== 0 || seconds >= 60
  console.log(`npm run test:fast:             ${seconds.toFixed(1)} s, ${run.status === 0 ? 'passed' : 'FAILED'}   (goal under 60 s; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)} at the end)`)
}
const failed = slowLoop || overOwn.length > 0 || overTotal.length > 0 || asNever > LIMITS.asNever || rings.length > LIMITS.circles
process.exitCode = failed ? 1 : 0
