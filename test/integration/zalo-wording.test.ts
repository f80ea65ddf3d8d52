import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedDirectory, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Zalo wording, as a new user meets it on the Zalo bot (no buttons): nothing says "Bấm" (press),
 * no instruction is given twice, `kiểm tra` is shown and taken with its diacritics, an unlinked
 * chat is told to send the bare code, "hỏi đáp: …" works without the slash, and "Điểm danh CODE"
 * typed after the bot asked for the code is read as the code.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const TG = '6100000001'
const ZL = 'zl-minh-01'
const json = async (res: Response) => (await res.json()) as any
const zaloTexts = () => h.texts(h.zalo, ZL)
const count = (text: string, needle: RegExp) => (text.match(needle) ?? []).length

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

describe('Zalo wording', () => {
  it('a report reminder says what to type, never "Bấm", and gives the instruction once', async () => {
    await h.api('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-20', unitKinds: ['school'] } })
    h.setNow('2026-03-17T08:00:00+07:00')
    await h.api('/jobs/reminders/run', { body: { now: '2026-03-17T08:00:00+07:00' } })
    await h.flush()
    const reminder = zaloTexts().find((t) => t.includes('Báo cáo quý I'))!
    expect(reminder).not.toMatch(/bấm/i)
    expect(reminder).toContain('Trả lời "1" hoặc gõ "báo cáo"')
    expect(reminder).not.toContain('1. Gửi báo cáo')
    // The "1" it names works.
    await h.say.zalo(ZL, '1')
    expect(h.lastText(h.zalo, ZL)).toContain('1/4.')
  })

  it('a brief asks for "đã đọc" once, not again as a numbered list', async () => {
    await h.api('/broadcasts', { body: { kind: 'brief', title: 'Quán triệt NQ71', body: 'Nội dung.', requireAck: true } })
    await h.flush()
    const text = zaloTexts().find((t) => t.includes('Quán triệt NQ71'))!
    expect(count(text, /đã đọc/gi)).toBe(1)
    expect(text).not.toContain('1. Đã đọc')
    await h.say.zalo(ZL, '1')
    expect(h.lastText(h.zalo, ZL)).toContain('Đã ghi nhận bạn đọc "Quán triệt NQ71"')
    // Telegram keeps its button and says nothing of typing.
    const tg = h.telegram.sentTo(TG).find((c) => String(c.params.text).includes('Quán triệt NQ71'))!
    expect(tg.params.text).not.toContain('đã đọc')
  })

  it('the quiz invitation shows "kiểm tra" with its diacritics, and typing it starts the quiz', async () => {
    await h.api('/quizzes', {
      body: { title: 'Hiểu đúng NQ71', closesAt: '2026-03-20T10:00:00Z', questions: [{ text: 'Nghị quyết 71 về lĩnh vực nào?', options: ['Y tế', 'Giáo dục'], correct: 1 }] },
    })
    await h.flush()
    const invitation = zaloTexts().find((t) => t.includes('Hiểu đúng NQ71'))!
    expect(invitation).toContain('gõ "kiểm tra"')
    expect(invitation).not.toContain('kiem tra')
    expect(invitation).not.toContain('1. Bắt đầu')
    await h.say.zalo(ZL, 'kiểm tra')
    expect(h.lastText(h.zalo, ZL)).toContain('Nghị quyết 71 về lĩnh vực nào?')
  })

  it('tells an unlinked chat to send the bare code, which then works', async () => {
    await h.say.zalo('zl-new', 'xin chào')
    const told = h.lastText(h.zalo, 'zl-new')
    expect(told).not.toContain('/start')
    expect(told).toContain('ví dụ: K7M4-Q2XP')
    const res = await h.api(`/people/${ids.phuc}/invites`, { body: {} })
    await h.say.zalo('zl-new', (await json(res)).code)
    expect(h.texts(h.zalo, 'zl-new').join('\n')).toContain('Lê Hoàng Phúc')
  })

  it('takes "hỏi đáp: …" without the slash as a question, and hints the form when the colon is missing', async () => {
    await h.say.zalo(ZL, 'hỏi đáp: Khi nào Sở gửi tài liệu tập huấn?')
    expect(h.lastText(h.zalo, ZL)).toMatch(/Đã (nhận|gửi) câu hỏi/)
    const questions = await json(await h.api('/questions'))
    expect(JSON.stringify(questions)).toContain('Khi nào Sở gửi tài liệu tập huấn?')
    await h.say.zalo(ZL, 'hỏi đáp khi nào có tài liệu')
    expect(h.lastText(h.zalo, ZL)).toContain('hỏi đáp:')
    expect(h.lastText(h.zalo, ZL)).toContain('/hoidap')
  })

  it('reads "Điểm danh NQ71-…" typed after the bot asked for the code as the code', async () => {
    h.setNow('2026-03-16T02:00:00Z')
    const session = await json(
      await h.api('/sessions', { body: { title: 'Quán triệt tại THCS An Hòa', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } }),
    )
    await h.say.zalo(ZL, 'điểm danh')
    expect(h.lastText(h.zalo, ZL)).toMatch(/mã/i)
    await h.say.zalo(ZL, `Điểm danh ${session.code}`)
    expect(h.lastText(h.zalo, ZL)).toContain('Quán triệt tại THCS An Hòa')
    expect(h.lastText(h.zalo, ZL)).not.toContain('Không tìm thấy')
  })
})

describe('Zalo help', () => {
  it('shows commands without the slash with their diacritics', async () => {
    const h2 = await startWithLinkedPeople({ telegram: '6100000002', zalo: 'zl-help' })
    try {
      await h2.h.say.zalo('zl-help', 'hướng dẫn')
      const help = h2.h.lastText(h2.h.zalo, 'zl-help')
      expect(help).toContain('ví dụ: hướng dẫn, báo cáo, kiểm tra')
      expect(help).not.toContain('huong dan')
    } finally {
      await h2.h.close()
    }
  })
})
