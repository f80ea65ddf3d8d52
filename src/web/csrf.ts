import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { csrf as originCheck } from 'hono/csrf'
import { siteOrigins } from '../http/client-ip.js'
import { CSRF_COOKIE, CSRF_FIELD } from './csrf-token.js'
import { errorPage } from './errors.js'

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
    const cookie = getCookie(c, CSRF_COOKIE)
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
