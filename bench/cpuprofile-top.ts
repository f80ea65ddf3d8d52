/**
 * The top frames of a V8 .cpuprofile (`node --cpu-prof`), by self time and by total time, so a
 * profile of the server under a bench can be read without DevTools.
 * Run: npx tsx bench/cpuprofile-top.ts FILE.cpuprofile [rows=25] [from-s] [to-s]
 * (from/to: seconds into the profile, to look at one part of a run, e.g. the quiz burst).
 */
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
const [file, rowsArg, fromArg, toArg] = process.argv.slice(2)
if (!file) throw new Error('usage: cpuprofile-top.ts FILE.cpuprofile [rows] [from-s] [to-s]')
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number }
const rows = Number(rowsArg ?? 25)
const from = fromArg === undefined ? -Infinity : Number(fromArg) * 1e6
const to = toArg === undefined ? Infinity : Number(toArg) * 1e6
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const name = (n: Node) => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`
}
const self = new Map<string, number>()
const total = new Map<string, number>()
let t = 0
let all = 0
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i] ?? 0
  if (t < from || t > to) continue
  const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000
  all += dt
  let node = byId.get(prof.samples[i]!)
  if (!node) continue
  const k = name(node)
  self.set(k, (self.get(k) ?? 0) + dt)
  const seen = new Set<string>()
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    node = byId.get(id)!
    const key = name(node)
    if (seen.has(key)) continue
    seen.add(key)
    total.set(key, (total.get(key) ?? 0) + dt)
  }
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${all.toFixed(0)} ms sampled)`)
  for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / all).toFixed(1).padStart(5)} %  ${k}`)
}
print('self time', self)
print('total time', total)
