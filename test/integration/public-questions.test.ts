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
    const page = await editor.text(await editor.get('/admin/questions?status=answered'))
    expect(page).toContain('#1 · Phụ huynh, người dân · Sở Giáo dục và Đào tạo')
    expect(page).toContain('Người hỏi đánh giá: Hài lòng')
    expect(page).not.toContain(PARENT_TG)
    const csv = await (await h.api('/questions?status=all&format=csv')).text()
    expect(csv).toContain('Phụ huynh, người dân')
    expect(csv).not.toContain(PARENT_TG)
  })

  it('never gives a subscriber a staff command, and tells them how to ask', async () => {
    // Pressing Start on Telegram, without a code: the public welcome, with the privacy notice.
    await h.say.telegram('8800000099', '/start')
    expect(h.lastText(h.telegram, '8800000099')).toMatch(/^Chào bạn! Đây là kênh của Sở GD&ĐT Cần Thơ\.[\s\S]*ví dụ: K7M4-Q2XP\n\n🔒 /)
    await h.say.telegram(PARENT_TG, '/baocao')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Tài khoản chat này chưa được liên kết/)
    // A greeting gets the welcome (how to ask), with the privacy notice the first time.
    await h.say.telegram(PARENT_TG, 'Xin chào!')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Chào bạn! Đây là kênh của Sở GD&ĐT Cần Thơ\.\n• Hỏi Sở: \/hoidap <câu hỏi>/)
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(PRIVACY)
    // A message left in the chat is a question, as /hoidap makes one.
    await h.say.telegram(PARENT_TG, 'Cho tôi hỏi về học phí')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Sở đã nhận tin nhắn của bạn là câu hỏi số 1; câu trả lời sẽ được gửi về đây\./)
    expect(h.lastText(h.telegram, PARENT_TG)).not.toMatch(PRIVACY)
    await h.say.telegram(PARENT_TG, 'hỏi đáp: Học phí năm nay thế nào ạ?')
    expect(h.lastText(h.telegram, PARENT_TG)).toBe('Đã gửi câu hỏi số 2 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')
    const listed = (await (await h.api('/questions')).json()) as { items: { text: string; asker: { kind: string; channel: string } }[] }
    expect(listed.items.map((q) => [q.text, q.asker.kind, q.asker.channel]).sort()).toEqual([
      ['Cho tôi hỏi về học phí', 'subscriber', 'telegram'],
      ['Học phí năm nay thế nào ạ?', 'subscriber', 'telegram'],
    ])
    // A subscriber, not a person: the directory still holds its three people.
    expect(await h.db.$count(people)).toBe(3)
    expect(await h.db.$count(subscribers)).toBe(2)
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

