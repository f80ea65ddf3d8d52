import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { claimReports, claims } from '#db/schema/index.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { consoleClient, signedInAs } from '../helpers/console.js'
import { memoryMedia } from '../helpers/media.js'

/**
 * The misinformation desk's pages (issue 23): the public form /phan-anh and its lookup, and the
 * console's desk, claim and agencies pages.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
let stored: Map<string, { bytes: Uint8Array; mime: string }>

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  stored = new Map()
  h.deps.media = memoryMedia(stored)
})
afterEach(() => h.close())

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])

/** A visitor's browser: the form's page for the cookie and token, then a multipart post with a file. */
function visitor(ip = '203.0.113.7') {
  const client = consoleClient(h, { ip })
  return {
    ...client,
    async open() {
      return client.get('/phan-anh')
    },
    async send(fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }, opts: { csrf?: boolean } = {}) {
      if (!client.jar.has('loa_csrf')) await client.get('/phan-anh')
      const form = new FormData()
      for (const [k, v] of Object.entries(fields)) form.set(k, v)
      if (opts.csrf !== false) form.set('_csrf', client.jar.get('loa_csrf')!)
      if (file) form.set('photo', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name)
      const res = await h.app.request('/phan-anh', {
        method: 'POST',
        headers: { origin: 'http://localhost', cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'cf-connecting-ip': ip },
        body: form,
      })
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const [name, ...rest] = pair!.split('=')
        client.jar.set(name!.trim(), rest.join('='))
      }
      return res
    },
  }
}

const countReports = async () => (await h.db.select().from(claimReports)).length

