import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>> & { tuan: number; vy: number; hung: number; khoa: number }

/**
 * Relay through school groups. The seeded tree (SGDDT → P-NINHKIEU → THCS-ANHOA) plus a second
 * ward with two schools:
 *   lan (teacher, THCS-ANHOA)                       telegram 101
 *   minh (teacher, focal point, THCS-ANHOA)         zalo z102
 *   phuc (admin, manager, SGDDT, English)           telegram 103
 *   tuan (teacher, focal point, TH-CAIRANG)         telegram 105
 *   vy (teacher, focal point, TH-CAIRANG)           zalo z106
 *   hung (focal point, THPT-CAIRANG)                telegram 107
 *   khoa (focal point, THCS-BINHTHUY)               never linked
 */
beforeEach(async () => {
  h = await startHarness()
  const base = await seedDirectory(h)
  await h.api('/units', {
    body: [
      { code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' },
      { code: 'TH-CAIRANG', name: 'Trường Tiểu học Cái Răng', kind: 'school', parentCode: 'P-CAIRANG' },
      { code: 'THPT-CAIRANG', name: 'Trường THPT Cái Răng', kind: 'school', parentCode: 'P-CAIRANG' },
      { code: 'THCS-BINHTHUY', name: 'Trường THCS Bình Thủy', kind: 'school', parentCode: 'SGDDT' },
    ],
  })
  const res = await h.api('/people', {
    body: [
      { externalId: 'GV020', fullName: 'Đặng Minh Tuấn', unitCode: 'TH-CAIRANG', roles: ['teacher', 'focal_point'] },
      { externalId: 'GV021', fullName: 'Lý Tường Vy', unitCode: 'TH-CAIRANG', roles: ['teacher', 'focal_point'] },
      { externalId: 'GV030', fullName: 'Phan Văn Hùng', unitCode: 'THPT-CAIRANG', roles: ['focal_point'] },
      { externalId: 'GV040', fullName: 'Ngô Đăng Khoa', unitCode: 'THCS-BINHTHUY', roles: ['focal_point'] },
    ],
  })
  const people = ((await res.json()) as { people: { id: number; externalId: string }[] }).people
  const idOf = (ext: string) => people.find((p) => p.externalId === ext)!.id
  ids = { ...base, tuan: idOf('GV020'), vy: idOf('GV021'), hung: idOf('GV030'), khoa: idOf('GV040') }
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  await enroll(h, ids.phuc, 'telegram', '103')
  await enroll(h, ids.tuan, 'telegram', '105')
  await enroll(h, ids.vy, 'zalo', 'z106')
  await enroll(h, ids.hung, 'telegram', '107')
  await h.flush()
  h.telegram.reset()
  h.zalo.reset()
})
afterEach(() => h.close())

const brief = (extra: Record<string, unknown> = {}) => ({
  kind: 'brief',
  title: 'Quán triệt Nghị quyết 71',
  body: 'Nghị quyết 71-NQ/TW về đột phá phát triển giáo dục và đào tạo.\n\nCác trường tổ chức quán triệt trước ngày 30/3.',
  ...extra,
})

async function post(body: unknown) {
  const res = await h.api('/broadcasts', { body })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number }
}

async function units(id: number) {
  const res = await h.api(`/broadcasts/${id}/units`)
  expect(res.status).toBe(200)
  return (await res.json()) as any
}
const unit = (results: any, code: string) => results.items.find((u: { unitCode: string }) => u.unitCode === code)

/** Runs a job over HTTP as if it were `now`, then sends what it queued. */
async function runJob(name: string, now: string) {
  h.setNow(now)
  const res = await h.api(`/jobs/${name}/run`, { body: { now } })
  expect(res.status).toBe(200)
  const body = (await res.json()) as Record<string, unknown>
  await h.flush()
  return body
}

