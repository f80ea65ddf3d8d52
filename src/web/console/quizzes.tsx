import { Hono, type Context } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { Audience } from '../../domain/audience.js'
import { listUnits } from '../../domain/directory/units.js'
import { findQuiz, listQuizzes, openQuiz, quizInputSchema, quizResults, quizWindow } from '../../domain/quiz/quizzes.js'
import { AppError } from '../../errors.js'
import { formatDateTime, formatPercent, type Translate } from '../../i18n.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { CreateAction } from './create-action.js'
import { AudienceFields, DateTimeFields, dateTimeValue, ErrorList, errorMessages, readAudience, readDateTime, readForm, validate, type FormData } from './forms.js'
import { PublicLinkCard } from '../public-link.js'
import { DownloadLinks } from './downloads.js'
import { offeredPlatforms } from './platforms.js'
import { passMarkWarning, PassMarkWarning } from './quiz-pass-mark.js'

/** How many question blocks and options the form offers; empty ones are ignored. */
export const FORM_QUESTIONS = 10
export const FORM_OPTIONS = 6
const LETTERS = 'ABCDEF'

interface QuestionDraft {
  text: string
  options: string[]
  /** Which option field (0–5) was clicked as correct, or -1. */
  correct: number
  explanation: string
}

interface QuizDraft {
  title: string
  passMark: string
  opens: { date: string; time: string }
  closes: { date: string; time: string }
  audience: Audience
  questions: QuestionDraft[]
}

const blankQuestions = () => Array.from({ length: FORM_QUESTIONS }, () => ({ text: '', options: Array<string>(FORM_OPTIONS).fill(''), correct: -1, explanation: '' }))

function readQuizDraft(form: FormData): QuizDraft {
  return {
    title: form.get('title'),
    passMark: form.get('passMark'),
    opens: dateTimeValue(form, 'opens'),
    closes: dateTimeValue(form, 'closes'),
    audience: readAudience(form),
    questions: Array.from({ length: FORM_QUESTIONS }, (_, q) => {
      const correct = Number(form.get(`q${q}.correct`))
      return {
        text: form.get(`q${q}.text`),
        options: Array.from({ length: FORM_OPTIONS }, (_, o) => form.get(`q${q}.o${o}`)),
        correct: form.get(`q${q}.correct`) !== '' && Number.isInteger(correct) && correct >= 0 && correct < FORM_OPTIONS ? correct : -1,
        explanation: form.get(`q${q}.explanation`),
      }
    }),
  }
}

/**
 * The form's questions as the API takes them: empty question blocks and empty options left out,
 * the clicked option turned into its index among the options kept. Problems named per question.
 */
export function questionsFromForm(t: Translate, drafts: readonly QuestionDraft[]) {
  const errors: string[] = []
  const questions: { text: string; options: string[]; correct: number; explanation?: string }[] = []
  drafts.forEach((q, i) => {
    const filled = q.options.map((text, index) => ({ text, index })).filter((o) => o.text)
    if (!q.text && filled.length === 0 && !q.explanation) return
    if (!q.text) return void errors.push(t('consoleContent.quizzes.noText', { n: i + 1 }))
    if (filled.length < 2) return void errors.push(t('consoleContent.quizzes.tooFewOptions', { n: i + 1 }))
    if (q.correct < 0) return void errors.push(t('consoleContent.quizzes.noCorrect', { n: i + 1 }))
    const correct = filled.findIndex((o) => o.index === q.correct)
    if (correct < 0) return void errors.push(t('consoleContent.quizzes.correctEmpty', { n: i + 1 }))
    if (new Set(filled.map((o) => o.text.toLowerCase())).size !== filled.length) return void errors.push(t('consoleContent.quizzes.duplicateOptions', { n: i + 1 }))
    questions.push({ text: q.text, options: filled.map((o) => o.text), correct, ...(q.explanation ? { explanation: q.explanation } : {}) })
  })
  if (questions.length === 0 && errors.length === 0) errors.push(t('consoleContent.quizzes.noQuestions'))
  return { questions, errors }
}

