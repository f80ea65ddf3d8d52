import { zonedTime } from '../../time.js'
import { and, desc, eq, sql } from 'drizzle-orm'
import { atomic, rawStatement } from '#db/atomic.js'
import { broadcastKinds, broadcastRecipients, broadcasts, people, type BroadcastKind, type ObservanceSchedule } from '#db/schema/index.js'
import { actionChannels, type ChannelName } from '../../core/events.js'
import type { Db } from '#db/types.js'
import { DEFAULT_HORIZON_MS } from '../../delivery/policy.js'
import { cancelQueued, enqueue, requeueFailed } from '../../delivery/queue.js'
import { formatDateTime, translator } from '../../i18n.js'
import { localDay } from '../../time.js'
import type { MessengerName, OutboundMessage } from '../../core/events.js'
import type { Locale } from '#db/schema/index.js'
import { AppError } from '../../errors.js'
import { audienceCondition, audienceSchema, audienceUnitIds, preferredChatId, type Audience } from '../audience.js'
import { carryProduct, mustBeProduct, uncarryProduct } from '../library/broadcasts.js'
import { forgetPublicBrief } from '../web/public-brief.js'
import { RELAY_SOURCE, relayCondition, relayStatements } from './relay.js'
import { PAST_TOLERANCE_MS, type BroadcastInput } from './schemas.js'
import { choiceIds } from '../../core/choice-ids.js'
import { countSubscribers, staffIncluded, subscriberCondition, subscriberPart, subscriberStatements, type BroadcastAudience } from './subscribers.js'

export type BroadcastRow = typeof broadcasts.$inferSelect

/** What a broadcast says and to whom, as stored: the same for a draft and one sent. */
export function contentValues(input: Pick<BroadcastInput, 'kind' | 'title' | 'body' | 'imageUrl' | 'link' | 'audience' | 'requireAck'>) {
  return {
    kind: input.kind,
    title: input.title,
    body: input.body,
    imageUrl: input.imageUrl ?? null,
    link: input.link ?? null,
    audience: input.audience as unknown as Record<string, unknown>,
    requireAck: input.requireAck,
  }
}

/** The outbox `source` of broadcast deliveries, and their dedupe key: one delivery per person, ever. */
export const BROADCAST_SOURCE = 'broadcast'
/** Outbox key of a recipient row `r`: one delivery per broadcast and person, ever. */
const recipientDeliveryKey = sql.raw(`'broadcast:' || r.broadcast_id || ':person:' || r.person_id`)

const sec = (d: Date) => Math.floor(d.getTime() / 1000)

/** The audience as a WHERE on `people` plus the platforms allowed, for the SQL below. */
async function audienceSql(db: Db, audience: Audience) {
  const cond = (await audienceCondition(db, audience)) ?? sql`1`
  return { cond, chat: preferredChatId(audience.platforms) }
}

export interface AudienceCounts {
  people: number
  recipients: number
  unreachable: number
  /** Subscribers (opted in with /dangky) of the wards named, when the audience names them. */
  subscribers: number
}

/**
 * How many people an audience covers and how many of them have a usable chat, and how many
 * subscribers it reaches, without writing anything: the answer to "how many will this reach?"
 * before sending. 422 for unknown unit or ward codes.
 */
export async function previewAudience(db: Db, audience: BroadcastAudience): Promise<AudienceCounts> {
  const { cond, chat } = await audienceSql(db, audience)
  const subscribers = await countSubscribers(db, subscriberPart(audience), audience.platforms)
  if (!staffIncluded(audience)) return { people: 0, recipients: 0, unreachable: 0, subscribers }
  const [row] = await db.all<{ people: number; recipients: number | null }>(sql`
    select count(*) as people, sum(${chat} is not null) as recipients
    from people where ${cond}`)
  const people = Number(row?.people ?? 0)
  const recipients = Number(row?.recipients ?? 0)
  return { people, recipients, unreachable: people - recipients, subscribers }
}

