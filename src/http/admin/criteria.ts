import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { resultSheets } from '../../domain/criteria/export.js'
import { measureYearTargets } from '../../domain/criteria/public-results.js'
import { criteriaSetSchema, selfAssessmentSchema } from '../../domain/criteria/set.js'
import { appraise, findSet, freeze, frozenResults, liveResults, listSets, presentSet, publishSet, saveSet, selfAssess, unitCodeOf } from '../../domain/criteria/workflow.js'
import { workbook } from '../../domain/spreadsheet.js'
import { AppError, zodDetails, zodErrorMap } from '../../errors.js'
import { callerOf } from '../auth.js'
import { xlsxResponse } from '../csv.js'
import { localeOf } from '../locale.js'
import { readJson, readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

const yearParam = (c: Context): number => {
  const year = Number(c.req.param('year'))
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('not_found', 'criteria.errors.notFound', { year: c.req.param('year') ?? '' })
  return year
}

/** The set as JSON: a shape that does not fit is a 422 with a message per field, in the request's language. */
async function readSet(c: Context) {
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch {
    throw new AppError('invalid_input', 'api.errors.invalidJson')
  }
  const parsed = criteriaSetSchema.safeParse(body, { error: zodErrorMap(localeOf(c)) })
  if (!parsed.success) throw new AppError('unprocessable', 'criteria.errors.invalidSet', undefined, zodDetails(parsed.error))
  return parsed.data
}

const appraisalSchema = z.object({ points: z.number().min(0).max(1000), comment: z.string().trim().min(1).max(2000) })
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() })

/** Below admin, a person self-assesses only their own unit (the admin token and admins: any unit). */
async function mayAssess(deps: AppDeps, c: Context, unitCode: string) {
  const caller = callerOf(c)
  if (!caller || caller.role === 'admin' || caller.personId === null) return
  if ((await unitCodeOf(deps.db, caller.personId)) !== unitCode) throw new AppError('forbidden', 'criteria.errors.notYourUnit')
}

/**
 * The criteria set scored per unit (issue 21): POST/GET /api/criteria/:year (the set), …/publish,
 * PUT …/units/:unit/self/:criterion (self-assessment with evidence), PUT …/units/:unit/appraisal/:criterion,
 * GET …/live (computed now), POST …/freeze, GET …/results[?version=] and …/results.xlsx (frozen).
 */
export function criteriaRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const tz = deps.config.timezone

  app.get('/criteria', async (c) => c.json({ sets: await listSets(deps.db) }))
  app.get('/criteria/:year', async (c) => c.json(presentSet(await findSet(deps.db, yearParam(c)))))
  app.post('/criteria/:year', async (c) => {
    const year = yearParam(c)
    const set = await readSet(c)
    return c.json(presentSet(await saveSet(deps.db, year, set, deps.clock())), 201)
  })
  app.post('/criteria/:year/publish', async (c) => c.json(presentSet(await publishSet(deps.db, yearParam(c), deps.clock()))))

  app.put('/criteria/:year/units/:unit/self/:criterion', async (c) => {
    const year = yearParam(c)
    const body = await readJson(c, selfAssessmentSchema)
    const unit = c.req.param('unit')
    await mayAssess(deps, c, unit)
    await selfAssess(deps.db, year, unit, c.req.param('criterion'), body, deps.clock())
    return c.json({ ok: true })
  })
  app.put('/criteria/:year/units/:unit/appraisal/:criterion', async (c) => {
    const year = yearParam(c)
    const body = await readJson(c, appraisalSchema)
    await appraise(deps.db, year, c.req.param('unit'), c.req.param('criterion'), body, callerOf(c)?.personId ?? null, deps.clock())
    return c.json({ ok: true })
  })

  app.get('/criteria/:year/live', async (c) => c.json(await liveResults(deps.db, await findSet(deps.db, yearParam(c)), tz)))
  app.post('/criteria/:year/freeze', async (c) => {
    const year = yearParam(c)
    const body = await readJson(c, z.object({ note: z.string().trim().min(1).max(2000).optional() }).default({}))
    const now = deps.clock()
    const measure = () => measureYearTargets(deps.db, year, { rhythm: deps.config.reachRhythm, timeZone: tz, now })
    return c.json(await freeze(deps.db, year, body.note, now, tz, measure), 201)
  })
  app.get('/criteria/:year/results', async (c) => c.json(await frozenResults(deps.db, yearParam(c), readQuery(c, versionQuery).version)))
  app.get('/criteria/:year/results.xlsx', async (c) => {
    const year = yearParam(c)
    const results = await frozenResults(deps.db, year, readQuery(c, versionQuery).version)
    return xlsxResponse(c, `tieu-chi-${year}-v${results.version}.xlsx`, await workbook(resultSheets(results, localeOf(c))))
  })
  return app
}
