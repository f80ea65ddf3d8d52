import type { Context } from 'hono'
import type { MessengerName } from '#src/core/events.js'
import type { AppDeps } from '#src/deps.js'
import type { QuizRow } from '#db/schema/index.js'
import { quizWindow, type listQuizzes, type quizResults } from '#src/domain/quiz/quizzes.js'
import { formatDateTime, formatPercent, type Translate } from '#src/i18n.js'
import { Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { PublicLinkCard } from '../../public-link.js'
import { DataTable } from '../components/data-table.js'
import { FormPage } from '../components/form-page.js'
import { ListPage } from '../components/list-page.js'
import { CreateAction } from '../create-action.js'
import { DownloadLinks } from '../downloads.js'
import { AudienceFields, DateTimeFields, type UnitOption } from '../forms.js'
import { FORM_OPTIONS, FORM_QUESTIONS, type QuestionDraft, type QuizDraft } from './form.js'
import { PassMarkWarning } from './pass-mark.js'

const LETTERS = 'ABCDEF'
type QuizItem = Awaited<ReturnType<typeof listQuizzes>>[number]
type Results = Awaited<ReturnType<typeof quizResults>>

/** /admin/quizzes: every quiz with its window, question count and state. */
export function QuizListPage({ c, quizzes, zone, now }: { c: Context; quizzes: readonly QuizItem[]; zone: string; now: Date }) {
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleContent.quizzes.title')}
      before={<CreateAction c={c} href="/admin/quizzes/new" label={t('consoleContent.quizzes.create')} />}
      empty={quizzes.length === 0}
      emptyText={t('consoleContent.quizzes.empty')}
    >
      <DataTable
        rows={quizzes}
        rowAttributes={(q) => ({ 'data-quiz': q.id })}
        columns={[
          { head: t('consoleContent.quizzes.colTitle'), rowHeader: true, cell: (q) => <a href={`/admin/quizzes/${q.id}`}>{q.title}</a> },
          { head: t('consoleContent.quizzes.colWindow'), cell: (q) => <>{formatDateTime(q.opensAt, zone)} – {formatDateTime(q.closesAt, zone)}</> },
          { head: t('consoleContent.quizzes.colQuestions'), num: true, cell: (q) => q.questions.length },
          { head: t('consoleContent.quizzes.colState'), cell: (q) => t(`consoleContent.quizzes.state.${quizWindow(q, now)}`) },
        ]}
      />
    </ListPage>
  )
}

/** /admin/quizzes/new: title, pass mark, window, audience, and the question blocks (the right answer clicked). */
export function QuizFormPage(props: { c: Context; draft: QuizDraft; errors: string[]; warning: string | null; units: readonly UnitOption[]; platforms: readonly MessengerName[]; zone: string }) {
  const { c, draft, zone } = props
  const { t } = pageText(c)
  return (
    <FormPage c={c} t={t} title={t('consoleContent.quizzes.newTitle')} action="/admin/quizzes/new" errors={props.errors} submit={t('consoleContent.quizzes.submit')}>
      <div>
        <label for="title">{t('consoleContent.quizzes.fieldTitle')}</label>
        <input type="text" id="title" name="title" value={draft.title} maxlength={300} required />
      </div>
      <div>
        <label for="passMark">{t('consoleContent.quizzes.passMark')}</label>
        <input type="number" id="passMark" name="passMark" value={draft.passMark} min={1} max={100} step={1} />
      </div>
      <DateTimeFields t={t} name="opens" legend={t('consoleContent.quizzes.opens')} value={draft.opens} zone={zone} />
      <DateTimeFields t={t} name="closes" legend={t('consoleContent.quizzes.closes')} value={draft.closes} zone={zone} required />
      <AudienceFields t={t} units={props.units} value={draft.audience} platforms={props.platforms} />
      <p class="hint">{t('consoleContent.quizzes.questionsHint', { questions: FORM_QUESTIONS, options: FORM_OPTIONS })}</p>
      {draft.questions.map((q, i) => (
        <QuestionFields t={t} q={q} i={i} />
      ))}
      {props.warning && <PassMarkWarning t={t} warning={props.warning} />}
    </FormPage>
  )
}

function QuestionFields({ t, q, i }: { t: Translate; q: QuestionDraft; i: number }) {
  return (
    <fieldset class="card question" data-question={i + 1}>
      <legend>{t('consoleContent.quizzes.question', { n: i + 1 })}</legend>
      <label for={`q${i}.text`}>{t('consoleContent.quizzes.questionText')}</label>
      <textarea id={`q${i}.text`} name={`q${i}.text`} class="short">
        {q.text}
      </textarea>
      <fieldset class="options">
        <legend>{t('consoleContent.quizzes.correctLegend')}</legend>
        {q.options.map((text, o) => (
          <div class="option">
            <input
              type="radio"
              id={`q${i}.c${o}`}
              name={`q${i}.correct`}
              value={String(o)}
              checked={q.correct === o}
              aria-label={t('consoleContent.quizzes.correct', { letter: LETTERS[o]! }) + ` — ${t('consoleContent.quizzes.question', { n: i + 1 })}`}
            />
            <label for={`q${i}.o${o}`} class="letter">
              {t('consoleContent.quizzes.option', { letter: LETTERS[o]! })}
            </label>
            <input type="text" id={`q${i}.o${o}`} name={`q${i}.o${o}`} value={text} maxlength={300} />
          </div>
        ))}
      </fieldset>
      <label for={`q${i}.explanation`}>{t('consoleContent.quizzes.explanation')}</label>
      <input type="text" id={`q${i}.explanation`} name={`q${i}.explanation`} value={q.explanation} maxlength={1000} />
    </fieldset>
  )
}

