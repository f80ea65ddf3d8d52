import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSession } from '#src/domain/console/signin-sessions.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h?.close())

describe('first impressions', () => {
  it('sends a browser that opens the server\'s address to the console', async () => {
    const res = await h.app.request('/')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/admin')
    // The console itself asks an anonymous visitor to sign in.
    const admin = await h.app.request('/admin')
    expect([302, 303]).toContain(admin.status)
    expect(admin.headers.get('location')).toMatch(/^\/admin\/login/)
  })

  it('answers a mistyped or withdrawn public link with a styled Vietnamese page, its stylesheet allowed', async () => {
    for (const path of ['/b/khongco', '/q/abc', '/s/', '/b/ABCDEF/khong']) {
      const res = await h.app.request(path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type'), path).toContain('text/html')
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("style-src 'self'")
      const html = await res.text()
      expect(html, path).toContain('<link rel="stylesheet" href="/assets/loa.css')
      expect(html, path).toContain('lang="vi"')
    }
  })

  it('keeps the JSON 404 for paths that are no page', async () => {
    const res = await h.app.request('/khongco')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/json')
  })
})

describe('the first day\'s checklist on the overview', () => {
  const stepsOf = async () => {
    const { token } = await startSession(h.db, { personId: null, role: 'admin', adminTokenHash: h.deps.adminTokenHash }, h.now())
    const html = await (await h.app.request('/admin', { headers: { cookie: `loa_console=${token}` } })).text()
    if (!html.includes('data-first-steps')) return null
    return Object.fromEntries([...html.matchAll(/data-step="(\w+)" data-done="(yes|no)"><a href="([^"]+)"/g)].map((m) => [m[1], `${m[2]} ${m[3]}`]))
  }

  it('ticks each step as the Department does it, links to where it is done, and is gone once all four are', async () => {
    expect(await stepsOf()).toEqual({
      messenger: 'yes /admin/channels',
      directory: 'no /admin/directory/import',
      invites: 'no /admin/directory/invites',
      brief: 'no /admin/broadcasts/new',
    })
    const ids = await seedDirectory(h)
    expect((await stepsOf())?.directory).toBe('yes /admin/directory/import')
    expect((await h.api(`/people/${ids.lan}/invites`, { body: {} })).status).toBe(201)
    expect((await stepsOf())?.invites).toBe('yes /admin/directory/invites')
    const brief = await h.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin đầu tiên', body: 'Nội dung.', audience: {} } })
    expect(brief.status).toBe(201)
    expect(await stepsOf()).toBeNull()
  })
})
