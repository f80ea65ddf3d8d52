/**
 * Calendar days and wall-clock times in the app's time zone. Reminders are about days ("3 days
 * before the deadline"), reach periods and yearly counts about whole days and years, and all of
 * them start at local midnight in APP_TIMEZONE, not in UTC. Written on Intl, which knows the zones,
 * so no date library is needed for these few conversions.
 */

/** yyyy-mm-dd of `at` in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  // One formatter a time zone: building it costs far more than using it (a page of response times calls this per question).
  let f = dayFormatters.get(timeZone)
  if (!f) dayFormatters.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(at)
}
const dayFormatters = new Map<string, Intl.DateTimeFormat>()

/** Days since 1970-01-01 of a yyyy-mm-dd day: differences of these count calendar days. */
export function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return Math.round(utcMs(y, m, d) / 86_400_000)
}

/** yyyy-mm-dd of a day number; years past 9999 keep their five digits (10000-01-01), never ISO's +010000. */
export function dayFromNumber(n: number): string {
  const at = new Date(n * 86_400_000)
  const pad = (v: number, width = 2) => String(v).padStart(width, '0')
  return `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`
}

/** Date.UTC without its two-digit-year rule (year 50 is 50, not 1950). */
function utcMs(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number {
  // 2000 is a leap year, so 29 February stays itself until the year is set.
  const at = new Date(Date.UTC(2000, m - 1, d, hh, mm, ss))
  at.setUTCFullYear(y + at.getUTCFullYear() - 2000)
  return at.getTime()
}

// Building an Intl.DateTimeFormat costs far more than using one (a spreadsheet converts thousands of dates).
const formatters = new Map<string, Intl.DateTimeFormat>()
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(timeZone, f)
  }
  return f
}

/** Offset of `timeZone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
function offsetMs(at: Date, timeZone: string): number {
  const parts = partsFormatter(timeZone).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  const asUtc = utcMs(get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/**
 * `at` shifted so its UTC fields read the wall-clock time in `timeZone`: what a spreadsheet cell
 * holds (Excel dates have no time zone, and exceljs writes a Date's UTC fields).
 */
export function wallClock(at: Date, timeZone: string): Date {
  return new Date(at.getTime() + offsetMs(at, timeZone))
}

/** Days before this are taken as it: nothing in Loa is older, and Intl writes earlier years oddly (year 0 is 1 BC). */
const EARLIEST_YEAR = 1900

/**
 * The instant a local wall-clock time (yyyy-mm-dd, hh:mm:ss) happens in `timeZone`. A day before
 * 1900 is taken as 1 January 1900, so a filter "from 0000-01-01" means "from the start".
 */
export function zonedTime(day: string, time: string, timeZone: string): Date {
  const parts = day.split('-').map(Number) as [number, number, number]
  const [y, m, d] = parts[0] < EARLIEST_YEAR ? [EARLIEST_YEAR, 1, 1] : parts
  const [hh, mm, ss] = time.split(':').map(Number) as [number, number, number]
  const guess = utcMs(y, m, d, hh, mm, ss ?? 0)
  const first = guess - offsetMs(new Date(guess), timeZone)
  // Re-check once for a DST change between the guess and the answer.
  return new Date(guess - offsetMs(new Date(first), timeZone))
}

/** Local midnight that starts the day of `at`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  return zonedTime(localDay(at, timeZone), '00:00:00', timeZone)
}

export type LocalTimeError = 'dateMissing' | 'dateFormat' | 'dateInvalid' | 'timeMissing' | 'timeFormat' | 'timeInvalid'

/**
 * A day as people in Vietnam type it, dd/mm/yyyy, read strictly (a day that does not exist is
 * refused, not rolled over), as yyyy-mm-dd; null otherwise.
 */
export function parseLocalDay(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text)
  if (!m) return null
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (year < 2000 || year > 2100 || probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) return null
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** yyyy-mm-dd → dd/mm/yyyy, as a form shows a day. */
export function showLocalDay(day: string): string {
  return day.split('-').reverse().join('/')
}

/**
 * The instant of a date typed dd/mm/yyyy and a time typed HH:mm, read as wall-clock time in
 * `timeZone`, as staff write them. Strict: day and month of one or two digits, a four-digit year
 * between 2000 and 2100, a day that exists in its month (no 31/02), hours 0–23 and minutes 00–59.
 */
export function parseLocalDateTime(date: string, time: string, timeZone: string): { at: Date } | { error: LocalTimeError } {
  const d = date.trim()
  const tm = time.trim()
  if (!d) return { error: 'dateMissing' }
  if (!/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.test(d)) return { error: 'dateFormat' }
  const day = parseLocalDay(d)
  if (!day) return { error: 'dateInvalid' }
  if (!tm) return { error: 'timeMissing' }
  const hm = /^(\d{1,2})[:hH](\d{2})$/.exec(tm)
  if (!hm) return { error: 'timeFormat' }
  const [hh, mm] = [Number(hm[1]), Number(hm[2])]
  if (hh > 23 || mm > 59) return { error: 'timeInvalid' }
  const pad = (n: number) => String(n).padStart(2, '0')
  return { at: zonedTime(day, `${pad(hh)}:${pad(mm)}:00`, timeZone) }
}

/** Working hours as minutes after local midnight, e.g. [[420, 690], [810, 1020]] for 07:00–11:30, 13:30–17:00. */
export type WorkingHours = readonly (readonly [start: number, end: number])[]

/** Reads WORKING_HOURS ("07:00-11:30,13:30-17:00"): ascending, non-overlapping spans within a day; null when unreadable. */
export function parseWorkingHours(text: string): WorkingHours | null {
  const spans: [number, number][] = []
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part)
    if (!m) return null
    const [start, end] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])]
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || end > 1440 || start >= end || start < (spans.at(-1)?.[1] ?? 0)) return null
    spans.push([start, end])
  }
  return spans.length ? spans : null
}
