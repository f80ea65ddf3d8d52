import { afterEach, describe, expect, it } from 'vitest'
import { signedInAs } from '../helpers/console.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

describe('/admin/calendar', () => {
  it('lists the year, warns 60 days before an unconfirmed Tết, and lets an admin confirm, add and remove days', async () => {
    h = await startHarness()
    const ids = await seedDirectory(h)
    await h.api('/jobs/calendar-refill/run', { body: {} })
    let admin = await signedInAs(h, ids.phuc, 'admin')

    let page = await admin.get('/admin/calendar')
    expect(page.status).toBe(200)
    let text = await admin.text(page)
    expect(text).toContain('Lịch làm việc năm 2026')
    expect(text).toContain('Nghỉ bù: Giỗ Tổ Hùng Vương')
    expect(text).not.toContain('Chưa xác nhận: ') // 1/9 is more than 60 days away

    h.setNow('2026-12-20T02:00:00Z')
    await h.api('/jobs/calendar-refill/run', { body: {} })
    admin = await signedInAs(h, ids.phuc, 'admin') // the session of nine months ago has ended
    text = await admin.text(await admin.get('/admin/calendar?year=2027'))
    expect(text).toContain('Chưa xác nhận: 7 ngày nghỉ trong 60 ngày tới, sớm nhất 05/02/2027 (Tết Nguyên đán (giao thừa))')

    // The official days confirmed one by one, a swapped Saturday added, a day removed.
    for (const date of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11']) {
      const res = await admin.post(`/admin/calendar/${date}/confirm`)
      expect(res.status).toBe(303)
    }
    const added = await admin.post('/admin/calendar', { date: '20/02/2027', kind: 'swap_work', name: 'Làm bù' })
    expect([added.status, added.headers.get('location')]).toEqual([303, '/admin/calendar?year=2027&saved=2027-02-20'])
    expect((await admin.post('/admin/calendar/2027-06-01/remove')).status).toBe(303)
    page = await admin.get('/admin/calendar?year=2027')
    text = await admin.text(page)
    expect(text).not.toContain('Chưa xác nhận: ')
    const days = ((await (await h.api('/calendar?year=2027')).json()) as { days: { date: string; kind: string }[] }).days
    expect(days.find((d) => d.date === '2027-02-20')).toMatchObject({ kind: 'swap_work' })
    expect(days.find((d) => d.date === '2027-06-01')).toBeUndefined()

    // Bad input: a clear Vietnamese error, nothing saved.
    const bad = await admin.post('/admin/calendar', { date: '31/02/2027', kind: 'holiday', name: 'x' })
    expect(bad.status).toBe(422)
    expect(await admin.text(bad)).toContain('Ngày "31/02/2027" chưa đúng dạng dd/mm/yyyy hoặc không có thật.')
    const weekday = await admin.post('/admin/calendar', { date: '03/03/2027', kind: 'swap_work', name: 'Làm bù' })
    expect(weekday.status).toBe(422)
    expect(await admin.text(weekday)).toContain('Ngày 2027-03-03 không phải thứ Bảy hay Chủ nhật')
  })

  it('shows a viewer the calendar without the forms, and refuses their changes', async () => {
    h = await startHarness()
    const ids = await seedDirectory(h)
    await h.api('/jobs/calendar-refill/run', { body: {} })
    const viewer = await signedInAs(h, ids.minh, 'viewer')
    const page = await viewer.get('/admin/calendar')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Giỗ Tổ Hùng Vương')
    expect(html).not.toContain('action="/admin/calendar"')
    expect((await viewer.post('/admin/calendar', { date: '02/03/2026', kind: 'holiday', name: 'x' })).status).toBe(403)
    expect((await viewer.post('/admin/calendar/2026-04-26/remove')).status).toBe(403)
  })

  it('asks for a confirmation before a brief is scheduled on a holiday', async () => {
    h = await startHarness()
    const ids = await seedDirectory(h)
    await h.api('/jobs/calendar-refill/run', { body: {} })
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const fields = {
      kind: 'brief',
      title: 'Chào mừng 30/4',
      body: 'Nội dung',
      audienceShown: '1',
      includeSubunits: 'on',
      when: 'later',
      scheduledDate: '30/04/2026',
      scheduledTime: '08:00',
      action: 'preview',
    }
    const previewed = await admin.post('/admin/broadcasts/new', fields)
    const html = await previewed.text()
    expect(html).toContain('Thời điểm hẹn gửi rơi vào ngày nghỉ (30/04/2026: Ngày Chiến thắng 30/4)')
    const checked = /name="checked" value="([^"]+)"/.exec(html)?.[1]
    expect(checked).toBeTruthy()
    const unconfirmed = await admin.post('/admin/broadcasts/new', { ...fields, action: 'send', checked: checked! })
    expect(unconfirmed.status).toBe(200)
    expect(await admin.text(unconfirmed)).toContain('Chưa xác nhận gửi vào ngày nghỉ: chưa gửi gì.')
    expect(((await (await h.api('/broadcasts')).json()) as { total: number }).total).toBe(0)
    const confirmed = await admin.post('/admin/broadcasts/new', { ...fields, action: 'send', checked: checked!, confirmDayOff: '1' })
    expect(confirmed.status).toBe(303)
    expect(((await (await h.api('/broadcasts')).json()) as { total: number }).total).toBe(1)
    // A working day asks nothing.
    const weekday = await admin.post('/admin/broadcasts/new', { ...fields, scheduledDate: '28/04/2026' })
    expect(await weekday.text()).not.toContain('data-day-off')
  })
})
