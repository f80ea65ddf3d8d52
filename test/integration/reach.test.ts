import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { broadcastRecipients, broadcasts } from '#db/schema/index.js'
import { seedDirectory, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const TG = '6300000001'
const ZL = 'zl-minh-03'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

/** A brief acknowledged by Lan and an announcement acknowledged by Minh (which is not a brief). */
async function seedAcks() {
  const [brief, news] = await h.db
    .insert(broadcasts)
    .values([
      { kind: 'brief', title: 'Tóm tắt NQ71', body: '…', audience: {}, scheduledAt: h.now() },
      { kind: 'announcement', title: 'Thông báo', body: '…', audience: {}, scheduledAt: h.now() },
    ])
    .returning()
  const unitId = (await (await h.api('/units')).json()).items.find((u: { code: string }) => u.code === 'THCS-ANHOA').id
  await h.db.insert(broadcastRecipients).values([
    { broadcastId: brief!.id, personId: ids.lan, unitId, channel: 'telegram', chatId: TG, ackedAt: new Date('2026-03-16T03:00:00Z') },
    { broadcastId: brief!.id, personId: ids.minh, unitId, channel: 'zalo', chatId: ZL, ackedAt: null },
    { broadcastId: news!.id, personId: ids.minh, unitId, channel: 'zalo', chatId: ZL, ackedAt: new Date('2026-03-16T03:00:00Z') },
  ])
}

describe('reach', () => {
  it('counts people, links, acknowledged briefs, briefings attended and quizzes passed per unit and role', async () => {
    await seedAcks()
    const session = await (
      await h.api('/sessions', { body: { title: 'Quán triệt', kind: 'briefing', opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T04:00:00Z' } })
    ).json()
    await h.say.zalo(ZL, `diem danh ${session.code}`)
    const quiz = await (
      await h.api('/quizzes', { body: { title: 'NQ71', questions: [{ text: 'Q?', options: ['a1', 'b1'], correct: 0 }], closesAt: '2026-03-20T00:00:00Z' } })
    ).json()
    await h.say.press(TG, `qz:${quiz.id}:start`)
    await h.say.press(TG, `qz:${quiz.id}:0:0`)
    expect(h.lastText(h.telegram, TG)).toContain('đã đạt')

    const res = await h.api('/reach?from=2026-03-01&to=2026-03-31')
    expect(res.status).toBe(200)
    const r = await res.json()
    expect(r.from).toBe('2026-02-28T17:00:00.000Z')
    expect(r.to).toBe('2026-03-31T17:00:00.000Z')
    expect(r.total).toMatchObject({
      people: 3,
      counts: { linked: 2, ackedBrief: 1, attendedBriefing: 1, briefed: 2, attendedTraining: 0, passedQuiz: 1 },
      shares: { linked: 0.6667, briefed: 0.6667, passedQuiz: 0.3333 },
      staffCount: 100,
    })
    const school = r.byUnit.find((u: { unitCode: string }) => u.unitCode === 'THCS-ANHOA')
    expect(school).toMatchObject({
      people: 2,
      staffCount: 60,
      directoryIncomplete: true,
      counts: { linked: 2, ackedBrief: 1, attendedBriefing: 1, briefed: 2, passedQuiz: 1 },
      shares: { linked: 1, ackedBrief: 0.5, briefed: 1, passedQuiz: 0.5 },
      sharesOfStaff: { linked: 0.0333, briefed: 0.0333, passedQuiz: 0.0167 },
    })
    expect(school.byRole.find((x: { role: string }) => x.role === 'focal_point')).toMatchObject({
      people: 1,
      counts: { attendedBriefing: 1, ackedBrief: 0, passedQuiz: 0 },
    })
    // A unit with nobody in the directory yet still shows, against its staff count.
    const ward = r.byUnit.find((u: { unitCode: string }) => u.unitCode === 'P-NINHKIEU')
    expect(ward).toMatchObject({ people: 0, staffCount: 40, directoryIncomplete: true, sharesOfStaff: { linked: 0 } })
    const teachers = r.byRole.find((x: { role: string }) => x.role === 'teacher')
    expect(teachers).toMatchObject({ people: 2, counts: { linked: 2, briefed: 2, passedQuiz: 1 }, shares: { briefed: 1 } })
    const managers = r.byRole.find((x: { role: string }) => x.role === 'manager')
    expect(managers).toMatchObject({ people: 1, counts: { linked: 0, briefed: 0 } })
  })

  it('counts only what happened in the period', async () => {
    await seedAcks()
    const r = await (await h.api('/reach?from=2026-03-17&to=2026-03-31')).json()
    expect(r.total.counts).toMatchObject({ linked: 2, ackedBrief: 0, briefed: 0 })
    const bad = await h.api('/reach?from=2026-03-31&to=2026-03-01')
    expect(bad.status).toBe(400)
    expect((await h.api('/reach?from=yesterday')).status).toBe(400)
  })
})

describe('reach as CSV', () => {
  it('gives one row per unit with the counts and the two shares the plan sets targets on', async () => {
    await seedAcks()
    const res = await h.api('/reach?from=2026-03-01&to=2026-03-31&format=csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tiep-can-2026-03-01-2026-03-31.csv"')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n')
    expect(lines[0]).toBe(
      'Mã đơn vị;Tên đơn vị;Số cán bộ (đơn vị khai báo);Số người trong danh bạ;Đã liên kết bot;Xác nhận đã đọc bản tin;' +
        'Dự buổi quán triệt;Được phổ biến, quán triệt;Được tiếp cận qua kênh chính thống;Dự tập huấn;Đạt bài kiểm tra;' +
        'Tỷ lệ được phổ biến (%);Tỷ lệ được tiếp cận (%)',
    )
    // Lan acknowledged the brief (briefed and reached); Minh acknowledged only an announcement.
    expect(lines).toContain('THCS-ANHOA;Trường THCS An Hòa;60;2;2;1;0;1;1;0;0;50;50')
    expect(lines).toContain('P-NINHKIEU;UBND phường Ninh Kiều;40;0;0;0;0;0;0;0;0;;')
  })
})
