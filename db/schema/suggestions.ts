import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { questions } from './questions.js'

export const suggestionOutcomes = ['accepted', 'edited', 'rejected'] as const
export type SuggestionOutcome = (typeof suggestionOutcomes)[number]

/**
 * The suggested answers an admin was first shown for a question (issue 22, research 7.5: how often
 * a suggestion is sent as is, edited, or set aside, per month), and what became of them when the
 * question was answered: `accepted` (one sent unchanged), `edited` (the answer keeps most of one's
 * words), `rejected` (written anew).
 */
export const answerSuggestions = sqliteTable('answer_suggestions', {
  questionId: integer('question_id')
    .primaryKey()
    .references(() => questions.id, { onDelete: 'cascade' }),
  shownAt: integer('shown_at', { mode: 'timestamp' }).notNull(),
  /** The texts suggested, best first (at most 3). */
  texts: text('texts', { mode: 'json' }).$type<string[]>().notNull(),
  outcome: text('outcome', { enum: suggestionOutcomes }),
  decidedAt: integer('decided_at', { mode: 'timestamp' }),
})
