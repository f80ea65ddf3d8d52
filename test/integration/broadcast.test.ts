import { and, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { broadcastRecipients, deliveries } from '#db/schema/index.js'
import { createDispatcher } from '#src/delivery/dispatcher.js'
import { claimDue, enqueue } from '#src/delivery/queue.js'
import { renderers } from '#src/domain/renderers.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>> & { hoa: number; tuan: number; vy: number }

/**
 * The seeded tree (SGDDT → P-NINHKIEU → THCS-ANHOA) plus a second ward with a school, so that a
 * unit subtree can be told apart from the whole city.
 *   lan (teacher, THCS-ANHOA)   telegram 101
 *   minh (teacher, focal point, THCS-ANHOA)   zalo z102
 *   phuc (admin, manager, SGDDT, English)   telegram 103
 *   hoa (manager, P-NINHKIEU)   telegram 104 and zalo z104 (zalo linked last)
 *   tuan (teacher, TH-CAIRANG)   telegram 105
 *   vy (teacher, TH-CAIRANG)   never linked
 */
beforeEach(async () => {
  h = await startHarness()
  const base = await seedDirectory(h)
  await h.api('/units', {
    body: [
      { code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' },
      { code: 'TH-CAIRANG', name: 'Trường Tiểu học Cái Răng', kind: 'school', parentCode: 'P-CAIRANG' },
    ],
  })
  const res = await h.api('/people', {
    body: [
      { externalId: 'QL010', fullName: 'Võ Thị Hoa', unitCode: 'P-NINHKIEU', roles: ['manager'] },
      { externalId: 'GV020', fullName: 'Đặng Minh Tuấn', unitCode: 'TH-CAIRANG', roles: ['teacher'] },
      { externalId: 'GV021', fullName: 'Lý Tường Vy', unitCode: 'TH-CAIRANG', roles: ['teacher'] },
    ],
  })
  const people = ((await res.json()) as { people: { id: number; externalId: string }[] }).people
  const idOf = (ext: string) => people.find((p) => p.externalId === ext)!.id
  ids = { ...base, hoa: idOf('QL010'), tuan: idOf('GV020'), vy: idOf('GV021') }
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  await enroll(h, ids.phuc, 'telegram', '103')
  await enroll(h, ids.hoa, 'telegram', '104')
  h.setNow(new Date(h.now().getTime() + 60_000))
  await enroll(h, ids.hoa, 'zalo', 'z104')
  await enroll(h, ids.tuan, 'telegram', '105')
  // Hoa's Telegram chat hears that her Zalo chat was linked: sent now, so the tests start with an empty outbox.
  await h.flush()
  h.telegram.reset()
  h.zalo.reset()
})
afterEach(() => h.close())

const brief = (extra: Record<string, unknown> = {}) => ({
  kind: 'brief',
  title: 'Quán triệt Nghị quyết 71',
  body: 'Nghị quyết 71-NQ/TW về đột phá phát triển giáo dục và đào tạo.',
  ...extra,
})

async function post(body: unknown) {
  const res = await h.api('/broadcasts', { body })
  return { status: res.status, body: (await res.json()) as any }
}

/** Sends the platform accepted (the fakes also record refused calls, as `sendMessage!429` etc.). */
const delivered = () => [...h.telegram.sent(), ...h.zalo.sent()].filter((c) => !c.method.includes('!'))

/**
 * What went out as the broadcast itself, without the forward-ready copy and note a focal point
 * (Minh) also gets to relay it to the school's group (test/integration/relay.test.ts).
 */
const briefsDelivered = () =>
  delivered().filter((c) => !/Nguồn: Sở GD&ĐT|Source: Department|đầu mối truyền thông của|focal point of/.test(String(c.params.text ?? '')))

/** Chats that received at least one broadcast message, on both platforms. */
function reached(): string[] {
  const chats = delivered()
    .filter((c) => /NGHỊ QUYẾT 71|RESOLUTION 71|THÔNG BÁO|ANNOUNCEMENT/.test(String(c.params.text ?? c.params.caption ?? '')))
    .map((c) => String(c.params.chat_id))
  return [...new Set(chats)].sort()
}

describe('audience selection', () => {
  it('sends to a unit and everything below it, once per person, and counts who cannot be reached', async () => {
    const { status, body } = await post(brief({ audience: { unitCodes: ['P-NINHKIEU'] } }))
    expect(status).toBe(201)
    // Lan, Minh (school under the ward) and Hoa (the ward itself); Hoa only on the chat linked last.
    expect(body).toMatchObject({ people: 3, recipients: 3, unreachable: 0, status: 'sending' })
    await h.flush()
    expect(reached()).toEqual(['101', 'z102', 'z104'])
  })

  it('can leave the sub-units out', async () => {
    const { body } = await post(brief({ audience: { unitCodes: ['P-NINHKIEU'], includeSubunits: false } }))
    expect(body).toMatchObject({ people: 1, recipients: 1 })
    await h.flush()
    expect(reached()).toEqual(['z104'])
  })

  it('filters by role across the city and reports the unlinked', async () => {
    const { body } = await post(brief({ audience: { roles: ['teacher'] } }))
    // Lan, Minh, Tuấn are linked; Vy never linked an account.
    expect(body).toMatchObject({ people: 4, recipients: 3, unreachable: 1 })
    await h.flush()
    expect(reached()).toEqual(['101', '105', 'z102'])
  })

  it('filters by platform: a person linked on both gets it on the allowed one', async () => {
    const { body } = await post(brief({ audience: { platforms: ['telegram'] } }))
    // Minh is on Zalo only and Vy on nothing: both unreachable on Telegram.
    expect(body).toMatchObject({ people: 6, recipients: 4, unreachable: 2 })
    await h.flush()
    expect(reached()).toEqual(['101', '103', '104', '105'])
  })

  it('writes each recipient in their language, with the link and a "Đã đọc" button', async () => {
    await post(brief({ link: 'https://moet.gov.vn/nq71', audience: { unitCodes: ['SGDDT'], includeSubunits: false } }))
    await post(brief({ link: 'https://moet.gov.vn/nq71', audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    const [phuc] = h.telegram.sentTo('103')
    expect(phuc!.params.text).toContain('RESOLUTION 71 BRIEF')
    expect(phuc!.params.text).toContain('Read more: https://moet.gov.vn/nq71')
    expect(phuc!.params.reply_markup.inline_keyboard[0][0]).toMatchObject({ text: 'Read', callback_data: expect.stringMatching(/^ack:\d+$/) })
    const [lan] = h.telegram.sentTo('101')
    expect(lan!.params.text).toContain('BẢN TIN NGHỊ QUYẾT 71')
    expect(lan!.params.reply_markup.inline_keyboard[0][0].text).toBe('Đã đọc')
    // The brief comes first; Minh, the school's focal point, then gets its copy for the school group.
    const zalo = h.texts(h.zalo, 'z102')[0]!
    expect(zalo).toContain('Quán triệt Nghị quyết 71')
    // The instruction once (issue 13): no numbered "1. Đã đọc" under it.
    expect(zalo).not.toContain('1. Đã đọc')
    expect(zalo).toContain('trả lời "đã đọc" (hoặc số 1)')
  })

  it('sends the image and splits a long brief into several messages with the button on the last', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Đoạn ${i + 1}: ${'nội dung nghị quyết '.repeat(8)}`).join('\n\n')
    const { status } = await post(brief({ body: long, imageUrl: 'https://example.org/nq71.png', audience: { unitCodes: ['THCS-ANHOA'] } }))
    expect(status).toBe(201)
    await h.flush()
    const tg = h.telegram.sentTo('101')
    expect(tg[0]!.method).toBe('sendPhoto')
    const texts = tg.filter((c) => c.method === 'sendMessage')
    expect(texts.length).toBeGreaterThan(1)
    expect(texts.every((c) => String(c.params.text).length <= 4096)).toBe(true)
    expect(texts.at(-1)!.params.reply_markup).toBeDefined()
    expect(texts[0]!.params.reply_markup).toBeUndefined()
    const zaloParts = h.zalo.sentTo('z102').filter((c) => c.method === 'sendMessage')
    expect(zaloParts.every((c) => String(c.params.text).length <= 2000)).toBe(true)
    // The brief's parts (the Zalo instruction once, no numbered choice), then the focal point's copy
    // for the group (one message, cut short) and the note.
    expect(String(zaloParts.at(-3)!.params.text)).toContain('trả lời "đã đọc" (hoặc số 1)')
    expect(zaloParts.map((c) => String(c.params.text)).join('\n')).not.toContain('1. Đã đọc')
    const copy = String(zaloParts.at(-2)!.params.text)
    expect(copy).toContain('Đoạn 1:')
    expect(copy).not.toContain('Đoạn 60:')
    expect(copy).toMatch(/…\n\nNguồn: Sở GD&ĐT$/)
  })
})

describe('validation', () => {
  it('refuses an empty body with 400 and says which field', async () => {
    const { status, body } = await post(brief({ body: '   ' }))
    expect(status).toBe(400)
    expect(body.error.details).toEqual([{ path: 'body', message: 'nội dung đang để trống' }])
  })

  it('refuses an unknown unit with 422 naming it, and writes nothing', async () => {
    const { status, body } = await post(brief({ audience: { unitCodes: ['P-NINHKIEU', 'KHONG-CO'] } }))
    expect(status).toBe(422)
    expect(body.error.details).toEqual({ unknownUnitCodes: ['KHONG-CO'] })
    expect((await (await h.api('/broadcasts')).json()).total).toBe(0)
  })

  it('refuses a scheduledAt more than five minutes in the past, accepts one just past', async () => {
    const tenAgo = new Date(h.now().getTime() - 10 * 60_000).toISOString()
    expect((await post(brief({ scheduledAt: tenAgo }))).status).toBe(422)
    const oneAgo = new Date(h.now().getTime() - 60_000).toISOString()
    const ok = await post(brief({ scheduledAt: oneAgo }))
    expect(ok.status).toBe(201)
    expect(ok.body.status).toBe('sending')
  })

  it('refuses an unknown kind, a bad link and a body over the cap with 400', async () => {
    expect((await post(brief({ kind: 'memo' }))).status).toBe(400)
    expect((await post(brief({ link: 'javascript:alert(1)' }))).status).toBe(400)
    expect((await post(brief({ body: 'x'.repeat(12_001) }))).status).toBe(400)
  })

  it('answers 404 for an unknown broadcast', async () => {
    expect((await h.api('/broadcasts/999')).status).toBe(404)
  })
})

describe('scheduled broadcasts', () => {
  it('waits for its time, then goes out when the job runs (also after downtime), once', async () => {
    const at = new Date(h.now().getTime() + 3600_000)
    const { body } = await post(brief({ scheduledAt: at.toISOString(), audience: { unitCodes: ['THCS-ANHOA'] } }))
    expect(body).toMatchObject({ status: 'scheduled', recipients: 2, people: 2 })
    await h.api('/jobs/broadcasts/run', { body: {} })
    await h.flush()
    expect(reached()).toEqual([])

    // The server was down at the scheduled time and comes back two hours later.
    h.setNow(new Date(at.getTime() + 2 * 3600_000))
    const run = await (await h.api('/jobs/broadcasts/run', { body: {} })).json()
    expect(run).toMatchObject({ expanded: 1, recipients: 2 })
    await h.flush()
    expect(reached()).toEqual(['101', 'z102'])

    const again = await (await h.api('/jobs/broadcasts/run', { body: {} })).json()
    expect(again).toMatchObject({ expanded: 0 })
    await h.flush()
    expect(h.telegram.sentTo('101')).toHaveLength(1)
    expect((await (await h.api(`/broadcasts/${body.id}`)).json()).status).toBe('sent')
  })
})

describe('acknowledgement', () => {
  it('records the Telegram button once, with its time, and says so on a second press', async () => {
    const { body } = await post(brief({ audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    h.setNow('2026-03-16T03:30:00Z')
    await h.say.press(101, `ack:${body.id}`)
    expect(h.lastText(h.telegram, 101)).toBe('Cảm ơn bạn! Đã ghi nhận bạn đọc "Quán triệt Nghị quyết 71" lúc 10:30 16/03/2026.')
    h.setNow('2026-03-16T05:00:00Z')
    await h.say.press(101, `ack:${body.id}`)
    expect(h.lastText(h.telegram, 101)).toContain('đã xác nhận đọc "Quán triệt Nghị quyết 71" lúc 10:30 16/03/2026 rồi')
    const [row] = await h.db.select().from(broadcastRecipients).where(eq(broadcastRecipients.personId, ids.lan))
    expect(row!.ackedAt!.toISOString()).toBe('2026-03-16T03:30:00.000Z')
    const stats = await (await h.api(`/broadcasts/${body.id}`)).json()
    expect(stats).toMatchObject({ recipients: 2, sent: 2, acknowledged: 1 })
  })

  it('takes "đã đọc", "da doc", "ok" or "1" typed on Zalo for the latest unacknowledged brief', async () => {
    const first = (await post(brief({ title: 'Bản tin số 1', audience: { unitCodes: ['THCS-ANHOA'] } }))).body
    await h.flush()
    h.setNow(new Date(h.now().getTime() + 60_000))
    const second = (await post(brief({ title: 'Bản tin số 2', audience: { unitCodes: ['THCS-ANHOA'] } }))).body
    await h.flush()

    await h.say.zalo('z102', 'Đã đọc')
    expect(h.lastText(h.zalo, 'z102')).toContain('Đã ghi nhận bạn đọc "Bản tin số 2"')
    await h.say.zalo('z102', '1')
    expect(h.lastText(h.zalo, 'z102')).toContain('Đã ghi nhận bạn đọc "Bản tin số 1"')
    await h.say.zalo('z102', 'ok')
    expect(h.lastText(h.zalo, 'z102')).toContain('đã xác nhận đọc "Bản tin số 2"')

    const s1 = await (await h.api(`/broadcasts/${first.id}`)).json()
    const s2 = await (await h.api(`/broadcasts/${second.id}`)).json()
    expect([s1.acknowledged, s2.acknowledged]).toEqual([1, 1])
  })

  it('says there is nothing to acknowledge, and leaves an unrelated "ok" alone', async () => {
    await h.say.zalo('z102', 'da doc')
    expect(h.lastText(h.zalo, 'z102')).toBe('Hiện bạn không có bản tin nào cần xác nhận đã đọc.')
    await h.say.zalo('z102', 'ok')
    expect(h.lastText(h.zalo, 'z102')).toContain('Tôi chưa hiểu')
  })

  it('does not ask for acknowledgement when requireAck is false', async () => {
    await post(brief({ requireAck: false, audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    expect(h.telegram.sentTo('101')[0]!.params.reply_markup).toBeUndefined()
    expect(h.lastText(h.zalo, 'z102')).not.toContain('Đã đọc')
    await h.say.zalo('z102', 'đã đọc')
    expect(h.lastText(h.zalo, 'z102')).toContain('không có bản tin nào')
  })
})

describe('delivery problems', () => {
  it('waits out a 429, then delivers everything once', async () => {
    h.telegram.failWith('sendMessage', {
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
    })
    const { body } = await post(brief({ audience: { platforms: ['telegram'] } }))
    const first = await h.flush()
    expect(first.retried).toBe(1)
    expect(first.sent).toBe(3)
    let stats = await (await h.api(`/broadcasts/${body.id}`)).json()
    expect(stats).toMatchObject({ recipients: 4, sent: 3, queued: 1, status: 'sending' })
    h.setNow(new Date(h.now().getTime() + 1000))
    await h.flush()
    stats = await (await h.api(`/broadcasts/${body.id}`)).json()
    expect(stats).toMatchObject({ recipients: 4, sent: 4, queued: 0, status: 'sent' })
    const chats = delivered().map((c) => String(c.params.chat_id))
    expect(chats.sort()).toEqual(['101', '103', '104', '105'])
  })

  it('hands claimed rows back during a long 429 pause instead of holding them', async () => {
    h.telegram.failWith('sendMessage', {
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } },
    })
    const { body } = await post(brief({ audience: { platforms: ['telegram'] } }))
    const dispatcher = createDispatcher(h.deps, renderers, { perChatIntervalMs: 0, concurrency: 1, now: Date.now })
    await dispatcher.drain(10_000)
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.sourceId, body.id))
    expect(rows.filter((r) => r.status === 'sending')).toEqual([])
    expect(rows.filter((r) => r.status === 'queued').length).toBe(4)
    expect(rows.every((r) => r.nextAttemptAt.getTime() >= h.now().getTime() + 29_000)).toBe(true)

    h.setNow(new Date(h.now().getTime() + 30_000))
    await h.flush()
    const stats = await (await h.api(`/broadcasts/${body.id}`)).json()
    expect(stats).toMatchObject({ recipients: 4, sent: 4, status: 'sent' })
  })

  it('retries only the parts of a long message that the platform refused', async () => {
    const long = [1, 2, 3].map((n) => `Phần ${n}: ${'nội dung '.repeat(330)}`).join('\n\n')
    await enqueue(h.db, [{ source: 'message', sourceId: 0, channel: 'telegram', chatId: '101', payload: { text: long }, dedupeKey: 'long' }], h.now())
    // The platform takes one message, then answers 429 to the second part.
    h.telegram.setRate(1)
    expect(await h.flush()).toMatchObject({ sent: 0, retried: 1 })
    h.telegram.setRate(undefined)
    h.setNow(new Date(h.now().getTime() + 1000))
    expect(await h.flush()).toMatchObject({ sent: 1 })
    const accepted = delivered().filter((c) => String(c.params.chat_id) === '101')
    expect(accepted.map((c) => String(c.params.text).slice(0, 6))).toEqual(['Phần 1', 'Phần 2', 'Phần 3'])
  })

  it('keeps messages to one chat in the order they were queued', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({
      source: 'message',
      sourceId: 0,
      channel: 'telegram' as const,
      chatId: '101',
      payload: { text: `Câu ${i + 1}` },
      dedupeKey: `order:${i}`,
    }))
    await enqueue(h.db, rows, h.now())
    await h.flush()
    expect(h.texts(h.telegram, 101)).toEqual(['Câu 1', 'Câu 2', 'Câu 3', 'Câu 4', 'Câu 5', 'Câu 6'])
  })

  it('leaves at least the per-chat interval between two messages to one chat', async () => {
    const paced = createDispatcher(h.deps, renderers, { perChatIntervalMs: 150, now: Date.now })
    await post(brief({ title: 'Bản tin 1', audience: { unitCodes: ['THCS-ANHOA'] } }))
    await post(brief({ title: 'Bản tin 2', audience: { unitCodes: ['THCS-ANHOA'] } }))
    await paced.drain(10_000)
    const times = delivered()
      .filter((c) => String(c.params.chat_id) === '101')
      .map((c) => c.at)
    expect(times).toHaveLength(2)
    // The second send starts 150 ms after the first; allow for the first's own network time.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100)
  })

  it('counts a person who blocked the bot as blocked, by unit, and never retries', async () => {
    h.telegram.blockChat('105')
    const { body } = await post(brief())
    await h.flush()
    h.setNow(new Date(h.now().getTime() + 3600_000))
    await h.flush()
    const stats = await (await h.api(`/broadcasts/${body.id}`)).json()
    expect(stats).toMatchObject({ recipients: 5, sent: 4, blocked: 1, failed: 0, queued: 0, status: 'sent' })
    expect(stats.byUnit.find((u: any) => u.unitCode === 'TH-CAIRANG')).toMatchObject({ recipients: 1, blocked: 1, sent: 0 })
    expect(stats.byUnit.find((u: any) => u.unitCode === 'THCS-ANHOA')).toMatchObject({ recipients: 2, sent: 2 })
    expect(h.telegram.calls.filter((c) => c.method === 'sendMessage!blocked')).toHaveLength(1)
    // The next broadcast no longer counts the blocked chat as reachable.
    const next = await post(brief())
    expect(next.body).toMatchObject({ people: 6, recipients: 4, unreachable: 2 })
  })

  it('after a crash mid-broadcast, a new dispatcher sends what was left, and nothing twice', async () => {
    const { body } = await post(brief())
    // The old process claimed a batch and died before sending any of it.
    const claimed = await claimDue(h.db, h.now(), 2, ['telegram'])
    expect(claimed).toHaveLength(2)
    // Meanwhile the rest went out; the two claimed rows stay 'sending' with nobody to send them.
    await h.flush()
    expect(briefsDelivered()).toHaveLength(3)

    const restarted = createDispatcher(h.deps, renderers, { perChatIntervalMs: 0, now: Date.now })
    expect(await restarted.recover()).toBe(2)
    await restarted.drain(10_000)
    expect(reached()).toEqual(['101', '103', '105', 'z102', 'z104'])
    const perChat = new Map<string, number>()
    for (const c of briefsDelivered()) perChat.set(String(c.params.chat_id), (perChat.get(String(c.params.chat_id)) ?? 0) + 1)
    expect([...perChat.values()].every((n) => n === 1)).toBe(true)
    const stats = await (await h.api(`/broadcasts/${body.id}`)).json()
    expect(stats).toMatchObject({ recipients: 5, sent: 5, status: 'sent' })
  })
})

describe('/thongbao from the chat', () => {
  it('refuses people who are not admins', async () => {
    await h.say.telegram(101, '/thongbao')
    expect(h.lastText(h.telegram, 101)).toBe('Xin lỗi, chỉ quản trị viên của Sở GD&ĐT mới được gửi thông báo qua bot.')
    await h.say.zalo('z102', 'thong bao')
    expect(h.lastText(h.zalo, 'z102')).toContain('chỉ quản trị viên')
    expect((await (await h.api('/broadcasts')).json()).total).toBe(0)
  })

  it('walks an admin through text, audience and confirmation; nothing goes out before "send"', async () => {
    await h.say.telegram(103, '/announce')
    expect(h.lastText(h.telegram, 103)).toContain('first line is the title')
    await h.say.telegram(103, 'Họp giao ban\nKính mời các thầy cô dự họp giao ban lúc 14:00 thứ Sáu.')
    const audienceQuestion = h.telegram.sentTo('103').at(-1)!
    expect(audienceQuestion.params.text).toBe('Who should receive this announcement?')
    expect(audienceQuestion.params.reply_markup.inline_keyboard.flat().map((b: any) => b.callback_data)).toEqual([
      'ann:aud:own',
      'ann:aud:all',
      'ann:aud:role:manager',
      'ann:aud:role:focal_point',
      'ann:aud:role:teacher',
    ])
    await h.say.press(103, 'ann:aud:role:teacher')
    expect(h.lastText(h.telegram, 103)).toContain('will be sent to 3 people (Teachers, whole city)')
    expect(h.lastText(h.telegram, 103)).toContain('1 people in this group have not linked')
    await h.flush()
    expect(reached()).toEqual([])

    await h.say.press(103, 'ann:send')
    expect(h.lastText(h.telegram, 103)).toMatch(/Announcement #\d+ is queued for 3 people/)
    await h.flush()
    expect(reached()).toEqual(['101', '105', 'z102'])
    expect(h.texts(h.zalo, 'z102')[0]).toContain('Kính mời các thầy cô dự họp giao ban')
    const list = await (await h.api('/broadcasts')).json()
    expect(list.items[0]).toMatchObject({ kind: 'announcement', title: 'Họp giao ban', createdBy: ids.phuc, recipients: 3 })

    // A second press on the old button does not send it again.
    await h.say.press(103, 'ann:send')
    expect(h.lastText(h.telegram, 103)).toContain('no announcement waiting')
    expect((await (await h.api('/broadcasts')).json()).total).toBe(1)
  })

  it('defaults to the admin\'s own unit tree when they type the first option, and can be cancelled', async () => {
    await h.say.telegram(103, '/thongbao')
    await h.say.telegram(103, 'Chỉ một dòng nội dung')
    await h.say.telegram(103, '1')
    expect(h.lastText(h.telegram, 103)).toContain('will be sent to 5 people')
    await h.say.telegram(103, '2')
    expect(h.lastText(h.telegram, 103)).toContain('Cancelled; the announcement was not sent')
    await h.flush()
    expect(reached()).toEqual([])
  })
})

describe('reporting', () => {
  it('lists broadcasts and counts content per kind and year (digital products target)', async () => {
    await post(brief({ kind: 'digital_product', title: 'Video NQ71' }))
    await post(brief({ kind: 'digital_product', title: 'Infographic NQ71' }))
    await post(brief({ kind: 'announcement', title: 'Lịch họp' }))
    const list = await (await h.api('/broadcasts?kind=digital_product')).json()
    expect(list.total).toBe(2)
    expect(list.items.map((i: any) => i.title)).toEqual(['Infographic NQ71', 'Video NQ71'])
    const summary = await (await h.api('/broadcasts/summary?year=2026')).json()
    expect(summary.byKind).toMatchObject({ digital_product: { published: 2 }, announcement: { published: 1 }, brief: { published: 0 } })
    expect(summary.digitalProducts).toEqual({ published: 2, target: { min: 20, max: 30 }, met: false })
    expect((await (await h.api('/broadcasts/summary?year=2025')).json()).digitalProducts.published).toBe(0)
  })

  it('cancels a scheduled broadcast so that it never goes out', async () => {
    const { body } = await post(brief({ scheduledAt: new Date(h.now().getTime() + 3600_000).toISOString() }))
    const res = await h.api(`/broadcasts/${body.id}/cancel`, { body: {} })
    expect((await res.json()).status).toBe('cancelled')
    h.setNow(new Date(h.now().getTime() + 7200_000))
    await h.api('/jobs/broadcasts/run', { body: {} })
    await h.flush()
    expect(reached()).toEqual([])
    const again = await h.api(`/broadcasts/${body.id}/cancel`, { body: {} })
    expect(again.status).toBe(409)
    expect((await again.json()).error.message).toBe(`Thông báo số ${body.id} đang ở trạng thái đã huỷ, không huỷ được nữa.`)
  })

  it('keeps the acknowledged rows in deliveries and recipients consistent', async () => {
    const { body } = await post(brief())
    await h.flush()
    const rows = await h.db.select().from(deliveries).where(and(eq(deliveries.source, 'broadcast'), eq(deliveries.sourceId, body.id)))
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual(
      [ids.lan, ids.minh, ids.phuc, ids.hoa, ids.tuan].map((p) => `broadcast:${body.id}:person:${p}`).sort(),
    )
  })
})
