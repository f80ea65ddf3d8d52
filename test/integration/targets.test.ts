import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * The plan's targets against the records, built from real use: a brief sent and acknowledged, a
 * briefing and a training with check-ins, a digital product, a report that was not sent.
 */
let h: Harness
const TG = '6300000011'
const ZL = 'zl-minh-11'
const HOA = 'zl-hoa-11'

beforeEach(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

const targetsOf = async (query = '') => {
  const res = await h.api(`/targets${query}`)
  expect(res.status).toBe(200)
  const body = await res.json()
  return { body, byId: Object.fromEntries(body.targets.map((t: { id: string }) => [t.id, t])) as Record<string, any> }
}

describe('plan targets', () => {
  it('shows each target of the plan against what the bots recorded this year', async () => {
    // Hoa does communications for the ward and is on Zalo.
    const hoa = (await (await h.api('/people', { body: { externalId: 'TT001', fullName: 'Phạm Thị Hoa', unitCode: 'P-NINHKIEU', roles: ['comms_staff'] } })).json())
      .people[0].id
    await enroll(h, hoa, 'zalo', HOA)

    // A brief to everyone, sent; Lan acknowledges it with the button.
    const brief = await (await h.api('/broadcasts', { body: { kind: 'brief', title: 'Tóm tắt NQ71', body: 'Nội dung.', audience: { unitCodes: ['SGDDT'] } } })).json()
    await h.flush()
    await h.say.press(TG, `ack:${brief.id}`)
    // One digital product this year.
    await h.api('/broadcasts', { body: { kind: 'digital_product', title: 'Video NQ71', body: 'Xem video.', audience: { unitCodes: ['SGDDT'] } } })
    await h.flush()
    // Minh comes to a briefing, Hoa to a training.
    const window = { opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T04:00:00Z' }
    const briefing = await (await h.api('/sessions', { body: { title: 'Quán triệt', kind: 'briefing', ...window } })).json()
    const training = await (await h.api('/sessions', { body: { title: 'Tập huấn', kind: 'training', ...window } })).json()
    await h.say.zalo(ZL, `diem danh ${briefing.code}`)
    await h.say.zalo(HOA, `diem danh ${training.code}`)
    // The school's report was due on 18/03 and never came.
    expect((await h.api('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-18', unitKinds: ['school'] } })).status).toBe(201)
    h.setNow('2026-03-20T02:00:00Z')

    const { body, byId } = await targetsOf()
    expect(body).toMatchObject({ year: 2026, from: '2025-12-31T17:00:00.000Z', to: '2026-03-20T02:00:00.000Z' })
    expect(body.targets.map((t: { id: string }) => t.id)).toEqual([
      'unitsReporting',
      'staffBriefed',
      'commsStaffTrained',
      'managersTeachersReached',
      'digitalProducts',
      'focalPoints',
    ])
    expect(byId.unitsReporting).toMatchObject({ goal: { share: 1 }, count: 0, of: 1, share: 0, met: false })
    expect(byId.unitsReporting.title).toMatch(/^100% đơn vị triển khai truyền thông/)
    // Lan acknowledged, Minh attended: 2 of the 4 people in the directory. Declared staff per unit:
    // the Department declared nothing (its 1 person counts), the ward 40 (> Hoa), the school 60 (> 2): 101.
    expect(byId.staffBriefed).toMatchObject({ goal: { share: 1 }, count: 2, of: 4, share: 0.5, ofStaff: 101, shareOfStaff: 0.0198, met: false })
    expect(byId.commsStaffTrained).toMatchObject({ goal: { share: 0.7 }, count: 1, of: 1, share: 1, met: true })
    // Lan and Minh got the brief; Phúc (manager) has not linked a chat, so nothing reached him.
    expect(byId.managersTeachersReached).toMatchObject({ goal: { share: 0.9 }, count: 2, of: 3, share: 0.6667, met: false })
    expect(byId.digitalProducts).toMatchObject({ goal: { min: 20, max: 30 }, count: 1, met: false })
    // Of the department, the ward and the school, only the school has a focal point (Minh, linked).
    expect(byId.focalPoints).toMatchObject({ goal: { share: 1 }, count: 1, of: 3, share: 0.3333, linked: 1, met: false })
  })

  it('gives titles in English on request, another year on request, and refuses a bad year', async () => {
    const { byId } = await targetsOf('?lang=en')
    expect(byId.commsStaffTrained.title).toBe('At least 70% of communications staff trained (attended a training)')
    // Nobody in a role, no report due: nothing to measure yet, which is not the same as failing.
    expect(byId.unitsReporting).toMatchObject({ count: 0, of: 0, share: null, met: null })
    const past = await targetsOf('?year=2025')
    expect(past.body).toMatchObject({ year: 2025, from: '2024-12-31T17:00:00.000Z', to: '2025-12-31T17:00:00.000Z' })
    // The three people entered the directory in March 2026: in 2025 there was no one to count yet.
    expect(past.byId.staffBriefed).toMatchObject({ count: 0, of: 0, met: null, status: null })
    // A year that has not begun: nothing to measure, not a failure.
    const next = await targetsOf('?year=2027')
    expect(next.body).toMatchObject({ from: '2026-12-31T17:00:00.000Z', to: '2026-12-31T17:00:00.000Z' })
    expect(next.body.targets.map((t: { met: unknown }) => t.met)).toEqual([null, null, null, null, null, null])
    expect((await h.api('/targets?year=năm-nay')).status).toBe(400)
  })
})
