import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { channelColumn, people } from './directory.js'

export const sessionKinds = ['briefing', 'training'] as const
export type SessionKind = (typeof sessionKinds)[number]

/** A briefing (quán triệt) or training session people check in to with a code read aloud in the room. */
export const sessions = sqliteTable(
  // Not plain "sessions": that name is better left to logins, should a dashboard get them.
  'attendance_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    kind: text('kind', { enum: sessionKinds }).notNull(),
    /** As shown and read aloud: NQ71-4821. */
    code: text('code').notNull(),
    /** Upper case without spaces or dashes: what a typed code is compared with. */
    codeKey: text('code_key').notNull(),
    opensAt: integer('opens_at', { mode: 'timestamp' }).notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp' }).notNull(),
    /** Who is expected; attendance is counted against it. */
    audience: text('audience', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [uniqueIndex('attendance_sessions_code_key_unique').on(t.codeKey), index('attendance_sessions_kind_idx').on(t.kind, t.opensAt)],
)

/** One check-in per person and session: a repeat is not a second attendance. */
export const attendance = sqliteTable(
  'attendance',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    checkedInAt: integer('checked_in_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.personId] }), index('attendance_person_idx').on(t.personId, t.checkedInAt), index('attendance_time_idx').on(t.checkedInAt)],
)

export interface QuizQuestion {
  text: string
  options: string[]
  /** Index into `options` of the right answer. */
  correct: number
  explanation?: string
}

/** A short awareness quiz on Resolution 71, open between opensAt and closesAt to an audience. */
export const quizzes = sqliteTable(
  'quizzes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    questions: text('questions', { mode: 'json' }).$type<QuizQuestion[]>().notNull(),
    /** Share of right answers needed to pass, 0–1. */
    passMark: real('pass_mark').notNull().default(0.8),
    opensAt: integer('opens_at', { mode: 'timestamp' }).notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp' }).notNull(),
    audience: text('audience', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Set once the invitations were queued in the outbox; null while the quiz waits for opensAt. */
    invitedAt: integer('invited_at', { mode: 'timestamp' }),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [index('quizzes_due_idx').on(t.invitedAt, t.opensAt)],
)

/**
 * One person's attempt at a quiz: invited, started, completed with a score. Where they stand is
 * derived from quiz_answers, so a quiz can be resumed after a restart.
 */
export const quizParticipants = sqliteTable(
  'quiz_participants',
  {
    quizId: integer('quiz_id')
      .notNull()
      .references(() => quizzes.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** When the invitation was queued, or when they opened the quiz themselves with /kiemtra. */
    invitedAt: integer('invited_at', { mode: 'timestamp' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp' }),
    completedAt: integer('completed_at', { mode: 'timestamp' }),
    correctCount: integer('correct_count'),
    passed: integer('passed', { mode: 'boolean' }),
  },
  (t) => [primaryKey({ columns: [t.quizId, t.personId] }), index('quiz_participants_person_idx').on(t.personId, t.passed)],
)

/** Each answer is recorded once: the first one counts, later taps on old buttons change nothing. */
export const quizAnswers = sqliteTable(
  'quiz_answers',
  {
    quizId: integer('quiz_id')
      .notNull()
      .references(() => quizzes.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    questionIndex: integer('question_index').notNull(),
    optionIndex: integer('option_index').notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    channel: text('channel', { enum: channelColumn }).notNull(),
    answeredAt: integer('answered_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.quizId, t.personId, t.questionIndex] })],
)

export type SessionRow = typeof sessions.$inferSelect
export type QuizRow = typeof quizzes.$inferSelect
export type QuizParticipantRow = typeof quizParticipants.$inferSelect
