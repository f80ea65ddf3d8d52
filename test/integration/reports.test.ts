import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reports } from '#db/schema/index.js'
import { createApp } from '#src/app.js'
import { enroll, seedDirectory, startHarness, TG_SECRET, tgMessage, type Harness } from '../helpers/harness.js'

/** Deadline: end of 15/06/2026 in Asia/Ho_Chi_Minh. Reminders at 08:00 local (01:00 UTC). */
const DUE = '2026-06-15'
const at8 = (day: string) => `${day}T08:00:00+07:00`

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>> & { hoa: number; tam: number }

/** Chats: Minh (school focal point) Telegram 501, Hoa (school manager) Telegram 502, Tâm (ward focal point) Zalo, Phúc (admin) Telegram 900. */
const MINH = '501'
const HOA = '502'
const TAM = 'z-tam'
const PHUC = '900'
const LAN = '503'

beforeEach(async () => {
  h = await startHarness()
  const base = await seedDirectory(h)
  await h.api('/units', { body: [{ code: 'TH-CAIKHE', name: 'Trường Tiểu học Cái Khế', kind: 'school', parentCode: 'P-NINHKIEU' }] })
  const res = await h.api('/people', {
    body: [
      { externalId: 'QL001', fullName: 'Võ Thị Hoa', unitCode: 'THCS-ANHOA', roles: ['manager'] },
      { externalId: 'DM001', fullName: 'Phạm Văn Tâm', unitCode: 'P-NINHKIEU', roles: ['focal_point'] },
    ],
  })
  const people = ((await res.json()) as { people: { id: number; externalId: string }[] }).people
  ids = { ...base, hoa: people[0]!.id, tam: people[1]!.id }
  await enroll(h, ids.minh, 'telegram', MINH)
  await enroll(h, ids.hoa, 'telegram', HOA)
  await enroll(h, ids.tam, 'zalo', TAM)
  await enroll(h, ids.phuc, 'telegram', PHUC)
  await enroll(h, ids.lan, 'telegram', LAN)
})
afterEach(() => h.close())

