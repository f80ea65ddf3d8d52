import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs } from '../helpers/console.js'
import { criteriaSet, FOCAL_POINT_LINKED, REPORTS_SENT, TEACHERS_DAY } from '../helpers/criteria-sets.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const MINH = '501'

/** A year's set: organisation (automatic), products (manual, per unit kind), one group for the Department only. */
const SET = criteriaSet([FOCAL_POINT_LINKED, REPORTS_SENT], [
  {
    code: 'B',
    title: 'Hoạt động và sản phẩm',
    criteria: [TEACHERS_DAY, { code: 'B2', title: 'Chuyên mục trên cổng thông tin phường', maxPoints: 15, weight: 2, type: 'manual', appliesTo: ['commune'] }],
  },
  { code: 'C', title: 'Chỉ đạo của Sở', appliesTo: ['department'], criteria: [{ code: 'C1', title: 'Ban hành kế hoạch năm', maxPoints: 5, type: 'manual' }] },
])

interface Criterion { code: string; points: number; maxPoints: number; selfPoints?: number | null; appraisedPoints?: number | null; comment?: string | null; evidence?: string[] }
interface UnitResult { unit: { code: string }; total: number; max: number; percent: number | null; band: string | null; rank: number | null; groups: { code: string; total: number; max: number; criteria: Criterion[] }[] }
interface Results { year: number; version: number | null; note: string | null; units: UnitResult[] }

const json = async <T>(res: Response) => (await res.json()) as T
const unitOf = (r: Results, code: string) => r.units.find((u) => u.unit.code === code)!
const criterionOf = (u: UnitResult, code: string) => u.groups.flatMap((g) => g.criteria).find((c) => c.code === code)
const self = (unit: string, code: string, body: unknown) => h.api(`/criteria/2026/units/${unit}/self/${code}`, { method: 'PUT', body })
const live = async () => json<Results>(await h.api('/criteria/2026/live'))

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.minh, 'telegram', MINH)
  expect((await h.api('/criteria/2026', { body: SET })).status).toBe(201)
})
afterEach(() => h.close())

