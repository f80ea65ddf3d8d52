import type { Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { channelStates, LAPSE_WARNING_MS } from '#src/domain/channels.js'
import { formatDateTime } from '#src/i18n.js'
import { pageText } from '../../locale.js'

/**
 * What the admins must act on about the channels, at the top of the console's home: a channel
 * paused by a spent quota, a bot near (80 %) or at its plan's user limit, an OA token that failed to refresh or will lapse within a week, an OA
 * that is configured but not connected. The same states as GET /api/channels; nothing when all is well.
 */
export async function ChannelAlerts({ c, deps }: { c: Context; deps: AppDeps }) {
  const { t } = pageText(c)
  const now = deps.clock()
  const tz = deps.config.timezone
  const alerts: { kind: 'error' | 'warn'; text: string }[] = []
  const states = await channelStates(deps, { quota: false })
  if (!states.some((s) => s.on)) return <NoMessenger c={c} />
  for (const s of states) {
    if (!s.on) continue
    const name = t(`channel.${s.channel}`)
    if (s.users?.warning) {
      const users = { channel: name, used: s.users.used, limit: s.users.limit }
      alerts.push(s.users.reached ? { kind: 'error', text: t('web.console.channels.usersReached', users) } : { kind: 'warn', text: t('web.console.channels.usersNear', users) })
    }
    if (s.paused) alerts.push({ kind: 'warn', text: t('web.console.channels.paused', { channel: name, until: formatDateTime(new Date(s.paused.until), tz), reason: s.paused.reason }) })
    if (s.lastRefreshError) alerts.push({ kind: 'error', text: t('web.console.channels.refreshFailed', { channel: name, error: s.lastRefreshError }) })
    else if (!s.connected) alerts.push({ kind: 'warn', text: t('web.console.channels.notConnected', { channel: name }) })
    else if (s.refreshTokenExpiresAt && new Date(s.refreshTokenExpiresAt).getTime() - now.getTime() < LAPSE_WARNING_MS) {
      alerts.push({ kind: 'warn', text: t('web.console.channels.lapsing', { channel: name, at: formatDateTime(new Date(s.refreshTokenExpiresAt), tz) }) })
    }
  }
  if (alerts.length === 0) return null
  return (
    <section aria-label={t('web.console.channels.title')} data-channel-alerts>
      {alerts.map((a) => (
        <p class={`notice ${a.kind}`} role={a.kind === 'error' ? 'alert' : 'status'}>
          {a.text}
        </p>
      ))}
    </section>
  )
}

/**
 * Until a messenger is on, nobody can be reached: the overview and the compose page say so and
 * link to /admin/channels (where an admin turns one on).
 */
export function NoMessenger({ c }: { c: Context }) {
  const { t } = pageText(c)
  return (
    <p class="notice warn" role="status" data-no-messenger>
      {t('consoleChannels.noMessenger')} <a href="/admin/channels">{t('consoleChannels.noMessengerLink')}</a>
    </p>
  )
}
