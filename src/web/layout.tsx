import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { appContext } from '../http/env.js'
import { csrfToken, CSRF_FIELD } from './csrf-token.js'
import { otherLanguageHref, pageText } from './locale.js'

/** The console's sections, in the order of the menu; a section's page may not exist on every build. */
const consoleNav = [
  ['overview', '/admin'],
  ['directory', '/admin/directory'],
  ['broadcasts', '/admin/broadcasts'],
  ['quizzes', '/admin/quizzes'],
  ['polls', '/admin/polls'],
  ['sessions', '/admin/sessions'],
  ['periods', '/admin/periods'],
  ['criteria', '/admin/criteria'],
  ['calendar', '/admin/calendar'],
  ['library', '/admin/library'],
  ['questions', '/admin/questions'],
  ['misinformation', '/admin/misinformation'],
  ['inbox', '/admin/inbox'],
  ['channels', '/admin/channels'],
  ['accounts', '/admin/accounts'],
  ['audit', '/admin/audit'],
] as const

/** Sections whose pages are mounted; set once by the console routes (src/web/console/routes.ts). */
export const mountedSections = new Set<string>(['overview', 'directory', 'broadcasts', 'quizzes', 'polls', 'sessions', 'periods', 'criteria', 'calendar', 'library', 'questions', 'misinformation', 'inbox', 'channels', 'accounts', 'audit'])

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
 * `bare`: nothing but the content (the projector view of a session, full screen in a hall).
 * `liveSeconds`: a page that follows work in progress (a broadcast being sent, a session's
 * attendance) refreshes its `data-live` parts every so many seconds with /assets/live.js, and
 * says what changed in the polite live region #live-status (no `meta refresh`: axe's critical).
 */
/**
 * What a messenger shows when the page's link is shared (Zalo and Telegram read Open Graph): only
 * for public pages whose content is public (a library entry), never a personal page.
 */
export interface LinkPreview {
  /** The page's canonical https address. */
  url: string
  description?: string
  /** An https image; absent: the messenger shows the text alone. */
  image?: string
}

/** The Open Graph tags of a page whose link may be shared (LinkPreview). */
function PreviewMeta({ preview, title, brand, locale }: { preview: LinkPreview; title: string; brand: string; locale: string }) {
  return (
    <>
      <link rel="canonical" href={preview.url} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={brand} />
      <meta property="og:title" content={title} />
      <meta property="og:url" content={preview.url} />
      <meta property="og:locale" content={locale === 'vi' ? 'vi_VN' : 'en_GB'} />
      {preview.description && <meta property="og:description" content={preview.description} />}
      {preview.description && <meta name="description" content={preview.description} />}
      {preview.image && <meta property="og:image" content={preview.image} />}
      <meta name="twitter:card" content={preview.image ? 'summary_large_image' : 'summary'} />
    </>
  )
}

/** The header: the brand, the language switch and, signed in, who it is and the sign-out. */
function TopBar({ c }: { c: Context }) {
  const { t, locale } = pageText(c)
  const account = appContext(c).get('account')
  return (
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
            {account.name ? t('web.console.signedInAs', { name: account.name, role: t(`web.roles.${account.role}`) }) : t('web.console.signedInWithToken')}
          </span>
          <button type="submit" class="link">
            {t('web.console.signOut')}
          </button>
        </form>
      )}
    </header>
  )
}

/** The console's menu, the current section marked. */
function ConsoleMenu({ c }: { c: Context }) {
  const { t } = pageText(c)
  const here = c.req.path
  return (
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
  )
}

export function Layout(props: { c: Context; title: string; children?: Child; scripts?: string[]; narrow?: boolean; phone?: boolean; liveSeconds?: number; bare?: boolean; preview?: LinkPreview }) {
  const { c } = props
  const { t, locale } = pageText(c)
  const account = appContext(c).get('account')
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Loa`}</title>
          <link rel="stylesheet" href="/assets/loa.css" />
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          {props.preview && <PreviewMeta preview={props.preview} title={props.title} brand={t('web.brand')} locale={locale} />}
          {[...(props.scripts ?? []), ...(props.liveSeconds ? ['live.js'] : [])].map((src) => (
            <script src={`/assets/${src}`} defer />
          ))}
        </head>
        <body class={props.phone ? 'phone' : props.bare ? 'bare' : undefined}>
          <a class="skip" href="#main">
            {t('web.skip')}
          </a>
          {!props.bare && <TopBar c={c} />}
          {account && !props.phone && !props.bare && <ConsoleMenu c={c} />}
          <main id="main" class={props.narrow || props.phone ? 'narrow' : undefined} tabindex={-1} data-live-every={props.liveSeconds}>
            {props.children}
          </main>
          {props.liveSeconds ? <p id="live-status" class="visually-hidden" role="status" aria-live="polite" /> : null}
          {!props.bare && (
          <footer class="foot">
            {t('web.footer')}
            {account && !props.phone && (
              <>
                {' · '}
                <a href="/admin/guide">{t('web.console.guide')}</a>
              </>
            )}
          </footer>
          )}
        </body>
      </html>
    </>
  )
}
