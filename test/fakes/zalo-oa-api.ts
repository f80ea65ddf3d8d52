import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FakeReply, RecordedCall } from './bot-api.js'

/**
 * A stand-in for the Zalo OA API v3 (openapi.zalo.me) and its OAuth v4 server (oauth.zaloapp.com)
 * on 127.0.0.1, answering like the shapes of the Official Account API v3 (test/fixtures/zalo-oa-*.json):
 * - GET /v4/oa/permission redirects to the redirect_uri with a one-time code bound to the PKCE challenge;
 * - POST /v4/oa/access_token trades a code (checking code_verifier) or a refresh token for a new
 *   pair; refresh tokens are single use (rotation), a spent one is refused;
 * - POST /v3.0/oa/message/cs and /transaction check the `access_token` header (-216 when unknown,
 *   -220 when expired), the person's window (-230), the month's quota (-211) and follows (-213).
 * Sends are recorded as `{ method: 'message/cs', params: { chat_id, text, buttons, body } }`.
 */
export async function startFakeZaloOaApi(options: { appId?: string; appSecret?: string; port?: number } = {}) {
  const appId = options.appId ?? '3608841123456789012'
  const appSecret = options.appSecret ?? 'fake-app-secret'
  const calls: RecordedCall[] = []
  const scripted: { method: string; reply: FakeReply; remaining: number }[] = []
  const codes = new Map<string, { challenge: string; redirect: string }>()
  const access = new Map<string, { expiresAt: number }>()
  let refreshToken: string | null = null
  const spentRefresh = new Set<string>()
  const closedWindows = new Set<string>()
  const blocked = new Set<string>()
  let quotaLeft = Infinity
  let refusing: { error: number; message: string } | null = null
  let nextId = 1
  let expiresIn = 90_000

  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))

  function issue() {
    const accessToken = `oa-access-${randomBytes(8).toString('hex')}`
    refreshToken = `oa-refresh-${randomBytes(8).toString('hex')}`
    access.set(accessToken, { expiresAt: Date.now() + expiresIn * 1000 })
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: String(expiresIn) }
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (req.method === 'GET' && url.pathname === '/v4/oa/permission') {
      const q = url.searchParams
      if (q.get('app_id') !== appId || !q.get('code_challenge') || !q.get('redirect_uri')) return json(res, 400, { error: -14002, error_name: 'Invalid parameter' })
      const code = `code-${randomBytes(6).toString('hex')}`
      codes.set(code, { challenge: q.get('code_challenge')!, redirect: q.get('redirect_uri')! })
      calls.push({ method: 'permission', token: '', params: Object.fromEntries(q), at: Date.now() })
      const back = new URL(q.get('redirect_uri')!)
      back.searchParams.set('code', code)
      back.searchParams.set('oa_id', '2185576190123456789')
      back.searchParams.set('state', q.get('state') ?? '')
      res.writeHead(302, { location: back.toString() }).end()
      return
    }
    if (req.method === 'GET' && url.pathname === '/v2.0/oa/getoa') {
      const token = String(req.headers['access_token'] ?? '')
      calls.push({ method: 'oa/getoa', token, params: {}, at: Date.now() })
      if (!access.has(token)) return json(res, 200, { error: -216, message: 'Access token is invalid' })
      return json(res, 200, { error: 0, message: 'Success', data: { oa_id: '2185576190123456789', name: 'Sở GD&ĐT Cần Thơ', is_verified: true } })
    }
    const raw = await readBody(req)
    if (req.method === 'POST' && url.pathname === '/v4/oa/access_token') {
      const p = Object.fromEntries(new URLSearchParams(raw))
      const method = p.grant_type === 'refresh_token' ? 'refresh_token' : 'access_token'
      calls.push({ method, token: '', params: p, at: Date.now() })
      const script = scripted.find((s) => s.method === method && s.remaining > 0)
      if (script) {
        script.remaining -= 1
        return json(res, script.reply.status ?? 200, script.reply.body)
      }
      if (req.headers['secret_key'] !== appSecret || p.app_id !== appId) return json(res, 200, { error: -14001, error_name: 'Invalid app secret' })
      if (p.grant_type === 'authorization_code') {
        const pending = codes.get(p.code ?? '')
        codes.delete(p.code ?? '')
        const challenge = createHash('sha256').update(p.code_verifier ?? '').digest('base64url')
        if (!pending || pending.challenge !== challenge) return json(res, 200, { error: -14019, error_name: 'Invalid code or code_verifier' })
        return json(res, 200, issue())
      }
      if (p.grant_type === 'refresh_token') {
        if (!p.refresh_token || p.refresh_token !== refreshToken) {
          return json(res, 200, { error: -14014, error_name: spentRefresh.has(p.refresh_token ?? '') ? 'Refresh token was used' : 'Invalid refresh token' })
        }
        spentRefresh.add(p.refresh_token)
        return json(res, 200, issue())
      }
      return json(res, 200, { error: -14002, error_name: 'Invalid grant_type' })
    }
    const send = /^\/v3\.0\/oa\/message\/(cs|transaction)$/.exec(url.pathname)
    if (req.method === 'POST' && send) {
      const method = `message/${send[1]}`
      let body: any
      try {
        body = JSON.parse(raw)
      } catch {
        return json(res, 200, { error: -201, message: 'Body is not JSON' })
      }
      const userId = String(body?.recipient?.user_id ?? '')
      const params = {
        chat_id: userId,
        text: body?.message?.text,
        buttons: body?.message?.attachment?.payload?.buttons,
        body,
      }
      const token = String(req.headers['access_token'] ?? '')
      const refuse = (tag: string, error: number, message: string) => {
        calls.push({ method: `${method}!${tag}`, token, params, at: Date.now() })
        json(res, 200, { error, message })
      }
      const script = scripted.find((s) => s.method === method && s.remaining > 0)
      if (script) {
        script.remaining -= 1
        calls.push({ method: `${method}!failed`, token, params, at: Date.now() })
        return json(res, script.reply.status ?? 200, script.reply.body)
      }
      if (refusing) return refuse('refused', refusing.error, refusing.message)
      const known = access.get(token)
      if (!known) return refuse('token', -216, 'Access token is invalid')
      if (known.expiresAt <= Date.now()) return refuse('token', -220, 'Access token has expired')
      if (!userId || typeof params.text !== 'string' || !params.text || params.text.length > 2000) return refuse('bad', -201, 'Parameters are invalid')
      if (blocked.has(userId)) return refuse('blocked', -213, 'User has not followed OA')
      if (method === 'message/cs' && closedWindows.has(userId)) return refuse('window', -230, 'User has not interacted with the OA in the past 7 days')
      if (quotaLeft <= 0) return refuse('quota', -211, 'Out of quota')
      quotaLeft -= 1
      calls.push({ method, token, params, at: Date.now() })
      return json(res, 200, { data: { message_id: `oam${nextId++}`, user_id: userId }, error: 0, message: 'Success' })
    }
    json(res, 404, { error: -404, message: 'Not found' })
  })

  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const isSend = (c: RecordedCall) => c.method.startsWith('message/') && !c.method.includes('!')

  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    calls,
    sent: () => calls.filter(isSend),
    sentTo: (chatId: string) => calls.filter((c) => isSend(c) && c.params.chat_id === chatId),
    /** A token pair as if the admin had just connected (for tests that start connected). */
    issueTokens: () => issue(),
    currentRefreshToken: () => refreshToken,
    /** Every access token issued so far stops working (-220), as after its 25 hours. */
    expireAccessTokens: () => {
      for (const v of access.values()) v.expiresAt = 0
    },
    setExpiresIn: (seconds: number) => {
      expiresIn = seconds
    },
    closeWindow: (userId: string) => closedWindows.add(userId),
    openWindow: (userId: string) => closedWindows.delete(userId),
    blockChat: (userId: string) => blocked.add(userId),
    setQuota: (left: number) => {
      quotaLeft = left
    },
    /** Every send is refused with this error until `refuse(null)`. */
    refuse: (error: { error: number; message: string } | null) => {
      refusing = error
    },
    failWith(method: string, reply: FakeReply, times = 1) {
      scripted.push({ method, reply, remaining: times })
    },
    reset() {
      calls.length = 0
      scripted.length = 0
      blocked.clear()
      closedWindows.clear()
      quotaLeft = Infinity
      refusing = null
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type FakeZaloOaApi = Awaited<ReturnType<typeof startFakeZaloOaApi>>

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The X-ZEvent-Signature Zalo sends with `raw`: mac=sha256(app_id + raw + timestamp + OA secret key). */
export function signOaEvent(raw: string, secretKey: string): string {
  const body = JSON.parse(raw) as { app_id?: string; timestamp?: string }
  return `mac=${createHash('sha256').update(`${body.app_id ?? ''}${raw}${body.timestamp ?? ''}${secretKey}`).digest('hex')}`
}
