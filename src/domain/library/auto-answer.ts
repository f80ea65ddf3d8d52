import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm'
import { products, questions } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { Product } from './products.js'
import { matchProducts, type ProductMatch } from './suggest.js'

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

/**
 * Looks for an FAQ entry to answer a new question at once (`autoAnswerCandidate` over the entries
 * staff may see) and, when there is one, marks the question auto-answered from it. The question
 * stays open: it is still in the inbox for a person, marked so.
 */
export async function autoAnswer(db: Db, question: { id: number; text: string }, opts: { now: Date; minCoverage: number }): Promise<Product | null> {
  if (!(await anyAutoAnswerEntry(db))) return null
  const matches = await matchProducts(db, question.text, { visibility: 'staff', now: opts.now, limit: 3 })
  const best = autoAnswerCandidate(matches, opts.minCoverage)
  if (!best) return null
  await db.update(questions).set({ autoAnswerProductId: best.product.id, autoAnsweredAt: opts.now }).where(eq(questions.id, question.id))
  return best.product
}

/**
 * Whether any FAQ entry is marked "tự động": until an admin marks one, a question costs one look
 * at the FAQ entries (products_kind_idx) instead of a search of the whole library, which was four
 * fifths of a /hoidap's time (bench/webhook.ts, 07/12/2026).
 */
async function anyAutoAnswerEntry(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: products.id }).from(products).where(and(eq(products.kind, 'faq'), eq(products.autoAnswer, true))).limit(1)
  return row !== undefined
}

/**
 * The asker wants a person ("gặp người"): their latest open question answered automatically is
 * marked so in the inbox. Null when they have none.
 */
export async function askForPerson(db: Db, personId: number, now: Date): Promise<{ id: number } | null> {
  const [q] = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.personId, personId), isNull(questions.answeredAt), isNotNull(questions.autoAnsweredAt)))
    .orderBy(desc(questions.askedAt), desc(questions.id))
    .limit(1)
  if (!q) return null
  await db.update(questions).set({ personAskedAt: now }).where(and(eq(questions.id, q.id), isNull(questions.personAskedAt)))
  return q
}
