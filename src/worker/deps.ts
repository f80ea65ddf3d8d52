import type { D1Database } from '@cloudflare/workers-types'
import { drizzle } from 'drizzle-orm/d1'
import * as schema from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { buildChannels } from '../channels/index.js'
import { channelResolver } from '../channels/live.js'
import { parseConfig } from '../config.js'
import { sha256Hex } from '../crypto.js'
import type { AppDeps, Logger } from '../deps.js'
import { createDispatcher } from '../delivery/dispatcher.js'
import { renderers } from '../domain/renderers.js'
import { assets } from '../web/assets.worker.js'
import { tellAdminsQuotaSpent } from '../domain/admin-notices.js'

/** The Worker's bindings: D1 as DB, and the variables and secrets (wrangler.toml). */
export interface WorkerEnv {
  DB: D1Database
  [key: string]: unknown
}

export const workerLogger: Logger = {
  debug: (obj, msg) => console.debug(JSON.stringify({ level: 'debug', msg, ...obj })),
  info: (obj, msg) => console.log(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
  error: (obj, msg) => console.error(JSON.stringify({ level: 'error', msg, ...obj })),
}

/**
 * What goes into AppDeps on Workers, in one place: built once per isolate by src/entry.worker.ts.
 * The channels set in the console are read from D1 at most every few seconds (src/channels/live.ts)
 * and applied to `config` and `channels` before each request and each Cron Trigger, so a change
 * made through another isolate is seen here on the next request after that.
 */
export async function createWorkerDeps(env: WorkerEnv): Promise<AppDeps> {
  const logger = workerLogger
  const db = drizzle(env.DB, { schema }) as unknown as Db
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<string, string>
  const parsed = parseConfig(vars)
  if (!parsed.adminToken) throw new Error('ADMIN_TOKEN must be set as a Worker secret')
  const resolver = channelResolver(parsed, db, (cfg) => buildChannels(cfg, { logger, db }))
  const live = await resolver.get()
  // The resolver's own state stays apart: applyLive writes the settings in effect into these.
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
      createDispatcher(deps, renderers, { perChatIntervalMs: 0, onQuotaSpent: tellAdminsQuotaSpent })
        .drain(20_000, { repliesOnly: true })
        .then((stats) => logger.debug({ ...stats }, 'replies sent')),
    // Deps outlive the request: the work goes to the waitUntil of the request that defers it.
    defer: (work, c) => c?.executionCtx.waitUntil(work.catch((err) => logger.error({ err: String(err) }, 'deferred work failed'))),
    adminTokenHash: await sha256Hex(config.adminToken!),
    assets,
  }
  return deps
}
