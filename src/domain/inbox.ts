import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { inboxMessages, inboxStatuses, people, units, type InboxMessageRow, type InboxStatus, type Locale } from '#db/schema/index.js'
import { atomic, rawStatement } from '#db/atomic.js'
import type { Db } from '#db/types.js'
import { workingHoursWaited, type WorkingClock } from './calendar/working.js'
import type { ChannelName } from '../core/events.js'
import { normalize, translate } from '../i18n.js'
import { clip, QUESTION_MAX, sendToAsker } from './questions.js'

/**
 * The inbox: what a linked person writes in a private chat that no command, button or flow took
 * ("cho hỏi lịch tập huấn tháng 12"). Nothing a teacher writes is lost: it is kept for staff, who
 * answer it (the answer goes back to the chat through the outbox, as answers to questions do) or
 * turn it into a question (as if it had come with /hoidap).
 */

/** Longest text kept; a longer message is kept cut to this (a chat message rarely comes near). */
export const INBOX_TEXT_MAX = QUESTION_MAX

/**
 * Greetings and thanks, folded (no diacritics, lower case, no punctuation): a reply to the bot,
 * not a message for the Department, however many words.
 */
const PLEASANTRIES = new Set(
  ['xin chao', 'chao ban', 'chao bot', 'chao ad', 'cam on', 'xin cam on', 'cam on ban', 'cam on a', 'cam on nhieu', 'da cam on', 'da vang', 'vang a', 'da a', 'ok a', 'hello', 'hi there', 'thank you', 'thanks a lot', 'good morning'],
)

/**
 * Whether a message is worth passing on: at least two words, or one word of at least 8 letters,
 * and not a bare greeting or thanks. "ok", "dạ", "👍", a single character or emoji, "xin chào",
 * "cảm ơn ạ" get the usual hint instead. A word is a run with at least one letter or digit, so
 * "👍 👍" is not two words.
 */
export function worthKeeping(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w))
  if (PLEASANTRIES.has(normalize(text).replace(/[^\p{L}\p{N} ]/gu, '').trim())) return false
  if (words.length >= 2) return true
  return (text.match(/\p{L}/gu)?.length ?? 0) >= 8
}

export async function keepMessage(
  db: Db,
  input: { personId: number; channel: ChannelName; chatId: string; text: string; now: Date },
): Promise<InboxMessageRow> {
  const [row] = await db
    .insert(inboxMessages)
    .values({ personId: input.personId, channel: input.channel, chatId: input.chatId, text: input.text.slice(0, INBOX_TEXT_MAX), receivedAt: input.now })
    .returning()
  return row!
}

export type InboxFilter = InboxStatus | 'all'
/** The list's filters: a status, or all of them. */
export const INBOX_FILTERS = [...inboxStatuses, 'all'] as const satisfies readonly InboxFilter[]

/** Who answered: a second look at the people table. */
const staff = alias(people, 'staff')

