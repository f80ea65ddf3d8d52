import { afterEach, describe, expect, it } from 'vitest'
import { seedCity as seed } from '../helpers/city.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/** The plan's targets as the plan words them, on the small city of test/helpers/city.ts (figures worked out there). */
let h: Harness
afterEach(() => h?.close())

async function seedCity(env: Record<string, string> = {}) {
  h = await startHarness(env)
  return seed(h)
}

const get = async (path: string, status = 200) => {
  const res = await h.api(path)
  expect(res.status, await res.clone().text()).toBe(status)
  return res.json() as Promise<any>
}
const byId = (body: { targets: { id: string }[] }) => Object.fromEntries(body.targets.map((t) => [t.id, t])) as Record<string, any>
const ward = (t: { byWard: { ward: { code: string } | null }[] }, code: string | null) => t.byWard.find((w) => (w.ward?.code ?? null) === code)

describe('plan targets as the plan words them', () => {
  it('counts "reached regularly" month by month since each person entered, per ward and per unit, with declared staff per unit', async () => {
    await seedCity()
    const body = await get('/targets')
    expect(body).toMatchObject({ rhythm: 'monthly', span: { kind: 'year', year: 2026 }, reportPeriodsDue: 1 })
    expect(body.periods).toHaveLength(3) // January, February, March up to now
    const t = byId(body)

    // Managers and teachers in education units: A1 A2 A3 B1 B2 D1 (PR works at the newspaper).
    // Every month since entering: A1 A2 A3 (Jan, Feb, Mar); B1 (entered in March: March only).
    // D1 missed February; B2 has no chat. 4 of 6. Declared staff per unit, the larger of declared
    // and managers/teachers in the directory: P-A 10, TH-A1 30, TH-B1 2, TH-D 5 → 47.
    expect(t.managersTeachersReached).toMatchObject({ count: 4, of: 6, share: 0.6667, ofStaff: 47, shareOfStaff: 0.0851, met: false, status: 'behind' })
    expect(t.managersTeachersReached.definition).toContain('mỗi tháng')
    expect(ward(t.managersTeachersReached, 'P-A')).toMatchObject({ ward: { name: 'Phường A' }, count: 3, of: 3, share: 1, ofStaff: 40 })
    expect(ward(t.managersTeachersReached, 'P-B')).toMatchObject({ count: 1, of: 2, share: 0.5, ofStaff: 2 })
    expect(ward(t.managersTeachersReached, null)).toMatchObject({ count: 0, of: 1, ofStaff: 5 })

    // Briefed: A1 acknowledged a brief, W1 attended the briefing: 2 of the 8 people in education units.
    // Declared staff per unit: P-A 10, TH-A1 30, P-B 1 (C2; nothing declared), TH-B1 2, TH-D 5, SGDDT 0 → 48.
    expect(t.staffBriefed).toMatchObject({ count: 2, of: 8, share: 0.25, ofStaff: 48, shareOfStaff: 0.0417, status: 'behind' })
    // Communications staff: C2 trained, W1 not: 50 %, more than 10 points under 70 %.
    expect(t.commsStaffTrained).toMatchObject({ count: 1, of: 2, share: 0.5, met: false, status: 'behind' })
    expect(ward(t.commsStaffTrained, 'P-B')).toMatchObject({ count: 1, of: 1 })
    // Reports due 10/03 from the three schools: TH-A1 on time, TH-D late, TH-B1 missing.
    expect(t.unitsReporting).toMatchObject({ count: 2, of: 3, onTime: 1, share: 0.6667, shareOnTime: 0.3333, met: false })
    expect(ward(t.unitsReporting, null)).toMatchObject({ count: 1, of: 1, onTime: 0 })
    // Education units: SGDDT, P-A, TH-A1, P-B, TH-B1, TH-D; focal points in TH-A1, TH-B1 (B2, no chat), TH-D.
    expect(t.focalPoints).toMatchObject({ count: 3, of: 6, share: 0.5, linked: 2 })
    expect(t.digitalProducts).toMatchObject({ goal: { min: 20, max: 30 }, count: 0, met: false })
    for (const target of body.targets) expect(target.definition.length).toBeGreaterThan(40)

    // Drilling down: the units of ward B, then the people of TH-B1 behind the figure, missing first.
    const units = await get('/targets/managersTeachersReached/units?ward=P-B')
    expect(units.ward).toEqual({ code: 'P-B', name: 'Phường B' })
    expect(units.units).toEqual([
      { unit: { code: 'TH-B1', name: 'Trường B1', kind: 'school', staffCount: null }, count: 1, of: 2, share: 0.5, ofStaff: 2, shareOfStaff: 0.5 },
    ])
    const wardA = await get('/targets/staffBriefed/units?ward=P-A')
    expect(wardA.units.map((u: any) => [u.unit.code, u.count, u.of, u.ofStaff])).toEqual([
      ['P-A', 1, 1, 10],
      ['TH-A1', 1, 3, 30],
    ])
    const people = await get('/targets/managersTeachersReached/people?unit=P-B')
    expect(people).toMatchObject({ unit: { code: 'P-B' }, total: 2 })
    expect(people.items.map((p: any) => [p.fullName, p.unit.code, p.counts])).toEqual([
      ['Bùi Văn Hai', 'TH-B1', false],
      ['Bùi Văn Một', 'TH-B1', true],
    ])
    // B1 entered on 05/03: only March was asked of him.
    expect(people.items[1].periods).toEqual([{ from: '2026-02-28T17:00:00.000Z', reached: true }])
    const d = await get('/targets/managersTeachersReached/people?unit=TH-D&state=missing')
    expect(d.items.map((p: any) => [p.fullName, p.periods.map((x: any) => x.reached)])).toEqual([['Đỗ Văn Một', [true, false, true]]])
    const page = await get('/targets/managersTeachersReached/people?unit=SGDDT&limit=2&offset=2')
    expect(page).toMatchObject({ total: 6, limit: 2, offset: 2 })
    expect(page.items).toHaveLength(2)
    const focal = await get('/targets/focalPoints/people?unit=P-B')
    expect(focal.items.map((p: any) => [p.fullName, p.linked])).toEqual([['Bùi Văn Hai', false]])
  })

  it('measures a chosen span: a range of days or a report period', async () => {
    const { periodId } = await seedCity()
    // February only: B1 was not in the directory yet; A1 A2 A3 reached, B2 and D1 not: 3 of 5.
    const feb = byId(await get('/targets?from=2026-02-01&to=2026-02-28'))
    expect(feb.managersTeachersReached).toMatchObject({ count: 3, of: 5 })
    expect(feb.unitsReporting).toMatchObject({ count: 0, of: 0, met: null })
    // The report period: 01/01 to its deadline 10/03; no one was reached in March before the 10th.
    const period = await get(`/targets?periodId=${periodId}`)
    expect(period.span).toMatchObject({ kind: 'period', periodId, from: '2025-12-31T17:00:00.000Z', end: '2026-03-10T16:59:59.000Z' })
    expect(byId(period).managersTeachersReached).toMatchObject({ count: 0, of: 6 })
    expect(byId(period).unitsReporting).toMatchObject({ count: 2, of: 3, onTime: 1 })
  })

  it('counts each quarter instead when REACH_RHYTHM is quarterly', async () => {
    await seedCity({ REACH_RHYTHM: 'quarterly' })
    const body = await get('/targets?lang=en')
    expect(body.periods).toHaveLength(1)
    // One quarter so far: everyone linked was reached in it (D1 too); B2 was not. 5 of 6.
    const t = byId(body)
    expect(t.managersTeachersReached).toMatchObject({ count: 5, of: 6, share: 0.8333, status: 'close' })
    expect(t.managersTeachersReached.definition).toContain('in each quarter of the span')
  })

  it('refuses bad spans, unknown targets and units, and drills that do not apply, in Vietnamese', async () => {
    h = await startHarness()
    await h.api('/units', { body: [{ code: 'SGDDT', name: 'Sở', kind: 'department' }] })
    expect((await get('/targets?from=2026-03-01&to=2026-02-01', 400)).error.message).toBe('Khoảng thời gian chưa hợp lệ: to phải sau from.')
    expect((await get('/targets?from=2020-01-01&to=2026-01-01', 400)).error.message).toMatch(/quá dài/)
    expect((await get('/targets?periodId=99', 404)).error.message).toBe('Không có kỳ báo cáo số 99.')
    expect((await get('/targets/nope/units', 404)).error.message).toMatch(/^Không có chỉ tiêu nope/)
    expect((await get('/targets/staffBriefed/people?unit=XX', 404)).error.message).toBe('Không có đơn vị mã XX.')
    expect((await get('/targets/staffBriefed/people', 400)).error.details).toBeTruthy()
    expect((await get('/targets/unitsReporting/people?unit=SGDDT', 422)).error.message).toMatch(/không đếm người/)
    expect((await get('/targets/digitalProducts/units', 422)).error.code).toBeTruthy()
  })
})
