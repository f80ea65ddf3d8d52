import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { deliveries, processedUpdates, questions } from '#db/schema/index.js'
import { enqueue } from '#src/delivery/queue.js'
import { enroll, inviteCode, seedDirectory, startHarness, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

const tooMany = { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } }
const later = (ms: number) => h.setNow(new Date(h.now().getTime() + ms))
const msg = (chatId: string, key: string) => ({ source: 'message', sourceId: 0, channel: 'telegram' as const, chatId, payload: { text: `hello ${key}` }, dedupeKey: key })

describe('one send path: replies go through the outbox', () => {
  it('delays a greeting that meets two 429s, never drops it and never sends the apology instead', async () => {
    h = await startHarness()
    const ids = await seedDirectory(h)
    const code = await inviteCode(h, ids.lan)
    h.telegram.failWith('sendMessage', tooMany, 2)
    const res = await h.say.telegram(41, `/start ${code}`)
    expect(res.status).toBe(200)
    // The link is made and the greeting waits in the outbox for the flood pause to end.
    expect(h.texts(h.telegram, 41)).toEqual([])
    const [queued] = await h.db.select().from(deliveries).where(eq(deliveries.chatId, '41'))
    expect(queued).toMatchObject({ source: 'reply', status: 'queued', priority: 1 })
    for (let i = 0; i < 3 && h.texts(h.telegram, 41).length === 0; i++) {
      later(1000)
      await h.flush()
    }
    for (let i = 0; i < 3; i++) {
      later(1000)
      await h.flush()
    }
    const texts = h.texts(h.telegram, 41)
    expect(texts[0]).toContain('Xin chào Nguyễn Thị Lan')
    expect(texts.filter((t) => t.includes('Xin chào'))).toHaveLength(1)
    expect(texts.join('\n')).not.toContain('sự cố')
    expect(h.telegram.calls.filter((c) => c.method === 'sendMessage!failed')).toHaveLength(2)
  })

  it('sends replies before a queued brief on the same bot', async () => {
    const started = await startWithLinkedPeople({ telegram: '51', zalo: 'z51' })
    h = started.h
    for (let i = 0; i < 30; i++) await enqueue(h.db, [msg(String(1000 + i), `push-${i}`)], h.now())
    h.telegram.reset()
    await h.say.telegram(51, '/huongdan')
    // Only the reply went out with the webhook; the pushes wait for the dispatcher.
    const first = h.telegram.sent().map((c) => String(c.params.chat_id))
    expect(first.length).toBeGreaterThan(0)
    expect(first.every((chat) => chat === '51')).toBe(true)
    await h.flush()
    expect(h.telegram.sent()).toHaveLength(first.length + 30)
  })
})

