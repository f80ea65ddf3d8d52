import type { DeliveryRow } from '#db/schema/index.js'
import { REPLY_PRIORITY } from '#db/schema/index.js'
import type { ChannelName } from '../core/events.js'
import { errorDetails } from '../log.js'
import { pausedUntil } from './channel-rules.js'
import type { DispatchStats, LaneContext, LaneState } from './lane-state.js'
import { deliver, LONG_PAUSE_MS, requeue, settle } from './outcome.js'
import { claimDue, dueBehindOthers } from './queue.js'
import { createRateGate } from './rate-gate.js'
import { createSignal } from './signal.js'

export interface RunOptions {
  /** When a drain gives up (`now()` ms). */
  until: number
  /** Return once nothing is due; otherwise run until the dispatcher stops. */
  drain: boolean
  /** Claim replies only (a webhook's own replies on Workers). */
  repliesOnly?: boolean
  /** How long an idle lane waits before it looks again. */
  idleMs: number
  /** A drain claims at most this many deliveries, its lanes together (counted on the shared stats). */
  maxClaimed?: number
}

/** What one `run` keeps between the turns of its loop. */
interface Pass {
  /** The last claim found less than a batch: claim again only when poked or after the idle time. */
  exhausted: boolean
  lastClaimEmpty: boolean
  lastClaimAt: number
  lastSettle: number
  /** The drain's `maxClaimed` is reached: it claims nothing more and leaves once its rows are done. */
  spent?: boolean
}

type Step = 'next' | 'leave'

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function newLaneState(ctx: LaneContext, channel: ChannelName, rate: number, concurrency: number): LaneState {
  return {
    channel,
    gate: createRateGate(rate, ctx.now),
    concurrency,
    ready: [],
    busy: new Set(),
    chatNext: new Map(),
    done: new Map(),
    partsDone: new Map(),
    inflight: 0,
    pausedTill: 0,
    transientStreak: 0,
    probe: ctx.probeMin,
    wantReplies: false,
    repliesLeft: false,
    poked: false,
    running: Promise.resolve(),
    wake: createSignal(),
  }
}

/** How often a lane looks for replies left queued, unpoked (at most). */
const REPLIES_LEFT_MS = 200

/** Whether the replies already claimed are to enough chats to fill the lane's sends twice over. */
function enoughReplies(lane: LaneState): boolean {
  const chats = new Set<string>()
  for (const d of lane.ready) {
    if (d.priority < REPLY_PRIORITY) break // replies are kept ahead of pushes (admit)
    chats.add(d.chatId)
    if (chats.size >= lane.concurrency * 2) return true
  }
  return false
}

/** Adds claimed rows to the ready list: replies before pushes, each chat's rows in order. */
function admit(lane: LaneState, rows: DeliveryRow[]) {
  for (const r of rows) {
    if (r.priority >= REPLY_PRIORITY) {
      const at = lane.ready.findIndex((x) => x.priority < r.priority)
      if (at < 0) lane.ready.push(r)
      else lane.ready.splice(at, 0, r)
    } else lane.ready.push(r)
  }
}

/**
 * Claims the channel's due rows (replies only, when asked), after reading whether it is paused.
 * Returns whether it got all it asked for (more may be due).
 */
async function claim(ctx: LaneContext, lane: LaneState, stats: DispatchStats, pass: Pass, onlyReplies: boolean, maxClaimed = Infinity) {
  const { deps } = ctx
  pass.lastClaimAt = ctx.now()
  const size = Math.min(ctx.batchSize, maxClaimed - stats.claimed)
  if (size <= 0) {
    pass.spent = pass.exhausted = pass.lastClaimEmpty = true
    return true
  }
  let rows: DeliveryRow[] = []
  try {
    const paused = await pausedUntil(deps.db, lane.channel, deps.clock())
    lane.pausedTill = paused?.getTime() ?? 0
    rows = await claimDue(deps.db, deps.clock(), size, [lane.channel], onlyReplies ? REPLY_PRIORITY : 0)
    // The claim is committed before any of its rows is sent, so a restart knows what was in flight.
    await deps.committed()
  } catch (err) {
    deps.logger.error({ err: errorDetails(err), channel: lane.channel }, 'claiming deliveries failed')
    rows = []
  }
  stats.claimed += rows.length
  pass.lastClaimEmpty = rows.length === 0
  if (rows.length < size) pass.exhausted = true
  admit(lane, rows)
  return rows.length >= size
}