describe('first-response times in working hours', () => {
  it('gives median and P90 per unit and the share answered within 2 working days over a month with a weekend and Tết', async () => {
    // The calendar's rules put Tết 2026 on Monday 16 to Friday 20 February.
    h.setNow('2026-01-05T09:00:00+07:00')
    expect((await h.api('/jobs/calendar-refill/run', { body: {} })).status).toBe(200)
    const feb = (await json(await h.api('/calendar?year=2026'))).days.filter((d: { date: string }) => d.date.startsWith('2026-02'))
    expect(feb.map((d: { date: string; kind: string }) => `${d.date} ${d.kind}`)).toEqual(['16', '17', '18', '19', '20'].map((d) => `2026-02-${d} holiday`))

    const A = '8800000010' // a parent on Telegram, no ward: the Department answers
    const B = 'zl-parent-b' // a parent on Zalo in Ninh Kiều: the ward answers
    h.setNow('2026-02-01T09:00:00+07:00')
    await h.say.zalo(B, '/dangky Ninh Kiều')
    const qids: Record<string, number> = {}
    const ask = async (key: string, at: string) => {
      h.setNow(`${at}:00+07:00`)
      const text = `/hoidap Câu hỏi ${key} về tuyển sinh đầu cấp?`
      if (key.startsWith('A')) await h.say.telegram(A, text)
      else await h.say.zalo(B, text)
      const said = key.startsWith('A') ? h.lastText(h.telegram, A) : h.lastText(h.zalo, B)
      qids[key] = Number(/câu hỏi số (\d+)/.exec(said)![1])
    }
    const answer = async (key: string, at: string) => {
      h.setNow(`${at}:00+07:00`)
      expect((await h.api(`/questions/${qids[key]}/answer`, { body: { answer: `Trả lời ${key}.` } })).status).toBe(200)
    }
    await ask('A1', '2026-02-02T08:00') // Monday
    await answer('A1', '2026-02-02T10:00') // 2 h
    await ask('A2', '2026-02-03T14:00')
    await answer('A2', '2026-02-03T16:00') // 2 h
    await ask('A3', '2026-02-04T09:00')
    await answer('A3', '2026-02-05T09:00') // 2.5 + 3.5 + 2 = 8 h
    await ask('A4', '2026-02-06T16:00') // Friday
    await ask('A5', '2026-02-07T14:00') // Saturday
    await answer('A4', '2026-02-09T08:00') // 1 h Friday + 1 h Monday = 2 h
    await answer('A5', '2026-02-09T09:00') // Monday 07:00–09:00 = 2 h
    await ask('B1', '2026-02-10T07:00')
    await answer('B1', '2026-02-10T07:30') // 0.5 h
    await ask('B2', '2026-02-11T11:00')
    await answer('B2', '2026-02-11T14:30') // 0.5 h before lunch + 1 h after = 1.5 h
    await ask('A6', '2026-02-13T16:00') // the Friday before Tết
    await answer('A6', '2026-02-23T08:00') // 1 h + (Tết and two weekends) + 1 h = 2 h
    await ask('A7', '2026-02-23T08:00')
    await answer('A7', '2026-02-25T09:00') // 7 + 8 + 2 = 17 h: past 2 working days
    await ask('A8', '2026-02-26T08:00') // still open: 7 + 8 + 3 = 18 working hours by Monday 2 March 10:00

    h.setNow('2026-03-02T10:00:00+07:00')
    const from = encodeURIComponent('2026-02-01T00:00:00+07:00')
    const to = encodeURIComponent('2026-03-01T00:00:00+07:00')
    const stats = await json(await h.api(`/questions/stats?from=${from}&to=${to}`))
    expect(stats.targetWorkingDays).toBe(2)
    // All: waits 0.5, 1.5, 2, 2, 2, 2, 2, 8, 17 h; the open one is past the target.
    expect(stats.all).toMatchObject({ asked: 10, answered: 9, open: 1, medianWorkingHours: 2, p90WorkingHours: 9.8, answeredWithinTarget: 8, dueByTarget: 10, shareWithinTarget: 0.8 })
    const byUnit = Object.fromEntries(stats.units.map((u: { unit: { code: string } }) => [u.unit.code, u]))
    // The Department: 2, 2, 2, 2, 2, 8, 17 h → median 2, P90 8 + 0.4 × 9 = 11.6.
    expect(byUnit.SGDDT).toMatchObject({ asked: 8, answered: 7, medianWorkingHours: 2, p90WorkingHours: 11.6, answeredWithinTarget: 6, dueByTarget: 8, shareWithinTarget: 0.75 })
    // The ward: 0.5 and 1.5 h → median 1, P90 1.4.
    expect(byUnit['P-NINHKIEU']).toMatchObject({ asked: 2, answered: 2, medianWorkingHours: 1, p90WorkingHours: 1.4, shareWithinTarget: 1 })
    // Each question carries its own figure.
    const list = await json(await h.api('/questions?status=answered&limit=20'))
    const a6 = list.items.find((q: { id: number }) => q.id === qids.A6)
    expect(a6).toMatchObject({ waitedWorkingHours: 2, asker: { kind: 'subscriber', channel: 'telegram' } })

    // The target is configurable: within 1 working day (8 h), the Department's 8 h still counts.
    const oneDay = await json(await h.api(`/questions/stats?from=${from}&to=${to}&withinDays=1`))
    expect(oneDay.units.find((u: { unit: { code: string } }) => u.unit.code === 'SGDDT')).toMatchObject({ answeredWithinTarget: 6, dueByTarget: 8 })
    expect((await h.api('/questions/stats?withinDays=0')).status).toBe(400)

    // The console shows the same figures (all questions; the month above holds them all).
    const viewer = await signedInAs(h, ids.phuc, 'viewer')
    const page = await viewer.text(await viewer.get('/admin/questions/stats'))
    expect(page).toContain('Trả lời trong 2 ngày làm việc')
    // Unit, questions, waiting, median, P90, within the target, satisfied (none rated).
    expect(page).toContain('Sở Giáo dục và Đào tạo 8 1 2 11,6 75% —')
    expect(page).toContain('UBND phường Ninh Kiều 2 0 1 1,4 100% —')
    expect(page).toContain('Tất cả 10 1 2 9,8 80% —')
  })
})
