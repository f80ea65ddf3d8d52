import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '#db/types.js'
import { translator } from '#src/i18n.js'
import { restoreCommand } from '#src/node/restore.js'
import { splitBackup } from '#src/domain/backup.js'
import { at, seedCity } from '../helpers/city.js'
import { startHarness, type Harness } from '../helpers/harness.js'
import { LIBRARY_CORPUS, LIBRARY_VECTORS, LIBRARY_VECTOR_YEAR } from '../fixtures/library-vectors.js'

/**
 * The app-level backup (src/domain/backup.ts), the one that works on Workers too: GET /api/backup
 * of a city, POST /api/backup/restore into a fresh server, and the same rows and the same
 * /api/targets figures come out; refusals change nothing; an FTS5 index (made here with raw SQL,
 * as a migration would) is left out of the file and rebuilt after the restore.
 */
const open: Harness[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()))
})
async function server() {
  const h = await startHarness()
  open.push(h)
  return h
}

type Line = Record<string, unknown> | unknown[]
const linesOf = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Line)

/** Every row of every data table (the rollup and the migrators' tables aside), in rowid or key order. */
async function rowsOf(db: Db, skip: string[] = []) {
  const tables = await db.all<{ name: string; sql: string }>(
    sql`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'reach_%' and name not like '%_fts%' and name <> '__drizzle_migrations' order by name`,
  )
  // An FTS5 index's own tables hold its segments, which a rebuild lays out anew: compared by what a search finds instead.
  const virtual = tables.filter((t) => /^create virtual table/i.test(t.sql)).map((t) => t.name)
  const out: Record<string, unknown[]> = {}
  for (const t of tables) {
    if (skip.includes(t.name) || virtual.some((v) => t.name.startsWith(`${v}_`))) continue
    const order = /without rowid/i.test(t.sql) ? '1, 2' : 'rowid'
    out[t.name] = await db.all(sql.raw(`select * from "${t.name}" order by ${order}`))
  }
  return out
}

const restore = (h: Harness, body: string, query = '') =>
  h.app.request(`/api/backup/restore${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer test-admin-token-0123456789abcdef`, 'content-type': 'application/x-ndjson' },
    body,
  })
const targets = async (h: Harness) => (await h.api('/targets?year=2026')).json()

/** An FTS5 index over people's names kept by a trigger (external content), and one that keeps its own text: raw SQL, as a migration would make them. */
async function addSearch(db: Db) {
  await db.run(sql.raw(`create virtual table people_fts using fts5(full_name, content='people', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`))
  await db.run(sql.raw(`create trigger people_fts_insert after insert on people begin insert into people_fts(rowid, full_name) values (new.id, new.full_name); end`))
  await db.run(sql.raw(`create virtual table notes_fts using fts5(body)`))
}

