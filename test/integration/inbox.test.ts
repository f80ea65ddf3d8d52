import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startWithLinkedPeople, tgMessage, zaloMessage, type Harness } from '../helpers/harness.js'
import { consoleClient } from '../helpers/console.js'

/**
 * Nothing a teacher writes is lost: a private message that is no command goes to the inbox, the
 * sender is told it was passed on, and staff answer it back to the chat or make it a question.
 * Lan (teacher) is linked on Telegram, Minh (teacher) on Zalo.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6300000061'
const ZL = 'zl-minh-61'
const PASSED_ON =
  'Đã chuyển tin nhắn của bạn tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây. Để gửi câu hỏi chính thức, gõ /hoidap rồi câu hỏi; gửi /huongdan để xem các lệnh.'
const HINT = 'Tôi chưa hiểu tin nhắn này. Gửi /huongdan để xem các lệnh có thể dùng.'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

type Item = { id: number; text: string; status: string; person: { id: number; fullName: string } | null; questionId: number | null; answer: string | null }
const inbox = async (query = '') => (await (await h.api(`/inbox${query}`)).json()) as { total: number; items: Item[] }

/** An API token for a person with the given console role. */
async function tokenAs(personId: number, role: 'viewer' | 'editor') {
  expect((await h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })).status).toBe(200)
  const res = await h.api('/tokens', { body: { personId, label: role } })
  return ((await res.json()) as { token: string }).token
}

