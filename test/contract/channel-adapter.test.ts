import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.js'
import { createZaloAdapter } from '../../src/channels/zalo/adapter.js'
import { ChannelError, type ChannelAdapter } from '../../src/core/channel.js'
import { createHttpFetch } from '../../src/node/http-fetch.js'
import { startFakeBotApi } from '../fakes/bot-api.js'
import { createZaloOaAdapter } from '../../src/channels/zalo-oa/adapter.js'
import { createZaloOaClient } from '../../src/channels/zalo-oa/client.js'
import { signOaEvent, startFakeZaloOaApi, type FakeZaloOaApi } from '../fakes/zalo-oa-api.js'

const OA_KEY = 'secret-abc-123'
const oaFixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))

interface Fake {
  url: string
  calls: { method: string; params: Record<string, any> }[]
  sent(): { method: string; params: Record<string, any> }[]
  blockChat(chatId: string): void
  failWith(method: string, reply: { status?: number; body: unknown }, times?: number): void
  reset(): void
  close(): Promise<void>
}

interface Case {
  label?: string
  name: 'telegram' | 'zalo' | 'zalo_oa'
  secretHeader: string
  make: (apiRoot: string, fake: Fake) => ChannelAdapter
  textUpdate: unknown
  unknownUpdate: unknown
  startFake?: () => Promise<Fake>
  /** The platform's answer to a failing gateway, on its send method. */
  gatewayFailure?: { method: string; reply: { status: number; body: unknown } }
  /** A request as the platform signs it ('ok'), wrongly, longer, or without the header. */
  request?: (kind: 'ok' | 'wrong' | 'longer' | 'missing') => Request
}

/** An OA adapter on the fake OA API, holding a token pair the fake issued (as after connecting). */
function makeOa(apiRoot: string, fake: Fake, fetchImpl?: typeof fetch) {
  const oaFake = fake as unknown as FakeZaloOaApi
  const client = createZaloOaClient({ appId: oaFake.appId, appSecret: oaFake.appSecret, apiRoot, oauthRoot: apiRoot, fetch: fetchImpl })
  let pair: { access_token: string; refresh_token: string } = oaFake.issueTokens()
  return createZaloOaAdapter({
    appId: oaFake.appId,
    secretKey: OA_KEY,
    client,
    tokens: {
      accessToken: async () => pair.access_token,
      refreshNow: async () => {
        pair = await client.refresh(pair.refresh_token)
        return pair.access_token
      },
    },
    ratePerSecond: 5,
    windowHours: 168,
    monthlyQuota: 0,
    // The fixtures' moment: their signed timestamps are within the freshness window of it.
    clock: () => new Date(1773623730418),
  })
}

const oaRequest = (kind: 'ok' | 'wrong' | 'longer' | 'missing') => {
  const raw = oaFixture('zalo-oa-user-send-text.json')
  const sig = signOaEvent(raw, OA_KEY)
  const header = kind === 'ok' ? sig : kind === 'wrong' ? signOaEvent(raw, 'secret-abc-124') : kind === 'longer' ? `${sig}0` : undefined
  return new Request('http://x/webhook', { method: 'POST', body: raw, headers: header ? { 'x-zevent-signature': header } : {} })
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
  ...(['fetch', 'node:http'] as const).map((via) => ({
    label: via === 'fetch' ? 'zalo_oa' : 'zalo_oa over node:http',
    name: 'zalo_oa' as const,
    secretHeader: 'x-zevent-signature',
    startFake: () => startFakeZaloOaApi() as Promise<Fake>,
    make: (apiRoot: string, fake: Fake) => makeOa(apiRoot, fake, via === 'fetch' ? undefined : createHttpFetch()),
    // The OA fixture says "K7M4-Q2XP"; the contract's text is the Zalo one's, sent to the OA.
    textUpdate: { ...JSON.parse(oaFixture('zalo-oa-user-send-text.json')), message: { msg_id: 'a1d3f0c5b7e9', text: 'Cho tôi hỏi lịch tập huấn Nghị quyết 71' } },
    unknownUpdate: { app_id: '1', event_name: 'user_seen_message', timestamp: '1773623730418', sender: { id: '1' } },
    gatewayFailure: { method: 'message/cs', reply: { status: 502, body: { error: -1, message: 'Bad Gateway' } } },
    request: oaRequest,
  })),
]

