import type { DeliveryRow, FailReason } from '#db/schema/index.js'
import { ChannelError } from '../core/channel.js'

/**
 * What to do with a delivery whose send failed. Transient failures are retried with capped
 * exponential backoff until the delivery's horizon (`expiresAt`); the cap is low enough that a
 * platform coming back after an outage gets every delivery retried within about a minute.
 */
export type Decision =
  | { action: 'retry'; at: Date; refundAttempt: boolean; transient: boolean }
  | { action: 'final'; status: 'failed' | 'blocked'; reason: FailReason }

/** How long a delivery is retried through an outage unless it says otherwise (DELIVERY_HORIZON_HOURS). */
export const DEFAULT_HORIZON_MS = 86_400_000

/** Longest wait between two tries of one delivery. */
export const MAX_BACKOFF_S = 60
/** Seconds to wait after a 429 that names no retry_after (Zalo's quota answer does not). */
export const DEFAULT_RETRY_AFTER_S = 5

export function decide(err: unknown, d: Pick<DeliveryRow, 'attempts' | 'expiresAt' | 'createdAt'>, now: Date, horizonMs: number): Decision {
  const e = err instanceof ChannelError ? err : undefined
  if (e?.kind === 'blocked') return { action: 'final', status: 'blocked', reason: 'blocked' }
  if (e?.kind === 'permanent') return { action: 'final', status: 'failed', reason: 'rejected' }
  if (e?.kind === 'rate_limited') {
    // Being told to slow down is not the delivery's fault: it does not use up an attempt.
    const seconds = e.retryAfter ?? DEFAULT_RETRY_AFTER_S
    return { action: 'retry', at: new Date(now.getTime() + seconds * 1000), refundAttempt: true, transient: false }
  }
  const expiresAt = d.expiresAt ?? new Date(d.createdAt.getTime() + horizonMs)
  if (now.getTime() >= expiresAt.getTime()) return { action: 'final', status: 'failed', reason: 'expired' }
  const base = Math.min(MAX_BACKOFF_S, 2 ** Math.max(0, d.attempts - 1))
  // ±20% so that deliveries failed together do not all come back in the same second.
  const seconds = Math.min(MAX_BACKOFF_S, base * (0.8 + Math.random() * 0.4))
  const at = new Date(Math.min(expiresAt.getTime(), now.getTime() + seconds * 1000))
  return { action: 'retry', at, refundAttempt: false, transient: true }
}
