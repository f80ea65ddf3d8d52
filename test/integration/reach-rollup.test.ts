import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { buildReachRollup } from '#src/domain/reach-rollup.js'
import { planTargets, resolveSpan, targetPeople, type SpanQuery, type TargetId } from '#src/domain/targets.js'
import { at, seedCity } from '../helpers/city.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/**
 * The reach rollup (src/domain/reach-rollup.ts) against the records it rolls up: the targets read
 * from it must equal the targets computed from the records themselves (`fromRecords`, the
 * computation the rollup replaced), for whole years, report periods that start mid-month, ranges
 * cut inside months, a month boundary in the zone, records after "now", both rhythms and another
 * zone; and the rows the triggers kept must equal a rebuild from the records.
 */
let h: Harness
afterEach(() => h?.close())

const VN = 'Asia/Ho_Chi_Minh'
const perUnit: TargetId[] = ['staffBriefed', 'commsStaffTrained', 'managersTeachersReached', 'focalPoints', 'unitsReporting']

/** The small city of test/helpers/city.ts, with the rollup built before anything is recorded (so the triggers keep it), then a month boundary. */
async function cityAcrossMonths() {
  h = await startHarness()
  expect((await h.api('/jobs/reach-rollup/run', { body: {} })).status).toBe(200)
  expect(await h.db.all(sql`select time_zone as zone, phase from reach_state`)).toEqual([{ zone: VN, phase: 3 }])
  const { ids, periodId } = await seedCity(h)
  // A report period due 14/02: the first quarter's (due 10/03) then covers 15/02 to 10/03, from mid-month.
  h.setNow(at('2026-02-01'))
  const feb = await h.api('/report-periods', { body: { name: 'Báo cáo tháng 1', dueAt: '2026-02-14', unitKinds: ['school'] } })
  expect(feb.status).toBe(201)
  // A briefing across midnight of 31/03: A2 checks in on 31/03 at 23:30, D1 on 01/04 at 00:30 (local).
  h.setNow(at('2026-03-31', '23:00'))
  const session = await h.api('/sessions', {
    body: { title: 'Quán triệt cuối tháng', kind: 'briefing', opensAt: at('2026-03-31', '22:00'), closesAt: at('2026-04-01', '02:00') },
  })
  const { code } = (await session.json()) as { code: string }
  h.setNow(at('2026-03-31', '23:30'))
  await h.say.zalo('zl-a2', `diem danh ${code}`)
  h.setNow(at('2026-04-01', '00:30'))
  await h.say.telegram('7100000007', `/diemdanh ${code}`)
  // A brief to TH-A1 delivered on 31/03 at 23:50, acknowledged by A3 on 01/04 at 00:10; a training in April for C2.
  h.setNow(at('2026-03-31', '23:50'))
  const res = await h.api('/broadcasts', { body: { kind: 'brief', title: 'Tóm tắt NQ71 (3)', body: 'Nội dung.', audience: { unitCodes: ['TH-A1'] } } })
  const brief = ((await res.json()) as { id: number }).id
  await h.flush()
  h.setNow(at('2026-04-01', '00:10'))
  await h.say.press('7100000003', `ack:${brief}`)
  h.setNow(at('2026-04-02', '08:30'))
  const training = await h.api('/sessions', { body: { title: 'Tập huấn', kind: 'training', opensAt: at('2026-04-02', '08:00'), closesAt: at('2026-04-02', '11:00') } })
  await h.say.telegram('7100000005', `/diemdanh ${((await training.json()) as { code: string }).code}`)
  h.setNow(at('2026-04-20'))
  return { ids, periodId, febId: ((await feb.json()) as { id: number }).id }
}

/** Every figure, per ward and per unit, and the people behind three of them: from the rollup, then from the records. */
async function bothWays(q: SpanQuery, now: Date, rhythm: 'monthly' | 'quarterly', timeZone = VN) {
  const span = await resolveSpan(h.db, q, now, timeZone)
  const read = async (fromRecords: boolean) => {
    const opts = { rhythm, timeZone, now, fromRecords }
    const targets = await planTargets(h.db, span, { ...opts, unitsFor: perUnit })
    const people = []
    for (const id of ['staffBriefed', 'commsStaffTrained', 'managersTeachersReached'] as const) {
      people.push(await targetPeople(h.db, id, span, { ...opts, unit: 'SGDDT', limit: 100, offset: 0 }))
    }
    return { targets, people }
  }
  return { rollup: await read(false), records: await read(true) }
}

