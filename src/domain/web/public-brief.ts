import { eq } from 'drizzle-orm'
import { broadcasts } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

type BroadcastRow = typeof broadcasts.$inferSelect

/**
 * The broadcast rows the public brief page shows, kept in memory for a few seconds: a brief pasted
 * into school groups is opened by hundreds of phones within minutes, and its title and body do not
 * change while it is read. `forgetPublicBrief` drops a row at once when this process cancels or
 * edits it; another process (the CLI, another Worker isolate) is seen within `TTL_MS`.
 */
export const PUBLIC_BRIEF_TTL_MS = 5_000
const MAX_ENTRIES = 500

interface Entry {
  row: BroadcastRow | undefined
  until: number
}
const caches = new WeakMap<Db, Map<number, Entry>>()

export async function publicBrief(db: Db, id: number, nowMs = Date.now()): Promise<BroadcastRow | undefined> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const hit = cache.get(id)
  if (hit && hit.until > nowMs) return hit.row
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id)).limit(1)
  if (cache.size >= MAX_ENTRIES) cache.clear()
  // A brief that is not published yet is not kept: it becomes readable the moment it is expanded.
  if (row?.expandedAt || row?.status === 'cancelled') cache.set(id, { row, until: nowMs + PUBLIC_BRIEF_TTL_MS })
  return row
}

/** Forgets the cached row of a broadcast that changed (cancelled, edited). */
export function forgetPublicBrief(db: Db, id: number): void {
  caches.get(db)?.delete(id)
}
