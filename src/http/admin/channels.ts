import { Hono } from 'hono'
import { channelNames, type MessengerName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { channelStates, liftPause } from '../../domain/channels.js'
import { AppError } from '../../errors.js'
import { botView, sendTestMessage, setOaCredentials, setBotMode, setPublicUrl, turnOff, turnOnBot } from '../../domain/channel-admin.js'
import { translator } from '../../i18n.js'
import { localeOf } from '../locale.js'
import { callerOf } from '../auth.js'
import type { AppEnv } from '../env.js'

/**
 * GET /api/channels: each channel's state (on, connected, token expiry, quota used this month,
 * limits, paused). DELETE /api/channels/:channel/pause lifts a quota pause at once.
 * POST /api/channels/zalo-oa/connect starts connecting the OA. PUT and DELETE turn a messenger on
 * and off (admins only, by the access table's default): src/domain/channel-admin.ts.
 */
export function channelRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
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
  const body = (c: { req: { json(): Promise<unknown> } }) => c.req.json().catch(() => ({}))
  app.put('/channels/telegram', async (c) => c.json(await turnOnBot(deps, 'telegram', await body(c))))
  app.put('/channels/zalo', async (c) => c.json(await turnOnBot(deps, 'zalo', await body(c))))
  app.put('/channels/zalo-oa', async (c) => c.json(await setOaCredentials(deps, await body(c))))
  app.put('/channels/public-url', async (c) => c.json(await setPublicUrl(deps, await body(c))))
  app.put('/channels/bot-mode', async (c) => c.json(await setBotMode(deps, await body(c))))
  app.get('/channels/:channel/bot', (c) => c.json(botView(deps, channelParam(c.req.param('channel')))))
  app.delete('/channels/:channel', async (c) => c.json(await turnOff(deps, channelParam(c.req.param('channel')))))
  app.post('/channels/:channel/test', async (c) => {
    const channel = channelParam(c.req.param('channel'))
    const caller = callerOf(c) ?? { personId: null }
    const { chatId } = (await body(c)) as { chatId?: unknown }
    const text = translator(localeOf(c))('consoleChannels.testText', { channel: translator(localeOf(c))(`channel.${channel}`) })
    return c.json(await sendTestMessage(deps, channel, caller, chatId, text))
  })
  app.delete('/channels/:channel/pause', async (c) => {
    const name = c.req.param('channel').replace(/-/g, '_') as MessengerName
    if (!channelNames.includes(name)) throw new AppError('not_found', 'api.errors.channelOff', { channel: name })
    return c.json({ channel: name, lifted: await liftPause(deps.db, name) })
  })
  return app
}

function channelParam(param: string): MessengerName {
  const name = param.replace(/-/g, '_') as MessengerName
  if (!channelNames.includes(name)) throw new AppError('not_found', 'api.errors.channelOff', { channel: name })
  return name
}
