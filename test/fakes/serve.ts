// Runs the fake Telegram and Zalo Bot API servers on fixed ports and prints every call, so the real
// server can be tried by hand without the internet:
//   npx tsx test/fakes/serve.ts            (Telegram on 127.0.0.1:8081, Zalo on 127.0.0.1:8082)
//   TELEGRAM_API_ROOT=http://127.0.0.1:8081 ZALO_API_ROOT=http://127.0.0.1:8082 … npm start
import { startFakeBotApi } from './bot-api.js'

const telegramPort = Number(process.env.FAKE_TELEGRAM_PORT ?? 8081)
const zaloPort = Number(process.env.FAKE_ZALO_PORT ?? 8082)

for (const [platform, port] of [['telegram', telegramPort], ['zalo', zaloPort]] as const) {
  const fake = await startFakeBotApi({ platform, port })
  let seen = 0
  setInterval(() => {
    for (const call of fake.calls.slice(seen)) {
      const { chat_id, text, caption, reply_markup } = call.params
      const buttons = reply_markup?.inline_keyboard?.flat().map((b: { text: string }) => `[${b.text}]`).join(' ')
      console.log(`${platform} ${call.method}${chat_id ? ` → ${chat_id}` : ''}${text ?? caption ? `:\n  ${String(text ?? caption).replace(/\n/g, '\n  ')}` : ''}${buttons ? `\n  ${buttons}` : ''}`)
    }
    seen = fake.calls.length
  }, 200)
  console.log(`fake ${platform} Bot API on ${fake.url}`)
}
