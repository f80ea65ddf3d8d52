import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, inviteCode, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * A code links one chat, once; a second messenger takes a new code (/lienket, or an admin's);
 * every new link is announced to the person's other chats with a "Không phải tôi" undo; admins
 * list and revoke links (the API here, the CLI in linking-cli.test.ts); an admin account takes an
 * admin's code from the last day.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
})
afterEach(async () => {
  await h.close()
})

const json = async (res: Response) => (await res.json()) as any
const links = async (personId: number) => json(await h.api(`/people/${personId}/links`))
const buttons = (call: { params: any } | undefined) =>
  (call?.params.reply_markup?.inline_keyboard ?? []).flat() as { text: string; callback_data: string }[]
const codeIn = (text: string) => text.match(/[A-Z2-9]{4}-[A-Z2-9]{4}/)?.[0] ?? ''

describe('the takeover attempt from issue 10', () => {
  it('refuses a second chat sending the admin’s used code, tells the owner, and leaves everything as it was', async () => {
    const code = await enroll(h, ids.phuc, 'zalo', 'z-phuc')
    expect(h.texts(h.zalo, 'z-phuc')[0]).toContain('Hello Lê Hoàng Phúc')

    // Another Telegram chat sends the same code.
    await h.say.telegram(6660001, `/start ${code}`)
    const refusal = h.lastText(h.telegram, 6660001)
    expect(refusal).toContain('đã được sử dụng để liên kết một cuộc trò chuyện khác')
    expect(refusal).toContain('Không có gì thay đổi')
    expect(h.texts(h.telegram, 6660001).join('\n')).not.toContain('Lê Hoàng Phúc')

    // The intruder is nobody: no announcement, no city-wide audience.
    await h.say.telegram(6660001, '/thongbao')
    expect(h.lastText(h.telegram, 6660001)).toContain('chưa được liên kết')
    expect(h.texts(h.telegram, 6660001).join('\n')).not.toContain('Toàn thành phố')

    // The owner hears of the attempt, once per trying chat, in their language (English).
    await h.say.telegram(6660001, `/start ${code}`)
    await h.flush()
    const warnings = h.texts(h.zalo, 'z-phuc').filter((t) => t.includes('sent the invite code you already used'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('another Telegram chat')
    expect(warnings[0]).toContain('send /link here')

    const list = await links(ids.phuc)
    expect(list.items).toEqual([expect.objectContaining({ channel: 'zalo', blocked: false })])

    // The next brief to admins still goes to the admin's Zalo chat, and not to the intruder.
    const brief = await h.api('/broadcasts', {
      body: { kind: 'brief', title: 'Chỉ đạo', body: 'Nội dung cho quản trị viên.', audience: { roles: ['admin'] } },
    })
    expect(await json(brief)).toMatchObject({ recipients: 1 })
    await h.flush()
    expect(h.texts(h.zalo, 'z-phuc').some((t) => t.includes('Nội dung cho quản trị viên.'))).toBe(true)
    expect(h.texts(h.telegram, 6660001).some((t) => t.includes('Nội dung cho quản trị viên.'))).toBe(false)
  })

  it('refuses a used code on the same messenger too, and a wrong-code streak still makes the chat wait', async () => {
    const code = await enroll(h, ids.lan, 'telegram', '101')
    await h.say.zalo('z-other', code)
    expect(h.lastText(h.zalo, 'z-other')).toContain('đã được sử dụng')
    await h.say.telegram(202, `/start ${code}`)
    expect(h.lastText(h.telegram, 202)).toContain('đã được sử dụng')
    // Sending a spent code counts as a wrong try: five in an hour and the chat must wait.
    for (let i = 0; i < 4; i++) await h.say.telegram(202, `/start ${code}`)
    await h.say.telegram(202, `/start ${await inviteCode(h, ids.minh)}`)
    expect(h.lastText(h.telegram, 202)).toContain('quá nhiều lần')
    expect((await links(ids.minh)).items).toEqual([])
  })
})

describe('/lienket: a second messenger takes a new code, asked for from a linked chat', () => {
  it('gives a one-time code with the Telegram link and the Zalo instructions; it links the other messenger once', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    await h.say.telegram(101, '/lienket')
    const answer = h.lastText(h.telegram, 101)
    const code = codeIn(answer)
    expect(code).not.toBe('')
    expect(answer).toContain(`https://t.me/nq71_cantho_bot?start=${code}`)
    expect(answer).toContain(`Zalo: nhắn mã ${code}`)
    expect(answer).toContain('hết hạn lúc')

    await h.say.zalo('z-lan', code)
    expect(h.texts(h.zalo, 'z-lan')[0]).toContain('Xin chào Nguyễn Thị Lan')
    await h.say.zalo('z-someone', code)
    expect(h.lastText(h.zalo, 'z-someone')).toContain('đã được sử dụng')
    expect((await links(ids.lan)).items.map((l: { channel: string }) => l.channel)).toEqual(['telegram', 'zalo'])
  })

  it('answers the bare "lien ket" and /link, and only the newest such code works; it lasts a day', async () => {
    await enroll(h, ids.minh, 'zalo', 'z-minh')
    await h.say.zalo('z-minh', 'lien ket')
    const first = codeIn(h.lastText(h.zalo, 'z-minh'))
    expect(h.lastText(h.zalo, 'z-minh')).toContain('Telegram: mở https://t.me/nq71_cantho_bot?start=')
    await h.say.zalo('z-minh', '/link')
    const second = codeIn(h.lastText(h.zalo, 'z-minh'))
    expect(second).not.toBe(first)

    await h.say.telegram(301, `/start ${first}`)
    expect(h.lastText(h.telegram, 301)).toContain('đã hết hạn')
    h.setNow(new Date(h.now().getTime() + 25 * 3600_000))
    await h.say.telegram(301, `/start ${second}`)
    expect(h.lastText(h.telegram, 301)).toContain('đã hết hạn')
    expect((await links(ids.minh)).items).toHaveLength(1)
  })

  it('is only for linked chats, and lists itself in /huongdan', async () => {
    await h.say.telegram(909, '/lienket')
    expect(h.lastText(h.telegram, 909)).toContain('chưa được liên kết')
    await enroll(h, ids.lan, 'telegram', '101')
    await h.say.telegram(101, '/huongdan')
    expect(h.lastText(h.telegram, 101)).toContain('/lienket')
  })
})

describe('every new link is announced, with a one-step undo', () => {
  it('announces a Zalo link on Telegram with a "Không phải tôi" button that revokes it and tells both sides', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    await enroll(h, ids.minh, 'telegram', '102')
    await h.say.telegram(101, '/lienket')
    await h.say.zalo('z-new', codeIn(h.lastText(h.telegram, 101)))
    await h.flush()

    const notice = h.telegram.sentTo('101').at(-1)
    expect(notice!.params.text).toContain('vừa được liên kết thêm với một cuộc trò chuyện Zalo')
    const [button] = buttons(notice)
    expect(button!.text).toBe('Không phải tôi')
    const zaloLink = (await links(ids.lan)).items.find((l: { channel: string }) => l.channel === 'zalo')
    expect(button!.callback_data).toBe(`unlink:${zaloLink.id}`)
    // The new chat itself is not told to undo itself.
    expect(h.texts(h.zalo, 'z-new').some((t) => t.includes('Không phải tôi'))).toBe(false)

    // Someone else's chat pressing it (a forged press) changes nothing.
    await h.say.press(102, button!.callback_data)
    expect(h.lastText(h.telegram, 102)).toContain('Chỉ cuộc trò chuyện đã liên kết từ trước')
    expect((await links(ids.lan)).items).toHaveLength(2)

    await h.say.press(101, button!.callback_data)
    expect(h.lastText(h.telegram, 101)).toContain('Đã huỷ liên kết Zalo vừa thêm')
    expect((await links(ids.lan)).items.map((l: { channel: string }) => l.channel)).toEqual(['telegram'])
    await h.flush()
    expect(h.lastText(h.zalo, 'z-new')).toContain('chủ tài khoản cho biết đó không phải họ')
    await h.say.zalo('z-new', 'huong dan')
    expect(h.lastText(h.zalo, 'z-new')).toContain('chưa được liên kết')

    // A second press finds nothing to undo.
    await h.say.press(101, button!.callback_data)
    expect(h.lastText(h.telegram, 101)).toContain('đã được huỷ trước đó')
  })

  it('refuses the undo pressed from the new chat itself', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    await h.say.telegram(101, '/lienket')
    await h.say.zalo('z-new', codeIn(h.lastText(h.telegram, 101)))
    const zaloLink = (await links(ids.lan)).items.find((l: { channel: string }) => l.channel === 'zalo')
    await enroll(h, ids.lan, 'telegram', '111') // a newer Telegram chat than the Zalo one
    const tgLink = (await links(ids.lan)).items.find((l: { channel: string }) => l.channel === 'telegram')
    await h.say.press(111, `unlink:${zaloLink.id}`)
    expect(h.lastText(h.telegram, 111)).toContain('Chỉ cuộc trò chuyện đã liên kết từ trước')
    await h.say.press(111, `unlink:${tgLink.id}`)
    expect(h.lastText(h.telegram, 111)).toContain('Chỉ cuộc trò chuyện đã liên kết từ trước')
    expect((await links(ids.lan)).items).toHaveLength(2)
  })

  it('numbers the choice on Zalo: "1" right after the announcement undoes it; after a brief, "1" is not read as undo', async () => {
    await enroll(h, ids.minh, 'zalo', 'z-minh')
    await h.say.zalo('z-minh', '/lienket')
    await h.say.telegram(401, `/start ${codeIn(h.lastText(h.zalo, 'z-minh'))}`)
    await h.flush()
    expect(h.lastText(h.zalo, 'z-minh')).toContain('1. Không phải tôi')
    await h.say.zalo('z-minh', '1')
    expect(h.lastText(h.zalo, 'z-minh')).toContain('Đã huỷ liên kết Telegram vừa thêm')
    await h.flush()
    expect(h.lastText(h.telegram, 401)).toContain('chủ tài khoản cho biết đó không phải họ')

    // Linked again; this time a brief arrives after the announcement, and its "1" means "read".
    await h.say.zalo('z-minh', '/lienket')
    await h.say.telegram(402, `/start ${codeIn(h.lastText(h.zalo, 'z-minh'))}`)
    await h.flush()
    await h.api('/broadcasts', { body: { kind: 'brief', title: 'Tin', body: 'Nội dung.', audience: { platforms: ['zalo'] } } })
    await h.flush()
    await h.say.zalo('z-minh', '1')
    expect(h.lastText(h.zalo, 'z-minh')).toContain('Không có gì thay đổi')
    expect((await links(ids.minh)).items).toHaveLength(2)
    // The words themselves always work, within the week.
    await h.say.zalo('z-minh', 'Không phải tôi')
    expect(h.lastText(h.zalo, 'z-minh')).toContain('Đã huỷ liên kết Telegram vừa thêm')
    expect((await links(ids.minh)).items.map((l: { channel: string }) => l.channel)).toEqual(['zalo'])
  })

  it('tells the chat a new one replaced on the same messenger', async () => {
    await enroll(h, ids.lan, 'zalo', 'z-lan')
    await enroll(h, ids.lan, 'telegram', '101')
    await enroll(h, ids.lan, 'telegram', '102')
    await h.flush()
    expect(h.lastText(h.telegram, 101)).toContain('Cuộc trò chuyện này không còn được liên kết')
    expect(h.lastText(h.zalo, 'z-lan')).toContain('cuộc trò chuyện Telegram')
    await h.say.telegram(101, '/huongdan')
    expect(h.lastText(h.telegram, 101)).toContain('chưa được liên kết')
  })
})

