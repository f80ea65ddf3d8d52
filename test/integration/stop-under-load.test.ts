import Database from 'better-sqlite3'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api.js'
import { tgMessage, zaloMessage } from '../helpers/harness.js'
import { freePort } from '../helpers/net.js'
import { postStatus, startServerProcess } from '../helpers/server-process.js'

/**
 * A stop under the worst load a supervisor can meet: a burst of hostile webhooks (forged secrets,
 * broken JSON, floods from many chats) has filled the outbox, both platforms stop answering in the
 * middle of the drain (one hangs its sends, the other is gone), requests are still arriving, and
 * then SIGTERM; meanwhile nobody reads the server's log. The process must be gone within ten
 * seconds with exit code 0, and what it had not sent stays queued for the next start (rows whose
 * send hung stay 'sending', which the next start queues again).
 */
const ADMIN_TOKEN = 'stop-load-admin-token-0123456789'
const ZALO_SECRET = 'stop-load-zalo-secret'
const TG_SECRET = 'stop-load-tg-secret'

let dir: string
let zalo: FakeBotApi
let telegram: FakeBotApi
let server: ChildProcess | undefined

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loa-stop-load-'))
  // Slow platforms: the outbox cannot empty itself before the stop.
  zalo = await startFakeBotApi({ platform: 'zalo', ratePerSecond: 20, retryAfter: 30 })
  telegram = await startFakeBotApi({ platform: 'telegram', ratePerSecond: 20, retryAfter: 30 })
})
afterEach(async () => {
  if (server?.pid && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  await Promise.allSettled([zalo.close(), telegram.close()])
  rmSync(dir, { recursive: true, force: true })
})

const startServer = (port: number) =>
  startServerProcess(
    port,
    {
      DATABASE_PATH: join(dir, 'loa.db'),
      ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      ZALO_BOT_TOKEN: '987654:stop-zalo-token',
      ZALO_WEBHOOK_SECRET: ZALO_SECRET,
      ZALO_API_ROOT: zalo.url,
      TELEGRAM_BOT_TOKEN: '123456:stop-tg-token',
      TELEGRAM_BOT_USERNAME: 'loa_stop_bot',
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      // Platforms that hang: a send waits this long before it counts as a network error.
      PLATFORM_TIMEOUT_SECONDS: '30',
    },
    // A log reader that never reads (a stalled journald or `docker logs`): the pipe fills up.
    ['ignore', 'pipe', 'pipe'],
  )
const post = postStatus

/** The hostile mix: most are refused, a third are real messages from strangers that each get a reply. */
function hostile(port: number, i: number): Promise<number> {
  const zaloHeaders = { 'x-bot-api-secret-token': ZALO_SECRET }
  const tgHeaders = { 'x-telegram-bot-api-secret-token': TG_SECRET }
  switch (i % 6) {
    case 0:
      return post(port, '/webhook/zalo', JSON.stringify(zaloMessage(`zs${i}`, `xin chào ${i}`)), zaloHeaders)
    case 1:
      return post(port, '/webhook/telegram', JSON.stringify(tgMessage(5_000_000 + i, `/start SAI-${i}`, 900_000 + i)), tgHeaders)
    case 2:
      return post(port, '/webhook/zalo', JSON.stringify(zaloMessage(`zf${i}`, 'giả mạo')), { 'x-bot-api-secret-token': 'forged-secret' })
    case 3:
      return post(port, '/webhook/telegram', '{"update_id": 1, "message": ', tgHeaders)
    case 4:
      return post(port, '/webhook/zalo', JSON.stringify(zaloMessage(`zs${i}`, `/baocao ${i}`)), zaloHeaders)
    default:
      return post(port, '/webhook/zalo', JSON.stringify({ event_name: 'message.text.received', message: { text: 'x'.repeat(5000) } }), zaloHeaders)
  }
}

describe('stopping under load', () => {
  it('exits within 10 s after a hostile burst with both platforms unreachable mid-drain, and keeps the unsent work queued', { timeout: 90_000 }, async () => {
    const port = await freePort()
    server = await startServer(port)
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((ok) =>
      server!.on('exit', (code, signal) => ok({ code, signal, at: Date.now() })),
    )

    const burst = await Promise.all(Array.from({ length: 3000 }, (_, i) => hostile(port, i)))
    expect(burst.filter((s) => s >= 500), 'no 5xx in the burst').toEqual([])
    expect(burst.filter((s) => s === 200).length).toBeGreaterThan(1000)
    expect(burst.filter((s) => s === 401).length).toBeGreaterThan(400)

    // Mid-drain the platforms fail: Zalo hangs every send, then Telegram disappears altogether.
    expect(zalo.sent().length + telegram.sent().length).toBeGreaterThan(0)
    for (let i = 0; i < 3000; i++) zalo.hold(`zs${i}`, 60_000)
    await new Promise((r) => setTimeout(r, 500))
    await telegram.close()

    // Requests still arriving when the signal comes.
    const late = Promise.all(Array.from({ length: 300 }, (_, i) => hostile(port, 3000 + i)))
    await new Promise((r) => setTimeout(r, 50))
    const signalledAt = Date.now()
    server.kill('SIGTERM')
    await late
    const exit = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))])
    expect(exit, 'the process is still running 15 s after SIGTERM').not.toBeNull()
    // Exit 0: the stop committed what it had and closed the database (not the forced exit 1, nor
    // the watchdog's SIGKILL).
    expect(exit!.signal).toBeNull()
    expect(exit!.code).toBe(0)
    expect(exit!.at - signalledAt).toBeLessThan(10_000)

    // What was not sent is still queued (not lost, not marked failed) for the next start.
    const db = new Database(join(dir, 'loa.db'), { readonly: true })
    try {
      const byStatus = Object.fromEntries(
        (db.prepare(`select status, count(*) n from deliveries group by status`).all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
      )
      expect(byStatus.queued ?? 0).toBeGreaterThan(500)
      expect(byStatus.failed ?? 0).toBe(0)
    } finally {
      db.close()
    }
  })
})
