import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { productAudiences, questions, units } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { clip } from '../questions.js'
import { createProduct, deleteProduct, type Product } from './products.js'

/** POST /api/questions/:id/faq: both optional; the question's text is the title when none is given. */
export const faqFromQuestionSchema = z
  .object({
    title: z.string({ error: 'library.errors.titleNeeded' }).trim().min(1, { error: 'library.errors.titleNeeded' }).max(300, { error: 'library.errors.titleNeeded' }).optional(),
    audience: z.enum(productAudiences, { error: 'library.errors.badAudience' }).optional(),
  })
  .default({})

export type FaqFromQuestion =
  | { status: 'published'; product: Product }
  | { status: 'exists'; productId: number }
  | { status: 'not_found' }
  | { status: 'not_answered' }

/**
 * An answered question published as an FAQ entry of the library (issue 23): the question as its
 * title (or the editor's) and summary, the answer as its body, published at once, not counted
 * toward the products target, and WITHOUT the asker: no name, no chat, no unit of the asker but the
 * ward's (as owner) when the question went to a ward. Public by default for a resident's question,
 * internal for a staff member's. Once per question: the entry's id is kept on the question.
 */
export async function publishAnswerAsFaq(
  db: Db,
  id: number,
  input: z.infer<typeof faqFromQuestionSchema>,
  opts: { now: Date; createdBy: number | null },
): Promise<FaqFromQuestion> {
  const [row] = await db.select({ q: questions, unitCode: units.code, unitKind: units.kind }).from(questions).innerJoin(units, eq(units.id, questions.unitId)).where(eq(questions.id, id)).limit(1)
  if (!row) return { status: 'not_found' }
  const { q } = row
  if (q.faqProductId !== null) return { status: 'exists', productId: q.faqProductId }
  // A text emptied by erasure or by the retention job has nothing left to publish.
  if (!q.answeredAt || !q.answer || q.text === '') return { status: 'not_answered' }
  const product = await createProduct(
    db,
    {
      kind: 'faq',
      title: input.title ?? clip(q.text.replace(/\s+/g, ' ').trim(), 200),
      summary: clip(q.text.trim(), 1000),
      body: q.answer,
      audience: input.audience ?? (q.fromPublic ? 'public' : 'internal'),
      ownerUnitCode: row.unitKind === 'commune' ? row.unitCode : undefined,
      status: 'published',
      countsTowardTarget: false,
    },
    opts,
  )
  const linked = await db
    .update(questions)
    .set({ faqProductId: product.id })
    .where(and(eq(questions.id, id), isNull(questions.faqProductId)))
    .returning({ id: questions.id })
  if (linked.length > 0) return { status: 'published', product }
  // Another call published it meanwhile: this entry goes, theirs stays.
  await deleteProduct(db, product.id)
  const [again] = await db.select({ faqProductId: questions.faqProductId }).from(questions).where(eq(questions.id, id)).limit(1)
  return { status: 'exists', productId: again?.faqProductId ?? product.id }
}
