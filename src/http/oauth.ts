import { Hono } from 'hono'
import { ConnectionError } from '../core/channel.js'
import type { AppDeps } from '../deps.js'
import { errorBody } from '../errors.js'
import { translate } from '../i18n.js'
import { detectLocale, localeOf } from './locale.js'
import type { AppEnv } from './env.js'

/**
 * GET /oauth/zalo-oa/callback?code=…&state=…&oa_id=…: where Zalo sends the admin back after they
 * granted the permission that `npm run cli -- zalo-oa connect` asked for. The state must be one
 * that command made (single use, an hour); the code is traded for tokens, stored encrypted.
 */
export function oauthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/oauth/zalo-oa/callback', detectLocale, async (c) => {
    const locale = localeOf(c)
    const connection = deps.channels.zalo_oa?.connection
    if (!connection) return c.json(errorBody(locale, 'not_found', 'api.errors.channelOff', { channel: 'zalo_oa' }), 404)
    const code = c.req.query('code')
    const state = c.req.query('state')
    if (!code || !state || code.length > 2048 || state.length > 256) {
      return c.json(errorBody(locale, 'invalid_input', 'api.errors.oauthMissing'), 400)
    }
    try {
      await connection.completeAuthorization({ code, state, accountId: c.req.query('oa_id')?.slice(0, 64) }, deps.clock())
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err
      deps.logger.warn({ channel: 'zalo_oa', reason: err.reason }, 'oauth callback refused')
      if (err.reason === 'bad_state') return c.json(errorBody(locale, 'invalid_input', 'api.errors.oauthBadState'), 400)
      return c.json(errorBody(locale, 'unprocessable', 'api.errors.oauthRefused', { reason: err.message.slice(0, 200) }), 422)
    }
    deps.logger.info({ channel: 'zalo_oa' }, 'zalo oa connected')
    return c.json({ ok: true, message: translate(locale, 'api.oauth.connected') })
  })
  return app
}
