import { and, asc, desc, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm'
import { z } from 'zod'
import { people, pollAnswers, polls, subscribers, type PollAudience, type PollRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import { enqueue, type NewDelivery } from '../../delivery/queue.js'
import { AppError } from '../../errors.js'
import { audienceCondition, audienceSchema, resolveAudience, type Audience } from '../audience.js'
import { wardUnitIds } from '../unit-wards.js'

export const POLL_SOURCE = 'poll'
/** The 1–5 agreement scale's points. */
export const SCALE_POINTS = 5

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s))

export const pollInputSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    question: z.string().trim().min(1).max(1000),
    kind: z.enum(['single', 'scale']),
    options: z.array(z.string().trim().min(1).max(200)).max(9).default([]),
    allowComment: z.boolean().default(false),
    audience: z.object({
      staff: z
        .object({
          unitCodes: z.array(z.string().trim().min(1)).max(2000).default([]),
          includeSubunits: z.boolean().default(true),
          roles: audienceSchema.unwrap().shape.roles,
        })
        .nullish(),
      subscribers: z.object({ wardCodes: z.array(z.string().trim().min(1)).max(2000).default([]) }).nullish(),
    }),
    opensAt: isoDate.optional(),
    closesAt: isoDate,
    resultsHidden: z.boolean().default(true),
    repeatOf: z.number().int().positive().optional(),
  })
  .refine((p) => p.kind === 'scale' || p.options.length >= 2, { message: 'api.checks.pollOptions', path: ['options'] })
  .refine((p) => p.kind === 'single' || p.options.length === 0, { message: 'api.checks.pollScaleNoOptions', path: ['options'] })
  .refine((p) => new Set(p.options.map((o) => o.toLowerCase())).size === p.options.length, { message: 'api.checks.optionsDiffer', path: ['options'] })
  .refine((p) => !!p.audience.staff || !!p.audience.subscribers, { message: 'api.checks.pollAudience', path: ['audience'] })
export type PollInput = z.infer<typeof pollInputSchema>

const staffAudience = (a: PollAudience): Audience | null =>
  a.staff ? { unitCodes: a.staff.unitCodes, includeSubunits: a.staff.includeSubunits, roles: a.staff.roles as Audience['roles'], platforms: [] } : null


/** Creates a poll and queues it to its audience (sent from opensAt). The one way to make a poll. */
export async function openPoll(db: Db, input: PollInput, now: Date) {
  const opensAt = input.opensAt ?? now
  if (input.closesAt.getTime() <= Math.max(now.getTime(), opensAt.getTime())) {
    throw new AppError('invalid_input', 'api.errors.invalidRequest', undefined, [{ path: 'closesAt', message: 'api.checks.closesAfterOpensAndFuture' }])
  }
  if (input.repeatOf) {
    const original = await findPoll(db, input.repeatOf)
    if (!original) throw new AppError('unprocessable', 'api.errors.noPoll', { id: String(input.repeatOf) })
    // A repeat asks the same thing again, so that its figures line up with the earlier ones (the trend).
    if (original.kind !== input.kind || (input.kind === 'single' && original.options.length !== input.options.length)) {
      throw new AppError('unprocessable', 'api.errors.pollRepeatDiffers', { id: String(input.repeatOf) })
    }
  }
  const audience: PollAudience = { staff: input.audience.staff ?? null, subscribers: input.audience.subscribers ?? null }
  const staff = staffAudience(audience)
  if (staff) await audienceCondition(db, staff)
  if (audience.subscribers) await wardUnitIds(db, audience.subscribers.wardCodes)
  const [poll] = await db
    .insert(polls)
    .values({
      title: input.title,
      question: input.question,
      kind: input.kind,
      options: input.options,
      allowComment: input.allowComment,
      audience,
      opensAt,
      closesAt: input.closesAt,
      resultsHidden: input.resultsHidden,
      repeatOf: input.repeatOf ?? null,
      createdAt: now,
    })
    .returning()
  return { poll: poll!, queued: await queuePoll(db, poll!, now) }
}

