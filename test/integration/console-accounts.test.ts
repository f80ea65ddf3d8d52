import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiTokens, auditLog, consoleSigninCodes, deliveries } from '#db/schema/index.js'
import { ADMIN_TOKEN, enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { consoleClient, lastCode } from '../helpers/console.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

/**
 * Accounts over HTTP: Lan (teacher) will be a viewer, Minh an editor, Phúc (the directory's admin)
 * a console admin. Lan and Phúc are linked on Telegram (101, 103), Minh on Zalo (z102).
 */
beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  await enroll(h, ids.phuc, 'telegram', '103')
  await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: '0912 345 678' } })
  await h.api(`/people/${ids.phuc}`, { method: 'PATCH', body: { phone: '+84987654321' } })
  await h.flush()
  // Sign-in codes go to chats linked more than a day ago.
  h.setNow(new Date(h.now().getTime() + 86_400_000 + 60_000))
  h.telegram.reset()
  h.zalo.reset()
})
afterEach(() => h.close())

const grant = (personId: number, role: string) => h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })
async function tokenFor(personId: number, label = 'script') {
  const res = await h.api('/tokens', { body: { personId, label } })
  expect(res.status).toBe(201)
  return ((await res.json()) as { token: string; id: number }).token
}
const brief = { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Nội dung.' }

describe('console roles and API tokens', () => {
  it('grants, lists, changes and removes console roles, apart from the directory roles', async () => {
    expect((await grant(ids.lan, 'viewer')).status).toBe(200)
    const phuc = await grant(ids.phuc, 'admin')
    expect(await phuc.json()).toMatchObject({ personId: ids.phuc, role: 'admin', previous: null })
    const list = (await (await h.api('/accounts')).json()) as { items: { personId: number; role: string; reachableChats: number }[] }
    expect(list.items.map((a) => [a.personId, a.role, a.reachableChats])).toEqual([
      [ids.phuc, 'admin', 1],
      [ids.lan, 'viewer', 1],
    ])
    // The directory roles stay what they were: the console role is a separate column.
    const people = (await (await h.api(`/people?role=admin`)).json()) as { items: { id: number }[] }
    expect(people.items.map((p) => p.id)).toEqual([ids.phuc])

    const bad = await grant(ids.lan, 'owner')
    expect(bad.status).toBe(400)
    expect((await grant(99_999, 'viewer')).status).toBe(404)
    const notAccount = await h.api(`/people/${ids.minh}/console-role`, { method: 'DELETE' })
    expect(notAccount.status).toBe(404)
    expect(((await notAccount.json()) as any).error.message).toBe(`Cán bộ số ${ids.minh} không có tài khoản bảng điều khiển.`)
    expect((await h.api(`/people/${ids.lan}/console-role`, { method: 'DELETE' })).status).toBe(200)
    expect(((await (await h.api('/accounts')).json()) as { total: number }).total).toBe(1)
  })

  it('gives each token its account role: a viewer reads, but gets 403 in Vietnamese on sending', async () => {
    await grant(ids.lan, 'viewer')
    await grant(ids.minh, 'editor')
    await grant(ids.phuc, 'admin')
    const viewer = await tokenFor(ids.lan)
    const editor = await tokenFor(ids.minh)
    const admin = await tokenFor(ids.phuc)

    expect((await h.api('/units', { token: viewer })).status).toBe(200)
    expect((await h.api('/targets', { token: viewer })).status).toBe(200)
    const refused = await h.api('/broadcasts', { token: viewer, body: brief })
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as any).error).toEqual({
      code: 'forbidden',
      message: 'Tài khoản này có vai trò chỉ xem; việc này cần vai trò biên tập trở lên.',
    })
    const english = await h.app.request('/api/broadcasts?lang=en', {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify(brief),
    })
    expect(((await english.json()) as any).error.message).toBe('This account is a viewer; this needs the editor role or above.')
    // Nothing was sent or stored.
    expect(((await (await h.api('/broadcasts')).json()) as { total: number }).total).toBe(0)

    // An editor sends, but does not manage the directory, periods or accounts.
    expect((await h.api('/broadcasts', { token: editor, body: brief })).status).toBe(201)
    expect((await h.api('/units', { token: editor, body: [{ code: 'X', name: 'X', kind: 'school' }] })).status).toBe(403)
    expect((await h.api('/report-periods', { token: editor, body: {} })).status).toBe(403)
    expect((await h.api(`/people/${ids.lan}/console-role`, { token: editor, method: 'PUT', body: { role: 'admin' } })).status).toBe(403)
    // Any account mints and revokes its own tokens, as on the console's page, never someone else's.
    const own = await h.api('/tokens', { token: editor, body: { personId: ids.lan, label: 'mine' } })
    expect(own.status).toBe(201)
    const minted = (await own.json()) as { id: number; personId: number; role: string }
    expect([minted.personId, minted.role]).toEqual([ids.minh, 'editor'])
    const adminsToken = ((await (await h.api('/tokens', { token: admin })).json()) as { items: { id: number; personId: number }[] }).items.find((k) => k.personId === ids.phuc)!
    const notYours = await h.api(`/tokens/${adminsToken.id}`, { token: editor, method: 'DELETE' })
    expect(notYours.status).toBe(403)
    expect(((await notYours.json()) as any).error.message).toContain('không phải của bạn')
    expect((await h.api(`/tokens/${minted.id}`, { token: viewer, method: 'DELETE' })).status).toBe(403)
    expect((await h.api(`/tokens/${minted.id}`, { token: editor, method: 'DELETE' })).status).toBe(200)
    expect((await h.api('/tokens', { token: editor })).status).toBe(403)
    expect((await h.api(`/people/${ids.lan}/export`, { token: viewer })).status).toBe(403)
    expect((await h.api('/audit', { token: editor })).status).toBe(403)

    // An admin's token manages.
    expect((await h.api('/units', { token: admin, body: [{ code: 'TH-MOI', name: 'Trường mới', kind: 'school' }] })).status).toBe(200)
    expect((await h.api('/audit', { token: admin })).status).toBe(200)
  })

  it('stores only hashes, records last use, and refuses revoked tokens and tokens whose account is gone', async () => {
    await grant(ids.minh, 'editor')
    const res = await h.api('/tokens', { body: { personId: ids.minh, label: 'Báo cáo tự động' } })
    const minted = (await res.json()) as { id: number; token: string; role: string; lastUsedAt: string | null }
    expect(minted.token).toMatch(/^loa_[A-Za-z0-9]{43}$/)
    expect(minted).toMatchObject({ role: 'editor', lastUsedAt: null })
    const rows = await h.db.select().from(apiTokens)
    expect(JSON.stringify(rows)).not.toContain(minted.token.slice(4))

    h.setNow('2026-03-16T03:00:00Z')
    expect((await h.api('/units', { token: minted.token })).status).toBe(200)
    const listed = (await (await h.api(`/tokens?personId=${ids.minh}`)).json()) as { items: { id: number; label: string; lastUsedAt: string }[] }
    expect(listed.items).toEqual([expect.objectContaining({ id: minted.id, label: 'Báo cáo tự động', lastUsedAt: '2026-03-16T03:00:00.000Z' })])
    expect(JSON.stringify(listed)).not.toContain(minted.token)

    // A role without a person: no token.
    const noAccount = await h.api('/tokens', { body: { personId: ids.lan, label: 'x' } })
    expect(noAccount.status).toBe(422)
    expect((await h.api('/tokens', { body: { personId: ids.minh, label: '  ' } })).status).toBe(400)

    const second = await tokenFor(ids.minh, 'second')
    expect((await h.api(`/tokens/${minted.id}`, { method: 'DELETE' })).status).toBe(200)
    const revoked = await h.api('/units', { token: minted.token })
    expect(revoked.status).toBe(401)
    expect(((await revoked.json()) as any).error.message).toContain('Cần mã quản trị hoặc mã API hợp lệ')
    expect((await h.api('/units', { token: second })).status).toBe(200)
    // Removing the account revokes every token of it.
    await h.api(`/people/${ids.minh}/console-role`, { method: 'DELETE' })
    expect((await h.api('/units', { token: second })).status).toBe(401)
    // A role change applies at once to the tokens that remain.
    await grant(ids.lan, 'admin')
    const lan = await tokenFor(ids.lan)
    expect((await h.api('/units', { token: lan, body: [{ code: 'A1', name: 'A', kind: 'school' }] })).status).toBe(200)
    await grant(ids.lan, 'viewer')
    expect((await h.api('/units', { token: lan, body: [{ code: 'A2', name: 'A', kind: 'school' }] })).status).toBe(403)
  })

  it('ends a console account when its person is erased', async () => {
    await grant(ids.lan, 'editor')
    const token = await tokenFor(ids.lan)
    const browser = consoleClient(h)
    await browser.signInWithCode('0912345678', '101')
    expect((await browser.get('/admin')).status).toBe(200)
    expect((await h.api(`/people/${ids.lan}`, { method: 'DELETE' })).status).toBe(200)
    expect((await h.api('/units', { token })).status).toBe(401)
    expect((await browser.get('/admin')).status).toBe(303)
    expect(((await (await h.api('/accounts')).json()) as { total: number }).total).toBe(0)
  })
})

