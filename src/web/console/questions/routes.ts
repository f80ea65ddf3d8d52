import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { answerQuestion, ANSWER_MAX, correctAnswer, listQuestions, type QuestionStatus } from '#src/domain/questions.js'
import { workingClock } from '#src/domain/calendar/working.js'
import { errorPage } from '../../errors.js'
import { field } from '../../form.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { suggestAnswers, suggestionMonths } from '#src/domain/library/suggested-answers.js'
import { questionStats } from '#src/domain/public-questions.js'
import { publishAnswerAsFaq } from '#src/domain/library/from-question.js'
import { translate } from '#src/i18n.js'
import { questionStatuses, QuestionsPage, QuestionStatsPage, SuggestPage, type Notice } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** /admin/questions: the inbox of /hoidap questions, answered (and corrected) from the page. */
export function questionPageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone

  const inbox = async (c: Context, notice?: Notice, status: 200 | 409 | 422 = 200) => {
    const asked = c.req.query('status') as QuestionStatus | undefined
    const filter = asked && questionStatuses.includes(asked) ? asked : 'open'
    const { items, total } = await listQuestions(db, { status: filter, limit: 100, offset: 0 }, workingClock(deps.config))
    const canAnswer = roleAllows(accountOf(c).role, 'editor')
    const months = await suggestionMonths(db, tz)
    return c.html(QuestionsPage({ c, filter, items, total, canAnswer, notice, tz, months }), status)
  }

  app.get('/admin/questions', (c) => inbox(c))

  // The suggested answers of one question (editors): pick one into the form, edit it, or write anew.
  app.get('/admin/questions/:id/suggest', async (c) => {
    const id = Number(c.req.param('id'))
    const found = Number.isSafeInteger(id) && id > 0 ? await suggestAnswers(db, id, { now: deps.clock(), publicUrl: deps.config.publicUrl }) : null
    if (!found || !found.question.text) return errorPage(c, 404, 'api.errors.noQuestion', { id: c.req.param('id') })
    const use = /^[0-2]$/.test(c.req.query('use') ?? '') ? Number(c.req.query('use')) : undefined
    return c.html(SuggestPage({ c, q: found.question, items: found.items, use, publicUrl: deps.config.publicUrl, tz }))
  })

  app.get('/admin/questions/stats', async (c) => {
    const stats = await questionStats(db, { targetDays: deps.config.questionTargetWorkingDays, now: deps.clock(), clock: workingClock(deps.config) })
    return c.html(QuestionStatsPage({ c, stats }))
  })

  app.post('/admin/questions/:id/answer', async (c) => {
    const { t } = pageText(c)
    const id = Number(c.req.param('id'))
    if (!Number.isSafeInteger(id) || id < 1) return errorPage(c, 404, 'api.errors.noQuestion', { id: c.req.param('id') })
    const answer = field(await c.req.parseBody(), 'answer')
    if (!answer || answer.length > ANSWER_MAX) return inbox(c, { kind: 'error', text: t('consoleQuestions.empty', { max: ANSWER_MAX }) }, 422)
    const now = deps.clock()
    const first = await answerQuestion(db, id, answer, now, deps.config.answerHoldDays)
    if (first.status === 'not_found') return errorPage(c, 404, 'api.errors.noQuestion', { id })
    if (first.status === 'answered') {
      return inbox(c, first.delivered ? { kind: 'ok', text: t('consoleQuestions.sent', { id }) } : { kind: 'warn', text: t('consoleQuestions.undelivered', { id }) })
    }
    // Answered before: this is a correction.
    const fix = await correctAnswer(db, id, answer, now, deps.config.answerHoldDays)
    if (fix.status === 'corrected') {
      return inbox(c, fix.delivered ? { kind: 'ok', text: t('consoleQuestions.corrected', { id }) } : { kind: 'warn', text: t('consoleQuestions.undelivered', { id }) })
    }
    return inbox(c, { kind: 'ok', text: t('consoleQuestions.unchanged') })
  })

  // "Đăng thành mục Hỏi đáp" on an answered question's card: the same as POST /api/questions/:id/faq.
  app.post('/admin/questions/:id/faq', async (c) => {
    const { t, locale } = pageText(c)
    const id = Number(c.req.param('id'))
    if (!Number.isSafeInteger(id) || id < 1) return errorPage(c, 404, 'api.errors.noQuestion', { id: c.req.param('id') })
    const out = await publishAnswerAsFaq(db, id, {}, { now: deps.clock(), createdBy: accountOf(c).personId })
    if (out.status === 'not_found') return errorPage(c, 404, 'api.errors.noQuestion', { id })
    if (out.status === 'not_answered') return inbox(c, { kind: 'error', text: translate(locale, 'api.errors.questionFaqUnanswered', { id }) }, 409)
    if (out.status === 'exists') return inbox(c, { kind: 'warn', text: translate(locale, 'api.errors.questionFaqExists', { id, productId: out.productId }) }, 409)
    return inbox(c, { kind: 'ok', text: t('consoleQuestions.faq.published', { id, title: out.product.title }) })
  })

  return app
}
