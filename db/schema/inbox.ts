import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { channelColumn, people } from './directory.js'
import { questions } from './questions.js'

export const inboxStatuses = ['new', 'answered', 'question'] as const
export type InboxStatus = (typeof inboxStatuses)[number]

/**
 * What a linked person wrote in a private chat that no command or flow took ("cho hỏi lịch tập
 * huấn"): kept for staff, who answer it (back to the chat, through the outbox) or turn it into a
 * question (`question_id`). Falls under RETENTION_DAYS, the export and erasure.
 */
export const inboxMessages = sqliteTable(
  'inbox_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    text: text('text').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp' }).notNull(),
    status: text('status', { enum: inboxStatuses }).notNull().default('new'),
    answer: text('answer'),
    answeredAt: integer('answered_at', { mode: 'timestamp' }),
    /** The console account that answered or turned it into a question; null for the ADMIN_TOKEN. */
    answeredBy: integer('answered_by').references(() => people.id),
    questionId: integer('question_id').references(() => questions.id),
  },
  (t) => [index('inbox_status_idx').on(t.status, t.receivedAt), index('inbox_person_idx').on(t.personId), index('inbox_received_idx').on(t.receivedAt)],
)

export type InboxMessageRow = typeof inboxMessages.$inferSelect
