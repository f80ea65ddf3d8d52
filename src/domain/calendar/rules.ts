import type { CalendarDayKind } from '#db/schema/index.js'
import { translate, type KeyIn } from '#src/i18n.js'
import { dayFromNumber, dayNumber } from '#src/time.js'
import { lunarToSolar } from './lunar.js'

export interface RuleDay {
  date: string
  kind: CalendarDayKind
  name: string
  confirmed: boolean
}

type RuleName = KeyIn<'calendar.rules.'>

/** Labour Code 2019 Art. 112's fixed-date holidays (month, day). */
const SOLAR_HOLIDAYS: readonly (readonly [number, number, RuleName])[] = [
  [1, 1, 'newYear'],
  [4, 30, 'reunification'],
  [5, 1, 'labour'],
  [9, 2, 'nationalDay'],
]

/** The education sector's commemorations: no day off; briefs and events are planned around them. */
const OBSERVANCES: readonly (readonly [number, number, RuleName])[] = [
  [1, 9, 'pupilsDay'],
  [4, 21, 'bookDay'],
  [6, 1, 'childrenDay'],
  [9, 5, 'schoolOpening'],
  [10, 2, 'learningDay'],
  [11, 20, 'teachersDay'],
]

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
const name = (key: RuleName) => translate('vi', `calendar.rules.${key}`)
export const isWeekend = (date: string) => {
  const weekday = (dayNumber(date) + 4) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday === 0 || weekday === 6
}

/** One year's holidays as the rules make them, before weekend holidays are observed. */
function yearHolidays(year: number): RuleDay[] {
  const days: RuleDay[] = SOLAR_HOLIDAYS.map(([m, d, key]) => ({ date: iso(year, m, d), kind: 'holiday', name: name(key), confirmed: true }))
  // Tết: five days from the lunar new year's eve, a default until the Government's schedule is confirmed.
  const tet = dayNumber(lunarToSolar({ day: 1, month: 1, year, leap: false })!)
  for (let i = -1; i <= 3; i++) {
    days.push({ date: dayFromNumber(tet + i), kind: 'holiday', name: name(i === -1 ? 'tetEve' : 'tet'), confirmed: false })
  }
  days.push({ date: lunarToSolar({ day: 10, month: 3, year, leap: false })!, kind: 'holiday', name: name('gioTo'), confirmed: true })
  // National Day's second day is 1/9 or 3/9, as the Government decides each year: both flagged until the admin picks.
  days.push({ date: iso(year, 9, 1), kind: 'holiday', name: name('nationalDayAdjacent'), confirmed: false })
  days.push({ date: iso(year, 9, 3), kind: 'holiday', name: name('nationalDayAdjacent'), confirmed: false })
  return days
}

/**
 * The days the rules make for the local days `from`..`to` (yyyy-mm-dd, inclusive): holidays, a
 * holiday on a Saturday or Sunday observed on the next day that is neither, and the sector's observances.
 */
export function ruleDays(from: string, to: string): RuleDay[] {
  const first = Number(from.slice(0, 4))
  const last = Number(to.slice(0, 4))
  const byDate = new Map<string, RuleDay>()
  for (let year = first - 1; year <= last; year++) {
    for (const day of yearHolidays(year)) byDate.set(day.date, day)
  }
  const holidays = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date))
  for (const day of holidays) {
    if (!isWeekend(day.date)) continue
    let n = dayNumber(day.date) + 1
    while (isWeekend(dayFromNumber(n)) || byDate.has(dayFromNumber(n))) n++
    const date = dayFromNumber(n)
    byDate.set(date, { date, kind: 'observed', name: translate('vi', 'calendar.rules.observed', { name: day.name }), confirmed: day.confirmed })
  }
  for (let year = first; year <= last; year++) {
    for (const [m, d, key] of OBSERVANCES) {
      const date = iso(year, m, d)
      if (!byDate.has(date)) byDate.set(date, { date, kind: 'observance', name: name(key), confirmed: true })
    }
  }
  return [...byDate.values()].filter((d) => d.date >= from && d.date <= to).sort((a, b) => a.date.localeCompare(b.date))
}
