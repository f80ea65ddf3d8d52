import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import {
  attendanceReport,
  createSession,
  findSession,
  listSessions,
  presentSession,
  sessionInputSchema,
} from '../../domain/attendance/sessions.js'
import { publicLinkFields } from '../public-links.js'
import { idParam, readJson, readQuery } from '../validate.js'
import { attendanceExport } from '../../domain/export/results.js'
import { exportResponse, formatSchema } from '../export.js'
import type { AppEnv } from '../env.js'

/** Briefing and training sessions: open one with a check-in code, then read who attended. */
export function sessionRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.post('/sessions', async (c) => {
    const input = await readJson(c, sessionInputSchema)
    const session = await createSession(db, input, deps.clock())
    return c.json({ ...presentSession(session), ...(await publicLinkFields(deps, c, 'session', session.id)) }, 201)
  })

  app.get('/sessions', async (c) => {
    const sessions = await listSessions(db)
    const items = await Promise.all(sessions.map(async (s) => ({ ...s, ...(await publicLinkFields(deps, c, 'session', s.id)) })))
    return c.json({ total: items.length, items })
  })

  app.get('/sessions/:id/attendance', async (c) => {
    const session = await findSession(db, idParam(c))
    if (!session) throw new AppError('not_found', 'api.errors.noSession', { id: c.req.param('id') })
    const { format } = readQuery(c, z.object({ format: formatSchema }))
    if (format !== 'json') return exportResponse(c, deps, await attendanceExport(db, session), format)
    return c.json(await attendanceReport(db, session))
  })

  return app
}
