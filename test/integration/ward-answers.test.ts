import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs } from '../helpers/console.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * A resident's question routed to their ward's unit: the ward's focal points are told in chat at
 * once and may answer it there (`/traloi 1 …`, "trả lời 1: …"), only for their own unit; the answer
 * reaches the asker as one from the console does, and the question says who answered.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>> & { hoa: number; tai: number }
const PARENT_TG = '8800000001'
const HOA_TG = '7700000001'
const TAI_ZALO = 'zfocal-tai'
const MINH_ZALO = 'zminh'
const LAN_TG = '7700000009'
const json = async (res: Response) => (await res.json()) as any

beforeEach(async () => {
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  const seeded = await seedDirectory(h)
  const res = await json(
    await h.api('/people', {
      body: [
        { externalId: 'PX001', fullName: 'Võ Thị Hoa', unitCode: 'P-NINHKIEU', roles: ['focal_point'] },
        { externalId: 'PX002', fullName: 'Đặng Văn Tài', unitCode: 'P-NINHKIEU', roles: ['manager', 'focal_point'] },
      ],
    }),
  )
  ids = { ...seeded, hoa: res.people[0].id, tai: res.people[1].id }
  await enroll(h, ids.hoa, 'telegram', HOA_TG)
  await enroll(h, ids.tai, 'zalo', TAI_ZALO)
  await enroll(h, ids.minh, 'zalo', MINH_ZALO)
  await enroll(h, ids.lan, 'telegram', LAN_TG)
})
afterEach(() => h.close())

async function askFromWard(text: string) {
  if (!h.texts(h.telegram, PARENT_TG).some((t) => t.includes('Ninh Kiều'))) {
    await h.say.telegram(PARENT_TG, '/dangky')
    const offer = h.telegram.sentTo(PARENT_TG).at(-1)!
    await h.say.press(PARENT_TG, JSON.stringify(offer.params.reply_markup).match(/sub:ward:\d+/)![0])
  }
  await h.say.telegram(PARENT_TG, `/hoidap ${text}`)
  await h.flush()
}

