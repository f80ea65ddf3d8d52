import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { deliveries } from '#db/schema/index.js'
import { openSqlite } from '#db/sqlite.js'
import { ChannelError, type ChannelAdapter } from '#src/core/channel.js'
import type { OutboundMessage } from '#src/core/events.js'
import { parseConfig } from '#src/config.js'
import { createDispatcher, type DispatcherOptions } from '#src/delivery/dispatcher.js'
import { enqueue, enqueueReply } from '#src/delivery/queue.js'
import { silentLogger, type AppDeps } from '#src/deps.js'

/**
 * One lane (Telegram's) on a fake clock and a fake adapter: the dispatcher's `now`, its rate gate,
 * its waits and the rows' times are all the one fake clock, so a minute of sending takes
 * milliseconds and every time asserted is the clock the lane itself read.
 */

const T0 = new Date('2026-03-16T02:00:00Z').getTime()

interface Send {
  at: number
  chatId: string
  text: string
  ok: boolean
}

/** A Telegram-like adapter answering each call as `answer` says (undefined: accepted). */
function fakeAdapter(ratePerSecond: number, answer: (call: number, chatId: string) => Error | undefined = () => undefined) {
  const sends: Send[] = []
  const adapter: ChannelAdapter = {
    name: 'telegram',
    maxTextLength: 4096,
    limits: { ratePerSecond, perChatIntervalMs: 1000, monthlyQuota: 0 },
    verify: async () => true,
    parse: () => null,
    async send(chatId: string, message: OutboundMessage) {
      const err = answer(sends.length, chatId)
      sends.push({ at: Date.now() - T0, chatId, text: message.text, ok: !err })
      if (err) throw err
      return { messageId: String(sends.length) }
    },
  }
  return { adapter, sends, accepted: () => sends.filter((s) => s.ok) }
}

let close = () => {}
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 })
})
afterEach(() => {
  close()
  vi.useRealTimers()
})

function lane(adapter: ChannelAdapter, options: DispatcherOptions = {}, timed?: (sql: string, start: number) => void) {
  const sqlite = openSqlite(':memory:', { timed })
  close = sqlite.close
  const deps = {
    config: parseConfig({}),
    db: sqlite.db,
    channels: { telegram: adapter },
    clock: () => new Date(),
    logger: silentLogger,
    committed: async () => {},
  } satisfies Partial<AppDeps>
  // The dispatcher reads only these; its `now` defaults to this (fake) clock.
  const dispatcher = createDispatcher(deps as AppDeps, {}, { perChatIntervalMs: 0, ...options })
  const queue = (n: number, chat = (i: number) => String(100 + i), first = 0) =>
    enqueue(
      sqlite.db,
      Array.from({ length: n }, (_, k) => ({ source: 'message', sourceId: 0, channel: 'telegram' as const, chatId: chat(first + k), payload: { text: `m${first + k}` }, dedupeKey: `k${first + k}` })),
      new Date(),
    )
  const rows = () => sqlite.db.select().from(deliveries).orderBy(deliveries.id)
  return { dispatcher, queue, rows, db: sqlite.db }
}

/** Moves the fake clock on `ms`, letting the lane's timers, promises and database turns run. */
async function pass(ms: number, step = 10) {
  for (let t = 0; t < ms; t += step) {
    await vi.advanceTimersByTimeAsync(step)
    await new Promise((r) => setImmediate(r))
  }
}

/** Runs `work` to its end on the fake clock (at most `maxMs` of it). */
async function onFakeClock<T>(work: Promise<T>, maxMs = 120_000): Promise<T> {
  let done = false
  const result = work.finally(() => (done = true))
  for (let t = 0; !done && t < maxMs; t += 10) await pass(10)
  expect(done).toBe(true)
  return result
}

