import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

describe('admin API auth', () => {
  it.each([
    ['GET', '/units'],
    ['POST', '/units'],
    ['GET', '/people'],
    ['POST', '/people'],
    ['POST', '/people/1/invites'],
    ['POST', '/jobs/prune-updates/run'],
  ])('%s %s refuses a missing or wrong token with 401', async (method, path) => {
    for (const token of [null, 'wrong-token-wrong-token']) {
      const res = await h.api(path, { method, token, body: method === 'POST' ? {} : undefined })
      expect(res.status).toBe(401)
      expect((await res.json()).error.code).toBe('unauthorized')
    }
  })
})

describe('units and people', () => {
  it('upserts units by code and keeps the tree', async () => {
    await seedDirectory(h)
    const again = await h.api('/units', { body: { code: 'THCS-ANHOA', name: 'Trường THCS An Hòa (mới)', kind: 'school', parentCode: 'P-NINHKIEU', staffCount: 65 } })
    expect(again.status).toBe(200)
    const list = await (await h.api('/units')).json()
    expect(list.total).toBe(3)
    expect(list.items.find((u: { code: string }) => u.code === 'THCS-ANHOA')).toMatchObject({ name: 'Trường THCS An Hòa (mới)', parentCode: 'P-NINHKIEU', staffCount: 65 })
  })

  it.each([
    [{ code: 'X', name: 'X', kind: 'planet' }, 400],
    [{ code: '', name: 'X', kind: 'school' }, 400],
    [{ code: 'X', name: 'X', kind: 'school', staffCount: -1 }, 400],
    [{ code: 'X', name: 'X', kind: 'school', parentCode: 'NOPE' }, 422],
    [[{ code: 'A', name: 'A', kind: 'school', parentCode: 'B' }, { code: 'B', name: 'B', kind: 'school', parentCode: 'A' }], 422],
  ])('refuses %j with %i and writes nothing', async (body, status) => {
    const res = await h.api('/units', { body })
    expect(res.status).toBe(status)
    expect((await res.json()).error.message).toBeTruthy()
    expect((await (await h.api('/units')).json()).total).toBe(0)
  })

  it('answers errors in Vietnamese, or in English when the request asks for it', async () => {
    const noToken = await h.api('/units', { token: null })
    expect(noToken.status).toBe(401)
    expect((await noToken.json()).error.message).toBe('Cần mã quản trị hoặc mã API hợp lệ (Authorization: Bearer <ADMIN_TOKEN> hoặc Bearer loa_…).')
    const english = await h.app.request('/api/units', { headers: { 'accept-language': 'en-US,en;q=0.9,vi;q=0.5' } })
    expect((await english.json()).error.message).toMatch(/^A valid admin token or API token is required/)

    // zod's own messages and the app's field checks, in the reader's language, field by field.
    const bad = { title: 'Quán triệt', kind: 'party', opensAt: '2026-03-16T03:00:00Z', closesAt: '2026-03-16T02:00:00Z' }
    const vi = await (await h.api('/sessions', { body: bad })).json()
    expect(vi.error).toMatchObject({ code: 'invalid_input', message: 'Yêu cầu chưa hợp lệ; xem chi tiết từng trường.' })
    expect(vi.error.details.find((d: { path: string }) => d.path === 'kind').message).toMatch(/^Tùy chọn không hợp lệ|^Đầu vào không hợp lệ/)
    const en = await (await h.api('/sessions?lang=en', { body: bad })).json()
    expect(en.error.details.find((d: { path: string }) => d.path === 'kind').message).toMatch(/^Invalid option/)
    const backwards = { ...bad, kind: 'briefing' }
    expect((await (await h.api('/sessions', { body: backwards })).json()).error.details).toEqual([
      { path: 'closesAt', message: 'closesAt phải sau opensAt' },
    ])
    expect((await (await h.api('/sessions?lang=en', { body: backwards })).json()).error.details).toEqual([
      { path: 'closesAt', message: 'closesAt must be after opensAt' },
    ])

    const cycle = [{ code: 'A', name: 'A', kind: 'school', parentCode: 'B' }, { code: 'B', name: 'B', kind: 'school', parentCode: 'A' }]
    const refused = await (await h.api('/units', { body: cycle })).json()
    expect(refused.error.message).toBe('2 bản ghi không lưu được; chưa có gì được ghi.')
    expect(refused.error.details.map((d: { message: string }) => d.message)).toEqual([
      'đơn vị cấp trên B sẽ tạo vòng lặp trong cây đơn vị',
      'không có đơn vị cấp trên mã A',
    ])
    // One record on its own is checked field by field, like a list of one.
    const single = await (await h.api('/units', { body: { code: 'A B', name: 'A', kind: 'school' } })).json()
    expect(single.error.details).toEqual([{ path: '0.code', message: 'chỉ gồm chữ, số, ".", "_" hoặc "-"' }])
    const empty = await (await h.api('/broadcasts', { body: { title: ' ', body: '' } })).json()
    expect(empty.error.details.map((d: { message: string }) => d.message)).toEqual(['tiêu đề đang để trống', 'nội dung đang để trống'])
    const unknownRoute = await h.app.request('/api/khong-co?lang=en', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(await unknownRoute.json()).toMatchObject({ error: { code: 'not_found', message: 'No route for GET /api/khong-co.' } })
  })

  it('refuses malformed JSON with 400', async () => {
    const res = await h.api('/units', { body: '{"code": ' })
    expect(res.status).toBe(400)
  })

  it('refuses a person in an unknown unit with 422, naming it', async () => {
    await seedDirectory(h)
    const res = await h.api('/people', { body: { fullName: 'Ai Đó', unitCode: 'KHONG-CO', roles: ['teacher'] } })
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('KHONG-CO')
  })

  it('upserts people by externalId and filters by unit and role', async () => {
    await seedDirectory(h)
    await h.api('/people', { body: { externalId: 'GV001', fullName: 'Nguyễn Thị Lan', unitCode: 'THCS-ANHOA', roles: ['teacher', 'comms_staff'] } })
    const comms = await (await h.api('/people?role=comms_staff')).json()
    expect(comms.items.map((p: { externalId: string }) => p.externalId)).toEqual(['GV001'])
    const all = await (await h.api('/people?unitCode=THCS-ANHOA')).json()
    expect(all.total).toBe(2)
    expect(JSON.stringify(all)).not.toContain('phone')
    expect((await h.api('/people?unitCode=NOPE')).status).toBe(404)
    expect((await h.api('/people?role=chef')).status).toBe(400)
  })

  it('404s an invite for an unknown person', async () => {
    expect((await h.api('/people/999/invites', { body: {} })).status).toBe(404)
    expect((await h.api('/people/abc/invites', { body: {} })).status).toBe(404)
  })
})
