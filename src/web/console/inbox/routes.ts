import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { workingClock } from '#src/domain/calendar/working.js'
import { answerInbox, inboxToQuestion, listInbox, type InboxFilter, type InboxOutcome, type PresentedInbox } from '#src/domain/inbox.js'
import { ANSWER_MAX } from '#src/domain/questions.js'
import { errorPage } from '../../errors.js'
import { field } from '../../form.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { inboxFilters, InboxPage, type Notice } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** /admin/inbox: messages that were no command, answered or turned into questions from the page. */
export function inboxPageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone

  const page = async (c: Context, notice?: Notice, status: 200 | 422 = 200) => {
    const asked = c.req.query('status') as InboxFilter | undefined
    const filter = asked && inboxFilters.includes(asked) ? asked : 'new'
    const { items, total } = await listInbox(db, { status: filter, limit: 100, offset: 0 }, workingClock(deps.config))
    const canAnswer = roleAllows(accountOf(c).role, 'editor')
    return c.html(InboxPage({ c, filter, items, total, canAnswer, notice, tz }), status)
  }

  /** The page again, with what became of the action. */
  const after = (c: Context, id: number, outcome: InboxOutcome, done: (m: PresentedInbox) => string) => {
    const { t } = pageText(c)
    if (outcome.status === 'not_found') return errorPage(c, 404, 'api.errors.noInboxMessage', { id })
    if (outcome.status === 'handled') return page(c, { kind: 'warn', text: t('consoleInbox.handled', { id }) })
    if (!outcome.delivered) return page(c, { kind: 'warn', text: t('consoleInbox.undelivered', { id }) })
    return page(c, { kind: 'ok', text: done(outcome.message) })
  }

  const idOf = (c: Context) => {
    const id = Number(c.req.param('id'))
    return Number.isSafeInteger(id) && id > 0 ? id : null
  }

  app.get('/admin/inbox', (c) => page(c))

  app.post('/admin/inbox/:id/answer', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noInboxMessage', { id: c.req.param('id') })
    const answer = field(await c.req.parseBody(), 'answer')
    if (!answer || answer.length > ANSWER_MAX) return page(c, { kind: 'error', text: t('consoleInbox.empty', { max: ANSWER_MAX }) }, 422)
    const outcome = await answerInbox(db, id, answer, accountOf(c).personId, deps.clock())
    return after(c, id, outcome, () => t('consoleInbox.sent', { id }))
  })

  app.post('/admin/inbox/:id/question', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noInboxMessage', { id: c.req.param('id') })
    const outcome = await inboxToQuestion(db, id, accountOf(c).personId, deps.clock())
    return after(c, id, outcome, (m) => t('consoleInbox.madeQuestion', { id, question: m.questionId ?? '' }))
  })

  return app
}
