import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/index.js'
import { at, seedCity, seedQuiz } from '../helpers/city.js'
import { consoleClient } from '../helpers/console.js'
import { ADMIN_TOKEN, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Every follow-up list as a download (issue 19): the directory (with phones for admins only),
 * who has not linked, a broadcast's results with who has not read, quiz results, attendance and
 * questions, as .xlsx read back with exceljs and as CSV for a Vietnamese Excel.
 */
let h: Harness
let ids: Record<string, number>

beforeEach(async () => {
  h = await startHarness()
  ;({ ids } = await seedCity(h))
  await h.api(`/people/${ids.A1}`, { method: 'PATCH', body: { phone: '+84912345678' } })
  await h.api(`/people/${ids.B2}`, { method: 'PATCH', body: { phone: '0987654321' } })
})
afterEach(() => h.close())

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The sheets of a downloaded workbook, each as rows of cell values (the header first). */
async function readBook(res: Response): Promise<Record<string, unknown[][]>> {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe(XLSX)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(await res.arrayBuffer())
  const out: Record<string, unknown[][]> = {}
  book.eachSheet((ws) => {
    const rows: unknown[][] = []
    // Empty cells read as null, up to the header's width.
    ws.eachRow((row) => rows.push(Array.from({ length: ws.columnCount }, (_, i) => (row.values as unknown[])[i + 1] ?? null)))
    out[ws.name] = rows
  })
  return out
}

/** A downloaded CSV: its raw bytes' first three, and its lines. */
async function readCsv(res: Response) {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/csv')
  const bytes = new Uint8Array(await res.arrayBuffer())
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  return { bom: [...bytes.slice(0, 3)], text, lines: text.slice(1).split('\r\n').filter(Boolean) }
}

/** A date as Excel shows it: the wall-clock time in Vietnam (UTC+7) in the cell's UTC fields. */
const excelDate = (iso: string) => new Date(new Date(iso).getTime() + 7 * 3_600_000)

async function tokenWithRole(personId: number, role: 'viewer' | 'editor' | 'admin') {
  expect((await h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })).status).toBe(200)
  const res = await h.api('/tokens', { body: { personId, label: role } })
  return ((await res.json()) as { token: string }).token
}

const exportAudits = async () => (await h.db.select().from(auditLog)).filter((r) => r.method === 'GET')

describe('the directory as a download', () => {
  it('gives an admin the whole list as .xlsx (limit and offset ignored) with Vietnamese headers, phones and real dates, and audits it', async () => {
    const book = await readBook(await h.api('/people?format=xlsx&limit=1&offset=3'))
    const rows = book['Danh bạ']!
    expect(rows[0]).toEqual(['Mã cán bộ', 'Họ và tên', 'Mã đơn vị', 'Tên đơn vị', 'Vai trò', 'Đã liên kết', 'Kênh đã liên kết', 'Liên kết từ', 'Số điện thoại'])
    expect(rows).toHaveLength(1 + 9)
    const a1 = rows.find((r) => r[0] === 'A1')!
    expect(a1).toEqual(['A1', 'An Văn Một', 'TH-A1', 'Trường A1', 'giáo viên', 'Có', 'Telegram', excelDate(at('2026-01-10')), '0912 345 678'])
    expect(a1[7]).toBeInstanceOf(Date)
    expect(rows.find((r) => r[0] === 'B2')).toEqual(['B2', 'Bùi Văn Hai', 'TH-B1', 'Trường B1', 'giáo viên, đầu mối truyền thông', 'Không', null, null, '0987 654 321'])
    // Sorted by unit code, then name, as a school's list is read.
    expect(rows.slice(1).map((r) => r[2])).toEqual(['BAO', 'P-A', 'P-B', 'TH-A1', 'TH-A1', 'TH-A1', 'TH-B1', 'TH-B1', 'TH-D'])

    const [audit] = await exportAudits()
    expect(audit).toMatchObject({ actor: 'admin_token', via: 'api', method: 'GET', path: '/api/people?format=xlsx', status: 200 })
  })

  it('never shows phones to a viewer or an editor, in .xlsx or CSV, and audits nothing for them', async () => {
    for (const role of ['viewer', 'editor'] as const) {
      const token = await tokenWithRole(role === 'viewer' ? ids.W1! : ids.C2!, role)
      const rows = (await readBook(await h.api('/people?format=xlsx', { token })))['Danh bạ']!
      expect(rows[0]).not.toContain('Số điện thoại')
      expect(rows.flat()).not.toContain('0912 345 678')
      const csv = await readCsv(await h.api('/people?format=csv', { token }))
      expect(csv.text).not.toContain('Số điện thoại')
      expect(csv.text).not.toMatch(/912\s?345/)
    }
    expect(await exportAudits()).toEqual([])
  })

  it('gives who has not linked (linked=false) as a CSV for Excel: BOM, semicolons, CRLF, no formula', async () => {
    await h.api('/people', { body: { externalId: 'X1', fullName: '=HYPERLINK("http://x.example";"Bấm")', unitCode: 'TH-D', roles: ['teacher'] } })
    const csv = await readCsv(await h.api('/people?linked=false&format=csv'))
    expect(csv.bom).toEqual([0xef, 0xbb, 0xbf])
    expect(csv.text.endsWith('\r\n')).toBe(true)
    expect(csv.lines[0]).toBe('Mã cán bộ;Họ và tên;Mã đơn vị;Tên đơn vị;Vai trò;Đã liên kết;Kênh đã liên kết;Liên kết từ;Số điện thoại')
    expect(csv.lines.slice(1)).toEqual([
      'B2;Bùi Văn Hai;TH-B1;Trường B1;giáo viên, đầu mối truyền thông;Không;;;0987 654 321',
      `X1;"'=HYPERLINK(""http://x.example"";""Bấm"")";TH-D;Trường D;giáo viên;Không;;;`,
    ])
    const book = await readBook(await h.api('/people?linked=false&format=xlsx'))
    expect(Object.keys(book)).toEqual(['Chưa liên kết'])
    expect(book['Chưa liên kết']!.map((r) => r[1])).toEqual(['Họ và tên', 'Bùi Văn Hai', '=HYPERLINK("http://x.example";"Bấm")'])
  })

  it('refuses an unknown format with a clear error', async () => {
    const res = await h.api('/people?format=pdf')
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('format')
    expect(await exportAudits()).toEqual([])
  })
})