describe('deliveries outlast outages', () => {
  it('keeps retrying through a five-minute outage and delivers every brief within three minutes of recovery', async () => {
    const started = await startWithLinkedPeople({ telegram: '61', zalo: 'z61' })
    h = started.h
    await enroll(h, started.ids.phuc, 'telegram', '62')
    h.telegram.setDown(502)
    h.zalo.setDown(502)
    const created = await h.api('/broadcasts', {
      body: { kind: 'brief', title: 'Bản tin', body: 'Nội dung bản tin', audience: { unitCodes: ['SGDDT'] }, requireAck: true },
    })
    expect(created.status).toBe(201)
    const broadcast = (await created.json()) as { id: number }
    // Five minutes of outage, the dispatcher trying every 20 s.
    for (let t = 0; t < 300_000; t += 20_000) {
      await h.flush()
      later(20_000)
    }
    const during = await h.db.select().from(deliveries).where(eq(deliveries.source, 'broadcast'))
    expect(during.every((d) => d.status === 'queued')).toBe(true)
    // Errors are recorded with their HTTP status, not as "network: undefined".
    expect(during[0]!.lastError).toContain('502')
    h.telegram.setDown(null)
    h.zalo.setDown(null)
    let waited = 0
    for (; waited <= 180_000; waited += 20_000) {
      await h.flush()
      const left = await h.db.select().from(deliveries).where(eq(deliveries.source, 'broadcast'))
      if (left.every((d) => d.status === 'sent')) break
      later(20_000)
    }
    expect(waited).toBeLessThanOrEqual(180_000)
    const status = (await (await h.api(`/broadcasts/${broadcast.id}`)).json()) as Record<string, unknown>
    expect(status).toMatchObject({ status: 'sent', recipients: 3, sent: 3, failed: 0 })
  })

  it('gives up only at the horizon, says so, and sends again on retry', async () => {
    const started = await startWithLinkedPeople({ telegram: '71', zalo: 'z71' })
    h = started.h
    h.telegram.setDown(503)
    const created = await h.api('/broadcasts', {
      body: { kind: 'brief', title: 'Bản tin', body: 'Nội dung', audience: { unitCodes: ['SGDDT'] }, requireAck: false },
    })
    const broadcast = (await created.json()) as { id: number }
    for (let hour = 0; hour < 26; hour++) {
      await h.flush()
      later(3600_000)
    }
    await h.flush()
    const after = (await (await h.api(`/broadcasts/${broadcast.id}`)).json()) as Record<string, unknown>
    // Zalo was up: one delivered; Telegram was down for more than a day: one expired.
    expect(after).toMatchObject({ status: 'partly_failed', sent: 1, failed: 1, failedBy: { expired: 1 } })
    h.telegram.setDown(null)
    const retried = await h.api(`/broadcasts/${broadcast.id}/retry`, { body: {} })
    expect(retried.status).toBe(200)
    expect(await retried.json()).toMatchObject({ requeued: 1, status: 'sending' })
    await h.flush()
    expect(await (await h.api(`/broadcasts/${broadcast.id}`)).json()).toMatchObject({ status: 'sent', sent: 2, failed: 0 })
    expect(h.texts(h.telegram, 71).at(-1)).toContain('Nội dung')
    expect((await h.api('/broadcasts/999/retry', { body: {} })).status).toBe(404)
  })

  it('lets the next run of a job queue again a message whose delivery failed', async () => {
    h = await startHarness()
    h.telegram.setDown(502)
    expect(await enqueue(h.db, [{ ...msg('81', 'reminder-x'), expiresAt: new Date(h.now().getTime() + 60_000) }], h.now())).toBe(1)
    for (let i = 0; i < 4; i++) {
      await h.flush()
      later(30_000)
    }
    const [failed] = await h.db.select().from(deliveries)
    expect(failed).toMatchObject({ status: 'failed', failReason: 'expired' })
    h.telegram.setDown(null)
    // The same key again (the next run of the reminders job): queued again and sent.
    expect(await enqueue(h.db, [msg('81', 'reminder-x')], h.now())).toBe(1)
    await h.flush()
    expect(h.texts(h.telegram, 81)).toEqual(['hello reminder-x'])
    // A key that was delivered is never queued twice.
    expect(await enqueue(h.db, [msg('81', 'reminder-x')], h.now())).toBe(0)
  })
})

describe('invitations whose delivery failed are sent again by the next run', () => {
  it('queues a refused quiz invitation again on the next quizzes job, while the quiz is open', async () => {
    const started = await startWithLinkedPeople({ telegram: '131', zalo: 'z131' })
    h = started.h
    h.telegram.failWith('sendMessage', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } })
    const created = await h.api('/quizzes', {
      body: {
        title: 'Hiểu đúng Nghị quyết 71',
        questions: [{ text: 'Nghị quyết 71 bàn về?', options: ['Giáo dục', 'Y tế'], correct: 0 }],
        closesAt: '2026-03-20T10:00:00Z',
        audience: { roles: ['teacher'] },
      },
    })
    expect(created.status).toBe(201)
    await h.flush()
    const [refused] = await h.db.select().from(deliveries).where(and(eq(deliveries.chatId, '131'), eq(deliveries.source, 'quiz')))
    expect(refused).toMatchObject({ source: 'quiz', status: 'failed', failReason: 'rejected' })
    expect(await (await h.api('/jobs/quizzes/run', { body: {} })).json()).toMatchObject({ retried: 1, queued: 1 })
    await h.flush()
    expect(h.texts(h.telegram, 131).some((t) => t.includes('Hiểu đúng Nghị quyết 71'))).toBe(true)
    // Delivered now: a further run queues nothing.
    expect(await (await h.api('/jobs/quizzes/run', { body: {} })).json()).toMatchObject({ retried: 0, queued: 0 })
  })
})

