import { Hono } from 'hono'
import { channelNames, type ChannelName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { channelStates, liftPause } from '../../domain/channels.js'
import { AppError } from '../../errors.js'

/**
 * GET /api/channels: each channel's state (on, connected, token expiry, quota used this month,
 * limits, paused). DELETE /api/channels/:channel/pause lifts a quota pause at once.
 */
export function channelRoutes(deps: AppDeps) {
  const app = new Hono()
  app.get('/channels', async (c) => c.json({ items: await channelStates(deps) }))
  app.delete('/channels/:channel/pause', async (c) => {
    const name = c.req.param('channel').replace(/-/g, '_') as ChannelName
    if (!channelNames.includes(name)) throw new AppError('not_found', 'api.errors.channelOff', { channel: name })
    return c.json({ channel: name, lifted: await liftPause(deps.db, name) })
  })
  return app
}
