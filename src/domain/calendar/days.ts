import { and, asc, eq, gte, lte, sql } from 'drizzle-orm'
import { calendarDayKinds, calendarDays, type CalendarDayKind, type CalendarDayRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '#src/errors.js'
import { dayFromNumber, dayNumber, localDay } from '#src/time.js'
import { isWeekend, ruleDays } from './rules.js'

/** How far ahead the refill makes the rules' days (the issue: the next 24 months). */
export const REFILL_DAYS = 731
/** Rows per insert: 7 bound values each, D1's limit is 100 a statement. */
const CHUNK = 14

/**
 * Makes the rules' days from 1 January of this local year to 24 months ahead. A rule row is
 * rewritten; a row an admin changed or removed (source `admin`) is left as it is.
 */
export async function refillCalendar(db: Db, now: Date, timeZone: string): Promise<{ from: string; to: string; days: number }> {
  const today = localDay(now, timeZone)
  const from = `${today.slice(0, 4)}-01-01`
  const to = dayFromNumber(dayNumber(today) + REFILL_DAYS)
  return { from, to, days: await fillRules(db, from, to, now) }
}

/** Writes the rules' days for `from`..`to`: a rule row is rewritten, an admin's row left as it is. */
async function fillRules(db: Db, from: string, to: string, now: Date): Promise<number> {
  const days = ruleDays(from, to)
  for (let i = 0; i < days.length; i += CHUNK) {
    const rows = days.slice(i, i + CHUNK).map((d) => ({ ...d, source: 'rule' as const, removed: false, updatedAt: now }))
    await db
      .insert(calendarDays)
      .values(rows)
      .onConflictDoUpdate({
        target: calendarDays.date,
        set: { kind: sql`excluded.kind`, name: sql`excluded.name`, confirmed: sql`excluded.confirmed`, updatedAt: sql`excluded.updated_at` },
        setWhere: sql`${calendarDays.source} = 'rule'`,
      })
  }
  return days.length
}

/** Years the rules have filled, per database (a rule row is never deleted, so this only grows). */
const filledYears = new WeakMap<Db, Set<number>>()
/** The years the calendar is filled for on first need (the rules' lunar dates hold well past these). */
const FILL_YEARS = { min: 2000, max: 2100 }

/**
 * The calendar on first need: a year of `from`..`to` with no rule row yet (a new database, a
 * Worker before its first nightly refill, a year past the refill's 24 months) gets the rules'
 * days for that whole year now, once; the nightly refill keeps them current after that.
 */
export async function ensureRuleYears(db: Db, from: string, to: string): Promise<void> {
  const known = filledYears.get(db) ?? new Set<number>()
  filledYears.set(db, known)
  const first = Math.max(Number(from.slice(0, 4)), FILL_YEARS.min)
  const last = Math.min(Number(to.slice(0, 4)), FILL_YEARS.max)
  const wanted: number[] = []
  for (let y = first; y <= last; y++) if (!known.has(y)) wanted.push(y)
  if (wanted.length === 0) return
  const year = sql<string>`substr(${calendarDays.date}, 1, 4)`
  const present = await db
    .select({ year })
    .from(calendarDays)
    .where(and(eq(calendarDays.source, 'rule'), gte(calendarDays.date, `${wanted[0]}-01-01`), lte(calendarDays.date, `${wanted.at(-1)}-12-31`)))
    .groupBy(year)
  const filled = new Set(present.map((r) => Number(r.year)))
  for (const y of wanted) {
    // Stamped with the real time: no clock is at hand on a read, and it only dates the row.
    if (!filled.has(y)) await fillRules(db, `${y}-01-01`, `${y}-12-31`, new Date())
    known.add(y)
  }
}

/** The days shown for `from`..`to` (yyyy-mm-dd, inclusive), removed ones left out; filled from the rules on first need. */
export async function calendarBetween(db: Db, from: string, to: string): Promise<CalendarDayRow[]> {
  await ensureRuleYears(db, from, to)
  return db
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.date, from), lte(calendarDays.date, to), eq(calendarDays.removed, false)))
    .orderBy(asc(calendarDays.date))
}

export { calendarDayKinds }

export function presentDay(d: CalendarDayRow) {
  return { date: d.date, kind: d.kind, name: d.name, source: d.source, confirmed: d.confirmed }
}

/** A yyyy-mm-dd that exists, else 422. */
export function checkDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m || dayFromNumber(dayNumber(value)) !== value) throw new AppError('unprocessable', 'calendar.errors.badDate', { value })
  return value
}

export interface DayInput {
  kind: unknown
  name: unknown
  confirmed?: unknown
}

/** Sets a day as an admin says (a new day, a change, a confirmation); the refill keeps it from then on. 422 on bad input. */
export async function putCalendarDay(db: Db, date: string, input: DayInput, now: Date): Promise<CalendarDayRow> {
  checkDate(date)
  if (typeof input.kind !== 'string' || !(calendarDayKinds as readonly string[]).includes(input.kind)) {
    throw new AppError('unprocessable', 'calendar.errors.badKind', { value: String(input.kind ?? '') })
  }
  const kind = input.kind as CalendarDayKind
  const name = typeof input.name === 'string' ? input.name.trim() : ''
  if (name.length < 1 || name.length > 200) throw new AppError('unprocessable', 'calendar.errors.badName')
  if (kind === 'swap_work' && !isWeekend(date)) throw new AppError('unprocessable', 'calendar.errors.swapWorkWeekday', { date })
  const row = { date, kind, name, source: 'admin' as const, confirmed: input.confirmed !== false, removed: false, updatedAt: now }
  await db.insert(calendarDays).values(row).onConflictDoUpdate({ target: calendarDays.date, set: row })
  return row
}

/** Takes a day off the calendar; kept as removed so no refill puts a rule's day back. 404 when not shown. */
export async function removeCalendarDay(db: Db, date: string, now: Date): Promise<CalendarDayRow> {
  checkDate(date)
  const [row] = await db.select().from(calendarDays).where(and(eq(calendarDays.date, date), eq(calendarDays.removed, false)))
  if (!row) throw new AppError('not_found', 'calendar.errors.noDay', { date })
  await db.update(calendarDays).set({ removed: true, source: 'admin', updatedAt: now }).where(eq(calendarDays.date, date))
  return row
}
