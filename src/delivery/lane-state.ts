import type { DeliveryRow } from '#db/schema/index.js'
import type { ChannelName } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import type { RateGate } from './rate-gate.js'
import type { Renderers } from './render.js'
import type { Signal } from './signal.js'

export interface DispatchStats {
  claimed: number
  sent: number
  retried: number
  failed: number
  blocked: number
  /** Moved to another linked chat of the person (window closed, quota spent on this channel). */
  moved: number
}

export const emptyStats = (): DispatchStats => ({ claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0, moved: 0 })

/** What a spent quota tells the features (the admins hear of it there): the channel is paused until `until`. */
export interface QuotaSpent {
  channel: ChannelName
  until: Date
  /** The platform's words. */
  error: string
  now: Date
}
export type QuotaSpentHook = (deps: AppDeps, spent: QuotaSpent) => Promise<void>

/** What every lane of one dispatcher shares: its settings, its clock and its hooks. */
export interface LaneContext {
  deps: AppDeps
  renderers: Renderers
  /**
   * The dispatcher's one clock, in milliseconds: pacing, waits, deadlines and the rate gate. The
   * rows' own times (due, sent, expired) are the app's `deps.clock()`, which it defaults to.
   */
  now: () => number
  batchSize: number
  /** Least time between two messages to one chat. */
  perChatIntervalMs: number
  /** The outage pause: first, and most after doubling. */
  probeMin: number
  probeMax: number
  /** How long a delivery without its own `expiresAt` is tried. */
  horizonMs: number
  onQuotaSpent?: QuotaSpentHook
  /** Wakes another channel's lane (a delivery moved there). */
  pokeLane: (channel: ChannelName) => void
  /** The started dispatcher was stopped (a lane that does not drain runs until then). */
  stopped: () => boolean
}

/** One channel's lane: its pace and what it holds between two turns of its loop. */
export interface LaneState {
  channel: ChannelName
  gate: RateGate
  /** Sends in flight at once. */
  concurrency: number
  /** Claimed rows not yet started: replies first, each chat's rows in order. */
  ready: DeliveryRow[]
  /** Chats with a send in flight. */
  busy: Set<string>
  /** The earliest time (`now()`) each chat may get its next message. */
  chatNext: Map<string, number>
  /** Source ids whose deliveries became final, for the features' `settle`. */
  done: Map<string, Set<number>>
  /** Parts of multi-part deliveries already accepted, so a retry sends only the rest. */
  partsDone: Map<number, number>
  inflight: number
  /** Until when this channel is paused (a spent quota, `deps.clock()` ms), as last read or set; 0 when it is not. */
  pausedTill: number
  /** Transient failures in a row: OUTAGE_AFTER of them make an outage. */
  transientStreak: number
  /** The next outage pause. */
  probe: number
  /** Replies were queued: claim them even when the lane is full. */
  wantReplies: boolean
  /** Replies were left queued while the lane held enough: claim them once those run low. */
  repliesLeft: boolean
  /** Work was queued: look again now rather than after the idle time. */
  poked: boolean
  /** The run under way; a second one waits for it. */
  running: Promise<void>
  wake: Signal
}