describe('results as downloads', () => {
  const broadcastId = async (title: string) => {
    const list = (await (await h.api('/broadcasts')).json()) as { items: { id: number; title: string }[] }
    return list.items.find((b) => b.title === title)!.id
  }

  it("gives a broadcast's results: a sheet per unit and a sheet with one row per person who has not read", async () => {
    const id = await broadcastId('Tóm tắt NQ71 (2)')
    const book = await readBook(await h.api(`/broadcasts/${id}/units?format=xlsx`))
    expect(Object.keys(book)).toEqual(['Theo đơn vị', 'Chưa đọc'])
    const units = book['Theo đơn vị']!
    expect(units[0]).toEqual([
      'Mã đơn vị', 'Tên đơn vị', 'Số người thuộc nhóm nhận', 'Số người được gửi', 'Đã xác nhận đọc', 'Chưa đọc', 'Đã mở trang',
      'Chuyển vào nhóm của đơn vị', 'Chuyển lúc', 'Người chuyển',
    ])
    expect(units.find((r) => r[0] === 'TH-A1')!.slice(0, 8)).toEqual(['TH-A1', 'Trường A1', 3, 3, 1, 2, 0, 'Chờ đầu mối chuyển'])
    const unread = book['Chưa đọc']!
    expect(unread[0]).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Họ và tên', 'Kênh'])
    expect(unread.slice(1).map((r) => r[2])).toEqual(['Phan Văn Báo', 'Vũ Thị Phường', 'Cao Thị Hai', 'An Văn Ba', 'An Văn Hai', 'Bùi Văn Một', 'Đỗ Văn Một'])
    expect(unread.find((r) => r[2] === 'An Văn Hai')).toEqual(['TH-A1', 'Trường A1', 'An Văn Hai', 'Zalo'])

    const csv = await readCsv(await h.api(`/broadcasts/${id}/units?format=csv`))
    expect(csv.lines[0]).toBe('Mã đơn vị;Tên đơn vị;Họ và tên;Kênh')
    expect(csv.lines).toContain('TH-A1;Trường A1;An Văn Hai;Zalo')
    expect(csv.lines).toHaveLength(1 + 7)
  })

  it("gives a quiz's results: a sheet per unit and everyone invited, with when they finished as a date", async () => {
    const quiz = await seedQuiz(h)
    const book = await readBook(await h.api(`/quizzes/${quiz}/results?format=xlsx`))
    expect(Object.keys(book)).toEqual(['Theo đơn vị', 'Người làm bài'])
    expect(book['Theo đơn vị']).toEqual([
      ['Mã đơn vị', 'Tên đơn vị', 'Được mời', 'Đã bắt đầu', 'Đã làm xong', 'Đạt'],
      ['TH-A1', 'Trường A1', 3, 2, 2, 1],
    ])
    const people = book['Người làm bài']!
    expect(people[0]).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Họ và tên', 'Mã cán bộ', 'Bắt đầu lúc', 'Làm xong lúc', 'Số câu đúng', 'Đạt'])
    const when = excelDate(at('2026-03-18'))
    expect(people.slice(1)).toEqual([
      ['TH-A1', 'Trường A1', 'An Văn Ba', 'A3', when, when, '1/2', 'Không'],
      ['TH-A1', 'Trường A1', 'An Văn Hai', 'A2', null, null, null, 'Chưa làm'],
      ['TH-A1', 'Trường A1', 'An Văn Một', 'A1', when, when, '2/2', 'Có'],
    ])
    const csv = await readCsv(await h.api(`/quizzes/${quiz}/results?format=csv`))
    expect(csv.lines).toContain('TH-A1;Trường A1;An Văn Một;A1;2026-03-18 09:00;2026-03-18 09:00;2/2;Có')
  })

  it("gives a session's attendance: a sheet per unit and everyone expected, who came and when", async () => {
    const sessions = (await (await h.api('/sessions')).json()) as { items: { id: number; title: string }[] }
    const id = sessions.items.find((s) => s.title === 'Quán triệt')!.id
    const book = await readBook(await h.api(`/sessions/${id}/attendance?format=xlsx`))
    expect(Object.keys(book)).toEqual(['Theo đơn vị', 'Điểm danh'])
    expect(book['Theo đơn vị']![0]).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Số người dự kiến', 'Số người đã điểm danh', 'Tỷ lệ dự (%)'])
    expect(book['Theo đơn vị']!.find((r) => r[0] === 'P-A')).toEqual(['P-A', 'Phường A', 1, 1, 100])
    const people = book['Điểm danh']!
    expect(people[0]).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Họ và tên', 'Mã cán bộ', 'Vai trò', 'Thuộc nhóm dự kiến', 'Đã điểm danh', 'Điểm danh lúc', 'Kênh'])
    expect(people).toHaveLength(1 + 9)
    expect(people.find((r) => r[3] === 'W1')).toEqual(['P-A', 'Phường A', 'Vũ Thị Phường', 'W1', 'cán bộ truyền thông', 'Có', 'Có', excelDate(at('2026-03-16')), 'Zalo'])
    expect(people.find((r) => r[3] === 'B2')).toEqual(['TH-B1', 'Trường B1', 'Bùi Văn Hai', 'B2', 'giáo viên, đầu mối truyền thông', 'Có', 'Không', null, null])
    const csv = await readCsv(await h.api(`/sessions/${id}/attendance?format=csv`))
    expect(csv.lines).toContain('P-A;Phường A;Vũ Thị Phường;W1;cán bộ truyền thông;Có;Có;2026-03-16 09:00;Zalo')
  })

  it('gives the questions, asked and answered times as dates, text typed in chat never a formula', async () => {
    h.setNow(at('2026-03-20', '10:30'))
    await h.say.telegram('7100000001', '/hoidap @SUM(1+1) khi nào có tài liệu?')
    const book = await readBook(await h.api('/questions?format=xlsx&status=all'))
    expect(book['Hỏi đáp']).toEqual([
      ['Số', 'Hỏi lúc', 'Người hỏi', 'Mã đơn vị', 'Tên đơn vị', 'Kênh', 'Câu hỏi', 'Trạng thái', 'Trả lời', 'Trả lời lúc', 'Thời gian chờ (giờ làm việc)'],
      [1, excelDate(at('2026-03-20', '10:30')), 'An Văn Một', 'TH-A1', 'Trường A1', 'Telegram', '@SUM(1+1) khi nào có tài liệu?', 'Chưa trả lời', null, null, null],
    ])
    const csv = await readCsv(await h.api('/questions?format=csv'))
    expect(csv.lines[1]).toBe("1;2026-03-20 10:30;An Văn Một;TH-A1;Trường A1;Telegram;'@SUM(1+1) khi nào có tài liệu?;Chưa trả lời;;;")
  })

  it('answers in English when asked, and 404 for a result that does not exist', async () => {
    const rows = (await readBook(await h.api('/people?format=xlsx&lang=en')))['Directory']!
    expect(rows[0]!.slice(0, 2)).toEqual(['Staff ID', 'Full name'])
    expect((await h.api('/broadcasts/999/units?format=xlsx')).status).toBe(404)
    expect((await h.api('/quizzes/999/results?format=csv')).status).toBe(404)
    expect((await h.api('/sessions/999/attendance?format=csv')).status).toBe(404)
  })
})

