import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, inviteCode, seedDirectory, startHarness, tgMessage, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

describe('enrollment on Telegram', () => {
  it('links the chat through the /start deep link and greets the person by name in Vietnamese', async () => {
    const code = await inviteCode(h, ids.lan)
    const res = await h.say.telegram(6123457890, `/start ${code}`)
    expect(res.status).toBe(200)
    const [greeting, menu] = h.texts(h.telegram, 6123457890)
    expect(greeting).toContain('Xin chào Nguyễn Thị Lan')
    expect(greeting).toContain('Trường THCS An Hòa')
    expect(menu).toContain('/huongdan')

    const people = await (await h.api('/people?unitCode=THCS-ANHOA')).json()
    const lan = people.items.find((p: { id: number }) => p.id === ids.lan)
    expect(lan.channels).toEqual([{ channel: 'telegram', blocked: false }])
  })

  it('gives the deep link with the invite', async () => {
    const res = await h.api(`/people/${ids.lan}/invites`, { body: {} })
    const body = await res.json()
    expect(body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    expect(body.telegramLink).toBe(`https://t.me/nq71_cantho_bot?start=${body.code}`)
  })

  it('answers a wrong code clearly and links nothing', async () => {
    await h.say.telegram(111, '/start ABCD-EFGH')
    expect(h.lastText(h.telegram, 111)).toContain('không đúng')
    await h.say.telegram(111, '/huongdan')
    expect(h.lastText(h.telegram, 111)).toContain('chưa được liên kết')
  })

  it('makes a chat wait after five wrong codes in an hour, even for a right one, then lets it in', async () => {
    const code = await inviteCode(h, ids.lan)
    for (const wrong of ['AAAA-AAAA', 'BBBB-BBBB', 'hello', 'CCCC-CCCC', 'DDDD-DDDD']) await h.say.telegram(111, `/start ${wrong}`)
    await h.say.telegram(111, `/start ${code}`)
    expect(h.lastText(h.telegram, 111)).toContain('quá nhiều lần')
    // Another chat is not affected.
    await h.say.telegram(222, '/start EEEE-EEEE')
    expect(h.lastText(h.telegram, 222)).toContain('không đúng')
    h.setNow(new Date(h.now().getTime() + 3600_000))
    await h.say.telegram(111, `/start ${code}`)
    expect(h.texts(h.telegram, 111).join('\n')).toContain('Xin chào Nguyễn Thị Lan')
  })

  it('refuses a code already used by another Telegram chat', async () => {
    const code = await enroll(h, ids.lan, 'telegram', '111')
    await h.say.telegram(222, `/start ${code}`)
    expect(h.lastText(h.telegram, 222)).toContain('đã được sử dụng')
    const people = await (await h.api('/people?unitCode=THCS-ANHOA')).json()
    expect(people.items.find((p: { id: number }) => p.id === ids.lan).channels).toHaveLength(1)
  })

  it('refuses an expired code', async () => {
    const code = await inviteCode(h, ids.lan)
    h.setNow(new Date(h.now().getTime() + 31 * 86_400_000))
    await h.say.telegram(111, `/start ${code}`)
    expect(h.lastText(h.telegram, 111)).toContain('đã hết hạn')
  })

  it('processes a redelivered update once', async () => {
    const code = await inviteCode(h, ids.lan)
    const update = tgMessage(111, `/start ${code}`, 42)
    const first = await h.postWebhook('telegram', update)
    const second = await h.postWebhook('telegram', update)
    expect(first.status).toBe(200)
    expect(await second.json()).toMatchObject({ ok: true, duplicate: true })
    expect(h.texts(h.telegram, 111).filter((t) => t.includes('Xin chào'))).toHaveLength(1)
  })

  it('switches language with /ngonngu and buttons', async () => {
    await enroll(h, ids.lan, 'telegram', '111')
    await h.say.telegram(111, '/ngonngu')
    const ask = h.telegram.sentTo('111').at(-1)!
    expect(ask.params.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data)).toEqual([
      'lang:vi',
      'lang:en',
    ])
    const press = await h.say.press(111, 'lang:en', { updateId: 4242 })
    expect(await press.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: 'cb4242' })
    expect(h.lastText(h.telegram, 111)).toBe('Switched to English.')
    expect(h.telegram.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(false)
    await h.say.telegram(111, '/help')
    expect(h.texts(h.telegram, 111).join('\n')).toContain('What you can do')
  })
})

describe('enrollment on Zalo', () => {
  it('links the chat when the person sends the bare code, in any case and spacing', async () => {
    const code = await inviteCode(h, ids.minh)
    await h.say.zalo('zchat-minh', code.toLowerCase().replace('-', ' '))
    expect(h.texts(h.zalo, 'zchat-minh')[0]).toContain('Xin chào Trần Văn Minh')
    const people = await (await h.api('/people?role=focal_point')).json()
    expect(people.items[0].channels).toEqual([{ channel: 'zalo', blocked: false }])
  })

  it('does not let the code that linked Telegram link Zalo too: the second messenger takes a new code', async () => {
    const code = await enroll(h, ids.minh, 'telegram', '555')
    await h.say.zalo('zchat-minh', code)
    expect(h.lastText(h.zalo, 'zchat-minh')).toContain('đã được sử dụng')
    expect(h.lastText(h.zalo, 'zchat-minh')).toContain('/lienket')
    const people = await (await h.api('/people?role=focal_point')).json()
    expect(people.items[0].channels).toEqual([{ channel: 'telegram', blocked: false }])
  })

  it('accepts /start with the code and the flat (unwrapped) webhook body', async () => {
    const code = await inviteCode(h, ids.lan)
    await h.say.zalo('zchat-lan', `/start ${code}`, { wrapped: false })
    expect(h.lastText(h.zalo, 'zchat-lan')).toContain('/huongdan')
  })

  it('understands commands without slash or diacritics, and numbered choices', async () => {
    await enroll(h, ids.lan, 'zalo', 'z1')
    await h.say.zalo('z1', 'huong dan')
    expect(h.lastText(h.zalo, 'z1')).toContain('/ngonngu')
    await h.say.zalo('z1', 'Ngôn ngữ')
    expect(h.lastText(h.zalo, 'z1')).toContain('1. Tiếng Việt\n2. English')
    await h.say.zalo('z1', '2')
    expect(h.lastText(h.zalo, 'z1')).toBe('Switched to English.')
  })

  it('processes a redelivered message_id once', async () => {
    const code = await inviteCode(h, ids.lan)
    await h.say.zalo('z2', code, { messageId: 'dup-1' })
    const again = await h.say.zalo('z2', code, { messageId: 'dup-1' })
    expect(await again.json()).toMatchObject({ duplicate: true })
    expect(h.texts(h.zalo, 'z2').filter((t) => t.includes('Xin chào'))).toHaveLength(1)
  })

  it('answers an unknown code and a sticker helpfully', async () => {
    await h.say.zalo('z3', 'xin chao')
    expect(h.lastText(h.zalo, 'z3')).toContain('mã mời')
    await h.say.zalo('z3', 'ABCD-EFGH')
    expect(h.lastText(h.zalo, 'z3')).toContain('không đúng')
    const sticker = {
      ok: true,
      result: {
        event_name: 'message.sticker.received',
        message: { from: { id: 'z3' }, chat: { id: 'z3', chat_type: 'PRIVATE' }, sticker: 's', message_id: 'st1', date: 1 },
      },
    }
    await h.postWebhook('zalo', sticker)
    expect(h.lastText(h.zalo, 'z3')).toContain('tin nhắn chữ')
  })
})
