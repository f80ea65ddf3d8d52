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
  },
  (t) => [uniqueIndex('console_sessions_token_unique').on(t.tokenHash), index('console_sessions_person_idx').on(t.personId)],
)

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect
