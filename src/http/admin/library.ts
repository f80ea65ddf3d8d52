import { Hono, type Context } from 'hono'
import type { z } from 'zod'
import type { AppDeps } from '#src/deps.js'
import { listTagAliases, removeTagAlias, setTagAlias } from '#src/domain/library/aliases.js'
import { createProduct, deleteProduct, getProduct, presentProduct, updateProduct, type Visibility } from '#src/domain/library/products.js'
import { productCreateSchema, productPatchSchema, productQuerySchema, tagAliasSchema } from '#src/domain/library/schemas.js'
import { searchProducts } from '#src/domain/library/search.js'
import { broadcastInputSchema, MAX_BODY_LENGTH } from '#src/domain/broadcast/schemas.js'
import { createBroadcast, presentBroadcast } from '#src/domain/broadcast/service.js'
import { briefFromProduct } from '#src/domain/library/broadcasts.js'
import { publicLinkFields } from '../public-links.js'
import { AppError, zodDetails, zodErrorMap } from '#src/errors.js'
import { callerOf } from '../auth.js'
import type { AppEnv } from '../env.js'
import { localeOf } from '../locale.js'
import { idParam, readJson, readQuery } from '../validate.js'

/** A JSON body checked against a schema: malformed JSON is a 400, a shape that does not fit a 422 with a message per field. */
async function readBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch {
    throw new AppError('invalid_input', 'api.errors.invalidJson')
  }
  const parsed = schema.safeParse(body, { error: zodErrorMap(localeOf(c)) })
  if (!parsed.success) throw new AppError('unprocessable', 'library.errors.invalid', undefined, zodDetails(parsed.error))
  return parsed.data
}

/** Editors and admins see drafts, scheduled and archived entries; viewers what is published. */
const visibilityOf = (c: Context): Visibility => (callerOf(c)?.role === 'viewer' ? 'staff' : 'editor')
const isAdmin = (c: Context) => callerOf(c)?.role === 'admin'

/**
 * The library of communication products (issue 22): GET /library?q=&kind=&tag=&year=&status=&countsTowardTarget=
 * (searched, ranked; drafts shown, marked, to editors and admins), POST /library (editors),
 * GET/PATCH/DELETE /library/:id (editors edit, admins delete; only admins set `autoAnswer`),
 * POST /library/:id/broadcast (a brief carrying the entry, editors), and
 * the tag aliases: GET /library/tag-aliases, PUT /library/tag-aliases (editors), DELETE …/:alias (admins).
 */
export function libraryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone

  app.get('/library/tag-aliases', async (c) => c.json({ items: await listTagAliases(db) }))
  app.put('/library/tag-aliases', async (c) => c.json(await setTagAlias(db, await readBody(c, tagAliasSchema), deps.clock())))
  app.delete('/library/tag-aliases/:alias', async (c) => c.json({ removed: await removeTagAlias(db, c.req.param('alias')) }))

  app.get('/library', async (c) => {
    const q = readQuery(c, productQuerySchema)
    const now = deps.clock()
    const hits = await searchProducts(db, q.q ?? '', {
      visibility: visibilityOf(c),
      kind: q.kind,
      tag: q.tag,
      year: q.year,
      status: q.status,
      countsTowardTarget: q.countsTowardTarget === undefined ? undefined : q.countsTowardTarget === '1',
      limit: q.limit,
      now,
      timeZone: tz,
    })
    return c.json({ items: hits.map((p) => ({ ...presentProduct(p, now), score: p.score })) })
  })

  app.post('/library', async (c) => {
    const input = await readBody(c, productCreateSchema)
    if (input.autoAnswer && !isAdmin(c)) throw new AppError('forbidden', 'library.errors.autoAnswerAdminOnly')
    const now = deps.clock()
    const product = await createProduct(db, input, { now, createdBy: callerOf(c)?.personId ?? null })
    return c.json(presentProduct(product, now), 201)
  })

  app.get('/library/:id', async (c) => {
    const id = idParam(c)
    const now = deps.clock()
    const product = await getProduct(db, id)
    const seen = product && (visibilityOf(c) === 'editor' || (product.status === 'published' && product.publishedAt !== null && product.publishedAt <= now))
    if (!seen) throw new AppError('not_found', 'library.errors.notFound', { id: String(id) })
    return c.json(presentProduct(product, now))
  })

  app.patch('/library/:id', async (c) => {
    const id = idParam(c)
    const patch = await readBody(c, productPatchSchema)
    if (patch.autoAnswer !== undefined && !isAdmin(c)) {
      const old = await getProduct(db, id)
      if (old && old.autoAnswer !== patch.autoAnswer) throw new AppError('forbidden', 'library.errors.autoAnswerAdminOnly')
    }
    const now = deps.clock()
    return c.json(presentProduct(await updateProduct(db, id, patch, { now }), now))
  })

  // A brief carrying this entry, to an audience as POST /broadcasts takes it; both stay linked.
  app.post('/library/:id/broadcast', async (c) => {
    const id = idParam(c)
    const asked = await readJson(c, broadcastInputSchema.pick({ audience: true, scheduledAt: true, requireAck: true }))
    const product = await getProduct(db, id)
    if (!product) throw new AppError('not_found', 'library.errors.notFound', { id: String(id) })
    const input = { kind: 'brief' as const, ...briefFromProduct(product, deps.config.publicUrl, MAX_BODY_LENGTH), ...asked, productId: id }
    const { broadcast, counts } = await createBroadcast(db, input, {
      now: deps.clock(),
      createdBy: callerOf(c)?.personId ?? null,
      horizonMs: deps.config.deliveryHorizonHours * 3_600_000,
    })
    return c.json({ ...presentBroadcast(broadcast), ...(await publicLinkFields(deps, c, 'broadcast', broadcast.id)), ...counts }, 201)
  })

  app.delete('/library/:id', async (c) => c.json({ removed: presentProduct(await deleteProduct(db, idParam(c)), deps.clock()) }))

  return app
}
