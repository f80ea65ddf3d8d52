import type { Context } from 'hono'
import type { Product } from '#src/domain/library/products.js'
import { productCreateSchema, type ProductCreate } from '#src/domain/library/schemas.js'
import { formatDate, type Translate } from '#src/i18n.js'
import { parseLocalDateTime } from '#src/time.js'
import { validate, type FormData } from '../forms.js'

/** The product form as typed, kept to show it again with its problems. */
export interface ProductDraft {
  title: string
  kind: string
  summary: string
  body: string
  link: string
  imageUrl: string
  /** Comma-separated, as typed. */
  tags: string
  audience: string
  ownerUnitCode: string
  publishedDate: string
  publishedTime: string
  /** '' = from the publishing date. */
  status: string
  /** '' = by kind, 'yes', 'no'. */
  countsTowardTarget: string
  autoAnswer: boolean
}

export const blankProductDraft = (): ProductDraft => ({
  title: '',
  kind: 'article',
  summary: '',
  body: '',
  link: '',
  imageUrl: '',
  tags: '',
  audience: 'internal',
  ownerUnitCode: '',
  publishedDate: '',
  publishedTime: '',
  status: '',
  countsTowardTarget: '',
  autoAnswer: false,
})

export function readProductDraft(form: FormData): ProductDraft {
  return {
    title: form.get('title'),
    kind: form.get('kind'),
    summary: form.get('summary'),
    body: form.get('body'),
    link: form.get('link'),
    imageUrl: form.get('imageUrl'),
    tags: form.get('tags'),
    audience: form.get('audience'),
    ownerUnitCode: form.get('ownerUnitCode'),
    publishedDate: form.get('publishedDate'),
    publishedTime: form.get('publishedTime'),
    status: form.get('status'),
    countsTowardTarget: form.get('countsTowardTarget'),
    autoAnswer: form.get('autoAnswer') === 'on',
  }
}

/** An entry as the edit form shows it (dates in the app's time zone). */
export function draftOfProduct(p: Product, zone: string): ProductDraft {
  const hm = p.publishedAt ? new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(p.publishedAt) : ''
  return {
    title: p.title,
    kind: p.kind,
    summary: p.summary,
    body: p.body,
    link: p.link ?? '',
    imageUrl: p.imageUrl ?? '',
    tags: p.tags.join(', '),
    audience: p.audience,
    ownerUnitCode: p.ownerUnitCode ?? '',
    publishedDate: p.publishedAt ? formatDate(p.publishedAt, zone) : '',
    publishedTime: hm,
    status: p.status,
    countsTowardTarget: p.countsTowardTarget ? 'yes' : 'no',
    autoAnswer: p.autoAnswer,
  }
}

const FIELD_LABELS = {
  title: 'fieldTitle',
  kind: 'fieldKind',
  summary: 'fieldSummary',
  body: 'fieldBody',
  link: 'fieldLink',
  imageUrl: 'fieldImage',
  tags: 'fieldTags',
  audience: 'fieldAudience',
  ownerUnitCode: 'fieldOwner',
  publishedAt: 'fieldPublished',
  status: 'fieldStatus',
  countsTowardTarget: 'fieldTarget',
  autoAnswer: 'fieldAuto',
} as const

/** A field's label for an error ("tags.2" → "Thẻ, …"). */
export const fieldLabel = (t: Translate) => (path: string) => {
  const key = FIELD_LABELS[path.split('.')[0] as keyof typeof FIELD_LABELS]
  return key ? t(`libraryWeb.console.${key}`) : path
}

/** The publishing date typed (time optional: 00:00); null when empty; an error in words. */
function publishedAtOf(t: Translate, d: ProductDraft, zone: string): { at: Date | null } | { error: string } {
  if (!d.publishedDate && !d.publishedTime) return { at: null }
  const parsed = parseLocalDateTime(d.publishedDate, d.publishedTime || '00:00', zone)
  if ('at' in parsed) return parsed
  const field = t('libraryWeb.console.fieldPublished')
  const value = parsed.error.startsWith('date') ? d.publishedDate : d.publishedTime
  return { error: t(`consoleContent.when.${parsed.error}`, { field, value }) }
}

/**
 * The form as the API's input (`productCreateSchema`, the same checks and messages): a field left
 * empty is no value, tags split on commas, the target and the status "automatic" when not chosen.
 * `autoAnswer` only from an admin's form; editors' forms do not carry it.
 */
export function productFromForm(c: Context, t: Translate, d: ProductDraft, zone: string, isAdmin: boolean): { data: ProductCreate } | { errors: string[] } {
  const when = publishedAtOf(t, d, zone)
  const value = {
    kind: d.kind,
    title: d.title,
    summary: d.summary,
    body: d.body,
    link: d.link || null,
    imageUrl: d.imageUrl || null,
    tags: d.tags.split(',').map((s) => s.trim()).filter(Boolean),
    audience: d.audience,
    ownerUnitCode: d.ownerUnitCode || null,
    publishedAt: 'at' in when ? (when.at?.toISOString() ?? null) : null,
    status: d.status || undefined,
    countsTowardTarget: d.countsTowardTarget === 'yes' ? true : d.countsTowardTarget === 'no' ? false : undefined,
    autoAnswer: isAdmin ? d.autoAnswer : undefined,
  }
  const checked = validate(c, productCreateSchema, value, fieldLabel(t))
  const errors = [...('error' in when ? [when.error] : []), ...('errors' in checked ? checked.errors : [])]
  if (errors.length || !('data' in checked)) return { errors }
  return { data: checked.data }
}
