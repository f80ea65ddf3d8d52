import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

let h: Harness
let base: string
let browser: Browser
let page: Page
let problems: string[]
const TG = '7101'
const ZALO = 'zalo-minh-7102'

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZALO }))
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser)).newPage()
  problems = watchConsole(page)
  await signInWithToken(page, base, '/admin/periods')
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('report periods in the console', () => {
  it('opens a period from the form, names a bad date, and shows the status by unit with the missing first', async () => {
    await page.getByLabel('Tên kỳ').fill('Sơ kết 6 tháng đầu năm 2026')
    await page.getByLabel('Hạn nộp').fill('31/02/2026')
    await page.getByLabel('Trường học').check()
    await page.getByRole('button', { name: 'Tạo kỳ báo cáo' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('"31/02/2026" chưa đúng dạng dd/mm/yyyy')
    // What was typed is kept, so only the date needs fixing.
    expect(await page.getByLabel('Tên kỳ').inputValue()).toBe('Sơ kết 6 tháng đầu năm 2026')
    expect((await (await h.api('/report-periods')).json()).total).toBe(0)
    problems.length = 0 // the browser logs the refused form's 422

    await page.getByLabel('Hạn nộp').fill('20/03/2026')
    await page.getByRole('button', { name: 'Tạo kỳ báo cáo' }).click()
    await page.waitForURL(/\/admin\/periods\/\d+\?created=1/)
    expect(await page.getByRole('status').first().textContent()).toContain('1 đơn vị phải nộp')
    const row = page.locator('tr[data-unit="THCS-ANHOA"]')
    expect(await row.getAttribute('data-state')).toBe('missing')
    expect(await row.textContent()).toContain('Trần Văn Minh')
    const period = (await (await h.api('/report-periods')).json()).items[0]
    expect(period).toMatchObject({ name: 'Sơ kết 6 tháng đầu năm 2026', unitKinds: ['school'] })
    expect(problems).toEqual([])
  })

  it('previews who the reminder job would message on a day, without sending anything', async () => {
    const sentBefore = h.zalo.sentTo(ZALO).length
    // 17/03 is three days before the deadline: the focal point of the school that has not reported.
    await page.getByLabel('Ngày', { exact: true }).fill('17/03/2026')
    await page.getByRole('button', { name: 'Xem trước' }).click()
    const preview = page.locator('table[data-preview] tbody tr')
    expect(await preview.count()).toBe(1)
    expect(await preview.first().textContent()).toContain('Trần Văn Minh')
    expect(await preview.first().textContent()).toContain('Nhắc trước hạn')
    // A day with no stage of the schedule: nobody.
    await page.getByLabel('Ngày', { exact: true }).fill('18/03/2026')
    await page.getByRole('button', { name: 'Xem trước' }).click()
    expect(await page.getByText('Ngày 18/03/2026 không có ai được nhắc').count()).toBe(1)
    await h.flush()
    expect(h.zalo.sentTo(ZALO).length).toBe(sentBefore)
    await screenshot(page, 'console-period')
  })

  it('downloads the status as CSV and as an Excel workbook with the same rows', async () => {
    // The links are followed with the page's own session, as a click would (a headless download
    // event is not reliable enough to test with).
    const get = async (name: string) => {
      const href = await page.getByRole('link', { name }).getAttribute('href')
      const res = await page.request.get(`${base}${href}`)
      expect(res.status()).toBe(200)
      return res
    }
    const csv = await get('Tải CSV')
    expect(csv.headers()['content-disposition']).toMatch(/\.csv"$/)
    const text = (await csv.body()).toString('utf8')
    expect(text).toContain('THCS-ANHOA')
    expect(text).toContain('Chưa nộp')
    const xlsx = await get('Tải Excel (.xlsx)')
    expect(xlsx.headers()['content-disposition']).toMatch(/\.xlsx"$/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await xlsx.body()) as never)
    const sheet = book.worksheets[0]!
    expect(sheet.name).toBe('Sơ kết 6 tháng đầu năm 2026')
    expect(sheet.getRow(2).getCell(1).value).toBe('THCS-ANHOA')
    expect(sheet.getRow(2).getCell(3).value).toBe('Chưa nộp')
  })
})

describe('questions in the console', () => {
  it('answers a /hoidap question from the page, then corrects the answer, and the asker gets both', async () => {
    await h.say.telegram(TG, '/hoidap Khi nào có tài liệu tập huấn Nghị quyết 71?')
    await page.goto(`${base}/admin/questions`)
    const card = page.locator('article[data-question]')
    expect(await card.count()).toBe(1)
    expect(await card.textContent()).toContain('Nguyễn Thị Lan')
    await page.getByLabel('Câu trả lời').fill('Tài liệu sẽ gửi trước ngày 20/3.')
    await page.getByRole('button', { name: 'Gửi câu trả lời' }).click()
    expect(await page.getByRole('status').textContent()).toContain('Đã gửi câu trả lời')
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toContain('Tài liệu sẽ gửi trước ngày 20/3.')
    // Answered: it left the "waiting" list; the "answered" list offers the correction.
    expect(await page.locator('article[data-question]').count()).toBe(0)
    await page.getByRole('link', { name: 'Đã trả lời' }).click()
    await page.getByLabel('Câu trả lời').fill('Tài liệu sẽ gửi trước ngày 25/3.')
    await page.getByRole('button', { name: 'Sửa câu trả lời' }).click()
    expect(await page.getByRole('status').textContent()).toContain('bản sửa')
    await h.flush()
    expect(h.lastText(h.telegram, TG)).toContain('sửa lại câu trả lời')
    expect(h.lastText(h.telegram, TG)).toContain('25/3')
    const listed = await (await h.api('/questions?status=answered')).json()
    expect(listed.items[0].answer).toBe('Tài liệu sẽ gửi trước ngày 25/3.')
    expect(problems).toEqual([])
  })

  it('corrects through the API too, and refuses to correct an unanswered question', async () => {
    await h.say.telegram(TG, '/hoidap Câu hỏi thứ hai về lịch tập huấn?')
    const open = await (await h.api('/questions')).json()
    const id = open.items[0].id
    const refused = await h.api(`/questions/${id}/answer`, { method: 'PUT', body: { answer: 'x' } })
    expect(refused.status).toBe(409)
    expect((await refused.json()).error.message).toContain('chưa được trả lời')
  })
})
