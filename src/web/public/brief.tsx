import type { Context, Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { ackedAt, recordAck } from '../../domain/broadcast/service.js'
import { publicBrief } from '../../domain/web/public-brief.js'
import { findPublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { ErrorText, formToken, Hidden, identifyError, notFound, Notice, Paragraphs, selfPath, WhoBlock } from './phone.js'
import { readerOf, recordOpened, type Reader } from './reader.js'
import { answerBeforeCommit, briefPageCache, etagOf } from './speed.js'
import type { AppEnv } from '../../http/env.js'

type Brief = NonNullable<Awaited<ReturnType<typeof publicBrief>>>

interface BriefView {
  deps: AppDeps
  c: Context
  t: Translate
  b: Brief
  slug: string
  reader: Reader | undefined
  token: string | undefined
}

/** A brief (any broadcast) at /b/<slug>, and its "Đã đọc" button. */
export function briefRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps

  app.get('/b/:slug', async (c) => {
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const now = deps.clock()
    const b = link?.kind === 'broadcast' ? await publicBrief(db, link.itemId, now.getTime()) : undefined
    if (!b || b.status === 'cancelled') return notFound(c)
    if (!b.expandedAt) return notFound(c, 'page.notYet')
    const token = c.req.query('p')
    const reader = await readerOf(deps, c, slug, token)
    // An "opened" row is a count, not something the reader is told was kept: the page does not
    // wait for it to be committed (see answerBeforeCommit and bufferedOpens).
    await recordOpened(deps, 'broadcast', b.id, reader?.id ?? null, now)
    answerBeforeCommit(c)
    const { t, locale } = pageText(c)
    // Revalidated by the phone (ETag): the same page for the same reader, browser and brief.
    c.header('Cache-Control', 'private, no-cache')
    const search = new URL(c.req.url).search
    if (!reader && (search === '' || /^\?lang=(vi|en)$/.test(search))) {
      // The anonymous page is the same for every visitor but for their form token: rendered once
      // per brief, language and address, then only the token is put in.
      const page = await briefPageCache.render(b, `${locale}${search}`, c, () => BriefPage({ deps, c, t, b, slug, reader: undefined, token: undefined }))
      return etagged(c, page.html, page.etag)
    }
    const html = await BriefPage({ deps, c, t, b, slug, reader, token }).toString()
    return etagged(c, html, etagOf(html))
  })

  app.post('/b/:slug/ack', async (c) => {
    const slug = c.req.param('slug')
    const token = formToken(await c.req.parseBody())
    const link = await findPublicLink(db, slug)
    if (!link || link.kind !== 'broadcast') return c.redirect(selfPath('broadcast', slug, token), 303)
    const reader = await readerOf(deps, c, slug, token)
    if (!reader) return c.redirect(selfPath('broadcast', slug, token), 303)
    const result = await recordAck(db, link.itemId, reader.id, deps.clock(), 'web')
    return c.redirect(selfPath('broadcast', slug, token, result.status === 'not_for_you' ? 'r=not_for_you' : ''), 303)
  })
}

function etagged(c: Context, html: string, etag: string) {
  c.header('ETag', etag)
  if (c.req.header('if-none-match') === etag) return c.body(null, 304)
  return c.html(html)
}

function BriefPage(v: BriefView) {
  const { c, t, b, slug, reader } = v
  return (
    <Layout c={c} title={b.title} phone>
      <article>
        <p class="kind">{t(`broadcast.kind.${b.kind}`)}</p>
        <h1>{b.title}</h1>
        {/* Above the text, so that a phone shows it on the first screen (walk P9). */}
        {b.requireAck && !reader && (
          <WhoBlock c={c} t={t} next={publicPath('broadcast', slug)} reader={reader} error={identifyError(t, c, v.deps.clock(), v.deps.config.timezone)} />
        )}
        {b.imageUrl && <img src={b.imageUrl} alt="" loading="lazy" />}
        <Paragraphs text={b.body} />
        {b.link && (
          <p>
            <a href={b.link} rel="noopener noreferrer">
              {t('page.openLink')}
            </a>
          </p>
        )}
      </article>
      <ErrorText t={t} c={c} />
      {b.requireAck && <BriefAction {...v} />}
      {reader && <WhoBlock c={c} t={t} next={publicPath('broadcast', slug)} reader={reader} />}
    </Layout>
  )
}

async function BriefAction({ deps, c, t, b, slug, reader, token }: BriefView) {
  if (c.req.query('r') === 'not_for_you') return <Notice text={t('page.ackNotForYou')} kind="warn" />
  if (!reader) return null
  const at = await ackedAt(deps.db, b.id, reader.id)
  if (at) return <Notice text={t('page.ackDone', { time: formatDateTime(at, deps.config.timezone) })} />
  return (
    <form method="post" action={`${publicPath('broadcast', slug)}/ack`}>
      <Hidden c={c} token={token} />
      <button class="primary" type="submit">
        {t('page.ackButton')}
      </button>
    </form>
  )
}
