import type { Context } from 'hono'
import type { ProductKind, ProductStatus } from '#db/schema/index.js'
import { productAudiences, productKinds, productStatuses } from '#src/domain/library/pages.js'
import { KindFilter, YearFilter } from '../../library-filters.js'
import type { Product } from '#src/domain/library/products.js'
import type { ProductHit } from '#src/domain/library/search.js'
import { formatDate, type Translate } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { DataTable } from '../components/data-table.js'
import { FormPage } from '../components/form-page.js'
import { ListPage } from '../components/list-page.js'
import { FormNotice } from '../components/status-tabs.js'
import { CreateAction } from '../create-action.js'
import type { UnitOption } from '../forms.js'
import type { ProductDraft } from './form.js'

export interface LibraryFilter {
  q: string
  kind: ProductKind | undefined
  tag: string
  year: number | undefined
  status: ProductStatus | undefined
  page: number
}

/** The list's address with the same filters on another page. */
function pageHref(f: LibraryFilter, page: number): string {
  const q = new URLSearchParams()
  if (f.q) q.set('q', f.q)
  if (f.kind) q.set('kind', f.kind)
  if (f.tag) q.set('tag', f.tag)
  if (f.year) q.set('year', String(f.year))
  if (f.status) q.set('status', f.status)
  if (page > 1) q.set('page', String(page))
  const s = q.toString()
  return `/admin/library${s ? `?${s}` : ''}`
}

const doneNotice = (c: Context, t: Translate) => {
  const done = c.req.query('done')
  if (done === 'created') return { kind: 'ok', text: t('libraryWeb.console.created') }
  if (done === 'saved') return { kind: 'ok', text: t('libraryWeb.console.saved') }
  if (done === 'removed') return { kind: 'ok', text: t('libraryWeb.console.removed') }
  return null
}

/** The years the filter offers: this one and the nine before it. */
const recentYears = (now: Date, zone: string) => {
  const year = Number(formatDate(now, zone).slice(-4))
  return Array.from({ length: 10 }, (_, i) => year - i)
}

