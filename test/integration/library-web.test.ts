import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { consoleClient, signedInAs } from '../helpers/console.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

const productCount = async () => Number((await h.db.all<{ n: number }>(sql`select count(*) as n from products`))[0]!.n)
const opensOf = async (id: number) => Number((await h.db.all<{ n: number }>(sql`select count(*) as n from web_opens where kind = 'product' and item_id = ${id}`))[0]!.n)

/** The form as an editor fills it in, for a public infographic published a few days ago. */
const publicForm = {
  title: 'Đường đến trường an toàn',
  kind: 'infographic',
  summary: 'Năm điều cần nhớ khi đi học mùa mưa.',
  body: 'Đi đúng làn đường.\n\nĐội mũ bảo hiểm.',
  link: 'https://sgddt.cantho.gov.vn/duong-den-truong',
  imageUrl: 'https://sgddt.cantho.gov.vn/anh.png',
  tags: 'Nghị quyết 71, An toàn giao thông',
  audience: 'public',
  ownerUnitCode: 'THCS-ANHOA',
  publishedDate: '10/03/2026',
  publishedTime: '08:00',
  status: '',
  countsTowardTarget: '',
}

describe('the library on the web', () => {
  it('takes an entry made in the console to /thu-vien, found without diacritics, with its page, QR code and opens counted', async () => {
    h = await startHarness()
    h.setNow('2026-03-16T02:00:00Z')
    const ids = await seedDirectory(h)
    const editor = await signedInAs(h, ids.minh, 'editor')

    const made = await editor.post('/admin/library/new', publicForm)
    expect(made.status).toBe(303)
    const where = made.headers.get('location')!
    expect(where).toMatch(/^\/admin\/library\/\d+\?done=created$/)
    const id = Number(/\/(\d+)\?/.exec(where)![1])
    const edit = await editor.text(await editor.get(where))
    expect(edit).toContain('Đã thêm sản phẩm.')
    expect(edit).toContain('Trang công khai: http://localhost/thu-vien/duong-den-truong-an-toan')
    const api = (await (await h.api(`/library/${id}`)).json()) as Record<string, unknown>
    expect(api).toMatchObject({ status: 'published', audience: 'public', ownerUnitCode: 'THCS-ANHOA', tags: ['Nghị quyết 71', 'An toàn giao thông'], countsTowardTarget: true, publishedAt: '2026-03-10T01:00:00.000Z' })

    // The console's list finds it as typed, with the filters.
    const listed = await editor.text(await editor.get('/admin/library?q=duong+den+truong&kind=infographic&year=2026&tag=nq71'))
    expect(listed).toContain('Đường đến trường an toàn')

    // An anonymous phone finds it without diacritics, and opens its page.
    const visitor = consoleClient(h)
    const search = await visitor.get('/thu-vien?q=duong+den+truong')
    expect(search.status).toBe(200)
    const html = await search.text()
    expect(html).toContain('href="/thu-vien/duong-den-truong-an-toan"')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('action="/thu-vien"')
    expect((await visitor.text(await visitor.get('/thu-vien?q=duong&kind=video'))).includes('Đường đến trường an toàn')).toBe(false)
    expect((await visitor.text(await visitor.get('/thu-vien?year=2025'))).includes('Đường đến trường an toàn')).toBe(false)

    const page = await visitor.get('/thu-vien/duong-den-truong-an-toan')
    expect(page.status).toBe(200)
    const body = await page.text()
    for (const s of ['Đường đến trường an toàn', 'Năm điều cần nhớ', 'Đội mũ bảo hiểm.', 'Trường THCS An Hòa', 'Nghị quyết 71', 'Phát hành 10/03/2026', 'https://sgddt.cantho.gov.vn/duong-den-truong', 'src="https://sgddt.cantho.gov.vn/anh.png"', '<svg']) expect(body).toContain(s)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    // A link shared in Zalo or Telegram shows the entry's title, summary and image (Open Graph).
    for (const s of [
      '<meta property="og:title" content="Đường đến trường an toàn"',
      '<meta property="og:description" content="Năm điều cần nhớ khi đi học mùa mưa."',
      '<meta property="og:image" content="https://sgddt.cantho.gov.vn/anh.png"',
      '<meta property="og:url" content="http://localhost/thu-vien/duong-den-truong-an-toan"',
    ]) expect(body).toContain(s)
    // The search page, which lists many entries, claims no single preview.
    expect(html).not.toContain('og:title')
    await visitor.get('/thu-vien/duong-den-truong-an-toan')
    expect(await opensOf(id)).toBe(2)
    expect(await editor.text(await editor.get(`/admin/library/${id}`))).toContain('Số lần mở trang công khai: 2')
    const png = await visitor.get('/thu-vien/duong-den-truong-an-toan/qr.png')
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png'])

    // English on request, Vietnamese first.
    expect(await visitor.text(await visitor.get('/thu-vien?lang=en'))).toContain('Education communication library')

    // Edited in the console: a change of title reaches the public page.
    const fields = { ...publicForm, title: 'Đường đến trường an toàn mùa mưa', status: 'published', countsTowardTarget: 'yes' }
    expect((await editor.post(`/admin/library/${id}`, fields)).status).toBe(303)
    expect(await visitor.text(await visitor.get('/thu-vien?q=mua+mua'))).toContain('Đường đến trường an toàn mùa mưa')
  })

  it('never shows an internal, draft, scheduled or archived entry to an anonymous visitor, even by its slug', async () => {
    h = await startHarness()
    h.setNow('2026-03-16T02:00:00Z')
    const ids = await seedDirectory(h)
    const editor = await signedInAs(h, ids.minh, 'editor')
    const make = async (fields: Record<string, string>) => expect((await editor.post('/admin/library/new', { ...publicForm, ...fields })).status).toBe(303)
    await make({ title: 'Kế hoạch nội bộ đường đến trường', audience: 'internal' })
    await make({ title: 'Bản nháp đường đến trường', status: 'draft' })
    await make({ title: 'Sắp phát hành đường đến trường', publishedDate: '20/03/2026', status: 'published' })
    await make({ title: 'Lưu trữ đường đến trường', status: 'archived' })

    const visitor = consoleClient(h)
    const list = await visitor.text(await visitor.get('/thu-vien?q=duong'))
    expect(list).toContain('Chưa tìm thấy sản phẩm nào')
    for (const slug of ['ke-hoach-noi-bo-duong-den-truong', 'ban-nhap-duong-den-truong', 'sap-phat-hanh-duong-den-truong', 'luu-tru-duong-den-truong']) {
      const res = await visitor.get(`/thu-vien/${slug}`)
      expect(res.status, slug).toBe(404)
      expect(await visitor.text(res)).toContain('Không có sản phẩm này trong thư viện công khai.')
      expect((await visitor.get(`/thu-vien/${slug}/qr.png`)).status).toBe(404)
    }
    expect((await visitor.get('/thu-vien/khong-co')).status).toBe(404)
    const odd = await visitor.get('/thu-vien/Khong_Co/x')
    expect([odd.status, odd.headers.get('content-type')]).toEqual([404, 'text/html; charset=UTF-8'])
    expect(Number((await h.db.all<{ n: number }>(sql`select count(*) as n from web_opens`))[0]!.n)).toBe(0)

    // The console shows them all to editors, the draft marked; archived ones when asked.
    const console = await editor.get('/admin/library?q=duong')
    const html = await console.text()
    expect(html).toMatch(/data-status="draft"/)
    expect(html).toContain('Bản nháp đường đến trường')
    expect(html).toMatch(/Sắp phát hành đường đến trường<\/a><\/th><td>Infographic<\/td><td>Hẹn giờ<\/td>/)
    expect(html).not.toContain('Lưu trữ đường đến trường')
    expect(await editor.text(await editor.get('/admin/library?status=archived'))).toContain('Lưu trữ đường đến trường')

    // Once the scheduled date comes, it is public.
    h.setNow('2026-03-21T02:00:00Z')
    expect((await visitor.get('/thu-vien/sap-phat-hanh-duong-den-truong')).status).toBe(200)
  })

  it('refuses a form without its token, bad input in Vietnamese (nothing saved), viewers, and deletes by editors; admins delete after a confirmation', async () => {
    h = await startHarness()
    h.setNow('2026-03-16T02:00:00Z')
    const ids = await seedDirectory(h)
    const editor = await signedInAs(h, ids.minh, 'editor')
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const viewer = await signedInAs(h, ids.lan, 'viewer')

    // CSRF: the form's token missing or wrong.
    await editor.get('/admin/library')
    const forged = await h.app.request('/admin/library/new', {
      method: 'POST',
      headers: { cookie: `loa_console=${editor.jar.get('loa_console')}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...publicForm, _csrf: 'x'.repeat(32) }),
    })
    expect(forged.status).toBe(403)
    expect(await productCount()).toBe(0)

    // Bad input: each problem said in Vietnamese, the form shown again as typed, nothing saved.
    const bad = await editor.post('/admin/library/new', { ...publicForm, title: '', link: 'ftp://x', publishedDate: '31/02/2026', kind: 'poster' })
    expect(bad.status).toBe(422)
    const text = await editor.text(bad)
    expect(text).toContain('Cần tiêu đề (1–300 ký tự).')
    expect(text).toContain('Đường dẫn phải bắt đầu bằng http:// hoặc https://')
    expect(text).toContain('Loại sản phẩm chưa hợp lệ')
    expect(text).toContain('31/02/2026')
    const unknownUnit = await editor.post('/admin/library/new', { ...publicForm, ownerUnitCode: 'KHONG-CO' })
    expect(unknownUnit.status).toBe(422)
    expect(await editor.text(unknownUnit)).toContain('Không có đơn vị mã "KHONG-CO".')
    expect(await productCount()).toBe(0)

    // A viewer has no library pages; an editor neither deletes nor sets automatic answers.
    expect((await viewer.get('/admin/library')).status).toBe(403)
    expect((await viewer.post('/admin/library/new', publicForm)).status).toBe(403)
    const made = await editor.post('/admin/library/new', { ...publicForm, kind: 'faq', autoAnswer: 'on' })
    const id = Number(/\/(\d+)\?/.exec(made.headers.get('location')!)![1])
    const faq = (await (await h.api(`/library/${id}`)).json()) as Record<string, unknown>
    expect(faq).toMatchObject({ kind: 'faq', autoAnswer: false, countsTowardTarget: false })
    expect(await editor.text(await editor.get(`/admin/library/${id}`))).not.toContain('Xoá sản phẩm')
    expect((await editor.get(`/admin/library/${id}/delete`)).status).toBe(403)
    expect((await editor.post(`/admin/library/${id}/delete`)).status).toBe(403)
    expect(await productCount()).toBe(1)

    // An admin marks the FAQ "tự động", then deletes it after the confirmation page.
    expect((await admin.post(`/admin/library/${id}`, { ...publicForm, kind: 'faq', status: 'published', countsTowardTarget: 'no', autoAnswer: 'on' })).status).toBe(303)
    expect(((await (await h.api(`/library/${id}`)).json()) as Record<string, unknown>).autoAnswer).toBe(true)
    const confirm = await admin.get(`/admin/library/${id}/delete`)
    expect(await admin.text(confirm)).toContain('Không thể hoàn tác.')
    const removed = await admin.post(`/admin/library/${id}/delete`)
    expect([removed.status, removed.headers.get('location')]).toEqual([303, '/admin/library?done=removed'])
    expect(await productCount()).toBe(0)
    expect((await admin.get(`/admin/library/${id}`)).status).toBe(404)
  })
  it('sends an entry as a brief from its console page: the composer filled with its text, the brief and the entry linked once sent', async () => {
    h = await startHarness()
    h.setNow('2026-03-16T02:00:00Z')
    const ids = await seedDirectory(h)
    const editor = await signedInAs(h, ids.minh, 'editor')
    const made = await editor.post('/admin/library/new', publicForm)
    const id = Number(/\/(\d+)\?/.exec(made.headers.get('location')!)![1])
    const edit = await (await editor.get(`/admin/library/${id}`)).text()
    expect(edit).toContain(`href="/admin/broadcasts/new?product=${id}"`)

    const compose = await (await editor.get(`/admin/broadcasts/new?product=${id}`)).text()
    expect(compose).toContain('Bản tin mang sản phẩm trong thư viện: «Đường đến trường an toàn»')
    expect(compose).toContain(`name="productId" value="${id}"`)
    expect(compose).toContain('value="Đường đến trường an toàn"')
    expect(compose).toContain('Năm điều cần nhớ khi đi học mùa mưa.')
    expect((await editor.get('/admin/broadcasts/new?product=999999')).status).toBe(404)

    const fields = {
      kind: 'brief',
      title: 'Đường đến trường an toàn',
      body: 'Năm điều cần nhớ khi đi học mùa mưa.',
      link: 'https://sgddt.cantho.gov.vn/duong-den-truong',
      productId: String(id),
      audienceShown: '1',
      includeSubunits: 'on',
      unitCodes: 'THCS-ANHOA',
      requireAck: 'on',
      when: 'now',
      action: 'preview',
    }
    const previewed = await (await editor.post('/admin/broadcasts/new', fields)).text()
    expect(previewed).toContain(`name="productId" value="${id}"`)
    const checked = /name="checked" value="([^"]+)"/.exec(previewed)?.[1]
    const sent = await editor.post('/admin/broadcasts/new', { ...fields, action: 'send', checked: checked! })
    expect(sent.status).toBe(303)
    const broadcastId = Number(/\/admin\/broadcasts\/(\d+)/.exec(sent.headers.get('location')!)![1])
    const broadcast = (await (await h.api(`/broadcasts/${broadcastId}`)).json()) as { productId: number | null }
    expect(broadcast.productId).toBe(id)
    // Counted once toward the target, however many briefs carry it.
    const drill = (await (await h.api('/targets/digitalProducts/products?year=2026')).json()) as { count: number }
    expect(drill.count).toBe(1)
  })
})