/** One suite every adapter must pass: the seam every channel implements. */
describe.each(cases.map((c) => ({ ...c, label: c.label ?? c.name })))('$label adapter contract', (c) => {
  let fake: Fake
  let adapter: ChannelAdapter
  beforeAll(async () => {
    fake = c.startFake ? await c.startFake() : ((await startFakeBotApi({ platform: c.name as 'telegram' | 'zalo' })) as Fake)
    adapter = c.make(fake.url, fake)
  })
  afterAll(() => fake.close())

  const secrets = { ok: 'secret-abc-123', wrong: 'secret-abc-124', longer: 'secret-abc-123-longer', missing: undefined }
  const req =
    c.request ??
    ((kind: keyof typeof secrets) => {
      const secret = secrets[kind]
      return new Request('http://x/webhook', { method: 'POST', headers: secret ? { [c.secretHeader]: secret } : {} })
    })

  it('verifies the secret header and refuses a wrong or missing one', async () => {
    expect(await adapter.verify(req('ok'))).toBe(true)
    expect(await adapter.verify(req('wrong'))).toBe(false)
    expect(await adapter.verify(req('longer'))).toBe(false)
    expect(await adapter.verify(req('missing'))).toBe(false)
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

  it('sends choices as buttons (Telegram, Zalo OA) or numbered lines (Zalo)', async () => {
    fake.reset()
    await adapter.send('42', { text: 'Chọn:', choices: [{ id: 'x:1', label: 'Có' }, { id: 'x:2', label: 'Không' }] })
    const [call] = fake.sent()
    if (c.name === 'telegram') {
      expect(call!.params.text).toBe('Chọn:')
      expect(call!.params.reply_markup.inline_keyboard.flat()).toEqual([
        { text: 'Có', callback_data: 'x:1' },
        { text: 'Không', callback_data: 'x:2' },
      ])
    } else if (c.name === 'zalo_oa') {
      expect(call!.method).toBe('message/cs')
      expect(call!.params.text).toBe('Chọn:')
      expect(call!.params.buttons).toEqual([
        { title: 'Có', type: 'oa.query.show', payload: 'Có #x:1' },
        { title: 'Không', type: 'oa.query.show', payload: 'Không #x:2' },
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
    const failure = c.gatewayFailure ?? { method: 'sendMessage', reply: { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } } }
    fake.failWith(failure.method, failure.reply)
    const transient = await adapter.send('1', { text: 'x' }).catch((e) => e)
    expect(transient.kind).toBe('transient')
    expect(String(transient.message)).not.toMatch(/1:t|2:z|oa-access|oa-refresh/)
  })

  it.skipIf(c.name === 'zalo_oa')('registers its webhook with the secret the platform will send back', async () => {
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

describe('Zalo OA specifics', () => {
  let fake: FakeZaloOaApi
  let oa: ReturnType<typeof makeOa>
  beforeAll(async () => {
    fake = await startFakeZaloOaApi()
    oa = makeOa(fake.url, fake as unknown as Fake)
  })
  afterAll(() => fake.close())

  it('checks the signature over the exact bytes: the same JSON re-serialised is refused', async () => {
    const raw = oaFixture('zalo-oa-user-send-text.json')
    const sig = signOaEvent(raw, OA_KEY)
    const same = new Request('http://x', { method: 'POST', body: raw, headers: { 'x-zevent-signature': sig } })
    const reformatted = new Request('http://x', { method: 'POST', body: JSON.stringify(JSON.parse(raw)), headers: { 'x-zevent-signature': sig } })
    const bare = new Request('http://x', { method: 'POST', body: raw, headers: { 'x-zevent-signature': sig.slice(4).toUpperCase() } })
    expect(await oa.verify(same)).toBe(true)
    expect(await oa.verify(reformatted)).toBe(false)
    // Some senders leave out "mac=" or write the hex in capitals: the same signature.
    expect(await oa.verify(bare)).toBe(true)
    // verify() leaves the body for the route to read.
    expect(await same.text()).toBe(raw)
  })

  it('reads a button press as a choice, and follow / unfollow as unblocked / blocked', () => {
    const pressed = oa.parse({ ...JSON.parse(oaFixture('zalo-oa-user-send-query.json')), message: { msg_id: 'q1', text: 'Đã đọc #ack:412' } })
    expect(pressed).toMatchObject({ kind: 'message', choiceId: 'ack:412', text: '', updateId: 'q1', chatId: '4369813276543210987' })
    // A hidden-payload button (oa.query.hide, as in the fixture) works the same.
    expect(oa.parse(JSON.parse(oaFixture('zalo-oa-user-send-query.json')))).toMatchObject({ choiceId: 'ack:412' })
    expect(oa.parse(JSON.parse(oaFixture('zalo-oa-follow.json')))).toMatchObject({ kind: 'unblocked', chatId: '4369813276543210987' })
    expect(oa.parse({ ...JSON.parse(oaFixture('zalo-oa-follow.json')), event_name: 'unfollow' })).toMatchObject({ kind: 'blocked' })
    // A typed "#" inside a sentence is text, not a press.
    expect(oa.parse({ ...JSON.parse(oaFixture('zalo-oa-user-send-text.json')), message: { msg_id: 'q2', text: 'Mục #2 là gì?' } })).toMatchObject({ text: 'Mục #2 là gì?' })
    expect(oa.parse({ ...JSON.parse(oaFixture('zalo-oa-user-send-text.json')), event_name: 'user_send_image' })).toMatchObject({ kind: 'message', text: '' })
    expect(oa.parse({ ...JSON.parse(oaFixture('zalo-oa-user-send-text.json')), event_name: 'oa_send_text' })).toBeNull()
  })

  it('refreshes an expired access token once and sends; the spent refresh token is refused after', async () => {
    fake.reset()
    const spent = fake.currentRefreshToken()
    fake.expireAccessTokens()
    await oa.send('4369813276543210987', { text: 'Xin chào' })
    expect(fake.calls.map((c) => c.method)).toEqual(['message/cs!token', 'refresh_token', 'message/cs'])
    const again = await createZaloOaClient({ appId: fake.appId, appSecret: fake.appSecret, apiRoot: fake.url, oauthRoot: fake.url })
      .refresh(spent!)
      .catch((e) => e)
    expect(again).toBeInstanceOf(ChannelError)
    expect(again.message).toMatch(/used/)
  })

  it('names a closed window, a spent quota and an unfollow by their kinds', async () => {
    fake.reset()
    fake.closeWindow('7')
    expect(await oa.send('7', { text: 'x' }).catch((e) => e)).toMatchObject({ kind: 'window_closed', code: -230 })
    fake.setQuota(0)
    expect(await oa.send('8', { text: 'x' }).catch((e) => e)).toMatchObject({ kind: 'quota', code: -211 })
    fake.setQuota(10)
    fake.blockChat('9')
    expect(await oa.send('9', { text: 'x' }).catch((e) => e)).toMatchObject({ kind: 'blocked', code: -213 })
  })

  it('lists more choices than fit as buttons as numbered lines', async () => {
    fake.reset()
    const choices = Array.from({ length: 7 }, (_, i) => ({ id: `x:${i}`, label: `Lựa chọn ${i + 1}` }))
    await oa.send('1', { text: 'Chọn:', choices })
    const [call] = fake.sent()
    expect(call!.params.buttons).toBeUndefined()
    expect(call!.params.text).toMatch(/^Chọn:\n\n1\. Lựa chọn 1\n.*\n7\. Lựa chọn 7$/s)
  })
})
