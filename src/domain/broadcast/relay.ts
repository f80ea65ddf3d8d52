import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { broadcastRelays, broadcasts, units, type DeliveryRow, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { OutboundMessage } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import type { Renderer } from '../../delivery/dispatcher.js'
import { enqueue, type NewDelivery } from '../../delivery/queue.js'
import { formatDate, translator, type Translate } from '../../i18n.js'
import { localDay, startOfLocalDay, zonedTime, dayFromNumber, dayNumber } from '../../time.js'
import { audienceCondition, type Audience } from '../audience.js'
import { publicUrl } from '../web/personal.js'
import { choiceIds } from '../../core/choice-ids.js'

/**
 * Relay through school groups. Most teachers live in their school's Zalo group, not in a chat with
 * the bot. When a brief goes out, each unit's focal point also gets a forward-ready copy to paste
 * into that group, and confirms with one reply ("đã chuyển"); the brief's per-unit results then
 * show which units' groups got it, and those not confirmed get one reminder the next morning.
 */

/** The outbox `source` of relay messages; their `sourceId` is the broadcast's id. */
export const RELAY_SOURCE = 'relay'
/** The "Đã chuyển vào nhóm" button (Telegram). */
/** The forward-ready copy stays under Zalo's 2,000 characters, so it is one message everywhere. */
export const FORWARD_MAX = 1999
/** With a link to the full text, the group gets a short excerpt: a phone screen, not a wall. */
const EXCERPT_WITH_LINK = 600
/** A reminder goes the first morning after the brief, or the one after if that morning was missed; never later. */
const REMINDER_WINDOW_DAYS = 2

type BroadcastRow = typeof broadcasts.$inferSelect
export type RelayKind = 'forward' | 'how' | 'reminder' | 'reminder-copy'

/** The reminder's outbox key: one per broadcast and focal point, ever. */
const reminderKey = (broadcastId: number, personId: number) => `relay-reminder:${broadcastId}:${personId}`

/**
 * Whether a broadcast is relayed to the units' groups (decision): a school group is its teachers
 * and staff, so a broadcast for everyone or for teachers is; one only for managers, focal points or
 * admins is not, since pasting it into the staff group would send it to people it was not for.
 */
export function isRelayed(audience: Pick<Audience, 'roles'>): boolean {
  return audience.roles.length === 0 || audience.roles.includes('teacher')
}

/**
 * The focal points a broadcast to `audience` is relayed through: people with the focal_point role
 * in the audience's units (whatever roles the audience names), not erased. Null when it is not relayed.
 */
export async function relayCondition(db: Db, audience: Audience): Promise<SQL | null> {
  if (!isRelayed(audience)) return null
  return (await audienceCondition(db, { ...audience, roles: ['focal_point'] })) ?? sql`1`
}

/**
 * The statements that queue a broadcast's relay, run in the same atomic step as its expansion
 * (a crash leaves both or neither): one `broadcast_relays` row per focal point with a usable chat
 * (`chat`, the same rule as the broadcast's), then for each the forward-ready copy and, after it,
 * the note saying what to do with it. Both are rendered at send time by `relayRenderer`.
 */
export function relayStatements(b: Pick<BroadcastRow, 'id'>, cond: SQL, chat: SQL, nowSec: number, expiresSec: number): SQL[] {
  const relays = sql`
    insert into broadcast_relays (broadcast_id, person_id, unit_id, queued_at, confirmed_at)
    select ${b.id}, people.id, people.unit_id, ${nowSec}, null
    from people
    where ${cond} and ${chat} is not null
    on conflict do nothing`
  const message = (kind: RelayKind, suffix: string) => sql`
    insert into deliveries (source, source_id, person_id, channel, chat_id, locale, payload, dedupe_key,
      status, attempts, next_attempt_at, expires_at, created_at)
    select ${RELAY_SOURCE}, r.broadcast_id, r.person_id, cl.channel, cl.chat_id, people.locale, ${JSON.stringify({ kind })},
      'relay:' || r.broadcast_id || ':' || r.person_id || ${suffix}, 'queued', 0, ${nowSec}, ${expiresSec}, ${nowSec}
    from broadcast_relays r
    join people on people.id = r.person_id
    join chat_links cl on cl.id = ${chat}
    where r.broadcast_id = ${b.id}
    on conflict (dedupe_key) do nothing`
  return [relays, message('forward', ''), message('how', ':how')]
}

/**
 * `text` cut to at most `max` characters at a paragraph, line or word boundary (whichever keeps
 * more than half), with "…" when cut.
 */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text
  if (max < 2) return ''
  const room = text.slice(0, max - 1)
  for (const sep of ['\n\n', '\n', ' ']) {
    const at = room.lastIndexOf(sep)
    if (at > (max - 1) / 2) return `${room.slice(0, at).trimEnd()} …`
  }
  return `${room.trimEnd()}…`
}

