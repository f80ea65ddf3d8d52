import { and, desc, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { consoleSigninCodes, consoleSigninLimits, people, REPLY_PRIORITY, type ConsoleRole, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { matchesHash, randomString, sha256Hex } from '../../crypto.js'
import { enqueue } from '../../delivery/queue.js'
import { normalize, translate } from '../../i18n.js'
import type { ChannelName } from '../../core/events.js'
import { consoleRoleOf, reachableChats } from './accounts.js'
import { accountKey, ACCOUNT_WINDOW_MS, hit, ipKey, over, recordFailure, SIGNIN_LIMITS } from './signin-limits.js'
import { forgetSigninPayloads, SIGNIN_SOURCE } from './signin-outbox.js'
import { startSession } from './signin-sessions.js'

/**
 * A sign-in code: 8 digits, good for 10 minutes and 5 tries in one browser. Guessing is bounded
 * per account, not per browser: at most SIGNIN_LIMITS.triesPerAccount (10) tries an hour of the
 * account's codes, from all browsers together (signin-limits.ts). So an attacker gets at most
 * 10 × 24 × 365 = 87,600 guesses a year at one account, and with 10^8 codes the chance that any
 * of them is right is at most 87,600 / 10^8 ≈ 0.088 % a year (six digits, 3 codes of 5 tries per
 * 15 minutes, gave about 41 %).
 */
export const CODE_DIGITS = 8
export const CODE_MINUTES = 10
export const CODE_TRIES = 5
export { recordFailure, failuresAllowed } from './signin-limits.js'
const TICKET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Names compared as people type them: any case, spacing, Unicode composition. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi')
}

/** The forms a Vietnamese mobile number is stored in (0912…, +84912…, 84912…), or null if `text` is none. */
export function phoneForms(text: string): string[] | null {
  const digits = text.trim().replace(/[\s.()-]/g, '')
  if (!/^(\+?84|0)\d{9,10}$/.test(digits)) return null
  const national = digits.replace(/^\+?84/, '0')
  const rest = national.slice(1)
  return [national, `+84${rest}`, `84${rest}`]
}

interface Candidate {
  id: number
  locale: Locale
}

/** The console accounts (living people with a console role) a phone or a name designates. */
async function accountsMatching(db: Db, who: string): Promise<{ by: 'phone' | 'name'; matches: Candidate[] }> {
  const forms = phoneForms(who)
  const living = and(isNotNull(people.consoleRole), isNull(people.erasedAt))
  if (forms) {
    const matches = await db
      .select({ id: people.id, locale: people.locale })
      .from(people)
      .where(and(living, or(...forms.map((f) => eq(people.phone, f)))))
    return { by: 'phone', matches }
  }
  // Accounts are few (tens): their names are compared here, where Vietnamese case folding works.
  // The exact spelling first; failing that, the name without diacritics (typed without Unikey), as
  // directory search does. Either way one account or none gets a code: several are "ambiguous".
  const accounts = await db.select({ id: people.id, locale: people.locale, fullName: people.fullName }).from(people).where(living)
  const exact = normalizeName(who)
  let found = accounts.filter((a) => normalizeName(a.fullName) === exact)
  if (found.length === 0) {
    const folded = normalize(who) // no case, spacing or diacritics: "nguyen thi my nhung"
    found = accounts.filter((a) => normalize(a.fullName) === folded)
  }
  return { by: 'name', matches: found.map(({ id, locale }) => ({ id, locale })) }
}

export type CodeRequest = { status: 'sent'; ticket: string; personId: number | null } | { status: 'ambiguous' } | { status: 'tooMany'; minutes: number }

/**
 * What is stored of a code: SHA-256 of the admin token's hash (a key that is not in the database
 * when ADMIN_TOKEN is set), the account and the code. No ticket in it, so that every browser that
 * asks while the code is valid can type the same code.
 */
const codeSecret = (key: string, personId: number, code: string) => `signin:${key}:${personId}:${code}`

/**
 * The account's code sent less than CODE_MINUTES ago and unused, if any, with when it was sent.
 * Joined tickets carry that time as their `createdAt`, so a code is joined only within its first
 * CODE_MINUTES, however often it is asked for: then the next request sends a new one.
 */
async function liveCode(db: Db, personId: number, now: Date) {
  const [row] = await db
    .select({ codeHash: consoleSigninCodes.codeHash, createdAt: consoleSigninCodes.createdAt })
    .from(consoleSigninCodes)
    .where(
      and(
        eq(consoleSigninCodes.personId, personId),
        isNull(consoleSigninCodes.usedAt),
        gt(consoleSigninCodes.createdAt, new Date(now.getTime() - CODE_MINUTES * 60_000)),
      ),
    )
    .orderBy(desc(consoleSigninCodes.id))
    .limit(1)
  return row ?? null
}

/**
 * Someone typed a phone or a name on the sign-in page. The browser always gets a ticket to type a
 * code against, and the same answer, whatever was typed; only a name shared by several accounts is
 * answered differently (type the phone instead), since no single code could be sent.
 * - An account with chats that may get codes (`reachableChats`: linked over a day ago, or confirmed)
 *   and no code sent in the last CODE_MINUTES: a new 8-digit code goes to each of those chats
 *   through the outbox (as a reply: before any broadcast).
 * - Such an account with a code sent in the last CODE_MINUTES: the ticket joins that code and
 *   nothing is sent. Asking again and again sends at most one message every CODE_MINUTES and never
 *   locks the person out: the code in their chat works in any browser that asked for it since.
 * - Anything else (no account, no eligible chat): a decoy ticket no code matches.
 * Every path runs the same statements (one count per address, the account lookups, one ticket row,
 * one write to the outbox's sign-in rows), so the time taken tells nothing either.
 */
export async function requestCode(db: Db, input: { who: string; ip?: string | null; key: string }, now: Date): Promise<CodeRequest> {
  const perIp = await hit(db, ipKey(input.ip, 'code'), SIGNIN_LIMITS.codesPerIp, now)
  if (!perIp.ok) return { status: 'tooMany', minutes: perIp.minutes }
  const { by, matches } = await accountsMatching(db, input.who)
  if (by === 'name' && matches.length > 1) return { status: 'ambiguous' }
  const person = matches.length === 1 ? matches[0]! : null
  const chats = await reachableChats(db, person?.id ?? 0, now)
  const account = chats.length ? person : null
  const live = await liveCode(db, account?.id ?? 0, now)
  const ticket = randomString(43, TICKET_ALPHABET)
  const code = randomString(CODE_DIGITS, '0123456789')
  // A decoy's hash is of a value no code can equal.
  const fresh = await sha256Hex(codeSecret(input.key, account?.id ?? 0, account ? code : randomString(43, TICKET_ALPHABET)))
  // Every ticket lasts CODE_MINUTES from its request, joined or not: an earlier end would tell a joined ticket from a decoy.
  const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000)
  const [row] = await db
    .insert(consoleSigninCodes)
    .values({ ticketHash: await sha256Hex(ticket), codeHash: live?.codeHash ?? fresh, personId: account?.id ?? null, createdAt: live?.createdAt ?? now, expiresAt })
    .returning({ id: consoleSigninCodes.id })
  if (account && !live) await sendCode(db, { codeId: row!.id, person: account, chats, code, expiresAt }, now)
  else await forgetSigninPayloads(db, now, [row!.id])
  return { status: 'sent', ticket, personId: account?.id ?? null }
}

