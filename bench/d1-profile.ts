/**
 * The Worker's own JavaScript time, from V8's sampling profiler in the Worker's isolate, reached
 * through `wrangler dev`'s inspector (the DevTools protocol). Locally D1 runs in another worker of
 * the same workerd process, so workerd's CPU from /proc counts the database too; the profile of the
 * Worker's isolate does not: its samples in JavaScript (and V8's garbage collector) are the CPU an
 * invocation spends on the Worker's side, what Cloudflare's CPU limit counts, apart from the
 * runtime's own work between JavaScript calls (V8's "(program)", reported beside it).
 *
 * Samples are taken on the wall clock: on a machine where the Worker's thread waits for a core,
 * a sample spans time it did not run. On a busy machine the figure is therefore no CPU measure at
 * all (06/12/2026 at load average 13 on 2 cores it exceeded workerd's whole CPU time 1–4×); read
 * it only from a quiet machine (load average well under the cores).
 * Needs Node's WebSocket (Node 22, or Node 20 with `--experimental-websocket`); without it the bench
 * says so and goes on without the column.
 */
interface ProfileNode {
  id: number
  callFrame: { functionName: string }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}
export interface JsTime {
  /** Samples in JavaScript frames and in the garbage collector, ms. */
  jsMs: number
  /** V8's "(program)": the runtime's own code between JavaScript calls (and idle time it did not mark as idle), ms. */
  programMs: number
}

export interface Profiler {
  start(): Promise<void>
  stop(): Promise<JsTime>
  close(): void
}

type Socket = {
  send(data: string): void
  close(): void
  addEventListener(type: string, fn: (e: { data?: unknown }) => void): void
}

export async function openProfiler(inspectorPort: number): Promise<Profiler | string> {
  // Node's WebSocket (undici) takes headers: wrangler's inspector proxy admits local origins only.
  const WS = (globalThis as unknown as { WebSocket?: new (url: string, init: { headers: Record<string, string> }) => Socket }).WebSocket
  if (!WS) return 'no WebSocket in this Node (Node 20: run with NODE_OPTIONS=--experimental-websocket)'
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl?: string; title?: string }[]
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl
  if (!url) return `no inspector target on port ${inspectorPort}`
  const ws = new WS(url, { headers: { origin: 'http://127.0.0.1' } })
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok())
    ws.addEventListener('error', () => fail(new Error('inspector: the WebSocket did not open')))
  })
  let id = 0
  const waiting = new Map<number, (result: unknown) => void>()
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown }
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result)
  })
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((ok) => {
      waiting.set(++id, ok as (r: unknown) => void)
      ws.send(JSON.stringify({ id, method, params }))
    })
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: 100 })
  return {
    start: () => send('Profiler.start'),
    async stop() {
      const { profile } = await send<{ profile: Profile }>('Profiler.stop')
      return jsTime(profile)
    },
    close: () => ws.close(),
  }
}

function jsTime(profile: Profile): JsTime {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]))
  let jsUs = 0
  let programUs = 0
  profile.samples.forEach((node, i) => {
    const name = names.get(node)
    const us = profile.timeDeltas[i + 1] ?? 0
    if (name === '(idle)' || name === '(root)') return
    if (name === '(program)') programUs += us
    else jsUs += us
  })
  return { jsMs: jsUs / 1000, programMs: programUs / 1000 }
}
