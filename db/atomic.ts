import type { SQL } from 'drizzle-orm'
import type { Db } from './types.js'

/** A built, not yet executed statement: a drizzle query builder, or a lazy raw statement. */
export interface Statement {
  run(): unknown
}

/** What D1 needs of a statement: its SQL and the parameters, already in driver form. */
interface BuiltQuery {
  sql: string
  params: unknown[]
}

interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): unknown }
  batch(statements: unknown[]): Promise<{ meta?: { changes?: number } }[]>
}

/** Rows a statement changed: better-sqlite3 answers `{changes}`, D1 `{meta: {changes}}`. */
function changesOf(result: unknown): number {
  const r = result as { changes?: number; meta?: { changes?: number } } | undefined
  return Number(r?.changes ?? r?.meta?.changes ?? 0)
}

/** The SQL of a drizzle query builder (`toSQL`) or of a raw `db.run(sql)` on D1 (`getQuery`). */
function built(statement: Statement): BuiltQuery {
  const s = statement as Partial<{ toSQL(): BuiltQuery; getQuery(): BuiltQuery }>
  const query = s.toSQL?.() ?? s.getQuery?.()
  if (!query) throw new TypeError('atomic(): a statement for D1 must be a drizzle query or db.run(sql)')
  return query
}

/**
 * Runs statements all-or-nothing and returns how many rows they changed in all. better-sqlite3's
 * transactions are synchronous (an async callback would commit at its first await), and D1 has no
 * transactions, only `batch`; this is the one place that knows the difference.
 *
 * On D1 the statements go to D1's own batch rather than drizzle's: drizzle 0.45's D1 batch fails
 * on a raw statement with parameters (it reads a `stmt` that raw statements do not have), and the
 * broadcast expansion is exactly that.
 */
export async function atomic(db: Db, statements: Statement[]): Promise<number> {
  if (statements.length === 0) return 0
  const d1 = (db as unknown as { $client?: Partial<D1Like> }).$client
  if (typeof d1?.batch === 'function' && typeof d1.prepare === 'function') {
    const client = d1 as D1Like
    const results = await client.batch(
      statements.map((s) => {
        const q = built(s)
        return client.prepare(q.sql).bind(...q.params)
      }),
    )
    return results.reduce<number>((sum, r) => sum + changesOf(r), 0)
  }
  return db.transaction(() => statements.reduce((sum, s) => sum + changesOf(s.run()), 0))
}

/**
 * A raw statement that `atomic` can run: lazy on better-sqlite3 (whose `db.run` executes at once),
 * and the driver's own batchable query on D1.
 */
export function rawStatement(db: Db, query: SQL): Statement {
  const maybeBatch = db as unknown as { batch?: unknown }
  if (typeof maybeBatch.batch === 'function') return db.run(query) as unknown as Statement
  return { run: () => db.run(query) }
}
