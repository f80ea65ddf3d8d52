import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { createPeriod, duePeriod, findDuePeriod, listPeriods } from '#src/domain/reporting/periods.js'
import { previewReminders } from '#src/domain/reporting/preview.js'
import { periodStatus } from '#src/domain/reporting/status.js'
import { statusTable } from '#src/domain/reporting/table.js'
import { workbook } from '#src/domain/spreadsheet.js'
import { toErrorResponse } from '#src/errors.js'
import { csvResponse, xlsxResponse } from '#src/http/csv.js'
import { localDay, parseLocalDay } from '#src/time.js'
import { errorPage } from '../../errors.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { emptyPeriodForm, periodInput, readPeriodForm, type PeriodForm } from './form.js'
import { PeriodListPage, PeriodPage } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** /admin/periods: report periods, their status by unit, downloads, and the reminder preview. */
export function periodRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone

  const periodOf = async (c: Context) => {
    const id = Number(c.req.param('id'))
    const period = Number.isSafeInteger(id) && id > 0 ? await findDuePeriod(db, id, tz) : undefined
    return period ?? null
  }

  const listPage = async (c: Context, form: PeriodForm, error?: string, status: 200 | 422 = 200) => {
    const { periods } = await listPeriods(db, { limit: 100, offset: 0 })
    const rows = []
    // Each with the deadline in force (a day off moves it), as the period's own page shows it.
    for (const row of periods) {
      const p = await duePeriod(db, row, tz)
      rows.push({ p, totals: (await periodStatus(db, p)).totals })
    }
    const canCreate = roleAllows(accountOf(c).role, 'admin')
    return c.html(PeriodListPage({ c, rows, tz, canCreate, form, error }), status)
  }

  app.get('/admin/periods', (c) => listPage(c, emptyPeriodForm))

  app.post('/admin/periods', async (c) => {
    const { t, locale } = pageText(c)
    const form = readPeriodForm(await c.req.parseBody({ all: true }))
    const due = parseLocalDay(form.due)
    if (!due) return listPage(c, form, t('consolePeriods.badDay', { value: form.due }), 422)
    const closes = form.closes ? parseLocalDay(form.closes) : undefined
    if (closes === null) return listPage(c, form, t('consolePeriods.badDay', { value: form.closes }), 422)
    try {
      const period = await createPeriod(db, periodInput(form, due, closes), tz)
      return c.redirect(`/admin/periods/${period.id}?created=1`, 303)
    } catch (err) {
      const known = toErrorResponse(err, locale)
      if (!known) throw err
      const detail = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : ''
      return listPage(c, form, [known.body.error.message, detail].filter(Boolean).join(' '), 422)
    }
  })

  app.get('/admin/periods/:id', async (c) => {
    const period = await periodOf(c)
    if (!period) return errorPage(c, 404, 'api.errors.noPeriod', { id: c.req.param('id') })
    const status = await periodStatus(db, period)
    const asked = c.req.query('day')
    const day = asked ? parseLocalDay(asked) : localDay(deps.clock(), tz)
    const preview = day ? await previewReminders(deps, day, period.id) : null
    return c.html(PeriodPage({ c, period, status, tz, asked, day, preview }))
  })

  app.get('/admin/periods/:id/download/:format{csv|xlsx}', async (c) => {
    const period = await periodOf(c)
    if (!period) return errorPage(c, 404, 'api.errors.noPeriod', { id: c.req.param('id') })
    const table = statusTable(await periodStatus(db, period), pageText(c).locale, tz)
    const name = `bao-cao-ky-${period.id}`
    if (c.req.param('format') === 'csv') return csvResponse(c, `${name}.csv`, table)
    return xlsxResponse(c, `${name}.xlsx`, await workbook([{ name: period.name, rows: table }]))
  })

  return app
}