describe('downloads in the console', () => {
  /** The href of every "Tải Excel" / "Tải CSV" link on a page. */
  const links = async (browser: ReturnType<typeof consoleClient>, path: string) => {
    const res = await browser.get(path)
    expect(res.status).toBe(200)
    const html = await res.text()
    return [...html.matchAll(/<a class="button secondary" href="([^"]+)" download="">(Tải Excel|Tải CSV)<\/a>/g)].map((m) => [m[2], m[1]!.replace(/&amp;/g, '&')])
  }

  it('offers "Tải Excel" and "Tải CSV" on each list page, and each gives the list the page shows', async () => {
    const browser = consoleClient(h)
    expect((await browser.post('/admin/login', { token: ADMIN_TOKEN, next: '/admin' })).status).toBe(303)
    const quiz = await seedQuiz(h)
    await h.say.telegram('7100000001', '/hoidap Khi nào có tài liệu?')

    // The people page keeps its filters (not its page) in the download: here, who has not linked in ward B.
    const people = await links(browser, '/admin/directory?unit=P-B&subunits=1&linked=false&offset=100')
    expect(people).toEqual([
      ['Tải Excel', '/admin/directory/download/xlsx?unit=P-B&subunits=1&linked=false'],
      ['Tải CSV', '/admin/directory/download/csv?unit=P-B&subunits=1&linked=false'],
    ])
    const notLinked = (await readBook(await browser.get(people[0]![1]!)))['Chưa liên kết']!
    expect(notLinked.slice(1).map((r) => [r[1], r[8]])).toEqual([['Bùi Văn Hai', '0987 654 321']])
    const [audit] = await exportAudits()
    expect(audit).toMatchObject({ actor: 'admin_token', via: 'console', path: '/admin/directory/download/xlsx' })

    // The unit alone, its box unticked on the page: that unit's people, not those of its schools.
    const wardOnly = await readCsv(await browser.get('/admin/directory/download/csv?unit=P-B'))
    expect(wardOnly.lines.slice(1).map((l) => l.split(';')[1])).toEqual(['Cao Thị Hai'])
    expect((await links(browser, '/admin/directory/linking'))[0]).toEqual(['Tải Excel', '/admin/directory/download/xlsx?linked=false'])
    const sessions = (await (await h.api('/sessions')).json()) as { items: { id: number }[] }
    const broadcasts = (await (await h.api('/broadcasts')).json()) as { items: { id: number }[] }
    const pages = {
      [`/admin/broadcasts/${broadcasts.items[0]!.id}`]: ['Theo đơn vị', 'Chưa đọc'],
      [`/admin/quizzes/${quiz}`]: ['Theo đơn vị', 'Người làm bài'],
      [`/admin/sessions/${sessions.items[0]!.id}`]: ['Theo đơn vị', 'Điểm danh'],
      '/admin/questions?status=all': ['Hỏi đáp'],
    }
    for (const [page, sheets] of Object.entries(pages)) {
      const found = await links(browser, page)
      expect(found.map(([label]) => label)).toEqual(['Tải Excel', 'Tải CSV'])
      expect(Object.keys(await readBook(await browser.get(found[0]![1]!)))).toEqual(sheets)
      const text = await readCsv(await browser.get(found[1]![1]!))
      expect(text.bom).toEqual([0xef, 0xbb, 0xbf])
      expect(text.lines[0]).toContain(';')
    }
    expect((await browser.get('/admin/quizzes/999/download/xlsx')).status).toBe(404)
  })

  it("never gives a viewer's download a phone, and the period CSV is separated by semicolons", async () => {
    expect((await h.api(`/people/${ids.C2}/console-role`, { method: 'PUT', body: { role: 'viewer' } })).status).toBe(200)
    const browser = consoleClient(h)
    await browser.signInWithCode('Cao Thị Hai', '7100000005')
    const rows = (await readBook(await browser.get('/admin/directory/download/xlsx')))['Danh bạ']!
    expect(rows[0]).not.toContain('Số điện thoại')
    expect(rows).toHaveLength(1 + 9)
    expect(JSON.stringify(rows)).not.toMatch(/912 345|987 654/)
    expect(await exportAudits()).toEqual([])

    const periods = await readCsv(await browser.get(`/admin/periods/1/download/csv`))
    expect(periods.lines[0]).toMatch(/^Mã đơn vị;Tên đơn vị;Trạng thái;/)
  })
})
