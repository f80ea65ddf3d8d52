import type { Db } from './types.js'

/** A built, not yet executed statement. */
export interface Statement {
  run(): unknown
}

/**
 * Runs statements all-or-nothing. better-sqlite3's transactions are synchronous (an async callback
 * would commit at its first await), and D1 has no transactions, only `batch`; this is the one place
 * that knows the difference.
 */
export async function atomic(db: Db, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return
  const maybeBatch = db as unknown as { batch?: (items: Statement[]) => Promise<unknown> }
  if (typeof maybeBatch.batch === 'function') {
    await maybeBatch.batch(statements)
    return
  }
  db.transaction(() => {
    for (const s of statements) s.run()
  })
}
