import { and, eq, inArray, lt, sql } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import { deliveries, REPLY_PRIORITY, type DeliveryRow, type FailReason, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName, OutboundMessage } from '../core/events.js'
import type { NewReply } from '../core/outbox.js'
import { chunk, MAX_BOUND_PARAMETERS } from '../util.js'
import { DEFAULT_HORIZON_MS } from './policy.js'

export interface NewDelivery {
  source: string
  sourceId: number
  personId?: number | null
  channel: ChannelName
  chatId: string
  locale?: Locale
  /** A ready message; leave out to have the source's renderer build it at send time. */
  payload?: OutboundMessage | null
  /** The same key is queued once, ever: e.g. `reminder:3:unit:7:2026-06-08:person:12`. */
  dedupeKey: string
  notBefore?: Date
  /** Replies in a conversation (REPLY_PRIORITY) go before pushes (0). */
  priority?: 0 | typeof REPLY_PRIORITY
  /**
   * Until when transient failures are retried (a reminder: the end of its day; a quiz invitation:
   * the quiz's close). Default: `notBefore` (or now) plus the configured delivery horizon.
   */
  expiresAt?: Date
}

/**
 * Queues messages all-or-nothing. Rows whose dedupe key exists are skipped, so a job or an API
 * call that runs twice (or on two instances) queues nothing twice, except that a delivery which
 * failed (not cancelled, not blocked) is queued again: the next run of a reminder or invitation
 * job sends what an outage swallowed. Returns how many rows were queued.
 */
export async function enqueue(db: Db, rows: readonly NewDelivery[], now: Date): Promise<number> {
  if (rows.length === 0) return 0
  // Rows skipped for an existing key change nothing, so the count of changes is the count queued.
  return atomic(
    db,
    // 14 bound values a row, and a few for the conflict clause: D1 binds at most 100 to a statement.
    chunk(rows, Math.floor((MAX_BOUND_PARAMETERS - 10) / 14)).map((part) =>
      db
        .insert(deliveries)
        .values(
          part.map((r) => {
            const due = r.notBefore ?? now
            return {
              source: r.source,
              sourceId: r.sourceId,
              personId: r.personId ?? null,
              channel: r.channel,
              chatId: r.chatId,
              locale: r.locale ?? 'vi',
              payload: (r.payload as Record<string, unknown> | null | undefined) ?? null,
              dedupeKey: r.dedupeKey,
              status: 'queued' as const,
              attempts: 0,
              priority: r.priority ?? 0,
              nextAttemptAt: due,
              expiresAt: r.expiresAt ?? new Date(due.getTime() + DEFAULT_HORIZON_MS),
              createdAt: now,
            }
          }),
        )
        .onConflictDoUpdate(onKeyTaken()),
    ),
  )
}

/**
 * What queuing a dedupe key that exists does, for `enqueue` and `enqueueReply` alike: nothing,
 * unless that delivery failed (not cancelled, not a channel switched off); then it is queued again.
 * A queued, sending or sent one is never queued twice.
 */
function onKeyTaken() {
  return {
    target: deliveries.dedupeKey,
    set: {
      status: 'queued' as const,
      attempts: 0,
      nextAttemptAt: sql`excluded.next_attempt_at`,
      expiresAt: sql`excluded.expires_at`,
      payload: sql`excluded.payload`,
      failReason: null,
    },
    setWhere: sql`${deliveries.status} = 'failed' and coalesce(${deliveries.failReason}, '') not in ('cancelled', 'channel_off')`,
  }
}


/** One prepared statement per database: the router queues every reply of every update through it. */
const replyStatements = new WeakMap<Db, ReturnType<typeof prepareReply>>()
function prepareReply(db: Db) {
  return db
    .insert(deliveries)
    .values({
      source: 'reply',
      sourceId: 0,
      personId: sql.placeholder('personId'),
      channel: sql.placeholder('channel'),
      chatId: sql.placeholder('chatId'),
      locale: sql.placeholder('locale'),
      payload: sql`${sql.placeholder('payload')}`,
      dedupeKey: sql.placeholder('dedupeKey'),
      status: 'queued',
      attempts: 0,
      priority: REPLY_PRIORITY,
      nextAttemptAt: sql`${sql.placeholder('at')}`,
      expiresAt: sql`${sql.placeholder('expiresAt')}`,
      createdAt: sql`${sql.placeholder('at')}`,
    })
    .onConflictDoUpdate(onKeyTaken())
    .prepare()
}

