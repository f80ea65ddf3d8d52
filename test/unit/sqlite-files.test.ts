import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { openSqlite } from '#db/sqlite.js'

/** The database holds names, phone numbers and chat ids: other users of the machine must not read it. */
let dir: string
let umask: number
const mode = (path: string) => statSync(path).mode & 0o777

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-files-'))
  // A permissive umask, as a careless service unit may have: the modes must not depend on it.
  umask = process.umask(0)
})
afterEach(() => {
  process.umask(umask)
  rmSync(dir, { recursive: true, force: true })
})

describe('database files', () => {
  it('creates the folders 0700 and the database with its -wal and -shm 0600, durable on every commit', async () => {
    const file = join(dir, 'data', 'loa', 'loa.db')
    const store = openSqlite(file)
    try {
      await store.db.run(sql`insert into units (code, name, kind) values ('SGDDT', 'Sở GD&ĐT', 'department')`)
      await store.committed()
      expect(existsSync(`${file}-wal`)).toBe(true)
      expect(existsSync(`${file}-shm`)).toBe(true)
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f).toString(8), f).toBe('600')
      expect(mode(join(dir, 'data')).toString(8)).toBe('700')
      expect(mode(join(dir, 'data', 'loa')).toString(8)).toBe('700')
      // synchronous=NORMAL (1) in WAL mode: COMMIT writes the WAL, and the group commit syncs it
      // (fdatasync, off the event loop) before committed() resolves (test/unit/group-commit.test.ts).
      const client = (store.db as unknown as { $client: import('better-sqlite3').Database }).$client
      expect(client.pragma('synchronous', { simple: true })).toBe(1)
      expect(client.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      store.close()
    }
  })

  it('narrows a database file that others could read, and leaves a folder it did not create alone', () => {
    const file = join(dir, 'loa.db')
    writeFileSync(file, '')
    chmodSync(file, 0o644)
    chmodSync(dir, 0o755)
    const store = openSqlite(file)
    try {
      expect(mode(file).toString(8)).toBe('600')
      expect(mode(dir).toString(8)).toBe('755')
    } finally {
      store.close()
    }
  })
})
