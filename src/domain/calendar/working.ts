import type { CalendarDayRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { dayFromNumber, dayNumber, localDay, wallClock, zonedTime, type WorkingHours } from '#src/time.js'
import { calendarBetween } from './days.js'
import { isWeekend } from './rules.js'

/** The calendar's days as read once, for the sync questions below (a job or a page asks many). */
export interface WorkingCalendar {
  days: ReadonlyMap<string, CalendarDayRow>
}

/** Reads the calendar around `from`..`to` (yyyy-mm-dd), with a margin for moving past a long Tết. */
export async function loadCalendar(db: Db, from: string, to: string): Promise<WorkingCalendar> {
  const rows = await calendarBetween(db, dayFromNumber(dayNumber(from) - 31), dayFromNumber(dayNumber(to) + 31))
  return { days: new Map(rows.map((r) => [r.date, r])) }
}

/** Monday to Friday unless a holiday, an observed day or a swapped day off; a Saturday or Sunday only when swapped to work. */
export function isWorkingDay(day: string, cal: WorkingCalendar): boolean {
  const kind = cal.days.get(day)?.kind
  if (kind === 'swap_work') return true
  if (kind === 'holiday' || kind === 'observed' || kind === 'swap_off') return false
  return !isWeekend(day)
}

function stepToWorkingDay(day: string, cal: WorkingCalendar, step: 1 | -1): string {
  let n = dayNumber(day)
  // A year holds ~250 working days; 60 steps is past any real run of days off.
  for (let i = 0; i < 60 && !isWorkingDay(dayFromNumber(n), cal); i++) n += step
  return dayFromNumber(n)
}

/** `day` itself when it is a working day, else the first working day after it. */
export const nextWorkingDay = (day: string, cal: WorkingCalendar) => stepToWorkingDay(day, cal, 1)
/** `day` itself when it is a working day, else the last working day before it. */
export const previousWorkingDay = (day: string, cal: WorkingCalendar) => stepToWorkingDay(day, cal, -1)

/**
 * A deadline that falls on a day off ends at the end of the next working day (Civil Code 2015
 * Art. 148(5)): 23:59:59 local, as every day deadline in Loa, so the deadline's day is that day;
 * on a working day it stays as it is.
 */
export function effectiveDue(dueAt: Date, cal: WorkingCalendar, timeZone: string): Date {
  const day = localDay(dueAt, timeZone)
  if (isWorkingDay(day, cal)) return dueAt
  return zonedTime(nextWorkingDay(day, cal), '23:59:59', timeZone)
}

/**
 * Working time between two instants, in minutes: the parts of working days' working hours that
 * lie between them (0 when `to` is not after `from`). The clock every response-time figure reads.
 */
export function workingMinutesBetween(from: Date, to: Date, cal: WorkingCalendar, hours: WorkingHours, timeZone: string): number {
  if (to <= from) return 0
  const first = dayNumber(localDay(from, timeZone))
  const last = dayNumber(localDay(to, timeZone))
  const fromLocal = wallClock(from, timeZone).getTime()
  const toLocal = wallClock(to, timeZone).getTime()
  let minutes = 0
  for (let n = first; n <= last; n++) {
    if (!isWorkingDay(dayFromNumber(n), cal)) continue
    for (const [start, end] of hours) {
      const a = Math.max(n * 86_400_000 + start * 60_000, fromLocal)
      const b = Math.min(n * 86_400_000 + end * 60_000, toLocal)
      if (b > a) minutes += (b - a) / 60_000
    }
  }
  return Math.round(minutes)
}

/** The working-hours clock: `WORKING_HOURS` and `APP_TIMEZONE`. */
export interface WorkingClock {
  hours: WorkingHours
  timeZone: string
}

export const workingClock = (config: { workingHours: WorkingHours; timezone: string }): WorkingClock => ({
  hours: config.workingHours,
  timeZone: config.timezone,
})

/**
 * How long each wait lasted, in working hours (one decimal) on the one working-hours clock: only
 * working days' working hours count (null while `to` is null: still waiting). One calendar read.
 */
export async function workingHoursWaited(db: Db, spans: readonly { from: Date; to: Date | null }[], clock: WorkingClock): Promise<(number | null)[]> {
  const done = spans.filter((s): s is { from: Date; to: Date } => s.to !== null)
  if (done.length === 0) return spans.map(() => null)
  const first = done.reduce((a, s) => (s.from < a ? s.from : a), done[0]!.from)
  const last = done.reduce((a, s) => (s.to > a ? s.to : a), done[0]!.to)
  const cal = await loadCalendar(db, localDay(first, clock.timeZone), localDay(last, clock.timeZone))
  return spans.map((s) => (s.to ? Math.round(workingMinutesBetween(s.from, s.to, cal, clock.hours, clock.timeZone) / 6) / 10 : null))
}

/** When `at` falls on a day off: the local day and the calendar's name for it (null: a plain Saturday or Sunday); else null. */
export async function dayOffAt(db: Db, at: Date, timeZone: string): Promise<{ day: string; name: string | null } | null> {
  const day = localDay(at, timeZone)
  const cal = await loadCalendar(db, day, day)
  return isWorkingDay(day, cal) ? null : { day, name: cal.days.get(day)?.name ?? null }
}