describe('the forward-ready copy', () => {
  it('goes to each school focal point with a chat, on Zalo and Telegram, after the brief, and says how to confirm', async () => {
    const b = await post(brief({ link: 'https://moet.gov.vn/nq71' }))
    await h.flush()

    // Minh (Zalo): the brief itself, then the copy to paste, then the note with the exact words to type.
    const minh = h.texts(h.zalo, 'z102')
    expect(minh).toHaveLength(3)
    expect(minh[0]).toContain('trả lời "đã đọc" (hoặc số 1)')
    expect(minh[1]).toBe(
      '📘 BẢN TIN NGHỊ QUYẾT 71\nQuán triệt Nghị quyết 71\n\nNghị quyết 71-NQ/TW về đột phá phát triển giáo dục và đào tạo.\n\n' +
        'Các trường tổ chức quán triệt trước ngày 30/3.\n\nXem thêm: https://moet.gov.vn/nq71\n\nNguồn: Sở GD&ĐT',
    )
    expect(minh[2]).toContain('Bạn là đầu mối truyền thông của Trường THCS An Hòa')
    expect(minh[2]).toContain('nhóm Zalo hoặc Telegram của đơn vị')
    expect(minh[2]).toMatch(/Chuyển xong, vui lòng trả lời: đã chuyển$/)
    // No numbered choice on Zalo: a typed "1" still acknowledges the brief.
    expect(minh[2]).not.toMatch(/^1\./m)

    // Tuấn (Telegram): the copy has no button (it is forwarded as it is), the note has one.
    const tuan = h.telegram.sentTo('105')
    expect(tuan.map((c) => String(c.params.text).split('\n')[0])).toEqual([
      '📘 BẢN TIN NGHỊ QUYẾT 71',
      '📘 BẢN TIN NGHỊ QUYẾT 71',
      'Bạn là đầu mối truyền thông của Trường Tiểu học Cái Răng. Vui lòng chuyển tiếp (hoặc sao chép) tin nhắn ngay phía trên vào nhóm Zalo hoặc Telegram của đơn vị, để cả những đồng nghiệp chưa liên kết với bot cũng nhận được bản tin "Quán triệt Nghị quyết 71".',
    ])
    expect(tuan[1]!.params.reply_markup).toBeUndefined()
    expect(tuan[2]!.params.reply_markup.inline_keyboard[0][0]).toEqual({ text: 'Đã chuyển vào nhóm', callback_data: `relay:${b.id}` })

    // Lan is a teacher, not a focal point: only the brief. Phúc (department, English) is no focal point either.
    expect(h.texts(h.telegram, '101')).toHaveLength(1)
    expect(h.texts(h.telegram, '103')).toHaveLength(1)
  })

  it('stays under 2,000 characters for a long brief, reads well without a link, and is in the focal point\'s language', async () => {
    // Hùng reads English.
    await h.say.press(107, 'lang:en')
    h.telegram.reset()
    const long = Array.from({ length: 40 }, (_, i) => `Đoạn ${i + 1}: ${'nội dung nghị quyết '.repeat(8)}`).join('\n\n')
    await post(brief({ body: long, audience: { unitCodes: ['P-CAIRANG'] } }))
    await h.flush()
    // The brief itself is split over several messages on Zalo; the copy is one, before the note.
    const copy = h.texts(h.zalo, 'z106').at(-2)
    expect(copy!.length).toBeLessThan(2000)
    expect(copy).toMatch(/^📘 BẢN TIN NGHỊ QUYẾT 71\nQuán triệt Nghị quyết 71\n\nĐoạn 1: /)
    // Cut at a paragraph, marked, with no empty link line.
    expect(copy).toMatch(/nghị quyết …\n\nNguồn: Sở GD&ĐT$/)
    expect(copy).not.toContain('undefined')
    expect(copy).not.toContain('Xem')
    // Hùng (Telegram, English): the brief (in two parts), then the copy in one message, then the note.
    const [copyEn, note] = h.texts(h.telegram, '107').slice(-2)
    expect(h.texts(h.telegram, '107')).toHaveLength(4)
    expect(copyEn).toMatch(/^📘 RESOLUTION 71 BRIEF\nQuán triệt Nghị quyết 71\n\nĐoạn 1: /)
    expect(copyEn!.length).toBeLessThan(2000)
    expect(copyEn).toMatch(/ …\n\nSource: Department of Education and Training$/)
    expect(note).toContain('You are the communications focal point of Trường THPT Cái Răng')
    expect(h.telegram.sentTo('107')[3]!.params.reply_markup.inline_keyboard[0][0].text).toBe('Relayed to the group')
  })

  it('is not sent for a brief meant only for managers, nor for one cancelled before it went out', async () => {
    const managers = await post(brief({ audience: { roles: ['manager'] } }))
    await h.flush()
    expect(h.texts(h.zalo, 'z102')).toEqual([])
    expect((await units(managers.id)).relayed).toBe(false)
    expect(unit(await units(managers.id), 'SGDDT')).toMatchObject({ people: 1, recipients: 1, relay: null })

    const cancelled = await post(brief({ title: 'Bản tin huỷ', audience: { unitCodes: ['THCS-ANHOA'] } }))
    expect((await h.api(`/broadcasts/${cancelled.id}/cancel`, { body: {} })).status).toBe(200)
    await h.flush()
    expect(h.texts(h.zalo, 'z102')).toEqual([])
    await h.say.zalo('z102', 'đã chuyển')
    expect(h.lastText(h.zalo, 'z102')).toContain('Hiện không có bản tin nào chờ bạn chuyển vào nhóm')
  })
})

