import type { Context } from 'hono'
import type { Db } from '#db/types.js'
import { broadcastStats, remindersSent, unacknowledgedByUnit, type BroadcastRow } from '#src/domain/broadcast/service.js'
import { broadcastUnitResults } from '#src/domain/broadcast/units.js'
import { groupByWard, wardsByUnitCode } from '#src/domain/unit-wards.js'
import { formatDateTime, formatPercent, type Translate } from '#src/i18n.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import type { Locale } from '#db/schema/index.js'

interface Row {
  unitCode: string
  unitName: string
  people: number
  recipients: number
  sent: number
  failed: number
  acknowledged: number
}

/**
 * The "Kết quả theo đơn vị" table of a broadcast: every unit of its audience, those nobody was
 * reached in included (0 %), grouped by ward, each with its people, recipients, deliveries, reads
 * and read share (of its people, linked or not), who has not read it and a one-click reminder.
 */
export async function BroadcastUnitTable({ c, db, broadcast: b, canRemind, zone }: { c: Context; db: Db; broadcast: BroadcastRow; canRemind: boolean; zone: string }) {
  const { t, locale } = pageText(c)
  const [{ byUnit }, results, pending, reminders, wards] = await Promise.all([
    broadcastStats(db, b.id),
    broadcastUnitResults(db, b),
    unacknowledgedByUnit(db, b.id),
    remindersSent(db, b.id),
    wardsByUnitCode(db),
  ])
  const sent = new Map(byUnit.map((u) => [u.unitCode, u]))
  const rows: Row[] = results.items.map((u) => {
    const s = sent.get(u.unitCode)
    return { unitCode: u.unitCode, unitName: u.unitName, people: u.people, recipients: u.recipients, sent: s?.sent ?? 0, failed: (s?.failed ?? 0) + (s?.blocked ?? 0), acknowledged: u.acknowledged }
  })
  if (rows.length === 0) return <p>{t('consoleContent.broadcasts.none')}</p>
  const remindable = Boolean(b.requireAck && b.expandedAt && b.status !== 'cancelled' && canRemind)
  const columns = b.requireAck ? 8 : 5
  return (
    <div class="table-wrap" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('consoleContent.broadcasts.unit')}</th>
            {(['audiencePeople', 'recipients', 'sent', 'failed'] as const).map((k) => (
              <th scope="col" class="num">
                {t(`consoleContent.broadcasts.${k}`)}
              </th>
            ))}
            {b.requireAck && (
              <>
                <th scope="col" class="num">
                  {t('consoleContent.broadcasts.acknowledged')}
                </th>
                <th scope="col" class="num">
                  {t('consoleContent.broadcasts.ackShare')}
                </th>
                <th scope="col">{t('consoleContent.broadcasts.notAcked')}</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {groupByWard(rows, wards).map((g) => (
            <>
              <tr class="group" data-ward-group={g.ward?.code ?? ''}>
                <th scope="rowgroup" colspan={columns}>
                  {g.ward ? `${g.ward.name} (${g.ward.code})` : t('consoleContent.broadcasts.noWard')}
                </th>
              </tr>
              {g.rows.map((u) => (
                <UnitRow c={c} t={t} locale={locale} zone={zone} b={b} u={u} names={pending.get(u.unitCode) ?? []} reminders={reminders.get(u.unitCode)} remindable={remindable} />
              ))}
            </>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function UnitRow(p: {
  c: Context
  t: Translate
  locale: Locale
  zone: string
  b: BroadcastRow
  u: Row
  names: { fullName: string }[]
  reminders: { count: number; last: Date } | undefined
  remindable: boolean
}) {
  const { t, u, names } = p
  return (
    <tr data-unit={u.unitCode} data-read-share={u.people ? String(u.acknowledged / u.people) : ''}>
      <th scope="row">
        {u.unitName} <span class="muted">({u.unitCode})</span>
        {u.people > u.recipients && (
          <a class="hint not-reached" href={`/admin/directory/linking?unit=${encodeURIComponent(u.unitCode)}`}>
            {t('consoleContent.broadcasts.notReachedLink', { n: u.people - u.recipients })}
          </a>
        )}
      </th>
      <td class="num">{u.people}</td>
      <td class="num">{u.recipients}</td>
      <td class="num">{u.sent}</td>
      <td class="num">{u.failed}</td>
      {p.b.requireAck && (
        <>
          <td class="num">{u.acknowledged}</td>
          <td class="num">{formatPercent(u.people ? u.acknowledged / u.people : null, p.locale)}</td>
          <td>
            {names.length > 0 && <span class="names">{names.map((n) => n.fullName).join(', ')}</span>}
            {p.reminders && <p class="hint">{t('consoleContent.broadcasts.remindersSent', { count: p.reminders.count, time: formatDateTime(p.reminders.last, p.zone) })}</p>}
            {p.remindable && names.length > 0 && (
              <form method="post" action={`/admin/broadcasts/${p.b.id}/remind`} class="inline">
                <CsrfField c={p.c} />
                <input type="hidden" name="unitCode" value={u.unitCode} />
                <button type="submit" class="secondary small" aria-label={`${t('consoleContent.broadcasts.remind', { n: names.length })} — ${u.unitName}`}>
                  {t('consoleContent.broadcasts.remind', { n: names.length })}
                </button>
              </form>
            )}
          </td>
        </>
      )}
    </tr>
  )
}
