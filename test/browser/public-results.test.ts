import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, watchConsole } from '../helpers/browser.js'
import { criteriaSet, FOCAL_POINT_LINKED, TEACHERS_DAY } from '../helpers/criteria-sets.js'

/** Issue 22 in the browser: the public results page on a phone, and its block framed by the Department's portal. */
let h: Harness
let base: string
let browser: Browser
let page: Page
let problems: string[]
// The portal's page, served on a second local origin (Chromium keeps a public page from framing a
// loopback address: local network access checks).
let PORTAL: string
let portalHtml = ''
let portalServer: Server

const SET = criteriaSet(
  [FOCAL_POINT_LINKED, { code: 'A2', title: 'Cán bộ kết nối kênh chính thống', maxPoints: 10, type: 'automatic', metric: 'staff_linked' }],
  [{ code: 'B', title: 'Hoạt động và sản phẩm', criteria: [TEACHERS_DAY] }],
)

beforeAll(async () => {
  portalServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(portalHtml))
  await new Promise<void>((ok) => portalServer.listen(0, '127.0.0.1', ok))
  PORTAL = `http://127.0.0.1:${(portalServer.address() as AddressInfo).port}`
  h = await startHarness({ EMBED_ORIGINS: PORTAL })
  const ids = await seedDirectory(h)
  await h.api('/units', {
    body: [
      { code: 'TH-CAIKHE', name: 'Trường Tiểu học Cái Khế', kind: 'school', parentCode: 'P-NINHKIEU' },
      { code: 'TH-TANAN', name: 'Trường Tiểu học Tân An', kind: 'school', parentCode: 'P-NINHKIEU' },
    ],
  })
  await enroll(h, ids.minh, 'telegram', '7311')
  await h.api('/criteria/2026', { body: SET })
  await h.api('/criteria/2026/publish', { body: {} })
  await h.api('/criteria/2026/units/THCS-ANHOA/appraisal/B1', { method: 'PUT', body: { points: 17, comment: 'Đạt' } })
  await h.api('/criteria/2026/units/TH-CAIKHE/appraisal/B1', { method: 'PUT', body: { points: 12, comment: 'Đạt' } })
  await h.api('/criteria/2026/freeze', { body: {} })
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser, 'phone')).newPage()
  problems = watchConsole(page)
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
  portalServer?.close()
})

describe('the public results page on a phone', () => {
  it('shows the targets, the ranking and the method with no script, and offers the downloads', async () => {
    await page.goto(`${base}/ket-qua/2026`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kết quả công tác truyền thông giáo dục năm 2026')
    const rows = page.locator('#ket-qua tbody tr')
    expect(await rows.count()).toBe(5)
    expect(await rows.first().locator('th').textContent()).toBe('Trường THCS An Hòa')
    expect(await page.getByRole('link', { name: 'Tải CSV' }).getAttribute('href')).toBe('/ket-qua/2026.csv')
    // The page itself is no wider than the phone: a wide table scrolls inside its frame.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, 'phone-results')
    await page.getByRole('link', { name: 'English' }).click()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Education communications results 2026')
    expect(problems).toEqual([])
  })

  it("is framed by the portal's page (EMBED_ORIGINS), while the full page refuses to be", async () => {
    portalHtml = `<!doctype html><title>Cổng</title><iframe id="block" src="${base}/ket-qua/2026/nhung"></iframe><iframe id="page" src="${base}/ket-qua/2026"></iframe>`
    const portal = await (await newContext(browser)).newPage()
    await portal.goto(`${PORTAL}/ket-qua`)
    const block = portal.frameLocator('#block')
    await block.locator('#ket-qua-nhung').waitFor()
    expect(await block.locator('#ket-qua-nhung tbody tr').first().locator('th').textContent()).toBe('Trường THCS An Hòa')
    // The full page is refused by frame-ancestors 'none': its frame never shows the page's heading.
    await portal.waitForTimeout(500)
    const framed = portal.frames().find((f) => f.url().endsWith('/ket-qua/2026'))
    const heading = framed ? await framed.locator('h1').count().catch(() => 0) : 0
    expect(heading).toBe(0)
  })
})
