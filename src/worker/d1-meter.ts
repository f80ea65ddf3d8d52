import type { D1Database } from '@cloudflare/workers-types'

/**
 * A bench-only meter of what the Worker asks of D1 (bench/d1-cost.ts), on with the variable
 * `BENCH_D1_METER=1` and never in production (wrangler.toml does not set it). D1 reports each
 * statement's `meta.rows_read` and `meta.rows_written` (what it bills) only inside the Worker, and
 * drizzle's `raw()` path drops them; so the meter sits one level lower, on the binding's own fetcher:
 * it builds a second D1Database of the binding's own class over a fetcher that reads each answer's
 * meta on its way back. Every D1 call (a statement or a batch) is one subrequest; each statement in
 * it is one query. Outbound fetches (the Bot APIs) are counted by wrapping the isolate's fetch.
 *
 * The figures are summed over the isolate until read: the bench runs one operation at a time and
 * reads them (GET /__bench/d1) once the operation's waitUntil work has ended (`track`).
 */
export interface D1Tally {
  /** D1 calls: one subrequest each (a batch is one). */
  d1Calls: number
  /** Statements, a batch's counted one by one. */
  queries: number
  rowsRead: number
  rowsWritten: number
  /** Other subrequests: fetch() to the Bot APIs and the like. */
  fetches: number
  /** Invocations (requests and Cron Triggers) counted, the reading's own excluded. */
  invocations: number
  /** The statements that read the most rows, with their count: where an index may be missing. */
  top: { sql: string; times: number; rowsRead: number; rowsWritten: number }[]
}

const empty = () => ({ d1Calls: 0, queries: 0, rowsRead: 0, rowsWritten: 0, fetches: 0, invocations: 0, bySql: new Map<string, D1Tally['top'][number]>() })

interface Meta {
  rows_read?: number
  rows_written?: number
}

interface Fetcher {
  fetch(input: unknown, init?: unknown): Promise<Response>
}

export interface D1Meter {
  db: D1Database
  /** Counts an invocation and keeps its waitUntil work, so that a reading waits for it. */
  track(ctx: { waitUntil(p: Promise<unknown>): void }): { waitUntil(p: Promise<unknown>): void; passThroughOnException(): void }
  /** Waits for the work under way, then answers the tally and starts a new one. */
  read(): Promise<D1Tally>
}

let tally = empty()
const pending = new Set<Promise<unknown>>()
let fetchWrapped = false

/** The statements of a D1 call as the binding sends them: `{sql}` or an array of them. */
function sqlOf(init: unknown): string[] {
  try {
    const body = JSON.parse(String((init as { body?: unknown } | undefined)?.body ?? 'null')) as { sql?: string } | { sql?: string }[]
    return (Array.isArray(body) ? body : [body]).map((q) => String(q?.sql ?? ''))
  } catch {
    return []
  }
}

function count(sent: string[], body: unknown): void {
  const results = (Array.isArray(body) ? body : [body]) as { meta?: Meta }[]
  tally.d1Calls++
  results.forEach((r, i) => {
    const read = Number(r?.meta?.rows_read ?? 0)
    const written = Number(r?.meta?.rows_written ?? 0)
    tally.queries++
    tally.rowsRead += read
    tally.rowsWritten += written
    const key = (sent[i] ?? '').replace(/\s+/g, ' ').trim().slice(0, 300)
    const seen = tally.bySql.get(key) ?? { sql: key, times: 0, rowsRead: 0, rowsWritten: 0 }
    seen.times++
    seen.rowsRead += read
    seen.rowsWritten += written
    tally.bySql.set(key, seen)
  })
}

function wrapFetch(): void {
  if (fetchWrapped) return
  fetchWrapped = true
  const original = globalThis.fetch
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    tally.fetches++
    return original(input, init)
  }) as typeof fetch
}

/** The binding metered, or as it is (with a warning) when its shape is not the one known here. */
export function d1Meter(binding: D1Database, warn: (msg: string) => void): D1Meter {
  const inner = (binding as unknown as { fetcher?: Fetcher }).fetcher
  const Ctor = (binding as unknown as { constructor: new (f: Fetcher) => D1Database }).constructor
  let db = binding
  if (inner && typeof inner.fetch === 'function') {
    const metered: Fetcher = {
      fetch: async (input, init) => {
        const res = await inner.fetch(input, init)
        count(sqlOf(init), await res.clone().json().catch(() => ({})))
        return res
      },
    }
    db = new Ctor(metered)
  } else {
    warn('BENCH_D1_METER: this D1 binding has no fetcher to meter; D1 is not counted')
  }
  wrapFetch()
  return {
    db,
    track(ctx) {
      tally.invocations++
      return {
        waitUntil(p) {
          const kept = p.catch(() => undefined).finally(() => pending.delete(kept))
          pending.add(kept)
          ctx.waitUntil(p)
        },
        passThroughOnException() {},
      }
    },
    async read() {
      while (pending.size) await Promise.all([...pending])
      const { bySql, ...out } = tally
      tally = empty()
      const all = [...bySql.values()]
      const byRead = all.sort((a, b) => b.rowsRead - a.rowsRead).slice(0, 5)
      const byWritten = [...bySql.values()].sort((a, b) => b.rowsWritten - a.rowsWritten).slice(0, 5)
      return { ...out, top: [...new Set([...byRead, ...byWritten])] }
    },
  }
}
