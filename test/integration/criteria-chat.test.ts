import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/** Minh (school focal point) on Telegram, Tâm (ward focal point) on Zalo, Lan (teacher) on Telegram. */
const MINH = '501'
const LAN = '503'
const TAM = 'z-tam'

/** A school has two manual criteria (B1, B3) and one automatic (A1); the ward has one manual (B2). */
const SET = {
  opensAt: '2026-11-01T00:00:00+07:00',
  closesAt: '2026-12-16T00:00:00+07:00',
  groups: [
    { code: 'A', title: 'Tổ chức thực hiện', criteria: [{ code: 'A1', title: 'Có đầu mối truyền thông đã liên kết', maxPoints: 10, type: 'automatic', metric: 'focal_point_linked' }] },
    {
      code: 'B',
      title: 'Hoạt động và sản phẩm',
      criteria: [
        { code: 'B1', title: 'Tổ chức hoạt động chào mừng 20/11', maxPoints: 20, type: 'manual', appliesTo: ['school'] },
        { code: 'B2', title: 'Chuyên mục trên cổng thông tin phường', maxPoints: 15, type: 'manual', appliesTo: ['commune'] },
        { code: 'B3', title: 'Bản tin nội bộ hằng tháng', maxPoints: 5, type: 'manual', appliesTo: ['school'] },
      ],
    },
  ],
}

interface Criterion { code: string; selfPoints?: number | null; evidence?: string[] }
interface Results { units: { unit: { code: string }; groups: { criteria: Criterion[] }[] }[] }

let h: Harness

beforeEach(async () => {
  h = await startHarness()
  const ids = await seedDirectory(h)
  const res = await h.api('/people', { body: [{ externalId: 'DM001', fullName: 'Phạm Văn Tâm', unitCode: 'P-NINHKIEU', roles: ['focal_point'] }] })
  const tam = ((await res.json()) as { people: { id: number }[] }).people[0]!.id
  await enroll(h, ids.minh, 'telegram', MINH)
  await enroll(h, ids.lan, 'telegram', LAN)
  await enroll(h, tam, 'zalo', TAM)
  expect((await h.api('/criteria/2026', { body: SET })).status).toBe(201)
  expect((await h.api('/criteria/2026/publish', { body: {} })).status).toBe(200)
  h.setNow('2026-11-20T09:00:00+07:00')
})
afterEach(() => h.close())

async function selfOf(unit: string, code: string) {
  const r = (await (await h.api('/criteria/2026/live')).json()) as Results
  return r.units.find((u) => u.unit.code === unit)!.groups.flatMap((g) => g.criteria).find((c) => c.code === code)!
}

