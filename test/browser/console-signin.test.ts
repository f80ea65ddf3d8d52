import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { lastCode } from '../helpers/console.js'
import { newContext, openBrowser, screenshot, watchConsole } from '../helpers/browser.js'

let h: Harness
let base: string
let browser: Browser
let ids: Awaited<ReturnType<typeof seedDirectory>>

/**
 * Signing in as a person: Lan (a viewer, Telegram chat 101) and Phúc (an admin, Telegram 103)
 * type their phone or name, read the code the bot sent to their chat (the fake Telegram API's
 * recorded calls), and type it.
 */
beforeAll(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.phuc, 'telegram', '103')
  await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: '0912345678' } })
  await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'viewer' } })
  await h.api(`/people/${ids.phuc}/console-role`, { method: 'PUT', body: { role: 'admin' } })
  await h.flush()
  // Sign-in codes go to chats linked more than a day ago.
  h.setNow(new Date(h.now().getTime() + 86_400_000 + 60_000))
  base = await h.listen()
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

async function askCode(page: Page, who: string) {
  await page.getByLabel('Số điện thoại hoặc họ tên').fill(who)
  await page.getByRole('button', { name: 'Nhận mã qua chat' }).click()
  await page.waitForURL(/\/admin\/login\/code/)
}

describe('console sign-in with a code sent to the linked chat', () => {
  it('sends the code through the bot, and typing it signs a viewer in', async () => {
    const context = await newContext(browser, 'phone')
    const page = await context.newPage()
    const problems = watchConsole(page)
    await page.goto(`${base}/admin`)
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    await screenshot(page, 'console-login')
    await askCode(page, '0912 345 678')
    expect(await page.getByRole('status').textContent()).toContain('bot Loa đã gửi mã đăng nhập tới chat Telegram hoặc Zalo đã liên kết')
    const message = h.lastText(h.telegram, '101')
    expect(message).toMatch(/^Mã đăng nhập bảng điều khiển Loa của bạn: \d{4} \d{4}\n/)
    await screenshot(page, 'console-login-code')
    await page.getByLabel('Mã đăng nhập (8 chữ số)').fill(lastCode(h, '101'))
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${base}/admin`)
    expect(await page.getByText('Đang đăng nhập: Nguyễn Thị Lan (chỉ xem)').count()).toBe(1)
    expect(problems, problems.join('\n')).toEqual([])
    await context.close()
  })

  it('locks the code after five wrong tries', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${base}/admin/login`)
    await askCode(page, 'Nguyễn Thị Lan')
    const right = lastCode(h, '101')
    const wrong = right === '12345678' ? '87654321' : '12345678'
    for (const left of [4, 3, 2, 1]) {
      await page.getByLabel('Mã đăng nhập (8 chữ số)').fill(wrong)
      await page.getByRole('button', { name: 'Đăng nhập' }).click()
      expect(await page.getByRole('alert').textContent()).toBe(`Mã không đúng. Bạn còn ${left} lần thử.`)
    }
    await page.getByLabel('Mã đăng nhập (8 chữ số)').fill(wrong)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    expect(await page.getByRole('alert').textContent()).toBe('Bạn đã nhập sai 5 lần nên mã này đã bị khoá. Vui lòng yêu cầu mã mới.')
    // No field to try again; the right code does not help any more.
    expect(await page.getByLabel('Mã đăng nhập (8 chữ số)').count()).toBe(0)
    const replay = await page.request.post(`${base}/admin/login/verify`, {
      headers: { origin: base },
      form: { code: right, _csrf: (await csrfOf(page)) ?? '' },
      maxRedirects: 0,
    })
    expect(replay.status()).toBe(401)
    await page.getByRole('link', { name: 'Yêu cầu mã mới' }).click()
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    await context.close()
  })

  it('shows a viewer the pages but refuses what changes anything, in the console and through an API token', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const problems = watchConsole(page)
    await page.goto(`${base}/admin/login`)
    await askCode(page, '0912345678')
    await page.getByLabel('Mã đăng nhập (8 chữ số)').fill(lastCode(h, '101'))
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${base}/admin`)

    await page.getByRole('navigation').getByRole('link', { name: 'Tài khoản' }).click()
    expect(await page.locator('h1').textContent()).toBe('Tài khoản')
    // No grant form, no role buttons, no audit log in the menu: a viewer only looks.
    expect(await page.getByRole('button', { name: 'Cấp' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Đổi vai trò' }).count()).toBe(0)
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký' }).count()).toBe(1)
    await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký' }).click()
    expect(await page.getByRole('alert').textContent()).toBe('Tài khoản của bạn (chỉ xem) không được làm việc này.')
    problems.length = 0 // the browser logs the 403 it was shown

    // A forged form post (with this browser's own form token) to grant herself admin: 403.
    const forged = await page.request.post(`${base}/admin/accounts/${ids.lan}/role`, {
      headers: { origin: base },
      form: { role: 'admin', _csrf: (await csrfOf(page)) ?? '' },
    })
    expect(forged.status()).toBe(403)
    expect(await forged.text()).toContain('không được làm việc này')

    // Her own API token, minted on the page: reads work, sending a broadcast is refused.
    await page.goto(`${base}/admin/accounts`)
    await page.getByLabel('Tên gợi nhớ (ví dụ: "Báo cáo tự động")').fill('Bảng tính')
    await page.getByRole('button', { name: 'Tạo mã API' }).click()
    const token = (await page.locator('[data-token]').textContent())!.trim()
    expect(token).toMatch(/^loa_/)
    await screenshot(page, 'console-accounts-viewer')
    const read = await fetch(`${base}/api/units`, { headers: { authorization: `Bearer ${token}` } })
    expect(read.status).toBe(200)
    const send = await fetch(`${base}/api/broadcasts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Thử', body: 'Thử' }),
    })
    expect(send.status).toBe(403)
    expect(((await send.json()) as any).error.message).toBe('Tài khoản này có vai trò chỉ xem; việc này cần vai trò biên tập trở lên.')
    expect(problems, problems.join('\n')).toEqual([])
    await context.close()
  })

  it('lets an admin grant an account on the page and read the audit log', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const problems = watchConsole(page)
    // A visitor to a console page signs in and comes back to it.
    await page.goto(`${base}/admin/accounts`)
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    await askCode(page, 'Lê Hoàng Phúc')
    await page.getByLabel('Mã đăng nhập (8 chữ số)').fill(lastCode(h, '103'))
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${base}/admin/accounts`)

    await page.getByLabel('Tìm cán bộ theo họ tên hoặc số hiệu').fill('Minh')
    await page.getByRole('button', { name: 'Tìm' }).click()
    const row = page.locator(`tr[data-person="${ids.minh}"]`)
    await row.getByRole('combobox').selectOption('editor')
    await row.getByRole('button', { name: 'Cấp' }).click()
    expect(await page.getByRole('status').textContent()).toBe('Đã cấp vai trò biên tập cho Trần Văn Minh.')
    expect(await page.locator(`tr[data-account="${ids.minh}"]`).getByText('Chưa có chat nhận mã', { exact: false }).count()).toBe(1)
    await screenshot(page, 'console-accounts')

    await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký' }).click()
    expect(await page.locator('h1').textContent()).toBe('Nhật ký thao tác')
    expect(await page.getByText('POST /admin/accounts/:id/role').count()).toBeGreaterThan(0)
    await page.getByLabel('Tài khoản').selectOption({ label: 'Lê Hoàng Phúc' })
    await page.getByRole('button', { name: 'Lọc' }).click()
    const whos = await page.locator('tr[data-audit] td:nth-child(2)').allTextContents()
    expect(whos.length).toBeGreaterThan(0)
    expect(whos.every((w) => w.startsWith('Lê Hoàng Phúc'))).toBe(true)
    await screenshot(page, 'console-audit')
    expect(problems, problems.join('\n')).toEqual([])
    await context.close()
  })
})

/** This browser's form token (an HTTP-only cookie a page cannot read, but the test can). */
async function csrfOf(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === 'loa_csrf')?.value
}