describe('the inbox', () => {
  it('keeps a linked teacher’s question in her own words, and an editor’s answer comes back to her chat', async () => {
    await h.say.zalo(ZL, 'cho hỏi lịch tập huấn tháng 12')
    expect(h.lastText(h.zalo, ZL)).toBe(PASSED_ON)

    const kept = await inbox()
    expect(kept.total).toBe(1)
    expect(kept.items[0]).toMatchObject({ id: 1, text: 'cho hỏi lịch tập huấn tháng 12', status: 'new', person: { id: ids.minh, fullName: 'Trần Văn Minh' } })
    expect(JSON.stringify(kept)).not.toContain(ZL)

    // A viewer reads the inbox but cannot answer it; an editor can.
    const viewer = await tokenAs(ids.phuc, 'viewer')
    expect((await h.api('/inbox', { token: viewer })).status).toBe(200)
    expect((await h.api('/inbox/1/answer', { token: viewer, body: { answer: 'Ngày 15/12.' } })).status).toBe(403)
    const editor = await tokenAs(ids.lan, 'editor')
    expect((await h.api('/inbox/1/answer', { token: editor, body: { answer: '  ' } })).status).toBe(400)
    expect((await h.api('/inbox/99/answer', { token: editor, body: { answer: 'Có.' } })).status).toBe(404)
    const res = await h.api('/inbox/1/answer', { token: editor, body: { answer: 'Lịch tập huấn tháng 12 gửi về trường trước ngày 01/12.' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ delivered: true, message: { id: 1, status: 'answered', answeredBy: { id: ids.lan, fullName: 'Nguyễn Thị Lan' } } })
    await h.flush()
    expect(h.lastText(h.zalo, ZL)).toBe(
      '💬 Sở GD&ĐT trả lời tin nhắn của bạn:\n«cho hỏi lịch tập huấn tháng 12»\n\nLịch tập huấn tháng 12 gửi về trường trước ngày 01/12.',
    )

    // Once answered it is done: another answer is refused and nothing more is sent.
    const again = await h.api('/inbox/1/answer', { token: editor, body: { answer: 'Một câu khác.' } })
    expect(again.status).toBe(409)
    expect((await again.json()).error.message).toBe('Tin nhắn số 1 đã được trả lời hoặc chuyển thành câu hỏi trước đó.')
    expect((await h.api('/inbox/1/question', { token: editor, body: {} })).status).toBe(409)
    await h.flush()
    expect(h.texts(h.zalo, ZL).filter((t) => t.startsWith('💬'))).toHaveLength(1)
    expect((await inbox()).total).toBe(0)
    expect((await inbox('?status=answered')).total).toBe(1)
    expect((await h.api('/inbox?status=closed')).status).toBe(400)
  })

  it('turns a message into a question, which the questions list then shows', async () => {
    await h.say.telegram(TG, 'Trường em có cần nộp kế hoạch truyền thông riêng không ạ')
    expect(h.lastText(h.telegram, TG)).toBe(PASSED_ON)
    const res = await h.api('/inbox/1/question', { body: {} })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ message: { id: 1, status: 'question', questionId: 1, answeredBy: null } })
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toBe(
      'Tin nhắn của bạn «Trường em có cần nộp kế hoạch truyền thông riêng không ạ» đã được ghi thành câu hỏi số 1 gửi Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.',
    )
    const questions = await (await h.api('/questions')).json()
    expect(questions.total).toBe(1)
    expect(questions.items[0]).toMatchObject({ id: 1, text: 'Trường em có cần nộp kế hoạch truyền thông riêng không ạ', person: { fullName: 'Nguyễn Thị Lan' }, channel: 'telegram' })
    // A second click makes no second question.
    expect((await h.api('/inbox/1/question', { body: {} })).status).toBe(409)
    expect((await (await h.api('/questions?status=all')).json()).total).toBe(1)
    expect((await inbox('?status=question')).items[0]).toMatchObject({ id: 1, questionId: 1 })
  })

  it('keeps commands as commands, and leaves groups, unlinked chats and noise alone', async () => {
    // A slash is still a command, known or not; "hỏi đáp:" is still a question.
    await h.say.zalo(ZL, '/huongdan')
    expect(h.lastText(h.zalo, ZL)).toContain('/hoidap')
    await h.say.zalo(ZL, '/lichtaphuan cho em hỏi lịch')
    expect(h.lastText(h.zalo, ZL)).toBe(HINT)
    await h.say.zalo(ZL, 'hỏi đáp: Khi nào có lịch tập huấn tháng 12?')
    expect(h.lastText(h.zalo, ZL)).toBe('Đã gửi câu hỏi số 1 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')
    // Noise gets the hint, as before.
    for (const noise of ['ok', '👍', '👍 👍', 'x', 'Xin chào!', 'Cảm ơn ạ']) {
      await h.say.zalo(ZL, noise)
      expect(h.lastText(h.zalo, ZL)).toBe(HINT)
    }
    // A group chat is not collected, nor answered.
    const group = tgMessage(TG, 'Cho hỏi lịch tập huấn tháng 12 ở đâu ạ?')
    group.message.chat = { id: -1001234567, first_name: 'Tổ Văn', type: 'group' }
    await h.postWebhook('telegram', group)
    const zaloGroup = zaloMessage('zl-group-61', 'Cho hỏi lịch tập huấn tháng 12 ở đâu ạ?', { wrapped: false }) as ReturnType<typeof zaloMessage> & {
      message: { chat: { chat_type: string }; from: { id: string } }
    }
    zaloGroup.message.chat.chat_type = 'GROUP'
    zaloGroup.message.from.id = ZL
    await h.postWebhook('zalo', zaloGroup)
    expect(h.texts(h.telegram, '-1001234567')).toEqual([])
    expect(h.texts(h.zalo, 'zl-group-61')).toEqual([])
    // A chat that is not linked is not the staff inbox: its greeting gets the public welcome (how to
    // ask, or to link with an invite code), its message a public question (public-questions.test.ts).
    await h.say.telegram('777061', 'Xin chào')
    expect(h.lastText(h.telegram, '777061')).toMatch(/^Chào bạn! Đây là kênh của Sở GD&ĐT Cần Thơ\.[\s\S]*gửi mã mời/)
    await h.say.telegram('777061', 'Cho hỏi lịch tập huấn tháng 12 ở đâu ạ?')
    expect(h.lastText(h.telegram, '777061')).toMatch(/^Sở đã nhận tin nhắn của bạn là câu hỏi số \d+/)

    expect((await inbox('?status=all')).total).toBe(0)
    // Eight letters in one word is enough.
    await h.say.zalo(ZL, 'tậphuấnnn?')
    expect(h.lastText(h.zalo, ZL)).toBe(PASSED_ON)
    expect((await inbox('?status=all')).total).toBe(1)
  })

  it('lists the messages in the export, erases them with the person, and prunes them after RETENTION_DAYS', async () => {
    await h.say.zalo(ZL, 'cho hỏi lịch tập huấn tháng 12')
    await h.say.telegram(TG, 'Em gửi lại danh sách lớp tập huấn ạ')
    const exported = await (await h.api(`/people/${ids.minh}/export`)).json()
    expect(exported.inbox).toEqual([
      expect.objectContaining({ id: 1, channel: 'zalo', chatId: ZL, text: 'cho hỏi lịch tập huấn tháng 12', status: 'new', receivedAt: '2026-03-16T02:00:00.000Z' }),
    ])

    expect((await h.api(`/people/${ids.minh}`, { method: 'DELETE' })).status).toBe(200)
    const left = await inbox('?status=all')
    expect(left.items.map((m) => m.text)).toEqual(['Em gửi lại danh sách lớp tập huấn ạ'])
    expect((await (await h.api(`/people/${ids.minh}/export`)).json()).inbox).toEqual([])

    const run = async () => (await (await h.api('/jobs/retention/run', { body: {} })).json()) as { inbox: number }
    h.setNow('2026-12-01T00:00:00Z')
    expect(await run()).toMatchObject({ inbox: 0 })
    expect((await inbox('?status=all')).total).toBe(1)
    h.setNow('2027-03-17T02:00:00Z')
    expect(await run()).toMatchObject({ inbox: 1 })
    expect((await inbox('?status=all')).total).toBe(0)
  })

  it('shows the inbox in the console, with an answer form that works', async () => {
    await h.say.zalo(ZL, 'cho hỏi lịch tập huấn tháng 12')
    const browser = consoleClient(h)
    expect((await browser.post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
    const page = await browser.get('/admin/inbox')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('href="/admin/inbox"')
    expect(html).toMatch(/<form method="post" action="\/admin\/inbox\/1\/answer\?status=new"[^>]*><input type="hidden" name="_csrf" value="[^"]+"/)
    expect(html).toContain('Chuyển thành câu hỏi')
    expect(html).toContain('cho hỏi lịch tập huấn tháng 12')
    // The channel by its name, as on the questions page.
    expect(html).toMatch(/qua Zalo\b/)

    const answered = await browser.post('/admin/inbox/1/answer?status=new', { answer: 'Ngày 01/12 Sở gửi lịch.' })
    expect(answered.status).toBe(200)
    expect(await browser.text(answered)).toContain('Đã gửi câu trả lời cho tin nhắn số 1.')
    await h.flush()
    expect(h.lastText(h.zalo, ZL)).toBe('💬 Sở GD&ĐT trả lời tin nhắn của bạn:\n«cho hỏi lịch tập huấn tháng 12»\n\nNgày 01/12 Sở gửi lịch.')

    await h.say.zalo(ZL, 'Trường em có cần nộp kế hoạch riêng không ạ')
    const made = await browser.post('/admin/inbox/2/question?status=new', {})
    expect(await browser.text(made)).toContain('Tin nhắn số 2 đã chuyển thành câu hỏi số 1.')
    const all = await browser.text(await browser.get('/admin/inbox?status=all'))
    expect(all).toContain('Mã quản trị đã chuyển thành câu hỏi: câu hỏi số 1')
    expect(all).toMatch(/Mã quản trị đã trả lời lúc \d\d:\d\d 16\/03\/2026: Ngày 01\/12 Sở gửi lịch\./)
  })
})
