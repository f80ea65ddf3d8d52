import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startSession } from '#src/domain/console/signin-sessions.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

let h: Harness
let base: string
let browser: Browser
let ids: Awaited<ReturnType<typeof seedDirectory>>

/** Lan (THCS-ANHOA, Telegram 101), Minh (THCS-ANHOA, Zalo z102), Phúc (SGDDT, admin, never linked). Now: 09:00 16/03/2026 in Vietnam. */
beforeAll(async () => {
  h = await startHarness()
  base = await h.listen()
  browser = await openBrowser()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  await h.flush()
  h.telegram.reset()
  h.zalo.reset()
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

async function text(page: Page, selector: string) {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim()
}

describe('console: broadcasts, quizzes and sessions', () => {
  it('composes a broadcast to a unit with its count and preview, sends it, follows it to "sent", and reminds who has not read it', async () => {
    const page = await (await newContext(browser)).newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base, '/admin/broadcasts')
    expect(await text(page, 'h1')).toBe('Thông báo')
    await page.getByRole('link', { name: 'Soạn thông báo' }).click()

    // A date that does not exist is named in Vietnamese and nothing is sent.
    await page.getByLabel('Loại').selectOption('brief')
    await page.getByLabel('Tiêu đề').fill('Quán triệt Nghị quyết 71')
    await page.getByLabel('Nội dung', { exact: true }).fill('Kính gửi quý thầy cô: lịch quán triệt Nghị quyết 71-NQ/TW.')
    await page.getByLabel('Hẹn giờ gửi').check()
    await page.locator('#scheduledDate').fill('31/02/2026')
    await page.locator('#scheduledTime').fill('08:00')
    await page.getByRole('button', { name: 'Xem trước' }).click()
    expect(await text(page, '[role=alert]')).toContain('Giờ gửi: ngày "31/02/2026" không có thật')
    expect(((await (await h.api('/broadcasts')).json()) as { total: number }).total).toBe(0)
    problems.length = 0 // the browser logs the refused form's 400; what follows must be clean

    // The school only: two people, both linked; the preview as Zalo and Telegram show it.
    await page.getByLabel('Gửi ngay').check()
    await page.getByLabel('Đơn vị: gõ tên hoặc mã để tìm').fill('THCS-ANHOA')
    await page.getByRole('checkbox', { name: 'Trường THCS An Hòa (THCS-ANHOA)' }).check()
    await page.getByRole('button', { name: 'Xem trước' }).click()
    expect(await text(page, '#audience-count')).toBe(
      'Nhóm này có 2 người; 2 người nhận được (đã liên kết Zalo hoặc Telegram), 0 người chưa liên kết.',
    )
    expect(await text(page, '[data-preview=zalo] .bubble')).toContain('trả lời "đã đọc" (hoặc số 1)')
    expect(await page.locator('[data-preview=zalo] .chat-button').count()).toBe(0)
    expect(await text(page, '[data-preview=telegram] .chat-button')).toBe('Đã đọc')
    expect(await text(page, '[data-preview=telegram] .bubble')).toContain('📘 BẢN TIN NGHỊ QUYẾT 71')
    await screenshot(page, 'console-broadcast-compose')

    await page.getByRole('button', { name: 'Gửi tới 2 người' }).click()
    await page.waitForURL(/\/admin\/broadcasts\/\d+\?done=created$/)
    const id = Number(/broadcasts\/(\d+)/.exec(page.url())![1])
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('sending')
    // No meta refresh (axe: critical): /assets/live.js refreshes the figures in place every 5 seconds.
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0)
    expect(await page.locator('main').getAttribute('data-live-every')).toBe('5')
    expect(await text(page, '[data-count=queued]')).toBe('2')
    // The dispatcher sends; the page, refreshing its figures, shows it sent.
    await h.flush()
    await page.waitForSelector('[data-status=sent]', { timeout: 15_000 })
    expect(await text(page, '[data-count=sent]')).toBe('2')
    await page.locator('main:not([data-live-every])').waitFor({ timeout: 15_000 })
    expect(h.lastText(h.zalo, 'z102')).toContain('Quán triệt Nghị quyết 71')

    // Lan reads it; Minh does not: his name is shown under his unit, with a one-click reminder.
    await h.say.press(101, `ack:${id}`)
    await page.reload()
    const row = page.locator('tr[data-unit="THCS-ANHOA"]')
    expect((await row.textContent()) ?? '').toContain('Trần Văn Minh')
    expect((await row.textContent()) ?? '').not.toContain('Nguyễn Thị Lan')
    expect(await text(page, '[data-count=acknowledged]')).toBe('1')
    await screenshot(page, 'console-broadcast-results')
    h.zalo.reset()
    await row.getByRole('button', { name: /Nhắc 1 người/ }).click()
    expect(await text(page, '#flash')).toBe('Đã đưa 1 lời nhắc vào hàng gửi (1 người chưa đọc).')
    await h.flush()
    expect(h.lastText(h.zalo, 'z102')).toContain('Bạn chưa xác nhận đã đọc "Quán triệt Nghị quyết 71"')
    // Twice the same day: nothing more is queued, and the page says why.
    await page.locator('tr[data-unit="THCS-ANHOA"]').getByRole('button', { name: /Nhắc 1 người/ }).click()
    expect(await text(page, '#flash')).toContain('Hôm nay đã nhắc 1 người này rồi')
    expect(await text(page, 'tr[data-unit="THCS-ANHOA"]')).toContain('Đã nhắc 1 lần')

    await page.goto(`${base}/admin/broadcasts`)
    expect(await text(page, `tr[data-broadcast="${id}"]`)).toContain('Đã gửi')

    // Scheduled for tomorrow 08:00; a text edited after the preview is previewed again, not sent.
    await page.getByRole('link', { name: 'Soạn thông báo' }).click()
    await page.getByLabel('Tiêu đề').fill('Lịch tập huấn')
    await page.getByLabel('Nội dung', { exact: true }).fill('Tập huấn chiều thứ Sáu.')
    await page.getByLabel('Hẹn giờ gửi').check()
    await page.locator('#scheduledDate').fill('17/03/2026')
    await page.locator('#scheduledTime').fill('8:00')
    await page.getByRole('button', { name: 'Xem trước' }).click()
    await page.getByLabel('Nội dung', { exact: true }).fill('Tập huấn chiều thứ Bảy.')
    await page.getByRole('button', { name: /Hẹn gửi tới 2 người lúc 08:00 17\/03\/2026/ }).click()
    expect(await text(page, '[role=status].warn')).toContain('đã thay đổi sau lần xem trước')
    expect(await text(page, '[data-preview=telegram]')).toContain('thứ Bảy')
    await page.getByRole('button', { name: /Hẹn gửi tới 2 người/ }).click()
    await page.waitForURL(/\/admin\/broadcasts\/\d+\?done=created$/)
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('scheduled')
    expect(await text(page, '#audience')).toBe('toàn thành phố')
    expect(await text(page, 'main')).toContain('Thông báo sẽ được gửi lúc 08:00 17/03/2026.')
    // Cancelling asks first, saying what will be lost; "No" keeps it scheduled.
    await page.getByRole('button', { name: 'Huỷ thông báo' }).click()
    expect(await text(page, 'main')).toContain('Không thể hoàn tác.')
    await page.getByRole('link', { name: 'Không, giữ lại' }).click()
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('scheduled')
    await page.getByRole('button', { name: 'Huỷ thông báo' }).click()
    await page.getByRole('button', { name: 'Có, huỷ thông báo này' }).click()
    expect(await text(page, '#flash')).toContain('Đã huỷ')
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('cancelled')
    expect(await page.getByRole('button', { name: 'Huỷ thông báo' }).count()).toBe(0)
    expect(problems, problems.join('\n')).toEqual([])
    await page.context().close()
  }, 60_000)

  it('creates a quiz by clicking the correct answers, and the API has it with the right indexes', async () => {
    const page = await (await newContext(browser, 'phone')).newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base, '/admin/quizzes/new')
    await page.getByLabel('Tên bài kiểm tra').fill('Hiểu đúng Nghị quyết 71')
    await page.locator('#closesDate').fill('20/03/2026')
    await page.locator('#closesTime').fill('17:00')
    // Two questions: the default 80% would mean 2/2 and the form would ask to confirm it; 50% allows one mistake.
    await page.locator('#passMark').fill('50')
    await page.locator('[id="q0.text"]').fill('Nghị quyết 71-NQ/TW bàn về lĩnh vực nào?')
    await page.locator('[id="q0.o0"]').fill('Y tế')
    await page.locator('[id="q0.o1"]').fill('Giáo dục và đào tạo')
    await page.locator('[id="q0.o2"]').fill('Giao thông')
    await page.getByLabel('Đáp án đúng: B — Câu 1', { exact: true }).check()
    await page.locator('[id="q0.explanation"]').fill('Nghị quyết về đột phá phát triển giáo dục và đào tạo.')
    // Question 2 uses options A and C only (B left empty): C is kept as the second option.
    await page.locator('[id="q1.text"]').fill('Cán bộ, giáo viên nhận thông tin qua kênh nào?')
    await page.locator('[id="q1.o0"]').fill('Giấy mời')
    await page.locator('[id="q1.o2"]').fill('Zalo hoặc Telegram')
    await page.getByLabel('Đáp án đúng: C — Câu 2', { exact: true }).check()
    await screenshot(page, 'console-quiz-new')
    await page.getByRole('button', { name: 'Tạo bài kiểm tra' }).click()
    await page.waitForURL(/\/admin\/quizzes\/\d+\?/)
    expect(await text(page, '#flash')).toContain('Đã đưa 2 lời mời vào hàng gửi')
    expect(await text(page, 'tr[data-question="1"] li.correct')).toContain('Giáo dục và đào tạo')

    const quizzes = (await (await h.api('/quizzes')).json()) as { items: { title: string; questions: { options: string[]; correct: number; explanation?: string }[]; closesAt: string }[] }
    const quiz = quizzes.items.find((q) => q.title === 'Hiểu đúng Nghị quyết 71')!
    expect(quiz.closesAt).toBe('2026-03-20T10:00:00.000Z')
    expect(quiz.questions).toEqual([
      { text: 'Nghị quyết 71-NQ/TW bàn về lĩnh vực nào?', options: ['Y tế', 'Giáo dục và đào tạo', 'Giao thông'], correct: 1, explanation: 'Nghị quyết về đột phá phát triển giáo dục và đào tạo.' },
      { text: 'Cán bộ, giáo viên nhận thông tin qua kênh nào?', options: ['Giấy mời', 'Zalo hoặc Telegram'], correct: 1 },
    ])
    // Lan answers both right in chat; the results page counts her, by question and by unit.
    await h.flush()
    await h.say.telegram(101, '/kiemtra')
    await h.say.telegram(101, 'B')
    await h.say.telegram(101, 'B')
    await page.reload()
    expect(await text(page, '[data-count=completed]')).toBe('1')
    expect(await text(page, 'tr[data-question="1"] td.num:last-child')).toBe('100%')
    expect(await text(page, 'tr[data-unit="THCS-ANHOA"]')).toContain('1')
    await screenshot(page, 'console-quiz-results')

    // A question without a correct answer clicked is named, and nothing is created.
    await page.goto(`${base}/admin/quizzes/new`)
    await page.getByLabel('Tên bài kiểm tra').fill('Thiếu đáp án')
    await page.locator('#closesDate').fill('20/03/2026')
    await page.locator('#closesTime').fill('17:00')
    await page.locator('[id="q0.text"]').fill('Câu hỏi?')
    await page.locator('[id="q0.o0"]').fill('Có')
    await page.locator('[id="q0.o1"]').fill('Không')
    await page.getByRole('button', { name: 'Tạo bài kiểm tra' }).click()
    expect(await text(page, '[role=alert]')).toContain('Câu 1: hãy bấm chọn đáp án đúng.')
    expect(((await (await h.api('/quizzes')).json()) as { total: number }).total).toBe(1)
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)'])
    await page.context().close()
  })

  it('creates a check-in session and lists who checked in from chat', async () => {
    const page = await (await newContext(browser)).newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base, '/admin/sessions/new')
    await page.getByLabel('Tên buổi').fill('Hội nghị quán triệt Nghị quyết 71')
    await page.getByLabel('Mã điểm danh').fill('NQ71-1234')
    await page.locator('#opensDate').fill('16/03/2026')
    await page.locator('#opensTime').fill('08:00')
    await page.locator('#closesDate').fill('16/03/2026')
    await page.locator('#closesTime').fill('7:00')
    await page.getByRole('button', { name: 'Tạo buổi' }).click()
    expect(await text(page, '[role=alert]')).toContain('Giờ kết thúc phải sau giờ bắt đầu.')
    problems.length = 0 // the refused form's 400
    await page.locator('#closesTime').fill('17:00')
    await page.getByRole('button', { name: 'Tạo buổi' }).click()
    await page.waitForURL(/\/admin\/sessions\/\d+\?done=created$/)
    expect(await text(page, '#session-code')).toBe('NQ71-1234')
    // The session's public link and its QR code, for the projector: the link opens the check-in page.
    const link = await page.locator('.public-link a.public-url').getAttribute('href')
    expect(link).toMatch(/\/s\/[A-Z2-9]{6}$/)
    expect(await page.locator('.public-link figure.qr svg').count()).toBe(1)
    expect((await page.request.get(`${link}/qr.png`)).headers()['content-type']).toBe('image/png')

    await h.say.telegram(101, '/diemdanh NQ71-1234')
    await h.say.zalo('z102', 'diem danh nq71 1234')
    await page.reload()
    const rows = page.locator('tbody tr[data-person]')
    expect(await rows.count()).toBe(2)
    expect(await text(page, `tr[data-person="${ids.lan}"]`)).toMatch(/Nguyễn Thị Lan Trường THCS An Hòa \(THCS-ANHOA\) 09:00 16\/03\/2026 Telegram/)
    expect(await text(page, `tr[data-person="${ids.minh}"]`)).toContain('Zalo')
    await screenshot(page, 'console-session-attendance')
    await page.goto(`${base}/admin/sessions`)
    expect(await text(page, 'tbody tr')).toContain('NQ71-1234')
    expect(problems, problems.join('\n')).toEqual([])
    await page.context().close()
  })

  it('lets a viewer see lists and results but not send or create', async () => {
    // Phúc is given the viewer role (as an admin does on the accounts page); his session is started directly.
    expect((await h.api(`/people/${ids.phuc}/console-role`, { method: 'PUT', body: { role: 'viewer' } })).status).toBe(200)
    const { token } = await startSession(h.db, { personId: ids.phuc, role: 'viewer' }, h.now())
    const context = await newContext(browser)
    await context.addCookies([{ name: 'loa_console', value: token, url: `${base}/admin` }])
    const page = await context.newPage()
    await page.goto(`${base}/admin/broadcasts`)
    expect(await text(page, 'h1')).toBe('Thông báo')
    expect(await page.getByRole('link', { name: 'Soạn thông báo' }).count()).toBe(0)
    expect(await page.locator('tr[data-broadcast]').count()).toBe(2)
    await page.locator('tr[data-broadcast="1"] a').click()
    expect(await text(page, 'tr[data-unit="THCS-ANHOA"]')).toContain('Trần Văn Minh')
    expect(await page.getByRole('button', { name: /Nhắc/ }).count()).toBe(0)
    const refused = await page.goto(`${base}/admin/broadcasts/new`)
    expect(refused!.status()).toBe(403)
    expect(await text(page, '[role=alert]')).toContain('chỉ xem')
    await page.goto(`${base}/admin/quizzes`)
    expect(await page.getByRole('link', { name: 'Tạo bài kiểm tra' }).count()).toBe(0)
    await page.goto(`${base}/admin/sessions`)
    expect(await page.getByRole('link', { name: 'Tạo buổi điểm danh' }).count()).toBe(0)
    // A reminder posted anyway (with a valid form token) is refused and queues nothing.
    const csrf = (await context.cookies()).find((c) => c.name === 'loa_csrf')!.value
    const before = ((await (await h.api('/broadcasts/1')).json()) as { id: number }).id
    const posted = await page.request.post(`${base}/admin/broadcasts/${before}/remind`, { form: { _csrf: csrf }, headers: { origin: base }, maxRedirects: 0 })
    expect(posted.status()).toBe(403)
    expect(await posted.text()).toContain('Tài khoản của bạn (chỉ xem) không được làm việc này.')
    // English on request.
    await page.goto(`${base}/admin/broadcasts?lang=en`)
    expect(await text(page, 'h1')).toBe('Announcements')
    expect(await text(page, 'tr[data-broadcast="1"]')).toContain('Sent')
    await context.close()
  })
})
