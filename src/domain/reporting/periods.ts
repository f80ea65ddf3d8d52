import { and, count, desc, eq, gt, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { criteriaSets, reportPeriods, reports, unitKinds, units, type ReportPeriodRow, type UnitRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../../errors.js'
import { subtreeUnitIds } from '../directory/units.js'
import { localDay, zonedTime } from '../../time.js'
import { effectiveDue, loadCalendar } from '../calendar/working.js'

/** Days counted from the deadline, kept in the order they come: remindDaysBefore 7, 3, 1, 0; escalateDaysAfter 1, 3, 7. */
const dayList = (order: 1 | -1) =>
  z
    .array(z.number().int().min(0).max(365))
    .max(30)
    .transform((days) => [...new Set(days)].sort((a, b) => order * (a - b)))

/** `dueAt` is a time with its offset, or a bare day meaning the end of that day in APP_TIMEZONE. */
const whenSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()])

export const periodInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    dueAt: whenSchema,
    unitKinds: z.array(z.enum(unitKinds)).max(unitKinds.length).default([]),
    unitCodes: z.array(z.string().trim().min(1)).max(5000).default([]),
    /** With unitCodes: the units below them must report too. */
    includeSubunits: z.boolean().default(false),
    remindDaysBefore: dayList(-1).default([7, 3, 1, 0]),
    escalateDaysAfter: dayList(1)
      .refine((d) => !d.includes(0), 'api.checks.daysAfterFromOne')
      .default([1, 3, 7]),
    /** Until when late reports are taken; default 30 days after the deadline. */
    closesAt: whenSchema.optional(),
    /** Ties the period to that year's criteria set: its status carries each unit's self-assessment. */
    criteriaYear: z.number().int().min(2000).max(2200).optional(),
  })
  .strict()
export type PeriodInput = z.infer<typeof periodInputSchema>

function toInstant(value: string, timeZone: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? zonedTime(value, '23:59:59', timeZone) : new Date(value)
}

/** Opens a period; 422 for unknown unit codes, a filter that matches no unit, or a closing before the deadline. */
export async function createPeriod(db: Db, input: PeriodInput, timeZone: string): Promise<ReportPeriodRow> {
  const dueAt = toInstant(input.dueAt, timeZone)
  const closesAt = input.closesAt ? toInstant(input.closesAt, timeZone) : new Date(dueAt.getTime() + 30 * 86_400_000)
  if (closesAt < dueAt) throw new AppError('unprocessable', 'api.errors.closesBeforeDue')
  if (input.criteriaYear !== undefined) {
    const [set] = await db.select({ id: criteriaSets.id }).from(criteriaSets).where(eq(criteriaSets.year, input.criteriaYear)).limit(1)
    if (!set) throw new AppError('unprocessable', 'criteria.errors.notFound', { year: input.criteriaYear })
  }
  if (input.unitCodes.length) {
    const found = await db.select({ code: units.code }).from(units).where(inArray(units.code, input.unitCodes))
    const unknown = input.unitCodes.filter((c) => !found.some((f) => f.code === c))
    if (unknown.length)
      throw new AppError('unprocessable', 'api.errors.unknownUnits', { codes: unknown.join(', ') }, { unknownUnitCodes: unknown })
  }
  const values = {
    name: input.name,
    dueAt,
    closesAt,
    unitKinds: input.unitKinds,
    unitCodes: [...new Set(input.unitCodes)],
    includeSubunits: input.includeSubunits,
    remindDaysBefore: input.remindDaysBefore,
    escalateDaysAfter: input.escalateDaysAfter,
    criteriaYear: input.criteriaYear ?? null,
  }
  const required = await requiredUnits(db, values)
  if (required.length === 0) throw new AppError('unprocessable', 'api.errors.noUnitMatches')
  const [row] = await db.insert(reportPeriods).values(values).returning()
  return row!
}

type UnitFilter = Pick<ReportPeriodRow, 'unitKinds' | 'unitCodes' | 'includeSubunits'>

/** The units that must report in a period, as the directory stands now. */
export async function requiredUnits(db: Db, period: UnitFilter): Promise<UnitRow[]> {
  const conds = []
  if (period.unitKinds.length) conds.push(inArray(units.kind, period.unitKinds))
  if (period.unitCodes.length) {
    const roots = await db.select({ id: units.id }).from(units).where(inArray(units.code, period.unitCodes))
    const ids = period.includeSubunits ? await subtreeUnitIds(db, roots.map((r) => r.id)) : roots.map((r) => r.id)
    conds.push(ids.length ? inArray(units.id, ids) : sql`0`)
  }
  return db.select().from(units).where(and(...conds)).orderBy(units.code)
}

