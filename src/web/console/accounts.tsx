import { Hono, type Context } from 'hono'
import type { ConsoleRole } from '../../../db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { findPeopleToGrant, listAccounts, removeConsoleRole, setConsoleRole, type AccountSummary } from '../../domain/console/accounts.js'
import { consoleRoleInputSchema, consoleRoles, tokenInputSchema } from '../../domain/console/schemas.js'
import { roleAllows } from '../../domain/console/sessions.js'
import { findTokenById, listTokens, mintToken, revokeToken, type ApiTokenView } from '../../domain/console/tokens.js'
import { AppError } from '../../errors.js'
import { idParam } from '../../http/validate.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { errorPage } from '../errors.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'

/** A time as every page writes it: HH:mm dd/mm/yyyy in the app's time zone (formatDateTime), in both languages. */
export function formatTime(_locale: string, timeZone: string, iso: string | Date | null): string {
  if (!iso) return ''
  return formatDateTime(new Date(iso), timeZone)
}

interface View {
  notice?: string
  error?: string
  minted?: { token: string; label: string }
  status?: 200 | 201 | 400 | 403 | 404 | 422
}

/**
 * /admin/accounts: every signed-in account sees its role and its API tokens and may mint and
 * revoke its own; an admin also grants, changes and removes accounts and manages every token.
 */
