import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { openSqlite } from '#db/sqlite.js'
import { createApp } from '#src/app.js'
import { parseConfig } from '#src/config.js'
import { createHttpFetch } from '#src/node/http-fetch.js'
import { sha256Hex } from '#src/crypto.js'
import { createDispatcher } from '#src/delivery/dispatcher.js'
import { tellAdminsQuotaSpent } from '#src/domain/admin-notices.js'
import { renderers } from '#src/domain/renderers.js'
import { silentLogger } from '#src/deps.js'
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api.js'
import { createNodeDeps } from '#src/node/deps.js'
import { createFileMediaStore } from '#src/node/media-store.js'
import { signOaEvent, startFakeZaloOaApi } from '../fakes/zalo-oa-api.js'

/** 32 characters or more, as ADMIN_TOKEN must be (128 bits: 32 hex characters). */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'
export const TG_SECRET = 'tg-secret-123456'
export const ZALO_SECRET = 'zalo-secret-123456'
export const OA_SECRET_KEY = 'oa-secret-key-123456'
export const TOKEN_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'

let seq = 900_000_000

/**
 * The real app on a fresh in-memory database (or DATABASE_PATH), wired to fake Telegram and Zalo servers on
 * 127.0.0.1. Deferred work is awaited before each webhook answers, so assertions are deterministic.
 */
