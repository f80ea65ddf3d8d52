import { Hono } from 'hono'
import { features as defaultFeatures } from '../handlers/index.js'
import type { Feature } from './core/handler.js'
import { createRouter } from './core/router.js'
import { describe } from './log.js'
import type { AppDeps } from './deps.js'
import { errorBody, toErrorResponse } from './errors.js'
import { broadcastRoutes } from './http/admin/broadcasts.js'
import { directoryRoutes } from './http/admin/directory.js'
import { jobRoutes } from './http/admin/jobs.js'
import { linkRoutes } from './http/admin/links.js'
import { reportRoutes } from './http/admin/reports.js'
import { quizRoutes } from './http/admin/quizzes.js'
import { reachRoutes } from './http/admin/reach.js'
import { targetRoutes } from './http/admin/targets.js'
import { questionRoutes } from './http/admin/questions.js'
import { sessionRoutes } from './http/admin/sessions.js'
import { adminAuth } from './http/auth.js'
import { healthRoutes } from './http/health.js'
import { detectLocale, localeOf } from './http/locale.js'
import { webhookRoutes } from './http/webhooks.js'

/**
 * The one app factory, shared by the Node and Workers entries. No Node-only import may reach here.
 */
export function createApp(deps: AppDeps, features: readonly Feature[] = defaultFeatures) {
  const router = createRouter(deps, features)
  const app = new Hono()

  app.onError((err, c) => {
    const known = toErrorResponse(err, localeOf(c))
    if (known) return c.json(known.body, known.status as 400)
    deps.logger.error({ err: describe(err), method: c.req.method, path: c.req.path }, 'request failed')
    return c.json(errorBody(localeOf(c), 'internal', 'api.errors.internal'), 500)
  })
  app.notFound((c) => c.json(errorBody(localeOf(c), 'not_found', 'api.errors.noRoute', { method: c.req.method, path: c.req.path }), 404))
  // No answer leaves before what the request wrote is committed: a platform that got its 200
  // never has to deliver the update again, and an admin's 201 is never undone by a crash.
  app.use('*', async (_c, next) => {
    await next()
    await deps.committed()
  })

  app.route('/', healthRoutes(deps))
  app.route('/', webhookRoutes(deps, router))

  const api = new Hono()
  api.use('*', detectLocale)
  api.use('*', adminAuth(deps))
  api.route('/', directoryRoutes(deps))
  api.route('/', linkRoutes(deps))
  api.route('/', jobRoutes(deps))
  api.route('/', reportRoutes(deps))
  api.route('/', quizRoutes(deps))
  api.route('/', sessionRoutes(deps))
  api.route('/', reachRoutes(deps))
  api.route('/', targetRoutes(deps))
  api.route('/', questionRoutes(deps))
  api.route('/', broadcastRoutes(deps))
  app.route('/api', api)

  return Object.assign(app, { chat: router })
}
