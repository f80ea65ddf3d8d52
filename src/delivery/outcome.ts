import type { DeliveryRow, FailReason } from '#db/schema/index.js'
import { REPLY_PRIORITY } from '#db/schema/index.js'
import { ChannelError, type ChannelAdapter } from '../core/channel.js'
import type { ChannelName, OutboundMessage } from '../core/events.js'
import { setChatBlocked } from '../core/links.js'
import { errorDetails } from '../log.js'
import { moveDelivery, nextChat, pauseChannel, startOfNextMonth, windowOpen } from './channel-rules.js'
import type { DispatchStats, LaneContext, LaneState } from './lane-state.js'
import { decide } from './policy.js'
import { markFinal, markRetry, markSent } from './queue.js'
import { messagesIn, partsOf, payloadRenderer } from './render.js'

/**
 * A pause longer than this hands the claimed rows back (due when the pause ends) instead of
 * holding them: another instance's stale-claim sweep must not take them while we wait.
 */
export const LONG_PAUSE_MS = 10_000
/** Consecutive transient failures on a channel that make it an outage: then one probe at a time. */
const OUTAGE_AFTER = 3
/** A message waiting for the person to open the OA's window again looks again this often, until its horizon. */
const WINDOW_RECHECK_MS = 30 * 60_000

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Hands claimed rows back to the queue, due at `notBefore` (or when they were due), their attempt refunded. */
export async function requeue(ctx: LaneContext, rows: DeliveryRow[], notBefore?: Date) {
  for (const d of rows) await markRetry(ctx.deps.db, d.id, notBefore ?? d.nextAttemptAt, d.lastError ?? '', { refundAttempt: true })
}

/** The delivery reached a final state: its source is settled at the next `settle`. */
function final(lane: LaneState, d: DeliveryRow) {
  lane.partsDone.delete(d.id)
  let set = lane.done.get(d.source)
  if (!set) lane.done.set(d.source, (set = new Set()))
  set.add(d.sourceId)
}

/** Tells each feature which of its sources' deliveries became final (a broadcast becomes 'sent'). */
export async function settle(ctx: LaneContext, lane: LaneState) {
  for (const [source, ids] of lane.done) {
    const hook = ctx.renderers[source]?.settle
    if (hook && ids.size) {
      try {
        await hook(ctx.deps, [...ids])
      } catch (err) {
        ctx.deps.logger.warn({ err: errorDetails(err), source }, 'settle failed')
      }
    }
  }
  lane.done.clear()
}

async function fail(ctx: LaneContext, lane: LaneState, d: DeliveryRow, stats: DispatchStats, reason: FailReason, error: string) {
  await markFinal(ctx.deps.db, d.id, 'failed', reason, error)
  stats.failed++
  final(lane, d)
}

/** Sends one claimed delivery and records the outcome. */
export async function deliver(ctx: LaneContext, lane: LaneState, d: DeliveryRow, stats: DispatchStats): Promise<void> {
  const { deps } = ctx
  const adapter = deps.channels[d.channel]
  if (!adapter) return fail(ctx, lane, d, stats, 'channel_off', `channel ${d.channel} is off`)
  // The channel's rules: a spent quota pauses it; the OA writes only within its window.
  if (lane.pausedTill > deps.clock().getTime()) return divert(ctx, lane, d, 'quota', stats, new Date(lane.pausedTill))
  const windowHours = adapter.limits?.windowHours
  if (windowHours && d.priority < REPLY_PRIORITY && !(await windowOpen(deps.db, d.channel, d.chatId, deps.clock(), windowHours))) {
    return divert(ctx, lane, d, 'window_closed', stats)
  }
  const render = ctx.renderers[d.source] ?? payloadRenderer
  let message: OutboundMessage | null
  try {
    message = await render(deps, d)
  } catch (err) {
    deps.logger.error({ err: errorDetails(err), deliveryId: d.id }, 'render failed')
    return fail(ctx, lane, d, stats, 'render', `render: ${(err as Error).message}`)
  }
  if (!message) return fail(ctx, lane, d, stats, 'cancelled', 'cancelled')
  const sent = await sendParts(ctx, lane, d, adapter, message, stats)
  if (sent === undefined) return
  lane.transientStreak = 0
  lane.probe = ctx.probeMin
  await recordSent(ctx, d, sent)
  stats.sent++
  final(lane, d)
}

/**
 * Sends the parts of `message` not yet accepted, each when the gate allows. The last part's
 * message id when all went through; undefined when the delivery was handed back (a long pause)
 * or its failure recorded.
 */
async function sendParts(ctx: LaneContext, lane: LaneState, d: DeliveryRow, adapter: ChannelAdapter, message: OutboundMessage, stats: DispatchStats) {
  const parts = partsOf(message, adapter.maxTextLength)
  let messageId = ''
  for (let i = lane.partsDone.get(d.id) ?? 0; i < parts.length; i++) {
    const part = parts[i]!
    if (!(await lane.gate.take(messagesIn(part, adapter.maxTextLength), LONG_PAUSE_MS))) {
      if (i > 0) lane.partsDone.set(d.id, i)
      await requeue(ctx, [d], new Date(ctx.deps.clock().getTime() + lane.gate.pausedFor()))
      return undefined
    }
    try {
      messageId = (await adapter.send(d.chatId, part)).messageId
      lane.gate.accepted()
    } catch (error) {
      if (i > 0) lane.partsDone.set(d.id, i)
      if (lane.partsDone.size > 10_000) lane.partsDone.clear()
      await recordFailure(ctx, lane, d, error, stats)
      return undefined
    }
  }
  return messageId
}

