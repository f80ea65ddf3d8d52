import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { findQuiz, listQuizzes, openQuiz, presentQuiz, quizInputSchema, quizResults } from '../../domain/quiz/quizzes.js'
import { publicLinkFields } from '../public-links.js'
import { idParam, readJson, readQuery } from '../validate.js'
import { quizExport } from '../../domain/export/results.js'
import { exportResponse, formatSchema } from '../export.js'
import type { AppEnv } from '../env.js'

/**
 * POST /api/quizzes creates a quiz; its invitations are queued at once when it is already open,
 * else by the 'quizzes' job at opensAt. GET /api/quizzes/:id/results gives the figures.
 */
export function quizRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.post('/quizzes', async (c) => {
    const input = await readJson(c, quizInputSchema)
    const { quiz, invitations } = await openQuiz(db, input, deps.clock())
    return c.json({ ...presentQuiz(quiz), ...(await publicLinkFields(deps, c, 'quiz', quiz.id)), invitations }, 201)
  })

  app.get('/quizzes', async (c) => {
    const items = (await listQuizzes(db)).map(presentQuiz)
    return c.json({ total: items.length, items })
  })

  app.get('/quizzes/:id', async (c) => {
    const quiz = await findQuiz(db, idParam(c))
    if (!quiz) throw new AppError('not_found', 'api.errors.noQuiz', { id: c.req.param('id') })
    return c.json({ ...presentQuiz(quiz), ...(await publicLinkFields(deps, c, 'quiz', quiz.id)) })
  })

  app.get('/quizzes/:id/results', async (c) => {
    const quiz = await findQuiz(db, idParam(c))
    if (!quiz) throw new AppError('not_found', 'api.errors.noQuiz', { id: c.req.param('id') })
    const { format } = readQuery(c, z.object({ format: formatSchema }))
    if (format !== 'json') return exportResponse(c, deps, await quizExport(db, quiz), format)
    return c.json(await quizResults(db, quiz))
  })

  return app
}
