import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/** Staff ask the Department in chat; an admin answers through the API; the answer comes back. */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6300000021'
const ZL = 'zl-minh-21'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

const list = async (query = '') => (await h.api(`/questions${query}`)).json()

describe('questions to the Department', () => {
  it('takes a question typed with the command, on Telegram and Zalo, and explains what it needs', async () => {
    await h.say.telegram(TG, '/hoidap Khi nào Sở gửi tài liệu tập huấn Nghị quyết 71?')
    expect(h.lastText(h.telegram, TG)).toBe('Đã gửi câu hỏi số 1 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')

    await h.say.zalo(ZL, '/hoidap')
    expect(h.lastText(h.zalo, ZL)).toBe('Gõ câu hỏi ngay sau lệnh, trong cùng một tin nhắn. Ví dụ: /hoidap Khi nào Sở gửi tài liệu tập huấn?')
    await h.say.zalo(ZL, '/hoidap ok?')
    expect(h.lastText(h.zalo, ZL)).toBe('Câu hỏi ngắn quá (cần từ 5 ký tự). Bạn hãy gõ lại: /hoidap và câu hỏi đầy đủ.')
    await h.say.zalo(ZL, '/hoidap Trường có cần nộp kế hoạch truyền thông riêng không ạ?')
    expect(h.lastText(h.zalo, ZL)).toBe('Đã gửi câu hỏi số 2 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')
    // Without the slash these words start ordinary messages (hồi đáp = a reply), so they are not questions.
    await h.say.zalo(ZL, 'Hồi đáp: trường đã nhận văn bản')
    await h.say.zalo(ZL, 'hoi dap truc tuyen')

    const open = await list()
    expect(open.total).toBe(2)
    expect(open.items.map((q: { id: number }) => q.id)).toEqual([2, 1])
    expect(open.items[0]).toMatchObject({
      text: 'Trường có cần nộp kế hoạch truyền thông riêng không ạ?',
      channel: 'zalo',
      person: { fullName: 'Trần Văn Minh' },
      unit: { code: 'THCS-ANHOA', name: 'Trường THCS An Hòa' },
      answer: null,
    })
    expect(JSON.stringify(open)).not.toMatch(/phone/)

    await h.say.zalo(ZL, 'huong dan')
    expect(h.lastText(h.zalo, ZL)).toContain('/hoidap <câu hỏi> — gửi câu hỏi tới Sở GD&ĐT; câu trả lời sẽ về tại đây')
  })

  it('sends the answer back to the asker once, and says so when asked to answer again', async () => {
    await h.say.telegram(TG, '/hoidap Khi nào Sở gửi tài liệu tập huấn Nghị quyết 71?')
    const res = await h.api('/questions/1/answer', { body: { answer: 'Tài liệu sẽ gửi trước ngày 20/03/2026 qua bot này.' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ delivered: true, question: { id: 1, answer: 'Tài liệu sẽ gửi trước ngày 20/03/2026 qua bot này.' } })
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toBe(
      '💬 Sở GD&ĐT trả lời câu hỏi số 1 của bạn:\n«Khi nào Sở gửi tài liệu tập huấn Nghị quyết 71?»\n\nTài liệu sẽ gửi trước ngày 20/03/2026 qua bot này.',
    )

    const again = await h.api('/questions/1/answer', { body: { answer: 'Một câu trả lời khác.' } })
    expect(again.status).toBe(409)
    expect((await again.json()).error.message).toBe('Câu hỏi số 1 đã được trả lời lúc 09:00 16/03/2026.')
    // The same answer again is a retry: accepted, and still one message.
    expect((await h.api('/questions/1/answer', { body: { answer: 'Tài liệu sẽ gửi trước ngày 20/03/2026 qua bot này.' } })).status).toBe(200)
    await h.flush()
    expect(h.texts(h.telegram, TG).filter((t) => t.startsWith('💬'))).toHaveLength(1)

    expect((await list('?status=answered')).total).toBe(1)
    expect((await list()).total).toBe(0)
  })

  it("refuses bad answers and unknown questions, and takes an unlinked chat's question as a subscriber's", async () => {
    await h.say.telegram(TG, '/hoidap Khi nào Sở gửi tài liệu tập huấn?')
    expect((await h.api('/questions/1/answer', { body: { answer: '   ' } })).status).toBe(400)
    expect((await h.api('/questions/99/answer', { body: { answer: 'Có.' } })).status).toBe(404)
    expect((await h.api('/questions?status=closed')).status).toBe(400)
    // A chat that is not linked asks as a subscriber (test/integration/public-questions.test.ts).
    await h.say.telegram('777000', '/hoidap Tôi chưa liên kết nhưng muốn hỏi?')
    expect(h.lastText(h.telegram, '777000')).toMatch(/^Đã gửi câu hỏi số 2 tới Sở GD&ĐT/)
    expect((await list('?status=all')).items.map((q: { asker: { kind: string } }) => q.asker.kind)).toEqual(['subscriber', 'staff'])
  })

  it('keeps the answer when the asker can no longer be reached', async () => {
    await h.say.zalo(ZL, '/hoidap Trường có cần nộp kế hoạch riêng không?')
    h.zalo.blockChat(ZL)
    await h.api('/broadcasts', { body: { kind: 'announcement', title: 'Thông báo', body: 'Nội dung.', audience: { unitCodes: ['SGDDT'] } } })
    await h.flush()
    const res = await (await h.api('/questions/1/answer', { body: { answer: 'Không cần.' } })).json()
    expect(res).toMatchObject({ delivered: false, question: { answer: 'Không cần.' } })
  })

  it('tells each admin once a day how many questions wait, in their language', async () => {
    const PHUC = '6300000029'
    await enroll(h, ids.phuc, 'telegram', PHUC)
    const run = async () => (await (await h.api('/jobs/questions/run', { body: {} })).json()) as { open: number; queued: number }
    expect(await run()).toMatchObject({ open: 0, queued: 0 })
    await h.say.telegram(TG, '/hoidap Khi nào Sở gửi tài liệu tập huấn?')
    await h.say.zalo(ZL, '/hoidap Trường có cần nộp kế hoạch riêng không?')
    // A parent's question from a chat not linked counts too, apart from staff's.
    await h.say.telegram('8800000077', '/hoidap Khi nào có lịch tựu trường lớp 6?')
    expect(await run()).toMatchObject({ open: 3, staff: 2, public: 1, queued: 1 })
    await h.flush()
    // Phúc reads English.
    expect(h.lastText(h.telegram, PHUC)).toBe(
      '❓ 3 question(s) are waiting for an answer: 2 from staff, 1 from parents and citizens (the oldest sent on 16/03/2026). Answer them in the console or through the API: GET /api/questions.',
    )
    expect(await run()).toMatchObject({ open: 3, queued: 0 })
  })

  it('leaves a report under way as it was', async () => {
    await h.api('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-31', unitKinds: ['school'] } })
    await h.say.zalo(ZL, 'bao cao')
    await h.say.zalo(ZL, '5')
    await h.say.zalo(ZL, '/hoidap Báo cáo có cần kèm ảnh không ạ?')
    expect(h.lastText(h.zalo, ZL)).toBe('Đã gửi câu hỏi số 1 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')
    // The report goes on where it was: 5 activities given, 3 digital products now, then question 3.
    await h.say.zalo(ZL, '3')
    expect(h.lastText(h.zalo, ZL)).toMatch(/^3\/4\. /)
    expect((await list('?status=all')).total).toBe(1)
  })
})

