import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { cruise, type ICruiseResult } from 'dependency-cruiser'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * Issue 20: every forbidden arrow between Loa's layers is refused by the lint (.dependency-cruiser.cjs),
 * and every allowed one passes. Each probe is a two-file tree in a temporary folder, cruised with the
 * project's own rules.
 */
const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs')
const made: string[] = []
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })))

async function probe(from: string, to: string, opts: { typeOnly?: boolean } = {}): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'loa-rings-'))
  made.push(root)
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  const isPackage = !to.includes('/')
  if (isPackage) {
    write(`node_modules/${to}/package.json`, JSON.stringify({ name: to, main: 'index.js' }))
    write(`node_modules/${to}/index.js`, 'export const x = 1\n')
  } else write(to, 'export const x = 1\n')
  const spec = isPackage ? to : relativeSpec(from, to)
  write(from, opts.typeOnly ? `import type { x } from '${spec}'\nexport type Y = typeof x\n` : `import { x } from '${spec}'\nexport const y = x\n`)
  const { output } = await cruise([from], { baseDir: root, ruleSet: { forbidden: rules.forbidden, allowed: rules.allowed, allowedSeverity: rules.allowedSeverity }, validate: true, tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } }, { extensions: ['.ts', '.tsx', '.js'] })
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
}
function relativeSpec(from: string, to: string) {
  const up = from.split('/').length - 1
  return `${'../'.repeat(up)}${to.replace(/\.tsx?$/, '').replace(/^node:/, '')}`
}

const forbidden: [string, string, string][] = [
  ['the core knows no feature', 'src/core/probe.ts', 'src/domain/people.ts'],
  ['the core sends nothing itself', 'src/core/probe.ts', 'src/delivery/queue.ts'],
  ['the core has no pages', 'src/core/probe.ts', 'src/web/layout.tsx'],
  ['the core has no HTTP', 'src/core/probe.ts', 'src/http/auth.ts'],
  ['delivery knows no feature', 'src/delivery/probe.ts', 'src/domain/people.ts'],
  ['delivery knows no platform', 'src/delivery/probe.ts', 'src/channels/telegram/adapter.ts'],
  ['the domain has no HTTP', 'src/domain/probe.ts', 'src/http/auth.ts'],
  ['the domain has no pages', 'src/domain/probe.ts', 'src/web/layout.tsx'],
  ['the domain calls no chat feature', 'src/domain/probe.ts', 'handlers/report.ts'],
  ['the domain runs no job', 'src/domain/probe.ts', 'jobs/index.ts'],
  ['the domain knows no platform', 'src/domain/probe.ts', 'src/channels/telegram/adapter.ts'],
  ['features read through the domain', 'handlers/probe.ts', 'db/schema/index.ts'],
  ['features have no HTTP', 'handlers/probe.ts', 'hono'],
  ['features use no drizzle', 'handlers/probe.ts', 'drizzle-orm'],
  ['features know no platform', 'handlers/probe.ts', 'src/channels/zalo/adapter.ts'],
  ['jobs have no pages', 'jobs/probe.ts', 'src/web/layout.tsx'],
  ['adapters hold no domain rules', 'src/channels/probe.ts', 'src/domain/people.ts'],
  ['adapters do not send on their own', 'src/channels/probe.ts', 'src/delivery/queue.ts'],
  ['adapters store nothing but their settings', 'src/channels/probe.ts', 'db/schema/index.ts'],
  ['routes read through the domain', 'src/http/probe.ts', 'db/schema/index.ts'],
  ['pages read through the domain', 'src/web/probe.ts', 'db/schema/index.ts'],
  ['pages use no drizzle', 'src/web/probe.ts', 'drizzle-orm'],
  ['the API renders no page', 'src/http/probe.ts', 'src/web/layout.tsx'],
  ['the kernel sits below everything', 'src/config.ts', 'src/http/auth.ts'],
  ['the schema stands alone', 'db/probe.ts', 'src/domain/people.ts'],
  ['the catalogs stand alone', 'locales/probe.ts', 'src/i18n.ts'],
  ['Telegram stays in its adapter', 'src/domain/probe.ts', 'grammy'],
  ['Node stays in the entries', 'src/domain/probe.ts', 'better-sqlite3'],
  ['Node stays in the entries (built-ins)', 'src/web/probe.ts', 'node:fs'],
]
const allowed: [string, string][] = [
  ['src/http/probe.ts', 'src/domain/people.ts'],
  ['src/web/probe.ts', 'src/domain/people.ts'],
  ['handlers/probe.ts', 'src/domain/people.ts'],
  ['src/domain/probe.ts', 'src/delivery/queue.ts'],
  ['src/domain/probe.ts', 'db/schema/index.ts'],
  ['src/channels/probe.ts', 'src/core/channel.ts'],
  ['src/channels/telegram/probe.ts', 'grammy'],
  ['src/entry.node.ts', 'better-sqlite3'],
  ['src/entry.node.ts', 'node:fs'],
  ['src/web/probe.ts', 'hono'],
  ['src/domain/probe.ts', 'drizzle-orm'],
  ['src/web/probe.ts', 'src/http/client-ip.ts'],
  ['jobs/probe.ts', 'src/delivery/queue.ts'],
]

describe('the layers lint (.dependency-cruiser.cjs)', () => {
  it.each(forbidden)('refuses an arrow: %s', async (_why, from, to) => {
    // Refused as an arrow the rings do not allow, with the target found (not merely unresolved).
    expect(await probe(from, to)).toEqual([expect.stringMatching(new RegExp(`^not-in-allowed: ${from} → .*${to.replace(/\.tsx?$/, '').replace(/^node:/, '')}`))])
  }, 30_000)
  it.each(allowed)('allows %s → %s', async (from, to) => {
    expect(await probe(from, to)).toEqual([])
  }, 30_000)
  it('refuses a file circle, even inside one layer', async () => {
    const root = mkdtempSync(join(tmpdir(), 'loa-rings-'))
    made.push(root)
    mkdirSync(join(root, 'src/domain'), { recursive: true })
    writeFileSync(join(root, 'src/domain/a.ts'), "import { b } from './b'\nexport const a = () => b\n")
    writeFileSync(join(root, 'src/domain/b.ts'), "import { a } from './a'\nexport const b = () => a\n")
    const { output } = await cruise(['src/domain/a.ts'], { baseDir: root, ruleSet: { forbidden: rules.forbidden, allowed: rules.allowed, allowedSeverity: rules.allowedSeverity }, validate: true }, { extensions: ['.ts'] })
    expect((output as ICruiseResult).summary.violations.map((v) => v.rule.name)).toContain('no-circular')
  }, 30_000)
  it('lets every layer read the schema as types only', async () => {
    expect(await probe('handlers/probe.ts', 'db/schema/index.ts', { typeOnly: true })).toEqual([])
  }, 30_000)
})
