import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, enroll, inviteCode, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { consoleClient } from '../helpers/console.js'

/**
 * Issue 18, finding 1: a console account taken over with a leftover invite code, and a session and
 * token that outlived "Không phải tôi". Lan (teacher) gets a console role where a test says so; Phúc
 * holds the directory role admin; Minh is a teacher.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: '0912 345 678' } })
})
afterEach(() => h.close())

const json = async (res: Response) => (await res.json()) as any
const grant = (personId: number, role: string) => h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })
const channels = async (personId: number) =>
  (await json(await h.api(`/people/${personId}/links`))).items.map((l: { channel: string }) => l.channel)
const later = (minutes: number) => h.setNow(new Date(h.now().getTime() + minutes * 60_000))
const codeIn = (text: string) => text.match(/[A-Z2-9]{4}-[A-Z2-9]{4}/)?.[0] ?? ''

/** The printed sheet (API), before anyone linked: each person's code on it. */
async function sheetCodes() {
  const res = await h.api('/invite-sheet', { method: 'POST' })
  expect(res.status).toBe(200)
  const sheet = await json(res)
  return new Map<number, string | null>(sheet.people.map((p: { personId: number; code: string | null }) => [p.personId, p.code]))
}

async function mintToken(personId: number, label: string) {
  const res = await h.api('/tokens', { body: { personId, label } })
  expect(res.status).toBe(201)
  return (await json(res)).token as string
}

/** Signs a browser in as `who`, reading the code from whichever of the given chats got it. */
async function signIn(who: string, chats: { telegram?: string[]; zalo?: string[] }) {
  const browser = consoleClient(h)
  // A sign-in code goes only to chats linked more than a day ago.
  h.setNow(new Date(h.now().getTime() + 86_400_000 + 60_000))
  h.telegram.reset()
  h.zalo.reset()
  expect((await browser.post('/admin/login/code', { who })).status).toBe(303)
  const texts = [...(chats.telegram ?? []).flatMap((c) => h.texts(h.telegram, c)), ...(chats.zalo ?? []).flatMap((c) => h.texts(h.zalo, c))]
  const code = /(\d{4}) ?(\d{4})/.exec(texts.find((t) => t.includes('Mã đăng nhập')) ?? '')?.slice(1).join('')
  expect(code).toBeDefined()
  expect((await browser.post('/admin/login/verify', { code: code! })).status).toBe(303)
  expect((await browser.get('/admin')).status).toBe(200)
  return browser
}

describe('the takeover from the audit (finding 1)', () => {
  it('refuses the leftover sheet code once the console admin linked with another code', async () => {
    const sheet = await sheetCodes()
    const paper = sheet.get(ids.lan)!
    expect(paper).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    await grant(ids.lan, 'admin')
    later(5)
    await enroll(h, ids.lan, 'telegram', '101')
    later(5)

    await h.say.zalo('z-attacker', paper)
    expect(h.lastText(h.zalo, 'z-attacker')).toMatch(/không còn dùng được|không liên kết được/)
    expect(h.texts(h.zalo, 'z-attacker').join('\n')).not.toContain('Nguyễn Thị Lan')
    expect(await channels(ids.lan)).toEqual(['telegram'])
    // The sign-in code for her account reaches her Telegram only.
    h.telegram.reset()
    h.zalo.reset()
    await consoleClient(h).post('/admin/login/code', { who: '0912345678' })
    expect(h.texts(h.zalo, 'z-attacker')).toEqual([])
  })

  it('refuses a leftover sheet code of a teacher too, once they linked with an admin’s code', async () => {
    const paper = (await sheetCodes()).get(ids.minh)!
    later(5)
    await enroll(h, ids.minh, 'telegram', '102')
    await h.say.zalo('z-attacker', paper)
    const refusal = h.lastText(h.zalo, 'z-attacker')
    expect(refusal).toContain('Mã mời này không còn dùng được')
    expect(refusal).toContain('/lienket')
    expect(await channels(ids.minh)).toEqual(['telegram'])
  })

  it('ends the attacker’s console session and the token they minted when the owner says "Không phải tôi"', async () => {
    await grant(ids.lan, 'admin')
    await enroll(h, ids.lan, 'telegram', '101')
    later(5)
    const own = await mintToken(ids.lan, 'Lan’s script')
    later(5)
    // However they came by it, someone links their Zalo with a code for Lan, signs in and mints a token.
    await h.say.zalo('z-attacker', await inviteCode(h, ids.lan))
    later(1)
    const attacker = await signIn('0912345678', { zalo: ['z-attacker'], telegram: ['101'] })
    later(1)
    const minted = await mintToken(ids.lan, 'not Lan')
    expect((await h.api('/accounts', { token: minted })).status).toBe(200)

    await h.flush()
    const notice = h.telegram.sentTo('101').find((m) => String(m.params.text).includes('vừa được liên kết thêm'))
    const button = (notice!.params.reply_markup.inline_keyboard as { callback_data: string }[][]).flat()[0]!
    await h.say.press(101, button.callback_data)
    const back = await attacker.get('/admin')
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toMatch(/^\/admin\/login/)
    const refused = await h.api('/accounts', { token: minted })
    expect(refused.status).toBe(401)
    // A token Lan made before that chat was linked could not have come from it: it still works.
    expect((await h.api('/accounts', { token: own })).status).toBe(200)

    const answer = h.lastText(h.telegram, 101)
    expect(answer).toContain('Đã huỷ liên kết Zalo vừa thêm')
    expect(answer).toContain('Mọi phiên đăng nhập bảng điều khiển của bạn đã kết thúc')
    expect(answer).toContain('1 mã API tạo từ khi cuộc trò chuyện đó được liên kết đã bị thu hồi')
    expect(await channels(ids.lan)).toEqual(['telegram'])
  })
})

