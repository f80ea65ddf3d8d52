import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppDeps } from '../../deps.js'
import { matchesHash } from '../../crypto.js'
import { endSession, findSession, startSession } from '../../domain/console/sessions.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { clearSessionCookie, clientIp, safeNext, SESSION_COOKIE, setSessionCookie } from './auth.js'

/** GET/POST /admin/login and POST /admin/logout. */
export function loginRoutes(deps: AppDeps) {
  const app = new Hono()

  app.get('/admin/login', (c) => {
    const { t } = pageText(c)
    const signedOut = c.req.query('out') === '1'
    return c.html(<LoginPage c={c} next={safeNext(c.req.query('next'))} notice={signedOut ? t('web.console.login.signedOut') : undefined} />)
  })

  app.post('/admin/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined)
    const token = typeof form.token === 'string' ? form.token.trim() : ''
    if (!token || !(await matchesHash(token, deps.adminTokenHash))) {
      const { t } = pageText(c)
      return c.html(<LoginPage c={c} next={next} error={t('web.console.login.wrongToken')} />, 401)
    }
    const session = await startSession(deps.db, { personId: null, role: 'admin', ip: clientIp(c) }, deps.clock())
    setSessionCookie(c, session.token)
    return c.redirect(next, 303)
  })

  app.post('/admin/logout', async (c) => {
    const account = await findSession(deps.db, getCookie(c, SESSION_COOKIE), deps.clock())
    if (account) await endSession(deps.db, account.sessionId)
    clearSessionCookie(c)
    return c.redirect('/admin/login?out=1', 303)
  })

  return app
}

function LoginPage(props: { c: Parameters<typeof pageText>[0]; next: string; error?: string; notice?: string }) {
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
              aria-invalid={props.error ? 'true' : undefined}
            />
            <p id="token-hint" class="hint">
              {t('web.console.login.tokenHint')}
            </p>
          </div>
          {props.error && (
            <p class="notice error" role="alert">
              {props.error}
            </p>
          )}
          <div class="actions">
            <button type="submit">{t('web.console.login.submit')}</button>
          </div>
        </form>
      </section>
    </Layout>
  )
}
