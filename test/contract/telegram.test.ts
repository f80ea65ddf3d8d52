import { describe, expect, it } from 'vitest'
import { createTelegramAdapter } from '#src/channels/telegram/adapter.js'
import { startFakeBotApi } from '../fakes/bot-api.js'
import { channelAdapterContract, CONTRACT_SECRET, headerSecretRequest, type FakePlatform } from './channel-adapter-contract.js'
import { fixture } from './fixtures.js'

channelAdapterContract({
  name: 'telegram',
  startFake: () => startFakeBotApi({ platform: 'telegram' }) as Promise<FakePlatform>,
  make: (apiRoot, _fake, fetch) => createTelegramAdapter({ token: '1:t', apiRoot, webhookSecret: CONTRACT_SECRET, username: 'nq71_cantho_bot', fetch }),
  request: headerSecretRequest('x-telegram-bot-api-secret-token'),
  textUpdate: fixture('telegram-message.json'),
  unknownUpdate: fixture('telegram-poll-answer.json'),
  press: { update: fixture('telegram-callback-query.json'), choiceId: 'qz:12:1:b' },
  gatewayFailure: { method: 'sendMessage', reply: { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } } },
  readSent: ({ params }) => ({
    text: String(params.text),
    buttons: ((params.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat().map((b) => ({ label: b.text, id: b.callback_data })),
  }),
  maxTextLength: 4096,
  webhookAck: 'answerCallbackQuery',
  webhookReply: 'sendMessage',
  acknowledge: 'answerCallbackQuery',
  // Quiz bursts: Telegram's default is 40 parallel webhook connections; 100 is its maximum.
  registerWebhook: { method: 'setWebhook', params: { max_connections: 100, allowed_updates: ['message', 'callback_query', 'my_chat_member'] } },
  deepLink: { payload: 'ln_K7M4', url: 'https://t.me/nq71_cantho_bot?start=ln_K7M4' },
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
  it('makes no deep link without the bot username', () => {
    expect(tg.deepLink!('ln_K7M4')).toBeUndefined()
  })
})
