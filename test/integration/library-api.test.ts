import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { LIBRARY_CORPUS, LIBRARY_VECTORS, LIBRARY_VECTOR_YEAR } from '../fixtures/library-vectors.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

const json = async (path: string, init: Parameters<Harness['api']>[1] = {}) => {
  const res = await h.api(path, init)
  return { status: res.status, body: (await res.json()) as any }
}

/** A viewer (Lan), an editor (Minh) and an admin (Phúc), each with an API token. */
async function roles() {
  const ids = await seedDirectory(h)
  const token = async (personId: number, role: string) => {
    expect((await h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })).status).toBe(200)
    return ((await (await h.api('/tokens', { body: { personId, label: role } })).json()) as { token: string }).token
  }
  return { ids, viewer: await token(ids.lan, 'viewer'), editor: await token(ids.minh, 'editor'), admin: await token(ids.phuc, 'admin') }
}

describe('the library API', () => {
  it('lets an editor add and edit, shows drafts marked to editors only, and lets only an admin delete', async () => {
    h = await startHarness()
    h.setNow('2026-03-16T02:00:00Z')
    const { ids, viewer, editor, admin } = await roles()
    const made = await json('/library', {
      token: editor,
      body: {
        kind: 'infographic',
        title: 'Đường đến trường an toàn',
        summary: 'Năm điều cần nhớ',
        tags: ['Nghị quyết 71', 'An toàn'],
        audience: 'public',
        ownerUnitCode: 'THCS-ANHOA',
        publishedAt: '2026-03-10T08:00:00+07:00',
      },
    })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ status: 'published', scheduled: false, countsTowardTarget: true, ownerUnitCode: 'THCS-ANHOA', slug: 'duong-den-truong-an-toan', createdBy: ids.minh })
    const draft = await json('/library', { token: editor, body: { kind: 'faq', title: 'Hỏi đáp về đường đến trường' } })
    expect(draft.body).toMatchObject({ status: 'draft', countsTowardTarget: false, audience: 'internal' })

    // Editors see the draft, marked; a viewer only what is published.
    const forEditor = await json('/library?q=duong', { token: editor })
    expect(forEditor.body.items.map((p: any) => [p.title, p.status]).sort()).toEqual([
      ['Hỏi đáp về đường đến trường', 'draft'],
      ['Đường đến trường an toàn', 'published'],
    ])
    expect(forEditor.body.items[0].score).toBeGreaterThanOrEqual(forEditor.body.items[1].score)
    const forViewer = await json('/library?q=duong', { token: viewer })
    expect(forViewer.body.items.map((p: any) => p.title)).toEqual(['Đường đến trường an toàn'])
    expect((await json(`/library/${draft.body.id}`, { token: viewer })).status).toBe(404)
    expect((await json(`/library/${draft.body.id}`, { token: editor })).body.status).toBe('draft')
    expect((await json('/library?tag=nq71&kind=infographic&year=2026', { token: viewer })).body.items).toHaveLength(1)
    expect((await json('/library?status=draft', { token: editor })).body.items.map((p: any) => p.id)).toEqual([draft.body.id])

    const edited = await json(`/library/${made.body.id}`, { token: editor, method: 'PATCH', body: { title: 'Đường đến trường an toàn mùa mưa', link: 'https://sgddt.cantho.gov.vn/a' } })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ title: 'Đường đến trường an toàn mùa mưa', link: 'https://sgddt.cantho.gov.vn/a', slug: 'duong-den-truong-an-toan' })
    expect((await json('/library?q=mua mua', { token: viewer })).body.items).toHaveLength(1)

    // A viewer may not write, an editor may not delete nor turn automatic answers on.
    expect((await h.api('/library', { token: viewer, body: { kind: 'video', title: 'x' } })).status).toBe(403)
    expect((await h.api(`/library/${made.body.id}`, { token: editor, method: 'DELETE' })).status).toBe(403)
    const auto = await json(`/library/${draft.body.id}`, { token: editor, method: 'PATCH', body: { autoAnswer: true } })
    expect(auto.status).toBe(403)
    expect(auto.body.error.message).toBe('Chỉ quản trị viên mới được bật hay tắt trả lời tự động.')
    expect((await json(`/library/${draft.body.id}`, { token: admin, method: 'PATCH', body: { autoAnswer: true } })).body.autoAnswer).toBe(true)

    expect((await h.api(`/library/${made.body.id}`, { token: admin, method: 'DELETE' })).status).toBe(200)
    expect((await h.api(`/library/${made.body.id}`, { token: admin })).status).toBe(404)
    const audit = await h.db.all<{ method: string; path: string; status: number }>(sql`select method, path, status from audit_log where path like '/api/library%' order by id`)
    expect(audit.filter((a) => a.status < 300).map((a) => a.method)).toEqual(['POST', 'POST', 'PATCH', 'PATCH', 'DELETE'])
  })

  it('refuses bad input with a Vietnamese message per field and changes nothing', async () => {
    h = await startHarness()
    await seedDirectory(h)
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/library', { kind: 'podcast', title: 'x' }, 422, /Loại sản phẩm chưa hợp lệ/],
      ['POST', '/library', { kind: 'video', title: '   ' }, 422, /Cần tiêu đề/],
      ['POST', '/library', { kind: 'video', title: 'x', link: 'javascript:alert(1)' }, 422, /http:\/\/ hoặc https:\/\//],
      ['POST', '/library', { kind: 'video', title: 'x', audience: 'everyone' }, 422, /Đối tượng chưa hợp lệ/],
      ['POST', '/library', { kind: 'video', title: 'x', publishedAt: '16/03/2026' }, 422, /ISO 8601/],
      ['POST', '/library', { kind: 'video', title: 'x', slug: 'Có Dấu' }, 422, /Đường dẫn ngắn chỉ gồm/],
      ['POST', '/library', { kind: 'video', title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 422, /tối đa 20 thẻ/],
      ['POST', '/library', { kind: 'video', title: 'x', ownerUnitCode: 'KHONG-CO' }, 422, /Không có đơn vị mã "KHONG-CO"/],
      ['POST', '/library', { kind: 'video', title: 'x', autoAnswer: true }, 422, /Chỉ mục hỏi đáp/],
      ['POST', '/library', 'not json', 400, /JSON/],
      ['PATCH', '/library/999', { title: 'x' }, 404, /không có sản phẩm số 999/],
      ['PATCH', '/library/abc', { title: 'x' }, 404, /abc/],
      ['DELETE', '/library/999', undefined, 404, /không có sản phẩm số 999/],
      ['GET', '/library?year=26', undefined, 400, /Năm "26"|chưa hợp lệ/],
      ['GET', '/library?kind=podcast', undefined, 400, /Loại sản phẩm chưa hợp lệ/],
      ['PUT', '/library/tag-aliases', { alias: '---', tag: 'Nghị quyết 71' }, 422, /Tên gọi tắt cần/],
      ['DELETE', '/library/tag-aliases/khong-co', undefined, 404, /Không có tên gọi tắt "khong-co"/],
    ]
    for (const [method, path, body, status, message] of cases) {
      const res = await h.api(path, { method, body })
      const text = await res.text()
      expect([method, path, res.status], text).toEqual([method, path, status])
      const error = JSON.parse(text) as { error: { message: string; details?: { message: string }[] } }
      const said = [error.error.message, ...(error.error.details ?? []).map((d) => d.message)].join(' | ')
      expect(said, `${method} ${path}`).toMatch(message)
    }
    expect((await json('/library')).body.items).toEqual([])
    expect(Number((await h.db.get<{ n: number }>(sql`select count(*) as n from product_search`))?.n)).toBe(0)
    expect((await json('/library', { body: { kind: 'video', title: 'Bài một', slug: 'bai-mot' } })).status).toBe(201)
    const taken = await json('/library', { body: { kind: 'video', title: 'Bài hai', slug: 'bai-mot' } })
    expect(taken.status).toBe(409)
    expect(taken.body.error.message).toBe('Đường dẫn ngắn "bai-mot" đã được sản phẩm khác dùng.')
  })

  it('never answers 5xx to hostile search text, and manages tag aliases', async () => {
    h = await startHarness()
    await json('/library', { body: { kind: 'article', title: 'Đường đến trường', tags: ['Chuyển đổi số'], audience: 'public', publishedAt: '2026-03-01T08:00:00+07:00' } })
    for (const q of ['"', 'a*', '-x', 'exact:x', 'NEAR(a b)', '(', ')', 'AND', "'--", '\u0301', '{folded}:duong', '%', '"đường"']) {
      const res = await h.api(`/library?q=${encodeURIComponent(q)}`)
      expect([q, res.status]).toEqual([q, 200])
    }
    expect((await json('/library?q=cds')).body.items).toEqual([])
    const set = await json('/library/tag-aliases', { method: 'PUT', body: { alias: 'CĐS', tag: 'Chuyển đổi số' } })
    expect(set.body).toEqual({ alias: 'cds', tag: 'Chuyển đổi số' })
    expect((await json('/library?q=cds')).body.items.map((p: any) => p.title)).toEqual(['Đường đến trường'])
    expect((await json('/library/tag-aliases')).body.items).toEqual([
      { alias: 'cds', tag: 'Chuyển đổi số' },
      { alias: 'nq71', tag: 'Nghị quyết 71' },
    ])
    expect((await h.api('/library/tag-aliases/C%C4%90S', { method: 'DELETE' })).status).toBe(200)
    expect((await json('/library?q=cds')).body.items).toEqual([])
  })

  it('gives the ranking vectors in exactly the order the Worker on D1 must give (test/fixtures/library-vectors.ts)', async () => {
    h = await startHarness()
    await json('/library', { body: { kind: 'video', title: 'Đường về nhà (năm khác)', audience: 'public', publishedAt: '2024-05-01T08:00:00+07:00' } })
    for (const c of LIBRARY_CORPUS) {
      const made = await json('/library', { body: { kind: 'article', ...c, audience: 'public', publishedAt: `${LIBRARY_VECTOR_YEAR}-05-01T08:00:00+07:00` } })
      expect(made.status).toBe(201)
    }
    for (const [q, titles] of LIBRARY_VECTORS) {
      const found = await json(`/library?q=${encodeURIComponent(q)}&year=${LIBRARY_VECTOR_YEAR}`)
      expect([q, found.body.items.map((p: { title: string }) => p.title)]).toEqual([q, titles])
    }
  })
})
