import { eq } from 'drizzle-orm'
import { questions, units, type PersonRow, type QuestionRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { enqueue } from '../delivery/queue.js'
import { translate } from '../i18n.js'
import { resolveAudience } from './audience.js'
import { answerQuestion, clip } from './questions.js'

/**
 * A subscriber's question routed to their ward's unit: the unit's focal points linked in chat are
 * told at once (one message each: its number, its text, how to answer), and may answer it there
 * with `/traloi <số> <câu trả lời>`. The answer leaves exactly as one from the console does.
 */

/** Tells the focal points of the ward a subscriber's question went to; the number of messages queued. */
export async function tellWardFocalPoints(db: Db, question: QuestionRow, now: Date): Promise<number> {
  const [unit] = await db.select({ code: units.code, kind: units.kind }).from(units).where(eq(units.id, question.unitId)).limit(1)
  // Only a ward's unit: a question sent to the Department is the console's to answer.
  if (!question.fromPublic || unit?.kind !== 'commune') return 0
  const { recipients } = await resolveAudience(db, { unitCodes: [unit.code], includeSubunits: false, roles: ['focal_point'], platforms: [] })
  return enqueue(
    db,
    recipients.map((r) => ({
      source: 'message' as const,
      sourceId: question.id,
      personId: r.personId,
      channel: r.channel,
      chatId: r.chatId,
      locale: r.locale,
      payload: { text: translate(r.locale, 'ask.ward.told', { id: question.id, question: clip(question.text, 1500) }) },
      dedupeKey: `question:${question.id}:focal:${r.personId}`,
    })),
    now,
  )
}

export type WardAnswerOutcome =
  | { status: 'answered'; question: QuestionRow; delivered: boolean }
  | { status: 'already'; question: QuestionRow }
  | { status: 'not_found' | 'not_focal' | 'not_yours' }

/**
 * A focal point's answer in chat: only to a subscriber's question routed to their own unit. The
 * same domain function as the console's answer sends it, and records who answered.
 */
export async function answerAsFocalPoint(
  db: Db,
  input: { person: PersonRow; questionId: number; answer: string; now: Date; holdDays?: number },
): Promise<WardAnswerOutcome> {
  if (!input.person.roles.includes('focal_point')) return { status: 'not_focal' }
  const [q] = await db.select().from(questions).where(eq(questions.id, input.questionId)).limit(1)
  if (!q) return { status: 'not_found' }
  if (!q.fromPublic || q.unitId !== input.person.unitId) return { status: 'not_yours' }
  if (q.answeredAt) return { status: 'already', question: q }
  return answerQuestion(db, q.id, input.answer, input.now, input.holdDays, input.person.id)
}
