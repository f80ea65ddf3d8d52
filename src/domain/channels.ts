import { channelPauses } from '../../db/schema/index.js'
import { channelNames, type ChannelName } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { liftPause, sentThisMonth } from '../delivery/channel-rules.js'

export interface ChannelState {
  channel: ChannelName
  /** Configured (a token, or the OA's app credentials). */
  on: boolean
  /** Able to send: on, and for an OAuth channel, tokens stored and not lapsed. */
  connected: boolean
  accessTokenExpiresAt: string | null
  refreshTokenExpiresAt: string | null
  lastRefreshError: string | null
  quota: { usedThisMonth: number; monthly: number | null }
  limits: { ratePerSecond: number; perChatIntervalMs: number; windowHours: number | null } | null
  paused: { until: string; reason: string; since: string } | null
}

/** What GET /api/channels shows: every channel's state, limits, quota used and pause. */
export async function channelStates(deps: AppDeps): Promise<ChannelState[]> {
  const now = deps.clock()
  const pauses = await deps.db.select().from(channelPauses)
  const out: ChannelState[] = []
  for (const channel of channelNames) {
    const adapter = deps.channels[channel]
    const status = adapter?.connection ? await adapter.connection.status() : null
    const pause = pauses.find((p) => p.channel === channel && p.pausedUntil > now)
    const limits = adapter?.limits
    out.push({
      channel,
      on: !!adapter,
      connected: !!adapter && (status ? status.connected : true),
      accessTokenExpiresAt: status?.accessExpiresAt?.toISOString() ?? null,
      refreshTokenExpiresAt: status?.refreshExpiresAt?.toISOString() ?? null,
      lastRefreshError: status?.lastError ?? null,
      quota: { usedThisMonth: await sentThisMonth(deps.db, channel, now, deps.config.timezone), monthly: limits?.monthlyQuota || null },
      limits: limits ? { ratePerSecond: limits.ratePerSecond, perChatIntervalMs: limits.perChatIntervalMs, windowHours: limits.windowHours ?? null } : null,
      paused: pause ? { until: pause.pausedUntil.toISOString(), reason: pause.reason, since: pause.pausedAt.toISOString() } : null,
    })
  }
  return out
}

export { liftPause }
