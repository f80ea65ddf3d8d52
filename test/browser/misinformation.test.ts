import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { memoryMedia } from '../helpers/media.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

/**
 * Issue 23 in the browser: a visitor reports false information on /phan-anh and gets its case code;
 * the desk sees it, opens the claim, routes it to an agency and publishes the correction, which the
 * visitor then reads with the code.
 */
let h: Harness
let base: string
let browser: Browser
let phone: Page
let desk: Page
let phoneProblems: string[]
let deskProblems: string[]
let code: string

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: '7501', zalo: 'zalo-minh-7502' }))
  const agency = await h.api('/agencies', { body: { name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'culture' } })
  if (agency.status !== 201) throw new Error(`agency: ${agency.status} ${await agency.text()}`)
  // Images are kept on Node: the form offers a photo.
  h.deps.media = memoryMedia()
  base = await h.listen()
  browser = await openBrowser()
  phone = await (await newContext(browser, 'phone')).newPage()
  phoneProblems = watchConsole(phone)
  desk = await (await newContext(browser)).newPage()
  deskProblems = watchConsole(desk)
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('the public form /phan-anh', () => {
  it('takes a report from a phone and tells its case code', async () => {
    await phone.goto(`${base}/phan-anh`)
    await phone.getByLabel('Nội dung tin (chép lại hoặc mô tả)').fill('Tin nhắn lan truyền: "Sở GD&ĐT Cần Thơ cho học sinh nghỉ học cả tuần sau vì nắng nóng".')
    await phone.getByLabel('Đường link (mỗi dòng một link, không bắt buộc)').fill('https://www.facebook.com/groups/phuhuynh/posts/123?fbclid=abc')
    await screenshot(phone, 'phone-misinformation-form')
    await phone.getByRole('button', { name: 'Gửi phản ánh' }).click()
    await phone.getByRole('heading', { name: 'Đã nhận phản ánh' }).waitFor()
    code = (await phone.locator('[data-code]').textContent())!.trim()
    expect(code).toMatch(/^TS-[2-9A-Z]{4}$/)
    await screenshot(phone, 'phone-misinformation-filed')
    expect(phoneProblems).toEqual([])
  })
})

describe('the desk', () => {
  it('lists the claim, opens it, routes it and publishes the correction', async () => {
    h.setNow('2026-03-16T03:30:00Z')
    await signInWithToken(desk, base, '/admin/misinformation')
    const card = desk.locator('article[data-claim]').first()
    expect(await card.locator('[data-codes]').textContent()).toContain(code)
    expect(await card.locator('[data-report-count]').textContent()).toBe('1')
    await screenshot(desk, 'console-misinformation-desk')

    await card.getByRole('link').first().click()
    h.setNow('2026-03-16T04:00:00Z')
    await desk.getByRole('heading', { name: /Hồ sơ tin sai lệch số \d+/ }).waitFor()
    await desk.getByLabel('Trạng thái mới').selectOption('routed')
    await desk.getByLabel('Cơ quan (bắt buộc khi chuyển cơ quan)').selectOption({ label: 'Sở Văn hóa, Thể thao và Du lịch' })
    await desk.getByLabel('Ghi chú (không bắt buộc)').fill('Thông tin trên mạng xã hội: thuộc thẩm quyền Sở VHTTDL.')
    await desk.getByRole('button', { name: 'Cập nhật trạng thái' }).click()
    await desk.getByText('Đã chuyển hồ sơ sang "Đã chuyển cơ quan".').waitFor()

    h.setNow('2026-03-16T07:15:00Z')
    await desk.getByLabel(/Nội dung cải chính/).fill('Sở GD&ĐT Cần Thơ không ban hành thông báo nào cho học sinh nghỉ học. Lịch học vẫn giữ nguyên.')
    await desk.getByRole('button', { name: 'Đăng cải chính' }).click()
    await desk.getByText(/Đã đăng cải chính/).waitFor()
    expect(await desk.locator('dd[data-status]').getAttribute('data-status')).toBe('corrected')
    // Received 09:00, routed 11:00, corrected 14:15 on a Monday: working hours, lunch left out.
    expect(await desk.locator('dd[data-clock="toRoute"]').textContent()).toBe('2 giờ')
    expect(await desk.locator('dd[data-clock="liaisonToAcknowledge"]').textContent()).toBe('không có (hồ sơ đã sang bước khác)')
    await screenshot(desk, 'console-misinformation-claim')
    expect(deskProblems).toEqual([])
  })

  it('the visitor reads the correction with the case code, from the same phone', async () => {
    await phone.goto(`${base}/phan-anh/tra-cuu?ma=${code}`)
    await phone.getByText('Đã có thông tin cải chính chính thức.').waitFor()
    expect(await phone.textContent('main')).toContain('không ban hành thông báo nào')
    expect(phoneProblems).toEqual([])
  })
})