/** Opted-in, reachable subscribers of the poll's wards (not those on the web: no chat to send to; their page lists it). */
async function subscriberRecipients(db: Db, a: PollAudience) {
  if (!a.subscribers) return []
  const ids = await wardUnitIds(db, a.subscribers.wardCodes)
  return db
    .select({ id: subscribers.id, channel: subscribers.channel, chatId: subscribers.chatId, locale: subscribers.locale })
    .from(subscribers)
    .where(
      and(
        isNotNull(subscribers.optedInAt),
        isNull(subscribers.blockedAt),
        isNotNull(subscribers.wardUnitId),
        ne(subscribers.channel, 'web'),
        ids ? sql`${subscribers.wardUnitId} in (select value from json_each(${JSON.stringify(ids)}))` : undefined,
      ),
    )
}

/** One message per respondent through the delivery layer, rendered at send time (render.ts). */
async function queuePoll(db: Db, poll: PollRow, now: Date) {
  const staff = staffAudience(poll.audience)
  const resolved = staff ? await resolveAudience(db, staff) : null
  const subs = await subscriberRecipients(db, poll.audience)
  const common = { source: POLL_SOURCE, sourceId: poll.id, notBefore: poll.opensAt, expiresAt: poll.closesAt }
  const rows: NewDelivery[] = [
    ...(resolved?.recipients ?? []).map((r) => ({ ...common, personId: r.personId, channel: r.channel, chatId: r.chatId, locale: r.locale, dedupeKey: `poll:${poll.id}:person:${r.personId}` })),
    ...subs.map((s) => ({ ...common, channel: s.channel as ChannelName, chatId: s.chatId, locale: s.locale, dedupeKey: `poll:${poll.id}:subscriber:${s.id}` })),
  ]
  const queued = await enqueue(db, rows, now)
  return { staff: resolved?.recipients.length ?? 0, staffUnreachable: resolved?.unreachable ?? 0, subscribers: subs.length, queued }
}

export async function findPoll(db: Db, id: number): Promise<PollRow | undefined> {
  const [row] = await db.select().from(polls).where(eq(polls.id, id)).limit(1)
  return row
}

export async function listPolls(db: Db) {
  return db.select().from(polls).orderBy(desc(polls.opensAt), desc(polls.id))
}

export function isClosed(poll: PollRow, now: Date): boolean {
  return poll.status === 'closed' || now.getTime() >= poll.closesAt.getTime()
}

export function presentPoll(p: PollRow, now: Date) {
  return {
    id: p.id,
    title: p.title,
    question: p.question,
    kind: p.kind,
    options: p.options,
    allowComment: p.allowComment,
    audience: p.audience,
    opensAt: p.opensAt.toISOString(),
    closesAt: p.closesAt.toISOString(),
    resultsHidden: p.resultsHidden,
    repeatOf: p.repeatOf,
    status: isClosed(p, now) ? 'closed' : now.getTime() < p.opensAt.getTime() ? 'scheduled' : 'open',
    closedAt: p.closedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  }
}

/** Closes a poll now: answers are refused from then on, and respondents may see the results. */
export async function closePoll(db: Db, poll: PollRow, now: Date): Promise<PollRow> {
  if (poll.status === 'closed') return poll
  const closesAt = poll.closesAt.getTime() < now.getTime() ? poll.closesAt : now
  const [row] = await db.update(polls).set({ status: 'closed', closedAt: now, closesAt }).where(eq(polls.id, poll.id)).returning()
  return row!
}

export type Respondent = { kind: 'person'; personId: number; unitId: number } | { kind: 'subscriber'; subscriberId: number; wardUnitId: number | null; optedIn: boolean }

