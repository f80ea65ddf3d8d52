import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { channelColumn } from './directory.js'

/**
 * OAuth tokens of a channel connected by an admin (the Zalo OA). Both tokens are encrypted at rest
 * (AES-256-GCM, TOKEN_ENCRYPTION_KEY). `version` grows with each refresh: Zalo's refresh tokens
 * are single use, so a refresh writes the new pair only where the version it read is still there.
 */
export const oauthTokens = sqliteTable('oauth_tokens', {
  channel: text('channel', { enum: channelColumn }).primaryKey(),
  /** The OA's id, as the callback named it. */
  accountId: text('account_id'),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token').notNull(),
  accessExpiresAt: integer('access_expires_at', { mode: 'timestamp' }).notNull(),
  refreshExpiresAt: integer('refresh_expires_at', { mode: 'timestamp' }).notNull(),
  version: integer('version').notNull().default(1),
  /** The last refresh that failed, and why (shown in GET /api/channels); null once one succeeds. */
  lastError: text('last_error'),
  updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
})

/**
 * An OAuth permission request under way: the PKCE verifier (encrypted) waits here for the callback
 * that names its `state` (stored as a SHA-256). Single use; older than an hour it is refused.
 */
export const oauthStates = sqliteTable('oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  channel: text('channel', { enum: channelColumn }).notNull(),
  verifier: text('verifier').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
})

/**
 * A channel's pushes paused by the platform (a spent monthly quota): until when, why, and whether
 * the admins were told. Replies in conversation are paused too: the platform refuses them alike.
 */
export const channelPauses = sqliteTable('channel_pauses', {
  channel: text('channel', { enum: channelColumn }).primaryKey(),
  pausedUntil: integer('paused_until', { mode: 'timestamp' }).notNull(),
  reason: text('reason').notNull(),
  pausedAt: integer('paused_at', { mode: 'timestamp' }).notNull(),
})
