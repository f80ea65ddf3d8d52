import { and, asc, desc, eq, gte, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { questions, units, type Locale, type QuestionRating, type QuestionRow, type SubscriberRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../core/events.js'
import { choiceIds } from '../core/choice-ids.js'
import { enqueue } from '../delivery/queue.js'
import { translate } from '../i18n.js'
import { localDay } from '../time.js'
import { loadCalendar, workingMinutesBetween, type WorkingClock } from './calendar/working.js'
import { reachableSubscriber } from './subscribers.js'

/**
 * Questions from anyone: a subscriber's `/hoidap` goes to their ward's unit when they chose one
 * (`/dangky`), else to the Department; the answer goes back to the chat they asked from, held on
 * the OA until they write again (up to ANSWER_HOLD_DAYS), with one rating question under it.
 */

export const DEFAULT_ANSWER_HOLD_DAYS = 30

/** The unit a subscriber's question goes to: their ward, else the Department (the first unit of kind `department`). */
async function routeTo(db: Db, subscriber: SubscriberRow): Promise<number | null> {
  if (subscriber.wardUnitId) return subscriber.wardUnitId
  const [dept] = await db.select({ id: units.id }).from(units).where(eq(units.kind, 'department')).orderBy(asc(units.id)).limit(1)
  return dept?.id ?? null
}

/** Records a subscriber's question; null when there is no unit to take it (an empty directory). */
export async function askPublicQuestion(
  db: Db,
  input: { subscriber: SubscriberRow; channel: ChannelName; text: string; now: Date },
): Promise<QuestionRow | null> {
  const unitId = await routeTo(db, input.subscriber)
  if (unitId === null) return null
  const [row] = await db
    .insert(questions)
    .values({ personId: null, subscriberId: input.subscriber.id, fromPublic: true, unitId, channel: input.channel, text: input.text, askedAt: input.now })
    .returning()
  return row!
}

/**
 * Queues an answer (or a correction) to the subscriber who asked, on their chat, with the rating
 * question under a first answer. It may wait `holdDays` for the OA's window (the delivery layer
 * holds it and their next message sends it). False when the subscriber is gone or blocked the bot.
 */
export async function sendToSubscriber(
  db: Db,
  question: QuestionRow,
  text: (locale: Locale) => string,
  dedupeKey: string,
  withRating: boolean,
  now: Date,
  holdDays = DEFAULT_ANSWER_HOLD_DAYS,
): Promise<boolean> {
  if (question.subscriberId === null) return false
  const s = await reachableSubscriber(db, question.subscriberId)
  if (!s) return false
  const t = (key: 'ask.rateSatisfied' | 'ask.rateUnsatisfied' | 'ask.rateQuestion') => translate(s.locale, key)
  const choices = withRating
    ? [
        { id: choiceIds.rating.of(question.id, 1), label: t('ask.rateSatisfied') },
        { id: choiceIds.rating.of(question.id, 2), label: t('ask.rateUnsatisfied') },
      ]
    : undefined
  const body = withRating ? `${text(s.locale)}\n\n${t('ask.rateQuestion')}` : text(s.locale)
  await enqueue(
    db,
    [
      {
        source: 'message',
        sourceId: question.id,
        personId: null,
        channel: s.channel as ChannelName,
        chatId: s.chatId,
        locale: s.locale,
        payload: { text: body, ...(choices ? { choices } : {}) },
        dedupeKey,
        expiresAt: new Date(now.getTime() + holdDays * 86_400_000),
      },
    ],
    now,
  )
  return true
}

export type RateOutcome = 'rated' | 'already' | 'not_found'

/** The asker's rating of an answer, stored once: a second one changes nothing ('already'). */
export async function rateAnswer(db: Db, input: { questionId: number; subscriberId: number; rating: QuestionRating; now: Date }): Promise<RateOutcome> {
  const mine = and(eq(questions.id, input.questionId), eq(questions.subscriberId, input.subscriberId), isNotNull(questions.answeredAt))
  const rows = await db
    .update(questions)
    .set({ rating: input.rating, ratedAt: input.now })
    .where(and(mine, isNull(questions.rating)))
    .returning({ id: questions.id })
  if (rows.length > 0) return 'rated'
  const [found] = await db.select({ id: questions.id }).from(questions).where(mine).limit(1)
  return found ? 'already' : 'not_found'
}

/** The subscriber's latest answered question not rated yet: what a typed "1" or "2" rates. */
export async function latestUnrated(db: Db, subscriberId: number) {
  const [row] = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.subscriberId, subscriberId), isNotNull(questions.answeredAt), isNull(questions.rating)))
    .orderBy(desc(questions.answeredAt), desc(questions.id))
    .limit(1)
  return row?.id ?? null
}

