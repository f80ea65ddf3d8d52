import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { resultSheets } from '#src/domain/criteria/export.js'
import { appliesToKind, selfAssessmentSchema, type CriteriaSet } from '#src/domain/criteria/set.js'
import { findSet, frozenResults, liveResults, listSets, selfAssess, unitCodeOf, type YearResults } from '#src/domain/criteria/workflow.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { workbook } from '#src/domain/spreadsheet.js'
import { AppError, toErrorResponse } from '#src/errors.js'
import { xlsxResponse } from '#src/http/csv.js'
import { publicBase } from '#src/http/public-links.js'
import { errorPage } from '../../errors.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { CriteriaListPage, CriteriaYearPage, type SelfForm } from './views.js'
import type { AppEnv } from '#src/http/env.js'

const emptyForm: SelfForm = { criterion: '', points: '', note: '', evidence: '' }

/**
 * /admin/criteria: the years' criteria sets; /admin/criteria/:year: every unit's scores (the latest
 * frozen snapshot, else computed now), the .xlsx, and the account's unit's self-assessment form.
 */
export function criteriaPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone

  const yearOf = (c: Context) => {
    const year = Number(c.req.param('year'))
    return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : null
  }

  /** The account's own unit, when it may self-assess (an editor or above, with a person). */
  const ownUnit = async (c: Context) => {
    const account = accountOf(c)
    if (account.personId === null || !roleAllows(account.role, 'editor')) return undefined
    return unitCodeOf(db, account.personId)
  }

  const yearPage = async (c: Context, year: number, form: SelfForm, error?: string, status: 200 | 422 = 200) => {
    const row = await findSet(db, year).catch(() => undefined)
    if (!row) return errorPage(c, 404, 'criteria.errors.notFound', { year })
    const frozen: YearResults | undefined = row.status === 'frozen' ? await frozenResults(db, year).catch(() => undefined) : undefined
    const results = frozen ?? (await liveResults(db, row, tz))
    const unitCode = row.status === 'published' ? await ownUnit(c) : undefined
    const unit = results.units.find((u) => u.unit.code === unitCode)?.unit
    const set = row.tree as CriteriaSet
    const manual = unit
      ? set.groups.filter((g) => appliesToKind(g, unit.kind)).flatMap((g) => g.criteria.filter((k) => k.type === 'manual' && appliesToKind(k, unit.kind)))
      : []
    const account = accountOf(c)
    const publicPage = { base: publicBase(deps.config, c), origins: roleAllows(account.role, 'admin') ? deps.config.embedOrigins : undefined }
    return c.html(CriteriaYearPage({ c, row, results, tz, publicPage, self: unit && manual.length ? { unit, criteria: manual, form, error } : undefined }), status)
  }

  app.get('/admin/criteria', async (c) => c.html(CriteriaListPage({ c, sets: await listSets(db) })))

  app.get('/admin/criteria/:year', async (c) => {
    const year = yearOf(c)
    if (year === null) return errorPage(c, 404, 'criteria.errors.notFound', { year: c.req.param('year') })
    return yearPage(c, year, emptyForm)
  })

  app.get('/admin/criteria/:year/results.xlsx', async (c) => {
    const year = yearOf(c)
    if (year === null) return errorPage(c, 404, 'criteria.errors.notFound', { year: c.req.param('year') })
    const results = await frozenResults(db, year).catch(() => undefined)
    if (!results) return errorPage(c, 404, 'criteria.errors.noSnapshot', { year, version: 1 })
    return xlsxResponse(c, `tieu-chi-${year}-v${results.version}.xlsx`, await workbook(resultSheets(results, pageText(c).locale)))
  })

  app.post('/admin/criteria/:year/self', async (c) => {
    const year = yearOf(c)
    if (year === null) return errorPage(c, 404, 'criteria.errors.notFound', { year: c.req.param('year') })
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const form: SelfForm = { criterion: String(body.criterion ?? ''), points: String(body.points ?? ''), note: String(body.note ?? ''), evidence: String(body.evidence ?? '') }
    const unitCode = await ownUnit(c)
    if (!unitCode) return yearPage(c, year, form, t('criteria.noOwnUnit'), 422)
    const parsed = selfAssessmentSchema.safeParse({
      points: form.points.trim() === '' ? Number.NaN : Number(form.points.replace(',', '.')),
      note: form.note || undefined,
      evidence: form.evidence.split(/\s+/).filter(Boolean),
    })
    try {
      if (!parsed.success) throw new AppError('unprocessable', 'criteria.errors.invalidSelf')
      await selfAssess(db, year, unitCode, form.criterion, parsed.data, deps.clock())
    } catch (err) {
      const known = toErrorResponse(err, locale)
      if (!known) throw err
      return yearPage(c, year, form, known.body.error.message, 422)
    }
    return c.redirect(`/admin/criteria/${year}?saved=${encodeURIComponent(form.criterion)}`, 303)
  })

  return app
}
