import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { people } from './directory.js'

/** What a console account may do: `viewer` looks, `editor` also sends, `admin` also manages. */
export const consoleRoles = ['viewer', 'editor', 'admin'] as const
export type ConsoleRole = (typeof consoleRoles)[number]

/**
 * A signed-in browser of the web console (/admin). Only a SHA-256 of the cookie's token is kept, so
 * a copy of the database signs nobody in. `personId` is null for the bootstrap ADMIN_TOKEN sign-in.
 */
export const consoleSessions = sqliteTable(
  'console_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull(),
    personId: integer('person_id').references(() => people.id),
    role: text('role', { enum: consoleRoles }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp' }).notNull(),
    /** Where the sign-in came from (the client address), for the account's list of sessions. */
    ip: text('ip'),
    /**
     * For a bootstrap ADMIN_TOKEN session: a fingerprint of that token's hash (sessions.ts
     * `adminTokenFingerprint`). When ADMIN_TOKEN changes, such sessions no longer match and end.
     */
    adminTokenFp: text('admin_token_fp'),
  },
  (t) => [uniqueIndex('console_sessions_token_unique').on(t.tokenHash), index('console_sessions_person_idx').on(t.personId)],
)

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect

/**
 * A sign-in in progress: the one-time code the bot sent to the person's linked chat. The browser
 * holds a random ticket (an HTTP-only cookie); only a SHA-256 of the ticket and a SHA-256 of
 * ticket + code are kept, so a copy of the database reveals no code, not even by trying all
 * million six-digit codes. `personId` is null for a decoy: someone typed a phone or name that is
 * no account, and is answered exactly as if it were (no code exists that would match).
 */
export const consoleSigninCodes = sqliteTable(
  'console_signin_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketHash: text('ticket_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    personId: integer('person_id').references(() => people.id),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp' }).notNull(),
    /** Wrong codes typed so far; at the limit the code is dead. */
    attempts: integer('attempts').notNull().default(0),
    usedAt: integer('used_at', { mode: 'timestamp' }),
  },
  (t) => [uniqueIndex('console_signin_codes_ticket_unique').on(t.ticketHash), index('console_signin_codes_person_idx').on(t.personId)],
)

/**
 * Sign-in attempts per key (`ip:…:code`, `ip:…:fail`, `account:…`) in a fixed window, so limits
 * hold across processes and Workers isolates. Old windows are pruned by the retention job.
 */
export const consoleSigninLimits = sqliteTable('console_signin_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start', { mode: 'timestamp' }).notNull(),
  count: integer('count').notNull(),
})

/**
 * A per-account API token. Only a SHA-256 of it is kept; it acts with its person's console role
 * at the time of use, so taking the role away disables every token of that person.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    label: text('label').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp' }),
  },
  (t) => [uniqueIndex('api_tokens_hash_unique').on(t.tokenHash), index('api_tokens_person_idx').on(t.personId)],
)

export type ApiTokenRow = typeof apiTokens.$inferSelect

/** How a change was made: with the bootstrap ADMIN_TOKEN, as a person's account, or by nobody signed in. */
export const auditActors = ['admin_token', 'account', 'anonymous'] as const
export type AuditActor = (typeof auditActors)[number]

/**
 * Who changed what, when and from where: one row per non-GET request to the API or the console.
 * Never a body, a query string or a token: the action (method and path, ids as `:id`), the target
 * id, the answer's status and the client address.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp' }).notNull(),
    actor: text('actor', { enum: auditActors }).notNull(),
    personId: integer('person_id').references(() => people.id),
    /** The API token used, when it was one. */
    tokenId: integer('token_id'),
    via: text('via', { enum: ['api', 'console'] }).notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    action: text('action').notNull(),
    targetId: integer('target_id'),
    status: integer('status').notNull(),
    ip: text('ip'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_person_idx').on(t.personId, t.at)],
)

export type AuditRow = typeof auditLog.$inferSelect
