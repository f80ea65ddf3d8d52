import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { AppDeps } from '../../deps.js'
import { checkedInAt, checkIn, findSession } from '../../domain/attendance/sessions.js'
import { findPublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { pageText } from '../locale.js'
import { ErrorText, formToken, Hidden, identifyError, notFound, Notice, phonePage, selfPath, WhoBlock } from './phone.js'
import { readerOf, recordOpened, type Reader } from './reader.js'
import { answerBeforeCommit } from './speed.js'
import type { AppEnv } from '../../http/env.js'

type Session = NonNullable<Awaited<ReturnType<typeof findSession>>>

/** A session's QR check-in at /s/<slug>. */
export function sessionRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps
  const tz = deps.config.timezone

  app.get('/s/:slug', async (c) => {
    const { t } = pageText(c)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const s = link?.kind === 'session' ? await findSession(db, link.itemId) : undefined
    if (!s) return notFound(c)
    const token = c.req.query('p')
    const reader = await readerOf(deps, c, slug, token)
    await recordOpened(deps, 'session', s.id, reader?.id ?? null, deps.clock())
    answerBeforeCommit(c)
    const at = reader ? await checkedInAt(db, s.id, reader.id) : undefined
    const from = formatDateTime(s.opensAt, tz)
    const to = formatDateTime(s.closesAt, tz)
    return phonePage(
      c,
      `${t('page.checkinTitle')}: ${s.title}`,
      <>
        <article>
          <p class="kind">{t(`checkin.kind.${s.kind}`)}</p>
          <h1>{s.title}</h1>
          <p>{t('page.checkinWindow', { from, to })}</p>
        </article>
        <ErrorText t={t} c={c} />
        {checkinState({ c, t, s, slug, reader, token, at, tz })}
        <WhoBlock c={c} t={t} next={publicPath('session', slug)} reader={reader} error={identifyError(t, c, deps.clock(), tz)} />
      </>,
    )
  })

  app.post('/s/:slug/checkin', async (c) => {
    const slug = c.req.param('slug')
    const token = formToken(await c.req.parseBody())
    const link = await findPublicLink(db, slug)
    const s = link?.kind === 'session' ? await findSession(db, link.itemId) : undefined
    const reader = s && (await readerOf(deps, c, slug, token))
    if (!s || !reader) return c.redirect(selfPath('session', slug, token), 303)
    // The same rules and answers as /diemdanh: the session's own code, through the same service.
    const result = await checkIn(db, { code: s.code, personId: reader.id, channel: 'web', now: deps.clock() })
    return c.redirect(selfPath('session', slug, token, `r=${result.status}`), 303)
  })
}

/** Checked in (just now or before), not open yet, closed, or the button for an identified reader. */
function checkinState(v: {
  c: Context
  t: Translate
  s: Session
  slug: string
  reader: Reader | undefined
  token: string | undefined
  at: Date | undefined
  tz: string
}): Child {
  const { c, t, s, at, tz } = v
  const r = c.req.query('r')
  const params = { title: s.title, kind: t(`checkin.kind.${s.kind}`), from: formatDateTime(s.opensAt, tz), to: formatDateTime(s.closesAt, tz) }
  if (at) return <Notice text={t(r === 'checked_in' ? 'checkin.confirmed' : 'checkin.already', { ...params, at: formatDateTime(at, tz) })} />
  if (r === 'not_open') return <Notice text={t('checkin.notOpen', { title: s.title, at: params.from })} kind="warn" />
  if (r === 'closed') return <Notice text={t('checkin.closed', { title: s.title, at: params.to })} kind="warn" />
  if (!v.reader) return null
  return (
    <form method="post" action={`${publicPath('session', v.slug)}/checkin`}>
      <Hidden c={c} token={v.token} />
      <button class="primary" type="submit">
        {t('page.checkinButton')}
      </button>
    </form>
  )
}
