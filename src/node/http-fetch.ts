import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/**
 * A small `fetch` for JSON POSTs to a Bot API, on node:http with kept-alive sockets. Node's global
 * fetch (undici) cost about 0.4 ms of CPU a call against 0.06 ms here, and both bots make one call
 * per reply, so at city scale this is a large share of a core. Only what the Bot API clients use is
 * handled here (method, headers, a string body, an abort signal; the answer is a standard Response);
 * any other body goes to the platform's fetch.
 */
export function createHttpFetch(options: { maxSockets?: number } = {}): typeof fetch {
  const http = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 })
  const https = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 })
  return ((input: string | URL, init: RequestInit = {}) => {
    // Uploads (streams, form data) are left to the platform's fetch; Bot API calls here send JSON.
    if (init.body != null && typeof init.body !== 'string') return fetch(input, init)
    return new Promise<Response>((resolve, reject) => {
      const url = typeof input === 'string' ? new URL(input) : input
      const secure = url.protocol === 'https:'
      const body = typeof init.body === 'string' ? init.body : ''
      const headers: Record<string, string> = { ...(init.headers as Record<string, string>) }
      headers['content-length'] = String(Buffer.byteLength(body))
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: init.method ?? 'GET', headers, agent: secure ? https : http },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const responseHeaders = new Headers()
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') responseHeaders.set(k, v)
            // 1xx-less statuses only: Response refuses 204/304 with a body, which a Bot API never sends.
            resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 502, headers: responseHeaders }))
          })
        },
      )
      const abort = () => req.destroy(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }))
      if (init.signal?.aborted) return abort()
      init.signal?.addEventListener('abort', abort, { once: true })
      req.on('close', () => init.signal?.removeEventListener('abort', abort))
      req.on('error', reject)
      req.end(body)
    })
  }) as typeof fetch
}
