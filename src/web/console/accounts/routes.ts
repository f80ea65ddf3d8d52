import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { findPeopleToGrant, listAccounts, removeConsoleRole, setConsoleRole } from '#src/domain/console/accounts.js'
import { consoleRoleInputSchema, tokenInputSchema } from '#src/domain/console/schemas.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { findTokenById, listTokens, mintToken, revokeToken } from '#src/domain/console/tokens.js'
import { AppError } from '#src/errors.js'
import { idParam } from '#src/http/validate.js'
import { errorPage } from '../../errors.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { AccountsPage, type AccountsView } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/**
 * /admin/accounts: every signed-in account sees its role and its API tokens and may mint and
 * revoke its own; an admin also grants, changes and removes accounts and manages every token.
 */
export function accountPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  async function render(c: Context, view: AccountsView = {}) {
    const me = accountOf(c)
    const admin = roleAllows(me.role, 'admin')
    const q = (c.req.query('q') ?? '').trim().slice(0, 100)
    const accounts = admin ? await listAccounts(db, deps.clock()) : []
    const matches = admin && q ? await findPeopleToGrant(db, q) : []
    const tokens = admin ? await listTokens(db) : me.personId !== null ? await listTokens(db, { personId: me.personId }) : []
    const names = new Map(accounts.map((a) => [a.personId, a.fullName]))
    if (me.personId !== null && me.name) names.set(me.personId, me.name)
    return c.html(AccountsPage({ c, view, me, admin, q, accounts, matches, tokens, names, timezone: deps.config.timezone }), view.status ?? 200)
  }

  app.get('/admin/accounts', (c) => render(c))

  app.post('/admin/accounts/:id/role', async (c) => {
    const { t } = pageText(c)
    const form = await c.req.parseBody()
    const parsed = consoleRoleInputSchema.safeParse({ role: form.role })
    if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidRequest')
    const done = await setConsoleRole(db, idParam(c), parsed.data.role, deps.clock())
    return render(c, { notice: t('consoleAuth.accounts.granted', { name: done.fullName, role: t(`web.roles.${done.role}`) }) })
  })

  app.post('/admin/accounts/:id/revoke', async (c) => {
    const { t } = pageText(c)
    const done = await removeConsoleRole(db, idParam(c), deps.clock())
    return render(c, { notice: t('consoleAuth.accounts.revoked', { name: done.fullName }) })
  })

  // Any account mints its own tokens; an admin mints for any account.
  app.post('/admin/tokens', async (c) => {
    const { t } = pageText(c)
    const me = accountOf(c)
    const form = await c.req.parseBody()
    const personId = roleAllows(me.role, 'admin') ? Number(form.personId) : me.personId
    const label = typeof form.label === 'string' ? form.label : ''
    const parsed = tokenInputSchema.safeParse({ personId, label })
    if (!parsed.success) return render(c, { error: t('consoleAuth.accounts.labelEmpty'), status: 400 })
    const minted = await mintToken(db, parsed.data, deps.clock())
    return render(c, { minted: { token: minted.token, label: minted.label }, status: 201 })
  })

  app.post('/admin/tokens/:id/revoke', async (c) => {
    const { t } = pageText(c)
    const me = accountOf(c)
    const token = await findTokenById(db, idParam(c))
    if (!roleAllows(me.role, 'admin') && token.personId !== me.personId) return errorPage(c, 403, 'consoleAuth.accounts.notYours')
    const revoked = await revokeToken(db, token.id, deps.clock())
    return render(c, { notice: t('consoleAuth.accounts.tokenRevoked', { label: revoked.label }) })
  })

  return app
}

