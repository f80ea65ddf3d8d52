import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { createPeriod, duePeriod, findDuePeriod, listPeriods, periodInputSchema, presentPeriod } from '../../domain/reporting/periods.js'
import { previewReminders } from '../../domain/reporting/preview.js'
import { periodStatus, type UnitStatus } from '../../domain/reporting/status.js'
import { selfAssessments } from '../../domain/criteria/chat.js'
import { overdueFirst, statusTable } from '../../domain/reporting/table.js'
import { workbook } from '../../domain/spreadsheet.js'
import { localDay } from '../../time.js'
import { AppError } from '../../errors.js'
import { csvResponse, xlsxResponse } from '../csv.js'
import { localeOf } from '../locale.js'
import { idParam, readJson, readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

function presentUnitStatus(u: UnitStatus) {
  const r = u.report
  return {
    unitCode: u.unit.code,
    unitName: u.unit.name,
    unitKind: u.unit.kind,
    status: u.state,
    submittedAt: r?.submittedAt.toISOString() ?? null,
    // An erased sender is not named: the report stays the unit's, sent by someone no longer on file.
    submittedBy: r
      ? r.submittedByName === null
        ? { id: null, fullName: null, erased: true, channel: r.channel }
        : { id: r.submittedBy, fullName: r.submittedByName, channel: r.channel }
      : null,
    version: r?.version ?? 0,
    report: r
      ? { activities: r.activities, digitalProducts: r.digitalProducts, briefedPercent: r.briefedPercent, difficulties: r.difficulties }
      : null,
    focalPoints: u.focalPoints.map((f) => ({ id: f.personId, fullName: f.fullName, linked: f.chat !== null })),
    noLinkedFocalPoint: u.noLinkedFocalPoint,
  }
}

/** Reporting periods and who is done, late or missing. */
export function reportRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.post('/report-periods', async (c) => {
    const input = await readJson(c, periodInputSchema)
    const period = await createPeriod(db, input, deps.config.timezone)
    const status = await periodStatus(db, period)
    return c.json({ ...presentPeriod(await duePeriod(db, period, deps.config.timezone)), totals: status.totals }, 201)
  })

  // Each period's totals read every unit's status: a page at a time keeps a long history cheap.
  app.get('/report-periods', async (c) => {
    const q = readQuery(
      c,
      z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }),
    )
    const { total, periods } = await listPeriods(db, q)
    const items = []
    for (const p of periods) items.push({ ...presentPeriod(await duePeriod(db, p, deps.config.timezone)), totals: (await periodStatus(db, p)).totals })
    return c.json({ total, limit: q.limit, offset: q.offset, items })
  })

  app.get('/report-periods/:id/status', async (c) => {
    const id = idParam(c)
    const q = readQuery(c, z.object({ format: z.enum(['json', 'csv', 'xlsx']).default('json') }))
    const period = await findDuePeriod(db, id, deps.config.timezone)
    if (!period) throw new AppError('not_found', 'api.errors.noPeriod', { id })
    const status = await periodStatus(db, period)
    if (q.format !== 'json') {
      const table = statusTable(status, localeOf(c), deps.config.timezone)
      const name = `bao-cao-ky-${period.id}`
      if (q.format === 'csv') return csvResponse(c, `${name}.csv`, table)
      return xlsxResponse(c, `${name}.xlsx`, await workbook([{ name: period.name, rows: table }]))
    }
    const items = overdueFirst(status.units).map(presentUnitStatus)
    if (period.criteriaYear === null) return c.json({ period: presentPeriod(period), totals: status.totals, items })
    // A period tied to a criteria set: each unit's self-assessment of it rides with its report.
    const self = await selfAssessments(db, period.criteriaYear, status.units.map((u) => u.unit))
    const byCode = new Map(status.units.map((u) => [u.unit.code, self.get(u.unit.id) ?? null]))
    return c.json({ period: presentPeriod(period), totals: status.totals, items: items.map((i) => ({ ...i, selfAssessment: byCode.get(i.unitCode) ?? null })) })
  })

  // Who the reminders job would message on a day (default today), without sending anything.
  app.get('/report-periods/:id/reminders', async (c) => {
    const id = idParam(c)
    const q = readQuery(c, z.object({ day: z.iso.date().optional() }))
    const period = await findDuePeriod(db, id, deps.config.timezone)
    if (!period) throw new AppError('not_found', 'api.errors.noPeriod', { id })
    const day = q.day ?? localDay(deps.clock(), deps.config.timezone)
    return c.json({ period: presentPeriod(period), day, items: await previewReminders(deps, day, id) })
  })

  return app
}
