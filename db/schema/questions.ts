import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { channelColumn, people, units } from './directory.js'
import { subscribers } from './subscribers.js'

/** The asker's rating of an answer: "1 Hài lòng" or "2 Chưa hài lòng". */
export const questionRatings = ['satisfied', 'unsatisfied'] as const
export type QuestionRating = (typeof questionRatings)[number]

/**
 * Questions staff send the Department in chat (`/hoidap`), and the Department's answer, which goes
 * back to the asker through the outbox. The plan asks for two-way communication: dialogue and
 * policy feedback, not only broadcasts.
 */
export const questions = sqliteTable(
  'questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The staff member who asked; null for a subscriber's question (or one whose subscriber was erased). */
    personId: integer('person_id').references(() => people.id),
    /** The subscriber who asked (not staff); null once they erased themselves with `/xoa`. */
    subscriberId: integer('subscriber_id').references(() => subscribers.id),
    /** Asked by a subscriber (kept after erasure, for the figures). */
    fromPublic: integer('from_public', { mode: 'boolean' }).notNull().default(false),
    /**
     * The asker's unit when they asked, so the list can be read per unit; a subscriber's question
     * goes to their ward's unit, else to the Department.
     */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    text: text('text').notNull(),
    askedAt: integer('asked_at', { mode: 'timestamp' }).notNull(),
    answer: text('answer'),
    answeredAt: integer('answered_at', { mode: 'timestamp' }),
    /**
     * The FAQ entry (marked "tự động") that answered it at once, labelled as automatic (issue 22, AI
     * law 134/2025/QH15 Art. 11). The question stays open for a person all the same.
     */
    // No foreign key: the entry may be deleted later; the question keeps the id it was answered from.
    autoAnswerProductId: integer('auto_answer_product_id'),
    autoAnsweredAt: integer('auto_answered_at', { mode: 'timestamp' }),
    /** The asker replied "gặp người" to the automatic answer: a person must answer. */
    personAskedAt: integer('person_asked_at', { mode: 'timestamp' }),
    /** When the first answer was given (a correction moves `answeredAt`, never this): the first-response time. */
    firstAnsweredAt: integer('first_answered_at', { mode: 'timestamp' }),
    /** The asker's one rating of the answer, stored once. */
    rating: text('rating', { enum: questionRatings }),
    ratedAt: integer('rated_at', { mode: 'timestamp' }),
    /** The ward's focal point who answered in chat (`/traloi`); null for an answer from the console or the API. */
    // No foreign key: people are never deleted (an erased one stays a tombstone), and a rebuild is not worth it.
    answeredByPersonId: integer('answered_by_person_id'),
    /** The library's FAQ entry published from this question and its answer (without the asker). */
    // No foreign key: the entry may be deleted later; the id still says it was published once.
    faqProductId: integer('faq_product_id'),
  },
  (t) => [index('questions_answered_idx').on(t.answeredAt, t.askedAt), index('questions_person_idx').on(t.personId), index('questions_subscriber_idx').on(t.subscriberId)],
)

export type QuestionRow = typeof questions.$inferSelect
