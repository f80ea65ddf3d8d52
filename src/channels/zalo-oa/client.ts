import type { z } from 'zod'
import { ChannelError, type ChannelErrorKind } from '../../core/channel.js'
import { callJson } from '../shared/http.js'
import { oaEnvelopeSchema, oaInfoSchema, oaSendResultSchema, oaTokenErrorSchema, oaTokenSchema, type OaTokens } from './schemas.js'

/**
 * What the OA's error codes mean for a send. Reported by client authors, not all documented
 * (platforms.md §2 marks them unsure): a wrong guess is a change to this table, nothing else.
 */
export const OA_ERROR_KINDS: Record<number, ChannelErrorKind | 'token'> = {
  /** Access token invalid, expired or revoked: refresh and try once more. */
  [-216]: 'token',
  [-220]: 'token',
  [-124]: 'token',
  /** The person has not written to the OA within the window (7 days): consultation refused. */
  [-230]: 'window_closed',
  [-232]: 'window_closed',
  /** Out of the month's message quota. */
  [-211]: 'quota',
  [-240]: 'quota',
  /** The person unfollowed or blocked the OA. */
  [-213]: 'blocked',
  [-217]: 'blocked',
  /** Too many requests in a short time. */
  [-32]: 'rate_limited',
}

export interface OaMessage {
  text: string
  attachment?: {
    type: 'template'
    payload: { buttons: { title: string; type: string; payload: string | Record<string, string> }[] }
  }
}

export interface OaTokenSource {
  /** A usable access token (refreshed first when it is about to lapse); null when the OA is not connected. */
  accessToken(): Promise<string | null>
  /** The OA refused the access token: get a new one now (null when that is impossible). */
  refreshNow(): Promise<string | null>
}

export interface ZaloOaClientOptions {
  appId: string
  appSecret: string
  apiRoot: string
  oauthRoot: string
  fetch?: typeof fetch
  timeoutMs?: number
}

/**
 * A small typed client for the Zalo OA API v3 and its OAuth v4 token endpoint. Written by hand:
 * no maintained SDK for OA v3 is published on npm. Tokens ride in headers, never in URLs or errors.
 */
export function createZaloOaClient(options: ZaloOaClientOptions) {
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 10_000

  /** The OA reads a status without JSON its own way: 403 and 408 are not the bot's "blocked" and "retry". */
  const oaKindOf = (code: number): ChannelErrorKind => (code === 429 ? 'rate_limited' : code >= 500 ? 'transient' : 'permanent')
  const request = (method: string, url: string, init: RequestInit) =>
    callJson({ channel: 'zalo_oa', method, url, init, timeoutMs, fetch: doFetch }, oaKindOf)

  /** One call with one access token; a token refusal is reported as kind 'token' for the caller to refresh. */
  async function call<T extends z.ZodType>(method: string, path: string, token: string, body: unknown, schema: T): Promise<z.infer<T>> {
    const { res, json } = await request(
      method,
      `${options.apiRoot}${path}`,
      body === undefined
        ? { method: 'GET', headers: { access_token: token } }
        : { method: 'POST', headers: { 'content-type': 'application/json', access_token: token }, body: JSON.stringify(body) },
    )
    const envelope = oaEnvelopeSchema.safeParse(json)
    if (!envelope.success) throw new ChannelError('zalo_oa', method, 'transient', res.status, 'unexpected answer')
    const code = envelope.data.error ?? 0
    if (res.status >= 500) throw new ChannelError('zalo_oa', method, 'transient', res.status, envelope.data.message ?? `HTTP ${res.status}`)
    if (code !== 0) {
      const kind = OA_ERROR_KINDS[code] ?? (res.status === 429 ? 'rate_limited' : 'permanent')
      throw new OaCallError(method, kind, code, envelope.data.message ?? 'error')
    }
    return schema.parse(envelope.data.data ?? {})
  }

  async function token(method: string, params: Record<string, string>): Promise<OaTokens> {
    const { res, json } = await request(method, `${options.oauthRoot}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: options.appSecret },
      body: new URLSearchParams({ app_id: options.appId, ...params }).toString(),
    })
    const ok = oaTokenSchema.safeParse(json)
    if (ok.success) return ok.data
    const err = oaTokenErrorSchema.safeParse(json)
    const code = err.success ? err.data.error : undefined
    const why = err.success ? (err.data.error_name ?? err.data.error_reason ?? err.data.error_description) : undefined
    throw new ChannelError('zalo_oa', method, res.status >= 500 ? 'transient' : 'permanent', code ?? res.status, why ?? `HTTP ${res.status}`)
  }

  return {
    /** POST /v3.0/oa/message/cs: a consultation message, within the window after the person last wrote. */
    sendCs: (accessToken: string, userId: string, message: OaMessage) =>
      call('message/cs', '/v3.0/oa/message/cs', accessToken, { recipient: { user_id: userId }, message }, oaSendResultSchema),
    /** POST /v3.0/oa/message/transaction: a transaction template, where the OA may send one. */
    sendTransaction: (accessToken: string, userId: string, message: OaMessage) =>
      call('message/transaction', '/v3.0/oa/message/transaction', accessToken, { recipient: { user_id: userId }, message }, oaSendResultSchema),
    /** GET /v2.0/oa/getoa: the OA's profile (id and name). */
    getOa: (accessToken: string) => call('oa/getoa', '/v2.0/oa/getoa', accessToken, undefined, oaInfoSchema),
    /** OAuth v4 with PKCE: the code from the callback for the first token pair. */
    exchangeCode: (code: string, codeVerifier: string) =>
      token('access_token', { grant_type: 'authorization_code', code, code_verifier: codeVerifier }),
    /** A new pair for the refresh token, which is spent by this call (they rotate). */
    refresh: (refreshToken: string) => token('refresh_token', { grant_type: 'refresh_token', refresh_token: refreshToken }),
    /** Where to send the admin to grant the OA's permission (OAuth v4, PKCE S256). */
    permissionUrl: (redirectUri: string, challenge: string, state: string) =>
      `${options.oauthRoot}/v4/oa/permission?${new URLSearchParams({ app_id: options.appId, redirect_uri: redirectUri, code_challenge: challenge, state })}`,
  }
}

export type ZaloOaClient = ReturnType<typeof createZaloOaClient>

/** A refused call; kind 'token' is internal (refresh and retry) and never leaves the adapter. */
export class OaCallError extends ChannelError {
  constructor(method: string, readonly oaKind: ChannelErrorKind | 'token', code: number, description: string) {
    super('zalo_oa', method, oaKind === 'token' ? 'transient' : oaKind, code, description)
  }
}