/** Saves a broadcast; when it is due now, expands it into the outbox at once. 422 for unknown units or a past time. */
export async function createBroadcast(
  db: Db,
  input: BroadcastInput,
  opts: { now: Date; createdBy?: number | null; horizonMs?: number; draftId?: number; observance?: { schedule: ObservanceSchedule; year: number } },
): Promise<{ broadcast: BroadcastRow; counts: AudienceCounts }> {
  const { now } = opts
  let scheduledAt = input.scheduledAt ? new Date(input.scheduledAt) : now
  if (now.getTime() - scheduledAt.getTime() > PAST_TOLERANCE_MS) {
    throw new AppError('unprocessable', 'api.errors.scheduledInPast', undefined, {
      scheduledAt: input.scheduledAt,
      now: now.toISOString(),
    })
  }
  if (scheduledAt.getTime() < now.getTime()) scheduledAt = now
  // Checks the unit codes (422) and the product carried before anything is written.
  const counts = await previewAudience(db, input.audience)
  if (input.productId !== undefined) await mustBeProduct(db, input.productId)
  const values = {
      ...contentValues(input),
      scheduledAt,
      status: 'scheduled' as const,
      createdBy: opts.createdBy ?? null,
      peopleCount: counts.people,
      recipientCount: counts.recipients,
      unreachableCount: counts.unreachable,
      createdAt: now,
      // A draft being sent keeps the entry it carries unless another is named.
      ...(input.productId !== undefined || !opts.draftId ? { productId: input.productId ?? null } : {}),
      ...(opts.observance ? { observance: opts.observance.schedule, observanceYear: opts.observance.year } : {}),
    } satisfies typeof broadcasts.$inferInsert
  // A draft being sent becomes this broadcast (same id), once: a second send finds no draft.
  const [row] = opts.draftId
    ? await db.update(broadcasts).set(values).where(and(eq(broadcasts.id, opts.draftId), eq(broadcasts.status, 'draft'))).returning()
    : await db.insert(broadcasts).values(values).returning()
  if (!row) throw new AppError('conflict', 'api.errors.draftGone', { id: opts.draftId ?? 0 })
  let broadcast = { ...row, productId: await carryProduct(db, row, { now, createdBy: opts.createdBy ?? null }) }
  if (scheduledAt.getTime() <= now.getTime()) {
    await expandBroadcast(db, broadcast, now, opts.horizonMs)
    broadcast = (await getBroadcast(db, broadcast.id))!
    return {
      broadcast,
      counts: { people: broadcast.peopleCount, recipients: broadcast.recipientCount, unreachable: broadcast.unreachableCount, subscribers: await reachedSubscribers(db, broadcast.id) },
    }
  }
  return { broadcast, counts }
}

export async function getBroadcast(db: Db, id: number): Promise<BroadcastRow | undefined> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id)).limit(1)
  return row
}

/**
 * A broadcast's audience as stored, with defaults, and without unit codes deleted since it was
 * made (a unit deleted after scheduling: send to the rest of the audience rather than never).
 * Null when none of its units is left, or when it is a public brief to subscribers only.
 */
export async function effectiveAudience(db: Db, b: Pick<BroadcastRow, 'audience'>): Promise<Audience | null> {
  if (!staffIncluded(b.audience)) return null
  const stored = b.audience as unknown as Partial<Audience>
  const audience: Audience = {
    unitCodes: stored.unitCodes ?? [],
    includeSubunits: stored.includeSubunits ?? true,
    unitKinds: stored.unitKinds ?? [],
    roles: stored.roles ?? [],
    platforms: stored.platforms ?? [],
  }
  try {
    await audienceUnitIds(db, audience)
    return audience
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const known = (err.details as { unknownUnitCodes?: string[] } | undefined)?.unknownUnitCodes ?? []
    const left = audience.unitCodes.filter((c) => !known.includes(c))
    return left.length ? { ...audience, unitCodes: left } : null
  }
}

