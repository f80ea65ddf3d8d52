import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs } from '../helpers/console.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/** Minh: the school's focal point, on Telegram. */
const MINH = '501'
const at8 = (day: string) => `${day}T08:00:00+07:00`

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
async function setup(env: Record<string, string> = {}) {
  h = await startHarness(env)
  ids = await seedDirectory(h)
  await enroll(h, ids.minh, 'telegram', MINH)
  expect((await h.api('/jobs/calendar-refill/run', { body: {} })).status).toBe(200)
}
beforeEach(() => setup())
afterEach(() => h.close())

interface Period {
  id: number
  dueAt: string
  effectiveDueAt: string
}

async function openPeriod(dueAt: string, body: Record<string, unknown> = {}): Promise<Period> {
  const res = await h.api('/report-periods', { body: { name: `Báo cáo hạn ${dueAt}`, dueAt, unitKinds: ['school'], ...body } })
  expect(res.status).toBe(201)
  return (await res.json()) as Period
}

const reminders = () => h.texts(h.telegram, MINH).filter((t) => t.includes('Báo cáo hạn'))

/** Runs the 08:00 reminders from 1 to 12 February 2027; the days Minh got a reminder. */
async function sentDays(): Promise<string[]> {
  const sent: string[] = []
  for (let d = 1; d <= 12; d++) {
    const day = `2027-02-${String(d).padStart(2, '0')}`
    const before = reminders().length
    h.setNow(at8(day))
    expect((await h.api('/jobs/reminders/run', { body: { now: at8(day) } })).status).toBe(200)
    await h.flush()
    if (reminders().length > before) sent.push(day)
  }
  return sent
}

describe('deadlines on the working-day calendar', () => {
  it('moves a deadline on Giỗ Tổ 2026 (Sunday 26 April; Monday 27 observed) to the end of Tuesday 28 April, keeping dueAt', async () => {
    const p = await openPeriod('2026-04-26')
    expect(p.dueAt).toBe('2026-04-26T16:59:59.000Z')
    expect(p.effectiveDueAt).toBe('2026-04-28T16:59:59.000Z')
    const status = (await (await h.api(`/report-periods/${p.id}/status`)).json()) as { period: Period }
    expect(status.period).toMatchObject({ dueAt: '2026-04-26T16:59:59.000Z', effectiveDueAt: '2026-04-28T16:59:59.000Z' })
    // The status page says both.
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.text(await admin.get(`/admin/periods/${p.id}`))
    expect(page).toContain('Hạn theo lịch làm việc 23:59 28/04/2026 (hạn rơi vào ngày nghỉ')
  })

  it('counts a swapped Saturday as a working day, and a swapped day off as a day off', async () => {
    expect((await h.api('/calendar/days/2026-05-09', { method: 'PUT', body: { kind: 'swap_work', name: 'Làm bù' } })).status).toBe(200)
    expect((await h.api('/calendar/days/2026-05-11', { method: 'PUT', body: { kind: 'swap_off', name: 'Nghỉ bù' } })).status).toBe(200)
    const saturday = await openPeriod('2026-05-09')
    expect(saturday.effectiveDueAt).toBe(saturday.dueAt)
    const sunday = await openPeriod('2026-05-10')
    expect(sunday.effectiveDueAt).toBe('2026-05-12T16:59:59.000Z')
  })

  it('moves a deadline inside Tết 2027 past the block, says so in the reminder, and counts a report before it on time', async () => {
    // Tết 2027: eve Friday 5 February to Tuesday 9, Saturday and Sunday observed on Wednesday 10 and Thursday 11.
    const p = await openPeriod('2027-02-08', { remindDaysBefore: [3], escalateDaysAfter: [1] })
    expect(p.effectiveDueAt).toBe('2027-02-12T16:59:59.000Z')
    const sent: Record<string, number> = {}
    for (let d = 1; d <= 15; d++) {
      const day = `2027-02-${String(d).padStart(2, '0')}`
      const before = reminders().length
      h.setNow(at8(day))
      expect((await h.api('/jobs/reminders/run', { body: { now: at8(day) } })).status).toBe(200)
      await h.flush()
      if (reminders().length > before) sent[day] = reminders().length - before
    }
    // T-3 from the deadline in force (Tuesday 9, in Tết) comes on Thursday 4, the last working day before Tết;
    // the escalation (a day after the deadline in force) Monday 15; nothing during Tết or at the weekend.
    expect(sent).toEqual({ '2027-02-04': 1, '2027-02-15': 1 })
    const first = reminders()[0]!
    expect(first).toContain('12/02/2027')
    expect(first).toContain('Hạn 08/02/2027 rơi vào ngày nghỉ nên được lùi đến hết ngày 12/02/2027 (Điều 148 Bộ luật Dân sự 2015).')
  })

  it('sends a reminder whose day falls in Tết on the last working day before it, and none during it', async () => {
    // Due Friday 12 February 2027; the day before (Thursday 11) is an observed day off of Tết.
    const p = await openPeriod('2027-02-12', { remindDaysBefore: [1], escalateDaysAfter: [] })
    // The console's preview says the same, read before anything is sent.
    const preview = async (day: string) => ((await (await h.api(`/report-periods/${p.id}/reminders?day=${day}`)).json()) as { items: unknown[] }).items
    expect(await preview('2027-02-04')).toEqual([expect.objectContaining({ fullName: 'Trần Văn Minh', kind: 'before' })])
    expect(await preview('2027-02-11')).toEqual([])
    expect(await sentDays()).toEqual(['2027-02-04'])
    expect(reminders()[0]).toContain('còn 8 ngày')
  })

  it('sends it on the working day after instead, or not at all, as REMINDER_ON_DAY_OFF says', async () => {
    const expected = { next: ['2027-02-12'], skip: [] as string[] }
    for (const [setting, days] of Object.entries(expected)) {
      await h.close()
      await setup({ REMINDER_ON_DAY_OFF: setting })
      await openPeriod('2027-02-12', { remindDaysBefore: [1], escalateDaysAfter: [] })
      expect([setting, await sentDays()]).toEqual([setting, days])
    }
  })

  it('counts a report sent after the deadline as set but before the deadline in force as on time', async () => {
    const p = await openPeriod('2026-04-26')
    h.setNow('2026-04-28T10:00:00+07:00')
    await h.say.telegram(MINH, 'bao cao hd 2, sp 1, pb 100%, kk không')
    await h.say.press(MINH, `rp:${p.id}:confirm`)
    expect(h.lastText(h.telegram, MINH)).toContain('đúng hạn')
    const status = (await (await h.api(`/report-periods/${p.id}/status`)).json()) as { items: { unitCode: string; status: string }[] }
    expect(status.items.find((i) => i.unitCode === 'THCS-ANHOA')?.status).toBe('on_time')
  })
})
