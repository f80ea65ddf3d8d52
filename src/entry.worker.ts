import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types'
import { drizzle } from 'drizzle-orm/d1'
import * as schema from '../db/schema/index.js'
import type { Db } from '../db/types.js'
import { findJob } from '../jobs/index.js'
import { createApp } from './app.js'
import { buildChannels } from './channels/index.js'
import { channelResolver, type ChannelResolver } from './channels/live.js'
import { parseConfig } from './config.js'
import { sha256Hex } from './crypto.js'
import type { AppDeps, Logger } from './deps.js'
import { createDispatcher } from './delivery/dispatcher.js'
import { renderers } from './domain/renderers.js'
import { assets } from './web/assets.worker.js'

/**
 * Cloudflare Workers entry: the same app on D1. Migrations are applied by
 * `wrangler d1 migrations apply` from db/migrations. ADMIN_TOKEN must be set as a secret here.
 */
export interface Env {
  DB: D1Database
  [key: string]: unknown
}

/** Workers Cron Triggers run in UTC: 01:00 UTC is 08:00 in Asia/Ho_Chi_Minh. */
const cronJobs: Record<string, string[]> = {
  '* * * * *': ['broadcasts', 'quizzes', 'channel-tokens', 'reach-rollup'],
  '0 1 * * *': ['reminders', 'questions', 'relay-reminders'],
  '17 20 * * *': ['prune-updates', 'retention'],
}

const logger: Logger = {
  debug: (obj, msg) => console.debug(JSON.stringify({ level: 'debug', msg, ...obj })),
  info: (obj, msg) => console.log(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
  error: (obj, msg) => console.error(JSON.stringify({ level: 'error', msg, ...obj })),
}

/**
 * One per isolate: the channels set in the console, read from D1 at most every few seconds, so a
 * change made through another isolate is seen here on the next request after that.
 */
let resolver: ChannelResolver | undefined

async function depsFor(env: Env, ctx: ExecutionContext): Promise<AppDeps> {
  const db = drizzle(env.DB, { schema }) as unknown as Db
  if (!resolver) {
    const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<string, string>
    const parsed = parseConfig(vars)
    if (!parsed.adminToken) throw new Error('ADMIN_TOKEN must be set as a Worker secret')
    resolver = channelResolver(parsed, db, (cfg) => buildChannels(cfg, { logger, db }))
  }
  const live = await resolver.get()
  // Each request its own copy: applyLive writes the settings in effect into it.
  const config = { ...live.config }
  const deps: AppDeps = {
    config,
    db,
    channels: { ...live.channels },
    channelSettings: resolver,
    runtime: 'workers',
    clock: () => new Date(),
    logger,
    // D1 commits each statement (and each batch) on its own.
    committed: async () => {},
    // No long-lived sender on Workers: the replies of this update are sent in its waitUntil.
    // The messages of one reply go out back to back: an isolate that waited a second between
    // them would hold the chat's later messages (a brief on the Cron Trigger) behind its claim.
    sendReplies: () =>
      createDispatcher(deps, renderers, { perChatIntervalMs: 0 })
        .drain(20_000, { repliesOnly: true })
        .then((stats) => logger.debug({ ...stats }, 'replies sent')),
    defer: (work) => ctx.waitUntil(work.catch((err) => logger.error({ err: String(err) }, 'deferred work failed'))),
    adminTokenHash: await sha256Hex(config.adminToken!),
    assets,
  }
  return deps
}

export default {
  async fetch(req: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return createApp(await depsFor(env, ctx)).fetch(req)
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const deps = await depsFor(env, ctx)
    const now = new Date(controller.scheduledTime)
    for (const name of cronJobs[controller.cron] ?? []) {
      const job = findJob(name)
      if (job) ctx.waitUntil(job.run(deps, now).then((r) => logger.info({ job: name, ...r }, 'job done')))
    }
    if (controller.cron === '* * * * *') {
      // No long-lived loop on Workers: each minute takes back what a dead isolate left 'sending',
      // then drains what is due for up to 25 seconds.
      const dispatcher = createDispatcher(deps, renderers)
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
