import ExcelJS from 'exceljs'
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pollAnswers, polls } from '#db/schema/index.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Polls that measure consensus (issue 23): one message to staff by unit and role and to opted-in
 * subscribers by ward; answered by button on Telegram and by number on Zalo; one answer per
 * respondent, changed by answering again; refused after the close; results hidden from
 * respondents until then; results per option, audience, unit and ward, with response rates, and .xlsx.
 */
let h: Harness
const TG = '6100000001' // Lan, teacher, Telegram
const ZL = 'zl-minh-01' // Minh, teacher, Zalo
const PARENT_ZL = 'zl-parent-1' // subscriber, ward Ninh Kiều
const PARENT_TG = '8800000001' // subscriber, ward Cái Răng
const SILENT_TG = '8800000002' // wrote once, never subscribed
const json = async (res: Response) => (await res.json()) as any

beforeEach(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
  expect((await h.api('/units', { body: [{ code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' }] })).status).toBe(200)
  await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
  await h.say.telegram(PARENT_TG, '/dangky Cái Răng')
  await h.say.telegram(SILENT_TG, 'xin chào')
})
afterEach(() => h.close())

const scalePoll = {
  title: 'Học thêm buổi tối',
  question: 'Trường nên mở lớp ôn tập buổi tối cho học sinh lớp 9.',
  kind: 'scale',
  closesAt: '2026-03-20T10:00:00Z',
  audience: { staff: { roles: ['teacher'] }, subscribers: { wardCodes: [] } },
}

async function createPoll(body: Record<string, unknown>) {
  const res = await h.api('/polls', { body })
  expect(res.status).toBe(201)
  return json(res)
}
const buttons = (chatId: string) =>
  (h.telegram.sentTo(chatId).at(-1)!.params.reply_markup?.inline_keyboard ?? []).flat().map((b: { callback_data: string }) => b.callback_data)

describe('a poll to staff and subscribers', () => {
  it('is answered by button on Telegram and by number on Zalo, changed by answering again, and counted per unit and ward', async () => {
    const poll = await createPoll(scalePoll)
    expect(poll).toMatchObject({ id: 1, status: 'open', resultsHidden: true, queued: { staff: 2, subscribers: 2, queued: 4 } })
    await h.flush()
    // Telegram: the scale in the text and a numbered button per point.
    expect(h.lastText(h.telegram, TG)).toContain('📊 Thăm dò ý kiến: Học thêm buổi tối')
    expect(h.lastText(h.telegram, TG)).toContain('4. Đồng ý')
    expect(buttons(TG)).toEqual(['pl:1:0', 'pl:1:1', 'pl:1:2', 'pl:1:3', 'pl:1:4'])
    // Zalo: numbered lines, answered by typing the number.
    expect(h.lastText(h.zalo, PARENT_ZL)).toContain('Trả lời bằng số (1–5)')
    expect(h.lastText(h.zalo, PARENT_ZL)).toContain('5. Rất đồng ý')
    // Never to a chat that did not opt in.
    expect(h.texts(h.telegram, SILENT_TG).some((t) => t.includes('Thăm dò'))).toBe(false)

    await h.say.press(TG, 'pl:1:3')
    expect(h.lastText(h.telegram, TG)).toBe('✅ Đã ghi nhận câu trả lời của bạn: 4. Đồng ý. Cảm ơn bạn!')
    await h.say.zalo(ZL, '5')
    expect(h.lastText(h.zalo, ZL)).toMatch(/^✅ Đã ghi nhận câu trả lời của bạn: 5\. Rất đồng ý/)
    await h.say.zalo(PARENT_ZL, '2')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^✅ Đã ghi nhận câu trả lời của bạn: 2\. Không đồng ý/)
    await h.say.press(PARENT_TG, 'pl:1:3')

    // One answer per respondent: answering again replaces it, and says so.
    await h.say.zalo(PARENT_ZL, '4')
    expect(h.lastText(h.zalo, PARENT_ZL)).toBe('✅ Đã đổi câu trả lời của bạn thành: 4. Đồng ý.\nMuốn đổi câu trả lời, gửi một số khác (1–5) trước khi thăm dò đóng.')
    expect(await h.db.$count(pollAnswers)).toBe(4)

    const r = await json(await h.api('/polls/1/results'))
    expect(r.options).toEqual(['Rất không đồng ý', 'Không đồng ý', 'Phân vân', 'Đồng ý', 'Rất đồng ý'])
    expect(r.total).toMatchObject({ answered: 4, reached: 4, responseRate: 1, counts: [0, 0, 0, 3, 1], average: 4.25 })
    expect(r.byAudience.staff).toMatchObject({ answered: 2, reached: 2, counts: [0, 0, 0, 1, 1] })
    expect(r.byAudience.subscribers).toMatchObject({ answered: 2, reached: 2, counts: [0, 0, 0, 2, 0] })
    expect(r.byUnit).toEqual([
      {
        audience: 'staff',
        unitId: expect.any(Number),
        unitCode: 'THCS-ANHOA',
        unitName: 'Trường THCS An Hòa',
        name: 'Trường THCS An Hòa',
        invited: 2,
        reached: 2,
        answered: 2,
        responseRate: 1,
        counts: [0, 0, 0, 1, 1],
      },
    ])
    expect(r.byWard.map((w: any) => [w.unitCode, w.counts])).toEqual([
      ['P-CAIRANG', [0, 0, 0, 1, 0]],
      ['P-NINHKIEU', [0, 0, 0, 1, 0]],
    ])

    const xlsx = await h.api('/polls/1/results.xlsx')
    expect(xlsx.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any)
    const sheet = book.worksheets[0]!
    expect(sheet.name).toBe('Kết quả thăm dò')
    expect(sheet.getRow(1).values).toContain('4. Đồng ý')
    const rows = sheet.getSheetValues().slice(2).map((row: any) => row.slice(1))
    // Per ward: asked, reached, answered, the response rate (%), then each option.
    expect(sheet.getRow(1).values).toContain('Số được hỏi')
    expect(rows).toContainEqual(['Người đăng ký (phụ huynh, người dân)', 'P-NINHKIEU', 'UBND phường Ninh Kiều', 1, 1, 1, 100, 0, 0, 0, 1, 0])
  })

  it('hides the results from respondents until it closes, then refuses answers and shows them', async () => {
    await createPoll({ ...scalePoll, kind: 'single', options: ['Đồng ý mở lớp', 'Không cần'], allowComment: true, audience: { subscribers: { wardCodes: ['P-NINHKIEU'] } } })
    await h.flush()
    // Only the ward asked: Cái Răng's parent gets nothing, and may not answer.
    expect(h.texts(h.telegram, PARENT_TG).some((t) => t.includes('Thăm dò'))).toBe(false)
    await h.say.press(PARENT_TG, 'pl:1:0')
    expect(h.lastText(h.telegram, PARENT_TG)).toBe('Cuộc thăm dò này không dành cho bạn.')
    // Staff are not in this poll's audience either.
    await h.say.press(TG, 'pl:1:0')
    expect(h.lastText(h.telegram, TG)).toBe('Cuộc thăm dò này không dành cho bạn.')

    await h.say.zalo(PARENT_ZL, '1')
    expect(h.lastText(h.zalo, PARENT_ZL)).toContain('/gopy')
    await h.say.zalo(PARENT_ZL, '/gopy Nên có xe đưa đón.')
    expect(h.lastText(h.zalo, PARENT_ZL)).toBe('✅ Đã ghi nhận góp ý của bạn cho thăm dò "Học thêm buổi tối".')
    const [row] = await h.db.select().from(pollAnswers)
    expect(row).toMatchObject({ choice: 0, comment: 'Nên có xe đưa đón.', audience: 'subscribers' })

    await h.say.zalo(PARENT_ZL, '/ketqua 1')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^Kết quả cuộc thăm dò "Học thêm buổi tối" sẽ được công bố sau khi thăm dò đóng/)

    const closed = await h.api('/polls/1/close', { body: {} })
    expect(await json(closed)).toMatchObject({ status: 'closed' })
    await h.say.zalo(PARENT_ZL, '/ketqua 1')
    expect(h.lastText(h.zalo, PARENT_ZL)).toBe('📊 Kết quả thăm dò "Học thêm buổi tối" (1 người trả lời):\n1. Đồng ý mở lớp: 1 (100%)\n2. Không cần: 0 (0%)')
    // After the close a tap on the old button is refused, and nothing changes.
    await h.say.press(PARENT_TG, 'pl:1:1')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Cuộc thăm dò "Học thêm buổi tối" đã đóng lúc .*; câu trả lời này không được ghi nhận\./)
    expect((await h.db.select().from(pollAnswers))[0]!.choice).toBe(0)
    const [p] = await h.db.select().from(polls)
    expect(p!.status).toBe('closed')
  })

  it('refuses a tap after the close time with a pointer to the results', async () => {
    await createPoll(scalePoll)
    await h.flush()
    await h.say.zalo(ZL, '5')
    h.setNow('2026-03-20T10:00:01Z')
    await h.say.press(TG, 'pl:1:4')
    expect(h.lastText(h.telegram, TG)).toMatch(/^Cuộc thăm dò "Học thêm buổi tối" đã đóng lúc .*; câu trả lời này không được ghi nhận\. Xem kết quả: \/ketqua 1$/)
    // On Zalo, another number typed after the close (the options still offered in the chat) is refused too.
    await h.say.zalo(ZL, '2')
    expect(h.lastText(h.zalo, ZL)).toMatch(/^Cuộc thăm dò "Học thêm buổi tối" đã đóng lúc/)
    expect((await h.db.select().from(pollAnswers)).map((a) => a.choice)).toEqual([4])
    // Past its close time the results are no longer hidden.
    await h.say.telegram(TG, '/ketqua 1')
    expect(h.lastText(h.telegram, TG)).toContain('📊 Kết quả thăm dò "Học thêm buổi tối" (1 người trả lời):\n1. Rất không đồng ý: 0 (0%)')
  })
})

describe('a poll that opens later', () => {
  it('waits in the outbox until opensAt, and a tap before then is told when it opens', async () => {
    await createPoll({ ...scalePoll, opensAt: '2026-03-18T01:00:00Z', audience: { staff: { roles: ['teacher'] } } })
    await h.flush()
    expect(h.texts(h.telegram, TG).some((t) => t.includes('Thăm dò'))).toBe(false)
    expect((await json(await h.api('/polls/1'))).status).toBe('scheduled')
    await h.say.press(TG, 'pl:1:3')
    expect(h.lastText(h.telegram, TG)).toMatch(/^Cuộc thăm dò "Học thêm buổi tối" chưa mở\. Thăm dò mở lúc /)
    h.setNow('2026-03-18T01:00:00Z')
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toContain('📊 Thăm dò ý kiến: Học thêm buổi tối')
    expect(h.lastText(h.zalo, ZL)).toContain('📊 Thăm dò ý kiến: Học thêm buổi tối')
  })
})

describe('a repeated poll and an erased subscriber', () => {
  it('shows the earlier poll beside a repeat, gives the response rate over the messages delivered, and keeps an erased subscriber\'s answer in the ward', async () => {
    const first = await createPoll({ ...scalePoll, audience: { subscribers: { wardCodes: ['P-NINHKIEU', 'P-CAIRANG'] } } })
    await h.flush()
    await h.say.zalo(PARENT_ZL, '2')
    await h.api(`/polls/${first.id}/close`, { body: {} })

    const repeat = await createPoll({ ...scalePoll, repeatOf: first.id, audience: { subscribers: { wardCodes: ['P-NINHKIEU', 'P-CAIRANG'] } } })
    await h.flush()
    await h.say.zalo(PARENT_ZL, '5')
    // Their answers are in their data export (Decree 13/2023).
    const exported = await json(await h.api('/subscribers/1/export'))
    expect(exported.polls.map((p: any) => [p.pollId, p.choice])).toEqual([
      [first.id, 2],
      [repeat.id, 5],
    ])
    // The parent asks for their data to go: the answer stays, counted in the ward, with no one behind it.
    await h.say.zalo(PARENT_ZL, '/xoa')
    const [answer] = await h.db.select().from(pollAnswers).where(eq(pollAnswers.pollId, repeat.id))
    expect(answer).toMatchObject({ subscriberId: null, choice: 4, audience: 'subscribers' })

    const r = await json(await h.api(`/polls/${repeat.id}/results`))
    expect(r.total).toMatchObject({ answered: 1, reached: 2, responseRate: 0.5, average: 5 })
    // Cái Răng was asked and did not answer; the erased parent's answer stays in Ninh Kiều, asked and answered.
    expect(r.byWard).toMatchObject([
      { unitCode: 'P-CAIRANG', invited: 1, answered: 0, responseRate: 0 },
      { unitCode: 'P-NINHKIEU', invited: 1, answered: 1, responseRate: 1 },
    ])
    expect(r.previous).toMatchObject({ pollId: first.id, total: { answered: 1, reached: 2, average: 2 } })
    const list = await json(await h.api('/polls'))
    expect(list.items.map((p: any) => [p.id, p.status, p.repeatOf])).toEqual([
      [repeat.id, 'open', first.id],
      [first.id, 'closed', null],
    ])
  })
})

describe('bad input', () => {
  it('answers in Vietnamese and creates nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...scalePoll, kind: 'single', options: ['Chỉ một'] }, 400, 'câu hỏi một lựa chọn cần từ 2 đến 9 phương án'],
      [{ ...scalePoll, kind: 'single', options: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] }, 400, 'options'],
      [{ ...scalePoll, options: ['A', 'B'] }, 400, 'thang đo 1–5 không nhận phương án riêng'],
      [{ ...scalePoll, audience: {} }, 400, 'cần chọn đối tượng'],
      [{ ...scalePoll, closesAt: '2020-01-01T00:00:00Z' }, 400, 'closesAt'],
      [{ ...scalePoll, audience: { subscribers: { wardCodes: ['P-KHONGCO'] } } }, 422, 'Không có phường/xã mã: P-KHONGCO.'],
      [{ ...scalePoll, audience: { staff: { unitCodes: ['XYZ'] } } }, 422, 'Không có đơn vị mã: XYZ.'],
      [{ ...scalePoll, repeatOf: 99 }, 422, 'Không có cuộc thăm dò số 99.'],
    ]
    for (const [body, status, message] of cases) {
      const res = await h.api('/polls', { body })
      expect(res.status, JSON.stringify(body)).toBe(status)
      expect(JSON.stringify(await res.json())).toContain(message)
    }
    expect(await h.db.$count(polls)).toBe(0)
    expect((await h.api('/polls/7/results')).status).toBe(404)
    expect((await h.api('/polls/7/close', { body: {} })).status).toBe(404)
  })
})
