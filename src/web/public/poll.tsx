import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { PollRow, SubscriberRow } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { findPoll, isAsked, type Respondent } from '../../domain/polls/polls.js'
import { optionLabels, pollResults } from '../../domain/polls/results.js'
import { answerFromPage, answerOf, pageState, personRespondent, resultsShown, subscriberRespondent } from '../../domain/polls/web.js'
import { findPublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { verifySubscriberToken } from '../../domain/web/signed-tokens.js'
import { subscriberOfLink, wardNameOf } from '../../domain/web/web-subscribers.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { pageText } from '../locale.js'
import { FOLLOW_PATH, webSubscriberOfRequest } from './follow.js'
import { ErrorText, formToken, Hidden, identifyError, notFound, Notice, phonePage, selfPath, WhoBlock } from './phone.js'
import { linkKey, readerOf, recordOpened, type Reader } from './reader.js'
import type { AppEnv } from '../../http/env.js'

/**
 * Who answers on a poll's page: a person of the directory (their personal link or remembered code),
 * or a subscriber (the personal link in the poll's message to their chat, or the cookie of a phone
 * that follows its ward on /theo-doi).
 */
type PageRespondent =
  | { kind: 'person'; reader: Reader; respondent: Respondent | null }
  | { kind: 'subscriber'; subscriber: SubscriberRow; viaLink: boolean; respondent: Respondent }

async function respondentOf(deps: AppDeps, c: Context, slug: string, token: string | undefined): Promise<PageRespondent | undefined> {
  const now = deps.clock()
  if (token?.startsWith('s')) {
    const claim = await verifySubscriberToken(await linkKey(deps), slug, token)
    const s = claim && (await subscriberOfLink(deps.db, claim, now, deps.config.webLinkTtlDays))
    if (s) return { kind: 'subscriber', subscriber: s, viaLink: true, respondent: subscriberRespondent(s) }
  }
  const reader = await readerOf(deps, c, slug, token)
  if (reader) return { kind: 'person', reader, respondent: await personRespondent(deps.db, reader.id) }
  const s = await webSubscriberOfRequest(deps, c)
  return s ? { kind: 'subscriber', subscriber: s, viaLink: false, respondent: subscriberRespondent(s) } : undefined
}

/**
 * A poll answered on the phone at /t/<slug> (issue 23): staff identified by a personal link or code,
 * subscribers by their personal link or by following their ward on /theo-doi. One page a poll, for
 * staff and subscribers alike (a poll to both has one address and one QR code). A visitor who is
 * neither, on a poll that asks only subscribers, is sent to /theo-doi first and brought back.
 */
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
    const who = await respondentOf(deps, c, slug, token)
    const forSubscribers = !!poll.audience.subscribers
    if (!who && forSubscribers && !poll.audience.staff) return c.redirect(`${FOLLOW_PATH}?next=${publicPath('poll', slug)}`, 303)
    const reader = who?.kind === 'person' ? who.reader : undefined
    await recordOpened(deps, 'poll', poll.id, reader?.id ?? null, deps.clock())
    c.header('Cache-Control', 'private, no-store')
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
        {await answerBlock({ c, t, deps, poll, slug, who, token })}
        {who?.respondent && (await resultsBlock({ t, deps, poll, respondent: who.respondent }))}
        {!who && !forSubscribers && <p class="hint">{t('poll.page.staffOnly')}</p>}
        {!who && forSubscribers && (
          <p class="hint">
            {t('poll.page.followFirst')} <a href={`${FOLLOW_PATH}?next=${publicPath('poll', slug)}`}>{t('poll.page.followLink')}</a>
          </p>
        )}
        {who?.kind === 'subscriber' ? (
          <p class="who card">
            {t('poll.page.asSubscriber', { ward: (await wardNameOf(deps.db, who.subscriber.wardUnitId)) ?? '—' })} {!who.viaLink && <a href={FOLLOW_PATH}>{t('poll.page.manageFollow')}</a>}
          </p>
        ) : (
          <WhoBlock c={c} t={t} next={publicPath('poll', slug)} reader={reader} error={identifyError(t, c, deps.clock(), tz)} />
        )}
      </>,
    )
  })

  app.post('/t/:slug/answer', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = formToken(form)
    const poll = await pollOf(slug)
    const who = poll && (await respondentOf(deps, c, slug, token))
    if (!poll || !who) return c.redirect(selfPath('poll', slug, token), 303)
    const result = who.respondent ? await answerFromPage(db, poll, who.respondent, typeof form.choice === 'string' ? form.choice : '', deps.clock()) : 'not_for_you'
    return c.redirect(selfPath('poll', slug, token, `r=${result}`), 303)
  })
}

/** What just happened (`r`), then the form with the respondent's answer chosen, or why there is none. */
async function answerBlock(v: { c: Context; t: Translate; deps: AppDeps; poll: PollRow; slug: string; who: PageRespondent | undefined; token: string | undefined }): Promise<Child> {
  const { c, t, deps, poll, who } = v
  if (!who) return null
  const tz = deps.config.timezone
  const state = who.respondent ? await pageState(deps.db, poll, who.respondent, deps.clock()) : 'not_for_you'
  if (state === 'closed') return <Notice kind="warn" text={t('poll.page.closed', { at: formatDateTime(poll.closesAt, tz) })} />
  if (state === 'not_open') return <Notice kind="warn" text={t('poll.page.notOpen', { at: formatDateTime(poll.opensAt, tz) })} />
  if (state === 'not_for_you' || !who.respondent) return <Notice kind="warn" text={t('poll.page.notForYou')} />
  const labels = optionLabels(poll, t)
  const mine = await answerOf(deps.db, poll, who.respondent)
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

const share = (count: number, answered: number) => (answered ? Math.round((count / answered) * 100) : 0)

/**
 * The results for a respondent the poll asks: each option's count and share (and per ward for a
 * poll to subscribers), once it closed or at once when the poll shows them while open; before
 * that, when they will be published.
 */
async function resultsBlock(v: { t: Translate; deps: AppDeps; poll: PollRow; respondent: Respondent }): Promise<Child> {
  const { t, deps, poll } = v
  if (!(await isAsked(deps.db, poll, v.respondent))) return null
  if (!resultsShown(poll, deps.clock())) return <Notice text={t('poll.page.resultsHidden')} />
  const r = await pollResults(deps.db, poll, t)
  const lines = (counts: number[], answered: number) => (
    <ul>
      {counts.map((count, i) => (
        <li>{t('poll.page.resultsLine', { number: i + 1, label: r.options[i]!, count, share: share(count, answered) })}</li>
      ))}
    </ul>
  )
  return (
    <section class="card results" aria-labelledby="results-title">
      <h2 id="results-title">{t('poll.page.resultsTitle')}</h2>
      <p>{t('poll.page.resultsAnswered', { answered: r.total.answered })}</p>
      {lines(r.total.counts, r.total.answered)}
      {r.total.average !== null && <p>{t('poll.page.resultsAverage', { average: r.total.average })}</p>}
      {poll.audience.subscribers && r.byWard.length > 0 && (
        <>
          <h3>{t('poll.page.resultsByWard')}</h3>
          {r.byWard.map((w) => (
            <>
              <h4>{t('poll.page.resultsWard', { ward: w.unitName, answered: w.answered })}</h4>
              {lines(w.counts, w.answered)}
            </>
          ))}
        </>
      )}
    </section>
  )
}