describe('confirming a relay', () => {
  it('"đã chuyển" on Zalo and the button on Telegram mark the unit relayed in the per-unit results', async () => {
    const b = await post(brief())
    await h.flush()
    let results = await units(b.id)
    expect(results).toMatchObject({ broadcastId: b.id, relayed: true })
    expect(unit(results, 'THCS-ANHOA')).toEqual({
      unitCode: 'THCS-ANHOA',
      unitName: 'Trường THCS An Hòa',
      unitKind: 'school',
      people: 2,
      recipients: 2,
      acknowledged: 0,
      relay: { status: 'waiting', focalPoints: 1, relayedAt: null, relayedBy: null },
      opened: 0,
      quizPassed: null,
    })
    // Khoa never linked a chat: his school cannot be relayed to, and says so.
    expect(unit(results, 'THCS-BINHTHUY')).toMatchObject({ people: 1, recipients: 0, relay: { status: 'no_linked_focal_point', focalPoints: 0 } })

    h.setNow('2026-03-16T03:15:00Z')
    await h.say.zalo('z102', 'Đã chuyển rồi.')
    expect(h.lastText(h.zalo, 'z102')).toBe(
      'Cảm ơn bạn! Đã ghi nhận bạn chuyển bản tin "Quán triệt Nghị quyết 71" vào nhóm của Trường THCS An Hòa lúc 10:15 16/03/2026.',
    )
    await h.say.press(105, `relay:${b.id}`)
    expect(h.lastText(h.telegram, 105)).toContain('Đã ghi nhận bạn chuyển bản tin "Quán triệt Nghị quyết 71" vào nhóm của Trường Tiểu học Cái Răng')
    // Lan acknowledges the brief itself: counted next to the relay.
    await h.say.telegram(101, 'đã đọc')

    results = await units(b.id)
    expect(unit(results, 'THCS-ANHOA')).toMatchObject({
      acknowledged: 1,
      relay: { status: 'relayed', focalPoints: 1, relayedAt: '2026-03-16T03:15:00.000Z', relayedBy: { personId: ids.minh, fullName: 'Trần Văn Minh' } },
    })
    expect(unit(results, 'TH-CAIRANG')).toMatchObject({
      people: 2,
      relay: { status: 'relayed', focalPoints: 2, relayedBy: { personId: ids.tuan, fullName: 'Đặng Minh Tuấn' } },
    })
    expect(unit(results, 'THPT-CAIRANG').relay.status).toBe('waiting')
    // The department has no focal point in the directory; the wards, with nobody in them, are not listed.
    expect(unit(results, 'SGDDT').relay.status).toBe('no_focal_point')
    expect(unit(results, 'P-CAIRANG')).toBeUndefined()
    expect(results.totals).toMatchObject({ units: 5, relayed: 2, waiting: 1, noLinkedFocalPoint: 1, noFocalPoint: 1 })

    // A second confirmation keeps the first time.
    h.setNow('2026-03-16T04:00:00Z')
    await h.say.press(105, `relay:${b.id}`)
    expect(h.lastText(h.telegram, 105)).toContain('Bạn đã xác nhận chuyển bản tin "Quán triệt Nghị quyết 71" vào nhóm lúc')
    await h.say.zalo('z102', 'da chuyen')
    expect(h.lastText(h.zalo, 'z102')).toBe(
      'Bạn đã xác nhận chuyển bản tin "Quán triệt Nghị quyết 71" vào nhóm lúc 10:15 16/03/2026 rồi, không cần xác nhận lại.',
    )
    expect(unit(await units(b.id), 'THCS-ANHOA').relay.relayedAt).toBe('2026-03-16T03:15:00.000Z')
    // Minh's own export lists the relay and his confirmation.
    const exported = (await (await h.api(`/people/${ids.minh}/export`)).json()) as any
    expect(exported.relays).toEqual([
      { broadcastId: b.id, title: 'Quán triệt Nghị quyết 71', unitCode: 'THCS-ANHOA', queuedAt: expect.any(String), confirmedAt: '2026-03-16T03:15:00.000Z' },
    ])
  })

  it('with several briefs waiting, confirms the most recent one sent and names it and the next', async () => {
    await post(brief({ title: 'Bản tin số 1', audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    h.setNow(new Date(h.now().getTime() + 60_000))
    await post(brief({ title: 'Bản tin số 2', audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    await h.say.zalo('z102', 'da chuyen')
    const answer = h.lastText(h.zalo, 'z102')
    expect(answer).toContain('Đã ghi nhận bạn chuyển bản tin "Bản tin số 2"')
    expect(answer).toContain('lời xác nhận này được tính cho bản tin gửi bạn gần đây nhất: "Bản tin số 2"')
    expect(answer).toContain('Còn 1 bản tin chưa xác nhận chuyển, tiếp theo là "Bản tin số 1"')
    await h.say.zalo('z102', 'đã chuyển')
    expect(h.lastText(h.zalo, 'z102')).toMatch(/^Cảm ơn bạn! Đã ghi nhận bạn chuyển bản tin "Bản tin số 1" vào nhóm của Trường THCS An Hòa lúc [\d: /]+\.$/)
  })

  it('answers helpfully when there is nothing to confirm, in the person\'s language, and changes nothing', async () => {
    // Lan is not a focal point.
    await h.say.telegram(101, 'đã chuyển')
    expect(h.lastText(h.telegram, 101)).toBe(
      'Hiện không có bản tin nào chờ bạn chuyển vào nhóm. Khi Sở gửi bản tin mới, đầu mối truyền thông của mỗi đơn vị nhận một tin nhắn soạn sẵn để chuyển vào nhóm Zalo hoặc Telegram của đơn vị, rồi trả lời "đã chuyển".',
    )
    await h.say.telegram(103, 'relayed')
    expect(h.lastText(h.telegram, 103)).toContain('You have no brief waiting to be relayed to a group')
    // A button for a brief that was never sent to this person.
    const b = await post(brief({ audience: { unitCodes: ['THCS-ANHOA'] } }))
    await h.flush()
    await h.say.press(105, `relay:${b.id}`)
    expect(h.lastText(h.telegram, 105)).toBe('Không tìm thấy bản tin này trong các bản tin gửi bạn để chuyển vào nhóm.')
    await h.say.press(105, 'relay:abc')
    expect(h.lastText(h.telegram, 105)).toBe('Không tìm thấy bản tin này trong các bản tin gửi bạn để chuyển vào nhóm.')
    // A chat that is not linked gets the public welcome, which asks staff for their invite code.
    await h.say.zalo('z999', 'đã chuyển')
    expect(h.lastText(h.zalo, 'z999')).toContain('Cán bộ, giáo viên: gửi mã mời do đơn vị cung cấp')
    expect(unit(await units(b.id), 'THCS-ANHOA').relay.status).toBe('waiting')
    // /huongdan lists the reply for focal points only.
    await h.say.zalo('z102', 'huong dan')
    expect(h.lastText(h.zalo, 'z102')).toContain('đã chuyển — xác nhận đã chuyển bản tin mới nhất')
    await h.say.telegram(101, '/huongdan')
    expect(h.lastText(h.telegram, 101)).not.toContain('đã chuyển')
  })

  it('404s the results of an unknown broadcast, in Vietnamese', async () => {
    const res = await h.api('/broadcasts/999/units')
    expect(res.status).toBe(404)
    expect(((await res.json()) as any).error.message).toBe('Không có thông báo số 999.')
  })
})

describe('the next morning\'s reminder', () => {
  it('goes once, at 08:00 the next day, only to focal points whose unit has not relayed', async () => {
    const jobs = (await (await h.api('/jobs')).json()) as { items: { name: string; cron: string }[] }
    expect(jobs.items).toContainEqual({ name: 'relay-reminders', cron: '0 8 * * *' })

    const b = await post(brief())
    await h.flush()
    await h.say.zalo('z102', 'đã chuyển') // Minh relayed to his school.
    await h.say.zalo('z106', 'đã chuyển') // Vy relayed to TH-CAIRANG, so Tuấn need not.
    // Later the same day: not the next morning yet.
    expect(await runJob('relay-reminders', '2026-03-16T20:00:00+07:00')).toMatchObject({ relayReminders: 0 })
    h.telegram.reset()
    h.zalo.reset()

    expect(await runJob('relay-reminders', '2026-03-17T08:00:00+07:00')).toMatchObject({ relayReminders: 1 })
    // Hùng (THPT Cái Răng) did not relay: the copy again, then the reminder with the button.
    const hung = h.telegram.sentTo('107')
    expect(hung).toHaveLength(2)
    expect(String(hung[0]!.params.text)).toMatch(/^📘 BẢN TIN NGHỊ QUYẾT 71\nQuán triệt Nghị quyết 71/)
    expect(String(hung[1]!.params.text)).toContain(
      'Nhắc: bản tin "Quán triệt Nghị quyết 71" gửi ngày 16/03/2026 chưa được chuyển vào nhóm của Trường THPT Cái Răng.',
    )
    expect(hung[1]!.params.reply_markup.inline_keyboard[0][0]).toEqual({ text: 'Đã chuyển vào nhóm', callback_data: `relay:${b.id}` })
    expect(h.telegram.sentTo('105')).toEqual([])
    expect(h.zalo.sent()).toEqual([])

    // Never twice: the same morning again, the next morning, after a restart's catch-up.
    expect(await runJob('relay-reminders', '2026-03-17T09:30:00+07:00')).toMatchObject({ relayReminders: 0 })
    expect(await runJob('relay-reminders', '2026-03-18T08:00:00+07:00')).toMatchObject({ relayReminders: 0 })
    expect(h.telegram.sentTo('107')).toHaveLength(2)

    await h.say.press(107, `relay:${b.id}`)
    expect(h.lastText(h.telegram, 107)).toContain('Cảm ơn bạn! Đã ghi nhận bạn chuyển bản tin')
    expect((await units(b.id)).totals).toMatchObject({ relayed: 3, waiting: 0 })
  })

  it('is dropped when the focal point confirms between the job and the send, and never comes after it', async () => {
    await post(brief({ audience: { unitCodes: ['THPT-CAIRANG'] } }))
    await h.flush()
    h.setNow('2026-03-17T01:00:00Z')
    const res = await h.api('/jobs/relay-reminders/run', { body: { now: '2026-03-17T08:00:00+07:00' } })
    expect(await res.json()).toMatchObject({ relayReminders: 1 })
    // Hùng answers before the dispatcher gets to the reminder.
    await h.say.telegram(107, 'Đã chuyển')
    h.telegram.reset()
    await h.flush()
    expect(h.telegram.sentTo('107')).toEqual([])
    expect(await runJob('relay-reminders', '2026-03-18T08:00:00+07:00')).toMatchObject({ relayReminders: 0 })
    expect(h.telegram.sentTo('107')).toEqual([])
  })
})
