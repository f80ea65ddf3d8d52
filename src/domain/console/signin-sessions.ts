import { and, eq, gt, lte } from 'drizzle-orm'
import { consoleSessions, people, type ConsoleRole } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { randomString, sha256Hex } from '../../crypto.js'

/** A console session lasts a working day; signing in again is a code away. */
export const SESSION_HOURS = 12
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Who is signed in to the console, as the pages see it. */
export interface ConsoleAccount {
  sessionId: number
  /** null for the bootstrap ADMIN_TOKEN sign-in. */
  personId: number | null
  name: string | null
  role: ConsoleRole
}

const rank: Record<ConsoleRole, number> = { viewer: 0, editor: 1, admin: 2 }

/** Whether `role` may do what `needed` allows (admin ⊃ editor ⊃ viewer). */
export function roleAllows(role: ConsoleRole, needed: ConsoleRole): boolean {
  return rank[role] >= rank[needed]
}

/**
 * What a bootstrap session keeps of the ADMIN_TOKEN it was opened with: a hash of the token's hash.
 * A new ADMIN_TOKEN (and a restart) gives another value, so such sessions stop matching and end.
 */
export const adminTokenFingerprint = (adminTokenHash: string) => sha256Hex(`console-session:${adminTokenHash}`)

/**
 * Starts a session; returns the cookie's token (256 bits), of which only a hash is stored. A
 * bootstrap session (no person) is tied to the ADMIN_TOKEN's hash it was opened with.
 */
export async function startSession(
  db: Db,
  input: { personId: number | null; role: ConsoleRole; ip?: string | null; adminTokenHash?: string },
  now: Date,
) {
  if (input.personId === null && !input.adminTokenHash) throw new Error('a bootstrap session needs the admin token hash')
  const token = randomString(43, TOKEN_ALPHABET)
  const [row] = await db
    .insert(consoleSessions)
    .values({
      tokenHash: await sha256Hex(token),
      personId: input.personId,
      role: input.role,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000),
      ip: input.ip ?? null,
      adminTokenFp: input.personId === null ? await adminTokenFingerprint(input.adminTokenHash!) : null,
    })
    .returning({ id: consoleSessions.id })
  return { token, sessionId: row!.id }
}

/**
 * The account behind a cookie's token, or null when the token is unknown or expired, or (for a
 * bootstrap session) was opened with another ADMIN_TOKEN than `adminTokenHash`'s.
 */
export async function findSession(db: Db, token: string | undefined, now: Date, adminTokenHash: string): Promise<ConsoleAccount | null> {
  if (!token || token.length > 100) return null
  const [row] = await db
    .select({
      id: consoleSessions.id,
      personId: consoleSessions.personId,
      role: consoleSessions.role,
      name: people.fullName,
      erasedAt: people.erasedAt,
      consoleRole: people.consoleRole,
      adminTokenFp: consoleSessions.adminTokenFp,
    })
    .from(consoleSessions)
    .leftJoin(people, eq(people.id, consoleSessions.personId))
    .where(and(eq(consoleSessions.tokenHash, await sha256Hex(token)), gt(consoleSessions.expiresAt, now)))
  if (!row || row.erasedAt) return null
  if (row.personId === null) {
    if (row.adminTokenFp !== (await adminTokenFingerprint(adminTokenHash))) return null
    return { sessionId: row.id, personId: null, name: null, role: row.role }
  }
  // A person's session acts with their console role as it is now: a change or removal applies at once.
  if (!row.consoleRole) return null
  return { sessionId: row.id, personId: row.personId, name: row.name, role: row.consoleRole }
}

/** Signs a browser out: its session row goes. */
export async function endSession(db: Db, sessionId: number) {
  await db.delete(consoleSessions).where(eq(consoleSessions.id, sessionId))
}

/** Removes sessions that have expired (the retention job). */
export async function pruneSessions(db: Db, now: Date): Promise<number> {
  const gone = await db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now)).returning({ id: consoleSessions.id })
  return gone.length
}
