import { and, desc, eq, isNotNull, isNull, ne } from 'drizzle-orm'
import { answerSuggestions, questions, type SuggestionOutcome } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { fold } from './fold.js'
import type { Product } from './products.js'
import { coverage, matchProducts, questionTerms } from './suggest.js'

/** How many suggestions a question gets, and how many earlier answers are read to find them. */
const SHOWN = 3
const EARLIER_ANSWERS_READ = 500
/** An earlier question must share at least half of this one's key words to be offered. */
const EARLIER_MIN_COVERAGE = 0.5

/** One suggested answer: the text to send, and where it comes from (an entry of the library, or an earlier answer). */
export type Suggestion =
  | { source: 'library'; text: string; coverage: number; product: { id: number; kind: Product['kind']; title: string; slug: string; audience: Product['audience']; link: string | null; autoAnswer: boolean } }
  | { source: 'answer'; text: string; coverage: number; question: { id: number; text: string; answeredAt: string } }

/** What an entry suggests as an answer: an FAQ's answer (its body); another kind's summary, and its link. */
function entryAnswer(p: Product, publicUrl: string | undefined): string {
  if (p.kind === 'faq' && p.body.trim()) return p.body.trim()
  const link = p.audience === 'public' && publicUrl ? `${publicUrl}/thu-vien/${p.slug}` : p.link
  return [p.title, p.summary.trim(), link ?? ''].filter(Boolean).join('\n')
}

/** Earlier answered questions sharing at least half of the key words, best first. */
async function earlierAnswers(db: Db, questionId: number, terms: readonly string[]): Promise<Suggestion[]> {
  if (terms.length === 0) return []
  const rows = await db
    .select({ id: questions.id, text: questions.text, answer: questions.answer, answeredAt: questions.answeredAt })
    .from(questions)
    .where(and(isNotNull(questions.answeredAt), ne(questions.id, questionId), ne(questions.text, '')))
    .orderBy(desc(questions.answeredAt))
    .limit(EARLIER_ANSWERS_READ)
  return rows
    .map((r) => ({ r, c: coverage(terms, r.text) }))
    .filter(({ r, c }) => c >= EARLIER_MIN_COVERAGE && r.answer)
    .sort((a, b) => b.c - a.c)
    .slice(0, SHOWN)
    .map(({ r, c }) => ({ source: 'answer', text: r.answer!, coverage: c, question: { id: r.id, text: r.text, answeredAt: r.answeredAt!.toISOString() } }))
}

/**
 * The best 3 answers for a question (issue 22, tier 0): entries of the library (any published kind;
 * an FAQ entry first among equals) and earlier answers, by the share of the question's key words
 * they hold. The first time they are shown for an open question, they are kept, so that the answer
 * sent later can be counted as accepted, edited or rejected (`settleSuggestions`). Null: no such question.
 */
export async function suggestAnswers(
  db: Db,
  questionId: number,
  opts: { now: Date; publicUrl: string | undefined },
): Promise<{ question: { id: number; text: string; answer: string | null }; items: Suggestion[] } | null> {
  const [q] = await db.select().from(questions).where(eq(questions.id, questionId)).limit(1)
  if (!q) return null
  const question = { id: q.id, text: q.text, answer: q.answer }
  if (!q.text) return { question, items: [] }
  const terms = questionTerms(q.text)
  const [entries, earlier] = await Promise.all([matchProducts(db, q.text, { visibility: 'staff', now: opts.now, limit: SHOWN }), earlierAnswers(db, questionId, terms)])
  const fromLibrary: Suggestion[] = entries.map((m) => ({
    source: 'library',
    text: entryAnswer(m.product, opts.publicUrl),
    coverage: m.coverage,
    product: { id: m.product.id, kind: m.product.kind, title: m.product.title, slug: m.product.slug, audience: m.product.audience, link: m.product.link, autoAnswer: m.product.autoAnswer },
  }))
  const rank = (s: Suggestion) => (s.source === 'library' && s.product.kind === 'faq' ? 0 : s.source === 'library' ? 1 : 2)
  // Stable: among equals, the library's own (bm25) order, FAQ entries first, then earlier answers.
  const all = [...fromLibrary, ...earlier].map((s, i) => ({ s, i })).sort((a, b) => b.s.coverage - a.s.coverage || rank(a.s) - rank(b.s) || a.i - b.i)
  const shown = all.slice(0, SHOWN).map((x) => x.s)
  if (shown.length > 0 && q.answeredAt === null) {
    await db.insert(answerSuggestions).values({ questionId, shownAt: opts.now, texts: shown.map((s) => s.text) }).onConflictDoNothing()
  }
  return { question, items: shown }
}

const words = (text: string): string[] => fold(text).match(/[\p{L}\p{N}]+/gu) ?? []
const same = (a: string, b: string) => words(a).join(' ') === words(b).join(' ')

/** The share of `suggested`'s words the answer kept (0–1). */
function kept(suggested: string, answer: string): number {
  const w = words(suggested)
  if (w.length === 0) return 0
  const have = new Set(words(answer))
  return w.filter((x) => have.has(x)).length / w.length
}

/** What an answer made of the suggestions: sent unchanged (same words), edited (half of one's words kept or more), or rejected. */
export function outcomeOf(suggested: readonly string[], answer: string): SuggestionOutcome {
  if (suggested.some((s) => same(s, answer))) return 'accepted'
  return suggested.some((s) => kept(s, answer) >= 0.5) ? 'edited' : 'rejected'
}

/** Records what became of a question's suggestions once it is answered (once; a correction does not change it). */
export async function settleSuggestions(db: Db, questionId: number, answer: string, now: Date): Promise<void> {
  const [row] = await db.select().from(answerSuggestions).where(and(eq(answerSuggestions.questionId, questionId), isNull(answerSuggestions.outcome))).limit(1)
  if (!row) return
  await db
    .update(answerSuggestions)
    .set({ outcome: outcomeOf(row.texts, answer), decidedAt: now })
    .where(and(eq(answerSuggestions.questionId, questionId), isNull(answerSuggestions.outcome)))
}

/** Per month (in `timeZone`, of when they were first shown): questions shown suggestions, and how many were accepted, edited, rejected. */
export async function suggestionMonths(db: Db, timeZone: string) {
  const rows = await db.select({ shownAt: answerSuggestions.shownAt, outcome: answerSuggestions.outcome }).from(answerSuggestions)
  const month = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
  const by = new Map<string, { month: string; shown: number; accepted: number; edited: number; rejected: number }>()
  for (const r of rows) {
    const key = month.format(r.shownAt)
    const m = by.get(key) ?? { month: key, shown: 0, accepted: 0, edited: 0, rejected: 0 }
    m.shown++
    if (r.outcome) m[r.outcome]++
    by.set(key, m)
  }
  return [...by.values()].sort((a, b) => b.month.localeCompare(a.month))
}
