import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedCall {
  method: string
  token: string
  params: Record<string, any>
  at: number
}

export interface FakeReply {
  status?: number
  body: unknown
}

export interface FakeBotApiOptions {
  platform: 'telegram' | 'zalo'
  /** Messages per second accepted overall before answering 429 (unlimited when absent). */
  ratePerSecond?: number
  /** Seconds announced in 429 answers. */
  retryAfter?: number
  /** Fixed port (default: any free one). */
  port?: number
}

/**
 * A stand-in for the Telegram Bot API or the Zalo Bot Platform API on 127.0.0.1. It records every
 * call, answers like the real thing, and can be told to fail: `failWith` for the next calls of a
 * method, `blockChat` for a chat that blocked the bot, `ratePerSecond` for flood limits.
 */
export async function startFakeBotApi(options: FakeBotApiOptions) {
  const calls: RecordedCall[] = []
  const scripted: { method: string; reply: FakeReply; remaining: number }[] = []
  const blocked = new Set<string>()
  const pending: unknown[] = []
  let nextMessageId = 1000
  let windowStart = 0
  let windowCount = 0
  let rate = options.ratePerSecond
  /** While set, every call is answered with this HTTP status and an HTML page, as a proxy would. */
  let down: number | null = null
  /** Sends to these chats are answered only after this many milliseconds. */
  const held = new Map<string, number>()

  /** Files a person "sent" (Telegram): getFile hands out their path, /file/bot<token>/<path> their bytes. */
  const files = new Map<string, { bytes: Uint8Array; path: string; type: string; announce?: number }>()
  /** Bytes the file route wrote, per path, so a test can tell a download was cut short. */
  const served = new Map<string, number>()

  const server: Server = createServer(async (req, res) => {
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(req.url?.split('?')[0] ?? '')
    if (file) {
      const found = [...files.values()].find((f) => f.path === decodeURIComponent(file[1]!))
      if (!found) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"error_code":404,"description":"Not Found"}')
      calls.push({ method: 'file', token: '', params: { path: found.path }, at: Date.now() })
      res.writeHead(200, { 'content-type': found.type, 'content-length': String(found.bytes.byteLength) })
      served.set(found.path, 0)
      // In chunks, so a client that stops reading past its limit leaves the rest unsent.
      for (let at = 0; at < found.bytes.byteLength && !res.destroyed; at += 64 * 1024) {
        const chunk = found.bytes.subarray(at, at + 64 * 1024)
        served.set(found.path, served.get(found.path)! + chunk.byteLength)
        if (!res.write(chunk)) await drainOrClose(res)
      }
      return void res.end()
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url?.split('?')[0] ?? '')
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }))
      return
    }
    const [, token, method] = match as unknown as [string, string, string]
    const params = await readParams(req)
    if (down !== null) {
      calls.push({ method: `${method}!down`, token, params, at: Date.now() })
      res.writeHead(down, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>')
      return
    }
    const hold = method.startsWith('send') ? held.get(String(params.chat_id)) : undefined
    if (hold) await new Promise((r) => setTimeout(r, hold))
    if (res.destroyed) return
    if (method === 'getFile') {
      calls.push({ method, token: token!, params, at: Date.now() })
      const f = files.get(String(params.file_id))
      const body = f
        ? { ok: true, result: { file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: f.announce ?? f.bytes.byteLength, file_path: f.path } }
        : { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }
      return void res.writeHead(f ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    const reply = method === 'getUpdates' ? await getUpdates(params) : answer(method!, token!, params)
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body))
  })

  /**
   * Long polling: Telegram hands out every update from `offset` on (earlier ones are confirmed);
   * Zalo hands out one update and forgets it, or answers 408 when none came in time. Waits are
   * short (200 ms) so a polling client never spins and tests stay fast.
   */
  async function getUpdates(params: Record<string, any>): Promise<FakeReply> {
    calls.push({ method: 'getUpdates', token: '', params, at: Date.now() })
    if (options.platform === 'telegram' && params.offset) {
      while (pending.length && (pending[0] as { update_id: number }).update_id < Number(params.offset)) pending.shift()
    }
    if (pending.length === 0) await new Promise((r) => setTimeout(r, 200))
    if (options.platform === 'zalo') {
      const next = pending.shift()
      return next ? { body: { ok: true, result: next } } : { body: { ok: false, error_code: 408, description: 'Request timeout' } }
    }
    return { body: { ok: true, result: [...pending] } }
  }

  function answer(method: string, token: string, params: Record<string, any>): FakeReply {
    const script = scripted.find((s) => s.method === method && s.remaining > 0)
    if (script) {
      script.remaining -= 1
      calls.push({ method: `${method}!failed`, token, params, at: Date.now() })
      return script.reply
    }
    const isSend = method.startsWith('send')
    if (isSend && rate) {
      const now = Date.now()
      if (now - windowStart >= 1000) {
        windowStart = now
        windowCount = 0
      }
      if (windowCount >= rate) {
        calls.push({ method: `${method}!429`, token, params, at: now })
        return tooMany(options.platform, options.retryAfter ?? 1)
      }
      windowCount += 1
    }
    if (isSend && blocked.has(String(params.chat_id))) {
      calls.push({ method: `${method}!blocked`, token, params, at: Date.now() })
      return options.platform === 'telegram'
        ? { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }
        : { body: { ok: false, error_code: 403, description: 'User has blocked the bot' } }
    }
    calls.push({ method, token, params, at: Date.now() })
    return { body: { ok: true, result: resultFor(method, params) } }
  }

  function resultFor(method: string, params: Record<string, any>): unknown {
    const id = nextMessageId++
    if (options.platform === 'zalo') {
      if (method === 'getMe') return { id: '1234567890', account_name: 'Bot NQ71 Can Tho', account_type: 'BASIC', can_join_groups: false }
      if (method === 'setWebhook') return { url: params.url, updated_at: Date.now() }
      if (method === 'deleteWebhook') return { url: '', updated_at: Date.now() }
      return { message_id: `zm${id}`, date: Date.now() }
    }
    if (method === 'getMe') return { id: 7012345678, is_bot: true, first_name: 'NQ71 Cần Thơ', username: 'nq71_cantho_bot' }
    if (method === 'setWebhook' || method === 'answerCallbackQuery' || method === 'deleteWebhook') return true
    return { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: 'private' }, text: params.text }
  }

  // Clients keep their sockets alive between calls; closing an idle one just as a client reuses it
  // is a reset that no real Bot API causes at these rates.
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** Sends the platform accepted, in order (refused ones are recorded as `sendMessage!429` etc.). */
    sent: () => calls.filter((c) => c.method.startsWith('send') && !c.method.includes('!')),
    sentTo: (chatId: string) => calls.filter((c) => c.method.startsWith('send') && !c.method.includes('!') && String(c.params.chat_id) === chatId),
    failWith(method: string, reply: FakeReply, times = 1) {
      scripted.push({ method, reply, remaining: times })
    },
    blockChat: (chatId: string) => blocked.add(chatId),
    /**
     * A file a person sent (Telegram), served by getFile and the file route as `type`; `announce`
     * is the size getFile claims (the real size when left out).
     */
    putFile(fileId: string, bytes: Uint8Array, opts: { type?: string; announce?: number } = {}) {
      files.set(fileId, { bytes, path: `photos/file_${files.size}.jpg`, type: opts.type ?? 'image/jpeg', ...(opts.announce !== undefined ? { announce: opts.announce } : {}) })
    },
    /** Bytes the file route wrote for the file of `fileId` (undefined: never asked for). */
    servedBytes: (fileId: string) => served.get(files.get(fileId)?.path ?? ''),
    /** Queues an update for the next getUpdates call. */
    pushUpdate: (update: unknown) => pending.push(update),
    setRate: (perSecond: number | undefined) => {
      rate = perSecond
    },
    /** An outage: every call answers `status` with an HTML page until `setDown(null)`. */
    setDown: (status: number | null) => {
      down = status
    },
    /** A chat whose sends hang for `ms` (0 to stop). */
    hold: (chatId: string, ms: number) => {
      if (ms > 0) held.set(chatId, ms)
      else held.delete(chatId)
    },
    reset() {
      calls.length = 0
      scripted.length = 0
      blocked.clear()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // A file download the client gave up on may still hold its connection open.
        server.closeAllConnections()
      }),
  }
}

export type FakeBotApi = Awaited<ReturnType<typeof startFakeBotApi>>

function tooMany(platform: 'telegram' | 'zalo', retryAfter: number): FakeReply {
  return platform === 'telegram'
    ? { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } } }
    : { body: { ok: false, error_code: 429, description: 'Quota exceeded' } }
}

async function readParams(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const raw = Buffer.concat(chunks).toString('utf8')
  if (!raw) return {}
  const type = req.headers['content-type'] ?? ''
  if (type.includes('application/json')) return JSON.parse(raw)
  if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw))
  if (type.includes('multipart/form-data')) {
    const out: Record<string, any> = {}
    for (const m of raw.matchAll(/name="([^"]+)"\r\n\r\n([\s\S]*?)\r\n--/g)) {
      const [, k, v] = m as unknown as [string, string, string]
      try {
        out[k] = JSON.parse(v)
      } catch {
        out[k] = v
      }
    }
    return out
  }
  return {}
}

/** Until the client reads on, or goes. */
function drainOrClose(res: import('node:http').ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
