import type { DeliveryRow } from '../../db/schema/index.js'
import { REPLY_PRIORITY } from '../../db/schema/index.js'
import { ChannelError } from '../core/channel.js'
import { channelNames, type ChannelName, type OutboundMessage } from '../core/events.js'
import { setChatBlocked } from '../core/links.js'
import { splitText } from '../core/text.js'
import type { AppDeps } from '../deps.js'
import { describe } from '../log.js'
import { decide } from './policy.js'
import { claimDue, dueBehindOthers, markFinal, markRetry, markSent, requeueStale } from './queue.js'
import { moveDelivery, nextChat, notifyAdmins, pauseChannel, pausedUntil, startOfNextMonth, windowOpen } from './channel-rules.js'
import { translator } from '../i18n.js'
import { formatDateTime } from '../i18n.js'
import { createRateGate, type RateGate } from './rate-gate.js'

/**
 * Builds the message for one delivery at send time, in the recipient's language. Returning null
 * drops the delivery (its source was cancelled). Features register one per `source`. A renderer
 * may carry `settle`, called with the source ids whose deliveries reached a final state, so the
 * feature can close its own records (a broadcast becomes 'sent').
 */
export type Renderer = ((deps: AppDeps, delivery: DeliveryRow) => Promise<OutboundMessage | null>) & {
  settle?: (deps: AppDeps, sourceIds: readonly number[]) => Promise<void>
}
export type Renderers = Record<string, Renderer>

/** Ready-made messages (replies, notices) carry their text in `payload`. */
export const payloadRenderer: Renderer = async (_deps, d) => (d.payload as OutboundMessage | null) ?? null

/** A claim older than this was made by a process that died (a send times out long before). */
const STALE_CLAIM_MS = 120_000
/**
 * A pause longer than this hands the claimed rows back (due when the pause ends) instead of
 * holding them: another instance's stale-claim sweep must not take them while we wait.
 */
const LONG_PAUSE_MS = 10_000
/** Consecutive transient failures on a channel that make it an outage: then one probe at a time. */
const OUTAGE_AFTER = 3
/** A message waiting for the person to open the OA's window again looks again this often, until its horizon. */
export const WINDOW_RECHECK_MS = 30 * 60_000

export interface DispatchStats {
  claimed: number
  sent: number
  retried: number
  failed: number
  blocked: number
  /** Moved to another linked chat of the person (window closed, quota spent on this channel). */
  moved: number
}

export interface DispatcherOptions {
  /** Rows claimed at a time per channel. */
  batchSize?: number
  /** Sends in flight at once per channel (default: enough to keep the channel's rate busy). */
  concurrency?: number
  /** Least time between two messages to one chat (Telegram: about one a second). */
  perChatIntervalMs?: number
  /** Pause after an outage is detected, doubling up to the second figure while it lasts. */
  probeMs?: readonly [number, number]
}

const emptyStats = (): DispatchStats => ({ claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0, moved: 0 })
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * The one send path of every bot: replies in conversation and pushes (briefs, reminders, quiz
 * invitations) leave through here, per channel, within the platform's limits:
 * - one pace per bot (`RateGate`), replies claimed and started before pushes;
 * - at most one message a second to a chat, and a chat whose call hangs holds up no other chat
 *   (a chat with a send in flight is skipped, not waited for);
 * - `retry_after` honoured, transient errors retried with capped backoff until the delivery's
 *   horizon, an outage detected and probed with one send at a time, blocked chats marked;
 * - a delivery marked sent is never claimed again, and what a crash left in flight is requeued.
 */
