import { and, eq } from 'drizzle-orm'
import { chatLinks, people, units, type Locale } from '../../db/schema/index.js'
import type { Db } from '../../db/types.js'
import type { ChannelName } from './events.js'
import type { LinkedPerson } from './handler.js'

/**
 * The core's own view of who is behind a chat: the router and the delivery layer need to know
 * the linked person, their language and whether the chat blocked the bot, and nothing else of
 * the directory. Kept here so that neither imports domain code.
 */
export async function findLinkedPerson(db: Db, channel: ChannelName, chatId: string): Promise<LinkedPerson | undefined> {
  const [row] = await db
    .select({ person: people, unit: units, link: chatLinks })
    .from(chatLinks)
    .innerJoin(people, eq(people.id, chatLinks.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    // One row by a unique key; without `.limit(1)`, whose parameter makes SQLite recompile the query.
    .where(and(eq(chatLinks.channel, channel), eq(chatLinks.chatId, chatId)))
  return row
}

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
