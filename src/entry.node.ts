import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import cron from 'node-cron'
import { openSqlite } from '#db/sqlite.js'
import { firedEarlierToday, jobs, type Job } from '#jobs/index.js'
import { createApp, refreshChannels } from './app.js'
import { CHANNEL_SETTINGS_TTL_MS } from './channels/live.js'
import { pollTelegram } from './channels/telegram/polling.js'
import type { createZaloAdapter } from './channels/zalo/adapter.js'
import { pollZalo } from './channels/zalo/polling.js'
import { ConfigError, parseConfig, type Config } from './config.js'
import type { Router } from './core/router.js'
import type { InboundEvent } from './core/events.js'
import { resolveAdminToken } from './domain/admin-token.js'
import { checkCron } from './node/cron-check.js'
import { createHttpFetch } from './node/http-fetch.js'
import { createDispatcher } from './delivery/dispatcher.js'
import { renderers } from './domain/renderers.js'
import { createNodeDeps } from './node/deps.js'
import { createFileMediaStore, mediaDirOf } from './node/media-store.js'
import { tellAdminsQuotaSpent } from './domain/admin-notices.js'
import { bufferedOpens } from './domain/web/opens.js'
import { createNodeLogger } from './node/logger.js'
import { resolveEncryptionKey } from './node/encryption-key.js'
import { translator } from './i18n.js'
import { killAfter } from './node/watchdog.js'
import { watchStalls } from './node/stalls.js'

