import { describe, expect, it } from 'vitest'
import { firedEarlierToday } from '#jobs/index.js'
import { parseQuickReport, readCount, readPercent } from '#src/domain/reporting/answers.js'
import { currentStage } from '#src/domain/reporting/reminders.js'
import type { ReportPeriodRow } from '#db/schema/index.js'

describe('report answers', () => {
  it.each([
    ['5', 5],
    [' 12 ', 12],
    ['5 hoạt động', 5],
    ['0', 0],
    ['năm', null],
    ['3.5', null],
    ['3,5', null],
    ['-1', null],
    ['', null],
  ])('reads %j as a count → %j', (text, want) => expect(readCount(text)).toBe(want))

  it.each([
    ['95', 95],
    ['95%', 95],
    ['95 %', 95],
    ['100', 100],
    ['0%', 0],
    ['101', null],
    ['95.5', null],
    ['chín lăm', null],
  ])('reads %j as a percent → %j', (text, want) => expect(readPercent(text)).toBe(want))

  it('reads the one-message form, keeping commas in the difficulties', () => {
    expect(parseQuickReport('hd 5, sp 3, pb 95%, kk không')).toEqual({
      draft: { activities: 5, digitalProducts: 3, briefedPercent: 95, difficulties: 'không' },
      unreadable: [],
    })
    expect(parseQuickReport('HĐ: 5; sp=3, kk thiếu người, thiếu tiền').draft).toEqual({
      activities: 5,
      digitalProducts: 3,
      difficulties: 'thiếu người, thiếu tiền',
    })
    expect(parseQuickReport('hd5, zz 4, pb 200').unreadable).toEqual([{ part: 'zz 4' }, { part: 'pb 200', field: 'briefedPercent' }])
  })
})

describe('reminder schedule', () => {
  const period = {
    dueAt: new Date('2026-06-15T16:59:59Z'),
    remindDaysBefore: [0, 1, 3, 7],
    escalateDaysAfter: [1, 3, 7],
  } as ReportPeriodRow
  const stage = (iso: string) => currentStage(period, new Date(iso), 'Asia/Ho_Chi_Minh')

  it('gives the latest stage that has come, by local day', () => {
    expect(stage('2026-06-07T08:00:00+07:00')).toBeNull()
    expect(stage('2026-06-08T00:30:00+07:00')).toEqual({ offset: -7, day: '2026-06-08', fires: '2026-06-08', kind: 'before' })
    // 2026-06-07 23:30 UTC is already the 8th in Can Tho.
    expect(stage('2026-06-07T23:30:00Z')).toMatchObject({ day: '2026-06-08' })
    expect(stage('2026-06-11T08:00:00+07:00')).toMatchObject({ offset: -7 })
    expect(stage('2026-06-16T08:00:00+07:00')).toEqual({ offset: 1, day: '2026-06-16', fires: '2026-06-16', kind: 'overdue' })
    expect(stage('2026-06-22T23:00:00+07:00')).toMatchObject({ offset: 7 })
    expect(stage('2026-06-23T08:00:00+07:00')).toBeNull()
  })
})

describe('catch-up on start', () => {
  const at8 = (d: Date) => {
    const local = new Date(d.getTime() + 7 * 3600_000)
    return local.getUTCHours() === 8 && local.getUTCMinutes() === 0
  }
  it('is due when the day\'s run time has passed, not before', () => {
    expect(firedEarlierToday(at8, new Date('2026-06-08T07:59:00+07:00'), 'Asia/Ho_Chi_Minh')).toBe(false)
    expect(firedEarlierToday(at8, new Date('2026-06-08T08:00:30+07:00'), 'Asia/Ho_Chi_Minh')).toBe(true)
    expect(firedEarlierToday(at8, new Date('2026-06-08T23:59:00+07:00'), 'Asia/Ho_Chi_Minh')).toBe(true)
    expect(firedEarlierToday(at8, new Date('2026-06-09T00:10:00+07:00'), 'Asia/Ho_Chi_Minh')).toBe(false)
  })
})
