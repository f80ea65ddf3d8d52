import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { QuizRow } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { feedbackText, scoreText } from '../../domain/quiz/messages.js'
import { findQuizForChat, isEligible, quizWindow, recordAnswer, standingOf, startAttempt } from '../../domain/quiz/quizzes.js'
import { findPublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { pageText } from '../locale.js'
import { ErrorText, formToken, Hidden, identifyError, notFound, Notice, phonePage, selfPath, WhoBlock } from './phone.js'
import { readerOf, recordOpened, type Reader } from './reader.js'
import { answerBeforeCommit } from './speed.js'
import type { AppEnv } from '../../http/env.js'

type Standing = NonNullable<Awaited<ReturnType<typeof standingOf>>>

interface QuizView {
  c: Context
  t: Translate
  quiz: QuizRow
  slug: string
  reader: Reader | undefined
  token: string | undefined
  standing: Standing | undefined
  now: Date
  tz: string
}

/** A quiz at /q/<slug>: its intro, one question at a time, the feedback and the score. */
export function quizRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps
  const tz = deps.config.timezone

  app.get('/q/:slug', async (c) => {
    const { t } = pageText(c)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const quiz = link?.kind === 'quiz' ? await findQuizForChat(db, link.itemId) : undefined
    if (!quiz) return notFound(c)
    const token = c.req.query('p')
    const reader = await readerOf(deps, c, slug, token)
    const now = deps.clock()
    await recordOpened(deps, 'quiz', quiz.id, reader?.id ?? null, now)
    answerBeforeCommit(c)
    const pct = (x: number) => Math.round(x * 100)
    const standing = reader ? await standingOf(db, quiz, reader.id) : undefined
    return phonePage(
      c,
      quiz.title,
      <>
        <article>
          <h1>{quiz.title}</h1>
          <p>{t('page.quizIntro', { count: quiz.questions.length, pass: pct(quiz.passMark), closes: formatDateTime(quiz.closesAt, tz) })}</p>
        </article>
        <ErrorText t={t} c={c} />
        {quizMain({ c, t, quiz, slug, reader, token, standing, now, tz })}
        <WhoBlock c={c} t={t} next={publicPath('quiz', slug)} reader={reader} error={identifyError(t, c, deps.clock(), tz)} />
      </>,
    )
  })

  app.post('/q/:slug/:step{start|answer}', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = formToken(form)
    const link = await findPublicLink(db, slug)
    const quiz = link?.kind === 'quiz' ? await findQuizForChat(db, link.itemId) : undefined
    const reader = quiz && (await readerOf(deps, c, slug, token))
    const now = deps.clock()
    if (!quiz || !reader || quizWindow(quiz, now) !== 'open') return c.redirect(selfPath('quiz', slug, token), 303)
    let standing = await standingOf(db, quiz, reader.id)
    if (!standing?.participant.startedAt) {
      if (!(await isEligible(db, quiz, reader.id))) return c.redirect(selfPath('quiz', slug, token, 'r=not_for_you'), 303)
      standing = (await startAttempt(db, quiz, reader.id, now)).progress
    }
    if (c.req.param('step') === 'start') return c.redirect(selfPath('quiz', slug, token), 303)
    const index = Number(form.q)
    const option = Number(form.o)
    if (!Number.isInteger(index) || !Number.isInteger(option)) return c.redirect(selfPath('quiz', slug, token), 303)
    const result = await recordAnswer(db, { quiz, standing, index, option, channel: 'web', now })
    return c.redirect(selfPath('quiz', slug, token, result.status === 'out_of_turn' ? '' : `fb=${index}`), 303)
  })
}

/** The score when done; else why not now; else the next question, or the start button. */
function quizMain(v: QuizView): Child {
  const { c, t, quiz, reader, standing, tz } = v
  const fb = Number(c.req.query('fb'))
  const answered = standing && Number.isInteger(fb) ? standing.answers.get(fb) : undefined
  const feedback = answered ? <Notice text={feedbackText(t, quiz, fb, answered.correct)} kind={answered.correct ? 'ok' : 'warn'} /> : null
  const window = quizWindow(quiz, v.now)
  if (standing?.participant.completedAt || (standing && standing.next === null)) {
    return (
      <>
        {feedback}
        <Notice text={scoreText(t, quiz, standing, fb >= 0 && fb === quiz.questions.length - 1 ? 'quiz.finished' : 'quiz.alreadyDone')} />
      </>
    )
  }
  if (window === 'not_open') return <Notice text={t('quiz.notOpen', { title: quiz.title, at: formatDateTime(quiz.opensAt, tz) })} kind="warn" />
  if (window === 'closed') return <Notice text={t('quiz.closed', { title: quiz.title, at: formatDateTime(quiz.closesAt, tz) })} kind="warn" />
  if (reader && c.req.query('r') === 'not_for_you') return <Notice text={t('quiz.notForYou')} kind="warn" />
  if (reader && standing?.participant.startedAt && standing.next !== null) {
    return (
      <>
        {feedback}
        <QuestionForm {...v} index={standing.next} />
      </>
    )
  }
  if (!reader) return null
  return (
    <form method="post" action={`${publicPath('quiz', v.slug)}/start`}>
      <Hidden c={c} token={v.token} />
      <button class="primary" type="submit">
        {t('page.quizStart')}
      </button>
    </form>
  )
}

/** One question as radio buttons, lettered A, B, C… as in the chat. */
function QuestionForm({ c, t, quiz, slug, token, index }: QuizView & { index: number }) {
  const q = quiz.questions[index]!
  return (
    <form method="post" action={`${publicPath('quiz', slug)}/answer`}>
      <Hidden c={c} token={token} />
      <input type="hidden" name="q" value={String(index)} />
      <fieldset>
        <legend>
          {t('page.quizQuestion', { number: index + 1, count: quiz.questions.length })}: {q.text}
        </legend>
        {q.options.map((o, j) => (
          <label class="option">
            <input type="radio" name="o" value={String(j)} required /> {`${String.fromCharCode(65 + j)}. ${o}`}
          </label>
        ))}
      </fieldset>
      <button class="primary" type="submit">
        {t('page.quizAnswer')}
      </button>
    </form>
  )
}
