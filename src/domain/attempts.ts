import { eq, sql } from 'drizzle-orm'
import { webAttempts } from '../../db/schema/index.js'
import type { Db } from '../../db/types.js'

/** The window wrong codes are counted in: an hour from the first wrong one. */
export const ATTEMPT_WINDOW_MS = 3600_000

export type AttemptWindow = { failures: number; windowStart: Date; lastFailureAt: Date }

/**
 * The wrong codes counted under `key` (a phone, an address, a chat) in its current window, or
 * undefined when there are none or the window is over.
 */
export async function attemptWindow(db: Db, key: string, now: Date): Promise<AttemptWindow | undefined> {
  const [row] = await db.select().from(webAttempts).where(eq(webAttempts.key, key)).limit(1)
  if (!row || now.getTime() - row.windowStart.getTime() >= ATTEMPT_WINDOW_MS) return undefined
  return { failures: row.failures, windowStart: row.windowStart, lastFailureAt: row.lastFailureAt ?? row.windowStart }
}

/** Counts one wrong code under `key`; a window older than an hour starts again from this one. */
export async function recordAttemptFailure(db: Db, key: string, now: Date): Promise<void> {
  const t = Math.floor(now.getTime() / 1000)
  const cutoff = Math.floor((now.getTime() - ATTEMPT_WINDOW_MS) / 1000)
  await db
    .insert(webAttempts)
    .values({ key, windowStart: now, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: webAttempts.key,
      set: {
        failures: sql`case when ${webAttempts.windowStart} <= ${cutoff} then 1 else ${webAttempts.failures} + 1 end`,
        windowStart: sql`case when ${webAttempts.windowStart} <= ${cutoff} then ${t} else ${webAttempts.windowStart} end`,
        lastFailureAt: sql`${t}`,
      },
    })
}
