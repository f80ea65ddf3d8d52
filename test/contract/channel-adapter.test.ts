import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.js'
import { createZaloAdapter } from '../../src/channels/zalo/adapter.js'
import { ChannelError, type ChannelAdapter } from '../../src/core/channel.js'
import { createHttpFetch } from '../../src/node/http-fetch.js'
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))

interface Case {
  label?: string
  name: 'telegram' | 'zalo'
  secretHeader: string
  make: (apiRoot: string) => ChannelAdapter
  textUpdate: unknown
  unknownUpdate: unknown
}

const cases: Case[] = [
  {
    name: 'telegram',
    secretHeader: 'x-telegram-bot-api-secret-token',
    make: (apiRoot) => createTelegramAdapter({ token: '1:t', apiRoot, webhookSecret: 'secret-abc-123' }),
    textUpdate: fixture('telegram-message.json'),
    unknownUpdate: fixture('telegram-poll-answer.json'),
  },
  {
    name: 'zalo',
    secretHeader: 'x-bot-api-secret-token',
    make: (apiRoot) => createZaloAdapter({ token: '2:z', apiRoot, webhookSecret: 'secret-abc-123' }),
    textUpdate: fixture('zalo-text.json'),
    unknownUpdate: { ok: true, result: { event_name: 'message.reaction.received' } },
  },
  {
    // The Node entry gives both clients a fetch on node:http (src/node/http-fetch.ts).
    label: 'telegram over node:http',
    name: 'telegram',
    secretHeader: 'x-telegram-bot-api-secret-token',
    make: (apiRoot) => createTelegramAdapter({ token: '1:t', apiRoot, webhookSecret: 'secret-abc-123', fetch: createHttpFetch() }),
    textUpdate: fixture('telegram-message.json'),
    unknownUpdate: fixture('telegram-poll-answer.json'),
  },
  {
    label: 'zalo over node:http',
    name: 'zalo',
    secretHeader: 'x-bot-api-secret-token',
    make: (apiRoot) => createZaloAdapter({ token: '2:z', apiRoot, webhookSecret: 'secret-abc-123', fetch: createHttpFetch() }),
    textUpdate: fixture('zalo-text.json'),
    unknownUpdate: { ok: true, result: { event_name: 'message.reaction.received' } },
  },
]

