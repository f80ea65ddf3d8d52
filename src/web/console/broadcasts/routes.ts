import { Hono, type Context } from 'hono'
import type { BroadcastKind } from '#db/schema/index.js'
import { dayOffAt } from '#src/domain/calendar/working.js'
import type { AppDeps } from '#src/deps.js'
import { previewFingerprint } from '#src/domain/broadcast/fingerprint.js'
import { previewBroadcast } from '#src/domain/broadcast/render.js'
import { broadcastInputSchema, broadcastKinds, type BroadcastInput } from '#src/domain/broadcast/schemas.js'
import { broadcastStats, createBroadcast, getBroadcast, listBroadcasts, previewAudience, remindUnacknowledged, unacknowledgedByUnit } from '#src/domain/broadcast/service.js'
import { listObservances, planObservance } from '#src/domain/broadcast/observance.js'
import { listUnits } from '#src/domain/directory/units.js'
import { briefFromProduct } from '#src/domain/library/broadcasts.js'
import { getProduct } from '#src/domain/library/products.js'
import { MAX_BODY_LENGTH } from '#src/domain/broadcast/schemas.js'
import { publicPath } from '#src/domain/web/public-slugs.js'
import { AppError } from '#src/errors.js'
import type { Translate } from '#src/i18n.js'
import { MAX_QUERY_OFFSET, queryInt } from '../../form.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { dateTimeValue, errorMessages, readAudience, readDateTime, readForm, validate, type FormData } from '../forms.js'
import { composeDraftOf, contentFields, draftIdOf, draftRoutes, saveDraftFromForm, type ComposeDraft } from './drafts.js'
import { readPublicAudience } from './public.js'
import { subscriberResults } from '#src/domain/broadcast/subscribers.js'
import { BroadcastListPage, BroadcastPage, ComposePage, fieldLabel, flash, PAGE_SIZE, type ComposeView, type Preview } from './views.js'
import type { AppEnv } from '#src/http/env.js'

function idOf(c: Context): number {
  const id = Number(c.req.param('id'))
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', 'api.errors.noBroadcast', { id: c.req.param('id') ?? '' })
  return id
}

const emptyDraft = (): ComposeDraft => ({
  kind: 'announcement',
  title: '',
  body: '',
  link: '',
  imageUrl: '',
  requireAck: true,
  audience: { unitCodes: [], includeSubunits: true, unitKinds: [], roles: [], platforms: [] },
  when: 'now',
  scheduled: { date: '', time: '' },
  observance: { date: '', daysBefore: '', yearly: true },
})

function readDraft(form: FormData): ComposeDraft {
  const kind = form.get('kind')
  return {
    kind: (broadcastKinds as readonly string[]).includes(kind) ? (kind as BroadcastKind) : 'announcement',
    title: form.get('title'),
    body: form.get('body'),
    link: form.get('link'),
    imageUrl: form.get('imageUrl'),
    requireAck: form.get('requireAck') === 'on',
    audience: readPublicAudience(form, readAudience(form)),
    when: form.get('when') === 'later' ? 'later' : form.get('when') === 'observance' ? 'observance' : 'now',
    scheduled: dateTimeValue(form, 'scheduled'),
    observance: { date: form.get('observanceDate'), daysBefore: form.get('observanceDaysBefore'), yearly: form.get('observanceYearly') === 'on' },
    ...(/^[1-9]\d{0,9}$/.test(form.get('productId')) ? { productId: Number(form.get('productId')) } : {}),
  }
}

