import { Hono, type Context } from 'hono'
import type { ChannelName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { roleAllows } from '../../domain/console/sessions.js'
import { answerQuestion, ANSWER_MAX, correctAnswer, listQuestions, type QuestionStatus } from '../../domain/questions.js'
import { formatDateTime } from '../../i18n.js'
import { errorPage } from '../errors.js'
import { field } from '../form.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'
import { FormNotice, StatusTabs } from './status-tabs.js'
import { DownloadLinks } from './downloads.js'

const statuses: QuestionStatus[] = ['open', 'answered', 'all']

/** /admin/questions: the inbox of /hoidap questions, answered (and corrected) from the page. */
export function questionPageRoutes(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps
  const tz = deps.config.timezone

  const inbox = async (c: Context, notice?: { kind: 'ok' | 'error' | 'warn'; text: string }, status: 200 | 422 = 200) => {
    const { t } = pageText(c)
    const asked = c.req.query('status') as QuestionStatus | undefined
    const filter = asked && statuses.includes(asked) ? asked : 'open'
    const { items, total } = await listQuestions(db, { status: filter, limit: 100, offset: 0 })
    const canAnswer = roleAllows(accountOf(c).role, 'editor')
    return c.html(
      <Layout c={c} title={t('consoleQuestions.title')}>
        <h1>{t('consoleQuestions.title')}</h1>
        <StatusTabs label={t('consoleQuestions.title')} statuses={statuses} current={filter} href={(s) => `/admin/questions?status=${s}`} name={(s) => t(`consoleQuestions.filters.${s}`)} />
        <FormNotice notice={notice} />
        {total === 0 && <p class="muted">{t('consoleQuestions.none')}</p>}
        {total > 0 && <DownloadLinks c={c} href="/admin/questions/download" query={`?status=${filter}`} />}
        {items.map((q) => (
          <article class="card" data-question={q.id} aria-labelledby={`q${q.id}`}>
            <h2 id={`q${q.id}`}>
              #{q.id} · {q.person?.fullName ?? t('consoleQuestions.erased')} · {q.unit.name}
            </h2>
            <p class="hint">{t('consoleQuestions.asked', { at: formatDateTime(new Date(q.askedAt), tz), channel: t(`channel.${q.channel as ChannelName}`) })}</p>
            <blockquote>{q.text ?? t('consoleQuestions.removed')}</blockquote>
            {q.answeredAt && (
              <p>
                <strong>{t('consoleQuestions.answeredAt', { at: formatDateTime(new Date(q.answeredAt), tz) })}:</strong> {q.answer}
              </p>
            )}
            {canAnswer && (
              <form method="post" action={`/admin/questions/${q.id}/answer?status=${filter}`} class="stack">
                <CsrfField c={c} />
                <div>
                  <label for={`a${q.id}`}>{t('consoleQuestions.answer')}</label>
                  <textarea id={`a${q.id}`} name="answer" required maxlength={ANSWER_MAX}>
                    {q.answer ?? ''}
                  </textarea>
                </div>
                <div class="actions">
                  <button type="submit">{q.answeredAt ? t('consoleQuestions.correct') : t('consoleQuestions.send')}</button>
                </div>
              </form>
            )}
          </article>
        ))}
      </Layout>,
      status,
    )
  }

  app.get('/admin/questions', (c) => inbox(c))

  app.post('/admin/questions/:id/answer', async (c) => {
    const { t } = pageText(c)
    const id = Number(c.req.param('id'))
    if (!Number.isSafeInteger(id) || id < 1) return errorPage(c, 404, 'api.errors.noQuestion', { id: c.req.param('id') })
    const answer = field(await c.req.parseBody(), 'answer')
    if (!answer || answer.length > ANSWER_MAX) return inbox(c, { kind: 'error', text: t('consoleQuestions.empty', { max: ANSWER_MAX }) }, 422)
    const now = deps.clock()
    const first = await answerQuestion(db, id, answer, now)
    if (first.status === 'not_found') return errorPage(c, 404, 'api.errors.noQuestion', { id })
    if (first.status === 'answered') {
      return inbox(c, first.delivered ? { kind: 'ok', text: t('consoleQuestions.sent', { id }) } : { kind: 'warn', text: t('consoleQuestions.undelivered', { id }) })
    }
    // Answered before: this is a correction.
    const fix = await correctAnswer(db, id, answer, now)
    if (fix.status === 'corrected') {
      return inbox(c, fix.delivered ? { kind: 'ok', text: t('consoleQuestions.corrected', { id }) } : { kind: 'warn', text: t('consoleQuestions.undelivered', { id }) })
    }
    return inbox(c, { kind: 'ok', text: t('consoleQuestions.unchanged') })
  })

  return app
}
