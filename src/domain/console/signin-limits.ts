import { eq, sql } from 'drizzle-orm'
import { consoleSigninLimits } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

/**
 * Sign-in limits, kept in the database so they hold across processes and Workers isolates:
 * - per address, in 15-minute windows: 10 code requests, 20 wrong codes or admin tokens;
 * - per account, in one-hour windows: 10 tries of a code, right or wrong, from any browser.
 * No limit is keyed on what was typed (a phone or a name), and none answers a code request
 * differently for an account: a request is never refused because of the account (finding #7).
 */
export const SIGNIN_LIMITS = {
  windowMinutes: 15,
  codesPerIp: 10,
  failuresPerIp: 20,
  accountWindowMinutes: 60,
  triesPerAccount: 10,
}
const WINDOW_MS = SIGNIN_LIMITS.windowMinutes * 60_000
export const ACCOUNT_WINDOW_MS = SIGNIN_LIMITS.accountWindowMinutes * 60_000

export interface Verdict {
  ok: boolean
  minutes: number
}

/**
 * Counts one attempt under `key` in the current window; `ok` is false once `max` is passed, with
 * the minutes until the window ends. One statement, so concurrent requests count exactly.
 */
export async function hit(db: Db, key: string, max: number, now: Date, windowMs = WINDOW_MS): Promise<Verdict> {
  const at = Math.floor(now.getTime() / 1000)
  const stale = at - windowMs / 1000
  const [row] = await db.all<{ count: number; windowStart: number }>(sql`
    insert into console_signin_limits (key, window_start, count) values (${key}, ${at}, 1)
    on conflict (key) do update set
      count = case when window_start <= ${stale} then 1 else count + 1 end,
      window_start = case when window_start <= ${stale} then ${at} else window_start end
    returning count, window_start as windowStart`)
  return verdict(row, max, at, windowMs)
}

/** Whether `key` is already over `max` in the current window, without counting. */
export async function over(db: Db, key: string, max: number, now: Date, windowMs = WINDOW_MS): Promise<Verdict> {
  const at = Math.floor(now.getTime() / 1000)
  const [row] = await db
    .select({ count: consoleSigninLimits.count, windowStart: sql<number>`${consoleSigninLimits.windowStart}` })
    .from(consoleSigninLimits)
    .where(eq(consoleSigninLimits.key, key))
  if (!row || Number(row.windowStart) <= at - windowMs / 1000) return { ok: true, minutes: 0 }
  return verdict({ count: row.count + 1, windowStart: Number(row.windowStart) }, max, at, windowMs)
}

function verdict(row: { count: number; windowStart: number } | undefined, max: number, at: number, windowMs: number): Verdict {
  const count = Number(row?.count ?? 0)
  const ends = Number(row?.windowStart ?? at) + windowMs / 1000
  return { ok: count <= max, minutes: Math.max(1, Math.ceil((ends - at) / 60)) }
}

export const ipKey = (ip: string | null | undefined, what: 'code' | 'fail') => `ip:${ip || 'unknown'}:${what}`
/** Tries of codes sent to an account; decoys (no account) all count under `account:0`, which refuses nothing. */
export const accountKey = (personId: number | null) => `account:${personId ?? 0}:tries`

/** A wrong secret typed from `ip` (a code, or the admin token): counted towards its limit. */
export async function recordFailure(db: Db, ip: string | null | undefined, now: Date) {
  await hit(db, ipKey(ip, 'fail'), SIGNIN_LIMITS.failuresPerIp, now)
}

/** Whether `ip` may still try a secret (a code or the admin token), and if not for how long. */
export async function failuresAllowed(db: Db, ip: string | null | undefined, now: Date) {
  return over(db, ipKey(ip, 'fail'), SIGNIN_LIMITS.failuresPerIp, now)
}
