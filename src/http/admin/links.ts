import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { findPersonWithUnit } from '../../domain/directory/people.js'
import { listLinks, presentLink, revokeLink } from '../../domain/directory/links.js'
import { confirmLink } from '../../domain/console/accounts.js'
import { AppError } from '../../errors.js'
import { idParam } from '../validate.js'
import type { AppEnv } from '../env.js'

/**
 * A person's linked chats, revoking one, and confirming one for console sign-in codes. Chat ids are shown masked and phone numbers never:
 * enough to tell an admin which chat is which, not to write to it.
 */
export function linkRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  async function person(id: number) {
    const found = await findPersonWithUnit(db, id)
    if (!found) throw new AppError('not_found', 'api.errors.noPerson', { id })
    return found.person
  }

  app.get('/people/:id/links', async (c) => {
    const id = idParam(c)
    const p = await person(id)
    const items = (await listLinks(db, id)).map(presentLink)
    return c.json({ personId: id, fullName: p.fullName, total: items.length, items })
  })

  app.delete('/people/:id/links/:linkId', async (c) => {
    const id = idParam(c)
    const linkId = idParam(c, 'linkId')
    const p = await person(id)
    const revoked = await revokeLink(db, { personId: id, linkId, now: deps.clock(), by: 'admin' })
    if (!revoked) throw new AppError('not_found', 'api.errors.noLink', { id, linkId })
    return c.json({
      personId: id,
      fullName: p.fullName,
      revoked: presentLink(revoked),
      notified: true,
      sessionsEnded: revoked.access.sessions,
      tokensRevoked: revoked.access.tokens,
    })
  })

  // Confirms a chat as the person's, so that it gets console sign-in codes before it is a day old.
  app.post('/people/:id/links/:linkId/confirm', async (c) => {
    const id = idParam(c)
    const linkId = idParam(c, 'linkId')
    const p = await person(id)
    const link = await confirmLink(db, { personId: id, linkId, now: deps.clock() })
    if (!link) throw new AppError('not_found', 'api.errors.noLink', { id, linkId })
    return c.json({ personId: id, fullName: p.fullName, confirmed: { ...presentLink(link), confirmedAt: link.confirmedAt!.toISOString() } })
  })

  return app
}
