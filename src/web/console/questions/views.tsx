import type { Context } from 'hono'
import type { ChannelName } from '#src/core/events.js'
import { ANSWER_MAX, type listQuestions, type QuestionStatus } from '#src/domain/questions.js'
import { formatDateTime, formatHours } from '#src/i18n.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import { ListPage } from '../components/list-page.js'
import { DownloadLinks } from '../downloads.js'
import { FormNotice, StatusTabs } from '../components/status-tabs.js'

export const questionStatuses: QuestionStatus[] = ['open', 'answered', 'all']

type QuestionItem = Awaited<ReturnType<typeof listQuestions>>['items'][number]
export type Notice = { kind: 'ok' | 'error' | 'warn'; text: string }

interface QuestionsProps {
  c: Context
  filter: QuestionStatus
  items: readonly QuestionItem[]
  total: number
  canAnswer: boolean
  notice?: Notice
  tz: string
}

/** /admin/questions: the /hoidap questions by status, each a card with its answer form (editors). */
export function QuestionsPage(props: QuestionsProps) {
  const { c, filter } = props
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleQuestions.title')}
      before={
        <>
          <StatusTabs label={t('consoleQuestions.title')} statuses={questionStatuses} current={filter} href={(s) => `/admin/questions?status=${s}`} name={(s) => t(`consoleQuestions.filters.${s}`)} />
          <FormNotice notice={props.notice} />
        </>
      }
      empty={props.total === 0}
      emptyText={t('consoleQuestions.none')}
      emptyClass="muted"
    >
      <>
        <DownloadLinks c={c} href="/admin/questions/download" query={`?status=${filter}`} />
        {props.items.map((q) => (
          <QuestionCard {...props} q={q} />
        ))}
      </>
    </ListPage>
  )
}

/** Staff by name (erased: said so); a subscriber as "a parent or citizen", never by chat. */
function askerName(q: QuestionItem, t: ReturnType<typeof pageText>['t']) {
  if (q.asker.kind === 'subscriber') return t(q.asker.erased ? 'consoleQuestions.subscriberErased' : 'consoleQuestions.subscriber')
  return q.person?.fullName ?? t('consoleQuestions.erased')
}

function QuestionCard({ c, q, filter, canAnswer, tz }: QuestionsProps & { q: QuestionItem }) {
  const { t } = pageText(c)
  return (
    <article class="card" data-question={q.id} aria-labelledby={`q${q.id}`}>
      <h2 id={`q${q.id}`}>
        #{q.id} · {askerName(q, t)} · {q.unit.name}
      </h2>
      <p class="hint">{t('consoleQuestions.asked', { at: formatDateTime(new Date(q.askedAt), tz), channel: t(`channel.${q.channel as ChannelName}`) })}</p>
      <blockquote>{q.text ?? t('consoleQuestions.removed')}</blockquote>
      {q.answeredAt && (
        <p>
          <strong>{t('consoleQuestions.answeredAt', { at: formatDateTime(new Date(q.answeredAt), tz) })}:</strong> {q.answer}
        </p>
      )}
      {q.rating && <p class="hint">{t(`consoleQuestions.rated.${q.rating}`)}</p>}
      {q.waitedWorkingHours !== null && <p class="hint">{t('consoleQuestions.waited', { hours: formatHours(q.waitedWorkingHours, pageText(c).locale) })}</p>}
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
  )
}
