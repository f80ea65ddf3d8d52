import type { Context } from 'hono'
import type { ChannelName } from '#src/core/events.js'
import { ANSWER_MAX, type listQuestions, type QuestionStatus } from '#src/domain/questions.js'
import { formatDateTime, formatHours, formatPercent } from '#src/i18n.js'
import type { questionStats } from '#src/domain/public-questions.js'
import { DataTable, type Column } from '../components/data-table.js'
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
        <p>
          <a href="/admin/questions/stats">{t('consoleQuestions.stats.link')}</a>
        </p>
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

type Stats = Awaited<ReturnType<typeof questionStats>>
type StatsRow = Stats['units'][number]

/** /admin/questions/stats: first-response times in working hours per unit, and the share answered within the target. */
export function QuestionStatsPage({ c, stats }: { c: Context; stats: Stats }) {
  const { t, locale } = pageText(c)
  const hours = (h: number | null) => (h === null ? '—' : formatHours(h, locale))
  const columns: Column<StatsRow>[] = [
    { head: t('consoleQuestions.stats.unit'), cell: (r) => r.unit.name, rowHeader: true },
    { head: t('consoleQuestions.stats.asked'), cell: (r) => r.asked, num: true },
    { head: t('consoleQuestions.stats.open'), cell: (r) => r.open, num: true },
    { head: t('consoleQuestions.stats.median'), cell: (r) => hours(r.medianWorkingHours), num: true },
    { head: t('consoleQuestions.stats.p90'), cell: (r) => hours(r.p90WorkingHours), num: true },
    { head: t('consoleQuestions.stats.within', { days: stats.targetWorkingDays }), cell: (r) => formatPercent(r.shareWithinTarget, locale), num: true },
    { head: t('consoleQuestions.stats.satisfied'), cell: (r) => formatPercent(r.satisfiedShare, locale), num: true },
  ]
  const all: StatsRow = { unit: { code: '', name: t('consoleQuestions.stats.all') }, ...stats.all }
  return (
    <ListPage c={c} title={t('consoleQuestions.stats.title')} before={<p class="hint">{t('consoleQuestions.stats.hint')}</p>} empty={stats.all.asked === 0} emptyText={t('consoleQuestions.none')} emptyClass="muted">
      <DataTable columns={columns} rows={[...stats.units, all]} rowAttributes={(r) => ({ 'data-unit': r.unit.code || 'all' })} />
    </ListPage>
  )
}