describe('admins list and revoke links', () => {
  it('lists links without raw chat ids or phones, revokes one, and the chat is told and receives nothing queued', async () => {
    await h.api('/people', {
      body: { externalId: 'GV001', fullName: 'Nguyễn Thị Lan', unitCode: 'THCS-ANHOA', roles: ['teacher'], phone: '0912345678' },
    })
    await enroll(h, ids.lan, 'telegram', '6123457890')
    h.setNow(new Date(h.now().getTime() + 60_000))
    await enroll(h, ids.lan, 'zalo', 'zalo-chat-lan-abc')
    await h.flush()

    const res = await h.api(`/people/${ids.lan}/links`)
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body).toMatchObject({ personId: ids.lan, fullName: 'Nguyễn Thị Lan', total: 2 })
    expect(body.items).toEqual([
      { id: expect.any(Number), channel: 'telegram', chat: '…890', linkedAt: '2026-03-16T02:00:00.000Z', blocked: false, blockedAt: null },
      { id: expect.any(Number), channel: 'zalo', chat: '…abc', linkedAt: '2026-03-16T02:01:00.000Z', blocked: false, blockedAt: null },
    ])
    const raw = JSON.stringify(body)
    expect(raw).not.toContain('6123457890')
    expect(raw).not.toContain('0912345678')

    // A brief waits in the outbox for the Telegram chat when the admin revokes it.
    await h.api('/broadcasts', { body: { kind: 'brief', title: 'Tin', body: 'Nội dung chờ gửi.', audience: { platforms: ['telegram'] } } })
    const tg = body.items[0]
    expect((await h.api(`/people/${ids.lan}/links/999999`, { method: 'DELETE' })).status).toBe(404)
    const wrongPerson = await h.api(`/people/${ids.minh}/links/${tg.id}`, { method: 'DELETE' })
    expect(wrongPerson.status).toBe(404)
    expect((await json(wrongPerson)).error.message).toBe(`Cán bộ số ${ids.minh} không có liên kết số ${tg.id}.`)
    expect((await h.api(`/people/424242/links`)).status).toBe(404)

    const del = await h.api(`/people/${ids.lan}/links/${tg.id}`, { method: 'DELETE' })
    expect(del.status).toBe(200)
    expect(await json(del)).toMatchObject({ revoked: { id: tg.id, channel: 'telegram', chat: '…890' }, notified: true })
    expect((await h.api(`/people/${ids.lan}/links/${tg.id}`, { method: 'DELETE' })).status).toBe(404)

    await h.flush()
    const told = h.texts(h.telegram, '6123457890')
    expect(told.at(-1)).toContain('Quản trị viên đã huỷ liên kết cuộc trò chuyện này')
    expect(told.at(-1)).toContain('xin mã mới')
    expect(told.some((t) => t.includes('Nội dung chờ gửi.'))).toBe(false)
    await h.say.telegram('6123457890', '/huongdan')
    expect(h.lastText(h.telegram, '6123457890')).toContain('chưa được liên kết')
    expect((await links(ids.lan)).items.map((l: { channel: string }) => l.channel)).toEqual(['zalo'])
  })
})

