import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { channelColumn, people, units } from './directory.js'
import { subscribers } from './subscribers.js'

export const pollKinds = ['single', 'scale'] as const
export type PollKind = (typeof pollKinds)[number]
export const pollStatuses = ['open', 'closed'] as const

/** Who a poll asks: staff by units and roles, subscribers (who opted in) by ward, or both. */
export interface PollAudience {
  staff: { unitCodes: string[]; includeSubunits: boolean; roles: string[] } | null
  subscribers: { wardCodes: string[] } | null
}

/**
 * A poll that measures consensus (issue 23): one question, single choice among 2–9 options or a
 * 1–5 agreement scale, answered once per respondent and changeable until it closes.
 */
export const polls = sqliteTable(
  'polls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    question: text('question').notNull(),
    kind: text('kind', { enum: pollKinds }).notNull(),
    /** The options of a `single` poll; empty for `scale` (its five labels come from the locale). */
    options: text('options', { mode: 'json' }).$type<string[]>().notNull(),
    allowComment: integer('allow_comment', { mode: 'boolean' }).notNull().default(false),
    audience: text('audience', { mode: 'json' }).$type<PollAudience>().notNull(),
    opensAt: integer('opens_at', { mode: 'timestamp' }).notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp' }).notNull(),
    /** Respondents see the figures only once it closed (default). */
    resultsHidden: integer('results_hidden', { mode: 'boolean' }).notNull().default(true),
    /** The earlier poll this one repeats, to show a trend. */
    repeatOf: integer('repeat_of'),
    status: text('status', { enum: pollStatuses }).notNull().default('open'),
    closedAt: integer('closed_at', { mode: 'timestamp' }),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [index('polls_opens_idx').on(t.opensAt)],
)

/**
 * One answer per poll and respondent (a person of the directory or a subscriber); answering again
 * before the close replaces it. The unit or ward is kept with the answer, so the figures stay
 * when a subscriber is erased (the link is then cleared).
 */
export const pollAnswers = sqliteTable(
  'poll_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pollId: integer('poll_id')
      .notNull()
      .references(() => polls.id),
    personId: integer('person_id').references(() => people.id),
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    /** The person's unit, or the subscriber's ward, when they answered. */
    unitId: integer('unit_id').references(() => units.id),
    audience: text('audience', { enum: ['staff', 'subscribers'] }).notNull(),
    /** Index into the options; for a scale, 0 is "1 – strongly disagree". */
    choice: integer('choice').notNull(),
    comment: text('comment'),
    channel: text('channel', { enum: channelColumn }).notNull(),
    answeredAt: integer('answered_at', { mode: 'timestamp' }).notNull(),
    changedAt: integer('changed_at', { mode: 'timestamp' }),
  },
  (t) => [
    uniqueIndex('poll_answers_person_unique').on(t.pollId, t.personId),
    uniqueIndex('poll_answers_subscriber_unique').on(t.pollId, t.subscriberId),
  ],
)

export type PollRow = typeof polls.$inferSelect
export type PollAnswerRow = typeof pollAnswers.$inferSelect