/** Queues the code to each chat, as a reply; a code that arrives after it expired is of no use: not retried past that. */
async function sendCode(
  db: Db,
  input: { codeId: number; person: Candidate; chats: { channel: ChannelName; chatId: string }[]; code: string; expiresAt: Date },
  now: Date,
) {
  const { person, codeId } = input
  const grouped = `${input.code.slice(0, 4)} ${input.code.slice(4)}`
  const text = translate(person.locale, 'consoleAuth.chat.code', { code: grouped, minutes: CODE_MINUTES })
  await enqueue(
    db,
    input.chats.map((chat) => ({
      source: SIGNIN_SOURCE,
      sourceId: codeId,
      personId: person.id,
      channel: chat.channel,
      chatId: chat.chatId,
      locale: person.locale,
      payload: { text },
      dedupeKey: `signin:${codeId}:${chat.channel}`,
      priority: REPLY_PRIORITY,
      expiresAt: input.expiresAt,
    })),
    now,
  )
}

export type CodeCheck =
  | { status: 'ok'; token: string; sessionId: number; personId: number; role: ConsoleRole }
  | { status: 'wrong'; triesLeft: number }
  | { status: 'locked' }
  | { status: 'expired' }
  | { status: 'tooMany'; minutes: number }

/**
 * Checks a typed code against the browser's ticket. Every try counts towards the account's tries
 * of the hour (SIGNIN_LIMITS.triesPerAccount); past them, even the right code is answered as a
 * wrong one, exactly as a decoy's would be, so the limit reveals no account. A wrong one spends
 * one of the ticket's 5 tries; the right one starts a session with the account's role as it is now.
 */
