import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { features as defaultFeatures } from '#handlers/index.js'
import type { Feature } from './core/handler.js'
import { createRouter } from './core/router.js'
import { errorDetails } from './log.js'
import type { AppDeps } from './deps.js'
import { errorBody, toErrorResponse } from './errors.js'
import { broadcastRoutes } from './http/admin/broadcasts.js'
import { directoryRoutes } from './http/admin/directory.js'
import { jobRoutes } from './http/admin/jobs.js'
import { linkRoutes } from './http/admin/links.js'
import { calendarRoutes } from './http/admin/calendar.js'
import { libraryRoutes } from './http/admin/library.js'
import { reportRoutes } from './http/admin/reports.js'
import { quizRoutes } from './http/admin/quizzes.js'
import { pollRoutes } from './http/admin/polls.js'
import { misinformationRoutes } from './http/admin/misinformation.js'
import { mediaRoutes } from './http/media.js'
import { reachRoutes } from './http/admin/reach.js'
import { targetRoutes } from './http/admin/targets.js'
import { questionRoutes } from './http/admin/questions.js'
import { suggestionRoutes } from './http/admin/suggestions.js'
import { inboxRoutes } from './http/admin/inbox.js'
import { sessionRoutes } from './http/admin/sessions.js'
import { adminAuth } from './http/auth.js'
import { auditTrail } from './http/audit.js'
import { requestTrust } from './http/client-ip.js'
import { accountRoutes } from './http/admin/accounts.js'
import { healthRoutes } from './http/health.js'
import { detectLocale, localeOf } from './http/locale.js'
import { isWebhookUrl, webhookRoutes } from './http/webhooks.js'
import { pageError, pageRoutes, isPagePath } from './web/pages.js'
import { errorPage } from './web/errors.js'
import { answersBeforeCommit } from './web/public/speed.js'
import { oauthRoutes } from './http/oauth.js'
import { channelRoutes } from './http/admin/channels.js'
import { criteriaRoutes } from './http/admin/criteria.js'
import { backupRoutes, RESTORE_PATH } from './http/admin/backup.js'
import type { AppEnv } from './http/env.js'
import { enqueueReply } from './delivery/queue.js'

/** Applies the channel settings in effect to `deps` (at most one read of them every few seconds). */
export async function refreshChannels(deps: AppDeps): Promise<void> {
  await deps.channelSettings?.applyTo(deps)
}

/** The largest body the admin API reads: a directory import of some 50,000 people fits. */
export const MAX_API_BODY_BYTES = 10 * 1024 * 1024

/**
 * The one app factory, shared by the Node and Workers entries. No Node-only import may reach here.
 */
export function createApp(deps: AppDeps, features: readonly Feature[] = defaultFeatures) {
  const router = createRouter(deps, features, enqueueReply)
  const app = new Hono<AppEnv>()

  const onError = (err: Error, c: Context) => {
    if (isPagePath(c.req.path)) return pageError(deps, err, c)
    const known = toErrorResponse(err, localeOf(c))
    if (known) return c.json(known.body, known.status as 400)
    deps.logger.error({ err: errorDetails(err), method: c.req.method, path: c.req.path }, 'request failed')
    return c.json(errorBody(localeOf(c), 'internal', 'api.errors.internal'), 500)
  }
  app.onError(onError)
  const notFound = (c: Context) =>
    isPagePath(c.req.path)
      ? errorPage(c, 404, 'web.errors.notFound')
      : c.json(errorBody(localeOf(c), 'not_found', 'api.errors.noRoute', { method: c.req.method, path: c.req.path }), 404)
  app.notFound(notFound)
  // The channels set in the console, read again every few seconds (src/channels/live.ts).
  const refresh = deps.channelSettings ? () => refreshChannels(deps) : undefined
  if (refresh) app.use('*', async (_c, next) => (await refresh(), next()))
  // Whose word is taken for the client's address and scheme (TRUST_PROXY): src/http/client-ip.ts.
  app.use('*', requestTrust(deps.config))
  // No answer leaves before what the request wrote is committed: a platform that got its 200
  // never has to deliver the update again, and an admin's 201 is never undone by a crash. The one
  // exception: a public page whose only write is its "opened" count (src/web/public/speed.ts).
  app.use('*', async (c, next) => {
    await next()
    if (!answersBeforeCommit(c)) await deps.committed()
  })
  // Who changed what, from where: every non-GET request to /api and /admin (src/http/audit.ts).
  app.use('*', auditTrail(deps))

  // Security headers on every answer (webhook posts take their own path, below: the platforms read
  // only the status and JSON). The API serves JSON only: no page may frame it, load anything from it, or cache what it says.
  const headers = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: 'same-origin',
  })
  // Pages set their own (a CSP that lets them load their stylesheet and scripts: src/web/pages.ts).
  app.use('*', async (c, next) => {
    if (isPagePath(c.req.path)) {
      await next()
      if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
      return
    }
    await headers(c, next)
    c.header('Cache-Control', 'no-store')
  })

  app.route('/', healthRoutes(deps))
  app.route('/', oauthRoutes(deps))

  const api = new Hono<AppEnv>()
  api.use('*', detectLocale)
  api.use('*', adminAuth(deps))
  const apiBodyLimit = bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: (c) => c.json(errorBody(localeOf(c), 'payload_too_large', 'api.errors.bodyTooLarge', { max: MAX_API_BODY_BYTES / 1024 / 1024 }), 413),
  })
  // A backup being restored is read as a stream, a line at a time, under its own limit (src/http/admin/backup.ts).
  api.use('*', (c, next) => (c.req.method === 'POST' && c.req.path === `/api${RESTORE_PATH}` ? next() : apiBodyLimit(c, next)))
  api.route('/', directoryRoutes(deps))
  api.route('/', linkRoutes(deps))
  api.route('/', jobRoutes(deps))
  api.route('/', reportRoutes(deps))
  api.route('/', quizRoutes(deps))
  api.route('/', pollRoutes(deps))
  api.route('/', misinformationRoutes(deps))
  api.route('/', sessionRoutes(deps))
  api.route('/', reachRoutes(deps))
  api.route('/', targetRoutes(deps))
  api.route('/', questionRoutes(deps))
  api.route('/', suggestionRoutes(deps))
  api.route('/', inboxRoutes(deps))
  api.route('/', broadcastRoutes(deps))
  api.route('/', accountRoutes(deps))
  api.route('/', channelRoutes(deps))
  api.route('/', criteriaRoutes(deps))
  api.route('/', calendarRoutes(deps))
  api.route('/', backupRoutes(deps))
  api.route('/', libraryRoutes(deps))
  app.route('/api', api)
  app.route('/', mediaRoutes(deps))
  app.route('/', pageRoutes(deps))

  // Webhook posts, the hot path (thousands a second in a quiz), are the webhook routes' alone:
  // none of the middleware above applies to them (they are not audited, carry no page headers, and
  // the router commits before answering), and skipping the whole app's routing and middleware
  // chain saves CPU on every answered message (README, Benchmarks). Any other method on
  // /webhook/* falls through to the app's 404.
  const webhooks = webhookRoutes(deps, router)
  webhooks.onError(onError)
  webhooks.notFound(notFound)
  const everything = app.fetch
  const webhook: typeof webhooks.fetch = refresh
    ? async (request, env, ctx) => (await refresh(), webhooks.fetch(request, env, ctx))
    : webhooks.fetch
  app.fetch = (request, env, ctx) => (request.method === 'POST' && isWebhookUrl(request.url) ? webhook(request, env, ctx) : everything(request, env, ctx))

  return Object.assign(app, { chat: router })
}