describe('signing in with a code sent to the linked chat', () => {
  it('sends an eight-digit code to the account’s chat ahead of other messages, and the code opens a session', async () => {
    await grant(ids.phuc, 'admin')
    const browser = consoleClient(h)
    const asked = await browser.post('/admin/login/code', { who: '0987 654 321', next: '/admin' })
    expect(asked.status).toBe(303)
    expect(asked.headers.get('location')).toBe('/admin/login/code')
    // Phúc reads English: the code comes in his language, as a reply (before any broadcast).
    const text = h.lastText(h.telegram, '103')
    expect(text).toMatch(/^Your Loa console sign-in code: \d{4} \d{4}\nIt works for 10 minutes\./)
    const [queued] = await h.db.select().from(deliveries).where((await import('drizzle-orm')).eq(deliveries.source, 'signin'))
    expect(queued).toMatchObject({ priority: 1, status: 'sent', personId: ids.phuc, payload: null })
    // Only hashes of the ticket and code are kept.
    const code = lastCode(h, '103')
    const [row] = await h.db.select().from(consoleSigninCodes)
    expect(JSON.stringify(row)).not.toContain(code)

    const page = await browser.get('/admin/login/code')
    expect(await browser.text(page)).toContain('Nếu đây là một tài khoản bảng điều khiển, bot Loa đã gửi mã đăng nhập')
    const done = await browser.post('/admin/login/verify', { code: `${code.slice(0, 4)} ${code.slice(4)}` })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/admin')
    expect(browser.jar.has('loa_signin')).toBe(false)
    const home = await browser.get('/admin')
    expect(await browser.text(home)).toContain('Đang đăng nhập: Lê Hoàng Phúc (quản trị)')
    // The code is spent: a second browser with the same code gets nowhere.
    const again = await browser.post('/admin/login/verify', { code })
    expect(again.status).toBe(401)
  })

  it('finds the account by its name in any case and spacing, and asks for the phone when two accounts share it', async () => {
    await grant(ids.lan, 'viewer')
    const browser = consoleClient(h)
    await browser.signInWithCode('  nguyễn   THỊ lan ', '101')
    expect(await browser.text(await browser.get('/admin'))).toContain('Đang đăng nhập: Nguyễn Thị Lan (chỉ xem)')

    const twin = await h.api('/people', { body: [{ externalId: 'GV099', fullName: 'Nguyễn Thị Lan', unitCode: 'SGDDT', roles: ['teacher'] }] })
    const twinId = ((await twin.json()) as { people: { id: number }[] }).people[0]!.id
    await grant(twinId, 'editor')
    h.telegram.reset()
    const other = consoleClient(h)
    const asked = await other.post('/admin/login/code', { who: 'Nguyễn Thị Lan' })
    expect(asked.status).toBe(409)
    expect(await other.text(asked)).toContain('Có nhiều tài khoản trùng họ tên này. Vui lòng nhập số điện thoại của bạn.')
    expect(h.telegram.sentTo('101')).toEqual([])
    await other.signInWithCode('0912345678', '101')
  })

  it('answers the same for a phone or name that is no account, or an account with no chat, and sends nothing', async () => {
    await grant(ids.minh, 'viewer')
    const answers: string[] = []
    for (const who of ['0900000000', 'Người Không Có', 'Nguyễn Thị Lan' /* a person, not an account */]) {
      const browser = consoleClient(h)
      const asked = await browser.post('/admin/login/code', { who })
      expect(asked.status).toBe(303)
      answers.push(await browser.text(await browser.get('/admin/login/code')))
      // No code exists that opens it.
      for (let i = 0; i < 3; i++) expect((await browser.post('/admin/login/verify', { code: String(10000000 + i) })).status).toBe(401)
    }
    expect(new Set(answers).size).toBe(1)
    expect(h.telegram.calls.filter((c) => c.method === 'sendMessage')).toEqual([])
    expect(h.zalo.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0)
  })

  it('locks a code after five wrong tries, and expires it after ten minutes', async () => {
    await grant(ids.lan, 'viewer')
    const browser = consoleClient(h)
    await browser.post('/admin/login/code', { who: '0912345678' })
    const code = lastCode(h, '101')
    const wrong = code === '00000000' ? '11111111' : '00000000'
    for (const left of [4, 3, 2, 1]) {
      const res = await browser.post('/admin/login/verify', { code: wrong })
      expect(res.status).toBe(401)
      expect(await browser.text(res)).toContain(`Mã không đúng. Bạn còn ${left} lần thử.`)
    }
    const fifth = await browser.post('/admin/login/verify', { code: wrong })
    expect(fifth.status).toBe(429)
    expect(await browser.text(fifth)).toContain('Bạn đã nhập sai 5 lần nên mã này đã bị khoá. Vui lòng yêu cầu mã mới.')
    // The ticket cookie is gone; even with it back, the right code no longer opens anything.
    expect(browser.jar.has('loa_signin')).toBe(false)
    expect((await browser.get('/admin')).status).toBe(303)

    const later = consoleClient(h)
    await later.post('/admin/login/code', { who: '0912345678' })
    const fresh = lastCode(h, '101')
    h.setNow(new Date(h.now().getTime() + 10 * 60_000 + 1000))
    const expired = await later.post('/admin/login/verify', { code: fresh })
    expect(expired.status).toBe(401)
    expect(await later.text(expired)).toContain('Mã đã hết hạn hoặc đã được dùng.')
  })

  it('limits codes per address, sends an account one code at a time, and limits wrong secrets per address, with a Vietnamese message', async () => {
    await grant(ids.lan, 'viewer')
    // Asking again for the same account, from anywhere, is answered as always; its chat gets one code while it is valid.
    for (let i = 0; i < 3; i++) expect((await consoleClient(h, { ip: '10.0.0.1' }).post('/admin/login/code', { who: '0912345678' })).status).toBe(303)
    expect((await consoleClient(h, { ip: '10.0.0.2' }).post('/admin/login/code', { who: 'Nguyễn Thị Lan' })).status).toBe(303)
    for (let i = 0; i < 4; i++) expect((await consoleClient(h, { ip: '10.0.0.3' }).post('/admin/login/code', { who: '0900000001' })).status).toBe(303)
    expect(h.texts(h.telegram, '101').length).toBe(1)

    // Ten code requests per address in 15 minutes.
    const ip = { ip: '10.0.0.9' }
    for (let i = 0; i < 10; i++) expect((await consoleClient(h, ip).post('/admin/login/code', { who: `09100000${10 + i}` })).status).toBe(303)
    const eleventh = await consoleClient(h, ip).post('/admin/login/code', { who: '0910000099' })
    expect(eleventh.status).toBe(429)
    expect(await consoleClient(h).text(eleventh)).toMatch(/Có quá nhiều lần thử đăng nhập\. Vui lòng đợi 1[45] phút rồi thử lại\./)
    // The window passes.
    h.setNow(new Date(h.now().getTime() + 15 * 60_000))
    expect((await consoleClient(h, ip).post('/admin/login/code', { who: '0912345678' })).status).toBe(303)

    // Twenty wrong secrets (admin tokens or codes) from one address, then even the right token waits.
    const attacker = consoleClient(h, { ip: '10.0.0.66' })
    for (let i = 0; i < 20; i++) expect((await attacker.post('/admin/login', { token: `wrong-token-${i}` })).status).toBe(401)
    const blocked = await attacker.post('/admin/login', { token: ADMIN_TOKEN })
    expect(blocked.status).toBe(429)
    expect(await attacker.text(blocked)).toContain('Có quá nhiều lần thử đăng nhập')
    expect((await consoleClient(h, { ip: '10.0.0.67' }).post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
  })

  it('applies a role change to a signed-in browser at once, and a removed account is signed out', async () => {
    await grant(ids.lan, 'admin')
    const browser = consoleClient(h)
    await browser.signInWithCode('0912345678', '101')
    expect(await browser.text(await browser.get('/admin'))).toContain('(quản trị)')
    await grant(ids.lan, 'viewer')
    expect(await browser.text(await browser.get('/admin'))).toContain('(chỉ xem)')
    const refused = await browser.post(`/admin/accounts/${ids.minh}/role`, { role: 'editor' })
    expect(refused.status).toBe(403)
    expect(await browser.text(refused)).toContain('Tài khoản của bạn (chỉ xem) không được làm việc này.')
    await h.api(`/people/${ids.lan}/console-role`, { method: 'DELETE' })
    expect((await browser.get('/admin')).status).toBe(303)
  })
})

describe('audit log', () => {
  it('records every change through the API and the console, never a body, and lists it to admins only', async () => {
    // The setup's own changes (seeding the directory) are in the log too: counted from here.
    expect((await h.db.select().from(auditLog)).length).toBe(7)
    await h.db.delete(auditLog)
    await grant(ids.minh, 'editor')
    const token = await tokenFor(ids.minh)
    await h.api('/broadcasts', { token, body: brief })
    await h.api('/units', { token, body: [{ code: 'X1', name: 'X', kind: 'school' }] }) // refused: 403, still recorded
    await h.api('/units') // a read: not recorded
    await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: '0911222333' } })
    await h.app.request('/api/units', { method: 'POST', headers: { authorization: 'Bearer nope', 'cf-connecting-ip': '203.0.113.9' }, body: '[]' })
    await grant(ids.lan, 'viewer')
    const browser = consoleClient(h, { ip: '198.51.100.7' })
    await browser.signInWithCode('0911222333', '101')

    const rows = await h.db.select().from(auditLog)
    const flat = JSON.stringify(rows)
    expect(flat).not.toContain('0911222333')
    expect(flat).not.toContain(token)
    expect(flat).not.toContain('Quán triệt')

    const res = await h.api('/audit?limit=50')
    const page = (await res.json()) as { total: number; items: any[] }
    const actions = page.items.map((i) => `${i.actor} ${i.action} ${i.status}`).reverse()
    expect(actions).toEqual([
      'admin_token PUT /api/people/:id/console-role 200',
      'admin_token POST /api/tokens 201',
      'account POST /api/broadcasts 201',
      'account POST /api/units 403',
      'admin_token PATCH /api/people/:id 200',
      'anonymous POST /api/units 401',
      'admin_token PUT /api/people/:id/console-role 200',
      'anonymous POST /admin/login/code 303',
      'account POST /admin/login/verify 303',
    ])
    const sent = page.items.find((i) => i.action === 'POST /api/broadcasts')
    expect(sent).toMatchObject({ personId: ids.minh, name: 'Trần Văn Minh', via: 'api', tokenId: expect.any(Number), targetId: expect.any(Number) })
    const minted = page.items.find((i) => i.action === 'POST /api/tokens')
    expect(minted.targetId).toBe(sent.tokenId)
    expect(page.items.find((i) => i.action === 'PATCH /api/people/:id')).toMatchObject({ targetId: ids.lan, path: `/api/people/${ids.lan}` })
    expect(page.items.find((i) => i.status === 401).ip).toBe('203.0.113.9')
    expect(page.items.find((i) => i.action === 'POST /admin/login/verify')).toMatchObject({ personId: ids.lan, via: 'console', ip: '198.51.100.7' })

    const byMinh = (await (await h.api(`/audit?personId=${ids.minh}`)).json()) as { total: number }
    expect(byMinh.total).toBe(2)
    const paged = (await (await h.api('/audit?limit=2&offset=2')).json()) as { total: number; items: any[] }
    expect(paged).toMatchObject({ total: 9, limit: 2, offset: 2 })
    expect(paged.items.map((i) => i.id)).toEqual(page.items.slice(2, 4).map((i) => i.id))
    // Days are local (Asia/Ho_Chi_Minh): the setup's clock, a day after the harness's 02:00Z, is 17 March there.
    expect(((await (await h.api('/audit?from=2026-03-17&to=2026-03-17')).json()) as { total: number }).total).toBe(9)
    expect(((await (await h.api('/audit?from=2026-03-18')).json()) as { total: number }).total).toBe(0)
    expect((await h.api('/audit?from=yesterday')).status).toBe(400)
  })
})