/**
 * Turns one broadcast into one `broadcast_recipients` row and one outbox delivery per reachable
 * person, and marks it 'sending', all in one atomic step: a crash leaves either nothing or all of
 * it. Done in SQL (insert … select) so that 100,000 recipients take well under two seconds. The
 * chat chosen per person is the one `resolveAudience` documents: their most recently linked
 * unblocked chat among the allowed platforms. Running it twice adds nothing (the keys are unique).
 */
export async function expandBroadcast(db: Db, b: BroadcastRow, now: Date, horizonMs = DEFAULT_HORIZON_MS): Promise<void> {
  const audience = await effectiveAudience(db, b)
  const { cond, chat } = audience ? await audienceSql(db, audience) : { cond: sql`0`, chat: sql`null` }
  const relayCond = audience ? await relayCondition(db, audience) : null
  const t = sec(now)
  const recipients = sql`
    insert into broadcast_recipients (broadcast_id, person_id, unit_id, channel, chat_id, acked_at)
    select ${b.id}, people.id, people.unit_id, cl.channel, cl.chat_id, null
    from people
    join chat_links cl on cl.id = ${chat}
    where ${cond}
    on conflict do nothing`
  const outbox = sql`
    insert into deliveries (source, source_id, person_id, channel, chat_id, locale, payload, dedupe_key,
      status, attempts, next_attempt_at, expires_at, created_at)
    select ${BROADCAST_SOURCE}, r.broadcast_id, r.person_id, r.channel, r.chat_id, p.locale, null,
      ${recipientDeliveryKey}, 'queued', 0, ${t}, ${t + Math.round(horizonMs / 1000)}, ${t}
    from broadcast_recipients r join people p on p.id = r.person_id
    where r.broadcast_id = ${b.id}
    on conflict (dedupe_key) do nothing`
  const peopleCount = sql`(select count(*) from people where ${cond})`
  const recipientCount = sql`(select count(*) from broadcast_recipients where broadcast_id = ${b.id})`
  const mark = sql`
    update broadcasts set status = 'sending', expanded_at = ${t},
      people_count = ${peopleCount}, recipient_count = ${recipientCount},
      unreachable_count = ${peopleCount} - ${recipientCount}
    where id = ${b.id} and status = 'scheduled'`
  // The focal points' forward-ready copies for their units' groups (relay.ts), in the same step.
  const relay = relayCond ? relayStatements(b, relayCond, chat, t, t + Math.round(horizonMs / 1000)) : []
  const subs = await publicStatements(db, b, t, t + Math.round(horizonMs / 1000))
  await atomic(db, [recipients, outbox, ...relay, ...subs, mark].map((q) => rawStatement(db, q)))
  await settleBroadcasts(db, [b.id])
}

/** The subscribers' part of the expansion (subscribers.ts); none when the brief names no subscribers or its wards are gone. */
async function publicStatements(db: Db, b: BroadcastRow, t: number, expiresAt: number) {
  const part = subscriberPart(b.audience)
  if (!part) return []
  const platforms = (b.audience as { platforms?: ChannelName[] }).platforms ?? []
  const cond = await subscriberCondition(db, part, platforms).catch((err: unknown) => {
    if (err instanceof AppError) return sql`0`
    throw err
  })
  return subscriberStatements(b.id, cond, BROADCAST_SOURCE, t, expiresAt)
}

/** How many subscribers a brief went to. */
async function reachedSubscribers(db: Db, id: number): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`select count(*) as n from broadcast_subscribers where broadcast_id = ${id}`)
  return Number(row?.n ?? 0)
}

/**
 * Expands every broadcast that is due (scheduledAt ≤ now and not expanded yet), including those
 * that came due while the server was down. Idempotent: a second run finds nothing to do.
 */
