import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ADMIN_TOKEN, startHarness, tgMessage, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, watchConsole } from '../helpers/browser.js'
import { workbook } from '../helpers/sheets.js'

/**
 * Issue 19's "Done when": from a fresh start with no messenger to a first brief, using only the
 * console. Nothing is configured but what `npm start` has (the admin token) and where the fake Bot
 * APIs listen; PUBLIC_URL, Telegram and the Zalo bot are set on /admin/channels.
 */
let h: Harness
let base: string
let browser: Browser
let page: Page
let problems: string[]

beforeAll(async () => {
  h = await startHarness({
    TELEGRAM_BOT_TOKEN: '',
    TELEGRAM_BOT_USERNAME: '',
    TELEGRAM_WEBHOOK_SECRET: '',
    ZALO_BOT_TOKEN: '',
    ZALO_WEBHOOK_SECRET: '',
    ZALO_OA_APP_ID: '',
    ZALO_OA_APP_SECRET: '',
    ZALO_OA_SECRET_KEY: '',
  })
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser)).newPage()
  problems = watchConsole(page)
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

const text = async (selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim()

/** The Department's office workbook: a units sheet and a people sheet under merged title rows, phones as numbers. */
const officeWorkbook = () =>
  workbook(
    {
      'Đơn vị': [
        ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Mã đơn vị cấp trên', 'Số cán bộ'],
        ['SGDDT', 'Sở Giáo dục và Đào tạo thành phố Cần Thơ', 'Sở', null, 80],
        ['THCS-ANHOA', 'Trường THCS An Hòa', 'Trường', 'SGDDT', 2],
        ['TH-NK', 'Trường Tiểu học Ninh Kiều', 'Trường', 'SGDDT', 1],
      ],
      'DS cán bộ': [
        ['UBND THÀNH PHỐ CẦN THƠ'],
        ['SỞ GIÁO DỤC VÀ ĐÀO TẠO'],
        ['DANH SÁCH CÁN BỘ, GIÁO VIÊN ĐẦU MỐI TRUYỀN THÔNG NĂM HỌC 2026-2027'],
        [],
        ['STT', 'Họ và tên', 'Đơn vị', 'Chức vụ', 'Số điện thoại'],
        [1, 'Nguyễn Thị Lan', 'Trường THCS An Hòa', 'Giáo viên', 912000111],
        [2, 'Trần Văn Minh', 'Trường THCS An Hòa', 'Hiệu trưởng, Đầu mối truyền thông', 913000222],
        [3, 'Lê Thị Hoa', 'Trường Tiểu học Ninh Kiều', 'Giáo viên', 914000333],
      ],
    },
    { 'DS cán bộ': ['A1:E1', 'A2:E2', 'A3:E3'] },
  )

describe('the first day: from a fresh start to a first brief, in the console only', () => {
  it('opens / on the sign-in page, signs in with the admin token, and the overview says no messenger is on', async () => {
    await page.goto(`${base}/`)
    await page.getByLabel('Mã quản trị', { exact: true }).fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${base}/admin`)
    expect(await text('main')).toContain('Chưa bật kênh nhắn tin nào')
    // The first day's checklist: four steps, none done yet.
    expect(await text('[data-first-steps] h2')).toBe('Bắt đầu với Loa')
    expect(await page.locator('[data-first-steps] li[data-done=no]').count()).toBe(4)
    await screenshot(page, 'first-day-overview')
    await page.getByRole('link', { name: 'Mở trang Kênh nhắn tin' }).first().click()
    await page.waitForURL(`${base}/admin/channels`)
    expect(await text('h1')).toBe('Kênh nhắn tin')
  })

  it('sets the public address, turns Telegram and the Zalo bot on with their tokens', async () => {
    await page.getByLabel('Địa chỉ https:// của máy chủ Loa').fill('https://loa.cantho.edu.vn')
    await page.getByRole('button', { name: 'Lưu địa chỉ' }).click()
    expect(await text('main')).toContain('Đã lưu địa chỉ công khai: https://loa.cantho.edu.vn.')

    await page.locator('section[data-channel=telegram]').getByLabel('Token của bot').fill('123456:FIRST-DAY-telegram')
    await page.locator('section[data-channel=telegram]').getByRole('button', { name: 'Bật kênh' }).click()
    expect(await text('main')).toContain('Đã bật Telegram: NQ71 Cần Thơ.')
    await page.locator('section[data-channel=zalo]').getByLabel('Token của bot').fill('987654:first-day-zalo')
    // getMe gives no link for a Zalo bot: the one Zalo shows is entered with the token, for the invite cards' QR code.
    await page.getByLabel('Đường dẫn tới bot trên Zalo (không bắt buộc)').fill('https://zalo.me/s/loa-cantho-bot')
    await page.locator('section[data-channel=zalo]').getByRole('button', { name: 'Bật kênh' }).click()
    expect(await text('main')).toContain('Đã bật Zalo')
    expect(await text('section[data-channel=telegram]')).toContain('https://t.me/nq71_cantho_bot')
    // Both webhooks are registered at the public address, each with a generated secret.
    const hook = h.telegram.calls.filter((c) => c.method === 'setWebhook').at(-1)!
    expect(hook.params.url).toBe('https://loa.cantho.edu.vn/webhook/telegram')
    expect(h.zalo.calls.filter((c) => c.method === 'setWebhook').at(-1)!.params.url).toBe('https://loa.cantho.edu.vn/webhook/zalo')
    await screenshot(page, 'first-day-channels')
  })

  it('imports the office workbook: a preview that writes nothing, then confirmed', async () => {
    await page.goto(`${base}/admin/directory/import`)
    await page.getByLabel('Tệp Excel hoặc CSV').setInputFiles({
      name: 'danh-sach-dau-moi.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await officeWorkbook(),
    })
    await page.getByRole('button', { name: 'Kiểm tra' }).click()
    expect(await text('[data-preview] [role=status]')).toBe('Sẽ ghi 3 đơn vị (3 mới, 0 cập nhật) và 3 cán bộ (3 mới, 0 cập nhật).')
    expect(await text('table[data-preview-units]')).toContain('Trường THCS An Hòa')
    expect((await (await h.api('/people')).json()).total).toBe(0)
    await screenshot(page, 'first-day-import-preview')
    await page.getByRole('button', { name: 'Ghi vào danh bạ' }).click()
    expect(await page.getByRole('status').first().textContent()).toBe('Đã ghi 3 đơn vị và 3 cán bộ từ danh-sach-dau-moi.xlsx.')
  })

  it("prints the school's invite sheet with a Telegram and a Zalo QR code per card, and a teacher links with the printed code", async () => {
    await page.goto(`${base}/admin/directory/invites?unit=THCS-ANHOA`)
    await page.getByRole('button', { name: 'Tạo phiếu' }).click()
    const cards = page.locator('article.invite')
    await cards.first().waitFor()
    expect(await cards.count()).toBe(2)
    for (const card of await cards.all()) {
      expect(await card.locator('figure.qr[data-qr=telegram] svg').count()).toBe(1)
      expect(await card.locator('figure.qr[data-qr=zalo] svg').count()).toBe(1)
    }
    const lan = page.locator('article.invite', { hasText: 'Nguyễn Thị Lan' })
    expect(await lan.getByRole('img', { name: 'Mã QR mở Telegram cho Nguyễn Thị Lan' }).isVisible()).toBe(true)
    expect(await lan.getByRole('img', { name: 'Mã QR mở Zalo cho Nguyễn Thị Lan' }).isVisible()).toBe(true)
    const code = (await lan.locator('[data-code]').textContent())!
    expect(await lan.textContent()).toContain(`https://t.me/nq71_cantho_bot?start=${code}`)
    expect(await lan.textContent()).toContain('https://zalo.me/s/loa-cantho-bot')

    // Lan scans the Telegram QR: Telegram posts "/start <code>" with the secret registered from the console.
    const secret = h.telegram.calls.filter((c) => c.method === 'setWebhook').at(-1)!.params.secret_token as string
    const res = await h.postWebhook('telegram', tgMessage(7001, `/start ${code}`), secret)
    expect(res.status).toBe(200)
    expect(h.texts(h.telegram, '7001')[0]).toContain('Nguyễn Thị Lan')
  })

  it('composes a brief to the school, previews it, sends it, and the broadcast page shows it sent', async () => {
    await page.goto(`${base}/admin/broadcasts/new`)
    expect(await text('main')).not.toContain('Chưa bật kênh nhắn tin nào')
    await page.getByLabel('Loại').selectOption('brief')
    await page.getByLabel('Tiêu đề').fill('Bản tin đầu tiên')
    await page.getByLabel('Nội dung', { exact: true }).fill('Kính gửi quý thầy cô: Loa đã sẵn sàng gửi bản tin Nghị quyết 71.')
    await page.getByLabel('Gửi ngay').check()
    await page.getByLabel('Đơn vị: gõ tên hoặc mã để tìm').fill('THCS-ANHOA')
    await page.getByRole('checkbox', { name: 'Trường THCS An Hòa (THCS-ANHOA)' }).check()
    await page.getByRole('button', { name: 'Xem trước' }).click()
    expect(await text('#audience-count')).toBe('Nhóm này có 2 người; 1 người nhận được (đã liên kết Zalo hoặc Telegram), 1 người chưa liên kết.')
    await page.getByRole('button', { name: 'Gửi tới 1 người' }).click()
    await page.waitForURL(/\/admin\/broadcasts\/\d+\?done=created$/)
    await h.flush()
    await page.waitForSelector('[data-status=sent]', { timeout: 15_000 })
    expect(await text('[data-count=sent]')).toBe('1')
    await page.locator('main:not([data-live-every])').waitFor({ timeout: 15_000 })
    expect(h.lastText(h.telegram, '7001')).toContain('Bản tin đầu tiên')
    expect(h.telegram.sentTo('7001').at(-1)?.token).toBe('123456:FIRST-DAY-telegram')
    await screenshot(page, 'first-day-brief-sent')
    // All four steps done: the overview's checklist is gone.
    await page.goto(`${base}/admin`)
    expect(await page.locator('[data-first-steps]').count()).toBe(0)
    expect(await text('main')).not.toContain('Chưa bật kênh nhắn tin nào')
    expect(problems, problems.join('\n')).toEqual([])
  })
})