export async function startHarness(env: Record<string, string> = {}, options: { inline?: boolean } = {}) {
  const telegram = await startFakeBotApi({ platform: 'telegram' })
  const zalo = await startFakeBotApi({ platform: 'zalo' })
  const oa = await startFakeZaloOaApi()
  const config = parseConfig({
    DATABASE_PATH: ':memory:',
    ADMIN_TOKEN,
    TELEGRAM_BOT_TOKEN: '123456:TEST-telegram-token',
    TELEGRAM_BOT_USERNAME: 'nq71_cantho_bot',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    ZALO_BOT_TOKEN: '987654:test-zalo-token',
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    ZALO_API_ROOT: zalo.url,
    TELEGRAM_RATE_PER_SECOND: '1000',
    ZALO_RATE_PER_SECOND: '1000',
    ZALO_OA_APP_ID: oa.appId,
    ZALO_OA_APP_SECRET: oa.appSecret,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_OA_API_ROOT: oa.url,
    ZALO_OA_OAUTH_ROOT: oa.url,
    ZALO_OA_RATE_PER_SECOND: '1000',
    TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
    ...env,
  })
  const { db, committed, checkpoint, close } = openSqlite(config.databasePath)
  // Images people send: a temporary directory of the test's own (MEDIA_DIR when the test sets one).
  const mediaDir = config.mediaDir ?? mkdtempSync(join(tmpdir(), 'loa-media-'))
  let now = new Date('2026-03-16T02:00:00Z')
  /** Warnings and errors the app logged, so tests can check what is (and is not) written to the log. */
  const logs: { level: 'warn' | 'error'; msg: string | undefined; obj: object }[] = []
  const logger = {
    ...silentLogger,
    warn: (obj: object, msg?: string) => void logs.push({ level: 'warn', msg, obj }),
    error: (obj: object, msg?: string) => {
      logs.push({ level: 'error', msg, obj })
      if (process.env.TEST_LOG) console.error(msg, JSON.stringify(obj))
    },
  }
  const deps = createNodeDeps(config, { db, committed }, {
    adminTokenHash: await sha256Hex(ADMIN_TOKEN),
    logger,
    clock: () => now,
    // As on Node in production: both Bot API clients on node:http (the contract suite covers global fetch).
    fetch: createHttpFetch(),
    live: true,
    checkpoint,
    // Replies are sent before the webhook answers, so a test reads them right after it.
    sendReplies: () => dispatcher.drain(10_000, { repliesOnly: true }),
    // As Telegram does with a Bot API call in a webhook's response, postWebhook runs it on the fake.
    ...(options.inline ? { webhookReplyGrant: () => true } : {}),
    media: createFileMediaStore(mediaDir),
  })
  // Tests send several messages to one chat in a row; the one-a-second pacing has its own test.
  const dispatcher = createDispatcher(deps, renderers, { perChatIntervalMs: 0, probeMs: [20, 50], now: Date.now, onQuotaSpent: tellAdminsQuotaSpent })
  const app = createApp(deps)
  let server: ServerType | undefined

  const api = (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) =>
    app.request(`/api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}` }),
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    })

  const postWebhook = async (channel: 'telegram' | 'zalo', body: unknown, secret?: string | null) => {
    const header = channel === 'telegram' ? 'x-telegram-bot-api-secret-token' : 'x-bot-api-secret-token'
    const value = secret === undefined ? (channel === 'telegram' ? TG_SECRET : ZALO_SECRET) : secret
    const res = await app.request(`/webhook/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(value === null ? {} : { [header]: value }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    const call = options.inline && channel === 'telegram' && res.status === 200 ? ((await res.clone().json()) as { method?: string }) : undefined
    if (call?.method) {
      const { method, ...params } = call
      await fetch(`${telegram.url}/bot${config.telegram!.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      })
    }
    return res
  }

  /** Zalo's POST of an OA event: the exact bytes, signed with the OA secret key (null: no signature). */
  const postOa = (raw: string | object, signature?: string | null) => {
    const body = typeof raw === 'string' ? raw : JSON.stringify(raw)
    const sig = signature === undefined ? signOaEvent(body, OA_SECRET_KEY) : signature
    return app.request('/webhook/zalo-oa', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'x-zevent-signature': sig }) },
      body,
    })
  }

  /**
   * The admin connects the OA as in production: the permission URL the CLI prints, Zalo's
   * redirect back to the callback with a code, the code traded (with the PKCE verifier) for tokens.
   */
  const connectOa = async () => {
    const url = await deps.channels.zalo_oa!.connection!.startAuthorization('https://loa.example.gov.vn/oauth/zalo-oa/callback', now)
    const granted = await fetch(url, { redirect: 'manual' })
    const back = new URL(granted.headers.get('location')!)
    const res = await app.request(`${back.pathname}${back.search}`)
    if (res.status !== 200) throw new Error(`oa connect: ${res.status} ${await res.text()}`)
    return res
  }

  /** A person typing in a private chat. */
  const say = {
    /** A follower writing to the OA (a button press is `Label #choice-id`). */
    oa: (userId: string, text: string, opts: { msgId?: string } = {}) => postOa(oaMessage(userId, text, opts.msgId, now)),
    telegram: (chatId: string | number, text: string, opts: { updateId?: number } = {}) =>
      postWebhook('telegram', tgMessage(chatId, text, opts.updateId)),
    zalo: (chatId: string, text: string, opts: { messageId?: string; wrapped?: boolean } = {}) =>
      postWebhook('zalo', zaloMessage(chatId, text, opts)),
    /** A Telegram button press. */
    press: (chatId: string | number, data: string, opts: { updateId?: number } = {}) =>
      postWebhook('telegram', tgCallback(chatId, data, opts.updateId)),
  }

  /** Texts the bot sent to a chat, in order (Zalo numbered choices included). */
  const texts = (fake: FakeBotApi, chatId: string | number) =>
    fake.sentTo(String(chatId)).map((c) => String(c.params.text ?? c.params.caption ?? ''))
  const lastText = (fake: FakeBotApi, chatId: string | number) => texts(fake, chatId).at(-1) ?? ''

  return {
    app,
    deps,
    dispatcher,
    /** Sends everything the outbox holds that is due now. */
    flush: () => dispatcher.drain(30_000),
    db,
    mediaDir,
    telegram,
    zalo,
    oa,
    api,
    postWebhook,
    postOa,
    connectOa,
    logs,
    say,
    texts,
    lastText,
    setNow: (iso: string | Date) => {
      now = new Date(iso)
    },
    now: () => now,
    /**
     * Serves the app over real HTTP on 127.0.0.1 (for a browser); returns its base URL. Closed
     * with the harness.
     */
    async listen(): Promise<string> {
      if (!server) {
        server = await new Promise<ServerType>((ok) => {
          const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => ok(s))
        })
      }
      const { port } = server.address() as AddressInfo
      return `http://127.0.0.1:${port}`
    },
    async close() {
      if (server) await new Promise((ok) => server!.close(ok))
      close()
      if (!config.mediaDir) rmSync(mediaDir, { recursive: true, force: true })
      await Promise.all([telegram.close(), zalo.close(), oa.close()])
    },
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>

export function tgMessage(chatId: string | number, text: string, updateId = seq++) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId % 100000,
      from: { id: Number(chatId), is_bot: false, first_name: 'Lan', last_name: 'Nguyễn Thị', language_code: 'vi' },
      chat: { id: Number(chatId), first_name: 'Lan', type: 'private' },
      date: 1773623730,
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] } : {}),
    },
  }
}

