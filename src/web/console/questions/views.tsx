import type { Context } from 'hono'
import type { ChannelName } from '#src/core/events.js'
import type { Suggestion, suggestionMonths } from '#src/domain/library/suggested-answers.js'
import { ANSWER_MAX, type listQuestions, type QuestionStatus } from '#src/domain/questions.js'
import { formatDate, formatDateTime, formatHours, formatPercent } from '#src/i18n.js'
import type { questionStats } from '#src/domain/public-questions.js'
import { DataTable, type Column } from '../components/data-table.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import { FormPage } from '../components/form-page.js'
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
  months: Awaited<ReturnType<typeof suggestionMonths>>
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
      after={<SuggestionMonths c={c} months={props.months} />}
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
      {q.answeredByName && <p class="hint" data-answered-by>{t('consoleQuestions.answeredInChat', { name: q.answeredByName })}</p>}
      {q.autoAnswer && <p data-auto-answered>{t('consoleSuggest.autoAnswered', { at: formatDateTime(new Date(q.autoAnswer.at), tz), product: q.autoAnswer.productId ?? '?' })}</p>}
      {q.personAskedAt && <p data-person-asked>{t('consoleSuggest.personAsked', { at: formatDateTime(new Date(q.personAskedAt), tz) })}</p>}
      {canAnswer && q.text && (
        <p>
          <a href={`/admin/questions/${q.id}/suggest`}>{t('consoleSuggest.link')}</a>
        </p>
      )}
      {q.rating && <p class="hint">{t(`consoleQuestions.rated.${q.rating}`)}</p>}
      {q.waitedWorkingHours !== null && <p class="hint">{t('consoleQuestions.waited', { hours: formatHours(q.waitedWorkingHours, pageText(c).locale) })}</p>}
      <FaqAction c={c} q={q} filter={filter} canAnswer={canAnswer} />
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

/** An answered question: its FAQ entry in the library once published, else (editors) the button that publishes it. */
function FaqAction({ c, q, filter, canAnswer }: { c: Context; q: QuestionItem; filter: QuestionStatus; canAnswer: boolean }) {
  const { t } = pageText(c)
  if (q.faqProductId !== null) {
    return (
      <p data-faq={q.faqProductId}>
        <a href={`/admin/library/${q.faqProductId}`}>{t('consoleQuestions.faq.done')}</a>
      </p>
    )
  }
  if (!canAnswer || !q.answeredAt || !q.text) return null
  return (
    <form method="post" action={`/admin/questions/${q.id}/faq?status=${filter}`}>
      <CsrfField c={c} />
      <p class="hint">{t('consoleQuestions.faq.hint')}</p>
      <button type="submit" class="secondary">
        {t('consoleQuestions.faq.button')}
      </button>
    </form>
  )
}

/** Per month: questions shown suggestions, and what the answers made of them (research 7.5). */
function SuggestionMonths({ c, months }: { c: Context; months: QuestionsProps['months'] }) {
  const { t } = pageText(c)
  if (months.length === 0) return null
  return (
    <section aria-labelledby="suggest-months">
      <h2 id="suggest-months">{t('consoleSuggest.monthsTitle')}</h2>
      <DataTable
        labelledBy="suggest-months"
        rows={months}
        columns={[
          { head: t('consoleSuggest.month'), cell: (m) => m.month, rowHeader: true },
          { head: t('consoleSuggest.shown'), cell: (m) => m.shown, num: true },
          { head: t('consoleSuggest.accepted'), cell: (m) => m.accepted, num: true },
          { head: t('consoleSuggest.edited'), cell: (m) => m.edited, num: true },
          { head: t('consoleSuggest.rejected'), cell: (m) => m.rejected, num: true },
        ]}
      />
    </section>
  )
}

interface SuggestProps {
  c: Context
  q: { id: number; text: string; answer: string | null }
  items: readonly Suggestion[]
  /** The suggestion put in the form (its index), or none: a new answer (or the one already given). */
  use: number | undefined
  publicUrl: string | undefined
  tz: string
}

/** Where a suggestion comes from: the library entry (linked to its page) or the date of an earlier answer. */
function SuggestionSource({ c, s, publicUrl, tz }: { c: Context; s: Suggestion; publicUrl: string | undefined; tz: string }) {
  const { t } = pageText(c)
  if (s.source === 'answer') return <>{t('consoleSuggest.fromAnswer', { date: formatDate(new Date(s.question.answeredAt), tz), id: s.question.id })}</>
  const p = s.product
  const kind = `${t(`library.kinds.${p.kind}`)}${p.autoAnswer ? `, ${t('consoleSuggest.auto')}` : ''}`
  const href = p.audience === 'public' && publicUrl ? `${publicUrl}/thu-vien/${p.slug}` : p.link
  const text = t('consoleSuggest.fromLibrary', { title: p.title, kind })
  return href ? <a href={href}>{text}</a> : <>{text}</>
}

/** /admin/questions/:id/suggest: the best 3 suggestions with their sources, and the answer form prefilled with the one picked. */
export function SuggestPage({ c, q, items, use, publicUrl, tz }: SuggestProps) {
  const { t, locale } = pageText(c)
  const prefill = use !== undefined ? items[use]?.text : undefined
  return (
    <FormPage c={c} t={t} title={t('consoleSuggest.title', { id: q.id })} action={`/admin/questions/${q.id}/answer?status=open`} errors={[]} submit={t('consoleQuestions.send')}>
      <p>
        <a href="/admin/questions">{t('consoleSuggest.back')}</a>
      </p>
      <blockquote>{q.text}</blockquote>
      <p class="hint">{items.length ? t('consoleSuggest.intro') : t('consoleSuggest.none')}</p>
      {items.map((s, i) => (
        <article class="card" data-suggestion={i} data-source={s.source}>
          <h2>
            {i + 1}. <SuggestionSource c={c} s={s} publicUrl={publicUrl} tz={tz} />
          </h2>
          <p class="hint">{t('consoleSuggest.match', { share: formatPercent(s.coverage, locale) })}</p>
          <blockquote class="pre">{s.text}</blockquote>
          <p>
            <a href={`/admin/questions/${q.id}/suggest?use=${i}#answer`}>{t('consoleSuggest.use')}</a>
          </p>
        </article>
      ))}
      <p>
        <a href={`/admin/questions/${q.id}/suggest#answer`}>{t('consoleSuggest.writeNew')}</a>
      </p>
      <div>
        <label for="answer">{t('consoleSuggest.formTitle')}</label>
        <textarea id="answer" name="answer" required maxlength={ANSWER_MAX}>
          {prefill ?? q.answer ?? ''}
        </textarea>
      </div>
    </FormPage>
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
