import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { broadcasts, type BroadcastKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../../errors.js'
import type { Audience } from '../audience.js'
import { broadcastInputSchema, MAX_BODY_LENGTH } from './schemas.js'
import { contentValues, type BroadcastRow } from './service.js'

/**
 * Drafts (walk, "Authoring"): a broadcast saved from the console with status 'draft'. It is never
 * expanded nor due (the scheduler takes 'scheduled' only), counts in no figure (those read expanded
 * broadcasts), and is edited and finally sent from its page, which turns the same row into a
 * scheduled or sending broadcast (createBroadcast's `draftId`). "Nhân bản" copies any broadcast
 * into a new draft. A draft needs a title; its text may still be empty; its link and image are
 * checked as when sending, so a bad address is said at once.
 */
export const draftInputSchema = broadcastInputSchema
  .omit({ scheduledAt: true })
  .extend({ body: z.string().trim().max(MAX_BODY_LENGTH).default('') })
export type DraftInput = z.infer<typeof draftInputSchema>

/** Saves a new draft, or the draft `id` again; 409 when `id` is no longer a draft (it was sent meanwhile). */
export async function saveDraft(db: Db, input: DraftInput, opts: { now: Date; createdBy?: number | null; id?: number }): Promise<BroadcastRow> {
  const values = contentValues(input)
  if (opts.id) {
    const [row] = await db
      .update(broadcasts)
      .set(values)
      .where(and(eq(broadcasts.id, opts.id), eq(broadcasts.status, 'draft')))
      .returning()
    if (!row) throw new AppError('conflict', 'api.errors.draftGone', { id: opts.id })
    return row
  }
  const [row] = await db
    .insert(broadcasts)
    .values({ ...values, status: 'draft', scheduledAt: opts.now, createdAt: opts.now, createdBy: opts.createdBy ?? null })
    .returning()
  return row!
}

/** A new draft with the content and audience of broadcast `source` (any status): "Nhân bản". */
export async function duplicateAsDraft(db: Db, source: BroadcastRow, opts: { now: Date; createdBy?: number | null }): Promise<BroadcastRow> {
  return saveDraft(
    db,
    {
      kind: source.kind as BroadcastKind,
      title: source.title,
      body: source.body,
      ...(source.imageUrl ? { imageUrl: source.imageUrl } : {}),
      ...(source.link ? { link: source.link } : {}),
      audience: source.audience as unknown as Audience,
      requireAck: source.requireAck,
    },
    opts,
  )
}
