import { and, eq, ne, sql, type SQL } from 'drizzle-orm'
import { broadcasts, products, units, type ProductKind, type ProductRow, type ProductStatus } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { atomic } from '#db/atomic.js'
import { randomString } from '#src/crypto.js'
import { AppError } from '#src/errors.js'
import { zonedTime } from '#src/time.js'
import { exactText, fold, searchColumns } from './fold.js'
import type { ProductCreate, ProductPatch } from './schemas.js'

/** A catalogue entry as the domain hands it out: the row without its search columns, with its owner unit's code. */
export type Product = Omit<ProductRow, 'searchExact' | 'searchFolded'> & { ownerUnitCode: string | null }

/** Who looks: `public` (published public entries), `staff` (also internal ones), `editor` (also drafts, scheduled and, asked for, archived). */
export type Visibility = 'public' | 'staff' | 'editor'

/** Filters shared by the list and the search. */
export interface ProductFilters {
  visibility: Visibility
  kind?: ProductKind
  /** A tag, or an alias of one ("nq71"). */
  tag?: string
  /** Published in this local year (APP_TIMEZONE). */
  year?: number
  status?: ProductStatus
  countsTowardTarget?: boolean
  limit?: number
  offset?: number
  /** What "now" is for scheduled entries; the clock of the caller. */
  now?: Date
  timeZone?: string
}

const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh'
const sec = (d: Date) => Math.floor(d.getTime() / 1000)

/** `faq` and `correction` are not products of the plan's target unless an editor says so. */
export const countsByDefault = (kind: ProductKind): boolean => kind !== 'faq' && kind !== 'correction'

/** The SQL conditions on `p` (products) for the filters; `tag` is already resolved from its alias. */
export function filterConditions(f: ProductFilters, tag: string | undefined): SQL {
  const now = sec(f.now ?? new Date())
  const parts: SQL[] = []
  if (f.visibility === 'public') parts.push(sql`p.status = 'published' and p.audience = 'public' and p.published_at <= ${now}`)
  else if (f.visibility === 'staff') parts.push(sql`p.status = 'published' and p.published_at <= ${now}`)
  else if (!f.status) parts.push(sql`p.status <> 'archived'`)
  if (f.status) parts.push(sql`p.status = ${f.status}`)
  if (f.kind) parts.push(sql`p.kind = ${f.kind}`)
  if (tag !== undefined) parts.push(sql`exists (select 1 from json_each(p.tags) j where j.value = ${tag})`)
  if (f.year !== undefined) {
    const tz = f.timeZone ?? DEFAULT_TIME_ZONE
    const from = sec(zonedTime(`${f.year}-01-01`, '00:00', tz))
    const to = sec(zonedTime(`${f.year + 1}-01-01`, '00:00', tz))
    parts.push(sql`p.published_at >= ${from} and p.published_at < ${to}`)
  }
  if (f.countsTowardTarget !== undefined) parts.push(sql`p.counts_toward_target = ${f.countsTowardTarget ? 1 : 0}`)
  return parts.length === 0 ? sql`1 = 1` : sql.join(parts, sql` and `)
}

/** The columns every listing reads, in the order `productFromRaw` maps them. */
export const productColumns = sql.raw(
  'p.id, p.kind, p.title, p.summary, p.body, p.link, p.image_url, p.tags, p.audience, p.owner_unit_id, u.code as owner_unit_code, ' +
    'p.published_at, p.status, p.counts_toward_target, p.auto_answer, p.slug, p.created_by, p.created_at, p.updated_at',
)

export type RawProduct = Record<string, unknown>

const dateOf = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v) * 1000))

