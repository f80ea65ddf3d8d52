import { inArray } from 'drizzle-orm'
import { people, units } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { zonedTime } from '../../time.js'
import { planReminders } from './reminders.js'

/** The hour the reminders job runs (jobs/index.ts: 08:00 local). */
const REMINDER_TIME = '08:00:00'

export interface ReminderPreviewItem {
  periodId: number
  personId: number
  fullName: string
  unitCode: string | null
  unitName: string | null
  kind: 'before' | 'overdue' | 'summary'
  channel: string
}

/**
 * Who the reminders job would message on `day` (yyyy-mm-dd, at its 08:00 run), as the records
 * stand now: nothing is queued or sent. Optionally for one period only. The job runs daily, so a
 * day between two stages of the schedule messages nobody (the stage before it was that day's run).
 */
export async function previewReminders(deps: AppDeps, day: string, periodId?: number): Promise<ReminderPreviewItem[]> {
  const at = zonedTime(day, REMINDER_TIME, deps.config.timezone)
  const planned = (await planReminders(deps, at)).planned.filter((p) => p.firesOn === day && (periodId === undefined || p.periodId === periodId))
  if (planned.length === 0) return []
  const personIds = [...new Set(planned.map((p) => p.row.personId!))]
  const unitIds = [...new Set(planned.flatMap((p) => (p.unitId === null ? [] : [p.unitId])))]
  const names = new Map(
    (await deps.db.select({ id: people.id, fullName: people.fullName }).from(people).where(inArray(people.id, personIds))).map((p) => [p.id, p.fullName]),
  )
  const unitRows = unitIds.length ? await deps.db.select().from(units).where(inArray(units.id, unitIds)) : []
  const unitsById = new Map(unitRows.map((u) => [u.id, u]))
  return planned
    .map((p) => {
      const unit = p.unitId === null ? undefined : unitsById.get(p.unitId)
      return {
        periodId: p.periodId,
        personId: p.row.personId!,
        fullName: names.get(p.row.personId!) ?? '',
        unitCode: unit?.code ?? null,
        unitName: unit?.name ?? null,
        kind: p.kind,
        channel: p.row.channel,
      }
    })
    .sort((a, b) => (a.unitName ?? '').localeCompare(b.unitName ?? '', 'vi') || a.fullName.localeCompare(b.fullName, 'vi'))
}
