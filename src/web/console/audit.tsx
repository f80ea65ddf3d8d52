import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { listAccounts } from '../../domain/console/accounts.js'
import { listAudit } from '../../domain/console/audit.js'
import { auditQuerySchema, auditRange } from '../../domain/console/schemas.js'
import { AppError, zodDetails } from '../../errors.js'
import { Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { formatTime } from './accounts.js'

const PAGE = 50

/** /admin/audit (admins): the audit log with filters by account and by day, 50 a page. */
export function auditPages(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps

  app.get('/admin/audit', async (c) => {
    const { t, locale } = pageText(c)
    // The account filter: a person's id, or `admin_token` / `anonymous`.
    const who = c.req.query('who') ?? ''
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([k, v]) => ['from', 'to', 'offset'].includes(k) && v !== ''))
    const parsed = auditQuerySchema.safeParse({
      ...raw,
      ...(/^\d+$/.test(who) ? { personId: who } : who === 'admin_token' || who === 'anonymous' ? { actor: who } : {}),
      limit: PAGE,
    })
    if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidQuery', undefined, zodDetails(parsed.error))
    const q = parsed.data
    const { from, to } = auditRange(q, deps.config.timezone)
    const [page, accounts] = await Promise.all([
      listAudit(db, { personId: q.personId, actor: q.actor, from, to, limit: PAGE, offset: q.offset }),
      listAccounts(db, deps.clock()),
    ])
    const link = (offset: number) => {
      const params = new URLSearchParams({ ...(who ? { who } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), offset: String(offset) })
      return `/admin/audit?${params}`
    }
    const time = (iso: string) => formatTime(locale, deps.config.timezone, iso)
    return c.html(
      <Layout c={c} title={t('consoleAuth.audit.title')}>
        <h1>{t('consoleAuth.audit.title')}</h1>
        <p class="muted">{t('consoleAuth.audit.intro')}</p>
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
            <input id="from" name="from" type="date" value={q.from ?? ''} />
          </div>
          <div>
            <label for="to">{t('consoleAuth.audit.to')}</label>
            <input id="to" name="to" type="date" value={q.to ?? ''} />
          </div>
          <div class="actions">
            <button type="submit">{t('consoleAuth.audit.apply')}</button>
          </div>
        </form>
        {page.items.length === 0 ? (
          <p class="notice">{t('consoleAuth.audit.none')}</p>
        ) : (
          <>
            <p class="muted" id="audit-count">
              {t('consoleAuth.audit.count', { from: q.offset + 1, to: q.offset + page.items.length, total: page.total })}
            </p>
            <div class="table-wrap" tabindex={0}>
              <table aria-describedby="audit-count">
                <thead>
                  <tr>
                    <th scope="col">{t('consoleAuth.audit.at')}</th>
                    <th scope="col">{t('consoleAuth.audit.who')}</th>
                    <th scope="col">{t('consoleAuth.audit.via')}</th>
                    <th scope="col">{t('consoleAuth.audit.action')}</th>
                    <th scope="col" class="num">
                      {t('consoleAuth.audit.target')}
                    </th>
                    <th scope="col" class="num">
                      {t('consoleAuth.audit.status')}
                    </th>
                    <th scope="col">{t('consoleAuth.audit.ip')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((r) => (
                    <tr data-audit={r.id}>
                      <td>{time(r.at)}</td>
                      <td>
                        {r.actor === 'admin_token'
                          ? t('consoleAuth.audit.adminToken')
                          : r.actor === 'anonymous'
                            ? t('consoleAuth.audit.anonymous')
                            : (r.name ?? `#${r.personId}`)}
                        {r.tokenId !== null && <span class="muted"> · {t('consoleAuth.audit.token', { id: r.tokenId })}</span>}
                      </td>
                      <td>{r.via === 'api' ? t('consoleAuth.audit.viaApi') : t('consoleAuth.audit.viaConsole')}</td>
                      <td>
                        <code>{r.action}</code>
                      </td>
                      <td class="num">{r.targetId ?? ''}</td>
                      <td class="num">
                        <span class={`badge ${r.status < 400 ? 'met' : 'behind'}`}>{r.status}</span>
                      </td>
                      <td>{r.ip ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p class="actions">
              {q.offset > 0 && <a href={link(Math.max(0, q.offset - PAGE))}>{t('consoleAuth.audit.newer')}</a>}
              {q.offset + page.items.length < page.total && <a href={link(q.offset + PAGE)}>{t('consoleAuth.audit.older')}</a>}
            </p>
          </>
        )}
      </Layout>,
    )
  })

  return app
}
