import type { Context } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { csrf as originCheck } from 'hono/csrf'
import { randomString } from '../crypto.js'
import { isSecureRequest, siteOrigins } from '../http/client-ip.js'
import { appContext } from '../http/env.js'
import { errorPage } from './errors.js'

const COOKIE = 'loa_csrf'
export const CSRF_FIELD = '_csrf'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * The form token of this browser (a double-submit cookie): every form carries it in a hidden field,
 * and a POST whose field does not match the cookie is refused. A page on another site can neither
 * read the cookie nor set it, so it cannot forge the field.
 */
export function csrfToken(c: Context): string {
  const existing = appContext(c).get('csrfToken')
  if (existing) return existing
  let token = getCookie(c, COOKIE)
  if (!token || !/^[A-Za-z0-9]{32}$/.test(token)) {
    token = randomString(32, ALPHABET)
    setCookie(c, COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Strict', secure: isSecureRequest(c) })
  }
  appContext(c).set('csrfToken', token)
  return token
}

function equal(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * hono/csrf, comparing Origin with this site's origins: behind a TLS proxy the request URL says
 * http:// while the browser's Origin says https:// (src/http/client-ip.ts `siteOrigins`).
 */
const origin = originCheck({ origin: (value, c) => siteOrigins(c).includes(value) })

/**
 * Refuses a state-changing request to a page unless it comes from this site (Origin) and carries
 * the browser's form token. Answers 403 with a page that says what to do.
 */
export const csrfProtection: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  let refused = false
  await origin(c, async () => {
    const cookie = getCookie(c, COOKIE)
    const type = c.req.header('content-type') ?? ''
    let field: unknown
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      field = (await c.req.parseBody())[CSRF_FIELD]
    }
    refused = !cookie || typeof field !== 'string' || !equal(field, cookie)
  }).catch(() => {
    refused = true
  })
  // hono/csrf answers 403 itself for a foreign Origin; it then never calls the inner function.
  if (refused || c.res.status === 403) return errorPage(c, 403, 'web.errors.csrf')
  return next()
}
