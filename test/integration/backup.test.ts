import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite } from '#db/sqlite.js'

/**
 * `npm run cli -- backup FILE` while the database is being written by another connection (as by
 * the running server): the copy is whole (integrity_check), consistent (every transaction in it
 * complete, none half), private, and FILE is never overwritten without --force.
 */
const root = new URL('../..', import.meta.url).pathname
let dir: string
let dbPath: string

type Run = { code: number; out: string; err: string }
function run(cmd: string, args: string[], database = dbPath): Promise<Run> {
  return new Promise((ok) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, DATABASE_PATH: database, LOG_LEVEL: 'error' } }, (error, out, err) =>
      ok({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    )
  })
}
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/entry.cli.ts', ...args])

/** Writes two units per transaction, a transaction per event-loop turn, until stopped. */
function startWriter() {
  const db = new Database(dbPath)
  db.pragma('busy_timeout = 5000')
  // No checkpoint while it writes (the server checkpoints only every 10,000 pages): its rows are
  // only in loa.db-wal, which a plain copy of loa.db would miss.
  db.pragma('wal_autocheckpoint = 0')
  const insert = db.prepare(`insert into units (code, name, kind) values (?, ?, 'school')`)
  const pair = db.transaction((n: number) => {
    insert.run(`W${n}-a`, `Trường ${n}`)
    insert.run(`W${n}-b`, `Trường ${n}`)
  })
  let n = 0
  let running = true
  const done = (async () => {
    while (running) {
      pair(++n)
      await new Promise((r) => setTimeout(r, 1))
    }
  })()
  return {
    written: () => n,
    stop: async () => {
      running = false
      await done
      db.close()
      return n
    },
  }
}

function readCopy(file: string) {
  const copy = new Database(file, { readonly: true })
  try {
    const integrity = copy.pragma('integrity_check', { simple: true })
    const pads = (copy.prepare(`select count(*) n from units where code like 'P%'`).get() as { n: number }).n
    const codes = (copy.prepare(`select code from units where code like 'W%'`).all() as { code: string }[]).map((r) => r.code)
    const department = copy.prepare(`select name from units where code = 'SGDDT'`).get()
    return { integrity, pads, codes, department }
  } finally {
    copy.close()
  }
}

/** The pairs W1..Wk, each with both of its rows, and nothing else: one moment of the database. */
function pairsUpTo(codes: string[]): number {
  const k = codes.length / 2
  const expected = Array.from({ length: k }, (_, i) => [`W${i + 1}-a`, `W${i + 1}-b`]).flat()
  expect([...codes].sort()).toEqual(expected.sort())
  return k
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loa-backup-'))
  dbPath = join(dir, 'loa.db')
  // A database of about 10 MB, so that the copy takes a while.
  const store = openSqlite(dbPath)
  const client = (store.db as unknown as { $client: Database.Database }).$client
  client.prepare(`insert into units (code, name, kind) values ('SGDDT', 'Sở Giáo dục và Đào tạo', 'department')`).run()
  const pad = client.prepare(`insert into units (code, name, kind) values (?, ?, 'school')`)
  for (let i = 0; i < 20_000; i++) pad.run(`P${i}`, `Trường số ${i} `.padEnd(400, 'x'))
  await store.committed()
  store.close()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('backup', () => {
  it('copies the live database whole while another connection writes, into a private file', { timeout: 60_000 }, async () => {
    const writer = startWriter()
    await new Promise((r) => setTimeout(r, 100))
    const before = writer.written()
    const copy = join(dir, 'loa-copy.db')
    const res = await run('npm', ['run', '--silent', 'cli', '--', 'backup', copy])
    const after = writer.written()
    const total = await writer.stop()

    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    expect(res.out.trim()).toMatch(new RegExp(`^Đã sao lưu .*loa\\.db vào .*loa-copy\\.db: [\\d.]+ MiB trong [\\d.]+ giây\\.$`))
    expect(after).toBeGreaterThan(before) // the writer kept writing while the copy was made
    expect(statSync(copy).mode & 0o777).toBe(0o600)
    // No partial file left beside it.
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([])

    const got = readCopy(copy)
    expect(got.integrity).toBe('ok')
    expect(got.department).toEqual({ name: 'Sở Giáo dục và Đào tạo' })
    expect(got.pads).toBe(20_000)
    // Everything committed before the backup began, some of what came during it, never half a transaction.
    const k = pairsUpTo(got.codes)
    expect(k).toBeGreaterThan(before)
    expect(k).toBeLessThan(total)

    // The copy is a working Loa database: migrations have nothing left to do, and it opens.
    const restored = openSqlite(copy)
    restored.close()
  })

  it('refuses to overwrite a file unless --force, and names what is wrong', { timeout: 60_000 }, async () => {
    const copy = join(dir, 'second.db')
    expect((await cli('backup', copy)).code).toBe(0)
    const size = statSync(copy).size
    const mtime = statSync(copy).mtimeMs

    const again = await cli('backup', copy)
    expect(again.code).toBe(1)
    expect(again.err.trim()).toBe(`${copy} đã có. Hãy chọn tên khác, hoặc thêm --force để ghi đè.`)
    expect(statSync(copy).mtimeMs).toBe(mtime)
    expect(statSync(copy).size).toBe(size)

    const forced = await cli('backup', copy, '--force', '--lang', 'en')
    expect(forced.code).toBe(0)
    expect(forced.out).toMatch(/^Backed up .*loa\.db to .*second\.db: [\d.]+ MiB in [\d.]+ s\.$/m)
    expect(readCopy(copy).integrity).toBe('ok')

    const [noFile, noFolder, itself] = await Promise.all([
      cli('backup'),
      cli('backup', join(dir, 'missing', 'x.db'), '--lang', 'en'),
      cli('backup', dbPath),
    ])
    expect(noFile.code).toBe(1)
    expect(noFile.err).toContain('backup: cần tên tệp sao lưu')
    expect(noFolder.code).toBe(1)
    expect(noFolder.err.trim()).toBe(`The folder ${join(dir, 'missing')} does not exist.`)
    expect(itself.code).toBe(1)
    expect(itself.err).toContain('Tệp sao lưu không được trùng')
    expect(readCopy(dbPath).integrity).toBe('ok')
  })

  it('says so when there is no database to back up, and creates none', async () => {
    const missing = join(dir, 'nothing-here.db')
    const out = await run(process.execPath, ['--import', 'tsx', 'src/entry.cli.ts', 'backup', join(dir, 'y.db')], missing)
    expect(out.code).toBe(1)
    expect(out.err.trim()).toBe(`Không có cơ sở dữ liệu ở ${missing} (DATABASE_PATH).`)
    expect(existsSync(missing)).toBe(false)
    expect(existsSync(join(dir, 'y.db'))).toBe(false)
  })
})
