import type { z } from 'zod'
import { ChannelError, classifyHttpCode } from '../../core/channel.js'
import { callJson, notJsonError } from '../shared/http.js'
import {
  zaloEnvelopeSchema,
  zaloMeSchema,
  zaloSendResultSchema,
  zaloUpdateSchema,
  type ZaloUpdate,
} from './schemas.js'

export interface ZaloClientOptions {
  token: string
  apiRoot: string
  fetch?: typeof fetch
  /** Per-call timeout; sendPhoto makes Zalo download the image, so it gets twice this. */
  timeoutMs?: number
}

/**
 * A small typed client for the Zalo Bot Platform API (`POST {root}/bot{token}/{method}`, JSON).
 * Written by hand: no maintained SDK is published on npm. Modelled on grammY's Api: one `call`
 * that checks the envelope and throws a ChannelError naming the method, never the token.
 */
export function createZaloClient(options: ZaloClientOptions) {
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 10_000

  async function call<T extends z.ZodType>(
    method: string,
    params: Record<string, unknown>,
    resultSchema: T,
    callTimeoutMs = timeoutMs,
  ): Promise<z.infer<T>> {
    const { res, json } = await callJson(
      {
        channel: 'zalo',
        method,
        url: `${options.apiRoot}/bot${options.token}/${method}`,
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) },
        timeoutMs: callTimeoutMs,
        fetch: doFetch,
      },
      classifyHttpCode,
    )
    // A proxy in front of the API has answered 429 with an HTML page, or JSON that is not Zalo's.
    const parsed = zaloEnvelopeSchema.safeParse(json)
    if (!parsed.success) throw notJsonError('zalo', method, res, classifyHttpCode)
    const envelope = parsed.data
    if (!envelope.ok) {
      const code = Number(envelope.error_code ?? res.status)
      const retryAfter = envelope.parameters?.retry_after ?? Number(res.headers.get('retry-after') ?? '')
      // "Quota exceeded" is how the Bot Platform says the month's messages are spent [doc]; the
      // delivery layer pauses the channel until the quota resets (an admin can lift it sooner).
      const kind = code === 429 && /quota/i.test(envelope.description ?? '') ? 'quota' : classifyHttpCode(code)
      throw new ChannelError(
        'zalo',
        method,
        kind,
        code,
        envelope.description ?? 'error',
        Number.isFinite(retryAfter) && retryAfter! > 0 ? retryAfter : undefined,
      )
    }
    return resultSchema.parse(envelope.result ?? {})
  }

  return {
    getMe: () => call('getMe', {}, zaloMeSchema),
    sendMessage: (chatId: string, text: string) =>
      call('sendMessage', { chat_id: chatId, text }, zaloSendResultSchema),
    sendPhoto: (chatId: string, photo: string, caption?: string) =>
      call('sendPhoto', { chat_id: chatId, photo, ...(caption ? { caption } : {}) }, zaloSendResultSchema, timeoutMs * 2),
    setWebhook: (url: string, secretToken: string) =>
      call('setWebhook', { url, secret_token: secretToken }, zaloEnvelopeSchema.shape.result),
    deleteWebhook: () => call('deleteWebhook', {}, zaloEnvelopeSchema.shape.result),
    /**
     * Long-polls for one update. An empty poll is error 408, which is returned as null. There is no
     * offset: the update is gone from Zalo once handed out, so store it before handling it.
     */
    async getUpdate(timeoutSeconds: number): Promise<ZaloUpdate | null> {
      try {
        const result = await call(
          'getUpdates',
          { timeout: String(timeoutSeconds) },
          zaloUpdateSchema.nullable().catch(null),
          (timeoutSeconds + 10) * 1000,
        )
        return result
      } catch (err) {
        if (err instanceof ChannelError && err.code === 408) return null
        throw err
      }
    },
  }
}

export type ZaloClient = ReturnType<typeof createZaloClient>
