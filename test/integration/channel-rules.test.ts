import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliveries } from '#db/schema/index.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Delivery knows each channel's rules: the OA's window after the person last wrote, monthly quotas
 * (the Zalo bot's 429 "Quota exceeded", the OA's -211) that pause a channel instead of failing
 * every delivery, a person's next linked chat when the preferred one cannot take the message.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const json = async (res: Response) => (await res.json()) as any
const OA_LAN = '4369813276543210987'

beforeEach(async () => {
  // The OAuth callback is PUBLIC_URL/oauth/zalo-oa/callback.
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  ids = await seedDirectory(h)
  await h.connectOa()
})
afterEach(() => h.close())

const brief = (extra: Record<string, unknown> = {}) =>
  h.api('/broadcasts', { body: { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Nội dung.', requireAck: true, ...extra } })
const days = (n: number) => h.setNow(new Date(h.now().getTime() + n * 86_400_000))

describe('the OA window', () => {
  beforeEach(async () => {
    // Lan links Telegram, then the OA: the OA is her preferred (latest) chat.
    await enroll(h, ids.lan, 'telegram', '5001')
    h.setNow(new Date(h.now().getTime() + 60_000))
    await enroll(h, ids.lan, 'zalo_oa', OA_LAN)
  })

  it('sends a brief on the OA while the window is open, with the button', async () => {
    const { id } = await json(await brief({ audience: { unitCodes: ['THCS-ANHOA'], roles: ['teacher'] } }))
    await h.flush()
    expect(h.oa.sentTo(OA_LAN).at(-1)!.params.text).toContain('Quán triệt Nghị quyết 71')
    expect(h.telegram.sentTo('5001').some((c) => String(c.params.text).includes('Quán triệt'))).toBe(false)
    expect((await json(await h.api(`/broadcasts/${id}`))).movedToAnotherChannel).toBe(0)
  })

  it('sends a brief to a person whose OA window has closed on her Telegram chat instead, and records why', async () => {
    days(8)
    const before = h.oa.calls.length
    const { id } = await json(await brief({ audience: { unitCodes: ['THCS-ANHOA'], roles: ['teacher'] } }))
    await h.flush()
    // Nothing was even tried on the OA (its window rule is known), and Telegram got it with its button.
    expect(h.oa.calls.slice(before).filter((c) => c.method.startsWith('message/'))).toHaveLength(0)
    const tg = h.telegram.sentTo('5001').at(-1)!
    expect(tg.params.text).toContain('Quán triệt Nghị quyết 71')
    expect(tg.params.reply_markup.inline_keyboard.flat()[0].text).toBe('Đã đọc')
    const [row] = await h.db.select().from(deliveries).where(eq(deliveries.source, 'broadcast'))
    expect(row).toMatchObject({ channel: 'telegram', chatId: '5001', status: 'sent', movedFrom: 'zalo_oa:window_closed' })
    const stats = await json(await h.api(`/broadcasts/${id}`))
    // Minh, also a teacher, has linked no chat yet.
    expect(stats).toMatchObject({ sent: 1, movedToAnotherChannel: 1, notReached: { windowClosed: 0, noLinkedChat: 1 } })
  })

  it('moves it too when the OA itself answers -230 though Loa thought the window open', async () => {
    h.oa.closeWindow(OA_LAN)
    await brief({ audience: { unitCodes: ['THCS-ANHOA'], roles: ['teacher'] } })
    await h.flush()
    expect(h.oa.calls.some((c) => c.method === 'message/cs!window')).toBe(true)
    expect(h.telegram.sentTo('5001').at(-1)!.params.text).toContain('Quán triệt Nghị quyết 71')
  })

  it('holds a message for a person with only the OA until she writes, then fails it as window_closed at its horizon', async () => {
    await enroll(h, ids.minh, 'zalo_oa', 'oa-minh')
    days(8)
    const { id } = await json(await brief({ audience: { unitCodes: ['THCS-ANHOA'], roles: ['focal_point'] } }))
    await h.flush()
    expect(h.oa.sentTo('oa-minh').some((c) => String(c.params.text).includes('Quán triệt'))).toBe(false)
    expect((await json(await h.api(`/broadcasts/${id}`))).notReached).toMatchObject({ windowClosed: 1, failed: 0 })
    // A day later (the horizon), still silent: counted as not reached because the window was closed.
    days(1)
    h.setNow(new Date(h.now().getTime() + 60_000))
    await h.flush()
    const stats = await json(await h.api(`/broadcasts/${id}`))
    expect(stats.failedBy).toEqual({ window_closed: 1 })
    expect(stats.notReached).toEqual({ noLinkedChat: 0, windowClosed: 1, quota: 0, blocked: 0, failed: 0 })
  })

  it('sends the waiting message once the person writes again', async () => {
    await enroll(h, ids.minh, 'zalo_oa', 'oa-minh')
    days(8)
    await brief({ audience: { unitCodes: ['THCS-ANHOA'], roles: ['focal_point'] } })
    await h.flush()
    await h.say.oa('oa-minh', 'xin chào')
    h.setNow(new Date(h.now().getTime() + 31 * 60_000))
    await h.flush()
    expect(h.oa.sentTo('oa-minh').some((c) => String(c.params.text).includes('Quán triệt'))).toBe(true)
  })
})

describe('quotas', () => {
  const quotaError = { body: { ok: false, error_code: 429, description: 'Quota exceeded' } }

  it('pauses the Zalo bot on 429 "Quota exceeded" without failing deliveries, tells admins once, moves what it can', async () => {
    await enroll(h, ids.phuc, 'telegram', '7001')
    await enroll(h, ids.minh, 'zalo', 'z-minh')
    // Lan has the Zalo bot (preferred, latest) and Telegram.
    await enroll(h, ids.lan, 'telegram', '5001')
    h.setNow(new Date(h.now().getTime() + 60_000))
    await enroll(h, ids.lan, 'zalo', 'z-lan')
    h.zalo.failWith('sendMessage', quotaError, 100)
    const { id } = await json(await brief({ audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    await h.flush()

    const stats = await json(await h.api(`/broadcasts/${id}`))
    expect(stats.failed).toBe(0)
    // Lan got it on Telegram; Minh's waits for the quota to reset.
    expect(h.telegram.sentTo('5001').at(-1)!.params.text).toContain('Quán triệt')
    expect(stats).toMatchObject({ sent: 1, queued: 1, notReached: { quota: 1, failed: 0 } })
    const channels = (await json(await h.api('/channels'))).items
    const zalo = channels.find((c: any) => c.channel === 'zalo')
    // Paused until local midnight on 1 April (Asia/Ho_Chi_Minh).
    expect(zalo.paused).toMatchObject({ until: '2026-03-31T17:00:00.000Z' })
    expect(zalo.paused.reason).toContain('Quota exceeded')
    // The Zalo bot is not asked again while paused: one refused call, not one per delivery and retry.
    await h.flush()
    expect(h.zalo.calls.filter((c) => c.method === 'sendMessage!failed').length).toBeLessThanOrEqual(2)
    // The admin heard once, on Telegram.
    const told = h.texts(h.telegram, '7001').filter((t) => t.includes('used up its messages for the month'))
    expect(told).toHaveLength(1)

    // The admin knows the quota was raised: lifting the pause sends what waited.
    h.zalo.reset()
    expect(await json(await h.api('/channels/zalo/pause', { method: 'DELETE' }))).toEqual({ channel: 'zalo', lifted: true })
    h.setNow('2026-04-01T01:00:00Z')
    await h.flush()
    expect(h.texts(h.zalo, 'z-minh').some((t) => t.includes('Quán triệt'))).toBe(true)
    expect((await json(await h.api(`/broadcasts/${id}`))).sent).toBe(2)
  })

  it('pauses the OA on its quota code and counts the month’s messages in /api/channels', async () => {
    await enroll(h, ids.lan, 'zalo_oa', OA_LAN)
    const used = (await json(await h.api('/channels'))).items.find((c: any) => c.channel === 'zalo_oa').quota.usedThisMonth
    expect(used).toBeGreaterThan(0)
    h.oa.setQuota(0)
    await brief({ audience: { unitCodes: ['THCS-ANHOA'], roles: ['teacher'] } })
    await h.flush()
    const oa = (await json(await h.api('/channels'))).items.find((c: any) => c.channel === 'zalo_oa')
    expect(oa).toMatchObject({ connected: true, quota: { usedThisMonth: used } })
    expect(oa.paused.reason).toContain('-211')
  })
})
