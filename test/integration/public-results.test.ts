import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '#src/config.js'
import { signedInAs } from '../helpers/console.js'
import { criteriaSet, FOCAL_POINT_LINKED, REPORTS_SENT, TEACHERS_DAY } from '../helpers/criteria-sets.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

const CHAT = '7700123456'
const PHONE = '0912345678'
const COMMENT = 'Cô Nguyễn Thị Lan gửi minh chứng muộn'
const EVIDENCE = 'https://thcsanhoa.edu.vn/bao-cao-rieng'

/** Automatic criteria (focal point linked, reports sent) and a manual one; bands. */
const SET = criteriaSet([FOCAL_POINT_LINKED, REPORTS_SENT], [{ code: 'B', title: 'Hoạt động và sản phẩm', criteria: [{ ...TEACHERS_DAY, weight: 2 }] }])

/** The seeded directory, two more schools (which will tie), a phone and a linked chat; the set saved and published. */
async function setUp(env: Record<string, string> = {}) {
  h = await startHarness(env)
  const ids = await seedDirectory(h)
  const more = await h.api('/units', {
    body: [
      { code: 'TH-CAIKHE', name: 'Trường Tiểu học Cái Khế', kind: 'school', parentCode: 'P-NINHKIEU' },
      { code: 'TH-TANAN', name: 'Trường Tiểu học Tân An', kind: 'school', parentCode: 'P-NINHKIEU' },
    ],
  })
  expect(more.status).toBe(200)
  expect((await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: PHONE } })).status).toBe(200)
  await enroll(h, ids.minh, 'telegram', CHAT)
  expect((await h.api('/criteria/2026', { body: SET })).status).toBe(201)
  expect((await h.api('/criteria/2026/publish', { body: {} })).status).toBe(200)
  return ids
}

const get = (path: string, headers: Record<string, string> = {}) => h.app.request(path, { headers })
const decode = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim()

