import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { describeTargets, parseTargetId, planTargets, resolveSpan, spanQuerySchema, targetPeople, targetProducts, targetUnits, type TargetId } from '../../domain/targets.js'
import { halfYearSummary } from '../../domain/summary.js'
import { workbook } from '../../domain/spreadsheet.js'
import { xlsxResponse } from '../csv.js'
import { localeOf } from '../locale.js'
import { readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'


const unitsQuerySchema = spanQuerySchema.extend({ ward: z.string().trim().min(1).max(64).optional() })
const peopleQuerySchema = spanQuerySchema.extend({
  unit: z.string().trim().min(1).max(64),
  state: z.enum(['counted', 'missing']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

const targetParam = (c: Context): TargetId => parseTargetId(c.req.param('id') ?? '')

/**
 * GET /api/targets: the plan's targets over a span, each with its title, definition and ward roll-up;
 * GET /api/targets/:id/units?ward=CODE: one target per unit; GET /api/targets/:id/people?unit=CODE:
 * the people behind it; GET /api/targets/digitalProducts/products: the library entries counted.
 */
export function targetRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const options = () => ({ rhythm: deps.config.reachRhythm, timeZone: deps.config.timezone, now: deps.clock() })

  // The six-monthly summary as an .xlsx workbook: targets, reach by ward, reporting, content, questions.
  app.get('/summary', async (c) => {
    const q = readQuery(c, z.object({ year: z.coerce.number().int().min(2000).max(2100), half: z.coerce.number().int().min(1).max(2) }))
    const { filename, sheets } = await halfYearSummary(deps, q.year, q.half as 1 | 2, localeOf(c))
    return xlsxResponse(c, filename, await workbook(sheets))
  })

  app.get('/targets', async (c) => {
    const q = readQuery(c, spanQuerySchema)
    const opts = options()
    const span = await resolveSpan(deps.db, q, opts.now, opts.timeZone)
    const result = await planTargets(deps.db, span, opts)
    return c.json({ ...result, targets: describeTargets(localeOf(c), opts.rhythm, result.targets) })
  })

  app.get('/targets/:id/units', async (c) => {
    const id = targetParam(c)
    const { ward, ...q } = readQuery(c, unitsQuerySchema)
    const opts = options()
    const span = await resolveSpan(deps.db, q, opts.now, opts.timeZone)
    const [described] = describeTargets(localeOf(c), opts.rhythm, [{ id }])
    return c.json({ ...described, ...(await targetUnits(deps.db, id, span, { ...opts, ward })) })
  })

  app.get('/targets/:id/people', async (c) => {
    const id = targetParam(c)
    const { unit, state, limit, offset, ...q } = readQuery(c, peopleQuerySchema)
    const opts = options()
    const span = await resolveSpan(deps.db, q, opts.now, opts.timeZone)
    const [described] = describeTargets(localeOf(c), opts.rhythm, [{ id }])
    return c.json({ ...described, ...(await targetPeople(deps.db, id, span, { ...opts, unit, state, limit, offset })) })
  })

  // The library entries behind the products target (digitalProducts only; 422 for the others).
  app.get('/targets/:id/products', async (c) => {
    const id = targetParam(c)
    const q = readQuery(c, spanQuerySchema)
    const opts = options()
    const span = await resolveSpan(deps.db, q, opts.now, opts.timeZone)
    const [described] = describeTargets(localeOf(c), opts.rhythm, [{ id }])
    const items = await targetProducts(deps.db, id, span)
    return c.json({ ...described, count: items.length, items: items.map((p) => ({ ...p, publishedAt: p.publishedAt.toISOString() })) })
  })
  return app
}