interface QuizPageProps {
  c: Context
  deps: AppDeps
  quiz: QuizRow
  results: Results
}

/** /admin/quizzes/:id: the quiz's facts and figures, then results by question and by unit. */
export function QuizPage(props: QuizPageProps) {
  const { c, quiz } = props
  const { t } = pageText(c)
  const queued = c.req.query('queued')
  return (
    <Layout c={c} title={quiz.title}>
      <p>
        <a href="/admin/quizzes">← {t('consoleContent.quizzes.title')}</a>
      </p>
      <h1>{quiz.title}</h1>
      <PublicLinkCard c={c} deps={props.deps} kind="quiz" itemId={quiz.id} />
      {c.req.query('done') === 'created' && (
        <p role="status" class="notice ok" id="flash">
          {t('consoleContent.quizzes.created', {
            invited: queued ? t('consoleContent.quizzes.invited', { queued }) : t('consoleContent.quizzes.invitesLater'),
          })}
        </p>
      )}
      <QuizFacts {...props} />
      <DownloadLinks c={c} href={`/admin/quizzes/${quiz.id}/download`} />
      <h2 id="by-question">{t('consoleContent.quizzes.byQuestion')}</h2>
      <ByQuestion {...props} />
      <h2 id="quiz-by-unit">{t('consoleContent.quizzes.byUnit')}</h2>
      <ByUnit {...props} />
    </Layout>
  )
}

function QuizFacts({ c, deps, quiz, results: r }: QuizPageProps) {
  const { t, locale } = pageText(c)
  const zone = deps.config.timezone
  return (
    <dl class="facts card">
      <dt>{t('consoleContent.quizzes.colWindow')}</dt>
      <dd>
        {formatDateTime(quiz.opensAt, zone)} – {formatDateTime(quiz.closesAt, zone)}
      </dd>
      <dt>{t('consoleContent.quizzes.colState')}</dt>
      <dd>{t(`consoleContent.quizzes.state.${quizWindow(quiz, deps.clock())}`)}</dd>
      <dt>{t('consoleContent.quizzes.passMark')}</dt>
      <dd>{formatPercent(quiz.passMark, locale)}</dd>
      <dt>{t('consoleContent.quizzes.invitedN')}</dt>
      <dd data-count="invited">{r.invited}</dd>
      <dt>{t('consoleContent.quizzes.started')}</dt>
      <dd>{r.started}</dd>
      <dt>{t('consoleContent.quizzes.completed')}</dt>
      <dd data-count="completed">{r.completed}</dd>
      <dt>{t('consoleContent.quizzes.passed')}</dt>
      <dd data-count="passed">{r.passed}</dd>
      <dt>{t('consoleContent.quizzes.average')}</dt>
      <dd>{formatPercent(r.averageScore, locale)}</dd>
    </dl>
  )
}

function ByQuestion({ c, quiz, results: r }: QuizPageProps) {
  const { t, locale } = pageText(c)
  return (
    <DataTable
      labelledBy="by-question"
      rows={quiz.questions}
      rowAttributes={(_, i) => ({ 'data-question': i + 1 })}
      columns={[
        { head: '#', cell: (_, i) => i + 1 },
        {
          head: t('consoleContent.quizzes.questionText'),
          rowHeader: true,
          cell: (q) => (
            <>
              {q.text}
              <ol class="answers" type="A">
                {q.options.map((o, j) => (
                  <li class={j === q.correct ? 'correct' : undefined}>
                    {o}
                    {j === q.correct && <strong> ✓</strong>}
                  </li>
                ))}
              </ol>
            </>
          ),
        },
        { head: t('consoleContent.quizzes.answered'), num: true, cell: (_, i) => r.questions[i]?.answered ?? 0 },
        { head: t('consoleContent.quizzes.rightShare'), num: true, cell: (_, i) => formatPercent(r.questions[i]?.shareCorrect ?? null, locale) },
      ]}
    />
  )
}

function ByUnit({ c, results: r }: QuizPageProps) {
  const { t, locale } = pageText(c)
  return (
    <DataTable
      labelledBy="quiz-by-unit"
      rows={r.byUnit}
      rowAttributes={(u) => ({ 'data-unit': u.unitCode })}
      columns={[
        { head: t('consoleContent.quizzes.unit'), rowHeader: true, cell: (u) => <>{u.unitName} <span class="muted">({u.unitCode})</span></> },
        { head: t('consoleContent.quizzes.invitedN'), num: true, cell: (u) => u.invited },
        { head: t('consoleContent.quizzes.completed'), num: true, cell: (u) => u.completed },
        { head: t('consoleContent.quizzes.passed'), num: true, cell: (u) => u.passed },
        { head: t('consoleContent.quizzes.average'), num: true, cell: (u) => formatPercent(u.averageScore, locale) },
      ]}
    />
  )
}
