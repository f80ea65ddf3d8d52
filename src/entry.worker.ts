import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types'
import { jobsAtWorkerCron, WORKER_CRONS } from '#jobs/index.js'
import { createApp, refreshChannels } from './app.js'
import type { AppDeps } from './deps.js'
import { createDispatcher } from './delivery/dispatcher.js'
import { renderers } from './domain/renderers.js'
import { createWorkerDeps, workerLogger as logger, type WorkerEnv } from './worker/deps.js'
import { tellAdminsQuotaSpent } from './domain/admin-notices.js'

/**
 * Cloudflare Workers entry: the same app on D1. Migrations are applied by
 * `wrangler d1 migrations apply` from db/migrations. ADMIN_TOKEN must be set as a secret here.
 */
type Env = WorkerEnv

interface Root {
  deps: AppDeps
  app: ReturnType<typeof createApp>
}

/**
 * Deps and app, built once per isolate (keyed by its env object). What the console changes is
 * still read per request: the app applies the channel settings through their short cache first.
 */
const roots = new WeakMap<Env, Promise<Root>>()

function rootFor(env: Env): Promise<Root> {
  let root = roots.get(env)
  if (!root) {
    root = createWorkerDeps(env).then((deps) => {
      logger.info({}, 'deps and app built for this isolate')
      return { deps, app: createApp(deps) }
    })
    // A failed start (D1 unreachable, no ADMIN_TOKEN) is tried again by the next request.
    root.catch(() => roots.delete(env))
    roots.set(env, root)
  }
  return root
}

export default {
  async fetch(req: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { app } = await rootFor(env)
    return app.fetch(req, env, ctx)
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const { deps } = await rootFor(env)
    await refreshChannels(deps)
    const now = new Date(controller.scheduledTime)
    for (const job of jobsAtWorkerCron(controller.cron)) {
      ctx.waitUntil(job.run(deps, now).then((r) => logger.info({ job: job.name, ...r }, 'job done')))
    }
    if (controller.cron === WORKER_CRONS.everyMinute) {
      // No long-lived loop on Workers: each minute takes back what a dead isolate left 'sending',
      // then drains what is due for up to 25 seconds.
      const dispatcher = createDispatcher(deps, renderers, { onQuotaSpent: tellAdminsQuotaSpent })
      ctx.waitUntil(
        dispatcher
          .recoverStale()
          .then((requeued) => requeued && logger.warn({ requeued }, 'requeued deliveries left in flight by a dead isolate'))
          .then(() => dispatcher.drain(25_000))
          .then((stats) => logger.debug({ ...stats }, 'outbox drained')),
      )
    }
  },
}
