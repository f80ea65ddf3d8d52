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
  const db = drizzle({ client, schema })
  migrate(db, { migrationsFolder })
  return { db: db as unknown as Db, close: () => client.close() }
}
