import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types'
import { jobsAtWorkerCron, WORKER_CRONS } from '#jobs/index.js'
import { createApp, refreshChannels } from './app.js'
import type { AppDeps } from './deps.js'
import { createDispatcher, drainBudget } from './delivery/dispatcher.js'
import { renderers } from './domain/renderers.js'
import { createWorkerDeps, workerLogger as logger, type WorkerEnv } from './worker/deps.js'
import { tellAdminsQuotaSpent } from './domain/admin-notices.js'
import { d1Meter, type D1Meter } from './worker/d1-meter.js'
import { sha256Hex } from './crypto.js'

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
/** The bench-only D1 meter (src/worker/d1-meter.ts), with `BENCH_D1_METER=1` only. */
const meters = new WeakMap<Env, D1Meter>()

function meterFor(env: Env): D1Meter | undefined {
  if (env.BENCH_D1_METER !== '1') return undefined
  let meter = meters.get(env)
  if (!meter) {
    meter = d1Meter(env.DB, (msg) => logger.warn({}, msg))
    meters.set(env, meter)
  }
  return meter
}

/** GET /__bench/d1 with the admin token, metered only: the tally since the last reading, once the work under way has ended. */
async function benchReading(req: Request, env: Env, meter: D1Meter): Promise<Response> {
  const token = (req.headers.get('authorization') ?? '').replace(/^Bearer /, '')
  const { deps } = await rootFor(env)
  if (!token || (await sha256Hex(token)) !== deps.adminTokenHash) return new Response('', { status: 401 })
  return Response.json(await meter.read())
}

function rootFor(env: Env): Promise<Root> {
  let root = roots.get(env)
  if (!root) {
    const meter = meterFor(env)
    root = createWorkerDeps(meter ? { ...env, DB: meter.db } : env).then((deps) => {
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
    const meter = meterFor(env)
    if (meter && new URL(req.url).pathname === '/__bench/d1') return benchReading(req, env, meter)
    const { app } = await rootFor(env)
    return app.fetch(req, env, meter ? (meter.track(ctx) as ExecutionContext) : ctx)
  },
  async scheduled(controller: ScheduledController, env: Env, original: ExecutionContext): Promise<void> {
    const ctx = (meterFor(env)?.track(original) as ExecutionContext | undefined) ?? original
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
          .then(() => dispatcher.drain(25_000, { maxClaimed: drainBudget(deps.config.workerSubrequests) }))
          .then((stats) => logger.debug({ ...stats }, 'outbox drained')),
      )
    }
  },
}
