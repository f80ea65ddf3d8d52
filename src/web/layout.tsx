import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { ConsoleAccount } from '../domain/console/sessions.js'
import { csrfToken, CSRF_FIELD } from './csrf.js'
import { otherLanguageHref, pageText } from './locale.js'

/** The console's sections, in the order of the menu; a section's page may not exist on every build. */
const consoleNav = [
  ['overview', '/admin'],
  ['directory', '/admin/directory'],
  ['broadcasts', '/admin/broadcasts'],
  ['quizzes', '/admin/quizzes'],
  ['sessions', '/admin/sessions'],
  ['periods', '/admin/periods'],
  ['questions', '/admin/questions'],
  ['inbox', '/admin/inbox'],
  ['channels', '/admin/channels'],
  ['accounts', '/admin/accounts'],
  ['audit', '/admin/audit'],
] as const

/** Sections whose pages are mounted; set once by the console routes (src/web/console/routes.ts). */
export const mountedSections = new Set<string>(['overview', 'directory', 'broadcasts', 'quizzes', 'sessions', 'periods', 'questions', 'inbox', 'channels', 'accounts', 'audit'])

/** The hidden form-token field every POST form carries. */
export function CsrfField({ c }: { c: Context }) {
  return <input type="hidden" name={CSRF_FIELD} value={csrfToken(c)} />
}

/**
 * Every page's frame: language, viewport, the one stylesheet, a skip link, a header with the
 * language switch (and, in the console, the menu and the account), then the page's own content.
 * No inline script or style: the Content-Security-Policy allows only files from /assets.
 * `phone`: the public pages (/b, /q, /s): a narrow column with large touch targets (`body.phone`
 * in loa.css), never a console menu.
 */
export function Layout(props: { c: Context; title: string; children?: Child; scripts?: string[]; narrow?: boolean; phone?: boolean; refreshSeconds?: number }) {
  const { c } = props
  const { t, locale } = pageText(c)
  const account = c.get('account' as never) as ConsoleAccount | undefined
  const here = c.req.path
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Loa`}</title>
          {/* A page that follows work in progress (a broadcast being sent) reloads itself: no script needed. */}
          {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
          <link rel="stylesheet" href="/assets/loa.css" />
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          {(props.scripts ?? []).map((src) => (
            <script src={`/assets/${src}`} defer />
          ))}
        </head>
        <body class={props.phone ? 'phone' : undefined}>
          <a class="skip" href="#main">
            {t('web.skip')}
          </a>
          <header class="top">
            <a class="brand" href={account ? '/admin' : undefined}>
              {t('web.brand')}
            </a>
            <a class="lang" href={otherLanguageHref(c, locale)} lang={locale === 'vi' ? 'en' : 'vi'} hreflang={locale === 'vi' ? 'en' : 'vi'}>
              {t('web.switchTo')}
            </a>
            {account && (
              <form method="post" action="/admin/logout" class="signout">
                <CsrfField c={c} />
                <span class="who">
                  {t('web.console.signedInAs', { name: account.name ?? t('web.console.bootstrapName'), role: t(`web.roles.${account.role}`) })}
                </span>
                <button type="submit" class="link">
                  {t('web.console.signOut')}
                </button>
              </form>
            )}
          </header>
          {account && !props.phone && (
            <nav class="menu" aria-label={t('web.console.nav.label')}>
              <ul>
                {consoleNav
                  .filter(([key]) => mountedSections.has(key))
                  .map(([key, href]) => {
                    const current = href === '/admin' ? here === '/admin' : here === href || here.startsWith(`${href}/`)
                    return (
                      <li>
                        <a href={href} aria-current={current ? 'page' : undefined}>
                          {t(`web.console.nav.${key}`)}
                        </a>
                      </li>
                    )
                  })}
              </ul>
            </nav>
          )}
          <main id="main" class={props.narrow || props.phone ? 'narrow' : undefined} tabindex={-1}>
            {props.children}
          </main>
          <footer class="foot">{t('web.footer')}</footer>
        </body>
      </html>
    </>
  )
}