/** The compose form checked as the API checks a broadcast: its input and time, or what is wrong (and the status). */
function checkCompose(c: Context, deps: AppDeps, form: FormData, draft: ComposeDraft): { input: BroadcastInput; scheduledAt: Date | null } | { errors: string[]; status: 400 | 422 } {
  const { t } = pageText(c)
  const errors: string[] = []
  let scheduledAt: Date | null = null
  if (draft.when === 'later') {
    const at = readDateTime(t, form, 'scheduled', t('consoleContent.broadcasts.scheduledAt'), deps.config.timezone)
    if (at && 'error' in at) errors.push(at.error)
    else if (at) scheduledAt = at.at
  }
  const parsed = validate(c, broadcastInputSchema, { ...contentFields(draft), ...(scheduledAt ? { scheduledAt: scheduledAt.toISOString() } : {}) }, (path) => fieldLabel(t, path.split('.')[0]!))
  if ('errors' in parsed) errors.push(...parsed.errors)
  if (errors.length || !('data' in parsed)) return { errors, status: 400 }
  if (scheduledAt && scheduledAt.getTime() < deps.clock().getTime() - 5 * 60_000) return { errors: [t('api.errors.scheduledInPast')], status: 422 }
  return { input: parsed.data, scheduledAt }
}

/** "Gửi trước ngày kỷ niệm": the send time from the calendar, as the API makes it; 422 (thrown) for an unknown day or N out of 0..60. */
async function observancePlan(c: Context, deps: AppDeps, draft: ComposeDraft) {
  if (draft.when !== 'observance') return null
  const n = draft.observance.daysBefore.trim()
  const daysBefore = /^-?\d+$/.test(n) ? Number(n) : NaN
  if (!Number.isInteger(daysBefore)) throw new AppError('unprocessable', 'api.errors.daysBeforeRange', { value: n })
  return planObservance(deps.db, { date: draft.observance.date, daysBefore, yearly: draft.observance.yearly }, deps.clock(), deps.config.timezone)
}

const labelOf = (t: Translate) => (path: string) => fieldLabel(t, path.split('.')[0]!)

