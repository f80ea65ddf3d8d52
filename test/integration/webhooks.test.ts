import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN_TOKEN, enroll, seedDirectory, startHarness, tgMessage, zaloMessage, type Harness } from '../helpers/harness.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

const cases = [
  { label: 'telegram without secret', channel: 'telegram', body: tgMessage(1, 'hi'), secret: null, status: 401 },
  { label: 'telegram with wrong secret', channel: 'telegram', body: tgMessage(1, 'hi'), secret: 'wrong-secret-xx', status: 401 },
  { label: 'zalo without secret', channel: 'zalo', body: zaloMessage('a', 'hi'), secret: null, status: 401 },
  { label: 'zalo with the telegram secret', channel: 'zalo', body: zaloMessage('a', 'hi'), secret: 'tg-secret-123456', status: 401 },
  { label: 'telegram malformed JSON', channel: 'telegram', body: '{"update_id": 1,', secret: undefined, status: 400 },
  { label: 'zalo malformed JSON', channel: 'zalo', body: 'not json', secret: undefined, status: 400 },
  { label: 'telegram oversized body', channel: 'telegram', body: JSON.stringify({ update_id: 1, pad: 'x'.repeat(1024 * 1024) }), secret: undefined, status: 413 },
  { label: 'zalo oversized body', channel: 'zalo', body: 'x'.repeat(1024 * 1024 + 1), secret: undefined, status: 413 },
] as const

describe('webhook gate', () => {
  for (const c of cases) {
    it(`${c.label} → ${c.status}, nothing sent`, async () => {
      const res = await h.postWebhook(c.channel, c.body, c.secret)
      expect(res.status).toBe(c.status)
      expect((await res.json()).error.code).toBeTypeOf('string')
      expect(h.telegram.sent()).toHaveLength(0)
      expect(h.zalo.sent()).toHaveLength(0)
    })
  }

  it('refuses a body whose declared Content-Length is over 1 MiB before reading it', async () => {
    const res = await h.app.request('/webhook/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(1024 * 1024 + 1), 'x-telegram-bot-api-secret-token': 'tg-secret-123456' },
      body: JSON.stringify(tgMessage(1, '/huongdan')),
    })
    expect(res.status).toBe(413)
    expect(h.telegram.sent()).toHaveLength(0)
  })

  it('a forged update with the wrong secret is not even recorded, so the real one still counts', async () => {
    const update = tgMessage(7, '/huongdan', 77)
    await h.postWebhook('telegram', update, 'forged-secret-1')
    const real = await h.postWebhook('telegram', update)
    expect(await real.json()).toEqual({ ok: true })
    expect(h.texts(h.telegram, 7)).toHaveLength(1)
  })

  it.each([
    ['telegram', fixture('telegram-poll-answer.json')],
    ['telegram', { update_id: 5, edited_message: { text: 'x' } }],
    ['zalo', { ok: true, result: { event_name: 'message.reaction.received' } }],
    ['zalo', { event_name: 'bot.added.to.group' }],
    ['zalo', { hello: 'world' }],
  ] as const)('%s unknown update type → 200 and ignored', async (channel, body) => {
    const res = await h.postWebhook(channel, body)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ignored: true })
    expect(h.telegram.sent().length + h.zalo.sent().length).toBe(0)
  })

  it('marks a Telegram chat blocked when the person blocks the bot, and reachable when they write again', async () => {
    const ids = await seedDirectory(h)
    await enroll(h, ids.lan, 'telegram', '6123457890')
    const channelsOf = async () =>
      (await (await h.api('/people?unitCode=THCS-ANHOA')).json()).items.find((p: { id: number }) => p.id === ids.lan).channels
    const res = await h.postWebhook('telegram', fixture('telegram-my-chat-member-blocked.json'))
    expect(res.status).toBe(200)
    expect(await channelsOf()).toEqual([{ channel: 'telegram', blocked: true }])
    await h.say.telegram(6123457890, '/huongdan')
    expect(await channelsOf()).toEqual([{ channel: 'telegram', blocked: false }])
  })

  it('404s a webhook for a channel that is off', async () => {
    const res = await h.app.request('/webhook/viber', { method: 'POST', body: '{}' })
    expect(res.status).toBe(404)
  })
})

describe('durability', () => {
  // Another process's view of the file is what would survive a kill -9 at that moment.
  let dir: string
  let d: Harness
  let reader: Database.Database
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loa-webhook-durable-'))
    d = await startHarness({ DATABASE_PATH: join(dir, 'loa.db') })
    reader = new Database(join(dir, 'loa.db'), { readonly: true })
  })
  afterEach(async () => {
    reader.close()
    await d.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers 200 only once the update is committed', async () => {
    const ids = await seedDirectory(d)
    await enroll(d, ids.lan, 'telegram', '6123457890')
    const res = await d.postWebhook('telegram', fixture('telegram-my-chat-member-blocked.json'))
    expect(res.status).toBe(200)
    const update = String(fixture('telegram-my-chat-member-blocked.json').update_id)
    expect(reader.prepare(`select count(*) n from processed_updates where update_id = ?`).get(update)).toEqual({ n: 1 })
    expect(reader.prepare(`select blocked_at is not null b from chat_links where chat_id = '6123457890'`).get()).toEqual({ b: 1 })
  })

  it('sends the bot’s reply only once what it announces is committed', async () => {
    const ids = await seedDirectory(d)
    const { code } = await (await d.api(`/people/${ids.lan}/invites`, { body: {} })).json()
    const linkedInFile = () => (reader.prepare(`select count(*) n from chat_links where chat_id = '555'`).get() as { n: number }).n
    const telegram = d.deps.channels.telegram!
    const send = telegram.send.bind(telegram)
    const linkedAtSend: number[] = []
    telegram.send = (chatId, message) => {
      linkedAtSend.push(linkedInFile())
      return send(chatId, message)
    }
    expect((await d.say.telegram(555, `/start ${code}`)).status).toBe(200)
    expect(linkedAtSend.length).toBeGreaterThan(0)
    expect(linkedAtSend.every((n) => n === 1)).toBe(true)
  })
})

describe('health', () => {
  it('reports the database and each channel', async () => {
    const res = await h.app.request('/healthz', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, database: 'ok', channels: { telegram: 'on', zalo: 'on' } })
  })
})