const rollupRows = () => h.db.all(sql`select person_id, year, reached, briefed, trained from reach_months order by person_id, year`)

describe('the reach rollup', () => {
  it('gives the figures the records give, for years, periods from mid-month, ranges cut inside months, across midnight of a month, and before records made later', async () => {
    const { periodId, febId } = await cityAcrossMonths()
    const spans: SpanQuery[] = [
      { year: 2026 },
      { periodId },
      { periodId: febId },
      { from: '2026-03-20', to: '2026-04-05' },
      { from: '2026-01-01', to: '2026-03-31' },
      { from: '2026-03-31T23:40:00+07:00', to: '2026-04-01T00:20:00+07:00' },
      { year: 2025 },
    ]
    // Now, and on 16/03 at 08:30: the check-ins of that morning and everything after were recorded later.
    let compared = 0
    for (const now of [new Date(at('2026-04-20')), new Date(at('2026-03-16', '08:30')), new Date(at('2026-04-01', '00:20'))]) {
      for (const q of spans) {
        for (const rhythm of ['monthly', 'quarterly'] as const) {
          const { rollup, records } = await bothWays(q, now, rhythm)
          expect(rollup, `${JSON.stringify(q)} ${rhythm} at ${now.toISOString()}`).toEqual(records)
          compared++
        }
      }
    }
    expect(compared).toBe(42)

    // What the figures are, so the comparison is not of two empty answers. D1 checked in on 01/04
    // at 00:30: April in Can Tho; A2 at 23:30 on 31/03: March.
    const year = await bothWays({ year: 2026 }, new Date(at('2026-04-20')), 'monthly')
    const tm = year.rollup.people[2]!.items
    const periods = (name: string) => (tm.find((p) => p.fullName === name)!.periods as { reached: boolean }[]).map((p) => p.reached)
    expect(periods('Đỗ Văn Một')).toEqual([true, false, true, true])
    expect(periods('An Văn Hai')).toEqual([true, true, true, false])
    // A3 read the brief of 31/03 at 00:10 on 01/04, in April; A1 read one in March; W1 and A2, D1 attended briefings.
    const briefed = year.rollup.people[0]!.items.filter((p) => p.counts).map((p) => p.fullName)
    expect(briefed.sort()).toEqual(['An Văn Ba', 'An Văn Hai', 'An Văn Một', 'Vũ Thị Phường', 'Đỗ Văn Một'].sort())
    // Only April's first twenty minutes: A3's acknowledgement (and the brief's delivery at 23:50 is outside it).
    const night = await bothWays({ from: '2026-04-01T00:00:00+07:00', to: '2026-04-01T00:20:00+07:00' }, new Date(at('2026-04-20')), 'monthly')
    expect(night.rollup.people[0]!.items.filter((p) => p.counts).map((p) => p.fullName)).toEqual(['An Văn Ba'])
    const trained = year.rollup.targets.targets.find((t) => t.id === 'commsStaffTrained')!
    expect(trained).toMatchObject({ count: 1, of: 2 })

    // Over HTTP, the same: the figures of the report period from 15/02.
    const api = (await (await h.api(`/targets?periodId=${periodId}`)).json()) as { targets: { id: string; count: number; of: number }[] }
    const domain = (await bothWays({ periodId }, new Date(at('2026-04-20')), 'monthly')).records.targets.targets
    expect(api.targets.map((t) => [t.id, t.count, t.of])).toEqual(domain.map((t) => [t.id, t.count, t.of]))
  })

  it('keeps by triggers the rows a rebuild from the records makes, rebuilds in chunks that a later run continues, and for another zone', async () => {
    await cityAcrossMonths()
    const kept = await rollupRows()
    expect(kept.length).toBeGreaterThan(5)
    // From scratch, three rows of a table per chunk, as little as possible per call: several calls.
    await h.db.run(sql`delete from reach_state`)
    let calls = 0
    for (;;) {
      calls++
      const r = await buildReachRollup(h.db, VN, { now: h.now(), budgetMs: 0, chunkRows: 3 })
      if (r.ready) break
      expect(calls).toBeLessThan(200)
    }
    expect(calls).toBeGreaterThan(1)
    expect(await rollupRows()).toEqual(kept)

    // Another zone: the months move. In UTC, D1's check-in (17:30 on 31/03 UTC) is in March.
    const built = await buildReachRollup(h.db, 'UTC', { now: h.now() })
    expect(built).toMatchObject({ ready: true, reset: true })
    expect(await h.db.all(sql`select time_zone as zone from reach_state`)).toEqual([{ zone: 'UTC' }])
    const now = new Date(at('2026-04-20'))
    for (const q of [{ year: 2026 }, { from: '2026-03-31', to: '2026-04-01' }] as SpanQuery[]) {
      for (const rhythm of ['monthly', 'quarterly'] as const) {
        const { rollup, records } = await bothWays(q, now, rhythm, 'UTC')
        expect(rollup).toEqual(records)
      }
    }
    const utc = await bothWays({ year: 2026 }, now, 'monthly', 'UTC')
    const d1 = utc.rollup.people[2]!.items.find((p) => p.fullName === 'Đỗ Văn Một')!
    expect((d1.periods as { reached: boolean }[]).map((p) => p.reached)).toEqual([true, false, true, false])
    // The app reads in its own zone: the first read rebuilds the rollup for it, and the rows are the ones the triggers kept.
    expect((await h.api('/targets')).status).toBe(200)
    expect(await h.db.all(sql`select time_zone as zone, phase from reach_state`)).toEqual([{ zone: VN, phase: 3 }])
    expect(await rollupRows()).toEqual(kept)
  })

  it('gives the records\' figures for spans across a new year, longer than a year, and after people are erased', async () => {
    h = await startHarness()
    expect((await h.api('/jobs/reach-rollup/run', { body: {} })).status).toBe(200)
    const { ids } = await seedCity(h)
    // An announcement in November, a brief on 20/12 acknowledged by A3 on 03/01, one to TH-D in February.
    const send = async (when: string, body: Record<string, unknown>) => {
      h.setNow(when)
      const res = await h.api('/broadcasts', { body })
      expect(res.status).toBe(201)
      await h.flush()
      return ((await res.json()) as { id: number }).id
    }
    await send(at('2026-11-20'), { kind: 'announcement', title: 'T', body: 'N', audience: { unitCodes: ['TH-A1'] } })
    const b = await send(at('2026-12-20'), { kind: 'brief', title: 'B', body: 'N', audience: { unitCodes: ['SGDDT'] } })
    h.setNow(at('2027-01-03'))
    await h.say.press('7100000003', `ack:${b}`)
    await send(at('2027-02-10'), { kind: 'announcement', title: 'T2', body: 'N', audience: { unitCodes: ['TH-D'] } })
    h.setNow(at('2027-02-12'))
    const spans: SpanQuery[] = [
      { from: '2026-11-15', to: '2027-01-10' },
      { from: '2026-01-01', to: '2027-02-28' },
      { from: '2026-10-01', to: '2027-01-31' },
      { from: '2025-12-01', to: '2027-02-11' },
      { year: 2027 },
      { year: 2026 },
    ]
    const check = async () => {
      for (const now of [new Date(at('2027-02-12')), new Date(at('2027-01-02'))]) {
        for (const q of spans) {
          for (const rhythm of ['monthly', 'quarterly'] as const) {
            const { rollup, records } = await bothWays(q, now, rhythm)
            expect(rollup, `${JSON.stringify(q)} ${rhythm} at ${now.toISOString()}`).toEqual(records)
          }
        }
      }
    }
    await check()
    // Not two empty answers: A3's acknowledgement of 03/01 counts in a span from November; D1 was reached in Dec and Feb.
    const across = await bothWays({ from: '2026-11-15', to: '2027-02-11' }, new Date(at('2027-02-12')), 'monthly')
    expect(across.rollup.people[0]!.items.filter((p) => p.counts).map((p) => p.fullName)).toEqual(['An Văn Ba'])
    const d1 = across.rollup.people[2]!.items.find((p) => p.fullName === 'Đỗ Văn Một')!
    expect((d1.periods as { reached: boolean }[]).map((p) => p.reached)).toEqual([false, true, false, true])
    // Erased people keep their records, and the rollup its bits: still the same figures.
    expect((await h.api(`/people/${ids.A3}`, { method: 'DELETE' })).status).toBe(200)
    expect((await h.api(`/people/${ids.D1}`, { method: 'DELETE' })).status).toBe(200)
    await check()
  })
})
