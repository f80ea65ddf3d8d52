import { Hono } from 'hono'
import { channelNames } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { databaseAnswers } from '../domain/health.js'

/** GET /healthz: 200 when the database answers, with each channel's state; 503 otherwise. */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono()
  app.get('/healthz', async (c) => {
    const database = (await databaseAnswers(deps.db)) ? 'ok' : 'error'
    const channels = Object.fromEntries(channelNames.map((n) => [n, deps.channels[n] ? 'on' : 'off']))
    const ok = database === 'ok'
    return c.json({ ok, database, channels, mode: deps.config.botMode, time: deps.clock().toISOString() }, ok ? 200 : 503)
  })
  return app
}
