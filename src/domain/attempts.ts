import { eq, sql } from 'drizzle-orm'
import { webAttempts } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

/** The window wrong codes are counted in: an hour from the first wrong one. */
export const ATTEMPT_WINDOW_MS = 3600_000

export type AttemptWindow = { failures: number; windowStart: Date; lastFailureAt: Date }

/**
 * When a count starts again: an hour after its first wrong code (`first`), or only after an hour
 * without any (`last`), so a steady guesser never gets a fresh allowance.
 */
export type WindowEnd = 'first' | 'last'

/**
 * The wrong codes counted under `key` (a phone, an address, a chat) in its current window, or
 * undefined when there are none or the window is over.
 */
export async function attemptWindow(db: Db, key: string, now: Date, end: WindowEnd = 'first'): Promise<AttemptWindow | undefined> {
  const [row] = await db.select().from(webAttempts).where(eq(webAttempts.key, key)).limit(1)
  if (!row) return undefined
  const w = { failures: row.failures, windowStart: row.windowStart, lastFailureAt: row.lastFailureAt ?? row.windowStart }
  const from = end === 'first' ? w.windowStart : w.lastFailureAt
  return now.getTime() - from.getTime() >= ATTEMPT_WINDOW_MS ? undefined : w
}

/** Counts one wrong code under `key`; a window that is over (see WindowEnd) starts again from this one. */
export async function recordAttemptFailure(db: Db, key: string, now: Date, end: WindowEnd = 'first'): Promise<void> {
  const t = Math.floor(now.getTime() / 1000)
  const cutoff = Math.floor((now.getTime() - ATTEMPT_WINDOW_MS) / 1000)
  const from = end === 'first' ? webAttempts.windowStart : sql`coalesce(${webAttempts.lastFailureAt}, ${webAttempts.windowStart})`
  await db
    .insert(webAttempts)
    .values({ key, windowStart: now, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: webAttempts.key,
      set: {
        failures: sql`case when ${from} <= ${cutoff} then 1 else ${webAttempts.failures} + 1 end`,
        windowStart: sql`case when ${from} <= ${cutoff} then ${t} else ${webAttempts.windowStart} end`,
        lastFailureAt: sql`${t}`,
      },
    })
}