/**
 * The forward-ready copy, in the focal point's language: the kind, the title, a short body and the
 * link (the brief's public page, else its own link), and the source. Under 2,000 characters.
 * Without any link, as much of the body as fits, since the group has nowhere else to read it.
 */
export function forwardText(b: BroadcastRow, t: Translate, url: string | undefined): string {
  const head = `${t(`broadcast.kind.${b.kind}`)}\n${b.title}`
  let linkLine = url ? t('relay.readFull', { link: url }) : b.link ? t('broadcast.link', { link: b.link }) : ''
  const source = t('relay.source')
  const fixed = () => head.length + source.length + (linkLine ? linkLine.length + 2 : 0) + 4
  if (fixed() > FORWARD_MAX - 40) linkLine = ''
  const budget = Math.min(linkLine ? EXCERPT_WITH_LINK : Infinity, FORWARD_MAX - fixed())
  return [head, excerpt(b.body, budget), ...(linkLine ? [linkLine] : []), source].join('\n\n')
}

/** What to do with the copy, and how to confirm: a button on Telegram, the exact words on Zalo. */
function confirmation(t: Translate, b: BroadcastRow, d: Pick<DeliveryRow, 'channel'>, lead: string): OutboundMessage {
  if (d.channel === 'zalo') return { text: `${lead}\n\n${t('relay.confirmZalo')}` }
  return { text: `${lead}\n\n${t('relay.confirmTelegram')}`, choices: [{ id: choiceIds.relay.of(b.id), label: t('relay.button') }] }
}

async function findRelay(db: Db, broadcastId: number, personId: number) {
  const [row] = await db
    .select()
    .from(broadcastRelays)
    .where(and(eq(broadcastRelays.broadcastId, broadcastId), eq(broadcastRelays.personId, personId)))
    .limit(1)
  return row
}

/** Whether a colleague of the same unit has already confirmed relaying this broadcast. */
async function unitRelayed(db: Db, broadcastId: number, unitId: number): Promise<boolean> {
  const rows = await db.all<{ one: number }>(sql`
    select 1 as one from broadcast_relays
    where broadcast_id = ${broadcastId} and unit_id = ${unitId} and confirmed_at is not null limit 1`)
  return rows.length > 0
}

/**
 * Builds a relay message at send time, in the focal point's language, from the database as it is
 * then: nothing for a cancelled broadcast, and no reminder once the unit's group has it.
 */
