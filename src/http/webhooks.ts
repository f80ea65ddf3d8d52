import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Router } from '../core/router.js'
import type { ChannelName } from '../core/events.js'
import type { AppDeps } from '../deps.js'
import { errorBody } from '../errors.js'
import { localeOf } from './locale.js'
import type { AppEnv } from './env.js'

/** Whether a request URL's path is under /webhook/ (without parsing the whole URL). */
export function isWebhookUrl(url: string): boolean {
  const path = url.indexOf('/', url.indexOf('//') + 2)
  return path > 0 && url.startsWith('/webhook/', path)
}

/** Platforms send small JSON updates; anything bigger is not from them. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024

/**
 * POST /webhook/telegram, /webhook/zalo and /webhook/zalo-oa: size limit (413) → secret or signature (401) → JSON (400) →
 * parse (unknown → 200, ignored) → the router handles the update (a repeat → 200, duplicate) →
 * 200 once its effects and its replies are committed. A 2xx therefore always means "handled":
 * a crash before it makes the platform deliver the update again, and a crash after it loses
 * nothing. The replies are then sent by the delivery layer, outside the platform's wait.
 */
export function webhookRoutes(deps: AppDeps, router: Router) {
  const app = new Hono<AppEnv>()
  const tooLarge = (c: Context) => c.json(errorBody(localeOf(c), 'payload_too_large', 'api.errors.updateTooLarge'), 413)
  const streamLimit = bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: tooLarge })
  app.post(
    '/webhook/:channel',
    async (c, next) => {
      // With a Content-Length (what both platforms send) the header decides; touching the body
      // stream, as bodyLimit does, makes the Node adapter build a full web Request, which cost more
      // than the rest of the webhook. Chunked bodies still go through bodyLimit.
      const declared = c.req.header('content-length')
      if (declared === undefined) return streamLimit(c, next)
      if (!/^\d+$/.test(declared) || Number(declared) > MAX_WEBHOOK_BYTES) return tooLarge(c)
      await next()
    },
    async (c) => {
      // /webhook/zalo-oa is the OA's (channel names use '_', the URL a '-').
      const name = c.req.param('channel').replace(/-/g, '_') as ChannelName
      const adapter = Object.hasOwn(deps.channels, name) ? deps.channels[name] : undefined
      if (!adapter) return c.json(errorBody(localeOf(c), 'not_found', 'api.errors.channelOff', { channel: name }), 404)
      if (!(await adapter.verify(c.req.raw))) {
        deps.logger.warn({ channel: name }, 'webhook refused: wrong or missing secret')
        return c.json(errorBody(localeOf(c), 'unauthorized', 'api.errors.wrongSecret'), 401)
      }
      let body: unknown
      try {
        body = JSON.parse(await c.req.text())
      } catch {
        return c.json(errorBody(localeOf(c), 'invalid_input', 'api.errors.invalidJson'), 400)
      }
      const parsed = adapter.parse(body)
      // The outcome also rides in a header, since a Telegram reply body must be a Bot API call.
      if (!parsed) return c.json({ ok: true, ignored: true }, 200, { 'x-loa-update': 'ignored' })
      const ack = adapter.webhookAck?.(parsed)
      // The response already acknowledges the button press; the handlers need not call the API for it.
      const event = ack ? { ...parsed, callbackId: undefined } : parsed
      // Without a button press to answer, the response can carry the first reply instead.
      const receipt = await router.receive(event, { webhookReply: !ack && !!adapter.webhookReply })
      const call = ack ?? (receipt.webhookReply && adapter.webhookReply?.(event.chatId, receipt.webhookReply))
      if (receipt.status === 'duplicate') return c.json(call || { ok: true, duplicate: true }, 200, { 'x-loa-update': 'duplicate' })
      // Only when something waits in the outbox: a reply that rode in this response needs no sender.
      if (receipt.queued) await deps.defer(Promise.resolve(deps.sendReplies()), c)
      return c.json(call || { ok: true }, 200, { 'x-loa-update': 'accepted' })
    },
  )
  return app
}
