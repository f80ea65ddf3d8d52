import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { polls } from '#db/schema/index.js'
import { signedInAs } from '../helpers/console.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Polls that measure (issue 23, part 2): the response rate of every unit and ward asked (respondents
 * / recipients, a unit asked without an answer at 0 %), and the trend over a poll repeated any
 * number of times — each poll of the series in date order with its options' shares, the scale's
 * mean and share agreeing (4–5), and the response rate — in the API and on the console's page.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6100000001' // Lan, teacher at THCS An Hòa, Telegram
const ZL = 'zl-minh-01' // Minh, teacher at THCS An Hòa, Zalo
const PARENT_ZL = 'zl-parent-1' // subscriber, ward Ninh Kiều
const PARENT_TG = '8800000001' // subscriber, ward Cái Răng
const json = async (res: Response) => (await res.json()) as any

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
  expect((await h.api('/units', { body: [{ code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' }] })).status).toBe(200)
  await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
  await h.say.telegram(PARENT_TG, '/dangky Cái Răng')
})
afterEach(() => h.close())

const scalePoll = {
  title: 'Học thêm buổi tối',
  question: 'Trường nên mở lớp ôn tập buổi tối cho học sinh lớp 9.',
  kind: 'scale',
  audience: { staff: { roles: ['teacher'] }, subscribers: { wardCodes: [] } },
}

/** One round of the poll, opened on `day` and answered: `answers` maps a chat to its 1–5 point. */
async function round(day: string, answers: Record<string, number>, repeatOf?: number) {
  h.setNow(`${day}T02:00:00Z`)
  const closesAt = new Date(new Date(`${day}T02:00:00Z`).getTime() + 4 * 86_400_000).toISOString()
  const res = await h.api('/polls', { body: { ...scalePoll, closesAt, ...(repeatOf ? { repeatOf } : {}) } })
  expect(res.status).toBe(201)
  const poll = await json(res)
  await h.flush()
  for (const [chat, point] of Object.entries(answers)) {
    if (chat === TG || chat === PARENT_TG) await h.say.press(chat, `pl:${poll.id}:${point - 1}`)
    else await h.say.zalo(chat, String(point))
  }
  await h.api(`/polls/${poll.id}/close`, { body: {} })
  return poll.id as number
}

describe('response rates per unit and ward', () => {
  it('gives each unit and ward asked its recipients, respondents and rate, in the API, the console and the workbook', async () => {
    const id = await round('2026-03-16', { [TG]: 4, [PARENT_ZL]: 5 })
    const r = await json(await h.api(`/polls/${id}/results`))
    expect(r.byUnit).toEqual([expect.objectContaining({ unitId: expect.any(Number), name: 'Trường THCS An Hòa', invited: 2, answered: 1, responseRate: 0.5 })])
    expect(r.byWard).toEqual([
      expect.objectContaining({ name: 'UBND phường Cái Răng', invited: 1, answered: 0, responseRate: 0 }),
      expect.objectContaining({ name: 'UBND phường Ninh Kiều', invited: 1, answered: 1, responseRate: 1 }),
    ])
    expect(r.total).toMatchObject({ invited: 4, answered: 2, responseRate: 0.5, average: 4.5, agreement: 1 })

    const editor = await signedInAs(h, ids.phuc, 'editor')
    const text = await editor.text(await editor.get(`/admin/polls/${id}`))
    expect(text).toMatch(/Trường THCS An Hòa \(THCS-ANHOA\) 2 1 50\s?%/)
    expect(text).toMatch(/UBND phường Cái Răng \(P-CAIRANG\) 1 0 0\s?%/)
    // A poll never repeated shows no trend.
    expect(text).not.toContain('Xu hướng')

    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await (await h.api(`/polls/${id}/results.xlsx`)).arrayBuffer()) as any)
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean).map((row: any) => row.slice(1))
    expect(rows[0]!.slice(3, 7)).toEqual(['Số được hỏi', 'Số đã nhận tin', 'Số trả lời', 'Tỷ lệ trả lời (%)'])
    expect(rows.find((row: any[]) => row[1] === 'THCS-ANHOA')!.slice(2, 7)).toEqual(['Trường THCS An Hòa', 2, 2, 1, 50])
    expect(rows.find((row: any[]) => row[1] === 'P-CAIRANG')!.slice(2, 7)).toEqual(['UBND phường Cái Răng', 1, 1, 0, 0])
  })
})

describe('the trend over repeats', () => {
  it('lists every poll of the series in date order, from any of them, with shares, mean, agreement and response rate', async () => {
    const first = await round('2026-03-16', { [TG]: 4, [PARENT_ZL]: 5 })
    const second = await round('2026-04-16', { [TG]: 2, [ZL]: 5, [PARENT_ZL]: 4, [PARENT_TG]: 1 }, first)
    // A repeat of the repeat: the series goes on.
    const third = await round('2026-05-18', { [TG]: 5 }, second)

    const trend = await json(await h.api(`/polls/${third}/trend`))
    expect(trend.options).toEqual(['Rất không đồng ý', 'Không đồng ý', 'Phân vân', 'Đồng ý', 'Rất đồng ý'])
    expect(trend.polls.map((p: any) => [p.pollId, p.opensAt.slice(0, 10), p.answered, p.invited, p.responseRate, p.average, p.agreement])).toEqual([
      [first, '2026-03-16', 2, 4, 0.5, 4.5, 1],
      [second, '2026-04-16', 4, 4, 1, 3, 0.5],
      [third, '2026-05-18', 1, 4, 0.25, 5, 1],
    ])
    expect(trend.polls[1].shares).toEqual([0.25, 0.25, 0, 0.25, 0.25])
    // The workbook of a repeat has the trend on a second sheet.
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await (await h.api(`/polls/${second}/results.xlsx`)).arrayBuffer()) as any)
    expect(book.worksheets.map((w) => w.name)).toEqual(['Kết quả thăm dò', 'Xu hướng'])
    const trendRows = book.worksheets[1]!.getSheetValues().filter(Boolean).map((row: any) => row.slice(1))
    expect(trendRows[0]!.slice(0, 8)).toEqual(['Số thăm dò', 'Ngày mở', 'Tiêu đề', 'Số được hỏi', 'Số trả lời', 'Tỷ lệ trả lời (%)', 'Điểm trung bình (1–5)', 'Tỷ lệ đồng ý 4–5 (%)'])
    expect(trendRows.slice(1).map((r: any[]) => r.slice(0, 8))).toEqual([
      [first, '2026-03-16', 'Học thêm buổi tối', 4, 2, 50, 4.5, 100],
      [second, '2026-04-16', 'Học thêm buổi tối', 4, 4, 100, 3, 50],
      [third, '2026-05-18', 'Học thêm buổi tối', 4, 1, 25, 5, 100],
    ])
    // The same series from its first poll.
    expect((await json(await h.api(`/polls/${first}/trend`))).polls.map((p: any) => p.pollId)).toEqual([first, second, third])

    const editor = await signedInAs(h, ids.phuc, 'editor')
    const html = await editor.text(await editor.get(`/admin/polls/${second}`))
    expect(html).toContain('Xu hướng qua 3 lần thăm dò')
    expect(html).toMatch(/16\/04\/2026 4 4 100\s?% 3\/5 50\s?%/)
    expect(html).toMatch(/18\/05\/2026 4 1 25\s?% 5\/5 100\s?%/)
  })

  it('a single-choice series gives each option its share', async () => {
    h.setNow('2026-03-16T02:00:00Z')
    const single = { title: 'Giờ họp phụ huynh', question: 'Giờ nào tiện cho bạn?', kind: 'single', options: ['Sáng', 'Tối'], closesAt: '2026-03-19T02:00:00Z', audience: { subscribers: { wardCodes: [] } } }
    const a = await json(await h.api('/polls', { body: single }))
    await h.flush()
    await h.say.zalo(PARENT_ZL, '2')
    await h.say.press(PARENT_TG, `pl:${a.id}:1`)
    await h.api(`/polls/${a.id}/close`, { body: {} })
    h.setNow('2026-04-16T02:00:00Z')
    const b = await json(await h.api('/polls', { body: { ...single, closesAt: '2026-04-19T02:00:00Z', repeatOf: a.id } }))
    await h.flush()
    await h.say.zalo(PARENT_ZL, '1')
    const trend = await json(await h.api(`/polls/${b.id}/trend`))
    expect(trend.polls.map((p: any) => [p.shares, p.average, p.agreement, p.status])).toEqual([
      [[0, 1], null, null, 'closed'],
      [[1, 0], null, null, 'open'],
    ])
  })

  it('is repeated from the console: the form comes filled in from the poll, and the repeat shows the series', async () => {
    const first = await round('2026-03-16', { [TG]: 4, [PARENT_ZL]: 5 })
    h.setNow('2026-04-16T02:00:00Z')
    const editor = await signedInAs(h, ids.phuc, 'editor')
    const page = await editor.text(await editor.get(`/admin/polls/${first}`))
    expect(page).toContain('Lặp lại thăm dò này (để theo dõi xu hướng)')
    const formHtml = await (await editor.get(`/admin/polls/new?repeat=${first}`)).text()
    expect(formHtml).toContain('name="repeatOf" value="1"')
    expect(formHtml).toContain('value="Học thêm buổi tối"')
    expect(formHtml).toMatch(/id="kind-scale" name="kind" value="scale" checked/)
    const created = await editor.post('/admin/polls/new', {
      repeatOf: String(first),
      title: 'Học thêm buổi tối',
      question: scalePoll.question,
      kind: 'scale',
      options: '',
      staff: 'on',
      roles: 'teacher',
      subscribers: 'on',
      wardCodes: '',
      closesDate: '20/04/2026',
      closesTime: '17:00',
    })
    expect(created.status).toBe(303)
    expect((await json(await h.api('/polls/2'))).repeatOf).toBe(first)
    expect(await editor.text(await editor.get('/admin/polls/2'))).toContain('Xu hướng qua 2 lần thăm dò')
    // A poll that is not there cannot be repeated.
    expect((await editor.get('/admin/polls/new?repeat=99')).status).toBe(404)
  })

  it('refuses a repeat that asks differently, in Vietnamese, and creates nothing; an unknown poll has no trend', async () => {
    const first = await round('2026-03-16', { [TG]: 4 })
    const res = await h.api('/polls', { body: { ...scalePoll, kind: 'single', options: ['Có', 'Không'], closesAt: '2026-04-20T02:00:00Z', repeatOf: first } })
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('Lần lặp lại phải hỏi cùng kiểu và cùng số phương án với cuộc thăm dò số 1')
    expect(await h.db.$count(polls)).toBe(1)
    const none = await h.api('/polls/99/trend')
    expect(none.status).toBe(404)
    expect(JSON.stringify(await none.json())).toContain('Không có cuộc thăm dò số 99.')
  })
})

