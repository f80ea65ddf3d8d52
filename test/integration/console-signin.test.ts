import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditLog, deliveries } from '#db/schema/index.js'
import { sha256Hex } from '#src/crypto.js'
import { ADMIN_TOKEN, enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { consoleClient, lastCode } from '../helpers/console.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const DAY = 86_400_000
const later = (ms: number) => h.setNow(new Date(h.now().getTime() + ms))

/**
 * Security round (issue 18), findings #7, #14, #16 and the sign-in notes. Lan (a console viewer,
 * phone 0912 345 678) has been linked on Telegram 101 for more than a day; Phúc (a console admin)
 * on Telegram 103.
 */
beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.phuc, 'telegram', '103')
  await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: '0912 345 678' } })
  await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'viewer' } })
  await h.api(`/people/${ids.phuc}/console-role`, { method: 'PUT', body: { role: 'admin' } })
  await h.flush()
  later(DAY + 60_000)
  h.telegram.reset()
  h.zalo.reset()
})
afterEach(() => h.close())

const ask = (who: string, ip = '10.1.0.1') => consoleClient(h, { ip }).post('/admin/login/code', { who })
const codesIn = (chatId: string) => h.texts(h.telegram, chatId).filter((t) => t.includes('Mã đăng nhập'))

describe('asking for sign-in codes tells nothing and locks nobody out (#7)', () => {
  it('answers 303 to a phone asked three times and then its name, as to anything else', async () => {
    const answers = async (first: string, then: string) => {
      const out: number[] = []
      for (let i = 0; i < 3; i++) out.push((await ask(first, `10.2.${out.length}.${i}`)).status)
      out.push((await ask(then, '10.3.0.1')).status)
      return out
    }
    expect(await answers('0912345678', 'Nguyễn Thị Lan')).toEqual([303, 303, 303, 303])
    expect(await answers('0987000000', 'Lê Hoàng Phúc')).toEqual([303, 303, 303, 303])
    expect(await answers('0900000000', 'Người Không Có')).toEqual([303, 303, 303, 303])
  })

  it('lets the person sign in with the code in their chat after a stranger asked for it many times, and sends it once', async () => {
    for (let i = 0; i < 8; i++) expect((await ask(i % 2 ? 'Nguyễn Thị Lan' : '0912345678', `10.4.0.${i}`)).status).toBe(303)
    expect(codesIn('101')).toHaveLength(1)
    // Lan asks in her own browser: no new message; the code already in her chat works there.
    const lan = consoleClient(h, { ip: '10.9.9.9' })
    expect((await lan.post('/admin/login/code', { who: '0912 345 678' })).status).toBe(303)
    expect(codesIn('101')).toHaveLength(1)
    expect((await lan.post('/admin/login/verify', { code: lastCode(h, '101') })).status).toBe(303)
    expect(await lan.text(await lan.get('/admin'))).toContain('Đang đăng nhập: Nguyễn Thị Lan (chỉ xem)')
    // Spent: no browser that joined it can use it again, and the next request sends a new code.
    const stranger = consoleClient(h, { ip: '10.4.0.1' })
    await stranger.post('/admin/login/code', { who: '0912345678' })
    expect(codesIn('101')).toHaveLength(2)
    // Once a code has expired, the next request sends a new one.
    later(10 * 60_000 + 1000)
    await ask('0912345678', '10.4.0.2')
    expect(codesIn('101')).toHaveLength(3)
  })
})

describe('a stranger asking for codes again and again', () => {
  it('gets the chat at most one code every ten minutes, and each one works for the person', async () => {
    for (const minutes of [0, 4, 9, 11, 15, 22]) {
      h.setNow(new Date(new Date('2026-03-17T03:00:00Z').getTime() + minutes * 60_000))
      await ask('0912345678', `10.8.0.${minutes}`)
    }
    // Codes at 0, 11 (the first joined at 4 and 9) and 22 minutes.
    expect(codesIn('101')).toHaveLength(3)
    const lan = consoleClient(h, { ip: '10.9.9.9' })
    await lan.signInWithCode('Nguyễn Thị Lan', '101')
  })
})

