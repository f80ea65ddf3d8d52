import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { suggestAnswers, suggestionMonths } from '../../domain/library/suggested-answers.js'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../env.js'
import { idParam } from '../validate.js'

/**
 * Suggested answers to a question of the inbox (issue 22, tier 0): the library's best entries and
 * earlier answers, each with its source; and per month how often one was sent as is, edited, or not used.
 */
export function suggestionRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/questions/:id/suggestions', async (c) => {
    const id = idParam(c)
    const found = await suggestAnswers(deps.db, id, { now: deps.clock(), publicUrl: deps.config.publicUrl })
    if (found === null) throw new AppError('not_found', 'api.errors.noQuestion', { id })
    return c.json({ items: found.items })
  })

  app.get('/suggested-answers/months', async (c) => c.json({ items: await suggestionMonths(deps.db, deps.config.timezone) }))

  return app
}
