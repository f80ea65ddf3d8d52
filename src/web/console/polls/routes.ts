import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { closePoll, findPoll, listPolls, openPoll, presentPoll } from '#src/domain/polls/polls.js'
import { pollCounts, pollResults } from '#src/domain/polls/results.js'
import { pollExport } from '#src/domain/polls/workbook.js'
import { pollTrend } from '#src/domain/polls/trend.js'
import { AppError } from '#src/errors.js'
import { translator } from '#src/i18n.js'
import { exportResponse } from '#src/http/export.js'
import { pageText } from '../../locale.js'
import { errorMessages, readForm } from '../forms.js'
import { blankPollDraft, pollFromForm, readPollDraft, repeatPollDraft, type PollDraft } from './form.js'
import { PollFormPage, PollListPage, PollPage } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** Polls (issue 23): list, create and send from a form, results by option, audience, unit and ward, close. */
export function pollPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const zone = deps.config.timezone
  const pollOf = async (c: Context) => {
    const id = Number(c.req.param('id'))
    const poll = Number.isSafeInteger(id) && id > 0 ? await findPoll(db, id) : undefined
    if (!poll) throw new AppError('not_found', 'api.errors.noPoll', { id: c.req.param('id') ?? '' })
    return poll
  }

  app.get('/admin/polls', async (c) => {
    const counts = await pollCounts(db)
    const now = deps.clock()
    const polls = (await listPolls(db)).map((p) => ({ ...presentPoll(p, now), answered: counts.get(p.id)?.answered ?? 0, reached: counts.get(p.id)?.reached ?? 0 }))
    return c.html(PollListPage({ c, polls, zone }))
  })

  const formPage = (c: Context, draft: PollDraft, errors: string[] = [], status: 200 | 400 | 422 = 200) => c.html(PollFormPage({ c, draft, errors, zone }), status)

  // ?repeat=ID: the form filled in from that poll, to ask it again (the trend).
  app.get('/admin/polls/new', async (c) => {
    const repeat = c.req.query('repeat')
    if (repeat === undefined) return formPage(c, blankPollDraft())
    const poll = /^\d{1,9}$/.test(repeat) ? await findPoll(db, Number(repeat)) : undefined
    if (!poll) throw new AppError('not_found', 'api.errors.noPoll', { id: repeat })
    return formPage(c, repeatPollDraft(poll))
  })

  app.post('/admin/polls/new', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const draft = readPollDraft(form)
    const parsed = pollFromForm(c, t, form, draft, zone, deps.clock())
    if ('errors' in parsed) return formPage(c, draft, parsed.errors, 400)
    try {
      const { poll, queued } = await openPoll(db, parsed.data, deps.clock())
      return c.redirect(`/admin/polls/${poll.id}?done=created&queued=${queued.queued}`, 303)
    } catch (err) {
      const messages = errorMessages(c, err)
      if (!messages) throw err
      return formPage(c, draft, messages, 422)
    }
  })

  app.get('/admin/polls/:id', async (c) => {
    const poll = await pollOf(c)
    const results = await pollResults(db, poll, translator(pageText(c).locale))
    const trend = await pollTrend(db, poll, translator(pageText(c).locale), deps.clock())
    return c.html(PollPage({ c, deps, poll, results, trend, zone, now: deps.clock() }))
  })

  app.get('/admin/polls/:id/results.xlsx', async (c) => exportResponse(c, deps, await pollExport(db, await pollOf(c), deps.clock()), 'xlsx', pageText(c).locale))

  app.post('/admin/polls/:id/close', async (c) => {
    const poll = await pollOf(c)
    await closePoll(db, poll, deps.clock())
    return c.redirect(`/admin/polls/${poll.id}?done=closed`, 303)
  })

  return app
}
