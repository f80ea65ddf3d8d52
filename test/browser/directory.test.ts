import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { enroll, startHarness, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'
import { windows1258, workbook } from '../helpers/sheets.js'

let h: Harness
let base: string
let browser: Browser
let page: Page
let problems: string[]

beforeAll(async () => {
  h = await startHarness({ TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32), ZALO_BOT_LINK: 'https://zalo.me/s/loa-cantho-bot' })
  base = await h.listen()
  browser = await openBrowser()
  page = await (await newContext(browser)).newPage()
  problems = watchConsole(page)
  await signInWithToken(page, base, '/admin/directory/import')
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

const units = (lines: string[]) => ['Mã đơn vị;Tên đơn vị;Loại;Mã đơn vị cấp trên;Số cán bộ', ...lines].join('\r\n')
const goodUnits = [
  'SGDDT;Sở Giáo dục và Đào tạo;Sở;;120',
  'P-NINHKIEU;Phường Ninh Kiều;Phường;SGDDT;40',
  'TH-NK;Trường Tiểu học Ninh Kiều;Trường;P-NINHKIEU;35',
  'THCS-NK;Trường THCS Ninh Kiều;Trường;P-NINHKIEU;30',
]

async function check(name: string, mimeType: string, buffer: Buffer) {
  await page.getByLabel('Tệp Excel hoặc CSV').setInputFiles({ name, mimeType, buffer })
  await page.getByRole('button', { name: 'Kiểm tra' }).click()
  await page.waitForLoadState('domcontentloaded')
}

const problemRows = async () =>
  (await page.locator('table[data-problems] tbody tr').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())

describe('the directory in the console', () => {
  it('previews a semicolon Windows-1258 CSV naming its bad rows, writes nothing, then imports the fixed file on confirmation', async () => {
    await check('don-vi.csv', 'text/csv', windows1258(units([...goodUnits, 'THPT-X;Trường THPT Lỗi;bệnh viện;SGDDT;ba mươi', 'ORPHAN;Trường mồ côi;Trường;KHONG-CO;10'])))
    expect(await page.getByRole('alert').textContent()).toContain('2 dòng có lỗi')
    expect(await problemRows()).toEqual([
      expect.stringContaining('6Loạibệnh viện"bệnh viện" không phải loại đơn vị'),
      expect.stringContaining('6Số cán bộba mươi"ba mươi" không phải số người'),
      expect.stringContaining('7Mã đơn vị cấp trênKHONG-COkhông có đơn vị cấp trên mã KHONG-CO'),
    ])
    expect(await page.getByRole('button', { name: 'Ghi vào danh bạ' }).count()).toBe(0)
    await screenshot(page, 'console-directory-import-errors')
    expect((await (await h.api('/units')).json()).total).toBe(0)

    await check('don-vi.csv', 'text/csv', windows1258(units(goodUnits)))
    expect(await page.locator('[data-preview] [role=status]').textContent()).toBe('Sẽ ghi 4 đơn vị (4 mới, 0 cập nhật) và 0 cán bộ (0 mới, 0 cập nhật).')
    expect(await page.locator('table[data-preview-units] tbody tr').nth(2).textContent()).toContain('Trường Tiểu học Ninh Kiều')
    expect((await (await h.api('/units')).json()).total).toBe(0)
    await page.getByRole('button', { name: 'Ghi vào danh bạ' }).click()
    expect(await page.getByRole('status').first().textContent()).toBe('Đã ghi 4 đơn vị và 0 cán bộ từ don-vi.csv.')
    const stored = (await (await h.api('/units')).json()).items
    expect(stored.find((u: { code: string }) => u.code === 'TH-NK')).toMatchObject({ name: 'Trường Tiểu học Ninh Kiều', parentCode: 'P-NINHKIEU', staffCount: 35 })
  })

  it('previews an .xlsx workbook naming the sheet, row and column of each bad row', async () => {
    const sheet = (extra: unknown[][]) =>
      workbook({
        'Cán bộ': [
          ['Mã cán bộ', 'Họ và tên', 'Mã đơn vị', 'Vai trò', 'Số điện thoại'],
          ['GV01', 'Nguyễn Thị Ánh', 'TH-NK', 'giáo viên; đầu mối', 912345678],
          ['GV02', 'Trần Văn Bình', 'TH-NK', 'giáo viên', null],
          ['GV03', 'Lê Thị Cúc', 'THCS-NK', 'giáo viên', null],
          ['CB01', 'Võ Thị Hạnh', 'P-NINHKIEU', 'quản lý', null],
          ...extra,
        ],
      })
    await check('can-bo.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await sheet([['GV09', 'Phan Văn Lỗi', 'KHONG', 'giáo viên', null], ['GV10', 'Đỗ Thị Sai', 'TH-NK', 'đầu bếp', '123']]))
    expect(await page.getByRole('alert').textContent()).toContain('2 dòng có lỗi')
    expect(await problemRows()).toEqual([
      'Cán bộ6Mã đơn vịKHONGkhông có đơn vị nào mã hoặc tên "KHONG"',
      expect.stringContaining('Cán bộ7Vai tròđầu bếp"đầu bếp" không phải vai trò'),
      'Cán bộ7Số điện thoại123"123" không phải số điện thoại Việt Nam, ví dụ 0912345678',
    ])
    await screenshot(page, 'console-directory-import-xlsx')
    expect((await (await h.api('/people')).json()).total).toBe(0)
    await check('can-bo.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await sheet([]))
    await page.getByRole('button', { name: 'Ghi vào danh bạ' }).click()
    expect(await page.getByRole('status').first().textContent()).toBe('Đã ghi 0 đơn vị và 4 cán bộ từ can-bo.xlsx.')
    expect(problems).toEqual([])
  })

  it('finds people by name without diacritics and by ward with its schools, and lists who has not linked yet', async () => {
    const people = (await (await h.api('/people?q=anh')).json()).items
    await enroll(h, people.find((p: { fullName: string }) => p.fullName === 'Nguyễn Thị Ánh').id, 'telegram', '8801')

    await page.goto(`${base}/admin/directory`)
    await page.getByLabel('Tìm theo tên, mã cán bộ hoặc số điện thoại').fill('nguyen thi anh')
    await page.getByRole('button', { name: 'Lọc' }).click()
    expect(await page.locator('table[data-people] tbody th').allTextContents()).toEqual(['Nguyễn Thị Ánh'])

    await page.getByLabel('Tìm theo tên, mã cán bộ hoặc số điện thoại').fill('')
    await page.getByLabel('Đơn vị', { exact: true }).selectOption('P-NINHKIEU')
    await page.getByLabel('Liên kết').selectOption('false')
    await page.getByRole('button', { name: 'Lọc' }).click()
    expect((await page.locator('table[data-people] tbody th').allTextContents()).sort()).toEqual(['Lê Thị Cúc', 'Trần Văn Bình', 'Võ Thị Hạnh'])
    await page.getByLabel('Gồm cả các đơn vị cấp dưới').uncheck()
    await page.getByRole('button', { name: 'Lọc' }).click()
    expect(await page.locator('table[data-people] tbody th').allTextContents()).toEqual(['Võ Thị Hạnh'])
    await screenshot(page, 'console-directory-people')

    await page.goto(`${base}/admin/directory/linking`)
    expect(await page.locator('tr[data-unit="P-NINHKIEU"]').getAttribute('data-not-linked')).toBe('3')
    expect(await page.locator('tr[data-unit="TH-NK"]').getAttribute('data-not-linked')).toBe('1')
    expect(await page.getByRole('status').textContent()).toBe('Tổng: 4 cán bộ, 1 đã liên kết, 3 chưa liên kết.')
    expect(problems).toEqual([])
  })

  it('prints an invite sheet per unit with a Telegram and a Zalo QR code per person, and prints the same codes again', async () => {
    // The form starts on "choose a unit": one click never prints the whole city.
    await page.goto(`${base}/admin/directory/invites`)
    expect(await page.getByLabel('Đơn vị').inputValue()).toBe('')
    await page.goto(`${base}/admin/directory/invites?unit=P-NINHKIEU`)
    await page.getByRole('button', { name: 'Tạo phiếu' }).click()
    const cards = page.locator('article.invite')
    expect(await cards.count()).toBe(3)
    expect(await page.getByRole('status').textContent()).toBe('3 người; 0 mã còn hạn được in lại, 3 mã mới.')
    const binh = page.locator('article.invite', { hasText: 'Trần Văn Bình' })
    const code = (await binh.locator('[data-code]').textContent())!
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    expect(await binh.locator('figure.qr svg').count()).toBe(2)
    expect(await binh.getByRole('img', { name: 'Mã QR mở Zalo cho Trần Văn Bình' }).isVisible()).toBe(true)
    expect(await binh.textContent()).toContain(`https://t.me/nq71_cantho_bot?start=${code}`)
    expect(await binh.textContent()).toContain(`mở https://zalo.me/s/loa-cantho-bot (tài khoản «Bot NQ71 Can Tho»), bấm Nhắn tin, rồi gửi một tin nhắn chỉ gồm mã ${code}`)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('nav.menu').isVisible()).toBe(false)
    await screenshot(page, 'console-directory-invites')
    await page.emulateMedia({ media: 'screen' })

    await page.goto(`${base}/admin/directory/invites?unit=TH-NK`)
    await page.getByRole('button', { name: 'Tạo phiếu' }).click()
    expect(await page.locator('article.invite [data-code]').allTextContents()).toEqual([code])
    expect(await page.getByRole('status').textContent()).toBe('1 người; 1 mã còn hạn được in lại, 0 mã mới.')
    // The printed code links on Zalo.
    await h.say.zalo('z-binh', code)
    expect(h.texts(h.zalo, 'z-binh')[0]).toContain('Trần Văn Bình')
    expect(problems).toEqual([])
  })

  it("shows a person's linked chat on their page, unlinks it, and prints their personal code with both QR codes", async () => {
    await page.goto(`${base}/admin/directory?q=binh`)
    await page.locator('table[data-people] tbody tr').first().getByRole('link', { name: 'Sửa' }).click()
    const chats = page.locator('[data-person-chats]')
    expect(await chats.textContent()).toContain('Zalo (chat …inh)')
    await screenshot(page, 'console-person-chats')
    await chats.getByRole('button', { name: /^Gỡ liên kết Zalo/ }).click()
    expect(await page.getByRole('status').textContent()).toContain('Đã gỡ liên kết Zalo.')
    expect(await page.locator('[data-person-chats]').textContent()).toContain('chưa liên kết Telegram hay Zalo')
    await h.flush()
    expect(h.texts(h.zalo, 'z-binh').at(-1)).toContain('Quản trị viên đã huỷ liên kết')

    await page.getByRole('button', { name: 'Cấp mã riêng' }).click()
    const card = page.locator('article.invite')
    expect(await card.getByRole('img', { name: 'Mã QR mở Telegram cho Trần Văn Bình' }).isVisible()).toBe(true)
    expect(await card.getByRole('img', { name: 'Mã QR mở Zalo cho Trần Văn Bình' }).isVisible()).toBe(true)
    const code = (await card.locator('[data-code]').textContent())!
    await page.emulateMedia({ media: 'print' })
    await screenshot(page, 'console-person-code')
    await page.emulateMedia({ media: 'screen' })
    await h.say.zalo('z-binh-2', code)
    expect(h.texts(h.zalo, 'z-binh-2')[0]).toContain('Trần Văn Bình')
    expect(problems).toEqual([])
  })

  it('moves a person to another unit and refuses to remove a unit that still has people', async () => {
    await page.goto(`${base}/admin/directory?q=cuc`)
    await page.locator('table[data-people] tbody tr').first().getByRole('link', { name: 'Sửa' }).click()
    await page.getByLabel('Đơn vị', { exact: true }).selectOption('TH-NK')
    await page.getByRole('button', { name: 'Lưu' }).click()
    expect(await page.getByRole('status').textContent()).toBe('Đã lưu.')
    const cuc = (await (await h.api('/people?q=cuc')).json()).items[0]
    expect(cuc.unitCode).toBe('TH-NK')

    await page.goto(`${base}/admin/directory/units/TH-NK`)
    await page.getByRole('button', { name: 'Xoá đơn vị' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('Đơn vị TH-NK còn 3 cán bộ trong danh bạ')
    problems.length = 0 // the refused removal answers 409

    await page.goto(`${base}/admin/directory/units/THCS-NK`)
    await page.getByRole('button', { name: 'Xoá đơn vị' }).click()
    expect(await page.getByRole('status').textContent()).toBe('Đã xoá đơn vị THCS-NK.')
    expect((await (await h.api('/units')).json()).items.map((u: { code: string }) => u.code)).not.toContain('THCS-NK')
    expect(problems).toEqual([])
  })
  it('imports an office workbook as it is: title rows, unit names, roles in words, numeric phones, and a column chosen in the preview', async () => {
    const file = await workbook(
      {
        'DS cán bộ': [
          ['UBND THÀNH PHỐ CẦN THƠ'],
          ['SỞ GIÁO DỤC VÀ ĐÀO TẠO'],
          ['DANH SÁCH CÁN BỘ, GIÁO VIÊN ĐẦU MỐI TRUYỀN THÔNG'],
          [],
          ['STT', 'Họ và tên', 'Đơn vị', 'Chức vụ', 'ĐT liên hệ'],
          [1, 'Huỳnh Thị Mai', 'Trường Tiểu học Ninh Kiều', 'Giáo viên', 912000111],
          [2, 'Lâm Văn Phúc', 'Phuong Ninh Kieu', 'Phó hiệu trưởng, Đầu mối truyền thông', '+84 913 000 222'],
          [3, 'Tạ Thị Yến', 'Sở Giáo dục và Đào tạo', 'Cán bộ truyền thông', null],
        ],
      },
      { 'DS cán bộ': ['A1:E1', 'A2:E2', 'A3:E3'] },
    )
    await page.goto(`${base}/admin/directory/import`)
    await check('danh-sach.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', file)
    expect(await page.locator('[data-preview] [role=status]').textContent()).toBe('Sẽ ghi 0 đơn vị (0 mới, 0 cập nhật) và 3 cán bộ (3 mới, 0 cập nhật).')
    // "ĐT liên hệ" is no header the import knows: the preview asks what it holds.
    await page.getByLabel('Cột "ĐT liên hệ" (trang DS cán bộ)').selectOption({ label: 'Số điện thoại' })
    await page.getByRole('button', { name: 'Kiểm tra lại' }).click()
    await page.waitForLoadState('domcontentloaded')
    expect(await page.locator('table[data-preview-people] tbody tr').allTextContents()).toEqual([
      expect.stringContaining('Huỳnh Thị MaiTH-NKgiáo viên'),
      expect.stringContaining('Lâm Văn PhúcP-NINHKIEUcán bộ quản lý, đầu mối truyền thông'),
      expect.stringContaining('Tạ Thị YếnSGDDTcán bộ truyền thông'),
    ])
    await screenshot(page, 'console-directory-import-office')
    await page.getByRole('button', { name: 'Ghi vào danh bạ' }).click()
    expect(await page.getByRole('status').first().textContent()).toBe('Đã ghi 0 đơn vị và 3 cán bộ từ danh-sach.xlsx.')
    const phuc = (await (await h.api('/people?q=lam van phuc')).json()).items[0]
    expect((await (await h.api(`/people/${phuc.id}/export`)).json()).person.phone).toBe('0913000222')
    expect(problems).toEqual([])
  })
})
