import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { channelColumn, locales } from './directory.js'

export const deliveryStatuses = ['queued', 'sending', 'sent', 'failed', 'blocked'] as const
export type DeliveryStatus = (typeof deliveryStatuses)[number]
/** Why a delivery ended without reaching its chat (`failed` or `blocked`). */
export const failReasons = ['expired', 'rejected', 'blocked', 'cancelled', 'channel_off', 'render', 'window_closed', 'quota'] as const
export type FailReason = (typeof failReasons)[number]
/** Replies in a conversation go before pushes (briefs, reminders) on the same bot. */
export const REPLY_PRIORITY = 1

/**
 * The outbox: one row per message to one chat. Everything the bots push (briefs, quiz invitations,
 * reminders) is written here first and sent by the dispatcher, so nothing is lost on a crash and
 * `dedupe_key` makes sure nothing is queued twice.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Which feature renders it: 'broadcast', 'quiz', 'reminder', … (see domain/outbox/renderers). */
    source: text('source').notNull(),
    sourceId: integer('source_id').notNull(),
    personId: integer('person_id'),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    locale: text('locale', { enum: locales }).notNull().default('vi'),
    /** A ready message for one-off sends; broadcasts leave it null and are rendered at send time. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status', { enum: deliveryStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp' }).notNull(),
    claimedAt: integer('claimed_at', { mode: 'timestamp' }),
    sentAt: integer('sent_at', { mode: 'timestamp' }),
    messageId: text('message_id'),
    lastError: text('last_error'),
    /** Set when the delivery ended without reaching the chat: what the broadcast results count by. */
    failReason: text('fail_reason', { enum: failReasons }),
    /** 1 for replies in a conversation, 0 for pushes: replies are claimed and sent first. */
    priority: integer('priority').notNull().default(0),
    /** Transient failures are retried until this moment (a brief: a day; a reminder: its day). */
    expiresAt: integer('expires_at', { mode: 'timestamp' }),
    /**
     * Set when the delivery was moved to another chat of the person: the channel it was meant for
     * and why it could not go there, e.g. `zalo_oa:window_closed`.
     */
    movedFrom: text('moved_from'),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [
    uniqueIndex('deliveries_dedupe_unique').on(t.dedupeKey),
    // A channel's due queue in claim order, one priority at a time (claimDue), and what is in flight.
    index('deliveries_due_idx').on(t.status, t.channel, t.priority, t.nextAttemptAt),
    index('deliveries_source_idx').on(t.source, t.sourceId),
    index('deliveries_person_idx').on(t.personId),
    // A chat's messages in flight (claims keep each chat's order), and what was sent to a chat.
    index('deliveries_chat_idx').on(t.channel, t.chatId, t.status),
    // Who was reached when (the plan's targets): broadcasts sent, read in person order without the table.
    index('deliveries_reach_idx').on(t.personId, t.sentAt).where(sql`source = 'broadcast' and status = 'sent'`),
    // The same, by time: the days of a span's partial months, which the reach rollup does not split.
    index('deliveries_reach_time_idx').on(t.sentAt, t.personId).where(sql`source = 'broadcast' and status = 'sent'`),
  ],
)

export type DeliveryRow = typeof deliveries.$inferSelect
