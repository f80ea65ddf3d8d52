import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChannelError, type ChannelAdapter, type ChannelLimits } from '#src/core/channel.js'
import type { InboundEvent, MessengerName } from '#src/core/events.js'
import { createHttpFetch } from '#src/node/http-fetch.js'

/** A recorded call on a fake platform API (test/fakes/). */
interface FakeCall {
  method: string
  params: Record<string, any>
}

/** What the contract needs of an adapter's fake server. */
export interface FakePlatform {
  url: string
  calls: FakeCall[]
  /** Sends the platform accepted, in order. */
  sent(): FakeCall[]
  blockChat(chatId: string): void
  failWith(method: string, reply: { status?: number; body: unknown }, times?: number): void
  reset(): void
  close(): Promise<void>
}

/** A webhook request as the platform signs it ('ok'), wrongly, with a longer secret, or unsigned. */
export type SignedAs = 'ok' | 'wrong' | 'longer' | 'missing'

/**
 * One adapter as the contract sees it: how to build it on its fake server, the platform's bodies
 * for the shared cases, and which optional members it declares. A new channel passes the contract
 * by filling this in and calling `channelAdapterContract` once.
 */
export interface AdapterDescriptor<F extends FakePlatform = FakePlatform> {
  name: MessengerName
  startFake(): Promise<F>
  /** The adapter on the fake at `apiRoot`, calling it through `fetch` (undefined: the global one). */
  make(apiRoot: string, fake: F, fetchImpl: typeof fetch | undefined): ChannelAdapter
  /** The webhook request for `verify`, signed as told. */
  request(kind: SignedAs): Request
  /** A private text message saying "… lịch tập huấn Nghị quyết 71", in 2026. */
  textUpdate: unknown
  /** An update the bot has nothing to do with. */
  unknownUpdate: unknown
  /** A press on a button whose choice id is `press.choiceId` (channels with buttons). */
  press?: { update: unknown; choiceId: string }
  /** The platform's answer to a failing gateway on its send method. */
  gatewayFailure: { method: string; reply: { status: number; body: unknown } }
  /** A recorded send read back as its text and buttons (none on a channel of numbered lines). */
  readSent(call: FakeCall): { text: string; buttons: { label: string; id: string }[] }
  maxTextLength: number
  limits?: ChannelLimits
  /** The method that answers a press inside the webhook’s own response (webhookAck). */
  webhookAck?: string
  /** The method that sends a reply inside the webhook’s own response (webhookReply). */
  webhookReply?: string
  /** The platform method `acknowledge` calls for a press. */
  acknowledge?: string
  /** The method that registers the webhook, and what it must carry besides url and secret. */
  registerWebhook?: { method: string; params?: Record<string, unknown> }
  /** A deep link the adapter makes for a payload. */
  deepLink?: { payload: string; url: string }
}

const SECRET = 'secret-abc-123'
const CHOICES = [
  { id: 'x:1', label: 'Có' },
  { id: 'x:2', label: 'Không' },
]

/**
 * The seam every channel implements, as one suite run over both HTTP stacks the product uses:
 * the global fetch (Workers) and node:http (the Node entry, src/node/http-fetch.ts).
 */
export function channelAdapterContract<F extends FakePlatform>(d: AdapterDescriptor<F>): void {
  for (const via of ['fetch', 'node:http'] as const) {
    describe(`${d.name} adapter contract over ${via}`, () => {
      const ctx = {} as { fake: F; adapter: ChannelAdapter }
      beforeAll(async () => {
        ctx.fake = await d.startFake()
        ctx.adapter = d.make(ctx.fake.url, ctx.fake, via === 'fetch' ? undefined : createHttpFetch())
      })
      afterAll(() => ctx.fake.close())
      inboundCases(d, ctx)
      sendCases(d, ctx)
      optionalMemberCases(d, ctx)
    })
  }
}

interface Ctx<F> {
  fake: F
  adapter: ChannelAdapter
}

function inboundCases<F extends FakePlatform>(d: AdapterDescriptor<F>, ctx: Ctx<F>) {
  it('verifies the secret header and refuses a wrong or missing one', async () => {
    expect(await ctx.adapter.verify(d.request('ok'))).toBe(true)
    expect(await ctx.adapter.verify(d.request('wrong'))).toBe(false)
    expect(await ctx.adapter.verify(d.request('longer'))).toBe(false)
    expect(await ctx.adapter.verify(d.request('missing'))).toBe(false)
  })

  it('parses a private text message into a neutral event', () => {
    const e = ctx.adapter.parse(d.textUpdate)!
    expect(e).toMatchObject({ kind: 'message', channel: d.name, isPrivate: true })
    expect(e.text).toContain('lịch tập huấn Nghị quyết 71')
    expect(e.updateId).not.toBe('')
    expect(e.receivedAt.getUTCFullYear()).toBe(2026)
  })

  it('ignores an unknown update', () => {
    expect(ctx.adapter.parse(d.unknownUpdate)).toBeNull()
    expect(ctx.adapter.parse({})).toBeNull()
    expect(ctx.adapter.parse(null)).toBeNull()
  })

  it.runIf(d.press)('reads a button press as its choice id, with no text', () => {
    expect(ctx.adapter.parse(d.press!.update)).toMatchObject({ kind: 'message', choiceId: d.press!.choiceId, text: '' })
  })
}

