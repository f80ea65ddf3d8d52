import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { signedInAs } from '../helpers/console.js'
import { phone } from '../helpers/phone.js'

/**
 * The newcomer walk's leftovers (issue 19, "From the walk, also"; /work/shared/research/console-walk.md):
 * what a Department admin meets on the compose, sending, session and quiz pages.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

const json = async (res: Response) => (await res.json()) as any
const brief = (extra: Record<string, string> = {}) => ({
  kind: 'brief',
  title: 'Quán triệt Nghị quyết 71',
  body: 'Nghị quyết 71-NQ/TW về đột phá phát triển giáo dục và đào tạo.',
  requireAck: 'on',
  audienceShown: '1',
  includeSubunits: 'on',
  when: 'now',
  action: 'preview',
  ...extra,
})

describe('compose: image and link addresses (O1)', () => {
  it('refuses an http:// image on the console with one clear error, and creates nothing', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.post('/admin/broadcasts/new', brief({ imageUrl: 'http://sgddt.cantho.gov.vn/anh.jpg' }))
    expect(res.status).toBe(400)
    const text = await admin.text(res)
    expect(text).toContain('Ảnh (địa chỉ https, không bắt buộc): phải là địa chỉ bắt đầu bằng https://')
    expect(text.match(/https:\/\/ /g)?.length ?? 0).toBeLessThanOrEqual(1)
    expect((await json(await h.api('/broadcasts'))).total).toBe(0)
  })

  it('gives one error, in plain words, for a link without https://', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.post('/admin/broadcasts/new', brief({ link: 'sgddt.cantho.gov.vn/nq71' }))
    expect(res.status).toBe(400)
    const html = await res.text()
    const errors = /id="form-errors">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? ''
    expect(errors.match(/<li>/g)).toHaveLength(1)
    expect(html).toContain('phải là địa chỉ web đầy đủ, bắt đầu bằng https://')
    expect(html).not.toContain('URL không hợp lệ')
  })

  it('refuses an http:// image over the API too, with one detail', async () => {
    const res = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung', imageUrl: 'http://example.vn/a.jpg' } })
    expect(res.status).toBe(400)
    expect((await json(res)).error.details).toEqual([{ path: 'imageUrl', message: expect.stringContaining('https://') }])
    const link = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung', link: 'example.vn' } })
    expect((await json(link)).error.details).toHaveLength(1)
    const ok = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung', imageUrl: 'https://example.vn/a.jpg', link: 'http://example.vn/nq' } })
    expect(ok.status).toBe(201)
  })
})

/** The harness clock stands at 09:00 on 16/03/2026 in Can Tho; this session runs 08:30–11:00. */
async function openSession() {
  const res = await h.api('/sessions', {
    body: { title: 'Quán triệt Nghị quyết 71', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' },
  })
  expect(res.status).toBe(201)
  return (await json(res)) as { id: number; code: string }
}

describe('live pages without meta refresh (O9, O4)', () => {
  it('the sending page refreshes its figures with a script from /assets and a polite live region, not a meta refresh', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    const created = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung' } })
    const { id } = await json(created)
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const html = await (await admin.get(`/admin/broadcasts/${id}`)).text()
    expect(html).toContain('data-status="sending"')
    expect(html).not.toMatch(/http-equiv="refresh"/i)
    expect(html).toContain('<script src="/assets/live.js" defer')
    expect(html).toMatch(/id="live-status"[^>]*aria-live="polite"|aria-live="polite"[^>]*id="live-status"/)
    expect(html).toMatch(/id="progress-section" data-live/)
    const script = await h.app.request('/assets/live.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('javascript')
    expect(await script.text()).toContain('data-live-every')
    // Once sent, the page stops asking to be refreshed.
    await h.flush()
    const done = await (await admin.get(`/admin/broadcasts/${id}`)).text()
    expect(done).not.toContain('data-live-every')
    expect(done).not.toContain('/assets/live.js')
  })

  it('the attendance page refreshes while check-in is open, and the count it shows rises', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    const s = await openSession()
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const before = await (await admin.get(`/admin/sessions/${s.id}`)).text()
    expect(before).toContain('data-live-every="5"')
    expect(before).toContain('id="attendance-list" data-live')
    expect(before).toContain('Chưa ai điểm danh.')
    await h.say.telegram('101', `/diemdanh ${s.code}`)
    const after = await admin.text(await admin.get(`/admin/sessions/${s.id}`))
    expect(after).toContain('Nguyễn Thị Lan')
    h.setNow('2026-03-17T02:00:00Z')
    expect(await (await admin.get(`/admin/sessions/${s.id}`)).text()).not.toContain('data-live-every')
  })
})