/** One suite both adapters must pass: the seam every channel implements. */
describe.each(cases.map((c) => ({ ...c, label: c.label ?? c.name })))('$label adapter contract', (c) => {
  let fake: FakeBotApi
  let adapter: ChannelAdapter
  beforeAll(async () => {
    fake = await startFakeBotApi({ platform: c.name })
    adapter = c.make(fake.url)
  })
  afterAll(() => fake.close())

  const req = (secret?: string) =>
    new Request('http://x/webhook', { method: 'POST', headers: secret ? { [c.secretHeader]: secret } : {} })

  it('verifies the secret header and refuses a wrong or missing one', async () => {
    expect(await adapter.verify(req('secret-abc-123'))).toBe(true)
    expect(await adapter.verify(req('secret-abc-124'))).toBe(false)
    expect(await adapter.verify(req('secret-abc-123-longer'))).toBe(false)
    expect(await adapter.verify(req())).toBe(false)
  })

  it('parses a private text message into a neutral event', () => {
    const e = adapter.parse(c.textUpdate)!
    expect(e).toMatchObject({ kind: 'message', channel: c.name, isPrivate: true })
    expect(e.text).toContain('lịch tập huấn Nghị quyết 71')
    expect(e.updateId).not.toBe('')
    expect(e.receivedAt.getUTCFullYear()).toBe(2026)
  })

  it('ignores an unknown update', () => {
    expect(adapter.parse(c.unknownUpdate)).toBeNull()
    expect(adapter.parse({})).toBeNull()
    expect(adapter.parse(null)).toBeNull()
  })

  it('sends choices as buttons (Telegram) or numbered lines (Zalo)', async () => {
    fake.reset()
    await adapter.send('42', { text: 'Chọn:', choices: [{ id: 'x:1', label: 'Có' }, { id: 'x:2', label: 'Không' }] })
    const [call] = fake.sent()
    if (c.name === 'telegram') {
      expect(call!.params.text).toBe('Chọn:')
      expect(call!.params.reply_markup.inline_keyboard.flat()).toEqual([
        { text: 'Có', callback_data: 'x:1' },
        { text: 'Không', callback_data: 'x:2' },
      ])
    } else {
      expect(call!.params.text).toBe('Chọn:\n\n1. Có\n2. Không')
    }
  })

  it('splits a text longer than the platform limit', async () => {
    fake.reset()
    const long = 'Nội dung quán triệt. '.repeat(Math.ceil((adapter.maxTextLength * 1.5) / 21))
    await adapter.send('42', { text: long })
    const parts = fake.sent().map((s) => String(s.params.text))
    expect(parts.length).toBe(2)
    expect(parts.every((p) => p.length <= adapter.maxTextLength)).toBe(true)
  })

  it('throws a ChannelError that says blocked, rate limited or transient, and never shows the token', async () => {
    fake.reset()
    fake.blockChat('9')
    const blocked = await adapter.send('9', { text: 'x' }).catch((e) => e)
    expect(blocked).toBeInstanceOf(ChannelError)
    expect(blocked.kind).toBe('blocked')
    fake.failWith('sendMessage', { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } })
    const transient = await adapter.send('1', { text: 'x' }).catch((e) => e)
    expect(transient.kind).toBe('transient')
    expect(String(transient.message)).not.toMatch(/1:t|2:z/)
  })

  it('registers its webhook with the secret the platform will send back', async () => {
    fake.reset()
    await adapter.registerWebhook!('https://loa.example.vn/webhook/x', 'secret-abc-123')
    const [call] = fake.calls.filter((x) => x.method === 'setWebhook')
    expect(call?.params).toMatchObject({ url: 'https://loa.example.vn/webhook/x', secret_token: 'secret-abc-123' })
    if (c.name === 'telegram') {
      // Quiz bursts: Telegram's default is 40 parallel webhook connections; 100 is its maximum.
      expect(call?.params).toMatchObject({ max_connections: 100, allowed_updates: ['message', 'callback_query', 'my_chat_member'] })
    }
  })
})

describe('Zalo specifics', () => {
  const zalo = createZaloAdapter({ token: '2:z', apiRoot: 'http://127.0.0.1:9', webhookSecret: 's' })
  it('accepts the flat and the wrapped webhook body alike', () => {
    const flat = fixture('zalo-group-text.json')
    const e = zalo.parse(flat)!
    expect(e).toMatchObject({ chatId: '5e92b1f7c3a04d68e219', isPrivate: false, updateId: '41c8f2a06e9d3b57c2e8' })
    expect(zalo.parse({ ok: true, result: flat })).toMatchObject({ chatId: '5e92b1f7c3a04d68e219' })
  })
  it('turns images, stickers and unsupported content into a text-less message', () => {
    for (const f of ['zalo-image.json', 'zalo-sticker.json', 'zalo-unsupported.json']) {
      expect(zalo.parse(fixture(f))).toMatchObject({ kind: 'message', text: '' })
    }
  })
  it('reads a 429 HTML page from a proxy as rate limited', async () => {
    const html = createZaloAdapter({
      token: '2:z',
      apiRoot: 'http://fake',
      webhookSecret: 's',
      fetch: async () => new Response('<html>Too Many Requests</html>', { status: 429 }),
    })
    const err = await html.send('1', { text: 'x' }).catch((e) => e)
    expect(err).toMatchObject({ kind: 'rate_limited', code: 429 })
  })
})

describe('Telegram specifics', () => {
  const tg = createTelegramAdapter({ token: '1:t', apiRoot: 'http://127.0.0.1:9', webhookSecret: 's' })
  it('reads a button press as a choice and a block as a blocked event', () => {
    expect(tg.parse(fixture('telegram-callback-query.json'))).toMatchObject({ choiceId: 'qz:12:1:b', callbackId: '4382917465012398711', text: '' })
    expect(tg.parse(fixture('telegram-my-chat-member-blocked.json'))).toMatchObject({ kind: 'blocked', chatId: '6123457890' })
  })
  it('refuses a choice id longer than 64 bytes instead of letting Telegram reject it', async () => {
    await expect(tg.send('1', { text: 'x', choices: [{ id: 'x'.repeat(65), label: 'a' }] })).rejects.toThrow(/64-byte/)
  })
})
