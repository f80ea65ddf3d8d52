import type { Channels } from '../core/channel.js'
import type { MessengerName } from '../core/events.js'
import type { Config } from '../config.js'
import type { Db } from '#db/types.js'
import {
  effectiveConfig,
  encryptionKeyOf,
  readStoredChannels,
  removeStoredChannel,
  storeChannel,
  storeBotMode,
  storePublicUrl,
  type StoredBot,
  type StoredChannels,
  type StoredOa,
} from './settings.js'
import { createTelegramAdapter } from './telegram/adapter.js'
import { createZaloAdapter } from './zalo/adapter.js'

/** How long one process or isolate trusts what it read of the stored channel settings. */
export const CHANNEL_SETTINGS_TTL_MS = 5000

export interface LiveState {
  config: Config
  channels: Channels
  stored: StoredChannels
}

const fingerprintOf = (config: Config, name: MessengerName) =>
  JSON.stringify(name === 'telegram' ? config.telegram : name === 'zalo' ? config.zalo : config.zaloOa && { ...config.zaloOa, encryptionKey: undefined })

/**
 * The channels in effect, from the environment (which wins) and the settings stored in the console,
 * read again at most every CHANNEL_SETTINGS_TTL_MS: a change made on one instance or isolate is
 * seen on the others' next request after that. An adapter is rebuilt only when its settings change.
 */
export function channelResolver(env: Config, db: Db, build: (config: Config) => Channels, initial?: Channels, now: () => number = Date.now) {
  const key = () => encryptionKeyOf(base)
  const base: Config = { ...env }
  let state: LiveState = { config: base, channels: initial ?? build(base), stored: {} }
  let readAt = -Infinity
  let reading: Promise<LiveState> | null = null

  async function read(): Promise<LiveState> {
    const stored = await readStoredChannels(db, encryptionKeyOf(base))
    const config = effectiveConfig(base, stored)
    const names: MessengerName[] = ['telegram', 'zalo', 'zalo_oa']
    const changed = names.filter((n) => fingerprintOf(config, n) !== fingerprintOf(state.config, n))
    const fresh = changed.length ? build(config) : {}
    const channels: Channels = {}
    for (const n of names) {
      const adapter = changed.includes(n) ? fresh[n] : state.channels[n]
      if (adapter) channels[n] = adapter
    }
    state = { config, channels, stored }
    readAt = now()
    return state
  }

  return {
    /** The state in effect; `force` reads the settings again now (after this process changed them). */
    async get(force = false): Promise<LiveState> {
      if (!force && now() - readAt < CHANNEL_SETTINGS_TTL_MS) return state
      reading ??= read().finally(() => (reading = null))
      return reading
    },
    /** TOKEN_ENCRYPTION_KEY is known: channel settings can be stored. */
    canStore: () => key() !== null,
    async store(channel: MessengerName, value: StoredBot | StoredOa): Promise<void> {
      const k = key()
      if (!k) throw new Error('no TOKEN_ENCRYPTION_KEY')
      await storeChannel(db, k, channel, value)
    },
    remove: (channel: MessengerName) => removeStoredChannel(db, channel),
    storePublicUrl: (url: string | null) => storePublicUrl(db, url),
    storeBotMode: (mode: 'webhook' | 'polling') => storeBotMode(db, mode),
    /** Applies the settings in effect to `target`; `force` reads them again now (after this process changed them). */
    async applyTo(target: { config: Config; channels: Channels }, force = false): Promise<void> {
      applyLive(target, await this.get(force))
    },
    forgetWebhook,
    probe: (channel: 'telegram' | 'zalo', token: string) => probeBot(base, channel, token),
    /** The state last read, without reading again. */
    peek: (): LiveState => state,
    /** The environment's configuration, before stored settings: what is read-only in the console. */
    env: base,
  }
}

export type ChannelResolver = ReturnType<typeof channelResolver>

/**
 * Brings `deps` up to date in place: the dispatcher, the router and the pages hold `deps` and look
 * up `deps.channels[name]` and `deps.config.publicUrl` each time.
 */
export function applyLive(target: { config: Config; channels: Channels }, state: LiveState): void {
  const { config } = target
  config.publicUrl = state.config.publicUrl
  config.botMode = state.config.botMode
  config.telegram = state.config.telegram
  config.zalo = state.config.zalo
  config.zaloOa = state.config.zaloOa
  const channels = target.channels as Record<string, unknown>
  for (const name of Object.keys(channels)) if (!(name in state.channels)) delete channels[name]
  Object.assign(channels, state.channels)
}

/**
 * Asks the platform who the bot with `token` is (getMe); throws the platform's refusal. The bot
 * returned can register its webhook before anything is stored.
 */
async function probeBot(config: Config, channel: 'telegram' | 'zalo', token: string) {
  const p = config.platforms
  const timeoutSeconds = config.platformTimeoutSeconds
  if (channel === 'telegram') {
    const adapter = createTelegramAdapter({ token, apiRoot: p.telegram.apiRoot, webhookSecret: undefined, timeoutSeconds })
    const me = await adapter.api.getMe()
    return { registerWebhook: adapter.registerWebhook!, name: me.first_name, username: me.username as string | undefined }
  }
  const adapter = createZaloAdapter({ token, apiRoot: p.zalo.apiRoot, webhookSecret: undefined, timeoutSeconds })
  const me = await adapter.client.getMe()
  return { registerWebhook: adapter.registerWebhook!, name: me.account_name ?? undefined, username: undefined }
}

/** Tells the platform to stop posting to the webhook of a bot being turned off (grammY's deleteWebhook, Zalo's). */
export async function forgetWebhook(adapter: unknown): Promise<void> {
  const a = adapter as { api?: { deleteWebhook(): Promise<unknown> }; client?: { deleteWebhook(): Promise<unknown> } }
  await (a.api ?? a.client)?.deleteWebhook()
}