describe('the projector view of a session (O4)', () => {
  it('shows the QR of the public link, the code in large type and the count, live, with no console menu', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    const s = await openSession()
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await (await admin.get(`/admin/sessions/${s.id}`)).text()
    expect(page).toContain(`href="/admin/sessions/${s.id}/projector"`)
    const res = await admin.get(`/admin/sessions/${s.id}/projector`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(new RegExp(`class="projector-code" id="projector-code">\\s*${s.code}`))
    expect(html).toMatch(/<figure class="projector-qr"[^>]*>\s*<svg/)
    expect(html).toContain('/s/')
    expect(html).toContain('Đã điểm danh: 0/')
    expect(html).toContain('data-live-every="5"')
    expect(html).not.toContain('class="menu"')
    await h.say.telegram('101', `/diemdanh ${s.code}`)
    expect(await (await admin.get(`/admin/sessions/${s.id}/projector`)).text()).toContain('Đã điểm danh: 1/')
  })

  it('answers 404 for an unknown session', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    expect((await admin.get('/admin/sessions/999/projector')).status).toBe(404)
  })
})

describe('"Zalo OA" as an audience only while the OA is on (O11)', () => {
  it('offers Zalo OA on the compose, quiz and session forms when on, and not when off', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    for (const path of ['/admin/broadcasts/new', '/admin/quizzes/new', '/admin/sessions/new']) {
      expect(await (await admin.get(path)).text()).toContain('name="platforms" value="zalo_oa"')
    }
    h.close()
    h = await startHarness({ TOKEN_ENCRYPTION_KEY: '', ZALO_OA_APP_ID: '', ZALO_OA_APP_SECRET: '', ZALO_OA_SECRET_KEY: '' })
    ids = await seedDirectory(h)
    const off = await signedInAs(h, ids.phuc, 'admin')
    for (const path of ['/admin/broadcasts/new', '/admin/quizzes/new', '/admin/sessions/new']) {
      const html = await (await off.get(path)).text()
      expect(html).toContain('name="platforms" value="zalo"')
      expect(html).not.toContain('value="zalo_oa"')
    }
  })
})

describe('a pass mark that needs every answer right (O7)', () => {
  const quizForm = (extra: Record<string, string> = {}) => ({
    title: 'Tìm hiểu Nghị quyết 71',
    passMark: '70',
    closesDate: '20/03/2026',
    closesTime: '17:00',
    audienceShown: '1',
    includeSubunits: 'on',
    ...Object.fromEntries(
      [0, 1, 2].flatMap((q) => [
        [`q${q}.text`, `Câu hỏi số ${q + 1}?`],
        [`q${q}.o0`, 'Đúng'],
        [`q${q}.o1`, 'Sai'],
        [`q${q}.correct`, '0'],
      ]),
    ),
    ...extra,
  })

  it('warns that 70% of 3 questions means 3/3, names the mark that allows one mistake, and creates nothing until confirmed', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.post('/admin/quizzes/new', quizForm())
    expect(res.status).toBe(200)
    const text = await admin.text(res)
    expect(text).toContain('Với 3 câu hỏi, mức đạt 70% nghĩa là phải đúng cả 3/3 câu')
    expect(text).toContain('hạ mức đạt xuống 66%')
    expect(text).toContain('Câu hỏi số 3?')
    expect((await json(await h.api('/quizzes'))).items ?? []).toHaveLength(0)
    const kept = await admin.post('/admin/quizzes/new', quizForm({ allCorrectOk: 'on' }))
    expect(kept.status).toBe(303)
  })

  it('says nothing when one mistake is allowed', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    expect((await admin.post('/admin/quizzes/new', quizForm({ passMark: '66' }))).status).toBe(303)
  })
})