/** The rows of the table with this id as the page shows them: header cells, then each body row's cells. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1]
  if (!table) throw new Error(`no table #${id}`)
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)))
}

const visible = (html: string) => decode(html.replace(/<(script|style)[\s\S]*?<\/\1>/g, '')).replace(/\s+/g, ' ')

function assertNoPersonalData(text: string) {
  for (const secret of ['Nguyễn Thị Lan', 'Trần Văn Minh', 'Lê Hoàng Phúc', PHONE, '0912 345 678', CHAT, COMMENT, EVIDENCE, 'GV001', 'GV002']) expect(text).not.toContain(secret)
}

async function appraiseAndFreeze() {
  // An Hòa's B1: self-assessed with evidence, appraised with a comment naming a person (neither is public).
  expect((await h.api('/criteria/2026/units/THCS-ANHOA/self/B1', { method: 'PUT', body: { points: 15, evidence: [EVIDENCE] } })).status).toBe(200)
  expect((await h.api('/criteria/2026/units/THCS-ANHOA/appraisal/B1', { method: 'PUT', body: { points: 14.5, comment: COMMENT } })).status).toBe(200)
  expect((await h.api('/criteria/2026/freeze', { body: {} })).status).toBe(201)
}

describe('public results page /ket-qua/<year>', () => {
  it('before freezing: the targets for the city and per ward, and "chưa công bố" instead of scores; no download', async () => {
    await setUp()
    const res = await get('/ket-qua/2026')
    expect(res.status).toBe(200)
    const html = await res.text()
    const text = visible(html)
    expect(text).toContain('Kết quả công tác truyền thông giáo dục năm 2026')
    expect(text).toContain('Kết quả đánh giá năm 2026 chưa công bố')
    expect(html).not.toContain('id="ket-qua"')
    const city = tableRows(html, 'chi-tieu-thanh-pho')
    expect(city[0]).toEqual(['Chỉ tiêu', 'Mục tiêu', 'Đạt được', 'Tỷ lệ', 'Đánh giá'])
    expect(city).toHaveLength(7) // the six targets
    // The city: five units (the Department, the ward's office, three schools), one focal point.
    expect(city[6]).toEqual(['Đơn vị có đầu mối truyền thông', 'Từ 100 %', '1/5', '20', 'Chưa đạt'])
    const wards = tableRows(html, 'chi-tieu-phuong-xa')
    expect(wards.map((r) => r[0])).toEqual(['Phường, xã', 'UBND phường Ninh Kiều', 'Đơn vị trực thuộc Sở'])
    // Focal points in the ward: its office and three schools, of which An Hòa has one (Minh): 1/4.
    expect(wards[1]![5]).toBe('25')
    assertNoPersonalData(text)
    expect((await get('/ket-qua/2026.csv')).status).toBe(404)
    expect((await get('/ket-qua/2026.xlsx')).status).toBe(404)
    // English on the switch the phone pages use.
    const en = visible(await (await get('/ket-qua/2026?lang=en')).text())
    expect(en).toContain('Education communications results 2026')
    expect(en).toContain('is not published yet')
  })

  it('once frozen: scores, bands and ranks (ties share one), the automatic breakdown, the method and date; CSV and xlsx equal the table; no personal data', async () => {
    await setUp()
    await appraiseAndFreeze()
    const res = await get('/ket-qua/2026')
    expect(res.status).toBe(200)
    const html = await res.text()
    const text = visible(html)
    expect(text).toContain('Phiên bản 1, chốt ngày 16/03/2026.')
    const rows = tableRows(html, 'ket-qua')
    expect(rows[0]).toEqual(['Hạng', 'Mã đơn vị', 'Đơn vị', 'Loại', 'Điểm', 'Tối đa', 'Tỷ lệ (%)', 'Xếp loại', 'A1', 'A2'])
    // An Hòa: A1 10 (linked focal point) + A2 0 (no report due) + B1 14,5 × 2 = 39 of 60 (65 %).
    expect(rows[1]).toEqual(['1', 'THCS-ANHOA', 'Trường THCS An Hòa', 'Trường học', '39', '60', '65', 'Khá', '10', '0'])
    // The other two schools, the ward and the Department score 0: they share rank 2; the Department has no A2.
    expect(rows.slice(2).map((r) => [r[0], r[1], r[7]])).toEqual([
      ['2', 'P-NINHKIEU', 'Trung bình'],
      ['2', 'SGDDT', 'Trung bình'],
      ['2', 'TH-CAIKHE', 'Trung bình'],
      ['2', 'TH-TANAN', 'Trung bình'],
    ])
    expect(rows.find((r) => r[1] === 'SGDDT')![9]).toBe('—')
    // The method in words, from the set.
    expect(text).toContain('A1. Có đầu mối truyền thông đã liên kết: tối đa 10 điểm; tính tự động từ dữ liệu của Loa')
    expect(text).toContain('B1. Tổ chức hoạt động chào mừng 20/11: tối đa 20 điểm, hệ số 2; đơn vị tự chấm kèm minh chứng, Sở thẩm định; áp dụng cho: Trường học')
    expect(text).toContain('Xuất sắc: từ 90 %')
    assertNoPersonalData(text)

    const csv = await get('/ket-qua/2026.csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="ket-qua-2026-v1.csv"')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // the byte-order mark Excel needs
    const body = new TextDecoder().decode(bytes)
    assertNoPersonalData(body)
    expect(parse(body, { delimiter: ';' })).toEqual(rows)

    const xlsx = await get('/ket-qua/2026.xlsx')
    expect(xlsx.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await xlsx.arrayBuffer())
    const sheet = book.getWorksheet('Kết quả')!
    const cells: string[][] = []
    sheet.eachRow((row) => cells.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '—' : String(v).replace('.', ',')))))
    for (const r of cells) while (r.length < rows[0]!.length) r.push('—')
    expect(cells).toEqual(rows)
    expect(book.getWorksheet('Chỉ tiêu')!.rowCount).toBe(7)
    const all: string[] = []
    book.eachSheet((ws) => ws.eachRow((row) => all.push(JSON.stringify(row.values))))
    assertNoPersonalData(all.join('\n'))
  })

  it('a re-freeze is version 2 on the page; ?v=1 keeps version 1 reachable with its downloads; an unknown version is 404', async () => {
    await setUp()
    await appraiseAndFreeze()
    // The targets are published with the scores: a focal point linked after the freeze does not move
    // version 1's figure (1 unit of 5), though the records now say 2.
    h.setNow('2026-03-20T03:00:00Z')
    const added = await h.api('/people', { body: [{ externalId: 'GV003', fullName: 'Đặng Thu Hà', unitCode: 'TH-CAIKHE', roles: ['teacher', 'focal_point'] }] })
    const ha = ((await added.json()) as { people: { id: number }[] }).people[0]!.id
    await enroll(h, ha, 'telegram', '7700999001')
    const focal = (html: string) => tableRows(html, 'chi-tieu-thanh-pho')[6]!.slice(0, 3)
    const kept = await (await get('/ket-qua/2026')).text()
    expect(focal(kept)).toEqual(['Đơn vị có đầu mối truyền thông', 'Từ 100 %', '1/5'])
    expect(visible(kept)).toContain('Số liệu chốt cùng kết quả đánh giá, tính đến 16/03/2026.')
    h.setNow('2026-04-02T03:00:00Z')
    expect((await h.api('/criteria/2026/freeze', { body: { note: 'Bổ sung kỳ báo cáo quý I' } })).status).toBe(201)
    const latestHtml = await (await get('/ket-qua/2026')).text()
    expect(focal(latestHtml)).toEqual(['Đơn vị có đầu mối truyền thông', 'Từ 100 %', '2/5'])
    expect(focal(await (await get('/ket-qua/2026?v=1')).text())).toEqual(['Đơn vị có đầu mối truyền thông', 'Từ 100 %', '1/5'])
    const latest = visible(latestHtml)
    expect(latest).toContain('Phiên bản 2, chốt ngày 02/04/2026.')
    expect(latest).toContain('Lý do điều chỉnh: Bổ sung kỳ báo cáo quý I')
    expect(latest).toContain('Các phiên bản: Phiên bản 1 · Phiên bản 2 (mới nhất)')
    const v1 = await (await get('/ket-qua/2026?v=1')).text()
    expect(visible(v1)).toContain('Phiên bản 1, chốt ngày 16/03/2026.')
    expect(v1).toContain('href="/ket-qua/2026.csv?v=1"')
    expect(v1).toContain('href="/ket-qua/2026"')
    const csv1 = await get('/ket-qua/2026.csv?v=1')
    expect(csv1.headers.get('content-disposition')).toBe('attachment; filename="ket-qua-2026-v1.csv"')
    expect(parse(await csv1.text(), { delimiter: ';' })).toEqual(tableRows(v1, 'ket-qua'))
    for (const [bad, version] of [['?v=3', '3'], ['?v=0', '0'], ['?v=abc', 'abc'], ['.csv?v=9', '9']]) {
      const res = await get(`/ket-qua/2026${bad}`)
      expect(res.status).toBe(404)
      expect(visible(await res.text())).toContain(`Kết quả năm 2026 không có phiên bản ${version}.`)
    }
  })

  it('an unknown or out-of-range year is a 404 page in Vietnamese', async () => {
    await setUp()
    for (const path of ['/ket-qua/1999', '/ket-qua/2025', '/ket-qua/2027', '/ket-qua/abcd', '/ket-qua/20261', '/ket-qua/2026.pdf', '/ket-qua/2099/nhung', '/ket-qua']) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type'), path).toContain('text/html')
      expect(visible(await res.text()), path).toMatch(/Không có kết quả năm|Không có trang này/)
    }
  })
})

describe('the embeddable block /ket-qua/<year>/nhung', () => {
  it('may be framed only by EMBED_ORIGINS; every other page keeps refusing frames', async () => {
    await setUp({ EMBED_ORIGINS: 'https://gddt.cantho.gov.vn, https://*.cantho.gov.vn' })
    const embed = await get('/ket-qua/2026/nhung')
    expect(embed.status).toBe(200)
    const csp = embed.headers.get('content-security-policy')!
    expect(csp).toContain('frame-ancestors https://gddt.cantho.gov.vn https://*.cantho.gov.vn')
    expect(csp).toContain("script-src 'self'")
    expect(embed.headers.get('x-frame-options')).toBeNull()
    expect(visible(await embed.text())).toContain('Kết quả đánh giá năm 2026 chưa công bố')
    await appraiseAndFreeze()
    const block = await (await get('/ket-qua/2026/nhung')).text()
    expect(tableRows(block, 'ket-qua-nhung')[1]).toEqual(['1', 'Trường THCS An Hòa', '65', 'Khá'])
    expect(block).toContain('href="/ket-qua/2026" target="_blank"')
    assertNoPersonalData(visible(block))
    for (const path of ['/ket-qua/2026', '/ket-qua/2026.csv', '/admin/login', '/ket-qua/2026/nhung/x']) {
      const res = await get(path)
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN')
    }
    const api = await h.api('/criteria/2026')
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it("without EMBED_ORIGINS nobody may frame it, and the console's criteria page tells an admin so, with the link and the snippet", async () => {
    const ids = await setUp()
    const embed = await get('/ket-qua/2026/nhung')
    expect(embed.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(embed.headers.get('x-frame-options')).toBeNull()
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.get('/admin/criteria/2026?lang=vi')
    const html = await page.text()
    const text = visible(html)
    expect(text).toContain('Chưa cấu hình EMBED_ORIGINS')
    expect(html).toContain('href="http://localhost/ket-qua/2026"')
    expect(text).toContain('<iframe src="http://localhost/ket-qua/2026/nhung"')
    // An editor sees the link, not the configuration.
    const editor = await signedInAs(h, ids.minh, 'editor')
    const seen = visible(await (await editor.get('/admin/criteria/2026')).text())
    expect(seen).toContain('http://localhost/ket-qua/2026')
    expect(seen).not.toContain('EMBED_ORIGINS')
  })

  it('an admin is shown the origins allowed when they are set', async () => {
    const ids = await setUp({ EMBED_ORIGINS: 'https://gddt.cantho.gov.vn' })
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const text = visible(await (await admin.get('/admin/criteria/2026?lang=vi')).text())
    expect(text).toContain('Các trang được phép nhúng (EMBED_ORIGINS): https://gddt.cantho.gov.vn.')
  })
})

describe('EMBED_ORIGINS', () => {
  it('takes origins, comma-separated, and refuses anything else naming the variable', () => {
    expect(parseConfig({ EMBED_ORIGINS: 'https://gddt.cantho.gov.vn/, http://localhost:8080,https://*.cantho.gov.vn' }).embedOrigins).toEqual([
      'https://gddt.cantho.gov.vn',
      'http://localhost:8080',
      'https://*.cantho.gov.vn',
    ])
    expect(parseConfig({}).embedOrigins).toEqual([])
    for (const bad of ["'self'", 'gddt.cantho.gov.vn', 'https://gddt.cantho.gov.vn/ket-qua', "https://a.vn 'unsafe-inline'", 'javascript:alert(1)']) {
      expect(() => parseConfig({ EMBED_ORIGINS: bad }), bad).toThrow(/EMBED_ORIGINS/)
    }
  })
})
