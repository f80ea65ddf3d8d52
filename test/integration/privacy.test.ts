import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Personal data (Decree 13/2023/NĐ-CP, the 2025 Law on Personal Data Protection): an admin
 * corrects a person, clears a phone, exports one person's data, erases a person while every figure
 * their records make stays the same, and old personal texts are pruned after RETENTION_DAYS.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6300000041'
const ZL = 'zl-minh-41'
const LAN_ZALO = 'zl-lan-41'
const LAN_PHONE = '0912345678'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }))
})
afterEach(() => h.close())

const json = async (path: string, init: Parameters<Harness['api']>[1] = {}) => {
  const res = await h.api(path, init)
  return { status: res.status, body: (await res.json()) as any }
}
const patch = (id: number, body: unknown) => json(`/people/${id}`, { method: 'PATCH', body })
const row = (id: number) => h.db.get<Record<string, unknown>>(sql`select * from people where id = ${id}`) as Promise<Record<string, unknown>>
const listed = async () => (await json('/people')).body.items as { id: number; fullName: string; hasPhone: boolean }[]

/** Every row of every table, as text: what "gone from the database" is checked against. */
async function dump(): Promise<string> {
  const tables = await h.db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`)
  const out: string[] = []
  for (const { name } of tables) out.push(JSON.stringify(await h.db.all(sql.raw(`select * from "${name}"`))))
  return out.join('\n')
}

describe('correcting a person', () => {
  it('changes any field with PATCH, clears a phone with null, and refuses bad input in Vietnamese without changing anything', async () => {
    const lan = { externalId: 'GV001', fullName: 'Nguyễn Thị Lan', unitCode: 'THCS-ANHOA', roles: ['teacher'] }
    // The upsert: a phone given is stored, a phone left out is kept, null clears it.
    expect((await json('/people', { body: { ...lan, phone: '0912 345 678' } })).status).toBe(200)
    expect((await row(ids.lan)).phone).toBe(LAN_PHONE)
    await json('/people', { body: lan })
    expect((await row(ids.lan)).phone).toBe(LAN_PHONE)
    expect((await listed()).find((p) => p.id === ids.lan)).toMatchObject({ hasPhone: true })
    await json('/people', { body: { ...lan, phone: null } })
    expect((await row(ids.lan)).phone).toBeNull()
    expect((await listed()).find((p) => p.id === ids.lan)).toMatchObject({ hasPhone: false })

    // PATCH: a few fields at once; the answer never shows the phone number itself.
    const changed = await patch(ids.lan, { fullName: 'Nguyễn Thị Lan Anh', unitCode: 'P-NINHKIEU', roles: ['teacher', 'comms_staff'], phone: '+84 912 345 678', locale: 'en' })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({
      id: ids.lan,
      externalId: 'GV001',
      fullName: 'Nguyễn Thị Lan Anh',
      unitCode: 'P-NINHKIEU',
      roles: ['teacher', 'comms_staff'],
      locale: 'en',
      hasPhone: true,
      channels: [{ channel: 'telegram', blocked: false }],
    })
    expect(JSON.stringify(changed.body)).not.toContain('912345678')
    expect(await row(ids.lan)).toMatchObject({ full_name: 'Nguyễn Thị Lan Anh', phone: '+84912345678', locale: 'en' })
    // She sees it in her chat at once: the new name and her language.
    await h.say.telegram(TG, '/start')
    expect(h.lastText(h.telegram, TG)).toContain('Nguyễn Thị Lan Anh')
    expect(h.lastText(h.telegram, TG)).toContain('UBND phường Ninh Kiều')

    // Clearing the phone and the staff ID.
    expect((await patch(ids.lan, { phone: null })).body).toMatchObject({ hasPhone: false })
    expect((await row(ids.lan)).phone).toBeNull()
    expect((await patch(ids.lan, { externalId: null })).body).toMatchObject({ externalId: null })

    // Bad input: a clear message, in Vietnamese, and nothing changed.
    const before = await row(ids.lan)
    const empty = await patch(ids.lan, {})
    expect(empty.status).toBe(400)
    expect(empty.body.error.details).toEqual([{ path: '', message: 'cần ít nhất một trường để sửa: fullName, unitCode, roles, phone, locale, externalId' }])
    const phone = await patch(ids.lan, { phone: '12345', fullName: 'Ai Đó' })
    expect(phone.status).toBe(400)
    expect(phone.body.error).toMatchObject({ message: 'Yêu cầu chưa hợp lệ; xem chi tiết từng trường.', details: [{ path: 'phone', message: 'cần số điện thoại Việt Nam, ví dụ 0912345678' }] })
    const unit = await patch(ids.lan, { unitCode: 'KHONG-CO', fullName: 'Ai Đó' })
    expect(unit.status).toBe(422)
    expect(unit.body.error.message).toBe('Không có đơn vị mã: KHONG-CO.')
    const taken = await patch(ids.lan, { externalId: 'GV002' })
    expect(taken.status).toBe(409)
    expect(taken.body.error.message).toBe(`Mã cán bộ GV002 đã thuộc về cán bộ số ${ids.minh}.`)
    expect((await patch(ids.lan, { nickname: 'Lan' })).status).toBe(400)
    expect((await patch(ids.lan, { roles: [] })).status).toBe(400)
    expect((await patch(ids.lan, { fullName: '   ' })).status).toBe(400)
    expect((await patch(ids.lan, 'not json')).status).toBe(400)
    const unknown = await patch(999, { fullName: 'Ai Đó' })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.message).toBe('Không có cán bộ số 999.')
    expect(await row(ids.lan)).toEqual(before)
  })
})

/**
 * Lan acknowledges a brief, checks in to a briefing, passes a quiz and asks a question; a second
 * announcement to her is still queued when she is erased.
 */
async function lanLeavesRecords() {
  await json('/people', { body: { externalId: 'GV001', fullName: 'Nguyễn Thị Lan', unitCode: 'THCS-ANHOA', roles: ['teacher'], phone: LAN_PHONE } })
  const code = await enroll(h, ids.lan, 'zalo', LAN_ZALO)
  const brief = (await json('/broadcasts', { body: { kind: 'brief', title: 'Tóm tắt Nghị quyết 71', body: 'Nội dung bản tin.', audience: {} } })).body
  await h.flush()
  await h.say.press(TG, `ack:${brief.id}`)
  const session = (
    await json('/sessions', { body: { title: 'Quán triệt NQ71', kind: 'briefing', opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T04:00:00Z' } })
  ).body
  await h.say.telegram(TG, `/diemdanh ${session.code}`)
  const quiz = (
    await json('/quizzes', { body: { title: 'NQ71', questions: [{ text: 'NQ71 bàn về?', options: ['Giáo dục', 'Y tế'], correct: 0 }], closesAt: '2026-03-20T00:00:00Z' } })
  ).body
  await h.flush()
  await h.say.press(TG, `qz:${quiz.id}:start`)
  await h.say.press(TG, `qz:${quiz.id}:0:0`)
  expect(h.lastText(h.telegram, TG)).toContain('đã đạt')
  await h.say.telegram(TG, '/hoidap Tài liệu quán triệt Nghị quyết 71 có bản in không ạ?')
  // Queued, not sent yet.
  const later = (await json('/broadcasts', { body: { kind: 'announcement', title: 'Lịch tập huấn', body: 'Thứ Sáu.', audience: { roles: ['teacher'] } } })).body
  return { code, brief, session, quiz, later }
}

/** The figures made of Lan's records, as the admin API shows them. */
async function figures(r: Awaited<ReturnType<typeof lanLeavesRecords>>) {
  return {
    reach: (await json('/reach?from=2026-03-01&to=2026-03-31')).body,
    reachAll: (await json('/reach')).body,
    targets: (await json('/targets?year=2026')).body,
    quiz: (await json(`/quizzes/${r.quiz.id}/results`)).body,
    attendance: (await json(`/sessions/${r.session.id}/attendance`)).body,
    brief: (await json(`/broadcasts/${r.brief.id}`)).body,
    questions: (await json('/questions?status=all')).body.total,
  }
}

/** Reach without the `linked` flag, the one fact that erasure makes untrue (the chats are gone). */
function withoutLinked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLinked)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'linked').map(([k, v]) => [k, withoutLinked(v)]))
  }
  return value
}

describe('erasing a person', () => {
  it('removes name, phone, staff ID and chats, revokes codes and links, and every count stays the same', async () => {
    const records = await lanLeavesRecords()
    const before = await figures(records)
    expect(before.reach.total.counts).toMatchObject({ linked: 2, ackedBrief: 1, attendedBriefing: 1, briefed: 1, passedQuiz: 1 })
    expect(before.quiz).toMatchObject({ invited: 2, completed: 1, passed: 1 })
    expect(before.attendance).toMatchObject({ attended: 1, expected: 3 })
    expect(before.brief).toMatchObject({ acknowledged: 1, sent: 2 })
    expect(await dump()).toContain(TG)

    const erased = await json(`/people/${ids.lan}`, { method: 'DELETE' })
    expect(erased.status).toBe(200)
    expect(erased.body).toMatchObject({ personId: ids.lan, chatsUnlinked: 2, invitesRevoked: 2, deliveriesCancelled: 1, questionsEmptied: 1 })

    const after = await figures(records)
    // Every figure her records make is unchanged; only "linked" drops, by her one person.
    const counts = (f: typeof before) => withoutLinked({ ...f, attendance: { ...f.attendance, items: undefined } })
    expect(counts(after)).toEqual(counts(before))
    expect(after.reach.total.counts.linked).toBe(before.reach.total.counts.linked - 1)
    expect(after.reach.total.people).toBe(3)
    expect(after.targets).toEqual(before.targets)
    expect(after.quiz).toEqual(before.quiz)
    expect(after.brief).toEqual(before.brief)
    // Attendance counts her; the list of names no longer names her.
    expect(after.attendance.items).toEqual([])
    expect(before.attendance.items.map((i: { fullName: string }) => i.fullName)).toEqual(['Nguyễn Thị Lan'])

    // Gone from the API…
    expect((await listed()).map((p) => p.id)).toEqual([ids.minh, ids.phuc])
    const [question] = (await json('/questions?status=all')).body.items
    expect(question).toMatchObject({ text: null, person: null, unit: { code: 'THCS-ANHOA' } })
    const exported = await json(`/people/${ids.lan}/export`)
    expect(exported.body.person).toMatchObject({ fullName: null, phone: null, externalId: null, roles: ['teacher'], erasedAt: '2026-03-16T02:00:00.000Z' })
    expect(exported.body).toMatchObject({ links: [], invites: [], conversations: [] })
    expect(exported.body.checkIns).toHaveLength(1)
    expect(exported.body.quizzes[0]).toMatchObject({ passed: true })
    // …from the database and from the export.
    for (const text of [await dump(), JSON.stringify(exported.body)]) {
      for (const gone of ['Nguyễn Thị Lan', LAN_PHONE, 'GV001', TG, LAN_ZALO, 'bản in']) expect(text).not.toContain(gone)
    }

    // Her chats are no longer linked: nothing more is sent there, and writing gets "not linked".
    const sentBefore = h.telegram.sentTo(TG).length
    await h.flush()
    expect(h.telegram.sentTo(TG)).toHaveLength(sentBefore)
    expect(h.zalo.sentTo(ZL).at(-1)?.params.text).toContain('Lịch tập huấn')
    expect((await json(`/broadcasts/${records.later.id}`)).body).toMatchObject({ recipients: 2, sent: 1, failed: 1 })
    await h.say.telegram(TG, '/diemdanh NQ71-0000')
    expect(h.lastText(h.telegram, TG)).toMatch(/^Tài khoản chat này chưa được liên kết/)
    // Her old chat is a stranger now: its question is a subscriber's, never hers.
    await h.say.zalo(LAN_ZALO, '/hoidap Câu hỏi mới sau khi bị xoá?')
    expect(h.lastText(h.zalo, LAN_ZALO)).toMatch(/^Đã gửi câu hỏi số 2 tới Sở GD&ĐT/)
    const asked = (await json('/questions?status=all')).body
    expect(asked.items.map((q: { asker: { kind: string }; person: unknown }) => [q.asker.kind, q.person])).toEqual([['subscriber', null], ['staff', null]])
    // Her printed code links nobody, on any chat.
    await h.say.telegram('6300000049', `/start ${records.code}`)
    expect(h.lastText(h.telegram, '6300000049')).not.toContain('Xin chào')

    // New audiences leave her out; she cannot be corrected, invited or erased again.
    const next = (await json('/broadcasts', { body: { kind: 'announcement', title: 'Tin mới', body: '…', audience: {} } })).body
    expect(next).toMatchObject({ people: 2, recipients: 1, unreachable: 1 })
    const newSession = (
      await json('/sessions', { body: { title: 'Tập huấn', kind: 'training', opensAt: '2026-03-17T01:00:00Z', closesAt: '2026-03-17T04:00:00Z' } })
    ).body
    expect((await json(`/sessions/${newSession.id}/attendance`)).body).toMatchObject({ expected: 2, attended: 0 })
    const again = await json(`/people/${ids.lan}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect(again.body.error.message).toBe(`Cán bộ số ${ids.lan} đã bị xoá khỏi danh bạ; không còn dữ liệu cá nhân để sửa.`)
    expect((await patch(ids.lan, { fullName: 'Nguyễn Thị Lan' })).status).toBe(404)
    expect((await json(`/people/${ids.lan}/invites`, { body: {} })).status).toBe(404)
    expect((await json('/people/999', { method: 'DELETE' })).status).toBe(404)
    // A new record with her old staff ID is a new person, not her tombstone.
    const back = await json('/people', { body: { externalId: 'GV001', fullName: 'Nguyễn Thị Lan', unitCode: 'THCS-ANHOA', roles: ['teacher'] } })
    expect(back.body.people[0].id).not.toBe(ids.lan)
  })

  it('keeps a report the person sent as the unit\'s, with its sender no longer named', async () => {
    const period = (await json('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-31', unitKinds: ['school'] } })).body
    await h.say.zalo(ZL, 'bao cao hd 5, sp 3, pb 95%, kk không')
    await h.say.zalo(ZL, '1')
    const status = async () => (await json(`/report-periods/${period.id}/status`)).body
    const before = await status()
    const school = (s: any) => s.items.find((u: { unitCode: string }) => u.unitCode === 'THCS-ANHOA')
    expect(school(before)).toMatchObject({ status: 'on_time', submittedBy: { id: ids.minh, fullName: 'Trần Văn Minh', channel: 'zalo' } })
    const targets = (await json('/targets?year=2026')).body

    expect((await json(`/people/${ids.minh}`, { method: 'DELETE' })).status).toBe(200)
    const after = await status()
    // The same units submitted, on time; the school now has no focal point to remind, which is true.
    expect(after.totals).toEqual({ ...before.totals, noLinkedFocalPoint: before.totals.noLinkedFocalPoint + 1 })
    expect(school(after)).toMatchObject({
      status: 'on_time',
      submittedBy: { id: null, fullName: null, erased: true, channel: 'zalo' },
      report: { activities: 5, digitalProducts: 3, briefedPercent: 95 },
      focalPoints: [],
    })
    const csv = await (await h.api(`/report-periods/${period.id}/status?format=csv`)).text()
    expect(csv).toContain('(đã xoá)')
    expect(csv).not.toContain('Trần Văn Minh')
    // Units reporting is a record and stays; the school no longer has a focal point, which is true.
    const afterTargets = (await json('/targets?year=2026')).body
    const target = (t: any, id: string) => t.targets.find((x: { id: string }) => x.id === id)
    expect(target(afterTargets, 'unitsReporting')).toEqual(target(targets, 'unitsReporting'))
    expect(target(afterTargets, 'staffBriefed')).toEqual(target(targets, 'staffBriefed'))
    expect(target(afterTargets, 'focalPoints')).toMatchObject({ count: target(targets, 'focalPoints').count - 1 })
  })
})