function LibraryFilters({ t, f, years }: { t: Translate; f: LibraryFilter; years: number[] }) {
  return (
    <form method="get" action="/admin/library" class="card grid" role="search">
      <div>
        <label for="q">{t('libraryWeb.console.search')}</label>
        <input id="q" name="q" type="search" value={f.q} aria-describedby="q-hint" />
        <p class="hint" id="q-hint">
          {t('libraryWeb.console.searchHint')}
        </p>
      </div>
      <KindFilter t={t} label={t('libraryWeb.console.kind')} any={t('libraryWeb.console.any')} value={f.kind} />
      <div>
        <label for="tag">{t('libraryWeb.console.tag')}</label>
        <input id="tag" name="tag" type="text" value={f.tag} maxlength={60} />
      </div>
      <YearFilter label={t('libraryWeb.console.year')} any={t('libraryWeb.console.any')} years={years} value={f.year} />
      <div>
        <label for="status">{t('libraryWeb.console.status')}</label>
        <select id="status" name="status">
          <option value="">{t('libraryWeb.console.anyActive')}</option>
          {productStatuses.map((s) => (
            <option value={s} selected={s === f.status}>
              {t(`libraryWeb.statuses.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="actions">
        <button type="submit">{t('libraryWeb.console.filter')}</button>
      </div>
    </form>
  )
}

/** /admin/library: the search and filters, then the entries found (drafts marked), a page at a time. */
export function LibraryListPage({ c, filter: f, items, more, zone, now }: { c: Context; filter: LibraryFilter; items: readonly ProductHit[]; more: boolean; zone: string; now: Date }) {
  const { t } = pageText(c)
  const statusCell = (p: Product) => (p.status === 'published' && p.publishedAt && p.publishedAt > now ? t('libraryWeb.console.scheduled') : t(`libraryWeb.statuses.${p.status}`))
  return (
    <ListPage
      c={c}
      title={t('libraryWeb.console.title')}
      before={
        <>
          <FormNotice notice={doneNotice(c, t)} />
          <p>{t('libraryWeb.console.intro')}</p>
          <CreateAction c={c} href="/admin/library/new" label={t('libraryWeb.console.create')} />
          <LibraryFilters t={t} f={f} years={recentYears(now, zone)} />
        </>
      }
      empty={items.length === 0}
      emptyText={t('libraryWeb.console.empty')}
      after={
        <nav aria-label={t('libraryWeb.public.pages')}>
          <p class="actions">
            {f.page > 1 && <a href={pageHref(f, f.page - 1)}>{t('libraryWeb.console.prev')}</a>}
            {(f.page > 1 || more) && <span>{t('libraryWeb.console.pageOf', { page: f.page })}</span>}
            {more && <a href={pageHref(f, f.page + 1)}>{t('libraryWeb.console.next')}</a>}
          </p>
        </nav>
      }
    >
      <DataTable
        rows={items}
        rowAttributes={(p) => ({ 'data-product': p.id, 'data-status': p.status })}
        columns={[
          {
            head: t('libraryWeb.console.colTitle'),
            rowHeader: true,
            cell: (p) => (
              <>
                {p.status === 'draft' && <span class="badge close">{t('libraryWeb.console.draftMark')}</span>} <a href={`/admin/library/${p.id}`}>{p.title}</a>
              </>
            ),
          },
          { head: t('libraryWeb.console.colKind'), cell: (p) => t(`library.kinds.${p.kind}`) },
          { head: t('libraryWeb.console.colStatus'), cell: statusCell },
          { head: t('libraryWeb.console.colAudience'), cell: (p) => t(`libraryWeb.audiencesShort.${p.audience}`) },
          { head: t('libraryWeb.console.colDate'), cell: (p) => (p.publishedAt ? formatDate(p.publishedAt, zone) : '—') },
          { head: t('libraryWeb.console.colTarget'), cell: (p) => (p.countsTowardTarget ? t('libraryWeb.console.yes') : t('libraryWeb.console.no')) },
        ]}
      />
    </ListPage>
  )
}

function Text({ id, label, value, max, hint, type = 'text' }: { id: string; label: string; value: string; max: number; hint?: string; type?: string }) {
  return (
    <div>
      <label for={id}>{label}</label>
      <input type={type} id={id} name={id} value={value} maxlength={max} aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  )
}

function Choice({ id, label, value, options }: { id: string; label: string; value: string; options: readonly (readonly [string, string])[] }) {
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
}

interface FormProps {
  c: Context
  draft: ProductDraft
  /** The entry edited; null for a new one. */
  product: Product | null
  extra: { opens: number; publicUrl: string | null } | null
  units: readonly UnitOption[]
  errors: string[]
  isAdmin: boolean
  zone: string
}

/** What the edit form shows above its fields: the last save, the public page and its opens, the way to delete. */
function ProductFacts({ c, t, product, extra, isAdmin }: { c: Context; t: Translate; product: Product; extra: FormProps['extra']; isAdmin: boolean }) {
  return (
    <>
      <p>
        <a href="/admin/library">{t('libraryWeb.console.back')}</a>
      </p>
      <FormNotice notice={doneNotice(c, t)} />
      <div class="card facts">
        <p id="public-page">{extra?.publicUrl ? <a href={extra.publicUrl}>{t('libraryWeb.console.publicPage', { url: extra.publicUrl })}</a> : t('libraryWeb.console.notPublic')}</p>
        <p data-count="opens">{t('libraryWeb.console.opens', { count: extra?.opens ?? 0 })}</p>
        <p>
          <a href={`/admin/broadcasts/new?product=${product.id}`}>{t('libraryWeb.console.sendAsBrief')}</a>
        </p>
        {isAdmin && (
          <p>
            <a href={`/admin/library/${product.id}/delete`}>{t('libraryWeb.console.remove')}</a>
          </p>
        )}
      </div>
    </>
  )
}

/** /admin/library/new and /admin/library/:id: every field of an entry; "tự động" for admins only. */
export function ProductFormPage(props: FormProps) {
  const { c, draft: d, product, isAdmin } = props
  const { t } = pageText(c)
  return (
    <FormPage
      c={c}
      t={t}
      title={product ? t('libraryWeb.console.editTitle', { title: product.title }) : t('libraryWeb.console.newTitle')}
      action={product ? `/admin/library/${product.id}` : '/admin/library/new'}
      errors={props.errors}
      submit={product ? t('libraryWeb.console.submitEdit') : t('libraryWeb.console.submitCreate')}
    >
      {product && <ProductFacts c={c} t={t} product={product} extra={props.extra} isAdmin={isAdmin} />}
      <Text id="title" label={t('libraryWeb.console.fieldTitle')} value={d.title} max={300} />
      <Choice id="kind" label={t('libraryWeb.console.fieldKind')} value={d.kind} options={productKinds.map((k) => [k, t(`library.kinds.${k}`)] as const)} />
      <div>
        <label for="summary">{t('libraryWeb.console.fieldSummary')}</label>
        <textarea id="summary" name="summary" class="short" maxlength={1000}>
          {d.summary}
        </textarea>
      </div>
      <div>
        <label for="body">{t('libraryWeb.console.fieldBody')}</label>
        <textarea id="body" name="body">
          {d.body}
        </textarea>
      </div>
      <Text id="link" type="url" label={t('libraryWeb.console.fieldLink')} value={d.link} max={2000} />
      <Text id="imageUrl" type="url" label={t('libraryWeb.console.fieldImage')} value={d.imageUrl} max={2000} />
      <Text id="tags" label={t('libraryWeb.console.fieldTags')} value={d.tags} max={1300} hint={t('libraryWeb.console.tagsHint')} />
      <Choice id="audience" label={t('libraryWeb.console.fieldAudience')} value={d.audience} options={productAudiences.map((a) => [a, t(`libraryWeb.audiences.${a}`)] as const)} />
      <Choice id="ownerUnitCode" label={t('libraryWeb.console.fieldOwner')} value={d.ownerUnitCode} options={[['', t('libraryWeb.console.noOwner')] as const, ...props.units.map((u) => [u.code, `${u.name} (${u.code})`] as const)]} />
      <fieldset class="datetime" id="published-fields">
        <legend>{t('libraryWeb.console.fieldPublished')}</legend>
        <div class="pair">
          <div>
            <label for="publishedDate">{t('consoleContent.when.date')}</label>
            <input type="text" id="publishedDate" name="publishedDate" value={d.publishedDate} inputmode="numeric" placeholder="dd/mm/yyyy" autocomplete="off" />
          </div>
          <div>
            <label for="publishedTime">{t('consoleContent.when.time')}</label>
            <input type="text" id="publishedTime" name="publishedTime" value={d.publishedTime} inputmode="numeric" placeholder="HH:mm" autocomplete="off" />
          </div>
        </div>
        <p class="hint">{t('libraryWeb.console.publishedHint')}</p>
        <p class="hint">{t('consoleContent.when.zone', { zone: props.zone })}</p>
      </fieldset>
      <Choice id="status" label={t('libraryWeb.console.fieldStatus')} value={d.status} options={[...(product ? [] : [['', t('libraryWeb.console.statusAuto')] as const]), ...productStatuses.map((s) => [s, t(`libraryWeb.statuses.${s}`)] as const)]} />
      <Choice
        id="countsTowardTarget"
        label={t('libraryWeb.console.fieldTarget')}
        value={d.countsTowardTarget}
        options={[...(product ? [] : [['', t('libraryWeb.console.targetAuto')] as const]), ['yes', t('libraryWeb.console.yes')] as const, ['no', t('libraryWeb.console.no')] as const]}
      />
      {isAdmin && (
        <p>
          <label class="check">
            <input type="checkbox" name="autoAnswer" checked={d.autoAnswer} /> {t('libraryWeb.console.fieldAuto')}
          </label>
        </p>
      )}
    </FormPage>
  )
}

/** /admin/library/:id/delete: what deleting does, and the one button that does it (admins). */
export function ProductDeletePage({ c, product }: { c: Context; product: Product }) {
  const { t } = pageText(c)
  const title = t('libraryWeb.console.removeTitle', { title: product.title })
  return (
    <Layout c={c} title={title}>
      <h1>{title}</h1>
      <p class="notice warn">{t('libraryWeb.console.removeWarn')}</p>
      <form method="post" action={`/admin/library/${product.id}/delete`} class="actions">
        <CsrfField c={c} />
        <button type="submit" class="danger">
          {t('libraryWeb.console.removeConfirm')}
        </button>
        <a href={`/admin/library/${product.id}`}>{t('libraryWeb.console.cancel')}</a>
      </form>
    </Layout>
  )
}
