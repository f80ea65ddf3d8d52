import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { answerQuestion, correctAnswer, ANSWER_MAX, askerOf, listQuestions, presentQuestion } from '../../domain/questions.js'
import { workingClock } from '../../domain/calendar/working.js'
import { questionStats } from '../../domain/public-questions.js'
import { faqFromQuestionSchema, publishAnswerAsFaq } from '../../domain/library/from-question.js'
import { presentProduct } from '../../domain/library/products.js'
import { callerOf } from '../auth.js'
import { eraseSubscriber, exportSubscriber, listSubscribers } from '../../domain/subscribers.js'
import { AppError } from '../../errors.js'
import { formatDateTime } from '../../i18n.js'
import { idParam, readJson, readQuery } from '../validate.js'
import { questionsExport } from '../../domain/export/questions.js'
import { exportResponse, formatSchema } from '../export.js'
import type { AppEnv } from '../env.js'

const listSchema = z.object({
  status: z.enum(['open', 'answered', 'all']).default('open'),
  unitCode: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
const statsSchema = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  withinDays: z.coerce.number().int().min(1).max(60).optional(),
})
const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
const answerSchema = z.object({ answer: z.string().trim().min(1).max(ANSWER_MAX) })

/** Questions staff sent in chat, and the Department's answers (sent back to the asker's chat). */
export function questionRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.get('/questions', async (c) => {
    const { format, ...filter } = readQuery(c, listSchema.extend({ format: formatSchema }))
    if (format !== 'json') return exportResponse(c, deps, await questionsExport(db, filter, workingClock(deps.config)), format)
    return c.json(await listQuestions(db, filter, workingClock(deps.config)))
  })

  // First-response times in working hours: median and P90 per unit, the share answered within the target.
  app.get('/questions/stats', async (c) => {
    const q = readQuery(c, statsSchema)
    const targetDays = q.withinDays ?? deps.config.questionTargetWorkingDays
    return c.json(await questionStats(db, { from: q.from, to: q.to, targetDays, now: deps.clock(), clock: workingClock(deps.config) }))
  })

  // Subscribers (not staff) as personal data (Decree 13/2023/NĐ-CP): list, export, erase.
  app.get('/subscribers', async (c) => c.json(await listSubscribers(db, readQuery(c, pageSchema))))
  app.get('/subscribers/:id/export', async (c) => c.json(await exportSubscriber(db, idParam(c))))
  app.delete('/subscribers/:id', async (c) => {
    const result = await eraseSubscriber(db, idParam(c))
    await deps.committed()
    deps.checkpoint?.()
    return c.json(result)
  })

  app.post('/questions/:id/answer', async (c) => {
    const id = idParam(c)
    const { answer } = await readJson(c, answerSchema)
    const outcome = await answerQuestion(db, id, answer, deps.clock(), deps.config.answerHoldDays)
    if (outcome.status === 'not_found') throw new AppError('not_found', 'api.errors.noQuestion', { id })
    if (outcome.status === 'already') {
      const at = formatDateTime(outcome.question.answeredAt!, deps.config.timezone)
      throw new AppError('conflict', 'api.errors.questionAnswered', { id, at }, { answer: outcome.question.answer })
    }
    const who = await askerOf(db, outcome.question)
    return c.json({ question: presentQuestion(outcome.question, who), delivered: outcome.delivered })
  })

  // A correction of an answer already sent: the asker gets the new text, marked as a correction.
  app.put('/questions/:id/answer', async (c) => {
    const id = idParam(c)
    const { answer } = await readJson(c, answerSchema)
    const outcome = await correctAnswer(db, id, answer, deps.clock(), deps.config.answerHoldDays)
    if (outcome.status === 'not_found') throw new AppError('not_found', 'api.errors.noQuestion', { id })
    if (outcome.status === 'not_answered') throw new AppError('conflict', 'api.errors.questionNotAnswered', { id })
    const who = await askerOf(db, outcome.question)
    return c.json({ question: presentQuestion(outcome.question, who), delivered: outcome.status === 'corrected' && outcome.delivered })
  })

  // An answered question published as an FAQ entry of the library, without the asker; once.
  app.post('/questions/:id/faq', async (c) => {
    const id = idParam(c)
    const input = await readJson(c, faqFromQuestionSchema)
    const now = deps.clock()
    const outcome = await publishAnswerAsFaq(db, id, input, { now, createdBy: callerOf(c)?.personId ?? null })
    if (outcome.status === 'not_found') throw new AppError('not_found', 'api.errors.noQuestion', { id })
    if (outcome.status === 'not_answered') throw new AppError('conflict', 'api.errors.questionFaqUnanswered', { id })
    if (outcome.status === 'exists') throw new AppError('conflict', 'api.errors.questionFaqExists', { id, productId: outcome.productId }, { productId: outcome.productId })
    return c.json({ questionId: id, product: presentProduct(outcome.product, now) }, 201)
  })

  return app
}