describe('criteria self-assessment in chat', () => {
  it('guides a focal point one manual criterion a message on Telegram, refuses over the maximum and no evidence, and saves on confirm', async () => {
    await h.say.telegram(MINH, '/tudanhgia')
    const opening = h.texts(h.telegram, MINH).slice(-2).join('\n')
    expect(opening).toContain('Tự đánh giá bộ tiêu chí năm 2026 của Trường THCS An Hòa: 2 tiêu chí chấm tay')
    expect(opening).toContain('Tiêu chí 1/2 — B1. Tổ chức hoạt động chào mừng 20/11\nĐiểm tối đa: 20.')
    await h.say.telegram(MINH, '25')
    expect(h.lastText(h.telegram, MINH)).toBe('Điểm 25 vượt điểm tối đa 20 của tiêu chí "B1".')
    await h.say.telegram(MINH, 'nhiều lắm')
    expect(h.lastText(h.telegram, MINH)).toContain('"nhiều lắm" chưa phải là số điểm')
    await h.say.telegram(MINH, '18')
    expect(h.lastText(h.telegram, MINH)).toContain('Gửi đường dẫn minh chứng cho tiêu chí B1')
    await h.say.telegram(MINH, 'có ảnh trong nhóm Zalo')
    expect(h.lastText(h.telegram, MINH)).toBe('Tiêu chí "B1" cần minh chứng (ít nhất một đường dẫn) trước khi tự chấm điểm lớn hơn 0.')
    await h.say.telegram(MINH, 'https://thcsanhoa.edu.vn/20-11\nhttps://facebook.com/thcsanhoa/posts/1')
    expect(h.lastText(h.telegram, MINH)).toContain('Tiêu chí 2/2 — B3. Bản tin nội bộ hằng tháng')
    await h.say.telegram(MINH, 'bỏ qua')
    const summary = h.telegram.sentTo(MINH).at(-1)!
    expect(summary.params.text).toContain('B1. Tổ chức hoạt động chào mừng 20/11: 18/20 điểm, 2 minh chứng\nB3. Bản tin nội bộ hằng tháng: bỏ qua')
    expect(summary.params.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data)).toEqual(['sa:confirm', 'sa:redo', 'sa:cancel'])
    // Nothing is written before the confirmation.
    expect((await selfOf('THCS-ANHOA', 'B1')).selfPoints ?? null).toBeNull()
    await h.say.press(MINH, 'sa:confirm')
    expect(h.lastText(h.telegram, MINH)).toContain('Đã lưu tự đánh giá 1 tiêu chí của Trường THCS An Hòa (năm 2026)')
    expect(await selfOf('THCS-ANHOA', 'B1')).toMatchObject({ selfPoints: 18, evidence: ['https://thcsanhoa.edu.vn/20-11', 'https://facebook.com/thcsanhoa/posts/1'] })
    expect((await selfOf('THCS-ANHOA', 'B3')).selfPoints ?? null).toBeNull()
    // A second press finds nothing to confirm.
    await h.say.press(MINH, 'sa:confirm')
    expect(h.lastText(h.telegram, MINH)).toContain('Không có tự đánh giá nào đang chờ xác nhận')
  })

  it('works on Zalo with typed answers and numbered choices; cancel stores nothing, confirm stores', async () => {
    await h.say.zalo(TAM, '/tudanhgia')
    expect(h.lastText(h.zalo, TAM)).toContain('Tiêu chí 1/1 — B2. Chuyên mục trên cổng thông tin phường')
    await h.say.zalo(TAM, '12,5')
    await h.say.zalo(TAM, 'https://ninhkieu.cantho.gov.vn/nq71')
    expect(h.lastText(h.zalo, TAM)).toContain('B2. Chuyên mục trên cổng thông tin phường: 12.5/15 điểm, 1 minh chứng')
    expect(h.lastText(h.zalo, TAM)).toContain('1. Xác nhận lưu\n2. Làm lại\n3. Huỷ')
    await h.say.zalo(TAM, '3')
    expect(h.lastText(h.zalo, TAM)).toBe('Đã huỷ, tự đánh giá chưa được lưu.')
    expect((await selfOf('P-NINHKIEU', 'B2')).selfPoints ?? null).toBeNull()
    await h.say.zalo(TAM, 'tự đánh giá')
    await h.say.zalo(TAM, '0')
    expect(h.lastText(h.zalo, TAM)).toContain('B2. Chuyên mục trên cổng thông tin phường: 0/15 điểm, 0 minh chứng')
    await h.say.zalo(TAM, '1')
    expect(h.lastText(h.zalo, TAM)).toContain('Đã lưu tự đánh giá 1 tiêu chí của UBND phường Ninh Kiều')
    expect(await selfOf('P-NINHKIEU', 'B2')).toMatchObject({ selfPoints: 0 })
  })

  it('tells a teacher who the assessment is for, and says when no set is open', async () => {
    await h.say.telegram(LAN, '/tudanhgia')
    expect(h.lastText(h.telegram, LAN)).toBe('Chỉ đầu mối truyền thông của Trường THCS An Hòa tự đánh giá bộ tiêu chí trong chat.')
    h.setNow('2026-12-20T09:00:00+07:00')
    await h.say.telegram(MINH, '/tudanhgia')
    expect(h.lastText(h.telegram, MINH)).toBe('Hiện không có bộ tiêu chí nào đang trong thời gian tự đánh giá.')
  })

  it('refuses on confirm when the window closed mid-conversation, as the API does, and writes nothing', async () => {
    h.setNow('2026-12-15T23:50:00+07:00')
    await h.say.telegram(MINH, '/tudanhgia')
    await h.say.telegram(MINH, '0')
    await h.say.telegram(MINH, '0')
    h.setNow('2026-12-16T00:00:00+07:00')
    await h.say.press(MINH, 'sa:confirm')
    expect(h.lastText(h.telegram, MINH)).toBe('Ngoài thời gian tự đánh giá của năm 2026.')
    expect((await selfOf('THCS-ANHOA', 'B1')).selfPoints ?? null).toBeNull()
  })
})

/** Runs the criteria reminders job as the scheduler would at `iso`, then sends what it queued. */
async function remind(iso: string) {
  h.setNow(iso)
  const res = await h.api('/jobs/criteria-reminders/run', { body: { now: iso } })
  expect(res.status).toBe(200)
  await h.flush()
  return (await res.json()) as { selfAssessReminders: number; units: number }
}
const reminders = (fake: Harness['telegram'], chat: string) => h.texts(fake, chat).filter((t) => t.startsWith('Nhắc tự đánh giá'))