describe('criteria set: data', () => {
  it('refuses a set that does not fit with a 422 in Vietnamese, and keeps the one saved', async () => {
    const bad = { groups: [{ code: 'A', title: 'Tổ chức', criteria: [{ code: 'A', title: 'Trùng mã, tự động mà không có cách đo', maxPoints: -1, type: 'automatic' }] }] }
    const res = await h.api('/criteria/2026', { body: bad })
    expect(res.status).toBe(422)
    const body = await json<{ error: { code: string; message: string; details: unknown } }>(res)
    expect(body.error.message).toBe('Bộ tiêu chí chưa hợp lệ; xem chi tiết từng trường.')
    const details = JSON.stringify(body.error.details)
    expect(details).toMatch(/maxPoints/)
    expect(details).toContain('Tiêu chí tự động cần nêu cách đo (metric); tiêu chí chấm tay thì không.')
    expect(details).toContain('Mã này đã dùng cho một nhóm hoặc tiêu chí khác.')
    const saved = await json<{ status: string; set: typeof SET }>(await h.api('/criteria/2026'))
    expect(saved.status).toBe('draft')
    expect(saved.set.groups).toHaveLength(3)
    expect((await h.api('/criteria/2031')).status).toBe(404)
  })

  it("scores a tree whose totals never exceed their maxima and leave out what does not apply to a unit's kind", async () => {
    await h.api('/criteria/2026/publish', { body: {} })
    expect((await self('THCS-ANHOA', 'B1', { points: 18, evidence: ['https://thcsanhoa.edu.vn/20-11'] })).status).toBe(200)
    expect((await self('P-NINHKIEU', 'B2', { points: 15, evidence: ['https://ninhkieu.cantho.gov.vn/nq71'] })).status).toBe(200)
    const r = await live()
    // The same records give byte-identical results.
    expect(JSON.stringify(await live())).toBe(JSON.stringify(r))
    const school = unitOf(r, 'THCS-ANHOA')
    // A1 + A2 + B1; B2 (communes) and C (the Department) left out of points and maximum.
    expect(school.max).toBe(40)
    expect(school.groups.map((g) => g.code)).toEqual(['A', 'B'])
    expect(criterionOf(school, 'A1')!.points).toBe(10) // Minh, the focal point, is linked
    expect(criterionOf(school, 'B1')!.points).toBe(18)
    expect(criterionOf(school, 'B2')).toBeUndefined()
    const ward = unitOf(r, 'P-NINHKIEU')
    expect(ward.max).toBe(10 + 10 + 15 * 2) // B2 weighs 2
    expect(ward.total).toBe(30) // no focal point (0), no report due (0), B2 15 × 2
    const dept = unitOf(r, 'SGDDT')
    expect(dept.max).toBe(15) // A1 and C1; A2 is for schools and communes
    for (const u of r.units) {
      expect(u.total).toBeLessThanOrEqual(u.max)
      for (const g of u.groups) {
        expect(g.total).toBeLessThanOrEqual(g.max)
        for (const c of g.criteria) expect(c.points).toBeLessThanOrEqual(c.maxPoints)
      }
    }
    // 28/40 = 70 % (Tốt), 30/50 = 60 % (Khá), 0/15 (Trung bình); ranks by percent.
    expect([school.percent, school.band, school.rank]).toEqual([70, 'Tốt', 1])
    expect([ward.percent, ward.band, ward.rank]).toEqual([60, 'Khá', 2])
    expect([dept.percent, dept.band, dept.rank]).toEqual([0, 'Trung bình', 3])
    // An appraisal above the maximum is refused; within it, it replaces the self-assessment.
    const over = await h.api('/criteria/2026/units/THCS-ANHOA/appraisal/B1', { method: 'PUT', body: { points: 25, comment: 'Quá điểm' } })
    expect(over.status).toBe(422)
    expect((await json<{ error: { message: string } }>(over)).error.message).toBe('Điểm 25 vượt điểm tối đa 20 của tiêu chí "B1".')
    expect((await h.api('/criteria/2026/units/THCS-ANHOA/appraisal/B1', { method: 'PUT', body: { points: 15, comment: 'Minh chứng chưa có ảnh hoạt động.' } })).status).toBe(200)
    const b1 = criterionOf(unitOf(await live(), 'THCS-ANHOA'), 'B1')!
    expect(b1).toMatchObject({ points: 15, selfPoints: 18, appraisedPoints: 15, comment: 'Minh chứng chưa có ảnh hoạt động.', evidence: ['https://thcsanhoa.edu.vn/20-11'] })
  })
})