describe('exporting a person', () => {
  it('gives everything stored about one person, without code hashes or message texts', async () => {
    const records = await lanLeavesRecords()
    await json('/questions/1/answer', { body: { answer: 'Có, Sở gửi bản in về trường.' } })
    const res = await h.api(`/people/${ids.lan}/export`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="person-${ids.lan}.json"`)
    const data = (await res.json()) as any
    expect(Object.keys(data)).toEqual([
      'exportedAt',
      'person',
      'unit',
      'links',
      'invites',
      'broadcasts',
      'relays',
      'checkIns',
      'quizzes',
      'reports',
      'questions',
      'broadcastsCreated',
      'conversations',
      'deliveries',
      'updates',
      'inlineReplies',
      'auditLog',
      'inbox',
      'polls',
      'misinformationReports',
    ])
    expect(data.person).toMatchObject({ id: ids.lan, externalId: 'GV001', fullName: 'Nguyễn Thị Lan', phone: LAN_PHONE, roles: ['teacher'], erasedAt: null })
    expect(data.unit).toEqual({ code: 'THCS-ANHOA', name: 'Trường THCS An Hòa', kind: 'school' })
    expect(data.links.map((l: { channel: string; chatId: string }) => [l.channel, l.chatId])).toEqual([
      ['telegram', TG],
      ['zalo', LAN_ZALO],
    ])
    expect(data.invites).toHaveLength(2)
    expect(data.invites[1].uses).toEqual([{ channel: 'zalo', chatId: LAN_ZALO, usedAt: '2026-03-16T02:00:00.000Z' }])
    expect(data.broadcasts.find((b: { broadcastId: number }) => b.broadcastId === records.brief.id)).toMatchObject({
      kind: 'brief',
      title: 'Tóm tắt Nghị quyết 71',
      channel: 'zalo',
      acknowledgedAt: '2026-03-16T02:00:00.000Z',
    })
    expect(data.checkIns).toEqual([{ sessionId: records.session.id, title: 'Quán triệt NQ71', kind: 'briefing', channel: 'telegram', checkedInAt: '2026-03-16T02:00:00.000Z' }])
    expect(data.quizzes).toEqual([
      expect.objectContaining({ quizId: records.quiz.id, passed: true, correctCount: 1, answers: [expect.objectContaining({ questionIndex: 0, optionIndex: 0, correct: true })] }),
    ])
    expect(data.questions).toEqual([
      expect.objectContaining({ text: 'Tài liệu quán triệt Nghị quyết 71 có bản in không ạ?', answer: 'Có, Sở gửi bản in về trường.', channel: 'telegram' }),
    ])
    // Messages addressed to her: which and when, never their text.
    expect(data.deliveries.length).toBeGreaterThanOrEqual(4)
    expect(data.deliveries.map((d: { source: string }) => d.source)).toEqual(expect.arrayContaining(['broadcast', 'quiz', 'message']))
    expect(data.deliveries.every((d: object) => !('payload' in d))).toBe(true)
    const text = JSON.stringify(data)
    expect(text).not.toMatch(/hash/i)
    expect(text).not.toContain('Sở gửi bản in về trường.\\n')
    const hashes = await h.db.all<{ code_hash: string }>(sql`select code_hash from invites`)
    for (const { code_hash } of hashes) expect(text).not.toContain(code_hash)
    // Her code is not in it either (only hashes are stored).
    expect(text).not.toContain(records.code)

    // Minh's export shows the report he sent.
    await json('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-31', unitKinds: ['school'] } })
    await h.say.zalo(ZL, 'bao cao hd 5, sp 3, pb 95%, kk không')
    await h.say.zalo(ZL, '1')
    const minh = (await json(`/people/${ids.minh}/export`)).body
    expect(minh.reports).toEqual([expect.objectContaining({ periodName: 'Báo cáo quý I', unitCode: 'THCS-ANHOA', activities: 5, version: 1, late: false })])
    expect((await json('/people/999/export')).status).toBe(404)
  })
})

describe('retention', () => {
  it('prunes conversation state, message texts and answered questions older than RETENTION_DAYS, and the counts stay', async () => {
    const PHUC = '6300000048'
    await enroll(h, ids.phuc, 'telegram', PHUC)
    const records = await lanLeavesRecords()
    await json('/questions/1/answer', { body: { answer: 'Có, Sở gửi bản in về trường.' } })
    await h.flush()
    // Minh leaves a report half-way: a conversation with his answers in it.
    await json('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-31', unitKinds: ['school'] } })
    await h.say.zalo(ZL, 'bao cao')
    await h.say.zalo(ZL, '5')
    const count = async (q: ReturnType<typeof sql>) => Number((await h.db.get<{ n: number }>(q))!.n)
    expect(await count(sql`select count(*) as n from conversations where flow is not null`)).toBeGreaterThan(0)
    expect(await count(sql`select count(*) as n from deliveries where payload is not null`)).toBeGreaterThan(0)
    const before = await figures(records)
    const run = async () => (await json('/jobs/retention/run', { body: {} })).body

    // Within the year nothing goes.
    h.setNow('2026-09-01T00:00:00+07:00')
    expect(await run()).toMatchObject({ days: 365, conversations: 0, deliveries: 0, questions: 0 })
    // A year and a day later, a fresh conversation (Phúc starts an announcement that day) stays; the old texts go.
    h.setNow('2027-03-17T02:00:00Z')
    await h.say.telegram(PHUC, '/thongbao')
    const pruned = await run()
    expect(pruned).toMatchObject({ job: 'retention', days: 365, questions: 1 })
    expect(pruned.conversations).toBeGreaterThanOrEqual(2)
    expect(pruned.deliveries).toBeGreaterThanOrEqual(1)
    expect(await count(sql`select count(*) as n from conversations where updated_at < ${Math.floor(Date.parse('2026-03-17T02:00:00Z') / 1000)}`)).toBe(0)
    expect(await count(sql`select count(*) as n from conversations where chat_id = ${PHUC} and flow is not null`)).toBe(1)
    expect(await count(sql`select count(*) as n from deliveries where payload is not null and created_at < ${Math.floor(Date.parse('2026-03-17T02:00:00Z') / 1000)}`)).toBe(0)
    expect(await dump()).not.toContain('bản in')
    const [question] = (await json('/questions?status=answered')).body.items
    expect(question).toMatchObject({ text: null, answer: null, answeredAt: '2026-03-16T02:00:00.000Z', person: { id: ids.lan } })

    // A second run finds nothing more.
    expect(await run()).toMatchObject({ conversations: 0, deliveries: 0, questions: 0 })
    // The figures of 2026 are the same: the records stay.
    h.setNow('2026-03-16T02:00:00Z')
    expect(await figures(records)).toEqual(before)
  })

  it('reads RETENTION_DAYS from the environment and refuses a bad value', async () => {
    const { parseConfig } = await import('#src/config.js')
    expect(parseConfig({ BOT_MODE: 'polling' }).retentionDays).toBe(365)
    expect(parseConfig({ BOT_MODE: 'polling', RETENTION_DAYS: '90' }).retentionDays).toBe(90)
    expect(() => parseConfig({ BOT_MODE: 'polling', RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/)
    expect(() => parseConfig({ BOT_MODE: 'polling', RETENTION_DAYS: 'một năm' })).toThrow(/RETENTION_DAYS/)
    expect((await json('/jobs')).body.items).toContainEqual({ name: 'retention', cron: '23 3 * * *' })
  })
})
