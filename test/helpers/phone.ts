import type { Harness } from './harness.js'

/**
 * A phone as the public pages see it: its own cookies and IP address, following redirects, reading
 * each page's CSRF field from the form it submits, as a browser does.
 */
export function phone(h: Harness, ip = '203.0.113.7') {
  const jar = new Map<string, string>()
  const env = { incoming: { socket: { remoteAddress: ip } } }
  async function request(path: string, init: RequestInit = {}): Promise<{ status: number; html: string; url: string; res: Response }> {
    let url = path
    let method = init.method ?? 'GET'
    let body = init.body
    for (let hops = 0; hops < 5; hops++) {
      const headers = new Headers(init.headers)
      if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
      // A browser names the page's own site on every form it posts (the CSRF check reads it).
      if (method !== 'GET') headers.set('origin', 'http://localhost')
      const res = await h.app.request(url, { method, body, headers }, env)
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';')
        const [k, v] = pair!.split('=')
        if (attrs.some((a) => /max-age=0\b/i.test(a.trim())) || v === '') jar.delete(k!.trim())
        else jar.set(k!.trim(), v!.trim())
      }
      if (res.status === 303 || res.status === 302) {
        url = res.headers.get('location')!
        method = 'GET'
        body = undefined
        continue
      }
      return { status: res.status, html: await res.text(), url, res }
    }
    throw new Error('too many redirects')
  }
  /** Submits the form on `page` whose action is `action`, with its hidden fields and `fields`. */
  async function submit(pageHtml: string, action: string, fields: Record<string, string> = {}) {
    const form = new RegExp(`<form[^>]*action="${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[\\s\\S]*?</form>`).exec(pageHtml)
    if (!form) throw new Error(`no form posting to ${action}`)
    const data = new URLSearchParams()
    for (const m of form[0].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) data.set(m[1]!, m[2]!.replace(/&amp;/g, '&'))
    for (const [k, v] of Object.entries(fields)) data.set(k, v)
    return request(action, { method: 'POST', body: data.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  }
  return { request, submit, jar, get: (path: string) => request(path) }
}
