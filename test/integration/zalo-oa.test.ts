import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signOaEvent } from '../fakes/zalo-oa-api.js'
import { inviteCode, OA_SECRET_KEY, oaMessage, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * The Department's Zalo OA as a channel: connected by OAuth (PKCE), its webhook signed over the
 * exact body, events handled once by msg_id, teachers linking with their invite code.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
beforeEach(async () => {
  // The OAuth callback is PUBLIC_URL/oauth/zalo-oa/callback.
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

const json = async (res: Response) => (await res.json()) as any
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
const oaTexts = (userId: string) => h.oa.sentTo(userId).map((c) => String(c.params.text))

describe('connecting the OA', () => {
  it('prints a PKCE permission URL, stores the tokens encrypted at the callback, and shows them in /api/channels', async () => {
    const before = (await json(await h.api('/channels'))).items.find((c: any) => c.channel === 'zalo_oa')
    expect(before).toMatchObject({ on: true, connected: false, accessTokenExpiresAt: null })

    const res = await h.connectOa()
    expect((await json(res)).message).toContain('Đã kết nối Zalo OA')
    const [permission] = h.oa.calls.filter((c) => c.method === 'permission')
    expect(permission!.params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(permission!.params.redirect_uri).toBe('https://loa.example.gov.vn/oauth/zalo-oa/callback')
    const [exchange] = h.oa.calls.filter((c) => c.method === 'access_token')
    expect(exchange!.params.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)

    // At rest the tokens are ciphertext: neither token appears in the database.
    const rows = h.db.all<{ access_token: string; refresh_token: string }>(`select access_token, refresh_token from oauth_tokens` as never) as any[]
    expect(rows).toHaveLength(1)
    expect(rows[0].access_token).toMatch(/^v1\./)
    expect(JSON.stringify(rows)).not.toContain('oa-access-')
    expect(JSON.stringify(rows)).not.toContain('oa-refresh-')

    const after = (await json(await h.api('/channels'))).items.find((c: any) => c.channel === 'zalo_oa')
    expect(after).toMatchObject({ on: true, connected: true, paused: null, limits: { windowHours: 168 } })
    // 90,000 s from now (the fake's expires_in), as Zalo says.
    expect(new Date(after.accessTokenExpiresAt).getTime() - h.now().getTime()).toBe(90_000_000)
  })

  it('refuses a callback with an unknown or used state, and changes nothing', async () => {
    const bad = await h.app.request('/oauth/zalo-oa/callback?code=code-x&state=nope')
    expect(bad.status).toBe(400)
    expect((await json(bad)).error.message).toContain('không hợp lệ')
    const url = await h.deps.channels.zalo_oa!.connection!.startAuthorization('https://loa.example.gov.vn/oauth/zalo-oa/callback', h.now())
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!)
    expect((await h.app.request(`${back.pathname}${back.search}`)).status).toBe(200)
    // The same callback again (a reload): the state was single use.
    expect((await h.app.request(`${back.pathname}${back.search}`)).status).toBe(400)
    expect((await h.app.request('/oauth/zalo-oa/callback')).status).toBe(400)
  })
})

describe('the OA webhook', () => {
  beforeEach(() => h.connectOa())

  it('answers 401 to a wrong or missing X-ZEvent-Signature, and to a body changed after signing', async () => {
    const raw = fixture('zalo-oa-user-send-text.json')
    expect((await h.postOa(raw, null)).status).toBe(401)
    expect((await h.postOa(raw, signOaEvent(raw, 'another-key'))).status).toBe(401)
    // Signed, then re-serialised (what a proxy that parses JSON would send): not the signed bytes.
    const sig = signOaEvent(raw, OA_SECRET_KEY)
    expect((await h.postOa(JSON.stringify(JSON.parse(raw)), sig)).status).toBe(401)
    expect(h.oa.sent()).toHaveLength(0)
    expect((await h.postOa(raw, sig)).status).toBe(200)
  })

  it('links a follower who messages their invite code, and handles a resent event once', async () => {
    const code = await inviteCode(h, ids.lan)
    const first = await h.say.oa('4369813276543210987', code, { msgId: 'm-link-1' })
    expect(first.headers.get('x-loa-update')).toBe('accepted')
    expect(oaTexts('4369813276543210987')[0]).toContain('Nguyễn Thị Lan')
    const replies = oaTexts('4369813276543210987').length
    // Zalo sends the same event again (it did not see our 200 in time): nothing happens twice.
    const again = await h.say.oa('4369813276543210987', code, { msgId: 'm-link-1' })
    expect(again.headers.get('x-loa-update')).toBe('duplicate')
    expect(oaTexts('4369813276543210987')).toHaveLength(replies)
    const links = await json(await h.api(`/people/${ids.lan}/links`))
    expect(links.items).toEqual([expect.objectContaining({ channel: 'zalo_oa', blocked: false })])
  })

  it('marks an unfollow as blocked and a follow as reachable again', async () => {
    const chat = '4369813276543210987'
    await h.say.oa(chat, await inviteCode(h, ids.lan))
    const follow = JSON.parse(fixture('zalo-oa-follow.json'))
    const at = (msAgo: number) => String(h.now().getTime() - msAgo)
    expect((await h.postOa({ ...follow, event_name: 'unfollow', timestamp: at(20_000) })).status).toBe(200)
    expect((await json(await h.api(`/people/${ids.lan}/links`))).items[0].blocked).toBe(true)
    expect((await h.postOa({ ...follow, timestamp: at(10_000) })).status).toBe(200)
    expect((await json(await h.api(`/people/${ids.lan}/links`))).items[0].blocked).toBe(false)
  })
})

describe('replays and redeliveries of OA events', () => {
  beforeEach(() => h.connectOa())
  const chat = '4369813276543210987'
  const questionCount = async () => (await json(await h.api('/questions?status=all'))).total

  it('refuses an event signed too long ago (or ahead): answered 200 so Zalo stops, and nothing changes', async () => {
    await h.say.oa(chat, await inviteCode(h, ids.lan))
    const follow = JSON.parse(fixture('zalo-oa-follow.json'))
    // Correctly signed, but stamped a year ago: a captured event replayed.
    const yearAgo = String(h.now().getTime() - 365 * 86_400_000)
    const old = await h.postOa({ ...follow, event_name: 'unfollow', follower: { id: chat }, timestamp: yearAgo })
    expect(old.status).toBe(200)
    expect(old.headers.get('x-loa-update')).toBe('ignored')
    expect((await json(await h.api(`/people/${ids.lan}/links`))).items[0].blocked).toBe(false)
    // 16 minutes old, or 16 minutes ahead: outside the default window of 15 minutes; 14 minutes is within.
    const stamped = (ms: number, text: string) => ({ ...oaMessage(chat, text), timestamp: String(h.now().getTime() + ms) })
    expect((await h.postOa(stamped(-16 * 60_000, '/hoidap Câu cũ?'))).headers.get('x-loa-update')).toBe('ignored')
    expect((await h.postOa(stamped(16 * 60_000, '/hoidap Câu tương lai?'))).headers.get('x-loa-update')).toBe('ignored')
    expect((await h.postOa(stamped(-14 * 60_000, '/hoidap Câu vừa gửi?'))).headers.get('x-loa-update')).toBe('accepted')
    expect(await questionCount()).toBe(1)
    expect(h.logs.some((l) => l.msg?.includes('freshness window'))).toBe(true)
  })

  it('refuses the same signed bytes replayed after the msg_id was forgotten (8 days later)', async () => {
    await h.say.oa(chat, await inviteCode(h, ids.lan))
    const raw = JSON.stringify(oaMessage(chat, '/hoidap Khi nào nộp báo cáo?', 'oa-replay-1', h.now()))
    expect((await h.postOa(raw)).headers.get('x-loa-update')).toBe('accepted')
    expect((await h.postOa(raw)).headers.get('x-loa-update')).toBe('duplicate')
    const answered = oaTexts(chat).length
    h.setNow(new Date(h.now().getTime() + 8 * 86_400_000))
    expect((await h.api('/jobs/prune-updates/run', { body: {} })).status).toBe(200)
    const replay = await h.postOa(raw)
    expect(replay.status).toBe(200)
    expect(replay.headers.get('x-loa-update')).toBe('ignored')
    expect(await questionCount()).toBe(1)
    // Nor is it answered a second time.
    await h.flush()
    expect(oaTexts(chat)).toHaveLength(answered)
  })

  it('reads ZALO_OA_EVENT_MAX_AGE_MINUTES and refuses a bad value', async () => {
    const wide = await startHarness({ ZALO_OA_EVENT_MAX_AGE_MINUTES: '120' })
    try {
      await wide.connectOa()
      const hourAgo = { ...oaMessage('u-wide', 'xin chào'), timestamp: String(wide.now().getTime() - 3_600_000) }
      expect((await wide.postOa(hourAgo)).headers.get('x-loa-update')).toBe('accepted')
    } finally {
      await wide.close()
    }
    await expect(startHarness({ ZALO_OA_EVENT_MAX_AGE_MINUTES: 'soon' })).rejects.toThrow(/ZALO_OA_EVENT_MAX_AGE_MINUTES/)
  })

  it('sends the reply to an event once, however often Zalo delivers it (at once, together, minutes later)', async () => {
    await h.say.oa(chat, await inviteCode(h, ids.lan))
    const greeted = oaTexts(chat).length
    const event = oaMessage(chat, '/hoidap Tài liệu tập huấn ở đâu?', 'oa-twice-1', h.now())
    const raw = JSON.stringify(event)
    const first = await Promise.all([h.postOa(raw), h.postOa(raw)])
    expect(first.map((r) => r.headers.get('x-loa-update')).sort()).toEqual(['accepted', 'duplicate'])
    const answered = oaTexts(chat).length
    expect(answered).toBe(greeted + 1)
    // Zalo's retry schedule: 30 s, then 5 minutes later, each with the same signed bytes.
    for (const later of [30_000, 300_000]) {
      h.setNow(new Date(h.now().getTime() + later))
      expect((await h.postOa(raw)).headers.get('x-loa-update')).toBe('duplicate')
      await h.flush()
    }
    expect(oaTexts(chat)).toHaveLength(answered)
    expect(await questionCount()).toBe(1)
  })
})

describe('keeping the OA connected', () => {
  const runJob = async (now?: string) => json(await h.api('/jobs/channel-tokens/run', { body: now ? { now } : {} }))
  const tokenRow = () => (h.db.all(`select version, access_expires_at as at, last_error as error from oauth_tokens` as never) as any[])[0]

  beforeEach(async () => {
    await h.connectOa()
    await h.say.telegram(7001, `/start ${await inviteCode(h, ids.phuc)}`)
  })

  it('refreshes the access token when 6 hours remain, storing the rotated pair; the spent refresh token is dead', async () => {
    expect((await runJob()).zalo_oa).toBe('fresh')
    const spent = h.oa.currentRefreshToken()
    h.setNow(new Date(h.now().getTime() + 20 * 3_600_000))
    expect((await runJob(h.now().toISOString())).zalo_oa).toBe('refreshed')
    expect(tokenRow().version).toBe(2)
    expect(h.oa.currentRefreshToken()).not.toBe(spent)
    // The OA goes on sending with the new token.
    const code = await inviteCode(h, ids.lan)
    await h.say.oa('u-lan', code)
    expect(h.oa.sentTo('u-lan').length).toBeGreaterThan(0)
  })

  it('tells the admins at once, in their chat and language, when a refresh fails; once a day', async () => {
    h.setNow(new Date(h.now().getTime() + 20 * 3_600_000))
    h.oa.failWith('refresh_token', { body: { error: -14014, error_name: 'Invalid refresh token' } }, 5)
    expect((await runJob(h.now().toISOString())).zalo_oa).toBe('refresh_failed')
    await runJob(h.now().toISOString())
    await h.flush()
    const told = h.texts(h.telegram, 7001).filter((t) => t.includes('Zalo OA token could not be refreshed'))
    expect(told).toHaveLength(1)
    expect(told[0]).toContain('Invalid refresh token')
    expect(told[0]).toContain('zalo-oa connect')
    expect(tokenRow().error).toContain('Invalid refresh token')
    const state = (await json(await h.api('/channels'))).items.find((c: any) => c.channel === 'zalo_oa')
    expect(state.lastRefreshError).toContain('Invalid refresh token')
  })

  it('warns the admins a week before the refresh token would lapse, once', async () => {
    // Refreshes keep failing (each success would issue a new 90-day refresh token): 84 days on, 6 remain.
    h.oa.failWith('refresh_token', { body: { error: -14014, error_name: 'Invalid refresh token' } }, 100)
    h.setNow(new Date(h.now().getTime() + 83 * 86_400_000))
    expect((await runJob(h.now().toISOString())).lapseWarnings).toBe(0)
    h.setNow(new Date(h.now().getTime() + 86_400_000))
    expect((await runJob(h.now().toISOString())).lapseWarnings).toBe(1)
    await runJob(h.now().toISOString())
    await h.flush()
    const warnings = h.texts(h.telegram, 7001).filter((t) => t.includes('refresh token) lapses at'))
    expect(warnings).toHaveLength(1)
  })
})

describe('connecting from the admin API', () => {
  it('gives the permission URL over the API too (Workers have no CLI on D1)', async () => {
    const res = await json(await h.api('/channels/zalo-oa/connect', { body: {} }))
    expect(res.redirectUri).toBe('https://loa.example.gov.vn/oauth/zalo-oa/callback')
    const back = new URL((await fetch(res.url, { redirect: 'manual' })).headers.get('location')!)
    expect((await h.app.request(`${back.pathname}${back.search}`)).status).toBe(200)
    expect((await json(await h.api('/channels'))).items.find((c: any) => c.channel === 'zalo_oa').connected).toBe(true)
  })
})
