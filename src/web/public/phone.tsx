import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { PublicItemKind } from '#db/schema/index.js'
import { publicPath } from '../../domain/web/public-slugs.js'
import { formatDateTime, type MessageKey, type Translate } from '../../i18n.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import type { Reader } from './reader.js'

/** What every phone page shares: its frame, its notices, the identify block, its own address. */

/**
 * The "too many wrong codes" notice from the redirect's `retry` (seconds since 1970): a short wait
 * in seconds, a longer one as a time; anything that is not a time in the coming day (a hand-edited
 * address) says only "later".
 */
function throttledText(t: Translate, retry: string | undefined, now: Date, tz: string): string {
  const at = retry && /^\d{1,12}$/.test(retry) ? Number(retry) * 1000 : NaN
  const wait = at - now.getTime()
  if (!(wait > -60_000 && wait <= 86_400_000)) return t('page.throttledLater')
  if (wait <= 600_000) return t('page.throttledSeconds', { seconds: Math.max(1, Math.ceil(wait / 1000)) })
  return t('page.throttled', { time: formatDateTime(new Date(at), tz) })
}

export function Notice(props: { text: string; kind?: 'ok' | 'warn' }) {
  return (
    <p class={`notice ${props.kind ?? 'ok'}`} role="status">
      {props.text}
    </p>
  )
}

/** A personal link's token travels with every form of its page, so the reader stays themselves. */
export function Hidden({ c, token }: { c: Context; token: string | undefined }) {
  return (
    <>
      <CsrfField c={c} />
      {token && <input type="hidden" name="p" value={token} />}
    </>
  )
}

/**
 * The identify form, or who is reading with the way to forget this phone. A wrong or expired code
 * (`error`) is said inside the form, right above the field, which is marked invalid, described by
 * it and focused (autofocus, which also scrolls it into view; Chromium skips autofocus on an
 * address with a #fragment, so the redirect carries none) (walk P9).
 */
export function WhoBlock({ c, t, next, reader, error }: { c: Context; t: Translate; next: string; reader: Reader | undefined; error?: string | null }) {
  if (reader?.viaLink) return <p class="who card">{t('page.you', { name: reader.fullName })}</p>
  if (reader) {
    return (
      <form class="who card" method="post" action="/p/forget">
        <CsrfField c={c} />
        <input type="hidden" name="next" value={next} />
        {t('page.you', { name: reader.fullName })}{' '}
        <button class="link" type="submit">
          {t('page.forget')}
        </button>
      </form>
    )
  }
  return (
    <form class="identify card" method="post" action="/p/identify" id="identify">
      <h2>{t('page.identifyTitle')}</h2>
      <p>{t('page.identifyHelp')}</p>
      <CsrfField c={c} />
      <input type="hidden" name="next" value={next} />
      <label for="code">{t('page.codeLabel')}</label>
      {error && (
        <p class="field-error" id="code-error" role="alert">
          {error}
        </p>
      )}
      <input
        id="code"
        name="code"
        type="text"
        autocomplete="one-time-code"
        autocapitalize="characters"
        required
        maxlength={20}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'code-error' : undefined}
        autofocus={!!error}
      />
      <button class="primary" type="submit">
        {t('page.identifyButton')}
      </button>
    </form>
  )
}

/** The body as paragraphs; blank lines separate paragraphs, single newlines break lines. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((p) => {
        const lines = p.trim().split('\n')
        return <p>{lines.map((line, i) => (i === 0 ? line : [<br />, line]))}</p>
      })}
    </>
  )
}

/** A phone page in the pages' one frame. */
export const phonePage = (c: Context, title: string, body: Child, status: 200 | 400 | 404 | 422 | 429 = 200) =>
  c.html(
    <Layout c={c} title={title} phone>
      {body}
    </Layout>,
    status,
  )

/** "This phone forgot you": a notice above the page's action. */
export function ErrorText({ t, c }: { t: Translate; c: Context }) {
  return c.req.query('e') === 'forgotten' ? <Notice text={t('page.forgotten')} /> : null
}

/** Why the code just typed was refused, for the identify form to show next to its field. */
export function identifyError(t: Translate, c: Context, now: Date, tz: string): string | null {
  switch (c.req.query('e')) {
    case 'invalid':
      return t('page.invalidCode')
    case 'expired':
      return t('page.expiredCode')
    case 'throttled':
      return throttledText(t, c.req.query('retry'), now, tz)
    default:
      return null
  }
}

export const notFound = (c: Context, key: MessageKey = 'page.notFound') => {
  const { t } = pageText(c)
  return phonePage(c, t(key), <p>{t(key)}</p>, key === 'page.notFound' ? 404 : 200)
}

/** The page's own address, keeping a personal token. */
export const selfPath = (kind: PublicItemKind, slug: string, token: string | undefined, extra = '') => {
  const q = new URLSearchParams()
  if (token) q.set('p', token)
  if (extra) for (const [k, v] of new URLSearchParams(extra)) q.set(k, v)
  const s = q.toString()
  return `${publicPath(kind, slug)}${s ? `?${s}` : ''}`
}

/** The personal token a page's form carried back. */
export const formToken = (form: Record<string, unknown>) => (typeof form.p === 'string' ? form.p : undefined)
