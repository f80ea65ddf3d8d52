import { fold } from '../library/fold.js'

/**
 * "Closely similar text": word-bigram shingles of the folded text (no marks, đ → d, lower case,
 * letters and digits only, links left out) compared by Jaccard similarity (or containment, below). Chosen over FTS5
 * because a report is compared with the reports of recent open claims, not searched in a corpus,
 * and this runs the same on SQLite and D1 without an index. Threshold: MISINFO_SIMILARITY
 * (default 0.6); texts under MIN_WORDS words never match by text (only by link or image).
 */
export const DEFAULT_SIMILARITY = 0.6
const MIN_WORDS = 4

/** The text as the `folded` column holds it: folded words separated by one space, without links. */
export function foldForMatch(text: string): string {
  const noLinks = text.replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' ')
  return (fold(noLinks).match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')
}

function shingles(folded: string): Set<string> | null {
  const words = folded.split(' ').filter(Boolean)
  if (words.length < MIN_WORDS) return null
  const out = new Set<string>()
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`)
  return out
}

/** Word pairs the shorter text must have before containment counts (a one-line remark never joins by it). */
const MIN_CONTAINED = 6

/**
 * How alike two folded texts are, 0..1: the Jaccard similarity of their word bigrams, or, when the
 * shorter has at least 6 of them, the share of its bigrams found in the other (a forwarded rumour
 * with a remark added, "Có thật không ạ?", is still the same rumour); 0 when either has under 4 words.
 */
export function textSimilarity(a: string, b: string): number {
  const sa = shingles(a)
  const sb = shingles(b)
  if (!sa || !sb) return 0
  let common = 0
  for (const s of sa) if (sb.has(s)) common++
  const jaccard = common / (sa.size + sb.size - common)
  const shorter = Math.min(sa.size, sb.size)
  return shorter >= MIN_CONTAINED ? Math.max(jaccard, common / shorter) : jaccard
}