/** A row of `select ${productColumns} from products p left join units u …` as a Product. */
export function productFromRaw(r: RawProduct): Product {
  return {
    id: Number(r.id),
    kind: r.kind as ProductKind,
    title: String(r.title),
    summary: String(r.summary ?? ''),
    body: String(r.body ?? ''),
    link: (r.link as string | null) ?? null,
    imageUrl: (r.image_url as string | null) ?? null,
    tags: JSON.parse(String(r.tags ?? '[]')) as string[],
    audience: r.audience as Product['audience'],
    ownerUnitId: r.owner_unit_id === null ? null : Number(r.owner_unit_id),
    ownerUnitCode: (r.owner_unit_code as string | null) ?? null,
    publishedAt: dateOf(r.published_at),
    status: r.status as ProductStatus,
    countsTowardTarget: Boolean(r.counts_toward_target),
    autoAnswer: Boolean(r.auto_answer),
    slug: String(r.slug),
    createdBy: r.created_by === null ? null : Number(r.created_by),
    createdAt: dateOf(r.created_at) ?? new Date(0),
    updatedAt: dateOf(r.updated_at) ?? new Date(0),
  }
}

/** Newest first (published, else made), with the filters: the library with no query. */
export async function listProducts(db: Db, f: ProductFilters, tag: string | undefined): Promise<Product[]> {
  const rows = await db.all<RawProduct>(sql`
    select ${productColumns} from products p left join units u on u.id = p.owner_unit_id
    where ${filterConditions(f, tag)}
    order by coalesce(p.published_at, p.created_at) desc, p.id desc
    limit ${f.limit ?? 20} offset ${f.offset ?? 0}`)
  return rows.map(productFromRaw)
}

async function oneWhere(db: Db, where: SQL): Promise<Product | undefined> {
  const [row] = await db.all<RawProduct>(sql`select ${productColumns} from products p left join units u on u.id = p.owner_unit_id where ${where} limit 1`)
  return row ? productFromRaw(row) : undefined
}

/** One entry by id, whatever its status (callers check who may see it). */
export const getProduct = (db: Db, id: number) => oneWhere(db, sql`p.id = ${id}`)
/** One entry by its slug, whatever its status. */
export const getProductBySlug = (db: Db, slug: string) => oneWhere(db, sql`p.slug = ${slug}`)

async function mustGet(db: Db, id: number): Promise<Product> {
  const p = await getProduct(db, id)
  if (!p) throw new AppError('not_found', 'library.errors.notFound', { id: String(id) })
  return p
}

async function unitIdOf(db: Db, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined) return undefined
  if (code === null) return null
  const [u] = await db.select({ id: units.id }).from(units).where(eq(units.code, code)).limit(1)
  if (!u) throw new AppError('unprocessable', 'library.errors.unknownUnit', { code })
  return u.id
}

/** A readable slug from the title: folded words joined by hyphens, at most 60 characters ("duong-den-truong-an-toan"). */
export function slugFrom(title: string): string {
  const words = fold(title).match(/[a-z0-9]+/g) ?? []
  let slug = ''
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w
    if (next.length > 60) break
    slug = next
  }
  return slug || 'san-pham'
}

/** `published` when a date is given and not ahead, else `draft`; an entry published without a date is published now. */
function settleStatus(status: ProductStatus | undefined, publishedAt: Date | null, now: Date): { status: ProductStatus; publishedAt: Date | null } {
  const s = status ?? (publishedAt && publishedAt <= now ? 'published' : 'draft')
  return { status: s, publishedAt: s === 'published' && !publishedAt ? now : publishedAt }
}

const dateInput = (v: string | null | undefined): Date | null | undefined => (v === undefined ? undefined : v === null ? null : new Date(v))
const cleanTags = (tags: readonly string[]) => [...new Set(tags.map((t) => exactText(t.trim())))]

