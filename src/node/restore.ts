import { createReadStream, existsSync } from 'node:fs'
import { Readable } from 'node:stream'
import { checkBackupFile } from '../domain/backup.js'
import { AppError, renderText } from '../errors.js'
import type { Translate } from '../i18n.js'
import type { Locale } from '#db/schema/index.js'

/** The file's text, a chunk at a time. */
async function* fileText(file: string): AsyncGenerator<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) yield chunk as string
}

/**
 * `npm run restore -- FILE --url URL [--replace]`: checks the backup file whole (nothing is sent
 * if it is damaged), then streams it to POST URL/api/backup/restore with the token in LOA_TOKEN
 * (an admin's API token) or ADMIN_TOKEN, and prints what the server restored or why it refused.
 */
export async function restoreCommand(
  t: Translate,
  lang: Locale,
  file: string | undefined,
  opts: { url?: string; replace: boolean; token?: string },
): Promise<{ ok: boolean; message: string }> {
  if (!file || !opts.url) return { ok: false, message: t('cli.restore.usage') }
  if (!existsSync(file)) return { ok: false, message: t('cli.restore.noFile', { file }) }
  if (!opts.token) return { ok: false, message: t('cli.restore.noToken') }
  let url: URL
  try {
    url = new URL(`${opts.url.replace(/\/+$/, '')}/api/backup/restore${opts.replace ? '?replace=1' : ''}`)
  } catch {
    return { ok: false, message: t('cli.restore.badUrl', { url: opts.url }) }
  }
  try {
    await checkBackupFile(fileText(file))
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: renderText({ key: err.key, params: err.params }, lang) }
    throw err
  }
  const started = performance.now()
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/x-ndjson', 'accept-language': lang },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit)
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string }; rows?: Record<string, number>; rebuilt?: string[]; reachRollupReady?: boolean }
  if (!res.ok) return { ok: false, message: t('cli.restore.refused', { status: res.status, message: body.error?.message ?? '' }) }
  const rows = Object.values(body.rows ?? {}).reduce((a, b) => a + b, 0)
  return {
    ok: true,
    message: t('cli.restore.done', {
      file,
      url: url.origin,
      rows,
      tables: Object.keys(body.rows ?? {}).length,
      fts: (body.rebuilt ?? []).join(', ') || '—',
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    }),
  }
}
