import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attendance } from '#db/schema/index.js'
import { enroll, seedDirectory, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const TG = '6200000001'
const ZL = 'zl-minh-02'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

// The harness clock stands at 09:00 on 16/03/2026 in Can Tho.
async function openSession(body: Record<string, unknown> = {}) {
  const res = await h.api('/sessions', {
    body: {
      title: 'Quán triệt Nghị quyết 71 tại THCS An Hòa',
      kind: 'briefing',
      opensAt: '2026-03-16T01:30:00Z',
      closesAt: '2026-03-16T04:00:00Z',
      ...body,
    },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; code: string }
}

const report = async (id: number) => (await h.api(`/sessions/${id}/attendance`)).json()

describe('check-in on Telegram', () => {
  it('generates a code easy to read aloud and confirms /diemdanh with the title and time', async () => {
    const s = await openSession()
    expect(s.code).toMatch(/^NQ71-\d{4}$/)
    await h.say.telegram(TG, `/diemdanh ${s.code}`)
    const text = h.lastText(h.telegram, TG)
    expect(text).toContain('Đã điểm danh: Quán triệt Nghị quyết 71 tại THCS An Hòa (buổi quán triệt)')
    expect(text).toContain('08:30 16/03/2026 – 11:00 16/03/2026')
    expect(text).toContain('Ghi nhận lúc 09:00 16/03/2026')
  })

  it('answers a repeat clearly and does not count it twice', async () => {
    const s = await openSession()
    await h.say.telegram(TG, `/checkin ${s.code}`)
    h.setNow('2026-03-16T02:10:00Z')
    await h.say.telegram(TG, `/diemdanh ${s.code.toLowerCase()}`)
    expect(h.lastText(h.telegram, TG)).toContain('Bạn đã điểm danh buổi "Quán triệt Nghị quyết 71 tại THCS An Hòa" lúc 09:00 16/03/2026 rồi')
    expect(await h.db.select().from(attendance)).toHaveLength(1)
  })

  it('refuses a late and an early check-in, and a wrong code, and records nothing', async () => {
    const s = await openSession()
    h.setNow('2026-03-16T04:00:01Z')
    await h.say.telegram(TG, `/diemdanh ${s.code}`)
    expect(h.lastText(h.telegram, TG)).toContain('đã hết giờ điểm danh lúc 11:00 16/03/2026')
    h.setNow('2026-03-16T01:00:00Z')
    await h.say.telegram(TG, `/diemdanh ${s.code}`)
    expect(h.lastText(h.telegram, TG)).toContain('chưa mở điểm danh. Điểm danh mở lúc 08:30 16/03/2026')
    await h.say.telegram(TG, '/diemdanh NQ71-0000X')
    expect(h.lastText(h.telegram, TG)).toContain('Không tìm thấy buổi nào có mã "NQ71-0000X"')
    expect(await h.db.select().from(attendance)).toHaveLength(0)
  })

  it('asks for the code when /diemdanh comes without one, then takes the typed code', async () => {
    const s = await openSession({ code: 'TAPHUAN 2026' })
    expect(s.code).toBe('TAPHUAN-2026')
    await h.say.telegram(TG, '/diemdanh')
    expect(h.lastText(h.telegram, TG)).toContain('Vui lòng gửi mã điểm danh')
    await h.say.telegram(TG, 'taphuan2026')
    expect(h.lastText(h.telegram, TG)).toContain('Đã điểm danh')
    // The flow is over: the next free text is not taken as a code.
    await h.say.telegram(TG, 'xin chào')
    expect(h.lastText(h.telegram, TG)).toContain('Tôi chưa hiểu')
  })
})

describe('check-in on Zalo', () => {
  it('takes "diem danh nq71-…" without slash, diacritics or capitals', async () => {
    const s = await openSession({ code: 'NQ71-4821' })
    await h.say.zalo(ZL, 'diem danh nq71-4821')
    expect(h.lastText(h.zalo, ZL)).toContain('Đã điểm danh: Quán triệt Nghị quyết 71')
    await h.say.zalo(ZL, 'Điểm danh NQ71 4821')
    expect(h.lastText(h.zalo, ZL)).toContain('đã điểm danh buổi')
    const r = await report(s.id)
    expect(r.attended).toBe(1)
    expect(r.items).toEqual([expect.objectContaining({ fullName: 'Trần Văn Minh', channel: 'zalo', unitCode: 'THCS-ANHOA' })])
  })

  it('keeps asking after a wrong code typed in the flow', async () => {
    await openSession({ code: 'NQ71-4821' })
    await h.say.zalo(ZL, 'diem danh')
    await h.say.zalo(ZL, 'NQ71-4812')
    expect(h.lastText(h.zalo, ZL)).toContain('Không tìm thấy buổi nào có mã "NQ71-4812"')
    await h.say.zalo(ZL, 'nq71 4821')
    expect(h.lastText(h.zalo, ZL)).toContain('Đã điểm danh')
  })
})

describe('sessions admin API', () => {
  it('counts attendance by unit and role against the audience', async () => {
    const s = await openSession({ audience: { unitCodes: ['P-NINHKIEU'] } })
    await h.say.telegram(TG, `/diemdanh ${s.code}`)
    await enroll(h, ids.phuc, 'telegram', '6200000009')
    // Outside the audience, but briefed all the same: listed and counted apart.
    await h.say.telegram('6200000009', `/checkin ${s.code}`)
    const r = await report(s.id)
    expect(r).toMatchObject({ expected: 2, attended: 2, attendedFromAudience: 1, share: 0.5 })
    const school = r.byUnit.find((u: { unitCode: string }) => u.unitCode === 'THCS-ANHOA')
    expect(school).toMatchObject({ people: 2, counts: { expected: 2, attended: 1 }, shares: { attendedFromAudience: 0.5 } })
    expect(r.byRole.find((x: { role: string }) => x.role === 'teacher')).toMatchObject({ counts: { expected: 2, attended: 1 } })
    expect(r.byRole.find((x: { role: string }) => x.role === 'manager')).toMatchObject({ counts: { expected: 0, attended: 1 } })
    expect(r.items.map((i: { inAudience: boolean }) => i.inAudience)).toEqual([true, false])
  })

  it('refuses a taken code, a window that ends before it starts, and an unknown unit', async () => {
    await openSession({ code: 'NQ71-4821' })
    const taken = await h.api('/sessions', { body: { title: 'x', kind: 'training', opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T02:00:00Z', code: 'nq71 4821' } })
    expect(taken.status).toBe(409)
    const backwards = await h.api('/sessions', { body: { title: 'x', kind: 'training', opensAt: '2026-03-16T03:00:00Z', closesAt: '2026-03-16T02:00:00Z' } })
    expect(backwards.status).toBe(400)
    const kind = await h.api('/sessions', { body: { title: 'x', kind: 'party', opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T02:00:00Z' } })
    expect(kind.status).toBe(400)
    // Found by the fuzz test: a time of the wrong format reached the window check and gave a 500.
    const empty = await h.api('/sessions', { body: { title: 'x', kind: 'training', opensAt: '', closesAt: '2026-03-16T02:00:00Z' } })
    expect(empty.status).toBe(400)
    expect((await empty.json()).error.details).toEqual([expect.objectContaining({ path: 'opensAt' })])
    const unit = await h.api('/sessions', { body: { title: 'x', kind: 'training', opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T02:00:00Z', audience: { unitCodes: ['NOPE'] } } })
    expect(unit.status).toBe(422)
    expect((await h.api('/sessions/999/attendance')).status).toBe(404)
  })
})