/** Quizzes: list, create from a form (answers chosen by clicking), results by question and by unit. */
export function quizPages(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps
  const zone = deps.config.timezone

  app.get('/admin/quizzes', async (c) => {
    const { t } = pageText(c)
    const quizzes = await listQuizzes(db)
    const now = deps.clock()
    return c.html(
      <Layout c={c} title={t('consoleContent.quizzes.title')}>
        <h1>{t('consoleContent.quizzes.title')}</h1>
        <CreateAction c={c} href="/admin/quizzes/new" label={t('consoleContent.quizzes.create')} />
        {quizzes.length === 0 ? (
          <p>{t('consoleContent.quizzes.empty')}</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('consoleContent.quizzes.colTitle')}</th>
                  <th scope="col">{t('consoleContent.quizzes.colWindow')}</th>
                  <th scope="col" class="num">
                    {t('consoleContent.quizzes.colQuestions')}
                  </th>
                  <th scope="col">{t('consoleContent.quizzes.colState')}</th>
                </tr>
              </thead>
              <tbody>
                {quizzes.map((q) => (
                  <tr data-quiz={q.id}>
                    <th scope="row">
                      <a href={`/admin/quizzes/${q.id}`}>{q.title}</a>
                    </th>
                    <td>
                      {formatDateTime(q.opensAt, zone)} – {formatDateTime(q.closesAt, zone)}
                    </td>
                    <td class="num">{q.questions.length}</td>
                    <td>{t(`consoleContent.quizzes.state.${quizWindow(q, now)}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    )
  })

  const formPage = async (c: Context, draft: QuizDraft, errors: string[] = [], status: 200 | 400 | 422 = 200, warning: string | null = null) => {
    const { t } = pageText(c)
    const units = await listUnits(db)
    return c.html(
      <Layout c={c} title={t('consoleContent.quizzes.newTitle')}>
        <h1>{t('consoleContent.quizzes.newTitle')}</h1>
        <ErrorList t={t} errors={errors} />
        <form method="post" action="/admin/quizzes/new" class="stack" novalidate>
          <CsrfField c={c} />
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
          <AudienceFields t={t} units={units} value={draft.audience} platforms={offeredPlatforms(deps, draft.audience.platforms)} />
          <p class="hint">{t('consoleContent.quizzes.questionsHint', { questions: FORM_QUESTIONS, options: FORM_OPTIONS })}</p>
          {draft.questions.map((q, i) => (
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
          ))}
          {warning && <PassMarkWarning t={t} warning={warning} />}
          <div class="actions">
            <button type="submit">{t('consoleContent.quizzes.submit')}</button>
          </div>
        </form>
      </Layout>,
      status,
    )
  }

  app.get('/admin/quizzes/new', (c) =>
    formPage(c, {
      title: '',
      passMark: '80',
      opens: { date: '', time: '' },
      closes: { date: '', time: '' },
      audience: { unitCodes: [], includeSubunits: true, unitKinds: [], roles: [], platforms: [] },
      questions: blankQuestions(),
    }),
  )

  app.post('/admin/quizzes/new', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const draft = readQuizDraft(form)
    const errors: string[] = []
    if (!draft.title) errors.push(t('consoleContent.quizzes.titleMissing'))
    const passMark = Number(draft.passMark || '80')
    if (!Number.isFinite(passMark) || passMark < 1 || passMark > 100) errors.push(t('consoleContent.quizzes.passMarkInvalid'))
    const opens = readDateTime(t, form, 'opens', t('consoleContent.quizzes.opens'), zone, true)
    if (opens && 'error' in opens) errors.push(opens.error)
    const closes = readDateTime(t, form, 'closes', t('consoleContent.quizzes.closes'), zone)
    if (closes && 'error' in closes) errors.push(closes.error)
    const { questions, errors: questionErrors } = questionsFromForm(t, draft.questions)
    errors.push(...questionErrors)
    if (errors.length) return formPage(c, draft, errors, 400)
    const warning = passMarkWarning(t, questions.length, passMark)
    if (warning && form.get('allCorrectOk') !== 'on') return formPage(c, draft, [], 200, warning)
    const closesAt = (closes as { at: Date }).at
    const opensAt = opens && 'at' in opens ? opens.at : null
    if (closesAt.getTime() <= Math.max(deps.clock().getTime(), opensAt?.getTime() ?? 0)) {
      return formPage(c, draft, [t('consoleContent.quizzes.closesBeforeOpens')], 400)
    }
    const parsed = validate(
      c,
      quizInputSchema,
      {
        title: draft.title,
        questions,
        passMark: passMark / 100,
        ...(opensAt ? { opensAt: opensAt.toISOString() } : {}),
        closesAt: closesAt.toISOString(),
        audience: draft.audience,
      },
      (p) => p,
    )
    if ('errors' in parsed) return formPage(c, draft, parsed.errors, 400)
    try {
      const { quiz, invitations } = await openQuiz(db, parsed.data, deps.clock())
      return c.redirect(`/admin/quizzes/${quiz.id}?done=created&queued=${invitations ? invitations.queued : ''}`, 303)
    } catch (err) {
      const messages = errorMessages(c, err)
      if (!messages) throw err
      return formPage(c, draft, messages, 422)
    }
  })

  app.get('/admin/quizzes/:id', async (c) => {
    const { t, locale } = pageText(c)
    const id = Number(c.req.param('id'))
    const quiz = Number.isSafeInteger(id) && id > 0 ? await findQuiz(db, id) : undefined
    if (!quiz) throw new AppError('not_found', 'api.errors.noQuiz', { id: c.req.param('id') ?? '' })
    const r = await quizResults(db, quiz)
    const pct = (x: number | null | undefined) => formatPercent(x, locale)
    const done = c.req.query('done') === 'created'
    const queued = c.req.query('queued')
    return c.html(
      <Layout c={c} title={quiz.title}>
        <p>
          <a href="/admin/quizzes">← {t('consoleContent.quizzes.title')}</a>
        </p>
        <h1>{quiz.title}</h1>
        <PublicLinkCard c={c} deps={deps} kind="quiz" itemId={quiz.id} />
        {done && (
          <p role="status" class="notice ok" id="flash">
            {t('consoleContent.quizzes.created', {
              invited: queued ? t('consoleContent.quizzes.invited', { queued }) : t('consoleContent.quizzes.invitesLater'),
            })}
          </p>
        )}
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
          <dd>{pct(r.averageScore)}</dd>
        </dl>
        <DownloadLinks c={c} href={`/admin/quizzes/${quiz.id}/download`} />
        <h2 id="by-question">{t('consoleContent.quizzes.byQuestion')}</h2>
        <div class="table-wrap" tabindex={0}>
          <table aria-labelledby="by-question">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('consoleContent.quizzes.questionText')}</th>
                <th scope="col" class="num">
                  {t('consoleContent.quizzes.answered')}
                </th>
                <th scope="col" class="num">
                  {t('consoleContent.quizzes.rightShare')}
                </th>
              </tr>
            </thead>
            <tbody>
              {quiz.questions.map((q, i) => (
                <tr data-question={i + 1}>
                  <td>{i + 1}</td>
                  <th scope="row">
                    {q.text}
                    <ol class="answers" type="A">
                      {q.options.map((o, j) => (
                        <li class={j === q.correct ? 'correct' : undefined}>
                          {o}
                          {j === q.correct && <strong> ✓</strong>}
                        </li>
                      ))}
                    </ol>
                  </th>
                  <td class="num">{r.questions[i]?.answered ?? 0}</td>
                  <td class="num">{pct(r.questions[i]?.shareCorrect ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2 id="quiz-by-unit">{t('consoleContent.quizzes.byUnit')}</h2>
        <div class="table-wrap" tabindex={0}>
          <table aria-labelledby="quiz-by-unit">
            <thead>
              <tr>
                <th scope="col">{t('consoleContent.quizzes.unit')}</th>
                <th scope="col" class="num">
                  {t('consoleContent.quizzes.invitedN')}
                </th>
                <th scope="col" class="num">
                  {t('consoleContent.quizzes.completed')}
                </th>
                <th scope="col" class="num">
                  {t('consoleContent.quizzes.passed')}
                </th>
                <th scope="col" class="num">
                  {t('consoleContent.quizzes.average')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.byUnit.map((u) => (
                <tr data-unit={u.unitCode}>
                  <th scope="row">
                    {u.unitName} <span class="muted">({u.unitCode})</span>
                  </th>
                  <td class="num">{u.invited}</td>
                  <td class="num">{u.completed}</td>
                  <td class="num">{u.passed}</td>
                  <td class="num">{pct(u.averageScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    )
  })

  return app
}