describe('a slow chat holds up no other chat', () => {
  it('delivers to other chats while one call hangs, and times the hung call out', async () => {
    h = await startHarness({ PLATFORM_TIMEOUT_SECONDS: '1' })
    h.telegram.hold('91', 5000)
    await enqueue(h.db, [msg('91', 'slow-1'), msg('92', 'fast-1'), msg('93', 'fast-2')], h.now())
    let flushed = false
    const flushing = h.flush().finally(() => (flushed = true))
    while (h.texts(h.telegram, 93).length === 0 && !flushed) await new Promise((r) => setTimeout(r, 5))
    // Chats 92 and 93 got theirs while the call to chat 91 still hung (its row still 'sending').
    const [hung] = await h.db.select().from(deliveries).where(eq(deliveries.chatId, '91'))
    expect(hung).toMatchObject({ status: 'sending' })
    expect(h.texts(h.telegram, 92)).toEqual(['hello fast-1'])
    expect(h.texts(h.telegram, 93)).toEqual(['hello fast-2'])
    await flushing
    // The held call was given up after the 1 s timeout and will be retried.
    const [slow] = await h.db.select().from(deliveries).where(eq(deliveries.chatId, '91'))
    expect(slow).toMatchObject({ status: 'queued' })
    expect(slow!.lastError).toContain('no answer in time')
  })
})

describe('inbound flood control per chat', () => {
  it('records every question of a flooding chat but answers at most its budget, and others are not slowed', async () => {
    const started = await startWithLinkedPeople({ telegram: '101', zalo: 'z101' })
    h = started.h
    // A new minute after linking, so the count starts from the questions.
    later(61_000)
    const before = h.texts(h.zalo, 'z101').length
    for (let i = 0; i < 30; i++) await h.say.zalo('z101', `/hoidap Câu hỏi số ${i + 1} về Nghị quyết 71?`)
    const answers = h.texts(h.zalo, 'z101').slice(before)
    // 20 answers, one "slow down", then silence until the minute is over.
    expect(answers).toHaveLength(21)
    expect(answers[20]).toContain('chậm lại')
    expect(await h.db.select().from(questions)).toHaveLength(30)
    await h.say.telegram(101, '/huongdan')
    expect(h.lastText(h.telegram, 101)).toContain('/hoidap')
    later(61_000)
    await h.say.zalo('z101', '/hoidap Câu hỏi sau một phút?')
    expect(h.lastText(h.zalo, 'z101')).not.toContain('chậm lại')
    expect(h.texts(h.zalo, 'z101').slice(before)).toHaveLength(22)
  })
})

