import { eq, inArray } from 'drizzle-orm'
import { settings } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { decodeKey, type Config } from '../config.js'
import type { MessengerName } from '../core/events.js'
import { decryptSecret, encryptSecret } from '../crypto.js'

/** A bot turned on in the console: its token and the webhook secret Loa generated, with what getMe said. */
export interface StoredBot {
  token: string
  webhookSecret: string
  /** The bot's name and (Telegram) username, as the platform's getMe gave them. */
  name?: string
  username?: string
  /** Zalo bot: the https link to its chat an admin entered, for invite cards (ZALO_BOT_LINK wins). */
  link?: string
}

/** The Zalo OA's app credentials, set in the console. */
export interface StoredOa {
  appId: string
  appSecret: string
  secretKey: string
}

export interface StoredChannels {
  telegram?: StoredBot
  zalo?: StoredBot
  zalo_oa?: StoredOa
  publicUrl?: string
  /** Polling chosen in the console (Node without a public address); absent: webhooks. */
  botMode?: 'polling'
}

const keyOf = (channel: MessengerName) => `channel:${channel}`
const PUBLIC_URL_KEY = 'public_url'
const BOT_MODE_KEY = 'bot_mode'
const KEYS = [keyOf('telegram'), keyOf('zalo'), keyOf('zalo_oa'), PUBLIC_URL_KEY, BOT_MODE_KEY]

/** The key channel secrets are encrypted with (TOKEN_ENCRYPTION_KEY), or null when none is set. */
export function encryptionKeyOf(config: Config): Uint8Array | null {
  return config.tokenEncryptionKey ? decodeKey(config.tokenEncryptionKey) : null
}

/**
 * What the console stored: one `settings` row per channel, its JSON encrypted (AES-256-GCM, the
 * row's key bound as associated data), and PUBLIC_URL in clear. A row the key cannot open (the key
 * was changed) counts as not set.
 */
export async function readStoredChannels(db: Db, key: Uint8Array | null): Promise<StoredChannels> {
  const rows = await db.select().from(settings).where(inArray(settings.key, KEYS))
  const out: StoredChannels = {}
  for (const row of rows) {
    if (row.key === PUBLIC_URL_KEY) {
      out.publicUrl = row.value
      continue
    }
    if (row.key === BOT_MODE_KEY) {
      if (row.value === 'polling') out.botMode = 'polling'
      continue
    }
    if (!key) continue
    try {
      const value = JSON.parse(await decryptSecret(key, row.value, row.key)) as StoredBot & StoredOa
      const channel = row.key.slice('channel:'.length) as MessengerName
      ;(out as Record<string, unknown>)[channel] = value
    } catch {
      // Encrypted under another key: the admin sets the channel again.
    }
  }
  return out
}

export async function storeChannel(db: Db, key: Uint8Array, channel: MessengerName, value: StoredBot | StoredOa): Promise<void> {
  const sealed = await encryptSecret(key, JSON.stringify(value), keyOf(channel))
  await db
    .insert(settings)
    .values({ key: keyOf(channel), value: sealed })
    .onConflictDoUpdate({ target: settings.key, set: { value: sealed } })
}

export async function removeStoredChannel(db: Db, channel: MessengerName): Promise<boolean> {
  const gone = await db.delete(settings).where(eq(settings.key, keyOf(channel))).returning({ key: settings.key })
  return gone.length > 0
}

/** Stores the bot mode chosen in the console: polling, or back to webhooks (the default) with 'webhook'. */
export async function storeBotMode(db: Db, mode: 'webhook' | 'polling'): Promise<void> {
  if (mode === 'webhook') {
    await db.delete(settings).where(eq(settings.key, BOT_MODE_KEY))
    return
  }
  await db.insert(settings).values({ key: BOT_MODE_KEY, value: mode }).onConflictDoUpdate({ target: settings.key, set: { value: mode } })
}

/** Stores PUBLIC_URL (an https:// address without a trailing slash), or removes it with null. */
export async function storePublicUrl(db: Db, url: string | null): Promise<void> {
  if (url === null) {
    await db.delete(settings).where(eq(settings.key, PUBLIC_URL_KEY))
    return
  }
  await db.insert(settings).values({ key: PUBLIC_URL_KEY, value: url }).onConflictDoUpdate({ target: settings.key, set: { value: url } })
}

/**
 * The configuration in effect: the environment's channels and PUBLIC_URL win; where it has none,
 * the stored ones, with the environment's API roots and rates.
 */
export function effectiveConfig(env: Config, stored: StoredChannels): Config {
  const p = env.platforms
  const key = encryptionKeyOf(env)
  const tg = stored.telegram
  const zalo = stored.zalo
  const oa = stored.zalo_oa
  return {
    ...env,
    publicUrl: env.publicUrl ?? stored.publicUrl,
    botMode: env.botModeFromEnv ? env.botMode : (stored.botMode ?? env.botMode),
    telegram: env.telegram ?? (tg ? { ...p.telegram, token: tg.token, webhookSecret: tg.webhookSecret, username: tg.username } : null),
    zalo: env.zalo ?? (zalo ? { ...p.zalo, token: zalo.token, webhookSecret: zalo.webhookSecret, link: p.zalo.link ?? zalo.link } : null),
    zaloOa: env.zaloOa ?? (oa && key ? { ...p.zaloOa, appId: oa.appId, appSecret: oa.appSecret, secretKey: oa.secretKey, encryptionKey: key } : null),
  }
}
