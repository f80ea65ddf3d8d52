import type { Context, Hono } from 'hono'
import { raw } from 'hono/html'
import type { ProductKind } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { productKinds, publicProduct } from '../../domain/library/pages.js'
import type { Product } from '../../domain/library/products.js'
import { searchProducts } from '../../domain/library/search.js'
import { publicBase } from '../../http/public-links.js'
import type { AppEnv } from '../../http/env.js'
import { formatDate, type Translate } from '../../i18n.js'
import { queryInt } from '../form.js'
import { Layout, type LinkPreview } from '../layout.js'
import { KindFilter, YearFilter } from '../library-filters.js'
import { pageText } from '../locale.js'
import { qrPng, qrSvg } from '../qr.js'
import { Paragraphs, phonePage } from './phone.js'
import { recordOpened } from './reader.js'

/** How many entries a page of /thu-vien shows. */
export const PUBLIC_LIBRARY_PAGE = 10
const SLUG = '[a-z0-9][a-z0-9-]{0,79}'

interface Filter {
  q: string
  kind: ProductKind | undefined
  year: number | undefined
  page: number
}

function filterOf(c: Context): Filter {
  const kind = c.req.query('kind')
  const year = Number(c.req.query('year'))
  return {
    q: (c.req.query('q') ?? '').slice(0, 200),
    kind: (productKinds as readonly string[]).includes(kind ?? '') ? (kind as ProductKind) : undefined,
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    page: queryInt(c.req.query('page'), 1, 1000),
  }
}

function hrefOf(f: Filter, page: number): string {
  const q = new URLSearchParams()
  if (f.q) q.set('q', f.q)
  if (f.kind) q.set('kind', f.kind)
  if (f.year) q.set('year', String(f.year))
  if (page > 1) q.set('page', String(page))
  const s = q.toString()
  return `/thu-vien${s ? `?${s}` : ''}`
}

/**
 * The Department's public library (issue 22): /thu-vien, searched with a GET form (with or without
 * diacritics, no script), filtered by kind and year, a page at a time; /thu-vien/<slug>, one entry's
 * page with its QR code, its opens counted like a brief's. Only entries published, public and
 * dated in the past are shown: an internal, draft, scheduled or archived entry is a 404, even by
 * its slug.
 */
export function libraryWebRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps
  const zone = deps.config.timezone

  app.get('/thu-vien', async (c) => {
    const f = filterOf(c)
    const now = deps.clock()
    const hits = await searchProducts(db, f.q, { visibility: 'public', kind: f.kind, year: f.year, limit: PUBLIC_LIBRARY_PAGE + 1, offset: (f.page - 1) * PUBLIC_LIBRARY_PAGE, now, timeZone: zone })
    const years = Array.from({ length: 8 }, (_, i) => Number(formatDate(now, zone).slice(-4)) - i)
    c.header('Cache-Control', 'private, no-cache')
    return c.html(<LibraryPage c={c} f={f} items={hits.slice(0, PUBLIC_LIBRARY_PAGE)} more={hits.length > PUBLIC_LIBRARY_PAGE} years={years} zone={zone} />)
  })

  app.get(`/thu-vien/:slug{${SLUG}}`, async (c) => {
    const now = deps.clock()
    const p = await publicProduct(db, c.req.param('slug'), now)
    if (!p) return gone(c)
    await recordOpened(deps, 'product', p.id, null, now)
    const base = publicBase(deps.config, c)
    const qr = base ? await qrSvg(`${base}/thu-vien/${p.slug}`) : null
    c.header('Cache-Control', 'private, no-cache')
    const preview = base ? { url: `${base}/thu-vien/${p.slug}`, description: previewText(p.summary || p.body), image: p.imageUrl ?? undefined } : undefined
    return c.html(<ProductPage c={c} p={p} qr={qr} zone={zone} preview={preview} />)
  })

  app.get(`/thu-vien/:slug{${SLUG}}/qr.png`, async (c) => {
    const p = await publicProduct(db, c.req.param('slug'), deps.clock())
    const base = publicBase(deps.config, c)
    if (!p || !base) return gone(c)
    c.header('Cache-Control', 'public, max-age=86400')
    return c.body((await qrPng(`${base}/thu-vien/${p.slug}`)) as unknown as ArrayBuffer, 200, { 'content-type': 'image/png' })
  })
}

/** A 404 that says the entry is not in the public library (whether it exists or not). */
function gone(c: Context) {
  const { t } = pageText(c)
  return phonePage(c, t('libraryWeb.public.notFound'), <p>{t('libraryWeb.public.notFound')}</p>, 404)
}

