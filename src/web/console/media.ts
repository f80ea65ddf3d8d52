import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { mediaResponse } from '../../http/admin/media.js'
import type { AppEnv } from '../../http/env.js'
import { errorPage } from '../errors.js'

/**
 * GET /admin/media/:sha256: the API's /api/media/:sha256 for a signed-in console session, whose
 * cookie is sent only under /admin, so that an <img> on a console page can show an image a person
 * sent. Same role (src/web/console/access.ts) and the same answer; an unknown hash gets the 404 page.
 */
export function mediaPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/admin/media/:sha256', async (c) => (await mediaResponse(deps, c, c.req.param('sha256'))) ?? errorPage(c, 404, 'api.errors.noMedia'))
  return app
}
