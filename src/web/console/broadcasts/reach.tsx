import type { Context } from 'hono'
import { actionChannels } from '#src/core/events.js'
import type { AppDeps } from '#src/deps.js'
import { broadcastStats, type BroadcastRow } from '#src/domain/broadcast/service.js'
import { broadcastUnitResults } from '#src/domain/broadcast/units.js'
import { formatDateTime } from '#src/i18n.js'
import { pageText } from '../../locale.js'

/**
 * Which route reached whom, for one broadcast: read confirmations by channel (the chats and the
 * phone page), how often its public page was opened, and per unit whether the focal point relayed
 * it into the school's group, who of the unit opened the page, and who read it. The same figures
 * as GET /api/broadcasts/:id (byChannel) and GET /api/broadcasts/:id/units.
 */
export async function BroadcastReach({ c, deps, broadcast }: { c: Context; deps: AppDeps; broadcast: BroadcastRow }) {
  const { t } = pageText(c)
  const tz = deps.config.timezone
  const [{ byChannel }, units] = await Promise.all([broadcastStats(deps.db, broadcast.id), broadcastUnitResults(deps.db, broadcast)])
  const list = actionChannels.map((ch) => `${t(`channel.${ch}`)} ${byChannel.acknowledged[ch] ?? 0}`).join(', ')
  return (
    <section aria-labelledby="reach-routes" data-reach>
      <h2 id="reach-routes">{t('consoleReach.title')}</h2>
      <p data-by-channel>{t('consoleReach.byChannel', { list, opened: byChannel.opened, people: byChannel.openedByIdentified })}</p>
      <div class="table-wrap" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('consoleReach.unit')}</th>
              <th scope="col">{t('consoleReach.relay')}</th>
              <th scope="col" class="num">
                {t('consoleReach.opened')}
              </th>
              <th scope="col" class="num">
                {t('consoleReach.acknowledged')}
              </th>
            </tr>
          </thead>
          <tbody>
            {units.items.map((u) => {
              const r = u.relay
              const relay = !r
                ? t('consoleReach.notRelayed')
                : r.status === 'relayed'
                  ? t('consoleReach.relayed', {
                      time: r.relayedAt ? formatDateTime(new Date(r.relayedAt), tz) : '',
                      by: r.relayedBy ? t('consoleReach.by', { name: r.relayedBy.fullName }) : '',
                    })
                  : r.status === 'waiting'
                    ? t('consoleReach.waiting', { count: r.focalPoints })
                    : r.status === 'no_linked_focal_point'
                      ? t('consoleReach.noLinkedFocal')
                      : t('consoleReach.noFocal')
              return (
                <tr data-reach-unit={u.unitCode} data-relay={r?.status ?? 'none'}>
                  <th scope="row">{u.unitName}</th>
                  <td>
                    <span class={`badge ${r?.status === 'relayed' ? 'met' : r?.status === 'waiting' ? 'close' : 'unknown'}`}>{relay}</span>
                  </td>
                  <td class="num">{u.opened}</td>
                  <td class="num">
                    {u.acknowledged}/{u.recipients}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}