async function openPeriod(body: Record<string, unknown> = {}) {
  const res = await h.api('/report-periods', {
    body: { name: 'Báo cáo 6 tháng đầu năm 2026', dueAt: DUE, unitKinds: ['commune', 'school'], ...body },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; dueAt: string; totals: Record<string, number> }
}

/** Runs the reminders job as the scheduler would at `iso`, then sends what it queued. */
async function runJob(iso: string) {
  h.setNow(iso)
  const res = await h.api('/jobs/reminders/run', { body: { now: iso } })
  expect(res.status).toBe(200)
  await h.flush()
  return (await res.json()) as { reminders: number; summaries: number }
}

const count = (fake: Harness['telegram'], chat: string) => h.texts(fake, chat).length
async function status(periodId: number) {
  return (await (await h.api(`/report-periods/${periodId}/status`)).json()) as {
    totals: Record<string, number>
    items: { unitCode: string; status: string; version: number; report: Record<string, unknown> | null; submittedBy: { fullName: string } | null; focalPoints: { fullName: string; linked: boolean }[]; noLinkedFocalPoint: boolean }[]
  }
}
const item = async (periodId: number, code: string) => (await status(periodId)).items.find((i) => i.unitCode === code)!

describe('report periods (admin API)', () => {
  it('opens a period with defaults and lists it with totals', async () => {
    const p = await openPeriod()
    expect(p.dueAt).toBe('2026-06-15T16:59:59.000Z')
    expect(p).toMatchObject({ remindDaysBefore: [7, 3, 1, 0], escalateDaysAfter: [1, 3, 7], totals: { units: 3, missing: 3 } })
    const list = await (await h.api('/report-periods')).json()
    expect(list.items[0]).toMatchObject({ id: p.id, name: 'Báo cáo 6 tháng đầu năm 2026', totals: { units: 3 } })
  })

  it('lists a long history a page at a time, latest deadline first', async () => {
    const q1 = await openPeriod({ name: 'Quý I', dueAt: '2026-03-31' })
    const year = await openPeriod({ name: 'Cả năm', dueAt: '2026-12-20' })
    const half = await openPeriod({ name: '6 tháng', dueAt: '2026-06-15' })
    const first = await (await h.api('/report-periods?limit=2')).json()
    expect(first).toMatchObject({ total: 3, limit: 2, offset: 0 })
    expect(first.items.map((i: { id: number }) => i.id)).toEqual([year.id, half.id])
    const rest = await (await h.api('/report-periods?limit=2&offset=2')).json()
    expect(rest.items.map((i: { id: number }) => i.id)).toEqual([q1.id])
    expect((await h.api('/report-periods?limit=0')).status).toBe(400)
  })

  it('refuses a bad body, unknown units and an unknown period', async () => {
    expect((await h.api('/report-periods', { body: { name: 'x' } })).status).toBe(400)
    expect((await h.api('/report-periods', { body: { name: 'x', dueAt: 'tomorrow' } })).status).toBe(400)
    const unknown = await h.api('/report-periods', { body: { name: 'x', dueAt: DUE, unitCodes: ['NOPE'] } })
    expect(unknown.status).toBe(422)
    expect((await unknown.json()).error.details).toEqual({ unknownUnitCodes: ['NOPE'] })
    expect((await h.api('/report-periods', { body: { name: 'x', dueAt: DUE, unitKinds: ['press'] } })).status).toBe(422)
    expect((await h.api('/report-periods/999/status')).status).toBe(404)
  })

  it('shows focal points, whether they are linked, and "no focal point"', async () => {
    const p = await openPeriod()
    const s = await status(p.id)
    expect(s.totals).toMatchObject({ units: 3, submitted: 0, missing: 3, noLinkedFocalPoint: 1 })
    expect(s.items.find((i) => i.unitCode === 'THCS-ANHOA')!.focalPoints).toEqual([{ id: ids.minh, fullName: 'Trần Văn Minh', linked: true }])
    expect(s.items.find((i) => i.unitCode === 'TH-CAIKHE')).toMatchObject({ focalPoints: [], noLinkedFocalPoint: true, status: 'missing' })
  })
})

describe('reminders', () => {
  it('follows the schedule across a whole period: 7, 3, 1, 0 days before, then escalates on days 1, 3, 7', async () => {
    const p = await openPeriod()
    const got: Record<string, string[]> = {}
    for (let d = 1; d <= 30; d++) {
      const day = `2026-06-${String(d).padStart(2, '0')}`
      const before = { minh: count(h.telegram, MINH), hoa: count(h.telegram, HOA), tam: count(h.zalo, TAM), phuc: count(h.telegram, PHUC) }
      await runJob(at8(day))
      const who = []
      if (count(h.telegram, MINH) > before.minh) who.push('minh')
      if (count(h.telegram, HOA) > before.hoa) who.push('hoa')
      if (count(h.zalo, TAM) > before.tam) who.push('tam')
      if (count(h.telegram, PHUC) > before.phuc) who.push('phuc')
      if (who.length) got[day] = who
      // The ward reports on the 12th, in one message on Zalo; it is not reminded afterwards.
      if (day === '2026-06-12') {
        await h.say.zalo(TAM, 'bao cao hd 2, sp 1, pb 100%, kk không')
        await h.say.zalo(TAM, '1')
        expect(h.lastText(h.zalo, TAM)).toContain('đúng hạn')
      }
    }
    // The admin gets a daily summary while the window lasts, because one school has no focal point;
    // on working days only: the 1-day reminder (Sunday 14th) comes on Friday 12th, nothing at the weekends.
    expect(got).toEqual({
      '2026-06-08': ['minh', 'tam', 'phuc'],
      '2026-06-09': ['phuc'],
      '2026-06-10': ['phuc'],
      '2026-06-11': ['phuc'],
      '2026-06-12': ['minh', 'tam', 'phuc'],
      '2026-06-15': ['minh', 'phuc'],
      '2026-06-16': ['minh', 'hoa', 'phuc'],
      '2026-06-17': ['phuc'],
      '2026-06-18': ['minh', 'hoa', 'phuc'],
      '2026-06-19': ['phuc'],
      '2026-06-22': ['minh', 'hoa', 'phuc'],
    })
    const minh = h.texts(h.telegram, MINH)
    expect(minh[0]).toContain('Trường THCS An Hòa')
    expect(minh.find((t) => t.includes('còn 7 ngày'))).toContain('23:59 15/06/2026')
    expect(minh.some((t) => t.includes('Hôm nay là hạn cuối'))).toBe(true)
    expect(minh.some((t) => t.includes('quá hạn 7 ngày'))).toBe(true)
    // The Telegram reminder carries a button that starts the report.
    const reminder = h.telegram.sentTo(MINH).find((c) => String(c.params.text).includes('còn 7 ngày'))!
    expect(reminder.params.reply_markup.inline_keyboard.flat()[0]).toMatchObject({ callback_data: `rp:${p.id}:start` })
    await h.say.press(MINH, `rp:${p.id}:start`)
    expect(h.lastText(h.telegram, MINH)).toContain('1/4.')
    // Escalation: the school's manager hears about it after the deadline, with the focal point's name.
    const escalation = h.texts(h.telegram, HOA)[2]!
    expect(escalation).toContain('Trường THCS An Hòa chưa gửi báo cáo')
    expect(escalation).toContain('quá hạn 1 ngày')
    expect(escalation).toContain('Trần Văn Minh')
    // The admin (English) sees overdue units and units that cannot be reminded.
    const summary = h.texts(h.telegram, PHUC).at(-1)!
    expect(summary).toContain('Overdue, not reported (2 units)')
    expect(summary).toContain('Trường Tiểu học Cái Khế')
    expect(summary).toContain('No communications focal point linked')
    expect(summary).toContain('1 of 3 units have reported')
  })

  it('queues each reminder once when the job runs twice, or on two instances at once', async () => {
    await openPeriod()
    const first = await runJob(at8('2026-06-08'))
    expect(first.reminders).toBe(2)
    const [a, b] = await Promise.all([
      h.api('/jobs/reminders/run', { body: { now: '2026-06-08T09:00:00+07:00' } }),
      h.api('/jobs/reminders/run', { body: { now: '2026-06-08T09:00:00+07:00' } }),
    ])
    expect([(await a.json()).reminders, (await b.json()).reminders]).toEqual([0, 0])
    await runJob('2026-06-08T20:00:00+07:00')
    expect(h.texts(h.telegram, MINH).filter((t) => t.includes('Nhắc hạn'))).toHaveLength(1)
    expect(h.texts(h.zalo, TAM).filter((t) => t.includes('Nhắc hạn'))).toHaveLength(1)
    expect(h.texts(h.telegram, PHUC)).toHaveLength(3) // welcome and menu, then one summary
  })

  it('catches up once after downtime, not once per missed day', async () => {
    await openPeriod()
    // Down from the 6th to the 11th: the reminder of the 8th was missed. Back at 10:00 on the 11th.
    const caught = await runJob('2026-06-11T10:00:00+07:00')
    expect(caught.reminders).toBe(2)
    const minh = h.texts(h.telegram, MINH).filter((t) => t.includes('Nhắc hạn'))
    expect(minh).toHaveLength(1)
    expect(minh[0]).toContain('còn 4 ngày')
    // The next scheduled run that day, and the 12th's, behave as usual.
    await runJob('2026-06-11T20:00:00+07:00')
    expect(h.texts(h.telegram, MINH).filter((t) => t.includes('Nhắc hạn'))).toHaveLength(1)
    await runJob(at8('2026-06-12'))
    expect(h.texts(h.telegram, MINH).filter((t) => t.includes('Nhắc hạn'))).toHaveLength(2)
  })

  it('lets a Zalo focal point answer a reminder with its number', async () => {
    const p = await openPeriod()
    await runJob(at8('2026-06-08'))
    const reminder = h.lastText(h.zalo, TAM)
    expect(reminder).toContain('Trả lời "1" hoặc gõ "báo cáo"')
    expect(reminder).not.toMatch(/bấm/i)
    await h.say.zalo(TAM, '1')
    expect(h.lastText(h.zalo, TAM)).toContain('1/4.')
    expect(h.texts(h.zalo, TAM).join('\n')).toContain(`Báo cáo «Báo cáo 6 tháng đầu năm 2026» của UBND phường Ninh Kiều`)
    expect((await item(p.id, 'P-NINHKIEU')).status).toBe('missing')
  })

  it('drops a queued reminder when the unit reported before it was sent', async () => {
    const p = await openPeriod()
    h.setNow(at8('2026-06-08'))
    await h.api('/jobs/reminders/run', { body: { now: at8('2026-06-08') } })
    await h.say.telegram(MINH, '/baocao hd 1, sp 1, pb 50, kk không')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    await h.flush()
    expect(h.texts(h.telegram, MINH).filter((t) => t.includes('Nhắc hạn'))).toHaveLength(0)
    expect(h.texts(h.zalo, TAM).filter((t) => t.includes('Nhắc hạn'))).toHaveLength(1)
  })
})

describe('status reports in chat', () => {
  it('takes a guided report on Telegram, re-asking bad answers, and stores it only on confirmation', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao')
    expect(h.texts(h.telegram, MINH).at(-2)).toContain('hạn 23:59 15/06/2026')
    expect(h.lastText(h.telegram, MINH)).toContain('1/4.')
    await h.say.telegram(MINH, 'năm')
    expect(h.lastText(h.telegram, MINH)).toBe('"năm" chưa phải là một số nguyên. Vui lòng gõ bằng chữ số, ví dụ: 5')
    await h.say.telegram(MINH, '5 hoạt động')
    expect(h.lastText(h.telegram, MINH)).toContain('2/4.')
    await h.say.telegram(MINH, '3,5')
    expect(h.lastText(h.telegram, MINH)).toContain('ví dụ: 5')
    await h.say.telegram(MINH, '3')
    expect(h.lastText(h.telegram, MINH)).toContain('3/4.')
    await h.say.telegram(MINH, '120%')
    expect(h.lastText(h.telegram, MINH)).toContain('từ 0 đến 100, ví dụ: 95 hoặc 95%')
    await h.say.telegram(MINH, '95 %')
    expect(h.lastText(h.telegram, MINH)).toContain('4/4.')
    await h.say.telegram(MINH, 'Thiếu kinh phí in tài liệu, đề nghị Sở hỗ trợ')
    const summary = h.telegram.sentTo(MINH).at(-1)!
    expect(summary.params.text).toContain('- Hoạt động truyền thông: 5')
    expect(summary.params.text).toContain('- Tỷ lệ cán bộ được phổ biến: 95%')
    expect(summary.params.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(['Xác nhận gửi', 'Làm lại', 'Huỷ'])
    // Not yet submitted.
    expect((await item(p.id, 'THCS-ANHOA')).status).toBe('missing')
    await h.say.telegram(MINH, 'ok')
    expect(h.texts(h.telegram, MINH).at(-2)).toContain('Vui lòng chọn')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    expect(h.lastText(h.telegram, MINH)).toContain('Đã nhận báo cáo «Báo cáo 6 tháng đầu năm 2026» của Trường THCS An Hòa lúc 09:00 10/06/2026, đúng hạn')
    const row = await item(p.id, 'THCS-ANHOA')
    expect(row).toMatchObject({
      status: 'on_time',
      version: 1,
      submittedBy: { fullName: 'Trần Văn Minh' },
      report: { activities: 5, digitalProducts: 3, briefedPercent: 95, difficulties: 'Thiếu kinh phí in tài liệu, đề nghị Sở hỗ trợ' },
    })
    // A second press of the same button stores nothing more.
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    expect(h.lastText(h.telegram, MINH)).toContain('Không có báo cáo nào đang chờ xác nhận')
    expect(await h.db.select().from(reports)).toHaveLength(1)
  })

  it('keeps a half-done report across a restart', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao')
    await h.say.telegram(MINH, '5')
    // A new app on the same database, as after a restart: the conversation is read from the database.
    const restarted = createApp(h.deps)
    const say = (text: string) =>
      restarted.request('/webhook/telegram', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
        body: JSON.stringify(tgMessage(MINH, text)),
      })
    await say('3')
    expect(h.lastText(h.telegram, MINH)).toContain('3/4.')
    await say('95%')
    await say('không')
    await say('1')
    expect(h.lastText(h.telegram, MINH)).toContain('đúng hạn')
    expect((await item(p.id, 'THCS-ANHOA')).report).toMatchObject({ activities: 5, digitalProducts: 3, briefedPercent: 95 })
  })

  it('takes a guided report on Zalo with typed answers and a numbered confirmation; cancel stores nothing', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.zalo(TAM, 'báo cáo')
    await h.say.zalo(TAM, '4')
    await h.say.zalo(TAM, '2')
    await h.say.zalo(TAM, '101')
    expect(h.lastText(h.zalo, TAM)).toContain('"101" chưa đúng')
    await h.say.zalo(TAM, '90%')
    await h.say.zalo(TAM, 'không')
    expect(h.lastText(h.zalo, TAM)).toContain('1. Xác nhận gửi\n2. Làm lại\n3. Huỷ')
    await h.say.zalo(TAM, '3')
    expect(h.lastText(h.zalo, TAM)).toBe('Đã huỷ, báo cáo chưa được gửi.')
    expect((await item(p.id, 'P-NINHKIEU')).status).toBe('missing')
    await h.say.zalo(TAM, 'bao cao hd 4, sp 2, pb 90, kk khong')
    await h.say.zalo(TAM, 'xac nhan gui')
    expect(h.lastText(h.zalo, TAM)).toContain('đúng hạn')
    expect(await item(p.id, 'P-NINHKIEU')).toMatchObject({ status: 'on_time', report: { activities: 4, digitalProducts: 2, briefedPercent: 90, difficulties: 'khong' } })
  })

  it('reads the one-message form, names what it cannot read, and asks only for the rest', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao hd 5, sp ba, pb 120%, xx 4')
    const [, unreadable, next] = h.texts(h.telegram, MINH).slice(-3)
    expect(unreadable).toContain('"sp ba" (cần một số nguyên)')
    expect(unreadable).toContain('"pb 120%" (cần một số từ 0 đến 100)')
    expect(unreadable).toContain('"xx 4" (không rõ mục')
    expect(next).toContain('2/4.')
    await h.say.telegram(MINH, '3')
    await h.say.telegram(MINH, '95')
    await h.say.telegram(MINH, 'Cần thêm tài liệu, tờ rơi; và tập huấn')
    expect(h.lastText(h.telegram, MINH)).toContain('- Hoạt động truyền thông: 5')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    expect((await item(p.id, 'THCS-ANHOA')).report).toMatchObject({ activities: 5, digitalProducts: 3, briefedPercent: 95 })

    // All four at once, difficulties with commas, go straight to the summary.
    await h.say.telegram(MINH, '/report hd 6, sp 4, pb 97 %, kk thiếu kinh phí, thiếu người')
    expect(h.lastText(h.telegram, MINH)).toContain('- Khó khăn, đề xuất: thiếu kinh phí, thiếu người')
  })

  it('keeps every version of a correction made before the deadline and shows the latest', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao hd 5, sp 3, pb 95%, kk không')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    h.setNow('2026-06-15T21:30:00+07:00')
    await h.say.telegram(MINH, '/baocao hd 7, sp 3, pb 98%, kk không')
    expect(h.texts(h.telegram, MINH).join('\n')).toContain('Đơn vị đã gửi báo cáo kỳ này lúc 09:00 10/06/2026')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    expect(h.lastText(h.telegram, MINH)).toContain('lần gửi thứ 2')
    expect(await item(p.id, 'THCS-ANHOA')).toMatchObject({ status: 'on_time', version: 2, report: { activities: 7, briefedPercent: 98 } })
    const rows = await h.db.select().from(reports).where(eq(reports.periodId, p.id))
    expect(rows.map((r) => r.activities)).toEqual([5, 7])
  })

  it('accepts a late report, marks it late, and refuses corrections after the deadline', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-17T10:00:00+07:00')
    await h.say.telegram(MINH, '/baocao')
    expect(h.texts(h.telegram, MINH).at(-2)).toContain('đã quá hạn, báo cáo sẽ được ghi là nộp muộn')
    await h.say.telegram(MINH, '2')
    await h.say.telegram(MINH, '0')
    await h.say.telegram(MINH, '80')
    await h.say.telegram(MINH, 'không')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    expect(h.lastText(h.telegram, MINH)).toContain('được ghi là nộp muộn (hạn 23:59 15/06/2026)')
    const s = await status(p.id)
    expect(s.totals).toMatchObject({ submitted: 1, late: 1, onTime: 0 })
    expect(s.items.find((i) => i.unitCode === 'THCS-ANHOA')!.status).toBe('late')
    await h.say.telegram(MINH, '/baocao hd 3, sp 0, pb 80, kk không')
    expect(h.lastText(h.telegram, MINH)).toContain('không sửa được nữa')
    // After the deadline, the unit that reported late is no longer chased; the others still are.
    await runJob(at8('2026-06-18'))
    expect(h.texts(h.telegram, HOA)).toHaveLength(2) // welcome and menu only
  })

  it('asks which period when several are open, and keeps the one-message answers', async () => {
    const first = await openPeriod()
    const second = await openPeriod({ name: 'Báo cáo chuyên đề chuyển đổi số', dueAt: '2026-07-31' })
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao hd 1, sp 2, pb 30, kk không')
    const ask = h.telegram.sentTo(MINH).at(-1)!
    expect(ask.params.text).toContain('2 kỳ báo cáo')
    expect(ask.params.reply_markup.inline_keyboard.flat().map((b: { callback_data: string; text: string }) => [b.callback_data, b.text])).toEqual([
      [`rp:${first.id}:start`, 'Báo cáo 6 tháng đầu năm 2026 (hạn 15/06/2026)'],
      [`rp:${second.id}:start`, 'Báo cáo chuyên đề chuyển đổi số (hạn 31/07/2026)'],
    ])
    await h.say.press(MINH, `rp:${second.id}:start`)
    expect(h.lastText(h.telegram, MINH)).toContain('- Tỷ lệ cán bộ được phổ biến: 30%')
    await h.say.press(MINH, `rp:${second.id}:confirm`)
    expect((await item(second.id, 'THCS-ANHOA')).status).toBe('on_time')
    expect((await item(first.id, 'THCS-ANHOA')).status).toBe('missing')
  })

  it('tells someone who is not the focal point whom to ask', async () => {
    await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(LAN, '/baocao')
    expect(h.lastText(h.telegram, LAN)).toBe(
      'Chỉ đầu mối truyền thông của Trường THCS An Hòa mới gửi được báo cáo. Vui lòng liên hệ: Trần Văn Minh.',
    )
    await h.say.telegram(HOA, '/baocao hd 5, sp 3, pb 95%, kk không')
    expect(h.lastText(h.telegram, HOA)).toContain('Vui lòng liên hệ: Trần Văn Minh')
    // On Zalo too, and a unit with no focal point at all is sent to the Department.
    await enroll(h, ids.lan, 'zalo', 'z-lan')
    await h.say.zalo('z-lan', 'bao cao')
    expect(h.lastText(h.zalo, 'z-lan')).toContain('Vui lòng liên hệ: Trần Văn Minh')
    const res = await h.api('/people', { body: { externalId: 'GV009', fullName: 'Đỗ Thị Mai', unitCode: 'TH-CAIKHE', roles: ['teacher'] } })
    await enroll(h, ((await res.json()) as { people: { id: number }[] }).people[0]!.id, 'zalo', 'z-mai')
    await h.say.zalo('z-mai', 'báo cáo')
    expect(h.lastText(h.zalo, 'z-mai')).toContain('Trường Tiểu học Cái Khế chưa có đầu mối trong danh bạ. Vui lòng liên hệ Sở GD&ĐT')
    expect(await h.db.select().from(reports)).toHaveLength(0)
  })

  it('refuses a report for a period that does not cover the person\'s unit', async () => {
    const wards = await openPeriod({ name: 'Báo cáo của UBND xã, phường', unitKinds: ['commune'] })
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao')
    expect(h.lastText(h.telegram, MINH)).toBe('Hiện không có kỳ báo cáo nào đang mở cho Trường THCS An Hòa.')
    await h.say.press(MINH, `rp:${wards.id}:start`)
    expect(h.lastText(h.telegram, MINH)).toBe(
      'Kỳ báo cáo «Báo cáo của UBND xã, phường» không áp dụng cho Trường THCS An Hòa, nên bạn không gửi được báo cáo cho kỳ này.',
    )
    expect(await h.db.select().from(reports)).toHaveLength(0)
  })

  it('lists the one-message form in /huongdan for focal points only', async () => {
    await h.say.telegram(MINH, '/huongdan')
    expect(h.lastText(h.telegram, MINH)).toContain('/baocao hd 5, sp 3, pb 95%, kk không')
    await h.say.telegram(LAN, '/huongdan')
    expect(h.lastText(h.telegram, LAN)).not.toContain('/baocao')
  })
})

