import type { Context } from 'hono'
import type { PublicItemKind } from '../../db/schema/index.js'
import type { AppDeps } from '../deps.js'
import { ensurePublicLink, publicPath } from '../domain/web/links.js'

/**
 * `publicUrl` (the item's phone page) and `qrUrl` (its QR code as PNG; `.svg` beside it) for an API
 * answer, on PUBLIC_URL, or on the request's own origin where PUBLIC_URL is not set (development).
 */
export async function publicLinkFields(deps: AppDeps, c: Context, kind: PublicItemKind, id: number) {
  const slug = await ensurePublicLink(deps.db, kind, id, deps.clock())
  const base = deps.config.publicUrl ?? new URL(c.req.url).origin
  const url = `${base}${publicPath(kind, slug)}`
  return { publicUrl: url, qrUrl: `${url}/qr.png`, qrSvgUrl: `${url}/qr.svg` }
}
