import { webOpens, type OpenKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

/** Who opened a public page: one row of `web_opens` an open, written directly (Workers) or in batches (Node). */

/** One "opened" event. `personId` only when the reader had identified; an anonymous open keeps nothing else. */
export async function recordOpen(db: Db, kind: OpenKind, itemId: number, personId: number | null, now: Date): Promise<void> {
  await db.insert(webOpens).values({ kind, itemId, personId, openedAt: now })
}

export interface OpenRecorder {
  /** Keeps one "opened" event, to be written with the next batch. */
  record(kind: OpenKind, itemId: number, personId: number | null, now: Date): void
  /** Writes what is kept (each second, and at shutdown before the database closes). */
  flush(): Promise<void>
  stop(): Promise<void>
}

/**
 * "Opened" events written in batches, for a long-lived server (Node): a brief pasted into school
 * groups is opened by hundreds of phones a minute, and one multi-row insert a second costs far
 * less than a row and a commit (an fsync) per page. The trade-off: a crash loses at most the last
 * second's opens, which are counts, never something a reader was told was recorded. Workers write
 * each open directly (`recordOpen`): an isolate may end before any timer runs.
 */
export function bufferedOpens(db: Db, onError: (err: unknown) => void, everyMs = 1000): OpenRecorder {
  let rows: (typeof webOpens.$inferInsert)[] = []
  const flush = async () => {
    const batch = rows
    rows = []
    // 4 values a row: 500 rows stay far below SQLite's limit on bound variables.
    for (let i = 0; i < batch.length; i += 500) await db.insert(webOpens).values(batch.slice(i, i + 500))
  }
  const safeFlush = () => flush().catch(onError)
  const timer = setInterval(() => void safeFlush(), everyMs)
  ;(timer as { unref?: () => void }).unref?.()
  return {
    record(kind, itemId, personId, now) {
      rows.push({ kind, itemId, personId, openedAt: now })
      if (rows.length >= 20_000) void safeFlush()
    },
    flush,
    async stop() {
      clearInterval(timer)
      await flush()
    },
  }
}
