import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { channelColumn, locales, units } from './directory.js'

/**
 * People outside the staff directory who write to a bot: parents, students, citizens. One row a
 * chat (channel and chat id), never a person of the directory and never given a staff command.
 * Personal data (Decree 13/2023/NĐ-CP): kept while they write and `RETENTION_DAYS` after their
 * last message, erased at once with `/xoa`, exported and erased through the privacy API.
 */
export const subscribers = sqliteTable(
  'subscribers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    /** The ward (a unit of kind `commune`) chosen with `/dangky`: questions go to it. */
    wardUnitId: integer('ward_unit_id').references(() => units.id),
    locale: text('locale', { enum: locales }).notNull().default('vi'),
    /** Consent to public news and polls (`/dangky`), null when never given or withdrawn (`/huydangky`). */
    optedInAt: integer('opted_in_at', { mode: 'timestamp' }),
    unsubscribedAt: integer('unsubscribed_at', { mode: 'timestamp' }),
    /** Unfollowed the OA or blocked the bot; cleared when they write or follow again. */
    blockedAt: integer('blocked_at', { mode: 'timestamp' }),
    /**
     * When the privacy notice was given (with the first answer Loa sent the chat). Null for an OA
     * follower recorded on the follow alone, who has not written yet: their first answer carries it.
     */
    noticedAt: integer('noticed_at', { mode: 'timestamp' }),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [uniqueIndex('subscribers_chat_unique').on(t.channel, t.chatId), index('subscribers_last_seen_idx').on(t.lastSeenAt)],
)

export type SubscriberRow = typeof subscribers.$inferSelect
