import { describe, expect, it } from 'vitest'
import { createZaloAdapter } from '#src/channels/zalo/adapter.js'
import { startFakeBotApi } from '../fakes/bot-api.js'
import { channelAdapterContract, CONTRACT_SECRET, headerSecretRequest, type FakePlatform } from './channel-adapter-contract.js'
import { fixture } from './fixtures.js'

channelAdapterContract({
  name: 'zalo',
  startFake: () => startFakeBotApi({ platform: 'zalo' }) as Promise<FakePlatform>,
  make: (apiRoot, _fake, fetch) => createZaloAdapter({ token: '2:z', apiRoot, webhookSecret: CONTRACT_SECRET, fetch }),
  request: headerSecretRequest('x-bot-api-secret-token'),
  textUpdate: fixture('zalo-text.json'),
  unknownUpdate: { ok: true, result: { event_name: 'message.reaction.received' } },
  gatewayFailure: { method: 'sendMessage', reply: { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } } },
  // No buttons on the Zalo bot: choices are numbered lines in the text.
  readSent: ({ params }) => ({ text: String(params.text), buttons: [] }),
  maxTextLength: 2000,
  registerWebhook: { method: 'setWebhook' },
})

describe('Zalo specifics', () => {
  const zalo = createZaloAdapter({ token: '2:z', apiRoot: 'http://127.0.0.1:9', webhookSecret: 's' })
  it('accepts the flat and the wrapped webhook body alike', () => {
    const flat = fixture('zalo-group-text.json')
    const e = zalo.parse(flat)!
    expect(e).toMatchObject({ chatId: '5e92b1f7c3a04d68e219', isPrivate: false, updateId: '41c8f2a06e9d3b57c2e8' })
    expect(zalo.parse({ ok: true, result: flat })).toMatchObject({ chatId: '5e92b1f7c3a04d68e219' })
  })
  it('turns stickers and unsupported content into a text-less message, and an image into its URL and caption', () => {
    for (const f of ['zalo-sticker.json', 'zalo-unsupported.json']) {
      expect(zalo.parse(fixture(f))).toMatchObject({ kind: 'message', text: '' })
    }
    expect(zalo.parse(fixture('zalo-image.json'))).toMatchObject({
      kind: 'message',
      text: 'Ảnh buổi quán triệt Nghị quyết 71 tại Trường THCS An Hòa, sáng 16/3',
      image: { ref: 'https://zalo-cdn.example/photo/7f3a9c2e/buoi-tap-huan-16-03.jpg' },
    })
  })
  it('calls its fetch as a plain function, as the Workers runtime requires', async () => {
    let thisWas = 'not called'
    const zaloOnWorkers = createZaloAdapter({
      token: '2:z',
      apiRoot: 'http://fake',
      webhookSecret: 's',
      // Workers' fetch throws "Illegal invocation" when called with any other `this`.
      fetch: async function (this: unknown) {
        thisWas = this === undefined ? 'undefined' : typeof this
        return Response.json({ ok: true, result: { message_id: 'm1' } })
      },
    })
    await zaloOnWorkers.send('1', { text: 'x' })
    expect(thisWas).toBe('undefined')
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