/**
 * Queues one reply in a conversation, due now and ahead of pushes (REPLY_PRIORITY), with the same
 * rules for an existing key as `enqueue`: the router claims each update once, so a redelivered
 * update queues nothing, and even a key met again is never sent twice.
 */
export async function enqueueReply(db: Db, reply: NewReply, now: Date) {
  let statement = replyStatements.get(db)
  if (!statement) replyStatements.set(db, (statement = prepareReply(db)))
  await statement.run({
    personId: reply.personId,
    channel: reply.channel,
    chatId: reply.chatId,
    locale: reply.locale,
    payload: JSON.stringify(reply.payload),
    dedupeKey: reply.dedupeKey,
    at: Math.floor(now.getTime() / 1000),
    expiresAt: Math.floor(reply.expiresAt.getTime() / 1000),
  })
}

const RETURNING = sql`returning id, source, source_id as sourceId, person_id as personId, channel, chat_id as chatId, locale,
      payload, dedupe_key as dedupeKey, status, attempts, next_attempt_at as nextAttemptAt,
      claimed_at as claimedAt, sent_at as sentAt, message_id as messageId, last_error as lastError,
      fail_reason as failReason, priority, expires_at as expiresAt, moved_from as movedFrom, created_at as createdAt`

/**
 * Claims up to `limit` due deliveries in one statement, so two dispatchers never take the same row:
 * replies first, then the oldest due, never a message whose chat still has an earlier one in
 * flight. `minPriority` claims only replies.
 *
 * Each channel and priority is read on its own from `deliveries_due_idx` (status, channel,
 * priority, next_attempt_at), already in claim order, so a claim reads about the rows it takes:
 * one ordered pass over all of them needed a sort of the whole due queue (on D1, 361 rows read
 * per delivery with 20,000 queued; bench/d1-cost.ts).
 */
export async function claimDue(
  db: Db,
  now: Date,
  limit: number,
  channels: readonly ChannelName[],
  minPriority = 0,
): Promise<DeliveryRow[]> {
  const nowSec = Math.floor(now.getTime() / 1000)
  const priorities = [REPLY_PRIORITY, 0].filter((p) => p >= minPriority)
  const arms = channels.flatMap((channel) =>
    priorities.map(
      (priority) => sql`select * from (select d.id, d.priority, d.next_attempt_at from deliveries d
        where d.status = 'queued' and d.channel = ${channel} and d.priority = ${priority} and d.next_attempt_at <= ${nowSec}
          -- A chat's messages go in order, across processes and isolates: not while an earlier
          -- one to the same chat is still being sent by someone.
          and not exists (select 1 from deliveries s
            where s.channel = d.channel and s.chat_id = d.chat_id and s.status = 'sending' and s.id < d.id)
        order by d.next_attempt_at, d.id limit ${limit})`,
    ),
  )
  if (arms.length === 0) return []
  const rows = await db.all<DeliveryRow>(sql`
    update deliveries set status = 'sending', claimed_at = ${nowSec}, attempts = attempts + 1
    where id in (
      select id from (${sql.join(arms, sql` union all `)})
      order by priority desc, next_attempt_at, id limit ${limit}
    )
    ${RETURNING}`)
  const date = (v: unknown) => (v == null ? null : new Date(Number(v) * 1000))
  return rows
    .map((r) => ({
      ...r,
      payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      nextAttemptAt: date(r.nextAttemptAt)!,
      claimedAt: date(r.claimedAt),
      expiresAt: date(r.expiresAt),
      sentAt: null,
      createdAt: date(r.createdAt)!,
    }))
    .sort((a, b) => b.priority - a.priority || a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id)
}

/**
 * Whether due deliveries of `channel` wait only because an earlier message to their chat is being
 * sent by someone else (another isolate's replies): a drain then waits a moment instead of leaving
 * them for the next Cron Trigger.
 */