describe('/phan-anh, the public form', () => {
  it('files a report with text, a link and a photo and tells the case code and the secret', async () => {
    const v = visitor()
    const page = await v.open()
    expect(page.status).toBe(200)
    // A page like the others: its secure headers, no script.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    const html = await page.text()
    expect(html).not.toContain('<script')
    expect(html).toContain('Phản ánh tin sai lệch về giáo dục')
    expect(html).toContain('type="file"')
    const res = await v.send({ text: 'Tin đồn: học sinh được nghỉ học cả tuần sau', links: 'https://Example.com/tin-don?utm_source=zalo', contact: '0912 345 678', consent: 'on' }, { bytes: PNG, name: 'a.png', type: 'image/png' })
    expect(res.status).toBe(201)
    const text = await v.text(res)
    const code = /(TS-[2-9A-Z]{4})/.exec(text)?.[1]
    expect(code).toBeDefined()
    expect(text).toContain('Mã bí mật')
    const [report] = await h.db.select().from(claimReports)
    expect(report).toMatchObject({ code, channel: 'web', consent: true, imageMime: 'image/png' })
    // The contact is kept beside the report, not in its text (which the desk matches other reports against).
    expect(report!.contact).toBe('0912 345 678')
    expect(report!.text).not.toContain('0912')
    expect(stored.size).toBe(1)

    // On the claim's page the desk sees the image (served to console sessions by /admin/media, the API's /api/media).
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const claimPage = await (await admin.get(`/admin/misinformation/${report!.claimId}`)).text()
    expect(claimPage).toContain(`<img src="/admin/media/${report!.imageSha256}"`)
    expect(claimPage).toContain('https://example.com/tin-don')
    expect(claimPage).toContain('Liên hệ của người phản ánh: 0912 345 678')

    // The contact goes RETENTION_DAYS (365) after the claim is closed; the report and its claim stay.
    expect((await h.api(`/misinformation/${report!.claimId}/transition`, { body: { to: 'closed' } })).status).toBe(200)
    const retention = async () => (await (await h.api('/jobs/retention/run', { body: {} })).json()) as { reportContacts: number }
    expect((await retention()).reportContacts).toBe(0)
    h.setNow(new Date(h.now().getTime() + 366 * 86_400_000).toISOString())
    expect((await retention()).reportContacts).toBe(1)
    const [after] = await h.db.select().from(claimReports)
    expect(after).toMatchObject({ id: report!.id, code, contact: null })
    const detail = (await (await h.api(`/misinformation/${report!.claimId}`)).json()) as { reports: { code: string; contact: string | null }[] }
    expect(detail.reports).toEqual([expect.objectContaining({ code, contact: null })])
  })

  it('refuses a post without the form token, and keeps nothing', async () => {
    const res = await visitor().send({ text: 'Tin sai về học phí' }, undefined, { csrf: false })
    expect(res.status).toBe(403)
    expect(await countReports()).toBe(0)
  })

  it('refuses empty text, a file that is not an image and an image over 5 MB, saying why and keeping nothing', async () => {
    const v = visitor()
    const empty = await v.send({ text: '   ', links: '' })
    expect(empty.status).toBe(422)
    expect(await v.text(empty)).toContain('Vui lòng nhập nội dung tin hoặc ít nhất một đường link.')

    const pdf = await v.send({ text: 'Tin sai về học phí' }, { bytes: new TextEncoder().encode('%PDF-1.4 not an image'), name: 'a.png', type: 'image/png' })
    expect(pdf.status).toBe(422)
    const pdfText = await v.text(pdf)
    expect(pdfText).toContain('không phải ảnh')
    // What the visitor typed is still in the form.
    expect(pdfText).toContain('Tin sai về học phí')

    const big = new Uint8Array(5 * 1024 * 1024 + 10)
    big.set(PNG)
    const large = await v.send({ text: 'Tin sai về học phí' }, { bytes: big, name: 'big.png', type: 'image/png' })
    expect(large.status).toBe(422)
    expect(await v.text(large)).toContain('Ảnh lớn hơn 5 MB')

    const noConsent = await v.send({ text: 'Tin sai về học phí', contact: '0912345678' })
    expect(noConsent.status).toBe(422)
    expect(await v.text(noConsent)).toContain('đánh dấu ô đồng ý')

    expect(await countReports()).toBe(0)
    expect(stored.size).toBe(0)
  })

  it('speaks English on request', async () => {
    const v = visitor()
    const page = await v.get('/phan-anh?lang=en')
    expect(await v.text(page)).toContain('Report false information about education')
  })

  it('shows text and links only when the runtime keeps no images', async () => {
    h.deps.media = undefined
    const v = visitor()
    const html = await (await v.open()).text()
    expect(html).not.toContain('type="file"')
    expect(html).toContain('chưa nhận ảnh')
    const res = await v.send({ text: 'Tin sai về lịch thi' })
    expect(res.status).toBe(201)
  })

  it('shows the status only with the right secret, or in the browser that sent it', async () => {
    const v = visitor()
    const res = await v.send({ text: 'Tin đồn bỏ kỳ thi tốt nghiệp năm nay' })
    const text = await v.text(res)
    const code = /(TS-[2-9A-Z]{4})/.exec(text)![1]!
    const secret = /Mã bí mật để tra cứu ([A-Z2-9]{12})/.exec(text)![1]!

    // Another phone: the code alone, or with a wrong secret, shows nothing.
    const other = consoleClient(h, { ip: '198.51.100.9' })
    await other.get('/phan-anh/tra-cuu')
    const wrong = await other.post('/phan-anh/tra-cuu', { code, secret: 'AAAAAAAAAAAA' })
    expect(wrong.status).toBe(422)
    const wrongText = await other.text(wrong)
    expect(wrongText).toContain('Không tìm thấy hồ sơ')
    expect(wrongText).not.toContain('Đã tiếp nhận')
    const bare = await other.get(`/phan-anh/tra-cuu?ma=${code}`)
    expect(await other.text(bare)).not.toContain('Đã tiếp nhận')

    const right = await other.post('/phan-anh/tra-cuu', { code: code.toLowerCase(), secret })
    expect(right.status).toBe(200)
    expect(await other.text(right)).toContain('Đã tiếp nhận, đang chờ xem xét.')

    // The sender's own browser: the code is enough.
    const mine = await v.get(`/phan-anh/tra-cuu?ma=${code}`)
    expect(await v.text(mine)).toContain('Đã tiếp nhận, đang chờ xem xét.')
  })
})