function sendCases<F extends FakePlatform>(d: AdapterDescriptor<F>, ctx: Ctx<F>) {
  it(d.press ? 'sends choices as buttons' : 'sends choices as numbered lines', async () => {
    ctx.fake.reset()
    await ctx.adapter.send('42', { text: 'Chọn:', choices: CHOICES })
    const sent = d.readSent(ctx.fake.sent()[0]!)
    if (d.press) expect(sent).toEqual({ text: 'Chọn:', buttons: CHOICES.map(({ id, label }) => ({ label, id })) })
    else expect(sent).toEqual({ text: 'Chọn:\n\n1. Có\n2. Không', buttons: [] })
  })

  it('splits a text longer than the platform limit', async () => {
    ctx.fake.reset()
    expect(ctx.adapter.maxTextLength).toBe(d.maxTextLength)
    const long = 'Nội dung quán triệt. '.repeat(Math.ceil((d.maxTextLength * 1.5) / 21))
    await ctx.adapter.send('42', { text: long })
    const parts = ctx.fake.sent().map((s) => d.readSent(s).text)
    expect(parts.length).toBe(2)
    expect(parts.every((p) => p.length <= d.maxTextLength)).toBe(true)
  })

  it('throws a ChannelError that says blocked, rate limited or transient, and never shows the token', async () => {
    ctx.fake.reset()
    ctx.fake.blockChat('9')
    const blocked = await ctx.adapter.send('9', { text: 'x' }).catch((e) => e)
    expect(blocked).toBeInstanceOf(ChannelError)
    expect(blocked.kind).toBe('blocked')
    ctx.fake.failWith(d.gatewayFailure.method, d.gatewayFailure.reply)
    const transient = await ctx.adapter.send('1', { text: 'x' }).catch((e) => e)
    expect(transient.kind).toBe('transient')
    expect(String(transient.message)).not.toMatch(/1:t|2:z|oa-access|oa-refresh/)
  })
}

/** Each optional member is present exactly when the descriptor declares it, and then does its job. */
function optionalMemberCases<F extends FakePlatform>(d: AdapterDescriptor<F>, ctx: Ctx<F>) {
  it('declares its limits and optional members as described', () => {
    expect(ctx.adapter.limits).toEqual(d.limits)
    expect(typeof ctx.adapter.webhookAck).toBe(d.webhookAck ? 'function' : 'undefined')
    expect(typeof ctx.adapter.webhookReply).toBe(d.webhookReply ? 'function' : 'undefined')
    expect(typeof ctx.adapter.acknowledge).toBe(d.acknowledge ? 'function' : 'undefined')
    expect(typeof ctx.adapter.registerWebhook).toBe(d.registerWebhook ? 'function' : 'undefined')
    if (!d.deepLink) expect(ctx.adapter.deepLink?.('ln_K7M4')).toBeUndefined()
  })

  it.runIf(d.webhookAck)('answers a press inside the webhook response, and nothing else', () => {
    const press = ctx.adapter.parse(d.press!.update)!
    expect(ctx.adapter.webhookAck!(press)).toMatchObject({ method: d.webhookAck })
    expect(ctx.adapter.webhookAck!(ctx.adapter.parse(d.textUpdate)!)).toBeUndefined()
  })

  it.runIf(d.webhookReply)('puts a short reply in the webhook response, never an image or a text over the limit', () => {
    const reply = ctx.adapter.webhookReply!('42', { text: 'Chọn:', choices: CHOICES })!
    expect(reply).toMatchObject({ method: d.webhookReply, chat_id: '42' })
    expect(d.readSent({ method: d.webhookReply!, params: reply }).buttons.map((b) => b.id)).toEqual(['x:1', 'x:2'])
    expect(ctx.adapter.webhookReply!('42', { text: 'Ảnh', imageUrl: 'https://loa.example.vn/a.png' })).toBeUndefined()
    expect(ctx.adapter.webhookReply!('42', { text: 'x'.repeat(d.maxTextLength + 1) })).toBeUndefined()
    expect(ctx.adapter.webhookReply!('42', { text: '' })).toBeUndefined()
  })

  it.runIf(d.acknowledge)('acknowledges a press with one platform call, and a plain message with none', async () => {
    ctx.fake.reset()
    await ctx.adapter.acknowledge!(ctx.adapter.parse(d.textUpdate) as InboundEvent)
    expect(ctx.fake.calls).toEqual([])
    await ctx.adapter.acknowledge!(ctx.adapter.parse(d.press!.update)!)
    expect(ctx.fake.calls.map((c) => c.method)).toEqual([d.acknowledge])
  })

  it.runIf(d.registerWebhook)('registers its webhook with the secret the platform will send back', async () => {
    ctx.fake.reset()
    await ctx.adapter.registerWebhook!('https://loa.example.vn/webhook/x', SECRET)
    const [call] = ctx.fake.calls.filter((x) => x.method === d.registerWebhook!.method)
    expect(call?.params).toMatchObject({ url: 'https://loa.example.vn/webhook/x', secret_token: SECRET, ...d.registerWebhook!.params })
  })

  it.runIf(d.deepLink)('makes a deep link that opens the chat carrying the payload', () => {
    expect(ctx.adapter.deepLink!(d.deepLink!.payload)).toBe(d.deepLink!.url)
  })
}

/** The header-secret request Telegram and the Zalo bot send (`verify` compares the header only). */
export function headerSecretRequest(header: string): (kind: SignedAs) => Request {
  const secrets: Record<SignedAs, string | undefined> = { ok: SECRET, wrong: 'secret-abc-124', longer: 'secret-abc-123-longer', missing: undefined }
  return (kind) => {
    const secret = secrets[kind]
    return new Request('http://x/webhook', { method: 'POST', headers: secret ? { [header]: secret } : {} })
  }
}

export { SECRET as CONTRACT_SECRET }
