import type { Db } from './types.js'

/** A built, not yet executed statement. */
export interface Statement {
  run(): unknown
}

/** Rows a statement changed: better-sqlite3 answers `{changes}`, D1 `{meta: {changes}}`. */
function changesOf(result: unknown): number {
  const r = result as { changes?: number; meta?: { changes?: number } } | undefined
  return Number(r?.changes ?? r?.meta?.changes ?? 0)
}

/**
 * Runs statements all-or-nothing and returns how many rows they changed in all. better-sqlite3's
 * transactions are synchronous (an async callback would commit at its first await), and D1 has no
 * transactions, only `batch`; this is the one place that knows the difference.
 */
export async function atomic(db: Db, statements: Statement[]): Promise<number> {
  if (statements.length === 0) return 0
  const maybeBatch = db as unknown as { batch?: (items: Statement[]) => Promise<unknown[]> }
  if (typeof maybeBatch.batch === 'function') {
    const results = await maybeBatch.batch(statements)
    return results.reduce<number>((sum, r) => sum + changesOf(r), 0)
  }
  return db.transaction(() => statements.reduce((sum, s) => sum + changesOf(s.run()), 0))
}
