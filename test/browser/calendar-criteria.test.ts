import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

/** Issue 21 in the browser: the working-day calendar and the criteria set, as an admin sees them. */
let h: Harness
let base: string
let browser: Browser
let page: Page
let problems: string[]

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: '7301', zalo: 'zalo-minh-7302' }))
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser)).newPage()
  problems = watchConsole(page)
  await signInWithToken(page, base, '/admin/calendar')
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('the working-day calendar in the console', () => {
  it('shows the year filled from the rules, refuses a date that does not exist, and adds a holiday', async () => {
    const body = () => page.locator('main').textContent()
    // Giỗ Tổ 2026 falls on Sunday 26/04: Monday 27/04 is the day off in its place.
    expect(await body()).toContain('26/04/2026')
    expect(await body()).toContain('27/04/2026')

    await page.getByLabel('Ngày', { exact: true }).fill('31/02/2026')
    await page.getByLabel('Tên', { exact: true }).fill('Ngày không có')
    await page.getByRole('button', { name: 'Lưu' }).click()
    expect(await page.getByRole('alert').first().textContent()).toBeTruthy()
    problems.length = 0 // the browser logs the refused form's 422

    await page.getByLabel('Ngày', { exact: true }).fill('24/11/2026')
    await page.getByLabel('Loại').selectOption('holiday')
    await page.getByLabel('Tên', { exact: true }).fill('Ngày Văn hóa Việt Nam')
    await page.getByRole('button', { name: 'Lưu' }).click()
    await page.waitForURL(/\/admin\/calendar\?year=2026&saved=2026-11-24/)
    expect(await body()).toContain('Ngày Văn hóa Việt Nam')
    const days = (await (await h.api('/calendar?year=2026')).json()).days as { date: string; kind: string; source: string }[]
    expect(days.find((d) => d.date === '2026-11-24')).toMatchObject({ kind: 'holiday', source: 'admin' })
    await screenshot(page, 'console-calendar')
    expect(problems).toEqual([])
  })
})

describe('the criteria set in the console', () => {
  it('lists each unit with its points, maximum and share once a set is published', async () => {
    const set = {
      bands: [{ name: 'Tốt', minPercent: 80 }, { name: 'Khá', minPercent: 50 }],
      groups: [{ code: 'A', title: 'Tổ chức', criteria: [
        { code: 'A1', title: 'Đầu mối liên kết', maxPoints: 10, type: 'automatic', metric: 'focal_point_linked' },
        { code: 'A2', title: 'Kế hoạch truyền thông', maxPoints: 20, type: 'manual' },
      ] }],
    }
    expect((await h.api('/criteria/2026', { body: set })).status).toBe(201)
    expect((await h.api('/criteria/2026/publish', { body: {} })).status).toBeLessThan(300)
    await page.goto(`${base}/admin/criteria/2026`)
    // The school's focal point is linked: the automatic criterion gives its 10 of the 30 points.
    const school = (await page.locator('tr', { hasText: 'Trường THCS An Hòa' }).textContent()) ?? ''
    expect(school).toContain('10')
    expect(school).toContain('30')
    expect(school).toContain('33,3')
    await screenshot(page, 'console-criteria')
    expect(problems).toEqual([])
  })
})
