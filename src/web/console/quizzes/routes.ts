import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { listUnits } from '#src/domain/directory/units.js'
import { findQuiz, listQuizzes, openQuiz, quizResults } from '#src/domain/quiz/quizzes.js'
import { AppError } from '#src/errors.js'
import { pageText } from '../../locale.js'
import { errorMessages, readForm } from '../forms.js'
import { offeredPlatforms } from '../platforms.js'
import { blankQuizDraft, quizFromForm, readQuizDraft, type QuizDraft } from './form.js'
import { QuizFormPage, QuizListPage, QuizPage } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** Quizzes: list, create from a form (answers chosen by clicking), results by question and by unit. */
export function quizPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const zone = deps.config.timezone

  app.get('/admin/quizzes', async (c) => c.html(QuizListPage({ c, quizzes: await listQuizzes(db), zone, now: deps.clock() })))

  const formPage = async (c: Context, draft: QuizDraft, errors: string[] = [], status: 200 | 400 | 422 = 200, warning: string | null = null) => {
    const units = await listUnits(db)
    return c.html(QuizFormPage({ c, draft, errors, warning, units, platforms: offeredPlatforms(deps, draft.audience.platforms), zone }), status)
  }

  app.get('/admin/quizzes/new', (c) => formPage(c, blankQuizDraft()))

  app.post('/admin/quizzes/new', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const draft = readQuizDraft(form)
    const parsed = quizFromForm(c, t, form, draft, zone, deps.clock())
    if ('warning' in parsed) return formPage(c, draft, [], 200, parsed.warning)
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
    const id = Number(c.req.param('id'))
    const quiz = Number.isSafeInteger(id) && id > 0 ? await findQuiz(db, id) : undefined
    if (!quiz) throw new AppError('not_found', 'api.errors.noQuiz', { id: c.req.param('id') ?? '' })
    return c.html(QuizPage({ c, deps, quiz, results: await quizResults(db, quiz) }))
  })

  return app
}
