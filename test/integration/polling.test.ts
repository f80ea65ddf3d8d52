import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pollTelegram } from '#src/channels/telegram/polling.js'
import type { createZaloAdapter } from '#src/channels/zalo/adapter.js'
import { pollZalo } from '#src/channels/zalo/polling.js'
import { silentLogger } from '#src/deps.js'
import type { InboundEvent } from '#src/core/events.js'
import { inviteCode, seedDirectory, startHarness, tgMessage, zaloMessage, type Harness } from '../helpers/harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness({ BOT_MODE: 'polling' })
})
afterEach(() => h.close())

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const receiveWith = (h: Harness) => async (event: InboundEvent) => {
  if ((await h.app.chat.receive(event)).status === 'accepted') await h.deps.sendReplies()
}

describe('BOT_MODE=polling', () => {
  it('enrolls a Zalo user from long-polled updates, each handled once', async () => {
    const ids = await seedDirectory(h)
    const code = await inviteCode(h, ids.lan)
    const update = zaloMessage('zp', code, { messageId: 'poll-1', wrapped: false })
    h.zalo.pushUpdate(update)
    h.zalo.pushUpdate(update)
    const stop = pollZalo(h.deps.channels.zalo as ReturnType<typeof createZaloAdapter>, receiveWith(h), silentLogger, { timeoutSeconds: 1, retryMs: 50 })
    await until(() => h.texts(h.zalo, 'zp').length >= 2 && h.zalo.calls.filter((c) => c.method === 'getUpdates').length >= 4)
    await stop()
    expect(h.texts(h.zalo, 'zp').filter((t) => t.includes('Xin chào Nguyễn Thị Lan'))).toHaveLength(1)
    expect(h.zalo.calls.some((c) => c.method === 'deleteWebhook')).toBe(true)
  })

  it('answers a Telegram user from long-polled updates and confirms them with the offset', async () => {
    h.telegram.pushUpdate(tgMessage(31, '/huongdan', 5001))
    const stop = pollTelegram({ token: '123456:TEST-telegram-token', apiRoot: h.telegram.url }, h.deps.channels.telegram!, receiveWith(h), silentLogger)
    await until(() => h.texts(h.telegram, 31).length > 0)
    await until(() => h.telegram.calls.some((c) => c.method === 'getUpdates' && Number(c.params.offset) === 5002))
    await stop()
    expect(h.lastText(h.telegram, 31)).toContain('chưa được liên kết')
  })
})
