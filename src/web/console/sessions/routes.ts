import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { attendanceReport, createSession, findSession, listSessions } from '#src/domain/attendance/sessions.js'
import { listUnits } from '#src/domain/directory/units.js'
import { AppError } from '#src/errors.js'
import { pageText } from '../../locale.js'
import { errorMessages, readForm } from '../forms.js'
import { offeredPlatforms } from '../platforms.js'
import { blankSessionDraft, readSessionDraft, sessionFromForm, sessionLabel, type SessionDraft } from './form.js'
import { isLive, projectorPage } from './projector.js'
import { SessionFormPage, SessionListPage, SessionPage } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** Check-in sessions: list, create (code typed or generated), and who checked in, by name, unit, time and platform. */
export function sessionPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const zone = deps.config.timezone

  app.get('/admin/sessions', async (c) => c.html(SessionListPage({ c, sessions: await listSessions(db), zone })))

  const formPage = async (c: Context, draft: SessionDraft, errors: string[] = [], status: 200 | 400 | 409 | 422 = 200) => {
    const units = await listUnits(db)
    return c.html(SessionFormPage({ c, draft, errors, units, platforms: offeredPlatforms(deps, draft.audience.platforms), zone }), status)
  }

  app.get('/admin/sessions/new', (c) => formPage(c, blankSessionDraft()))

  app.post('/admin/sessions/new', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const draft = readSessionDraft(form)
    const parsed = sessionFromForm(c, t, form, draft, zone)
    if ('errors' in parsed) return formPage(c, draft, parsed.errors, 400)
    try {
      const session = await createSession(db, parsed.data, deps.clock())
      return c.redirect(`/admin/sessions/${session.id}?done=created`, 303)
    } catch (err) {
      const messages = errorMessages(c, err, (p) => sessionLabel(t, p))
      if (!messages) throw err
      return formPage(c, draft, messages, err instanceof AppError && err.code === 'conflict' ? 409 : 422)
    }
  })

  app.get('/admin/sessions/:id', async (c) => {
    const id = Number(c.req.param('id'))
    const session = Number.isSafeInteger(id) && id > 0 ? await findSession(db, id) : undefined
    if (!session) throw new AppError('not_found', 'api.errors.noSession', { id: c.req.param('id') ?? '' })
    const report = await attendanceReport(db, session)
    const unitNames = new Map((await listUnits(db)).map((u) => [u.code, u.name]))
    return c.html(SessionPage({ c, deps, session, report, unitNames, live: isLive(session, deps.clock()) }))
  })

  app.route('/', projectorPage(deps))
  return app
}