/** Linear interpolation between closest ranks (as a spreadsheet's PERCENTILE.INC); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = (sorted.length - 1) * p
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10)

interface Tally {
  asked: number
  answered: number
  waits: number[]
  within: number
  due: number
  satisfied: number
  rated: number
}

function figures(t: Tally) {
  const sorted = [...t.waits].sort((a, b) => a - b)
  return {
    asked: t.asked,
    answered: t.answered,
    open: t.asked - t.answered,
    medianWorkingHours: round1(percentile(sorted, 0.5)),
    p90WorkingHours: round1(percentile(sorted, 0.9)),
    answeredWithinTarget: t.within,
    dueByTarget: t.due,
    shareWithinTarget: t.due ? Math.round((t.within / t.due) * 1000) / 1000 : null,
    rated: t.rated,
    satisfiedShare: t.rated ? Math.round((t.satisfied / t.rated) * 1000) / 1000 : null,
  }
}

/**
 * First-response times in working hours over the questions asked in [from, to): per unit that
 * answers and overall, the median and P90 of the answered ones, and the share answered within
 * `targetDays` working days (of WORKING_HOURS each) among those answered or waiting past it.
 */
export async function questionStats(db: Db, input: { from?: Date; to?: Date; targetDays: number; now: Date; clock: WorkingClock }) {
  const conds = [input.from ? gte(questions.askedAt, input.from) : undefined, input.to ? lt(questions.askedAt, input.to) : undefined]
  const rows = await db
    .select({ askedAt: questions.askedAt, first: sql<number | null>`coalesce(${questions.firstAnsweredAt}, ${questions.answeredAt})`, rating: questions.rating, unitCode: units.code, unitName: units.name })
    .from(questions)
    .innerJoin(units, eq(units.id, questions.unitId))
    .where(and(...conds))
  const dayMinutes = input.clock.hours.reduce((sum, [a, b]) => sum + (b - a), 0)
  const target = input.targetDays * dayMinutes
  const tz = input.clock.timeZone
  const firstAsked = rows.reduce((a, r) => (r.askedAt < a ? r.askedAt : a), input.now)
  const cal = await loadCalendar(db, localDay(firstAsked, tz), localDay(input.now, tz))
  const empty = (): Tally => ({ asked: 0, answered: 0, waits: [], within: 0, due: 0, satisfied: 0, rated: 0 })
  const all = empty()
  const byUnit = new Map<string, { code: string; name: string; t: Tally }>()
  for (const r of rows) {
    let u = byUnit.get(r.unitCode)
    if (!u) byUnit.set(r.unitCode, (u = { code: r.unitCode, name: r.unitName, t: empty() }))
    const answeredAt = r.first === null ? null : new Date(Number(r.first) * 1000)
    // An open question only needs to be measured against the target: N working days lie within N + 60
    // calendar days (no run of days off is that long), so a months-old one is not walked day by day.
    const until = answeredAt ?? new Date(Math.min(input.now.getTime(), r.askedAt.getTime() + (input.targetDays + 60) * 86_400_000))
    const minutes = workingMinutesBetween(r.askedAt, until, cal, input.clock.hours, tz)
    for (const t of [all, u.t]) {
      t.asked++
      if (answeredAt) {
        t.answered++
        t.waits.push(minutes / 60)
        if (minutes <= target) t.within++
      }
      if (answeredAt || minutes > target) t.due++
      if (r.rating) {
        t.rated++
        if (r.rating === 'satisfied') t.satisfied++
      }
    }
  }
  return {
    from: input.from?.toISOString() ?? null,
    to: input.to?.toISOString() ?? null,
    targetWorkingDays: input.targetDays,
    all: figures(all),
    units: [...byUnit.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi')).map((u) => ({ unit: { code: u.code, name: u.name }, ...figures(u.t) })),
  }
}
