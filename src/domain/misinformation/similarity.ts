/**
 * "Closely similar text": word-bigram shingles of the folded text (no marks, đ → d, lower case,
 * letters and digits only) compared by Jaccard similarity. Chosen over FTS5 because a report is
 * compared with a few recent open claims, not searched in a corpus, and this runs the same on
 * SQLite and D1 without an index. Threshold: MISINFO_SIMILARITY (default 0.6).
 */
export const DEFAULT_SIMILARITY = 0.6

/** The text as the `folded` column holds it (used for matching). */
export function foldForMatch(text: string): string {
  void text
  throw new Error('not yet')
}

/** Jaccard similarity of the two folded texts' word bigrams, 0..1; 0 when either has under 4 words. */
export function textSimilarity(a: string, b: string): number {
  void a
  void b
  throw new Error('not yet')
}
