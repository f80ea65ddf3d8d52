import type { DeliveryRow } from '../../../db/schema/index.js'
import { ChannelError } from '../../core/channel.js'
import { describe } from '../../core/dispatch.js'
import type { ChannelName, OutboundMessage } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { setChatBlocked } from '../directory/invites.js'
import { claimDue, markFinal, markRetry, markSent, requeueStale } from './queue.js'

/**
 * Builds the message for one delivery at send time, in the recipient's language. Returning null
 * drops the delivery (its source was cancelled). Features register one per `source`.
 */
export type Renderer = (deps: AppDeps, delivery: DeliveryRow) => Promise<OutboundMessage | null>
export type Renderers = Record<string, Renderer>

/** Ready-made messages carry their text in `payload`. */
export const payloadRenderer: Renderer = async (_deps, d) => (d.payload as OutboundMessage | null) ?? null

export const MAX_ATTEMPTS = 8
/** A claim older than this was made by a process that died (a send times out after 30 s at most). */
const STALE_CLAIM_MS = 120_000
const MAX_BACKOFF_S = 300

export interface DispatchStats {
  claimed: number
  sent: number
  retried: number
  failed: number
  blocked: number
}

/** Spreads sends evenly: at most `perSecond` a second per channel, and honours a 429 pause. */
function createRateGate(perSecond: number) {
  const interval = 1000 / perSecond
  let nextSlot = 0
  let pausedUntil = 0
  return {
    async take() {
      const now = Date.now()
      const at = Math.max(now, nextSlot, pausedUntil)
      nextSlot = at + interval
      if (at > now) await new Promise((r) => setTimeout(r, at - now))
    },
    pause(seconds: number) {
      pausedUntil = Math.max(pausedUntil, Date.now() + seconds * 1000)
    },
  }
}

/**
 * Sends what the outbox holds, within each platform's limits: a steady per-channel rate, one
 * message a second per Telegram chat, `retry_after` honoured, transient errors retried with capped
 * backoff, blocked chats marked and never retried.
 */
export interface DispatcherOptions {
  batchSize?: number
  concurrency?: number
  /** Least time between two messages to one chat (Telegram: about one a second). */
  perChatIntervalMs?: number
}

export function createDispatcher(deps: AppDeps, renderers: Renderers, options: DispatcherOptions = {}) {
  const gates = new Map<ChannelName, ReturnType<typeof createRateGate>>()
  const lastSentToChat = new Map<string, number>()
  const batchSize = options.batchSize ?? 200
  const concurrency = options.concurrency ?? 16
  const perChatIntervalMs = options.perChatIntervalMs ?? 1000
  let stopped = true
  let loop: Promise<void> | undefined

  function gate(channel: ChannelName) {
    let g = gates.get(channel)
    if (!g) {
      const rate = (channel === 'telegram' ? deps.config.telegram : deps.config.zalo)?.ratePerSecond ?? 1
      g = createRateGate(rate)
      gates.set(channel, g)
    }
    return g
  }

  async function deliver(d: DeliveryRow, stats: DispatchStats) {
    const adapter = deps.channels[d.channel]
    const now = () => deps.clock()
    if (!adapter) {
      await markFinal(deps.db, d.id, 'failed', `channel ${d.channel} is off`)
      stats.failed++
      return
    }
    const render = renderers[d.source] ?? payloadRenderer
    let message: OutboundMessage | null
    try {
      message = await render(deps, d)
    } catch (err) {
      deps.logger.error({ err: describe(err), deliveryId: d.id }, 'render failed')
      await markFinal(deps.db, d.id, 'failed', `render: ${(err as Error).message}`)
      stats.failed++
      return
    }
    if (!message) {
      await markFinal(deps.db, d.id, 'failed', 'cancelled')
      stats.failed++
      return
    }
    // Telegram allows about one message a second to the same chat.
    const key = `${d.channel}:${d.chatId}`
    const wait = (lastSentToChat.get(key) ?? 0) + perChatIntervalMs - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    await gate(d.channel).take()
    try {
      const result = await adapter.send(d.chatId, message)
      lastSentToChat.set(key, Date.now())
      await markSent(deps.db, d.id, now(), result.messageId)
      stats.sent++
    } catch (err) {
      const e = err instanceof ChannelError ? err : undefined
      const reason = e ? e.message : String(err)
      if (e?.kind === 'blocked') {
        await markFinal(deps.db, d.id, 'blocked', reason)
        await setChatBlocked(deps.db, d.channel, d.chatId, now())
        stats.blocked++
      } else if (e?.kind === 'rate_limited') {
        const seconds = e.retryAfter ?? 5
        gate(d.channel).pause(seconds)
        await markRetry(deps.db, d.id, new Date(now().getTime() + seconds * 1000), reason)
        stats.retried++
      } else if ((e?.kind ?? 'transient') === 'transient' && d.attempts < MAX_ATTEMPTS) {
        const seconds = Math.min(MAX_BACKOFF_S, 2 ** d.attempts)
        await markRetry(deps.db, d.id, new Date(now().getTime() + seconds * 1000), reason)
        stats.retried++
      } else {
        deps.logger.warn({ deliveryId: d.id, channel: d.channel, error: reason }, 'delivery failed for good')
        await markFinal(deps.db, d.id, 'failed', reason)
        stats.failed++
      }
    }
  }

  /** Claims one batch of due deliveries and sends them. */
  async function runOnce(): Promise<DispatchStats> {
    const stats: DispatchStats = { claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0 }
    const batch = await claimDue(deps.db, deps.clock(), batchSize)
    stats.claimed = batch.length
    let next = 0
    const workers = Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
      while (next < batch.length) {
        const d = batch[next++]!
        await deliver(d, stats)
      }
    })
    await Promise.all(workers)
    return stats
  }

  /** Sends until nothing is due (or `maxMs` passes). For tests, the CLI and Workers' cron. */
  async function drain(maxMs = 60_000): Promise<DispatchStats> {
    const total: DispatchStats = { claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0 }
    const until = Date.now() + maxMs
    while (Date.now() < until) {
      const s = await runOnce()
      for (const k of Object.keys(total) as (keyof DispatchStats)[]) total[k] += s[k]
      if (s.claimed === 0) break
    }
    return total
  }

  return {
    runOnce,
    drain,
    /**
     * Requeues deliveries a crashed process left half-done. At the start of the only instance
     * (the SQLite default) every 'sending' row is stale; with several instances pass a cutoff.
     */
    recover: (claimedBefore = new Date(deps.clock().getTime() + 1000)) => requeueStale(deps.db, claimedBefore),
    start(idleMs = 1000) {
      if (!stopped) return
      stopped = false
      loop = (async () => {
        let lastSweep = Date.now()
        while (!stopped) {
          try {
            // Rows claimed long ago by an instance that died are taken back.
            if (Date.now() - lastSweep > 60_000) {
              lastSweep = Date.now()
              await requeueStale(deps.db, new Date(deps.clock().getTime() - STALE_CLAIM_MS))
            }
            const s = await runOnce()
            if (s.claimed === 0) await new Promise((r) => setTimeout(r, idleMs))
          } catch (err) {
            deps.logger.error({ err: describe(err) }, 'dispatcher loop failed; retrying')
            await new Promise((r) => setTimeout(r, idleMs))
          }
        }
      })()
    },
    async stop() {
      stopped = true
      await loop
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
