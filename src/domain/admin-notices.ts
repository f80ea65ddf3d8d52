import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import { chatLinks, people, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName, OutboundMessage } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import type { QuotaSpent } from '../delivery/dispatcher.js'
import { enqueue } from '../delivery/queue.js'
import { formatDateTime, translator } from '../i18n.js'

/**
 * Tells every linked admin, once per `key`: on their most recently linked chat, other than
 * `avoid` (the channel the notice is about, when it cannot send).
 */
export async function notifyAdmins(
  db: Db,
  key: string,
  message: (locale: Locale) => OutboundMessage,
  now: Date,
  avoid?: ChannelName,
): Promise<number> {
  // The admins first, from the partial index people_admin_idx (its very expression), then their
  // chats: joined, SQLite without statistics would walk every chat link of the city instead.
  // INDEXED BY: on D1 the planner preferred walking the covering people_unit_idx (20,000 rows read).
  const ids = await db.all<{ id: number }>(sql`
    select id from people indexed by people_admin_idx
    where erased_at is null and instr(roles, '"admin"') > 0 and exists (select 1 from json_each(people.roles) where value = 'admin')`)
  if (ids.length === 0) return 0
  const admins = await db
    .select({ personId: people.id, locale: people.locale, channel: chatLinks.channel, chatId: chatLinks.chatId, linkedAt: chatLinks.linkedAt })
    .from(chatLinks)
    .innerJoin(people, eq(people.id, chatLinks.personId))
    .where(
      and(
        sql`${chatLinks.personId} in (select value from json_each(${JSON.stringify(ids.map((r) => r.id))}))`,
        isNull(chatLinks.blockedAt),
        avoid ? ne(chatLinks.channel, avoid) : undefined,
      ),
    )
  const best = new Map<number, (typeof admins)[number]>()
  for (const a of admins) {
    const b = best.get(a.personId)
    if (!b || a.linkedAt > b.linkedAt) best.set(a.personId, a)
  }
  return enqueue(
    db,
    [...best.values()].map((a) => ({
      source: 'notice',
      sourceId: 0,
      personId: a.personId,
      channel: a.channel,
      chatId: a.chatId,
      locale: a.locale,
      payload: message(a.locale),
      dedupeKey: `notice:${key}:person:${a.personId}`,
    })),
    now,
  )
}

/**
 * The dispatcher's `onQuotaSpent`: a channel's monthly quota is spent and its pushes wait for the
 * reset; the admins hear it once per pause, on another channel.
 */
export async function tellAdminsQuotaSpent(deps: AppDeps, { channel, until, error, now }: QuotaSpent): Promise<void> {
  const when = formatDateTime(until, deps.config.timezone)
  const said = error.slice(0, 200)
  await notifyAdmins(
    deps.db,
    `quota:${channel}:${until.toISOString()}`,
    (locale) => ({ text: translator(locale)('channels.quotaPaused', { channel, until: when, error: said }) }),
    now,
    channel,
  )
}