describe('the accounts and audit pages', () => {
  it('lets an admin grant, change and remove accounts from the page, and any account mint and revoke its own tokens', async () => {
    const admin = consoleClient(h)
    expect((await admin.post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
    const found = await admin.get('/admin/accounts?q=Lan')
    const text = await admin.text(found)
    expect(text).toContain('Nguyễn Thị Lan (GV001)')
    expect(text).toContain('Bạn đang đăng nhập bằng mã quản trị ADMIN_TOKEN')
    const granted = await admin.post(`/admin/accounts/${ids.lan}/role`, { role: 'viewer' })
    expect(await admin.text(granted)).toContain('Đã cấp vai trò chỉ xem cho Nguyễn Thị Lan.')
    expect((await admin.post(`/admin/accounts/${ids.minh}/role`, { role: 'editor' })).status).toBe(200)
    // Minh's only chat is Zalo and it is linked: one chat; an account without one is flagged.
    await grant(ids.phuc, 'admin')
    const links = (await (await h.api(`/people/${ids.phuc}/links`)).json()) as { items: { id: number }[] }
    await h.api(`/people/${ids.phuc}/links/${links.items[0]!.id}`, { method: 'DELETE' })
    const list = await admin.text(await admin.get('/admin/accounts'))
    expect(list).toContain('Chưa có chat nhận mã (chat liên kết trên một ngày, hoặc được quản trị viên xác nhận): chưa đăng nhập được')
    expect((await admin.post(`/admin/accounts/${ids.lan}/role`, { role: 'owner' })).status).toBe(400)

    // Lan, a viewer, mints a token for herself (the personId field is ignored for her) and sees only hers.
    const lan = consoleClient(h)
    await lan.signInWithCode('0912345678', '101')
    const minted = await lan.post('/admin/tokens', { label: 'Bảng tính của Lan', personId: String(ids.minh) })
    expect(minted.status).toBe(201)
    const html = await minted.text()
    const token = /data-token[^>]*>(loa_[A-Za-z0-9]+)</.exec(html)![1]!
    expect((await h.api('/units', { token })).status).toBe(200)
    expect((await h.api('/broadcasts', { token, body: brief })).status).toBe(403)
    const tokens = (await (await h.api('/tokens')).json()) as { items: { id: number; personId: number }[] }
    expect(tokens.items.map((k) => k.personId)).toEqual([ids.lan])
    // She may not grant, nor revoke someone else's token, nor read the audit log.
    expect((await lan.post(`/admin/accounts/${ids.lan}/role`, { role: 'admin' })).status).toBe(403)
    const minhToken = await tokenFor(ids.minh)
    const minhId = ((await (await h.api(`/tokens?personId=${ids.minh}`)).json()) as { items: { id: number }[] }).items[0]!.id
    const notHers = await lan.post(`/admin/tokens/${minhId}/revoke`)
    expect(notHers.status).toBe(403)
    expect(await lan.text(notHers)).toContain('Mã API này không phải của bạn.')
    expect((await h.api('/units', { token: minhToken })).status).toBe(200)
    expect((await lan.get('/admin/audit')).status).toBe(403)
    const own = tokens.items[0]!.id
    expect(await lan.text(await lan.post(`/admin/tokens/${own}/revoke`))).toContain('Đã thu hồi mã API "Bảng tính của Lan".')
    expect((await h.api('/units', { token })).status).toBe(401)

    // The admin removes Minh's account from the page: his token stops working.
    expect(await admin.text(await admin.post(`/admin/accounts/${ids.minh}/revoke`))).toContain('Đã thu hồi tài khoản của Trần Văn Minh')
    expect((await h.api('/units', { token: minhToken })).status).toBe(401)
  })

  it('shows admins the audit log with filters by account and day', async () => {
    await grant(ids.lan, 'editor')
    const token = await tokenFor(ids.lan)
    await h.api('/broadcasts', { token, body: brief })
    const admin = consoleClient(h)
    await admin.post('/admin/login', { token: ADMIN_TOKEN })
    const all = await admin.text(await admin.get('/admin/audit'))
    expect(all).toContain('POST /api/broadcasts')
    expect(all).toContain('Nguyễn Thị Lan · mã API số')
    // Times as on every other page: HH:mm dd/mm/yyyy, not the short "17/3/26" (console walk P15).
    expect(all).toContain('09:01 17/03/2026')
    expect(all).not.toMatch(/\b17\/3\/26\b/)
    const hers = await admin.text(await admin.get(`/admin/audit?who=${ids.lan}`))
    expect(hers).toContain('1–1 trên 1 thao tác')
    const mine = await admin.text(await admin.get('/admin/audit?who=admin_token&from=2026-03-17&to=2026-03-17'))
    expect(mine).toContain('POST /admin/login')
    expect(mine).not.toContain('POST /api/broadcasts')
    expect(await admin.text(await admin.get('/admin/audit?from=2026-03-18'))).toContain('Không có thao tác nào khớp bộ lọc.')
    expect((await admin.get('/admin/audit?from=hôm-qua')).status).toBe(400)
  })
})
