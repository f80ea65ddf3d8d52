import { and, eq, gt, like } from 'drizzle-orm'
import { chatLinks, deliveries, people, subscribers, type Locale } from '#db/schema/index.js'
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

/**
 * Records that a chat blocked the bot or unfollowed the OA (or, with null, that it wrote or
 * followed again and is reachable): a staff member's linked chat, or a subscriber's.
 */
export async function setChatBlocked(db: Db, channel: ChannelName, chatId: string, blockedAt: Date | null) {
  await db
    .update(chatLinks)
    .set({ blockedAt })
    .where(and(eq(chatLinks.channel, channel), eq(chatLinks.chatId, chatId)))
  await db
    .update(subscribers)
    .set({ blockedAt })
    .where(and(eq(subscribers.channel, channel), eq(subscribers.chatId, chatId)))
}

/** A chat not linked wrote: its subscriber (if it is one) was in contact now and is reachable again. */
export async function seeSubscriber(db: Db, channel: ChannelName, chatId: string, now: Date) {
  await db
    .update(subscribers)
    .set({ lastSeenAt: now, blockedAt: null })
    .where(and(eq(subscribers.channel, channel), eq(subscribers.chatId, chatId)))
}

/**
 * The person wrote: messages held for this chat because the channel's window was closed (the
 * OA) are due now, so they go right after the replies instead of at their next look.
 */
export async function wakeHeld(db: Db, channel: ChannelName, chatId: string, now: Date) {
  await db
    .update(deliveries)
    .set({ nextAttemptAt: now })
    .where(
      and(
        eq(deliveries.channel, channel),
        eq(deliveries.chatId, chatId),
        eq(deliveries.status, 'queued'),
        gt(deliveries.nextAttemptAt, now),
        like(deliveries.lastError, 'window_closed%'),
      ),
    )
}

/**
 * A chat followed (the OA): when it is not linked to the directory it is a subscriber from now on,
 * without ward or consent (those come with `/dangky`) and without the privacy notice, which its
 * first answer carries (`noticed_at` stays null). Nothing is sent: the OA may answer only a message.
 */
export async function recordFollower(db: Db, channel: ChannelName, chatId: string, now: Date) {
  const [linked] = await db
    .select({ id: chatLinks.id })
    .from(chatLinks)
    .where(and(eq(chatLinks.channel, channel), eq(chatLinks.chatId, chatId)))
    .limit(1)
  if (linked) return
  await db.insert(subscribers).values({ channel, chatId, createdAt: now, lastSeenAt: now }).onConflictDoNothing()
}
