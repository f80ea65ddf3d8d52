import type { Context } from 'hono'
import type { AccountSummary } from '#src/domain/console/accounts.js'
import type { listAudit } from '#src/domain/console/audit.js'
import type { Translate } from '#src/i18n.js'
import { pageText } from '../../locale.js'
import { formatTime } from '../accounts/views.js'
import { DataTable } from '../components/data-table.js'
import { ListPage } from '../components/list-page.js'

/** Entries on one audit page. */
export const AUDIT_PAGE = 50

type AuditPage = Awaited<ReturnType<typeof listAudit>>
type AuditEntry = AuditPage['items'][number]

/** The filters as asked: the account (`who`: a person's id, `admin_token` or `anonymous`), the days, the offset. */
export interface AuditFilters {
  who: string
  from?: string
  to?: string
  offset: number
}

/** /admin/audit: the filter form, then one page of the log, newest first, with links to newer and older pages. */
export function AuditListPage(props: { c: Context; filters: AuditFilters; page: AuditPage; accounts: readonly AccountSummary[]; timezone: string }) {
  const { c, filters: q, page } = props
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleAuth.audit.title')}
      before={
        <>
          <p class="muted">{t('consoleAuth.audit.intro')}</p>
          <AuditFilterForm t={t} filters={q} accounts={props.accounts} />
        </>
      }
      empty={page.items.length === 0}
      emptyText={t('consoleAuth.audit.none')}
      emptyClass="notice"
    >
      <>
        <p class="muted" id="audit-count">
          {t('consoleAuth.audit.count', { from: q.offset + 1, to: q.offset + page.items.length, total: page.total })}
        </p>
        <AuditTable {...props} />
        <Pager t={t} filters={q} shown={page.items.length} total={page.total} />
      </>
    </ListPage>
  )
}

function AuditFilterForm({ t, filters, accounts }: { t: Translate; filters: AuditFilters; accounts: readonly AccountSummary[] }) {
  const { who } = filters
  return (
    <form method="get" action="/admin/audit" class="card grid" aria-label={t('consoleAuth.audit.filters')}>
      <div>
        <label for="who">{t('consoleAuth.audit.account')}</label>
        <select id="who" name="who">
          <option value="">{t('consoleAuth.audit.anyAccount')}</option>
          <option value="admin_token" selected={who === 'admin_token'}>
            {t('consoleAuth.audit.adminToken')}
          </option>
          <option value="anonymous" selected={who === 'anonymous'}>
            {t('consoleAuth.audit.anonymous')}
          </option>
          {accounts.map((a) => (
            <option value={String(a.personId)} selected={who === String(a.personId)}>
              {a.fullName}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="from">{t('consoleAuth.audit.from')}</label>
        <input id="from" name="from" type="date" value={filters.from ?? ''} />
      </div>
      <div>
        <label for="to">{t('consoleAuth.audit.to')}</label>
        <input id="to" name="to" type="date" value={filters.to ?? ''} />
      </div>
      <div class="actions">
        <button type="submit">{t('consoleAuth.audit.apply')}</button>
      </div>
    </form>
  )
}

function actorName(t: Translate, r: AuditEntry) {
  if (r.actor === 'admin_token') return t('consoleAuth.audit.adminToken')
  if (r.actor === 'anonymous') return t('consoleAuth.audit.anonymous')
  return r.name ?? `#${r.personId}`
}

function AuditTable({ c, page, timezone }: { c: Context; page: AuditPage; timezone: string }) {
  const { t, locale } = pageText(c)
  return (
    <DataTable
      describedBy="audit-count"
      rows={page.items}
      rowAttributes={(r) => ({ 'data-audit': r.id })}
      columns={[
        { head: t('consoleAuth.audit.at'), cell: (r) => formatTime(locale, timezone, r.at) },
        {
          head: t('consoleAuth.audit.who'),
          cell: (r) => (
            <>
              {actorName(t, r)}
              {r.tokenId !== null && <span class="muted"> · {t('consoleAuth.audit.token', { id: r.tokenId })}</span>}
            </>
          ),
        },
        { head: t('consoleAuth.audit.via'), cell: (r) => (r.via === 'api' ? t('consoleAuth.audit.viaApi') : t('consoleAuth.audit.viaConsole')) },
        { head: t('consoleAuth.audit.action'), cell: (r) => <code>{r.action}</code> },
        { head: t('consoleAuth.audit.target'), num: true, cell: (r) => r.targetId ?? '' },
        { head: t('consoleAuth.audit.status'), num: true, cell: (r) => <span class={`badge ${r.status < 400 ? 'met' : 'behind'}`}>{r.status}</span> },
        { head: t('consoleAuth.audit.ip'), cell: (r) => r.ip ?? '' },
      ]}
    />
  )
}

/** Links to the newer and the older page, each keeping the filters. */
function Pager({ t, filters: q, shown, total }: { t: Translate; filters: AuditFilters; shown: number; total: number }) {
  const link = (offset: number) => {
    const params = new URLSearchParams({ ...(q.who ? { who: q.who } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), offset: String(offset) })
    return `/admin/audit?${params}`
  }
  return (
    <p class="actions">
      {q.offset > 0 && <a href={link(Math.max(0, q.offset - AUDIT_PAGE))}>{t('consoleAuth.audit.newer')}</a>}
      {q.offset + shown < total && <a href={link(q.offset + AUDIT_PAGE)}>{t('consoleAuth.audit.older')}</a>}
    </p>
  )
}
