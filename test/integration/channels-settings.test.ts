import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { buildChannels } from '#src/channels/index.js'
import { CHANNEL_SETTINGS_TTL_MS, channelResolver } from '#src/channels/live.js'
import { mintToken } from '#src/domain/console/tokens.js'
import { consoleClient, signedInAs } from '../helpers/console.js'
import { ADMIN_TOKEN, inviteCode, seedDirectory, startHarness, tgMessage, zaloMessage, type Harness } from '../helpers/harness.js'

/**
 * The Department turns its messengers on and off at /admin/channels and PUT/DELETE /api/channels,
 * with no restart: Telegram and the Zalo bot are off in the environment here, PUBLIC_URL is set.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
beforeAll(async () => {
  h = await startHarness({ TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: '', PUBLIC_URL: 'https://loa.example.gov.vn' })
  ids = await seedDirectory(h)
})
afterAll(() => h?.close())

const put = (path: string, body: unknown, token?: string) => h.api(path, { method: 'PUT', body, token })
const tgSecretOf = () => h.telegram.calls.filter((c) => c.method === 'setWebhook').at(-1)?.params.secret_token as string | undefined

describe('Telegram turned on and off from the API, with no restart', () => {
  it('refuses viewers and editors (403)', async () => {
    await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'viewer' } })
    await h.api(`/people/${ids.minh}/console-role`, { method: 'PUT', body: { role: 'editor' } })
    const viewer = await mintToken(h.db, { personId: ids.lan, label: 'v' }, h.now())
    const editor = await mintToken(h.db, { personId: ids.minh, label: 'e' }, h.now())
    expect((await put('/channels/telegram', { token: '123456:NEW-telegram-token' }, viewer.token)).status).toBe(403)
    expect((await put('/channels/telegram', { token: '123456:NEW-telegram-token' }, editor.token)).status).toBe(403)
    expect((await h.api('/channels/telegram', { method: 'DELETE', token: editor.token })).status).toBe(403)
    expect(h.deps.channels.telegram).toBeUndefined()
  })

  it('refuses a token getMe refuses (422, in Vietnamese) and changes nothing', async () => {
    h.telegram.failWith('getMe', { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } })
    const res = await put('/channels/telegram', { token: '123456:WRONG-token' })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).toContain('Telegram không nhận token này')
    expect(body.error.message).toContain('Unauthorized')
    expect(h.telegram.calls.some((c) => c.method === 'setWebhook')).toBe(false)
    expect((await h.app.request('/webhook/telegram', { method: 'POST', body: '{}' })).status).toBe(404)
  })

  it('checks the token with getMe, registers the webhook with a generated secret, shows the bot, and accepts that secret', async () => {
    const res = await put('/channels/telegram', { token: '123456:NEW-telegram-token' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ channel: 'telegram', on: true, source: 'console', name: 'NQ71 Cần Thơ', link: 'https://t.me/nq71_cantho_bot' })
    const call = h.telegram.calls.filter((c) => c.method === 'setWebhook').at(-1)!
    expect(call.token).toBe('123456:NEW-telegram-token')
    expect(call.params.url).toBe('https://loa.example.gov.vn/webhook/telegram')
    const secret = tgSecretOf()!
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/)
    // The token is stored encrypted, never in clear.
    const rows = await h.db.query.settings.findMany()
    expect(JSON.stringify(rows)).not.toContain('NEW-telegram-token')
    expect(JSON.stringify(rows)).not.toContain(secret)

    expect((await h.postWebhook('telegram', tgMessage('5550001', '/start'), 'wrong-secret-0000')).status).toBe(401)
    const ok = await h.postWebhook('telegram', tgMessage('5550001', '/start'), secret)
    expect(ok.status).toBe(200)
    // The bot answered with the new token.
    expect(h.telegram.sentTo('5550001').at(-1)?.token).toBe('123456:NEW-telegram-token')
  })

  it('sends a test message to a chat named by the ADMIN_TOKEN caller', async () => {
    const res = await h.api('/channels/telegram/test', { body: { chatId: '5550001' } })
    expect(res.status).toBe(200)
    expect(h.lastText(h.telegram, '5550001')).toContain('Tin thử từ Loa')
  })

  it('DELETE turns it off: the webhook is forgotten and then refused', async () => {
    const secret = tgSecretOf()!
    const res = await h.api('/channels/telegram', { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(h.telegram.calls.some((c) => c.method === 'deleteWebhook')).toBe(true)
    expect((await h.postWebhook('telegram', tgMessage('5550001', '/start'), secret)).status).toBe(404)
    expect(h.deps.channels.telegram).toBeUndefined()
  })
})

describe('another instance or isolate on the same database', () => {
  it('sees a channel turned on within 5 seconds, with no restart, and builds it with the stored secret', async () => {
    let at = 1_000_000
    const other = channelResolver(h.deps.channelSettings!.env, h.db, (cfg) => buildChannels(cfg, { db: h.db }), undefined, () => at)
    expect((await other.get()).channels.telegram).toBeUndefined()
    const res = await put('/channels/telegram', { token: '123456:OTHER-telegram-token' })
    expect(res.status).toBe(200)
    at += 1000
    expect((await other.get()).channels.telegram).toBeUndefined()
    at += CHANNEL_SETTINGS_TTL_MS
    const seen = await other.get()
    expect(seen.config.telegram).toMatchObject({ token: '123456:OTHER-telegram-token', webhookSecret: tgSecretOf() })
    expect(seen.channels.telegram).toBeDefined()
    expect((await h.api('/channels/telegram', { method: 'DELETE' })).status).toBe(200)
    at += CHANNEL_SETTINGS_TTL_MS
    expect((await other.get()).channels.telegram).toBeUndefined()
  })
})

describe('the Zalo bot and the OA', () => {
  it('turns the Zalo bot on: getMe, setWebhook with the generated secret, and its webhook is accepted', async () => {
    const res = await put('/channels/zalo', { token: '987654:new-zalo-token' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ channel: 'zalo', on: true, name: 'Bot NQ71 Can Tho' })
    const states = ((await (await h.api('/channels')).json()) as { items: { channel: string; on: boolean; source: string | null }[] }).items
    expect(states.map((s) => [s.channel, s.on, s.source])).toEqual([
      ['telegram', false, null],
      ['zalo', true, 'console'],
      ['zalo_oa', true, 'env'],
    ])
    const call = h.zalo.calls.filter((c) => c.method === 'setWebhook').at(-1)!
    expect(call.params.url).toBe('https://loa.example.gov.vn/webhook/zalo')
    const accepted = await h.postWebhook('zalo', { ok: true, result: { event_name: 'message.text.received', message: { from: { id: 'z1', display_name: 'A', is_bot: false }, chat: { id: 'z1', chat_type: 'PRIVATE' }, text: 'xin chào', message_id: 'mz1', date: 1773630005284 } } }, call.params.secret_token)
    expect(accepted.status).toBe(200)
  })

  it('a channel configured in the environment is read-only (409)', async () => {
    const res = await put('/channels/zalo-oa', { appId: '123', appSecret: 'app-secret-1', oaSecretKey: 'oa-secret-1' })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('biến môi trường')
    expect((await h.api('/channels/zalo-oa', { method: 'DELETE' })).status).toBe(409)
  })

  it('PUBLIC_URL set in the environment cannot be changed here (409)', async () => {
    expect((await put('/channels/public-url', { publicUrl: 'https://other.example.vn' })).status).toBe(409)
  })
})

describe('the console page /admin/channels', () => {
  it('is for admins only', async () => {
    const editor = await signedInAs(h, ids.minh, 'editor')
    expect((await editor.get('/admin/channels')).status).toBe(403)
  })

  it('turns Telegram on from a form, shows the bot and its link, and turns it off', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.get('/admin/channels')
    expect(page.status).toBe(200)
    const text = await admin.text(page)
    expect(text).toContain('Kênh nhắn tin')
    expect(text).toContain('Zalo OA')
    expect(text).toContain('https://loa.example.gov.vn/webhook/zalo-oa')
    // Every field is labelled; no catalog key shows through.
    expect(text).not.toContain('consoleChannels.')
    const on = await admin.post('/admin/channels/telegram', { token: '123456:FORM-telegram-token' })
    expect(on.status).toBe(200)
    const shown = await admin.text(on)
    expect(shown).toContain('Đã bật Telegram: NQ71 Cần Thơ.')
    expect(shown).toContain('https://t.me/nq71_cantho_bot')
    const bad = await admin.post('/admin/channels/zalo', { token: 'x' })
    expect(bad.status).toBe(400)
    expect(await admin.text(bad)).toContain('Token không hợp lệ')
    const off = await admin.post('/admin/channels/telegram/off')
    expect(await admin.text(off)).toContain('Đã tắt Telegram.')
    expect(h.deps.channels.telegram).toBeUndefined()
  })

  it('a signed-in admin gets the test message in their own linked chat', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    // Phúc links his Zalo chat through the bot turned on above (its webhook carries the generated secret).
    const secret = h.zalo.calls.filter((c) => c.method === 'setWebhook').at(-1)!.params.secret_token
    expect((await h.postWebhook('zalo', zaloMessage('zphuc', await inviteCode(h, ids.phuc)), secret)).status).toBe(200)
    const res = await admin.post('/admin/channels/zalo/test')
    expect(await admin.text(res)).toContain('Đã gửi tin thử qua Zalo')
    expect(h.lastText(h.zalo, 'zphuc')).toContain('Tin thử từ Loa')
  })
})

describe('with no messenger and no PUBLIC_URL', () => {
  let bare: Harness
  beforeAll(async () => {
    bare = await startHarness({ TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: '', ZALO_OA_APP_ID: '', ZALO_OA_APP_SECRET: '', ZALO_OA_SECRET_KEY: '' })
  })
  afterAll(() => bare?.close())

  it('the overview says no messenger is on and links to the channels page', async () => {
    const admin = consoleClient(bare)
    const { startSession } = await import('#src/domain/console/signin-sessions.js')
    const { token } = await startSession(bare.db, { personId: null, role: 'admin', adminTokenHash: bare.deps.adminTokenHash }, bare.now())
    admin.jar.set('loa_console', token)
    const home = await (await admin.get('/admin')).text()
    expect(home).toContain('Chưa bật kênh nhắn tin nào')
    expect(home).toContain('href="/admin/channels"')
    const compose = await (await admin.get('/admin/broadcasts/new')).text()
    expect(compose).toContain('Chưa bật kênh nhắn tin nào')
  })

  it('the channels page says why webhooks cannot be registered, offers polling, and stores PUBLIC_URL', async () => {
    const admin = consoleClient(bare)
    const { startSession } = await import('#src/domain/console/signin-sessions.js')
    const { token } = await startSession(bare.db, { personId: null, role: 'admin', adminTokenHash: bare.deps.adminTokenHash }, bare.now())
    admin.jar.set('loa_console', token)
    const text = await admin.text(await admin.get('/admin/channels'))
    expect(text).toContain('chưa đăng ký được webhook')
    expect(text).toContain('Bật chế độ tự hỏi tin (polling)')
    expect(text).toContain('OA Secret Key (khóa bí mật của OA, dùng để ký webhook)')
    expect(text).not.toContain('consoleChannels.')
    const bad = await admin.post('/admin/channels/public-url', { publicUrl: 'http://insecure.example' })
    expect(await admin.text(bad)).toContain('phải bắt đầu bằng https://')
    const saved = await admin.post('/admin/channels/public-url', { publicUrl: 'https://loa.cantho.edu.vn/' })
    expect(await admin.text(saved)).toContain('Đã lưu địa chỉ công khai: https://loa.cantho.edu.vn.')
    expect(bare.deps.config.publicUrl).toBe('https://loa.cantho.edu.vn')
  })

  it('a bot turned on before PUBLIC_URL was known registers its webhook once it is set', async () => {
    expect((await bare.api('/channels/public-url', { method: 'PUT', body: { publicUrl: '' } })).status).toBe(200)
    const on = await bare.api('/channels/zalo', { method: 'PUT', body: { token: '987654:bare-zalo-token' } })
    expect(await on.json()).toMatchObject({ on: true, webhookUrl: null, webhookRegistered: false })
    expect(bare.zalo.calls.some((c) => c.method === 'setWebhook')).toBe(false)
    const set = await bare.api('/channels/public-url', { method: 'PUT', body: { publicUrl: 'https://loa.cantho.edu.vn' } })
    expect(await set.json()).toEqual({ publicUrl: 'https://loa.cantho.edu.vn', webhooks: ['zalo'] })
    expect(bare.zalo.calls.find((c) => c.method === 'setWebhook')!.params.url).toBe('https://loa.cantho.edu.vn/webhook/zalo')
  })

  it('the OA credentials are stored, the webhook address to paste is shown, and the OA is on', async () => {
    const res = await bare.api('/channels/zalo-oa', { method: 'PUT', body: { appId: '3608841123456789012', appSecret: 'app-secret-1', oaSecretKey: 'oa-secret-key-1' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ channel: 'zalo_oa', on: true, webhookUrl: 'https://loa.cantho.edu.vn/webhook/zalo-oa' })
    expect(bare.deps.channels.zalo_oa).toBeDefined()
  })
})

describe('without TOKEN_ENCRYPTION_KEY (as on Workers before the secret is set)', () => {
  let keyless: Harness
  beforeAll(async () => {
    keyless = await startHarness({ TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: '', ZALO_OA_APP_ID: '', ZALO_OA_APP_SECRET: '', ZALO_OA_SECRET_KEY: '', TOKEN_ENCRYPTION_KEY: '' })
  })
  afterAll(() => keyless?.close())

  it('stores no token (422 saying which secret to set) and the page says it too', async () => {
    const res = await keyless.api('/channels/telegram', { method: 'PUT', body: { token: '123456:KEYLESS-token' } })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('wrangler secret put TOKEN_ENCRYPTION_KEY')
    expect(keyless.telegram.calls).toHaveLength(0)
    const admin = consoleClient(keyless)
    const { startSession } = await import('#src/domain/console/signin-sessions.js')
    const { token } = await startSession(keyless.db, { personId: null, role: 'admin', adminTokenHash: keyless.deps.adminTokenHash }, keyless.now())
    admin.jar.set('loa_console', token)
    expect(await admin.text(await admin.get('/admin/channels'))).toContain('hãy đặt secret TOKEN_ENCRYPTION_KEY cho Worker')
  })
})

describe('the Zalo bot\'s link for invite cards, set with its token', () => {
  it('prints the link an admin gave on every card, refuses one that is not https, and forgets the old name with a new token', async () => {
    const z = await startHarness({ TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: '', ZALO_OA_APP_ID: '', ZALO_OA_APP_SECRET: '', ZALO_OA_SECRET_KEY: '', PUBLIC_URL: 'https://loa.example.gov.vn' })
    try {
      await seedDirectory(z)
      const bad = await z.api('/channels/zalo', { method: 'PUT', body: { token: '987654:zalo-token-1', link: 'http://zalo.me/123' } })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('https://')
      expect(z.deps.channels.zalo).toBeUndefined()
      const on = await z.api('/channels/zalo', { method: 'PUT', body: { token: '987654:zalo-token-1', link: 'https://zalo.me/2345678901234' } })
      expect(on.status).toBe(200)
      const sheet = (await (await z.api('/invite-sheet?unit=THCS-ANHOA', { method: 'POST' })).json()) as { people: { zaloLink: string | null }[] }
      expect(sheet.people.length).toBeGreaterThan(0)
      expect(sheet.people.every((p) => p.zaloLink === 'https://zalo.me/2345678901234')).toBe(true)
      expect(await z.db.all(sql`select key from settings where key = 'zalo.account_name'`)).toHaveLength(1)
      // The page shows the stored link in its field, so changing the token keeps it unless it is cleared.
      const admin = consoleClient(z)
      expect((await admin.post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
      expect(await (await admin.get('/admin/channels')).text()).toMatch(/id="link-zalo"[^>]*value="https:\/\/zalo\.me\/2345678901234"/)
      // Another token may be another bot: the name on the cards is asked of Zalo again.
      expect((await z.api('/channels/zalo', { method: 'PUT', body: { token: '987654:zalo-token-2' } })).status).toBe(200)
      expect(await z.db.all(sql`select key from settings where key = 'zalo.account_name'`)).toHaveLength(0)
    } finally {
      z.close()
    }
  })
})
