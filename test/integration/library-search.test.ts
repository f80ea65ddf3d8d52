import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '#src/errors.js'
import { fold, matchExpression } from '#src/domain/library/fold.js'
import { createProduct, deleteProduct, getProductBySlug, updateProduct } from '#src/domain/library/products.js'
import type { ProductCreate } from '#src/domain/library/schemas.js'
import { searchProducts, searchSql } from '#src/domain/library/search.js'
import { startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

/** The research's corpus (mission-gaps 3.6, item 2). */
const VECTOR_TITLES = ['Đường đến trường an toàn', 'Dương liễu bên hồ', 'Đương nhiệm hiệu trưởng', 'Đào tạo, bồi dưỡng nhà giáo', 'Dạo chơi cuối tuần']

const add = (input: Partial<ProductCreate> & { title: string }) =>
  createProduct(h.db, { kind: 'article', audience: 'public', publishedAt: '2026-03-01T08:00:00+07:00', ...input }, { now: h.now(), createdBy: null })
const titles = async (q: string, visibility: 'public' | 'staff' | 'editor' = 'public') => (await searchProducts(h.db, q, { visibility, now: h.now() })).map((p) => p.title)
const indexRows = async () => Number((await h.db.get<{ n: number }>(sql`select count(*) as n from product_search`))?.n)

async function seedVectors() {
  for (const title of VECTOR_TITLES) await add({ title })
}

describe('the library search (FTS5, exact above folded)', () => {
  it('ranks the research vectors: "đường" first then its folded neighbours, "duong" all four, "dao tao" and "đào tạo" one', async () => {
    h = await startHarness()
    await seedVectors()
    const road = await titles('đường')
    expect(road[0]).toBe('Đường đến trường an toàn')
    expect(road.slice(1).sort()).toEqual(['Dương liễu bên hồ', 'Đào tạo, bồi dưỡng nhà giáo', 'Đương nhiệm hiệu trưởng'].sort())
    const hits = await searchProducts(h.db, 'đường', { visibility: 'public', now: h.now() })
    expect(hits[0]!.score!).toBeGreaterThan(hits[1]!.score!)

    const plain = await titles('duong')
    expect(plain.sort()).toEqual(['Dương liễu bên hồ', 'Đào tạo, bồi dưỡng nhà giáo', 'Đương nhiệm hiệu trưởng', 'Đường đến trường an toàn'].sort())
    expect(plain).not.toContain('Dạo chơi cuối tuần')

    expect(await titles('dao tao')).toEqual(['Đào tạo, bồi dưỡng nhà giáo'])
    expect(await titles('đào tạo')).toEqual(['Đào tạo, bồi dưỡng nhà giáo'])
    expect(await titles('Dương')).toEqual(expect.arrayContaining(['Dương liễu bên hồ']))
    expect((await titles('Dương'))[0]).toBe('Dương liễu bên hồ')

    await add({ title: 'Nghị quyết 71-NQ/TW' })
    expect(await titles('nghi quyet')).toEqual(['Nghị quyết 71-NQ/TW'])
    expect(await titles('NGHỊ QUYẾT')).toEqual(['Nghị quyết 71-NQ/TW'])
  })

  it('finds an NFD title with an NFC query and an NFC title with an NFD query', async () => {
    h = await startHarness()
    const nfdTitle = 'Chuyển đổi số trong trường học'.normalize('NFD')
    expect(nfdTitle).not.toBe(nfdTitle.normalize('NFC'))
    await add({ title: nfdTitle })
    await add({ title: 'Phát triển đội ngũ giáo viên'.normalize('NFC') })
    expect(await titles('chuyển đổi số'.normalize('NFC'))).toEqual(['Chuyển đổi số trong trường học'.normalize('NFC')])
    expect(await titles('phát triển'.normalize('NFD'))).toEqual(['Phát triển đội ngũ giáo viên'])
    expect(await titles('chuyen doi so')).toHaveLength(1)
    expect(fold('ĐƯỜNG'.normalize('NFD'))).toBe('duong')
    expect(fold('Đường')).toBe(fold('Đường'.normalize('NFD')))
  })

  it('expands the tag alias "nq71" (seeded by the migration) to "Nghị quyết 71", in the query and the tag filter', async () => {
    h = await startHarness()
    await add({ title: 'Infographic: 8 nhiệm vụ trọng tâm', kind: 'infographic', tags: ['Nghị quyết 71'] })
    await add({ title: 'Lịch thi tuyển sinh lớp 10', tags: ['Tuyển sinh'] })
    for (const q of ['nq71', 'NQ71', 'nq 71', 'NQ-71']) expect(await titles(q), q).toEqual(['Infographic: 8 nhiệm vụ trọng tâm'])
    const byTag = await searchProducts(h.db, '', { visibility: 'public', tag: 'nq71', now: h.now() })
    expect(byTag.map((p) => p.title)).toEqual(['Infographic: 8 nhiệm vụ trọng tâm'])
    expect((await searchProducts(h.db, '', { visibility: 'public', tag: 'Tuyển sinh', now: h.now() })).map((p) => p.title)).toEqual(['Lịch thi tuyển sinh lớp 10'])
  })

  it('keeps the index in step: one row per entry after create, the new words after an edit, none after delete', async () => {
    h = await startHarness()
    expect(await indexRows()).toBe(0)
    await seedVectors()
    expect(await indexRows()).toBe(5)
    const extra = await add({ title: 'Tuyên truyền an toàn giao thông', summary: 'Mũ bảo hiểm cho học sinh' })
    expect(await indexRows()).toBe(6)
    expect(await titles('mu bao hiem')).toEqual(['Tuyên truyền an toàn giao thông'])

    await updateProduct(h.db, extra.id, { title: 'Tuyên truyền phòng chống đuối nước', summary: 'Kỹ năng bơi an toàn' }, { now: h.now() })
    expect(await indexRows()).toBe(6)
    expect(await titles('mu bao hiem')).toEqual([])
    expect(await titles('duoi nuoc')).toEqual(['Tuyên truyền phòng chống đuối nước'])
    // An edit that leaves the text alone rewrites the same row, not a second one.
    await updateProduct(h.db, extra.id, { audience: 'internal' }, { now: h.now() })
    expect(await indexRows()).toBe(6)

    await deleteProduct(h.db, extra.id)
    expect(await indexRows()).toBe(5)
    expect(await titles('duoi nuoc', 'editor')).toEqual([])
    const ids = await h.db.all<{ id: number }>(sql`select rowid as id from product_search order by rowid`)
    const productIds = await h.db.all<{ id: number }>(sql`select id from products order by id`)
    expect(ids).toEqual(productIds)
  })

  it('never fails on hostile query text: quotes, stars, minus, colons, NEAR, parentheses, FTS keywords', async () => {
    h = await startHarness()
    await seedVectors()
    const hostile = [
      '"',
      '""',
      '"đường',
      'đường"*',
      '*',
      'duong*',
      '-duong',
      'duong -truong',
      'exact:duong',
      '{exact}:đường',
      'folded : duong',
      'NEAR(duong truong)',
      'NEAR/3',
      'duong NEAR truong',
      '(',
      ')',
      '((duong)',
      'AND',
      'OR NOT',
      'duong OR',
      'NOT duong',
      '^duong',
      "'; drop table products; --",
      '\u0301',
      'đ\u0301\u0301',
      '🙂',
      '½ ² ③',
      'a'.repeat(5000),
      Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '),
      '\u0000duong',
      '+duong+',
    ]
    for (const q of hostile) {
      await expect(searchProducts(h.db, q, { visibility: 'editor', now: h.now() }), JSON.stringify(q.slice(0, 40))).resolves.toBeInstanceOf(Array)
      expect(matchExpression(q)).not.toMatch(/\{exact\}:\(\)/)
    }
    // The words inside hostile text still search as words.
    expect(await titles('"đường"*')).toContain('Đường đến trường an toàn')
    expect(await titles('(duong)')).toHaveLength(4)
    expect(await titles('NEAR(duong')).toEqual([]) // "near" is a word here, and no entry has it
    expect(await indexRows()).toBe(5)
  })

  it('shows public published entries to the public, internal ones to staff, drafts and scheduled ones to editors', async () => {
    h = await startHarness()
    h.setNow('2026-03-16T02:00:00Z')
    await add({ title: 'Bản tin công khai về đổi mới' })
    await add({ title: 'Bản tin nội bộ về đổi mới', audience: 'internal' })
    const draft = await add({ title: 'Bản nháp về đổi mới', publishedAt: undefined })
    const later = await add({ title: 'Bản tin hẹn giờ về đổi mới', status: 'published', publishedAt: '2026-04-01T08:00:00+07:00' })
    const archived = await add({ title: 'Bản tin cũ về đổi mới', status: 'archived' })
    expect(draft.status).toBe('draft')
    expect(later.status).toBe('published')
    expect(archived.status).toBe('archived')

    expect(await titles('doi moi', 'public')).toEqual(['Bản tin công khai về đổi mới'])
    expect((await titles('doi moi', 'staff')).sort()).toEqual(['Bản tin công khai về đổi mới', 'Bản tin nội bộ về đổi mới'].sort())
    expect((await titles('đổi mới', 'editor')).sort()).toEqual(
      ['Bản nháp về đổi mới', 'Bản tin công khai về đổi mới', 'Bản tin hẹn giờ về đổi mới', 'Bản tin nội bộ về đổi mới'].sort(),
    )
    expect(await titles('', 'public')).toEqual(['Bản tin công khai về đổi mới'])
    const archivedOnly = await searchProducts(h.db, 'doi moi', { visibility: 'editor', status: 'archived', now: h.now() })
    expect(archivedOnly.map((p) => p.title)).toEqual(['Bản tin cũ về đổi mới'])
    expect(await searchProducts(h.db, '', { visibility: 'public', status: 'draft', now: h.now() })).toEqual([])
    // Once its date comes, the scheduled brief is public.
    h.setNow('2026-04-02T00:00:00Z')
    expect((await titles('hen gio', 'public'))).toEqual(['Bản tin hẹn giờ về đổi mới'])
  })

  it('lists newest first for an empty query, filtered by kind, year and the target flag', async () => {
    h = await startHarness()
    h.setNow('2026-12-01T02:00:00Z')
    await add({ title: 'Video tháng một', kind: 'video', publishedAt: '2026-01-10T08:00:00+07:00' })
    await add({ title: 'Bài viết tháng năm', publishedAt: '2026-05-10T08:00:00+07:00' })
    await add({ title: 'Hỏi đáp tháng sáu', kind: 'faq', publishedAt: '2026-06-10T08:00:00+07:00' })
    // 31 December 2025 at 23:30 in Cần Thơ is 2025, whatever UTC says.
    await add({ title: 'Tài liệu cuối năm trước', kind: 'document', publishedAt: '2025-12-31T23:30:00+07:00' })
    const list = (f: Omit<Parameters<typeof searchProducts>[2], 'visibility'>) => searchProducts(h.db, '', { visibility: 'staff', now: h.now(), ...f })
    expect((await list({})).map((p) => p.title)).toEqual(['Hỏi đáp tháng sáu', 'Bài viết tháng năm', 'Video tháng một', 'Tài liệu cuối năm trước'])
    expect((await list({})).every((p) => p.score === null)).toBe(true)
    expect((await list({ kind: 'video' })).map((p) => p.title)).toEqual(['Video tháng một'])
    expect((await list({ year: 2025 })).map((p) => p.title)).toEqual(['Tài liệu cuối năm trước'])
    expect((await list({ year: 2026, countsTowardTarget: true })).map((p) => p.title)).toEqual(['Bài viết tháng năm', 'Video tháng một'])
    expect((await list({ limit: 2 })).map((p) => p.title)).toEqual(['Hỏi đáp tháng sáu', 'Bài viết tháng năm'])
  })
})

describe('the search query plan', () => {
  it('reads the FTS5 match first and each entry by its id, never one FTS5 query per entry', async () => {
    h = await startHarness()
    await seedVectors()
    for (const visibility of ['public', 'staff', 'editor'] as const) {
      const query = searchSql(matchExpression('đường'), { visibility, now: h.now(), kind: 'article', year: 2026 }, 'Nghị quyết 71')
      const plan = (await h.db.all<{ detail: string }>(sql`explain query plan ${query}`)).map((r) => r.detail)
      expect(plan[0], plan.join('\n')).toMatch(/^SCAN product_search VIRTUAL TABLE/)
      expect(plan[0]).not.toMatch(/=M/)
      expect(plan.some((d) => /^SEARCH p USING INTEGER PRIMARY KEY/.test(d)), plan.join('\n')).toBe(true)
    }
  })
})

describe('library entries', () => {
  it('take their defaults: published when dated, counted unless faq or correction, internal, a readable unique slug', async () => {
    h = await startHarness()
    const a = await add({ title: 'Đường đến trường an toàn' })
    expect(a).toMatchObject({ status: 'published', countsTowardTarget: true, autoAnswer: false, slug: 'duong-den-truong-an-toan', audience: 'public' })
    const b = await createProduct(h.db, { kind: 'faq', title: 'Đường đến trường an toàn' }, { now: h.now(), createdBy: null })
    expect(b).toMatchObject({ status: 'draft', audience: 'internal', countsTowardTarget: false, slug: 'duong-den-truong-an-toan-2', publishedAt: null })
    const c = await add({ title: 'Đính chính thông tin', kind: 'correction', status: 'published', publishedAt: null })
    expect(c.countsTowardTarget).toBe(false)
    expect(c.publishedAt).toEqual(h.now())
    expect((await getProductBySlug(h.db, 'duong-den-truong-an-toan-2'))?.id).toBe(b.id)
    const long = await add({ title: 'Một tiêu đề rất dài '.repeat(10) })
    expect(long.slug.length).toBeLessThanOrEqual(60)
  })

  it('refuse an unknown unit, a taken slug and an automatic answer that is no FAQ, changing nothing', async () => {
    h = await startHarness()
    const a = await add({ title: 'Bài một', slug: 'bai-mot' })
    const refused = async (p: Promise<unknown>, status: number, key: string) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).status).toBe(status)
      expect((err as AppError).key).toBe(key)
    }
    await refused(add({ title: 'Bài hai', ownerUnitCode: 'KHONG-CO' }), 422, 'library.errors.unknownUnit')
    await refused(add({ title: 'Bài hai', slug: 'bai-mot' }), 409, 'library.errors.slugTaken')
    await refused(add({ title: 'Bài hai', autoAnswer: true }), 422, 'library.errors.autoAnswerFaqOnly')
    await refused(updateProduct(h.db, a.id, { autoAnswer: true }, { now: h.now() }), 422, 'library.errors.autoAnswerFaqOnly')
    await refused(updateProduct(h.db, 999, { title: 'x' }, { now: h.now() }), 404, 'library.errors.notFound')
    expect(await indexRows()).toBe(1)
    expect(await titles('bai')).toEqual(['Bài một'])
  })
})
