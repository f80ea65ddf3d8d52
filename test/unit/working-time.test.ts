import { describe, expect, it } from 'vitest'
import type { CalendarDayRow } from '#db/schema/index.js'
import { effectiveDue, isWorkingDay, nextWorkingDay, previousWorkingDay, workingMinutesBetween, type WorkingCalendar } from '#src/domain/calendar/working.js'
import { parseWorkingHours } from '#src/time.js'

const TZ = 'Asia/Ho_Chi_Minh'
const day = (date: string, kind: CalendarDayRow['kind']): [string, CalendarDayRow] => [
  date,
  { date, kind, name: date, source: 'admin', confirmed: true, removed: false, updatedAt: new Date(0) },
]
// Giỗ Tổ 2026 on Sunday 26 April, observed Monday 27; Saturday 9 May worked; Monday 11 May off in exchange.
const cal: WorkingCalendar = {
  days: new Map([day('2026-04-26', 'holiday'), day('2026-04-27', 'observed'), day('2026-05-09', 'swap_work'), day('2026-05-11', 'swap_off'), day('2026-11-20', 'observance')]),
}
const hours = parseWorkingHours('07:00-11:30,13:30-17:00')!

describe('the working-time clock', () => {
  it('knows working days: weekdays, less days off, plus swapped weekend days; an observance is a working day', () => {
    expect(['2026-04-24', '2026-04-25', '2026-04-26', '2026-04-27', '2026-04-28'].map((d) => isWorkingDay(d, cal))).toEqual([true, false, false, false, true])
    expect(isWorkingDay('2026-05-09', cal)).toBe(true)
    expect(isWorkingDay('2026-05-11', cal)).toBe(false)
    expect(isWorkingDay('2026-11-20', cal)).toBe(true)
    expect(nextWorkingDay('2026-04-25', cal)).toBe('2026-04-28')
    expect(previousWorkingDay('2026-04-27', cal)).toBe('2026-04-24')
  })

  it('moves a deadline on a day off to the end of the next working day, and leaves one on a working day', () => {
    expect(effectiveDue(new Date('2026-04-26T16:59:59Z'), cal, TZ).toISOString()).toBe('2026-04-28T16:59:59.000Z')
    expect(effectiveDue(new Date('2026-04-24T10:00:00Z'), cal, TZ).toISOString()).toBe('2026-04-24T10:00:00.000Z')
  })

  it('counts working minutes within working hours on working days only', () => {
    const between = (a: string, b: string) => workingMinutesBetween(new Date(a), new Date(b), cal, hours, TZ)
    expect(between('2026-04-24T07:00:00+07:00', '2026-04-24T17:00:00+07:00')).toBe(480)
    expect(between('2026-04-24T11:00:00+07:00', '2026-04-24T14:00:00+07:00')).toBe(60)
    // Friday 16:00 to Tuesday 08:00 across the weekend, Giỗ Tổ and its observed Monday: 60 + 60 minutes.
    expect(between('2026-04-24T16:00:00+07:00', '2026-04-28T08:00:00+07:00')).toBe(120)
    expect(between('2026-05-09T07:00:00+07:00', '2026-05-09T09:00:00+07:00')).toBe(120)
    expect(between('2026-04-28T08:00:00+07:00', '2026-04-24T16:00:00+07:00')).toBe(0)
  })

  it('reads WORKING_HOURS and refuses spans that are out of order or not times', () => {
    expect(hours).toEqual([[420, 690], [810, 1020]])
    for (const bad of ['', '7-11', '11:30-07:00', '07:00-11:30,11:00-17:00', '07:00-24:30', '07:75-11:00']) expect([bad, parseWorkingHours(bad)]).toEqual([bad, null])
  })
})
