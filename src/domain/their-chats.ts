import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { ChannelName } from '../core/events.js'
import type { Db } from '../../db/types.js'

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
  /** The chat is linked to someone else since then: its rows from that moment on are theirs. */
  otherSince: Date | null
}

/** Chats per statement: three bound values each stays under D1's 100 per statement. */
export const CHATS_PER_STATEMENT = 25

export async function theirChats(db: Db, personId: number): Promise<TheirChat[]> {
  const rows = await db.all<{ channel: ChannelName; chatId: string; otherSince: number | null }>(sql`
    select c.channel as channel, c.chat_id as chatId,
      (select min(o.linked_at) from chat_links o
        where o.channel = c.channel and o.chat_id = c.chat_id and o.person_id <> ${personId}) as otherSince
    from (
      select channel, chat_id from chat_links where person_id = ${personId}
      union
      select u.channel, u.chat_id from invite_uses u join invites i on i.id = u.invite_id where i.person_id = ${personId}
    ) c
    order by 1, 2`)
  return rows.map((r) => ({ channel: r.channel, chatId: r.chatId, otherSince: r.otherSince == null ? null : new Date(Number(r.otherSince) * 1000) }))
}

/** The chats in groups small enough for one statement each. */
export function chunksOf(chats: readonly TheirChat[]): TheirChat[][] {
  const out: TheirChat[][] = []
  for (let i = 0; i < chats.length; i += CHATS_PER_STATEMENT) out.push(chats.slice(i, i + CHATS_PER_STATEMENT))
  return out
}

/**
 * Rows of one of `chats` that are the person's: for a chat now linked to someone else, only the
 * rows from before (by `at`); without a time column, none of such a chat (its state is theirs).
 */
export function onChats(chats: readonly TheirChat[], channel: SQLiteColumn, chatId: SQLiteColumn, at?: SQLiteColumn): SQL {
  const each = chats.flatMap((c) => {
    if (c.otherSince && !at) return []
    return [and(eq(channel, c.channel), eq(chatId, c.chatId), c.otherSince && at ? lt(at, c.otherSince) : undefined)!]
  })
  return each.length ? or(...each)! : sql`0`
}
