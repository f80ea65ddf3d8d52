import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, signInWithToken, watchConsole } from '../helpers/browser.js'

let h: Harness
let base: string
let browser: Browser

/** The seeded directory plus 2,000 schools under 20 wards: a city-sized unit list. */
beforeAll(async () => {
  h = await startHarness()
  base = await h.listen()
  browser = await openBrowser()
  const ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  const wards = Array.from({ length: 20 }, (_, w) => ({ code: `P-${w}`, name: `Phường Số ${w}`, kind: 'commune', parentCode: 'SGDDT' }))
  const schools = Array.from({ length: 1980 }, (_, i) => ({ code: `TH-${i}`, name: `Trường Tiểu học Số ${i}`, kind: 'school', parentCode: `P-${i % 20}` }))
  for (const batch of [wards, schools.slice(0, 990), schools.slice(990)]) {
    const res = await h.api('/units', { body: batch })
    if (res.status !== 200) throw new Error(await res.text())
  }
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('console: the unit picker', () => {
  it('finds a unit among 2,000 by typing without diacritics, ticks it from the keyboard, and the preview counts its people', async () => {
    const page = await (await newContext(browser)).newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base, '/admin/broadcasts/new')
    const search = page.getByLabel('Đơn vị: gõ tên hoặc mã để tìm')
    await expect.poll(() => search.count()).toBe(1)
    const status = page.locator('#unitCodes-status')
    expect(await status.innerText()).toMatch(/^Đang hiện 20\d\d\/20\d\d đơn vị; đã chọn 0\./)

    // "truong tieu hoc so 1234" (no accents) leaves exactly one school.
    await search.fill('truong tieu hoc so 1234')
    expect(await status.innerText()).toMatch(/^Đang hiện 1\/20\d\d đơn vị; đã chọn 0\./)
    await expect.poll(() => page.locator('.picker-list li:not([hidden])').allInnerTexts()).toEqual(['Trường Tiểu học Số 1234 (TH-1234)'])

    // From the keyboard: ↓ into the list, Space ticks.
    await search.press('ArrowDown')
    await page.keyboard.press('Space')
    expect(await page.getByRole('checkbox', { name: 'Trường Tiểu học Số 1234 (TH-1234)' }).isChecked()).toBe(true)

    // A second search keeps the first choice; the school with people is found by part of its name.
    await search.fill('an hoa')
    await page.getByRole('checkbox', { name: /An Hòa/ }).check()
    expect(await status.innerText()).toContain('đã chọn 2.')
    expect(await page.locator('#unitCodes-chosen').innerText()).toContain('Trường Tiểu học Số 1234 (TH-1234)')

    // Enter in the search box does not send the form; the preview counts both units' people.
    await search.press('Enter')
    expect(page.url()).toBe(`${base}/admin/broadcasts/new`)
    await page.getByLabel('Tiêu đề').fill('Thử')
    await page.getByLabel('Nội dung', { exact: true }).fill('Nội dung thử.')
    await page.getByRole('button', { name: 'Xem trước' }).click()
    expect(await page.locator('#audience-count').innerText()).toContain('Nhóm này có 2 người; 2 người nhận được')
    // The preview page remembers both choices in the picker.
    expect(await page.locator('#unitCodes-status').innerText()).toContain('đã chọn 2.')
    expect(problems).toEqual([])
  }, 60_000)

  it('without JavaScript the plain list still works', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' })
    const page = await context.newPage()
    await signInWithToken(page, base, '/admin/broadcasts/new')
    await page.getByLabel('Đơn vị (giữ Ctrl').selectOption(['TH-7'])
    expect(await page.locator('.picker').count()).toBe(0)
    await context.close()
  }, 60_000)
})
