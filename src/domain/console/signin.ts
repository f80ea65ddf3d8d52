import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { consoleSigninCodes, consoleSigninLimits, people, REPLY_PRIORITY, type ConsoleRole, type Locale } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { matchesHash, randomString, sha256Hex } from '../../crypto.js'
import { enqueue } from '../../delivery/queue.js'
import { translate } from '../../i18n.js'
import { consoleRoleOf, reachableChats } from './accounts.js'
import { startSession } from './sessions.js'

/** A sign-in code is good for 10 minutes and 5 tries. */
export const CODE_MINUTES = 10
export const CODE_TRIES = 5
/**
 * Sign-in limits, per fixed window of 15 minutes, kept in the database so they hold across
 * processes and Workers isolates: codes asked from one address, codes sent for one account (or
 * asked for one phone or name that is no account: the same limit, so it tells nothing), and wrong
 * codes or admin tokens typed from one address.
 */
export const SIGNIN_LIMITS = {
  windowMinutes: 15,
  codesPerIp: 10,
  codesPerAccount: 3,
  failuresPerIp: 20,
}
const WINDOW_MS = SIGNIN_LIMITS.windowMinutes * 60_000
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
  const wanted = normalizeName(who)
  const accounts = await db.select({ id: people.id, locale: people.locale, fullName: people.fullName }).from(people).where(living)
  return { by: 'name', matches: accounts.filter((a) => normalizeName(a.fullName) === wanted).map(({ id, locale }) => ({ id, locale })) }
}

/**
 * Counts one attempt under `key` in the current window; `ok` is false once `max` is passed, with
 * the minutes until the window ends. One statement, so concurrent requests count exactly.
 */
async function hit(db: Db, key: string, max: number, now: Date): Promise<{ ok: boolean; minutes: number }> {
  const at = Math.floor(now.getTime() / 1000)
  const stale = at - WINDOW_MS / 1000
  const [row] = await db.all<{ count: number; windowStart: number }>(sql`
    insert into console_signin_limits (key, window_start, count) values (${key}, ${at}, 1)
    on conflict (key) do update set
      count = case when window_start <= ${stale} then 1 else count + 1 end,
      window_start = case when window_start <= ${stale} then ${at} else window_start end
    returning count, window_start as windowStart`)
  return verdict(row, max, at)
}

/** Whether `key` is already over `max` in the current window, without counting. */
async function over(db: Db, key: string, max: number, now: Date): Promise<{ ok: boolean; minutes: number }> {
  const at = Math.floor(now.getTime() / 1000)
  const [row] = await db
    .select({ count: consoleSigninLimits.count, windowStart: sql<number>`${consoleSigninLimits.windowStart}` })
    .from(consoleSigninLimits)
    .where(eq(consoleSigninLimits.key, key))
  if (!row || Number(row.windowStart) <= at - WINDOW_MS / 1000) return { ok: true, minutes: 0 }
  return verdict({ count: row.count + 1, windowStart: Number(row.windowStart) }, max, at)
}

function verdict(row: { count: number; windowStart: number } | undefined, max: number, at: number) {
  const count = Number(row?.count ?? 0)
  const ends = Number(row?.windowStart ?? at) + WINDOW_MS / 1000
  return { ok: count <= max, minutes: Math.max(1, Math.ceil((ends - at) / 60)) }
}

const ipKey = (ip: string | null | undefined, what: 'code' | 'fail') => `ip:${ip || 'unknown'}:${what}`

export type CodeRequest =
  | { status: 'sent'; ticket: string; personId: number | null }
  | { status: 'ambiguous' }
  | { status: 'tooMany'; minutes: number }

/**
 * Someone typed a phone or a name on the sign-in page. When it designates exactly one account
 * with a reachable chat, a six-digit code goes to each of its chats through the outbox (as a
 * reply: before any broadcast), and the browser gets a ticket to type the code against.
 * Otherwise the answer is the same, with a ticket no code matches: the page never tells whether
 * a phone or name is an account. Only a name shared by several accounts is answered differently
 * (type the phone instead), since no single code could be sent.
 */