describe('polls in the criteria set', () => {
  it('scores a unit by its staff’s poll response rate and a unit or ward by its agreement, computed from the answers', async () => {
    const set = {
      bands: [{ name: 'Đạt', minPercent: 0 }],
      groups: [
        {
          code: 'P',
          title: 'Đối thoại, phản hồi chính sách',
          criteria: [
            { code: 'P1', title: 'Cán bộ trả lời thăm dò ý kiến', maxPoints: 10, type: 'automatic', metric: 'poll_response_rate', appliesTo: ['school', 'commune'] },
            { code: 'P2', title: 'Mức độ đồng thuận', maxPoints: 10, type: 'automatic', metric: 'poll_agreement', appliesTo: ['school', 'commune'] },
          ],
        },
      ],
    }
    expect((await h.api('/criteria/2026', { body: set })).status).toBe(201)
    await h.api('/criteria/2026/publish', { body: {} })
    // Lan agrees (4), Minh does not (2), the Ninh Kiều parent strongly agrees (5); Cái Răng's parent is silent.
    await round('2026-03-16', { [TG]: 4, [ZL]: 2, [PARENT_ZL]: 5 })
    // A poll of another year counts for that year only.
    await round('2025-12-01', { [TG]: 1 })
    const live = await json(await h.api('/criteria/2026/live'))
    const points = (code: string) =>
      Object.fromEntries(live.units.find((u: any) => u.unit.code === code).groups.flatMap((g: any) => g.criteria).map((c: any) => [c.code, c.points]))
    expect(points('THCS-ANHOA')).toEqual({ P1: 10, P2: 5 })
    // A ward: no staff asked (nothing to measure: 0), its residents' agreement counts.
    expect(points('P-NINHKIEU')).toEqual({ P1: 0, P2: 10 })
    expect(points('P-CAIRANG')).toEqual({ P1: 0, P2: 0 })
  })
})
