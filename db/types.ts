import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import type * as schema from './schema/index.js'

/** One database type for both drivers (better-sqlite3 is sync, D1 async); every query is awaited. */
export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>
