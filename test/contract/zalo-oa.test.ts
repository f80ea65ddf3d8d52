import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createZaloOaAdapter } from '#src/channels/zalo-oa/adapter.js'
import { createZaloOaClient } from '#src/channels/zalo-oa/client.js'
import { ChannelError } from '#src/core/channel.js'
import { signOaEvent, startFakeZaloOaApi, type FakeZaloOaApi } from '../fakes/zalo-oa-api.js'
import { channelAdapterContract, CONTRACT_SECRET as OA_KEY, type FakePlatform, type SignedAs } from './channel-adapter-contract.js'
import { fixtureText } from './fixtures.js'

/** An OA adapter on the fake OA API, holding a token pair the fake issued (as after connecting). */
function makeOa(apiRoot: string, fake: FakeZaloOaApi, fetchImpl?: typeof fetch) {
  const client = createZaloOaClient({ appId: fake.appId, appSecret: fake.appSecret, apiRoot, oauthRoot: apiRoot, fetch: fetchImpl })
  let pair: { access_token: string; refresh_token: string } = fake.issueTokens()
  return createZaloOaAdapter({
    appId: fake.appId,
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

/** The OA signs sha256(app_id + raw body + timestamp + key) into X-ZEvent-Signature. */
const oaRequest = (kind: SignedAs) => {
  const raw = fixtureText('zalo-oa-user-send-text.json')
  const sig = signOaEvent(raw, OA_KEY)
  const header = kind === 'ok' ? sig : kind === 'wrong' ? signOaEvent(raw, 'secret-abc-124') : kind === 'longer' ? `${sig}0` : undefined
  return new Request('http://x/webhook', { method: 'POST', body: raw, headers: header ? { 'x-zevent-signature': header } : {} })
}

channelAdapterContract<FakeZaloOaApi & FakePlatform>({
  name: 'zalo_oa',
  startFake: () => startFakeZaloOaApi() as Promise<FakeZaloOaApi & FakePlatform>,
  make: (apiRoot, fake, fetch) => makeOa(apiRoot, fake, fetch),
  request: oaRequest,
  // The OA fixture says "K7M4-Q2XP"; the contract's text is the Zalo one's, sent to the OA.
  textUpdate: { ...JSON.parse(fixtureText('zalo-oa-user-send-text.json')), message: { msg_id: 'a1d3f0c5b7e9', text: 'Cho tôi hỏi lịch tập huấn Nghị quyết 71' } },
  unknownUpdate: { app_id: '1', event_name: 'user_seen_message', timestamp: '1773623730418', sender: { id: '1' } },
  press: { update: JSON.parse(fixtureText('zalo-oa-user-send-query.json')), choiceId: 'ack:412' },
  gatewayFailure: { method: 'message/cs', reply: { status: 502, body: { error: -1, message: 'Bad Gateway' } } },
  // A button's payload is its label, then the choice id after " #" (see the specifics below).
  readSent: ({ params }) => ({
    text: String(params.text),
    buttons: ((params.buttons ?? []) as { title: string; payload: string }[]).map((b) => ({ label: b.title, id: String(b.payload).split(' #')[1]! })),
  }),
  maxTextLength: 2000,
  limits: { ratePerSecond: 5, perChatIntervalMs: 1000, monthlyQuota: 0, windowHours: 168 },
})

describe('Zalo OA specifics', () => {
  let fake: FakeZaloOaApi
  let oa: ReturnType<typeof makeOa>
  beforeAll(async () => {
    fake = await startFakeZaloOaApi()
    oa = makeOa(fake.url, fake)
  })
  afterAll(() => fake.close())

  it('checks the signature over the exact bytes: the same JSON re-serialised is refused', async () => {
    const raw = fixtureText('zalo-oa-user-send-text.json')
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
    const pressed = oa.parse({ ...JSON.parse(fixtureText('zalo-oa-user-send-query.json')), message: { msg_id: 'q1', text: 'Đã đọc #ack:412' } })
    expect(pressed).toMatchObject({ kind: 'message', choiceId: 'ack:412', text: '', updateId: 'q1', chatId: '4369813276543210987' })
    // A hidden-payload button (oa.query.hide, as in the fixture) works the same.
    expect(oa.parse(JSON.parse(fixtureText('zalo-oa-user-send-query.json')))).toMatchObject({ choiceId: 'ack:412' })
    expect(oa.parse(JSON.parse(fixtureText('zalo-oa-follow.json')))).toMatchObject({ kind: 'unblocked', chatId: '4369813276543210987' })
    expect(oa.parse({ ...JSON.parse(fixtureText('zalo-oa-follow.json')), event_name: 'unfollow' })).toMatchObject({ kind: 'blocked' })
    // A typed "#" inside a sentence is text, not a press.
    expect(oa.parse({ ...JSON.parse(fixtureText('zalo-oa-user-send-text.json')), message: { msg_id: 'q2', text: 'Mục #2 là gì?' } })).toMatchObject({ text: 'Mục #2 là gì?' })
    expect(oa.parse({ ...JSON.parse(fixtureText('zalo-oa-user-send-text.json')), event_name: 'user_send_image' })).toMatchObject({ kind: 'message', text: '' })
    expect(oa.parse({ ...JSON.parse(fixtureText('zalo-oa-user-send-text.json')), event_name: 'oa_send_text' })).toBeNull()
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

  it('sends choices as oa.query.show buttons whose payload is the label, then # and the choice id', async () => {
    fake.reset()
    await oa.send('42', { text: 'Chọn:', choices: [{ id: 'x:1', label: 'Có' }, { id: 'x:2', label: 'Không' }] })
    const [call] = fake.sent()
    expect(call!.method).toBe('message/cs')
    expect(call!.params.buttons).toEqual([
      { title: 'Có', type: 'oa.query.show', payload: 'Có #x:1' },
      { title: 'Không', type: 'oa.query.show', payload: 'Không #x:2' },
    ])
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
