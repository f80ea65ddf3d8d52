import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { startSession } from '#src/domain/console/signin-sessions.js'
import { overview } from '#src/domain/overview.js'
import { resolveSpan } from '#src/domain/targets.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

let h: Harness
const TG = '7401'
const ZALO = 'zalo-minh-7402'

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZALO }))
  // A brief that Lan reads, a question answered, a report period due in the first half of 2026.
  const brief = await h.api('/broadcasts', { body: { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Nội dung quán triệt.', audience: {} } })
  const { id } = (await brief.json()) as { id: number }
  await h.flush()
  await h.say.press(TG, `ack:${id}`)
  await h.say.telegram(TG, '/hoidap Khi nào có tài liệu tập huấn?')
  const q = (await (await h.api('/questions')).json()).items[0]
  await h.api(`/questions/${q.id}/answer`, { body: { answer: 'Trước ngày 20/3.' } })
  await h.api('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-15', unitKinds: ['school'] } })
})
afterAll(() => h?.close())

async function book(res: Response) {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('spreadsheetml')
  const b = new ExcelJS.Workbook()
  await b.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
  return b
}
const rows = (b: ExcelJS.Workbook, name: string) =>
  (b.getWorksheet(name)!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1))

describe('the six-monthly summary workbook', () => {
  it('has the targets, reach by ward, reporting status, content published and questions answered of the half year', async () => {
    const res = await h.api('/summary?year=2026&half=1')
    expect(res.headers.get('content-disposition')).toContain('tong-hop-2026-6-thang-1.xlsx')
    const b = await book(res)
    expect(b.worksheets.map((w) => w.name)).toEqual(['Chỉ tiêu', 'Tiếp cận theo phường', 'Tình hình báo cáo', 'Nội dung đã đăng', 'Sản phẩm truyền thông số', 'Hỏi đáp', 'Thông tin sai lệch', 'Thời gian xử lý tin sai lệch'])
    const targets = rows(b, 'Chỉ tiêu')
    expect(targets).toHaveLength(7)
    expect(targets[0]![0]).toBe('Chỉ tiêu')
    // Lan read the brief: one of the two school staff briefed, with the same figure as /api/targets.
    const api = await (await h.api('/targets?from=2026-01-01&to=2026-06-30')).json()
    const briefed = api.targets.find((t: { id: string }) => t.id === 'staffBriefed')
    const row = targets.find((r) => String(r[0]).startsWith('100% cán bộ, công chức'))!
    expect([row[2], row[3]]).toEqual([briefed.count, briefed.of])
    expect(rows(b, 'Tình hình báo cáo').some((r) => r[0] === 'Báo cáo quý I' && r[1] === 'THCS-ANHOA' && r[3] === 'Chưa nộp')).toBe(true)
    const content = rows(b, 'Nội dung đã đăng')
    expect(content[1]).toEqual(expect.arrayContaining(['Quán triệt Nghị quyết 71', 1]))
    // The time it went out is a real Excel date, so the sheet sorts by it.
    expect(content[1]!.some((cell) => cell instanceof Date)).toBe(true)
    expect(rows(b, 'Hỏi đáp')[1]).toEqual(expect.arrayContaining(['Khi nào có tài liệu tập huấn?', 'Trước ngày 20/3.']))
  })

  it('is in English on request, refuses a half that does not exist, and is also a link on the console home', async () => {
    const en = await book(await h.api('/summary?year=2026&half=1&lang=en'))
    expect(en.worksheets[0]!.name).toBe('Targets')
    expect((await h.api('/summary?year=2026&half=3')).status).toBe(400)
    const { token } = await startSession(h.db, { personId: null, role: 'admin', adminTokenHash: h.deps.adminTokenHash }, h.now())
    const home = await (await h.app.request('/admin', { headers: { cookie: `loa_console=${token}` } })).text()
    expect(home).toContain('href="/admin/summary/2026/1"')
    const viaConsole = await book(await h.app.request('/admin/summary/2026/1', { headers: { cookie: `loa_console=${token}` } }))
    expect(viaConsole.worksheets).toHaveLength(8)
  })
})

describe('the overview chart of acknowledgements per hour', () => {
  it('counts a brief read 25 minutes after it went out in its first hour (the chart was always empty)', async () => {
    const brief = await h.api('/broadcasts', { body: { kind: 'brief', title: 'Lịch tập huấn', body: 'Tập huấn ngày 20/3.', audience: {} } })
    const { id } = (await brief.json()) as { id: number }
    await h.flush()
    h.setNow(new Date(h.now().getTime() + 25 * 60_000))
    await h.say.press(TG, `ack:${id}`)
    h.setNow(new Date(h.now().getTime() + 65 * 60_000))
    const now = h.now()
    const span = await resolveSpan(h.db, { year: now.getUTCFullYear() }, now, h.deps.config.timezone)
    const data = await overview(h.db, span, { rhythm: h.deps.config.reachRhythm, timeZone: h.deps.config.timezone, now })
    expect(data.acks?.broadcast.title).toBe('Lịch tập huấn')
    expect(data.acks?.acknowledged).toBe(1)
    expect(data.acks?.hours).toEqual([
      { hour: 0, acks: 1, total: 1 },
      { hour: 1, acks: 0, total: 1 },
    ])
    // The page's table of figures under the chart shows the same row.
    const { token } = await startSession(h.db, { personId: null, role: 'admin', adminTokenHash: h.deps.adminTokenHash }, now)
    const home = await (await h.app.request('/admin', { headers: { cookie: `loa_console=${token}` } })).text()
    const table = home.slice(home.indexOf('data-chart-table="chart-acks"'))
    expect(table).toMatch(/^[^]*?<tbody><tr><th scope="row">1<\/th><td class="num">1<\/td><td class="num">1<\/td><\/tr><\/tbody>/)
  })
})
