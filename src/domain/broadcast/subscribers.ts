import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '#db/types.js'
import { channelNames, type ChannelName } from '../../core/events.js'
import { audienceSchema, type Audience } from '../audience.js'
import { wardUnitIds } from '../unit-wards.js'

/**
 * Public briefs (issue 23): a broadcast's audience may name subscribers — parents and citizens who
 * opted in with `/dangky` — by ward, alone or beside the staff audience. They get the brief through
 * the same outbox (source 'broadcast', key `broadcast:<id>:sub:<row>`), without the "Đã đọc" button
 * (acknowledgement is for staff), and each one reached is a `broadcast_subscribers` row.
 */
export const subscriberPartSchema = z.object({ wardCodes: z.array(z.string().trim().min(1)).max(2000).default([]) })
export type SubscriberPart = z.infer<typeof subscriberPartSchema>

export const broadcastAudienceSchema = audienceSchema
  .unwrap()
  .extend({
    /** Whether staff are reached too. Default: yes, unless `subscribers` is given and no unit, kind or role is named. */
    staff: z.boolean().optional(),
    /** Subscribers who opted in, of these wards (every ward, and those with none, when empty). */
    subscribers: subscriberPartSchema.optional(),
  })
  .default({ unitCodes: [], includeSubunits: true, roles: [], platforms: [] })
export type BroadcastAudience = z.infer<typeof broadcastAudienceSchema>

type StoredAudience = Partial<Audience> & { staff?: boolean; subscribers?: Partial<SubscriberPart> | null }

/** The subscriber part of a stored or given audience, or null when it names none. */
export function subscriberPart(audience: unknown): SubscriberPart | null {
  const s = (audience as StoredAudience | null)?.subscribers
  return s ? { wardCodes: s.wardCodes ?? [] } : null
}

/** Whether the audience reaches staff: `staff` when given, else unless it is a subscribers-only audience. */
export function staffIncluded(audience: unknown): boolean {
  const a = (audience ?? {}) as StoredAudience
  if (typeof a.staff === 'boolean') return a.staff
  if (!a.subscribers) return true
  return (a.unitCodes?.length ?? 0) > 0 || (a.roles?.length ?? 0) > 0 || (a.unitKinds?.length ?? 0) > 0
}


/**
 * SQL condition on `subscribers` (alias `s`): opted in and not withdrawn, not unfollowed nor
 * blocked, on the allowed platforms, of the wards named. A subscriber with no ward is in "all wards" only.
 */
export async function subscriberCondition(db: Db, part: SubscriberPart, platforms: readonly ChannelName[] = []): Promise<SQL> {
  const ids = await wardUnitIds(db, part.wardCodes)
  const list = platforms.length ? platforms : channelNames
  return sql`s.opted_in_at is not null and s.unsubscribed_at is null and s.blocked_at is null
    and s.channel in (${sql.join(list.map((p) => sql`${p}`), sql`, `)})
    ${ids ? sql`and s.ward_unit_id in (select value from json_each(${JSON.stringify(ids)}))` : sql``}`
}

/** How many subscribers the part would reach now (the composer's preview). */
export async function countSubscribers(db: Db, part: SubscriberPart | null, platforms: readonly ChannelName[] = []): Promise<number> {
  if (!part) return 0
  const cond = await subscriberCondition(db, part, platforms)
  const [row] = await db.all<{ n: number }>(sql`select count(*) as n from subscribers s where ${cond}`)
  return Number(row?.n ?? 0)
}

/** Outbox key of a `broadcast_subscribers` row `bs`: one delivery per brief and subscriber, ever. */
const subscriberDeliveryKey = sql.raw(`'broadcast:' || bs.broadcast_id || ':sub:' || bs.id`)