describe('sign-in codes are slow to guess (#16)', () => {
  it('sends eight digits, and allows ten tries an hour per account from all browsers, after which even the right code is refused like a wrong one', async () => {
    const lan = consoleClient(h, { ip: '10.5.0.1' })
    await lan.post('/admin/login/code', { who: '0912345678' })
    expect(h.lastText(h.telegram, '101')).toMatch(/^Mã đăng nhập bảng điều khiển Loa của bạn: \d{4} \d{4}\n/)
    const code = lastCode(h, '101')
    const wrong = code === '00000000' ? '11111111' : '00000000'
    // Two browsers elsewhere join the same code and spend the account's tries (5 per browser).
    for (const ip of ['10.6.0.1', '10.6.0.2']) {
      const guesser = consoleClient(h, { ip })
      await guesser.post('/admin/login/code', { who: 'Nguyễn Thị Lan' })
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) statuses.push((await guesser.post('/admin/login/verify', { code: wrong })).status)
      expect(statuses).toEqual([401, 401, 401, 401, 429])
    }
    const refused = await lan.post('/admin/login/verify', { code })
    expect(refused.status).toBe(401)
    expect(await lan.text(refused)).toContain('Mã không đúng. Bạn còn 4 lần thử.')
    // A decoy answers the same way at the same count.
    const decoy = consoleClient(h, { ip: '10.6.0.3' })
    await decoy.post('/admin/login/code', { who: '0900000000' })
    expect((await decoy.post('/admin/login/verify', { code: wrong })).status).toBe(401)
    // The hour passes: a new code works.
    later(60 * 60_000)
    const next = consoleClient(h, { ip: '10.5.0.1' })
    await next.signInWithCode('0912345678', '101')
  })
})

describe('a sign-in code is never kept readable (sign-in notes)', () => {
  it('empties the code message in the outbox once it is sent', async () => {
    await ask('0912345678')
    const code = lastCode(h, '101')
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.source, 'signin'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'sent', payload: null })
    const dump = JSON.stringify(await h.db.select().from(deliveries))
    expect(dump).not.toContain(code.slice(0, 4))
  })

  it('empties a code message that could not be sent once it fails, or once its time is past', async () => {
    h.telegram.failWith('sendMessage', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } })
    await ask('0912345678')
    const [failed] = await h.db.select().from(deliveries).where(eq(deliveries.source, 'signin'))
    expect(failed).toMatchObject({ status: 'failed', payload: null })

    // Phúc's Telegram is down: his code waits for a retry, and is past its time before it is sent.
    h.telegram.failWith('sendMessage', { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }, 100)
    await ask('Lê Hoàng Phúc', '10.1.0.2')
    const waiting = await h.db.select().from(deliveries).where(and(eq(deliveries.personId, ids.phuc), eq(deliveries.source, 'signin')))
    expect(waiting.map((r) => [r.status, r.payload === null])).toEqual([['queued', false]])
    later(11 * 60_000)
    expect((await h.api('/jobs/retention/run', { body: {} })).status).toBe(200)
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.source, 'signin'))
    expect(rows.map((r) => r.payload)).toEqual([null, null])
  })
})

describe('codes go only to chats linked more than a day ago, or confirmed by an admin (#1, console side)', () => {
  it('sends nothing to a chat linked a minute ago, answers as always, and sends once an admin confirms it', async () => {
    await h.api(`/people/${ids.minh}/console-role`, { method: 'PUT', body: { role: 'editor' } })
    await enroll(h, ids.minh, 'zalo', 'z102')
    await h.flush()
    h.zalo.reset()
    later(60_000)
    const browser = consoleClient(h)
    const asked = await browser.post('/admin/login/code', { who: 'Trần Văn Minh' })
    expect(asked.status).toBe(303)
    expect(h.zalo.calls.filter((c) => c.method === 'sendMessage')).toEqual([])
    const accounts = (await (await h.api('/accounts')).json()) as { items: { personId: number; reachableChats: number }[] }
    expect(accounts.items.find((a) => a.personId === ids.minh)?.reachableChats).toBe(0)

    const links = (await (await h.api(`/people/${ids.minh}/links`)).json()) as { items: { id: number }[] }
    const linkId = links.items[0]!.id
    // Only an admin confirms: a viewer's token is refused.
    const viewer = ((await (await h.api('/tokens', { body: { personId: ids.lan, label: 'v' } })).json()) as { token: string }).token
    expect((await h.api(`/people/${ids.minh}/links/${linkId}/confirm`, { body: {}, token: viewer })).status).toBe(403)
    expect((await h.api(`/people/${ids.minh}/links/99999/confirm`, { body: {} })).status).toBe(404)
    const confirmed = await h.api(`/people/${ids.minh}/links/${linkId}/confirm`, { body: {} })
    expect(confirmed.status).toBe(200)
    expect(((await confirmed.json()) as { confirmed: { confirmedAt: string } }).confirmed.confirmedAt).toBe(h.now().toISOString())
    const audited = (await h.db.select().from(auditLog)).filter((a) => a.action.endsWith('/links/:id/confirm'))
    expect(audited.map((a) => [a.action, a.status])).toEqual([
      ['POST /api/people/:id/links/:id/confirm', 403],
      ['POST /api/people/:id/links/:id/confirm', 404],
      ['POST /api/people/:id/links/:id/confirm', 200],
    ])

    await consoleClient(h).post('/admin/login/code', { who: 'Trần Văn Minh' })
    expect(h.zalo.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1)
  })

  it('sends to a new chat once it is a day old', async () => {
    await h.api(`/people/${ids.minh}/console-role`, { method: 'PUT', body: { role: 'editor' } })
    await enroll(h, ids.minh, 'zalo', 'z102')
    h.zalo.reset()
    later(DAY - 60_000)
    await ask('Trần Văn Minh')
    expect(h.zalo.calls.filter((c) => c.method === 'sendMessage')).toEqual([])
    later(10 * 60_000 + 1000)
    await ask('Trần Văn Minh', '10.1.0.2')
    expect(h.zalo.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1)
  })
})

