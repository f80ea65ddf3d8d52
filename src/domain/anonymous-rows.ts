import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '#db/types.js'

/**
 * Rows anyone can make Loa write without signing in, kept for a bounded time so that anonymous
 * traffic cannot grow the database without end or bury the real audit rows:
 * - `audit_log` rows of anonymous requests (posts to /api or /admin without a valid token or
 *   session, refused ones included; asking for a sign-in code): 30 days, long enough to look
 *   into an incident;
 * - `web_opens` rows of readers who had not identified: 90 days; a brief is opened in its first
 *   days, and a broadcast's "opened" figure counts anonymous opens of the last 90 days (those of
 *   identified readers stay as long as their other records).
 */
export const ANONYMOUS_AUDIT_DAYS = 30
export const ANONYMOUS_OPENS_DAYS = 90

/** Rows read per step: each step is its own statement (and, on Node, soon its own commit). */
const CHUNK = 2000

/**
 * Deletes the rows of `table` matching `which` whose time column is before `cutoff`. Ids grow with
 * time, so it walks the id order from the oldest row and stops at the first row not yet old enough:
 * the kept recent rows are never read, and no index on the time column is needed.
 */
async function pruneOldest(db: Db, table: string, at: string, which: SQL, cutoff: Date): Promise<number> {
  const before = Math.floor(cutoff.getTime() / 1000)
  let after = 0
  let deleted = 0
  for (;;) {
    const rows = await db.all<{ id: number; at: number }>(
      sql`select id, ${sql.identifier(at)} as at from ${sql.identifier(table)} where id > ${after} order by id limit ${CHUNK}`,
    )
    const old = rows.filter((r) => Number(r.at) < before)
    if (old.length) {
      const last = old.at(-1)!.id
      const gone = await db.all<{ id: number }>(sql`
        delete from ${sql.identifier(table)}
        where id > ${after} and id <= ${last} and ${sql.identifier(at)} < ${before} and ${which}
        returning id`)
      deleted += gone.length
    }
    if (rows.length < CHUNK || old.length < rows.length) return deleted
    after = rows.at(-1)!.id
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

/** The retention job's step for anonymous rows (see the ages above). Running it again deletes nothing more. */
export async function pruneAnonymous(db: Db, now: Date) {
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000)
  return {
    anonymousAudit: await pruneOldest(db, 'audit_log', 'at', sql`actor = 'anonymous' and person_id is null`, days(ANONYMOUS_AUDIT_DAYS)),
    anonymousOpens: await pruneOldest(db, 'web_opens', 'opened_at', sql`person_id is null`, days(ANONYMOUS_OPENS_DAYS)),
  }
}
