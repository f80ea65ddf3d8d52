import { and, eq } from 'drizzle-orm'
import { chatLinks, people, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from './events.js'

/**
 * The core's own writes about who is behind a chat: the language a person chose and whether the
 * chat blocked the bot. Kept here so that neither the router nor the delivery layer imports
 * domain code; the router reads the linked person through its chat store (`chat-store.ts`).
 */
export async function setPersonLocale(db: Db, personId: number, locale: Locale) {
  await db.update(people).set({ locale }).where(eq(people.id, personId))
}

/** Records that a chat blocked the bot (or, with null, that it wrote again and is reachable). */
export async function setChatBlocked(db: Db, channel: ChannelName, chatId: string, blockedAt: Date | null) {
  await db
    .update(chatLinks)
    .set({ blockedAt })
    .where(and(eq(chatLinks.channel, channel), eq(chatLinks.chatId, chatId)))
}