export function createDispatcher(deps: AppDeps, renderers: Renderers, options: DispatcherOptions = {}) {
  const batchSize = options.batchSize ?? 200
  const perChatIntervalMs = options.perChatIntervalMs ?? 1000
  const [probeMin, probeMax] = options.probeMs ?? [5_000, 30_000]
  const horizonMs = (deps.config.deliveryHorizonHours ?? 24) * 3_600_000
  /** Each adapter declares its pace (from configuration); 1 a second for a channel that is off. */
  const rateOf = (channel: ChannelName) => deps.channels[channel]?.limits?.ratePerSecond ?? 1
  const concurrencyOf = (channel: ChannelName) =>
    options.concurrency ?? Math.min(64, Math.max(8, Math.ceil(rateOf(channel) / 15)))

  let stopped = true
  let loops: Promise<void>[] = []
  /** Ends the sweeper's wait at once, so that stop() does not wait up to 5 s for it. */
  let wakeSweeper = () => {}
  const lanes = new Map<ChannelName, Lane>()
  const lane = (channel: ChannelName) => {
    let l = lanes.get(channel)
    if (!l) lanes.set(channel, (l = createLane(channel)))
    return l
  }

  type Lane = ReturnType<typeof createLane>

  function createLane(channel: ChannelName) {
    const gate: RateGate = createRateGate(rateOf(channel))
    const concurrency = concurrencyOf(channel)
    /** Claimed rows not yet started: replies first, each chat's rows in order. */
    const ready: DeliveryRow[] = []
    /** Chats with a send in flight, and the earliest time each chat may get its next message. */
    const busy = new Set<string>()
    const chatNext = new Map<string, number>()
    /** Source ids whose deliveries became final, for the features' `settle`. */
    const done = new Map<string, Set<number>>()
    /** Parts of multi-part deliveries already accepted, so a retry sends only the rest. */
    const partsDone = new Map<number, number>()
    let inflight = 0
    /** Until when this channel is paused (a spent quota), as last read or set; 0 when it is not. */
    let pausedTill = 0
    let transientStreak = 0
    let probe = probeMin
    let wantReplies = false
    let poked = false
    let running: Promise<void> = Promise.resolve()
    // A wake-up that comes while the loop is busy is kept, so the loop never sleeps past it.
    let wake: (() => void) | undefined
    let signalled = false
    const signal = () => {
      const w = wake
      wake = undefined
      if (w) w()
      else signalled = true
    }
    const waitForSignal = (ms: number) =>
      new Promise<void>((resolve) => {
        if (signalled || ms <= 0) {
          signalled = false
          return resolve()
        }
        const timer = setTimeout(() => {
          wake = undefined
          resolve()
        }, ms)
        wake = () => {
          clearTimeout(timer)
          signalled = false
          resolve()
        }
      })

    function admit(rows: DeliveryRow[]) {
      for (const r of rows) {
        if (r.priority >= REPLY_PRIORITY) {
          const at = ready.findIndex((x) => x.priority < r.priority)
          if (at < 0) ready.push(r)
          else ready.splice(at, 0, r)
        } else ready.push(r)
      }
    }

    async function requeue(rows: DeliveryRow[], notBefore?: Date) {
      for (const d of rows) await markRetry(deps.db, d.id, notBefore ?? d.nextAttemptAt, d.lastError ?? '', { refundAttempt: true })
    }

    function final(d: DeliveryRow) {
      partsDone.delete(d.id)
      let set = done.get(d.source)
      if (!set) done.set(d.source, (set = new Set()))
      set.add(d.sourceId)
    }

    async function settle() {
      for (const [source, ids] of done) {
        const hook = renderers[source]?.settle
        if (hook && ids.size) {
          try {
            await hook(deps, [...ids])
          } catch (err) {
            deps.logger.warn({ err: describe(err), source }, 'settle failed')
          }
        }
      }
      done.clear()
    }

    /** Sends one claimed delivery and records the outcome. */
    async function deliver(d: DeliveryRow, stats: DispatchStats): Promise<void> {
      const adapter = deps.channels[d.channel]
      if (!adapter) {
        await markFinal(deps.db, d.id, 'failed', 'channel_off', `channel ${d.channel} is off`)
        stats.failed++
        return final(d)
      }
      // The channel's rules: a spent quota pauses it; the OA writes only within its window.
      if (pausedTill > deps.clock().getTime()) return divert(d, 'quota', stats, new Date(pausedTill))
      const windowHours = adapter.limits?.windowHours
      if (windowHours && d.priority < REPLY_PRIORITY && !(await windowOpen(deps.db, d.channel, d.chatId, deps.clock(), windowHours))) {
        return divert(d, 'window_closed', stats)
      }
      const render = renderers[d.source] ?? payloadRenderer
      let message: OutboundMessage | null
      try {
        message = await render(deps, d)
      } catch (err) {
        deps.logger.error({ err: describe(err), deliveryId: d.id }, 'render failed')
        await markFinal(deps.db, d.id, 'failed', 'render', `render: ${(err as Error).message}`)
        stats.failed++
        return final(d)
      }
      if (!message) {
        await markFinal(deps.db, d.id, 'failed', 'cancelled', 'cancelled')
        stats.failed++
        return final(d)
      }
      const parts = partsOf(message, adapter.maxTextLength)
      let messageId = ''
      for (let i = partsDone.get(d.id) ?? 0; i < parts.length; i++) {
        const part = parts[i]!
        if (!(await gate.take(messagesIn(part, adapter.maxTextLength), LONG_PAUSE_MS))) {
          if (i > 0) partsDone.set(d.id, i)
          await requeue([d], new Date(deps.clock().getTime() + gate.pausedFor()))
          return
        }
        try {
          messageId = (await adapter.send(d.chatId, part)).messageId
          gate.accepted()
        } catch (error) {
          if (i > 0) partsDone.set(d.id, i)
          if (partsDone.size > 10_000) partsDone.clear()
          return recordFailure(d, error, stats)
        }
      }
      transientStreak = 0
      probe = probeMin
      // The duplicate window: the platform has the message but the row still says 'sending'. A
      // crash right here (before the next statement commits) makes the restart send it once more.
      for (let attempt = 0; ; attempt++) {
        try {
          await markSent(deps.db, d.id, deps.clock(), messageId)
          break
        } catch (err) {
          // Never treat a failed bookkeeping write as a failed send: that would send it again.
          if (attempt >= 4) {
            deps.logger.error({ err: describe(err), deliveryId: d.id }, 'sent but could not record it; left for recovery')
            throw err
          }
          await sleep(50 * 2 ** attempt)
        }
      }
      stats.sent++
      final(d)
    }

    /**
     * A delivery this channel cannot take now: it moves to the person's next linked chat (most
     * recently linked first, never back to a channel it left), with where it came from and why in
     * `moved_from`. With no other chat, a quota waits for the reset; a closed window waits (looked
     * at again every WINDOW_RECHECK_MS) until the delivery's horizon, then fails as 'window_closed'.
     */
    async function divert(d: DeliveryRow, why: 'window_closed' | 'quota', stats: DispatchStats, until?: Date): Promise<void> {
      const now = deps.clock()
      const trail = d.movedFrom ? d.movedFrom.split(',') : []
      const tried = [d.channel, ...trail.map((t) => t.split(':')[0] as ChannelName)]
      const next = d.personId ? await nextChat(deps.db, d.personId, tried) : null
      if (next && deps.channels[next.channel]) {
        await moveDelivery(deps.db, d.id, next, [...trail, `${d.channel}:${why}`].join(','), now)
        stats.moved++
        lane(next.channel).poke(false)
        return
      }
      if (why === 'quota') {
        await markRetry(deps.db, d.id, until ?? new Date(now.getTime() + WINDOW_RECHECK_MS), 'quota: the channel is paused until its quota resets', { refundAttempt: true })
        stats.retried++
        return
      }
      const expiresAt = d.expiresAt ?? new Date(d.createdAt.getTime() + horizonMs)
      if (now.getTime() >= expiresAt.getTime()) {
        await markFinal(deps.db, d.id, 'failed', 'window_closed', 'window_closed: the person has not written within the window, and has no other chat')
        stats.failed++
        return final(d)
      }
      const at = new Date(Math.min(expiresAt.getTime(), now.getTime() + WINDOW_RECHECK_MS))
      await markRetry(deps.db, d.id, at, 'window_closed: waiting for the person to write', { refundAttempt: true })
      stats.retried++
    }

    /** The platform says the month's messages are spent: pause the channel until the reset, tell the admins once. */
    async function quotaSpent(e: ChannelError) {
      const now = deps.clock()
      const until = startOfNextMonth(now, deps.config.timezone)
      pausedTill = until.getTime()
      await pauseChannel(deps.db, channel, until, e.message, now)
      const when = formatDateTime(until, deps.config.timezone)
      const error = e.message.slice(0, 200)
      await notifyAdmins(
        deps.db,
        `quota:${channel}:${until.toISOString()}`,
        (locale) => ({ text: translator(locale)('channels.quotaPaused', { channel, until: when, error }) }),
        now,
        channel,
      )
      deps.logger.warn({ channel, until: until.toISOString() }, 'channel quota spent; pushes paused until it resets')
    }

    async function recordFailure(d: DeliveryRow, err: unknown, stats: DispatchStats) {
      const now = deps.clock()
      const e = err instanceof ChannelError ? err : undefined
      if (e?.kind === 'quota') {
        if (pausedTill <= now.getTime()) await quotaSpent(e)
        return divert(d, 'quota', stats, new Date(pausedTill))
      }
      if (e?.kind === 'window_closed') return divert(d, 'window_closed', stats)
      const decision = decide(err, d, now, horizonMs)
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
        return final(d)
      }
      if (e?.kind === 'rate_limited') gate.rateLimited(e.retryAfter ?? (decision.at.getTime() - now.getTime()) / 1000)
      if (decision.transient && ++transientStreak >= OUTAGE_AFTER) {
        // The platform looks down: stop everyone, then let one send probe it.
        gate.pause(probe / 1000)
        deps.logger.warn({ channel: d.channel, pauseMs: probe, failures: transientStreak }, 'channel looks down; pausing before the next try')
        probe = Math.min(probeMax, probe * 2)
      }
      await markRetry(deps.db, d.id, decision.at, reason, { refundAttempt: decision.refundAttempt })
      deps.logger.info({ ...log, retryAt: decision.at.toISOString() }, 'delivery will be retried')
      stats.retried++
    }

    /**
     * Claims and sends this channel's due deliveries. `drain` returns once nothing is due (or
     * `until` passes); otherwise it runs until the dispatcher stops, idling `idleMs` between looks.
     */
    async function run(stats: DispatchStats, opts: { until: number; drain: boolean; repliesOnly?: boolean; idleMs: number }) {
      let exhausted = false
      let lastClaimEmpty = false
      let lastClaimAt = 0
      let lastSettle = Date.now()
      const halt = () => (opts.drain ? Date.now() >= opts.until : stopped)
      for (;;) {
        if (halt()) break
        const paused = gate.pausedFor()
        if (paused > LONG_PAUSE_MS) {
          // Hand the rows back, due when the pause ends, rather than holding them.
          if (ready.length) await requeue(ready.splice(0), new Date(deps.clock().getTime() + paused))
          if (opts.drain) break
          await waitForSignal(Math.min(paused, opts.idleMs))
          continue
        }
        const room = ready.length < concurrency * 2
        if (poked || Date.now() - lastClaimAt > opts.idleMs) exhausted = false
        poked = false
        if ((room && !exhausted) || wantReplies) {
          const onlyReplies = opts.repliesOnly || (wantReplies && !room)
          wantReplies = false
          lastClaimAt = Date.now()
          let rows: DeliveryRow[] = []
          try {
            const paused = await pausedUntil(deps.db, channel, deps.clock())
            pausedTill = paused?.getTime() ?? 0
            rows = await claimDue(deps.db, deps.clock(), batchSize, [channel], onlyReplies ? REPLY_PRIORITY : 0)
            // The claim is committed before any of its rows is sent, so a restart knows what was in flight.
            await deps.committed()
          } catch (err) {
            deps.logger.error({ err: describe(err), channel }, 'claiming deliveries failed')
            rows = []
          }
          stats.claimed += rows.length
          lastClaimEmpty = rows.length === 0
          if (rows.length < batchSize) exhausted = true
          admit(rows)
        }
        // Start what may start: a free send slot, a chat not busy and past its interval.
        const now = Date.now()
        let soonest = Infinity
        const skipped = new Set<string>()
        for (let i = 0; i < ready.length && inflight < concurrency; ) {
          const d = ready[i]!
          const key = d.chatId
          if (skipped.has(key) || busy.has(key)) {
            skipped.add(key)
            i++
            continue
          }
          const at = chatNext.get(key) ?? 0
          if (at > now) {
            soonest = Math.min(soonest, at)
            skipped.add(key)
            i++
            continue
          }
          ready.splice(i, 1)
          busy.add(key)
          if (perChatIntervalMs > 0) chatNext.set(key, now + perChatIntervalMs)
          inflight++
          void deliver(d, stats)
            .catch((err) => deps.logger.error({ err: describe(err), deliveryId: d.id }, 'delivery bookkeeping failed'))
            .finally(() => {
              inflight--
              busy.delete(key)
              signal()
            })
        }
        if (chatNext.size > 50_000) for (const [k, v] of chatNext) if (v < now) chatNext.delete(k)
        if (Date.now() - lastSettle > 1000 && done.size) {
          lastSettle = Date.now()
          await settle()
        }
        if (!ready.length && !inflight && exhausted) {
          if (opts.drain && lastClaimEmpty && Date.now() + 250 < opts.until) {
            // Rows held back only by another sender's message to the same chat: wait for it.
            if (await dueBehindOthers(deps.db, deps.clock(), channel).catch(() => false)) {
              await sleep(250)
              exhausted = false
              continue
            }
          }
          if (opts.drain && lastClaimEmpty) break
          if (opts.drain) {
            exhausted = false
            continue
          }
          await settle()
          await waitForSignal(opts.idleMs)
          exhausted = false
          continue
        }
        if (!exhausted && ready.length < concurrency * 2) continue
        const wait = Number.isFinite(soonest) ? soonest - Date.now() : opts.drain ? Math.max(0, opts.until - Date.now()) : opts.idleMs
        await waitForSignal(Math.min(wait, opts.drain ? Math.max(0, opts.until - Date.now()) : opts.idleMs))
        if (!opts.drain && !ready.length && !inflight) exhausted = false
      }
      // Leaving: what was claimed but not started goes back at once; what is in flight finishes
      // (a stop may stop waiting for it: its row stays 'sending' and the next start requeues it).
      if (ready.length) await requeue(ready.splice(0))
      while (inflight > 0) await waitForSignal(1000)
      if (ready.length) await requeue(ready.splice(0))
      await settle()
    }

    /** A reply to `chatId` may go out now, outside this lane (in a webhook's response). */
    function grantInline(chatId: string): boolean {
      const now = Date.now()
      if (busy.has(chatId) || (chatNext.get(chatId) ?? 0) > now || ready.some((d) => d.chatId === chatId)) return false
      if (!gate.tryTake()) return false
      if (perChatIntervalMs > 0) chatNext.set(chatId, now + perChatIntervalMs)
      return true
    }

    return {
      grantInline,
      /** One run at a time per lane: a second caller waits for the first. */
      run(stats: DispatchStats, opts: Parameters<typeof run>[1]) {
        const next = running.then(() => run(stats, opts))
        running = next.catch(() => {})
        return next
      },
      poke(replies: boolean) {
        if (replies) wantReplies = true
        poked = true
        signal()
      },
    }
  }

  async function runAll(opts: { drain: boolean; maxMs: number; repliesOnly?: boolean; channels?: readonly ChannelName[] }) {
    const total = emptyStats()
    const until = Date.now() + opts.maxMs
    // A drain goes round again while deliveries moved to another channel's lane that had finished.
    for (let moved = -1; total.moved !== moved && Date.now() < until; ) {
      moved = total.moved
      await Promise.all(
        (opts.channels ?? channelNames).map((c) => lane(c).run(total, { until, drain: opts.drain, repliesOnly: opts.repliesOnly, idleMs: 1000 })),
      )
      if (!opts.drain) break
    }
    return total
  }

  return {
    /** Sends until nothing is due (or `maxMs` passes). For tests, the CLI and Workers' cron. */
    drain: (maxMs = 60_000, opts: { repliesOnly?: boolean; channels?: readonly ChannelName[] } = {}) =>
      runAll({ drain: true, maxMs, ...opts }),
    /**
     * Requeues deliveries a crashed process left half-done. At the start of the only instance
     * (the SQLite default) every 'sending' row is stale; with several instances (Workers) pass a cutoff.
     */
    recover: (claimedBefore = new Date(deps.clock().getTime() + 1000)) => requeueStale(deps.db, claimedBefore),
    /** Requeues rows claimed longer ago than a send can take: their isolate or process died. */
    recoverStale: () => requeueStale(deps.db, new Date(deps.clock().getTime() - STALE_CLAIM_MS)),
    /**
     * Whether a reply to `chatId` may be sent now in a webhook's response: only while this
     * dispatcher runs (it alone knows the bot's pace and the chat's last message), and only when
     * both allow a message at once. The slot is taken.
     */
    grantInline: (channel: ChannelName, chatId: string) => !stopped && lane(channel).grantInline(chatId),
    /** Nudges a started dispatcher to look for work now; `replies` to take queued replies first. */
    poke(replies = false) {
      for (const c of channelNames) lane(c).poke(replies)
    },
    start(idleMs = 1000) {
      if (!stopped) return
      stopped = false
      let lastSweep = Date.now()
      const sweeper = (async () => {
        while (!stopped) {
          await new Promise<void>((r) => {
            const timer = setTimeout(r, Math.min(idleMs * 5, 5000))
            wakeSweeper = () => {
              clearTimeout(timer)
              r()
            }
          })
          if (stopped) break
          if (Date.now() - lastSweep > 60_000) {
            lastSweep = Date.now()
            await requeueStale(deps.db, new Date(deps.clock().getTime() - STALE_CLAIM_MS)).catch(() => 0)
          }
        }
      })()
      loops = [
        sweeper,
        ...channelNames.map(async (channel) => {
          while (!stopped) {
            try {
              await lane(channel).run(emptyStats(), { until: Infinity, drain: false, idleMs })
            } catch (err) {
              deps.logger.error({ err: describe(err), channel }, 'dispatcher loop failed; retrying')
              await sleep(idleMs)
            }
          }
        }),
      ]
    },
    /**
     * Stops claiming and hands back what was claimed but not started; sends in flight finish and
     * record their result. A send still in flight after `graceMs` (a platform that hangs) is not
     * waited for: its row stays 'sending', and `recover()` queues it again at the next start.
     * Resolves with how many lanes were still busy then.
     */
    async stop(graceMs = Infinity): Promise<number> {
      stopped = true
      wakeSweeper()
      for (const c of channelNames) lane(c).poke(false)
      let busyLanes = 0
      const tracked = loops.map((l) => l.finally(() => busyLanes--))
      busyLanes = tracked.length
      let timer: ReturnType<typeof setTimeout> | undefined
      const grace = Number.isFinite(graceMs) ? new Promise<void>((r) => (timer = setTimeout(r, graceMs))) : new Promise<void>(() => {})
      await Promise.race([Promise.all(tracked), grace])
      clearTimeout(timer)
      loops = []
      return Math.max(0, busyLanes)
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>

function messagesIn(message: OutboundMessage, max: number): number {
  return Math.max(1, splitText(message.text, max).length) + (message.imageUrl ? 1 : 0)
}

/**
 * A text longer than one platform message, as the single sends it takes (image first, buttons on
 * the last part), so that a part refused midway is retried alone. A text that fits is one part,
 * left whole for the adapter (a photo with its caption, for instance).
 */
export function partsOf(message: OutboundMessage, max: number): OutboundMessage[] {
  const texts = splitText(message.text, max)
  if (texts.length <= 1) return [message]
  const parts: OutboundMessage[] = texts.map((text) => ({ text }))
  if (message.choices?.length) {
    parts[parts.length - 1] = { text: texts.at(-1)!, choices: message.choices, ...(message.choicesInText ? { choicesInText: true } : {}) }
  }
  if (message.imageUrl) parts.unshift({ text: '', imageUrl: message.imageUrl })
  return parts
}