export function accountPages(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps

  async function render(c: Context, view: View = {}) {
    const { t, locale } = pageText(c)
    const me = accountOf(c)
    const admin = roleAllows(me.role, 'admin')
    const q = (c.req.query('q') ?? '').trim().slice(0, 100)
    const accounts = admin ? await listAccounts(db, deps.clock()) : []
    const matches = admin && q ? await findPeopleToGrant(db, q) : []
    const tokens = admin ? await listTokens(db) : me.personId !== null ? await listTokens(db, { personId: me.personId }) : []
    const names = new Map(accounts.map((a) => [a.personId, a.fullName]))
    if (me.personId !== null && me.name) names.set(me.personId, me.name)
    const time = (iso: string | null) => formatTime(locale, deps.config.timezone, iso)
    return c.html(
      <Layout c={c} title={t('consoleAuth.accounts.title')}>
        <h1>{t('consoleAuth.accounts.title')}</h1>
        {view.notice && (
          <p class="notice ok" role="status">
            {view.notice}
          </p>
        )}
        {view.error && (
          <p class="notice error" role="alert">
            {view.error}
          </p>
        )}
        {view.minted && (
          <section class="card" aria-labelledby="minted-title">
            <h2 id="minted-title">{t('consoleAuth.accounts.minted')}</h2>
            <p>
              <strong>{view.minted.label}</strong>
            </p>
            <p>
              <code data-token>{view.minted.token}</code>
            </p>
          </section>
        )}
        <p class="muted">{t('consoleAuth.accounts.intro')}</p>
        <section aria-labelledby="me-title" class="card">
          <h2 id="me-title">{t('consoleAuth.accounts.myTitle')}</h2>
          {me.personId === null ? (
            <p>{t('consoleAuth.accounts.bootstrap')}</p>
          ) : (
            <p>
              {me.name} — <span class="badge unknown">{t(`web.roles.${me.role}`)}</span>
            </p>
          )}
          <RolesHelp t={t} />
        </section>

        {admin && <AccountList c={c} t={t} accounts={accounts} me={me.personId} />}
        {admin && <GrantForm c={c} t={t} q={q} matches={matches} />}
        <TokenSection c={c} t={t} tokens={tokens} names={names} accounts={accounts} me={me.personId} admin={admin} time={time} />
      </Layout>,
      view.status ?? 200,
    )
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

function RolesHelp({ t }: { t: Translate }) {
  return (
    <details>
      <summary>{t('consoleAuth.accounts.rolesTitle')}</summary>
      <ul>
        <li>{t('consoleAuth.accounts.roleViewer')}</li>
        <li>{t('consoleAuth.accounts.roleEditor')}</li>
        <li>{t('consoleAuth.accounts.roleAdmin')}</li>
      </ul>
    </details>
  )
}

function RoleSelect({ t, value, id }: { t: Translate; value?: ConsoleRole; id: string }) {
  return (
    <select name="role" id={id} aria-label={t('consoleAuth.accounts.role')}>
      {consoleRoles.map((r) => (
        <option value={r} selected={r === value}>
          {t(`web.roles.${r}`)}
        </option>
      ))}
    </select>
  )
}

function AccountList(props: { c: Context; t: Translate; accounts: AccountSummary[]; me: number | null }) {
  const { c, t } = props
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">{t('consoleAuth.accounts.listTitle')}</h2>
      {props.accounts.length === 0 ? (
        <p class="muted">{t('consoleAuth.accounts.none')}</p>
      ) : (
        <div class="table-wrap" tabindex={0}>
          <table aria-labelledby="accounts-title">
            <thead>
              <tr>
                <th scope="col">{t('consoleAuth.accounts.name')}</th>
                <th scope="col">{t('consoleAuth.accounts.unit')}</th>
                <th scope="col">{t('consoleAuth.accounts.chats')}</th>
                <th scope="col" class="num">
                  {t('consoleAuth.accounts.tokens')}
                </th>
                <th scope="col">{t('consoleAuth.accounts.role')}</th>
                <th scope="col">{t('consoleAuth.accounts.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.accounts.map((a) => (
                <tr data-account={a.personId}>
                  <th scope="row">
                    {a.fullName} {a.personId === props.me ? t('consoleAuth.accounts.self') : ''}
                  </th>
                  <td>{a.unitName}</td>
                  <td>
                    {a.reachableChats ? (
                      t('consoleAuth.accounts.chatCount', { count: a.reachableChats })
                    ) : (
                      <span class="badge behind">{t('consoleAuth.accounts.noChat')}</span>
                    )}
                  </td>
                  <td class="num">{a.activeTokens}</td>
                  <td>
                    <form method="post" action={`/admin/accounts/${a.personId}/role`} class="actions">
                      <CsrfField c={c} />
                      <RoleSelect t={t} value={a.role} id={`role-${a.personId}`} />
                      <button type="submit" class="secondary">
                        {t('consoleAuth.accounts.change')}
                      </button>
                    </form>
                  </td>
                  <td>
                    <form method="post" action={`/admin/accounts/${a.personId}/revoke`}>
                      <CsrfField c={c} />
                      <button type="submit" class="danger">
                        {t('consoleAuth.accounts.revoke')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function GrantForm(props: { c: Context; t: Translate; q: string; matches: Awaited<ReturnType<typeof findPeopleToGrant>> }) {
  const { c, t } = props
  return (
    <section aria-labelledby="grant-title">
      <h2 id="grant-title">{t('consoleAuth.accounts.grantTitle')}</h2>
      <form method="get" action="/admin/accounts" class="actions">
        <label for="q">{t('consoleAuth.accounts.searchLabel')}</label>
        <input id="q" name="q" type="search" value={props.q} maxlength={100} />
        <button type="submit" class="secondary">
          {t('consoleAuth.accounts.search')}
        </button>
      </form>
      {props.q && props.matches.length === 0 && <p class="muted">{t('consoleAuth.accounts.noMatch', { q: props.q })}</p>}
      {props.matches.length > 0 && (
        <div class="table-wrap" tabindex={0}>
          <table>
            <tbody>
              {props.matches.map((p) => (
                <tr data-person={p.personId}>
                  <th scope="row">
                    {p.fullName} {p.externalId ? `(${p.externalId})` : ''}
                  </th>
                  <td>{p.unitName}</td>
                  <td>
                    <form method="post" action={`/admin/accounts/${p.personId}/role`} class="actions">
                      <CsrfField c={c} />
                      <RoleSelect t={t} value={p.role ?? 'viewer'} id={`grant-${p.personId}`} />
                      <button type="submit">{t('consoleAuth.accounts.grant')}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function TokenSection(props: {
  c: Context
  t: Translate
  tokens: ApiTokenView[]
  names: Map<number, string>
  accounts: AccountSummary[]
  me: number | null
  admin: boolean
  time: (iso: string | null) => string
}) {
  const { c, t } = props
  const canMint = props.admin ? props.accounts.length > 0 : props.me !== null
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('consoleAuth.accounts.tokensTitle')}</h2>
      <p class="muted">{t('consoleAuth.accounts.tokensIntro')}</p>
      {canMint && (
        <form method="post" action="/admin/tokens" class="stack card">
          <CsrfField c={c} />
          {props.admin && (
            <div>
              <label for="token-person">{t('consoleAuth.accounts.tokenFor')}</label>
              <select id="token-person" name="personId">
                {props.accounts.map((a) => (
                  <option value={String(a.personId)} selected={a.personId === props.me}>
                    {a.fullName}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label for="token-label">{t('consoleAuth.accounts.tokenLabel')}</label>
            <input id="token-label" name="label" type="text" required maxlength={80} />
          </div>
          <div class="actions">
            <button type="submit">{t('consoleAuth.accounts.mint')}</button>
          </div>
        </form>
      )}
      {props.tokens.length === 0 ? (
        <p class="muted">{t('consoleAuth.accounts.noTokens')}</p>
      ) : (
        <div class="table-wrap" tabindex={0}>
          <table aria-labelledby="tokens-title">
            <thead>
              <tr>
                <th scope="col">{t('consoleAuth.accounts.tokenLabel')}</th>
                {props.admin && <th scope="col">{t('consoleAuth.accounts.tokenFor')}</th>}
                <th scope="col">{t('consoleAuth.accounts.created')}</th>
                <th scope="col">{t('consoleAuth.accounts.lastUsed')}</th>
                <th scope="col">{t('consoleAuth.accounts.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((k) => (
                <tr data-token-id={k.id}>
                  <th scope="row">{k.label}</th>
                  {props.admin && <td>{props.names.get(k.personId) ?? `#${k.personId}`}</td>}
                  <td>{props.time(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? props.time(k.lastUsedAt) : t('consoleAuth.accounts.never')}</td>
                  <td>
                    {k.revokedAt ? (
                      t('consoleAuth.accounts.revokedAt', { at: props.time(k.revokedAt) })
                    ) : (
                      <form method="post" action={`/admin/tokens/${k.id}/revoke`}>
                        <CsrfField c={c} />
                        <button type="submit" class="danger">
                          {t('consoleAuth.accounts.revokeToken')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
