import { writeSync } from 'node:fs'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

/**
 * Bench-only instrumentation (`LOA_STALLS_MS=40`, off unless set): the event loop's longest
 * synchronous stretches, each with what ran in it. A timer ticks every 10 ms; when it fires
 * `threshold` ms late, the loop was held that long, and the sections recorded since the previous
 * tick (each SQLite statement by its SQL, the group commit's COMMIT, which runs WAL checkpoints,
 * the requests that arrived) are what held it. Written to stderr as `stall …` lines, with a summary
 * at exit: the event loop's delay percentiles and, over all stalls, the time per section.
 */
export interface Stalls {
  /** Records that `name` ran from `start` (performance.now()) until now. */
  section(name: string, start: number): void
}

const TICK_MS = 10

export function watchStalls(threshold: number): Stalls {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  let current = new Map<string, { ms: number; n: number }>()
  const overall = new Map<string, { ms: number; n: number }>()
  let stalls = 0
  let stalledMs = 0
  let longest = 0
  let last = performance.now()
  let lastCpu = process.cpuUsage()
  /** CPU time the process used in stalls: far below their length, it was waiting (the OS ran others, or a disk). */
  let stalledCpuMs = 0
  const add = (m: Map<string, { ms: number; n: number }>, name: string, ms: number, n = 1) => {
    const s = m.get(name)
    if (s) {
      s.ms += ms
      s.n += n
    } else m.set(name, { ms, n })
  }
  const line = (m: Map<string, { ms: number; n: number }>, rows: number) =>
    [...m]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, rows)
      .map(([name, s]) => `${s.ms.toFixed(1)} ms ${name} (${s.n}×)`)
      .join('; ')
  setInterval(() => {
    const now = performance.now()
    const held = now - last - TICK_MS
    const cpu = process.cpuUsage()
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000
    lastCpu = cpu
    if (held >= threshold) {
      stalls++
      stalledMs += held
      stalledCpuMs += cpuMs
      longest = Math.max(longest, held)
      let known = 0
      for (const [name, s] of current) {
        add(overall, name, s.ms, s.n)
        known += s.ms
      }
      add(overall, '(not in a section: JavaScript, HTTP, GC)', Math.max(0, held - known))
      writeSync(2, `stall ${held.toFixed(0)} ms (cpu ${cpuMs.toFixed(0)} ms): ${line(current, 6)}\n`)
    }
    current = new Map()
    last = now
  }, TICK_MS).unref()
  let told = false
  const summary = () => {
    if (told) return
    told = true
    const ms = (ns: number) => (ns / 1e6).toFixed(1)
    const cpu = process.cpuUsage()
    writeSync(
      2,
      `server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)}) over ${(performance.now() / 1000).toFixed(0)} s; ` +
        `event loop delay: p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
        `${stalls} stalls ≥ ${threshold} ms, ${stalledMs.toFixed(0)} ms in all (the process on a CPU for ${stalledCpuMs.toFixed(0)} ms of it), longest ${longest.toFixed(0)} ms\n` +
        `time in stalls by section:\n  ${line(overall, 15).split('; ').join('\n  ')}\n`,
    )
  }
  // At the stop's signal (a bench stops the server so), and at exit otherwise.
  process.once('SIGTERM', summary)
  process.once('exit', summary)
  return { section: (name, start) => add(current, name, performance.now() - start) }
}
