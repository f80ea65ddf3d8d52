import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { AppEnv } from './env.js'

/**
 * GET /media/<sha256>: an image a person sent with a misinformation report, as the media store
 * keeps it (Node; no store on Workers: 404). The address is the SHA-256 of the bytes: only who was
 * given it (a liaison told of the claim, the console) can name it.
 */
export function mediaRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/media/:sha256', async (c) => {
    const sha = c.req.param('sha256')
    const found = /^[0-9a-f]{64}$/.test(sha) && deps.media ? await deps.media.get(sha) : null
    if (!found) throw new AppError('not_found', 'misinfo.errors.noImage')
    c.header('Content-Type', found.mime)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Cache-Control', 'private, max-age=86400')
    return c.body(found.bytes.slice().buffer as ArrayBuffer)
  })
  return app
}
