import type { ProductMatch } from './suggest.js'

/**
 * The share of a question's key words an FAQ entry must hold to answer it at once (issue 22):
 * measured on bench/suggest.ts (README, Suggested answers); AUTO_ANSWER_MIN_COVERAGE overrides it.
 */
export const AUTO_ANSWER_MIN_COVERAGE = 0.75

/**
 * The entry that may answer a question at once, or null: only when the best match of all kinds is an
 * FAQ entry an admin marked "tự động" (`autoAnswer`) and holds at least `minCoverage` of the
 * question's key words. Anything else waits for a person.
 */
export function autoAnswerCandidate(matches: readonly ProductMatch[], minCoverage: number): ProductMatch | null {
  const best = matches[0]
  if (!best || best.product.kind !== 'faq' || !best.product.autoAnswer) return null
  return best.coverage >= minCoverage ? best : null
}
