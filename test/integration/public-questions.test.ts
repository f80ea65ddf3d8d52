import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliveries, people, subscribers } from '#db/schema/index.js'
import { signedInAs } from '../helpers/console.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Questions from anyone: a parent or citizen whose chat is not linked to the directory asks with
 * /hoidap, the Department answers from the console or the API, the answer comes back on the
 * channel they used (held on the OA until they write again) with one rating question.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const PARENT_TG = '8800000001'
const PRIVACY = /^🔒 Sở lưu mã cuộc trò chuyện, phường\/xã bạn chọn và câu hỏi của bạn .* xoá sau 365 ngày không liên lạc\. Gửi \/xoa để xoá ngay\.$/m
const json = async (res: Response) => (await res.json()) as any

beforeEach(async () => {
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

describe("a parent's question from an unlinked Telegram chat", () => {
  it('is recorded for the Department, answered from the console, delivered with a rating question, and rated once', async () => {
    await h.say.telegram(PARENT_TG, '/hoidap Con tôi vào lớp 6 năm nay, khi nào có lịch tựu trường ạ?')
    const received = h.lastText(h.telegram, PARENT_TG)
    expect(received).toMatch(/^Đã gửi câu hỏi số 1 tới Sở GD&ĐT\. Câu trả lời sẽ được gửi về đây\.\n\n🔒 /)
    expect(received).toMatch(PRIVACY)

    const list = await json(await h.api('/questions'))
    expect(list.total).toBe(1)
    expect(list.items[0]).toMatchObject({
      id: 1,
      text: 'Con tôi vào lớp 6 năm nay, khi nào có lịch tựu trường ạ?',
      channel: 'telegram',
      person: null,
      asker: { kind: 'subscriber', channel: 'telegram', ward: null },
      unit: { code: 'SGDDT' },
      answer: null,
    })
    expect(JSON.stringify(list)).not.toContain(PARENT_TG)

    // The editor answers from the console's questions page.
    const editor = await signedInAs(h, ids.phuc, 'editor')
    h.setNow('2026-03-16T10:30:00+07:00')
    const res = await editor.post('/admin/questions/1/answer', { answer: 'Lịch tựu trường là ngày 25/8, trường sẽ nhắn phụ huynh.' })
    expect(res.status).toBe(200)
    await h.flush()
    const sent = h.telegram.sentTo(PARENT_TG).at(-1)!
    expect(String(sent.params.text)).toBe(
      '💬 Sở GD&ĐT trả lời câu hỏi số 1 của bạn:\n«Con tôi vào lớp 6 năm nay, khi nào có lịch tựu trường ạ?»\n\nLịch tựu trường là ngày 25/8, trường sẽ nhắn phụ huynh.\n\nBạn có hài lòng với câu trả lời này không? Trả lời 1 hoặc 2.',
    )
    expect(JSON.stringify(sent.params.reply_markup)).toContain('rate:1:1')
    // No second privacy notice: only the first answer to a new subscriber carries it.
    expect(h.texts(h.telegram, PARENT_TG).filter((t) => PRIVACY.test(t))).toHaveLength(1)

    await h.say.press(PARENT_TG, 'rate:1:1')
    expect(h.lastText(h.telegram, PARENT_TG)).toBe('Cảm ơn bạn đã đánh giá câu trả lời!')
    await h.say.telegram(PARENT_TG, '2')
    await h.say.press(PARENT_TG, 'rate:1:2')
    expect(h.lastText(h.telegram, PARENT_TG)).toBe('Bạn đã đánh giá câu trả lời này rồi. Cảm ơn bạn!')
    const answered = await json(await h.api('/questions?status=answered'))
    expect(answered.items[0]).toMatchObject({ id: 1, rating: 'satisfied', asker: { kind: 'subscriber' } })
  })

  it('never gives a subscriber a staff command, and tells them how to ask', async () => {
    await h.say.telegram(PARENT_TG, '/baocao')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Tài khoản chat này chưa được liên kết/)
    await h.say.telegram(PARENT_TG, 'Cho tôi hỏi về học phí')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Chào bạn! Đây là kênh của Sở GD&ĐT Cần Thơ\.\n• Hỏi Sở: \/hoidap <câu hỏi>/)
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(PRIVACY)
    await h.say.telegram(PARENT_TG, 'hỏi đáp: Học phí năm nay thế nào ạ?')
    expect(h.lastText(h.telegram, PARENT_TG)).toBe('Đã gửi câu hỏi số 1 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')
    // A subscriber, not a person: the directory still holds its three people.
    expect(await h.db.$count(people)).toBe(3)
    expect(await h.db.$count(subscribers)).toBe(1)
  })

  it('goes to the ward chosen with /dangky', async () => {
    await h.say.telegram(PARENT_TG, '/dangky')
    const offer = h.telegram.sentTo(PARENT_TG).at(-1)!
    expect(String(offer.params.text)).toMatch(/^Bạn ở phường\/xã nào\?/)
    await h.say.press(PARENT_TG, JSON.stringify(offer.params.reply_markup).match(/sub:ward:\d+/)![0])
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^✅ Đã đăng ký nhận tin công khai của UBND phường Ninh Kiều\./)
    await h.say.telegram(PARENT_TG, '/hoidap Phường có lớp học hè cho học sinh không ạ?')
    const list = await json(await h.api('/questions'))
    expect(list.items[0]).toMatchObject({ asker: { kind: 'subscriber', channel: 'telegram', ward: { code: 'P-NINHKIEU', name: 'UBND phường Ninh Kiều' } }, unit: { code: 'P-NINHKIEU' } })
  })
})

