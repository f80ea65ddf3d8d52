import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import * as schema from '#db/schema/index.js'
import { migrationsFolder } from '#db/sqlite.js'
import type { Db } from '#db/types.js'
import { fold } from '#src/domain/library/fold.js'
import { searchProducts } from '#src/domain/library/search.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

const TG = '8101'
const ZALO = 'zalo-8102'
const json = async (path: string, init: Parameters<Harness['api']>[1] = {}) => {
  const res = await h.api(path, init)
  return { status: res.status, body: (await res.json()) as any }
}
const entry = (title: string, extra: Record<string, unknown> = {}) =>
  json('/library', { body: { kind: 'video', title, audience: 'public', publishedAt: '2026-02-01T08:00:00+07:00', ...extra } })
const digital = async () => (await json('/targets?year=2026')).body.targets.find((t: { id: string }) => t.id === 'digitalProducts')

describe('the products target counts library entries', () => {
  it('counts an entry once however many briefs carried it, not FAQs, drafts or other years; drillable; in the workbook', async () => {
    ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZALO }))
    const video = (await entry('Video: Nghị quyết 71 trong 3 phút')).body
    await entry('Hỏi đáp tuyển sinh', { kind: 'faq' })
    await entry('Infographic chưa xong', { publishedAt: null })
    await entry('Tài liệu năm trước', { publishedAt: '2025-11-01T08:00:00+07:00' })
    await entry('Bài viết không tính', { kind: 'article', countsTowardTarget: false })

    // Two briefs carry the video, to two audiences: still one product.
    for (const audience of [{ unitCodes: ['THCS-ANHOA'] }, { unitCodes: ['SGDDT'] }]) {
      const sent = await json(`/library/${video.id}/broadcast`, { body: { audience } })
      expect(sent.status).toBe(201)
      expect(sent.body).toMatchObject({ kind: 'brief', title: 'Video: Nghị quyết 71 trong 3 phút', productId: video.id })
    }
    await h.flush()
    expect(await digital()).toMatchObject({ count: 1, goal: { min: 20, max: 30 } })
    const drill = await json('/targets/digitalProducts/products?year=2026')
    expect(drill.status).toBe(200)
    expect(drill.body.items.map((p: any) => [p.id, p.title, p.broadcasts])).toEqual([[video.id, 'Video: Nghị quyết 71 trong 3 phút', 2]])
    expect((await json('/targets/staffBriefed/products?year=2026')).status).toBe(422)
    const listed = await json('/library?countsTowardTarget=1&year=2026')
    expect(listed.body.items.map((p: any) => p.id)).toEqual([video.id])

    const res = await h.api('/summary?year=2026&half=1')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
    const rows = (book.getWorksheet('Sản phẩm truyền thông số')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1))
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual(expect.arrayContaining([video.id, 'Video', 'Video: Nghị quyết 71 trong 3 phút', 'Công khai', 2]))
  })

  it('links broadcasts and entries both ways: productId on a brief, an entry from a broadcast, a digital product made an entry', async () => {
    ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZALO }))
    const draft = (await entry('Infographic an toàn giao thông', { kind: 'infographic', publishedAt: null })).body
    expect(draft.status).toBe('draft')
    const bad = await json('/broadcasts', { body: { kind: 'brief', title: 'x', body: 'y', audience: {}, productId: 9999 } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.message).toBe('Không có sản phẩm số 9999 trong thư viện để gắn vào tin.')
    expect((await json('/broadcasts')).body.total).toBe(0)

    // A brief that names the draft entry publishes it at its time.
    const carried = await json('/broadcasts', { body: { kind: 'brief', title: 'An toàn giao thông', body: 'Xem infographic.', audience: {}, productId: draft.id } })
    expect(carried.body.productId).toBe(draft.id)
    expect((await json(`/library/${draft.id}`)).body).toMatchObject({ status: 'published', publishedAt: carried.body.scheduledAt })

    // An announcement made an entry afterwards; a second time is a conflict.
    const note = await json('/broadcasts', { body: { kind: 'announcement', title: 'Lịch nghỉ Tết', body: 'Nghỉ từ 14/2.', audience: {} } })
    const made = await json(`/broadcasts/${note.body.id}/product`, { body: { kind: 'document', audience: 'public', tags: ['Tết'] } })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ kind: 'document', title: 'Lịch nghỉ Tết', body: 'Nghỉ từ 14/2.', status: 'published', audience: 'public', tags: ['Tết'] })
    expect((await json(`/broadcasts/${note.body.id}`)).body.productId).toBe(made.body.id)
    const again = await json(`/broadcasts/${note.body.id}/product`, { body: {} })
    expect(again.status).toBe(409)
    expect((await json(`/broadcasts/9999/product`, { body: {} })).status).toBe(404)

    // A digital product sent as before becomes an entry by itself, and counts.
    const product = await json('/broadcasts', { body: { kind: 'digital_product', title: 'Video NQ71', body: 'Xem video.', audience: {} } })
    expect(product.body.productId).toEqual(expect.any(Number))
    expect((await json(`/library/${product.body.productId}`)).body).toMatchObject({ kind: 'brief', title: 'Video NQ71', status: 'published', countsTowardTarget: true })
    expect((await digital()).count).toBe(3)
  })

  it('puts back to draft an entry whose only brief was cancelled before its time', async () => {
    ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZALO }))
    const later = await json('/broadcasts', { body: { kind: 'digital_product', title: 'Video hẹn giờ', body: 'Sắp có.', audience: {}, scheduledAt: '2026-04-01T08:00:00+07:00' } })
    const id = later.body.productId
    expect((await json(`/library/${id}`)).body).toMatchObject({ status: 'published', scheduled: true })
    expect((await h.api(`/broadcasts/${later.body.id}/cancel`, { body: {} })).status).toBe(200)
    expect((await json(`/library/${id}`)).body).toMatchObject({ status: 'draft', scheduled: false })
    h.setNow('2026-04-02T00:00:00Z')
    expect((await digital()).count).toBe(0)
  })
})