export async function expandDue(db: Db, now: Date, limit = 20, horizonMs = DEFAULT_HORIZON_MS) {
  const due = await db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.status, 'scheduled'), sql`${broadcasts.scheduledAt} <= ${sec(now)}`))
    .orderBy(broadcasts.scheduledAt, broadcasts.id)
    .limit(limit)
  let recipients = 0
  for (const b of due) {
    await expandBroadcast(db, b, now, horizonMs)
    const after = await getBroadcast(db, b.id)
    recipients += after?.recipientCount ?? 0
  }
  return { expanded: due.length, recipients }
}

/**
 * Closes the broadcasts (of `ids`, or all that are sending) whose deliveries are all final:
 * 'sent' when every delivery went out or the chat had blocked the bot, 'partly_failed' when some
 * could not be delivered (see the counts by reason; POST /api/broadcasts/:id/retry).
 */
export async function settleBroadcasts(db: Db, ids?: readonly number[]): Promise<void> {
  if (ids && ids.length === 0) return
  const which = ids ? sql`and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``
  await db.run(sql`
    update broadcasts set status = case when exists (
        select 1 from deliveries d
        where d.status = 'failed' and coalesce(d.fail_reason, '') != 'cancelled'
          and d.source = ${BROADCAST_SOURCE} and d.source_id = broadcasts.id)
      then 'partly_failed' else 'sent' end
    where status = 'sending' ${which}
      and not exists (
        select 1 from deliveries d
        where d.status in ('queued', 'sending') and d.source = ${BROADCAST_SOURCE} and d.source_id = broadcasts.id)`)
}

export type AckResult =
  | { status: 'recorded'; broadcast: BroadcastRow; ackedAt: Date }
  | { status: 'already'; broadcast: BroadcastRow; ackedAt: Date }
  | { status: 'not_for_you'; broadcast: BroadcastRow }
  | { status: 'unknown' }

/**
 * Records that a person read a broadcast: once, with its time and the channel it came through. A
 * second ack keeps the first. A person of the broadcast's audience it was never delivered to (no
 * chat, or they read it through its public link) becomes a recipient as they acknowledge it, so
 * reach counts them the same way; anyone else gets 'not_for_you'.
 */
export async function recordAck(db: Db, broadcastId: number, personId: number, now: Date, channel: ChannelName): Promise<AckResult> {
  const updated = await db
    .update(broadcastRecipients)
    .set({ ackedAt: now, ackChannel: channel })
    .where(
      and(
        eq(broadcastRecipients.broadcastId, broadcastId),
        eq(broadcastRecipients.personId, personId),
        sql`${broadcastRecipients.ackedAt} is null`,
      ),
    )
    .returning({ ackedAt: broadcastRecipients.ackedAt })
  const broadcast = await getBroadcast(db, broadcastId)
  if (!broadcast) return { status: 'unknown' }
  if (updated.length) return { status: 'recorded', broadcast, ackedAt: now }
  const [row] = await db
    .select({ ackedAt: broadcastRecipients.ackedAt })
    .from(broadcastRecipients)
    .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.personId, personId)))
  if (row?.ackedAt) return { status: 'already', broadcast, ackedAt: row.ackedAt }
  if (row || broadcast.status === 'cancelled' || !broadcast.expandedAt) return { status: 'unknown' }
  const audience = audienceSchema.parse(broadcast.audience) as Audience
  const cond = await audienceCondition(db, audience).catch(() => sql`0`)
  const [person] = await db.select({ unitId: people.unitId }).from(people).where(and(eq(people.id, personId), cond)).limit(1)
  if (!person) return { status: 'not_for_you', broadcast }
  // chat_id '' marks a recipient no message was sent to: they read it on the page.
  const inserted = await db
    .insert(broadcastRecipients)
    .values({ broadcastId, personId, unitId: person.unitId, channel, chatId: '', ackedAt: now, ackChannel: channel })
    .onConflictDoNothing()
    .returning({ ackedAt: broadcastRecipients.ackedAt })
  if (inserted.length) return { status: 'recorded', broadcast, ackedAt: now }
  return recordAck(db, broadcastId, personId, now, channel)
}

/**
 * The broadcast a typed "đã đọc" refers to: the latest one that asked for an acknowledgement,
 * reached this person (its delivery was sent), and is not acknowledged yet. When all are, the
 * latest acknowledged one, so the answer can say it was already recorded.
 */
export async function ackTarget(db: Db, personId: number): Promise<{ broadcastId: number; pending: boolean } | null> {
  const rows = await db.all<{ id: number; acked: number }>(sql`
    select r.broadcast_id as id, r.acked_at is not null as acked
    from broadcast_recipients r join broadcasts b on b.id = r.broadcast_id
    where r.person_id = ${personId} and b.require_ack = 1
      and exists (select 1 from deliveries d
        where d.dedupe_key = ${recipientDeliveryKey} and d.status = 'sent')
    order by (r.acked_at is null) desc, b.expanded_at desc, b.id desc
    limit 1`)
  const row = rows[0]
  return row ? { broadcastId: Number(row.id), pending: !Number(row.acked) } : null
}

export interface DeliveryCounts {
  recipients: number
  queued: number
  sent: number
  failed: number
  blocked: number
  acknowledged: number
}

/** Delivery and acknowledgement counts of one broadcast, in total and per recipient's unit. */
export async function broadcastStats(db: Db, id: number) {
  const rows = await db.all<DeliveryCounts & { unitId: number; unitCode: string; unitName: string }>(sql`
    select r.unit_id as unitId, u.code as unitCode, u.name as unitName, count(*) as recipients,
      sum(d.status in ('queued', 'sending')) as queued, sum(d.status = 'sent') as sent,
      sum(d.status = 'failed') as failed, sum(d.status = 'blocked') as blocked,
      sum(r.acked_at is not null) as acknowledged
    from broadcast_recipients r
    join units u on u.id = r.unit_id
    left join deliveries d on d.dedupe_key = ${recipientDeliveryKey}
    where r.broadcast_id = ${id}
    group by r.unit_id
    order by u.code`)
  const keys = ['recipients', 'queued', 'sent', 'failed', 'blocked', 'acknowledged'] as const
  const totals: DeliveryCounts = { recipients: 0, queued: 0, sent: 0, failed: 0, blocked: 0, acknowledged: 0 }
  const byUnit = rows.map((r) => {
    const counts = Object.fromEntries(keys.map((k) => [k, Number(r[k] ?? 0)])) as unknown as DeliveryCounts
    for (const k of keys) totals[k] += counts[k]
    return { unitCode: r.unitCode, unitName: r.unitName, ...counts }
  })
  // Why deliveries did not reach their chat: expired (retried through an outage until the horizon),
  // rejected (the platform refused the request), blocked, cancelled, channel_off, render.
  const reasons = await db.all<{ reason: string | null; n: number }>(sql`
    select coalesce(fail_reason, status) as reason, count(*) as n from deliveries
    where source = ${BROADCAST_SOURCE} and source_id = ${id} and status in ('failed', 'blocked') and person_id is not null
    group by 1`)
  const failedBy = Object.fromEntries(reasons.map((r) => [r.reason ?? 'unknown', Number(r.n)]))
  // Which route reached whom: acknowledgements by the channel they came through, and how often the
  // public page was opened (by anyone, and by how many identified people).
  const acks = await db.all<{ channel: string; n: number }>(sql`
    select coalesce(ack_channel, channel) as channel, count(*) as n from broadcast_recipients
    where broadcast_id = ${id} and acked_at is not null group by 1`)
  const acknowledgedBy = Object.fromEntries(actionChannels.map((c) => [c, 0])) as Record<ChannelName, number>
  for (const a of acks) acknowledgedBy[a.channel as ChannelName] = Number(a.n)
  const [opens] = await db.all<{ opened: number; people: number }>(sql`
    select count(*) as opened, count(distinct person_id) as people from web_opens
    where kind = 'broadcast' and item_id = ${id}`)
  const byChannel = { acknowledged: acknowledgedBy, opened: Number(opens?.opened ?? 0), openedByIdentified: Number(opens?.people ?? 0) }
  // Not reached, and why: people with no usable chat; waiting for a window or a quota; blocked; failed.
  const [extra] = await db.all<{ unreachable: number; waitingWindow: number; waitingQuota: number; moved: number }>(sql`
    select (select unreachable_count from broadcasts where id = ${id}) as unreachable,
      (select count(*) from deliveries where source = ${BROADCAST_SOURCE} and source_id = ${id} and person_id is not null and status = 'queued' and last_error like 'window_closed%') as waitingWindow,
      (select count(*) from deliveries where source = ${BROADCAST_SOURCE} and source_id = ${id} and person_id is not null and status = 'queued' and last_error like 'quota%') as waitingQuota,
      (select count(*) from deliveries where source = ${BROADCAST_SOURCE} and source_id = ${id} and moved_from is not null) as moved`)
  const windowClosed = Number(failedBy.window_closed ?? 0)
  const quota = Number(failedBy.quota ?? 0)
  const notReached = {
    noLinkedChat: Number(extra?.unreachable ?? 0),
    windowClosed: windowClosed + Number(extra?.waitingWindow ?? 0),
    quota: quota + Number(extra?.waitingQuota ?? 0),
    blocked: totals.blocked,
    failed: totals.failed - windowClosed - quota,
  }
  return { totals, byUnit, failedBy, byChannel, notReached, movedToAnotherChannel: Number(extra?.moved ?? 0) }
}

/** Stops a broadcast: nothing more is sent; what was already sent stays counted. */
export async function cancelBroadcast(db: Db, id: number, now = new Date()): Promise<void> {
  const [cancelled] = await db.update(broadcasts).set({ status: 'cancelled' }).where(eq(broadcasts.id, id)).returning({ productId: broadcasts.productId })
  await uncarryProduct(db, cancelled?.productId ?? null, now)
  forgetPublicBrief(db, id)
  await cancelQueued(db, BROADCAST_SOURCE, [id])
  await cancelQueued(db, RELAY_SOURCE, [id])
}

/**
 * Queues again the deliveries of a broadcast that failed (not those to chats that blocked the
 * bot, nor cancelled ones), with a fresh horizon, and reopens the broadcast. Returns how many.
 */
export async function retryBroadcast(db: Db, id: number, now: Date, horizonMs = DEFAULT_HORIZON_MS): Promise<number> {
  const requeued = await requeueFailed(db, BROADCAST_SOURCE, id, now, horizonMs)
  if (requeued > 0) {
    await db.update(broadcasts).set({ status: 'sending' }).where(eq(broadcasts.id, id))
    forgetPublicBrief(db, id)
  }
  return requeued
}

export function presentBroadcast(b: BroadcastRow) {
  return {
    id: b.id,
    kind: b.kind,
    title: b.title,
    body: b.body,
    imageUrl: b.imageUrl,
    link: b.link,
    audience: b.audience,
    requireAck: b.requireAck,
    status: b.status,
    scheduledAt: b.scheduledAt.toISOString(),
    expandedAt: b.expandedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    createdBy: b.createdBy,
    people: b.peopleCount,
    recipients: b.recipientCount,
    unreachable: b.unreachableCount,
    /** "N days before a commemoration" (null for an ordinary brief): the day, N, yearly, the year this copy is for. */
    observance: b.observance ? { ...b.observance, year: b.observanceYear } : null,
    /** The library entry it carries (src/domain/library/), or null. */
    productId: b.productId,
  }
}

export interface ListFilter {
  kind?: BroadcastKind
  limit: number
  offset: number
}

/** Newest first, with how many acknowledged each. */
export async function listBroadcasts(db: Db, filter: ListFilter) {
  const where = filter.kind ? eq(broadcasts.kind, filter.kind) : undefined
  const [rows, [total]] = await Promise.all([
    db
      .select({
        b: broadcasts,
        acknowledged: sql<number>`(select count(*) from broadcast_recipients r where r.broadcast_id = ${broadcasts.id} and r.acked_at is not null)`,
      })
      .from(broadcasts)
      .where(where)
      .orderBy(desc(broadcasts.scheduledAt), desc(broadcasts.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: sql<number>`count(*)` }).from(broadcasts).where(where),
  ])
  return {
    total: Number(total?.n ?? 0),
    items: rows.map(({ b, acknowledged }) => {
      const { body: _body, ...rest } = presentBroadcast(b)
      return { ...rest, acknowledged: Number(acknowledged) }
    }),
  }
}

/** Midnight of 1 January of `year` in `timeZone`. */
export function yearStart(year: number, timeZone: string): Date {
  return zonedTime(`${year}-01-01`, '00:00:00', timeZone)
}

/**
 * Content published in a calendar year (in the app's time zone), per kind: the plan asks for
 * 20–30 digital communication products a year. Counts broadcasts that went out (expanded), by
 * their send time.
 */
export async function yearSummary(db: Db, year: number, timeZone: string) {
  const from = sec(yearStart(year, timeZone))
  const to = sec(yearStart(year + 1, timeZone))
  const rows = await db.all<{ kind: BroadcastKind; n: number; recipients: number; acknowledged: number }>(sql`
    select b.kind as kind, count(*) as n, sum(b.recipient_count) as recipients,
      sum((select count(*) from broadcast_recipients r where r.broadcast_id = b.id and r.acked_at is not null)) as acknowledged
    from broadcasts b
    where b.expanded_at is not null and b.status != 'cancelled' and b.scheduled_at >= ${from} and b.scheduled_at < ${to}
    group by b.kind`)
  const byKind = Object.fromEntries(
    broadcastKinds.map((k) => {
      const r = rows.find((x) => x.kind === k)
      return [k, { published: Number(r?.n ?? 0), recipients: Number(r?.recipients ?? 0), acknowledged: Number(r?.acknowledged ?? 0) }]
    }),
  ) as Record<BroadcastKind, { published: number; recipients: number; acknowledged: number }>
  const digital = byKind.digital_product.published
  return {
    year,
    byKind,
    digitalProducts: { published: digital, target: { min: 20, max: 30 }, met: digital >= 20 },
  }
}

/** The choice id of the "Đã đọc" button; typed "1" on Zalo arrives as the same thing when offered. */

/** Outbox source of reminders to read a broadcast (ready payloads; see remindUnacknowledged). */
export const BROADCAST_REMINDER_SOURCE = 'broadcast_reminder'

/**
 * Who received a broadcast (their delivery was sent) and has not acknowledged it yet, by their
 * unit, names sorted; people erased since are left out. `unitCode` narrows to one unit.
 */
export async function unacknowledged(db: Db, id: number, unitId?: number) {
  const rows = await db.all<{ personId: number; fullName: string; unitId: number; unitCode: string; unitName: string; channel: MessengerName; chatId: string; locale: Locale }>(sql`
    select r.person_id as personId, p.full_name as fullName, r.unit_id as unitId, u.code as unitCode, u.name as unitName,
      r.channel as channel, r.chat_id as chatId, p.locale as locale
    from broadcast_recipients r
    join people p on p.id = r.person_id
    join units u on u.id = r.unit_id
    join broadcasts b on b.id = r.broadcast_id
    where r.broadcast_id = ${id} and b.require_ack = 1 and r.acked_at is null and p.erased_at is null
      ${unitId === undefined ? sql`` : sql`and r.unit_id = ${unitId}`}
      and exists (select 1 from deliveries d where d.dedupe_key = ${recipientDeliveryKey} and d.status = 'sent')
    order by u.code, p.full_name, p.id`)
  return rows.map((r) => ({ ...r, personId: Number(r.personId), unitId: Number(r.unitId) }))
}

/** Names of who has not acknowledged, grouped per unit code (for the per-unit results). */
export async function unacknowledgedByUnit(db: Db, id: number): Promise<Map<string, { personId: number; fullName: string }[]>> {
  const byUnit = new Map<string, { personId: number; fullName: string }[]>()
  for (const r of await unacknowledged(db, id)) {
    let list = byUnit.get(r.unitCode)
    if (!list) byUnit.set(r.unitCode, (list = []))
    list.push({ personId: r.personId, fullName: r.fullName })
  }
  return byUnit
}

/**
 * Queues a reminder to read a broadcast to everyone who received it and has not acknowledged it,
 * in one unit (`unitCode`) or the whole audience, on the chat the broadcast went to, with the
 * "Đã đọc" choice. Idempotent per local day: a second click the same day queues nothing new
 * (dedupeKey `broadcast:<id>:remind:<day>:person:<pid>`). 409 when the broadcast asks for no
 * acknowledgement or is not sent yet / cancelled; 422 for an unknown unit code.
 */
export async function remindUnacknowledged(
  db: Db,
  b: BroadcastRow,
  opts: { unitCode?: string; now: Date; timeZone: string; horizonMs?: number },
): Promise<{ people: number; queued: number }> {
  if (!b.requireAck) throw new AppError('conflict', 'api.errors.broadcastNoAck', { id: b.id })
  if (b.status === 'scheduled' || b.status === 'cancelled' || !b.expandedAt) {
    throw new AppError('conflict', 'api.errors.broadcastNotRemindable', { id: b.id, status: `api.broadcastStatus.${b.status}` }, { status: b.status })
  }
  let unitId: number | undefined
  if (opts.unitCode !== undefined) {
    const ids = await audienceUnitIds(db, { unitCodes: [opts.unitCode], includeSubunits: false, roles: [], platforms: [] })
    unitId = ids![0]!
  }
  const pending = await unacknowledged(db, b.id, unitId)
  const day = localDay(opts.now, opts.timeZone)
  const sentAt = formatDateTime(b.expandedAt, opts.timeZone)
  const queued = await enqueue(
    db,
    pending.map((r) => {
      const t = translator(r.locale)
      const lines = [t('broadcast.reminder', { title: b.title, time: sentAt })]
      if (r.channel === 'zalo') lines.push(t('broadcast.ackHintZalo'))
      const payload: OutboundMessage = { text: lines.join('\n\n'), choices: [{ id: choiceIds.ack.of(b.id), label: t('broadcast.ackButton') }] }
      return {
        source: BROADCAST_REMINDER_SOURCE,
        sourceId: b.id,
        personId: r.personId,
        channel: r.channel,
        chatId: r.chatId,
        locale: r.locale,
        payload,
        dedupeKey: `broadcast:${b.id}:remind:${day}:person:${r.personId}`,
        expiresAt: new Date(opts.now.getTime() + (opts.horizonMs ?? DEFAULT_HORIZON_MS)),
      }
    }),
    opts.now,
  )
  return { people: pending.length, queued }
}

/** How many reminders to read a broadcast were queued, and when last, per unit code (for the results page). */
export async function remindersSent(db: Db, id: number) {
  const rows = await db.all<{ unitCode: string; n: number; last: number }>(sql`
    select u.code as unitCode, count(*) as n, max(d.created_at) as last
    from deliveries d join broadcast_recipients r on r.broadcast_id = d.source_id and r.person_id = d.person_id
    join units u on u.id = r.unit_id
    where d.source = ${BROADCAST_REMINDER_SOURCE} and d.source_id = ${id}
    group by u.code`)
  return new Map(rows.map((r) => [r.unitCode, { count: Number(r.n), last: new Date(Number(r.last) * 1000) }]))
}

/** When the person acknowledged the broadcast, if they did (what its page shows them). */
export async function ackedAt(db: Db, broadcastId: number, personId: number): Promise<Date | undefined> {
  const [row] = await db
    .select({ ackedAt: broadcastRecipients.ackedAt })
    .from(broadcastRecipients)
    .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.personId, personId)))
    .limit(1)
  return row?.ackedAt ?? undefined
}