describe('the desk in the console', () => {
  it('needs a signed-in console account', async () => {
    const anon = consoleClient(h)
    for (const path of ['/admin/misinformation', '/admin/misinformation/1', '/admin/misinformation/stats', '/admin/agencies']) {
      const res = await anon.get(path)
      expect([302, 303, 401]).toContain(res.status)
    }
    const post = await anon.post('/admin/misinformation', { text: 'Tin sai' })
    expect([302, 303, 401, 403]).toContain(post.status)
    expect(await countReports()).toBe(0)
  })

  it('lists claims with their report counts and codes, and an editor files a report', async () => {
    const link = 'https://example.com/tin-don-nghi-hoc'
    for (const ip of ['203.0.113.1', '203.0.113.2']) expect((await visitor(ip).send({ text: 'Nghỉ học cả tuần', links: link })).status).toBe(201)
    const editor = await signedInAs(h, ids.minh, 'editor')
    const filed = await editor.post('/admin/misinformation', { text: 'Tin giả mạo thông báo tăng học phí gấp đôi', links: '' })
    expect(filed.status).toBe(200)
    expect(await editor.text(filed)).toMatch(/Đã lưu phản ánh TS-[2-9A-Z]{4} thành hồ sơ số \d+/)

    const desk = await editor.get('/admin/misinformation')
    expect(desk.status).toBe(200)
    const html = await desk.text()
    const rows = await h.db.select().from(claims)
    expect(rows).toHaveLength(2)
    const joined = rows.find((r) => r.reportCount === 2)!
    expect(html).toMatch(new RegExp(`data-claim="${joined.id}"[\\s\\S]*?data-report-count="2">2<`))
    const codes = (await h.db.select().from(claimReports)).filter((r) => r.claimId === joined.id).map((r) => r.code)
    for (const code of codes) expect(html).toContain(code)
    expect(html).toContain('Tin sai lệch')
  })

  it('routes a claim to an agency and an admin publishes the correction; an editor without the spokesperson permission cannot', async () => {
    await visitor().send({ text: 'Tin đồn: Sở cho nghỉ Tết 1 tháng' })
    const [claim] = await h.db.select().from(claims)
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const added = await admin.post('/admin/agencies', { name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'culture' })
    expect(added.status).toBe(200)
    expect(await admin.text(added)).toContain('Đã thêm cơ quan')
    const agencies = (await (await h.api('/agencies')).json()) as { items: { id: number }[] }
    const agencyId = agencies.items[0]!.id
    // A liaison picked from the directory; an unused agency removed; an editor may not change the list.
    const liaison = await admin.post(`/admin/agencies/${agencyId}/liaisons`, { personId: String(ids.lan) })
    expect(liaison.status).toBe(200)
    const liaisonText = await admin.text(liaison)
    expect(liaisonText).toContain('Đã thêm đầu mối')
    expect(liaisonText).toContain('Nguyễn Thị Lan (Trường THCS An Hòa) · chưa liên kết chat')
    await admin.post('/admin/agencies', { name: 'Công an phường', kind: 'police' })
    const spare = ((await (await h.api('/agencies')).json()) as { items: { id: number; name: string }[] }).items.find((a) => a.name === 'Công an phường')!
    expect(await admin.text(await admin.post(`/admin/agencies/${spare.id}/deactivate`))).toContain('Đã xoá "Công an phường"')
    const editorPost = await (await signedInAs(h, ids.minh, 'editor')).post('/admin/agencies', { name: 'Khác', kind: 'other' })
    expect(editorPost.status).toBe(403)
    expect(await admin.text(await admin.post('/admin/agencies', { name: '', kind: 'other' }))).toContain('Vui lòng nhập tên cơ quan')

    // Only the allowed next states are offered.
    const page = await (await admin.get(`/admin/misinformation/${claim!.id}`)).text()
    expect(page).toContain('value="checking"')
    expect(page).not.toContain('<option value="answered"')

    const moved = await admin.post(`/admin/misinformation/${claim!.id}/transition`, { to: 'routed', agency: String(agencyId), note: 'Thuộc thẩm quyền Sở VHTTDL' })
    expect(moved.status).toBe(200)
    const movedText = await admin.text(moved)
    expect(movedText).toContain('Đã chuyển hồ sơ sang "Đã chuyển cơ quan"')
    expect(movedText).toContain('Thuộc thẩm quyền Sở VHTTDL')

    // Off the graph: refused with the reason, nothing changes.
    const off = await admin.post(`/admin/misinformation/${claim!.id}/transition`, { to: 'received' })
    expect(off.status).toBe(409)
    expect((await h.db.select().from(claims))[0]!.status).toBe('routed')

    // A viewer reads the claim but gets no form to move it.
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    const viewed = await (await viewer.get(`/admin/misinformation/${claim!.id}`)).text()
    expect(viewed).toContain('Tài khoản chỉ xem')
    expect(viewed).not.toContain('/transition"')
    expect((await viewer.post(`/admin/misinformation/${claim!.id}/transition`, { to: 'closed' })).status).toBe(403)

    const editor = await signedInAs(h, ids.minh, 'editor')
    const seen = await (await editor.get(`/admin/misinformation/${claim!.id}`)).text()
    expect(seen).toContain('Chỉ quản trị viên hoặc biên tập viên được giao quyền người phát ngôn')
    const refused = await editor.post(`/admin/misinformation/${claim!.id}/correction`, { text: 'Sở không có thông báo nào như vậy.' })
    expect(refused.status).toBe(403)
    expect(await editor.text(refused)).toContain('Chỉ quản trị viên hoặc biên tập viên được giao quyền người phát ngôn')
    expect((await h.db.select().from(claims))[0]!.correctionText).toBeNull()

    const published = await admin.post(`/admin/misinformation/${claim!.id}/correction`, { text: 'Sở không có thông báo nào như vậy; lịch nghỉ Tết theo quy định.' })
    expect(published.status).toBe(200)
    const pubText = await admin.text(published)
    expect(pubText).toContain('Đã đăng cải chính')
    expect(pubText).toContain('Đã cải chính')

    // The reporter sees the correction from the browser that sent it.
    const [report] = await h.db.select().from(claimReports)
    const stats = await admin.get('/admin/misinformation/stats')
    expect(stats.status).toBe(200)
    expect(await admin.text(stats)).toContain('Sở Văn hóa, Thể thao và Du lịch')
    // Over days without a claim: none; a day that is not one is said so.
    expect(await admin.text(await admin.get('/admin/misinformation/stats?from=2026-03-17&to=2026-03-31'))).toContain('Không có hồ sơ nào')
    const bad = await admin.get('/admin/misinformation/stats?from=2026-02-30')
    expect(bad.status).toBe(422)
    expect(await admin.text(bad)).toContain('Ngày chưa đúng')
    expect((await admin.get('/admin/misinformation/stats?to=2026-13-01')).status).toBe(422)
    expect(report!.code).toMatch(/^TS-/)
  })

  it('puts the claims of the half year in the six-monthly workbook with codes, state, agency and clocks, never who reported', async () => {
    await visitor().send({ text: 'Tin đồn nghỉ học', contact: '0912 345 678', consent: 'on' })
    const [claim] = await h.db.select().from(claims)
    const [report] = await h.db.select().from(claimReports)
    const agency = (await (await h.api('/agencies', { body: { name: 'UBND phường Ninh Kiều', kind: 'ward' } })).json()) as { id: number }
    h.setNow('2026-03-16T04:00:00Z')
    expect((await h.api(`/misinformation/${claim!.id}/transition`, { body: { to: 'routed', agency: agency.id } })).status).toBe(200)

    const res = await h.api('/summary?year=2026&half=1')
    expect(res.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
    const rows = (book.getWorksheet('Thông tin sai lệch')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1))
    expect(rows[0]).toEqual(expect.arrayContaining(['Số hồ sơ', 'Mã phản ánh', 'Trạng thái', 'Cơ quan xử lý']))
    expect(rows).toHaveLength(2)
    // Received 09:00, routed 11:00 on a Monday: two working hours to acknowledge and to route.
    expect(rows[1]).toEqual(expect.arrayContaining([claim!.id, report!.code, 1, 'Đã chuyển cơ quan', 'UBND phường Ninh Kiều', 2]))
    const all = JSON.stringify(book.worksheets.filter((w) => w.name.includes('sai lệch')).map((w) => w.getSheetValues()))
    expect(all).not.toContain('0912 345 678')
    expect(all).not.toContain('Tin đồn nghỉ học')
    const clocks = (book.getWorksheet('Thời gian xử lý tin sai lệch')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1))
    expect(clocks.map((r) => r[0])).toEqual(expect.arrayContaining(['UBND phường Ninh Kiều', 'Tất cả']))
  })
})
