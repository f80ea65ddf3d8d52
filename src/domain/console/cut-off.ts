import { and, count, eq, gt, gte, isNull, type SQL } from 'drizzle-orm'
import type { Statement } from '#db/atomic.js'
import { apiTokens, consoleSessions } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

/** What unlinking a chat ended of its person's console access. */
export interface AccessEnded {
  sessions: number
  tokens: number
}

export const NOTHING_ENDED: AccessEnded = { sessions: 0, tokens: 0 }

/**
 * What unlinking one of a person's chats also undoes in the console: whoever held that chat could
 * have signed in with a code sent to it, so every console session of the person ends, and every API
 * token minted since the chat was linked is revoked (older tokens could not have come from it).
 * `condition` makes each statement act only when the unlink itself happens.
 */
export function endConsoleAccess(db: Db, personId: number, linkedAt: Date, now: Date, condition?: SQL): Statement[] {
  return [
    db.delete(consoleSessions).where(and(eq(consoleSessions.personId, personId), condition)),
    db
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt), gte(apiTokens.createdAt, linkedAt), condition)),
  ]
}

/** What `endConsoleAccess` would end now, for telling the person. */
export async function consoleAccessSince(db: Db, personId: number, linkedAt: Date, now: Date): Promise<AccessEnded> {
  const [sessions] = await db
    .select({ n: count() })
    .from(consoleSessions)
    .where(and(eq(consoleSessions.personId, personId), gt(consoleSessions.expiresAt, now)))
  const [tokens] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt), gte(apiTokens.createdAt, linkedAt)))
  return { sessions: sessions?.n ?? 0, tokens: tokens?.n ?? 0 }
}