describe("a resident's question routed to the ward", () => {
  it("is told to the ward's focal points at once, answered in chat by one of them, and refused to others", async () => {
    await askFromWard('Phường có lớp học hè cho học sinh không ạ?')
    const told =
      '❓ Câu hỏi số 1 của người dân trong phường/xã của bạn:\n«Phường có lớp học hè cho học sinh không ạ?»\n\nĐể trả lời ngay tại đây, gõ: /traloi 1 <câu trả lời> (hoặc "trả lời 1: …"). Câu trả lời được gửi tới người hỏi nhân danh Sở GD&ĐT.'
    expect(h.lastText(h.telegram, HOA_TG)).toBe(told)
    expect(h.lastText(h.zalo, TAI_ZALO)).toBe(told)
    // The school's focal point (a unit below the ward) and a teacher are not told.
    expect(h.texts(h.zalo, MINH_ZALO).some((t) => t.includes('Câu hỏi số 1'))).toBe(false)
    expect(h.texts(h.telegram, LAN_TG).some((t) => t.includes('Câu hỏi số 1'))).toBe(false)

    // Not theirs to answer: refused, nothing changed.
    await h.say.zalo(MINH_ZALO, '/traloi 1 Có ạ.')
    expect(h.lastText(h.zalo, MINH_ZALO)).toBe('Câu hỏi số 1 không gửi tới đơn vị của bạn, nên bạn không trả lời được. Không có gì thay đổi.')
    await h.say.telegram(LAN_TG, '/traloi 1 Có ạ.')
    expect(h.lastText(h.telegram, LAN_TG)).toBe('Chỉ đầu mối truyền thông của đơn vị mới trả lời được câu hỏi của người dân trong chat.')
    await h.say.telegram(HOA_TG, '/traloi 99 Có ạ.')
    expect(h.lastText(h.telegram, HOA_TG)).toBe('Không có câu hỏi số 99. Hãy kiểm tra lại số trong tin báo câu hỏi.')
    await h.say.telegram(HOA_TG, '/traloi 1')
    expect(h.lastText(h.telegram, HOA_TG)).toMatch(/^Gõ số câu hỏi rồi câu trả lời/)
    expect((await json(await h.api('/questions?status=open'))).total).toBe(1)

    // Hoa answers without the slash: the asker gets it as from the console, with the rating question.
    h.setNow('2026-03-16T10:30:00+07:00')
    await h.say.telegram(HOA_TG, 'Trả lời 1: Có, lớp hè mở từ 1/6 tại nhà văn hoá phường.')
    expect(h.lastText(h.telegram, HOA_TG)).toBe('✅ Đã gửi câu trả lời cho câu hỏi số 1.')
    await h.flush()
    const sent = h.telegram.sentTo(PARENT_TG).at(-1)!
    expect(String(sent.params.text)).toBe(
      '💬 Sở GD&ĐT trả lời câu hỏi số 1 của bạn:\n«Phường có lớp học hè cho học sinh không ạ?»\n\nCó, lớp hè mở từ 1/6 tại nhà văn hoá phường.\n\nBạn có hài lòng với câu trả lời này không? Trả lời 1 hoặc 2.',
    )
    expect(JSON.stringify(sent.params.reply_markup)).toContain('rate:1:1')
    const answered = (await json(await h.api('/questions?status=answered'))).items[0]
    expect(answered).toMatchObject({ id: 1, answer: 'Có, lớp hè mở từ 1/6 tại nhà văn hoá phường.', answeredByPersonId: ids.hoa, unit: { code: 'P-NINHKIEU' } })

    const editor = await signedInAs(h, ids.phuc, 'editor')
    expect(await editor.text(await editor.get('/admin/questions?status=answered'))).toContain('Trả lời trong chat bởi đầu mối phường/xã: Võ Thị Hoa')

    // The other focal point, on Zalo, too late: refused, the first answer stays.
    await h.say.zalo(TAI_ZALO, '/traloi 1 Không có.')
    expect(h.lastText(h.zalo, TAI_ZALO)).toMatch(/^Câu hỏi số 1 đã được trả lời lúc .+\. Không có gì thay đổi\.$/)
    expect((await json(await h.api('/questions?status=answered'))).items[0].answer).toBe('Có, lớp hè mở từ 1/6 tại nhà văn hoá phường.')
  })

  it('is answered from the Zalo bot with /traloi', async () => {
    await askFromWard('Khi nào phường phát sách giáo khoa miễn phí ạ?')
    expect(h.lastText(h.zalo, TAI_ZALO)).toMatch(/^❓ Câu hỏi số 1 /)
    await h.say.zalo(TAI_ZALO, '/traloi 1 Ngày 20/8, tại trường của cháu.')
    expect(h.lastText(h.zalo, TAI_ZALO)).toBe('✅ Đã gửi câu trả lời cho câu hỏi số 1.')
    await h.flush()
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^💬 Sở GD&ĐT trả lời câu hỏi số 1 của bạn:[\s\S]*\n\nNgày 20\/8, tại trường của cháu\.\n\n/)
    expect((await json(await h.api('/questions?status=answered'))).items[0].answeredByPersonId).toBe(ids.tai)
  })

  it("a question for the Department is not sent to any ward's focal points", async () => {
    await h.say.telegram(PARENT_TG, '/hoidap Học phí năm nay thế nào ạ?')
    await h.flush()
    expect(h.texts(h.telegram, HOA_TG).some((t) => t.includes('Câu hỏi số 1'))).toBe(false)
    await h.say.telegram(HOA_TG, '/traloi 1 Miễn học phí.')
    expect(h.lastText(h.telegram, HOA_TG)).toBe('Câu hỏi số 1 không gửi tới đơn vị của bạn, nên bạn không trả lời được. Không có gì thay đổi.')
  })
})
