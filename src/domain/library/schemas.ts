import { z } from 'zod'
import { productAudiences, productKinds, productStatuses } from '#db/schema/index.js'

const url = z.url({ protocol: /^https?$/, error: 'library.errors.badUrl' }).max(2000, { error: 'library.errors.badUrl' })
/** An image is shown on the phone pages, whose CSP allows https images only. */
const httpsUrl = z.url({ protocol: /^https$/, error: 'library.errors.badImageUrl' }).max(2000, { error: 'library.errors.badImageUrl' })
const tag = z.string().trim().min(1, { error: 'library.errors.badTags' }).max(60, { error: 'library.errors.badTags' })

/** Every field of a product as POST /api/library takes it; PATCH takes any of them (`productPatchSchema`). */
const fields = {
  kind: z.enum(productKinds, { error: 'library.errors.badKind' }),
  title: z.string({ error: 'library.errors.titleNeeded' }).trim().min(1, { error: 'library.errors.titleNeeded' }).max(300, { error: 'library.errors.titleNeeded' }),
  summary: z.string().trim().max(1000, { error: 'library.errors.tooLong' }),
  body: z.string().trim().max(50_000, { error: 'library.errors.tooLong' }),
  link: url.nullable(),
  imageUrl: httpsUrl.nullable(),
  tags: z.array(tag).max(20, { error: 'library.errors.badTags' }),
  audience: z.enum(productAudiences, { error: 'library.errors.badAudience' }),
  /** The owner unit by its code (units.code); null for none. */
  ownerUnitCode: z.string().trim().min(1).max(64).nullable(),
  publishedAt: z.iso.datetime({ offset: true, error: 'library.errors.badDate' }).nullable(),
  status: z.enum(productStatuses, { error: 'library.errors.badStatus' }),
  countsTowardTarget: z.boolean(),
  autoAnswer: z.boolean(),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'library.errors.badSlug' })
    .max(80, { error: 'library.errors.badSlug' }),
}

/**
 * A new product. Left out: summary and body empty, no link or image, no tags, audience `internal`
 * (nothing is public unless asked), no owner unit, status `published` when `publishedAt` is given and
 * not in the future (else `draft`), `countsTowardTarget` on except for `faq` and `correction`,
 * `autoAnswer` off, a slug made from the title.
 */
export const productCreateSchema = z.object({
  kind: fields.kind,
  title: fields.title,
  summary: fields.summary.optional(),
  body: fields.body.optional(),
  link: fields.link.optional(),
  imageUrl: fields.imageUrl.optional(),
  tags: fields.tags.optional(),
  audience: fields.audience.optional(),
  ownerUnitCode: fields.ownerUnitCode.optional(),
  publishedAt: fields.publishedAt.optional(),
  status: fields.status.optional(),
  countsTowardTarget: fields.countsTowardTarget.optional(),
  autoAnswer: fields.autoAnswer.optional(),
  slug: fields.slug.optional(),
})
export type ProductCreate = z.infer<typeof productCreateSchema>

/** A change: any field of the create schema; `null` clears a nullable one. */
export const productPatchSchema = productCreateSchema.partial()
export type ProductPatch = z.infer<typeof productPatchSchema>

/** A tag alias: what people type ("NQ71", "nq 71") → the tag ("Nghị quyết 71"). */
export const tagAliasSchema = z.object({
  alias: z
    .string()
    .trim()
    .max(40, { error: 'library.errors.badAlias' })
    .refine((s) => /[\p{L}\p{N}]/u.test(s), { error: 'library.errors.badAlias' }),
  tag: z.string().trim().min(1, { error: 'library.errors.badAlias' }).max(60, { error: 'library.errors.badAlias' }),
})

/** GET /api/library's filters (`q` searched, the rest exact). */
export const productQuerySchema = z.object({
  q: z.string().max(500).optional(),
  kind: fields.kind.optional(),
  tag: z.string().trim().max(60).optional(),
  year: z.coerce.number({ error: 'library.errors.badYear' }).int({ error: 'library.errors.badYear' }).min(2000, { error: 'library.errors.badYear' }).max(2100, { error: 'library.errors.badYear' }).optional(),
  status: fields.status.optional(),
  countsTowardTarget: z.enum(['0', '1']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})

/** POST /api/broadcasts/:id/product: the entry's kind, audience and tags (the rest comes from the broadcast). */
export const productFromBroadcastSchema = z.object({
  kind: fields.kind.optional(),
  audience: fields.audience.optional(),
  tags: fields.tags.optional(),
})