export const relayRenderer: Renderer = async (deps: AppDeps, d: DeliveryRow) => {
  const { db } = deps
  const kind = (d.payload as { kind?: RelayKind } | null)?.kind
  if (!d.personId || !kind) return null
  const [b] = await db.select().from(broadcasts).where(eq(broadcasts.id, d.sourceId)).limit(1)
  if (!b || b.status === 'cancelled') return null
  const relay = await findRelay(db, b.id, d.personId)
  if (!relay) return null
  const reminder = kind === 'reminder' || kind === 'reminder-copy'
  if (reminder && (relay.confirmedAt || (await unitRelayed(db, b.id, relay.unitId)))) return null
  const t = translator(d.locale)
  if (kind === 'forward' || kind === 'reminder-copy') return { text: forwardText(b, t, await publicUrl(deps, 'broadcast', b.id)) }
  const [unit] = await db.select().from(units).where(eq(units.id, relay.unitId)).limit(1)
  const unitName = unit?.name ?? ''
  if (kind === 'how') return confirmation(t, b, d, t('relay.how', { unit: unitName, title: b.title }))
  const date = formatDate(b.expandedAt ?? relay.queuedAt, deps.config.timezone)
  return confirmation(t, b, d, t('relay.reminder', { unit: unitName, title: b.title, date }))
}

interface Pending {
  broadcastId: number
  title: string
}

/**
 * Relays waiting for this person's confirmation, newest first: the copy reached their chat, the
 * broadcast was not cancelled, and they have not confirmed it.
 */
async function pendingRelays(db: Db, personId: number): Promise<Pending[]> {
  const rows = await db.all<{ broadcastId: number; title: string }>(sql`
    select r.broadcast_id as broadcastId, b.title as title
    from broadcast_relays r join broadcasts b on b.id = r.broadcast_id
    where r.person_id = ${personId} and r.confirmed_at is null and b.status != 'cancelled'
      and exists (select 1 from deliveries d
        where d.dedupe_key = 'relay:' || r.broadcast_id || ':' || r.person_id and d.status = 'sent')
    order by r.queued_at desc, r.broadcast_id desc`)
  return rows.map((r) => ({ broadcastId: Number(r.broadcastId), title: r.title }))
}

export type RelayResult =
  | {
      status: 'recorded'
      title: string
      unitName: string
      confirmedAt: Date
      /** True when several were waiting and the reply counted for the latest. */
      latestOfSeveral: boolean
      /** The next one still waiting, and how many wait. */
      next: { title: string; count: number } | null
    }
  | { status: 'already'; title: string; confirmedAt: Date }
  | { status: 'cancelled'; title: string }
  | { status: 'nothing' }
  | { status: 'unknown' }

async function record(db: Db, broadcastId: number, personId: number, now: Date): Promise<RelayResult> {
  const updated = await db
    .update(broadcastRelays)
    .set({ confirmedAt: now })
    .where(and(eq(broadcastRelays.broadcastId, broadcastId), eq(broadcastRelays.personId, personId), isNull(broadcastRelays.confirmedAt)))
    .returning({ unitId: broadcastRelays.unitId })
  const [b] = await db.select({ title: broadcasts.title }).from(broadcasts).where(eq(broadcasts.id, broadcastId)).limit(1)
  if (!updated.length) {
    const relay = await findRelay(db, broadcastId, personId)
    return relay?.confirmedAt ? { status: 'already', title: b?.title ?? '', confirmedAt: relay.confirmedAt } : { status: 'unknown' }
  }
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.id, updated[0]!.unitId)).limit(1)
  const left = await pendingRelays(db, personId)
  return {
    status: 'recorded',
    title: b?.title ?? '',
    unitName: unit?.name ?? '',
    confirmedAt: now,
    latestOfSeveral: false,
    next: left.length ? { title: left[0]!.title, count: left.length } : null,
  }
}

/** The "Đã chuyển vào nhóm" button: confirms exactly that broadcast, once. */
export async function confirmRelay(db: Db, broadcastId: number, personId: number, now: Date): Promise<RelayResult> {
  const relay = await findRelay(db, broadcastId, personId)
  if (!relay) return { status: 'unknown' }
  const [b] = await db.select().from(broadcasts).where(eq(broadcasts.id, broadcastId)).limit(1)
  if (!b) return { status: 'unknown' }
  if (relay.confirmedAt) return { status: 'already', title: b.title, confirmedAt: relay.confirmedAt }
  if (b.status === 'cancelled') return { status: 'cancelled', title: b.title }
  return record(db, broadcastId, personId, now)
}