export async function dueBehindOthers(db: Db, now: Date, channel: ChannelName): Promise<boolean> {
  const nowSec = Math.floor(now.getTime() / 1000)
  // From the few in flight (by status: `+s.channel` keeps SQLite off the index by chat) to what
  // waits behind them: from the queued side, a brief of 20,000 made each webhook's reply read
  // 26,000 rows on D1 (bench/d1-cost.ts).
  const rows = await db.all<{ one: number }>(sql`
    select 1 as one from deliveries s
    where s.status = 'sending' and +s.channel = ${channel}
      and exists (select 1 from deliveries d
        where d.channel = s.channel and d.chat_id = s.chat_id and d.status = 'queued' and d.id > s.id and d.next_attempt_at <= ${nowSec})
    limit 1`)
  return rows.length > 0
}

/** One prepared statement per database: markSent runs once per message, at up to the platform's rate. */
const sentStatements = new WeakMap<Db, ReturnType<typeof prepareSent>>()
function prepareSent(db: Db) {
  return db
    .update(deliveries)
    .set({ status: 'sent', sentAt: sql`${sql.placeholder('at')}`, messageId: sql`${sql.placeholder('messageId')}`, lastError: null })
    .where(eq(deliveries.id, sql.placeholder('id')))
    .prepare()
}

export async function markSent(db: Db, id: number, at: Date, messageId: string) {
  let statement = sentStatements.get(db)
  if (!statement) sentStatements.set(db, (statement = prepareSent(db)))
  await statement.run({ id, at: Math.floor(at.getTime() / 1000), messageId })
}

/** Puts a delivery back in the queue for `at`. `refundAttempt` when the try was not its fault (a 429, a shutdown). */
export async function markRetry(db: Db, id: number, at: Date, error: string, opts: { refundAttempt?: boolean } = {}) {
  await db
    .update(deliveries)
    .set({
      status: 'queued',
      nextAttemptAt: at,
      lastError: error.slice(0, 500) || null,
      ...(opts.refundAttempt ? { attempts: sql`max(${deliveries.attempts} - 1, 0)` } : {}),
    })
    .where(eq(deliveries.id, id))
}

export async function markFinal(db: Db, id: number, status: 'failed' | 'blocked', reason: FailReason, error: string) {
  await db.update(deliveries).set({ status, failReason: reason, lastError: error.slice(0, 500) }).where(eq(deliveries.id, id))
}

/**
 * After a crash, rows still 'sending' may or may not have reached the platform: the window is the
 * time between the platform's answer and `markSent`. They are queued again, so such a message may
 * at worst arrive twice; it is never lost.
 */
export async function requeueStale(db: Db, olderThan: Date): Promise<number> {
  const rows = await db
    .update(deliveries)
    .set({ status: 'queued' })
    .where(and(eq(deliveries.status, 'sending'), lt(deliveries.claimedAt, olderThan)))
    .returning({ id: deliveries.id })
  return rows.length
}

export async function cancelQueued(db: Db, source: string, sourceIds: readonly number[]) {
  if (sourceIds.length === 0) return
  await db
    .update(deliveries)
    .set({ status: 'failed', failReason: 'cancelled', lastError: 'cancelled' })
    .where(and(eq(deliveries.source, source), inArray(deliveries.sourceId, [...sourceIds]), eq(deliveries.status, 'queued')))
}

/**
 * Queues again the deliveries of one source that failed (not those cancelled, nor chats that
 * blocked the bot), with a fresh horizon. Returns how many.
 */
export async function requeueFailed(db: Db, source: string, sourceId: number, now: Date, horizonMs: number): Promise<number> {
  const rows = await db
    .update(deliveries)
    .set({ status: 'queued', attempts: 0, nextAttemptAt: now, expiresAt: new Date(now.getTime() + horizonMs), failReason: null })
    .where(
      and(
        eq(deliveries.source, source),
        eq(deliveries.sourceId, sourceId),
        eq(deliveries.status, 'failed'),
        sql`coalesce(${deliveries.failReason}, '') not in ('cancelled', 'channel_off')`,
      ),
    )
    .returning({ id: deliveries.id })
  return rows.length
}
