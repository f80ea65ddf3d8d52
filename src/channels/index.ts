import type { Channels } from '../core/channel.js'
import type { Config } from '../config.js'
import type { Logger } from '../deps.js'
import { createTelegramAdapter } from './telegram/adapter.js'
import { createZaloAdapter } from './zalo/adapter.js'

/** The adapters for every channel that has a token; a channel without one is off. */
export function buildChannels(config: Config, options: { fetch?: typeof fetch; logger?: Logger } = {}): Channels {
  const channels: Channels = {}
  if (config.telegram) {
    channels.telegram = createTelegramAdapter({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      webhookSecret: config.telegram.webhookSecret,
      username: config.telegram.username,
      fetch: options.fetch,
      timeoutSeconds: config.platformTimeoutSeconds,
      logger: options.logger,
    })
  }
  if (config.zalo) {
    channels.zalo = createZaloAdapter({
      token: config.zalo.token,
      apiRoot: config.zalo.apiRoot,
      webhookSecret: config.zalo.webhookSecret,
      fetch: options.fetch,
      timeoutSeconds: config.platformTimeoutSeconds,
      logger: options.logger,
    })
  }
  return channels
}