/**
 * A typed "đã chuyển": confirms the most recent relay waiting for this person. When none waits,
 * the latest one they confirmed (to say it is already recorded), or nothing.
 */
export async function confirmLatestRelay(db: Db, personId: number, now: Date): Promise<RelayResult> {
  const pending = await pendingRelays(db, personId)
  if (pending.length === 0) {
    const [last] = await db.all<{ title: string; confirmedAt: number }>(sql`
      select b.title as title, r.confirmed_at as confirmedAt
      from broadcast_relays r join broadcasts b on b.id = r.broadcast_id
      where r.person_id = ${personId} and r.confirmed_at is not null
      order by r.confirmed_at desc, r.broadcast_id desc limit 1`)
    return last ? { status: 'already', title: last.title, confirmedAt: new Date(Number(last.confirmedAt) * 1000) } : { status: 'nothing' }
  }
  const result = await record(db, pending[0]!.broadcastId, personId, now)
  return result.status === 'recorded' ? { ...result, latestOfSeveral: pending.length > 1 } : result
}

/**
 * The reminders job's part for relays, on REMINDER_CRON (08:00 in APP_TIMEZONE by default): each
 * focal point whose copy of a brief sent on an earlier day reached them, who has not confirmed,
 * and whose unit's group nobody else has confirmed, gets the copy again with a reminder. Once per
 * broadcast and person, ever (the outbox key), and only within REMINDER_WINDOW_DAYS of the brief.
 */
export async function remindRelays(deps: AppDeps, now: Date): Promise<{ relayReminders: number }> {
  const { db } = deps
  const tz = deps.config.timezone
  const today = localDay(now, tz)
  const todayStart = Math.floor(startOfLocalDay(now, tz).getTime() / 1000)
  const windowStart = Math.floor(zonedTime(dayFromNumber(dayNumber(today) - REMINDER_WINDOW_DAYS), '00:00:00', tz).getTime() / 1000)
  const endOfToday = new Date(startOfLocalDay(new Date(now.getTime() + 86_400_000), tz).getTime() - 1000)
  const due = await db.all<{ broadcastId: number; personId: number; channel: 'telegram' | 'zalo'; chatId: string; locale: Locale }>(sql`
    select r.broadcast_id as broadcastId, r.person_id as personId, cl.channel as channel, cl.chat_id as chatId, p.locale as locale
    from broadcast_relays r
    join broadcasts b on b.id = r.broadcast_id
    join people p on p.id = r.person_id
    join deliveries d on d.dedupe_key = 'relay:' || r.broadcast_id || ':' || r.person_id
    join chat_links cl on cl.person_id = r.person_id and cl.channel = d.channel and cl.chat_id = d.chat_id
    where r.confirmed_at is null and r.queued_at < ${todayStart} and r.queued_at >= ${windowStart}
      and b.status != 'cancelled' and p.erased_at is null and d.status = 'sent' and cl.blocked_at is null
      and not exists (select 1 from broadcast_relays o
        where o.broadcast_id = r.broadcast_id and o.unit_id = r.unit_id and o.confirmed_at is not null)
    order by r.broadcast_id, r.person_id`)
  const rows: NewDelivery[] = due.flatMap((r) => {
    const base = { source: RELAY_SOURCE, sourceId: Number(r.broadcastId), personId: Number(r.personId), channel: r.channel, chatId: r.chatId, locale: r.locale, expiresAt: endOfToday }
    const key = reminderKey(Number(r.broadcastId), Number(r.personId))
    return [
      { ...base, payload: { kind: 'reminder-copy' } as unknown as OutboundMessage, dedupeKey: `${key}:copy` },
      { ...base, payload: { kind: 'reminder' } as unknown as OutboundMessage, dedupeKey: key },
    ]
  })
  const queued = await enqueue(db, rows, now)
  return { relayReminders: Math.floor(queued / 2) }
}