export function tgCallback(chatId: string | number, data: string, updateId = seq++) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cb${updateId}`,
      from: { id: Number(chatId), is_bot: false, first_name: 'Lan', language_code: 'vi' },
      message: { message_id: 1, date: 1773623730, chat: { id: Number(chatId), type: 'private' }, text: 'x' },
      chat_instance: '-1',
      data,
    },
  }
}

export function zaloMessage(chatId: string, text: string, opts: { messageId?: string; wrapped?: boolean } = {}) {
  const update = {
    event_name: 'message.text.received',
    message: {
      from: { id: chatId, display_name: 'Trần Văn Minh', is_bot: false },
      chat: { id: chatId, chat_type: 'PRIVATE' },
      text,
      message_id: opts.messageId ?? `m${seq++}`,
      date: 1773630005284,
    },
  }
  return opts.wrapped === false ? update : { ok: true, result: update }
}

let oaSeq = 0
/** An OA `user_send_text` event as Zalo posts it (flat; ids and timestamp as strings), stamped `at`. */
export function oaMessage(userId: string, text: string, msgId = `oamsg${seq++}`, at = new Date('2026-03-16T02:00:00Z')) {
  return {
    app_id: '3608841123456789012',
    user_id_by_app: `55201487654321${String(oaSeq++).padStart(5, '0')}`,
    event_name: 'user_send_text',
    timestamp: String(at.getTime()),
    sender: { id: userId },
    recipient: { id: '2185576190123456789' },
    message: { msg_id: msgId, text },
  }
}

/** A small directory: the Department, a ward, a school under it, and three people. */
export async function seedDirectory(h: Harness) {
  const units = await h.api('/units', {
    body: [
      { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' },
      { code: 'P-NINHKIEU', name: 'UBND phường Ninh Kiều', kind: 'commune', parentCode: 'SGDDT', staffCount: 40 },
      { code: 'THCS-ANHOA', name: 'Trường THCS An Hòa', kind: 'school', parentCode: 'P-NINHKIEU', staffCount: 60 },
    ],
  })
  if (units.status !== 200) throw new Error(`seed units: ${units.status} ${await units.text()}`)
  const people = await h.api('/people', {
    body: [
      { externalId: 'GV001', fullName: 'Nguyễn Thị Lan', unitCode: 'THCS-ANHOA', roles: ['teacher'] },
      { externalId: 'GV002', fullName: 'Trần Văn Minh', unitCode: 'THCS-ANHOA', roles: ['teacher', 'focal_point'] },
      { externalId: 'AD001', fullName: 'Lê Hoàng Phúc', unitCode: 'SGDDT', roles: ['admin', 'manager'], locale: 'en' },
    ],
  })
  if (people.status !== 200) throw new Error(`seed people: ${people.status} ${await people.text()}`)
  const body = (await people.json()) as { people: { id: number; externalId: string }[] }
  const idOf = (ext: string) => body.people.find((p) => p.externalId === ext)!.id
  return { lan: idOf('GV001'), minh: idOf('GV002'), phuc: idOf('AD001') }
}

export async function inviteCode(h: Harness, personId: number): Promise<string> {
  const res = await h.api(`/people/${personId}/invites`, { body: {} })
  if (res.status !== 201) throw new Error(`invite: ${res.status}`)
  return ((await res.json()) as { code: string }).code
}

/** Links a person's Telegram or Zalo chat through the real /start flow. */
export async function enroll(h: Harness, personId: number, channel: 'telegram' | 'zalo' | 'zalo_oa', chatId: string) {
  const code = await inviteCode(h, personId)
  if (channel === 'telegram') await h.say.telegram(chatId, `/start ${code}`)
  else if (channel === 'zalo_oa') await h.say.oa(chatId, code)
  else await h.say.zalo(chatId, code)
  return code
}

/**
 * The usual cast: the directory seeded, Lan (teacher) linked on Telegram and Minh (teacher and
 * focal point) on Zalo, in the given chats.
 */
export async function startWithLinkedPeople(chats: { telegram: string; zalo: string }, env: Record<string, string> = {}) {
  const h = await startHarness(env)
  const ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', chats.telegram)
  await enroll(h, ids.minh, 'zalo', chats.zalo)
  return { h, ids }
}
