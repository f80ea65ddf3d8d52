import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { endAccountSessions, listAccounts, removeConsoleRole, setConsoleRole, setSpokesperson } from '../../domain/console/accounts.js'
import { listAudit } from '../../domain/console/audit.js'
import { auditQuerySchema, auditRange, consoleRoleInputSchema, spokespersonInputSchema, tokenInputSchema } from '../../domain/console/schemas.js'
import { findTokenById, listTokens, mintToken, revokeToken } from '../../domain/console/tokens.js'
import { roleAllows } from '../../domain/console/signin-sessions.js'
import { AppError } from '../../errors.js'
import { callerOf } from '../auth.js'
import { idParam, readJson, readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

/**
 * Console accounts, API tokens and the audit log. Who may call each is in src/http/access.ts
 * (all admin, but for minting and revoking one's own API tokens).
 */
export function accountRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.get('/accounts', async (c) => {
    const items = await listAccounts(db, deps.clock())
    return c.json({ total: items.length, items })
  })

  app.put('/people/:id/console-role', async (c) => {
    const id = idParam(c)
    const { role, spokesperson } = await readJson(c, consoleRoleInputSchema)
    return c.json(await setConsoleRole(db, id, role, deps.clock(), spokesperson))
  })

  // The permission to approve corrections of misinformation, beside the role (issue 23).
  app.put('/people/:id/spokesperson', async (c) => {
    const id = idParam(c)
    const { spokesperson } = await readJson(c, spokespersonInputSchema)
    return c.json(await setSpokesperson(db, id, spokesperson, deps.clock()))
  })

  app.delete('/people/:id/console-role', async (c) => c.json(await removeConsoleRole(db, idParam(c), deps.clock())))

  // Signs an account out of every browser (its role and tokens stay).
  app.delete('/people/:id/console-sessions', async (c) => c.json(await endAccountSessions(db, idParam(c))))

  // The token is in this answer only; it is never shown again.
  // An admin mints for any account; anyone else for themselves (`personId` is then their own).
  app.post('/tokens', async (c) => {
    const caller = callerOf(c)!
    const admin = roleAllows(caller.role, 'admin')
    const body = admin ? await readJson(c, tokenInputSchema) : { ...(await readJson(c, tokenInputSchema.partial({ personId: true }))), personId: caller.personId! }
    return c.json(await mintToken(db, body, deps.clock()), 201)
  })

  app.get('/tokens', async (c) => {
    const q = readQuery(c, z.object({ personId: z.coerce.number().int().positive().optional() }))
    const items = await listTokens(db, q)
    return c.json({ total: items.length, items })
  })

  app.delete('/tokens/:id', async (c) => {
    const caller = callerOf(c)!
    const token = await findTokenById(db, idParam(c))
    if (!roleAllows(caller.role, 'admin') && token.personId !== caller.personId) throw new AppError('forbidden', 'api.errors.notYourToken', { id: token.id })
    return c.json(await revokeToken(db, token.id, deps.clock()))
  })

  app.get('/audit', async (c) => {
    const q = readQuery(c, auditQuerySchema)
    const { from, to } = auditRange(q, deps.config.timezone)
    const page = await listAudit(db, { personId: q.personId, actor: q.actor, from, to, limit: q.limit, offset: q.offset })
    return c.json({ ...page, limit: q.limit, offset: q.offset })
  })

  return app
}
