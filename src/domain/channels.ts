import { channelPauses } from '#db/schema/index.js'
import { channelNames, type ChannelName } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { liftPause, sentThisMonth } from '../delivery/channel-rules.js'
import { formatDateTime, translator } from '../i18n.js'
import { localDay } from '../time.js'
import { notifyAdmins } from './admin-notices.js'
import { userLimitOf, type UserLimitState } from './bot-users.js'
import { sourceOf } from './channel-admin.js'

export interface ChannelState {
  channel: ChannelName
  /** Configured (a token, or the OA's app credentials). */
  on: boolean
  /** Where: environment variables (read-only in the console), the console (/admin/channels), or nowhere. */
  source: 'env' | 'console' | null
  /** Able to send: on, and for an OAuth channel, tokens stored and not lapsed. */
  connected: boolean
  accessTokenExpiresAt: string | null
  refreshTokenExpiresAt: string | null
  lastRefreshError: string | null
  quota: { usedThisMonth: number; monthly: number | null }
  /** The bot's users (distinct chats: staff and subscribers) against its plan's limit; null without one. */
  users: UserLimitState | null
  limits: { ratePerSecond: number; perChatIntervalMs: number; windowHours: number | null } | null
  paused: { until: string; reason: string; since: string } | null
}

/**
 * What GET /api/channels shows: every channel's state, limits, quota used and pause. With
 * `quota: false` the month's sent count (a count over the month's deliveries per channel) is left
 * at 0: the console's alerts need only the pause and the tokens.
 */
export async function channelStates(deps: AppDeps, options: { quota?: boolean } = {}): Promise<ChannelState[]> {
  const now = deps.clock()
  const pauses = await deps.db.select().from(channelPauses)
  const out: ChannelState[] = []
  for (const channel of channelNames) {
    const adapter = deps.channels[channel]
    const status = adapter?.connection ? await adapter.connection.status() : null
    const pause = pauses.find((p) => p.channel === channel && p.pausedUntil > now)
    const limits = adapter?.limits
    const used = options.quota === false ? 0 : await sentThisMonth(deps.db, channel, now, deps.config.timezone)
    out.push({
      channel,
      on: !!adapter,
      source: sourceOf(deps, channel),
      connected: !!adapter && (status ? status.connected : true),
      accessTokenExpiresAt: status?.accessExpiresAt?.toISOString() ?? null,
      refreshTokenExpiresAt: status?.refreshExpiresAt?.toISOString() ?? null,
      lastRefreshError: status?.lastError ?? null,
      quota: { usedThisMonth: used, monthly: limits?.monthlyQuota || null },
      users: await userLimitOf(deps.db, channel, adapter),
      limits: limits ? { ratePerSecond: limits.ratePerSecond, perChatIntervalMs: limits.perChatIntervalMs, windowHours: limits.windowHours ?? null } : null,
      paused: pause ? { until: pause.pausedUntil.toISOString(), reason: pause.reason, since: pause.pausedAt.toISOString() } : null,
    })
  }
  return out
}

export { liftPause }

/** The access token is refreshed when less than this remains (Zalo's last 25 h; platforms.md suggests 6 h). */
export const REFRESH_AHEAD_MS = 6 * 3_600_000
/** Admins are told this long before the refresh token would lapse. */
export const LAPSE_WARNING_MS = 7 * 86_400_000

/**
 * The 'channel-tokens' job: refreshes the OA's access token ahead of expiry (the refresh token
 * rotates; the store writes the new pair atomically), tells the admins in chat at once when a
 * refresh fails (once a day while it keeps failing), and a week before the refresh token lapses.
 */
export async function maintainChannelTokens(deps: AppDeps, now: Date): Promise<Record<string, unknown>> {
  const connection = deps.channels.zalo_oa?.connection
  if (!connection) return { zalo_oa: 'off' }
  const tz = deps.config.timezone
  let outcome: string
  let told = 0
  try {
    outcome = await connection.refreshIfDue(now, REFRESH_AHEAD_MS)
  } catch (err) {
    outcome = 'refresh_failed'
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 200)
    const status = await connection.status()
    const expires = status.accessExpiresAt ? formatDateTime(status.accessExpiresAt, tz) : '?'
    told = await notifyAdmins(
      deps.db,
      `oa-refresh-failed:${localDay(now, tz)}`,
      (locale) => ({ text: translator(locale)('channels.oaRefreshFailed', { error, expires }) }),
      now,
      'zalo_oa',
    )
    deps.logger.error({ channel: 'zalo_oa', error }, 'oa token refresh failed')
  }
  // The refresh token lapses only when refreshes keep failing (each one issues a new token).
  const status = await connection.status()
  let warned = 0
  if (status.refreshExpiresAt && status.refreshExpiresAt.getTime() - now.getTime() < LAPSE_WARNING_MS) {
    const expires = formatDateTime(status.refreshExpiresAt, tz)
    warned = await notifyAdmins(
      deps.db,
      `oa-refresh-lapse:${status.refreshExpiresAt.toISOString()}`,
      (locale) => ({ text: translator(locale)('channels.oaRefreshLapsing', { expires }) }),
      now,
      'zalo_oa',
    )
  }
  return { zalo_oa: outcome, ...(told ? { adminsTold: told } : {}), lapseWarnings: warned }
}