/** The messages with who wrote, their unit, and who answered, for `where`. */
function selectInbox(db: Db, where: SQL | undefined) {
  return db
    .select({
      m: inboxMessages,
      fullName: people.fullName,
      erasedAt: people.erasedAt,
      unitCode: units.code,
      unitName: units.name,
      staffName: staff.fullName,
    })
    .from(inboxMessages)
    .innerJoin(people, eq(people.id, inboxMessages.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .leftJoin(staff, eq(staff.id, inboxMessages.answeredBy))
    .where(where)
}
type InboxSelected = Awaited<ReturnType<typeof selectInbox>>[number]

/** Messages, newest first, with who wrote and from which unit (never a phone number or chat id). */
export async function listInbox(db: Db, filter: { status: InboxFilter; limit: number; offset: number }, clock: WorkingClock) {
  const where = filter.status === 'all' ? undefined : eq(inboxMessages.status, filter.status)
  const rows = await selectInbox(db, where).orderBy(desc(inboxMessages.receivedAt), desc(inboxMessages.id)).limit(filter.limit).offset(filter.offset)
  const [count] = await db.select({ n: sql<number>`count(*)` }).from(inboxMessages).where(where)
  // How long an answered message waited for its answer, in working hours (null otherwise).
  const spans = rows.map((r) => ({ from: r.m.receivedAt, to: r.m.status === 'answered' ? r.m.answeredAt : null }))
  const waited = await workingHoursWaited(db, spans, clock)
  return { total: Number(count?.n ?? 0), items: rows.map((r, i) => ({ ...presentInbox(r), waitedWorkingHours: waited[i]! })) }
}

/**
 * A message as the API shows it. The writer is null once erased; `answeredBy` is the console
 * account that answered it or made it a question (null for the ADMIN_TOKEN).
 */
export function presentInbox(r: InboxSelected) {
  const m = r.m
  return {
    id: m.id,
    text: m.text,
    receivedAt: m.receivedAt.toISOString(),
    channel: m.channel,
    status: m.status,
    person: r.erasedAt ? null : { id: m.personId, fullName: r.fullName },
    unit: { code: r.unitCode, name: r.unitName },
    answer: m.answer,
    answeredAt: m.answeredAt?.toISOString() ?? null,
    answeredBy: m.answeredBy === null ? null : { id: m.answeredBy, fullName: r.staffName || null },
    questionId: m.questionId,
  }
}

async function presentOne(db: Db, id: number) {
  const [r] = await selectInbox(db, eq(inboxMessages.id, id))
  return r ? presentInbox(r) : null
}
export type PresentedInbox = NonNullable<Awaited<ReturnType<typeof presentOne>>>

export type InboxOutcome =
  | { status: 'done'; message: PresentedInbox; delivered: boolean }
  | { status: 'handled'; message: PresentedInbox }
  | { status: 'not_found' }

/**
 * Answers a message, once: the answer is recorded, then queued to the writer's chat (the one they
 * wrote from if still reachable, else their latest). The same answer again is a retry (one
 * message, by its dedupe key); a message already answered otherwise or turned into a question is
 * 'handled' and changes nothing.
 */
export async function answerInbox(db: Db, id: number, answer: string, by: number | null, now: Date): Promise<InboxOutcome> {
  let [row] = await db
    .update(inboxMessages)
    .set({ status: 'answered', answer, answeredAt: now, answeredBy: by })
    .where(and(eq(inboxMessages.id, id), eq(inboxMessages.status, 'new')))
    .returning()
  if (!row) {
    const [existing] = await db.select().from(inboxMessages).where(eq(inboxMessages.id, id)).limit(1)
    if (!existing) return { status: 'not_found' }
    if (existing.status !== 'answered' || existing.answer !== answer) return { status: 'handled', message: (await presentOne(db, id))! }
    row = existing
  }
  const text = (locale: Locale) => translate(locale, 'inbox.answer', { message: clip(row!.text, 300), answer })
  const delivered = await sendToAsker(db, { personId: row.personId, channel: row.channel, sourceId: row.id }, text, `inbox:${row.id}:answer`, now)
  return { status: 'done', message: (await presentOne(db, id))!, delivered }
}

/**
 * Turns a message into a question, as if its writer had sent it with /hoidap (asked when it was
 * received, from their unit), so it is answered from the questions list; the writer is told its
 * number. The question and the link to it are written in one atomic step, and only for a message
 * still new, so two clicks make one question and a failure leaves the message as it was.
 */
export async function inboxToQuestion(db: Db, id: number, by: number | null, now: Date): Promise<InboxOutcome> {
  const changed = await atomic(db, [
    rawStatement(
      db,
      sql`insert into questions (person_id, unit_id, channel, text, asked_at)
        select m.person_id, p.unit_id, m.channel, m.text, m.received_at
        from inbox_messages m join people p on p.id = m.person_id
        where m.id = ${id} and m.status = 'new'`,
    ),
    // The question just written is the writer's newest (ids only grow), in the same transaction.
    rawStatement(
      db,
      sql`update inbox_messages set status = 'question', answered_at = ${sec(now)}, answered_by = ${by},
        question_id = (select max(q.id) from questions q where q.person_id = inbox_messages.person_id)
        where id = ${id} and status = 'new'`,
    ),
  ])
  const message = await presentOne(db, id)
  if (!message) return { status: 'not_found' }
  if (changed === 0) return { status: 'handled', message }
  const [row] = await db.select().from(inboxMessages).where(eq(inboxMessages.id, id))
  const text = (locale: Locale) => translate(locale, 'inbox.becameQuestion', { id: message.questionId ?? '', message: clip(row!.text, 300) })
  const delivered = await sendToAsker(db, { personId: row!.personId, channel: row!.channel, sourceId: message.questionId! }, text, `inbox:${id}:question`, now)
  return { status: 'done', message, delivered }
}

const sec = (d: Date) => Math.floor(d.getTime() / 1000)

/** A person's inbox messages, for their export. */
export async function inboxOf(db: Db, personId: number) {
  const rows = await db.select().from(inboxMessages).where(eq(inboxMessages.personId, personId)).orderBy(asc(inboxMessages.receivedAt), asc(inboxMessages.id))
  return rows.map((m) => ({
    id: m.id,
    channel: m.channel,
    chatId: m.chatId,
    text: m.text,
    receivedAt: m.receivedAt.toISOString(),
    status: m.status,
    answer: m.answer,
    answeredAt: m.answeredAt?.toISOString() ?? null,
    questionId: m.questionId,
  }))
}

/** The erasure step: every message the person wrote goes (a statement for the erasure's atomic batch). */
export function eraseInboxOf(db: Db, personId: number) {
  return db.delete(inboxMessages).where(eq(inboxMessages.personId, personId))
}

const PRUNE_CHUNK = 2000

/**
 * The retention step: messages received before `cutoff` are deleted, whatever their state (an
 * answer sent is in the outbox, whose text the retention job empties too; a question made of one
 * lives on in the questions table). In chunks, yielding in between, so a first run does not stall.
 */
export async function pruneInbox(db: Db, cutoff: Date): Promise<number> {
  let total = 0
  for (;;) {
    const old = db.select({ id: inboxMessages.id }).from(inboxMessages).where(lt(inboxMessages.receivedAt, cutoff)).limit(PRUNE_CHUNK)
    const gone = await db.delete(inboxMessages).where(inArray(inboxMessages.id, old)).returning({ id: inboxMessages.id })
    total += gone.length
    if (gone.length < PRUNE_CHUNK) return total
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
