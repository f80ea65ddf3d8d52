import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pollAnswers } from '#db/schema/index.js'
import { phone } from '../helpers/phone.js'
import { inviteCode, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * A poll's phone page (/t/<slug>, issue 23): staff get their personal link with the poll and answer
 * there without a code, or identify with their personal code; one answer per person, counted with
 * the chat's (an answer in chat shows on the page, a change on the page replaces it), refused after
 * the close and for someone the poll does not ask.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6100000001' // Lan, teacher, Telegram
const ZL = 'zl-minh-01' // Minh, teacher, Zalo
const json = async (res: Response) => (await res.json()) as any

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, { PUBLIC_URL: 'https://loa.example.vn' }))
})
afterEach(() => h.close())

const poll = {
  title: 'Học thêm buổi tối',
  question: 'Trường nên mở lớp ôn tập buổi tối cho học sinh lớp 9?',
  kind: 'single',
  options: ['Nên mở', 'Không cần'],
  closesAt: '2026-03-20T10:00:00Z',
  audience: { staff: { roles: ['teacher'] } },
}

describe("a poll's phone page", () => {
  it('takes the answer from the personal link, shows it, changes it, and counts it with the chat answers', async () => {
    expect((await h.api('/polls', { body: poll })).status).toBe(201)
    await h.flush()
    const text = h.lastText(h.telegram, TG)
    const m = /Hoặc trả lời trên điện thoại: https:\/\/loa\.example\.vn(\/t\/[A-Z2-9]{6})(\?p=[^\s]+)/.exec(text)
    expect(m, text).not.toBeNull()
    const [, path, query] = m!
    const p = phone(h)
    const page = await p.get(path! + query!)
    expect(page.status).toBe(200)
    expect(page.html).toContain('Bạn: Nguyễn Thị Lan')
    expect(page.html).toContain('1. Nên mở')

    const done = await p.submit(page.html, `${path}/answer`, { choice: '0' })
    expect(done.html).toContain('Đã ghi nhận câu trả lời của bạn: 1. Nên mở. Cảm ơn bạn!')
    expect(done.url).toContain('?p=')
    const changed = await p.submit(done.html, `${path}/answer`, { choice: '1' })
    expect(changed.html).toContain('Đã đổi câu trả lời của bạn thành: 2. Không cần.')
    // The figures stay hidden from respondents until the close.
    expect(changed.html).toContain('Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.')
    expect(changed.html).not.toContain('người đã trả lời')
    const bad = await p.submit(changed.html, `${path}/answer`, { choice: '7' })
    expect(bad.html).toContain('Hãy chọn một phương án')
    expect(await h.db.$count(pollAnswers)).toBe(1)

    // Counted with the chat: Minh answers on Zalo, then on the page with his personal code.
    await h.say.zalo(ZL, '1')
    const minh = phone(h, '203.0.113.9')
    const anon = await minh.get(path!)
    expect(anon.html).toContain('Trang này dành cho cán bộ, nhà giáo')
    const who = await minh.submit(anon.html, '/p/identify', { code: await inviteCode(h, ids.minh) })
    expect(who.html).toContain('Câu trả lời hiện tại của bạn: 1. Nên mở.')
    await minh.submit(who.html, `${path}/answer`, { choice: '1' })
    const r = await json(await h.api('/polls/1/results'))
    expect(r.total).toMatchObject({ answered: 2, reached: 2, counts: [0, 2] })
    const rows = await h.db.select().from(pollAnswers)
    expect(rows.map((a) => a.channel).sort()).toEqual(['web', 'web'])

    // After the close: no form, and a post is refused.
    expect((await h.api('/polls/1/close', { body: {} })).status).toBe(200)
    const closed = await p.get(path! + query!)
    expect(closed.html).toContain('Cuộc thăm dò đã đóng lúc')
    expect(closed.html).not.toContain(`action="${path}/answer"`)
    // …and the results, per option with count and share.
    expect(closed.html).toContain('2 người đã trả lời.')
    expect(closed.html).toContain('1. Nên mở: 0 (0%)')
    expect(closed.html).toContain('2. Không cần: 2 (100%)')
    expect(closed.html).not.toContain('Kết quả sẽ được công bố')
    expect(closed.html).not.toContain('Theo phường/xã')
    const late = await p.submit(page.html, `${path}/answer`, { choice: '0' })
    expect(late.html).toContain('Cuộc thăm dò đã đóng lúc')
    expect((await h.db.select().from(pollAnswers)).find((a) => a.personId === ids.lan)?.choice).toBe(1)
  })

  it('shows the results while open when the poll does not hide them', async () => {
    expect((await h.api('/polls', { body: { ...poll, resultsHidden: false } })).status).toBe(201)
    await h.flush()
    const [, path, query] = /https:\/\/loa\.example\.vn(\/t\/[A-Z2-9]{6})(\?p=[^\s]+)/.exec(h.lastText(h.telegram, TG))!
    const p = phone(h)
    const page = await p.get(path! + query!)
    const done = await p.submit(page.html, `${path}/answer`, { choice: '0' })
    expect(done.html).toContain('1 người đã trả lời.')
    expect(done.html).toContain('1. Nên mở: 1 (100%)')
    expect(done.html).not.toContain('Kết quả sẽ được công bố')
  })

  it('refuses a person the poll does not ask, and a slug that is not a poll', async () => {
    expect((await h.api('/polls', { body: { ...poll, audience: { staff: { roles: ['manager'] } } } })).status).toBe(201)
    const link = (await json(await h.api('/polls/1'))).id
    expect(link).toBe(1)
    // The poll reaches no teacher: Lan identifies with her code on its page and is told.
    const { ensurePublicLink } = await import('#src/domain/web/public-slugs.js')
    const slug = await ensurePublicLink(h.db, 'poll', 1, h.now())
    const p = phone(h)
    const page = await p.get(`/t/${slug}`)
    const who = await p.submit(page.html, '/p/identify', { code: await inviteCode(h, ids.lan) })
    expect(who.html).toContain('Cuộc thăm dò này không dành cho bạn.')
    // A post made anyway (the page offers no form) is refused the same way.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(who.html)![1]!
    const posted = await p.request(`/t/${slug}/answer`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, choice: '0' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(posted.html).toContain('Cuộc thăm dò này không dành cho bạn.')
    expect(await h.db.$count(pollAnswers)).toBe(0)
    expect((await phone(h).get('/t/ZZZZZZ')).status).toBe(404)
  })
})
