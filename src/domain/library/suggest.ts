import { sql } from 'drizzle-orm'
import type { Db } from '#db/types.js'
import { fold, queryTokens } from './fold.js'
import { filterConditions, productColumns, productFromRaw, type Product, type RawProduct, type Visibility } from './products.js'

/**
 * Matching a question as people write it (a sentence, with or without marks) against the library:
 * the suggested answers of the questions inbox and the automatic FAQ answers (issue 22, research
 * 7.4 tier 0). Unlike the library search (every word must match), a question is matched on ANY of
 * its key words: the words that only make it a question ("cho em hỏi", "khi nào", "có … không") are
 * dropped, each remaining word and each pair of neighbouring words (Vietnamese compounds are two
 * syllables: "tuyển sinh", "giáo viên") is an alternative, and FTS5's bm25 ranks the entries that
 * hold more, and rarer, of them first.
 */

/** Words that make a sentence a question or a request, not what it is about (exact forms). */
const STOP_EXACT = [
  ...['cho', 'em', 'chị', 'thầy', 'cô', 'tôi', 'mình', 'chúng', 'ta', 'bạn', 'ạ', 'à', 'ơi', 'nhé', 'nha', 'vậy', 'thế', 'nào', 'gì', 'sao'],
  ...['hỏi', 'xin', 'vui', 'lòng', 'là', 'có', 'không', 'được', 'thì', 'và', 'hay', 'hoặc', 'của', 'các', 'những', 'một', 'này', 'đó', 'kia'],
  ...['khi', 'bao', 'giờ', 'nhiêu', 'ở', 'đâu', 'ai', 'nên', 'cần', 'phải', 'đã', 'đang', 'sẽ', 'với', 'về', 'để', 'trong', 'từ', 'đến', 'tới'],
  ...['như', 'làm', 'sở', 'ra', 'mà', 'nếu', 'thế', 'nữa', 'rồi', 'chưa', 'bị', 'theo', 'vào', 'lúc', 'muốn', 'biết', 'giúp', 'ạh'],
]
const STOP_EXACT_SET = new Set(STOP_EXACT)
/**
 * Folded forms that are also words a question is about ("thi" is "thì" and "thi" an exam; "bao" is
 * "bao giờ" and "báo cáo"; "dang" is "đang" and "đăng ký"…): typed without marks, they are kept.
 */
const AMBIGUOUS_FOLDED = new Set(['thi', 'tu', 'do', 'bao', 'dang', 'can', 'dau', 'chung', 'ban', 'de', 'so', 'the', 'chi', 'thay', 'hoi', 've', 'den'])
/** The same words folded, for a question typed without marks: only a word typed without any mark is checked against these. */
const STOP_FOLDED_SET = new Set(STOP_EXACT.map(fold).filter((w) => !AMBIGUOUS_FOLDED.has(w)))

const MAX_TERMS = 12
const CANDIDATES = 20

/** The key words of a question, folded, in their order (repeats kept out): what the match and the coverage use. */
export function questionTerms(q: string): string[] {
  const out: string[] = []
  for (const w of queryTokens(q.slice(0, 2000))) {
    const f = fold(w)
    // A word typed without marks could be any word that folds to it: only the unambiguous are dropped.
    const stop = f === w ? STOP_FOLDED_SET.has(f) : STOP_EXACT_SET.has(w)
    if (!stop && !out.includes(f)) out.push(f)
  }
  return out.slice(0, MAX_TERMS)
}

const phrase = (words: string): string => `"${words.replace(/"/g, '""')}"`

/** The FTS5 expression: `{folded}:("w1" OR "w2" OR "w1 w2" …)`; empty when the question has no key word. */
export function suggestMatch(terms: readonly string[]): string {
  if (terms.length === 0) return ''
  const pairs = terms.slice(1).map((t, i) => `${terms[i]} ${t}`)
  return `{folded}:(${[...terms, ...pairs].map(phrase).join(' OR ')})`
}

/** The share (0–1) of the question's key words found in `text` (folded words). */
export function coverage(terms: readonly string[], text: string): number {
  if (terms.length === 0) return 0
  const words = new Set(fold(text).match(/[\p{L}\p{N}]+/gu) ?? [])
  return terms.filter((t) => words.has(t)).length / terms.length
}

/** An entry matching a question: its bm25 relevance (higher is better) and the share of the question's key words it holds. */
export interface ProductMatch {
  product: Product
  score: number
  coverage: number
}

/**
 * The published entries best matching a question, for who asks (`public`: public entries only;
 * `staff`: internal ones too), best first: the share of the question's key words they hold, then
 * bm25 (which alone, on a small library where every entry holds the common words, favours the
 * shortest). The 20 best by bm25 are weighed. `kind` narrows to one kind.
 */
export async function matchProducts(
  db: Db,
  question: string,
  opts: { visibility: Exclude<Visibility, 'editor'>; now: Date; limit?: number; kind?: Product['kind'] },
): Promise<ProductMatch[]> {
  const terms = questionTerms(question)
  const match = suggestMatch(terms)
  if (!match) return []
  const where = filterConditions({ visibility: opts.visibility, now: opts.now, kind: opts.kind }, undefined)
  const rows = await db.all<RawProduct & { rank: number }>(sql`
    with s as materialized (select rowid as id, bm25(product_search, 1.0, 1.0) as rank from product_search where product_search match ${match})
    select ${productColumns}, s.rank as rank
    from s join products p on p.id = s.id
    left join units u on u.id = p.owner_unit_id
    where ${where}
    order by s.rank, coalesce(p.published_at, p.created_at) desc, p.id desc
    limit ${CANDIDATES}`)
  const matches = rows.map((r) => {
    const product = productFromRaw(r)
    const text = [product.title, product.tags.join(' '), product.summary, product.body].join('\n')
    return { product, score: Math.round(-Number(r.rank) * 1e6) / 1e6, coverage: coverage(terms, text) }
  })
  // Stable: equal shares keep the bm25 order.
  return matches.sort((a, b) => b.coverage - a.coverage).slice(0, Math.min(Math.max(1, opts.limit ?? 3), CANDIDATES))
}
