import { Hono, type Context } from 'hono'
import type { ProductKind, ProductStatus } from '#db/schema/index.js'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { listUnits } from '#src/domain/directory/units.js'
import { isPublicNow, productKinds, productOpens, productStatuses } from '#src/domain/library/pages.js'
import { createProduct, deleteProduct, getProduct, updateProduct, type Product } from '#src/domain/library/products.js'
import { searchProducts } from '#src/domain/library/search.js'
import { AppError } from '#src/errors.js'
import { publicBase } from '#src/http/public-links.js'
import type { AppEnv } from '#src/http/env.js'
import { pageText } from '../../locale.js'
import { queryInt } from '../../form.js'
import { accountOf } from '../auth.js'
import { errorMessages, readForm } from '../forms.js'
import { blankProductDraft, draftOfProduct, productFromForm, readProductDraft, type ProductDraft } from './form.js'
import { LibraryListPage, ProductDeletePage, ProductFormPage, type LibraryFilter } from './views.js'

/** How many entries a page of the list shows. */
export const LIBRARY_PAGE = 20

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined => (list as readonly string[]).includes(v ?? '') ? (v as T) : undefined

/** The list's filters from its address; anything not valid is no filter. */
function filterOf(c: Context): LibraryFilter {
  const year = Number(c.req.query('year'))
  return {
    q: (c.req.query('q') ?? '').slice(0, 200),
    kind: oneOf<ProductKind>(productKinds, c.req.query('kind')),
    tag: (c.req.query('tag') ?? '').trim().slice(0, 60),
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    status: oneOf<ProductStatus>(productStatuses, c.req.query('status')),
    page: queryInt(c.req.query('page'), 1, 10_000),
  }
}

/**
 * /admin/library: the catalogue searched as people type (the same search as the API, drafts shown and
 * marked), filtered by kind, tag, year and status; editors add and edit entries, admins delete them.
 */
export function libraryPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const zone = deps.config.timezone
  const isAdmin = (c: Context) => roleAllows(accountOf(c).role, 'admin')

  app.get('/admin/library', async (c) => {
    const f = filterOf(c)
    const hits = await searchProducts(db, f.q, {
      visibility: 'editor',
      kind: f.kind,
      tag: f.tag || undefined,
      year: f.year,
      status: f.status,
      limit: LIBRARY_PAGE + 1,
      offset: (f.page - 1) * LIBRARY_PAGE,
      now: deps.clock(),
      timeZone: zone,
    })
    return c.html(LibraryListPage({ c, filter: f, items: hits.slice(0, LIBRARY_PAGE), more: hits.length > LIBRARY_PAGE, zone, now: deps.clock() }))
  })

  const formPage = async (c: Context, draft: ProductDraft, product: Product | null, errors: string[] = [], status: 200 | 400 | 422 = 200) => {
    const units = await listUnits(db)
    const extra = product ? { opens: await productOpens(db, product.id), publicUrl: isPublicNow(product, deps.clock()) ? `${publicBase(deps.config, c) ?? ''}/thu-vien/${product.slug}` : null } : null
    return c.html(ProductFormPage({ c, draft, product, extra, units, errors, isAdmin: isAdmin(c), zone }), status)
  }

  const found = async (c: Context) => {
    const product = await getProduct(db, Number(c.req.param('id')))
    if (!product) throw new AppError('not_found', 'library.errors.notFound', { id: c.req.param('id') ?? '' })
    return product
  }

  app.get('/admin/library/new', (c) => formPage(c, blankProductDraft(), null))

  app.post('/admin/library/new', async (c) => {
    const { t } = pageText(c)
    const draft = readProductDraft(await readForm(c))
    const parsed = productFromForm(c, t, draft, zone, isAdmin(c))
    if ('errors' in parsed) return formPage(c, draft, null, parsed.errors, 422)
    try {
      const product = await createProduct(db, parsed.data, { now: deps.clock(), createdBy: accountOf(c).personId ?? null })
      return c.redirect(`/admin/library/${product.id}?done=created`, 303)
    } catch (err) {
      const messages = errorMessages(c, err)
      if (!messages) throw err
      return formPage(c, draft, null, messages, 422)
    }
  })

  app.get('/admin/library/:id{[0-9]+}', async (c) => {
    const product = await found(c)
    return formPage(c, draftOfProduct(product, zone), product)
  })

  app.post('/admin/library/:id{[0-9]+}', async (c) => {
    const { t } = pageText(c)
    const product = await found(c)
    const draft = readProductDraft(await readForm(c))
    const parsed = productFromForm(c, t, draft, zone, isAdmin(c))
    if ('errors' in parsed) return formPage(c, draft, product, parsed.errors, 422)
    try {
      await updateProduct(db, product.id, parsed.data, { now: deps.clock() })
      return c.redirect(`/admin/library/${product.id}?done=saved`, 303)
    } catch (err) {
      const messages = errorMessages(c, err)
      if (!messages) throw err
      return formPage(c, draft, product, messages, 422)
    }
  })

  app.get('/admin/library/:id{[0-9]+}/delete', async (c) => c.html(ProductDeletePage({ c, product: await found(c) })))

  app.post('/admin/library/:id{[0-9]+}/delete', async (c) => {
    await deleteProduct(db, (await found(c)).id)
    return c.redirect('/admin/library?done=removed', 303)
  })

  return app
}
