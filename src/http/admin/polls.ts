import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { closePoll, findPoll, listPolls, openPoll, pollInputSchema, presentPoll } from '../../domain/polls/polls.js'
import { pollResults } from '../../domain/polls/results.js'
import { pollExport } from '../../domain/polls/workbook.js'
import { pollTrend } from '../../domain/polls/trend.js'
import { translator } from '../../i18n.js'
import { idParam, readJson } from '../validate.js'
import { exportResponse } from '../export.js'
import { localeOf } from '../locale.js'
import type { AppEnv } from '../env.js'

/**
 * Polls that measure consensus (issue 23). POST /api/polls creates one and queues it to its
 * audience; GET /api/polls/:id/results gives the figures (`results.xlsx` the workbook), and
 * GET /api/polls/:id/trend the series of its repeats;
 * POST /api/polls/:id/close ends it early.
 */
export function pollRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const pollOf = async (id: number) => {
    const poll = await findPoll(db, id)
    if (!poll) throw new AppError('not_found', 'api.errors.noPoll', { id: String(id) })
    return poll
  }

  app.post('/polls', async (c) => {
    const input = await readJson(c, pollInputSchema)
    const { poll, queued } = await openPoll(db, input, deps.clock())
    return c.json({ ...presentPoll(poll, deps.clock()), queued }, 201)
  })

  app.get('/polls', async (c) => {
    const items = (await listPolls(db)).map((p) => presentPoll(p, deps.clock()))
    return c.json({ total: items.length, items })
  })

  app.get('/polls/:id', async (c) => c.json(presentPoll(await pollOf(idParam(c)), deps.clock())))

  app.get('/polls/:id/results', async (c) => c.json(await pollResults(db, await pollOf(idParam(c)), translator(localeOf(c)))))

  app.get('/polls/:id/trend', async (c) => c.json(await pollTrend(db, await pollOf(idParam(c)), translator(localeOf(c)), deps.clock())))

  app.get('/polls/:id/results.xlsx', async (c) => {
    const id = Number(c.req.param('id'))
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', 'api.errors.noPoll', { id: c.req.param('id') })
    return exportResponse(c, deps, await pollExport(db, await pollOf(id), deps.clock()), 'xlsx')
  })

  app.post('/polls/:id/close', async (c) => c.json(presentPoll(await closePoll(db, await pollOf(idParam(c)), deps.clock()), deps.clock())))

  return app
}