/** Whether the poll asks this respondent: staff in its units and roles, or an opted-in subscriber of its wards. */
export async function isAsked(db: Db, poll: PollRow, who: Respondent): Promise<boolean> {
  if (who.kind === 'person') {
    const staff = staffAudience(poll.audience)
    if (!staff) return false
    const cond = await audienceCondition(db, staff)
    const [row] = await db.select({ id: people.id }).from(people).where(and(eq(people.id, who.personId), cond)).limit(1)
    return !!row
  }
  if (!poll.audience.subscribers || !who.optedIn || who.wardUnitId === null) return false
  const ids = await wardUnitIds(db, poll.audience.subscribers.wardCodes)
  return !ids || ids.includes(who.wardUnitId)
}

export const optionCount = (poll: PollRow) => (poll.kind === 'scale' ? SCALE_POINTS : poll.options.length)

/**
 * Records the respondent's answer, or replaces the one they gave (`changed`). The caller checks
 * the window and the audience first.
 */
export async function recordPollAnswer(db: Db, poll: PollRow, who: Respondent, choice: number, channel: ChannelName, now: Date): Promise<'recorded' | 'changed'> {
  const mine = who.kind === 'person' ? eq(pollAnswers.personId, who.personId) : eq(pollAnswers.subscriberId, who.subscriberId)
  const [existing] = await db.select({ id: pollAnswers.id }).from(pollAnswers).where(and(eq(pollAnswers.pollId, poll.id), mine)).limit(1)
  if (existing) {
    await db.update(pollAnswers).set({ choice, channel, changedAt: now }).where(eq(pollAnswers.id, existing.id))
    return 'changed'
  }
  await db.insert(pollAnswers).values({
    pollId: poll.id,
    personId: who.kind === 'person' ? who.personId : null,
    subscriberId: who.kind === 'subscriber' ? who.subscriberId : null,
    unitId: who.kind === 'person' ? who.unitId : who.wardUnitId,
    audience: who.kind === 'person' ? 'staff' : 'subscribers',
    choice,
    channel,
    answeredAt: now,
  })
  return 'recorded'
}

/** Adds a comment to the respondent's answer to an open poll that takes comments; false without one. */
export async function commentOnAnswer(db: Db, poll: PollRow, who: Respondent, comment: string): Promise<boolean> {
  const mine = who.kind === 'person' ? eq(pollAnswers.personId, who.personId) : eq(pollAnswers.subscriberId, who.subscriberId)
  const done = await db.update(pollAnswers).set({ comment }).where(and(eq(pollAnswers.pollId, poll.id), mine)).returning({ id: pollAnswers.id })
  return done.length > 0
}

/** The respondent's most recent answer to an open poll that takes comments. */
export async function latestCommentablePoll(db: Db, who: Respondent, now: Date): Promise<PollRow | undefined> {
  const mine = who.kind === 'person' ? eq(pollAnswers.personId, who.personId) : eq(pollAnswers.subscriberId, who.subscriberId)
  const rows = await db
    .select({ poll: polls })
    .from(pollAnswers)
    .innerJoin(polls, eq(polls.id, pollAnswers.pollId))
    .where(and(mine, eq(polls.allowComment, true)))
    .orderBy(desc(sql`coalesce(${pollAnswers.changedAt}, ${pollAnswers.answeredAt})`), asc(polls.id))
  return rows.map((r) => r.poll).find((p) => !isClosed(p, now))
}

/** A respondent's answers, for their data export (Decree 13/2023). */
export async function pollAnswersOf(db: Db, who: { personId: number } | { subscriberId: number }) {
  const rows = await db
    .select({ a: pollAnswers, title: polls.title })
    .from(pollAnswers)
    .innerJoin(polls, eq(polls.id, pollAnswers.pollId))
    .where('personId' in who ? eq(pollAnswers.personId, who.personId) : eq(pollAnswers.subscriberId, who.subscriberId))
    .orderBy(asc(pollAnswers.pollId))
  return rows.map(({ a, title }) => ({
    pollId: a.pollId,
    title,
    choice: a.choice + 1,
    comment: a.comment,
    channel: a.channel,
    answeredAt: a.answeredAt.toISOString(),
    changedAt: a.changedAt?.toISOString() ?? null,
  }))
}
