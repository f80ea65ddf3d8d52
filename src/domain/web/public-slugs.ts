import { and, eq } from 'drizzle-orm'
import { publicLinks, type PublicItemKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { randomString } from '../../crypto.js'

/**
 * Public links: every broadcast, quiz and session gets a short random slug on PUBLIC_URL
 * (/b/<slug>, /q/<slug>, /s/<slug>). Slugs are random, not the item's id, so links cannot be
 * walked; six characters of a 31-letter alphabet (no 0/O, 1/I/L) are some 887 million.
 */
export const SLUG_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const SLUG_LENGTH = 6
export const pathPrefix: Record<PublicItemKind, 'b' | 'q' | 's' | 't'> = { broadcast: 'b', quiz: 'q', session: 's', poll: 't' }

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
