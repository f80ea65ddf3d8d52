import { eq } from 'drizzle-orm'
import { settings, type Locale } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import type { Channels } from '../../core/channel.js'
import { translate } from '../../i18n.js'

/** The Zalo account an invite card sends a teacher to: its name where known, and a link where the platform gives one. */
export interface ZaloContact {
  channel: 'zalo' | 'zalo_oa'
  name: string | null
  link: string | null
}

/** Where the Zalo bot's name from `getMe` is kept, so a sheet does not ask Zalo every time. */
const NAME_KEY = 'zalo.account_name'
/** The name is asked again after a day (the token may have changed). */
const NAME_TTL_MS = 86_400_000

type BotClient = { getMe?: () => Promise<{ account_name?: string }> }

/** The Zalo bot's account name: cached in `settings`, refreshed from `getMe` after a day; null when Zalo does not say. */
async function botName(db: Db, channels: Channels, now: Date): Promise<string | null> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, NAME_KEY)).limit(1)
  const cached = row ? (JSON.parse(row.value) as { name: string | null; at: number }) : null
  if (cached && now.getTime() - cached.at < NAME_TTL_MS) return cached.name
  const client = (channels.zalo as { client?: BotClient } | undefined)?.client
  try {
    const me = await client?.getMe?.()
    const name = me?.account_name?.trim().slice(0, 100) || null
    const value = JSON.stringify({ name, at: now.getTime() })
    await db.insert(settings).values({ key: NAME_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } })
    return name
  } catch {
    // Zalo unreachable: the last known name, or none; the card still says what to do.
    return cached?.name ?? null
  }
}

/**
 * The Zalo account invite cards point to. The OA, once connected, has a public page at
 * `https://zalo.me/<OA id>`; the Zalo bot's link is what the admin configured (ZALO_BOT_LINK), its
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
    if (id && /^\d{1,30}$/.test(id)) return { channel: 'zalo_oa', name: null, link: `https://zalo.me/${id}` }
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
