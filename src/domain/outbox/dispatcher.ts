import type { DeliveryRow } from '../../../db/schema/index.js'
import { ChannelError } from '../../core/channel.js'
import { describe } from '../../core/dispatch.js'
import { channelNames, type ChannelName, type OutboundMessage } from '../../core/events.js'
import { splitText } from '../../core/text.js'
import type { AppDeps } from '../../deps.js'
import { setChatBlocked } from '../directory/invites.js'
import { claimDue, markFinal, markRetry, markSent, requeueStale } from './queue.js'

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

/** Ready-made messages carry their text in `payload`. */
export const payloadRenderer: Renderer = async (_deps, d) => (d.payload as OutboundMessage | null) ?? null

export const MAX_ATTEMPTS = 8
/** A claim older than this was made by a process that died (a send times out after 30 s at most). */
const STALE_CLAIM_MS = 120_000
const MAX_BACKOFF_S = 300
/** Seconds to wait after a 429 that names no retry_after (Zalo's quota answer does not). */
const DEFAULT_RETRY_AFTER_S = 5
/**
 * A 429 pause longer than this hands the claimed rows back (due when the pause ends) instead of
 * holding them: another instance's stale-claim sweep must not take them while we wait.
 */
const LONG_PAUSE_MS = 10_000

export interface DispatchStats {
  claimed: number
  sent: number
  retried: number
  failed: number
  blocked: number
}

/**
 * The share of the configured rate actually aimed at. Platforms count on their side, with our
 * network jitter added, and one 429 costs a whole second of sending: running a little under the
 * limit loses less than bumping into it.
 */
const RATE_HEADROOM = 0.97

const emptyStats = (): DispatchStats => ({ claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0 })
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Paces one channel under its platform limit (`limit` messages a second):
 * - sends are spread evenly at 97% of the limit (RATE_HEADROOM);
 * - no more than 99% of the limit may start within any sliding second, so the burst that follows
 *   a stall (GC, a busy CPU) cannot overrun a platform that counts per second;
 * - a 429 stops everyone for its `retry_after` (Telegram applies the flood limit to the whole bot)
 *   and cuts the pace by 10% (once per burst of 429s), which then climbs back by 5% a second: a
 *   limit configured too high costs a few pauses, not one every second.
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 */
function createRateGate(limit: number) {
  const fastest = limit * RATE_HEADROOM
  let perSecond = fastest
  let nextSlot = 0
  let pausedUntil = 0
  let lastCut = 0
  let lastRaise = 0
  // Start times of the last `window.length` sends: the oldest must be a second old before the next.
  const window = new Array<number>(Math.max(1, Math.floor(limit * 0.99))).fill(0)
  let oldest = 0
  return {
    /**
     * Waits for `cost` slots (a long text sent as several messages costs several). A 429 that
     * arrives meanwhile is waited out too; false when that pause is too long to hold a row for.
     */
    async take(cost = 1): Promise<boolean> {
      for (;;) {
        const now = Date.now()
        if (pausedUntil - now > LONG_PAUSE_MS) return false
        if (perSecond < fastest && now - lastRaise >= 1000) {
          perSecond = Math.min(fastest, perSecond * 1.05)
          lastRaise = now
        }
        const at = Math.max(now, nextSlot, pausedUntil, window[oldest]! + 1000)
        nextSlot = at + (1000 / perSecond) * cost
        if (at > now) await sleep(at - now)
        const started = Date.now()
        if (pausedUntil > started || window[oldest]! + 1000 > started) continue
        for (let i = 0; i < cost; i++) {
          window[oldest] = started
          oldest = (oldest + 1) % window.length
        }
        return true
      }
    },
    pause(seconds: number) {
      const now = Date.now()
      pausedUntil = Math.max(pausedUntil, now + seconds * 1000)
      nextSlot = Math.max(nextSlot, pausedUntil)
      // Sends already in flight when the first 429 came answer 429 too: cut once per burst.
      if (now - lastCut > 1000) {
        perSecond = Math.max(fastest / 10, perSecond * 0.9)
        lastCut = now
        lastRaise = pausedUntil
      }
    },
    /** Milliseconds left in a 429 pause (0 when sending is allowed). */
    pausedFor: () => Math.max(0, pausedUntil - Date.now()),
  }
}

