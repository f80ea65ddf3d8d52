import { and, asc, eq, isNotNull, like, ne, sql } from 'drizzle-orm'
import { broadcasts, calendarDays, type ObservanceSchedule } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '#src/errors.js'
import { dayFromNumber, dayNumber, localDay, zonedTime } from '#src/time.js'
import { loadCalendar, previousWorkingDay } from '../calendar/working.js'
import type { BroadcastRow } from './service.js'

/** The hour a brief tied to a commemoration goes out, local time: the start of the working morning. */
export const OBSERVANCE_SEND_TIME = '07:30:00'

/** How far ahead of a commemoration a brief may be scheduled. */
export const MAX_DAYS_BEFORE = 60

export interface ObservanceInput {
  date: string
  daysBefore: number
  yearly: boolean
}

/** The commemoration the calendar holds on this month and day (any year), else 422 in plain words. */
export async function findObservance(db: Db, date: string): Promise<{ monthDay: string; name: string }> {
  const monthDay = date.slice(-5)
  const [row] = await db
    .select({ name: calendarDays.name })
    .from(calendarDays)
    .where(and(like(calendarDays.date, `%-${monthDay}`), eq(calendarDays.kind, 'observance'), eq(calendarDays.removed, false)))
    .orderBy(asc(calendarDays.date))
    .limit(1)
  if (!row) throw new AppError('unprocessable', 'api.errors.unknownObservance', { date })
  return { monthDay, name: row.name }
}

/** The commemorations on the calendar, one per month and day (the earliest year's name), in calendar order: the console's choice. */
export async function listObservances(db: Db): Promise<{ monthDay: string; name: string }[]> {
  const rows = await db
    .select({ date: calendarDays.date, name: calendarDays.name })
    .from(calendarDays)
    .where(and(eq(calendarDays.kind, 'observance'), eq(calendarDays.removed, false)))
    .orderBy(asc(calendarDays.date))
  const byDay = new Map<string, string>()
  for (const r of rows) if (!byDay.has(r.date.slice(5))) byDay.set(r.date.slice(5), r.name)
  return [...byDay].map(([monthDay, name]) => ({ monthDay, name })).sort((a, b) => a.monthDay.localeCompare(b.monthDay))
}

/**
 * When the brief for `year`'s commemoration goes out: N days before it at 07:30 local, moved to
 * the previous working day when that day is off (a weekend, a holiday, a day swapped off).
 */
export async function observanceSendAt(db: Db, schedule: Pick<ObservanceSchedule, 'monthDay' | 'daysBefore'>, year: number, timeZone: string): Promise<Date> {
  const target = dayFromNumber(dayNumber(`${year}-${schedule.monthDay}`) - schedule.daysBefore)
  const cal = await loadCalendar(db, target, target)
  return zonedTime(previousWorkingDay(target, cal), OBSERVANCE_SEND_TIME, timeZone)
}

/** Resolves the input against the calendar: the schedule kept on the brief, its year and send time (the next occurrence still ahead of `now`). */
export async function planObservance(
  db: Db,
  input: ObservanceInput,
  now: Date,
  timeZone: string,
): Promise<{ schedule: ObservanceSchedule; year: number; scheduledAt: Date }> {
  if (input.daysBefore < 0 || input.daysBefore > MAX_DAYS_BEFORE) throw new AppError('unprocessable', 'api.errors.daysBeforeRange', { value: input.daysBefore })
  const { monthDay, name } = await findObservance(db, input.date)
  const schedule = { monthDay, name, daysBefore: input.daysBefore, yearly: input.yearly }
  let year = Number(localDay(now, timeZone).slice(0, 4))
  let scheduledAt = await observanceSendAt(db, schedule, year, timeZone)
  if (scheduledAt.getTime() <= now.getTime()) {
    year += 1
    scheduledAt = await observanceSendAt(db, schedule, year, timeZone)
  }
  return { schedule, year, scheduledAt }
}

/**
 * For every yearly brief that went out (expanded, not cancelled) and whose next year's copy does
 * not exist yet: queues that copy, scheduled as the first was. The unique (series, year) index
 * makes a second run, or two at once, add nothing.
 */
export async function queueNextYears(db: Db, now: Date, timeZone: string, limit = 20): Promise<{ queued: number }> {
  const sent = await db
    .select()
    .from(broadcasts)
    .where(
      and(
        isNotNull(broadcasts.observance),
        isNotNull(broadcasts.expandedAt),
        ne(broadcasts.status, 'cancelled'),
        sql`json_extract(${broadcasts.observance}, '$.yearly') = 1`,
        sql`not exists (select 1 from broadcasts n
          where n.series_id = coalesce(${broadcasts.seriesId}, ${broadcasts.id}) and n.observance_year = ${broadcasts.observanceYear} + 1)`,
      ),
    )
    .orderBy(asc(broadcasts.id))
    .limit(limit)
  let queued = 0
  for (const b of sent) queued += await queueCopy(db, b, now, timeZone)
  return { queued }
}

async function queueCopy(db: Db, b: BroadcastRow, now: Date, timeZone: string): Promise<number> {
  const schedule = b.observance!
  const year = (b.observanceYear ?? Number(localDay(b.scheduledAt, timeZone).slice(0, 4))) + 1
  const scheduledAt = await observanceSendAt(db, schedule, year, timeZone)
  const rows = await db
    .insert(broadcasts)
    .values({
      kind: b.kind,
      title: b.title,
      body: b.body,
      imageUrl: b.imageUrl,
      link: b.link,
      audience: b.audience,
      requireAck: b.requireAck,
      scheduledAt,
      status: 'scheduled',
      createdBy: b.createdBy,
      peopleCount: b.peopleCount,
      recipientCount: b.recipientCount,
      unreachableCount: b.unreachableCount,
      createdAt: now,
      observance: schedule,
      observanceYear: year,
      seriesId: b.seriesId ?? b.id,
    })
    .onConflictDoNothing()
    .returning({ id: broadcasts.id })
  return rows.length
}
