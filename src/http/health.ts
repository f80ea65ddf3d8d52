import { Hono } from 'hono'
import { channelNames } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { databaseAnswers } from '../domain/health.js'
import { isAdmin } from './auth.js'
import type { AppEnv } from './env.js'

/**
 * GET /healthz: 200 when the database answers, 503 otherwise. Anyone sees only that and the
 * database state; with the admin token it also shows each channel's state, the mode and the time.
 */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/healthz', async (c) => {
    const database = (await databaseAnswers(deps.db)) ? 'ok' : 'error'
    const ok = database === 'ok'
    const status = ok ? 200 : 503
    if (!(await isAdmin(c.req.header('authorization'), deps))) return c.json({ ok, database }, status)
    const channels = Object.fromEntries(channelNames.map((n) => [n, deps.channels[n] ? 'on' : 'off']))
    return c.json({ ok, database, channels, mode: deps.config.botMode, time: deps.clock().toISOString() }, status)
  })
  return app
}
