import { and, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm'
import { chatLinks, people, questions, units, type Locale, type QuestionRow, type UnitKind } from '#db/schema/index.js'
import { prepared } from '#db/prepared.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../core/events.js'
import { formatDate, translate } from '../i18n.js'
import { localDay } from '../time.js'
import { workingHoursWaited, type WorkingClock } from './calendar/working.js'
import { preferredChatId, resolveAudience } from './audience.js'
import { enqueue } from '../delivery/queue.js'
import { settleSuggestions } from './library/suggested-answers.js'
import { sendToSubscriber } from './public-questions.js'

/** Who asked a question, for the answer's record: name (empty once erased; none for a subscriber) and unit. */
export async function askerOf(db: Db, question: { personId: number | null; unitId: number }) {
  const [who] = await db
    .select({ fullName: people.fullName, erasedAt: people.erasedAt, unitCode: units.code, unitName: units.name, unitKind: units.kind })
    .from(units)
    .leftJoin(people, eq(people.id, sql`${question.personId}`))
    .where(eq(units.id, question.unitId))
  return who!
}

export const QUESTION_MIN = 5
export const QUESTION_MAX = 2000
export const ANSWER_MAX = 4000

/** Compiled once: `/hoidap` runs it for every question, and building it cost more than running it. */
const insertQuestion = prepared((db) =>
  db
    .insert(questions)
    .values({
      personId: sql.placeholder('personId'),
      unitId: sql.placeholder('unitId'),
      channel: sql.placeholder('channel'),
      text: sql.placeholder('text'),
      askedAt: sql.placeholder('askedAt'),
    })
    .returning()
    .prepare(),
)

export async function askQuestion(
  db: Db,
  input: { personId: number; unitId: number; channel: ChannelName; text: string; now: Date },
): Promise<QuestionRow> {
  const [row] = await insertQuestion(db).all({ ...input, askedAt: input.now })
  return row!
}

export type QuestionStatus = 'open' | 'answered' | 'all'

/** Questions, newest first, with who asked and from which unit. Phone numbers are never included. */
export async function listQuestions(
  db: Db,
  filter: { status: QuestionStatus; unitCode?: string; limit: number; offset: number },
  clock: WorkingClock,
) {
  const conds: SQL[] = []
  if (filter.status === 'open') conds.push(isNull(questions.answeredAt))
  if (filter.status === 'answered') conds.push(isNotNull(questions.answeredAt))
  if (filter.unitCode) conds.push(eq(units.code, filter.unitCode))
  const where = conds.length ? and(...conds) : undefined
  const rows = await db
    .select({ q: questions, fullName: people.fullName, erasedAt: people.erasedAt, unitCode: units.code, unitName: units.name, unitKind: units.kind })
    .from(questions)
    .leftJoin(people, eq(people.id, questions.personId))
    .innerJoin(units, eq(units.id, questions.unitId))
    .where(where)
    .orderBy(desc(questions.askedAt), desc(questions.id))
    .limit(filter.limit)
    .offset(filter.offset)
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)` })
    .from(questions)
    .innerJoin(units, eq(units.id, questions.unitId))
    .where(where)) as [{ n: number }]
  const waited = await workingHoursWaited(db, rows.map((r) => ({ from: r.q.askedAt, to: r.q.firstAnsweredAt ?? r.q.answeredAt })), clock)
  const answerers = await namesOf(db, rows.map((r) => r.q.answeredByPersonId))
  return {
    total: Number(n),
    items: rows.map((r, i) => ({ ...presentQuestion(r.q, r), waitedWorkingHours: waited[i]!, answeredByName: answerers.get(r.q.answeredByPersonId ?? 0) ?? null })),
  }
}

/** The names of the focal points who answered in chat (none for an erased one): one query, the ids as one JSON value. */
async function namesOf(db: Db, ids: readonly (number | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))]
  if (wanted.length === 0) return new Map<number, string>()
  const rows = await db
    .select({ id: people.id, fullName: people.fullName })
    .from(people)
    .where(and(isNull(people.erasedAt), sql`${people.id} in (select value from json_each(${JSON.stringify(wanted)}))`))
  return new Map(rows.map((r) => [r.id, r.fullName]))
}

/**
 * A question as the API shows it. The asker of an erased person's question is null, and a text
 * removed by erasure or by the retention job is null: the question itself still counts. `asker`
 * says who asked: staff (the person, null once erased) or a subscriber (their channel and ward,
 * never their chat id).
 */
export function presentQuestion(
  q: QuestionRow,
  who: { fullName: string | null; erasedAt: Date | null; unitCode: string; unitName: string; unitKind: UnitKind },
) {
  const person = q.personId !== null && who.fullName !== null && !who.erasedAt ? { id: q.personId, fullName: who.fullName } : null
  const ward = who.unitKind === 'commune' ? { code: who.unitCode, name: who.unitName } : null
  return {
    id: q.id,
    text: q.text === '' ? null : q.text,
    askedAt: q.askedAt.toISOString(),
    channel: q.channel,
    person,
    asker: q.fromPublic ? { kind: 'subscriber' as const, channel: q.channel, ward, erased: q.subscriberId === null } : { kind: 'staff' as const, person },
    unit: { code: who.unitCode, name: who.unitName },
    answer: q.answer,
    answeredAt: q.answeredAt?.toISOString() ?? null,
    /** Answered at once from an FAQ entry marked "tự động" (labelled so); still open for a person. */
    autoAnswer: q.autoAnsweredAt ? { productId: q.autoAnswerProductId, at: q.autoAnsweredAt.toISOString() } : null,
    /** The asker replied "gặp người" to the automatic answer. */
    personAskedAt: q.personAskedAt?.toISOString() ?? null,
    firstAnsweredAt: (q.firstAnsweredAt ?? q.answeredAt)?.toISOString() ?? null,
    rating: q.rating,
    /** The ward's focal point who answered in chat, if one did. */
    answeredByPersonId: q.answeredByPersonId,
    /** The library's FAQ entry published from this question (POST /api/questions/:id/faq). */
    faqProductId: q.faqProductId,
  }
}

export type AnswerOutcome =
  | { status: 'answered'; question: QuestionRow; delivered: boolean }
  | { status: 'already'; question: QuestionRow }
  | { status: 'not_found' }

/**
 * Records the Department's answer, once, and queues it to the asker: on the chat they asked from
 * if it is still linked and not blocked, else on their most recently linked reachable chat. The
 * answer is kept even when no chat can take it (`delivered: false`), so it can be passed on otherwise.
 * Sending the same answer again is a retry, not a conflict: it queues the message if an earlier
 * call saved the answer but failed before queueing it (the dedupe key keeps it to one message).
 * `answeredBy`: the ward's focal point who answered in chat (handlers/ward-answer.ts).
 */
export async function answerQuestion(db: Db, id: number, answer: string, now: Date, holdDays?: number, answeredBy?: number): Promise<AnswerOutcome> {
  let [updated] = await db
    .update(questions)
    .set({ answer, answeredAt: now, firstAnsweredAt: now, answeredByPersonId: answeredBy ?? null })
    .where(and(eq(questions.id, id), isNull(questions.answeredAt)))
    .returning()
  if (!updated) {
    const [existing] = await db.select().from(questions).where(eq(questions.id, id)).limit(1)
    if (!existing) return { status: 'not_found' }
    if (existing.answer !== answer) return { status: 'already', question: existing }
    updated = existing
  }
  await settleSuggestions(db, id, answer, now)
  const delivered = await sendAnswer(db, updated, 'ask.answer', `question:${updated.id}:answer`, now, holdDays)
  return { status: 'answered', question: updated, delivered }
}

/**
 * Corrects an answer already given: the new text replaces the old, and the asker gets it marked
 * as a correction (one message per correction). 'not_answered' when there is nothing to correct.
 */
export async function correctAnswer(
  db: Db,
  id: number,
  answer: string,
  now: Date,
  holdDays?: number,
): Promise<{ status: 'corrected'; question: QuestionRow; delivered: boolean } | { status: 'not_answered' | 'unchanged'; question: QuestionRow } | { status: 'not_found' }> {
  const [existing] = await db.select().from(questions).where(eq(questions.id, id)).limit(1)
  if (!existing) return { status: 'not_found' }
  if (existing.answeredAt === null) return { status: 'not_answered', question: existing }
  if (existing.answer === answer) return { status: 'unchanged', question: existing }
  const [updated] = await db.update(questions).set({ answer, answeredAt: now }).where(eq(questions.id, id)).returning()
  const delivered = await sendAnswer(db, updated!, 'ask.correction', `question:${id}:correction:${now.getTime()}`, now, holdDays)
  return { status: 'corrected', question: updated!, delivered }
}

/** Queues an answer to the asker: on the chat they asked from if still reachable, else any (staff); a subscriber's chat. */
function sendAnswer(db: Db, question: QuestionRow, key: 'ask.answer' | 'ask.correction', dedupeKey: string, now: Date, holdDays?: number) {
  const text = (locale: Locale) => translate(locale, key, { id: question.id, question: clip(question.text, 300), answer: question.answer ?? '' })
  if (question.personId === null) return sendToSubscriber(db, question, text, dedupeKey, key === 'ask.answer', now, holdDays)
  return sendToAsker(db, { personId: question.personId, channel: question.channel, sourceId: question.id }, text, dedupeKey, now)
}

/**
 * Queues a message from the Department to one person who wrote in: on a reachable chat of the
 * messenger they wrote from, else on their most recently linked reachable chat, in their language.
 * False when no chat can take it. Answers to questions and to inbox messages both leave this way.
 */
export async function sendToAsker(
  db: Db,
  asker: { personId: number; channel: ChannelName; sourceId: number },
  text: (locale: Locale) => string,
  dedupeKey: string,
  now: Date,
) {
  // The audience rule for one person: their reachable chat on the messenger they asked from, else any.
  const [chat] = await db
    .select({ channel: chatLinks.channel, chatId: chatLinks.chatId, locale: people.locale })
    .from(people)
    .innerJoin(chatLinks, eq(chatLinks.id, sql`coalesce(${preferredChatId([asker.channel])}, ${preferredChatId([])})`))
    .where(eq(people.id, asker.personId))
  if (!chat) return false
  const locale: Locale = chat.locale
  await enqueue(
    db,
    [
      {
        source: 'message',
        sourceId: asker.sourceId,
        personId: asker.personId,
        channel: chat.channel,
        chatId: chat.chatId,
        locale,
        payload: { text: text(locale) },
        dedupeKey,
      },
    ],
    now,
  )
  return true
}

export function clip(text: string, max: number) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/**
 * The 'questions' job (daily, with the reminders): tells each admin who has a chat with the bot how
 * many questions wait for an answer, from staff and from the public (parents, citizens), once a day. Nothing is sent when none wait.
 */
export async function questionsDigest(db: Db, now: Date, timeZone: string) {
  const [row] = await db
    .select({
      open: sql<number>`count(*)`,
      // A question is staff's when a person of the directory asked it; else a parent's or a citizen's.
      fromStaff: sql<number>`coalesce(sum(case when ${questions.personId} is not null then 1 else 0 end), 0)`,
      oldest: sql<number | null>`min(${questions.askedAt})`,
    })
    .from(questions)
    // A question emptied by its asker's erasure cannot be answered to anyone: it waits for no one.
    .where(and(isNull(questions.answeredAt), sql`${questions.text} != ''`))
  const open = Number(row?.open ?? 0)
  if (open === 0) return { open, staff: 0, public: 0, queued: 0 }
  const staff = Number(row!.fromStaff)
  const oldest = formatDate(new Date(Number(row!.oldest) * 1000), timeZone)
  const admins = await resolveAudience(db, { unitCodes: [], includeSubunits: true, roles: ['admin'], platforms: [] })
  const day = localDay(now, timeZone)
  const queued = await enqueue(
    db,
    admins.recipients.map((a) => ({
      source: 'message',
      sourceId: 0,
      personId: a.personId,
      channel: a.channel,
      chatId: a.chatId,
      locale: a.locale,
      payload: { text: translate(a.locale, 'ask.digest', { count: open, staff, public: open - staff, oldest }) },
      dedupeKey: `questions-digest:${day}:person:${a.personId}`,
    })),
    now,
  )
  return { open, staff, public: open - staff, queued }
}

