import { Hono } from 'hono'
import { channelNames, type MessengerName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { channelStates, liftPause } from '../../domain/channels.js'
import { AppError } from '../../errors.js'

/**
 * GET /api/channels: each channel's state (on, connected, token expiry, quota used this month,
 * limits, paused). DELETE /api/channels/:channel/pause lifts a quota pause at once.
 * POST /api/channels/zalo-oa/connect starts connecting the OA.
 */
export function channelRoutes(deps: AppDeps) {
  const app = new Hono()
  app.get('/channels', async (c) => c.json({ items: await channelStates(deps) }))
  /**
   * POST /api/channels/zalo-oa/connect: the OAuth v4 permission URL (PKCE), as the CLI prints it;
   * for Workers, where the CLI cannot reach D1. Zalo calls back PUBLIC_URL/oauth/zalo-oa/callback.
   */
  app.post('/channels/zalo-oa/connect', async (c) => {
    const connection = deps.channels.zalo_oa?.connection
    if (!connection) throw new AppError('not_found', 'api.errors.channelOff', { channel: 'zalo_oa' })
    if (!deps.config.publicUrl) throw new AppError('unprocessable', 'api.errors.noPublicUrl')
    const redirectUri = `${deps.config.publicUrl}/oauth/zalo-oa/callback`
    return c.json({ url: await connection.startAuthorization(redirectUri, deps.clock()), redirectUri })
  })
  app.delete('/channels/:channel/pause', async (c) => {
    const name = c.req.param('channel').replace(/-/g, '_') as MessengerName
    if (!channelNames.includes(name)) throw new AppError('not_found', 'api.errors.channelOff', { channel: name })
    return c.json({ channel: name, lifted: await liftPause(deps.db, name) })
  })
  return app
}
