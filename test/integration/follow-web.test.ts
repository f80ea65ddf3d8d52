import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { pollAnswers, subscribers, webAttempts } from '#db/schema/index.js'
import { phone } from '../helpers/phone.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Subscribers on the web (issue 23): a phone follows its ward on /theo-doi with consent and becomes
 * a subscriber (a random token in its cookie, only its hash at rest); it answers its ward's polls on
 * their page (/t/<slug>), changes the answer, sees no figures before the close and the results per
 * option and ward after it; erasure on the page removes it. A chat subscriber's personal link in the
 * poll message answers on the same page, and their answer counts once with the chat's.
 */
let h: Harness
const PARENT_ZL = 'zl-parent-1'
const PARENT_TG = '8800000001'
const json = async (res: Response) => (await res.json()) as any

beforeEach(async () => {
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.vn' })
  await seedDirectory(h)
  expect((await h.api('/units', { body: [{ code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' }] })).status).toBe(200)
})
afterEach(() => h.close())

const wardPoll = {
  title: 'Giờ học buổi chiều',
  question: 'Phường nên đề nghị các trường bắt đầu buổi chiều lúc 14 giờ?',
  kind: 'single',
  options: ['Nên', 'Không nên'],
  closesAt: '2026-03-20T10:00:00Z',
  audience: { subscribers: { wardCodes: ['P-NINHKIEU'] } },
}

async function createPoll(body: Record<string, unknown> = wardPoll) {
  const res = await h.api('/polls', { body })
  expect(res.status).toBe(201)
  return json(res)
}

/** Posts a page's form once, without following the redirect, to read its Set-Cookie. */
async function postOnce(p: ReturnType<typeof phone>, pageHtml: string, action: string, fields: Record<string, string>) {
  const data = new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(pageHtml)![1]!, ...fields })
  const cookie = [...p.jar].map(([k, v]) => `${k}=${v}`).join('; ')
  return h.app.request(action, { method: 'POST', body: data.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', cookie } })
}

describe('/theo-doi', () => {
  it('refuses a form without consent, without CSRF, or with an unknown ward, and saves nothing', async () => {
    const p = phone(h)
    const page = await p.get('/theo-doi')
    expect(page.status).toBe(200)
    expect(page.html).toContain('<h1>Theo dõi tin của phường/xã</h1>')
    expect(page.html).toContain('UBND phường Ninh Kiều')
    expect(page.html).toContain('dữ liệu được xoá sau')
    expect(page.res.headers.get('content-security-policy')).toContain("default-src 'self'")

    const noConsent = await p.submit(page.html, '/theo-doi', { ward: 'P-NINHKIEU' })
    expect(noConsent.status).toBe(400)
    expect(noConsent.html).toContain('Hãy đánh dấu ô đồng ý để Sở lưu dữ liệu')
    const unknown = await p.submit(page.html, '/theo-doi', { ward: 'P-HAIPHONG', consent: 'on' })
    expect(unknown.status).toBe(422)
    expect(unknown.html).toContain('Không có phường/xã &quot;P-HAIPHONG&quot; trong danh sách')
    // A school is not a ward.
    expect((await p.submit(page.html, '/theo-doi', { ward: 'THCS-ANHOA', consent: 'on' })).status).toBe(422)
    const forged = await h.app.request('/theo-doi', {
      method: 'POST',
      body: new URLSearchParams({ ward: 'P-NINHKIEU', consent: 'on' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    })
    expect(forged.status).toBe(403)
    expect(await h.db.$count(subscribers)).toBe(0)
    expect(p.jar.has('loa_sub')).toBe(false)

    // An address that made its hour's share of new followers waits (a script cannot mint respondents).
    await h.db.insert(webAttempts).values({ key: 'follow:ip:203.0.113.50', windowStart: h.now(), failures: 100, lastFailureAt: h.now() })
    const crowded = phone(h, '203.0.113.50')
    const busy = await crowded.submit((await crowded.get('/theo-doi')).html, '/theo-doi', { ward: 'P-NINHKIEU', consent: 'on' })
    expect(busy.status).toBe(429)
    expect(busy.html).toContain('Có quá nhiều lượt theo dõi mới từ mạng này trong một giờ.')
    expect(await h.db.$count(subscribers)).toBe(0)
    // Erasing from a phone that follows nothing says so; the page reads in English on request.
    const none = await postOnce(p, page.html, '/theo-doi/xoa', {})
    expect((await p.get(none.headers.get('location')!)).html).toContain('Trình duyệt này chưa theo dõi phường/xã nào')
    expect((await p.get('/theo-doi?lang=en')).html).toContain('<h1>Follow your ward</h1>')
  })

  it('follows a ward, answers its poll on the web, changes it, sees the results only after the close, and erases', async () => {
    const p = phone(h)
    const page = await p.get('/theo-doi')
    const res = await postOnce(p, page.html, '/theo-doi', { ward: 'P-NINHKIEU', consent: 'on' })
    expect(res.status).toBe(303)
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('loa_sub='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/Secure/)
    expect(cookie).toMatch(/SameSite=Lax/)
    const token = /^loa_sub=([^;]+)/.exec(cookie)![1]!
    p.jar.set('loa_sub', token)
    const [row] = await h.db.select().from(subscribers)
    expect(row).toMatchObject({ channel: 'web', optedInAt: h.now() })
    // Consent recorded, the token itself kept nowhere: only its hash.
    expect(row!.chatId).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(row)).not.toContain(token)

    const followed = await p.get(res.headers.get('location')!)
    expect(followed.html).toContain('Đã theo dõi UBND phường Ninh Kiều.')
    expect(followed.html).toContain('Hiện chưa có cuộc thăm dò nào đang mở')
    // How to follow in chat: the bot's deep link, whose Start offers the wards as /dangky does.
    expect(followed.html).toContain('href="https://t.me/nq71_cantho_bot?start=dangky"')
    await h.say.telegram('8800000077', '/start dangky')
    expect(h.lastText(h.telegram, '8800000077')).toContain('Bạn ở phường/xã nào?')

    // A poll to the ward: not sent to the web subscriber (no chat), listed on their page.
    const poll = await createPoll()
    expect(poll.queued).toMatchObject({ subscribers: 0 })
    const list = await p.get('/theo-doi')
    const href = /<a href="(\/t\/[A-Z2-9]{6})">Giờ học buổi chiều<\/a>/.exec(list.html)?.[1]
    expect(href, list.html).toBeDefined()

    const open = await p.get(href!)
    expect(open.html).toContain('Bạn trả lời với tư cách người theo dõi UBND phường Ninh Kiều.')
    expect(open.html).toContain('Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.')
    const first = await p.submit(open.html, `${href}/answer`, { choice: '0' })
    expect(first.html).toContain('Đã ghi nhận câu trả lời của bạn: 1. Nên. Cảm ơn bạn!')
    const changed = await p.submit(first.html, `${href}/answer`, { choice: '1' })
    expect(changed.html).toContain('Đã đổi câu trả lời của bạn thành: 2. Không nên.')
    expect(changed.html).toContain('Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.')
    expect(changed.html).not.toContain('người đã trả lời')
    const answers = await h.db.select().from(pollAnswers)
    expect(answers).toMatchObject([{ subscriberId: row!.id, choice: 1, channel: 'web', audience: 'subscribers' }])
    // Reached on the page: the ward's response rate counts the web subscriber (no message was sent).
    const figures = await json(await h.api(`/polls/${poll.id}/results`))
    expect(figures.byAudience.subscribers).toMatchObject({ answered: 1, reached: 1, responseRate: 1 })
    expect(figures.byWard).toMatchObject([{ unitCode: 'P-NINHKIEU', answered: 1, invited: 1, reached: 1, responseRate: 1 }])

    expect((await h.api(`/polls/${poll.id}/close`, { body: {} })).status).toBe(200)
    const closed = await p.get(href!)
    expect(closed.html).toContain('Cuộc thăm dò đã đóng lúc')
    expect(closed.html).not.toContain('Kết quả sẽ được công bố')
    expect(closed.html).toContain('1 người đã trả lời.')
    expect(closed.html).toContain('1. Nên: 0 (0%)')
    expect(closed.html).toContain('2. Không nên: 1 (100%)')
    expect(closed.html).toContain('UBND phường Ninh Kiều (1 người trả lời)')
    // A late answer is refused and changes nothing.
    await p.submit(changed.html, `${href}/answer`, { choice: '0' })
    expect((await h.db.select().from(pollAnswers))[0]!.choice).toBe(1)

    // Erasure: the subscriber goes, their answer stays in the ward's figures without them.
    const mine = await p.get('/theo-doi')
    const erased = await p.submit(mine.html, '/theo-doi/xoa')
    expect(erased.html).toContain('Đã ngừng theo dõi và xoá dữ liệu của bạn.')
    expect(p.jar.has('loa_sub')).toBe(false)
    expect(await h.db.$count(subscribers, eq(subscribers.channel, 'web'))).toBe(0)
    expect(await h.db.select().from(pollAnswers)).toMatchObject([{ subscriberId: null, choice: 1 }])
    // The old cookie, replayed, is no one now.
    p.jar.set('loa_sub', token)
    const after = await p.get('/theo-doi')
    expect(after.html).toContain('Phụ huynh, người dân theo dõi phường/xã của mình')
    expect(after.html).not.toContain('Ngừng theo dõi và xoá dữ liệu</button>')
  })

  it('sends a visitor of a ward poll to /theo-doi first and back to the poll', async () => {
    await createPoll()
    const { ensurePublicLink } = await import('#src/domain/web/public-slugs.js')
    const path = `/t/${await ensurePublicLink(h.db, 'poll', 1, h.now())}`
    const p = phone(h)
    const sent = await p.get(path)
    expect(sent.url).toBe(`/theo-doi?next=${path}`)
    expect(sent.html).toContain('Bạn cần theo dõi phường/xã của mình trước khi trả lời cuộc thăm dò này.')
    // Following another ward: back on the poll, which is not theirs.
    const back = await p.submit(sent.html, '/theo-doi', { ward: 'P-CAIRANG', consent: 'on' })
    expect(back.url).toBe(path)
    expect(back.html).toContain('Cuộc thăm dò này không dành cho bạn.')
    expect(back.html).not.toContain(`action="${path}/answer"`)
  })
})

describe("a chat subscriber's personal link", () => {
  it('answers on the web, counted once with their chat answer', async () => {
    await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
    await h.say.telegram(PARENT_TG, '/dangky Ninh Kiều')
    const poll = await createPoll()
    expect(poll.queued).toMatchObject({ subscribers: 2 })
    await h.flush()
    const link = (text: string) => /Hoặc trả lời trên điện thoại: https:\/\/loa\.example\.vn(\/t\/[A-Z2-9]{6}\?p=s[^\s]+)/.exec(text)?.[1]
    const zlLink = link(h.lastText(h.zalo, PARENT_ZL))
    expect(zlLink, h.lastText(h.zalo, PARENT_ZL)).toBeDefined()
    expect(link(h.lastText(h.telegram, PARENT_TG))).toBeDefined()

    // Answered by number on Zalo, then changed on the page from the same message's link.
    await h.say.zalo(PARENT_ZL, '1')
    const p = phone(h)
    const page = await p.get(zlLink!)
    expect(page.html).toContain('Câu trả lời hiện tại của bạn: 1. Nên.')
    const path = zlLink!.split('?')[0]!
    const changed = await p.submit(page.html, `${path}/answer`, { choice: '1' })
    expect(changed.html).toContain('Đã đổi câu trả lời của bạn thành: 2. Không nên.')
    expect(changed.url).toContain('?p=s')
    expect(await h.db.$count(pollAnswers)).toBe(1)
    const r = await json(await h.api(`/polls/${poll.id}/results`))
    expect(r.byAudience.subscribers).toMatchObject({ answered: 1, counts: [0, 1] })
    expect(p.jar.has('loa_sub')).toBe(false)

    // A link altered by hand names no one: the visitor is sent to /theo-doi.
    const forged = await phone(h).get(zlLink!.replace(/\?p=s\d+/, '?p=s999'))
    expect(forged.url).toBe(`/theo-doi?next=${path}`)
    // After /xoa the link no longer works.
    await h.say.zalo(PARENT_ZL, '/xoa')
    expect((await phone(h).get(zlLink!)).url).toBe(`/theo-doi?next=${path}`)
  })
})
