/**
 * Vietnamese text as the library's search index holds it (issue 22, research 3.4). SQLite's FTS5
 * keeps marks (`remove_diacritics 0`) in the `exact` column; Loa folds the `folded` column itself,
 * because no tokenizer folds `đ` (it has no Unicode decomposition) and D1 loads no custom one.
 */

/** Marks stripped, đ/Đ → d, lower case; the same for NFC and NFD input ("Đường" → "duong"). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC')
}

/** The text as the `exact` column holds it: NFC, so an NFD copy-paste matches an NFC query and back. */
export const exactText = (text: string): string => text.normalize('NFC')

const MAX_TOKENS = 12
const MAX_TOKEN_LENGTH = 60

/** The words of a query, NFC and lower case: letters and digits only, so nothing reaches FTS5 as syntax. */
export function queryTokens(q: string): string[] {
  const words = exactText(q).toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []
  return words.slice(0, MAX_TOKENS).map((w) => w.slice(0, MAX_TOKEN_LENGTH))
}

/** A tag or typed form reduced to the key of `tag_aliases`: folded, letters and digits only ("NQ-71" → "nq71"). */
export const aliasKey = (text: string): string => fold(text).replace(/[^\p{L}\p{N}]+/gu, '')

/** One FTS5 phrase: a quoted string; tokens hold no `"`, but any is doubled as FTS5 asks. */
const phrase = (words: string): string => `"${words.replace(/"/g, '""')}"`

/**
 * The FTS5 MATCH expression for a query: `{exact}:(w1 AND w2) OR {folded}:(f1 AND f2)`, where a
 * word that is a tag alias may also be its tag's words (a phrase), and an alias typed as the whole
 * query ("nq 71") adds its tag as one more alternative. Every word is quoted, so `"`, `*`, `-`, `:`,
 * `NEAR`, `AND` or parentheses typed by a user are only text. Empty when the query has no word.
 *
 * `aliases` maps alias keys (`aliasKey`) to tags; pass those that `aliasCandidates` asked for.
 */
export function matchExpression(q: string, aliases: ReadonlyMap<string, string> = new Map()): string {
  const words = queryTokens(q)
  if (words.length === 0) return ''
  const exact = words.map(phrase).join(' AND ')
  const folded = words
    .map((w) => {
      const tag = aliases.get(aliasKey(w))
      return tag ? `(${phrase(fold(w))} OR ${phrase(foldedWords(tag))})` : phrase(fold(w))
    })
    .join(' AND ')
  const parts = [`{exact}:(${exact})`, `{folded}:(${folded})`]
  const whole = words.length > 1 ? aliases.get(aliasKey(words.join(''))) : undefined
  if (whole) parts.push(`{folded}:(${phrase(foldedWords(whole))})`)
  return parts.join(' OR ')
}

/** A tag's words as the folded column tokenizes them, joined by spaces (one phrase). */
const foldedWords = (text: string): string => (fold(text).match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')

/** The alias keys a query could use: each word, and the whole query run together. */
export function aliasCandidates(q: string): string[] {
  const words = queryTokens(q)
  const keys = words.map(aliasKey)
  if (words.length > 1) keys.push(aliasKey(words.join('')))
  return [...new Set(keys.filter((k) => k.length > 0))]
}

/** The two search columns of a product: its title, tags, summary and body, exact (NFC) and folded. */
export function searchColumns(p: { title: string; summary?: string | null; body?: string | null; tags?: readonly string[] | null }): {
  searchExact: string
  searchFolded: string
} {
  const text = [p.title, (p.tags ?? []).join(' · '), p.summary ?? '', (p.body ?? '').slice(0, 20_000)].filter((s) => s.trim() !== '').join('\n')
  return { searchExact: exactText(text), searchFolded: fold(text) }
}
