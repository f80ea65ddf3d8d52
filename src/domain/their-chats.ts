import { and, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { ChannelName } from '../core/events.js'
import type { Db } from '#db/types.js'

/**
 * Every chat a person ever used with Loa, for erasure and export: the chats linked now, and the
 * ones they linked before and that were replaced, unlinked ("Không phải tôi") or revoked since.
 *
 * Why invite_uses: every chat link is made from an invite use (src/domain/directory/invites.ts
 * inserts the chat_links row from the invite_uses row), and invite uses are kept until the
 * person is erased, so they are the history of the person's chats already, with no table or
 * write of its own. Rows keyed only by chat (update ids, the greeting queued before the chat was
 * linked, replies written before that person_id was recorded) are found through it.
 */
export interface TheirChat {
  channel: ChannelName
  chatId: string
  /** Someone else used the chat before them: its rows from before their first link are that person's. */
  since: Date | null
  /** Someone else linked the chat after them: its rows from then on are that person's. */
  until: Date | null
}

/** Chats per statement: up to four bound values each stays under D1's 100 per statement. */
export const CHATS_PER_STATEMENT = 20

export async function theirChats(db: Db, personId: number): Promise<TheirChat[]> {
  const others = (cmp: SQL) => sql`from invite_uses o join invites oi on oi.id = o.invite_id
    where o.channel = m.channel and o.chat_id = m.chat_id and oi.person_id <> ${personId} and ${cmp}`
  const rows = await db.all<{ channel: ChannelName; chatId: string; since: number | null; until: number | null }>(sql`
    with mine as (
      select u.channel as channel, u.chat_id as chat_id, min(u.used_at) as first, max(u.used_at) as last
      from invite_uses u join invites i on i.id = u.invite_id where i.person_id = ${personId}
      group by 1, 2
      union all
      select l.channel, l.chat_id, null, null from chat_links l
      where l.person_id = ${personId} and not exists (select 1 from invite_uses u join invites i on i.id = u.invite_id
        where i.person_id = ${personId} and u.channel = l.channel and u.chat_id = l.chat_id)
    )
    select m.channel as channel, m.chat_id as chatId,
      case when m.first is not null and exists (select 1 ${others(sql`o.used_at < m.first`)}) then m.first end as since,
      (select min(o.used_at) ${others(sql`o.used_at > coalesce(m.last, 0)`)}) as until
    from mine m
    order by 1, 2`)
  const date = (v: number | null) => (v == null ? null : new Date(Number(v) * 1000))
  return rows.map((r) => ({ channel: r.channel, chatId: r.chatId, since: date(r.since), until: date(r.until) }))
}

/** The chats in groups small enough for one statement each. */
export function chunksOf(chats: readonly TheirChat[]): TheirChat[][] {
  const out: TheirChat[][] = []
  for (let i = 0; i < chats.length; i += CHATS_PER_STATEMENT) out.push(chats.slice(i, i + CHATS_PER_STATEMENT))
  return out
}

/**
 * Rows of one of `chats` that are the person's: for a chat someone else used before or after them,
 * only the rows of their own time (by `at`); without a time column, only if nobody linked the chat
 * after them (the row is then the later person's).
 */
export function onChats(chats: readonly TheirChat[], channel: SQLiteColumn, chatId: SQLiteColumn, at?: SQLiteColumn): SQL {
  const each = chats.flatMap((c) => {
    if (!at && c.until) return []
    const when = at ? [c.since ? gte(at, c.since) : undefined, c.until ? lt(at, c.until) : undefined] : []
    return [and(eq(channel, c.channel), eq(chatId, c.chatId), ...when)!]
  })
  return each.length ? or(...each)! : sql`0`
}
