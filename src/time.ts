/**
 * Calendar days and wall-clock times in the app's time zone. Reminders are about days ("3 days
 * before the deadline"), reach periods and yearly counts about whole days and years, and all of
 * them start at local midnight in APP_TIMEZONE, not in UTC. Written on Intl, which knows the zones,
 * so no date library is needed for these few conversions.
 */

/** yyyy-mm-dd of `at` in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** Days since 1970-01-01 of a yyyy-mm-dd day: differences of these count calendar days. */
export function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000)
}

export function dayFromNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10)
}

/** Offset of `timeZone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/** The instant a local wall-clock time (yyyy-mm-dd, hh:mm:ss) happens in `timeZone`. */
export function zonedTime(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const [hh, mm, ss] = time.split(':').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d, hh, mm, ss ?? 0)
  const first = guess - offsetMs(new Date(guess), timeZone)
  // Re-check once for a DST change between the guess and the answer.
  return new Date(guess - offsetMs(new Date(first), timeZone))
}

/** Local midnight that starts the day of `at`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  return zonedTime(localDay(at, timeZone), '00:00:00', timeZone)
}