export async function verifyCode(db: Db, input: { ticket: string | undefined; code: string; ip?: string | null; key: string }, now: Date): Promise<CodeCheck> {
  const limit = await over(db, ipKey(input.ip, 'fail'), SIGNIN_LIMITS.failuresPerIp, now)
  if (!limit.ok) return { status: 'tooMany', minutes: limit.minutes }
  if (!input.ticket || input.ticket.length > 100) return { status: 'expired' }
  const [row] = await db.select().from(consoleSigninCodes).where(eq(consoleSigninCodes.ticketHash, await sha256Hex(input.ticket)))
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) return { status: 'expired' }
  if (row.attempts >= CODE_TRIES) return { status: 'locked' }
  const perAccount = await hit(db, accountKey(row.personId), SIGNIN_LIMITS.triesPerAccount, now, ACCOUNT_WINDOW_MS)
  const code = input.code.replace(/\s/g, '')
  const matches = await matchesHash(codeSecret(input.key, row.personId ?? 0, code), row.codeHash)
  const right = matches && new RegExp(`^\\d{${CODE_DIGITS}}$`).test(code) && row.personId !== null && perAccount.ok
  if (!right) return spendTry(db, row.id, input.ip, now)
  // Spent once, in every browser that joined it: of two browsers racing with the code, one wins.
  const used = await db
    .update(consoleSigninCodes)
    .set({ usedAt: now })
    .where(and(eq(consoleSigninCodes.personId, row.personId!), eq(consoleSigninCodes.codeHash, row.codeHash), isNull(consoleSigninCodes.usedAt)))
    .returning({ id: consoleSigninCodes.id })
  if (!used.some((u) => u.id === row.id)) return { status: 'expired' }
  const role = await consoleRoleOf(db, row.personId!)
  if (!role) return { status: 'expired' }
  const session = await startSession(db, { personId: row.personId, role, ip: input.ip }, now)
  return { status: 'ok', token: session.token, sessionId: session.sessionId, personId: row.personId!, role }
}

/** A wrong code: counted for the address, and one of the ticket's tries is spent. */
async function spendTry(db: Db, id: number, ip: string | null | undefined, now: Date): Promise<CodeCheck> {
  await recordFailure(db, ip, now)
  const [spent] = await db
    .update(consoleSigninCodes)
    .set({ attempts: sql`${consoleSigninCodes.attempts} + 1` })
    .where(and(eq(consoleSigninCodes.id, id), lt(consoleSigninCodes.attempts, CODE_TRIES)))
    .returning({ attempts: consoleSigninCodes.attempts })
  const attempts = spent?.attempts ?? CODE_TRIES
  return attempts >= CODE_TRIES ? { status: 'locked' } : { status: 'wrong', triesLeft: CODE_TRIES - attempts }
}

/** Removes spent sign-in codes and limit windows older than a day, and empties ended code messages (the retention job). */
export async function pruneSignins(db: Db, now: Date) {
  const dayAgo = new Date(now.getTime() - 86_400_000)
  const codes = await db.delete(consoleSigninCodes).where(lt(consoleSigninCodes.expiresAt, dayAgo)).returning({ id: consoleSigninCodes.id })
  const limits = await db.delete(consoleSigninLimits).where(lt(consoleSigninLimits.windowStart, dayAgo)).returning({ key: consoleSigninLimits.key })
  // Whatever the dispatcher did not settle (a crash, a code never sent): no code stays readable.
  const payloads = await forgetSigninPayloads(db, now)
  return { signinCodes: codes.length, signinLimits: limits.length, signinPayloadsEmptied: payloads }
}
