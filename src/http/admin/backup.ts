import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { exportBackup, restoreBackup } from '../../domain/backup.js'
import { errorBody } from '../../errors.js'
import { localDay } from '../../time.js'
import { callerOf } from '../auth.js'
import { auditPhoneExport } from '../export.js'
import { localeOf } from '../locale.js'
import { readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

/** The largest backup a restore reads (streamed, a line at a time); Workers cap a request body lower (100 MB on the Free and Pro plans). */
export const MAX_RESTORE_BYTES = 1024 * 1024 * 1024
export const RESTORE_PATH = '/backup/restore'

/** A pull stream of the generator's text: the next chunk is read from the database only when the client has taken the last. */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}

/** A request body's reader as text chunks. */
async function* textOf(reader: ReadableStreamDefaultReader<Uint8Array> | undefined): AsyncGenerator<string> {
  if (!reader) return
  const decoder = new TextDecoder()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    yield decoder.decode(value, { stream: true })
  }
  const tail = decoder.decode()
  if (tail) yield tail
}

/**
 * GET /api/backup: every ordinary table's rows as JSON lines (src/domain/backup.ts), streamed a
 * chunk at a time; admins only, each download in the audit log.
 * POST /api/backup/restore[?replace=1]: the same file back, into a database with no people (or
 * replacing what it holds); the FTS indexes and the reach rollup are built again. A file sent in
 * parts: each but the last is answered 202 with `continue`, the token the next carries (`?continue=`).
 */
export function backupRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/backup', async (c) => {
    const caller = callerOf(c)!
    await auditPhoneExport(c, deps, { personId: caller.personId, via: 'api' }, c.req.path)
    // The audit row is committed before the first byte leaves (the app waits for commits after each handler; a stream outlives it).
    await deps.committed()
    const now = deps.clock()
    const name = `loa-backup-${localDay(now, deps.config.timezone)}.jsonl`
    return c.body(streamOf(exportBackup(deps.db, now)), 200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
    })
  })
  app.post(
    RESTORE_PATH,
    bodyLimit({
      maxSize: MAX_RESTORE_BYTES,
      onError: (c) => c.json(errorBody(localeOf(c), 'payload_too_large', 'api.errors.bodyTooLarge', { max: MAX_RESTORE_BYTES / 1024 / 1024 }), 413),
    }),
    async (c) => {
      const q = readQuery(c, z.object({ replace: z.enum(['1', 'true', '0', 'false']).optional(), continue: z.string().min(1).max(100).optional() }))
      const reader = c.req.raw.body?.getReader()
      try {
        const result = await restoreBackup(deps.db, textOf(reader), {
          replace: q.replace === '1' || q.replace === 'true',
          continueToken: q.continue,
          now: deps.clock(),
          timeZone: deps.config.timezone,
        })
        // A part of a file sent in several: accepted, the restore is not finished.
        return c.json(result, 'continue' in result ? 202 : 200)
      } finally {
        // A refusal answers before the file is read to its end: the rest of the upload is read
        // and dropped rather than left unread (workerd restarted the isolate under the next request).
        if (reader) for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) break
      }
    },
  )
  return app
}
