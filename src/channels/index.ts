import type { ChannelAdapter, ChannelLimits, Channels } from '../core/channel.js'
import type { Config } from '../config.js'
import type { Logger } from '../deps.js'
import { createTelegramAdapter } from './telegram/adapter.js'
import { createZaloAdapter } from './zalo/adapter.js'
import { createZaloOaAdapter } from './zalo-oa/adapter.js'
import { createZaloOaClient } from './zalo-oa/client.js'
import { createOaTokenStore } from './zalo-oa/tokens.js'
import type { Db } from '#db/types.js'

/**
 * The adapters for every channel that has a token; a channel without one is off. The Zalo OA
 * keeps its OAuth tokens in the database, so it is built only when `db` is given.
 */
export function buildChannels(
  config: Config,
  options: {
    fetch?: typeof fetch
    logger?: Logger
    db?: Db
    clock?: () => Date
    /** Node's DNS lookup for the image downloads' address check (none on Workers). */
    resolveHost?: (hostname: string) => Promise<readonly string[]>
  } = {},
): Channels {
  const channels: Channels = {}
  if (config.telegram) {
    channels.telegram = withLimits(createTelegramAdapter({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      webhookSecret: config.telegram.webhookSecret,
      username: config.telegram.username,
      fetch: options.fetch,
      timeoutSeconds: config.platformTimeoutSeconds,
      logger: options.logger,
    }), { ratePerSecond: config.telegram.ratePerSecond, perChatIntervalMs: 1000, monthlyQuota: 0 })
  }
  if (config.zalo) {
    channels.zalo = withLimits(createZaloAdapter({
      token: config.zalo.token,
      apiRoot: config.zalo.apiRoot,
      webhookSecret: config.zalo.webhookSecret,
      fetch: options.fetch,
      timeoutSeconds: config.platformTimeoutSeconds,
      logger: options.logger,
      mediaAllowHosts: config.mediaFetchAllowHosts,
      mediaResolveHost: options.resolveHost,
    }), { ratePerSecond: config.zalo.ratePerSecond, perChatIntervalMs: 1000, monthlyQuota: config.zalo.monthlyQuota, userLimit: config.zalo.userLimit })
  }
  if (config.zaloOa && options.db) {
    const oa = config.zaloOa
    const client = createZaloOaClient({
      appId: oa.appId,
      appSecret: oa.appSecret,
      apiRoot: oa.apiRoot,
      oauthRoot: oa.oauthRoot,
      fetch: options.fetch,
      timeoutMs: config.platformTimeoutSeconds * 1000,
    })
    const store = createOaTokenStore(options.db, oa.encryptionKey, client, options.clock ?? (() => new Date()))
    channels.zalo_oa = createZaloOaAdapter({
      appId: oa.appId,
      secretKey: oa.secretKey,
      client,
      tokens: store.source,
      connection: store.connection,
      ratePerSecond: oa.ratePerSecond,
      windowHours: oa.windowHours,
      monthlyQuota: oa.monthlyQuota,
      eventMaxAgeMs: oa.eventMaxAgeMinutes * 60_000,
      clock: options.clock,
      logger: options.logger,
      mediaAllowHosts: config.mediaFetchAllowHosts,
      mediaResolveHost: options.resolveHost,
    })
  }
  return channels
}

/** The limits a bot adapter runs under, from configuration (the platforms document few of them). */
function withLimits<T extends ChannelAdapter>(adapter: T, limits: ChannelLimits): T {
  return Object.assign(adapter, { limits })
}
