import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { planTargets } from '../../domain/targets.js'
import { translate } from '../../i18n.js'
import { localDay } from '../../time.js'
import { localeOf } from '../locale.js'
import { readQuery } from '../validate.js'

const querySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() })

/** GET /api/targets?year=2026: the plan's targets against the records, each with its title. */
export function targetRoutes(deps: AppDeps) {
  const app = new Hono()
  app.get('/targets', async (c) => {
    const { year } = readQuery(c, querySchema)
    const now = deps.clock()
    const tz = deps.config.timezone
    const thisYear = Number(localDay(now, tz).slice(0, 4))
    const result = await planTargets(deps.db, year ?? thisYear, now, tz)
    const locale = localeOf(c)
    return c.json({
      ...result,
      targets: result.targets.map(({ id, ...rest }) => ({ id, title: translate(locale, `api.targets.${id}`), ...rest })),
    })
  })
  return app
}
