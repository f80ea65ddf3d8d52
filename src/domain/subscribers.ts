import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import { broadcastSubscribers, claimReports, conversations, deliveries, pollAnswers, processedUpdates, questions, subscribers, units, type Locale, type SubscriberRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { pollAnswersOf } from './polls/polls.js'
import { reportsOfReporter } from './misinformation/intake.js'
import type { ChannelName } from '../core/events.js'
import { AppError } from '../errors.js'

/**
 * Subscribers: chats that are not linked to the directory (parents, students, citizens). A chat
 * becomes one when it first writes something Loa answers for the public (a question, `/dangky`,
 * free text); it is never a person and never gets a staff command.
 */

/** The subscriber behind a chat, or null. */
export async function subscriberOf(db: Db, channel: ChannelName, chatId: string): Promise<SubscriberRow | null> {
  const [row] = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.channel, channel), eq(subscribers.chatId, chatId)))
    .limit(1)
  return row ?? null
}

/**
 * The chat's subscriber, made on its first message (`created`: the reply then carries the privacy
 * notice); an existing one is seen now, and reachable again if it had blocked the bot.
 */
export async function touchSubscriber(
  db: Db,
  input: { channel: ChannelName; chatId: string; locale: Locale; now: Date },
): Promise<{ subscriber: SubscriberRow; created: boolean }> {
  const found = await subscriberOf(db, input.channel, input.chatId)
  if (found) {
    const [row] = await db.update(subscribers).set({ lastSeenAt: input.now, blockedAt: null }).where(eq(subscribers.id, found.id)).returning()
    return { subscriber: row!, created: false }
  }
  const [row] = await db
    .insert(subscribers)
    .values({ channel: input.channel, chatId: input.chatId, locale: input.locale, createdAt: input.now, lastSeenAt: input.now })
    .onConflictDoUpdate({ target: [subscribers.channel, subscribers.chatId], set: { lastSeenAt: input.now } })
    .returning()
  return { subscriber: row!, created: true }
}

/** Wards (units of kind `commune`), by name, optionally those whose name or code contains `query`. */
export async function wards(db: Db, query = '') {
  const rows = await db
    .select({ id: units.id, code: units.code, name: units.name })
    .from(units)
    .where(eq(units.kind, 'commune'))
  const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase()
  const q = fold(query.trim())
  return rows.filter((w) => !q || fold(w.name).includes(q) || fold(w.code).includes(q)).sort((a, b) => a.name.localeCompare(b.name, 'vi'))
}

/** `/dangky`: the ward chosen and consent to public news and polls recorded (Decree 13/2023). */
export async function optIn(db: Db, subscriberId: number, wardUnitId: number, now: Date) {
  const [row] = await db
    .update(subscribers)
    .set({ wardUnitId, optedInAt: now, unsubscribedAt: null })
    .where(eq(subscribers.id, subscriberId))
    .returning()
  return row ?? null
}

/** `/huydangky`: consent withdrawn; the ward is kept for questions until `/xoa`. False when not opted in. */
export async function optOut(db: Db, subscriberId: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(subscribers)
    .set({ optedInAt: null, unsubscribedAt: now })
    .where(and(eq(subscribers.id, subscriberId), sql`${subscribers.optedInAt} is not null`))
    .returning({ id: subscribers.id })
  return rows.length > 0
}

/**
 * Erases one subscriber at once (`/xoa`, the privacy API, retention): the row goes; their questions
 * lose the link and their text (the answer and the rating stay, anonymous, for the figures);
 * messages to the chat not sent yet are cancelled and every message loses its chat id and text;
 * the chat's conversation state and the chat ids of its updates go.
 */
export async function eraseSubscriber(db: Db, id: number) {
  const [found] = await db.select().from(subscribers).where(eq(subscribers.id, id)).limit(1)
  if (!found) throw new AppError('not_found', 'api.errors.noSubscriber', { id })
  const chat = and(eq(deliveries.channel, found.channel), eq(deliveries.chatId, found.chatId))
  const asked = await db.select({ id: questions.id }).from(questions).where(eq(questions.subscriberId, id))
  await atomic(db, [
    db
      .update(deliveries)
      .set({
        status: sql`case when ${deliveries.status} in ('queued', 'sending') then 'failed' else ${deliveries.status} end`,
        failReason: sql`case when ${deliveries.status} in ('queued', 'sending') then 'cancelled' else ${deliveries.failReason} end`,
        lastError: null,
        chatId: '',
        payload: null,
        messageId: null,
      })
      .where(chat),
    db.delete(conversations).where(and(eq(conversations.channel, found.channel), eq(conversations.chatId, found.chatId))),
    db
      .update(processedUpdates)
      .set({ chatId: null, webhookReply: null })
      .where(and(eq(processedUpdates.channel, found.channel), eq(processedUpdates.chatId, found.chatId))),
    db.update(questions).set({ subscriberId: null, text: '' }).where(eq(questions.subscriberId, id)),
    // A poll answer stays in its ward's figures, without them and without their comment.
    db.update(pollAnswers).set({ subscriberId: null, comment: null }).where(eq(pollAnswers.subscriberId, id)),
    // A public brief they were sent stays in its ward's figures, without them and their chat.
    db.update(broadcastSubscribers).set({ subscriberId: null, chatId: '' }).where(eq(broadcastSubscribers.subscriberId, id)),
    // A report of misinformation stays in its claim (counted, timed) without them and their chat.
    db.update(claimReports).set({ subscriberId: null, chatId: null }).where(eq(claimReports.subscriberId, id)),
    db.delete(subscribers).where(eq(subscribers.id, id)),
  ])
  return { subscriberId: id, questionsEmptied: asked.length }
}

