import { and, count, eq } from 'drizzle-orm'
import { units, webOpens } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { getProductBySlug, type Product } from './products.js'

/** The lists the pages' selects offer (the web layer reads no schema values). */
export { productAudiences, productKinds, productStatuses } from '#db/schema/index.js'

/** What the library's web pages (the console's /admin/library and the public /thu-vien) need beside the catalogue's own functions. */

/** Whether anyone may see an entry: published, public, and its date reached (a draft, an internal or a scheduled entry is not). */
export const isPublicNow = (p: Product, now: Date): boolean => p.status === 'published' && p.audience === 'public' && p.publishedAt !== null && p.publishedAt <= now

/** A public entry by its slug, with its owner unit's name; undefined for anything an anonymous visitor may not see (a leaked link). */
export async function publicProduct(db: Db, slug: string, now: Date): Promise<(Product & { ownerUnitName: string | null }) | undefined> {
  const p = /^[a-z0-9-]{1,80}$/.test(slug) ? await getProductBySlug(db, slug) : undefined
  if (!p || !isPublicNow(p, now)) return undefined
  const [unit] = p.ownerUnitId === null ? [] : await db.select({ name: units.name }).from(units).where(eq(units.id, p.ownerUnitId)).limit(1)
  return { ...p, ownerUnitName: unit?.name ?? null }
}

/** How many times an entry's public page was opened (rows of `web_opens`, kind `product`). */
export async function productOpens(db: Db, productId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(webOpens).where(and(eq(webOpens.kind, 'product'), eq(webOpens.itemId, productId)))
  return row?.n ?? 0
}
