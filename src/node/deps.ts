import type { SqliteDb } from '#db/sqlite.js'
import { buildChannels } from '../channels/index.js'
import { channelResolver } from '../channels/live.js'
import type { Config } from '../config.js'
import { silentLogger, type AppDeps, type Logger } from '../deps.js'
import { loadAssets } from './assets.js'
import { resolveHost } from './resolve-host.js'

/** What differs between the server, the CLI, the tests and the benches; the rest is the same for all. */
interface NodeDepsOptions {
  /** Hex SHA-256 of the admin bearer token. */
  adminTokenHash: string
  /** Pino on the server, a recording logger in tests; silent when left out. */
  logger?: Logger
  /** The time the app reads: a fixed `now` for the CLI's `--now` and for tests; the real time when left out. */
  clock?: () => Date
  /** How the platform clients call out: node:http (src/node/http-fetch.ts) on the server and in tests; global fetch when left out. */
  fetch?: typeof fetch
  /**
   * The channels set in the console are followed (src/channels/live.ts): for a process that keeps
   * running (the server, the test harness). A one-shot command reads them once itself.
   */
  live?: boolean
  /** See AppDeps; when left out, nothing is sent (the running server sends what a command queued). */
  sendReplies?: AppDeps['sendReplies']
  /** See AppDeps; when left out, deferred work is handed back to be awaited. */
  defer?: AppDeps['defer']
  checkpoint?: AppDeps['checkpoint']
  webhookReplyGrant?: AppDeps['webhookReplyGrant']
  opens?: AppDeps['opens']
  /** Where images people send are kept (src/node/media-store.ts); none when left out. */
  media?: AppDeps['media']
}

/**
 * AppDeps on Node, in one place: for src/entry.node.ts, src/entry.cli.ts, the test harness and the
 * benches, on a database opened with db/sqlite.ts.
 */
export function createNodeDeps(config: Config, sqlite: Pick<SqliteDb, 'db' | 'committed'>, options: NodeDepsOptions): AppDeps {
  const { db, committed } = sqlite
  const logger = options.logger ?? silentLogger
  const clock = options.clock ?? (() => new Date())
  const build = (cfg: Config) => buildChannels(cfg, { fetch: options.fetch, logger, db, clock, resolveHost })
  const channels = build(config)
  const deps: AppDeps = {
    config,
    db,
    channels,
    clock,
    logger,
    committed,
    sendReplies: options.sendReplies ?? (() => {}),
    defer: options.defer ?? ((work) => work),
    adminTokenHash: options.adminTokenHash,
    assets: loadAssets(),
  }
  if (options.checkpoint) deps.checkpoint = options.checkpoint
  if (options.webhookReplyGrant) deps.webhookReplyGrant = options.webhookReplyGrant
  if (options.opens) deps.opens = options.opens
  if (options.media) deps.media = options.media
  if (options.live) deps.channelSettings = channelResolver(config, db, build, channels)
  return deps
}
