import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newContext, openBrowser, screenshot, watchConsole } from '../helpers/browser.js'
import { inviteCode, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * The phone pages in headless Chromium with a phone's viewport, against the real app on a real
 * port: open a brief link, identify with a code, acknowledge, then a second link in one tap; QR
 * check-in inside and outside the window; a quiz to its score. Screenshots go to docs/screenshots/.
 * No page may log an error or have a script or style refused by the CSP.
 */
let h: Harness
let ids: { lan: number; minh: number; phuc: number }
let browser: Browser
let base: string

beforeAll(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: '6200000001', zalo: 'zl-minh-02' }))
  base = await h.listen()
  browser = await openBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

/** Errors logged by every phone page opened so far (a CSP refusal among them). */
const seen: string[][] = []
async function phonePage(): Promise<Page> {
  const page = await (await newContext(browser, 'phone')).newPage()
  seen.push(watchConsole(page))
  return page
}
const local = (url: string) => `${base}${new URL(url).pathname}`
const shot = (page: Page, name: string) => screenshot(page, `phone-${name}`)
const clean = () => expect(seen.flat()).toEqual([])

async function brief(title: string) {
  const res = await h.api('/broadcasts', {
    body: {
      kind: 'brief',
      title,
      body: 'Sở GD&ĐT đề nghị các trường đẩy mạnh chuyển đổi số trong dạy và học.\n\nMỗi giáo viên đọc bản tin và bấm "Đã đọc".',
      link: 'https://sgddt.cantho.gov.vn/nq71',
      audience: { unitCodes: ['THCS-ANHOA'] },
    },
  })
  return (await res.json()) as { id: number; publicUrl: string }
}

describe('on a phone', () => {
  it('opens a brief, identifies with the code, acknowledges, then acknowledges a second brief in one tap', async () => {
    const b1 = await brief('Bản tin Nghị quyết 71 số 5')
    const b2 = await brief('Bản tin Nghị quyết 71 số 6')
    const page = await phonePage()
    await page.goto(local(b1.publicUrl))
    await expect(page.getByRole('heading', { name: 'Bản tin Nghị quyết 71 số 5' }).isVisible()).resolves.toBe(true)
    await shot(page, 'brief')
    await page.getByLabel('Mã cá nhân').fill(await inviteCode(h, ids.lan))
    await page.getByRole('button', { name: 'Xác nhận' }).click()
    await page.getByRole('button', { name: 'Đã đọc' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('Bạn đã xác nhận đã đọc lúc')
    await shot(page, 'brief-acknowledged')
    await page.goto(local(b2.publicUrl))
    await page.getByRole('button', { name: 'Đã đọc' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('Bạn đã xác nhận đã đọc lúc')
    const detail = await (await h.api(`/broadcasts/${b2.id}`)).json()
    expect(detail.byChannel.acknowledged.web).toBe(1)
    clean()
  })

  it('on a 390×844 phone, shows the identify box on the first screen of a long brief, and a wrong code next to the field, focused', async () => {
    const long = Array.from({ length: 8 }, (_, i) => `Đoạn ${i + 1}: Sở GD&ĐT đề nghị các trường quán triệt Nghị quyết 71-NQ/TW tới từng cán bộ, giáo viên, và báo cáo kết quả.`).join('\n\n')
    const b = (await (await h.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin Nghị quyết 71 số 7', body: long, audience: { unitCodes: ['THCS-ANHOA'] } } })).json()) as { publicUrl: string }
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'vi-VN' })
    const page = await context.newPage()
    seen.push(watchConsole(page))
    await page.goto(local(b.publicUrl))
    const inView = async (selector: string) => {
      const box = (await page.locator(selector).boundingBox())!
      const scrollY = await page.evaluate(() => window.scrollY)
      return box.y >= 0 && box.y + box.height <= 844 && scrollY >= 0
    }
    expect(await inView('#code')).toBe(true)
    await page.getByLabel('Mã cá nhân').fill('AAAA-BBBB')
    await page.getByRole('button', { name: 'Xác nhận' }).click()
    await page.waitForURL(/e=invalid$/)
    expect(await inView('#code-error')).toBe(true)
    expect(await inView('#code')).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code')
    await expect(page.locator('#code-error').textContent()).resolves.toContain('Mã không đúng')
    await page.screenshot({ path: 'docs/screenshots/phone-brief-wrong-code.png' })
    await context.close()
    clean()
  })

  it('checks in by QR inside the window, and is refused outside it', async () => {
    const s = await (
      await h.api('/sessions', { body: { title: 'Quán triệt NQ71 tại THCS An Hòa', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } })
    ).json()
    const page = await phonePage()
    await page.goto(local(s.publicUrl))
    await page.getByLabel('Mã cá nhân').fill(await inviteCode(h, ids.minh))
    await page.getByRole('button', { name: 'Xác nhận' }).click()
    await page.getByRole('button', { name: 'Điểm danh' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã điểm danh: Quán triệt NQ71 tại THCS An Hòa')
    await shot(page, 'checkin')
    // Another person, after the window closed.
    h.setNow('2026-03-16T04:05:00Z')
    const late = await phonePage()
    await late.goto(local(s.publicUrl))
    await late.getByLabel('Mã cá nhân').fill(await inviteCode(h, ids.lan))
    await late.getByRole('button', { name: 'Xác nhận' }).click()
    await late.getByRole('button', { name: 'Điểm danh' }).click()
    await expect(late.getByRole('status').textContent()).resolves.toContain('đã hết giờ điểm danh lúc 11:00 16/03/2026')
    await shot(late, 'checkin-closed')
    h.setNow('2026-03-16T02:00:00Z')
    clean()
  })

  it('takes a quiz on the page and sees the score', async () => {
    const quiz = await (
      await h.api('/quizzes', {
        body: {
          title: 'Hiểu Nghị quyết 71',
          closesAt: '2026-03-20T00:00:00Z',
          audience: { unitCodes: ['THCS-ANHOA'] },
          questions: [
            { text: 'Nghị quyết 71 ban hành năm nào?', options: ['2024', '2025'], correct: 1, explanation: 'Ngày 22/8/2025.' },
            { text: 'Ai thực hiện Nghị quyết?', options: ['Toàn ngành giáo dục', 'Chỉ hiệu trưởng'], correct: 0 },
          ],
        },
      })
    ).json()
    const page = await phonePage()
    await page.goto(local(quiz.publicUrl))
    await page.getByLabel('Mã cá nhân').fill(await inviteCode(h, ids.lan))
    await page.getByRole('button', { name: 'Xác nhận' }).click()
    await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click()
    await page.getByLabel('B. 2025').check()
    await shot(page, 'quiz')
    await page.getByRole('button', { name: 'Trả lời' }).click()
    await expect(page.locator('.notice').first().textContent()).resolves.toContain('Chính xác')
    await page.getByLabel('A. Toàn ngành giáo dục').check()
    await page.getByRole('button', { name: 'Trả lời' }).click()
    await expect(page.locator('main').textContent()).resolves.toContain('đúng 2/2 câu (100%)')
    await shot(page, 'quiz-score')
    clean()
  })
})
