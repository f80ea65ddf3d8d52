import type { Context } from 'hono'
import type { PublicItemKind } from '#db/schema/index.js'
import type { Config } from '../config.js'
import type { AppDeps } from '../deps.js'
import { ensurePublicLink, publicPath } from '../domain/web/public-slugs.js'

/**
 * The origin public links and QR codes are made on: PUBLIC_URL; without it, the request's own
 * origin only when its host is one of PUBLIC_HOSTS (by default localhost, for development), so a
 * forged Host header can never end up in a QR code. Undefined otherwise.
 */
export function publicBase(config: Pick<Config, 'publicUrl' | 'publicHosts'>, c: Context): string | undefined {
  if (config.publicUrl) return config.publicUrl
  let url: URL
  try {
    url = new URL(c.req.url)
  } catch {
    return undefined
  }
  const host = url.host.toLowerCase()
  const allowed = config.publicHosts.some((h) => h === host || (!/:\d+$/.test(h) && h === url.hostname.toLowerCase()))
  return allowed ? url.origin : undefined
}

/**
 * `publicUrl` (the item's phone page) and `qrUrl` (its QR code as PNG; `.svg` beside it) for an API
 * answer, on PUBLIC_URL or an allowed request origin (`publicBase`); null when there is neither.
 */
export async function publicLinkFields(deps: AppDeps, c: Context, kind: PublicItemKind, id: number) {
  const slug = await ensurePublicLink(deps.db, kind, id, deps.clock())
  const base = publicBase(deps.config, c)
  if (!base) return { publicUrl: null, qrUrl: null, qrSvgUrl: null }
  const url = `${base}${publicPath(kind, slug)}`
  return { publicUrl: url, qrUrl: `${url}/qr.png`, qrSvgUrl: `${url}/qr.svg` }
}
