import { and, eq } from 'drizzle-orm'
import { subscribers, units, type Locale, type SubscriberRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { randomString, sha256Hex } from '../../crypto.js'
import { AppError } from '../../errors.js'
import { attemptWindow, ATTEMPT_WINDOW_MS, recordAttemptFailure } from '../attempts.js'
import { withinLife, type SubscriberClaim } from './signed-tokens.js'

/**
 * Subscribers who follow on the web (/theo-doi, issue 23): a phone that chose a ward and gave its
 * consent is a subscriber on channel 'web'. It is known by a random token kept in its cookie; the
 * database keeps only the token's SHA-256 (as the row's chat id), so a copy of the database opens no
 * one's page. Web subscribers get no messages (there is no chat): the page lists their ward's polls.
 */

const TOKEN_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789abcdefghijkmnopqrstuvwxyz'
/** 32 characters of a 56-letter alphabet: some 185 bits. */
const TOKEN_LENGTH = 32

const webChatId = (token: string) => sha256Hex(`web-subscriber:${token}`)

/** The web subscriber a cookie's token names (seen now), or null for a token we do not know. */
export async function webSubscriberOf(db: Db, token: string | undefined, now: Date): Promise<SubscriberRow | null> {
  if (!token || token.length !== TOKEN_LENGTH || ![...token].every((ch) => TOKEN_ALPHABET.includes(ch))) return null
  const [row] = await db
    .update(subscribers)
    .set({ lastSeenAt: now })
    .where(and(eq(subscribers.channel, 'web'), eq(subscribers.chatId, await webChatId(token))))
    .returning()
  return row ?? null
}

/** A ward (a unit of kind `commune`) by its code, or a 422 naming the code. */
export async function wardByCode(db: Db, code: string) {
  const [ward] = await db
    .select({ id: units.id, code: units.code, name: units.name })
    .from(units)
    .where(and(eq(units.code, code), eq(units.kind, 'commune')))
    .limit(1)
  if (!ward) throw new AppError('unprocessable', 'api.errors.unknownWards', { codes: code.slice(0, 40) })
  return ward
}

/** The name of a subscriber's ward, or null without one. */
export async function wardNameOf(db: Db, wardUnitId: number | null): Promise<string | null> {
  if (wardUnitId == null) return null
  const [u] = await db.select({ name: units.name }).from(units).where(eq(units.id, wardUnitId)).limit(1)
  return u?.name ?? null
}

/**
 * New web subscribers one IP address may make in an hour. A parents' meeting behind a school's Wi-Fi
 * follows from one address, so it is generous; it stops a script from minting respondents (each
 * new subscriber is one more answer to a ward's poll).
 */
export const MAX_FOLLOWS_PER_IP = 100

/**
 * Follows a ward from the web with consent recorded now (Decree 13/2023): the phone's subscriber
 * (`existing`) moves to the ward, else a new one is made with a new token, returned once for the
 * cookie and never stored; `throttled` (with when to retry) when the address made too many.
 */
export async function followOnWeb(
  db: Db,
  input: { existing: SubscriberRow | null; wardUnitId: number; locale: Locale; ip: string; now: Date },
): Promise<{ subscriber: SubscriberRow; token: string | null } | { throttled: Date }> {
  const { now } = input
  if (input.existing) {
    const [row] = await db
      .update(subscribers)
      .set({ wardUnitId: input.wardUnitId, optedInAt: now, unsubscribedAt: null, lastSeenAt: now })
      .where(eq(subscribers.id, input.existing.id))
      .returning()
    return { subscriber: row!, token: null }
  }
  const key = `follow:ip:${input.ip}`
  const made = await attemptWindow(db, key, now)
  if (made && made.failures >= MAX_FOLLOWS_PER_IP) return { throttled: new Date(made.windowStart.getTime() + ATTEMPT_WINDOW_MS) }
  await recordAttemptFailure(db, key, now)
  const token = randomString(TOKEN_LENGTH, TOKEN_ALPHABET)
  const [row] = await db
    .insert(subscribers)
    .values({ channel: 'web', chatId: await webChatId(token), wardUnitId: input.wardUnitId, locale: input.locale, optedInAt: now, createdAt: now, lastSeenAt: now })
    .returning()
  return { subscriber: row!, token }
}

/**
 * The subscriber a personal link names, while it works: within its life, and while that subscriber
 * still exists on the link's messenger and existed when the link was made (erasure ends it).
 */
export async function subscriberOfLink(db: Db, claim: SubscriberClaim, now: Date, ttlDays: number): Promise<SubscriberRow | null> {
  if (!withinLife(claim.issued, now, ttlDays)) return null
  const [row] = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.id, claim.subscriberId), eq(subscribers.channel, claim.channel)))
    .limit(1)
  return row && row.createdAt.getTime() <= claim.issued * 1000 + 300_000 ? row : null
}
