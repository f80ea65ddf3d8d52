import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { reach, reachFlags, reachPeriod, reachQuerySchema } from '../../domain/reach.js'
import { translate } from '../../i18n.js'
import { localDay } from '../../time.js'
import { csvResponse } from '../csv.js'
import { localeOf } from '../locale.js'
import { readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

const querySchema = reachQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') })
const percent = (s: number | null | undefined) => (s == null ? '' : Math.round(s * 1000) / 10)

/**
 * GET /api/reach?from=&to=: who the bots reached, per unit and role, with counts and shares.
 * `format=csv`: one row per unit, for the six-monthly compilation in a spreadsheet.
 */
export function reachRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/reach', async (c) => {
    const q = readQuery(c, querySchema)
    const { from, to } = reachPeriod(q, deps.clock(), deps.config.timezone)
    if (to.getTime() <= from.getTime()) {
      throw new AppError('invalid_input', 'api.errors.invalidQuery', undefined, [{ path: 'to', message: 'api.checks.toAfterFrom' }])
    }
    const result = await reach(deps.db, from, to)
    if (q.format === 'json') return c.json(result)
    const locale = localeOf(c)
    type Column = 'unitCode' | 'unitName' | 'staffCount' | 'people' | 'briefedShare' | 'reachedShare' | (typeof reachFlags)[number]
    const t = (k: Column) => translate(locale, `api.csv.${k}`)
    const header = [t('unitCode'), t('unitName'), t('staffCount'), t('people'), ...reachFlags.map(t), t('briefedShare'), t('reachedShare')]
    const rows = result.byUnit.map((u) => [
      u.unitCode,
      u.unitName,
      u.staffCount ?? '',
      u.people,
      ...reachFlags.map((f) => u.counts[f] ?? 0),
      percent(u.shares.briefed),
      percent(u.shares.reached),
    ])
    // Named by the local days it covers: from its first day to its last (the end is exclusive).
    const tz = deps.config.timezone
    const last = localDay(new Date(to.getTime() - 1), tz)
    const name = q.from ? `tiep-can-${localDay(from, tz)}-${last}.csv` : `tiep-can-den-${last}.csv`
    return csvResponse(c, name, [header, ...rows])
  })
  return app
}
