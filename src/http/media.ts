import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { mediaResponse } from './admin/media.js'
import type { AppEnv } from './env.js'

/**
 * GET /media/<sha256>: an image a person sent with a misinformation report, as the media store
 * keeps it (Node; no store on Workers: 404), for the agency's liaison told of the claim in chat,
 * who has no console account. The address is the SHA-256 of the bytes: only who was given it (or
 * who holds the very same image) can name it. Served like the admin route: its stored type,
 * nosniff, a policy that loads nothing.
 */
export function publicMediaRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/media/:sha256', async (c) => {
    const res = await mediaResponse(deps, c, c.req.param('sha256'))
    if (!res) throw new AppError('not_found', 'misinfo.errors.noImage')
    return res
  })
  return app
}
