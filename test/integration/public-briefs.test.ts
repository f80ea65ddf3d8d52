import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { broadcasts, broadcastSubscribers } from '#db/schema/index.js'
import { signedInAs } from '../helpers/console.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Public briefs (issue 23): a broadcast's audience may name subscribers — parents and citizens who
 * opted in with /dangky — by ward, alone or beside staff. Only those opted in and still following
 * get it, through the same outbox and channel rules, without the "Đã đọc" button; the results say
 * per ward how many were reached, delivered, and not reached, and why.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6100000001' // Lan, teacher, Telegram
const ZL = 'zl-minh-01' // Minh, teacher, Zalo
const PARENT_ZL = 'zl-parent-1' // subscriber, ward Ninh Kiều
const PARENT_TG = '8800000001' // subscriber, ward Cái Răng
const WITHDRAWN_TG = '8800000002' // subscribed in Ninh Kiều, then withdrew
const PARENT_OA = '4369813270000000001' // subscriber on the OA, ward Ninh Kiều
const json = async (res: Response) => (await res.json()) as any
const days = (n: number) => h.setNow(new Date(h.now().getTime() + n * 86_400_000))

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, { PUBLIC_URL: 'https://loa.example.gov.vn' }))
  expect((await h.api('/units', { body: [{ code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' }] })).status).toBe(200)
  await h.connectOa()
  await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
  await h.say.telegram(PARENT_TG, '/dangky Cái Răng')
  await h.say.telegram(WITHDRAWN_TG, '/dangky Ninh Kiều')
  await h.say.telegram(WITHDRAWN_TG, '/huydangky')
  await h.say.oa(PARENT_OA, '/dangky Ninh Kiều')
})
afterEach(() => h.close())

const brief = (audience: Record<string, unknown>) =>
  h.api('/broadcasts', { body: { kind: 'announcement', title: 'Lịch tuyển sinh lớp 6', body: 'Nhận hồ sơ từ 1/6.', requireAck: true, audience } })
const got = (texts: string[]) => texts.some((t) => t.includes('Lịch tuyển sinh lớp 6'))

describe('a public brief to the subscribers of one ward', () => {
  it('reaches only those opted in there, without the button, and counts the OA subscriber whose window closed as not reached', async () => {
    days(8) // the OA subscriber has not written for 8 days: the OA may not write to them
    const res = await brief({ subscribers: { wardCodes: ['P-NINHKIEU'] } })
    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ people: 0, recipients: 0, subscribers: 2 })
    await h.flush()
    // The Zalo bot parent got it, with no "Đã đọc" line.
    expect(got(h.texts(h.zalo, PARENT_ZL))).toBe(true)
    expect(h.lastText(h.zalo, PARENT_ZL)).not.toContain('đã đọc')
    // Not the withdrawn one, not another ward, not staff.
    expect(got(h.texts(h.telegram, WITHDRAWN_TG))).toBe(false)
    expect(got(h.texts(h.telegram, PARENT_TG))).toBe(false)
    expect(got(h.texts(h.telegram, TG))).toBe(false)
    expect(got(h.texts(h.zalo, ZL))).toBe(false)
    expect(h.oa.sentTo(PARENT_OA).some((c) => String(c.params.text).includes('Lịch tuyển sinh'))).toBe(false)

    const r = await json(await h.api('/broadcasts/1'))
    expect(r).toMatchObject({ people: 0, recipients: 0 })
    expect(r.subscribers).toMatchObject({ wardCodes: ['P-NINHKIEU'], reached: 2, delivered: 1, notReached: { windowClosed: 1, blocked: 0, quota: 0, failed: 0 } })
    expect(r.subscribers.byWard).toEqual([
      expect.objectContaining({ wardCode: 'P-NINHKIEU', wardName: 'UBND phường Ninh Kiều', reached: 2, delivered: 1, notReached: { blocked: 0, windowClosed: 1, quota: 0, failed: 0 } }),
    ])
    // A day later (the horizon), still silent: failed as window_closed, still counted under it.
    days(1)
    await h.flush()
    const after = await json(await h.api('/broadcasts/1'))
    expect(after.subscribers.notReached).toEqual({ blocked: 0, windowClosed: 1, quota: 0, failed: 0 })
    // Staff figures are not mixed with the subscribers'.
    expect(after.failedBy).toEqual({})
    expect(await h.db.$count(broadcastSubscribers)).toBe(2)
    // No unit counts a subscribers-only brief in its staff audience.
    expect((await json(await h.api('/broadcasts/1/units'))).items).toEqual([])
  })

  it('goes beside staff when asked: teachers get the button, every ward’s subscribers get none', async () => {
    const res = await json(await brief({ roles: ['teacher'], subscribers: { wardCodes: [] } }))
    expect(res).toMatchObject({ people: 2, recipients: 2, subscribers: 3 })
    await h.flush()
    expect(h.telegram.sentTo(TG).at(-1)!.params.reply_markup.inline_keyboard.flat()[0].text).toBe('Đã đọc')
    const parent = h.telegram.sentTo(PARENT_TG).at(-1)!
    expect(parent.params.text).toContain('Lịch tuyển sinh lớp 6')
    expect(parent.params.reply_markup).toBeUndefined()
    expect(got(h.texts(h.telegram, WITHDRAWN_TG))).toBe(false)
    const r = await json(await h.api('/broadcasts/1'))
    expect(r).toMatchObject({ recipients: 2, sent: 2 })
    expect(r.subscribers).toMatchObject({ reached: 3, delivered: 3 })
    expect(r.subscribers.byWard.map((w: any) => [w.wardCode, w.reached])).toEqual([
      ['P-CAIRANG', 1],
      ['P-NINHKIEU', 2],
    ])
    // Erased with /xoa: their ward's figures stay, without them and their chat.
    await h.say.telegram(PARENT_TG, '/xoa')
    const rows = await h.db.select().from(broadcastSubscribers)
    expect(rows.filter((row) => row.chatId === PARENT_TG)).toEqual([])
    expect(rows.filter((row) => row.subscriberId === null)).toHaveLength(1)
    const erased = await json(await h.api('/broadcasts/1'))
    expect(erased.subscribers.byWard.map((w: any) => [w.wardCode, w.reached, w.delivered])).toEqual([
      ['P-CAIRANG', 1, 1],
      ['P-NINHKIEU', 2, 2],
    ])
  })

  it('refuses a code that is not a ward in Vietnamese, and creates nothing', async () => {
    const res = await brief({ subscribers: { wardCodes: ['THCS-ANHOA'] } })
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('Không có phường/xã mã: THCS-ANHOA.')
    expect(await h.db.$count(broadcasts)).toBe(0)
    expect(await h.db.$count(broadcastSubscribers)).toBe(0)
  })
})

describe('who unfollowed', () => {
  it('an OA subscriber who unfollowed is not sent the brief, and is counted again once they follow back', async () => {
    const follow = JSON.parse(readFileSync(new URL('../fixtures/zalo-oa-follow.json', import.meta.url), 'utf8'))
    const chat = follow.follower.id as string
    await h.say.oa(chat, '/dangky Ninh Kiều')
    const at = (msAgo: number) => String(h.now().getTime() - msAgo)
    expect((await h.postOa({ ...follow, event_name: 'unfollow', timestamp: at(20_000) })).status).toBe(200)
    expect(await json(await brief({ subscribers: { wardCodes: ['P-NINHKIEU'] } }))).toMatchObject({ subscribers: 2 })
    await h.flush()
    expect(h.oa.sentTo(chat).some((c) => String(c.params.text).includes('Lịch tuyển sinh'))).toBe(false)
    expect((await h.postOa({ ...follow, timestamp: at(10_000) })).status).toBe(200)
    const again = await h.api('/broadcasts', { body: { kind: 'announcement', title: 'Lần hai', body: 'Nội dung.', audience: { subscribers: { wardCodes: ['P-NINHKIEU'] } } } })
    expect(await json(again)).toMatchObject({ subscribers: 3 })
  })
})

describe('the console composer', () => {
  it('counts the subscribers of the chosen ward in the preview, sends to them only, and shows the figures per ward', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const form = await admin.text(await admin.get('/admin/broadcasts/new'))
    expect(form).toContain('Phụ huynh, người dân đã đăng ký')
    expect(form).toContain('UBND phường Cái Răng (P-CAIRANG)')
    const fields = {
      kind: 'announcement',
      title: 'Lịch tuyển sinh lớp 6',
      body: 'Nhận hồ sơ từ 1/6.',
      audienceShown: '1',
      includeSubunits: 'on',
      publicScope: 'subscribers',
      wardCodes: 'P-NINHKIEU',
      when: 'now',
      action: 'preview',
    }
    const previewed = await (await admin.post('/admin/broadcasts/new', fields)).text()
    expect(previewed).toContain('2 người đã đăng ký sẽ nhận tin.')
    expect(previewed).toContain('data-subscribers="2"')
    expect(previewed).toContain('Gửi tới 2 người')
    const checked = /name="checked" value="([^"]+)"/.exec(previewed)?.[1]
    expect(checked).toBeTruthy()
    // All wards counts the Cái Răng parent too; a different audience than the one previewed is not sent.
    const all = await admin.text(await admin.post('/admin/broadcasts/new', { ...fields, wardCodes: '' }))
    expect(all).toContain('3 người đã đăng ký sẽ nhận tin.')
    const sent = await admin.post('/admin/broadcasts/new', { ...fields, action: 'send', checked: checked! })
    expect(sent.status).toBe(303)
    await h.flush()
    expect(got(h.texts(h.zalo, PARENT_ZL))).toBe(true)
    expect(got(h.texts(h.telegram, PARENT_TG))).toBe(false)
    expect(got(h.texts(h.telegram, TG))).toBe(false)
    const page = await (await admin.get('/admin/broadcasts/1')).text()
    expect(page).toContain('người đã đăng ký (P-NINHKIEU)')
    expect(page).not.toContain('toàn thành phố')
    expect(page).toContain('Phụ huynh, người dân đã đăng ký: theo phường, xã')
    const row = /<tr data-ward="P-NINHKIEU">(.*?)<\/tr>/s.exec(page)?.[1] ?? ''
    expect(row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()).toBe(
      'UBND phường Ninh Kiều (P-NINHKIEU) 2 2 0 chặn/bỏ quan tâm 0, ngoài cửa sổ OA 0, hết hạn mức 0, lỗi khác 0',
    )
  })
})
