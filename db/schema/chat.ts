import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { channelColumn, locales } from './directory.js'

/** Every update id seen, so that a redelivered webhook is processed once. */
export const processedUpdates = sqliteTable(
  'processed_updates',
  {
    channel: text('channel', { enum: channelColumn }).notNull(),
    updateId: text('update_id').notNull(),
    /** The chat it came from, to count a chat's messages in the last minute (flood control). */
    chatId: text('chat_id'),
    receivedAt: integer('received_at', { mode: 'timestamp' }).notNull(),
    /**
     * The first reply, when it went out in the webhook's own response: a redelivery of the update
     * (the response never reached the platform) carries it again. Pruned with the row.
     */
    webhookReply: text('inline_reply', { mode: 'json' }),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.updateId] }),
    index('processed_updates_received_idx').on(t.receivedAt),
    index('processed_updates_chat_idx').on(t.channel, t.chatId, t.receivedAt),
  ],
)

/** Where each chat is in a multi-step conversation, kept here so that it survives a restart. */
export const conversations = sqliteTable(
  'conversations',
  {
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    /** Name of the flow (handler) that owns the next free-text answer, or null when none does. */
    flow: text('flow'),
    step: text('step'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Choices last offered in this chat, so "2" or "đồng ý" can be matched to a choice id. */
    choices: text('choices', { mode: 'json' }).$type<{ id: string; label: string }[]>(),
    /** Language chosen in a chat that is not linked to a person yet. */
    locale: text('locale', { enum: locales }),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.chatId] })],
)