describe('self-assessment reminders', () => {
  it('reminds focal points of unfinished units on working days in the window, once a day, and stops when the unit is done', async () => {
    // Friday 20/11: both units have manual criteria left.
    expect(await remind('2026-11-20T08:00:00+07:00')).toMatchObject({ selfAssessReminders: 2, units: 2 })
    expect(reminders(h.telegram, MINH)).toEqual([
      'Nhắc tự đánh giá bộ tiêu chí năm 2026: Trường THCS An Hòa còn 2/2 tiêu chí chấm tay chưa tự đánh giá; hạn trước 00:00 16/12/2026. Bấm "Tự đánh giá" hoặc gửi /tudanhgia.',
    ])
    expect(h.telegram.sentTo(MINH).at(-1)!.params.reply_markup.inline_keyboard.flat()[0]).toMatchObject({ callback_data: 'sa:start' })
    expect(reminders(h.zalo, TAM)).toHaveLength(1)
    expect(reminders(h.telegram, LAN)).toHaveLength(0) // a teacher is not reminded
    // A second run the same day queues nothing.
    expect((await remind('2026-11-20T15:00:00+07:00')).selfAssessReminders).toBe(0)
    expect(reminders(h.telegram, MINH)).toHaveLength(1)
    // Saturday and Sunday, and a day the admin made a holiday: nothing.
    expect((await h.api('/calendar/days/2026-11-23', { method: 'PUT', body: { kind: 'swap_off', name: 'Nghỉ bù' } })).status).toBe(200)
    for (const day of ['2026-11-21', '2026-11-22', '2026-11-23']) expect((await remind(`${day}T08:00:00+07:00`)).selfAssessReminders, day).toBe(0)
    // The reminder's button starts the guided assessment; Minh finishes it.
    await h.say.press(MINH, 'sa:start')
    expect(h.lastText(h.telegram, MINH)).toContain('Tiêu chí 1/2 — B1')
    await h.say.telegram(MINH, '0')
    await h.say.telegram(MINH, '0')
    await h.say.press(MINH, 'sa:confirm')
    expect(h.lastText(h.telegram, MINH)).toContain('Đã lưu tự đánh giá 2 tiêu chí')
    // Tuesday: only the ward is left; after the window closes, nobody.
    expect(await remind('2026-11-24T08:00:00+07:00')).toMatchObject({ selfAssessReminders: 1, units: 1 })
    expect(reminders(h.telegram, MINH)).toHaveLength(1)
    expect(reminders(h.zalo, TAM)).toHaveLength(2)
    expect(h.lastText(h.zalo, TAM)).toContain('1. Tự đánh giá')
    expect((await remind('2026-12-16T08:00:00+07:00')).selfAssessReminders).toBe(0)
  })
})

describe('a year-end report period tied to the criteria set', () => {
  it("names the year's set (422 in Vietnamese for a year without one) and its status carries each unit's self-assessment", async () => {
    const bad = await h.api('/report-periods', { body: { name: 'Báo cáo năm 2026', dueAt: '2026-12-20', unitKinds: ['school', 'commune'], criteriaYear: 2031 } })
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('Chưa có bộ tiêu chí năm 2031.')
    const res = await h.api('/report-periods', { body: { name: 'Báo cáo năm 2026', dueAt: '2026-12-20', unitKinds: ['school', 'commune'], criteriaYear: 2026 } })
    expect(res.status).toBe(201)
    const period = (await res.json()) as { id: number; criteriaYear: number | null }
    expect(period.criteriaYear).toBe(2026)
    await h.say.telegram(MINH, '/tudanhgia')
    await h.say.telegram(MINH, '18')
    await h.say.telegram(MINH, 'https://thcsanhoa.edu.vn/20-11')
    await h.say.telegram(MINH, 'bỏ qua')
    await h.say.press(MINH, 'sa:confirm')
    const status = (await (await h.api(`/report-periods/${period.id}/status`)).json()) as { items: { unitCode: string; selfAssessment: unknown }[] }
    expect(status.items.find((i) => i.unitCode === 'THCS-ANHOA')!.selfAssessment).toEqual({
      year: 2026,
      count: 2,
      assessed: 1,
      criteria: [
        { code: 'B1', title: 'Tổ chức hoạt động chào mừng 20/11', maxPoints: 20, selfPoints: 18, evidence: ['https://thcsanhoa.edu.vn/20-11'], note: null },
        { code: 'B3', title: 'Bản tin nội bộ hằng tháng', maxPoints: 5, selfPoints: null, evidence: [], note: null },
      ],
    })
    expect(status.items.find((i) => i.unitCode === 'P-NINHKIEU')!.selfAssessment).toMatchObject({ count: 1, assessed: 0 })
    // A period not tied to a set carries none.
    const plain = (await (await h.api('/report-periods', { body: { name: 'Quý IV', dueAt: '2026-12-20', unitKinds: ['school'] } })).json()) as { id: number; criteriaYear: number | null }
    expect(plain.criteriaYear).toBeNull()
    const plainStatus = (await (await h.api(`/report-periods/${plain.id}/status`)).json()) as { items: Record<string, unknown>[] }
    expect(plainStatus.items[0]).not.toHaveProperty('selfAssessment')
  })
})
