import { and, eq, gt, isNull, lte } from 'drizzle-orm'
import { people, pollAnswers, polls, type PollRow, type SubscriberRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { wardUnitIds } from '../unit-wards.js'
import { isAsked, isClosed, optionCount, recordPollAnswer, type Respondent } from './polls.js'

/**
 * A poll answered on its phone page (/t/<slug>) by a person of the directory (a personal link or
 * their personal code) or a subscriber (a personal link in the poll's message, or the cookie of a
 * phone that follows its ward on /theo-doi): the same one answer per respondent as in chat, changed
 * until the close.
 */
export type PageAnswer = 'recorded' | 'changed' | 'closed' | 'not_open' | 'not_for_you' | 'invalid'

export async function personRespondent(db: Db, personId: number): Promise<Respondent | null> {
  const [p] = await db.select({ unitId: people.unitId }).from(people).where(and(eq(people.id, personId), isNull(people.erasedAt))).limit(1)
  return p ? { kind: 'person', personId, unitId: p.unitId } : null
}

export const subscriberRespondent = (s: SubscriberRow): Respondent => ({ kind: 'subscriber', subscriberId: s.id, wardUnitId: s.wardUnitId, optedIn: s.optedInAt !== null })

/** The option (0-based) the respondent chose, or null before they answered. */
export async function answerOf(db: Db, poll: PollRow, who: Respondent): Promise<number | null> {
  const mine = who.kind === 'person' ? eq(pollAnswers.personId, who.personId) : eq(pollAnswers.subscriberId, who.subscriberId)
  const [row] = await db
    .select({ choice: pollAnswers.choice })
    .from(pollAnswers)
    .where(and(eq(pollAnswers.pollId, poll.id), mine))
    .limit(1)
  return row?.choice ?? null
}

/** Whether the respondent may see the figures now: once the poll closed, or at once when they are not hidden. */
export const resultsShown = (poll: PollRow, now: Date) => !poll.resultsHidden || isClosed(poll, now)

/** The polls open now that ask the subscribers of a ward, newest first (the /theo-doi page lists them). */
export async function openPollsForWard(db: Db, wardUnitId: number, now: Date): Promise<PollRow[]> {
  const open = await db
    .select()
    .from(polls)
    .where(and(eq(polls.status, 'open'), lte(polls.opensAt, now), gt(polls.closesAt, now)))
  const out: PollRow[] = []
  for (const p of open) {
    if (!p.audience.subscribers) continue
    const ids = await wardUnitIds(db, p.audience.subscribers.wardCodes).catch((): number[] => [])
    if (!ids || ids.includes(wardUnitId)) out.push(p)
  }
  return out.sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime() || b.id - a.id)
}

/** Whether the page may take an answer from `who` now: the window, then the audience. */
export async function pageState(db: Db, poll: PollRow, who: Respondent, now: Date): Promise<'open' | 'closed' | 'not_open' | 'not_for_you'> {
  if (isClosed(poll, now)) return 'closed'
  if (now.getTime() < poll.opensAt.getTime()) return 'not_open'
  return (await isAsked(db, poll, who)) ? 'open' : 'not_for_you'
}

/** Records the answer posted from the page (`choice` as posted, 0-based), after the chat's checks. */
export async function answerFromPage(db: Db, poll: PollRow, who: Respondent, choice: string, now: Date): Promise<PageAnswer> {
  const state = await pageState(db, poll, who, now)
  if (state !== 'open') return state
  const n = /^\d{1,2}$/.test(choice) ? Number(choice) : NaN
  if (!(n >= 0 && n < optionCount(poll))) return 'invalid'
  return recordPollAnswer(db, poll, who, n, 'web', now)
}