describe('an answer on the OA while its window is closed', () => {
  it('is held, and delivered on the asker’s next message', async () => {
    await h.connectOa()
    const OA_PARENT = '5500000000000000001'
    await h.say.oa(OA_PARENT, '/hoidap Trường có xe đưa đón học sinh không ạ?')
    expect(h.oa.sentTo(OA_PARENT).at(-1)!.params.text).toMatch(/^Đã gửi câu hỏi số 1/)
    // Eight days later the OA's window (7 days) is closed.
    h.setNow(new Date(h.now().getTime() + 8 * 86_400_000))
    const res = await json(await h.api('/questions/1/answer', { body: { answer: 'Có, đăng ký tại trường.' } }))
    expect(res.delivered).toBe(true)
    await h.flush()
    const answer = (t: unknown) => String(t).includes('Có, đăng ký tại trường.')
    expect(h.oa.sentTo(OA_PARENT).some((c) => answer(c.params.text))).toBe(false)
    const [held] = await h.db.select().from(deliveries).where(eq(deliveries.sourceId, 1))
    expect(held).toMatchObject({ status: 'queued', channel: 'zalo_oa', chatId: OA_PARENT })
    // Held for ANSWER_HOLD_DAYS (30), not the day of an ordinary message.
    expect(held!.expiresAt!.getTime() - h.now().getTime()).toBe(30 * 86_400_000)

    // Twelve days on, the parent writes: the answer goes right after the reply, at the same clock.
    h.setNow(new Date(h.now().getTime() + 12 * 86_400_000))
    await h.say.oa(OA_PARENT, 'Xin chào')
    await h.flush()
    expect(h.oa.sentTo(OA_PARENT).some((c) => answer(c.params.text))).toBe(true)
    const [sent] = await h.db.select().from(deliveries).where(eq(deliveries.sourceId, 1))
    expect(sent!.status).toBe('sent')

    // Rated by number, as on Zalo: stored once.
    await h.say.oa(OA_PARENT, '2')
    expect(h.oa.sentTo(OA_PARENT).at(-1)!.params.text).toBe('Cảm ơn bạn đã đánh giá câu trả lời!')
    await h.say.oa(OA_PARENT, '1')
    expect((await json(await h.api('/questions?status=answered'))).items[0].rating).toBe('unsatisfied')
  })
})
