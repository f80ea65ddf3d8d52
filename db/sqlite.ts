import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as schema from './schema/index.js'
import type { Db } from './types.js'

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Opens (or creates) the SQLite file, tunes it for a web server, and applies pending migrations. */
export function openSqlite(path: string): { db: Db; close: () => void } {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  const client = new Database(path)
  client.pragma('journal_mode = WAL')
  client.pragma('synchronous = NORMAL')
  client.pragma('foreign_keys = ON')
  client.pragma('busy_timeout = 5000')
  // Every chat message writes a few small rows to the same hot pages. Checkpointing every 10,000
  // pages (about 40 MB of WAL) instead of SQLite's 1,000 copies each hot page back far less often;
  // in the quiz benchmark it took about 12 % off the server's CPU per answer.
  client.pragma('wal_autocheckpoint = 10000')
  reuseStatements(client)
  const db = drizzle({ client, schema })
  migrate(db, { migrationsFolder })
  return { db: db as unknown as Db, close: () => client.close() }
}

/**
 * drizzle compiles every query anew (better-sqlite3 `prepare`), which costs as much as running a
 * small indexed query. Statements are kept by their SQL text and handed out again; drizzle turns
 * `raw` mode on for some reads, so it is reset each time.
 */
function reuseStatements(client: Database.Database, max = 500) {
  const cache = new Map<string, Database.Statement>()
  const prepare = client.prepare.bind(client)
  client.prepare = ((source: string) => {
    let stmt = cache.get(source)
    if (stmt) {
      cache.delete(source)
      cache.set(source, stmt)
      if (stmt.reader) stmt.raw(false)
      return stmt
    }
    stmt = prepare(source)
    cache.set(source, stmt)
    if (cache.size > max) cache.delete(cache.keys().next().value!)
    return stmt
  }) as typeof client.prepare
}
