import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { chatLinks } from '#db/schema/index.js'
import type { MessengerName } from '../core/events.js'
import { randomString } from '../crypto.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { forgetAccountName } from './directory/zalo-contact.js'

type ChannelResolver = NonNullable<AppDeps['channelSettings']>
type StoredBot = Extract<Parameters<ChannelResolver['store']>[1], { token: string }>

export type BotName = 'telegram' | 'zalo'
export const botNames: readonly BotName[] = ['telegram', 'zalo']

/** Where the platform posts updates for `channel` (the OA's path has a '-'). */
export const webhookPath = (channel: MessengerName) => `/webhook/${channel.replace(/_/g, '-')}`

export const botTokenSchema = z.object({
  token: z.string().trim().regex(/^[A-Za-z0-9:_.-]{8,300}$/),
  /** Zalo bot: the link to its chat (from the Zalo Bot manager) for invite cards; empty for none. */
  link: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.url({ protocol: /^https$/ }).max(300).optional()),
})
export const oaCredentialsSchema = z.object({
  appId: z.string().trim().regex(/^\d{1,30}$/),
  appSecret: z.string().trim().min(8).max(300),
  oaSecretKey: z.string().trim().min(8).max(300),
})
export const publicUrlSchema = z.object({
  publicUrl: z.union([z.literal(''), z.null(), z.url({ protocol: /^https$/ }).max(300)]),
})

/** The channel's settings are the stored ones on this instance now, and on the others within seconds. */
export async function refreshNow(deps: AppDeps): Promise<void> {
  await deps.channelSettings?.applyTo(deps, true)
}

/** Whether channel settings can be stored here (TOKEN_ENCRYPTION_KEY is known). */
export const canStoreChannels = (deps: AppDeps) => !!deps.channelSettings?.canStore()

/** Who set a channel: the environment (read-only here), the console, or nobody. */
export function sourceOf(deps: AppDeps, channel: MessengerName): 'env' | 'console' | null {
  const env = deps.channelSettings?.env ?? deps.config
  const fromEnv = channel === 'telegram' ? env.telegram : channel === 'zalo' ? env.zalo : env.zaloOa
  if (fromEnv) return 'env'
  return deps.channels[channel] ? 'console' : null
}

function assertChangeable(deps: AppDeps, channel: MessengerName): ChannelResolver {
  if (sourceOf(deps, channel) === 'env') throw new AppError('conflict', 'consoleChannels.errors.fromEnv', { channel: `channel.${channel}` })
  if (!deps.channelSettings?.canStore()) throw new AppError('unprocessable', 'consoleChannels.errors.noKey')
  return deps.channelSettings
}

/** The platform's answer to getMe, or a 422 saying in the reader's language why the token was refused. */
async function probeBot(settings: ChannelResolver, channel: BotName, token: string) {
  try {
    return await settings.probe(channel, token)
  } catch (err) {
    const reason = describeRefusal(err)
    throw new AppError('unprocessable', 'consoleChannels.errors.tokenRefused', { channel: `channel.${channel}`, reason })
  }
}

function describeRefusal(err: unknown): string {
  const e = err as { description?: string; message?: string }
  return String(e.description ?? e.message ?? err).replace(/bot\d+:[^/\s]+/g, 'bot…').slice(0, 200)
}

export interface BotView {
  channel: MessengerName
  on: boolean
  source: 'env' | 'console' | null
  name: string | null
  link: string | null
  webhookUrl: string | null
  /** Whether the platform was told the webhook address (false: no PUBLIC_URL, so no webhook). */
  webhookRegistered: boolean
}

/**
 * PUT /api/channels/telegram|zalo: checks the token with getMe, generates the webhook secret,
 * registers PUBLIC_URL/webhook/<channel> with it (when PUBLIC_URL is known), stores both encrypted.
 */
