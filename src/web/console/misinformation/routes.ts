import { Hono, type Context } from 'hono'
import { claimStatuses, type ClaimStatus } from '#src/domain/misinformation/states.js'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { workingClock } from '#src/domain/calendar/working.js'
import { claimClocks } from '#src/domain/misinformation/sheet.js'
import { getClaim, listMisinformation, maySpeak, publishCorrection, transitionClaim } from '#src/domain/misinformation/claims.js'
import { listAgencies } from '#src/domain/misinformation/agencies.js'
import { fileReport } from '#src/domain/misinformation/intake.js'
import { correctionInputSchema, MAX_CORRECTION_TEXT, MAX_LINKS, MAX_REPORT_TEXT, statsQuerySchema, transitionInputSchema } from '#src/domain/misinformation/schemas.js'
import { auditRange } from '#src/domain/console/schemas.js'
import { misinformationStats } from '#src/domain/misinformation/stats.js'
import type { ClaimActor } from '#src/domain/misinformation/views.js'
import { toErrorResponse } from '#src/errors.js'
import { errorPage } from '../../errors.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { readForm } from '../forms.js'
import { ClaimPage, DeskPage, StatsPage, type Notice } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** The links typed in a form's textarea: one a line (or separated by spaces), blanks dropped. */
export function splitLinks(text: string): string[] {
  return text
    .split(/\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** A calendar day typed as yyyy-mm-dd that exists (not 2026-02-30). */
const realDay = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

const positiveId = (s: string | undefined) => {
  const n = Number(s)
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

function actorOf(c: Context): ClaimActor {
  const account = accountOf(c)
  return account.personId === null ? { kind: 'admin_token', personId: null } : { kind: 'account', personId: account.personId }
}

/** A domain error's message in the page's language (a 4xx), else rethrown. */
function knownError(c: Context, err: unknown): { status: 400 | 403 | 404 | 409 | 422; text: string } {
  const known = toErrorResponse(err, pageText(c).locale)
  if (!known || known.status >= 500) throw err
  return { status: known.status as 400, text: known.body.error.message }
}

/**
 * The misinformation desk in the console (issue 23): /admin/misinformation (claims, filters, an
 * admin's own entry, the clocks), /admin/misinformation/stats, /admin/misinformation/:id (reports,
 * audit trail, moves, the correction). Domain: src/domain/misinformation.
 */
export function misinformationPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone
  const stats = () => misinformationStats(db, { now: deps.clock(), clock: workingClock(deps.config) })

  const desk = async (c: Context, notice?: Notice, status: 200 | 201 | 400 | 422 = 200, form?: { text: string; links: string }) => {
    const asked = c.req.query('status')
    const filter = asked && (claimStatuses as readonly string[]).includes(asked) ? (asked as ClaimStatus) : undefined
    const agencyId = positiveId(c.req.query('agency'))
    const [list, agencies, figures] = await Promise.all([listMisinformation(db, { status: filter, agencyId }), listAgencies(db), stats()])
    const clocks = await claimClocks(db, list.claims, deps.clock(), workingClock(deps.config))
    const canEdit = roleAllows(accountOf(c).role, 'editor')
    return c.html(DeskPage({ c, ...list, clocks, agencies, status: filter, agencyId, canEdit, stats: figures, notice, form, tz }), status)
  }

  const claimPage = async (c: Context, id: number, notice?: Notice, status: 200 | 400 | 403 | 404 | 409 | 422 = 200, correctionDraft?: string) => {
    const account = accountOf(c)
    const [detail, agencies, canSpeak] = await Promise.all([getClaim(db, id), listAgencies(db), maySpeak(db, { role: account.role, personId: account.personId })])
    const clocks = (await claimClocks(db, [detail.claim], deps.clock(), workingClock(deps.config))).get(id)!
    const canEdit = roleAllows(account.role, 'editor')
    return c.html(ClaimPage({ c, detail, clocks, agencies, canEdit, canSpeak, images: deps.media !== undefined, notice, correctionDraft, tz }), status)
  }

  app.get('/admin/misinformation', (c) => desk(c))

  // An admin's (or editor's) own entry: a report on channel 'admin', as POST /api/misinformation.
  app.post('/admin/misinformation', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const text = form.get('text')
    const linksText = form.get('links')
    const links = splitLinks(linksText)
    const again = { text, links: linksText }
    if (!text && links.length === 0) return desk(c, { kind: 'error', text: t('consoleMisinfo.add.empty') }, 422, again)
    if (text.length > MAX_REPORT_TEXT) return desk(c, { kind: 'error', text: t('consoleMisinfo.add.tooLong', { max: MAX_REPORT_TEXT }) }, 422, again)
    if (links.length > MAX_LINKS) return desk(c, { kind: 'error', text: t('consoleMisinfo.add.tooManyLinks', { max: MAX_LINKS }) }, 422, again)
    const account = accountOf(c)
    const filed = await fileReport(
      db,
      { channel: 'admin', text, links, reporter: account.personId === null ? { kind: 'none' } : { kind: 'person', personId: account.personId }, now: deps.clock() },
      { similarity: deps.config.misinfoSimilarity },
    )
    const key = filed.joined ? 'consoleMisinfo.add.joined' : 'consoleMisinfo.add.filed'
    return claimPage(c, filed.claim.id, { kind: 'ok', text: t(key, { code: filed.report.code, id: filed.claim.id }) })
  })

  // The clocks per agency, over claims received from one day to another (both included; none: all).
  app.get('/admin/misinformation/stats', async (c) => {
    const { t } = pageText(c)
    const asked = { from: c.req.query('from') || undefined, to: c.req.query('to') || undefined }
    const q = statsQuerySchema.safeParse(asked)
    const days = q.success && [asked.from, asked.to].every((d) => d === undefined || realDay(d))
    if (!days) {
      return c.html(StatsPage({ c, stats: await stats(), range: {}, notice: { kind: 'error', text: t('consoleMisinfo.stats.badDay') } }), 422)
    }
    const { from, to } = auditRange(q.data, tz)
    const figures = await misinformationStats(db, { from, to, now: deps.clock(), clock: workingClock(deps.config) })
    return c.html(StatsPage({ c, stats: figures, range: asked }))
  })

  app.get('/admin/misinformation/:id', async (c) => {
    const id = positiveId(c.req.param('id'))
    if (!id) return errorPage(c, 404, 'web.errors.notFound')
    try {
      return await claimPage(c, id)
    } catch (err) {
      const e = knownError(c, err)
      return errorPage(c, e.status, 'web.errors.detail', { message: e.text })
    }
  })

  app.post('/admin/misinformation/:id/transition', async (c) => {
    const { t } = pageText(c)
    const id = positiveId(c.req.param('id'))
    if (!id) return errorPage(c, 404, 'web.errors.notFound')
    const form = await readForm(c)
    const parsed = transitionInputSchema.safeParse({
      to: form.get('to'),
      agency: positiveId(form.get('agency')),
      note: form.get('note') || undefined,
      risk: form.get('risk') || undefined,
    })
    if (!parsed.success) return claimPage(c, id, { kind: 'error', text: t('web.errors.detail', { message: parsed.error.issues.map((i) => i.message).join('; ') }) }, 422)
    try {
      const detail = await transitionClaim(deps, id, parsed.data, actorOf(c))
      return claimPage(c, id, { kind: 'ok', text: t('consoleMisinfo.claim.movedOk', { status: t(`consoleMisinfo.statuses.${detail.claim.status}`) }) })
    } catch (err) {
      const e = knownError(c, err)
      if (e.status === 404) return errorPage(c, 404, 'web.errors.detail', { message: e.text })
      return claimPage(c, id, { kind: 'error', text: e.text }, e.status)
    }
  })

  // Publishing a correction: an admin, or an editor holding the spokesperson permission (maySpeak).
  app.post('/admin/misinformation/:id/correction', async (c) => {
    const { t } = pageText(c)
    const id = positiveId(c.req.param('id'))
    if (!id) return errorPage(c, 404, 'web.errors.notFound')
    const account = accountOf(c)
    const form = await readForm(c)
    const text = form.get('text')
    if (!(await maySpeak(db, { role: account.role, personId: account.personId }))) {
      return claimPage(c, id, { kind: 'error', text: t('consoleMisinfo.claim.notSpokesperson') }, 403, text)
    }
    const staff = form.get('staff') === 'on'
    const subscribers = form.get('subscribers') === 'on'
    const parsed = correctionInputSchema.safeParse({
      text,
      broadcast: staff || subscribers ? { staff, ...(subscribers ? { subscribers: { wardCodes: [] } } : {}) } : undefined,
    })
    if (!parsed.success) return claimPage(c, id, { kind: 'error', text: t('consoleMisinfo.claim.empty', { max: MAX_CORRECTION_TEXT }) }, 422, text)
    try {
      const out = await publishCorrection(deps, id, parsed.data, actorOf(c))
      return claimPage(c, id, { kind: 'ok', text: t('consoleMisinfo.claim.published', { queued: out.queued, product: out.productId }) })
    } catch (err) {
      const e = knownError(c, err)
      if (e.status === 404) return errorPage(c, 404, 'web.errors.detail', { message: e.text })
      return claimPage(c, id, { kind: 'error', text: e.text }, e.status, text)
    }
  })

  return app
}
