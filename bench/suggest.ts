/**
 * Recall of the suggested answers (issue 22, research 7.4 tier 0, 7.5): the seeded library of
 * bench/suggest-library.json (FAQ entries and products about Resolution 71, enrolment, teachers'
 * training, the school year…) in a fresh SQLite database, and each of its questions (typed with
 * and without marks, as staff and parents write them) matched as the questions inbox does
 * (`matchProducts`, staff visibility). Prints recall@1 and @3 (goal ≥ 0.8 at 3), the p95 time of a
 * match (goal < 100 ms), and for thresholds of the automatic answers' key-word coverage how many
 * questions would be answered at once and how many of those wrongly. The questions with a marked
 * form are also run folded (no marks), as a second pass. Run: npm run bench:suggest [-- fillers]:
 * `fillers` more published articles (default 0) made of the seeded entries' own words in random
 * order (a fixed seed), as noise that holds the same words, and as a larger library for the times.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openSqlite } from '#db/sqlite.js'
import { fold } from '#src/domain/library/fold.js'
import { createProduct } from '#src/domain/library/products.js'
import { AUTO_ANSWER_MIN_COVERAGE, autoAnswerCandidate } from '#src/domain/library/auto-answer.js'
import { matchProducts } from '#src/domain/library/suggest.js'
import type { ProductKind } from '#db/schema/index.js'

interface Entry {
  key: string
  kind: ProductKind
  title: string
  summary?: string
  body?: string
  tags?: string[]
  audience?: 'internal' | 'public'
}
interface Data {
  entries: Entry[]
  questions: { q: string; answer: string | null }[]
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const data = JSON.parse(readFileSync(resolve(root, 'bench/suggest-library.json'), 'utf8')) as Data
const { db } = openSqlite(':memory:')
const now = new Date('2026-03-16T02:00:00Z')
const keyOf = new Map<number, string>()
for (const e of data.entries) {
  const p = await createProduct(
    db,
    { kind: e.kind, title: e.title, summary: e.summary, body: e.body, tags: e.tags, audience: e.audience ?? 'public', publishedAt: '2026-01-05T08:00:00+07:00', autoAnswer: e.kind === 'faq' },
    { now, createdBy: null },
  )
  keyOf.set(p.id, e.key)
}

const FILLERS = Number(process.argv[2] ?? 0)
let seed = 71
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const vocabulary = data.entries.flatMap((e) => `${e.title} ${e.summary ?? ''} ${e.body ?? ''}`.split(/\s+/)).filter((w) => /\p{L}/u.test(w))
const sentence = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ')
for (let i = 0; i < FILLERS; i++) {
  await createProduct(db, { kind: 'article', title: sentence(8), summary: sentence(20), body: sentence(60), audience: 'public', publishedAt: '2025-06-01T08:00:00+07:00', slug: `filler-${i}` }, { now, createdBy: null })
}

// One match first, so the times below are of a warm process (compiled statements, JIT).
await matchProducts(db, "lịch thi", { visibility: "staff", now })

const marked = (q: string) => fold(q) !== q.toLowerCase()
const runs = [
  { name: 'as typed', questions: data.questions },
  { name: 'marked ones folded', questions: data.questions.filter((x) => marked(x.q)).map((x) => ({ ...x, q: fold(x.q) })) },
]
const times: number[] = []
const thresholds = [0.4, 0.5, 0.6, 0.67, 0.75, 0.8, 1]
for (const run of runs) {
  let at1 = 0
  let at3 = 0
  const answerable = run.questions.filter((x) => x.answer !== null)
  const misses: string[] = []
  const auto = new Map(thresholds.map((t) => [t, { sent: 0, wrong: 0 }]))
  for (const x of run.questions) {
    const t0 = performance.now()
    const hits = await matchProducts(db, x.q, { visibility: 'staff', now, limit: 3 })
    times.push(performance.now() - t0)
    const keys = hits.map((h) => keyOf.get(h.product.id))
    if (x.answer !== null) {
      if (keys[0] === x.answer) at1++
      if (keys.includes(x.answer)) at3++
      else misses.push(`  ✗ ${x.q} → ${keys.join(', ') || '(none)'} (wanted ${x.answer})`)
    }
    for (const t of thresholds) {
      const c = autoAnswerCandidate(hits, t)
      if (!c) continue
      const a = auto.get(t)!
      a.sent++
      if (keyOf.get(c.product.id) === x.answer) continue
      a.wrong++
      if (t === AUTO_ANSWER_MIN_COVERAGE) misses.push(`  ✗ automatic: ${x.q} → ${keyOf.get(c.product.id)} (${x.answer ?? 'no answer in the library'})`)
    }
  }
  console.log(`\n${run.name}: ${answerable.length} questions with an answer in the library, ${run.questions.length - answerable.length} without`)
  console.log(`  recall@1 ${(at1 / answerable.length).toFixed(3)}   recall@3 ${(at3 / answerable.length).toFixed(3)} (goal ≥ 0.8)`)
  console.log(misses.join('\n'))
  console.log('  automatic answers by key-word coverage threshold (top FAQ entry only): threshold → sent / wrong')
  for (const t of thresholds) {
    const a = auto.get(t)!
    console.log(`   ${t === AUTO_ANSWER_MIN_COVERAGE ? '*' : ' '} ${t.toFixed(2)} → ${a.sent} / ${a.wrong}`)
  }
}
times.sort((a, b) => a - b)
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!
console.log(`\n${times.length} matches over ${data.entries.length} entries and ${FILLERS} fillers: p50 ${pct(50).toFixed(2)} ms, p95 ${pct(95).toFixed(2)} ms (goal < 100 ms), max ${pct(100).toFixed(2)} ms`)
console.log(`* the default threshold (AUTO_ANSWER_MIN_COVERAGE = ${AUTO_ANSWER_MIN_COVERAGE})`)
