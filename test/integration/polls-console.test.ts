import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { polls } from '#db/schema/index.js'
import { signedInAs } from '../helpers/console.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Polls in the console (issue 23): an editor creates a poll from a form and it is sent; its page
 * shows the results per option, audience, unit and ward, the .xlsx, and closes it. A viewer reads
 * but may not create or close; a form without its CSRF token is refused; bad input changes nothing.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6100000001' // Lan, teacher, Telegram
const ZL = 'zl-minh-01' // Minh, teacher, Zalo
const PARENT_ZL = 'zl-parent-1' // subscriber, ward Ninh Kiều
const PARENT_TG = '8800000001' // subscriber, ward Cái Răng, never answers

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
  await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
  expect((await h.api('/units', { body: [{ code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' }] })).status).toBe(200)
  await h.say.telegram(PARENT_TG, '/dangky Cái Răng')
})
afterEach(() => h.close())

const form = {
  title: 'Học thêm buổi tối',
  question: 'Trường nên mở lớp ôn tập buổi tối cho học sinh lớp 9.',
  kind: 'single',
  options: 'Nên mở\r\nKhông cần\r\nChưa rõ',
  staff: 'on',
  roles: 'teacher',
  subscribers: 'on',
  wardCodes: '',
  closesDate: '20/03/2026',
  closesTime: '17:00',
}

describe('polls in the console', () => {
  it('an editor creates a poll that is sent, and its page shows the answers per option, unit and ward', async () => {
    const editor = await signedInAs(h, ids.phuc, 'editor')
    const created = await editor.post('/admin/polls/new', form)
    expect(created.status).toBe(303)
    expect(created.headers.get('location')).toBe('/admin/polls/1?done=created&queued=4')
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toContain('📊 Thăm dò ý kiến: Học thêm buổi tối')
    expect(h.lastText(h.zalo, PARENT_ZL)).toContain('3. Chưa rõ')

    await h.say.press(TG, 'pl:1:0')
    await h.say.zalo(ZL, '2')
    await h.say.zalo(PARENT_ZL, '1')

    const list = await editor.text(await editor.get('/admin/polls'))
    expect(list).toContain('Học thêm buổi tối')
    expect(list).toContain('Đang mở')
    expect(list).toContain('3 / 4')

    const page = await editor.get('/admin/polls/1?done=created&queued=4')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('data-chart="chart-poll"')
    expect(html).toContain('/assets/chart.umd.min.js')
    expect(html).toMatch(/<tr data-option="1"><th scope="row">1\. Nên mở<\/th><td class="num">2<\/td><td class="num">66,7\s?%<\/td>/)
    const text = await editor.text(new Response(html))
    expect(text).toContain('Đã tạo thăm dò và xếp 4 tin nhắn để gửi.')
    expect(text).toMatch(/Trường THCS An Hòa \(THCS-ANHOA\) 2 2 100\s?% 1 \(50/)
    // A ward reached where no one answered is listed, at 0 %.
    expect(text).toMatch(/UBND phường Cái Răng \(P-CAIRANG\) 1 0 0\s?% 0 \(/)
    expect(text).toMatch(/UBND phường Ninh Kiều \(P-NINHKIEU\) 1 1 100\s?% 1 \(100/)

    const xlsx = await editor.get('/admin/polls/1/results.xlsx')
    expect(xlsx.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any)
    expect(book.worksheets[0]!.getRow(1).values).toContain('1. Nên mở')

    const closed = await editor.post('/admin/polls/1/close')
    expect(closed.status).toBe(303)
    expect(await editor.text(await editor.get('/admin/polls/1?done=closed'))).toContain('Đã đóng thăm dò')
    await h.say.zalo(PARENT_ZL, '2')
    expect(h.lastText(h.zalo, PARENT_ZL)).toContain('đã đóng')
  })

  it('refuses bad input in Vietnamese and creates nothing', async () => {
    const editor = await signedInAs(h, ids.phuc, 'editor')
    const bad = await editor.post('/admin/polls/new', { ...form, title: '', options: 'Chỉ một', staff: '', subscribers: '' })
    expect(bad.status).toBe(400)
    const text = await editor.text(bad)
    expect(text).toContain('Hãy nhập tiêu đề.')
    expect(text).toContain('cần ít nhất 2 phương án')
    expect(text).toContain('Hãy chọn gửi cho cán bộ, nhà giáo hoặc cho người đăng ký')
    const unknownWard = await editor.post('/admin/polls/new', { ...form, wardCodes: 'P-KHONGCO' })
    expect(unknownWard.status).toBe(422)
    expect(await editor.text(unknownWard)).toContain('P-KHONGCO')
    const past = await editor.post('/admin/polls/new', { ...form, closesDate: '01/01/2020' })
    expect(past.status).toBe(400)
    expect(await editor.text(past)).toContain('Thời điểm đóng phải sau thời điểm mở')
    expect(await h.db.$count(polls)).toBe(0)
  })

  it('lets a viewer read but not create or close, and refuses a form without its CSRF token', async () => {
    const editor = await signedInAs(h, ids.phuc, 'editor')
    expect((await editor.post('/admin/polls/new', form)).status).toBe(303)
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    expect((await viewer.get('/admin/polls')).status).toBe(200)
    expect((await viewer.get('/admin/polls/1')).status).toBe(200)
    expect(await viewer.text(await viewer.get('/admin/polls/1'))).not.toContain('Đóng thăm dò ngay')
    expect((await viewer.get('/admin/polls/new')).status).toBe(403)
    expect((await viewer.post('/admin/polls/new', form)).status).toBe(403)
    expect((await viewer.post('/admin/polls/1/close')).status).toBe(403)
    expect(await h.db.$count(polls)).toBe(1)

    editor.jar.set('loa_csrf', 'forged')
    const forged = await h.app.request('/admin/polls/new', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', cookie: [...editor.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new URLSearchParams(form),
    })
    expect(forged.status).toBe(403)
    expect(await h.db.$count(polls)).toBe(1)
    expect((await editor.get('/admin/polls/2')).status).toBe(404)
  })
})