export async function isRequired(db: Db, period: ReportPeriodRow, unit: UnitRow): Promise<boolean> {
  if (period.unitKinds.length && !period.unitKinds.includes(unit.kind)) return false
  if (!period.unitCodes.length) return true
  if (period.unitCodes.includes(unit.code)) return true
  if (!period.includeSubunits) return false
  const roots = await db.select({ id: units.id }).from(units).where(inArray(units.code, period.unitCodes))
  return (await subtreeUnitIds(db, roots.map((r) => r.id))).includes(unit.id)
}

export async function findPeriod(db: Db, id: number) {
  const [row] = await db.select().from(reportPeriods).where(eq(reportPeriods.id, id)).limit(1)
  return row
}

/** Periods, latest deadline first, a page at a time, with how many there are in all. */
export async function listPeriods(db: Db, page: { limit: number; offset: number } = { limit: 50, offset: 0 }) {
  const [periods, [all]] = await Promise.all([
    db.select().from(reportPeriods).orderBy(desc(reportPeriods.dueAt), desc(reportPeriods.id)).limit(page.limit).offset(page.offset),
    db.select({ n: count() }).from(reportPeriods),
  ])
  return { total: Number(all?.n ?? 0), periods }
}

/**
 * A period as the working-day calendar stands: `dueAt` is the deadline in force (on a day off it
 * moves to the end of the next working day, Civil Code 2015 Art. 148), `setDueAt` the one set.
 * Reminders, "on time" and the deadline messages read this `dueAt`.
 */
export type DuePeriod = ReportPeriodRow & { setDueAt: Date }

export async function duePeriod(db: Db, period: ReportPeriodRow, timeZone: string): Promise<DuePeriod> {
  const day = localDay(period.dueAt, timeZone)
  const cal = await loadCalendar(db, day, day)
  return { ...period, dueAt: effectiveDue(period.dueAt, cal, timeZone), setDueAt: period.dueAt }
}

/** findPeriod with the deadline in force (duePeriod). */
export async function findDuePeriod(db: Db, id: number, timeZone: string): Promise<DuePeriod | undefined> {
  const period = await findPeriod(db, id)
  return period && duePeriod(db, period, timeZone)
}

/** Periods not closed yet at `now`, soonest deadline first, with the deadline in force. */
export async function openPeriods(db: Db, now: Date, timeZone: string): Promise<DuePeriod[]> {
  const rows = await db.select().from(reportPeriods).where(gt(reportPeriods.closesAt, now)).orderBy(reportPeriods.dueAt, reportPeriods.id)
  return Promise.all(rows.map((p) => duePeriod(db, p, timeZone)))
}

/** The unit's latest report in a period, if any. */
export async function latestReport(db: Db, periodId: number, unitId: number) {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.periodId, periodId), eq(reports.unitId, unitId)))
    .orderBy(desc(reports.version))
    .limit(1)
  return row
}

export type PeriodStanding =
  /** The unit may send (or correct) a report now. */
  | { kind: 'open'; period: ReportPeriodRow; hasReport: boolean }
  /** After the deadline the unit's report can no longer be changed. */
  | { kind: 'correctionClosed'; period: ReportPeriodRow; submittedAt: Date }

/**
 * What a unit can do about each period still open: report, correct (until the deadline), or
 * nothing more (reported, and the deadline has passed).
 */
export async function standingsFor(db: Db, unit: UnitRow, now: Date, timeZone: string): Promise<PeriodStanding[]> {
  const out: PeriodStanding[] = []
  for (const period of await openPeriods(db, now, timeZone)) {
    if (!(await isRequired(db, period, unit))) continue
    const last = await latestReport(db, period.id, unit.id)
    if (last && now > period.dueAt) out.push({ kind: 'correctionClosed', period, submittedAt: last.submittedAt })
    else out.push({ kind: 'open', period, hasReport: !!last })
  }
  return out
}

/** A period for the API: `dueAt` as set and, from duePeriod, `effectiveDueAt` in force. */
export function presentPeriod(p: DuePeriod) {
  return {
    id: p.id,
    name: p.name,
    dueAt: p.setDueAt.toISOString(),
    effectiveDueAt: p.dueAt.toISOString(),
    closesAt: p.closesAt.toISOString(),
    unitKinds: p.unitKinds,
    unitCodes: p.unitCodes,
    includeSubunits: p.includeSubunits,
    remindDaysBefore: p.remindDaysBefore,
    escalateDaysAfter: p.escalateDaysAfter,
    criteriaYear: p.criteriaYear,
    createdAt: p.createdAt.toISOString(),
  }
}
