import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { startHarness, ADMIN_TOKEN, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

let h: Harness
let base: string
let browser: Browser

beforeAll(async () => {
  h = await startHarness()
  base = await h.listen()
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('console sign-in with the bootstrap admin token', () => {
  it('sends a visitor to the sign-in page, refuses a wrong token, and lets the right one in', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const problems = watchConsole(page)
    await page.goto(`${base}/admin`)
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    expect(await page.locator('html').getAttribute('lang')).toBe('vi')
    expect(await page.locator('h1').textContent()).toBe('Đăng nhập bảng điều khiển')

    await page.getByLabel('Mã quản trị', { exact: true }).fill('not-the-token-0123456789abcdefgh')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('Mã quản trị không đúng')
    problems.length = 0 // the browser logs the refused sign-in's 401; what follows must be clean

    await signInWithToken(page, base)
    expect(await page.locator('h1').textContent()).toBe('Tổng quan')
    expect(await page.getByText('Đang đăng nhập bằng mã quản trị (ADMIN_TOKEN)').count()).toBe(1)
    // The targets table lists the plan's six targets, each with a status in words.
    expect(await page.locator('tr[data-target]').count()).toBe(6)
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'loa_console')!
    expect(session.httpOnly).toBe(true)
    expect(session.sameSite).toBe('Lax')
    expect(problems, problems.join('\n')).toEqual([])
    await screenshot(page, 'console-overview')

    // English on request, remembered; and back.
    await page.getByRole('link', { name: 'English' }).click()
    expect(await page.locator('h1').textContent()).toBe('Overview')
    await page.goto(`${base}/admin`)
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await page.getByRole('link', { name: 'Tiếng Việt' }).click()
    expect(await page.locator('h1').textContent()).toBe('Tổng quan')

    await page.getByRole('button', { name: 'Đăng xuất' }).click()
    expect(await page.getByRole('status').textContent()).toContain('Bạn đã đăng xuất')
    await page.goto(`${base}/admin`)
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    await context.close()
  })

  it('refuses a form posted without the form token, or from another site, and changes nothing', async () => {
    const noToken = await fetch(`${base}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
      redirect: 'manual',
    })
    expect(noToken.status).toBe(403)
    expect(noToken.headers.get('set-cookie') ?? '').not.toContain('loa_console')
    expect(await noToken.text()).toContain('Biểu mẫu đã hết hạn')

    const page = await fetch(`${base}/admin/login`)
    const csrfCookie = /loa_csrf=([A-Za-z0-9]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!
    const foreign = await fetch(`${base}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: `loa_csrf=${csrfCookie}` },
      body: new URLSearchParams({ token: ADMIN_TOKEN, _csrf: csrfCookie }),
      redirect: 'manual',
    })
    expect(foreign.status).toBe(403)

    const same = await fetch(`${base}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie: `loa_csrf=${csrfCookie}` },
      body: new URLSearchParams({ token: ADMIN_TOKEN, _csrf: csrfCookie, next: 'https://evil.example/' }),
      redirect: 'manual',
    })
    expect(same.status).toBe(303)
    // An outside `next` is not followed: the console's home instead.
    expect(same.headers.get('location')).toBe('/admin')
  })

  it('serves pages with a strict CSP and its assets from this server, cached', async () => {
    const res = await fetch(`${base}/admin/login`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    const css = await fetch(`${base}/assets/loa.css`)
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(css.headers.get('cache-control')).toContain('max-age')
    const again = await fetch(`${base}/assets/loa.css`, { headers: { 'if-none-match': css.headers.get('etag')! } })
    expect(again.status).toBe(304)
    const chart = await fetch(`${base}/assets/chart.umd.min.js`)
    expect(chart.status).toBe(200)
    expect((await chart.text()).length).toBeGreaterThan(100_000)
    expect((await fetch(`${base}/assets/../package.json`)).status).toBe(404)
    const missing = await fetch(`${base}/admin/nothing-here`, { redirect: 'manual' })
    expect(missing.status).toBe(303)
  })
})