/**
 * The chat was just linked to a person of the directory: it is staff now, not a subscriber. The row
 * goes; questions it asked as a subscriber stay, unlinked (an answer still due cannot reach it).
 */
export async function endSubscriberOnLink(db: Db, channel: ChannelName, chatId: string) {
  const found = await subscriberOf(db, channel, chatId)
  if (!found) return
  await atomic(db, [
    db.update(questions).set({ subscriberId: null }).where(eq(questions.subscriberId, found.id)),
    // Their reports keep the chat: a correction still reaches it, now a staff member's.
    db.update(claimReports).set({ subscriberId: null }).where(eq(claimReports.subscriberId, found.id)),
    db.delete(subscribers).where(eq(subscribers.id, found.id)),
  ])
}

/** Everything kept about one subscriber, for their request (Decree 13/2023): the row and their questions. */
export async function exportSubscriber(db: Db, id: number) {
  const [found] = await db
    .select({ s: subscribers, wardCode: units.code, wardName: units.name })
    .from(subscribers)
    .leftJoin(units, eq(units.id, subscribers.wardUnitId))
    .where(eq(subscribers.id, id))
    .limit(1)
  if (!found) throw new AppError('not_found', 'api.errors.noSubscriber', { id })
  const asked = await db.select().from(questions).where(eq(questions.subscriberId, id)).orderBy(asc(questions.askedAt))
  const iso = (d: Date | null) => d?.toISOString() ?? null
  const s = found.s
  return {
    subscriber: {
      id: s.id,
      channel: s.channel,
      chatId: s.chatId,
      ward: found.wardCode ? { code: found.wardCode, name: found.wardName } : null,
      locale: s.locale,
      optedInAt: iso(s.optedInAt),
      unsubscribedAt: iso(s.unsubscribedAt),
      blockedAt: iso(s.blockedAt),
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
    },
    questions: asked.map((q) => ({ id: q.id, text: q.text, askedAt: q.askedAt.toISOString(), answer: q.answer, answeredAt: iso(q.answeredAt), rating: q.rating })),
    polls: await pollAnswersOf(db, { subscriberId: id }),
    misinformationReports: await reportsOfReporter(db, { subscriberId: id }),
  }
}

/** Subscribers for the privacy API, newest first (chat ids are theirs: admins only). */
export async function listSubscribers(db: Db, page: { limit: number; offset: number }) {
  const rows = await db
    .select({ id: subscribers.id, channel: subscribers.channel, wardCode: units.code, wardName: units.name, optedInAt: subscribers.optedInAt, lastSeenAt: subscribers.lastSeenAt, blockedAt: subscribers.blockedAt })
    .from(subscribers)
    .leftJoin(units, eq(units.id, subscribers.wardUnitId))
    .orderBy(sql`${subscribers.id} desc`)
    .limit(page.limit)
    .offset(page.offset)
  const [{ n }] = (await db.select({ n: sql<number>`count(*)` }).from(subscribers)) as [{ n: number }]
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      ward: r.wardCode ? { code: r.wardCode, name: r.wardName } : null,
      optedIn: r.optedInAt !== null,
      lastSeenAt: r.lastSeenAt.toISOString(),
      blocked: r.blockedAt !== null,
    })),
  }
}

/** The retention job: subscribers silent for `days` are erased, a batch at a time. */
export async function pruneSubscribers(db: Db, now: Date, days: number) {
  const cutoff = new Date(now.getTime() - days * 86_400_000)
  let erased = 0
  for (;;) {
    const stale = await db.select({ id: subscribers.id }).from(subscribers).where(lt(subscribers.lastSeenAt, cutoff)).limit(100)
    if (stale.length === 0) return erased
    for (const s of stale) await eraseSubscriber(db, s.id)
    erased += stale.length
  }
}

/** Subscribers reachable on a chat: not blocked. Used to pick where an answer goes. */
export async function reachableSubscriber(db: Db, id: number) {
  const [row] = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.id, id), isNull(subscribers.blockedAt)))
    .limit(1)
  return row ?? null
}

