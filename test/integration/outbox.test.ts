import Database from 'better-sqlite3'
import { eq } from 'drizzle-orm'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chatLinks, deliveries } from '#db/schema/index.js'
import { enqueue } from '#src/delivery/queue.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

const msg = (chatId: string, key: string, channel: 'telegram' | 'zalo' = 'telegram') => ({
  source: 'message',
  sourceId: 0,
  channel,
  chatId,
  payload: { text: `hello ${key}` },
  dedupeKey: key,
})

describe('outbox', () => {
  it('queues a dedupe key once and sends it once, even when flushed twice', async () => {
    expect(await enqueue(h.db, [msg('1', 'k1'), msg('2', 'k2')], h.now())).toBe(2)
    expect(await enqueue(h.db, [msg('1', 'k1')], h.now())).toBe(0)
    await h.flush()
    await h.flush()
    expect(h.telegram.sent().map((c) => c.params.text).sort()).toEqual(['hello k1', 'hello k2'])
  })

  it('waits retry_after on 429 and then sends', async () => {
    h.telegram.failWith('sendMessage', { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } })
    await enqueue(h.db, [msg('1', 'k1')], h.now())
    const first = await h.flush()
    expect(first).toMatchObject({ sent: 0, retried: 1 })
    const [row] = await h.db.select().from(deliveries)
    expect(row!.nextAttemptAt.getTime() - h.now().getTime()).toBe(1000)
    h.setNow(new Date(h.now().getTime() + 1000))
    expect(await h.flush()).toMatchObject({ sent: 1 })
  })

  it('marks a blocked person blocked, does not retry, and flags the chat', async () => {
    const ids = await seedDirectory(h)
    await enroll(h, ids.lan, 'zalo', 'zl')
    h.zalo.blockChat('zl')
    await enqueue(h.db, [msg('zl', 'k1', 'zalo')], h.now())
    expect(await h.flush()).toMatchObject({ blocked: 1, sent: 0 })
    const [link] = await h.db.select().from(chatLinks).where(eq(chatLinks.chatId, 'zl'))
    expect(link!.blockedAt).not.toBeNull()
    h.setNow(new Date(h.now().getTime() + 3600_000))
    expect(await h.flush()).toMatchObject({ claimed: 0 })
  })

  it('retries a 5xx with capped backoff until the horizon, then records it as expired', async () => {
    h.telegram.failWith('sendMessage', { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }, 1000)
    await enqueue(h.db, [msg('1', 'k1')], h.now())
    const start = h.now().getTime()
    const gaps: number[] = []
    for (let i = 0; i < 12; i++) {
      await h.flush()
      const [row] = await h.db.select().from(deliveries)
      gaps.push(row!.nextAttemptAt.getTime() - h.now().getTime())
      h.setNow(row!.nextAttemptAt)
    }
    // Exponential (whole seconds, with ±20 % jitter), and never more than a minute apart.
    expect(gaps[4]!).toBeGreaterThan(gaps[0]! * 5)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000)
    const [queued] = await h.db.select().from(deliveries)
    expect(queued).toMatchObject({ status: 'queued', failReason: null })
    h.setNow(new Date(start + 25 * 3600_000))
    await h.flush()
    const [row] = await h.db.select().from(deliveries)
    expect(row).toMatchObject({ status: 'failed', failReason: 'expired' })
    expect(row!.lastError).toContain('502')
  })

  it('commits a claim before sending any of its rows, so a restart knows what was in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-outbox-durable-'))
    const d = await startHarness({ DATABASE_PATH: join(dir, 'loa.db') })
    // Another process's view of the file: what a restart after kill -9 would find.
    const reader = new Database(join(dir, 'loa.db'), { readonly: true })
    try {
      await enqueue(d.db, [msg('1', 'k1'), msg('2', 'k2')], d.now())
      await d.deps.committed()
      const telegram = d.deps.channels.telegram!
      const send = telegram.send.bind(telegram)
      const statusAtSend: string[] = []
      telegram.send = (chatId, message) => {
        statusAtSend.push((reader.prepare(`select status from deliveries where chat_id = ?`).get(chatId) as { status: string }).status)
        return send(chatId, message)
      }
      expect(await d.flush()).toMatchObject({ sent: 2 })
      expect(statusAtSend).toEqual(['sending', 'sending'])
    } finally {
      reader.close()
      await d.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('replies in the outbox', () => {
  /** The duplicate check forgets an update id after a week (the prune-updates job); Telegram may then reuse it. */
  const forgetUpdateIds = async () => {
    h.setNow(new Date(h.now().getTime() + 8 * 86_400_000))
    expect((await h.api('/jobs/prune-updates/run', { body: {} })).status).toBe(200)
  }
  const helps = () => h.texts(h.telegram, 501).filter((t) => t.includes('/ngonngu'))

  it('never sends a reply twice when its update comes again after the duplicate check forgot it', async () => {
    await h.say.telegram(501, '/huongdan', { updateId: 9001 })
    await h.flush()
    expect(helps()).toHaveLength(1)
    await forgetUpdateIds()
    expect((await h.say.telegram(501, '/huongdan', { updateId: 9001 })).headers.get('x-loa-update')).toBe('accepted')
    await h.flush()
    expect(helps()).toHaveLength(1)
    expect(await h.db.select().from(deliveries).where(eq(deliveries.source, 'reply'))).toHaveLength(1)
  })

  it('queues again a reply that failed, as for any delivery, when its update comes again', async () => {
    h.telegram.failWith('sendMessage', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } })
    await h.say.telegram(501, '/huongdan', { updateId: 9002 })
    await h.flush()
    expect(helps()).toHaveLength(0)
    expect(await h.db.select().from(deliveries).where(eq(deliveries.source, 'reply'))).toMatchObject([{ status: 'failed', failReason: 'rejected' }])
    await forgetUpdateIds()
    await h.say.telegram(501, '/huongdan', { updateId: 9002 })
    await h.flush()
    expect(helps()).toHaveLength(1)
    expect(await h.db.select().from(deliveries).where(eq(deliveries.source, 'reply'))).toMatchObject([{ status: 'sent' }])
  })
})