export interface DispatcherOptions {
  /** Rows claimed at a time per channel. */
  batchSize?: number
  /** Sends in flight at once per channel (default: enough to keep the channel's rate busy). */
  concurrency?: number
  /** Least time between two messages to one chat (Telegram: about one a second). */
  perChatIntervalMs?: number
}

/**
 * Sends what the outbox holds, within each platform's limits: a steady per-channel rate (each
 * channel has its own queue, so a slow Zalo never holds Telegram back), one message a second per
 * chat, `retry_after` honoured, transient errors retried with capped exponential backoff, blocked
 * chats marked and never retried, and a delivery marked sent never claimed again.
 */
export function createDispatcher(deps: AppDeps, renderers: Renderers, options: DispatcherOptions = {}) {
  const gates = new Map<ChannelName, ReturnType<typeof createRateGate>>()
  /** Earliest time the next message may go to a chat; pruned as it falls into the past. */
  const chatSlots = new Map<string, number>()
  const batchSize = options.batchSize ?? 200
  const perChatIntervalMs = options.perChatIntervalMs ?? 1000
  let stopped = true
  let loops: Promise<void>[] = []
  const wakers = new Set<() => void>()

  const rateOf = (channel: ChannelName) => (channel === 'telegram' ? deps.config.telegram : deps.config.zalo)?.ratePerSecond ?? 1
  const concurrencyOf = (channel: ChannelName) =>
    options.concurrency ?? Math.min(64, Math.max(8, Math.ceil(rateOf(channel) / 15)))

  function gate(channel: ChannelName) {
    let g = gates.get(channel)
    if (!g) {
      g = createRateGate(rateOf(channel))
      gates.set(channel, g)
    }
    return g
  }

  /**
   * Runs `send` after the previous send to the same chat has finished, so that messages queued for
   * one chat arrive in the order they were queued (a quiz's questions, a long brief's parts).
   */
  const chatTails = new Map<string, Promise<unknown>>()
  async function inChatOrder<T>(key: string, send: () => Promise<T>): Promise<T> {
    const previous = chatTails.get(key)
    const mine = (previous ?? Promise.resolve()).then(send, send)
    chatTails.set(key, mine)
    try {
      return await mine
    } finally {
      if (chatTails.get(key) === mine) chatTails.delete(key)
    }
  }

  /** Reserves the chat's next slot before waiting, so two workers never send to one chat at once. */
  async function waitForChat(key: string) {
    if (perChatIntervalMs <= 0) return
    const now = Date.now()
    const at = Math.max(now, chatSlots.get(key) ?? 0)
    chatSlots.set(key, at + perChatIntervalMs)
    if (chatSlots.size > 50_000) for (const [k, v] of chatSlots) if (v < now) chatSlots.delete(k)
    if (at > now) await sleep(at - now)
  }

  function messagesIn(message: OutboundMessage, max: number): number {
    return Math.max(1, splitText(message.text, max).length) + (message.imageUrl ? 1 : 0)
  }

  /**
   * A text longer than one platform message, as the single sends it takes (image first, buttons on
   * the last part), so that a part refused midway is retried alone. A text that fits is one part,
   * left whole for the adapter (a photo with its caption, for instance).
   */
  function partsOf(message: OutboundMessage, max: number): OutboundMessage[] {
    const texts = splitText(message.text, max)
    if (texts.length <= 1) return [message]
    const parts: OutboundMessage[] = texts.map((text) => ({ text }))
    if (message.choices?.length) parts[parts.length - 1] = { text: texts.at(-1)!, choices: message.choices }
    if (message.imageUrl) parts.unshift({ text: '', imageUrl: message.imageUrl })
    return parts
  }

  /**
   * How many parts of a multi-part delivery the platform already accepted, so a retry by this
   * process sends only the rest. Kept in memory: after a crash between parts, the earlier parts
   * are sent again (the delivery itself is never lost).
   */
  const partsDone = new Map<number, number>()
  function rememberParts(id: number, sent: number) {
    if (sent === 0) return
    if (partsDone.size > 10_000) partsDone.clear()
    partsDone.set(id, sent)
  }

  /** Sends one claimed delivery and records the outcome. Returns true when the row is now final. */
  async function deliver(d: DeliveryRow, stats: DispatchStats): Promise<boolean> {
    const adapter = deps.channels[d.channel]
    const now = () => deps.clock()
    if (!adapter) {
      await markFinal(deps.db, d.id, 'failed', `channel ${d.channel} is off`)
      stats.failed++
      return true
    }
    const render = renderers[d.source] ?? payloadRenderer
    let message: OutboundMessage | null
    try {
      message = await render(deps, d)
    } catch (err) {
      deps.logger.error({ err: describe(err), deliveryId: d.id }, 'render failed')
      await markFinal(deps.db, d.id, 'failed', `render: ${(err as Error).message}`)
      stats.failed++
      return true
    }
    if (!message) {
      await markFinal(deps.db, d.id, 'failed', 'cancelled')
      stats.failed++
      return true
    }
    const key = `${d.channel}:${d.chatId}`
    const g = gate(d.channel)
    const parts = partsOf(message, adapter.maxTextLength)
    const outcome = await inChatOrder(key, async () => {
      await waitForChat(key)
      let messageId = ''
      for (let i = partsDone.get(d.id) ?? 0; i < parts.length; i++) {
        const part = parts[i]!
        if (!(await g.take(messagesIn(part, adapter.maxTextLength)))) {
          rememberParts(d.id, i)
          return { paused: true as const }
        }
        try {
          messageId = (await adapter.send(d.chatId, part)).messageId
        } catch (error) {
          rememberParts(d.id, i)
          return { error }
        }
      }
      return { messageId }
    })
    if ('paused' in outcome) {
      await requeueRows([d], new Date(now().getTime() + g.pausedFor()))
      return false
    }
    if ('error' in outcome) {
      const final = await recordFailure(d, outcome.error, stats)
      if (final) partsDone.delete(d.id)
      return final
    }
    partsDone.delete(d.id)
    const { messageId } = outcome
    // The duplicate window: the platform has the message but the row still says 'sending'. A
    // crash right here (before the next statement commits) makes the restart send it once more.
    // It is one local UPDATE, a fraction of a millisecond, and at most `concurrency` rows per
    // channel can be inside it at once.
    for (let attempt = 0; ; attempt++) {
      try {
        await markSent(deps.db, d.id, now(), messageId)
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
    return true
  }

  async function recordFailure(d: DeliveryRow, err: unknown, stats: DispatchStats): Promise<boolean> {
    const now = deps.clock()
    const e = err instanceof ChannelError ? err : undefined
    const reason = e ? e.message : String(err)
    if (e?.kind === 'blocked') {
      await markFinal(deps.db, d.id, 'blocked', reason)
      await setChatBlocked(deps.db, d.channel, d.chatId, now)
      stats.blocked++
      return true
    }
    if (e?.kind === 'rate_limited') {
      const seconds = e.retryAfter ?? DEFAULT_RETRY_AFTER_S
      gate(d.channel).pause(seconds)
      // Being told to slow down is not the delivery's fault: it does not use up an attempt.
      await markRetry(deps.db, d.id, new Date(now.getTime() + seconds * 1000), reason, { refundAttempt: true })
      stats.retried++
      return false
    }
    if ((e?.kind ?? 'transient') === 'transient' && d.attempts < MAX_ATTEMPTS) {
      const seconds = Math.min(MAX_BACKOFF_S, 2 ** d.attempts)
      await markRetry(deps.db, d.id, new Date(now.getTime() + seconds * 1000), reason)
      stats.retried++
      return false
    }
    deps.logger.warn({ deliveryId: d.id, channel: d.channel, error: reason }, 'delivery failed for good')
    await markFinal(deps.db, d.id, 'failed', reason)
    stats.failed++
    return true
  }

  /** Lets each source close its records once their deliveries are final (e.g. a broadcast is 'sent'). */
  async function settle(done: Map<string, Set<number>>) {
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

  /**
   * Sends one channel's due deliveries with a pool of workers fed from claimed batches, claiming
   * the next batch before the current one runs dry so the rate never idles between batches.
   * Stops when nothing is due (once=false keeps claiming until then; once=true takes one batch).
   */
  async function pump(channel: ChannelName, stats: DispatchStats, opts: { once?: boolean; until: number }) {
    const queue: DeliveryRow[] = []
    const done = new Map<string, Set<number>>()
    let claiming: Promise<void> | undefined
    let exhausted = false
    let batches = 0
    const refill = () => {
      if (!claiming && !exhausted) {
        claiming = (async () => {
          if (opts.once && batches >= 1) {
            exhausted = true
            return
          }
          batches++
          const rows = await claimDue(deps.db, deps.clock(), batchSize, [channel])
          // The claim is committed before any of its rows is sent, so a restart knows what was in flight.
          await deps.committed()
          stats.claimed += rows.length
          queue.push(...rows)
          if (rows.length < batchSize) exhausted = true
        })()
          .catch((err) => {
            // The database is unhappy: finish what is in hand; the loop tries again after idling.
            deps.logger.error({ err: describe(err), channel }, 'claiming deliveries failed')
            exhausted = true
          })
          .finally(() => {
            claiming = undefined
          })
      }
      return claiming ?? Promise.resolve()
    }
    const concurrency = concurrencyOf(channel)
    const worker = async () => {
      for (;;) {
        const paused = gate(channel).pausedFor()
        if (paused > LONG_PAUSE_MS) {
          exhausted = true
          if (queue.length) await requeueRows(queue.splice(0), new Date(deps.clock().getTime() + paused))
          return
        }
        if (queue.length <= concurrency && !exhausted && Date.now() < opts.until && !(stopped && loops.length)) void refill()
        const d = queue.shift()
        if (!d) {
          if (exhausted || Date.now() >= opts.until || (stopped && loops.length)) return
          await refill()
          continue
        }
        let final: boolean
        try {
          final = await deliver(d, stats)
        } catch (err) {
          // Only bookkeeping writes get here; the row stays 'sending' and recovery takes it back.
          deps.logger.error({ err: describe(err), deliveryId: d.id }, 'delivery bookkeeping failed')
          continue
        }
        if (final) {
          let set = done.get(d.source)
          if (!set) done.set(d.source, (set = new Set()))
          set.add(d.sourceId)
        }
      }
    }
    await refill()
    await Promise.all(Array.from({ length: concurrency }, worker))
    if (claiming) await claiming
    // Rows claimed but not started (time ran out) go back to the queue at once.
    if (queue.length) await requeueRows(queue.splice(0))
    // Once per pump, not per batch: checking that a 100,000-row broadcast is finished reads its rows.
    await settle(done)
  }

  async function requeueRows(rows: DeliveryRow[], notBefore?: Date) {
    for (const d of rows) {
      await markRetry(deps.db, d.id, notBefore ?? d.nextAttemptAt, d.lastError ?? '', { refundAttempt: true })
    }
  }

  async function run(opts: { once?: boolean; maxMs: number }): Promise<DispatchStats> {
    const total = emptyStats()
    const until = Date.now() + opts.maxMs
    await Promise.all(channelNames.map((c) => pump(c, total, { once: opts.once, until })))
    return total
  }

  return {
    /** Claims one batch per channel and sends it. */
    runOnce: () => run({ once: true, maxMs: 600_000 }),
    /** Sends until nothing is due (or `maxMs` passes). For tests, the CLI and Workers' cron. */
    drain: (maxMs = 60_000) => run({ maxMs }),
    /**
     * Requeues deliveries a crashed process left half-done. At the start of the only instance
     * (the SQLite default) every 'sending' row is stale; with several instances pass a cutoff.
     */
    recover: (claimedBefore = new Date(deps.clock().getTime() + 1000)) => requeueStale(deps.db, claimedBefore),
    /** Nudges a started dispatcher to look for work now (e.g. right after a broadcast is queued). */
    poke() {
      for (const w of wakers) w()
    },
    start(idleMs = 1000) {
      if (!stopped) return
      stopped = false
      let lastSweep = Date.now()
      loops = channelNames.map(async (channel) => {
        while (!stopped) {
          try {
            // Rows claimed long ago by an instance that died are taken back.
            if (Date.now() - lastSweep > 60_000) {
              lastSweep = Date.now()
              await requeueStale(deps.db, new Date(deps.clock().getTime() - STALE_CLAIM_MS))
            }
            const s = emptyStats()
            await pump(channel, s, { until: Date.now() + 60_000 })
            if (s.claimed === 0 && !stopped) {
              await new Promise<void>((r) => {
                const wakeUp = () => {
                  clearTimeout(timer)
                  wakers.delete(wakeUp)
                  r()
                }
                const timer = setTimeout(wakeUp, idleMs)
                wakers.add(wakeUp)
              })
            }
          } catch (err) {
            deps.logger.error({ err: describe(err), channel }, 'dispatcher loop failed; retrying')
            await sleep(idleMs)
          }
        }
      })
    },
    /** Stops claiming, lets in-flight sends finish and record their result. */
    async stop() {
      stopped = true
      for (const w of wakers) w()
      await Promise.all(loops)
      loops = []
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
