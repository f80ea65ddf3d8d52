import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { quizAnswers } from '#db/schema/index.js'
import { createApp } from '#src/app.js'
import { enroll, seedDirectory, startWithLinkedPeople, tgCallback, zaloMessage, ZALO_SECRET, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const TG = '6100000001'
const ZL = 'zl-minh-01'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

const questions = [
  {
    text: 'Nghị quyết 71-NQ/TW bàn về lĩnh vực nào?',
    options: ['Y tế', 'Giáo dục và đào tạo', 'Giao thông'],
    correct: 1,
    explanation: 'Nghị quyết 71 về đột phá phát triển giáo dục và đào tạo.',
  },
  { text: 'Ai là đối tượng được quán triệt?', options: ['Chỉ cán bộ quản lý', 'Toàn thể cán bộ, nhà giáo'], correct: 1 },
  { text: 'Kết quả truyền thông cần dựa trên gì?', options: ['Minh chứng', 'Cảm nhận', 'Dự đoán', 'Tin đồn'], correct: 0 },
]

async function createQuiz(body: Record<string, unknown> = {}) {
  const res = await h.api('/quizzes', {
    body: {
      title: 'Hiểu đúng Nghị quyết 71',
      questions,
      closesAt: '2026-03-20T10:00:00Z',
      audience: { roles: ['teacher'] },
      ...body,
    },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; invitations: { queued: number; people: number; unreachable: number } | null }
}

const results = async (id: number) => (await h.api(`/quizzes/${id}/results`)).json()
const buttons = (chatId: string) =>
  (h.telegram.sentTo(chatId).at(-1)!.params.reply_markup?.inline_keyboard ?? []).flat().map((b: { callback_data: string }) => b.callback_data)

describe('quiz on Telegram', () => {
  it('invites through the outbox, asks one question at a time with buttons, and gives the score', async () => {
    const quiz = await createQuiz()
    expect(quiz.invitations).toEqual({ people: 2, queued: 2, unreachable: 0 })
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toContain('Mời bạn làm bài kiểm tra: Hiểu đúng Nghị quyết 71')
    expect(h.lastText(h.telegram, TG)).toContain('3 câu hỏi')
    expect(buttons(TG)).toEqual([`qz:${quiz.id}:start`])

    await h.say.press(TG, `qz:${quiz.id}:start`)
    expect(h.lastText(h.telegram, TG)).toContain('Câu 1/3: Nghị quyết 71-NQ/TW bàn về lĩnh vực nào?')
    expect(h.lastText(h.telegram, TG)).toContain('B. Giáo dục và đào tạo')
    expect(buttons(TG)).toEqual([`qz:${quiz.id}:0:0`, `qz:${quiz.id}:0:1`, `qz:${quiz.id}:0:2`])

    await h.say.press(TG, `qz:${quiz.id}:0:1`)
    let text = h.lastText(h.telegram, TG)
    expect(text).toContain('Chính xác')
    expect(text).toContain('Giải thích: Nghị quyết 71 về đột phá')
    expect(text).toContain('Câu 2/3')

    const press = await h.say.press(TG, `qz:${quiz.id}:1:1`)
    // The button press is answered in the webhook response itself.
    expect(await press.json()).toMatchObject({ method: 'answerCallbackQuery' })
    await h.say.press(TG, `qz:${quiz.id}:2:0`)
    text = h.lastText(h.telegram, TG)
    expect(text).toContain('đúng 3/3 câu (100%)')
    expect(text).toContain('đã đạt')

    const r = await results(quiz.id)
    expect(r).toMatchObject({ invited: 2, started: 1, completed: 1, passed: 1, averageScore: 1 })
    expect(r.questions.map((q: { shareCorrect: number }) => q.shareCorrect)).toEqual([1, 1, 1])
    expect(r.byRole.find((x: { role: string }) => x.role === 'teacher')).toMatchObject({ invited: 2, completed: 1 })
    expect(r.byUnit).toEqual([expect.objectContaining({ unitCode: 'THCS-ANHOA', invited: 2, passed: 1 })])
  })

  it('records each answer once: an old button changes nothing and says so', async () => {
    const quiz = await createQuiz()
    await h.say.press(TG, `qz:${quiz.id}:start`)
    await h.say.press(TG, `qz:${quiz.id}:0:0`)
    expect(h.lastText(h.telegram, TG)).toContain('Chưa đúng. Đáp án đúng: B. Giáo dục và đào tạo')
    await h.say.press(TG, `qz:${quiz.id}:0:1`)
    expect(h.lastText(h.telegram, TG)).toContain('Bạn đã trả lời câu 1 rồi')
    expect(h.lastText(h.telegram, TG)).toContain('Câu 2/3')
    const rows = await h.db.select().from(quizAnswers).where(eq(quizAnswers.quizId, quiz.id))
    expect(rows).toEqual([expect.objectContaining({ questionIndex: 0, optionIndex: 0, correct: false })])
    // A button of a later question that was never shown cannot skip ahead.
    await h.say.press(TG, `qz:${quiz.id}:2:0`)
    expect(h.lastText(h.telegram, TG)).toContain('Câu 2/3')
    expect(await h.db.select().from(quizAnswers)).toHaveLength(1)
  })

  it('refuses answers politely after closesAt and records nothing', async () => {
    const quiz = await createQuiz()
    await h.say.press(TG, `qz:${quiz.id}:start`)
    h.setNow('2026-03-20T10:00:01Z')
    await h.say.press(TG, `qz:${quiz.id}:0:1`)
    expect(h.lastText(h.telegram, TG)).toContain('đã đóng lúc 17:00 20/03/2026')
    expect(await h.db.select().from(quizAnswers)).toHaveLength(0)
    await h.say.telegram(TG, '/kiemtra')
    expect(h.lastText(h.telegram, TG)).toContain('không có bài kiểm tra nào đang mở')
  })

  it('sends invitations at opensAt through the quizzes job, once', async () => {
    const quiz = await createQuiz({ opensAt: '2026-03-17T01:00:00Z' })
    expect(quiz.invitations).toBeNull()
    await h.flush()
    expect(h.texts(h.telegram, TG).join('\n')).not.toContain('Mời bạn làm bài')
    await h.say.telegram(TG, '/kiemtra')
    expect(h.lastText(h.telegram, TG)).toContain('không có bài kiểm tra nào đang mở')

    const early = await (await h.api('/jobs/quizzes/run', { body: { now: '2026-03-17T00:59:00Z' } })).json()
    expect(early).toMatchObject({ quizzes: 0, queued: 0 })
    h.setNow('2026-03-17T01:00:00Z')
    expect(await (await h.api('/jobs/quizzes/run', { body: {} })).json()).toMatchObject({ quizzes: 1, queued: 2 })
    expect(await (await h.api('/jobs/quizzes/run', { body: {} })).json()).toMatchObject({ quizzes: 0, queued: 0 })
    await h.flush()
    await h.flush()
    expect(h.texts(h.telegram, TG).filter((t) => t.includes('Mời bạn làm bài'))).toHaveLength(1)
    expect(h.texts(h.zalo, ZL).filter((t) => t.includes('Mời bạn làm bài'))).toHaveLength(1)
  })

  it('does not offer a quiz to someone outside its audience', async () => {
    await enroll(h, ids.phuc, 'telegram', '6100000009')
    const quiz = await createQuiz()
    await h.say.telegram('6100000009', '/quiz')
    expect(h.lastText(h.telegram, '6100000009')).toBe('There is no quiz open for you at the moment.')
    await h.say.press('6100000009', `qz:${quiz.id}:start`)
    expect(h.lastText(h.telegram, '6100000009')).toBe('This quiz is not meant for your unit or role.')
  })

  it('offers a choice with /kiemtra when several quizzes are open', async () => {
    const a = await createQuiz({ title: 'Bài A' })
    const b = await createQuiz({ title: 'Bài B', closesAt: '2026-03-25T10:00:00Z' })
    await h.say.telegram(TG, '/kiemtra')
    expect(h.lastText(h.telegram, TG)).toContain('Các bài kiểm tra đang mở')
    expect(buttons(TG)).toEqual([`qz:${a.id}:start`, `qz:${b.id}:start`])
    await h.say.press(TG, `qz:${b.id}:start`)
    expect(h.lastText(h.telegram, TG)).toContain('Bắt đầu bài kiểm tra "Bài B"')
  })
})

describe('quiz on Zalo', () => {
  it('starts from the invitation with "1", takes a letter, a number or the option text, and scores', async () => {
    const quiz = await createQuiz()
    await h.flush()
    const invitation = h.lastText(h.zalo, ZL)
    // Said once, with its diacritics (issue 13's Zalo wording): no numbered "1. Bắt đầu làm bài" repeats it.
    expect(invitation).toContain('trả lời "1" hoặc gõ "kiểm tra"')
    expect(invitation).not.toContain('1. Bắt đầu làm bài')

    await h.say.zalo(ZL, '1')
    let text = h.lastText(h.zalo, ZL)
    expect(text).toContain('Câu 1/3')
    expect(text).toContain('1. Y tế\n2. Giáo dục và đào tạo\n3. Giao thông')
    expect(text).toContain('chữ cái (A–C)')

    await h.say.zalo(ZL, 'B')
    expect(h.lastText(h.zalo, ZL)).toContain('Chính xác')
    await h.say.zalo(ZL, '1') // wrong: "Chỉ cán bộ quản lý"
    expect(h.lastText(h.zalo, ZL)).toContain('Chưa đúng. Đáp án đúng: B. Toàn thể cán bộ, nhà giáo')
    await h.say.zalo(ZL, 'minh chung')
    text = h.lastText(h.zalo, ZL)
    expect(text).toContain('đúng 2/3 câu (67%)')
    expect(text).toContain('chưa đạt (yêu cầu từ 80%)')

    const r = await results(quiz.id)
    expect(r).toMatchObject({ invited: 2, started: 1, completed: 1, passed: 0, averageScore: 0.6667 })
    expect(r.questions.map((q: { shareCorrect: number }) => q.shareCorrect)).toEqual([1, 0, 1])
    expect(r.byRole.find((x: { role: string }) => x.role === 'focal_point')).toMatchObject({ invited: 1, completed: 1, passed: 0 })
  })

  it('starts with "kiem tra" typed without diacritics, and asks again when the reply fits no option', async () => {
    await createQuiz()
    await h.say.zalo(ZL, 'Kiểm tra')
    expect(h.lastText(h.zalo, ZL)).toContain('Câu 1/3')
    await h.say.zalo(ZL, 'e')
    expect(h.lastText(h.zalo, ZL)).toContain('Bạn đang làm dở bài kiểm tra')
    expect(h.lastText(h.zalo, ZL)).toContain('Câu 1/3')
    await h.say.zalo(ZL, 'giao duc va dao tao')
    expect(h.lastText(h.zalo, ZL)).toContain('Chính xác')
  })

  it('keeps answering the question on screen when another quiz invitation arrives meanwhile', async () => {
    await createQuiz({ title: 'Bài A' })
    await h.say.zalo(ZL, 'kiem tra')
    expect(h.lastText(h.zalo, ZL)).toContain('Câu 1/3')
    await createQuiz({ title: 'Bài B' })
    await h.flush()
    expect(h.texts(h.zalo, ZL).at(-1)).toContain('Mời bạn làm bài kiểm tra: Bài B')
    await h.say.zalo(ZL, '2')
    expect(h.lastText(h.zalo, ZL)).toContain('Chính xác')
    expect(h.lastText(h.zalo, ZL)).toContain('Câu 2/3')
  })

  it('drops an invitation still waiting when the quiz closes', async () => {
    await createQuiz()
    h.setNow('2026-03-20T10:00:00Z')
    expect(await h.flush()).toMatchObject({ sent: 0, failed: 2 })
    expect(h.texts(h.zalo, ZL).join('\n')).not.toContain('Mời bạn làm bài')
  })

  it('resumes where it stopped after a restart', async () => {
    const quiz = await createQuiz()
    await h.say.zalo(ZL, 'kiem tra')
    await h.say.zalo(ZL, '2')
    expect(h.lastText(h.zalo, ZL)).toContain('Câu 2/3')

    // A new app and router over the same database: nothing of the quiz lives in memory.
    const restarted = createApp({ ...h.deps })
    const post = (text: string) =>
      restarted.request('/webhook/zalo', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZALO_SECRET },
        body: JSON.stringify(zaloMessage(ZL, text)),
      })
    expect((await post('2')).status).toBe(200)
    expect(h.lastText(h.zalo, ZL)).toContain('Câu 3/3')
    await post('huong dan')
    await post('kiem tra')
    expect(h.lastText(h.zalo, ZL)).toContain('Làm tiếp bài kiểm tra "Hiểu đúng Nghị quyết 71" từ câu 3/3')
    await post('a')
    expect(h.lastText(h.zalo, ZL)).toContain('đúng 3/3 câu')
    expect((await results(quiz.id)).passed).toBe(1)
  })

  it('resumes on Telegram after a restart with the buttons of the question it stopped at', async () => {
    const quiz = await createQuiz()
    await h.say.press(TG, `qz:${quiz.id}:start`)
    await h.say.press(TG, `qz:${quiz.id}:0:1`)
    const restarted = createApp({ ...h.deps })
    await restarted.request('/webhook/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret-123456' },
      body: JSON.stringify(tgCallback(TG, `qz:${quiz.id}:1:1`)),
    })
    expect(h.lastText(h.telegram, TG)).toContain('Câu 3/3')
    expect(await h.db.select().from(quizAnswers)).toHaveLength(2)
  })
})

describe('quiz admin API', () => {
  it('rejects a malformed quiz and an unknown unit, and 404s unknown results', async () => {
    const one = await h.api('/quizzes', { body: { title: 'x', questions: [{ text: 'q', options: ['a'], correct: 0 }], closesAt: '2026-03-20T10:00:00Z' } })
    expect(one.status).toBe(400)
    const bad = await h.api('/quizzes', { body: { title: 'x', questions: [{ text: 'q', options: ['a', 'b'], correct: 2 }], closesAt: '2026-03-20T10:00:00Z' } })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('questions.0.correct')
    const past = await h.api('/quizzes', { body: { title: 'x', questions, closesAt: '2026-03-01T10:00:00Z' } })
    expect(past.status).toBe(400)
    const unit = await h.api('/quizzes', { body: { title: 'x', questions, closesAt: '2026-03-20T10:00:00Z', audience: { unitCodes: ['NOPE'] } } })
    expect(unit.status).toBe(422)
    expect((await h.api('/quizzes/999/results')).status).toBe(404)
  })
})
