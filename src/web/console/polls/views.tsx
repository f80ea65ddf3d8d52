import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { Locale, PollRow, Role } from '#db/schema/index.js'
import { roles } from '#src/domain/audience.js'
import { isClosed, type presentPoll } from '#src/domain/polls/polls.js'
import type { PollResults, UnitResult } from '#src/domain/polls/results.js'
import type { PollTrend } from '#src/domain/polls/trend.js'
import { formatDate, formatDateTime, formatPercent, type Translate } from '#src/i18n.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { PublicLinkCard } from '../../public-link.js'
import type { AppDeps } from '#src/deps.js'
import { accountOf } from '../auth.js'
import { DataTable } from '../components/data-table.js'
import { FormPage } from '../components/form-page.js'
import { ListPage } from '../components/list-page.js'
import { CreateAction } from '../create-action.js'
import { DateTimeFields } from '../forms.js'
import type { PollDraft } from './form.js'

type PollItem = ReturnType<typeof presentPoll> & { answered: number; reached: number }
const CHART_SCRIPTS = ['chart.umd.min.js', 'charts.js']

/** /admin/polls: every poll with its kind, window, status and answered / reached. */
export function PollListPage({ c, polls, zone }: { c: Context; polls: readonly PollItem[]; zone: string }) {
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('poll.console.title')}
      before={<CreateAction c={c} href="/admin/polls/new" label={t('poll.console.create')} />}
      empty={polls.length === 0}
      emptyText={t('poll.console.empty')}
    >
      <DataTable
        rows={polls}
        rowAttributes={(p) => ({ 'data-poll': p.id })}
        columns={[
          { head: t('poll.console.colTitle'), rowHeader: true, cell: (p) => <a href={`/admin/polls/${p.id}`}>{p.title}</a> },
          { head: t('poll.console.colKind'), cell: (p) => (p.kind === 'scale' ? t('poll.console.kindScale') : t('poll.console.kindSingle')) },
          { head: t('poll.console.colWindow'), cell: (p) => <>{formatDateTime(new Date(p.opensAt), zone)} – {formatDateTime(new Date(p.closesAt), zone)}</> },
          { head: t('poll.console.colStatus'), cell: (p) => t(`poll.console.status.${p.status as 'open' | 'scheduled' | 'closed'}`) },
          { head: t('poll.console.colAnswered'), num: true, cell: (p) => <span data-count="answered">{p.answered} / {p.reached}</span> },
        ]}
      />
    </ListPage>
  )
}

/** /admin/polls/new: title, question, kind and options, comment, audience, window. */
export function PollFormPage({ c, draft, errors, zone }: { c: Context; draft: PollDraft; errors: string[]; zone: string }) {
  const { t } = pageText(c)
  return (
    <FormPage c={c} t={t} title={t('poll.console.newTitle')} action="/admin/polls/new" errors={errors} submit={t('poll.console.submit')}>
      {draft.repeatOf && (
        <p class="notice" data-repeat-of={draft.repeatOf}>
          {t('poll.console.repeating', { id: draft.repeatOf })}
          <input type="hidden" name="repeatOf" value={draft.repeatOf} />
        </p>
      )}
      <div>
        <label for="title">{t('poll.console.fieldTitle')}</label>
        <input type="text" id="title" name="title" value={draft.title} maxlength={300} required />
      </div>
      <div>
        <label for="question">{t('poll.console.fieldQuestion')}</label>
        <textarea id="question" name="question" class="short" maxlength={1000} required>
          {draft.question}
        </textarea>
      </div>
      <fieldset class="card">
        <legend>{t('poll.console.fieldKind')}</legend>
        {(['single', 'scale'] as const).map((k) => (
          <div>
            <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={draft.kind === k} />
            <label for={`kind-${k}`}>{k === 'scale' ? t('poll.console.kindScale') : t('poll.console.kindSingle')}</label>
          </div>
        ))}
        <label for="options">{t('poll.console.fieldOptions')}</label>
        <textarea id="options" name="options" class="short">
          {draft.options}
        </textarea>
        <div>
          <input type="checkbox" id="allowComment" name="allowComment" checked={draft.allowComment} />
          <label for="allowComment">{t('poll.console.fieldAllowComment')}</label>
        </div>
      </fieldset>
      <AudienceFields t={t} draft={draft} />
      <DateTimeFields t={t} name="opens" legend={t('poll.console.opens')} value={draft.opens} zone={zone} />
      <DateTimeFields t={t} name="closes" legend={t('poll.console.closes')} value={draft.closes} zone={zone} required />
    </FormPage>
  )
}