describe('a person who links voids every code issued to them before', () => {
  it('refuses an older admin code and a /lienket code after the person linked, and takes /lienket asked afterwards', async () => {
    await enroll(h, ids.minh, 'zalo', 'z-minh')
    await h.say.zalo('z-minh', '/lienket')
    const selfCode = codeIn(h.lastText(h.zalo, 'z-minh'))
    const olderAdmin = await inviteCode(h, ids.minh)
    later(5)
    await enroll(h, ids.minh, 'telegram', '102')
    await h.say.telegram(301, `/start ${olderAdmin}`)
    expect(h.lastText(h.telegram, 301)).toContain('không còn dùng được')
    await h.say.telegram(302, `/start ${selfCode}`)
    expect(h.lastText(h.telegram, 302)).toContain('không còn dùng được')
    expect(await channels(ids.minh)).toEqual(['zalo', 'telegram'])

    // A code asked for after that moment works (here: replacing the Telegram chat).
    later(5)
    await h.say.zalo('z-minh', '/lienket')
    await h.say.telegram(303, `/start ${codeIn(h.lastText(h.zalo, 'z-minh'))}`)
    expect(h.texts(h.telegram, 303)[0]).toContain('Xin chào Trần Văn Minh')
  })
})

describe('a console account links only with an admin’s code from the last day', () => {
  it('refuses a sheet code, an older admin code and /lienket for a viewer, and takes a fresh admin code', async () => {
    const paper = (await sheetCodes()).get(ids.lan)!
    const old = await inviteCode(h, ids.lan)
    await grant(ids.lan, 'viewer')
    await h.say.telegram(501, `/start ${paper}`)
    expect(h.lastText(h.telegram, 501)).toContain('tài khoản bảng điều khiển')
    h.setNow(new Date(h.now().getTime() + 25 * 3600_000))
    await h.say.telegram(501, `/start ${old}`)
    expect(h.lastText(h.telegram, 501)).toContain('24 giờ')
    expect(await channels(ids.lan)).toEqual([])

    await enroll(h, ids.lan, 'telegram', '501')
    expect(await channels(ids.lan)).toEqual(['telegram'])
    await h.say.telegram(501, '/lienket')
    expect(h.lastText(h.telegram, 501)).toContain('quản trị viên cấp trong vòng 24 giờ')
    expect(codeIn(h.lastText(h.telegram, 501))).toBe('')
  })
})

describe('any unlink ends the console access the chat could have opened, and the other chats are told', () => {
  async function lanWithTwoChats() {
    await grant(ids.lan, 'editor')
    await enroll(h, ids.lan, 'telegram', '101')
    later(5)
    const before = await mintToken(ids.lan, 'before Zalo')
    later(5)
    await enroll(h, ids.lan, 'zalo', 'z-lan')
    later(5)
    const browser = await signIn('0912345678', { telegram: ['101'], zalo: ['z-lan'] })
    const after = await mintToken(ids.lan, 'after Zalo')
    await h.flush()
    h.telegram.reset()
    h.zalo.reset()
    return { before, after, browser }
  }

  it('an admin’s revoke through the API', async () => {
    const { before, after, browser } = await lanWithTwoChats()
    const zalo = (await json(await h.api(`/people/${ids.lan}/links`))).items.find((l: { channel: string }) => l.channel === 'zalo')
    const res = await h.api(`/people/${ids.lan}/links/${zalo.id}`, { method: 'DELETE' })
    expect(await json(res)).toMatchObject({ notified: true, sessionsEnded: 1, tokensRevoked: 1 })

    expect((await browser.get('/admin')).status).toBe(303)
    expect((await h.api('/units', { token: after })).status).toBe(401)
    expect((await h.api('/units', { token: before })).status).toBe(200)
    await h.flush()
    const told = h.lastText(h.telegram, '101')
    expect(told).toContain('Cuộc trò chuyện Zalo')
    expect(told).toContain('đã bị huỷ liên kết khỏi tài khoản của bạn')
    expect(told).toContain('Mọi phiên đăng nhập bảng điều khiển của bạn đã kết thúc')
    expect(h.lastText(h.zalo, 'z-lan')).toContain('Quản trị viên đã huỷ liên kết cuộc trò chuyện này')
  })

  it('a new chat replacing the old one on the same messenger', async () => {
    const { before, after, browser } = await lanWithTwoChats()
    later(5)
    await enroll(h, ids.lan, 'telegram', '111')
    expect((await browser.get('/admin')).status).toBe(303)
    // Both tokens were minted after the replaced Telegram chat was linked.
    expect((await h.api('/units', { token: after })).status).toBe(401)
    expect((await h.api('/units', { token: before })).status).toBe(401)
    await h.flush()
    const zalo = h.lastText(h.zalo, 'z-lan')
    expect(zalo).toContain('vừa được liên kết thêm với một cuộc trò chuyện Telegram')
    expect(zalo).toContain('Mọi phiên đăng nhập bảng điều khiển của bạn đã kết thúc')
    expect(zalo).toContain('2 mã API')
    expect(h.lastText(h.telegram, '101')).toContain('Cuộc trò chuyện này không còn được liên kết')
  })

  it('tells a person without a console account only that the chat is gone', async () => {
    await enroll(h, ids.minh, 'telegram', '102')
    later(5)
    await enroll(h, ids.minh, 'zalo', 'z-minh')
    await h.flush()
    const zalo = (await json(await h.api(`/people/${ids.minh}/links`))).items.find((l: { channel: string }) => l.channel === 'zalo')
    expect(await json(await h.api(`/people/${ids.minh}/links/${zalo.id}`, { method: 'DELETE' }))).toMatchObject({ sessionsEnded: 0, tokensRevoked: 0 })
    await h.flush()
    const told = h.lastText(h.telegram, '102')
    expect(told).toContain('đã bị huỷ liên kết khỏi tài khoản của bạn')
    expect(told).not.toContain('bảng điều khiển')
  })
})

