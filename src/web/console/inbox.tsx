import { Hono, type Context } from 'hono'
import type { ChannelName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { roleAllows } from '../../domain/console/sessions.js'
import { answerInbox, INBOX_FILTERS, inboxToQuestion, listInbox, type InboxFilter, type InboxOutcome, type PresentedInbox } from '../../domain/inbox.js'
import { ANSWER_MAX } from '../../domain/questions.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { errorPage } from '../errors.js'
import { field } from '../form.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'
import { FormNotice, StatusTabs } from './status-tabs.js'

const filters: readonly InboxFilter[] = INBOX_FILTERS
type Notice = { kind: 'ok' | 'error' | 'warn'; text: string }

/** One message: who wrote, when, the text, and what was done with it (or the forms to do it). */
function InboxCard(props: { c: Context; m: PresentedInbox; t: Translate; tz: string; filter: InboxFilter; canAnswer: boolean }) {
  const { c, m, t, tz, filter } = props
  return (
    <article class="card" data-inbox={m.id} aria-labelledby={`m${m.id}`}>
      <h2 id={`m${m.id}`}>
        #{m.id} · {m.person?.fullName ?? t('consoleInbox.erased')} · {m.unit.name}
      </h2>
      <p class="hint">{t('consoleInbox.received', { at: formatDateTime(new Date(m.receivedAt), tz), channel: t(`channel.${m.channel as ChannelName}`) })}</p>
      <blockquote>{m.text}</blockquote>
      {m.status === 'answered' && (
        <p>
          <strong>{t('consoleInbox.answeredAt', { at: formatDateTime(new Date(m.answeredAt!), tz), by: m.answeredBy?.fullName ?? t('consoleInbox.adminToken') })}:</strong> {m.answer}
        </p>
      )}
      {m.status === 'question' && (
        <p>
          <strong>{t('consoleInbox.isQuestion', { by: m.answeredBy?.fullName ?? t('consoleInbox.adminToken') })}:</strong>{' '}
          <a href={`/admin/questions?status=all#q${m.questionId}`}>{t('consoleInbox.questionLink', { id: m.questionId ?? '' })}</a>
        </p>
      )}
      {props.canAnswer && m.status === 'new' && (
        <>
          <form method="post" action={`/admin/inbox/${m.id}/answer?status=${filter}`} class="stack">
            <CsrfField c={c} />
            <div>
              <label for={`a${m.id}`}>{t('consoleInbox.answer')}</label>
              <textarea id={`a${m.id}`} name="answer" required maxlength={ANSWER_MAX}></textarea>
            </div>
            <div class="actions">
              <button type="submit">{t('consoleInbox.send')}</button>
            </div>
          </form>
          <form method="post" action={`/admin/inbox/${m.id}/question?status=${filter}`} class="actions">
            <CsrfField c={c} />
            <button type="submit" class="secondary">
              {t('consoleInbox.toQuestion')}
            </button>
          </form>
        </>
      )}
    </article>
  )
}

/** /admin/inbox: messages that were no command, answered or turned into questions from the page. */
export function inboxPageRoutes(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps
  const tz = deps.config.timezone

  const page = async (c: Context, notice?: Notice, status: 200 | 422 = 200) => {
    const { t } = pageText(c)
    const asked = c.req.query('status') as InboxFilter | undefined
    const filter = asked && filters.includes(asked) ? asked : 'new'
    const { items, total } = await listInbox(db, { status: filter, limit: 100, offset: 0 })
    const canAnswer = roleAllows(accountOf(c).role, 'editor')
    return c.html(
      <Layout c={c} title={t('consoleInbox.title')}>
        <h1>{t('consoleInbox.title')}</h1>
        <p class="hint">{t('consoleInbox.intro')}</p>
        <StatusTabs label={t('consoleInbox.title')} statuses={filters} current={filter} href={(s) => `/admin/inbox?status=${s}`} name={(s) => t(`consoleInbox.filters.${s}`)} />
        <FormNotice notice={notice} />
        {total === 0 && <p class="muted">{t('consoleInbox.none')}</p>}
        {items.map((m) => (
          <InboxCard c={c} m={m} t={t} tz={tz} filter={filter} canAnswer={canAnswer} />
        ))}
      </Layout>,
      status,
    )
  }

  /** The page again, with what became of the action. */
  const after = (c: Context, id: number, outcome: InboxOutcome, done: (m: PresentedInbox) => string) => {
    const { t } = pageText(c)
    if (outcome.status === 'not_found') return errorPage(c, 404, 'api.errors.noInboxMessage', { id })
    if (outcome.status === 'handled') return page(c, { kind: 'warn', text: t('consoleInbox.handled', { id }) })
    if (!outcome.delivered) return page(c, { kind: 'warn', text: t('consoleInbox.undelivered', { id }) })
    return page(c, { kind: 'ok', text: done(outcome.message) })
  }

  const idOf = (c: Context) => {
    const id = Number(c.req.param('id'))
    return Number.isSafeInteger(id) && id > 0 ? id : null
  }

  app.get('/admin/inbox', (c) => page(c))

  app.post('/admin/inbox/:id/answer', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noInboxMessage', { id: c.req.param('id') })
    const answer = field(await c.req.parseBody(), 'answer')
    if (!answer || answer.length > ANSWER_MAX) return page(c, { kind: 'error', text: t('consoleInbox.empty', { max: ANSWER_MAX }) }, 422)
    const outcome = await answerInbox(db, id, answer, accountOf(c).personId, deps.clock())
    return after(c, id, outcome, () => t('consoleInbox.sent', { id }))
  })

  app.post('/admin/inbox/:id/question', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noInboxMessage', { id: c.req.param('id') })
    const outcome = await inboxToQuestion(db, id, accountOf(c).personId, deps.clock())
    return after(c, id, outcome, (m) => t('consoleInbox.madeQuestion', { id, question: m.questionId ?? '' }))
  })

  return app
}
