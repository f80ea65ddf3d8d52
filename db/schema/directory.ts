import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const unitKinds = ['department', 'commune', 'school', 'press', 'other'] as const
export type UnitKind = (typeof unitKinds)[number]
export const roles = ['teacher', 'manager', 'focal_point', 'comms_staff', 'admin'] as const
export type Role = (typeof roles)[number]
export const locales = ['vi', 'en'] as const
export type Locale = (typeof locales)[number]
/** Channels as stored: 'web' (the phone page) records actions, never chats or deliveries. */
export const channelColumn = ['telegram', 'zalo', 'zalo_oa', 'web'] as const
/**
 * Who issued an invite code: an admin for one person (the API), the printed sheet (the CLI's bulk
 * invites), or the person from a chat already linked (`/lienket`). Only 'admin' codes younger than a
 * day link a person with the admin role.
 */
export const inviteIssuers = ['admin', 'sheet', 'self'] as const
export type InviteIssuer = (typeof inviteIssuers)[number]

const now = sql`(unixepoch())`

/** An organisation that reports: the Department, a commune or ward, a school, a newsroom. */
export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: unitKinds }).notNull(),
    parentId: integer('parent_id'),
    /** Staff on the payroll: the denominator of the reach targets when the directory is incomplete. */
    staffCount: integer('staff_count'),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull().default(now),
  },
  (t) => [uniqueIndex('units_code_unique').on(t.code), index('units_parent_idx').on(t.parentId)],
)

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    externalId: text('external_id'),
    fullName: text('full_name').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** JSON array of roles; filtered with json_each so it works the same on SQLite and D1. */
    roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull(),
    phone: text('phone'),
    locale: text('locale', { enum: locales }).notNull().default('vi'),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull().default(now),
    /**
     * Set when the person was erased (Decree 13/2023): the row stays as a nameless tombstone, with
     * only the unit and roles its anonymous records are counted by; name, phone, external id,
     * chats and invites are gone.
     */
    erasedAt: integer('erased_at', { mode: 'timestamp' }),
    /**
     * What the person may do in the web console and the API, if anything ('viewer' | 'editor' |
     * 'admin', db/schema/console.ts). Distinct from `roles`, the person's roles in the directory:
     * a chat `admin` role is about who they are (and makes linking their chat stricter); this is
     * an account an admin granted. Null: no console account.
     */
    consoleRole: text('console_role', { enum: ['viewer', 'editor', 'admin'] }),
    /**
     * The `spokesperson` permission beside the console role (issue 23): an editor or admin holding it
     * may approve and publish a correction of misinformation.
     */
    spokesperson: integer('spokesperson', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('people_external_id_unique').on(t.externalId),
    // By unit, and covering what the plan's targets read of each person (src/domain/targets.ts):
    // the city-wide figures read 100,000 people from this index alone, not from their rows.
    index('people_unit_idx').on(t.unitId, t.createdAt, t.erasedAt, t.roles),
    // The focal points, a unit's few, without reading everyone's roles.
    index('people_focal_idx').on(t.unitId).where(sql`instr(roles, '"focal_point"') > 0`),
    index('people_console_role_idx').on(t.consoleRole),
    // The admins, the few every admin notice is sent to (src/domain/admin-notices.ts), without reading everyone.
    index('people_admin_idx').on(t.id).where(sql`instr(roles, '"admin"') > 0`),
  ],
)

/** A chat on one messenger that speaks for one person. A person has at most one chat per channel. */
export const chatLinks = sqliteTable(
  'chat_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    linkedAt: integer('linked_at', { mode: 'timestamp' }).notNull(),
    /** Set when the platform says the person blocked the bot; cleared when they write again. */
    blockedAt: integer('blocked_at', { mode: 'timestamp' }),
    /**
     * When an admin confirmed this chat as the person's (POST /api/people/:id/links/:linkId/confirm).
     * Console sign-in codes go only to chats linked more than a day ago or confirmed.
     */
    confirmedAt: integer('confirmed_at', { mode: 'timestamp' }),
  },
  (t) => [
    uniqueIndex('chat_links_chat_unique').on(t.channel, t.chatId),
    uniqueIndex('chat_links_person_channel_unique').on(t.personId, t.channel),
  ],
)

/** One-time enrollment codes. Only a SHA-256 of the code is kept. */
export const invites = sqliteTable(
  'invites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    codeHash: text('code_hash').notNull(),
    /**
     * The code sealed with AES-GCM under TOKEN_ENCRYPTION_KEY (src/crypto.ts `seal`), so that an
     * invite sheet can print a still valid code again; null without that key, and for /lienket codes.
     */
    codeSealed: text('code_sealed'),
    /** Codes issued before this column existed count as 'sheet': they never link an admin. */
    issuedBy: text('issued_by', { enum: inviteIssuers }).notNull().default('sheet'),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [uniqueIndex('invites_code_hash_unique').on(t.codeHash), index('invites_person_idx').on(t.personId)],
)

/**
 * The chat that spent a code. A code links one chat, once: the row is written only when the code
 * has none yet (see redeemInvite), so a second chat on any messenger is refused. Rows from before
 * that rule may show one use per channel.
 */
export const inviteUses = sqliteTable(
  'invite_uses',
  {
    inviteId: integer('invite_id')
      .notNull()
      .references(() => invites.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.inviteId, t.channel] })],
)

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

export type UnitRow = typeof units.$inferSelect
export type PersonRow = typeof people.$inferSelect
export type ChatLinkRow = typeof chatLinks.$inferSelect

/**
 * Wrong invite codes per chat in the current hour: after a few, the chat must wait, so codes
 * cannot be guessed by trying many in a row.
 */
export const inviteFailures = sqliteTable(
  'invite_failures',
  {
    channel: text('channel', { enum: channelColumn }).notNull(),
    chatId: text('chat_id').notNull(),
    windowStart: integer('window_start', { mode: 'timestamp' }).notNull(),
    failures: integer('failures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.chatId] })],
)
