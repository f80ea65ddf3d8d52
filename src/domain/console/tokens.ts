import { and, desc, eq, isNull, lt, or } from 'drizzle-orm'
import { apiTokens, people, type ConsoleRole } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { randomString, sha256Hex } from '../../crypto.js'
import { AppError } from '../../errors.js'
import { consoleRoleOf } from './accounts.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** Tokens start with this, so a leaked one is recognisable (and secret scanners can match it). */
export const TOKEN_PREFIX = 'loa_'
/** last_used_at is written at most once a minute per token, not on every request. */
const TOUCH_MS = 60_000

export interface ApiTokenView {
  id: number
  personId: number
  label: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

const view = (r: typeof apiTokens.$inferSelect): ApiTokenView => ({
  id: r.id,
  personId: r.personId,
  label: r.label,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
})

/**
 * Mints an API token for a person who has a console account. The token (`loa_` and 43 random
 * characters, 256 bits) is returned this once; only its SHA-256 is kept.
 */
export async function mintToken(db: Db, input: { personId: number; label: string }, now: Date): Promise<ApiTokenView & { token: string; role: ConsoleRole }> {
  const role = await consoleRoleOf(db, input.personId)
  if (!role) throw new AppError('unprocessable', 'api.errors.noAccount', { id: input.personId })
  const token = TOKEN_PREFIX + randomString(43, ALPHABET)
  const [row] = await db
    .insert(apiTokens)
    .values({ personId: input.personId, label: input.label, tokenHash: await sha256Hex(token), createdAt: now })
    .returning()
  return { ...view(row!), token, role }
}

/** A person's tokens (or everyone's), newest first, without their secrets. */
export async function listTokens(db: Db, filter: { personId?: number } = {}): Promise<ApiTokenView[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(filter.personId === undefined ? undefined : eq(apiTokens.personId, filter.personId))
    .orderBy(desc(apiTokens.id))
  return rows.map(view)
}

/** The token row by id (for the owner check), or 404. */
export async function findTokenById(db: Db, id: number) {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1)
  if (!row) throw new AppError('not_found', 'api.errors.noToken', { id })
  return view(row)
}

/** Revokes a token; revoking it again changes nothing. */
export async function revokeToken(db: Db, id: number, now: Date): Promise<ApiTokenView> {
  await findTokenById(db, id)
  await db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
  return findTokenById(db, id)
}

/** Who a presented API token acts for, or null (unknown, revoked, or its person has no account now). */
export async function authenticateToken(db: Db, token: string, now: Date): Promise<{ tokenId: number; personId: number; name: string; role: ConsoleRole } | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null
  const [row] = await db
    .select({ id: apiTokens.id, personId: apiTokens.personId, lastUsedAt: apiTokens.lastUsedAt, role: people.consoleRole, name: people.fullName })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.personId))
    .where(and(eq(apiTokens.tokenHash, await sha256Hex(token)), isNull(apiTokens.revokedAt), isNull(people.erasedAt)))
    .limit(1)
  if (!row || !row.role) return null
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_MS) {
    const stale = new Date(now.getTime() - TOUCH_MS)
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))))
  }
  return { tokenId: row.id, personId: row.personId, name: row.name, role: row.role }
}