describe('invite sheets print no code for admins and console accounts', () => {
  it('says where their personal code comes from, on the API sheet and the console’s', async () => {
    await grant(ids.minh, 'editor')
    const sheet = await json(await h.api('/invite-sheet', { method: 'POST' }))
    const row = (id: number) => sheet.people.find((p: { personId: number }) => p.personId === id)
    expect(row(ids.lan).code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    for (const id of [ids.minh, ids.phuc]) {
      expect(row(id)).toMatchObject({ code: null, telegramLink: null, expiresAt: null })
      expect(row(id).personal).toContain(`POST /api/people/${id}/invites`)
    }
    expect(sheet.newCodes).toBe(1)

    const browser = consoleClient(h)
    await browser.post('/admin/login', { token: ADMIN_TOKEN })
    const page = await browser.post('/admin/directory/invites', { unit: 'THCS-ANHOA', lang: 'en' })
    expect(page.status).toBe(200)
    const html = await page.text()
    const card = (id: number) => html.slice(html.indexOf(`data-person="${id}"`)).split('</article>')[0]!
    expect(card(ids.minh)).not.toContain('data-code')
    expect(card(ids.minh)).toContain('chỉ liên kết được bằng mã riêng do quản trị viên cấp')
    expect(card(ids.lan)).toContain('data-code')

    // The person's page issues the personal code; it links the editor's chat.
    const personPage = await browser.text(await browser.get(`/admin/directory/people/${ids.minh}`))
    expect(personPage).toContain('Cấp mã riêng')
    const issued = await browser.post(`/admin/directory/people/${ids.minh}/invite`)
    expect(issued.status).toBe(201)
    const shown = await browser.text(issued)
    expect(shown).toContain('Mã liên kết riêng cho Trần Văn Minh')
    await h.say.telegram(701, `/start ${codeIn(shown)}`)
    expect(h.texts(h.telegram, 701)[0]).toContain('Xin chào Trần Văn Minh')
    expect((await browser.post('/admin/directory/people/424242/invite')).status).toBe(404)
  })
})

describe('reminders of a broadcast need the admin role on both surfaces', () => {
  it('refuses an editor in the console as the API does, and shows the editor no reminder button', async () => {
    await enroll(h, ids.lan, 'telegram', '101')
    await enroll(h, ids.minh, 'telegram', '102')
    await grant(ids.lan, 'editor')
    const b = await json(await h.api('/broadcasts', { body: { kind: 'brief', title: 'Tin', body: 'Nội dung.', audience: {} } }))
    await h.flush()
    const token = await mintToken(ids.lan, 'editor')
    expect((await h.api(`/broadcasts/${b.id}/remind`, { token, body: {} })).status).toBe(403)

    const editor = await signIn('0912345678', { telegram: ['101'] })
    const page = await editor.text(await editor.get(`/admin/broadcasts/${b.id}`))
    expect(page).not.toMatch(/Nhắc/)
    const posted = await editor.post(`/admin/broadcasts/${b.id}/remind`)
    expect(posted.status).toBe(403)
    h.telegram.reset()
    await h.flush()
    expect(h.telegram.sentTo('102')).toHaveLength(0)

    await grant(ids.lan, 'admin')
    const admin = await signIn('0912345678', { telegram: ['101'] })
    expect(await admin.text(await admin.get(`/admin/broadcasts/${b.id}`))).toMatch(/Nhắc/)
    expect((await admin.post(`/admin/broadcasts/${b.id}/remind`)).status).toBe(303)
  })
})
