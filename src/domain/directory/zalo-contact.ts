import { eq } from 'drizzle-orm'
import { settings, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { Channels } from '../../core/channel.js'
import { translate } from '../../i18n.js'

/** The Zalo account an invite card sends a teacher to: its name where known, and a link where the platform gives one. */
export interface ZaloContact {
  channel: 'zalo' | 'zalo_oa'
  name: string | null
  link: string | null
}

/** Where the accounts' names are kept (from the Zalo bot's `getMe`, the OA's `getoa`), so a sheet does not ask Zalo every time. */
const NAME_KEYS = { zalo: 'zalo.account_name', zalo_oa: 'zalo_oa.account_name' } as const
/** A name is asked again after a day (the token or the OA may have changed). */
const NAME_TTL_MS = 86_400_000

type BotClient = { getMe?: () => Promise<{ account_name?: string }> }
type OaAdapter = { client?: { getOa?: (token: string) => Promise<{ name?: string }> }; tokens?: { accessToken(): Promise<string | null> } }

/** Forgets the cached name of a channel's account (its token changed: it may be another bot or OA). */
export async function forgetAccountName(db: Db, channel: 'telegram' | keyof typeof NAME_KEYS): Promise<void> {
  if (channel === 'telegram') return
  await db.delete(settings).where(eq(settings.key, NAME_KEYS[channel]))
}

/** An account's name: cached in `settings`, asked of Zalo again after a day; null when Zalo does not say. */
async function accountName(db: Db, channel: keyof typeof NAME_KEYS, now: Date, ask: () => Promise<string | undefined>): Promise<string | null> {
  const key = NAME_KEYS[channel]
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1)
  const cached = row ? (JSON.parse(row.value) as { name: string | null; at: number }) : null
  if (cached && now.getTime() - cached.at < NAME_TTL_MS) return cached.name
  try {
    const name = (await ask())?.trim().slice(0, 100) || null
    const value = JSON.stringify({ name, at: now.getTime() })
    await db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } })
    return name
  } catch {
    // Zalo unreachable: the last known name, or none; the card still says what to do.
    return cached?.name ?? null
  }
}

const botName = (db: Db, channels: Channels, now: Date) =>
  accountName(db, 'zalo', now, async () => (await (channels.zalo as { client?: BotClient } | undefined)?.client?.getMe?.())?.account_name)

const oaName = (db: Db, channels: Channels, now: Date) =>
  accountName(db, 'zalo_oa', now, async () => {
    const oa = channels.zalo_oa as OaAdapter | undefined
    const token = await oa?.tokens?.accessToken()
    return token ? (await oa?.client?.getOa?.(token))?.name : undefined
  })

/**
 * The Zalo account invite cards point to. The OA, once connected, has a public page at
 * `https://zalo.me/<OA id>` and its name from `getoa`; the Zalo bot's link is what the admin configured (ZALO_BOT_LINK), its
 * name what `getMe` says. The OA is preferred when it is connected: it is the Department's official
 * account. Null when no Zalo channel can take a code.
 */
export async function zaloContact(
  deps: { db: Db; channels: Channels; config: { zalo: { link?: string } | null } },
  now: Date,
): Promise<ZaloContact | null> {
  const oa = deps.channels.zalo_oa?.connection
  if (oa) {
    const status = await oa.status().catch(() => null)
    const id = status?.connected ? status.accountId : null
    if (id && /^\d{1,30}$/.test(id)) return { channel: 'zalo_oa', name: await oaName(deps.db, deps.channels, now), link: `https://zalo.me/${id}` }
  }
  if (deps.channels.zalo) {
    return { channel: 'zalo', name: await botName(deps.db, deps.channels, now), link: deps.config.zalo?.link ?? null }
  }
  return null
}

/** What a card tells a Zalo user to do with `code`: open the link or scan the QR, or find the named account; then send the code. */
export function zaloLine(lang: Locale, contact: ZaloContact | null, code: string): string {
  if (!contact) return translate(lang, 'directory.sheet.zaloOff')
  const who = contact.name ? translate(lang, 'directory.sheet.zaloNamed', { name: contact.name }) : translate(lang, 'directory.sheet.zaloDepartment')
  if (contact.link) return translate(lang, 'directory.sheet.zaloLink', { link: contact.link, who, code })
  return translate(lang, 'directory.sheet.zalo', { who, code })
}
