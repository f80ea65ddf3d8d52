import { and, eq, isNull, sql } from 'drizzle-orm'
import { broadcasts, products, type ProductKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '#src/errors.js'
import { createProduct, getProduct, type Product } from './products.js'
import type { ProductCreate } from './schemas.js'

const sec = (d: Date) => Math.floor(d.getTime() / 1000)

/** What a broadcast is made of, as far as the library is concerned. */
interface Carrier {
  id: number
  kind: 'brief' | 'announcement' | 'digital_product'
  title: string
  body: string
  link: string | null
  imageUrl: string | null
  scheduledAt: Date
  expandedAt: Date | null
  status: string
  productId: number | null
}

/** 422 unless the product exists: checked before a broadcast that names it is written. */
export async function mustBeProduct(db: Db, id: number): Promise<Product> {
  const p = await getProduct(db, id)
  if (!p) throw new AppError('unprocessable', 'library.errors.noProduct', { id: String(id) })
  return p
}

/**
 * After a broadcast is saved: a broadcast carrying a product publishes it (a draft entry becomes
 * published at the broadcast's time); a digital product sent without one becomes a catalogue entry
 * (kind `brief`, internal, published at its time) linked to it, so the products target counts it.
 */
export async function carryProduct(db: Db, b: Carrier, opts: { now: Date; createdBy: number | null }): Promise<number | null> {
  if (b.productId !== null) {
    await db
      .update(products)
      .set({ status: 'published', publishedAt: b.scheduledAt, updatedAt: opts.now })
      .where(and(eq(products.id, b.productId), eq(products.status, 'draft')))
    return b.productId
  }
  if (b.kind !== 'digital_product') return null
  const p = await createProduct(db, entryFrom(b, { status: 'published', publishedAt: b.scheduledAt.toISOString() }), opts)
  await db.update(broadcasts).set({ productId: p.id }).where(eq(broadcasts.id, b.id))
  return p.id
}

/**
 * After a broadcast is cancelled: an entry that only cancelled broadcasts carried, whose date has
 * not come, goes back to draft (it was never published).
 */
export async function uncarryProduct(db: Db, productId: number | null, now: Date): Promise<void> {
  if (productId === null) return
  await db.run(sql`
    update products set status = 'draft', updated_at = ${sec(now)}
    where id = ${productId} and status = 'published' and published_at > ${sec(now)}
      and not exists (select 1 from broadcasts b where b.product_id = ${productId} and b.status <> 'cancelled')`)
}

/** A catalogue entry's fields from a broadcast's text. */
function entryFrom(b: Carrier, extra: Partial<ProductCreate>): ProductCreate {
  return {
    kind: 'brief',
    title: b.title.slice(0, 300),
    body: b.body.slice(0, 50_000),
    link: b.link,
    imageUrl: b.imageUrl?.startsWith('https://') ? b.imageUrl : null,
    audience: 'internal',
    ...extra,
  }
}

/**
 * POST /api/broadcasts/:id/product: an entry made from a broadcast, linked to it. A broadcast that
 * went out gives a published entry at its send time, one not yet out a draft. 409 when the
 * broadcast already carries an entry.
 */
export async function productFromBroadcast(
  db: Db,
  b: Carrier,
  input: { kind?: ProductKind; audience?: 'internal' | 'public'; tags?: string[] },
  opts: { now: Date; createdBy: number | null },
): Promise<Product> {
  if (b.productId !== null) throw new AppError('conflict', 'library.errors.alreadyLinked', { id: String(b.id), productId: String(b.productId) })
  const sent = b.expandedAt !== null && b.status !== 'cancelled' && b.status !== 'draft'
  const p = await createProduct(
    db,
    entryFrom(b, { ...input, kind: input.kind ?? 'brief', ...(sent ? { status: 'published', publishedAt: b.scheduledAt.toISOString() } : { status: 'draft' }) }),
    opts,
  )
  const [linked] = await db.update(broadcasts).set({ productId: p.id }).where(and(eq(broadcasts.id, b.id), isNull(broadcasts.productId))).returning({ id: broadcasts.id })
  if (!linked) {
    // Another request linked it first: this entry goes again.
    await db.delete(products).where(eq(products.id, p.id))
    throw new AppError('conflict', 'library.errors.alreadyLinked', { id: String(b.id), productId: '' })
  }
  return p
}

/**
 * The text of a brief that carries an entry (POST /api/library/:id/broadcast): its title, its
 * summary then body (a body is needed: the title if neither), its link or its public page.
 */
export function briefFromProduct(p: Product, publicUrl: string | undefined, maxBody: number): { title: string; body: string; link?: string; imageUrl?: string } {
  const text = [p.summary, p.body].filter((s) => s.trim() !== '').join('\n\n') || p.title
  const page = p.audience === 'public' && publicUrl ? `${publicUrl}/thu-vien/${p.slug}` : undefined
  const link = p.link ?? page
  return {
    title: p.title.slice(0, 200),
    body: text.slice(0, maxBody),
    ...(link ? { link } : {}),
    ...(p.imageUrl?.startsWith('https://') ? { imageUrl: p.imageUrl } : {}),
  }
}
