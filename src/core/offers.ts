import { and, isNull, sql } from 'drizzle-orm'
import { conversations } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName, Choice } from './events.js'

/**
 * Remembers the choices a pushed message (a reminder, a quiz invitation) offers, so a typed "1" on
 * Zalo answers it as the message says. Never over a conversation under way, nor over open choices
 * whose ids start with `keepPrefix` (a quiz question waiting for its answer).
 */
export async function offerChoices(
  db: Db,
  target: { channel: ChannelName; chatId: string },
  choices: readonly Choice[],
  now: Date,
  keepPrefix?: string,
) {
  const list = [...choices]
  await db
    .insert(conversations)
    .values({ channel: target.channel, chatId: target.chatId, choices: list, updatedAt: now })
    .onConflictDoUpdate({
      target: [conversations.channel, conversations.chatId],
      set: { choices: list, updatedAt: now },
      setWhere: and(
        isNull(conversations.flow),
        keepPrefix ? sql`coalesce(${conversations.choices}, '') not like ${`%"${keepPrefix}%`}` : undefined,
      ),
    })
}