export async function turnOnBot(deps: AppDeps, channel: BotName, input: unknown): Promise<BotView> {
  const settings = assertChangeable(deps, channel)
  const parsed = botTokenSchema.safeParse(input)
  if (!parsed.success) {
    const badLink = parsed.error.issues.some((i) => i.path[0] === 'link')
    throw new AppError('invalid_input', badLink ? 'consoleChannels.errors.badLink' : 'consoleChannels.errors.badToken')
  }
  const bot = await probeBot(settings, channel, parsed.data.token)
  const { name, username } = bot
  const webhookSecret = randomString(48, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')
  const webhookUrl = deps.config.publicUrl ? `${deps.config.publicUrl}${webhookPath(channel)}` : null
  if (webhookUrl && deps.config.botMode === 'webhook') {
    try {
      await bot.registerWebhook(webhookUrl, webhookSecret)
    } catch (err) {
      throw new AppError('unprocessable', 'consoleChannels.errors.webhookRefused', { channel: `channel.${channel}`, reason: describeRefusal(err) })
    }
  }
  const link = channel === 'zalo' ? parsed.data.link : undefined
  const stored: StoredBot = { token: parsed.data.token, webhookSecret, ...(name ? { name } : {}), ...(username ? { username } : {}), ...(link ? { link } : {}) }
  await settings.store(channel, stored)
  // Invite cards name the account as getMe says: a new token may be another bot.
  await forgetAccountName(deps.db, channel)
  await refreshNow(deps)
  return { ...botView(deps, channel), webhookRegistered: !!webhookUrl && deps.config.botMode === 'webhook' }
}

/** What the console and the API show of a bot: its name and link, where it is from, its webhook. */
export function botView(deps: AppDeps, channel: MessengerName): BotView {
  const stored = deps.channelSettings ? storedOf(deps, channel) : undefined
  const username = channel === 'telegram' ? (deps.config.telegram?.username ?? stored?.username) : undefined
  const on = !!deps.channels[channel]
  return {
    channel,
    on,
    source: sourceOf(deps, channel),
    name: stored?.name ?? username ?? null,
    link: on && username ? `https://t.me/${username}` : null,
    webhookUrl: deps.config.publicUrl ? `${deps.config.publicUrl}${webhookPath(channel)}` : null,
    webhookRegistered: false,
  }
}

function storedOf(deps: AppDeps, channel: MessengerName): StoredBot | undefined {
  const state = deps.channelSettings?.peek()
  return channel === 'zalo_oa' ? undefined : state?.stored[channel]
}

/** DELETE /api/channels/:channel: the platform forgets the webhook (best effort), the settings go. */
export async function turnOff(deps: AppDeps, channel: MessengerName): Promise<{ channel: MessengerName; on: false }> {
  const settings = assertChangeable(deps, channel)
  const adapter = deps.channels[channel]
  if (adapter && channel !== 'zalo_oa' && deps.config.botMode === 'webhook') {
    await settings.forgetWebhook(adapter).catch((err: unknown) => deps.logger.warn({ channel, err: describeRefusal(err) }, 'deleteWebhook failed'))
  }
  const removed = await settings.remove(channel)
  if (!removed) throw new AppError('not_found', 'api.errors.channelOff', { channel })
  await refreshNow(deps)
  return { channel, on: false }
}

/** PUT /api/channels/zalo-oa: the OA's app credentials, stored encrypted; then the connect flow. */
export async function setOaCredentials(deps: AppDeps, input: unknown): Promise<BotView> {
  const settings = assertChangeable(deps, 'zalo_oa')
  const parsed = oaCredentialsSchema.safeParse(input)
  if (!parsed.success) throw new AppError('invalid_input', 'consoleChannels.errors.badOa')
  const { appId, appSecret, oaSecretKey } = parsed.data
  await settings.store('zalo_oa', { appId, appSecret, secretKey: oaSecretKey })
  await refreshNow(deps)
  return botView(deps, 'zalo_oa')
}

/**
 * PUT /api/channels/public-url: stored, unless PUBLIC_URL is set in the environment (which wins).
 * The bots turned on in the console before it was known then register their webhooks there.
 */
export async function setPublicUrl(deps: AppDeps, input: unknown): Promise<{ publicUrl: string | null; webhooks: MessengerName[] }> {
  if ((deps.channelSettings?.env ?? deps.config).publicUrl) throw new AppError('conflict', 'consoleChannels.errors.publicUrlFromEnv')
  if (!deps.channelSettings) throw new AppError('unprocessable', 'consoleChannels.errors.noKey')
  const parsed = publicUrlSchema.safeParse(input)
  if (!parsed.success) throw new AppError('invalid_input', 'consoleChannels.errors.badPublicUrl')
  const url = parsed.data.publicUrl ? parsed.data.publicUrl.replace(/\/+$/, '') : null
  await deps.channelSettings.storePublicUrl(url)
  await refreshNow(deps)
  const webhooks: MessengerName[] = []
  for (const channel of botNames) {
    const adapter = deps.channels[channel]
    const secret = deps.config[channel]?.webhookSecret
    if (!url || !adapter?.registerWebhook || !secret || sourceOf(deps, channel) !== 'console' || deps.config.botMode !== 'webhook') continue
    try {
      await adapter.registerWebhook(`${url}${webhookPath(channel)}`, secret)
      webhooks.push(channel)
    } catch (err) {
      throw new AppError('unprocessable', 'consoleChannels.errors.webhookRefused', { channel: `channel.${channel}`, reason: describeRefusal(err) })
    }
  }
  return { publicUrl: deps.config.publicUrl ?? null, webhooks }
}

export const botModeSchema = z.object({ mode: z.enum(['webhook', 'polling']) })

/**
 * PUT /api/channels/bot-mode: on Node without a public https address, the bots can ask the
 * platforms for messages (polling) instead of receiving webhooks; chosen here, it takes effect
 * within seconds with no restart (the platforms drop the webhook when polling starts). Not on
 * Workers, which only receive; not when BOT_MODE is set in the environment.
 */
export async function setBotMode(deps: AppDeps, input: unknown): Promise<{ mode: 'webhook' | 'polling' }> {
  if (deps.runtime === 'workers') throw new AppError('unprocessable', 'consoleChannels.errors.pollingOnWorkers')
  if ((deps.channelSettings?.env ?? deps.config).botModeFromEnv) throw new AppError('conflict', 'consoleChannels.errors.botModeFromEnv')
  if (!deps.channelSettings) throw new AppError('unprocessable', 'consoleChannels.errors.noKey')
  const parsed = botModeSchema.safeParse(input)
  if (!parsed.success) throw new AppError('invalid_input', 'consoleChannels.errors.badBotMode')
  await deps.channelSettings.storeBotMode(parsed.data.mode)
  await refreshNow(deps)
  // Back to webhooks: polling made the platforms forget them, so each bot registers its own again.
  if (parsed.data.mode === 'webhook' && deps.config.publicUrl) {
    for (const channel of botNames) {
      const adapter = deps.channels[channel]
      const secret = deps.config[channel]?.webhookSecret
      if (!adapter?.registerWebhook || !secret) continue
      await adapter.registerWebhook(`${deps.config.publicUrl}${webhookPath(channel)}`, secret).catch((err: unknown) => {
        throw new AppError('unprocessable', 'consoleChannels.errors.webhookRefused', { channel: `channel.${channel}`, reason: describeRefusal(err) })
      })
    }
  }
  return { mode: deps.config.botMode }
}

/**
 * POST /api/channels/:channel/test: a short message to a linked chat of the signed-in person, or
 * to the chat named (signed in with ADMIN_TOKEN, who has no chats of their own).
 */
export async function sendTestMessage(deps: AppDeps, channel: MessengerName, who: { personId: number | null }, chatId: unknown, text: string) {
  const adapter = deps.channels[channel]
  if (!adapter) throw new AppError('not_found', 'api.errors.channelOff', { channel })
  let target: string | undefined
  if (who.personId !== null) {
    const [link] = await deps.db
      .select({ chatId: chatLinks.chatId })
      .from(chatLinks)
      .where(and(eq(chatLinks.personId, who.personId), eq(chatLinks.channel, channel), isNull(chatLinks.blockedAt)))
      .limit(1)
    target = link?.chatId
    if (!target) throw new AppError('unprocessable', 'consoleChannels.errors.noLinkedChat', { channel: `channel.${channel}` })
  } else {
    if (typeof chatId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(chatId.trim())) throw new AppError('invalid_input', 'consoleChannels.errors.chatIdNeeded')
    target = chatId.trim()
  }
  try {
    await adapter.send(target, { text })
  } catch (err) {
    throw new AppError('unprocessable', 'consoleChannels.errors.testFailed', { channel: `channel.${channel}`, reason: describeRefusal(err) })
  }
  return { channel, chatId: target, sent: true }
}