describe('an admin account is linked only with an admin’s code from the last day', () => {
  it('refuses an older admin code, a sheet code and /lienket, and takes a fresh admin code', async () => {
    const old = await inviteCode(h, ids.phuc)
    h.setNow(new Date(h.now().getTime() + 25 * 3600_000))
    await h.say.telegram(501, `/start ${old}`)
    const refusal = h.lastText(h.telegram, 501)
    expect(refusal).toContain('không liên kết được tài khoản có quyền quản trị')
    expect(refusal).toContain('24 giờ')
    expect((await links(ids.phuc)).items).toEqual([])
    // A teacher's code of the same age still works: the rule is for admins.
    const lanCode = await inviteCode(h, ids.lan)
    h.setNow(new Date(h.now().getTime() + 25 * 3600_000))
    await h.say.telegram(502, `/start ${lanCode}`)
    expect(h.texts(h.telegram, 502)[0]).toContain('Xin chào Nguyễn Thị Lan')

    const fresh = await inviteCode(h, ids.phuc)
    h.setNow(new Date(h.now().getTime() + 23 * 3600_000))
    await h.say.telegram(501, `/start ${fresh}`)
    expect(h.texts(h.telegram, 501).join('\n')).toContain('Hello Lê Hoàng Phúc')

    // From a linked admin chat, /lienket does not issue a code.
    await h.say.telegram(501, '/link')
    expect(h.lastText(h.telegram, 501)).toContain('can only be linked with a code an administrator issued within the last 24 hours')
    expect(codeIn(h.lastText(h.telegram, 501))).toBe('')
  })
})
