import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_IMPORT_BODY_BYTES, MAX_PAGE_BODY_BYTES } from '#src/web/pages.js'
import { consoleClient, signedInAs } from '../helpers/console.js'
import { ADMIN_TOKEN, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/** The pages' body limits (finding 4) and queries that used to answer 500 (finding 10). */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

/** A body that sends `first` and then never ends: only a server that does not wait for it can answer. */
function endless(first: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first))
    },
  })
}

describe('body limits on the pages', () => {
  it('refuses at once (413, in Vietnamese) a form whose Content-Length is over 1 MiB, before reading or checking it', async () => {
    const res = await h.app.request('/p/identify', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(200 * 1024 * 1024) },
      body: endless('_csrf=x&phone='),
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(visible(await res.text())).toContain('Nội dung gửi lên lớn hơn 1 MiB nên không được nhận.')
  })

  it('counts a body without Content-Length while reading it, and stops at the limit', async () => {
    const chunk = 'a'.repeat(64 * 1024)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit if it were all read: 64 MiB.
        if (sent >= 64 * 1024 * 1024) return controller.close()
        sent += chunk.length
        controller.enqueue(new TextEncoder().encode(chunk))
      },
    })
    const res = await h.app.request('/admin/login?lang=en', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(visible(await res.text())).toContain('What was sent is larger than 1 MiB and was not accepted.')
    expect(sent).toBeLessThan(MAX_PAGE_BODY_BYTES + 4 * chunk.length)
  })

  it('signs nobody in from a form over the limit, even with the right token', async () => {
    const browser = consoleClient(h)
    const res = await browser.post('/admin/login', { token: ADMIN_TOKEN, padding: 'x'.repeat(MAX_PAGE_BODY_BYTES) })
    expect(res.status).toBe(413)
    expect(res.headers.getSetCookie().some((l) => l.startsWith('loa_console='))).toBe(false)
    expect((await browser.get('/admin')).status).toBe(303)
  })

  it("lets the directory import's upload be larger than a form, up to its own limit", async () => {
    const admin = consoleClient(h)
    await admin.post('/admin/login', { token: ADMIN_TOKEN })
    const upload = (bytes: number) => {
      const form = new FormData()
      form.set('_csrf', admin.jar.get('loa_csrf')!)
      form.set('file', new File([new Uint8Array(bytes).fill(65)], 'danh-ba.csv', { type: 'text/csv' }))
      return h.app.request('/admin/directory/import', {
        method: 'POST',
        headers: { origin: 'http://localhost', cookie: [...admin.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        body: form,
      })
    }
    const overAForm = await upload(MAX_PAGE_BODY_BYTES + 64 * 1024)
    expect(overAForm.status).not.toBe(413)
    expect(overAForm.status).toBeLessThan(500)
    const tooBig = await upload(MAX_IMPORT_BODY_BYTES + 1)
    expect(tooBig.status).toBe(413)
    expect(visible(await tooBig.text())).toContain('Nội dung gửi lên lớn hơn 14 MiB')
  })
})

describe('no 500 for a query string', () => {
  it('answers the overview, reach, targets, audit and half-year summary for a period that ends in 9999', async () => {
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    const admin = await signedInAs(h, ids.phuc, 'admin')
    expect((await viewer.get('/admin?from=2026-01-01&to=9999-12-31')).status).toBe(200)
    expect((await viewer.get('/admin/summary/9999/2')).status).toBe(200)
    expect((await admin.get('/admin/audit?to=9999-12-31')).status).toBe(200)
    expect((await h.api('/reach?to=9999-12-31')).status).toBe(200)
    expect((await h.api('/targets?from=2026-01-01&to=9999-12-31')).status).toBe(200)
    expect((await h.api('/audit?to=9999-12-31')).status).toBe(200)
    // A period from year 0 is a period from 1900: too long to split into months, which the page says.
    const fromYearZero = await viewer.get('/admin?from=0000-01-01')
    expect(fromYearZero.status).toBe(400)
    expect(await viewer.text(fromYearZero)).toContain('Khoảng thời gian quá dài')
    expect((await h.api('/reach?from=0000-01-01')).status).toBe(200)
  })

  it('shows the last page of a list for an offset or page number past any number', async () => {
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    for (const offset of ['1e400', '99999999999999999999', '-5', 'abc']) {
      const res = await viewer.get(`/admin/directory?offset=${offset}`)
      expect(res.status, offset).toBe(200)
    }
    for (const page of ['1e400', '99999999999999999999', '0', 'NaN']) {
      const res = await viewer.get(`/admin/broadcasts?page=${page}`)
      expect(res.status, page).toBe(200)
    }
    // A real offset still pages.
    expect(await viewer.text(await viewer.get('/admin/directory?offset=0'))).toContain('Nguyễn Thị Lan')
  })

  it('drops a return path with CR/LF after sign-in, and keeps one beyond ASCII working', async () => {
    const browser = consoleClient(h)
    const res = await browser.post('/admin/login', { token: ADMIN_TOKEN, next: '/admin/\r\nX-Injected: 1' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin')
    expect(res.headers.get('x-injected')).toBeNull()
    const login = await consoleClient(h).get('/admin/login?next=%2Fadmin%2F%0D%0Ax')
    expect(login.status).toBe(200)
    const unicode = await consoleClient(h).post('/admin/login', { token: ADMIN_TOKEN, next: '/admin/directory?q=Nguyễn' })
    expect(unicode.status).toBe(303)
    expect(unicode.headers.get('location')).toBe('/admin/directory?q=Nguy%E1%BB%85n')
  })
})
