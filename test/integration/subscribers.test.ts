import { readFileSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { conversations, deliveries, questions, subscribers } from '#db/schema/index.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Subscribers who are not staff: a chat outside the directory that writes becomes one; /dangky
 * picks a ward (numbers on Zalo) and records consent; /huydangky withdraws it; /xoa erases them at
 * once; unfollowing the OA is honoured; the privacy API exports and erases them; the retention job
 * erases those silent for SUBSCRIBER_RETENTION_DAYS.
 */
let h: Harness
const PARENT_ZL = 'zl-parent-1'
const json = async (res: Response) => (await res.json()) as any
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

beforeEach(async () => {
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  await seedDirectory(h)
  const more = await h.api('/units', { body: [{ code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' }] })
  expect(more.status).toBe(200)
})
afterEach(() => h.close())

describe('/dangky on Zalo', () => {
  it('offers the wards as numbers, takes "2", records consent, and withdraws it with /huydangky', async () => {
    await h.say.zalo(PARENT_ZL, '/dangky')
    const offer = h.lastText(h.zalo, PARENT_ZL)
    expect(offer).toContain('Bạn ở phường/xã nào?')
    expect(offer).toContain('1. UBND phường Cái Răng')
    expect(offer).toContain('2. UBND phường Ninh Kiều')
    // The first reply to a new subscriber carries the privacy notice.
    expect(offer).toContain('🔒 Sở lưu mã cuộc trò chuyện')
    await h.say.zalo(PARENT_ZL, '2')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^✅ Đã đăng ký nhận tin công khai của UBND phường Ninh Kiều\. Bạn đồng ý/)
    expect(h.lastText(h.zalo, PARENT_ZL)).not.toContain('🔒')

    let list = await json(await h.api('/subscribers'))
    expect(list).toMatchObject({ total: 1, items: [{ channel: 'zalo', ward: { code: 'P-NINHKIEU' }, optedIn: true, blocked: false }] })
    const [row] = await h.db.select().from(subscribers)
    expect(row!.optedInAt).toEqual(h.now())

    // A ward typed by name, without diacritics, in the same message.
    await h.say.zalo(PARENT_ZL, '/dangky cai rang')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^✅ Đã đăng ký nhận tin công khai của UBND phường Cái Răng\./)

    await h.say.zalo(PARENT_ZL, '/huydangky')
    expect(h.lastText(h.zalo, PARENT_ZL)).toBe('Đã ngừng gửi tin công khai cho bạn. Bạn vẫn có thể hỏi Sở: /hoidap <câu hỏi>.')
    list = await json(await h.api('/subscribers'))
    expect(list.items[0]).toMatchObject({ optedIn: false, ward: { code: 'P-CAIRANG' } })
    await h.say.zalo(PARENT_ZL, '/huydangky')
    expect(h.lastText(h.zalo, PARENT_ZL)).toBe('Bạn chưa đăng ký nhận tin. Gửi /dangky để đăng ký.')
  })

  it('asks again for a name that matches no ward', async () => {
    await h.say.zalo(PARENT_ZL, '/dangky Hải Phòng')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^Không tìm thấy phường\/xã nào có tên "Hải Phòng"/)
    await h.say.zalo(PARENT_ZL, 'Ninh Kiều')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^✅ Đã đăng ký nhận tin công khai của UBND phường Ninh Kiều\./)
  })
})

describe('/xoa and the privacy API', () => {
  it('/xoa erases the subscriber and their questions’ link at once; the answer stays anonymous in the figures', async () => {
    await h.say.zalo(PARENT_ZL, '/dangky 2')
    await h.say.zalo(PARENT_ZL, '/dangky Ninh Kiều')
    await h.say.zalo(PARENT_ZL, '/hoidap Phường có lớp năng khiếu buổi tối không ạ?')
    expect((await h.api('/questions/1/answer', { body: { answer: 'Có, ở nhà văn hoá phường.' } })).status).toBe(200)
    await h.flush()
    const exported = await json(await h.api('/subscribers/1/export'))
    expect(exported).toMatchObject({
      subscriber: { id: 1, channel: 'zalo', chatId: PARENT_ZL, ward: { code: 'P-NINHKIEU' } },
      questions: [{ id: 1, text: 'Phường có lớp năng khiếu buổi tối không ạ?', answer: 'Có, ở nhà văn hoá phường.' }],
    })

    await h.say.zalo(PARENT_ZL, '/xoa')
    expect(h.lastText(h.zalo, PARENT_ZL)).toMatch(/^🗑️ Đã xoá dữ liệu của bạn/)
    expect(await h.db.$count(subscribers)).toBe(0)
    const [q] = await h.db.select().from(questions)
    expect(q).toMatchObject({ subscriberId: null, text: '', answer: 'Có, ở nhà văn hoá phường.', fromPublic: true })
    const sent = await h.db.select({ chatId: deliveries.chatId, payload: deliveries.payload }).from(deliveries).where(eq(deliveries.chatId, PARENT_ZL))
    // Only the confirmation itself is addressed to the chat (it has to reach it); nothing before it.
    expect(sent.map((d) => String((d.payload as { text?: string }).text).startsWith('🗑️ Đã xoá dữ liệu'))).toEqual([true])
    expect(await h.db.$count(conversations, eq(conversations.chatId, PARENT_ZL))).toBe(0)
    const listed = await json(await h.api('/questions?status=all'))
    expect(listed.items[0]).toMatchObject({ text: null, asker: { kind: 'subscriber', erased: true, ward: { code: 'P-NINHKIEU' } } })
    expect((await json(await h.api('/questions/stats'))).all).toMatchObject({ asked: 1, answered: 1 })
    expect((await h.api('/subscribers/1/export')).status).toBe(404)

    await h.say.zalo(PARENT_ZL, '/xoa')
    expect(h.lastText(h.zalo, PARENT_ZL)).toBe('Sở không lưu dữ liệu nào của bạn.')
  })

  it('erases through DELETE /api/subscribers/:id (admins only), and 404 for an unknown one', async () => {
    await h.say.telegram('8800000002', '/hoidap Xin hỏi lịch thi tuyển sinh lớp 10?')
    expect((await h.api('/subscribers/9', { method: 'DELETE' })).status).toBe(404)
    const res = await h.api('/subscribers/1', { method: 'DELETE' })
    expect(await json(res)).toEqual({ subscriberId: 1, questionsEmptied: 1 })
    expect((await json(await h.api('/subscribers'))).total).toBe(0)
  })

  it('the retention job erases a subscriber silent for SUBSCRIBER_RETENTION_DAYS, and keeps one who wrote since', async () => {
    await h.say.telegram('8800000003', 'xin chào')
    await h.say.telegram('8800000004', 'xin chào')
    h.setNow(new Date(h.now().getTime() + 200 * 86_400_000))
    // Any message counts as contact, even a staff command they cannot use.
    await h.say.telegram('8800000004', '/baocao')
    h.setNow(new Date(h.now().getTime() + 166 * 86_400_000))
    const run = await json(await h.api('/jobs/retention/run', { body: {} }))
    expect(JSON.stringify(run)).toContain('"subscribersErased":1')
    const left = await h.db.select({ chatId: subscribers.chatId }).from(subscribers)
    expect(left).toEqual([{ chatId: '8800000004' }])
  })
})

describe('a subscriber who turns out to be staff', () => {
  it('stops being a subscriber when the chat is linked with an invite code', async () => {
    await h.say.telegram('8800000005', 'xin chào')
    expect(await h.db.$count(subscribers)).toBe(1)
    await enroll(h, 1, 'telegram', '8800000005')
    expect(h.lastText(h.telegram, '8800000005')).not.toContain('🔒')
    expect(await h.db.$count(subscribers)).toBe(0)
  })
})

describe('unfollow and blocks', () => {
  it('an OA unfollow marks the subscriber blocked (no answer goes), a follow or a message lifts it', async () => {
    await h.connectOa()
    const follow = JSON.parse(fixture('zalo-oa-follow.json'))
    const chat = follow.follower.id as string
    await h.say.oa(chat, '/hoidap Trường có bán trú không ạ?')
    const at = (msAgo: number) => String(h.now().getTime() - msAgo)
    expect((await h.postOa({ ...follow, event_name: 'unfollow', timestamp: at(20_000) })).status).toBe(200)
    expect((await json(await h.api('/subscribers'))).items[0].blocked).toBe(true)
    expect(await json(await h.api('/questions/1/answer', { body: { answer: 'Có.' } }))).toMatchObject({ delivered: false })
    expect((await h.postOa({ ...follow, timestamp: at(10_000) })).status).toBe(200)
    expect((await json(await h.api('/subscribers'))).items[0].blocked).toBe(false)
  })
})
