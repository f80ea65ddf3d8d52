import { afterEach, describe, expect, it } from 'vitest'
import { subscribers } from '#db/schema/index.js'
import { signedInAs } from '../helpers/console.js'
import { enroll, startHarness, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * The Zalo bot's user limit (reported as 50 users on the free plan; ZALO_BOT_USER_LIMIT): the
 * distinct chats of the bot (linked staff and subscribers) shown as "N / limit" in GET /api/channels
 * and on /admin/channels, warned from 80 %; the admins told when it fills; a newcomer once it is
 * full told politely to use the OA or Telegram, and not recorded.
 */
let h: Harness
afterEach(() => h.close())
const json = async (res: Response) => (await res.json()) as any
const zaloState = async () => (await json(await h.api('/channels'))).items.find((i: any) => i.channel === 'zalo')

describe('the Zalo bot user limit', () => {
  it('counts staff and subscribers, warns at 80 %, tells the admins when full, and sends newcomers to the OA or Telegram', async () => {
    let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
    ;({ h, ids } = await startWithLinkedPeople({ telegram: '6100000001', zalo: 'zl-minh-01' }, { ZALO_BOT_USER_LIMIT: '5', TELEGRAM_BOT_USERNAME: 'SoGDDTCanThoBot' }))
    const PHUC = '6300000029'
    await enroll(h, ids.phuc, 'telegram', PHUC) // an admin, told on Telegram
    expect(await zaloState()).toMatchObject({ users: { used: 1, limit: 5, warning: false, reached: false } })
    // Telegram has no such limit.
    expect((await json(await h.api('/channels'))).items.find((i: any) => i.channel === 'telegram').users).toBeNull()

    for (const chat of ['zl-p1', 'zl-p2', 'zl-p3']) await h.say.zalo(chat, 'xin chào')
    expect(await zaloState()).toMatchObject({ users: { used: 4, limit: 5, warning: true, reached: false } })
    const admin = await signedInAs(h, ids.phuc, 'admin')
    let page = await admin.text(await admin.get('/admin/channels'))
    expect(page).toContain('4 / 5 người dùng')
    expect(page).toContain('Sắp đủ: khi đủ, người mới được mời dùng Zalo OA hoặc Telegram.')

    // The fifth takes the last place: welcomed, and the admins hear the bot is full.
    await h.say.zalo('zl-p4', '/dangky Ninh Kiều')
    expect(h.lastText(h.zalo, 'zl-p4')).not.toContain('đã đủ số người dùng')
    await h.flush()
    // Phúc reads English.
    expect(h.lastText(h.telegram, PHUC)).toContain('The Zalo channel has reached the 5 users its plan allows.')

    // A sixth is turned away politely, pointed to the OA and Telegram, and not recorded.
    const before = await h.db.$count(subscribers)
    await h.say.zalo('zl-p5', '/hoidap Khi nào có lịch tựu trường?')
    expect(h.lastText(h.zalo, 'zl-p5')).toBe(
      'Xin lỗi bạn, kênh Zalo này của Sở đã đủ số người dùng được phép nên chưa nhận thêm người mới. Mời bạn quan tâm Zalo OA của Sở GD&ĐT Cần Thơ, hoặc nhắn cho Sở qua Telegram (https://t.me/SoGDDTCanThoBot), để hỏi đáp và nhận tin. Cảm ơn bạn!',
    )
    await h.say.zalo('zl-p5', 'xin chào')
    expect(h.lastText(h.zalo, 'zl-p5')).toContain('đã đủ số người dùng')
    expect(await h.db.$count(subscribers)).toBe(before)
    // Those already in are still answered.
    await h.say.zalo('zl-p1', '/dangky Ninh Kiều')
    expect(h.lastText(h.zalo, 'zl-p1')).not.toContain('đã đủ số người dùng')
    expect(await zaloState()).toMatchObject({ users: { used: 5, limit: 5, warning: true, reached: true } })
    page = await admin.text(await admin.get('/admin/channels'))
    expect(page).toContain('5 / 5 người dùng')
    expect(page).toContain('Đã đủ: người mới đang được mời dùng Zalo OA hoặc Telegram.')
    // The console's home says it to every admin who signs in.
    expect(await admin.text(await admin.get('/admin'))).toContain('Zalo đã đủ 5 / 5 người dùng mà gói cho phép')
  })

  it('0 means no limit', async () => {
    h = await startHarness({ ZALO_BOT_USER_LIMIT: '0' })
    await h.say.zalo('zl-p1', 'xin chào')
    expect((await zaloState()).users).toBeNull()
  })

  it('refuses a limit that is not a whole number', async () => {
    await expect(startHarness({ ZALO_BOT_USER_LIMIT: '-3' })).rejects.toThrow(/ZALO_BOT_USER_LIMIT/)
  })
})
