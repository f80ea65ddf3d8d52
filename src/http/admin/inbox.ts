import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { workingClock } from '../../domain/calendar/working.js'
import { answerInbox, INBOX_FILTERS, inboxToQuestion, listInbox, type InboxOutcome } from '../../domain/inbox.js'
import { ANSWER_MAX } from '../../domain/questions.js'
import { AppError } from '../../errors.js'
import { callerOf } from '../auth.js'
import { idParam, readJson, readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

const listSchema = z.object({
  status: z.enum(INBOX_FILTERS).default('new'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
const answerSchema = z.object({ answer: z.string().trim().min(1).max(ANSWER_MAX) })

/** The answer to an answer or turn-into-question request: 404, 409 once handled, else the message. */
function reply(c: Context, id: number, outcome: InboxOutcome) {
  if (outcome.status === 'not_found') throw new AppError('not_found', 'api.errors.noInboxMessage', { id })
  if (outcome.status === 'handled') throw new AppError('conflict', 'api.errors.inboxHandled', { id }, { message: outcome.message })
  return c.json({ message: outcome.message, delivered: outcome.delivered })
}

/** Messages linked staff wrote that matched no command: listed, answered, or turned into questions. */
export function inboxRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.get('/inbox', async (c) => c.json(await listInbox(db, readQuery(c, listSchema), workingClock(deps.config))))

  app.post('/inbox/:id/answer', async (c) => {
    const id = idParam(c)
    const { answer } = await readJson(c, answerSchema)
    return reply(c, id, await answerInbox(db, id, answer, callerOf(c)?.personId ?? null, deps.clock()))
  })

  app.post('/inbox/:id/question', async (c) => {
    const id = idParam(c)
    return reply(c, id, await inboxToQuestion(db, id, callerOf(c)?.personId ?? null, deps.clock()))
  })

  return app
}