/** The two statements of the expansion (run in the broadcast's atomic step): who is reached, and their deliveries. */
export function subscriberStatements(broadcastId: number, cond: SQL, source: string, t: number, expiresAt: number): SQL[] {
  const reached = sql`
    insert into broadcast_subscribers (broadcast_id, subscriber_id, ward_unit_id, channel, chat_id)
    select ${broadcastId}, s.id, s.ward_unit_id, s.channel, s.chat_id from subscribers s
    where ${cond}
    on conflict do nothing`
  const outbox = sql`
    insert into deliveries (source, source_id, person_id, channel, chat_id, locale, payload, dedupe_key,
      status, attempts, next_attempt_at, expires_at, created_at)
    select ${source}, bs.broadcast_id, null, bs.channel, bs.chat_id, coalesce(s.locale, 'vi'), null,
      ${subscriberDeliveryKey}, 'queued', 0, ${t}, ${expiresAt}, ${t}
    from broadcast_subscribers bs left join subscribers s on s.id = bs.subscriber_id
    where bs.broadcast_id = ${broadcastId}
    on conflict (dedupe_key) do nothing`
  return [reached, outbox]
}

interface WardFigures {
  reached: number
  queued: number
  delivered: number
  failed: number
  blocked: number
  windowClosed: number
  quota: number
}

const figureKeys = ['reached', 'queued', 'delivered', 'failed', 'blocked', 'windowClosed', 'quota'] as const

/** "Not reached, and why" from the raw figures: blocked, the OA window closed, a spent quota, other failures. */
const notReachedOf = (f: Figures) => ({ blocked: f.blocked, windowClosed: f.windowClosed, quota: f.quota, failed: f.failed - f.failedWindow - f.failedQuota })
/** With the failures already counted under a reason, so "failed" is what is left. */
type Figures = WardFigures & { failedWindow: number; failedQuota: number }

/**
 * A public brief's figures for subscribers, in total and per ward: reached (queued to them),
 * delivered, waiting, and not reached by reason. Null when the brief named no subscribers.
 */
export async function subscriberResults(db: Db, b: { id: number; audience: unknown }) {
  const part = subscriberPart(b.audience)
  if (!part) return null
  const rows = await db.all<Figures & { wardCode: string | null; wardName: string | null }>(sql`
    select u.code as wardCode, u.name as wardName, count(*) as reached,
      sum(d.status in ('queued', 'sending')) as queued, sum(d.status = 'sent') as delivered,
      sum(d.status = 'failed' and coalesce(d.fail_reason, '') != 'cancelled') as failed, sum(d.status = 'blocked') as blocked,
      sum(d.status = 'failed' and d.fail_reason = 'window_closed') as failedWindow,
      sum(d.status = 'failed' and d.fail_reason = 'quota') as failedQuota,
      sum((d.status = 'failed' and d.fail_reason = 'window_closed') or (d.status = 'queued' and d.last_error like 'window_closed%')) as windowClosed,
      sum((d.status = 'failed' and d.fail_reason = 'quota') or (d.status = 'queued' and d.last_error like 'quota%')) as quota
    from broadcast_subscribers bs
    left join units u on u.id = bs.ward_unit_id
    left join deliveries d on d.dedupe_key = ${subscriberDeliveryKey}
    where bs.broadcast_id = ${b.id}
    group by bs.ward_unit_id
    order by u.code`)
  const totals: Figures = { reached: 0, queued: 0, delivered: 0, failed: 0, blocked: 0, windowClosed: 0, quota: 0, failedWindow: 0, failedQuota: 0 }
  const byWard = rows.map((r) => {
    const f = { ...Object.fromEntries(figureKeys.map((k) => [k, Number(r[k] ?? 0)])), failedWindow: Number(r.failedWindow ?? 0), failedQuota: Number(r.failedQuota ?? 0) } as Figures
    for (const k of [...figureKeys, 'failedWindow', 'failedQuota'] as const) totals[k] += f[k]
    const { failedWindow: _w, failedQuota: _q, ...shown } = f
    return { wardCode: r.wardCode, wardName: r.wardName, ...shown, notReached: notReachedOf(f) }
  })
  const { failedWindow: _w, failedQuota: _q, ...shown } = totals
  return { wardCodes: part.wardCodes, ...shown, notReached: notReachedOf(totals), byWard }
}
export type SubscriberResults = NonNullable<Awaited<ReturnType<typeof subscriberResults>>>
