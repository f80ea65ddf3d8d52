import { channelNames, type ChannelName } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { errorDetails } from '../log.js'
import { createLane, type Lane } from './lane.js'
import { emptyStats, type LaneContext, type QuotaSpentHook } from './lane-state.js'
import { requeueStale } from './queue.js'
import type { Renderers } from './render.js'

export type { QuotaSpent } from './lane-state.js'
export { payloadRenderer, partsOf, type Renderer, type Renderers } from './render.js'

/** A claim older than this was made by a process that died (a send times out long before). */
const STALE_CLAIM_MS = 120_000

export interface DispatcherOptions {
  /** Rows claimed at a time per channel. */
  batchSize?: number
  /** Sends in flight at once per channel (default: enough to keep the channel's rate busy). */
  concurrency?: number
  /** Least time between two messages to one chat (Telegram: about one a second). */
  perChatIntervalMs?: number
  /** Pause after an outage is detected, doubling up to the second figure while it lasts. */
  probeMs?: readonly [number, number]
  /**
   * The dispatcher's clock in milliseconds: pacing, waits and deadlines, and the rate gates'.
   * Default: the app's clock (`deps.clock`). A test whose app clock stands still passes a moving one.
   */
  now?: () => number
  /** A channel's monthly quota is spent (the features tell the admins); supplied by the entry point like `renderers`. */
  onQuotaSpent?: QuotaSpentHook
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * How many deliveries the minute's drain may claim within the plan's subrequests an invocation
 * (WORKER_SUBREQUESTS: 50 free, 1,000 paid): bench/d1-cost.ts measured 16 for the invocation's own
 * work and 2.4 a delivery (the send, its share of the claim, the mark as sent); 20 and 3 leave room.
 * Free: 10 a minute; paid: 326.
 */
export const drainBudget = (subrequests: number) => Math.max(1, Math.floor((subrequests - 20) / 3))

/**
 * The one send path of every bot: replies in conversation and pushes (briefs, reminders, quiz
 * invitations) leave through here, per channel (one `Lane` each, src/delivery/lane.ts), within
 * the platform's limits:
 * - one pace per bot (`RateGate`), replies claimed and started before pushes;
 * - at most one message a second to a chat, and a chat whose call hangs holds up no other chat
 *   (a chat with a send in flight is skipped, not waited for);
 * - `retry_after` honoured, transient errors retried with capped backoff until the delivery's
 *   horizon, an outage detected and probed with one send at a time, blocked chats marked
 *   (src/delivery/outcome.ts);
 * - a delivery marked sent is never claimed again, and what a crash left in flight is requeued.
 */
export function createDispatcher(deps: AppDeps, renderers: Renderers, options: DispatcherOptions = {}) {
  const [probeMin, probeMax] = options.probeMs ?? [5_000, 30_000]
  const now = options.now ?? (() => deps.clock().getTime())
  /** Each adapter declares its pace (from configuration); 1 a second for a channel that is off. */
  const rateOf = (channel: ChannelName) => deps.channels[channel]?.limits?.ratePerSecond ?? 1
  const concurrencyOf = (channel: ChannelName) =>
    options.concurrency ?? Math.min(64, Math.max(8, Math.ceil(rateOf(channel) / 15)))

  let stopped = true
  let loops: Promise<void>[] = []
  /** Ends the sweeper's wait at once, so that stop() does not wait up to 5 s for it. */
  let wakeSweeper = () => {}
  const lanes = new Map<ChannelName, Lane>()
  const ctx: LaneContext = {
    deps,
    renderers,
    now,
    batchSize: options.batchSize ?? 200,
    perChatIntervalMs: options.perChatIntervalMs ?? 1000,
    probeMin,
    probeMax,
    horizonMs: (deps.config.deliveryHorizonHours ?? 24) * 3_600_000,
    onQuotaSpent: options.onQuotaSpent,
    pokeLane: (channel) => lane(channel).poke(false),
    stopped: () => stopped,
  }
  function lane(channel: ChannelName): Lane {
    let l = lanes.get(channel)
    if (!l) lanes.set(channel, (l = createLane(ctx, channel, rateOf(channel), concurrencyOf(channel))))
    return l
  }

  async function runAll(opts: { drain: boolean; maxMs: number; repliesOnly?: boolean; channels?: readonly ChannelName[]; maxClaimed?: number }) {
    const total = emptyStats()
    const until = now() + opts.maxMs
    // A drain goes round again while deliveries moved to another channel's lane that had finished.
    for (let moved = -1; total.moved !== moved && now() < until; ) {
      moved = total.moved
      await Promise.all(
        (opts.channels ?? channelNames).map((c) => lane(c).run(total, { until, drain: opts.drain, repliesOnly: opts.repliesOnly, idleMs: 1000, maxClaimed: opts.maxClaimed })),
      )
      if (!opts.drain) break
    }
    return total
  }

  /** Requeues, every minute while started, what a dead process or isolate left claimed. */
  async function sweep(idleMs: number) {
    let lastSweep = now()
    while (!stopped) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.min(idleMs * 5, 5000))
        wakeSweeper = () => {
          clearTimeout(timer)
          r()
        }
      })
      if (stopped) break
      if (now() - lastSweep > 60_000) {
        lastSweep = now()
        await requeueStale(deps.db, new Date(deps.clock().getTime() - STALE_CLAIM_MS)).catch(() => 0)
      }
    }
  }

  /** Runs one channel's lane until the dispatcher stops, starting it again if it fails. */
  async function keepRunning(channel: ChannelName, idleMs: number) {
    while (!stopped) {
      try {
        await lane(channel).run(emptyStats(), { until: Infinity, drain: false, idleMs })
      } catch (err) {
        deps.logger.error({ err: errorDetails(err), channel }, 'dispatcher loop failed; retrying')
        await sleep(idleMs)
      }
    }
  }

  return {
    /** Sends until nothing is due (or `maxMs` passes). For tests, the CLI and Workers' cron. */
    drain: (maxMs = 60_000, opts: { repliesOnly?: boolean; channels?: readonly ChannelName[]; maxClaimed?: number } = {}) =>
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
    grantWebhookReply: (channel: ChannelName, chatId: string) => !stopped && lane(channel).grantWebhookReply(chatId),
    /**
     * Nudges a started dispatcher to look for work now; `replies` to take queued replies first.
     * Replies poke only the channels that are on: a lane with no bot has nothing to send them with
     * (it still looks every `idleMs`, to settle what is queued for it), and claiming for it at every
     * webhook cost a query each.
     */
    poke(replies = false) {
      for (const c of channelNames) if (!replies || deps.channels[c]) lane(c).poke(replies)
    },
    start(idleMs = 1000) {
      if (!stopped) return
      stopped = false
      loops = [sweep(idleMs), ...channelNames.map((channel) => keepRunning(channel, idleMs))]
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