function SearchForm({ t, f, years }: { t: Translate; f: Filter; years: number[] }) {
  return (
    <form method="get" action="/thu-vien" role="search" class="card library-search">
      <label for="q">{t('libraryWeb.public.search')}</label>
      <input id="q" name="q" type="search" value={f.q} maxlength={200} />
      <div class="pair">
        <KindFilter t={t} label={t('libraryWeb.public.kind')} any={t('libraryWeb.public.any')} value={f.kind} />
        <YearFilter label={t('libraryWeb.public.year')} any={t('libraryWeb.public.any')} years={years} value={f.year} />
      </div>
      <button type="submit" class="primary">
        {t('libraryWeb.public.searchButton')}
      </button>
    </form>
  )
}

function LibraryPage({ c, f, items, more, years, zone }: { c: Context; f: Filter; items: readonly Product[]; more: boolean; years: number[]; zone: string }) {
  const { t } = pageText(c)
  return (
    <Layout c={c} title={t('libraryWeb.public.title')} phone>
      <h1>{t('libraryWeb.public.title')}</h1>
      <p class="hint">{t('libraryWeb.public.intro')}</p>
      <SearchForm t={t} f={f} years={years} />
      <h2 class="visually-hidden" id="results">
        {t('libraryWeb.public.results')}
      </h2>
      {items.length === 0 ? (
        <p class="notice warn">{t('libraryWeb.public.empty')}</p>
      ) : (
        <ul class="library-list" role="list" aria-labelledby="results">
          {items.map((p) => (
            <li class="card" data-slug={p.slug}>
              <p class="kind">{t(`library.kinds.${p.kind}`)}</p>
              <h3>
                <a href={`/thu-vien/${p.slug}`}>{p.title}</a>
              </h3>
              {p.summary && <p>{p.summary}</p>}
              {p.publishedAt && <p class="hint">{t('libraryWeb.public.published', { date: formatDate(p.publishedAt, zone) })}</p>}
            </li>
          ))}
        </ul>
      )}
      {(f.page > 1 || more) && (
        <nav aria-label={t('libraryWeb.public.pages')}>
          <p class="actions">
            {f.page > 1 && <a href={hrefOf(f, f.page - 1)}>{t('libraryWeb.public.prev')}</a>}
            {more && <a href={hrefOf(f, f.page + 1)}>{t('libraryWeb.public.next')}</a>}
          </p>
        </nav>
      )}
    </Layout>
  )
}

/** A preview's description: the first 200 characters of the summary (or body), cut at a word. */
function previewText(text: string | null): string | undefined {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  if (!flat) return undefined
  if (flat.length <= 200) return flat
  const cut = flat.slice(0, 200)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 150))}…`
}

function ProductPage({ c, p, qr, zone, preview }: { c: Context; p: Product & { ownerUnitName: string | null }; qr: string | null; zone: string; preview?: LinkPreview }) {
  const { t } = pageText(c)
  return (
    <Layout c={c} title={p.title} phone preview={preview}>
      <p>
        <a href="/thu-vien">{t('libraryWeb.public.back')}</a>
      </p>
      <article>
        <p class="kind">{t(`library.kinds.${p.kind}`)}</p>
        <h1>{p.title}</h1>
        {p.publishedAt && <p class="hint">{t('libraryWeb.public.published', { date: formatDate(p.publishedAt, zone) })}</p>}
        {p.ownerUnitName && <p class="hint">{t('libraryWeb.public.owner', { name: p.ownerUnitName })}</p>}
        {p.summary && <p class="lead">{p.summary}</p>}
        {p.imageUrl && <img src={p.imageUrl} alt="" loading="lazy" />}
        <Paragraphs text={p.body} />
        {p.link && (
          <p>
            <a href={p.link} rel="noopener noreferrer">
              {t('libraryWeb.public.openLink')}
            </a>
          </p>
        )}
        {p.tags.length > 0 && (
          <ul class="tags" role="list" aria-label={t('libraryWeb.public.tags')}>
            {p.tags.map((tag) => (
              <li class="badge unknown">{tag}</li>
            ))}
          </ul>
        )}
      </article>
      {qr && (
        <figure class="qr library-qr" role="img" aria-label={t('libraryWeb.public.qr')}>
          {raw(qr)}
          <figcaption class="hint">{t('libraryWeb.public.qrHint')}</figcaption>
        </figure>
      )}
    </Layout>
  )
}
