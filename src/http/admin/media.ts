import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { AppError } from '#src/errors.js'
import type { AppEnv } from '../env.js'

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * A stored image (one a person sent, src/node/media-store.ts) as its own bytes and type. It is
 * served as a download would be, never as something to run: its stored type, nosniff, a policy
 * that lets it load nothing, and cached only by the browser that asked. 404 for a malformed or
 * unknown hash, and on Workers, where no images are kept.
 */
export async function mediaResponse(deps: AppDeps, c: Context, sha256: string): Promise<Response | null> {
  const found = SHA256_HEX.test(sha256) && deps.media ? await deps.media.get(sha256) : null
  if (!found) return null
  return c.body(found.bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': found.mime,
    'Content-Length': String(found.bytes.byteLength),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': 'private',
  })
}

/** GET /media/:sha256 (admins, src/http/access.ts): the image a person sent, by the hash reports keep. */
export function mediaRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/media/:sha256', async (c) => {
    const sha256 = c.req.param('sha256')
    const res = await mediaResponse(deps, c, sha256)
    if (!res) throw new AppError('not_found', 'api.errors.noMedia')
    return res
  })
  return app
}
