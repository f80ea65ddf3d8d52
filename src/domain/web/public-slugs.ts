import { and, eq } from 'drizzle-orm'
import { publicLinks, settings, webOpens, type PublicItemKind } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { randomString } from '../../crypto.js'

/**
 * Public links: every broadcast, quiz and session gets a short random slug on PUBLIC_URL
 * (/b/<slug>, /q/<slug>, /s/<slug>). Slugs are random, not the item's id, so links cannot be
 * walked; six characters of a 31-letter alphabet (no 0/O, 1/I/L) are some 887 million.
 */
const SLUG_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const SLUG_LENGTH = 6
export const pathPrefix: Record<PublicItemKind, 'b' | 'q' | 's'> = { broadcast: 'b', quiz: 'q', session: 's' }

export function isSlug(text: string): boolean {
  if (text.length !== SLUG_LENGTH) return false
  for (const ch of text) if (!SLUG_ALPHABET.includes(ch)) return false
  return true
}

/** Slugs never change once made, so they are kept in memory per database. */
const slugCache = new WeakMap<Db, Map<string, string>>()
const itemCache = new WeakMap<Db, Map<string, { kind: PublicItemKind; itemId: number }>>()
function cacheOf<V>(map: WeakMap<Db, Map<string, V>>, db: Db) {
  let m = map.get(db)
  if (!m) map.set(db, (m = new Map()))
  if (m.size > 5000) m.clear()
  return m
}

/** The item's slug, made on first use (creation, an API answer, a message that carries the link). */
export async function ensurePublicLink(db: Db, kind: PublicItemKind, itemId: number, now: Date): Promise<string> {
  const cache = cacheOf(slugCache, db)
  const hit = cache.get(`${kind}:${itemId}`)
  if (hit) return hit
  for (let attempt = 0; attempt < 10; attempt++) {
    const [existing] = await db
      .select({ slug: publicLinks.slug })
      .from(publicLinks)
      .where(and(eq(publicLinks.kind, kind), eq(publicLinks.itemId, itemId)))
      .limit(1)
    if (existing) {
      cache.set(`${kind}:${itemId}`, existing.slug)
      return existing.slug
    }
    // A taken slug or a racing request for the same item: both end in the select above.
    await db.insert(publicLinks).values({ slug: randomString(SLUG_LENGTH, SLUG_ALPHABET), kind, itemId, createdAt: now }).onConflictDoNothing()
  }
  throw new Error(`no free public slug for ${kind} ${itemId}`)
}

/** What a slug opens, or undefined for a slug that was never made. */
export async function findPublicLink(db: Db, slug: string): Promise<{ kind: PublicItemKind; itemId: number } | undefined> {
  if (!isSlug(slug)) return undefined
  const cache = cacheOf(itemCache, db)
  const hit = cache.get(slug)
  if (hit) return hit
  const [row] = await db.select({ kind: publicLinks.kind, itemId: publicLinks.itemId }).from(publicLinks).where(eq(publicLinks.slug, slug)).limit(1)
  if (row) cache.set(slug, row)
  return row
}

/** The absolute URL of an item's page: `${base}/b/<slug>`. */
export function publicPath(kind: PublicItemKind, slug: string): string {
  return `/${pathPrefix[kind]}/${slug}`
}

/** One "opened" event. `personId` only when the reader had identified; an anonymous open keeps nothing else. */
export async function recordOpen(db: Db, kind: PublicItemKind, itemId: number, personId: number | null, now: Date): Promise<void> {
  await db.insert(webOpens).values({ kind, itemId, personId, openedAt: now })
}

export interface OpenRecorder {
  /** Keeps one "opened" event, to be written with the next batch. */
  record(kind: PublicItemKind, itemId: number, personId: number | null, now: Date): void
  /** Writes what is kept (each second, and at shutdown before the database closes). */
  flush(): Promise<void>
  stop(): Promise<void>
}

/**
 * "Opened" events written in batches, for a long-lived server (Node): a brief pasted into school
 * groups is opened by hundreds of phones a minute, and one multi-row insert a second costs far
 * less than a row and a commit (an fsync) per page. The trade-off: a crash loses at most the last
 * second's opens, which are counts, never something a reader was told was recorded. Workers write
 * each open directly (`recordOpen`): an isolate may end before any timer runs.
 */
export function bufferedOpens(db: Db, onError: (err: unknown) => void, everyMs = 1000): OpenRecorder {
  let rows: (typeof webOpens.$inferInsert)[] = []
  const flush = async () => {
    const batch = rows
    rows = []
    // 4 values a row: 500 rows stay far below SQLite's limit on bound variables.
    for (let i = 0; i < batch.length; i += 500) await db.insert(webOpens).values(batch.slice(i, i + 500))
  }
  const safeFlush = () => flush().catch(onError)
  const timer = setInterval(() => void safeFlush(), everyMs)
  ;(timer as { unref?: () => void }).unref?.()
  return {
    record(kind, itemId, personId, now) {
      rows.push({ kind, itemId, personId, openedAt: now })
      if (rows.length >= 20_000) void safeFlush()
    },
    flush,
    async stop() {
      clearInterval(timer)
      await flush()
    },
  }
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