describe('status table as CSV', () => {
  it('starts with a BOM and keeps the Vietnamese diacritics', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao hd 5, sp 3, pb 95%, kk Thiếu kinh phí, cần hỗ trợ')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    const res = await h.api(`/report-periods/${p.id}/status?format=csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    // Semicolons and CRLF: a Vietnamese Excel opens it in columns (its list separator is ';').
    const lines = text.slice(1).trim().split('\r\n')
    expect(lines[0]).toContain('Mã đơn vị;Tên đơn vị;Trạng thái;Thời điểm gửi;Người gửi')
    expect(lines).toContain(
      'THCS-ANHOA;Trường THCS An Hòa;Đúng hạn;2026-06-10 09:00;Trần Văn Minh;1;5;3;95;Thiếu kinh phí, cần hỗ trợ;Trần Văn Minh;Có',
    )
    expect(lines).toContain('TH-CAIKHE;Trường Tiểu học Cái Khế;Chưa nộp;;;0;;;;;Chưa có đầu mối;Không')

    const english = await (await h.api(`/report-periods/${p.id}/status?format=csv&lang=en`)).text()
    expect(english).toContain('Unit code;Unit name;Status;Sent at;Sent by')
    expect(english).toContain('TH-CAIKHE;Trường Tiểu học Cái Khế;Missing;;;0;;;;;No focal point;No')
  })

  it('never lets text typed in chat become a spreadsheet formula', async () => {
    const p = await openPeriod()
    h.setNow('2026-06-10T09:00:00+07:00')
    await h.say.telegram(MINH, '/baocao hd 5, sp 3, pb 95%, kk @SUM(1+9)*cmd|calc')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    const text = await (await h.api(`/report-periods/${p.id}/status?format=csv`)).text()
    expect(text).toContain(`;95;'@SUM(1+9)*cmd|calc;Trần Văn Minh;`)
    expect(text).not.toContain(';@SUM')
  })
})