describe('criteria set: workflow', () => {
  it('refuses a manual criterion without evidence with a 422 in Vietnamese, and changes nothing', async () => {
    const early = await self('THCS-ANHOA', 'B1', { points: 15, evidence: ['https://thcsanhoa.edu.vn/20-11'] })
    expect(early.status).toBe(422)
    expect((await json<{ error: { message: string } }>(early)).error.message).toBe('Bộ tiêu chí năm 2026 chưa được công bố nên chưa tự đánh giá được.')
    await h.api('/criteria/2026/publish', { body: {} })
    const res = await self('THCS-ANHOA', 'B1', { points: 15, note: 'Đã tổ chức' })
    expect(res.status).toBe(422)
    expect((await json<{ error: { message: string } }>(res)).error.message).toBe('Tiêu chí "B1" cần minh chứng (ít nhất một đường dẫn) trước khi tự chấm điểm lớn hơn 0.')
    expect(criterionOf(unitOf(await live(), 'THCS-ANHOA'), 'B1')).toMatchObject({ points: 0, selfPoints: null })
    // Zero needs no evidence; a criterion of another kind, an automatic one, an unknown unit are refused.
    expect((await self('THCS-ANHOA', 'B1', { points: 0 })).status).toBe(200)
    expect((await self('THCS-ANHOA', 'B2', { points: 1, evidence: ['https://x.vn/a'] })).status).toBe(422)
    expect((await self('THCS-ANHOA', 'A1', { points: 1, evidence: ['https://x.vn/a'] })).status).toBe(422)
    expect((await self('KHONG-CO', 'B1', { points: 1, evidence: ['https://x.vn/a'] })).status).toBe(404)
    expect((await self('THCS-ANHOA', 'B1', { points: 1, evidence: ['javascript:alert(1)'] })).status).toBe(400)
  })

  it('freezes the year: a late report changes the live scores, not the snapshot; a re-freeze is version 2 with a note', async () => {
    // A report period due 10/03/2026 for schools; it is 16/03 and Trường THCS An Hòa has not sent it.
    const made = await h.api('/report-periods', { body: { name: 'Báo cáo quý I/2026', dueAt: '2026-03-10', unitKinds: ['school'] } })
    expect(made.status).toBe(201)
    const period = await json<{ id: number }>(made)
    await h.api('/criteria/2026/publish', { body: {} })
    expect((await h.api('/criteria/2026/results')).status).toBe(404)
    const frozen = await h.api('/criteria/2026/freeze', { body: {} })
    expect(frozen.status).toBe(201)
    const v1 = await json<Results>(await h.api('/criteria/2026/results'))
    expect(v1.version).toBe(1)
    expect(criterionOf(unitOf(v1, 'THCS-ANHOA'), 'A2')!.points).toBe(0)

    // The late report arrives in chat.
    await h.say.telegram(MINH, '/baocao hd 1, sp 1, pb 50, kk không')
    await h.say.press(MINH, `rp:${period.id}:confirm`)
    expect(criterionOf(unitOf(await live(), 'THCS-ANHOA'), 'A2')!.points).toBe(10)
    expect(await json<Results>(await h.api('/criteria/2026/results'))).toEqual(v1)
    // Frozen: no more self-assessment or set changes.
    expect((await self('THCS-ANHOA', 'B1', { points: 1, evidence: ['https://x.vn/a'] })).status).toBe(409)
    expect((await h.api('/criteria/2026', { body: SET })).status).toBe(409)

    const noNote = await h.api('/criteria/2026/freeze', { body: {} })
    expect(noNote.status).toBe(422)
    expect((await json<{ error: { message: string } }>(noNote)).error.message).toBe('Chốt lại kết quả (phiên bản 2) cần ghi chú lý do thay đổi.')
    expect((await h.api('/criteria/2026/freeze', { body: { note: 'Nhận báo cáo quý I muộn của THCS An Hòa' } })).status).toBe(201)
    const v2 = await json<Results>(await h.api('/criteria/2026/results'))
    expect([v2.version, v2.note]).toEqual([2, 'Nhận báo cáo quý I muộn của THCS An Hòa'])
    expect(criterionOf(unitOf(v2, 'THCS-ANHOA'), 'A2')!.points).toBe(10)
    expect(await json<Results>(await h.api('/criteria/2026/results?version=1'))).toEqual(v1)

    // Every unit's scores as an .xlsx.
    const xlsx = await h.api('/criteria/2026/results.xlsx?version=1')
    expect(xlsx.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await xlsx.arrayBuffer())
    const sheet = book.getWorksheet('Kết quả')!
    expect(sheet.getRow(1).values).toEqual([undefined, 'Mã đơn vị', 'Đơn vị', 'Loại', 'Điểm', 'Tối đa', 'Tỷ lệ (%)', 'Xếp loại', 'Hạng'])
    expect(sheet.rowCount).toBe(1 + v1.units.length)
    expect(book.getWorksheet('Chi tiết tiêu chí')!.rowCount).toBeGreaterThan(sheet.rowCount)
  })
})