function AudienceFields({ t, draft }: { t: Translate; draft: PollDraft }) {
  return (
    <fieldset class="card" id="audience">
      <legend>{t('poll.console.audience')}</legend>
      <div>
        <input type="checkbox" id="staff" name="staff" checked={draft.staff} />
        <label for="staff">{t('poll.console.fieldStaff')}</label>
      </div>
      <label for="unitCodes">{t('poll.console.fieldUnitCodes')}</label>
      <input type="text" id="unitCodes" name="unitCodes" value={draft.unitCodes} />
      <fieldset>
        <legend>{t('consoleContent.audience.roles')}</legend>
        {roles.map((r) => (
          <div>
            <input type="checkbox" id={`role-${r}`} name="roles" value={r} checked={draft.roles.includes(r)} />
            <label for={`role-${r}`}>{t(`consoleContent.audience.role.${r}`)}</label>
          </div>
        ))}
      </fieldset>
      <div>
        <input type="checkbox" id="subscribers" name="subscribers" checked={draft.subscribers} />
        <label for="subscribers">{t('poll.console.fieldSubscribers')}</label>
      </div>
      <label for="wardCodes">{t('poll.console.fieldWardCodes')}</label>
      <input type="text" id="wardCodes" name="wardCodes" value={draft.wardCodes} />
    </fieldset>
  )
}

interface PollPageProps {
  c: Context
  deps: AppDeps
  poll: PollRow
  results: PollResults
  /** The poll's series of repeats (one poll when it was never repeated). */
  trend: PollTrend
  zone: string
  now: Date
}

/** /admin/polls/:id: the poll's facts, the close button, results by option (chart and table), audience, unit and ward. */
export function PollPage(props: PollPageProps) {
  const { c, poll } = props
  const { t } = pageText(c)
  const done = c.req.query('done')
  return (
    <Layout c={c} title={poll.title} scripts={CHART_SCRIPTS}>
      <p>
        <a href="/admin/polls">← {t('poll.console.title')}</a>
      </p>
      <h1>{poll.title}</h1>
      {done === 'created' && (
        <p role="status" class="notice ok" id="flash">
          {t('poll.console.created', { queued: c.req.query('queued') ?? '0' })}
        </p>
      )}
      {done === 'closed' && (
        <p role="status" class="notice ok" id="flash">
          {t('poll.console.closedNow')}
        </p>
      )}
      <PollFacts {...props} />
      <PublicLinkCard c={c} deps={props.deps} kind="poll" itemId={poll.id} />
      <p>
        <a href={`/admin/polls/${poll.id}/results.xlsx`} download>
          {t('poll.console.download')}
        </a>
      </p>
      <ByOption {...props} />
      <h2 id="poll-by-audience">{t('poll.console.byAudience')}</h2>
      <ByAudience {...props} />
      <h2 id="poll-by-unit">{t('poll.console.byUnit')}</h2>
      <ByUnit {...props} rows={props.results.byUnit} labelledBy="poll-by-unit" />
      <h2 id="poll-by-ward">{t('poll.console.byWard')}</h2>
      <ByUnit {...props} rows={props.results.byWard} labelledBy="poll-by-ward" />
      {props.trend.polls.length > 1 && <Trend {...props} />}
    </Layout>
  )
}

