import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

/** Issue 22 on a phone: an entry added in the console, found on the public library without diacritics, its page. */
let h: Harness
let base: string
let browser: Browser
let page: Page
let problems: string[]

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: '7401', zalo: 'zalo-minh-7402' }))
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser, 'phone')).newPage()
  problems = watchConsole(page)
  const entries = [
    { kind: 'video', title: 'Video: kỹ năng thoát hiểm khi đuối nước', summary: 'Ba phút cho học sinh tiểu học.', tags: ['An toàn'], audience: 'public', publishedAt: '2026-02-20T08:00:00+07:00' },
    { kind: 'article', title: 'Cần Thơ triển khai Nghị quyết 71 về giáo dục', summary: 'Những việc ngành giáo dục thành phố làm trong năm 2026.', tags: ['Nghị quyết 71'], audience: 'public', publishedAt: '2026-03-02T08:00:00+07:00' },
    { kind: 'faq', title: 'Hỏi đáp tuyển sinh lớp 10', summary: 'Lịch thi, hồ sơ, cách tính điểm.', audience: 'public', publishedAt: '2026-03-05T08:00:00+07:00' },
    { kind: 'document', title: 'Kế hoạch nội bộ quý II', audience: 'internal', publishedAt: '2026-03-01T08:00:00+07:00' },
  ]
  for (const body of entries) expect((await h.api('/library', { body })).status).toBe(201)
  await signInWithToken(page, base, '/admin/library/new')
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('the library on a phone', () => {
  it('adds an entry in the console, refusing a bad link first, and lists it with the drafts marked', async () => {
    await page.getByLabel('Tiêu đề', { exact: true }).fill('Đường đến trường an toàn')
    await page.getByLabel('Loại sản phẩm').selectOption('infographic')
    await page.getByLabel('Tóm tắt (một vài câu)').fill('Năm điều cần nhớ khi đi học mùa mưa.')
    await page.getByLabel('Nội dung', { exact: true }).fill('Đi đúng làn đường, đội mũ bảo hiểm.\n\nKhông đùa nghịch khi qua cầu.')
    await page.getByLabel('Đường dẫn (bài gốc, video, tài liệu)').fill('ftp://sai')
    await page.getByLabel('Thẻ, cách nhau bằng dấu phẩy').fill('An toàn giao thông, Nghị quyết 71')
    await page.getByLabel('Đối tượng', { exact: true }).selectOption('public')
    await page.getByLabel('Đơn vị thực hiện').selectOption('THCS-ANHOA')
    await page.getByLabel('Ngày (dd/mm/yyyy)').fill('10/03/2026')
    await page.getByLabel('Giờ (HH:mm)').fill('08:00')
    await page.getByRole('button', { name: 'Lưu sản phẩm' }).click()
    expect(await page.getByRole('alert').first().textContent()).toContain('Đường dẫn phải bắt đầu bằng http:// hoặc https://')
    problems.length = 0 // the browser logs the refused form's 422
    await page.getByLabel('Đường dẫn (bài gốc, video, tài liệu)').fill('https://sgddt.cantho.gov.vn/duong-den-truong')
    await page.getByRole('button', { name: 'Lưu sản phẩm' }).click()
    await page.waitForURL(/\/admin\/library\/\d+\?done=created/)
    expect(await page.getByRole('status').first().textContent()).toContain('Đã thêm sản phẩm.')

    expect((await h.api('/library', { body: { kind: 'brief', title: 'Bản tin tháng Tư (nháp)', summary: 'Đang soạn.' } })).status).toBe(201)
    await page.goto(`${base}/admin/library`)
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain('Đường đến trường an toàn')
    expect(main).toContain('Kế hoạch nội bộ quý II')
    expect(await page.locator('tr[data-status="draft"]').textContent()).toContain('Nháp')
    await screenshot(page, 'console-library')
    expect(problems).toEqual([])
  })

  it('finds it on /thu-vien typed without diacritics, with no internal entry, and opens its page with the QR code', async () => {
    await page.goto(`${base}/thu-vien`)
    expect(await page.locator('main').textContent()).not.toContain('Kế hoạch nội bộ')
    await page.getByLabel('Tìm trong thư viện').fill('duong den truong')
    await page.getByRole('button', { name: 'Tìm', exact: true }).click()
    await page.waitForURL(/\/thu-vien\?q=duong\+den\+truong/)
    const first = page.locator('.library-list li').first()
    expect(await first.textContent()).toContain('Đường đến trường an toàn')
    await page.getByLabel('Tìm trong thư viện').fill('')
    await page.getByRole('button', { name: 'Tìm', exact: true }).click()
    await page.waitForURL(/\/thu-vien\?q=/)
    expect(await page.locator('.library-list li').count()).toBe(4)
    // No sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, 'phone-library')

    await page.getByRole('link', { name: 'Đường đến trường an toàn' }).click()
    await page.waitForURL(/\/thu-vien\/duong-den-truong-an-toan$/)
    const article = (await page.locator('main').textContent()) ?? ''
    for (const s of ['Năm điều cần nhớ', 'Không đùa nghịch khi qua cầu.', 'Trường THCS An Hòa', 'Phát hành 10/03/2026', 'Nghị quyết 71']) expect(article).toContain(s)
    expect(await page.locator('figure.library-qr svg').count()).toBe(1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, 'phone-library-product')
    expect(problems).toEqual([])
  })
})
