import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { signedInAs } from '../helpers/console.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/** Response-time figures count working time only: WORKING_HOURS (default 07:00–11:30, 13:30–17:00) on working days. */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6300000121'
const ZL = 'zl-wh-1'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

async function askAndAnswer(askedAt: string, answeredAt: string) {
  h.setNow(askedAt)
  await h.say.telegram(TG, '/hoidap Khi nào Sở gửi tài liệu tập huấn Nghị quyết 71?')
  h.setNow(answeredAt)
  expect((await h.api('/questions/1/answer', { body: { answer: 'Tuần sau.' } })).status).toBe(200)
}

describe('response times in working hours', () => {
  it('a question asked Friday 16:30 and answered Monday 08:00 waited 1.5 working hours (30 min Friday, 60 min Monday)', async () => {
    await askAndAnswer('2026-03-13T16:30:00+07:00', '2026-03-16T08:00:00+07:00')
    const list = await (await h.api('/questions?status=answered')).json()
    expect(list.items[0]).toMatchObject({ id: 1, waitedWorkingHours: 1.5 })

    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.text(await admin.get('/admin/questions?status=answered'))
    expect(page).toContain('Thời gian chờ trả lời: 1,5 giờ làm việc')

    const csv = await (await h.api('/questions?status=answered&format=csv')).text()
    expect(csv).toContain('Thời gian chờ (giờ làm việc)')
  })

  it('skips a day off on the calendar: Friday 24 April 2026 16:30 to Tuesday 28 April 08:00 (Monday 27 is Giỗ Tổ observed) is 1.5 hours', async () => {
    expect((await h.api('/jobs/calendar-refill/run', { body: {} })).status).toBe(200)
    await askAndAnswer('2026-04-24T16:30:00+07:00', '2026-04-28T08:00:00+07:00')
    const list = await (await h.api('/questions?status=all')).json()
    expect(list.items[0].waitedWorkingHours).toBe(1.5)
  })

  it('follows WORKING_HOURS: 07:30–17:00 without a lunch break makes Friday 16:30 to Monday 08:00 one working hour', async () => {
    h.close()
    ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, { WORKING_HOURS: '07:30-17:00' }))
    await askAndAnswer('2026-03-13T16:30:00+07:00', '2026-03-16T08:00:00+07:00')
    const list = await (await h.api('/questions?status=answered')).json()
    expect(list.items[0].waitedWorkingHours).toBe(1)
  })

  it('gives the same figure for an inbox message, on /api/inbox and /admin/inbox', async () => {
    h.setNow('2026-03-13T16:30:00+07:00')
    await h.say.zalo(ZL, 'cho hỏi lịch tập huấn tháng 12')
    h.setNow('2026-03-16T08:00:00+07:00')
    expect((await h.api('/inbox/1/answer', { body: { answer: 'Ngày 01/12.' } })).status).toBe(200)
    const list = await (await h.api('/inbox?status=answered')).json()
    expect(list.items[0]).toMatchObject({ id: 1, waitedWorkingHours: 1.5 })
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.text(await admin.get('/admin/inbox?status=answered'))
    expect(page).toContain('Thời gian chờ trả lời: 1,5 giờ làm việc')
  })

  it('puts the wait in working hours on the half-year summary’s questions sheet', async () => {
    await askAndAnswer('2026-03-13T16:30:00+07:00', '2026-03-16T08:00:00+07:00')
    h.setNow('2026-07-02T09:00:00+07:00')
    const res = await h.api('/summary?year=2026&half=1')
    expect(res.status).toBe(200)
    const b = new ExcelJS.Workbook()
    await b.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer)
    const sheet = (b.getWorksheet('Hỏi đáp')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1))
    expect(sheet[0]).toContain('Thời gian chờ (giờ làm việc)')
    expect(sheet[1]!.at(-1)).toBe(1.5)
  })

  it('an open question has no wait figure yet', async () => {
    h.setNow('2026-03-13T16:30:00+07:00')
    await h.say.telegram(TG, '/hoidap Khi nào Sở gửi tài liệu tập huấn Nghị quyết 71?')
    const list = await (await h.api('/questions')).json()
    expect(list.items[0].waitedWorkingHours).toBeNull()
  })
})

describe('the periods list', () => {
  it('shows the deadline in force next to the one set, like the period’s own page', async () => {
    expect((await h.api('/jobs/calendar-refill/run', { body: {} })).status).toBe(200)
    const moved = await h.api('/report-periods', { body: { name: 'Báo cáo Giỗ Tổ', dueAt: '2026-04-26', unitKinds: ['school'] } })
    const plain = await h.api('/report-periods', { body: { name: 'Báo cáo thường', dueAt: '2026-05-15', unitKinds: ['school'] } })
    expect([moved.status, plain.status]).toEqual([201, 201])
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.text(await admin.get('/admin/periods'))
    expect(page).toContain('Tên kỳ Hạn nộp Hạn theo lịch làm việc Đã nộp')
    expect(page).toContain('Báo cáo Giỗ Tổ 23:59 26/04/2026 23:59 28/04/2026 0/1')
    expect(page).toContain('Báo cáo thường 23:59 15/05/2026 Như hạn đặt 0/1')
  })
})

describe('the calendar on first need (no refill has run yet, as on a new Worker)', () => {
  it('fills a year from the rules when it is first read: /api/calendar, and a deadline on Giỗ Tổ observed', async () => {
    const p = await (await h.api('/report-periods', { body: { name: 'Báo cáo', dueAt: '2026-04-27', unitKinds: ['school'] } })).json()
    expect(p).toMatchObject({ dueAt: '2026-04-27T16:59:59.000Z', effectiveDueAt: '2026-04-28T16:59:59.000Z' })
    const y2030 = await (await h.api('/calendar?year=2030')).json()
    expect(y2030.days).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2030-02-02', source: 'rule' })]))
  })

  it("keeps an admin's day set before the year was ever filled, and fills the year only once", async () => {
    expect((await h.api('/calendar/days/2028-11-24', { method: 'PUT', body: { kind: 'holiday', name: 'Ngày Văn hóa Việt Nam' } })).status).toBe(200)
    const first = await (await h.api('/calendar?year=2028')).json()
    expect(first.days).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: '2028-11-24', kind: 'holiday', source: 'admin' }),
        expect.objectContaining({ date: '2028-01-01', kind: 'holiday', source: 'rule' }),
      ]),
    )
    const again = await (await h.api('/calendar?year=2028')).json()
    expect(again.days).toEqual(first.days)
  })
})
