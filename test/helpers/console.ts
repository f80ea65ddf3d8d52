import type { ConsoleRole } from '#db/schema/index.js'
import { startSession } from '#src/domain/console/signin-sessions.js'
import type { Harness } from './harness.js'

/**
 * A browser without a browser: a cookie jar over `h.app.request`, sending forms the way the
 * console's pages do (same Origin, the CSRF field from the `loa_csrf` cookie), following nothing.
 * `ip` comes as Cloudflare's header (as on Workers, where there is no socket); `socket` is the
 * address Node's socket reports, and `headers` go with every request (a proxy's, or a forger's).
 */
export function consoleClient(h: Harness, opts: { ip?: string; socket?: string; headers?: Record<string, string>; origin?: string } = {}) {
  const jar = new Map<string, string>()
  const origin = opts.origin ?? 'http://localhost'
  const env = opts.socket ? { incoming: { socket: { remoteAddress: opts.socket } } } : undefined
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const [name, ...rest] = pair!.split('=')
      const value = rest.join('=')
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()))
      if (expired || value === '') jar.delete(name!.trim())
      else jar.set(name!.trim(), value)
    }
    return res
  }
  const headers = (extra: Record<string, string> = {}) => ({
    cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    ...(opts.ip ? { 'cf-connecting-ip': opts.ip } : {}),
    ...opts.headers,
    ...extra,
  })
  const client = {
    jar,
    async get(path: string) {
      return remember(await h.app.request(path, { headers: headers() }, env))
    },
    async post(path: string, fields: Record<string, string> = {}) {
      if (!jar.has('loa_csrf')) await client.get('/admin/login')
      return remember(
        await h.app.request(
          path,
          {
            method: 'POST',
            headers: headers({ ...(origin ? { origin } : {}), 'content-type': 'application/x-www-form-urlencoded' }),
            body: new URLSearchParams({ ...fields, _csrf: jar.get('loa_csrf')! }),
          },
          env,
        ),
      )
    },
    /** The visible text of a page, tags stripped, for assertions. */
    async text(res: Response) {
      return (await res.text()).replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ')
    },
    /** Signs in with a code: asks for it, reads it from the fake Telegram chat, types it. */
    async signInWithCode(who: string, chatId: string) {
      const asked = await client.post('/admin/login/code', { who })
      if (asked.status !== 303) throw new Error(`code request: ${asked.status} ${await client.text(asked)}`)
      const code = lastCode(h, chatId)
      const done = await client.post('/admin/login/verify', { code })
      if (done.status !== 303) throw new Error(`verify: ${done.status} ${await client.text(done)}`)
      return done
    },
  }
  return client
}

/** The eight-digit sign-in code (sent as `1234 5678`) last sent to a Telegram chat of the fake Bot API. */
export function lastCode(h: Harness, chatId: string): string {
  const text = h.texts(h.telegram, chatId).filter((t) => t.includes('Mã đăng nhập') || t.includes('sign-in code')).at(-1) ?? ''
  const code = /(\d{4} \d{4})/.exec(text)?.[1]?.replace(' ', '')
  if (!code) throw new Error(`no sign-in code in chat ${chatId}: ${JSON.stringify(h.texts(h.telegram, chatId))}`)
  return code
}

/**
 * A console client already signed in as a person with `role` (granted over the API, then a session
 * started as the sign-in would), without the sign-in's code or its limits.
 */
export async function signedInAs(h: Harness, personId: number, role: ConsoleRole, opts: Parameters<typeof consoleClient>[1] = {}) {
  const granted = await h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })
  if (granted.status !== 200) throw new Error(`console role: ${granted.status} ${await granted.text()}`)
  const { token } = await startSession(h.db, { personId, role }, h.now())
  const client = consoleClient(h, opts)
  client.jar.set('loa_console', token)
  return client
}
