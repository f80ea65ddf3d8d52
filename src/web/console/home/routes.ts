import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '#src/deps.js'
import { overview } from '#src/domain/overview.js'
import { halfYearSummary } from '#src/domain/summary.js'
import { workbook } from '#src/domain/spreadsheet.js'
import { describeTargets, parseTargetId, periodChoices, resolveSpan, spanQuerySchema, targetPeople, targetUnits } from '#src/domain/targets.js'
import { AppError } from '#src/errors.js'
import { xlsxResponse } from '#src/http/csv.js'
import { pageText } from '../../locale.js'
import { HomePage, PEOPLE_PAGE, TargetPeoplePage, TargetUnitsPage } from './views.js'
import type { AppEnv } from '#src/http/env.js'

function readPageQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidQuery')
  return parsed.data
}

/** A blank query value is "not given": the span form submits every field. */
const blankToUndefined = (q: Record<string, string>) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''))

const unitsQuery = z.object({ ward: z.string().trim().max(64).optional() })
const peopleQuery = z.object({
  unit: z.string().trim().min(1).max(64),
  state: z.enum(['counted', 'missing', '']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
})

/** GET /admin: the console's home; /admin/targets/:id/units and /people: the figures behind a target. */
export function homeRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const tz = deps.config.timezone
  const options = () => ({ rhythm: deps.config.reachRhythm, timeZone: tz, now: deps.clock() })
  const spanOf = async (c: Context) => {
    const parsed = spanQuerySchema.safeParse(blankToUndefined(c.req.query()))
    if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidQuery')
    const q = parsed.data
    return { q, span: await resolveSpan(deps.db, q, deps.clock(), tz) }
  }

  app.get('/admin/summary/:year{[0-9]{4}}/:half{[12]}', async (c) => {
    const { filename, sheets } = await halfYearSummary(deps, Number(c.req.param('year')), Number(c.req.param('half')) as 1 | 2, pageText(c).locale)
    return xlsxResponse(c, filename, await workbook(sheets))
  })

  app.get('/admin', async (c) => {
    const { q, span } = await spanOf(c)
    const wardTarget = parseTargetId(c.req.query('wardTarget') || 'managersTeachersReached')
    const opts = options()
    const [data, periods] = await Promise.all([overview(deps.db, span, opts), periodChoices(deps.db)])
    return c.html(HomePage({ c, deps, q, span, wardTarget, data, periods, rhythm: opts.rhythm }))
  })

  app.get('/admin/targets/:id/units', async (c) => {
    const id = parseTargetId(c.req.param('id'))
    const { q, span } = await spanOf(c)
    const { ward } = readPageQuery(c, unitsQuery)
    const opts = options()
    const result = await targetUnits(deps.db, id, span, { ...opts, ward: ward || undefined })
    const [described] = describeTargets(pageText(c).locale, opts.rhythm, [{ id }])
    return c.html(TargetUnitsPage({ c, id, q, result, described: described! }))
  })

  app.get('/admin/targets/:id/people', async (c) => {
    const id = parseTargetId(c.req.param('id'))
    const { q, span } = await spanOf(c)
    const { unit, state, offset } = readPageQuery(c, peopleQuery)
    const opts = options()
    const list = await targetPeople(deps.db, id, span, { ...opts, unit, state: state || undefined, limit: PEOPLE_PAGE, offset })
    const [described] = describeTargets(pageText(c).locale, opts.rhythm, [{ id }])
    return c.html(TargetPeoplePage({ c, id, q, unit, state, offset, list, described: described!, rhythm: opts.rhythm, tz }))
  })
  return app
}
