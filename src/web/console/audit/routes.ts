import { Hono } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { listAccounts } from '#src/domain/console/accounts.js'
import { listAudit } from '#src/domain/console/audit.js'
import { auditQuerySchema, auditRange } from '#src/domain/console/schemas.js'
import { AppError, zodDetails } from '#src/errors.js'
import { AUDIT_PAGE, AuditListPage } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** /admin/audit (admins): the audit log with filters by account and by day, 50 a page. */
export function auditPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.get('/admin/audit', async (c) => {
    // The account filter: a person's id, or `admin_token` / `anonymous`.
    const who = c.req.query('who') ?? ''
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([k, v]) => ['from', 'to', 'offset'].includes(k) && v !== ''))
    const parsed = auditQuerySchema.safeParse({
      ...raw,
      ...(/^\d+$/.test(who) ? { personId: who } : who === 'admin_token' || who === 'anonymous' ? { actor: who } : {}),
      limit: AUDIT_PAGE,
    })
    if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidQuery', undefined, zodDetails(parsed.error))
    const q = parsed.data
    const { from, to } = auditRange(q, deps.config.timezone)
    const [page, accounts] = await Promise.all([
      listAudit(db, { personId: q.personId, actor: q.actor, from, to, limit: AUDIT_PAGE, offset: q.offset }),
      listAccounts(db, deps.clock()),
    ])
    const filters = { who, from: q.from, to: q.to, offset: q.offset }
    return c.html(AuditListPage({ c, filters, page, accounts, timezone: deps.config.timezone }))
  })

  return app
}