describe('GET /api/backup and POST /api/backup/restore', () => {
  it('moves a city to a fresh server: the same rows, the same target figures, the rollup rebuilt, the download audited', async () => {
    const a = await server()
    expect((await a.api('/jobs/reach-rollup/run', { body: {} })).status).toBe(200)
    await seedCity(a)
    // The library's ranking vectors: its search index (FTS5 kept by triggers) comes back once, in the same order.
    for (const c of LIBRARY_CORPUS) {
      const entry = { kind: 'article', ...c, audience: 'public', publishedAt: `${LIBRARY_VECTOR_YEAR}-05-01T08:00:00+07:00` }
      expect((await a.api('/library', { body: entry })).status).toBe(201)
    }
    a.setNow(at('2026-03-20', '10:00'))
    const res = await a.api('/backup')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/x-ndjson')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="loa-backup-2026-03-20.jsonl"')
    const file = await res.text()
    const lines = linesOf(file)
    const header = lines[0] as { format: string; schema: string; tables: Record<string, string[]> }
    expect(header).toMatchObject({ format: 'loa-backup', formatVersion: 1, schema: expect.stringMatching(/^\d{4}_/) })
    expect(Object.keys(header.tables)).toContain('people')
    expect(Object.keys(header.tables).filter((t) => t.startsWith('reach_') || t.startsWith('__'))).toEqual([])
    // Parents before children: units, then people, then what points at people.
    const order = lines.filter((l): l is { table: string } => !Array.isArray(l) && typeof l.table === 'string').map((l) => l.table)
    expect(order.indexOf('units')).toBeLessThan(order.indexOf('people'))
    expect(order.indexOf('people')).toBeLessThan(order.indexOf('chat_links'))
    expect(lines.at(-1)).toMatchObject({ end: true, rows: { people: 9, units: 7 } })
    // Admins only, and each download is in the audit log.
    const audit = (await (await a.api('/audit')).json()) as { items: { action: string; actor: string }[] }
    expect(audit.items[0]).toMatchObject({ action: 'GET /api/backup', actor: 'admin_token' })

    const b = await server()
    b.setNow(at('2026-03-20', '10:00'))
    const restored = await restore(b, file)
    expect(restored.status).toBe(200)
    const result = (await restored.json()) as { rows: Record<string, number>; reachRollupReady: boolean; schema: string }
    expect(result).toMatchObject({ schema: header.schema, reachRollupReady: true, rows: { people: 9, units: 7 } })
    // The same rows; the restore's own audit row comes after the copied ones.
    const [before, after] = [await rowsOf(a.db), await rowsOf(b.db)]
    expect(after.audit_log!.slice(0, before.audit_log!.length)).toEqual(before.audit_log)
    expect((after.audit_log!.at(-1) as { action: string }).action).toBe('POST /api/backup/restore')
    expect({ ...after, audit_log: [] }).toEqual({ ...before, audit_log: [] })
    // The same figures, read from the rebuilt rollup.
    expect(await b.db.all(sql`select * from reach_months order by person_id, year`)).toEqual(await a.db.all(sql`select * from reach_months order by person_id, year`))
    expect(await targets(b)).toEqual(await targets(a))
    for (const [q, titles] of LIBRARY_VECTORS) {
      const found = (await (await b.api(`/library?q=${encodeURIComponent(q)}&year=${LIBRARY_VECTOR_YEAR}`)).json()) as { items: { title: string }[] }
      expect([q, found.items.map((p) => p.title)]).toEqual([q, titles])
    }
    expect(await b.db.all(sql`select count(*) as n from product_search`)).toEqual([{ n: LIBRARY_CORPUS.length }])
  })

  it('refuses with nothing changed: a database with people (unless ?replace=1), another schema version, a file that is not a backup or is cut short', async () => {
    const a = await server()
    await seedCity(a)
    const file = await (await a.api('/backup')).text()
    const before = await rowsOf(a.db, ['audit_log'])

    const notEmpty = await restore(a, file)
    expect(notEmpty.status).toBe(409)
    expect(((await notEmpty.json()) as { error: { message: string } }).error.message).toBe(
      'Cơ sở dữ liệu này đã có 9 cán bộ; chưa có gì bị thay đổi. Để thay toàn bộ dữ liệu hiện có bằng bản sao lưu, gửi lại với ?replace=1 (dòng lệnh: --replace).',
    )
    const [head, ...rest] = file.split('\n')
    const older = [JSON.stringify({ ...JSON.parse(head!), schema: '0016_old' }), ...rest].join('\n')
    const version = await restore(a, older, '?replace=1')
    expect(version.status).toBe(422)
    expect(((await version.json()) as { error: { message: string } }).error.message).toMatch(/^Bản sao lưu được tạo ở phiên bản cơ sở dữ liệu 0016_old, còn cơ sở dữ liệu này đang ở \d{4}_/)
    const notBackup = await restore(a, '{"hello":1}\n', '?replace=1')
    expect(notBackup.status).toBe(422)
    expect(((await notBackup.json()) as { error: { message: string } }).error.message).toBe('Tệp này không phải bản sao lưu của Loa (tải bằng GET /api/backup).')
    const bad = await restore(a, 'not json', '?replace=1')
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('Tệp này không phải bản sao lưu của Loa (tải bằng GET /api/backup).')
    expect(await rowsOf(a.db, ['audit_log'])).toEqual(before)

    // With ?replace=1 the same file puts back the same rows.
    const replaced = await restore(a, file, '?replace=1')
    expect(replaced.status).toBe(200)
    expect(await rowsOf(a.db, ['audit_log'])).toEqual(before)

    // A file cut short says so (what was read is written: the answer says to restore again).
    const cut = file.split('\n').slice(0, -2).join('\n')
    const truncated = await restore(a, cut, '?replace=1')
    expect(truncated.status).toBe(422)
    expect(((await truncated.json()) as { error: { message: string } }).error.message).toMatch(/^Bản sao lưu bị cắt cụt/)
    // A row that does not fit its table is named by its line.
    const fileLines = file.split('\n')
    const rowAt = fileLines.findIndex((l, i) => i > 0 && l.startsWith('['))
    const damaged = [...fileLines.slice(0, rowAt), '[1, 2]', ...fileLines.slice(rowAt + 1)].join('\n')
    const wrongRow = await restore(a, damaged, '?replace=1')
    expect(wrongRow.status).toBe(422)
    expect(((await wrongRow.json()) as { error: { message: string } }).error.message).toBe(
      `Dòng ${rowAt + 1} của bản sao lưu không khớp với các cột của bảng. Các bảng trước dòng này đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.`,
    )
    // A person in a unit the file does not have: refused by the database, named by its table; the server goes on.
    const people = fileLines.findIndex((l) => l === '{"table":"people"}')
    const orphan = fileLines.map((l, i) => (i === people + 1 ? l.replace(/^\[(\d+),(.*?),(\d+),/, (m, id, mid) => `[${id},${mid},999999,`) : l))
    expect(orphan[people + 1]).not.toBe(fileLines[people + 1])
    const refusedRows = await restore(a, orphan.join('\n'), '?replace=1')
    expect(refusedRows.status).toBe(422)
    expect(((await refusedRows.json()) as { error: { message: string } }).error.message).toMatch(/^Cơ sở dữ liệu không nhận các dòng của bảng people trong bản sao lưu/)
    expect((await a.api('/units')).status).toBe(200)
    expect((await restore(a, file, '?replace=1')).status).toBe(200)
    expect(await rowsOf(a.db, ['audit_log'])).toEqual(before)
  })

  it('leaves an FTS5 index and its shadow tables out of the file, carries an index that keeps its own text, and rebuilds both after a restore', async () => {
    const a = await server()
    await addSearch(a.db)
    await seedCity(a)
    await a.db.run(sql`insert into notes_fts(rowid, body) values (7, 'Nghị quyết 71 về giáo dục')`)
    expect(await a.db.all(sql`select rowid as id from people_fts where people_fts match 'Phuong'`)).toHaveLength(1)
    const file = await (await a.api('/backup')).text()
    const lines = linesOf(file)
    const header = lines[0] as { tables: Record<string, string[]>; virtual: Record<string, string[]> }
    expect(Object.keys(header.tables).filter((t) => t.includes('_fts'))).toEqual([])
    expect(header.virtual).toEqual({ notes_fts: ['rowid', 'body'], product_search: ['rowid', 'exact', 'folded'] })
    expect(file).not.toContain('people_fts')

    const b = await server()
    await addSearch(b.db)
    const restored = await restore(b, file)
    expect(restored.status).toBe(200)
    expect(await restored.json()).toMatchObject({ rebuilt: ['notes_fts', 'people_fts', 'product_search'], notRestored: [] })
    // A MATCH finds restored rows: by name with or without marks, and the carried note.
    const found = await b.db.all<{ id: number }>(sql`select rowid as id from people_fts where people_fts match 'Phuong'`)
    const [w1] = await b.db.all<{ id: number }>(sql`select id from people where external_id = 'W1'`)
    expect(found).toEqual([{ id: w1!.id }])
    expect(await b.db.all(sql`select rowid as id from people_fts where people_fts match 'Bùi'`)).toHaveLength(2)
    expect(await b.db.all(sql`select rowid as id, body from notes_fts where notes_fts match 'giáo'`)).toEqual([{ id: 7, body: 'Nghị quyết 71 về giáo dục' }])
    expect(await b.db.all(sql`select count(*) as n from people_fts_docsize`)).toEqual(await a.db.all(sql`select count(*) as n from people_fts_docsize`))

    // Sent in parts, the carried index's rows may span several: each part adds to it, none empties it again.
    for (let i = 0; i < 200; i++) await a.db.run(sql`insert into notes_fts(body) values (${`Ghi chú số ${i} về chuyển đổi số trong nhà trường`})`)
    const bigger = await (await a.api('/backup')).text()
    const c = await server()
    await addSearch(c.db)
    let token: string | undefined
    let parts = 0
    for await (const part of splitBackup([bigger], 8192)) {
      const res = await restore(c, part, token ? `?continue=${token}` : '')
      expect(res.status).toBeLessThan(300)
      token = ((await res.json()) as { continue?: string }).continue
      parts++
    }
    expect(parts).toBeGreaterThan(3)
    expect(await c.db.all(sql`select count(*) as n from notes_fts where notes_fts match 'chuyển'`)).toEqual([{ n: 200 }])
    expect(await c.db.all(sql`select rowid as id, body from notes_fts order by rowid`)).toEqual(await a.db.all(sql`select rowid as id, body from notes_fts order by rowid`))
  })

  it('restores from the command line over HTTP: the file checked whole first, the server\'s refusal printed in Vietnamese', async () => {
    const a = await server()
    await seedCity(a)
    const dir = mkdtempSync(join(tmpdir(), 'loa-restore-'))
    try {
      const file = join(dir, 'loa.jsonl')
      const text = await (await a.api('/backup')).text()
      writeFileSync(file, text)
      const b = await server()
      const url = await b.listen()
      const t = translator('vi')
      const token = 'test-admin-token-0123456789abcdef'
      const done = await restoreCommand(t, 'vi', file, { url, replace: false, token })
      expect(done.ok).toBe(true)
      expect(done.message).toMatch(new RegExp(`^Đã khôi phục ${file} vào http://127\\.0\\.0\\.1:\\d+: \\d+ dòng của \\d+ bảng trong [\\d.]+ giây; chỉ mục tìm kiếm đã dựng lại: product_search\\.$`))
      expect(await rowsOf(b.db, ['audit_log'])).toEqual(await rowsOf(a.db, ['audit_log']))
      expect(await restoreCommand(t, 'vi', file, { url, replace: false, token })).toEqual({
        ok: false,
        message:
          'Máy chủ từ chối khôi phục (HTTP 409): Cơ sở dữ liệu này đã có 9 cán bộ; chưa có gì bị thay đổi. Để thay toàn bộ dữ liệu hiện có bằng bản sao lưu, gửi lại với ?replace=1 (dòng lệnh: --replace).',
      })
      expect((await restoreCommand(t, 'vi', file, { url, replace: true, token })).ok).toBe(true)
      // A damaged file is refused before anything is sent: the audit log shows no further restore.
      const restores = async () => (await b.db.all(sql`select id from audit_log where action = 'POST /api/backup/restore'`)).length
      const count = await restores()
      writeFileSync(file, text.split('\n').slice(0, 5).join('\n'))
      expect(await restoreCommand(t, 'vi', file, { url, replace: true, token })).toEqual({
        ok: false,
        message: 'Bản sao lưu bị cắt cụt (thiếu dòng kết thúc). Các bảng đã đọc được đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
      })
      expect(await restores()).toBe(count)
      writeFileSync(file, text)
      expect((await restoreCommand(t, 'vi', file, { url, replace: true, token: 'wrong-token-0123456789abcdef0123' })).message).toMatch(/^Máy chủ từ chối khôi phục \(HTTP 401\)/)
      expect(await restoreCommand(t, 'vi', undefined, { url, replace: false, token })).toEqual({ ok: false, message: t('cli.restore.usage') })

      // A file too large for one request (a Worker reads at most 100 MB) goes in parts: here of 12 KiB (the header is about 7), so many.
      const c = await server()
      c.setNow(a.now())
      const parts: number[] = []
      for await (const part of splitBackup([text], 12288)) parts.push(new TextEncoder().encode(part).byteLength)
      expect(parts.length).toBeGreaterThan(3)
      expect(Math.max(...parts)).toBeLessThanOrEqual(12288)
      const inParts = await restoreCommand(t, 'vi', file, { url: await c.listen(), replace: false, token, partBytes: 12288 })
      expect(inParts.ok, inParts.message).toBe(true)
      expect(await rowsOf(c.db, ['audit_log'])).toEqual(await rowsOf(a.db, ['audit_log']))
      expect(await c.db.all(sql`select key from settings where key = 'backup_restore'`)).toEqual([])
      // The restore is in the audit log once, with its last part, after the rows it brought.
      const audit = await c.db.all<{ action: string }>(sql`select action from audit_log order by id`)
      expect(audit.slice(0, -1)).toEqual(await a.db.all(sql`select action from audit_log order by id`))
      expect(audit.at(-1)).toEqual({ action: 'POST /api/backup/restore' })
      expect(await targets(c)).toEqual(await targets(a))
      // A part that names no restore underway is refused.
      const [first, second] = parts.length ? await (async () => { const all: string[] = []; for await (const p of splitBackup([text], 12288)) all.push(p); return all })() : []
      const stray = await restore(c, second!, '?continue=not-a-token')
      expect(stray.status).toBe(409)
      expect(((await stray.json()) as { error: { message: string } }).error.message).toMatch(/^Không có lần khôi phục nào đang chờ phần tiếp theo/)
      const started = await restore(c, first!, '?replace=1')
      expect(started.status).toBe(202)
      expect(await started.json()).toMatchObject({ continue: expect.any(String) })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
