import { and, asc, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import { apiTokens, chatLinks, consoleSessions, consoleSigninCodes, people, units, type ConsoleRole } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../../errors.js'

/**
 * Console accounts are people of the directory with a console role (people.console_role). That
 * role is separate from the directory roles (people.roles): a person whose directory roles include
 * `admin` (which makes linking their chat stricter) has no console account until an admin grants
 * one, and a console `admin` need not hold the directory's `admin` role.
 */
export interface AccountSummary {
  personId: number
  fullName: string
  unitCode: string
  unitName: string
  role: ConsoleRole
  /** May approve and publish corrections of misinformation (issue 23), beside the role. */
  spokesperson: boolean
  /** Chats a sign-in code can reach (see `reachableChats`). 0: this account cannot sign in (yet). */
  reachableChats: number
  activeTokens: number
}

export async function listAccounts(db: Db, now: Date): Promise<AccountSummary[]> {
  const settled = Math.floor((now.getTime() - SIGNIN_CHAT_AGE_MS) / 1000)
  const rows = await db
    .select({
      personId: people.id,
      fullName: people.fullName,
      unitCode: units.code,
      unitName: units.name,
      role: people.consoleRole,
      spokesperson: people.spokesperson,
      reachableChats: sql<number>`(select count(*) from chat_links l where l.person_id = ${people.id} and l.blocked_at is null
        and (l.confirmed_at is not null or l.linked_at <= ${settled}))`,
      activeTokens: sql<number>`(select count(*) from api_tokens k where k.person_id = ${people.id} and k.revoked_at is null)`,
    })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(isNotNull(people.consoleRole), isNull(people.erasedAt)))
    .orderBy(asc(people.fullName), asc(people.id))
  return rows.map((r) => ({ ...r, role: r.role!, reachableChats: Number(r.reachableChats), activeTokens: Number(r.activeTokens) }))
}

/** A living (not erased) person, or 404. */
async function livingPerson(db: Db, personId: number) {
  const [person] = await db
    .select({ id: people.id, fullName: people.fullName, consoleRole: people.consoleRole, spokesperson: people.spokesperson, erasedAt: people.erasedAt })
    .from(people)
    .where(eq(people.id, personId))
    .limit(1)
  if (!person) throw new AppError('not_found', 'api.errors.noPerson', { id: personId })
  if (person.erasedAt) throw new AppError('not_found', 'api.errors.personErased', { id: personId })
  return person
}

/**
 * Grants or changes a person's console role. Sessions and tokens act with the role at the time of
 * use, so a change applies at the next request.
 */
export async function setConsoleRole(db: Db, personId: number, role: ConsoleRole, now: Date, spokesperson?: boolean) {
  const person = await livingPerson(db, personId)
  const flag = spokesperson ?? person.spokesperson
  await db.update(people).set({ consoleRole: role, spokesperson: flag, updatedAt: now }).where(eq(people.id, personId))
  return { personId, fullName: person.fullName, role, spokesperson: flag, previous: person.consoleRole }
}

/**
 * Grants or takes away the `spokesperson` permission (issue 23: approving corrections of
 * misinformation), a flag beside the console role; it counts for an editor or admin only.
 */
export async function setSpokesperson(db: Db, personId: number, spokesperson: boolean, now: Date) {
  const person = await livingPerson(db, personId)
  await db.update(people).set({ spokesperson, updatedAt: now }).where(eq(people.id, personId))
  return { personId, fullName: person.fullName, role: person.consoleRole, spokesperson, previous: person.spokesperson }
}

/**
 * Takes a person's console account away: the role, their signed-in browsers and pending sign-in
 * codes go, and their API tokens are revoked, all at once.
 */
export async function removeConsoleRole(db: Db, personId: number, now: Date) {
  const person = await livingPerson(db, personId)
  if (!person.consoleRole) throw new AppError('not_found', 'api.errors.noAccount', { id: personId })
  await atomic(db, [
    db.update(people).set({ consoleRole: null, spokesperson: false, updatedAt: now }).where(eq(people.id, personId)),
    db.delete(consoleSessions).where(eq(consoleSessions.personId, personId)),
    db.delete(consoleSigninCodes).where(eq(consoleSigninCodes.personId, personId)),
    db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt))),
  ])
  return { personId, fullName: person.fullName, role: null, spokesperson: false, previous: person.consoleRole }
}

/** Signs a person out of the console in every browser: their sessions go; role and API tokens stay. */
export async function endAccountSessions(db: Db, personId: number) {
  const person = await livingPerson(db, personId)
  const ended = await db.delete(consoleSessions).where(eq(consoleSessions.personId, personId)).returning({ id: consoleSessions.id })
  return { personId, fullName: person.fullName, sessionsEnded: ended.length }
}

/** The console role of a living person, or null. */
export async function consoleRoleOf(db: Db, personId: number): Promise<ConsoleRole | null> {
  const [row] = await db
    .select({ role: people.consoleRole })
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.erasedAt)))
    .limit(1)
  return row?.role ?? null
}

/** A chat gets console sign-in codes once it has been linked this long, unless an admin confirmed it. */
export const SIGNIN_CHAT_AGE_MS = 86_400_000

/**
 * The chats a sign-in code goes to: the person's linked chats that have not blocked the bot and
 * were linked more than a day ago (SIGNIN_CHAT_AGE_MS) or confirmed by an admin. A chat linked
 * just now with a stray invite code (security finding #1) gets no code until then.
 */
export async function reachableChats(db: Db, personId: number, now: Date) {
  const settled = new Date(now.getTime() - SIGNIN_CHAT_AGE_MS)
  return db
    .select({ channel: chatLinks.channel, chatId: chatLinks.chatId })
    .from(chatLinks)
    .where(
      and(
        eq(chatLinks.personId, personId),
        isNull(chatLinks.blockedAt),
        or(isNotNull(chatLinks.confirmedAt), lte(chatLinks.linkedAt, settled)),
      ),
    )
}

/**
 * An admin confirms that a chat is the person's, so that it gets sign-in codes before it is a day
 * old. Null when the person has no such link.
 */
export async function confirmLink(db: Db, input: { personId: number; linkId: number; now: Date }) {
  const [link] = await db
    .update(chatLinks)
    .set({ confirmedAt: input.now })
    .where(and(eq(chatLinks.id, input.linkId), eq(chatLinks.personId, input.personId)))
    .returning()
  return link ?? null
}

/**
 * People to grant an account to: living people whose name contains `q` (as typed, any case of
 * plain letters) or whose staff ID is `q`, at most 20, with their console role if any.
 */
export async function findPeopleToGrant(db: Db, q: string) {
  const text = q.trim().replace(/\s+/g, ' ')
  if (!text) return []
  const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  return db
    .select({ personId: people.id, fullName: people.fullName, externalId: people.externalId, unitName: units.name, role: people.consoleRole })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(isNull(people.erasedAt), sql`(${people.fullName} like ${like} escape '\\' or ${people.externalId} = ${text})`))
    .orderBy(asc(people.fullName), asc(people.id))
    .limit(20)
}