function loadConfig(): Config {
  try {
    return parseConfig(process.env, { cron: checkCron })
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

const config = loadConfig()
const logs = createNodeLogger(config.logLevel)
const logger = logs.logger
// Tokens set in the console are stored encrypted: without TOKEN_ENCRYPTION_KEY, a key kept in a file beside the database.
const encryption = resolveEncryptionKey(config.databasePath, config.tokenEncryptionKey)
config.tokenEncryptionKey = encryption.key
if (encryption.generated && encryption.file) logger.info({ file: encryption.file }, 'TOKEN_ENCRYPTION_KEY generated (mode 0600); back it up with the database')
// Bench-only: the event loop's longest stretches and what ran in them (src/node/stalls.ts).
const stalls = process.env.LOA_STALLS_MS ? watchStalls(Number(process.env.LOA_STALLS_MS)) : undefined
const { db, committed, checkpoint, close } = openSqlite(config.databasePath, {
  timed: stalls?.section,
  // Disk full or an I/O error: stop before anything else is answered or sent. Updates not yet
  // answered are delivered again by the platforms, and the outbox resumes from the file on restart.
  onTurnFailed: (err) => {
    logger.fatal({ err: err.message }, 'database transaction failed; stopping')
    logs.flushSync()
    process.exit(1)
  },
})
const admin = await resolveAdminToken(db, config.adminToken)
/** Work begun outside a request's response (deferred handling, scheduled jobs): a stop waits for it. */
const running = new Set<Promise<unknown>>()
function track(work: Promise<unknown>): void {
  running.add(work)
  void work.finally(() => running.delete(work)).catch(() => {})
}
/**
 * After an erasure: the WAL checkpointed into the file and emptied. A reader that holds it back (a
 * backup being made) is waited for by trying again each minute, a few times.
 */
function scrubWal(triesLeft: number): void {
  try {
    if (checkpoint()) return
  } catch (err) {
    // The database closed meanwhile (a stop): closing checkpointed it.
    return void logger.debug({ err: (err as Error).message }, 'checkpoint after an erasure skipped')
  }
  if (triesLeft <= 1) return void logger.warn({}, 'the WAL could not be emptied after an erasure: a reader held it back')
  const retry = setTimeout(() => scrubWal(triesLeft - 1), 60_000)
  retry.unref()
}
const deps = createNodeDeps(config, { db, committed }, {
  adminTokenHash: admin.hash,
  logger,
  fetch: createHttpFetch(),
  live: true,
  checkpoint: () => scrubWal(10),
  // The dispatcher runs all the time: a poke makes it claim the new replies at once.
  sendReplies: () => dispatcher.poke(true),
  webhookReplyGrant: (channel, chatId) => dispatcher.grantWebhookReply(channel, chatId),
  defer: (work) => track(work.catch((err) => logger.error({ err }, 'deferred work failed'))),
  opens: bufferedOpens(db, (err) => logger.error({ err: (err as Error).message }, 'writing opened events failed')),
  // Images people send (misinformation reports): files beside the database, or in MEDIA_DIR.
  media: createFileMediaStore(mediaDirOf(config)),
})
const channels = deps.channels
await refreshChannels(deps)
// The dispatcher sends outside any request: it, too, sees a channel turned on or off elsewhere.
setInterval(
  () =>
    void refreshChannels(deps)
      .then(() => followPolling())
      .catch((err: Error) => logger.error({ err: err.message }, 'reading channel settings failed')),
  CHANNEL_SETTINGS_TTL_MS,
).unref()
const dispatcher = createDispatcher(deps, renderers, { onQuotaSpent: tellAdminsQuotaSpent })
const app = createApp(deps)

const fetch: typeof app.fetch = stalls
  ? (req, ...rest) => {
      const start = performance.now()
      try {
        return app.fetch(req, ...rest)
      } finally {
        stalls.section(`${req.method} ${new URL(req.url).pathname.replace(/\d+/g, ':n')}`, start)
      }
    }
  : app.fetch
const server = serve({ fetch, port: config.port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
  logger.info(
    {
      port: info.port,
      database: config.databasePath,
      mode: config.botMode,
      telegram: channels.telegram ? 'on' : 'off (no TELEGRAM_BOT_TOKEN)',
      zalo: channels.zalo ? 'on' : 'off (no ZALO_BOT_TOKEN)',
      zalo_oa: channels.zalo_oa ? 'on' : 'off (no ZALO_OA_APP_ID)',
    },
    `Loa is listening on http://localhost:${info.port}`,
  )
  // Printed in both languages, Vietnamese first: whoever started the server reads where to go next.
  const consoleUrl = `${config.publicUrl ?? `http://localhost:${info.port}`}/admin`
  const [vi, en] = [translator('vi'), translator('en')]
  console.log(`\n${vi('cli.start.console', { url: consoleUrl })}\n${en('cli.start.console', { url: consoleUrl })}`)
  if (admin.generated) {
    // Printed once, to the console only: the database keeps just its hash.
    console.log(`\n${vi('cli.start.tokenGenerated')}\n${en('cli.start.tokenGenerated')}\n\n  ${admin.generated}\n`)
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
const requeued = await dispatcher.recover()
if (requeued) logger.warn({ requeued }, 'requeued deliveries left in flight by the previous run')
dispatcher.start()

let stopPolling: () => Promise<void> = config.botMode === 'polling' ? startPolling(config, app.chat) : async () => {}
let polling = config.botMode === 'polling'
let polled = [channels.telegram, channels.zalo]

/**
 * Within seconds of a change in the console: polling chosen or left (the bot mode), and in polling
 * mode a bot turned on, changed or off is polled (or no longer). No restart.
 */
async function followPolling() {
  if (stopping) return
  if (config.botMode !== 'polling') {
    if (!polling) return
    polling = false
    await stopPolling()
    stopPolling = async () => {}
    logger.info({}, 'polling stopped: back to webhooks')
    return
  }
  if (polling && polled[0] === channels.telegram && polled[1] === channels.zalo) return
  polling = true
  polled = [channels.telegram, channels.zalo]
  await stopPolling()
  stopPolling = startPolling(config, app.chat)
}

async function runJob(job: Job) {
  try {
    const result = await job.run(deps, new Date())
    await committed()
    logger.info({ job: job.name, ...result }, 'job done')
    // A job may have queued messages (a due broadcast): send them now rather than at the next idle poll.
    dispatcher.poke()
  } catch (err) {
    logger.error({ job: job.name, err: (err as Error).message }, 'job failed')
  }
}
const tasks = jobs.map((job) =>
  cron.schedule(job.cron(deps), () => track(runJob(job)), { timezone: config.timezone, name: job.name, noOverlap: true }),
)
// Catch-up: a run missed while the server was down happens once now (broadcasts and quizzes that
// came due, today's reminders); their dedupe keys make it harmless if it did run.
jobs.forEach((job, i) => {
  if (job.catchUp && firedEarlierToday((at) => tasks[i]!.match(at), new Date(), config.timezone)) track(runJob(job))
})

function startPolling(cfg: Config, router: Router): () => Promise<void> {
  const receive = async (event: InboundEvent) => {
    // Telegram takes the next getUpdates offset as confirmation: `receive` resolves once the
    // update and its replies are committed, so the offset only ever moves past stored updates.
    if ((await router.receive(event)).status === 'accepted') dispatcher.poke(true)
  }
  const stops: (() => Promise<void>)[] = []
  if (cfg.telegram && channels.telegram) {
    stops.push(pollTelegram(cfg.telegram, channels.telegram, receive, logger))
    logger.info({}, 'telegram: polling')
  }
  if (channels.zalo) {
    stops.push(pollZalo(channels.zalo as ReturnType<typeof createZaloAdapter>, receive, logger))
    logger.info({}, 'zalo: polling')
  }
  return async () => void (await Promise.allSettled(stops.map((stop) => stop())))
}

/**
 * A stop's budget, from the signal: requests in flight are answered for up to HTTP_GRACE_MS (then
 * their connections are cut: the platforms deliver unanswered updates again); work they deferred
 * and scheduled jobs may run until WORK_DEADLINE_MS; the outbox's sends in flight get what is left
 * until SEND_DEADLINE_MS (a platform that hangs is not waited for: its rows are requeued at the
 * next start). FORCED_EXIT_MS exits 1 whatever is still running, and a watchdog thread kills the
 * process at KILL_MS should the main thread itself be stuck. A supervisor's usual 10 s is kept.
 */
const HTTP_GRACE_MS = 3000
const WORK_DEADLINE_MS = 5000
const SEND_DEADLINE_MS = 7000
const FORCED_EXIT_MS = 8500
const KILL_MS = 9500
let stopping = false

/** Waits for `work` until `deadline` (ms since the epoch); true when it finished in time. */
async function within(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), Math.max(0, deadline - Date.now()))))
  const done = await Promise.race([work.then(() => true, () => true), late])
  clearTimeout(timer)
  return done
}

/**
 * SIGTERM or SIGINT (a supervisor, `npm start` ended, Ctrl-C): the port closes at once, what is in
 * flight finishes and is committed within the budget above, the database closes, and the process
 * exits 0, leaving what it could not send queued for the next start. Further signals change
 * nothing: Ctrl-C in a terminal reaches the server twice (from the terminal, and forwarded by npm).
 */
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  const start = Date.now()
  killAfter(KILL_MS)
  setTimeout(() => forcedStop(`still busy after ${FORCED_EXIT_MS} ms`), FORCED_EXIT_MS).unref()
  logger.info({ signal }, 'stopping: no new requests; finishing the work in flight')
  for (const t of tasks) void t.stop()
  void stopPolling()
  await closeHttp(start + HTTP_GRACE_MS)
  // What the requests handed off (and the jobs running) may queue more; wait until all is done.
  const workDone = await within(
    (async () => {
      while (running.size) await Promise.allSettled([...running])
    })(),
    start + WORK_DEADLINE_MS,
  )
  if (!workDone) logger.warn({ inFlight: running.size }, 'stopping without waiting for deferred work or jobs still running')
  // Until here the dispatcher kept sending, replies to the last requests first. Now it stops
  // claiming; sends in flight finish and are recorded before the database closes, so a restart
  // repeats none, and what is still queued is sent after the restart.
  const busyLanes = await dispatcher
    .stop(Math.max(0, start + SEND_DEADLINE_MS - Date.now()))
    .catch((err) => (logger.error({ err: (err as Error).message }, 'dispatcher stop failed'), 1))
  if (busyLanes) logger.warn({ busyLanes }, 'stopping with sends still in flight; they are sent again after the restart')
  await deps.opens?.stop().catch((err) => logger.error({ err: (err as Error).message }, 'writing opened events failed'))
  try {
    close()
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'the last commit failed')
    logs.flushSync()
    process.exit(1)
  }
  logger.info({ signal, ms: Date.now() - start, droppedLogLines: logs.dropped() || undefined }, 'stopped')
  await logs.flush(300)
  process.exit(0)
}

/** Closes the port at once; answers requests in flight until `deadline`, then cuts their connections. */
async function closeHttp(deadline: number) {
  const http = server as Server
  const closed = new Promise<void>((ok) => http.close(() => ok()))
  // Keep-alive connections would hold the server open: each is closed as soon as it is idle,
  // that is once its request in flight has been answered.
  const idle = setInterval(() => http.closeIdleConnections(), 50)
  http.closeIdleConnections()
  if (!(await within(closed, deadline))) {
    logger.warn({}, 'requests still in flight at the stop; closing their connections')
    http.closeAllConnections()
    await within(closed, deadline + 500)
  }
  clearInterval(idle)
}

/** Last resort: commits what has finished, and exits 1 without waiting for the rest. */
function forcedStop(reason: string) {
  logger.error({ reason, inFlight: running.size }, 'stopping without waiting for the work in flight')
  logs.flushSync()
  try {
    close()
  } catch {
    // Work still running inside the turn's transaction: the platforms deliver its updates again.
  }
  process.exit(1)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