describe('bootstrap sessions end when ADMIN_TOKEN changes (#14)', () => {
  it('signs out a console session opened with the old token after the token is changed', async () => {
    const browser = consoleClient(h)
    expect((await browser.post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
    expect((await browser.get('/admin')).status).toBe(200)
    // A restart with a new ADMIN_TOKEN.
    h.deps.adminTokenHash = await sha256Hex('a-brand-new-admin-token-0123456789abcdef')
    expect((await h.api('/accounts')).status).toBe(401)
    const after = await browser.get('/admin')
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toMatch(/^\/admin\/login/)
  })
})

describe('signing an account out everywhere', () => {
  it('ends every console session of an account at an admin\'s request, and leaves others signed in', async () => {
    const phone = consoleClient(h, { ip: '10.7.0.1' })
    const laptop = consoleClient(h, { ip: '10.7.0.2' })
    await phone.signInWithCode('0912345678', '101')
    later(10 * 60_000 + 1000)
    await laptop.signInWithCode('Nguyễn Thị Lan', '101')
    const phuc = consoleClient(h, { ip: '10.7.0.3' })
    await phuc.signInWithCode('Lê Hoàng Phúc', '103')
    const ended = await h.api(`/people/${ids.lan}/console-sessions`, { method: 'DELETE' })
    expect(ended.status).toBe(200)
    expect(await ended.json()).toMatchObject({ personId: ids.lan, sessionsEnded: 2 })
    expect((await phone.get('/admin')).status).toBe(303)
    expect((await laptop.get('/admin')).status).toBe(303)
    expect((await phuc.get('/admin')).status).toBe(200)
  })
})

describe('signing in by name typed without diacritics (console walk P10)', () => {
  it('sends the code to the one account whose name matches without accents, and still to one account or none', async () => {
    // Typed without Unikey: Lan gets her code and signs in with it.
    const lan = consoleClient(h, { ip: '10.9.9.8' })
    await lan.signInWithCode('  nguyen thi LAN ', '101')
    expect(await lan.text(await lan.get('/admin'))).toContain('Đang đăng nhập: Nguyễn Thị Lan (chỉ xem)')
    expect(codesIn('101')).toHaveLength(1)
    expect(h.texts(h.telegram, '103')).toHaveLength(0)
    // A name folding to two accounts (Lê Hoàng Phúc, Le Hoang Phuc) sends nothing and asks for the phone...
    const twin = await h.api('/people', { body: [{ externalId: 'AD002', fullName: 'Lê Hoàng Phục', unitCode: 'SGDDT', roles: ['manager'] }] })
    const twinId = ((await twin.json()) as { people: { id: number }[] }).people[0]!.id
    await h.api(`/people/${twinId}/console-role`, { method: 'PUT', body: { role: 'viewer' } })
    const asked = await ask('le hoang phuc', '10.9.9.7')
    expect(asked.status).toBe(409)
    expect(await consoleClient(h).text(asked)).toContain('Có nhiều tài khoản trùng họ tên này')
    // ...while the exact spelling still designates one account.
    expect(h.texts(h.telegram, '103')).toHaveLength(0)
    expect((await ask('Lê Hoàng Phúc', '10.9.9.6')).status).toBe(303)
    expect(h.texts(h.telegram, '103').filter((t) => t.includes('sign-in code'))).toHaveLength(1)
    // Nothing is sent for a name nobody has, with or without accents.
    expect((await ask('nguyen thi lanh', '10.9.9.5')).status).toBe(303)
    expect(codesIn('101')).toHaveLength(1)
  })
})
