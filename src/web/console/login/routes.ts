import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppDeps } from '#src/deps.js'
import { matchesHash } from '#src/crypto.js'
import { endSession, findSession, startSession } from '#src/domain/console/signin-sessions.js'
import { CODE_MINUTES, CODE_TRIES, failuresAllowed, recordFailure, requestCode, verifyCode } from '#src/domain/console/signin.js'
import { auditSignIn } from '#src/http/audit.js'
import { isSecureRequest } from '#src/http/client-ip.js'
import { pageText } from '../../locale.js'
import { clearSessionCookie, clientIp, safeNext, SESSION_COOKIE, setSessionCookie } from '../auth.js'
import { CodePage, LoginPage, withNext } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** The browser's ticket for the code it was sent (only its hash is stored); lives as long as the code. */
const TICKET_COOKIE = 'loa_signin'

function setTicket(c: Context, ticket: string) {
  setCookie(c, TICKET_COOKIE, ticket, {
    path: '/admin/login',
    httpOnly: true,
    sameSite: 'Strict',
    secure: isSecureRequest(c),
    maxAge: CODE_MINUTES * 60,
  })
}

const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '')

/**
 * Sign-in: a one-time code sent by the bot to the account's linked chat (GET/POST /admin/login,
 * GET /admin/login/code, POST /admin/login/verify), or the bootstrap ADMIN_TOKEN for first use
 * (POST /admin/login); POST /admin/logout.
 */
export function loginRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/admin/login', (c) => {
    const { t } = pageText(c)
    const signedOut = c.req.query('out') === '1'
    return c.html(LoginPage({ c, next: safeNext(c.req.query('next')), notice: signedOut ? t('web.console.login.signedOut') : undefined }))
  })

  // The bootstrap ADMIN_TOKEN: wrong ones count towards the address's sign-in limit.
  app.post('/admin/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(field(form, 'next') || undefined)
    const token = field(form, 'token')
    const { t } = pageText(c)
    const ip = clientIp(c)
    const allowed = await failuresAllowed(deps.db, ip, deps.clock())
    if (!allowed.ok) return c.html(LoginPage({ c, next, tokenError: t('consoleAuth.login.tooMany', { minutes: allowed.minutes }) }), 429)
    if (!token || !(await matchesHash(token, deps.adminTokenHash))) {
      await recordFailure(deps.db, ip, deps.clock())
      return c.html(LoginPage({ c, next, tokenError: t('web.console.login.wrongToken') }), 401)
    }
    const session = await startSession(deps.db, { personId: null, role: 'admin', ip, adminTokenHash: deps.adminTokenHash }, deps.clock())
    auditSignIn(c, { personId: null })
    setSessionCookie(c, session.token)
    return c.redirect(next, 303)
  })

  // Step 1: a phone or name; the same answer whether or not it is an account (src/domain/console/signin.ts).
  app.post('/admin/login/code', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(field(form, 'next') || undefined)
    const who = field(form, 'who').slice(0, 200)
    const { t } = pageText(c)
    if (!who) return c.html(LoginPage({ c, next, who, whoError: t('consoleAuth.login.whoEmpty') }), 400)
    const result = await requestCode(deps.db, { who, ip: clientIp(c), key: deps.adminTokenHash }, deps.clock())
    if (result.status === 'tooMany') {
      return c.html(LoginPage({ c, next, who, whoError: t('consoleAuth.login.tooMany', { minutes: result.minutes }) }), 429)
    }
    if (result.status === 'ambiguous') return c.html(LoginPage({ c, next, who, whoError: t('consoleAuth.login.ambiguous') }), 409)
    // The code rides as a reply: sent now (on Workers, after the answer; in tests, before it).
    await deps.defer(Promise.resolve(deps.sendReplies()), c)
    setTicket(c, result.ticket)
    return c.redirect(withNext('/admin/login/code', next), 303)
  })

  app.get('/admin/login/code', (c) => {
    const next = safeNext(c.req.query('next'))
    if (!getCookie(c, TICKET_COOKIE)) return c.redirect(withNext('/admin/login', next), 303)
    const { t } = pageText(c)
    return c.html(CodePage({ c, next, notice: t('consoleAuth.login.sent', { minutes: CODE_MINUTES }) }))
  })

  // Step 2: the code, checked against the browser's ticket.
  app.post('/admin/login/verify', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(field(form, 'next') || undefined)
    const { t } = pageText(c)
    const result = await verifyCode(deps.db, { ticket: getCookie(c, TICKET_COOKIE), code: field(form, 'code'), ip: clientIp(c), key: deps.adminTokenHash }, deps.clock())
    switch (result.status) {
      case 'ok':
        deleteCookie(c, TICKET_COOKIE, { path: '/admin/login' })
        auditSignIn(c, { personId: result.personId })
        setSessionCookie(c, result.token)
        return c.redirect(next, 303)
      case 'wrong':
        return c.html(CodePage({ c, next, error: t('consoleAuth.login.wrongCode', { tries: result.triesLeft }) }), 401)
      case 'locked':
        deleteCookie(c, TICKET_COOKIE, { path: '/admin/login' })
        return c.html(CodePage({ c, next, error: t('consoleAuth.login.locked', { tries: CODE_TRIES }), dead: true }), 429)
      case 'expired':
        deleteCookie(c, TICKET_COOKIE, { path: '/admin/login' })
        return c.html(CodePage({ c, next, error: t('consoleAuth.login.expired'), dead: true }), 401)
      case 'tooMany':
        return c.html(CodePage({ c, next, error: t('consoleAuth.login.tooMany', { minutes: result.minutes }), dead: true }), 429)
    }
  })

  app.post('/admin/logout', async (c) => {
    const account = await findSession(deps.db, getCookie(c, SESSION_COOKIE), deps.clock(), deps.adminTokenHash)
    if (account) {
      await endSession(deps.db, account.sessionId)
      auditSignIn(c, { personId: account.personId })
    }
    clearSessionCookie(c)
    return c.redirect('/admin/login?out=1', 303)
  })

  return app
}

