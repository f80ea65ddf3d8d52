import { afterEach, describe, expect, it } from 'vitest'
import { requiredRole } from '#src/http/access.js'
import { startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

interface Day {
  date: string
  kind: string
  name: string
  source: string
  confirmed: boolean
}

async function year(y: number): Promise<Day[]> {
  const res = await h.api(`/calendar?year=${y}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { days: Day[] }).days
}
const on = (days: Day[], date: string) => days.find((d) => d.date === date)
const refill = () => h.api('/jobs/calendar-refill/run', { body: {} })

describe('the working-day calendar', () => {
  it('is filled from the rules for 24 months: Tết flagged, Giỗ Tổ 2026 on a Sunday observed on Monday 27 April, 1/9 and 3/9 flagged, observances', async () => {
    h = await startHarness()
    const run = await refill()
    expect(run.status).toBe(200)
    expect(await run.json()).toMatchObject({ from: '2026-01-01', to: '2028-03-16' })
    const days = await year(2026)
    expect(on(days, '2026-01-01')).toMatchObject({ kind: 'holiday', source: 'rule', confirmed: true })
    for (const date of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      expect(on(days, date)).toMatchObject({ kind: 'holiday', confirmed: false })
    }
    expect(on(days, '2026-04-26')).toMatchObject({ kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', confirmed: true })
    expect(on(days, '2026-04-27')).toMatchObject({ kind: 'observed', name: 'Nghỉ bù: Giỗ Tổ Hùng Vương (10/3 âm lịch)' })
    expect(on(days, '2026-09-01')).toMatchObject({ kind: 'holiday', confirmed: false })
    expect(on(days, '2026-09-03')).toMatchObject({ kind: 'holiday', confirmed: false })
    expect(on(days, '2026-11-20')).toMatchObject({ kind: 'observance', name: 'Ngày Nhà giáo Việt Nam' })
    expect(on(days, '2026-03-14')).toBeUndefined() // a plain Saturday is not listed
    // 24 months ahead: Tết 2028 (26 January) is there, from its eve.
    expect(on(await year(2028), '2028-01-25')).toMatchObject({ kind: 'holiday', confirmed: false })
  })

  it("keeps an admin's changes through every refill: a confirmed Tết, a removed 3/9, a swapped Saturday, a new 24/11", async () => {
    h = await startHarness()
    await refill()
    const put = (date: string, body: unknown) => h.api(`/calendar/days/${date}`, { method: 'PUT', body })
    expect((await put('2026-02-16', { kind: 'holiday', name: 'Tết Nguyên đán' })).status).toBe(200)
    expect((await h.api('/calendar/days/2026-09-03', { method: 'DELETE' })).status).toBe(200)
    expect((await put('2026-09-01', { kind: 'holiday', name: 'Quốc khánh (ngày liền kề)' })).status).toBe(200)
    expect((await put('2026-02-14', { kind: 'swap_work', name: 'Làm bù cho 23/2' })).status).toBe(200)
    expect((await put('2026-11-24', { kind: 'holiday', name: 'Ngày Văn hóa Việt Nam' })).status).toBe(200)
    await refill()
    await refill()
    const days = await year(2026)
    expect(on(days, '2026-02-16')).toEqual({ date: '2026-02-16', kind: 'holiday', name: 'Tết Nguyên đán', source: 'admin', confirmed: true })
    expect(on(days, '2026-09-03')).toBeUndefined()
    expect(on(days, '2026-09-01')).toMatchObject({ source: 'admin', confirmed: true })
    expect(on(days, '2026-02-14')).toMatchObject({ kind: 'swap_work', source: 'admin' })
    expect(on(days, '2026-11-24')).toMatchObject({ kind: 'holiday', name: 'Ngày Văn hóa Việt Nam' })
    // The untouched rule days are still the rules'.
    expect(on(days, '2026-02-17')).toMatchObject({ source: 'rule', confirmed: false })
  })

  it('refuses bad input in Vietnamese and changes nothing', async () => {
    h = await startHarness()
    await refill()
    const before = await year(2026)
    const cases: [string, string, unknown, number, RegExp][] = [
      ['PUT', '/calendar/days/2026-02-30', { kind: 'holiday', name: 'x' }, 422, /không có thật/],
      ['PUT', '/calendar/days/2026-03-02', { kind: 'vacation', name: 'x' }, 422, /Loại ngày "vacation" không hợp lệ/],
      ['PUT', '/calendar/days/2026-03-02', { kind: 'holiday', name: '  ' }, 422, /Cần tên ngày/],
      ['PUT', '/calendar/days/2026-03-02', { kind: 'swap_work', name: 'Làm bù' }, 422, /không phải thứ Bảy hay Chủ nhật/],
      ['PUT', '/calendar/days/2026-03-02', 'not json', 400, /JSON/],
      ['DELETE', '/calendar/days/2026-03-02', undefined, 404, /Lịch không có ngày 2026-03-02/],
      ['GET', '/calendar?year=26', undefined, 422, /Năm "26" chưa hợp lệ/],
    ]
    for (const [method, path, body, status, message] of cases) {
      const res = await h.api(path, { method, body })
      expect([path, res.status]).toEqual([path, status])
      const { error } = (await res.json()) as { error: { message: string } }
      expect(error.message).toMatch(message)
    }
    expect(await year(2026)).toEqual(before)
  })

  it('lets every account read it and only admins change it', () => {
    expect(requiredRole('GET', '/calendar')).toBe('viewer')
    expect(requiredRole('PUT', '/calendar/days/2026-03-02')).toBe('admin')
    expect(requiredRole('DELETE', '/calendar/days/2026-03-02')).toBe('admin')
  })
})
