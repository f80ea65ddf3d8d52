import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { randomString } from '../crypto.js'
import { isSecureRequest } from '../http/client-ip.js'
import { appContext } from '../http/env.js'

export const CSRF_COOKIE = 'loa_csrf'
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
  let token = getCookie(c, CSRF_COOKIE)
  if (!token || !/^[A-Za-z0-9]{32}$/.test(token)) {
    token = randomString(32, ALPHABET)
    setCookie(c, CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Strict', secure: isSecureRequest(c) })
  }
  appContext(c).set('csrfToken', token)
  return token
}