describe('one lane on a fake clock', () => {
  it('paces sends at the configured rate, never more in any second', async () => {
    const { adapter, sends } = fakeAdapter(10)
    const { dispatcher, queue, rows } = lane(adapter)
    await queue(30)
    const stats = await onFakeClock(dispatcher.drain(60_000))
    expect(stats).toMatchObject({ claimed: 30, sent: 30, retried: 0, failed: 0 })
    expect(sends.map((s) => s.text).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort())
    // 10 a second at 97 %: 30 messages take about three seconds, and no second holds more than 10.
    for (const s of sends) expect(sends.filter((o) => o.at >= s.at && o.at < s.at + 1000).length).toBeLessThanOrEqual(10)
    expect(sends.at(-1)!.at).toBeGreaterThanOrEqual(2_900)
    expect(sends.at(-1)!.at).toBeLessThan(4_000)
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true)
  })

  it('keeps one chat to its interval while other chats go on', async () => {
    const { adapter, sends } = fakeAdapter(100)
    const { dispatcher, queue } = lane(adapter, { perChatIntervalMs: 1000 })
    await queue(3, () => '7')
    await queue(2, (i) => `8${i}`, 3)
    await onFakeClock(dispatcher.drain(60_000))
    const seven = sends.filter((s) => s.chatId === '7')
    expect(seven.map((s) => s.text)).toEqual(['m0', 'm1', 'm2'])
    expect(seven[1]!.at - seven[0]!.at).toBeGreaterThanOrEqual(1000)
    expect(seven[2]!.at - seven[1]!.at).toBeGreaterThanOrEqual(1000)
    // The other chats did not wait for chat 7.
    for (const s of sends.filter((x) => x.chatId !== '7')) expect(s.at).toBeLessThan(1000)
  })

  it('lets no chat whose call hangs hold up the others', async () => {
    const { adapter, sends } = fakeAdapter(100)
    const send = adapter.send.bind(adapter)
    adapter.send = async (chatId, message) => {
      if (chatId === '100') await new Promise((r) => setTimeout(r, 30_000))
      return send(chatId, message)
    }
    const { dispatcher, queue } = lane(adapter)
    await queue(5)
    await onFakeClock(dispatcher.drain(60_000))
    const hung = sends.find((s) => s.chatId === '100')!
    expect(hung.at).toBeGreaterThanOrEqual(30_000)
    for (const s of sends.filter((x) => x !== hung)) expect(s.at).toBeLessThan(1000)
  })

  it('honours a 429’s retry_after: the whole bot waits, then the refused message goes', async () => {
    const tooMany = new ChannelError('telegram', 'sendMessage', 'rate_limited', 429, 'Too Many Requests: retry after 3', 3)
    const { adapter, sends, accepted } = fakeAdapter(10, (call) => (call === 0 ? tooMany : undefined))
    const { dispatcher, queue, rows } = lane(adapter)
    await queue(3)
    const stats = await onFakeClock(dispatcher.drain(60_000))
    expect(stats).toMatchObject({ claimed: 4, retried: 1, sent: 3, failed: 0 })
    // Nobody sent during the three seconds the platform asked for; then the refused one went too.
    expect(sends.map((s) => [s.text, s.ok])).toContainEqual(['m0', false])
    expect(sends[0]!.at).toBeLessThan(200)
    expect(accepted().map((s) => s.text).sort()).toEqual(['m0', 'm1', 'm2'])
    for (const s of accepted()) expect(s.at).toBeGreaterThanOrEqual(3000)
    expect(sends).toHaveLength(4)
    // Being told to slow down used up no attempt.
    const [refused] = await rows()
    expect(refused).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('rides out an outage: transient errors pause the lane, one send probes, and sending resumes', async () => {
    const down = new ChannelError('telegram', 'sendMessage', 'transient', 502, 'Bad Gateway')
    let upAt = Infinity
    const { adapter, sends, accepted } = fakeAdapter(10, () => (Date.now() - T0 < upAt ? down : undefined))
    upAt = 20_000
    const { dispatcher, queue, rows } = lane(adapter, { probeMs: [2_000, 8_000] })
    await queue(20)
    dispatcher.start(1000)
    await pass(upAt)
    const during = sends.filter((s) => !s.ok)
    // Three failures make an outage; after that the lane probes, one send after each pause, the
    // pause doubling (2 s, 4 s, 8 s at most) instead of trying every row.
    expect(during.length).toBeGreaterThanOrEqual(3)
    expect(during.length).toBeLessThan(12)
    const afterOutage = during.slice(2)
    for (let i = 1; i < afterOutage.length; i++) expect(afterOutage[i]!.at - afterOutage[i - 1]!.at).toBeGreaterThanOrEqual(2_000)
    expect(accepted()).toHaveLength(0)
    // Back up: the next probe goes through and everything is sent within the backoff cap (60 s).
    await pass(70_000, 50)
    const stopping = dispatcher.stop()
    await onFakeClock(stopping)
    expect(accepted().map((s) => s.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort())
    expect(accepted()[0]!.at).toBeGreaterThanOrEqual(upAt)
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true)
  })

  it('sends one probe at a time once the platform looks down', async () => {
    const down = new ChannelError('telegram', 'sendMessage', 'transient', undefined, 'network: Error ECONNREFUSED')
    const { adapter, sends } = fakeAdapter(1000, () => down)
    const { dispatcher, queue, db } = lane(adapter, { probeMs: [5_000, 30_000] })
    await queue(50)
    dispatcher.start(1000)
    await pass(30_000, 20)
    await onFakeClock(dispatcher.stop())
    // Eight sends start at once; after the third failure nothing is sent until the pause ends, and
    // then one row probes at a time (each its own pause), not fifty.
    const firstBurst = sends.filter((s) => s.at < 1000).length
    expect(firstBurst).toBeLessThanOrEqual(8)
    const later = sends.filter((s) => s.at >= 1000)
    expect(later.length).toBeLessThanOrEqual(4)
    for (let i = 1; i < later.length; i++) expect(later[i]!.at - later[i - 1]!.at).toBeGreaterThanOrEqual(5_000)
    const waiting = await db.select().from(deliveries).where(eq(deliveries.status, 'queued'))
    expect(waiting).toHaveLength(50)
  })

  it('sends replies that outrun the bot’s rate first and in order, without a claim at every poke', async () => {
    const { adapter, sends, accepted } = fakeAdapter(20)
    let claims = 0
    const { dispatcher, queue, db } = lane(adapter, {}, (sql) => {
      if (sql.includes("set status = 'sending'")) claims++
    })
    await queue(50, (i) => `b${i}`)
    dispatcher.start(1000)
    // A quiz burst: 200 replies in two seconds (100 a second) to a bot that sends 20 a second,
    // each webhook poking the dispatcher as the server does.
    for (let k = 0; k < 200; k++) {
      await enqueueReply(
        db,
        { personId: null, channel: 'telegram', chatId: `q${k % 100}`, locale: 'vi', payload: { text: `r${k}` }, dedupeKey: `reply:telegram:${k}:0`, expiresAt: new Date(Date.now() + 3_600_000) },
        new Date(),
      )
      dispatcher.poke(true)
      await pass(10)
    }
    await pass(15_000, 20)
    await onFakeClock(dispatcher.stop())
    const texts = accepted().map((s) => s.text)
    // Everything went once; every reply before the brief's messages but the 8 already being sent
    // when the burst began, and each chat's two replies in the order they were written.
    expect(texts.slice().sort()).toEqual([...Array.from({ length: 50 }, (_, i) => `m${i}`), ...Array.from({ length: 200 }, (_, k) => `r${k}`)].sort())
    expect(sends).toHaveLength(250)
    const lastReply = Math.max(...texts.map((t, i) => (t.startsWith('r') ? i : -1)))
    expect(texts.slice(0, lastReply).filter((t) => t.startsWith('m')).length).toBeLessThanOrEqual(8)
    for (let c = 0; c < 100; c++) expect(texts.indexOf(`r${c}`)).toBeLessThan(texts.indexOf(`r${c + 100}`))
    // The lane claimed when it had room or ran low on replies, not at each poke: 75 claims here,
    // 641 before (a claim at every poke and every turn, each stepping over the replies queued
    // behind those held), and the replies blocked behind their chat's first one waited for the brief.
    expect(claims).toBeLessThan(100)
  })
})