/** Adds an entry (defaults in `productCreateSchema`); the FTS index follows by trigger. */
export async function createProduct(db: Db, input: ProductCreate, opts: { now: Date; createdBy: number | null }): Promise<Product> {
  if (input.autoAnswer && input.kind !== 'faq') throw new AppError('unprocessable', 'library.errors.autoAnswerFaqOnly')
  const ownerUnitId = (await unitIdOf(db, input.ownerUnitCode)) ?? null
  const settled = settleStatus(input.status, dateInput(input.publishedAt) ?? null, opts.now)
  const tags = cleanTags(input.tags ?? [])
  const values = {
    kind: input.kind,
    title: exactText(input.title),
    summary: exactText(input.summary ?? ''),
    body: exactText(input.body ?? ''),
    link: input.link ?? null,
    imageUrl: input.imageUrl ?? null,
    tags,
    audience: input.audience ?? 'internal',
    ownerUnitId,
    ...settled,
    countsTowardTarget: input.countsTowardTarget ?? countsByDefault(input.kind),
    autoAnswer: input.autoAnswer ?? false,
    createdBy: opts.createdBy,
    createdAt: opts.now,
    updatedAt: opts.now,
    ...searchColumns({ title: input.title, summary: input.summary, body: input.body, tags }),
  }
  const base = input.slug ?? slugFrom(input.title)
  const candidates = input.slug ? [base] : [base, ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${base}-${n}`), `${base}-${randomString(5, 'abcdefghjkmnpqrstuvwxyz23456789')}`]
  for (const slug of candidates) {
    const [row] = await db.insert(products).values({ ...values, slug }).onConflictDoNothing({ target: products.slug }).returning({ id: products.id })
    if (row) return mustGet(db, row.id)
  }
  throw new AppError('conflict', 'library.errors.slugTaken', { slug: base })
}

/** Changes an entry: only the fields given; the search columns (and so the index) are rewritten with it. */
export async function updateProduct(db: Db, id: number, patch: ProductPatch, opts: { now: Date }): Promise<Product> {
  const old = await mustGet(db, id)
  const kind = patch.kind ?? old.kind
  const autoAnswer = patch.autoAnswer ?? old.autoAnswer
  if (autoAnswer && kind !== 'faq') throw new AppError('unprocessable', 'library.errors.autoAnswerFaqOnly')
  if (patch.slug && patch.slug !== old.slug) {
    const [taken] = await db.select({ id: products.id }).from(products).where(and(eq(products.slug, patch.slug), ne(products.id, id))).limit(1)
    if (taken) throw new AppError('conflict', 'library.errors.slugTaken', { slug: patch.slug })
  }
  const ownerUnitId = await unitIdOf(db, patch.ownerUnitCode)
  const publishedAt = dateInput(patch.publishedAt)
  // A draft given a date not ahead becomes published, as a new entry would.
  const askedStatus = patch.status ?? (publishedAt && old.status === 'draft' ? undefined : old.status)
  const settled = settleStatus(askedStatus, publishedAt === undefined ? old.publishedAt : publishedAt, opts.now)
  const next = {
    title: patch.title === undefined ? old.title : exactText(patch.title),
    summary: patch.summary === undefined ? old.summary : exactText(patch.summary),
    body: patch.body === undefined ? old.body : exactText(patch.body),
    tags: patch.tags === undefined ? old.tags : cleanTags(patch.tags),
  }
  await db
    .update(products)
    .set({
      kind,
      ...next,
      link: patch.link === undefined ? old.link : patch.link,
      imageUrl: patch.imageUrl === undefined ? old.imageUrl : patch.imageUrl,
      audience: patch.audience ?? old.audience,
      ownerUnitId: ownerUnitId === undefined ? old.ownerUnitId : ownerUnitId,
      ...settled,
      countsTowardTarget: patch.countsTowardTarget ?? old.countsTowardTarget,
      autoAnswer,
      slug: patch.slug ?? old.slug,
      updatedAt: opts.now,
      ...searchColumns(next),
    })
    .where(eq(products.id, id))
  return mustGet(db, id)
}

/** Removes an entry (its index row goes by trigger); broadcasts that carried it keep their text and lose the link. */
export async function deleteProduct(db: Db, id: number): Promise<Product> {
  const old = await mustGet(db, id)
  await atomic(db, [db.update(broadcasts).set({ productId: null }).where(eq(broadcasts.productId, id)), db.delete(products).where(eq(products.id, id))])
  return old
}

/** The entry as the API shows it: dates in ISO, and whether it is scheduled (published, date ahead). */
export function presentProduct(p: Product, now: Date) {
  return {
    id: p.id,
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    body: p.body,
    link: p.link,
    imageUrl: p.imageUrl,
    tags: p.tags,
    audience: p.audience,
    ownerUnitCode: p.ownerUnitCode,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    status: p.status,
    scheduled: p.status === 'published' && p.publishedAt !== null && p.publishedAt > now,
    countsTowardTarget: p.countsTowardTarget,
    autoAnswer: p.autoAnswer,
    slug: p.slug,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}