/**
 * Starts what may start: a free send slot, a chat not busy and past its interval. Returns when
 * the soonest chat held back by its interval may go (Infinity when none is).
 */
function startReady(ctx: LaneContext, lane: LaneState, stats: DispatchStats, now: number): number {
  let soonest = Infinity
  const skipped = new Set<string>()
  for (let i = 0; i < lane.ready.length && lane.inflight < lane.concurrency; ) {
    const d = lane.ready[i]!
    const key = d.chatId
    if (skipped.has(key) || lane.busy.has(key)) {
      skipped.add(key)
      i++
      continue
    }
    const at = lane.chatNext.get(key) ?? 0
    if (at > now) {
      soonest = Math.min(soonest, at)
      skipped.add(key)
      i++
      continue
    }
    lane.ready.splice(i, 1)
    lane.busy.add(key)
    if (ctx.perChatIntervalMs > 0) lane.chatNext.set(key, now + ctx.perChatIntervalMs)
    lane.inflight++
    void deliver(ctx, lane, d, stats)
      .catch((err) => ctx.deps.logger.error({ err: errorDetails(err), deliveryId: d.id }, 'delivery bookkeeping failed'))
      .finally(() => {
        lane.inflight--
        lane.busy.delete(key)
        // A reply to this chat queued behind this one could not be claimed before: look for it.
        if (d.priority >= REPLY_PRIORITY) lane.repliesLeft = true
        lane.wake.signal()
      })
  }
  if (lane.chatNext.size > 50_000) for (const [k, v] of lane.chatNext) if (v < now) lane.chatNext.delete(k)
  return soonest
}

/** Nothing ready, nothing in flight, nothing more claimed: a drain ends, a running lane idles. */
async function idle(ctx: LaneContext, lane: LaneState, opts: RunOptions, pass: Pass): Promise<Step> {
  if (opts.drain && pass.lastClaimEmpty && !pass.spent && ctx.now() + 250 < opts.until) {
    // Rows held back only by another sender's message to the same chat: wait for it.
    if (await dueBehindOthers(ctx.deps.db, ctx.deps.clock(), lane.channel).catch(() => false)) {
      await sleep(250)
      pass.exhausted = false
      return 'next'
    }
  }
  if (opts.drain && pass.lastClaimEmpty) return 'leave'
  if (!opts.drain) {
    await settle(ctx, lane)
    await lane.wake.wait(opts.idleMs)
  }
  pass.exhausted = false
  return 'next'
}

