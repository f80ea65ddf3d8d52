import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { reach, reachPeriod, reachQuerySchema } from '../../domain/reach.js'
import { readQuery } from '../validate.js'

/** GET /api/reach?from=&to=: who the bots reached, per unit and role, with counts and shares. */
export function reachRoutes(deps: AppDeps) {
  const app = new Hono()
  app.get('/reach', async (c) => {
    const q = readQuery(c, reachQuerySchema)
    const { from, to } = reachPeriod(q, deps.clock(), deps.config.timezone)
    if (to.getTime() <= from.getTime()) {
      throw new AppError('invalid_input', 'api.errors.invalidQuery', undefined, [{ path: 'to', message: 'api.checks.toAfterFrom' }])
    }
    return c.json(await reach(deps.db, from, to))
  })
  return app
}
