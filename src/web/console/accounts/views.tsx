import type { Context } from 'hono'
import type { ConsoleRole } from '#db/schema/index.js'
import type { AccountSummary, findPeopleToGrant } from '#src/domain/console/accounts.js'
import { consoleRoles } from '#src/domain/console/schemas.js'
import type { ConsoleAccount } from '#src/domain/console/signin-sessions.js'
import type { ApiTokenView } from '#src/domain/console/tokens.js'
import { formatDateTime, type Translate } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { DataTable, type Column } from '../components/data-table.js'
import { FormNotice } from '../components/status-tabs.js'

/** A time as every page writes it: HH:mm dd/mm/yyyy in the app's time zone (formatDateTime), in both languages. */
export function formatTime(_locale: string, timeZone: string, iso: string | Date | null): string {
  if (!iso) return ''
  return formatDateTime(new Date(iso), timeZone)
}

/** What a post did, shown above the page: a notice, an error, or a token just minted (shown this once). */
export interface AccountsView {
  notice?: string
  error?: string
  minted?: { token: string; label: string }
  status?: 200 | 201 | 400 | 403 | 404 | 422
}

interface AccountsPageProps {
  c: Context
  view: AccountsView
  me: ConsoleAccount
  admin: boolean
  q: string
  accounts: AccountSummary[]
  matches: Awaited<ReturnType<typeof findPeopleToGrant>>
  tokens: ApiTokenView[]
  names: Map<number, string>
  timezone: string
}

/**
 * /admin/accounts: every signed-in account sees its role and its API tokens and may mint and
 * revoke its own; an admin also grants, changes and removes accounts and manages every token.
 */
export function AccountsPage(props: AccountsPageProps) {
  const { c, view, me, admin, q, accounts, matches, tokens, names } = props
  const { t, locale } = pageText(c)
  const time = (iso: string | null) => formatTime(locale, props.timezone, iso)
  return (
  <Layout c={c} title={t('consoleAuth.accounts.title')}>
    <h1>{t('consoleAuth.accounts.title')}</h1>
    <FormNotice notice={view.notice ? { kind: 'ok', text: view.notice } : null} />
    <FormNotice notice={view.error ? { kind: 'error', text: view.error } : null} />
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
  </Layout>
  )
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
        <DataTable
          labelledBy="accounts-title"
          rows={props.accounts}
          rowAttributes={(a) => ({ 'data-account': a.personId })}
          columns={[
            { head: t('consoleAuth.accounts.name'), rowHeader: true, cell: (a) => <>{a.fullName} {a.personId === props.me ? t('consoleAuth.accounts.self') : ''}</> },
            { head: t('consoleAuth.accounts.unit'), cell: (a) => a.unitName },
            {
              head: t('consoleAuth.accounts.chats'),
              cell: (a) => (a.reachableChats ? t('consoleAuth.accounts.chatCount', { count: a.reachableChats }) : <span class="badge behind">{t('consoleAuth.accounts.noChat')}</span>),
            },
            { head: t('consoleAuth.accounts.tokens'), num: true, cell: (a) => a.activeTokens },
            {
              head: t('consoleAuth.accounts.role'),
              cell: (a) => (
                <form method="post" action={`/admin/accounts/${a.personId}/role`} class="actions">
                  <CsrfField c={c} />
                  <RoleSelect t={t} value={a.role} id={`role-${a.personId}`} />
                  <button type="submit" class="secondary">
                    {t('consoleAuth.accounts.change')}
                  </button>
                </form>
              ),
            },
            {
              head: t('consoleAuth.accounts.actions'),
              cell: (a) => (
                <form method="post" action={`/admin/accounts/${a.personId}/revoke`}>
                  <CsrfField c={c} />
                  <button type="submit" class="danger">
                    {t('consoleAuth.accounts.revoke')}
                  </button>
                </form>
              ),
            },
          ]}
        />
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
        <TokenTable {...props} />
      )}
    </section>
  )
}

function TokenTable(props: { c: Context; t: Translate; tokens: ApiTokenView[]; names: Map<number, string>; admin: boolean; time: (iso: string | null) => string }) {
  const { c, t, time } = props
  const columns: Column<ApiTokenView>[] = [
    { head: t('consoleAuth.accounts.tokenLabel'), rowHeader: true, cell: (k) => k.label },
    ...(props.admin ? [{ head: t('consoleAuth.accounts.tokenFor'), cell: (k: ApiTokenView) => props.names.get(k.personId) ?? `#${k.personId}` }] : []),
    { head: t('consoleAuth.accounts.created'), cell: (k) => time(k.createdAt) },
    { head: t('consoleAuth.accounts.lastUsed'), cell: (k) => (k.lastUsedAt ? time(k.lastUsedAt) : t('consoleAuth.accounts.never')) },
    {
      head: t('consoleAuth.accounts.actions'),
      cell: (k) =>
        k.revokedAt ? (
          t('consoleAuth.accounts.revokedAt', { at: time(k.revokedAt) })
        ) : (
          <form method="post" action={`/admin/tokens/${k.id}/revoke`}>
            <CsrfField c={c} />
            <button type="submit" class="danger">
              {t('consoleAuth.accounts.revokeToken')}
            </button>
          </form>
        ),
    },
  ]
  return <DataTable labelledBy="tokens-title" rows={props.tokens} rowAttributes={(k) => ({ 'data-token-id': k.id })} columns={columns} />
}
