import type { Context } from 'hono'
import { CODE_DIGITS, CODE_MINUTES, CODE_TRIES } from '#src/domain/console/signin.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'

/** A sign-in page's address, keeping where to go after it unless that is the console's home. */
export const withNext = (path: string, next: string) => (next === '/admin' ? path : `${path}?next=${encodeURIComponent(next)}`)

function Alert(props: { text?: string; id?: string }) {
  return props.text ? (
    <p class="notice error" role="alert" id={props.id}>
      {props.text}
    </p>
  ) : null
}

/** The sign-in page: who you are (for a code in your chat), or the bootstrap ADMIN_TOKEN. */
export function LoginPage(props: { c: Context; next: string; who?: string; whoError?: string; tokenError?: string; notice?: string }) {
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
      <TokenSignIn {...props} />
    </Layout>
  )
}

/** First use: signing in with the bootstrap ADMIN_TOKEN. */
function TokenSignIn(props: { c: Context; next: string; tokenError?: string }) {
  const { c } = props
  const { t } = pageText(c)
  return (
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
  )
}

/** The page where the code sent to the chat is typed. */
export function CodePage(props: { c: Context; next: string; error?: string; notice?: string; dead?: boolean }) {
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
