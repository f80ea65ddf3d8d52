import { and, eq, isNull } from 'drizzle-orm'
import { people, pollAnswers, type PollRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { isAsked, isClosed, optionCount, recordPollAnswer, type Respondent } from './polls.js'

/**
 * A poll answered on its phone page (/t/<slug>) by a person of the directory (a personal link or
 * their personal code): the same one answer per person as in chat, changed until the close.
 */
export type PageAnswer = 'recorded' | 'changed' | 'closed' | 'not_open' | 'not_for_you' | 'invalid'

export async function personRespondent(db: Db, personId: number): Promise<Respondent | null> {
  const [p] = await db.select({ unitId: people.unitId }).from(people).where(and(eq(people.id, personId), isNull(people.erasedAt))).limit(1)
  return p ? { kind: 'person', personId, unitId: p.unitId } : null
}

/** The option (0-based) the person chose, or null before they answered. */
export async function answerOfPerson(db: Db, poll: PollRow, personId: number): Promise<number | null> {
  const [row] = await db
    .select({ choice: pollAnswers.choice })
    .from(pollAnswers)
    .where(and(eq(pollAnswers.pollId, poll.id), eq(pollAnswers.personId, personId)))
    .limit(1)
  return row?.choice ?? null
}

/** Whether the page may take an answer from `who` now: the window, then the audience. */
export async function pageState(db: Db, poll: PollRow, who: Respondent, now: Date): Promise<'open' | 'closed' | 'not_open' | 'not_for_you'> {
  if (isClosed(poll, now)) return 'closed'
  if (now.getTime() < poll.opensAt.getTime()) return 'not_open'
  return (await isAsked(db, poll, who)) ? 'open' : 'not_for_you'
}

/** Records the answer posted from the page (`choice` as posted, 0-based), after the chat's checks. */
export async function answerFromPage(db: Db, poll: PollRow, personId: number, choice: string, now: Date): Promise<PageAnswer> {
  const who = await personRespondent(db, personId)
  if (!who) return 'not_for_you'
  const state = await pageState(db, poll, who, now)
  if (state !== 'open') return state
  const n = /^\d{1,2}$/.test(choice) ? Number(choice) : NaN
  if (!(n >= 0 && n < optionCount(poll))) return 'invalid'
  return recordPollAnswer(db, poll, who, n, 'web', now)
}
