import { afterEach, describe, expect, it } from 'vitest'
import { signedInAs } from '../helpers/console.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

interface Listed {
  id: number
  status: string
  scheduledAt: string
  observance: { monthDay: string; name: string; daysBefore: number; yearly: boolean; year: number } | null
}

async function start() {
  h = await startHarness()
  expect((await h.api('/jobs/calendar-refill/run', { body: {} })).status).toBe(200)
  const ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  return ids
}
const brief = (observance: unknown, extra: Record<string, unknown> = {}) => ({
  kind: 'brief',
  title: 'Tri ân thầy cô',
  body: 'Chuẩn bị các hoạt động chào mừng Ngày Nhà giáo Việt Nam.',
  audience: { unitCodes: ['THCS-ANHOA'] },
  observance,
  ...extra,
})
async function listed(): Promise<Listed[]> {
  const res = await h.api('/broadcasts?limit=500')
  const body = (await res.json()) as { broadcasts?: Listed[]; items?: Listed[] }
  return (body.broadcasts ?? body.items)!
}
const runJob = async () => (await h.api('/jobs/broadcasts/run', { body: {} })).json() as Promise<Record<string, unknown>>

describe('a brief tied to a commemoration', () => {
  it('3 days before 20/11: scheduled 17/11 07:30, sent then, next year\'s copy queued once (17/11/2027 07:30)', async () => {
    await start()
    const res = await h.api('/broadcasts', { body: brief({ date: '11-20', daysBefore: 3 }) })
    expect(res.status).toBe(201)
    const created = (await res.json()) as Listed
    expect(created).toMatchObject({
      status: 'scheduled',
      scheduledAt: '2026-11-17T00:30:00.000Z', // Tuesday 07:30 in Asia/Ho_Chi_Minh
      observance: { monthDay: '11-20', name: 'Ngày Nhà giáo Việt Nam', daysBefore: 3, yearly: true, year: 2026 },
    })

    // Not yet: the job queues nothing, and no copy exists before this one goes out.
    h.setNow('2026-11-17T00:29:00Z')
    expect(await runJob()).toMatchObject({ expanded: 0 })
    expect(await listed()).toHaveLength(1)

    h.setNow('2026-11-17T00:31:00Z')
    expect(await runJob()).toMatchObject({ expanded: 1 })
    await h.flush()
    expect(h.telegram.sentTo('101').length).toBeGreaterThan(0)
    // The copy is queued in the same run or the next; never a second one.
    await runJob()
    await runJob()
    const all = await listed()
    expect(all).toHaveLength(2)
    const copy = all.find((b) => b.id !== created.id)!
    expect(copy).toMatchObject({
      status: 'scheduled',
      scheduledAt: '2027-11-17T00:30:00.000Z', // Wednesday
      observance: { monthDay: '11-20', daysBefore: 3, yearly: true, year: 2027 },
    })

    // A year later the copy goes out and queues 2028's, once.
    h.setNow('2027-11-17T00:31:00Z')
    expect(await runJob()).toMatchObject({ expanded: 1 })
    await runJob()
    const years = (await listed()).map((b) => b.observance?.year).sort()
    expect(years).toEqual([2026, 2027, 2028])
  })

  it('moves to the previous working day: 5 days before 20/11/2026 is Sunday 15/11 → Friday 13/11 07:30; not yearly → no copy', async () => {
    await start()
    const res = await h.api('/broadcasts', { body: brief({ date: '2026-11-20', daysBefore: 5, yearly: false }) })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ scheduledAt: '2026-11-13T00:30:00.000Z', observance: { yearly: false } })
    h.setNow('2026-11-13T01:00:00Z')
    expect(await runJob()).toMatchObject({ expanded: 1 })
    await runJob()
    expect(await listed()).toHaveLength(1)
  })

  it('past this year\'s day: the next occurrence (20/11 seen from 18/11/2026 is 20/11/2027)', async () => {
    await start()
    h.setNow('2026-11-18T02:00:00Z')
    const res = await h.api('/broadcasts', { body: brief({ date: '11-20', daysBefore: 3 }) })
    expect(await res.json()).toMatchObject({ scheduledAt: '2027-11-17T00:30:00.000Z', observance: { year: 2027 } })
  })

  it('refuses bad input with a Vietnamese 422 and writes nothing', async () => {
    await start()
    const cases: [unknown, Record<string, unknown>, number, RegExp][] = [
      [{ date: '12-25', daysBefore: 3 }, {}, 422, /không có ngày kỷ niệm 12-25/],
      [{ date: '11-20', daysBefore: 61 }, {}, 422, /từ 0 đến 60/],
      [{ date: '11-20', daysBefore: -1 }, {}, 422, /từ 0 đến 60/],
      [{ date: '11-20', daysBefore: 3 }, { scheduledAt: '2026-11-10T00:00:00Z' }, 422, /Chỉ chọn một/],
      // Shape errors are the API's usual 400, in the same words.
      [{ date: '11-20', daysBefore: 1.5 }, {}, 400, /từ 0 đến 60/],
      [{ date: '20/11', daysBefore: 3 }, {}, 400, /MM-DD/],
    ]
    for (const [observance, extra, status, message] of cases) {
      const res = await h.api('/broadcasts', { body: brief(observance, extra) })
      expect(res.status, JSON.stringify(observance)).toBe(status)
      // 422: the message says it; 400: the field's detail does.
      expect(JSON.stringify(await res.json())).toMatch(message)
    }
    expect(await listed()).toHaveLength(0)
  })

  it('is chosen in the console: "Gửi trước ngày kỷ niệm", the calendar\'s list, N; preview shows 17/11 07:30; sent → scheduled yearly; bad N → 422', async () => {
    const ids = await start()
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const form = await (await admin.get('/admin/broadcasts/new')).text()
    expect(form).toContain('Gửi trước ngày kỷ niệm')
    expect(form).toContain('<option value="11-20">20/11 — Ngày Nhà giáo Việt Nam</option>')
    const fields = {
      kind: 'brief',
      title: 'Tri ân thầy cô',
      body: 'Nội dung',
      audienceShown: '1',
      includeSubunits: 'on',
      unitCodes: 'THCS-ANHOA',
      when: 'observance',
      observanceDate: '11-20',
      observanceDaysBefore: '3',
      observanceYearly: 'on',
      action: 'preview',
    }
    const bad = await admin.post('/admin/broadcasts/new', { ...fields, observanceDaysBefore: '90' })
    expect(bad.status).toBe(422)
    expect(await admin.text(bad)).toContain('Số ngày gửi trước (90) phải từ 0 đến 60.')
    const previewed = await (await admin.post('/admin/broadcasts/new', fields)).text()
    expect(previewed).toContain('Hẹn gửi tới 1 người lúc 07:30 17/11/2026')
    const checked = /name="checked" value="([^"]+)"/.exec(previewed)?.[1]
    const sent = await admin.post('/admin/broadcasts/new', { ...fields, action: 'send', checked: checked! })
    expect(sent.status).toBe(303)
    const page = await admin.text(await admin.get(sent.headers.get('location')!))
    expect(page).toContain('3 ngày trước 20/11 (Ngày Nhà giáo Việt Nam), lặp lại hằng năm')
    expect(await listed()).toEqual([
      expect.objectContaining({ scheduledAt: '2026-11-17T00:30:00.000Z', observance: expect.objectContaining({ monthDay: '11-20', daysBefore: 3, yearly: true, year: 2026 }) }),
    ])
  })
})