function PollFacts({ c, poll, results: r, zone, now }: PollPageProps) {
  const { t, locale } = pageText(c)
  const closed = isClosed(poll, now)
  const status = closed ? 'closed' : now.getTime() < poll.opensAt.getTime() ? 'scheduled' : 'open'
  const a = poll.audience
  return (
    <>
      <dl class="facts card">
        <dt>{t('poll.console.question')}</dt>
        <dd>{poll.question}</dd>
        <dt>{t('poll.console.colKind')}</dt>
        <dd>{poll.kind === 'scale' ? t('poll.console.kindScale') : t('poll.console.kindSingle')}</dd>
        <dt>{t('poll.console.colWindow')}</dt>
        <dd>
          {formatDateTime(poll.opensAt, zone)} – {formatDateTime(poll.closesAt, zone)}
        </dd>
        <dt>{t('poll.console.colStatus')}</dt>
        <dd data-status={status}>{t(`poll.console.status.${status}`)}</dd>
        <dt>{t('poll.console.audience')}</dt>
        <dd>
          {a.staff && <>{t('poll.audienceStaff')}: {a.staff.unitCodes.join(', ') || t('poll.console.allUnits')}{a.staff.roles.length ? ` (${a.staff.roles.map((x) => t(`consoleContent.audience.role.${x as Role}`)).join(', ')})` : ''}</>}
          {a.staff && a.subscribers && '; '}
          {a.subscribers && <>{t('poll.audienceSubscribers')}: {a.subscribers.wardCodes.join(', ') || t('poll.console.allWards')}</>}
        </dd>
        <dt>{t('poll.console.colAnswered')}</dt>
        <dd data-count="total">
          {r.total.answered} / {r.total.invited} ({formatPercent(r.total.responseRate, locale)})
        </dd>
        {r.total.average !== null && (
          <>
            <dt>{t('poll.console.average')}</dt>
            <dd>{r.total.average}/5</dd>
          </>
        )}
      </dl>
      {roleAllows(accountOf(c).role, 'editor') && (
        <p>
          <a href={`/admin/polls/new?repeat=${poll.id}`}>{t('poll.console.repeat')}</a>
        </p>
      )}
      {!closed && roleAllows(accountOf(c).role, 'editor') && (
        <form method="post" action={`/admin/polls/${poll.id}/close`}>
          <CsrfField c={c} />
          <button type="submit" class="secondary">
            {t('poll.console.close')}
          </button>
        </form>
      )}
    </>
  )
}

const share = (n: number, of: number, locale: Locale) => formatPercent(of > 0 ? n / of : null, locale)

function ByOption({ c, results: r }: PollPageProps) {
  const { t, locale } = pageText(c)
  const rows = r.options.map((label, i) => ({ label, count: r.total.counts[i] ?? 0, i }))
  // `<` escaped so no text in the data can end the script element.
  const config = JSON.stringify({
    type: 'bar',
    data: { labels: rows.map((o) => `${o.i + 1}. ${o.label}`), datasets: [{ label: t('poll.console.count'), data: rows.map((o) => o.count) }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } } },
  }).replace(/</g, '\\u003c')
  return (
    <section aria-labelledby="poll-by-option">
      <h2 id="poll-by-option">{t('poll.console.byOption')}</h2>
      {r.total.answered > 0 && (
        <div class="chart">
          <canvas data-chart="chart-poll" role="img" aria-label={t('poll.console.chart')}></canvas>
          <script type="application/json" id="chart-poll">
            {raw(config)}
          </script>
        </div>
      )}
      <DataTable
        labelledBy="poll-by-option"
        rows={rows}
        rowAttributes={(o) => ({ 'data-option': o.i + 1 })}
        columns={[
          { head: t('poll.console.option'), rowHeader: true, cell: (o) => `${o.i + 1}. ${o.label}` },
          { head: t('poll.console.count'), num: true, cell: (o) => o.count },
          { head: t('poll.console.share'), num: true, cell: (o) => share(o.count, r.total.answered, locale) },
        ]}
      />
    </section>
  )
}

function ByAudience({ c, results: r }: PollPageProps) {
  const { t, locale } = pageText(c)
  const rows = [
    { key: 'all', label: t('poll.audienceAll'), x: r.total },
    { key: 'staff', label: t('poll.audienceStaff'), x: r.byAudience.staff },
    { key: 'subscribers', label: t('poll.audienceSubscribers'), x: r.byAudience.subscribers },
  ]
  return (
    <DataTable
      labelledBy="poll-by-audience"
      rows={rows}
      rowAttributes={(row) => ({ 'data-audience': row.key })}
      columns={[
        { head: t('poll.console.group'), rowHeader: true, cell: (row) => row.label },
        { head: t('poll.console.invited'), num: true, cell: (row) => row.x.invited },
        { head: t('poll.console.reached'), num: true, cell: (row) => row.x.reached },
        { head: t('poll.console.answered'), num: true, cell: (row) => row.x.answered },
        { head: t('poll.console.rate'), num: true, cell: (row) => formatPercent(row.x.responseRate, locale) },
        ...r.options.map((o, i) => ({ head: `${i + 1}. ${o}`, num: true, cell: (row: (typeof rows)[number]) => row.x.counts[i] ?? 0 })),
      ]}
    />
  )
}

