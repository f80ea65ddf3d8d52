import { serve } from '@hono/node-server'
import { Bot } from 'grammy'
import cron from 'node-cron'
import pino from 'pino'
import { openSqlite } from '../db/sqlite.js'
import { jobs } from '../jobs/index.js'
import { createApp } from './app.js'
import { buildChannels } from './channels/index.js'
import { createZaloAdapter } from './channels/zalo/adapter.js'
import { ConfigError, parseConfig, type Config } from './config.js'
import type { Router } from './core/dispatch.js'
import type { AppDeps } from './deps.js'
import { resolveAdminToken } from './domain/admin-token.js'
import { createDispatcher } from './domain/outbox/dispatcher.js'
import { renderers } from './domain/outbox/renderers.js'

function loadConfig(): Config {
  try {
    return parseConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

const config = loadConfig()
const logger = pino({
  level: config.logLevel,
  redact: { paths: ['token', '*.token', 'phone', '*.phone', 'authorization', '*.authorization'], censor: '[redacted]' },
})
const { db, close } = openSqlite(config.databasePath)
const admin = await resolveAdminToken(db, config.adminToken)
const channels = buildChannels(config)
const deps: AppDeps = {
  config,
  db,
  channels,
  clock: () => new Date(),
  logger,
  defer: (work) => void work.catch((err) => logger.error({ err }, 'deferred work failed')),
  adminTokenHash: admin.hash,
}
const app = createApp(deps)

const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
  logger.info(
    {
      port: info.port,
      database: config.databasePath,
      mode: config.botMode,
      telegram: channels.telegram ? 'on' : 'off (no TELEGRAM_BOT_TOKEN)',
      zalo: channels.zalo ? 'on' : 'off (no ZALO_BOT_TOKEN)',
    },
    `Loa is listening on http://localhost:${info.port}`,
  )
  if (admin.generated) {
    // Printed once, to the console only: the database keeps just its hash.
    console.log(`\nADMIN_TOKEN was not set, so one was generated. Keep it; it will not be shown again:\n\n  ${admin.generated}\n`)
  }
})

if (config.botMode === 'webhook' && config.publicUrl) {
  for (const adapter of Object.values(channels)) {
    const secret = adapter.name === 'telegram' ? config.telegram?.webhookSecret : config.zalo?.webhookSecret
    const url = `${config.publicUrl}/webhook/${adapter.name}`
    adapter
      .registerWebhook?.(url, secret!)
      .then(() => logger.info({ channel: adapter.name, url }, 'webhook registered'))
      .catch((err: Error) => logger.error({ channel: adapter.name, err: err.message }, 'webhook registration failed'))
  }
}

// The outbox dispatcher: what a crash left half-sent is queued again, then sending resumes.
const dispatcher = createDispatcher(deps, renderers)
const requeued = await dispatcher.recover()
if (requeued) logger.warn({ requeued }, 'requeued deliveries left in flight by the previous run')
dispatcher.start()

const stopPolling = config.botMode === 'polling' ? startPolling(config, app.chat) : () => {}

async function runJob(job: (typeof jobs)[number]) {
  try {
    const result = await job.run(deps, new Date())
    logger.info({ job: job.name, ...result }, 'job done')
    // A job may have queued messages (a due broadcast): send them now rather than at the next idle poll.
    dispatcher.poke()
  } catch (err) {
    logger.error({ job: job.name, err: (err as Error).message }, 'job failed')
  }
}

const tasks = jobs.map((job) =>
  cron.schedule(job.cron(deps), () => runJob(job), { timezone: config.timezone, name: job.name, noOverlap: true }),
)
// Broadcasts that came due while the server was down go out now, not at the next minute.
for (const job of jobs.filter((j) => j.name === 'broadcasts')) void runJob(job)

function startPolling(cfg: Config, router: Router): () => void {
  let running = true
  const receive = async (event: ReturnType<NonNullable<typeof channels.telegram>['parse']>) => {
    if (event && (await router.claim(event))) await router.dispatch(event)
  }
  if (cfg.telegram && channels.telegram) {
    const bot = new Bot(cfg.telegram.token, { client: { apiRoot: cfg.telegram.apiRoot } })
    const adapter = channels.telegram
    bot.use((ctx) => receive(adapter.parse(ctx.update)))
    bot.catch((err) => logger.error({ err: err.message }, 'telegram polling error'))
    void bot.start({ allowed_updates: ['message', 'callback_query', 'my_chat_member'] })
    logger.info({}, 'telegram: polling')
  }
  if (cfg.zalo && channels.zalo) {
    const adapter = channels.zalo as ReturnType<typeof createZaloAdapter>
    void (async () => {
      await adapter.client.deleteWebhook().catch(() => undefined)
      logger.info({}, 'zalo: polling')
      while (running) {
        try {
          const update = await adapter.client.getUpdate(30)
          // Zalo forgets an update once handed out: claim (store) it before handling it.
          if (update) await receive(adapter.parse(update))
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'zalo polling failed; retrying in 5 s')
          await new Promise((r) => setTimeout(r, 5000))
        }
      }
    })()
  }
  return () => {
    running = false
  }
}

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down')
  stopPolling()
  for (const t of tasks) void t.stop()
  // Sends in flight finish and are recorded before the database closes, so a restart repeats none.
  const stopped = dispatcher.stop().catch((err) => logger.error({ err: (err as Error).message }, 'dispatcher stop failed'))
  server.close(() => {
    void stopped.then(() => {
      close()
      process.exit(0)
    })
  })
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