/** One turn of the loop: claim when there is room, start what may start, then wait for a reason to go on. */
async function turn(ctx: LaneContext, lane: LaneState, stats: DispatchStats, opts: RunOptions, pass: Pass): Promise<Step> {
  const paused = lane.gate.pausedFor()
  if (paused > LONG_PAUSE_MS) {
    // Hand the rows back, due when the pause ends, rather than holding them.
    if (lane.ready.length) await requeue(ctx, lane.ready.splice(0), new Date(ctx.deps.clock().getTime() + paused))
    if (opts.drain) return 'leave'
    await lane.wake.wait(Math.min(paused, opts.idleMs))
    return 'next'
  }
  const room = lane.ready.length < lane.concurrency * 2
  if (lane.poked || ctx.now() - pass.lastClaimAt > opts.idleMs) pass.exhausted = false
  lane.poked = false
  // A full lane claims replies ahead of its pushes only while the replies it holds would not keep
  // its sends busy: beyond that a new reply would wait behind them anyway, and is claimed when
  // there is room. Claiming at every webhook's poke made each claim step over the replies queued
  // behind the held ones (each chat's messages go in order), so a quiz burst whose replies outran
  // the bot's rate spent half the server's time in claims (README, Benchmarks: a city's morning).
  // Those left queued are claimed as soon as the held ones run low, ahead of the pushes held.
  // (A running lane only: a drain, as on Workers, claims until it finds nothing anyway.)
  const asked = lane.wantReplies || (!opts.drain && lane.repliesLeft && ctx.now() - pass.lastClaimAt >= REPLIES_LEFT_MS)
  const wantReplies = asked && (room || !enoughReplies(lane))
  if (asked && !wantReplies) lane.repliesLeft = true
  lane.wantReplies = false
  if ((room && !pass.exhausted) || wantReplies) {
    const onlyReplies = opts.repliesOnly || (wantReplies && !room)
    // A claim that found less than it asked for took every due reply (replies are claimed first).
    if (!(await claim(ctx, lane, stats, pass, !!onlyReplies, opts.maxClaimed))) lane.repliesLeft = false
  }
  const soonest = startReady(ctx, lane, stats, ctx.now())
  if (ctx.now() - pass.lastSettle > 1000 && lane.done.size) {
    pass.lastSettle = ctx.now()
    await settle(ctx, lane)
  }
  if (!lane.ready.length && !lane.inflight && pass.exhausted) return idle(ctx, lane, opts, pass)
  if (!pass.exhausted && lane.ready.length < lane.concurrency * 2) return 'next'
  const left = () => Math.max(0, opts.until - ctx.now())
  const wait = Number.isFinite(soonest) ? soonest - ctx.now() : opts.drain ? left() : opts.idleMs
  await lane.wake.wait(Math.min(wait, opts.drain ? left() : opts.idleMs))
  if (!opts.drain && !lane.ready.length && !lane.inflight) pass.exhausted = false
  return 'next'
}

/**
 * Claims and sends this channel's due deliveries. A drain returns once nothing is due (or
 * `until` passes); otherwise it runs until the dispatcher stops, idling `idleMs` between looks.
 */
async function run(ctx: LaneContext, lane: LaneState, stats: DispatchStats, opts: RunOptions) {
  const pass: Pass = { exhausted: false, lastClaimEmpty: false, lastClaimAt: 0, lastSettle: ctx.now() }
  const halt = () => (opts.drain ? ctx.now() >= opts.until : ctx.stopped())
  for (;;) {
    if (halt() || (await turn(ctx, lane, stats, opts, pass)) === 'leave') break
  }
  // Leaving: what was claimed but not started goes back at once; what is in flight finishes
  // (a stop may stop waiting for it: its row stays 'sending' and the next start requeues it).
  if (lane.ready.length) await requeue(ctx, lane.ready.splice(0))
  while (lane.inflight > 0) await lane.wake.wait(1000)
  if (lane.ready.length) await requeue(ctx, lane.ready.splice(0))
  await settle(ctx, lane)
}

/** A reply to `chatId` may go out now, outside this lane (in a webhook's response): takes the slot. */
function grantWebhookReply(ctx: LaneContext, lane: LaneState, chatId: string): boolean {
  const now = ctx.now()
  if (lane.busy.has(chatId) || (lane.chatNext.get(chatId) ?? 0) > now || lane.ready.some((d) => d.chatId === chatId)) return false
  if (!lane.gate.tryTake()) return false
  if (ctx.perChatIntervalMs > 0) lane.chatNext.set(chatId, now + ctx.perChatIntervalMs)
  return true
}

export interface Lane {
  grantWebhookReply(chatId: string): boolean
  /** One run at a time per lane: a second caller waits for the first. */
  run(stats: DispatchStats, opts: RunOptions): Promise<void>
  /** Look for work now; `replies` to claim queued replies even when the lane is full. */
  poke(replies: boolean): void
}

/** One channel's sender: its pace (`RateGate`), its chats' intervals, its sends in flight. */
export function createLane(ctx: LaneContext, channel: ChannelName, rate: number, concurrency: number): Lane {
  const state = newLaneState(ctx, channel, rate, concurrency)
  return {
    grantWebhookReply: (chatId) => grantWebhookReply(ctx, state, chatId),
    run(stats, opts) {
      const next = state.running.then(() => run(ctx, state, stats, opts))
      state.running = next.catch(() => {})
      return next
    },
    poke(replies) {
      if (replies) state.wantReplies = true
      state.poked = true
      state.wake.signal()
    },
  }
}