function ByUnit({ c, results: r, rows, labelledBy }: PollPageProps & { rows: UnitResult[]; labelledBy: string }) {
  const { t, locale } = pageText(c)
  if (rows.length === 0) return <p class="muted">{t('poll.console.noAnswers')}</p>
  return (
    <DataTable
      labelledBy={labelledBy}
      rows={rows}
      rowAttributes={(u) => ({ 'data-unit': u.unitCode })}
      columns={[
        { head: t('poll.console.unit'), rowHeader: true, cell: (u) => <>{u.unitName} <span class="muted">({u.unitCode})</span></> },
        { head: t('poll.console.invited'), num: true, cell: (u) => u.invited },
        { head: t('poll.console.answered'), num: true, cell: (u) => u.answered },
        { head: t('poll.console.rate'), num: true, cell: (u) => formatPercent(u.responseRate, locale) },
        ...r.options.map((o, i) => ({
          head: `${i + 1}. ${o}`,
          num: true,
          cell: (u: UnitResult) => `${u.counts[i] ?? 0} (${share(u.counts[i] ?? 0, u.answered, locale)})`,
        })),
      ]}
    />
  )
}

/**
 * The series of repeats: a line per option's share (the scale: the share agreeing 4–5) and the
 * response rate, over the polls in date order, and the same figures in a table.
 */
function Trend({ c, poll, trend, zone }: PollPageProps) {
  const { t, locale } = pageText(c)
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10)
  const scale = trend.kind === 'scale'
  const lines = scale
    ? [{ label: t('poll.console.agreement'), data: trend.polls.map((p) => pct(p.agreement)) }]
    : trend.options.map((o, i) => ({ label: `${i + 1}. ${o}`, data: trend.polls.map((p) => pct(p.shares[i] ?? null)) }))
  const config = JSON.stringify({
    type: 'line',
    data: {
      labels: trend.polls.map((p) => formatDate(new Date(p.opensAt), zone)),
      datasets: [...lines, { label: t('poll.console.rate'), data: trend.polls.map((p) => pct(p.responseRate)), borderDash: [6, 4] }],
    },
    options: { scales: { y: { min: 0, max: 100 } } },
  }).replace(/</g, '\\u003c')
  type Point = PollTrend['polls'][number]
  return (
    <section aria-labelledby="poll-trend">
      <h2 id="poll-trend">{t('poll.console.trend', { count: trend.polls.length })}</h2>
      <div class="chart">
        <canvas data-chart="chart-poll-trend" role="img" aria-label={t('poll.console.trendChart')}></canvas>
        <script type="application/json" id="chart-poll-trend">
          {raw(config)}
        </script>
      </div>
      <DataTable
        labelledBy="poll-trend"
        rows={trend.polls}
        rowAttributes={(p) => ({ 'data-trend': p.pollId, ...(p.pollId === poll.id ? { 'aria-current': 'true' } : {}) })}
        columns={[
          { head: t('poll.console.trendPoll'), rowHeader: true, cell: (p) => (p.pollId === poll.id ? <strong>{formatDate(new Date(p.opensAt), zone)}</strong> : <a href={`/admin/polls/${p.pollId}`}>{formatDate(new Date(p.opensAt), zone)}</a>) },
          { head: t('poll.console.invited'), num: true, cell: (p) => p.invited },
          { head: t('poll.console.answered'), num: true, cell: (p) => p.answered },
          { head: t('poll.console.rate'), num: true, cell: (p) => formatPercent(p.responseRate, locale) },
          ...(scale
            ? [
                { head: t('poll.console.average'), num: true, cell: (p: Point) => (p.average === null ? '—' : `${p.average}/5`) },
                { head: t('poll.console.agreement'), num: true, cell: (p: Point) => formatPercent(p.agreement, locale) },
              ]
            : trend.options.map((o, i) => ({ head: `${i + 1}. ${o}`, num: true, cell: (p: Point) => formatPercent(p.shares[i] ?? null, locale) }))),
        ]}
      />
    </section>
  )
}
