import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attendance, quizAnswers, webOpens } from '#db/schema/index.js'
import { inviteCode, startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { phone } from '../helpers/phone.js'
import { bufferedOpens } from '#src/domain/web/opens.js'

let h: Harness
let ids: { lan: number; minh: number; phuc: number }
const TG = '6200000001'
const ZL = 'zl-minh-02'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

async function brief(body: Record<string, unknown> = {}) {
  const res = await h.api('/broadcasts', {
    body: {
      kind: 'brief',
      title: 'Bản tin Nghị quyết 71 số 5',
      body: 'Đẩy mạnh chuyển đổi số trong giáo dục.\n\nMỗi giáo viên đọc và xác nhận.',
      link: 'https://sgddt.cantho.gov.vn/nq71',
      audience: { unitCodes: ['THCS-ANHOA'] },
      ...body,
    },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; publicUrl: string; qrUrl: string }
}
const pathOf = (url: string) => new URL(url).pathname

describe('public links', () => {
  it('gives each broadcast, quiz and session a short link and QR codes that decode to it', async () => {
    const b = await brief()
    // Without PUBLIC_URL, on the address the request came to.
    expect(b.publicUrl).toMatch(/^http:\/\/localhost\/b\/[A-Z2-9]{6}$/)
    expect(b.qrUrl).toBe(`${b.publicUrl}/qr.png`)
    const png = await h.app.request(pathOf(b.qrUrl))
    expect(png.headers.get('content-type')).toBe('image/png')
    const bytes = new Uint8Array(await png.arrayBuffer())
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    const svg = await (await h.app.request(`${pathOf(b.publicUrl)}/qr.svg`)).text()
    expect(svg).toMatch(/^<svg[^>]*viewBox/)
    const q = await (await h.api('/quizzes', { body: { title: 'Hiểu NQ71', closesAt: '2026-03-20T00:00:00Z', questions: [{ text: 'Năm?', options: ['2024', '2025'], correct: 1 }] } })).json()
    expect(q.publicUrl).toMatch(/\/q\/[A-Z2-9]{6}$/)
    const s = await (await h.api('/sessions', { body: { title: 'Quán triệt', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } })).json()
    expect(s.publicUrl).toMatch(/\/s\/[A-Z2-9]{6}$/)
    const detail = await (await h.api(`/broadcasts/${b.id}`)).json()
    expect(detail.publicUrl).toBe(b.publicUrl)
  })

  it('shows a leaked group link only the public brief, small and readable, and records an anonymous open', async () => {
    const b = await brief()
    const stranger = phone(h)
    const page = await stranger.get(pathOf(b.publicUrl))
    expect(page.status).toBe(200)
    expect(page.html).toContain('Bản tin Nghị quyết 71 số 5')
    expect(page.html).toContain('<p>Mỗi giáo viên đọc và xác nhận.</p>')
    expect(page.html).toContain('Mã cá nhân')
    expect(page.html).not.toContain('Nguyễn Thị Lan')
    expect(page.html).not.toContain('Trần Văn Minh')
    expect(page.html).not.toContain('THCS-ANHOA')
    expect(page.html).not.toMatch(/<script/i)
    expect(new TextEncoder().encode(page.html).length).toBeLessThan(30_000)
    // The pages' one CSP (src/web/pages.ts): nothing inline, the brief's picture from https.
    const csp = page.res.headers.get('content-security-policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("img-src 'self' data: https:")
    expect(page.html).toContain('<link rel="stylesheet" href="/assets/loa.css"/>')
    expect(page.res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    const opens = await h.db.select().from(webOpens)
    expect(opens).toHaveLength(1)
    expect(opens[0]!.personId).toBeNull()
    // English on request.
    expect((await stranger.get(`${pathOf(b.publicUrl)}?lang=en`)).html).toContain('Personal code')
  })
})

describe('the brief page under a school group\'s load', () => {
  it('revalidates with an ETag (304, the open still counted), and shows a cancelled brief as gone at once despite the cache', async () => {
    const b = await brief()
    const p = phone(h)
    const first = await p.get(pathOf(b.publicUrl))
    const etag = first.res.headers.get('etag')!
    expect(etag).toMatch(/^".+"$/)
    expect(first.res.headers.get('cache-control')).toBe('private, no-cache')
    const again = await p.request(pathOf(b.publicUrl), { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.html).toBe('')
    // Another phone gets its own form token, so its own page and validator.
    const other = await phone(h).get(pathOf(b.publicUrl))
    expect(other.res.headers.get('etag')).not.toBe(etag)
    expect(other.html.replace(/value="[A-Za-z0-9]{32}"/g, '')).toBe(first.html.replace(/value="[A-Za-z0-9]{32}"/g, ''))
    expect(await h.db.select().from(webOpens)).toHaveLength(3)
    expect((await h.api(`/broadcasts/${b.id}/cancel`, { body: {} })).status).toBe(200)
    const gone = await p.get(pathOf(b.publicUrl))
    expect(gone.status).toBe(404)
    expect(gone.html).not.toContain('Đẩy mạnh chuyển đổi số')
  })

  it('writes opened events in batches on a long-lived server, all of them by the last flush', async () => {
    const b = await brief()
    const opens = bufferedOpens(h.db, (err) => {
      throw err
    }, 60_000)
    for (let i = 0; i < 1200; i++) opens.record('broadcast', b.id, i % 2 ? ids.lan : null, new Date('2026-03-16T02:00:00Z'))
    expect(await h.db.select().from(webOpens)).toHaveLength(0)
    await opens.stop()
    expect(await h.db.select().from(webOpens)).toHaveLength(1200)
    const detail = await (await h.api(`/broadcasts/${b.id}`)).json()
    expect(detail.byChannel).toMatchObject({ opened: 1200, openedByIdentified: 1 })
  })
})

describe('identification and acknowledgement on the page', () => {
  it('identifies once with the personal code, acknowledges for its owner only, and counts the web channel', async () => {
    const b = await brief()
    const code = await inviteCode(h, ids.lan)
    const p = phone(h)
    const first = await p.get(pathOf(b.publicUrl))
    const after = await p.submit(first.html, '/p/identify', { code: code.toLowerCase() })
    expect(after.html).toContain('Bạn: Nguyễn Thị Lan')
    const done = await p.submit(after.html, `${pathOf(b.publicUrl)}/ack`)
    expect(done.html).toContain('Bạn đã xác nhận đã đọc lúc 09:00 16/03/2026')
    const detail = await (await h.api(`/broadcasts/${b.id}`)).json()
    expect(detail.byChannel.acknowledged).toEqual({ telegram: 0, zalo: 0, zalo_oa: 0, web: 1 })
    expect(detail.acknowledged).toBe(1)
    expect(detail.byChannel.opened).toBe(3)
    // Per unit, the opens of people who identified: Lan's school, once however often she opened it.
    const perUnit = await (await h.api(`/broadcasts/${b.id}/units`)).json()
    expect(perUnit.items.find((u: { unitCode: string }) => u.unitCode === 'THCS-ANHOA')).toMatchObject({ opened: 1, acknowledged: 1 })
    // A second brief: one tap, no code.
    const b2 = await brief({ title: 'Bản tin số 6' })
    const second = await p.get(pathOf(b2.publicUrl))
    expect(second.html).not.toContain('Mã cá nhân')
    const done2 = await p.submit(second.html, `${pathOf(b2.publicUrl)}/ack`)
    expect(done2.html).toContain('Bạn đã xác nhận đã đọc')
    // Minh (not identified) is untouched; Lan acknowledged on the web, not in her chat.
    const d2 = await (await h.api(`/broadcasts/${b2.id}`)).json()
    expect(d2.acknowledged).toBe(1)
    // The code still links a chat: identifying did not spend it.
    await h.say.zalo('zl-lan-new', code)
    expect(h.texts(h.zalo, 'zl-lan-new').join('\n')).toContain('Xin chào Nguyễn Thị Lan')
    // Forget this device: the next page asks for the code again.
    const forgot = await p.submit(done2.html, '/p/forget')
    expect(forgot.html).toContain('Thiết bị này đã quên bạn')
    expect(forgot.html).toContain('Mã cá nhân')
  })

  it('refuses a brief to someone outside its audience, and forged or foreign cookies', async () => {
    const b = await brief()
    const p = phone(h)
    const page = await p.get(pathOf(b.publicUrl))
    const who = await p.submit(page.html, '/p/identify', { code: await inviteCode(h, ids.phuc) })
    const res = await p.submit(who.html, `${pathOf(b.publicUrl)}/ack`)
    expect(res.html).toContain('không gửi đến đơn vị hoặc vai trò của bạn')
    expect((await (await h.api(`/broadcasts/${b.id}`)).json()).acknowledged).toBe(0)
    // A made-up cookie naming Lan is not Lan.
    p.jar.set('loa_who', `${ids.lan}.1773626400.AAAAAAAAAAAAAAAAAAAAAA`)
    const forged = await p.get(pathOf(b.publicUrl))
    expect(forged.html).not.toContain('Nguyễn Thị Lan')
    expect(forged.html).toContain('Mã cá nhân')
  })

  it('rate limits wrong codes per device and per IP address, and a POST without the form token changes nothing', async () => {
    const b = await brief()
    const p = phone(h, '198.51.100.1')
    let page = await p.get(pathOf(b.publicUrl))
    for (let i = 0; i < 5; i++) page = await p.submit(page.html, '/p/identify', { code: 'ZZZZ-ZZZZ' })
    expect(page.html).toContain('Mã không đúng')
    const code = await inviteCode(h, ids.lan)
    page = await p.submit(page.html, '/p/identify', { code })
    expect(page.html).toContain('Nhập sai quá nhiều lần')
    expect(page.html).not.toContain('Bạn: Nguyễn Thị Lan')
    // New phones on one address: past 30 wrong codes the address waits a little, and the right
    // code is checked after the wait (phone-security.test.ts measures the waits).
    for (let n = 0; n < 6; n++) {
      const other = phone(h, '198.51.100.2')
      let pg = await other.get(pathOf(b.publicUrl))
      for (let i = 0; i < 5; i++) pg = await other.submit(pg.html, '/p/identify', { code: 'ZZZZ-ZZZZ' })
    }
    const fresh = phone(h, '198.51.100.2')
    const pg = await fresh.submit((await fresh.get(pathOf(b.publicUrl))).html, '/p/identify', { code })
    expect(pg.html).toContain('Có nhiều mã sai từ mạng này. Vui lòng chờ 1 giây')
    h.setNow('2026-03-16T02:00:01Z')
    expect((await fresh.submit(pg.html, '/p/identify', { code })).html).toContain('Bạn: Nguyễn Thị Lan')
    // Another address is not held up.
    const elsewhere = phone(h, '198.51.100.3')
    const ok = await elsewhere.submit((await elsewhere.get(pathOf(b.publicUrl))).html, '/p/identify', { code })
    expect(ok.html).toContain('Bạn: Nguyễn Thị Lan')
    // No CSRF token: nothing recorded.
    const res = await elsewhere.request(`${pathOf(b.publicUrl)}/ack`, {
      method: 'POST',
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.html).toContain('Biểu mẫu đã hết hạn')
    expect((await (await h.api(`/broadcasts/${b.id}`)).json()).acknowledged).toBe(0)
  })
})

describe('personal links in direct messages', () => {
  it('carries a signed link in the brief that acknowledges in one tap without a code, for that person only', async () => {
    await h.close()
    ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, { PUBLIC_URL: 'https://loa.example.vn' }))
    const b = await brief()
    expect(b.publicUrl).toMatch(/^https:\/\/loa\.example\.vn\/b\//)
    await h.flush()
    const text = h.lastText(h.telegram, TG)
    const m = /https:\/\/loa\.example\.vn(\/b\/[A-Z2-9]{6}\?p=[^\s]+)/.exec(text)
    expect(m, text).not.toBeNull()
    const p = phone(h)
    const page = await p.get(m![1]!)
    expect(page.html).toContain('Bạn: Nguyễn Thị Lan')
    const done = await p.submit(page.html, `${pathOf(b.publicUrl)}/ack`)
    expect(done.html).toContain('Bạn đã xác nhận đã đọc')
    expect(done.url).toContain('?p=')
    // The same token on another slug names nobody; a changed person id fails its signature.
    const tampered = m![1]!.replace(`p=${ids.lan}.`, `p=${ids.minh}.`)
    expect((await phone(h).get(tampered)).html).not.toContain('Trần Văn Minh')
    const opens = await h.db.select().from(webOpens)
    expect(opens.map((o) => o.personId)).toContain(ids.lan)
  })
})

describe('QR check-in', () => {
  it('checks in with one tap inside the window, once, and refuses outside it with the chat answers', async () => {
    const s = await (await h.api('/sessions', { body: { title: 'Quán triệt NQ71', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } })).json()
    const p = phone(h)
    const page = await p.get(pathOf(s.publicUrl))
    const who = await p.submit(page.html, '/p/identify', { code: await inviteCode(h, ids.lan) })
    const done = await p.submit(who.html, `${pathOf(s.publicUrl)}/checkin`)
    expect(done.html).toContain('Đã điểm danh: Quán triệt NQ71 (buổi quán triệt)')
    // Chat says "already" for the same person.
    await h.say.telegram(TG, `/diemdanh ${s.code}`)
    expect(h.lastText(h.telegram, TG)).toContain('Bạn đã điểm danh buổi "Quán triệt NQ71" lúc 09:00 16/03/2026 rồi')
    const rows = await h.db.select().from(attendance)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.channel).toBe('web')
    // Too late for Minh.
    h.setNow('2026-03-16T04:00:01Z')
    const q = phone(h)
    const pg = await q.submit((await q.get(pathOf(s.publicUrl))).html, '/p/identify', { code: await inviteCode(h, ids.minh) })
    const late = await q.submit(pg.html, `${pathOf(s.publicUrl)}/checkin`)
    expect(late.html).toContain('đã hết giờ điểm danh lúc 11:00 16/03/2026')
    expect(await h.db.select().from(attendance)).toHaveLength(1)
  })
})

describe('quiz on the page', () => {
  it('keeps answers given in chat, scores as in chat, and allows one attempt', async () => {
    const quiz = await (
      await h.api('/quizzes', {
        body: {
          title: 'Hiểu Nghị quyết 71',
          closesAt: '2026-03-20T00:00:00Z',
          passMark: 0.5,
          audience: { unitCodes: ['THCS-ANHOA'] },
          questions: [
            { text: 'Nghị quyết 71 ban hành năm nào?', options: ['2024', '2025'], correct: 1, explanation: 'Ngày 22/8/2025.' },
            { text: 'Ai thực hiện?', options: ['Toàn ngành', 'Chỉ hiệu trưởng'], correct: 0 },
          ],
        },
      })
    ).json()
    // First question answered in Telegram.
    await h.flush()
    await h.say.press(TG, `qz:${quiz.id}:start`)
    await h.say.press(TG, `qz:${quiz.id}:0:1`)
    const p = phone(h)
    const page = await p.submit((await p.get(pathOf(quiz.publicUrl))).html, '/p/identify', { code: await inviteCode(h, ids.lan) })
    expect(page.html).toContain('Câu 2/2')
    const fin = await p.submit(page.html, `${pathOf(quiz.publicUrl)}/answer`, { o: '1' })
    expect(fin.html).toContain('Chưa đúng. Đáp án đúng: A. Toàn ngành')
    expect(fin.html).toContain('đúng 1/2 câu (50%)')
    expect(fin.html).toContain('bạn đã đạt')
    // A second attempt changes nothing.
    await p.request(`${pathOf(quiz.publicUrl)}/answer`, { method: 'POST' })
    const again = await p.get(pathOf(quiz.publicUrl))
    expect(again.html).not.toContain('Câu 2/2')
    const answers = await h.db.select().from(quizAnswers)
    expect(answers.map((a) => a.channel).sort()).toEqual(['telegram', 'web'])
    const results = await (await h.api(`/quizzes/${quiz.id}/results`)).json()
    expect(results.passed).toBe(1)
  })
})
