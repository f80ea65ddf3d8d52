import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { people, units } from './directory.js'
import { subscribers } from './subscribers.js'

/**
 * The misinformation desk (issue 23): people report false information (`/baotin`, the web form
 * /phan-anh, an admin's own entry); reports of the same thing join one claim, which is checked,
 * routed to the competent agency's liaison, answered, and corrected (or found not false).
 */

/** Who handles misinformation by its authority: the Department of Culture (Sở VHTTDL), a ward, the police, others. */
export const agencyKinds = ['culture', 'ward', 'police', 'other'] as const
export type AgencyKind = (typeof agencyKinds)[number]

/**
 * A claim's states. received → checking → routed → answered → corrected | not_false → closed;
 * the allowed moves are in src/domain/misinformation/states.ts.
 */
export const claimStatuses = ['received', 'checking', 'routed', 'answered', 'corrected', 'not_false', 'closed'] as const
export type ClaimStatus = (typeof claimStatuses)[number]

export const claimRisks = ['low', 'medium', 'high'] as const
export type ClaimRisk = (typeof claimRisks)[number]

/** Where a report came from: a messenger, the public web form, or an admin's own entry. */
export const reportChannels = ['telegram', 'zalo', 'zalo_oa', 'web', 'admin'] as const
export type ReportChannel = (typeof reportChannels)[number]

const now = sql`(unixepoch())`

/** The agencies list the admin keeps; an agency may stand for a unit of the directory (a ward's committee). */
export const agencies = sqliteTable(
  'agencies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: agencyKinds }).notNull(),
    unitId: integer('unit_id').references(() => units.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(now),
  },
  (t) => [index('agencies_unit_idx').on(t.unitId)],
)

export type AgencyRow = typeof agencies.$inferSelect

/** An agency's liaison: a person of the directory, reached in their linked chat. */
export const agencyLiaisons = sqliteTable(
  'agency_liaisons',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(now),
  },
  (t) => [uniqueIndex('agency_liaisons_unique').on(t.agencyId, t.personId), index('agency_liaisons_person_idx').on(t.personId)],
)

/** A case: one or more reports of the same thing, its state, its agency and its correction. */
export const claims = sqliteTable(
  'claims',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    status: text('status', { enum: claimStatuses }).notNull().default('received'),
    /** The first report's text (cut to 500 characters): what the desk and the liaison read. */
    summary: text('summary').notNull().default(''),
    /** Reports joined to it (kept after a reporter is erased). */
    reportCount: integer('report_count').notNull().default(0),
    // No foreign key action: an agency in use is deactivated, never deleted.
    agencyId: integer('agency_id').references(() => agencies.id),
    risk: text('risk', { enum: claimRisks }),
    receivedAt: integer('received_at', { mode: 'timestamp' }).notNull(),
    /** First move to `checking`: the desk acknowledged it. */
    acknowledgedAt: integer('acknowledged_at', { mode: 'timestamp' }),
    routedAt: integer('routed_at', { mode: 'timestamp' }),
    /** The agency's liaison replied "Đã nhận" (or pressed the button). */
    liaisonAcknowledgedAt: integer('liaison_acknowledged_at', { mode: 'timestamp' }),
    // No foreign key: people are never deleted (an erased one stays a tombstone).
    liaisonAcknowledgedBy: integer('liaison_acknowledged_by'),
    /** Reminders of an unacknowledged routing: first to the liaisons, then to the admins. */
    liaisonRemindedAt: integer('liaison_reminded_at', { mode: 'timestamp' }),
    adminsRemindedAt: integer('admins_reminded_at', { mode: 'timestamp' }),
    answeredAt: integer('answered_at', { mode: 'timestamp' }),
    correctedAt: integer('corrected_at', { mode: 'timestamp' }),
    closedAt: integer('closed_at', { mode: 'timestamp' }),
    correctionText: text('correction_text'),
    /** The library entry of kind `correction`. No foreign key: the entry may be deleted later. */
    correctionProductId: integer('correction_product_id'),
    /** Who approved the correction (a spokesperson or admin); null for the ADMIN_TOKEN. */
    correctedBy: integer('corrected_by'),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [index('claims_status_idx').on(t.status, t.receivedAt), index('claims_received_idx').on(t.receivedAt), index('claims_agency_idx').on(t.agencyId)],
)

export type ClaimRow = typeof claims.$inferSelect

/**
 * One report: what one person sent once, with its own case code (`TS-7KQ2`) told to them. The
 * reporter is a person of the directory, a subscriber, a web visitor (a hash of the form's token),
 * or nobody (an admin's entry); erasure clears the reporter and the chat, the report stays counted.
 */
export const claimReports = sqliteTable(
  'claim_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    claimId: integer('claim_id')
      .notNull()
      .references(() => claims.id),
    code: text('code').notNull(),
    channel: text('channel', { enum: reportChannels }).notNull(),
    personId: integer('person_id').references(() => people.id),
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    /** SHA-256 (hex) of the web form's token, so the visitor can look the case up again. */
    webTokenHash: text('web_token_hash'),
    /** The chat to answer on (the correction goes there); null for web and admin reports and after erasure. */
    chatId: text('chat_id'),
    /** The reporter agreed that the agency may see who they are (default: no). */
    consent: integer('consent', { mode: 'boolean' }).notNull().default(false),
    /**
     * How to reach the reporter (a phone or an email the web form's visitor gave), only with their
     * consent; emptied by the retention job `RETENTION_DAYS` after the claim closes.
     */
    contact: text('contact'),
    text: text('text').notNull().default(''),
    /** Normalised links (src/domain/misinformation/links.ts), JSON array. */
    links: text('links', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The text folded for matching (no marks, lower case), as the library folds. */
    folded: text('folded').notNull().default(''),
    imageSha256: text('image_sha256'),
    imageMime: text('image_mime'),
    imageSize: integer('image_size'),
    /** The platform's update id: the same webhook delivered twice makes one report. */
    updateId: text('update_id'),
    receivedAt: integer('received_at', { mode: 'timestamp' }).notNull(),
    /** The correction was queued to this reporter (once). */
    correctionSentAt: integer('correction_sent_at', { mode: 'timestamp' }),
  },
  (t) => [
    uniqueIndex('claim_reports_code_unique').on(t.code),
    uniqueIndex('claim_reports_update_unique').on(t.channel, t.updateId),
    index('claim_reports_claim_idx').on(t.claimId),
    index('claim_reports_image_idx').on(t.imageSha256),
    index('claim_reports_received_idx').on(t.receivedAt),
    index('claim_reports_person_idx').on(t.personId),
    index('claim_reports_subscriber_idx').on(t.subscriberId),
  ],
)

export type ClaimReportRow = typeof claimReports.$inferSelect

/** Every move of a claim: from, to, who, why, when (the desk's audit trail). */
export const claimEvents = sqliteTable(
  'claim_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    claimId: integer('claim_id')
      .notNull()
      .references(() => claims.id),
    /** null for the claim's creation. */
    fromStatus: text('from_status', { enum: claimStatuses }),
    toStatus: text('to_status', { enum: claimStatuses }).notNull(),
    /** 'admin_token', 'account', 'api_token', 'liaison', 'system'. */
    actor: text('actor').notNull(),
    // No foreign key: people are never deleted.
    personId: integer('person_id'),
    note: text('note'),
    at: integer('at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [index('claim_events_claim_idx').on(t.claimId, t.at)],
)

export type ClaimEventRow = typeof claimEvents.$inferSelect
