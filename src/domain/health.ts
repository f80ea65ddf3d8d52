import { sql } from 'drizzle-orm'
import type { Db } from '#db/types.js'

/** Whether the database answers a query (for /healthz). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.get(sql`select 1`)
    return true
  } catch {
    return false
  }
}
