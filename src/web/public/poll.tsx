import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { PollRow } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { findPoll } from '../../domain/polls/polls.js'
import { optionLabels } from '../../domain/polls/results.js'
import { answerFromPage, answerOfPerson, pageState, personRespondent } from '../../domain/polls/web.js'
import { findPublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { pageText } from '../locale.js'
import { ErrorText, formToken, Hidden, identifyError, notFound, Notice, phonePage, selfPath, WhoBlock } from './phone.js'
import { readerOf, recordOpened, type Reader } from './reader.js'
import type { AppEnv } from '../../http/env.js'

/** A poll answered on the phone at /t/<slug> (issue 23), by staff identified by a personal link or code. */
export function pollPageRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps
  const tz = deps.config.timezone
  const pollOf = async (slug: string) => {
    const link = await findPublicLink(db, slug)
    return link?.kind === 'poll' ? findPoll(db, link.itemId) : undefined
  }

  app.get('/t/:slug', async (c) => {
    const { t } = pageText(c)
    const slug = c.req.param('slug')
    const poll = await pollOf(slug)
    if (!poll) return notFound(c)
    const token = c.req.query('p')
    const reader = await readerOf(deps, c, slug, token)
    await recordOpened(deps, 'poll', poll.id, reader?.id ?? null, deps.clock())
    return phonePage(
      c,
      `${t('poll.page.title')}: ${poll.title}`,
      <>
        <article>
          <p class="kind">{t('poll.page.title')}</p>
          <h1>{poll.title}</h1>
          <p>{poll.question}</p>
          <p>{t('poll.page.window', { from: formatDateTime(poll.opensAt, tz), to: formatDateTime(poll.closesAt, tz) })}</p>
        </article>
        <ErrorText t={t} c={c} />
        {await answerBlock({ c, t, deps, poll, slug, reader, token })}
        {!reader && <p class="hint">{t('poll.page.staffOnly')}</p>}
        <WhoBlock c={c} t={t} next={publicPath('poll', slug)} reader={reader} error={identifyError(t, c, deps.clock(), tz)} />
      </>,
    )
  })

  app.post('/t/:slug/answer', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = formToken(form)
    const poll = await pollOf(slug)
    const reader = poll && (await readerOf(deps, c, slug, token))
    if (!poll || !reader) return c.redirect(selfPath('poll', slug, token), 303)
    const result = await answerFromPage(db, poll, reader.id, typeof form.choice === 'string' ? form.choice : '', deps.clock())
    return c.redirect(selfPath('poll', slug, token, `r=${result}`), 303)
  })
}

/** What just happened (`r`), then the form with the reader's answer chosen, or why there is none. */
async function answerBlock(v: { c: Context; t: Translate; deps: AppDeps; poll: PollRow; slug: string; reader: Reader | undefined; token: string | undefined }): Promise<Child> {
  const { c, t, deps, poll, reader } = v
  if (!reader) return null
  const tz = deps.config.timezone
  const who = await personRespondent(deps.db, reader.id)
  const state = who ? await pageState(deps.db, poll, who, deps.clock()) : 'not_for_you'
  if (state === 'closed') return <Notice kind="warn" text={t('poll.page.closed', { at: formatDateTime(poll.closesAt, tz) })} />
  if (state === 'not_open') return <Notice kind="warn" text={t('poll.page.notOpen', { at: formatDateTime(poll.opensAt, tz) })} />
  if (state === 'not_for_you') return <Notice kind="warn" text={t('poll.page.notForYou')} />
  const labels = optionLabels(poll, t)
  const mine = await answerOfPerson(deps.db, poll, reader.id)
  const chosen = mine === null ? '' : `${mine + 1}. ${labels[mine]}`
  const r = c.req.query('r')
  const notice =
    r === 'recorded' || r === 'changed' ? (
      <Notice text={t(`poll.page.${r}`, { choice: chosen })} />
    ) : r === 'invalid' ? (
      <Notice kind="warn" text={t('poll.page.invalid')} />
    ) : mine !== null ? (
      <Notice text={t('poll.page.yours', { choice: chosen })} />
    ) : null
  return (
    <>
      {notice}
      <form method="post" action={`${publicPath('poll', v.slug)}/answer`} class="card">
        <Hidden c={c} token={v.token} />
        <fieldset>
          <legend>{t('poll.page.legend')}</legend>
          {labels.map((label, i) => (
            <div class="option">
              <input type="radio" id={`choice-${i}`} name="choice" value={String(i)} checked={mine === i} required />
              <label for={`choice-${i}`}>{`${i + 1}. ${label}`}</label>
            </div>
          ))}
        </fieldset>
        <button class="primary" type="submit">
          {mine === null ? t('poll.page.submit') : t('poll.page.change')}
        </button>
      </form>
    </>
  )
}
