import { sql } from 'drizzle-orm'
import type { Db } from '#db/types.js'
import type { ChannelAdapter } from '../core/channel.js'
import type { ChannelName } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { translator } from '../i18n.js'
import { localDay } from '../time.js'
import { notifyAdmins } from './admin-notices.js'

/**
 * A bot's user limit (the Zalo bot's plan: reported as 50 users on the free plan, ZALO_BOT_USER_LIMIT):
 * the distinct chats it talks to — staff's linked chats and subscribers — against the limit. The
 * console and GET /api/channels show "N / limit", warned from 80 %; once it is reached a new
 * subscriber is asked to use the OA or Telegram instead, and the admins are told (once a day).
 */
export const USER_LIMIT_WARN_SHARE = 0.8

export interface UserLimitState {
  used: number
  limit: number
  /** At least 80 % of the limit used. */
  warning: boolean
  reached: boolean
}

/** Distinct chats of the channel: linked to staff (now or before) or subscribers. */
export async function botUsers(db: Db, channel: ChannelName): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`
    select count(*) as n from (select chat_id from chat_links where channel = ${channel} union select chat_id from subscribers where channel = ${channel})`)
  return Number(row?.n ?? 0)
}

export function userLimitState(used: number, limit: number): UserLimitState {
  return { used, limit, warning: used >= limit * USER_LIMIT_WARN_SHARE, reached: used >= limit }
}

/** The channel's users against its limit; null when its plan has none (or it is off). */
export async function userLimitOf(db: Db, channel: ChannelName, adapter: ChannelAdapter | undefined): Promise<UserLimitState | null> {
  const limit = adapter?.limits?.userLimit
  if (!limit) return null
  return userLimitState(await botUsers(db, channel), limit)
}

/**
 * Whether a chat that is not yet a subscriber may become one on this channel: not when the bot's
 * user limit is reached. When it is reached, or this chat takes its last place, the admins hear it
 * (once a day) on another channel.
 */
export async function roomForNewUser(deps: AppDeps, channel: ChannelName, now: Date): Promise<boolean> {
  const state = await userLimitOf(deps.db, channel, deps.channels[channel])
  if (!state || state.used + 1 < state.limit) return true
  const tz = deps.config.timezone
  await notifyAdmins(
    deps.db,
    `user-limit:${channel}:${localDay(now, tz)}`,
    (locale) => {
      const t = translator(locale)
      return { text: t('channels.userLimitReached', { channel: t(`channel.${channel}`), limit: state.limit }) }
    },
    now,
    channel,
  )
  return !state.reached
}