describe('the first reply rides in the Telegram webhook response', () => {
  it('answers in the response, records it as sent, queues the rest, and answers a redelivery the same way', async () => {
    h = await startHarness({}, { inline: true })
    const ids = await seedDirectory(h)
    const code = await inviteCode(h, ids.lan)
    const update = { update_id: 777001, message: { message_id: 1, from: { id: 111, is_bot: false, first_name: 'Lan' }, chat: { id: 111, type: 'private' }, date: 1773623730, text: `/start ${code}` } }
    const res = await h.postWebhook('telegram', update)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ method: 'sendMessage', chat_id: '111' })
    expect(String(body.text)).toContain('Xin chào Nguyễn Thị Lan')
    // The greeting is recorded with the update it answered (what a redelivery carries again), not as an outbox row.
    const [claimed] = await h.db.select().from(processedUpdates).where(eq(processedUpdates.updateId, '777001'))
    expect(String((claimed?.webhookReply as { text?: string } | null)?.text)).toContain('Xin chào Nguyễn Thị Lan')
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.chatId, '111'))
    expect(rows.some((r) => String(r.payload ? JSON.stringify(r.payload) : '').includes('Xin chào'))).toBe(false)
    // The greeting reached the chat once (run by "Telegram"), and the help that follows it was queued and sent.
    expect(h.texts(h.telegram, 111).filter((t) => t.includes('Xin chào'))).toHaveLength(1)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.status === 'sent' && r.source === 'reply')).toBe(true)
    // Telegram never got the first 200 and sends the update again: the same reply, nothing recorded twice.
    const again = await h.app.request('/webhook/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret-123456' },
      body: JSON.stringify(update),
    })
    expect(again.headers.get('x-loa-update')).toBe('duplicate')
    expect(await again.json()).toEqual(body)
    expect(await h.db.select().from(deliveries).where(eq(deliveries.chatId, '111'))).toHaveLength(rows.length)
    // Her export lists the greeting among the messages addressed to her (without its text, as the others).
    const exported = (await (await h.api(`/people/${ids.lan}/export`)).json()) as { inlineReplies?: unknown[] }
    expect(exported.inlineReplies).toEqual([{ channel: 'telegram', chatId: '111', updateId: '777001', sentAt: claimed!.receivedAt.toISOString() }])
    // Erasing Lan also forgets the greeting kept for a redelivery.
    expect((await h.api(`/people/${ids.lan}`, { method: 'DELETE' })).status).toBe(200)
    const [after] = await h.db.select().from(processedUpdates).where(eq(processedUpdates.updateId, '777001'))
    expect(after).toMatchObject({ chatId: null, webhookReply: null })
  })

  it('forgets the reply kept for a redelivery when the chat is unlinked, so a later erasure leaves no text with the name', async () => {
    h = await startHarness({}, { inline: true })
    const ids = await seedDirectory(h)
    const greet = async (chat: number, updateId: number) => {
      const code = await inviteCode(h, ids.lan)
      const update = { update_id: updateId, message: { message_id: 1, from: { id: chat, is_bot: false, first_name: 'Lan' }, chat: { id: chat, type: 'private' }, date: 1773623730, text: `/start ${code}` } }
      expect(String(((await (await h.postWebhook('telegram', update)).json()) as { text?: string }).text)).toContain('Xin chào Nguyễn Thị Lan')
    }
    const kept = async (updateId: number) => (await h.db.select().from(processedUpdates).where(eq(processedUpdates.updateId, String(updateId))))[0]?.webhookReply ?? null
    await greet(111, 778001)
    expect(JSON.stringify(await kept(778001))).toContain('Nguyễn Thị Lan')
    // The admin unlinks the chat: the greeting with her name is not kept for a chat that is no longer hers.
    const links = (await (await h.api(`/people/${ids.lan}/links`)).json()) as { items: { id: number }[] }
    expect((await h.api(`/people/${ids.lan}/links/${links.items[0]!.id}`, { method: 'DELETE' })).status).toBe(200)
    expect(await kept(778001)).toBeNull()
    // Erased later, nothing with her name is left in the table of updates.
    expect((await h.api(`/people/${ids.lan}`, { method: 'DELETE' })).status).toBe(200)
    const rows = await h.db.select().from(processedUpdates)
    expect(JSON.stringify(rows)).not.toContain('Nguyễn Thị Lan')
  })

  it('the retention job forgets replies kept for redeliveries older than RETENTION_DAYS, although their update ids are kept a week', async () => {
    h = await startHarness({ RETENTION_DAYS: '1' }, { inline: true })
    const ids = await seedDirectory(h)
    const code = await inviteCode(h, ids.lan)
    const update = { update_id: 779001, message: { message_id: 1, from: { id: 112, is_bot: false, first_name: 'Lan' }, chat: { id: 112, type: 'private' }, date: 1773623730, text: `/start ${code}` } }
    expect((await h.postWebhook('telegram', update)).status).toBe(200)
    const kept = async () => (await h.db.select().from(processedUpdates).where(eq(processedUpdates.updateId, '779001')))[0]
    expect(JSON.stringify((await kept())?.webhookReply)).toContain('Nguyễn Thị Lan')
    // Two days later: the update id is still kept (a week), its reply's text is not (one day).
    h.setNow(new Date(h.now().getTime() + 2 * 86_400_000))
    expect((await h.api('/jobs/retention/run', { body: {} })).status).toBe(200)
    expect((await h.api('/jobs/prune-updates/run', { body: {} })).status).toBe(200)
    expect(await kept()).toMatchObject({ updateId: '779001', webhookReply: null })
  })

  it('queues instead when the bot has no free slot or the chat had a message within the second', async () => {
    h = await startHarness({ TELEGRAM_RATE_PER_SECOND: '1' })
    const dispatcher = (await import('#src/delivery/dispatcher.js')).createDispatcher(h.deps, {}, { now: Date.now })
    dispatcher.start(50)
    expect(dispatcher.grantWebhookReply('telegram', '201')).toBe(true)
    // The same chat within a second, and any chat once the one-a-second pace is used up.
    expect(dispatcher.grantWebhookReply('telegram', '201')).toBe(false)
    expect(dispatcher.grantWebhookReply('telegram', '202')).toBe(false)
    await dispatcher.stop()
    expect(dispatcher.grantWebhookReply('telegram', '203')).toBe(false)
  })
})
