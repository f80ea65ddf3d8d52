import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppDeps } from '../../deps.js'
import { isSecureRequest } from '../../http/client-ip.js'
import { appContext, type AppEnv } from '../../http/env.js'
import { findSession, SESSION_HOURS, type ConsoleAccount } from '../../domain/console/signin-sessions.js'

export const SESSION_COOKIE = 'loa_console'

/** The signed-in account of a console request (set by consoleAuth). */
export function accountOf(c: Context): ConsoleAccount {
  const account = appContext(c).get('account')
  if (!account) throw new Error('accountOf: the route is not behind consoleAuth')
  return account
}

export function setSessionCookie(c: Context, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c),
    maxAge: SESSION_HOURS * 3600,
  })
}

export function clearSessionCookie(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin' })
}

/** The address a request came from, as the audit log records it. */
export { clientIp } from '../../http/client-ip.js'

/**
 * Every console page but the sign-in: a valid session cookie, else a redirect to the sign-in page
 * that comes back here afterwards.
 */
export function consoleAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const account = await findSession(deps.db, getCookie(c, SESSION_COOKIE), deps.clock(), deps.adminTokenHash)
    if (!account) {
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/admin'
      return c.redirect(`/admin/login?next=${encodeURIComponent(back)}`, 303)
    }
    c.set('account', account)
    await next()
  }
}

/**
 * A local path to return to after signing in; anything else (another site, `//host`, control
 * characters, which would end the Location header) goes home. Other characters beyond ASCII are
 * percent-encoded, as a Location header must be.
 */
export function safeNext(next: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  if (!next || !/^\/admin(\/|$|\?)/.test(next) || next.startsWith('//') || /[\u0000-\u001f\u007f]/.test(next)) return '/admin'
  try {
    return next.replace(/[^\x21-\x7e]+/g, (s) => encodeURIComponent(s))
  } catch {
    return '/admin' // a lone surrogate cannot be encoded
  }
}