describe('the library migration', () => {
  let dir = ''
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('turns the digital products already sent into linked, searchable entries, folded as the app folds', async () => {
    dir = mkdtempSync(join(tmpdir(), 'loa-library-migration-'))
    // The migrations before the library's, then three digital products and a brief, then the rest.
    const before = join(dir, 'before')
    cpSync(migrationsFolder, before, { recursive: true })
    const journalPath = join(before, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
    journal.entries = journal.entries.filter((e) => e.tag < '0025')
    writeFileSync(journalPath, JSON.stringify(journal))
    const client = new Database(join(dir, 'loa.db'))
    const db = drizzle(client, { schema })
    migrate(db, { migrationsFolder: before })
    const at = Math.floor(Date.parse('2026-03-02T01:00:00Z') / 1000)
    const insert = client.prepare(
      "insert into broadcasts (kind, title, body, audience, scheduled_at, expanded_at, status, created_at, image_url) values (?, ?, ?, '{}', ?, ?, ?, ?, ?)",
    )
    const nfd = 'Đường đến trường ĐẸP'.normalize('NFD')
    insert.run('digital_product', 'Video: Đào tạo, bồi dưỡng nhà giáo', 'Xem video về Nghị quyết 71.', at, at, 'sent', at, 'https://example.org/a.png')
    insert.run('digital_product', nfd, 'Ảnh.', at, null, 'cancelled', at, 'http://example.org/old.png')
    insert.run('digital_product', 'Infographic sắp gửi', 'Hẹn giờ.', at + 86_400, null, 'scheduled', at, null)
    insert.run('brief', 'Một bản tin', 'Không phải sản phẩm.', at, at, 'sent', at, null)
    migrate(db, { migrationsFolder })

    const rows = client.prepare('select id, kind, title, status, published_at as publishedAt, image_url as imageUrl, slug, search_folded as folded from products order by id').all() as any[]
    expect(rows.map((r) => [r.title, r.status, r.publishedAt, r.imageUrl])).toEqual([
      ['Video: Đào tạo, bồi dưỡng nhà giáo', 'published', at, 'https://example.org/a.png'],
      [nfd, 'archived', null, null],
      ['Infographic sắp gửi', 'published', at + 86_400, null],
    ])
    // The SQL folding is the app's for Vietnamese, NFC and NFD alike.
    expect(rows[0].folded).toBe(fold('Video: Đào tạo, bồi dưỡng nhà giáo\nXem video về Nghị quyết 71.'))
    expect(rows[1].folded).toBe(fold(`${nfd}\nẢnh.`))
    const links = client.prepare('select kind, product_id as productId from broadcasts order by id').all()
    expect(links).toEqual([
      { kind: 'digital_product', productId: rows[0].id },
      { kind: 'digital_product', productId: rows[1].id },
      { kind: 'digital_product', productId: rows[2].id },
      { kind: 'brief', productId: null },
    ])
    const found = await searchProducts(db as unknown as Db, 'dao tao', { visibility: 'staff', now: new Date('2026-03-16T00:00:00Z') })
    expect(found.map((p) => p.title)).toEqual(['Video: Đào tạo, bồi dưỡng nhà giáo'])
    expect(await searchProducts(db as unknown as Db, 'nghi quyet 71', { visibility: 'staff', now: new Date('2026-03-16T00:00:00Z') })).toHaveLength(1)
    expect(Number((db.get<{ n: number }>(sql`select count(*) as n from product_search`) as { n: number }).n)).toBe(3)
    client.close()
  })
})
