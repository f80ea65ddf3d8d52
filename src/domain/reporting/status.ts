import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { chatLinks, people, reports, type ReportPeriodRow, type ReportRow, type UnitRow, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import { chunk, MAX_BOUND_PARAMETERS } from '../../util.js'
import { hasRole } from '../directory/people.js'
import { requiredUnits } from './periods.js'

export interface Contact {
  personId: number
  fullName: string
  locale: Locale
  /** Roles that make this person a contact of the unit (focal_point, manager). */
  roles: string[]
  /** Their most recently linked chat that has not blocked the bot, or null. */
  chat: { channel: ChannelName; chatId: string } | null
}

export type UnitState = 'on_time' | 'late' | 'missing'

export interface UnitStatus {
  unit: UnitRow
  state: UnitState
  /** `submittedByName` is null when the sender was erased: the report stays, its sender is anonymous. */
  report: (ReportRow & { submittedByName: string | null }) | null
  focalPoints: Contact[]
  managers: Contact[]
  /** No focal point in the directory, or none of them linked to a chat: the unit cannot be reminded. */
  noLinkedFocalPoint: boolean
}

export interface PeriodStatus {
  totals: { units: number; submitted: number; onTime: number; late: number; missing: number; noLinkedFocalPoint: number }
  units: UnitStatus[]
}

/**
 * Focal points and managers of the given units, each with one reachable chat (the most recently
 * linked one that is not blocked), read in two queries whatever the number of units.
 */
export async function unitContacts(db: Db, unitIds: readonly number[]) {
  const byUnit = new Map<number, { focalPoints: Contact[]; managers: Contact[] }>()
  for (const id of unitIds) byUnit.set(id, { focalPoints: [], managers: [] })
  // The unit ids are bound with a few more values; D1 binds at most 100 to a statement.
  for (const part of chunk(unitIds, MAX_BOUND_PARAMETERS - 10)) {
    const rows = await db
      .select({
        personId: people.id,
        unitId: people.unitId,
        fullName: people.fullName,
        locale: people.locale,
        roles: people.roles,
        channel: chatLinks.channel,
        chatId: chatLinks.chatId,
        linkedAt: chatLinks.linkedAt,
      })
      .from(people)
      .leftJoin(chatLinks, and(eq(chatLinks.personId, people.id), isNull(chatLinks.blockedAt)))
      .where(and(inArray(people.unitId, [...part]), isNull(people.erasedAt), sql`(${hasRole('focal_point')} or ${hasRole('manager')})`))
      .orderBy(people.id)
    const seen = new Map<number, Contact & { linkedAt: number }>()
    const unitOf = new Map<number, number>()
    for (const r of rows) {
      unitOf.set(r.personId, r.unitId)
      const linkedAt = r.linkedAt?.getTime() ?? -1
      const prev = seen.get(r.personId)
      if (prev && prev.linkedAt >= linkedAt) continue
      seen.set(r.personId, {
        personId: r.personId,
        fullName: r.fullName,
        locale: r.locale,
        roles: r.roles.filter((x) => x === 'focal_point' || x === 'manager'),
        chat: r.channel && r.chatId ? { channel: r.channel, chatId: r.chatId } : null,
        linkedAt,
      })
    }
    for (const { linkedAt: _l, ...c } of seen.values()) {
      const entry = byUnit.get(unitOf.get(c.personId)!)!
      if (c.roles.includes('focal_point')) entry.focalPoints.push(c)
      if (c.roles.includes('manager')) entry.managers.push(c)
    }
  }
  return byUnit
}

/** Latest version of each unit's report in a period. */
export async function latestReports(db: Db, periodId: number) {
  const rows = await db
    .select({ report: reports, submittedByName: sql<string | null>`case when ${people.erasedAt} is null then ${people.fullName} end` })
    .from(reports)
    .innerJoin(people, eq(people.id, reports.submittedBy))
    .where(
      and(
        eq(reports.periodId, periodId),
        sql`${reports.version} = (select max(r2.version) from reports r2 where r2.period_id = ${reports.periodId} and r2.unit_id = ${reports.unitId})`,
      ),
    )
  return new Map(rows.map((r) => [r.report.unitId, { ...r.report, submittedByName: r.submittedByName }]))
}

/** Who is done, late or missing in a period, and who can be reached about it. */
export async function periodStatus(db: Db, period: ReportPeriodRow): Promise<PeriodStatus> {
  const required = await requiredUnits(db, period)
  const [latest, contacts] = await Promise.all([latestReports(db, period.id), unitContacts(db, required.map((u) => u.id))])
  const totals = { units: required.length, submitted: 0, onTime: 0, late: 0, missing: 0, noLinkedFocalPoint: 0 }
  const list = required.map((unit): UnitStatus => {
    const report = latest.get(unit.id) ?? null
    const { focalPoints, managers } = contacts.get(unit.id)!
    const state: UnitState = !report ? 'missing' : report.late ? 'late' : 'on_time'
    const noLinkedFocalPoint = !focalPoints.some((f) => f.chat)
    if (report) totals.submitted++
    if (state === 'on_time') totals.onTime++
    else if (state === 'late') totals.late++
    else totals.missing++
    if (noLinkedFocalPoint) totals.noLinkedFocalPoint++
    return { unit, state, report, focalPoints, managers, noLinkedFocalPoint }
  })
  return { totals, units: list }
}