export async function requestCode(db: Db, input: { who: string; ip?: string | null }, now: Date): Promise<CodeRequest> {
  const perIp = await hit(db, ipKey(input.ip, 'code'), SIGNIN_LIMITS.codesPerIp, now)
  if (!perIp.ok) return { status: 'tooMany', minutes: perIp.minutes }
  const { by, matches } = await accountsMatching(db, input.who)
  if (by === 'name' && matches.length > 1) return { status: 'ambiguous' }
  const person = matches.length === 1 ? matches[0]! : null
  const subject = person ? `account:${person.id}` : `who:${await sha256Hex(by === 'phone' ? phoneForms(input.who)![0]! : normalizeName(input.who))}`
  const perAccount = await hit(db, subject, SIGNIN_LIMITS.codesPerAccount, now)
  if (!perAccount.ok) return { status: 'tooMany', minutes: perAccount.minutes }

  const ticket = randomString(43, TICKET_ALPHABET)
  const chats = person ? await reachableChats(db, person.id) : []
  const code = randomString(6, '0123456789')
  // A decoy's hash is of a value no six-digit code can equal.
  const secret = chats.length ? code : randomString(43, TICKET_ALPHABET)
  const [row] = await db
    .insert(consoleSigninCodes)
    .values({
      ticketHash: await sha256Hex(ticket),
      codeHash: await sha256Hex(`${ticket}:${secret}`),
      personId: chats.length ? person!.id : null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
    })
    .returning({ id: consoleSigninCodes.id })
  if (chats.length) {
    const text = translate(person!.locale, 'consoleAuth.chat.code', { code, minutes: CODE_MINUTES })
    await enqueue(
      db,
      chats.map((chat) => ({
        source: 'signin',
        sourceId: row!.id,
        personId: person!.id,
        channel: chat.channel,
        chatId: chat.chatId,
        locale: person!.locale,
        payload: { text },
        dedupeKey: `signin:${row!.id}:${chat.channel}`,
        priority: REPLY_PRIORITY,
        // A code that arrives after it expired is of no use: not retried past that.
        expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
      })),
      now,
    )
  }
  return { status: 'sent', ticket, personId: chats.length ? person!.id : null }
}

export type CodeCheck =
  | { status: 'ok'; token: string; sessionId: number; personId: number; role: ConsoleRole }
  | { status: 'wrong'; triesLeft: number }
  | { status: 'locked' }
  | { status: 'expired' }
  | { status: 'tooMany'; minutes: number }

/**
 * Checks a typed code against the browser's ticket. A wrong one spends a try (5 in all, then the
 * code is dead); the right one starts a session with the account's role as it is now.
 */
export async function verifyCode(db: Db, input: { ticket: string | undefined; code: string; ip?: string | null }, now: Date): Promise<CodeCheck> {
  const limit = await over(db, ipKey(input.ip, 'fail'), SIGNIN_LIMITS.failuresPerIp, now)
  if (!limit.ok) return { status: 'tooMany', minutes: limit.minutes }
  if (!input.ticket || input.ticket.length > 100) return { status: 'expired' }
  const [row] = await db.select().from(consoleSigninCodes).where(eq(consoleSigninCodes.ticketHash, await sha256Hex(input.ticket)))
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) return { status: 'expired' }
  if (row.attempts >= CODE_TRIES) return { status: 'locked' }
  const code = input.code.replace(/\s/g, '')
  const right = /^\d{6}$/.test(code) && (await matchesHash(`${input.ticket}:${code}`, row.codeHash)) && row.personId !== null
  if (!right) {
    await recordFailure(db, input.ip, now)
    const [spent] = await db
      .update(consoleSigninCodes)
      .set({ attempts: sql`${consoleSigninCodes.attempts} + 1` })
      .where(and(eq(consoleSigninCodes.id, row.id), lt(consoleSigninCodes.attempts, CODE_TRIES)))
      .returning({ attempts: consoleSigninCodes.attempts })
    const attempts = spent?.attempts ?? CODE_TRIES
    return attempts >= CODE_TRIES ? { status: 'locked' } : { status: 'wrong', triesLeft: CODE_TRIES - attempts }
  }
  // Spent once: of two browsers racing with the same ticket and code, one wins.
  const [used] = await db
    .update(consoleSigninCodes)
    .set({ usedAt: now })
    .where(and(eq(consoleSigninCodes.id, row.id), isNull(consoleSigninCodes.usedAt), lt(consoleSigninCodes.attempts, CODE_TRIES)))
    .returning({ id: consoleSigninCodes.id })
  if (!used) return { status: 'expired' }
  const role = await consoleRoleOf(db, row.personId!)
  if (!role) return { status: 'expired' }
  const session = await startSession(db, { personId: row.personId, role, ip: input.ip }, now)
  return { status: 'ok', token: session.token, sessionId: session.sessionId, personId: row.personId!, role }
}

/** A wrong secret typed from `ip` (a code, or the admin token): counted towards its limit. */
export async function recordFailure(db: Db, ip: string | null | undefined, now: Date) {
  await hit(db, ipKey(ip, 'fail'), SIGNIN_LIMITS.failuresPerIp, now)
}

/** Whether `ip` may still try a secret (a code or the admin token), and if not for how long. */
export async function failuresAllowed(db: Db, ip: string | null | undefined, now: Date) {
  return over(db, ipKey(ip, 'fail'), SIGNIN_LIMITS.failuresPerIp, now)
}

/** Removes spent sign-in codes and limit windows older than a day (the retention job). */
export async function pruneSignins(db: Db, now: Date) {
  const dayAgo = new Date(now.getTime() - 86_400_000)
  const codes = await db.delete(consoleSigninCodes).where(lt(consoleSigninCodes.expiresAt, dayAgo)).returning({ id: consoleSigninCodes.id })
  const limits = await db.delete(consoleSigninLimits).where(lt(consoleSigninLimits.windowStart, dayAgo)).returning({ key: consoleSigninLimits.key })
  return { signinCodes: codes.length, signinLimits: limits.length }
}
