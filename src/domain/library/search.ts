import { inArray, sql, type SQL } from 'drizzle-orm'
import { tagAliases } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { aliasCandidates, aliasKey, exactText, matchExpression } from './fold.js'
import { filterConditions, listProducts, productColumns, productFromRaw, type Product, type ProductFilters, type RawProduct } from './products.js'

/** An entry found, with its relevance (higher is better; null for the newest-first list of an empty query). */
export type ProductHit = Product & { score: number | null }

/** The tags of the aliases among `keys`. */
async function aliasesFor(db: Db, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const rows = await db.select({ alias: tagAliases.alias, tag: tagAliases.tag }).from(tagAliases).where(inArray(tagAliases.alias, [...keys]))
  return new Map(rows.map((r) => [r.alias, r.tag]))
}

/** A tag filter as typed: an alias ("nq71") is its tag, anything else the tag itself (NFC). */
async function resolveTag(db: Db, tag: string | undefined): Promise<string | undefined> {
  if (tag === undefined || tag.trim() === '') return undefined
  const key = aliasKey(tag)
  const aliases = key ? await aliasesFor(db, [key]) : new Map<string, string>()
  return aliases.get(key) ?? exactText(tag.trim())
}

/**
 * The ranked query. `cross join` keeps the FTS5 match as the outer loop: left to itself SQLite's
 * planner walks the published entries and runs one FTS5 query per entry (1.4 s on 2,000 entries
 * instead of a few ms); test/integration/library-search.test.ts checks the plan.
 */
export function searchSql(match: string, f: ProductFilters, tag: string | undefined): SQL {
  return sql`
    select ${productColumns}, s.rank as rank
    from (select rowid as id, bm25(product_search, 10.0, 1.0) as rank from product_search where product_search match ${match}) s
    cross join products p on p.id = s.id
    left join units u on u.id = p.owner_unit_id
    where ${filterConditions(f, tag)}
    order by s.rank, coalesce(p.published_at, p.created_at) desc, p.id desc
    limit ${f.limit ?? 20} offset ${f.offset ?? 0}`
}

/**
 * The library searched as people type (issue 22, research 3.4): the FTS5 table `product_search`
 * matched on `{exact}:(q) OR {folded}:(fold(q))`, ranked by `bm25(product_search, 10.0, 1.0)`, so a
 * query typed with its marks ("đường") finds the entries that carry them first and their folded
 * neighbours ("dương", "đương", "dưỡng") after; a query without marks ("duong") finds them all.
 * Tag aliases are expanded ("nq71" → "Nghị quyết 71"); typed text never reaches FTS5 as syntax. A
 * query with no letter or digit is the newest-first list. Ties go to the newest.
 */
export async function searchProducts(db: Db, q: string, opts: ProductFilters): Promise<ProductHit[]> {
  const f = { ...opts, limit: Math.min(Math.max(1, opts.limit ?? 20), 100) }
  const [tag, aliases] = await Promise.all([resolveTag(db, f.tag), aliasesFor(db, aliasCandidates(q))])
  const match = matchExpression(q, aliases)
  if (!match) return (await listProducts(db, f, tag)).map((p) => ({ ...p, score: null }))
  const rows = await db.all<RawProduct & { rank: number }>(searchSql(match, f, tag))
  return rows.map((r) => ({ ...productFromRaw(r), score: Math.round(-Number(r.rank) * 1e6) / 1e6 }))
}
