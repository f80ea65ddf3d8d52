import type { Context } from 'hono'
import type { MessageKey, Params } from '../i18n.js'
import { Layout } from './layout.js'
import { pageText } from './locale.js'

/** A page that says what went wrong and offers the way back; the status tells scripts the same. */
export function errorPage(c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500, key: MessageKey, params?: Params) {
  const { t } = pageText(c)
  return c.html(
    <Layout c={c} title={t('web.errors.title')}>
      <h1>{t('web.errors.title')}</h1>
      <p role="alert" class="notice error">
        {t(key, params)}
      </p>
      {back(c) && (
        <p>
          <a href={back(c)}>{t('web.errors.back')}</a>
        </p>
      )}
    </Layout>,
    status,
  )
}

/** Where "back" leads: the page the reader came from on this site, else the console's home. */
function back(c: Context): string | undefined {
  const referer = c.req.header('referer')
  if (referer && referer.startsWith(new URL(c.req.url).origin + '/')) return referer
  return c.req.path.startsWith('/admin') ? '/admin' : undefined
}
