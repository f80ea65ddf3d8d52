import { and, eq, lte } from 'drizzle-orm'
import { chatLinks, settings } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import { randomString } from '../../crypto.js'
import { SLUG_ALPHABET } from './public-slugs.js'

/**
 * The signed values of the phone pages (keyed by `signingKey`): personal links, the cookie that
 * remembers an identified phone, and a phone's device id. Each names what it is for in its MAC, so
 * none can stand in for another.
 */

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

async function mac(key: CryptoKey, text: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))
  // 128 bits of the tag: enough against forgery, short enough for a link.
  return b64url(sig.slice(0, 16))
}

function equalStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000)
/** A token issued more than this ahead of the clock (another server's clock) is refused. */
const SKEW_S = 300

/** Whether a token issued at `issued` (seconds) still works at `now`, `ttlDays` after issue. */
export function withinLife(issued: number, now: Date, ttlDays: number): boolean {
  const age = seconds(now) - issued
  return age >= -SKEW_S && age < ttlDays * 86_400
}

const channelLetter: Partial<Record<ChannelName, string>> = { telegram: 't', zalo: 'z', zalo_oa: 'o' }
const letterChannel = Object.fromEntries(Object.entries(channelLetter).map(([c, l]) => [l, c])) as Record<string, ChannelName>

export type PersonalClaim = { personId: number; issued: number; channel: ChannelName }

/**
 * The token of a personal link sent to one of the person's chats: `<personId>.<issued><channel
 * letter>.<tag>`, the tag an HMAC of the slug, the person, the time and the channel, so a token
 * opens only its own item for only its own person. Undefined for a channel that sends no links.
 */
export async function personalToken(key: CryptoKey, slug: string, personId: number, channel: ChannelName, now: Date): Promise<string | undefined> {
  const letter = channelLetter[channel]
  if (!letter) return undefined
  const issued = seconds(now)
  return `${personId}.${issued}${letter}.${await mac(key, `link:${slug}:${personId}:${issued}:${letter}`)}`
}

/**
 * What a personal token claims, or null when it was not made by us for this slug. Tokens of the
 * older form `<personId>.<tag>` (no issue time) are not accepted any more.
 */
export async function verifyPersonalToken(key: CryptoKey, slug: string, token: string | undefined | null): Promise<PersonalClaim | null> {
  const m = token ? /^(\d{1,12})\.(\d{1,12})([tzo])\.([A-Za-z0-9_-]{22})$/.exec(token) : null
  if (!m) return null
  const [, person, issued, letter, tag] = m
  if (!equalStrings(await mac(key, `link:${slug}:${person}:${issued}:${letter}`), tag!)) return null
  return { personId: Number(person), issued: Number(issued), channel: letterChannel[letter!]! }
}

/**
 * Whether a genuine personal link still works: within its life, and while the person still has,
 * on the link's messenger, the chat that was linked when the link was made. Unlinking that chat
 * (by an admin, by its owner, or by linking another chat of the messenger) or erasing the person
 * ends every link sent to it.
 */
export async function personalLinkLive(db: Db, claim: PersonalClaim, now: Date, ttlDays: number): Promise<boolean> {
  if (!withinLife(claim.issued, now, ttlDays)) return false
  const [chat] = await db
    .select({ id: chatLinks.id })
    .from(chatLinks)
    .where(and(eq(chatLinks.personId, claim.personId), eq(chatLinks.channel, claim.channel), lte(chatLinks.linkedAt, new Date(claim.issued * 1000))))
    .limit(1)
  return chat !== undefined
}

export type SubscriberClaim = { subscriberId: number; issued: number; channel: ChannelName }

/**
 * The token of a personal link sent to a subscriber's chat (a poll to a ward): `s<subscriberId>.<issued>
 * <channel letter>.<tag>`, its MAC naming the slug and "sub", so it never stands for a person of the
 * directory nor opens another item. Undefined for a channel that sends no links.
 */
export async function subscriberToken(key: CryptoKey, slug: string, subscriberId: number, channel: ChannelName, now: Date): Promise<string | undefined> {
  const letter = channelLetter[channel]
  if (!letter) return undefined
  const issued = seconds(now)
  return `s${subscriberId}.${issued}${letter}.${await mac(key, `sub:${slug}:${subscriberId}:${issued}:${letter}`)}`
}

/** What a subscriber's link token claims, or null when it was not made by us for this slug. */
export async function verifySubscriberToken(key: CryptoKey, slug: string, token: string | undefined | null): Promise<SubscriberClaim | null> {
  const m = token ? /^s(\d{1,12})\.(\d{1,12})([tzo])\.([A-Za-z0-9_-]{22})$/.exec(token) : null
  if (!m) return null
  const [, id, issued, letter, tag] = m
  if (!equalStrings(await mac(key, `sub:${slug}:${id}:${issued}:${letter}`), tag!)) return null
  return { subscriberId: Number(id), issued: Number(issued), channel: letterChannel[letter!]! }
}

/** The value of the cookie that remembers an identified phone: `<personId>.<issued>.<tag>`. */
export async function rememberToken(key: CryptoKey, personId: number, now: Date): Promise<string> {
  const issued = seconds(now)
  return `${personId}.${issued}.${await mac(key, `who:${personId}:${issued}`)}`
}

/** The person a remembered-phone cookie names, or null when it is not ours or older than `ttlDays`. */
export async function verifyRememberToken(key: CryptoKey, token: string | undefined | null, now: Date, ttlDays: number): Promise<number | null> {
  const m = token ? /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token) : null
  if (!m || !withinLife(Number(m[2]), now, ttlDays)) return null
  return equalStrings(await mac(key, `who:${m[1]}:${m[2]}`), m[3]!) ? Number(m[1]) : null
}

const DEVICE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789abcdefghijkmnopqrstuvwxyz'

/**
 * The id the server gives a phone on the identify form, for its own limit of wrong codes:
 * `<random id>.<tag>`. A phone cannot choose it (a made-up one fails the tag), so it cannot spread
 * its wrong codes over ids it invents; it can only drop it, and is then counted by its address.
 */
export async function newDeviceToken(key: CryptoKey): Promise<{ id: string; token: string }> {
  const id = randomString(22, DEVICE_ALPHABET)
  return { id, token: `${id}.${await mac(key, `dev:${id}`)}` }
}

/** The device id a phone's cookie carries, or null when the server did not issue it. */
export async function verifyDeviceToken(key: CryptoKey, token: string | undefined | null): Promise<string | null> {
  const m = token ? /^([A-Za-z0-9]{22})\.([A-Za-z0-9_-]{22})$/.exec(token) : null
  if (!m) return null
  return equalStrings(await mac(key, `dev:${m[1]}`), m[2]!) ? m[1]! : null
}

const SECRET_KEY = 'web_link_secret'
const keyCache = new WeakMap<Db, CryptoKey>()

/**
 * The HMAC key of personal links and of the remembered-person cookie: WEB_LINK_SECRET when set,
 * otherwise 32 random bytes made once and kept in `settings`, so every process and isolate on the
 * same database signs alike.
 */
export async function signingKey(db: Db, configured: string | undefined): Promise<CryptoKey> {
  const hit = keyCache.get(db)
  if (hit) return hit
  let secret = configured
  if (!secret) {
    await db.insert(settings).values({ key: SECRET_KEY, value: randomString(43, SLUG_ALPHABET + 'abcdefghijkmnopqrstuvwxyz') }).onConflictDoNothing()
    const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, SECRET_KEY)).limit(1)
    secret = row!.value
  }
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
  keyCache.set(db, key)
  return key
}
