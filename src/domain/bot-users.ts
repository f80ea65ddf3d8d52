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
  /** Counted up to twice the limit (`capped` when there were at least that many). */
  used: number
  limit: number
  capped: boolean
  /** At least 80 % of the limit used. */
  warning: boolean
  reached: boolean
}

/**
 * Distinct chats of the channel, linked to staff (now or before) or subscribers, counted up to `cap`:
 * each part stops at `cap` rows (the unique (channel, chat_id) indexes), so a webhook that checks the
 * limit reads about `cap` rows however many chats the channel has (bench/d1-cost.ts: 8,000 → ≤ 101).
 */
export async function botUsers(db: Db, channel: ChannelName, cap: number): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`
    select (select count(*) from (select 1 from chat_links where channel = ${channel} limit ${cap}))
         + (select count(*) from (select 1 from subscribers s where s.channel = ${channel}
              and not exists (select 1 from chat_links l where l.channel = s.channel and l.chat_id = s.chat_id) limit ${cap})) as n`)
  return Math.min(Number(row?.n ?? 0), cap)
}

export function userLimitState(used: number, limit: number): UserLimitState {
  return { used, limit, capped: used >= limit * 2, warning: used >= limit * USER_LIMIT_WARN_SHARE, reached: used >= limit }
}

/** The channel's users against its limit; null when its plan has none (or it is off). */
export async function userLimitOf(db: Db, channel: ChannelName, adapter: ChannelAdapter | undefined): Promise<UserLimitState | null> {
  const limit = adapter?.limits?.userLimit
  if (!limit) return null
  return userLimitState(await botUsers(db, channel, limit * 2), limit)
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
  const key = `user-limit:${channel}:${localDay(now, tz)}`
  // Told already today: no look through the directory for the admins again (every newcomer on a full bot).
  if (!(await toldToday(deps.db, key))) await notifyAdmins(
    deps.db,
    key,
    (locale) => {
      const t = translator(locale)
      return { text: t('channels.userLimitReached', { channel: t(`channel.${channel}`), limit: state.limit }) }
    },
    now,
    channel,
  )
  return !state.reached
}

/** Whether a notice with this key was queued to any admin (the deliveries' unique dedupe key, as a range). */
async function toldToday(db: Db, key: string): Promise<boolean> {
  const from = `notice:${key}:person:`
  const [row] = await db.all<{ one: number }>(sql`select 1 as one from deliveries where dedupe_key > ${from} and dedupe_key < ${`${from.slice(0, -1)};`} limit 1`)
  return row !== undefined
}