/**
 * The duplicate window: the platform has the message but the row still says 'sending'. A crash
 * right here (before the write commits) makes the restart send it once more.
 */
async function recordSent(ctx: LaneContext, d: DeliveryRow, messageId: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await markSent(ctx.deps.db, d.id, ctx.deps.clock(), messageId)
      return
    } catch (err) {
      // Never treat a failed bookkeeping write as a failed send: that would send it again.
      if (attempt >= 4) {
        ctx.deps.logger.error({ err: errorDetails(err), deliveryId: d.id }, 'sent but could not record it; left for recovery')
        throw err
      }
      await sleep(50 * 2 ** attempt)
    }
  }
}

/**
 * A delivery this channel cannot take now: it moves to the person's next linked chat (most
 * recently linked first, never back to a channel it left), with where it came from and why in
 * `moved_from`. With no other chat, a quota waits for the reset; a closed window waits (looked
 * at again every WINDOW_RECHECK_MS) until the delivery's horizon, then fails as 'window_closed'.
 */
async function divert(
  ctx: LaneContext,
  lane: LaneState,
  d: DeliveryRow,
  why: 'window_closed' | 'quota',
  stats: DispatchStats,
  until?: Date,
): Promise<void> {
  const { deps } = ctx
  const now = deps.clock()
  const trail = d.movedFrom ? d.movedFrom.split(',') : []
  const tried = [d.channel, ...trail.map((t) => t.split(':')[0] as ChannelName)]
  const next = d.personId ? await nextChat(deps.db, d.personId, tried) : null
  if (next && deps.channels[next.channel]) {
    await moveDelivery(deps.db, d.id, next, [...trail, `${d.channel}:${why}`].join(','), now)
    stats.moved++
    ctx.pokeLane(next.channel)
    return
  }
  if (why === 'quota') {
    await markRetry(deps.db, d.id, until ?? new Date(now.getTime() + WINDOW_RECHECK_MS), 'quota: the channel is paused until its quota resets', { refundAttempt: true })
    stats.retried++
    return
  }
  const expiresAt = d.expiresAt ?? new Date(d.createdAt.getTime() + ctx.horizonMs)
  if (now.getTime() >= expiresAt.getTime()) {
    await markFinal(deps.db, d.id, 'failed', 'window_closed', 'window_closed: the person has not written within the window, and has no other chat')
    stats.failed++
    return final(lane, d)
  }
  const at = new Date(Math.min(expiresAt.getTime(), now.getTime() + WINDOW_RECHECK_MS))
  await markRetry(deps.db, d.id, at, 'window_closed: waiting for the person to write', { refundAttempt: true })
  stats.retried++
}

/** The platform says the month's messages are spent: pause the channel until the reset, and tell the features (`onQuotaSpent`). */
async function quotaSpent(ctx: LaneContext, lane: LaneState, e: ChannelError) {
  const { deps } = ctx
  const channel = lane.channel
  const now = deps.clock()
  const until = startOfNextMonth(now, deps.config.timezone)
  lane.pausedTill = until.getTime()
  await pauseChannel(deps.db, channel, until, e.message, now)
  await ctx.onQuotaSpent?.(deps, { channel, until, error: e.message, now })
  deps.logger.warn({ channel, until: until.toISOString() }, 'channel quota spent; pushes paused until it resets')
}

/** A send failed: final, retried later, diverted, or the sign of an outage (then the gate pauses). */
async function recordFailure(ctx: LaneContext, lane: LaneState, d: DeliveryRow, err: unknown, stats: DispatchStats) {
  const { deps } = ctx
  const now = deps.clock()
  const e = err instanceof ChannelError ? err : undefined
  if (e?.kind === 'quota') {
    if (lane.pausedTill <= now.getTime()) await quotaSpent(ctx, lane, e)
    return divert(ctx, lane, d, 'quota', stats, new Date(lane.pausedTill))
  }
  if (e?.kind === 'window_closed') return divert(ctx, lane, d, 'window_closed', stats)
  const decision = decide(err, d, now, ctx.horizonMs)
  const reason = e ? e.message : String((err as Error)?.message ?? err)
  const log = { deliveryId: d.id, channel: d.channel, source: d.source, attempt: d.attempts, status: e?.code, error: reason }
  if (decision.action === 'final') {
    await markFinal(deps.db, d.id, decision.status, decision.reason, reason)
    if (decision.status === 'blocked') {
      await setChatBlocked(deps.db, d.channel, d.chatId, now)
      stats.blocked++
    } else {
      stats.failed++
      deps.logger.warn({ ...log, reason: decision.reason }, 'delivery failed for good')
    }
    return final(lane, d)
  }
  if (e?.kind === 'rate_limited') lane.gate.rateLimited(e.retryAfter ?? (decision.at.getTime() - now.getTime()) / 1000)
  if (decision.transient && ++lane.transientStreak >= OUTAGE_AFTER) {
    // The platform looks down: stop everyone, then let one send probe it.
    lane.gate.pause(lane.probe / 1000)
    deps.logger.warn({ channel: d.channel, pauseMs: lane.probe, failures: lane.transientStreak }, 'channel looks down; pausing before the next try')
    lane.probe = Math.min(ctx.probeMax, lane.probe * 2)
  }
  await markRetry(deps.db, d.id, decision.at, reason, { refundAttempt: decision.refundAttempt })
  deps.logger.info({ ...log, retryAt: decision.at.toISOString() }, 'delivery will be retried')
  stats.retried++
}