describe('the Vietnamese guide for Department staff (O10)', () => {
  it('is linked from every console page and shows docs/huong-dan.md as a page', async () => {
    const admin = await signedInAs(h, ids.phuc, 'viewer')
    const home = await (await admin.get('/admin')).text()
    expect(home).toContain('<a href="/admin/guide">Hướng dẫn sử dụng</a>')
    const res = await admin.get('/admin/guide')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Hướng dẫn sử dụng Loa cho cán bộ Sở</h1>')
    expect(html).toContain('<h2>Ngày đầu tiên: sáu bước</h2>')
    expect(html).toContain('<strong>Tải tệp mẫu</strong>')
    expect(html).toContain('<code>/admin/inbox</code>')
    for (const step of ['Đăng nhập', 'Bật kênh nhắn tin', 'Nhập danh bạ', 'In phiếu mời', 'Gửi bản tin đầu tiên', 'Theo dõi và báo cáo']) {
      expect(html).toMatch(new RegExp(`<h2>\\d\\. ${step}`))
    }
  })

  it('is not linked from the sign-in page or the phone pages, and needs a sign-in', async () => {
    const login = await (await h.app.request('/admin/login')).text()
    expect(login).not.toContain('/admin/guide')
    const anonymous = await h.app.request('/admin/guide')
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toContain('/admin/login')
  })
})

describe('drafts and "Nhân bản" (walk: Authoring)', () => {
  const idFrom = (res: Response) => Number(/\/admin\/broadcasts\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1])
  const checkedOf = (html: string) => /name="checked" value="([^"]+)"/.exec(html)?.[1] ?? ''

  it('saves a draft that reaches nobody, opens it again for editing, then sends that same draft once', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    await h.flush()
    h.telegram.reset()
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const saved = await admin.post('/admin/broadcasts/new', brief({ action: 'draft', body: '' }))
    expect(saved.status).toBe(303)
    const id = idFrom(saved)
    const page = await admin.text(await admin.get(`/admin/broadcasts/${id}?done=draft`))
    expect(page).toContain(`Bản nháp số ${id}`)
    expect(page).toContain('Đã lưu bản nháp. Chưa gửi cho ai')
    expect(await (await admin.get(`/admin/broadcasts/${id}`)).text()).toContain('value="Quán triệt Nghị quyết 71"')
    const list = await admin.text(await admin.get('/admin/broadcasts'))
    expect(list).toContain('Bản nháp')
    await h.flush()
    expect(h.telegram.sent()).toHaveLength(0)

    // Edited: the same draft, now with its text.
    const edited = await admin.post('/admin/broadcasts/new', brief({ action: 'draft', draftId: String(id), body: 'Nội dung đã sửa về Nghị quyết 71.' }))
    expect(idFrom(edited)).toBe(id)
    expect((await json(await h.api('/broadcasts'))).total).toBe(1)

    // Sent: preview, then the send button; the draft becomes the broadcast, same number.
    const form = brief({ draftId: String(id), body: 'Nội dung đã sửa về Nghị quyết 71.' })
    const preview = await admin.post('/admin/broadcasts/new', form)
    expect(preview.status).toBe(200)
    const checked = checkedOf(await preview.text())
    const sent = await admin.post('/admin/broadcasts/new', { ...form, action: 'send', checked })
    expect(sent.status).toBe(303)
    expect(idFrom(sent)).toBe(id)
    await h.flush()
    expect(h.texts(h.telegram, '101').join('\n')).toContain('Nội dung đã sửa về Nghị quyết 71.')
    const again = await admin.post('/admin/broadcasts/new', { ...form, action: 'send', checked })
    expect(again.status).toBe(409)
    expect(await admin.text(again)).toContain(`Bản nháp số ${id} không còn là bản nháp`)
    expect((await json(await h.api('/broadcasts'))).total).toBe(1)
  })

  it('refuses a draft without a title, in words, and saves nothing', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.post('/admin/broadcasts/new', brief({ action: 'draft', title: '' }))
    expect(res.status).toBe(400)
    expect(await admin.text(res)).toContain('Tiêu đề')
    expect((await json(await h.api('/broadcasts'))).total).toBe(0)
  })

  it('"Nhân bản" makes a new draft with the content and recipients of a sent broadcast', async () => {
    const created = await h.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin tháng 3', body: 'Nội dung tháng 3', audience: { unitCodes: ['THCS-ANHOA'] } } })
    const { id } = await json(created)
    const admin = await signedInAs(h, ids.phuc, 'editor')
    expect(await (await admin.get(`/admin/broadcasts/${id}`)).text()).toContain(`action="/admin/broadcasts/${id}/duplicate"`)
    const dup = await admin.post(`/admin/broadcasts/${id}/duplicate`)
    expect(dup.status).toBe(303)
    const copy = idFrom(dup)
    expect(copy).not.toBe(id)
    const html = await (await admin.get(`/admin/broadcasts/${copy}?done=duplicated&from=${id}`)).text()
    expect(html).toContain(`Đã tạo bản nháp mới từ thông báo số ${id}`)
    expect(html).toContain('value="Bản tin tháng 3"')
    expect(html).toMatch(/<option value="THCS-ANHOA" selected/)
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    expect((await viewer.post(`/admin/broadcasts/${id}/duplicate`)).status).toBe(403)
  })
})

