import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppDeps } from '../../deps.js'
import { matchesHash } from '../../crypto.js'
import { endSession, findSession, startSession } from '../../domain/console/sessions.js'
import { CODE_DIGITS, CODE_MINUTES, CODE_TRIES, failuresAllowed, recordFailure, requestCode, verifyCode } from '../../domain/console/signin.js'
import { auditSignIn } from '../../http/audit.js'
import { isSecureRequest } from '../../http/client-ip.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { clearSessionCookie, clientIp, safeNext, SESSION_COOKIE, setSessionCookie } from './auth.js'

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
const withNext = (path: string, next: string) => (next === '/admin' ? path : `${path}?next=${encodeURIComponent(next)}`)

/**
 * Sign-in: a one-time code sent by the bot to the account's linked chat (GET/POST /admin/login,
 * GET /admin/login/code, POST /admin/login/verify), or the bootstrap ADMIN_TOKEN for first use
 * (POST /admin/login); POST /admin/logout.
 */
export function loginRoutes(deps: AppDeps) {
  const app = new Hono()

  app.get('/admin/login', (c) => {
    const { t } = pageText(c)
    const signedOut = c.req.query('out') === '1'
    return c.html(<LoginPage c={c} next={safeNext(c.req.query('next'))} notice={signedOut ? t('web.console.login.signedOut') : undefined} />)
  })

  // The bootstrap ADMIN_TOKEN: wrong ones count towards the address's sign-in limit.
  app.post('/admin/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(field(form, 'next') || undefined)
    const token = field(form, 'token')
    const { t } = pageText(c)
    const ip = clientIp(c)
    const allowed = await failuresAllowed(deps.db, ip, deps.clock())
    if (!allowed.ok) return c.html(<LoginPage c={c} next={next} tokenError={t('consoleAuth.login.tooMany', { minutes: allowed.minutes })} />, 429)
    if (!token || !(await matchesHash(token, deps.adminTokenHash))) {
      await recordFailure(deps.db, ip, deps.clock())
      return c.html(<LoginPage c={c} next={next} tokenError={t('web.console.login.wrongToken')} />, 401)
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
    if (!who) return c.html(<LoginPage c={c} next={next} who={who} whoError={t('consoleAuth.login.whoEmpty')} />, 400)
    const result = await requestCode(deps.db, { who, ip: clientIp(c), key: deps.adminTokenHash }, deps.clock())
    if (result.status === 'tooMany') {
      return c.html(<LoginPage c={c} next={next} who={who} whoError={t('consoleAuth.login.tooMany', { minutes: result.minutes })} />, 429)
    }
    if (result.status === 'ambiguous') return c.html(<LoginPage c={c} next={next} who={who} whoError={t('consoleAuth.login.ambiguous')} />, 409)
    // The code rides as a reply: sent now (on Workers, after the answer; in tests, before it).
    await deps.defer(Promise.resolve(deps.sendReplies()), c)
    setTicket(c, result.ticket)
    return c.redirect(withNext('/admin/login/code', next), 303)
  })

  app.get('/admin/login/code', (c) => {
    const next = safeNext(c.req.query('next'))
    if (!getCookie(c, TICKET_COOKIE)) return c.redirect(withNext('/admin/login', next), 303)
    const { t } = pageText(c)
    return c.html(<CodePage c={c} next={next} notice={t('consoleAuth.login.sent', { minutes: CODE_MINUTES })} />)
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
        return c.html(<CodePage c={c} next={next} error={t('consoleAuth.login.wrongCode', { tries: result.triesLeft })} />, 401)
      case 'locked':
        deleteCookie(c, TICKET_COOKIE, { path: '/admin/login' })
        return c.html(<CodePage c={c} next={next} error={t('consoleAuth.login.locked', { tries: CODE_TRIES })} dead />, 429)
      case 'expired':
        deleteCookie(c, TICKET_COOKIE, { path: '/admin/login' })
        return c.html(<CodePage c={c} next={next} error={t('consoleAuth.login.expired')} dead />, 401)
      case 'tooMany':
        return c.html(<CodePage c={c} next={next} error={t('consoleAuth.login.tooMany', { minutes: result.minutes })} dead />, 429)
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

function Alert(props: { text?: string; id?: string }) {
  return props.text ? (
    <p class="notice error" role="alert" id={props.id}>
      {props.text}
    </p>
  ) : null
}

function LoginPage(props: { c: Context; next: string; who?: string; whoError?: string; tokenError?: string; notice?: string }) {
  const { c } = props
  const { t } = pageText(c)
  return (
    <Layout c={c} title={t('web.console.login.title')} narrow>
      <h1>{t('web.console.login.title')}</h1>
      <p class="muted">{t('web.console.login.intro')}</p>
      {props.notice && (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      )}
      <section class="card" aria-labelledby="code-title">
        <h2 id="code-title">{t('consoleAuth.login.codeTitle')}</h2>
        <form method="post" action="/admin/login/code" class="stack">
          <CsrfField c={c} />
          <input type="hidden" name="next" value={props.next} />
          <div>
            <label for="who">{t('consoleAuth.login.whoLabel')}</label>
            <input
              id="who"
              name="who"
              type="text"
              autocomplete="username"
              required
              maxlength={200}
              value={props.who ?? ''}
              aria-describedby="who-hint"
              aria-invalid={props.whoError ? 'true' : undefined}
            />
            <p id="who-hint" class="hint">
              {t('consoleAuth.login.whoHint')}
            </p>
          </div>
          <Alert text={props.whoError} />
          <div class="actions">
            <button type="submit">{t('consoleAuth.login.sendCode')}</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="token-title">
        <h2 id="token-title">{t('web.console.login.tokenTitle')}</h2>
        <form method="post" action="/admin/login" class="stack">
          <CsrfField c={c} />
          <input type="hidden" name="next" value={props.next} />
          <div>
            <label for="token">{t('web.console.login.tokenLabel')}</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              aria-describedby="token-hint"
              aria-invalid={props.tokenError ? 'true' : undefined}
            />
            <p id="token-hint" class="hint">
              {t('web.console.login.tokenHint')}
            </p>
          </div>
          <Alert text={props.tokenError} />
          <div class="actions">
            <button type="submit">{t('web.console.login.submit')}</button>
          </div>
        </form>
      </section>
    </Layout>
  )
}

function CodePage(props: { c: Context; next: string; error?: string; notice?: string; dead?: boolean }) {
  const { c } = props
  const { t } = pageText(c)
  return (
    <Layout c={c} title={t('consoleAuth.login.codePageTitle')} narrow>
      <h1>{t('consoleAuth.login.codePageTitle')}</h1>
      {props.notice && (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      )}
      {props.dead ? (
        <Alert text={props.error} />
      ) : (
        <section class="card">
          <form method="post" action="/admin/login/verify" class="stack">
            <CsrfField c={c} />
            <input type="hidden" name="next" value={props.next} />
            <div>
              <label for="code">{t('consoleAuth.login.codeLabel')}</label>
              <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern={`[0-9 ]{${CODE_DIGITS},${CODE_DIGITS + 2}}`}
                maxlength={CODE_DIGITS + 2}
                required
                aria-describedby="code-hint"
                aria-invalid={props.error ? 'true' : undefined}
              />
              <p id="code-hint" class="hint">
                {t('consoleAuth.login.codeHint', { minutes: CODE_MINUTES, tries: CODE_TRIES })}
              </p>
            </div>
            <Alert text={props.error} />
            <div class="actions">
              <button type="submit">{t('consoleAuth.login.verify')}</button>
            </div>
          </form>
        </section>
      )}
      <p>
        <a href={withNext('/admin/login', props.next)}>{t('consoleAuth.login.newCode')}</a>
      </p>
    </Layout>
  )
}
