import type { OpenRecorder } from './domain/web/opens.js'
import type { Channels } from './core/channel.js'
import type { ChannelName } from './core/events.js'
import type { Config } from './config.js'
import type { Db } from '#db/types.js'
import type { AssetFiles } from './web/asset-names.js'
import type { ChannelResolver } from './channels/live.js'

/** Structured logger (pino on Node). Never pass tokens or phone numbers in `obj`. */
export interface Logger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** What `defer` needs of the request: Hono's Context has it (c.executionCtx, on Workers). */
interface DeferringRequest {
  executionCtx: { waitUntil(work: Promise<unknown>): void }
}

/** Everything the app needs from the runtime, handed in once by an entry point. */
export interface AppDeps {
  config: Config
  db: Db
  channels: Channels
  /**
   * The channels set in the console (src/channels/live.ts): read again every few seconds and
   * applied to `channels` and `config` in place. Absent: only the environment's channels.
   */
  channelSettings?: ChannelResolver
  /** Where Loa runs: Workers cannot poll the platforms (the console says so). Unset: Node. */
  runtime?: 'node' | 'workers'
  clock: () => Date
  logger: Logger
  /**
   * Resolves once every database write made so far is committed. On Node, SQLite commits each
   * event-loop turn's writes together (db/group-commit.ts), so nothing may be answered or sent
   * before this; D1 commits every statement, so on Workers it resolves at once.
   */
  committed: () => Promise<void>
  /**
   * After an erasure: the database's old page versions are written over on disk (Node: the WAL is
   * checkpointed into the file and emptied; db/sqlite.ts). Absent on Workers, where D1 keeps the
   * storage (and its Time Travel history; README, Personal data).
   */
  checkpoint?: () => void
  /**
   * Replies were queued in the outbox: send them now. Node pokes its running dispatcher; Workers
   * send them in waitUntil; tests send them before the webhook answers, so assertions see them.
   */
  sendReplies: () => Promise<unknown> | void
  /**
   * May a reply to `chatId` go out now inside the webhook's response? Granted when the bot's pace
   * has a free slot and the chat's one-a-second interval has passed; the slot is then taken. Left
   * out where no sender keeps that state across requests (Workers, tests): replies are then queued.
   */
  webhookReplyGrant?: (channel: ChannelName, chatId: string) => boolean
  /**
   * Runs work after the HTTP answer: waitUntil on Workers (of `request`, the Hono context of the
   * request that defers it, since deps outlive requests there), a caught promise on Node, awaited in tests.
   */
  defer: (work: Promise<unknown>, request?: DeferringRequest) => void
  /** Hex SHA-256 of the admin bearer token; the token itself is never stored. */
  adminTokenHash: string
  /**
   * Where the public pages' "opened" events go when not written one by one: batches each second on
   * Node (src/domain/web/opens.ts `bufferedOpens`); unset on Workers and in tests (each is written
   * before the page answers).
   */
  opens?: OpenRecorder
  /** The pages' stylesheet, scripts and vendor files, loaded by the entry (src/web/asset-names.ts). */
  assets: AssetFiles
  /**
   * Where images people send (misinformation reports) are kept: files on disk on Node. Absent on
   * Workers, where Loa keeps a report's text and links only.
   */
  media?: MediaStore
}

/** Content-addressed image storage: the key is the SHA-256 (hex) of the bytes, so one image is kept once. */
export interface MediaStore {
  put(bytes: Uint8Array, mime: string): Promise<{ sha256: string; size: number }>
  /** The bytes and type of a stored image; null when absent (erased). */
  get(sha256: string): Promise<{ bytes: Uint8Array; mime: string } | null>
  delete(sha256: string): Promise<void>
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
