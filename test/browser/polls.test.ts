import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { inviteCode, startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

/**
 * Issue 23 in the browser: a poll created from the console form, answered in chat, its results drawn;
 * a parent follows a ward on /theo-doi, answers on the phone page, and reads the results once it closed.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
let base: string
let browser: Browser
let page: Page
let problems: string[]
const TG = '7401'
const ZL = 'zalo-minh-7402'
const PARENT_ZL = 'zl-parent-7403'

beforeAll(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
  await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser)).newPage()
  problems = watchConsole(page)
  await signInWithToken(page, base, '/admin/polls')
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('a poll in the console', () => {
  it('is created from the form, answered in chat, and its results shown as a chart and tables', async () => {
    await page.getByRole('link', { name: 'Tạo thăm dò' }).click()
    await page.getByLabel('Tiêu đề').fill('Học thêm buổi tối')
    await page.getByLabel('Câu hỏi').fill('Trường nên mở lớp ôn tập buổi tối cho học sinh lớp 9?')
    await page.locator('#options').fill('Nên mở\nKhông cần\nChưa rõ')
    await page.locator('#subscribers').check()
    await page.locator('#closesDate').fill('20/03/2026')
    await page.locator('#closesTime').fill('17:00')
    await page.getByRole('button', { name: 'Tạo và gửi' }).click()
    await page.waitForURL(/\/admin\/polls\/1\?done=created/)
    await h.flush()
    await h.say.press(TG, 'pl:1:0')
    await h.say.zalo(ZL, '1')
    await h.say.zalo(PARENT_ZL, '3')

    await page.goto(`${base}/admin/polls/1`)
    await page.locator('canvas[data-chart="chart-poll"][data-drawn="true"]').waitFor()
    expect(await page.locator('tr[data-option="1"]').textContent()).toContain('2')
    expect(await page.locator('#poll-by-ward + .table-wrap').textContent()).toContain('Ninh Kiều')
    await screenshot(page, 'console-poll-results')
    expect(problems).toEqual([])
  })
})

describe("a poll's phone page", () => {
  it('lets a teacher identify with their code, answer, and see their answer', async () => {
    const slug = /\/t\/([A-Z2-9]{6})/.exec((await page.goto(`${base}/admin/polls/1`), await page.content()))![1]!
    const phonePage = await (await newContext(browser, 'phone')).newPage()
    const phoneProblems = watchConsole(phonePage)
    await phonePage.goto(`${base}/t/${slug}`)
    await phonePage.locator('#code').fill(await inviteCode(h, ids.lan))
    await phonePage.getByRole('button', { name: 'Xác nhận' }).click()
    await phonePage.getByLabel('2. Không cần').check()
    await phonePage.getByRole('button', { name: 'Đổi câu trả lời' }).click()
    await phonePage.getByText('Đã đổi câu trả lời của bạn thành: 2. Không cần.').waitFor()
    await screenshot(phonePage, 'phone-poll')
    expect(phoneProblems).toEqual([])
  })
})

describe('following a ward on the web', () => {
  it('lets a parent follow with consent, answer the ward poll on the phone, and read the results after the close', async () => {
    const phonePage = await (await newContext(browser, 'phone')).newPage()
    const phoneProblems = watchConsole(phonePage)
    await phonePage.goto(`${base}/theo-doi`)
    await phonePage.getByLabel('Phường/xã của bạn').selectOption({ label: 'UBND phường Ninh Kiều' })
    await phonePage.getByLabel('Tôi đồng ý để Sở lưu các dữ liệu trên').check()
    await phonePage.getByRole('button', { name: 'Theo dõi' }).click()
    await phonePage.getByText('Đã theo dõi UBND phường Ninh Kiều.').waitFor()
    await screenshot(phonePage, 'phone-follow')

    await phonePage.getByRole('link', { name: 'Học thêm buổi tối' }).click()
    await phonePage.getByText('Bạn trả lời với tư cách người theo dõi UBND phường Ninh Kiều.').waitFor()
    await phonePage.getByLabel('1. Nên mở').check()
    await phonePage.getByRole('button', { name: 'Gửi câu trả lời' }).click()
    await phonePage.getByText('Đã ghi nhận câu trả lời của bạn: 1. Nên mở. Cảm ơn bạn!').waitFor()
    expect(await phonePage.getByText('Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.').count()).toBe(1)

    expect((await h.api('/polls/1/close', { body: {} })).status).toBe(200)
    await phonePage.reload()
    await phonePage.getByRole('heading', { name: 'Kết quả' }).waitFor()
    expect(await phonePage.locator('.results').textContent()).toContain('UBND phường Ninh Kiều (2 người trả lời)')
    await screenshot(phonePage, 'phone-poll-results')
    expect(phoneProblems).toEqual([])
  })
})

describe('a repeated poll', () => {
  it('is repeated from its page a month later, and the repeat charts the trend over both', async () => {
    h.setNow('2026-04-16T02:00:00Z')
    await signInWithToken(page, base, '/admin/polls/1')
    await page.getByRole('link', { name: 'Lặp lại thăm dò này (để theo dõi xu hướng)' }).click()
    await page.waitForURL(/\/admin\/polls\/new\?repeat=1/)
    expect(await page.getByLabel('Tiêu đề').inputValue()).toBe('Học thêm buổi tối')
    await page.locator('#closesDate').fill('20/04/2026')
    await page.locator('#closesTime').fill('17:00')
    await page.getByRole('button', { name: 'Tạo và gửi' }).click()
    await page.waitForURL(/\/admin\/polls\/2\?done=created/)
    await h.flush()
    await h.say.press(TG, 'pl:2:1')
    await h.say.zalo(PARENT_ZL, '1')

    await page.goto(`${base}/admin/polls/2`)
    await page.locator('canvas[data-chart="chart-poll-trend"][data-drawn="true"]').waitFor()
    expect(await page.getByRole('heading', { name: 'Xu hướng qua 2 lần thăm dò' }).isVisible()).toBe(true)
    const rows = await page.locator('tr[data-trend]').allTextContents()
    expect(rows).toHaveLength(2)
    expect(rows[1]).toContain('16/04/2026')
    await screenshot(page, 'console-poll-trend')
    expect(problems).toEqual([])
  })
})