describe('the phone brief page: identify first, the error at the field (P9)', () => {
  it('puts the identify form above a long brief, and a wrong code comes back inside it, at the field, focused', async () => {
    const long = Array.from({ length: 8 }, (_, i) => `Đoạn ${i + 1}: Sở GD&ĐT đề nghị các trường quán triệt Nghị quyết 71 tới từng cán bộ, giáo viên.`).join('\n\n')
    const created = await json(await h.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin dài', body: long } }))
    const path = new URL(created.publicUrl).pathname
    const p = phone(h)
    const page = await p.get(path)
    expect(page.html.indexOf('id="identify"')).toBeGreaterThan(0)
    expect(page.html.indexOf('id="identify"')).toBeLessThan(page.html.indexOf('Đoạn 1:'))
    expect(page.html).toContain('Mã cá nhân (mã mời trên phiếu)')
    const wrong = await p.submit(page.html, '/p/identify', { code: 'AAAA-BBBB' })
    expect(wrong.url).toMatch(/\?e=invalid$/)
    const form = /<form class="identify card"[\s\S]*?<\/form>/.exec(wrong.html)?.[0] ?? ''
    expect(form).toContain('Mã không đúng. Vui lòng kiểm tra phiếu mời và nhập lại.')
    expect(form).toMatch(/<input id="code"[^>]*aria-invalid="true"[^>]*aria-describedby="code-error"[^>]*autofocus/)
    // Said once, in the form, not again at the bottom of the page.
    expect(wrong.html.match(/Mã không đúng/g)).toHaveLength(1)
  })
})

describe('the other axe findings of the walk (O9)', () => {
  it('the compose preview has no heading jump, wide tables scroll from the keyboard, and action columns are named', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const preview = await (await admin.post('/admin/broadcasts/new', brief())).text()
    const levels = [...preview.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]))
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1)
    expect(levels).toContain(3)
    await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung' } })
    expect(await (await admin.get('/admin/broadcasts')).text()).toContain('<div class="table-wrap" tabindex="0">')
    const people = await (await admin.get('/admin/directory')).text()
    expect(people).not.toMatch(/<th scope="col"><\/th>/)
    expect(people).toContain('<span class="visually-hidden">Thao tác</span>')
  })
})
