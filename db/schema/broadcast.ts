import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { channelColumn, people, units } from './directory.js'
import { subscribers } from './subscribers.js'
import { products } from './library.js'

export const broadcastKinds = ['brief', 'announcement', 'digital_product'] as const
export type BroadcastKind = (typeof broadcastKinds)[number]
/** 'draft': saved from the console, never expanded nor sent until it is sent from its page (src/domain/broadcast/drafts.ts). */
export const broadcastStatuses = ['draft', 'scheduled', 'sending', 'sent', 'partly_failed', 'cancelled'] as const

/** A brief tied to a commemoration: the day (MM-DD), its calendar name, N days before, and whether it recurs each year. */
export interface ObservanceSchedule {
  monthDay: string
  name: string
  daysBefore: number
  yearly: boolean
}

/** A piece of content pushed to an audience: a Resolution 71 brief, an announcement, a digital product. */
export const broadcasts = sqliteTable(
  'broadcasts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: broadcastKinds }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    imageUrl: text('image_url'),
    link: text('link'),
    /** The audience as asked for (unitCodes, roles, platforms), kept for the record ("06 rõ"). */
    audience: text('audience', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    requireAck: integer('require_ack', { mode: 'boolean' }).notNull().default(true),
    scheduledAt: integer('scheduled_at', { mode: 'timestamp' }).notNull(),
    /** Set when the audience was expanded into the outbox; null while it waits for scheduledAt. */
    expandedAt: integer('expanded_at', { mode: 'timestamp' }),
    status: text('status', { enum: broadcastStatuses }).notNull().default('scheduled'),
    /** Who sent it: a person id when sent from chat, null for the admin API. */
    createdBy: integer('created_by').references(() => people.id),
    peopleCount: integer('people_count').notNull().default(0),
    recipientCount: integer('recipient_count').notNull().default(0),
    unreachableCount: integer('unreachable_count').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
    /** Set when scheduled "N days before" a commemoration (src/domain/broadcast/observance.ts). */
    observance: text('observance', { mode: 'json' }).$type<ObservanceSchedule>(),
    /** The local year of the commemoration this copy is for. */
    observanceYear: integer('observance_year'),
    /** The first brief of a yearly series (null on the first itself): at most one copy a year per series. */
    seriesId: integer('series_id'),
    /** The library entry this broadcast carries (src/domain/library/); the product is counted once, however many broadcasts carried it. */
    productId: integer('product_id').references(() => products.id),
  },
  (t) => [
    index('broadcasts_due_idx').on(t.status, t.scheduledAt),
    index('broadcasts_kind_idx').on(t.kind, t.createdAt),
    index('broadcasts_product_idx').on(t.productId),
    uniqueIndex('broadcasts_series_year_idx').on(t.seriesId, t.observanceYear),
  ],
)

/** One person a broadcast went to, and when they acknowledged it: the measure of reach. */
export const broadcastRecipients = sqliteTable(
  'broadcast_recipients',
  {
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    unitId: integer('unit_id').notNull(),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    ackedAt: integer('acked_at', { mode: 'timestamp' }),
    /** Where the acknowledgement came from (a chat, or the phone page 'web'); null until acknowledged. */
    ackChannel: text('ack_channel', { enum: channelColumn }),
  },
  (t) => [
    primaryKey({ columns: [t.broadcastId, t.personId] }),
    index('broadcast_recipients_person_idx').on(t.personId, t.ackedAt),
    // No index by (broadcast, unit): the results by unit read the whole brief by its key anyway, and
    // it cost each recipient of a fan-out one more row written on D1 (bench/d1-cost.ts).
    // Acknowledgements only (about a third of the rows): who acknowledged which brief, when.
    index('broadcast_recipients_acked_idx').on(t.personId, t.ackedAt, t.broadcastId).where(sql`acked_at is not null`),
    // The same, by time: the days of a span's partial months, which the reach rollup does not split.
    index('broadcast_recipients_ack_time_idx').on(t.ackedAt).where(sql`acked_at is not null`),
  ],
)

/**
 * One subscriber (a parent or citizen who opted in with `/dangky`) a public brief went to: the
 * ward they had then, and the chat. The results per ward read it with the outbox row
 * (`broadcast:<id>:subscriber:<sid>`). Erasing the subscriber clears the link; the ward stays in
 * the figures.
 */
export const broadcastSubscribers = sqliteTable(
  'broadcast_subscribers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id),
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    wardUnitId: integer('ward_unit_id').references(() => units.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
  },
  (t) => [uniqueIndex('broadcast_subscribers_unique').on(t.broadcastId, t.subscriberId)],
)

/**
 * One focal point asked to relay a broadcast into their school's Zalo or Telegram group, and when
 * they confirmed it ("đã chuyển"): the proof of reach beyond linked chats, per unit. The chat is
 * not kept here (the outbox row has it, and erasure clears it there).
 */
export const broadcastRelays = sqliteTable(
  'broadcast_relays',
  {
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** The focal point's unit when the broadcast went out: the group the relay reaches. */
    unitId: integer('unit_id').notNull(),
    queuedAt: integer('queued_at', { mode: 'timestamp' }).notNull(),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp' }),
  },
  (t) => [
    primaryKey({ columns: [t.broadcastId, t.personId] }),
    index('broadcast_relays_person_idx').on(t.personId, t.confirmedAt),
    index('broadcast_relays_unit_idx').on(t.broadcastId, t.unitId),
  ],
)
