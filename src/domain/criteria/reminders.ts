import { and, eq, isNotNull } from 'drizzle-orm'
import { criteriaAssessments, units } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { choiceIds } from '../../core/choice-ids.js'
import { enqueue } from '../../delivery/queue.js'
import { formatDateTime, translate } from '../../i18n.js'
import { localDay, startOfLocalDay } from '../../time.js'
import { resolveAudience } from '../audience.js'
import { isWorkingDay, loadCalendar } from '../calendar/working.js'
import { manualCriteriaFor, openSet } from './chat.js'

/**
 * While a published set's self-assessment window is open, on working days only: the focal points
 * of every unit that has not self-assessed all its manual criteria are reminded, once a day per
 * unit and person (dedupe key), with a button that starts /tudanhgia.
 */
export async function remindSelfAssessment(deps: AppDeps, now: Date): Promise<{ selfAssessReminders: number; units: number }> {
  const { db } = deps
  const tz = deps.config.timezone
  const none = { selfAssessReminders: 0, units: 0 }
  const row = await openSet(db, now)
  if (!row) return none
  const today = localDay(now, tz)
  if (!isWorkingDay(today, await loadCalendar(db, today, today))) return none
  const done = await db
    .select({ unitId: criteriaAssessments.unitId, criterion: criteriaAssessments.criterion })
    .from(criteriaAssessments)
    .where(and(eq(criteriaAssessments.year, row.year), isNotNull(criteriaAssessments.selfAt)))
  const assessed = new Set(done.map((d) => `${d.unitId}|${d.criterion}`))
  const pending = new Map<number, { name: string; left: number; count: number }>()
  for (const u of await db.select({ id: units.id, name: units.name, kind: units.kind }).from(units)) {
    const codes = manualCriteriaFor(row, u.kind).map((c) => c.code)
    const left = codes.filter((c) => !assessed.has(`${u.id}|${c}`)).length
    if (left > 0) pending.set(u.id, { name: u.name, left, count: codes.length })
  }
  if (pending.size === 0) return none
  // City-wide, then filtered here: a list of unit codes would bind more values than D1 allows.
  const focal = await resolveAudience(db, { unitCodes: [], includeSubunits: true, roles: ['focal_point'], platforms: [] })
  const expiresAt = new Date(startOfLocalDay(new Date(now.getTime() + 86_400_000), tz).getTime() - 1000)
  const rows = focal.recipients.flatMap((r) => {
    const unit = pending.get(r.unitId)
    if (!unit) return []
    const params = { year: row.year, unit: unit.name, left: unit.left, count: unit.count, date: row.closesAt ? formatDateTime(row.closesAt, tz) : '' }
    const text = translate(r.locale, row.closesAt ? 'criteria.chat.remindUntil' : 'criteria.chat.remind', params)
    const payload = { text, choices: [{ id: choiceIds.selfAssess.start, label: translate(r.locale, 'criteria.chat.startButton') }] }
    return [{ source: 'message', sourceId: 0, personId: r.personId, channel: r.channel, chatId: r.chatId, locale: r.locale, payload, expiresAt, dedupeKey: `criteria-self:${row.year}:${today}:unit:${r.unitId}:person:${r.personId}` }]
  })
  return { selfAssessReminders: await enqueue(db, rows, now), units: pending.size }
}