describe('criteria set: console', () => {
  it("lists the years, shows every unit's scores, and takes the account's own unit's self-assessment (refused without evidence)", async () => {
    const minh = await signedInAs(h, ids.minh, 'editor')
    const list = await minh.text(await minh.get('/admin/criteria'))
    expect(list).toContain('Bộ tiêu chí')
    expect(list).toMatch(/2026 Bản nháp 3 5 0/)
    // Draft: the scores computed now, no form yet.
    const draft = await minh.get('/admin/criteria/2026')
    expect(draft.status).toBe(200)
    const draftHtml = await draft.text()
    expect(draftHtml).not.toContain('action="/admin/criteria/2026/self"')
    expect(draftHtml).toContain('data-unit="THCS-ANHOA"')

    await h.api('/criteria/2026/publish', { body: {} })
    const page = await minh.text(await minh.get('/admin/criteria/2026'))
    expect(page).toContain('Tự đánh giá: Trường THCS An Hòa')
    const refused = await minh.post('/admin/criteria/2026/self', { criterion: 'B1', points: '15', note: 'Đã tổ chức', evidence: '' })
    expect(refused.status).toBe(422)
    expect(await minh.text(refused)).toContain('Tiêu chí "B1" cần minh chứng (ít nhất một đường dẫn) trước khi tự chấm điểm lớn hơn 0.')
    const bad = await minh.post('/admin/criteria/2026/self', { criterion: 'B1', points: 'mười', evidence: 'https://thcsanhoa.edu.vn/20-11' })
    expect(bad.status).toBe(422)
    expect(criterionOf(unitOf(await live(), 'THCS-ANHOA'), 'B1')!.selfPoints).toBeNull()

    const saved = await minh.post('/admin/criteria/2026/self', { criterion: 'B1', points: '15', evidence: 'https://thcsanhoa.edu.vn/20-11\nhttps://thcsanhoa.edu.vn/anh' })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/admin/criteria/2026?saved=B1')
    expect(criterionOf(unitOf(await live(), 'THCS-ANHOA'), 'B1')).toMatchObject({ selfPoints: 15, evidence: ['https://thcsanhoa.edu.vn/20-11', 'https://thcsanhoa.edu.vn/anh'] })

    // A viewer has no form and the post is refused; after freezing, the page shows the version and the download.
    const lan = await signedInAs(h, ids.lan, 'viewer')
    expect(await (await lan.get('/admin/criteria/2026')).text()).not.toContain('action="/admin/criteria/2026/self"')
    expect((await lan.post('/admin/criteria/2026/self', { criterion: 'B1', points: '1', evidence: 'https://x.vn/a' })).status).toBe(403)
    await h.api('/criteria/2026/freeze', { body: {} })
    const frozen = await minh.text(await minh.get('/admin/criteria/2026'))
    expect(frozen).toContain('Đã chốt. Phiên bản 1')
    const xlsx = await minh.get('/admin/criteria/2026/results.xlsx')
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml')
  })

  it('lets an editor self-assess over the API only for their own unit', async () => {
    await h.api('/criteria/2026/publish', { body: {} })
    await h.api(`/people/${ids.minh}/console-role`, { method: 'PUT', body: { role: 'editor' } })
    const minted = await h.api('/tokens', { body: { personId: ids.minh, label: 'tự đánh giá' } })
    expect(minted.status).toBe(201)
    const { token } = (await minted.json()) as { token: string }
    const body = { points: 1, evidence: ['https://x.vn/a'] }
    expect((await h.api('/criteria/2026/units/P-NINHKIEU/self/B2', { method: 'PUT', body, token })).status).toBe(403)
    expect((await h.api('/criteria/2026/units/THCS-ANHOA/self/B1', { method: 'PUT', body, token })).status).toBe(200)
    // Appraisal and freezing are the Department's (admins).
    expect((await h.api('/criteria/2026/units/THCS-ANHOA/appraisal/B1', { method: 'PUT', body: { points: 1, comment: 'Đạt' }, token })).status).toBe(403)
    expect((await h.api('/criteria/2026/freeze', { body: {}, token })).status).toBe(403)
  })
})
