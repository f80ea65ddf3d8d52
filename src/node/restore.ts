import { createReadStream, existsSync } from 'node:fs'
import { checkBackupFile, splitBackup } from '../domain/backup.js'
import { AppError, renderText } from '../errors.js'
import type { Translate } from '../i18n.js'
import type { Locale } from '#db/schema/index.js'

/** The file's text, a chunk at a time. */
async function* fileText(file: string): AsyncGenerator<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) yield chunk as string
}

/** The most a part of the file sent in one request holds: Workers read at most 100 MB of a request body (Free and Pro plans). */
const PART_BYTES = 50 * 1024 * 1024

/**
 * `npm run restore -- FILE --url URL [--replace]`: checks the backup file whole (nothing is sent
 * if it is damaged), then posts it to URL/api/backup/restore in parts of at most 50 MiB (each
 * part after the first carrying the token the one before was answered), with the token in
 * LOA_TOKEN (an admin's API token) or ADMIN_TOKEN, and prints what the server restored or why it refused.
 */
export async function restoreCommand(
  t: Translate,
  lang: Locale,
  file: string | undefined,
  opts: { url?: string; replace: boolean; token?: string; partBytes?: number },
): Promise<{ ok: boolean; message: string }> {
  if (!file || !opts.url) return { ok: false, message: t('cli.restore.usage') }
  if (!existsSync(file)) return { ok: false, message: t('cli.restore.noFile', { file }) }
  if (!opts.token) return { ok: false, message: t('cli.restore.noToken') }
  let url: URL
  try {
    url = new URL(`${opts.url.replace(/\/+$/, '')}/api/backup/restore`)
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
  const total: Record<string, number> = {}
  let rebuilt: string[] = []
  let token: string | undefined
  for await (const part of splitBackup(fileText(file), opts.partBytes ?? PART_BYTES)) {
    const query = token ? `?continue=${encodeURIComponent(token)}` : opts.replace ? '?replace=1' : ''
    const res = await fetch(`${url.origin}${url.pathname}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/x-ndjson', 'accept-language': lang },
      body: part,
    })
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string }; rows?: Record<string, number>; rebuilt?: string[]; continue?: string }
    if (!res.ok) return { ok: false, message: t('cli.restore.refused', { status: res.status, message: body.error?.message ?? '' }) }
    for (const [name, n] of Object.entries(body.rows ?? {})) total[name] = (total[name] ?? 0) + n
    token = body.continue
    rebuilt = body.rebuilt ?? rebuilt
  }
  const rows = Object.values(total).reduce((a, b) => a + b, 0)
  return {
    ok: true,
    message: t('cli.restore.done', {
      file,
      url: url.origin,
      rows,
      tables: Object.keys(total).length,
      fts: rebuilt.join(', ') || '—',
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    }),
  }
}
