import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedDirectory, enroll, startHarness, tgMessage, zaloMessage, type Harness } from '../helpers/harness.js'

/**
 * An update with the right secret but the wrong shape is answered 200 and ignored (Telegram would
 * redeliver a 500 for hours), logged once by where it was wrong and never by what it said.
 */
let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

/** A phrase that must never reach the log, put where a person's words would be. */
const PRIVATE = 'Số điện thoại của tôi 0901234567'

const base = tgMessage(801, PRIVATE, 7001)
const member = (over: Record<string, unknown>) => ({
  update_id: 7002,
  my_chat_member: {
    chat: { id: 801, type: 'private' },
    from: { id: 801, is_bot: false, first_name: PRIVATE },
    date: 1773623730,
    old_chat_member: { status: 'member' },
    new_chat_member: { status: 'kicked' },
    ...over,
  },
})

const telegramCases: [string, unknown][] = [
  ['my_chat_member as a string', { update_id: 7003, my_chat_member: PRIVATE }],
  ['my_chat_member null', { update_id: 7004, my_chat_member: null }],
  ['my_chat_member with chat null', member({ chat: null })],
  ['my_chat_member without new_chat_member', member({ new_chat_member: undefined })],
  ['new_chat_member as an array', member({ new_chat_member: [PRIVATE] })],
  ['message with chat null', { ...base, message: { ...base.message, chat: null } }],
  ['message text as a number', { ...base, message: { ...base.message, text: 42 } }],
  ['message from.id as a string', { ...base, message: { ...base.message, from: { id: '801', first_name: PRIVATE } } }],
  ['message date far past what a date can hold', { ...base, message: { ...base.message, date: 1e300 } }],
  ['message as an array', { update_id: 7005, message: [PRIVATE] }],
  ['update_id as a string', { ...base, update_id: '7006' }],
  ['callback_query data as an object', { update_id: 7007, callback_query: { id: 'c', from: { id: 801 }, message: { chat: { id: 801, type: 'private' } }, data: { x: PRIVATE } } }],
  ['the body null', null],
  ['the body an array', [base]],
  ['the body a string', PRIVATE],
  ['the body a number', 7],
]

const zaloUpdate = zaloMessage('z-801', PRIVATE, { wrapped: false }) as { event_name: string; message: Record<string, unknown> }
const zaloCases: [string, unknown][] = [
  ['message as a string', { event_name: 'message.text.received', message: PRIVATE }],
  ['message null', { event_name: 'message.text.received', message: null }],
  ['chat null', { ...zaloUpdate, message: { ...zaloUpdate.message, chat: null } }],
  ['from.id as a number', { ...zaloUpdate, message: { ...zaloUpdate.message, from: { id: 801, display_name: PRIVATE } } }],
  ['text as an object', { ...zaloUpdate, message: { ...zaloUpdate.message, text: { value: PRIVATE } } }],
  ['date as a string', { ...zaloUpdate, message: { ...zaloUpdate.message, date: 'yesterday' } }],
  ['event_name missing', { message: zaloUpdate.message }],
  ['wrapped with result null', { ok: true, result: null }],
  ['wrapped with result an array', { ok: true, result: [zaloUpdate] }],
  ['the body null', null],
  ['the body an array', [zaloUpdate]],
]

async function expectIgnored(channel: 'telegram' | 'zalo', body: unknown) {
  const before = h.logs.length
  const res = await h.postWebhook(channel, JSON.stringify(body))
  expect(res.status).toBe(200)
  expect(res.headers.get('x-loa-update')).toBe('ignored')
  const logged = h.logs.slice(before)
  expect(logged).toHaveLength(1)
  expect(logged[0]).toMatchObject({ level: 'warn', msg: 'webhook update ignored: malformed', obj: { channel } })
  const line = JSON.stringify(logged[0])
  expect(line).not.toContain('0901234567')
  expect(line).not.toContain('điện thoại')
}

describe('malformed Telegram updates with the right secret', () => {
  it.each(telegramCases)('%s → 200, ignored, logged once without its text', async (_label, body) => {
    await expectIgnored('telegram', body)
    expect(h.telegram.calls).toHaveLength(0)
  })

  it('does not log a well-formed update Loa simply does not handle', async () => {
    const res = await h.postWebhook('telegram', { update_id: 7100, edited_message: { text: PRIVATE } })
    expect(res.headers.get('x-loa-update')).toBe('ignored')
    expect(h.logs).toHaveLength(0)
  })

  it('still blocks and answers after the malformed ones, with unknown fields passed through', async () => {
    const ids = await seedDirectory(h)
    await enroll(h, ids.lan, 'telegram', '801')
    for (const [, body] of telegramCases) await h.postWebhook('telegram', JSON.stringify(body))
    const blocked = await h.postWebhook('telegram', { ...member({ future_field: { deep: [1, 2] } }), update_id: 7200, unknown_top: true })
    expect(blocked.headers.get('x-loa-update')).toBe('accepted')
    const people = (await (await h.api('/people')).json()) as { items: { id: number; channels: { channel: string; blocked: boolean }[] }[] }
    expect(people.items.find((p) => p.id === ids.lan)!.channels).toMatchObject([{ channel: 'telegram', blocked: true }])
    const res = await h.say.telegram(801, '/huongdan')
    expect(res.headers.get('x-loa-update')).toBe('accepted')
    expect(h.lastText(h.telegram, 801)).toContain('/huongdan')
  })
})

describe('malformed Zalo updates with the right secret', () => {
  it.each(zaloCases)('%s → 200, ignored, logged once without its text', async (_label, body) => {
    await expectIgnored('zalo', body)
    expect(h.zalo.calls).toHaveLength(0)
  })

  it('still answers a normal message afterwards', async () => {
    for (const [, body] of zaloCases) await h.postWebhook('zalo', JSON.stringify(body))
    const res = await h.say.zalo('z-801', 'huong dan')
    expect(res.headers.get('x-loa-update')).toBe('accepted')
    expect(h.lastText(h.zalo, 'z-801')).not.toBe('')
  })
})