/** The announcements: list, compose with a count and a preview, send or schedule, follow, remind, cancel. */
export function broadcastPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  /** Each recipient's message carries their own signed link to the brief's page when PUBLIC_URL is set; the preview shows its shape. */
  const pageLinkExample = deps.config.publicUrl ? `${deps.config.publicUrl}${publicPath('broadcast', '…')}?p=…` : undefined
  const composePage = async (c: Context, draft: ComposeDraft, view: ComposeView = {}) => {
    const product = draft.productId ? await getProduct(db, draft.productId) : undefined
    const carried = product ? { id: product.id, title: product.title } : undefined
    return c.html(ComposePage({ c, deps, units: await listUnits(db), observances: await listObservances(db), draft, view: { ...view, product: carried } }), view.status ?? 200)
  }
  const preview = async (c: Context, input: BroadcastInput, scheduledAt: Date | null): Promise<Preview> => ({
    counts: await previewAudience(db, input.audience),
    messages: previewBroadcast({ id: 0, kind: input.kind, title: input.title, body: input.body, link: input.link ?? null, imageUrl: input.imageUrl ?? null, requireAck: input.requireAck }, pageText(c).locale, pageLinkExample),
    checked: await previewFingerprint(input, scheduledAt),
    scheduledAt,
    dayOff: scheduledAt ? await dayOffAt(db, scheduledAt, deps.config.timezone) : null,
  })

  app.get('/admin/broadcasts', async (c) => {
    const page = queryInt(c.req.query('page'), 1, MAX_QUERY_OFFSET / PAGE_SIZE)
    const list = await listBroadcasts(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
    return c.html(BroadcastListPage({ c, page, list, zone: deps.config.timezone }))
  })

  app.get('/admin/broadcasts/new', async (c) => {
    // "Gửi thành bản tin" from a library entry: a brief with its text, carrying the entry.
    const asked = c.req.query('product')
    if (asked === undefined) return composePage(c, emptyDraft())
    const product = /^[1-9]\d{0,9}$/.test(asked) ? await getProduct(db, Number(asked)) : undefined
    if (!product) throw new AppError('not_found', 'library.errors.notFound', { id: asked })
    const brief = briefFromProduct(product, deps.config.publicUrl, MAX_BODY_LENGTH)
    return composePage(c, { ...emptyDraft(), kind: 'brief', link: '', imageUrl: '', ...brief, productId: product.id })
  })

  /**
   * One form, two buttons: "Xem trước" checks the fields, counts the audience and shows the
   * messages; "Gửi" sends what was previewed. A send whose audience or time changed since the
   * preview is shown again with the new count instead of being sent.
   */
  app.post('/admin/broadcasts/new', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const draft = readDraft(form)
    const draftId = draftIdOf(form.get('draftId'))
    if (form.get('action') === 'draft') {
      const saved = await saveDraftFromForm(c, deps, draft, draftId, labelOf(t))
      return saved instanceof Response ? saved : composePage(c, draft, { errors: saved.errors, status: 400, draftId })
    }
    const checked = checkCompose(c, deps, form, draft)
    if ('errors' in checked) return composePage(c, draft, { ...checked, draftId })
    let { input, scheduledAt } = checked
    try {
      const plan = await observancePlan(c, deps, draft)
      if (plan) ({ input, scheduledAt } = { input: { ...input, scheduledAt: plan.scheduledAt.toISOString() }, scheduledAt: plan.scheduledAt })
      const shown = form.get('action') === 'send' ? null : await preview(c, input, scheduledAt)
      if (shown) return composePage(c, draft, { preview: shown, draftId })
      // The send button commits to what was previewed: the audience, the time and the text.
      if (form.get('checked') !== (await previewFingerprint(input, scheduledAt))) {
        return composePage(c, draft, { preview: await preview(c, input, scheduledAt), notice: t('consoleContent.broadcasts.changed'), draftId })
      }
      // A brief scheduled on a day off goes only when the sender ticked that they mean it.
      if (scheduledAt && form.get('confirmDayOff') !== '1' && (await dayOffAt(db, scheduledAt, deps.config.timezone))) {
        return composePage(c, draft, { preview: await preview(c, input, scheduledAt), notice: t('consoleContent.broadcasts.dayOffUnconfirmed'), draftId })
      }
      const horizonMs = deps.config.deliveryHorizonHours * 3_600_000
      const observance = plan ? { schedule: plan.schedule, year: plan.year } : undefined
      const { broadcast } = await createBroadcast(db, input, { now: deps.clock(), createdBy: accountOf(c).personId, horizonMs, observance, ...(draftId ? { draftId } : {}) })
      return c.redirect(`/admin/broadcasts/${broadcast.id}?done=created`, 303)
    } catch (err) {
      const messages = errorMessages(c, err, labelOf(t))
      if (!messages) throw err
      return composePage(c, draft, { errors: messages, status: err instanceof AppError && err.code === 'conflict' ? 409 : 422, draftId })
    }
  })

  app.get('/admin/broadcasts/:id', async (c) => {
    const { t, locale } = pageText(c)
    const id = idOf(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    if (b.status === 'draft') return composePage(c, composeDraftOf(b), { draftId: b.id, notice: flash(t, c) ?? t('consoleContent.broadcasts.draftNotice') })
    const [stats, pending, publicResults] = await Promise.all([broadcastStats(db, id), unacknowledgedByUnit(db, id), subscriberResults(db, b)])
    const pendingAll = [...pending.values()].reduce((n, list) => n + list.length, 0)
    return c.html(BroadcastPage({ c, deps, b, stats, pendingAll, publicResults, messages: previewBroadcast(b, locale, pageLinkExample) }))
  })

  app.post('/admin/broadcasts/:id/remind', async (c) => {
    const id = idOf(c)
    const form = await readForm(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const unitCode = form.get('unitCode') || undefined
    const horizonMs = deps.config.deliveryHorizonHours * 3_600_000
    const { people, queued } = await remindUnacknowledged(db, b, { unitCode, now: deps.clock(), timeZone: deps.config.timezone, horizonMs })
    return c.redirect(`/admin/broadcasts/${id}?done=reminded&people=${people}&queued=${queued}`, 303)
  })

  app.route('/', draftRoutes(deps))
  return app
}
