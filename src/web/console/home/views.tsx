import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { Locale, Role } from '#db/schema/index.js'
import type { AppDeps } from '#src/deps.js'
import { overview } from '#src/domain/overview.js'
import {
  describeTargets,
  periodChoices,
  targetIds,
  targetPeople,
  targetUnits,
  type Figure,
  type Span,
  type SpanQuery,
  type TargetId,
  type TargetResult,
} from '#src/domain/targets.js'
import { formatDate, formatPercent, type KeyIn, type Translate } from '#src/i18n.js'
import { localDay } from '#src/time.js'
import { ChannelAlerts } from './channel-alerts.js'
import { Layout } from '../../layout.js'
import { FirstStepsList } from './first-steps.js'
import { pageText } from '../../locale.js'

const CHART_SCRIPTS = ['chart.umd.min.js', 'charts.js']

const pct = (locale: Locale, share: number | null | undefined) => formatPercent(share, locale)
/** dd/mm/yyyy in the app's time zone (formatDate), for dates passed as Date or ISO text. */
const dmy = (at: Date | string, tz: string) => formatDate(new Date(at), tz)

/** The span's own query string, carried by every link of the overview and its drill-down pages. */
function spanParams(q: SpanQuery, extra: Record<string, string | number | undefined> = {}) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v !== undefined && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

function figureText(locale: Locale, f: Figure, id: TargetId) {
  if (id === 'digitalProducts') return String(f.count)
  return `${f.count}/${f.of} (${pct(locale, f.share)})`
}

function staffText(locale: Locale, f: Figure) {
  return f.ofStaff ? `${f.count}/${f.ofStaff} (${pct(locale, f.shareOfStaff)})` : '—'
}

function goalText(locale: Locale, t: TargetResult) {
  return 'share' in t.goal ? `≥ ${pct(locale, t.goal.share)}` : `${t.goal.min}–${t.goal.max}`
}

/** Met, close or behind, in words as well as colour (the badge's class). */
function Standing({ t, status }: { t: Translate; status: TargetResult['status'] }) {
  const s = status ?? 'unknown'
  return <span class={`badge ${s}`}>{t(`web.console.overview.${s}`)}</span>
}

/** A chart drawn by /assets/charts.js from the JSON beside it, with its figures in a table for those who cannot see it. */
function Chart(props: { id: string; title: string; config: unknown; t: Translate; head: string[]; rows: (string | number)[][] }) {
  // `<` escaped so no text in the data can end the script element.
  const json = JSON.stringify(props.config).replace(/</g, '\\u003c')
  return (
    <section class="card" aria-labelledby={`${props.id}-title`}>
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      {props.rows.length === 0 ? (
        <p class="muted">{props.t('consoleOverview.charts.noData')}</p>
      ) : (
        <>
          <div class="chart">
            <canvas data-chart={props.id} role="img" aria-label={props.title}></canvas>
          </div>
          <script type="application/json" id={props.id}>
            {raw(json)}
          </script>
          <details>
            <summary>{props.t('consoleOverview.charts.table')}</summary>
            <div class="table-wrap" tabindex={0}>
              <table data-chart-table={props.id}>
                <thead>
                  <tr>
                    {props.head.map((h) => (
                      <th scope="col">{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {props.rows.map((r) => (
                    <tr>
                      {r.map((v, i) => (i === 0 ? <th scope="row">{v}</th> : <td class="num">{v}</td>))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  )
}

function SpanForm({ t, q, span, periods, tz }: { t: Translate; q: SpanQuery; span: Span; periods: { id: number; name: string; dueAt: Date }[]; tz: string }) {
  return (
    <form method="get" action="/admin" class="card no-print">
      <fieldset>
        <legend>{t('consoleOverview.span.legend')}</legend>
        <div class="grid">
          <label>
            {t('consoleOverview.span.year')}
            <input type="number" name="year" min="2000" max="2100" value={span.kind === 'year' ? String(span.year) : ''} />
          </label>
          <label>
            {t('consoleOverview.span.period')}
            <select name="periodId">
              <option value="">{t('consoleOverview.span.noPeriod')}</option>
              {periods.map((p) => (
                <option value={String(p.id)} selected={q.periodId === p.id}>
                  {`${p.name} (${dmy(p.dueAt, tz)})`}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('consoleOverview.span.from')}
            <input type="date" name="from" value={q.from && /^\d{4}-\d{2}-\d{2}$/.test(q.from) ? q.from : ''} />
          </label>
          <label>
            {t('consoleOverview.span.to')}
            <input type="date" name="to" value={q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? q.to : ''} />
          </label>
        </div>
        <button type="submit">{t('consoleOverview.span.show')}</button>
      </fieldset>
    </form>
  )
}

/** The six-monthly summary workbooks of this year's halves that have begun (src/domain/summary.ts). */
function SummaryLinks({ t, now, tz }: { t: Translate; now: Date; tz: string }) {
  const [year, month] = localDay(now, tz).split('-').map(Number) as [number, number]
  const halves: [number, 1 | 2][] = month >= 7 ? [[year, 1], [year, 2]] : [[year - 1, 2], [year, 1]]
  return (
    <p class="actions no-print" data-summary>
      {halves.map(([y, h]) => (
        <a class="button secondary" href={`/admin/summary/${y}/${h}`} download>
          {t(`summary.download${h}`, { year: y })}
        </a>
      ))}
    </p>
  )
}

function spanTitle(t: Translate, span: Span, tz: string, periods: { id: number; name: string }[]) {
  if (span.kind === 'year') return t('consoleOverview.heading.year', { year: span.year! })
  const to = dmy(new Date(span.end.getTime() - 1000), tz)
  if (span.kind === 'period') return t('consoleOverview.heading.period', { name: periods.find((p) => p.id === span.periodId)?.name ?? '', from: dmy(span.from, tz), to })
  return t('consoleOverview.heading.range', { from: dmy(span.from, tz), to })
}

type Overview = Awaited<ReturnType<typeof overview>>
type Rhythm = AppDeps['config']['reachRhythm']
/** A target's figures with its title and definition in the page's language. */
type Described = TargetResult & { title: string; definition: string }
type PeriodChoice = Awaited<ReturnType<typeof periodChoices>>[number]

/** GET /admin: the console's home (alerts, first steps, the span, its targets, one target by ward, the charts). */
export function HomePage(props: { c: Context; deps: AppDeps; q: SpanQuery; span: Span; wardTarget: TargetId; data: Overview; periods: PeriodChoice[]; rhythm: Rhythm }) {
  const { c, deps, q, span, wardTarget, data, periods } = props
  const { t, locale } = pageText(c)
  const tz = deps.config.timezone
  const targets = describeTargets(locale, props.rhythm, data.targets)
  return (
    <Layout c={c} title={t('consoleOverview.title')} scripts={CHART_SCRIPTS}>
      <h1>{t('consoleOverview.title')}</h1>
      <ChannelAlerts c={c} deps={deps} />
      <FirstStepsList c={c} deps={deps} />
      <SpanForm t={t} q={q} span={span} periods={periods} tz={tz} />
      <SummaryLinks t={t} now={deps.clock()} tz={tz} />
      <TargetTable t={t} locale={locale} q={q} span={span} tz={tz} title={spanTitle(t, span, tz, periods)} rhythm={t(`api.rhythm.${props.rhythm}`)} targets={targets} />
      <WardTable t={t} locale={locale} q={q} shown={targets.find((x) => x.id === wardTarget)!} wardTarget={wardTarget} />
      <h2>{t('consoleOverview.charts.heading')}</h2>
      <div class="grid charts">
        <ReachCharts t={t} locale={locale} data={data} />
        <ActivityCharts t={t} data={data} />
      </div>
    </Layout>
  )
}

/** The span's targets: each one's figure, share of staff, goal and standing, linking to its units. */
function TargetTable(props: { t: Translate; locale: Locale; q: SpanQuery; span: Span; tz: string; title: string; rhythm: string; targets: Described[] }) {
  const { t, locale, q, span, tz, title, rhythm, targets } = props
  return (
    <>
    <h2 id="targets">{title}</h2>
    <p class="muted">{t('consoleOverview.measuredTo', { from: dmy(span.from, tz), to: dmy(span.to, tz), rhythm })}</p>
    <div class="table-wrap" tabindex={0}>
      <table aria-labelledby="targets">
        <thead>
          <tr>
            <th scope="col">{t('consoleOverview.col.target')}</th>
            <th scope="col" class="num">
              {t('consoleOverview.col.figure')}
            </th>
            <th scope="col" class="num">
              {t('consoleOverview.col.ofStaff')}
            </th>
            <th scope="col" class="num">
              {t('consoleOverview.col.goal')}
            </th>
            <th scope="col">{t('consoleOverview.col.status')}</th>
            <th scope="col">{t('consoleOverview.col.definition')}</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <tr data-target={target.id}>
              <th scope="row">
                {target.id === 'digitalProducts' ? (
                  target.title
                ) : (
                  <a href={`/admin/targets/${target.id}/units${spanParams(q)}`}>{target.title}</a>
                )}
              </th>
              <td class="num" data-figure>
                {figureText(locale, target, target.id)}
                {target.onTime !== undefined && (
                  <div class="muted">{t('consoleOverview.extra.onTime', { count: target.onTime, of: target.of, share: pct(locale, target.shareOnTime) })}</div>
                )}
                {target.linked !== undefined && <div class="muted">{t('consoleOverview.extra.linked', { count: target.linked })}</div>}
              </td>
              <td class="num" data-of-staff>
                {staffText(locale, target)}
              </td>
              <td class="num">{goalText(locale, target)}</td>
              <td>
                <Standing t={t} status={target.status} />
              </td>
              <td class="definition">{target.definition}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    </>
  )
}

/** One target (picked) ward by ward, each ward linking to its units. */
function WardTable({ t, locale, q, shown, wardTarget }: { t: Translate; locale: Locale; q: SpanQuery; shown: Described; wardTarget: TargetId }) {
  const wardName = (w: { ward: { name: string } | null }) => w.ward?.name ?? t('consoleOverview.wards.none')
  return (
    <>
    <h2 id="wards">{t('consoleOverview.wards.heading', { target: shown.title })}</h2>
    <form method="get" action="/admin" class="no-print">
      {Object.entries(q).map(([k, v]) => (v === undefined ? null : <input type="hidden" name={k} value={String(v)} />))}
      <label>
        {t('consoleOverview.wards.pick')}
        <select name="wardTarget">
          {targetIds
            .filter((id) => id !== 'digitalProducts')
            .map((id) => (
              <option value={id} selected={id === wardTarget}>
                {t(`api.targets.${id}`)}
              </option>
            ))}
        </select>
      </label>
      <button type="submit" class="secondary">
        {t('consoleOverview.wards.show')}
      </button>
    </form>
    <div class="table-wrap" tabindex={0}>
      <table aria-labelledby="wards" data-wards={wardTarget}>
        <thead>
          <tr>
            <th scope="col">{t('consoleOverview.col.ward')}</th>
            <th scope="col" class="num">
              {t('consoleOverview.col.figure')}
            </th>
            <th scope="col" class="num">
              {t('consoleOverview.col.ofStaff')}
            </th>
          </tr>
        </thead>
        <tbody>
          {(shown.byWard ?? []).map((w) => (
            <tr data-ward={w.ward?.code ?? ''}>
              <th scope="row">
                <a href={`/admin/targets/${wardTarget}/units${spanParams(q, { ward: w.ward?.code })}`}>{wardName(w)}</a>
              </th>
              <td class="num">{figureText(locale, w, wardTarget)}</td>
              <td class="num">{staffText(locale, w)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    </>
  )
}

const p100 = (s: number | null) => (s == null ? 0 : Math.round(s * 1000) / 10)

/** Reach by ward and the least reached units. */
function ReachCharts({ t, locale, data }: { t: Translate; locale: Locale; data: Overview }) {
  const wardName = (w: { ward: { name: string } | null }) => w.ward?.name ?? t('consoleOverview.wards.none')
  const reachWards = data.reach.byWard.filter((w) => w.of > 0)
  return (
    <>
      <Chart
        id="chart-wards"
        t={t}
        title={t('consoleOverview.charts.reachByWard')}
        config={{
          type: 'bar',
          data: { labels: reachWards.map(wardName), datasets: [{ label: t('consoleOverview.charts.share'), data: reachWards.map((w) => p100(w.share)) }] },
          options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
        }}
        head={[t('consoleOverview.col.ward'), t('consoleOverview.col.figure')]}
        rows={reachWards.map((w) => [wardName(w), figureText(locale, w, 'managersTeachersReached')])}
      />
      <Chart
        id="chart-units"
        t={t}
        title={t('consoleOverview.charts.leastReached')}
        config={{
          type: 'bar',
          data: {
            labels: data.reach.leastReachedUnits.map((u) => u.unit.name),
            datasets: [{ label: t('consoleOverview.charts.share'), data: data.reach.leastReachedUnits.map((u) => p100(u.share)) }],
          },
          options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
        }}
        head={[t('consoleOverview.col.unit'), t('consoleOverview.col.figure')]}
        rows={data.reach.leastReachedUnits.map((u) => [u.unit.name, figureText(locale, u, 'managersTeachersReached')])}
      />
    </>
  )
}

/** The last broadcast's acknowledgements by hour, the last period's reports, the last quiz's scores. */
function ActivityCharts({ t, data }: { t: Translate; data: Overview }) {
  const kinds = (k: KeyIn<'consoleOverview.kinds.'>) => t(`consoleOverview.kinds.${k}`)
  return (
    <>
      <Chart
        id="chart-acks"
        t={t}
        title={data.acks ? t('consoleOverview.charts.acks', { title: data.acks.broadcast.title, acknowledged: data.acks.acknowledged, recipients: data.acks.recipients }) : t('consoleOverview.charts.acks', { title: '—', acknowledged: 0, recipients: 0 })}
        config={{
          type: 'line',
          data: {
            labels: (data.acks?.hours ?? []).map((h) => h.hour + 1),
            datasets: [
              { label: t('consoleOverview.charts.acksTotal'), data: (data.acks?.hours ?? []).map((h) => h.total) },
              { label: t('consoleOverview.charts.acksHour'), data: (data.acks?.hours ?? []).map((h) => h.acks) },
            ],
          },
          options: { scales: { y: { min: 0 } } },
        }}
        head={[t('consoleOverview.charts.hour'), t('consoleOverview.charts.acksHour'), t('consoleOverview.charts.acksTotal')]}
        rows={(data.acks?.hours ?? []).filter((h) => h.acks > 0).map((h) => [h.hour + 1, h.acks, h.total])}
      />
      <Chart
        id="chart-reporting"
        t={t}
        title={data.reporting ? t('consoleOverview.charts.reporting', { name: data.reporting.period.name }) : t('consoleOverview.charts.reporting', { name: '—' })}
        config={{
          type: 'bar',
          data: {
            labels: (data.reporting?.byKind ?? []).map((k) => kinds(k.kind)),
            datasets: (['onTime', 'late', 'missing'] as const).map((s) => ({ label: t(`consoleOverview.charts.${s}`), data: (data.reporting?.byKind ?? []).map((k) => k[s]) })),
          },
          options: { scales: { x: { stacked: true }, y: { stacked: true, min: 0 } } },
        }}
        head={[t('consoleOverview.col.kind'), t('consoleOverview.charts.onTime'), t('consoleOverview.charts.late'), t('consoleOverview.charts.missing')]}
        rows={(data.reporting?.byKind ?? []).map((k) => [kinds(k.kind), k.onTime, k.late, k.missing])}
      />
      <Chart
        id="chart-quiz"
        t={t}
        title={data.quiz ? t('consoleOverview.charts.quiz', { title: data.quiz.quiz.title, completed: data.quiz.completed, passed: data.quiz.passed }) : t('consoleOverview.charts.quiz', { title: '—', completed: 0, passed: 0 })}
        config={{
          type: 'bar',
          data: {
            labels: (data.quiz?.byScore ?? []).map((s) => s.correct),
            datasets: [{ label: t('consoleOverview.charts.people'), data: (data.quiz?.byScore ?? []).map((s) => s.people) }],
          },
          options: { plugins: { legend: { display: false } }, scales: { y: { min: 0 } } },
        }}
        head={[t('consoleOverview.charts.correct'), t('consoleOverview.charts.people')]}
        rows={data.quiz && data.quiz.completed > 0 ? data.quiz.byScore.map((s) => [s.correct, s.people]) : []}
      />
    </>
  )
}

type Units = Awaited<ReturnType<typeof targetUnits>>

/** GET /admin/targets/:id/units: a target's figure unit by unit (of a ward, when one is given). */
export function TargetUnitsPage({ c, id, q, result, described }: { c: Context; id: TargetId; q: SpanQuery; result: Units; described: { title: string; definition: string } }) {
  const { t, locale } = pageText(c)
  const heading = result.ward ? t('consoleOverview.units.ofWard', { target: described.title, ward: result.ward.name }) : t('consoleOverview.units.title', { target: described.title })
  return (
      <Layout c={c} title={heading}>
        <p>
          <a href={`/admin${spanParams(q)}`}>{t('consoleOverview.back')}</a>
        </p>
        <h1>{heading}</h1>
        <p class="muted">{described.definition}</p>
        {result.units.length === 0 ? (
          <p>{t('consoleOverview.units.none')}</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('consoleOverview.col.unit')}</th>
                  <th scope="col">{t('consoleOverview.col.kind')}</th>
                  <th scope="col" class="num">
                    {t('consoleOverview.col.declared')}
                  </th>
                  <th scope="col" class="num">
                    {t('consoleOverview.col.figure')}
                  </th>
                  <th scope="col" class="num">
                    {t('consoleOverview.col.ofStaff')}
                  </th>
                  {id !== 'unitsReporting' && <th scope="col">{t('consoleOverview.units.people')}</th>}
                </tr>
              </thead>
              <tbody>
                {result.units.map((u) => (
                  <tr data-unit={u.unit.code}>
                    <th scope="row">{u.unit.name}</th>
                    <td>{t(`consoleOverview.kinds.${u.unit.kind}`)}</td>
                    <td class="num">{u.unit.staffCount ?? '—'}</td>
                    <td class="num">
                      {figureText(locale, u, id)}
                      {u.onTime !== undefined && <div class="muted">{t('consoleOverview.extra.onTime', { count: u.onTime, of: u.of, share: pct(locale, u.shareOnTime) })}</div>}
                    </td>
                    <td class="num">{staffText(locale, u)}</td>
                    {id !== 'unitsReporting' && (
                      <td>
                        <a href={`/admin/targets/${id}/people${spanParams(q, { unit: u.unit.code })}`}>{t('consoleOverview.units.people')}</a>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>
  )
}
type People = Awaited<ReturnType<typeof targetPeople>>

/** A page of the people behind a target in one unit, counted or missing (50 a page). */
export const PEOPLE_PAGE = 50

/** GET /admin/targets/:id/people: who in a unit counts towards a target, and who does not. */
export function TargetPeoplePage(props: { c: Context; id: TargetId; q: SpanQuery; unit: string; state: string | undefined; offset: number; list: People; described: { title: string; definition: string }; rhythm: Rhythm; tz: string }) {
  const { c, q, unit, state, list, described } = props
  const { t } = pageText(c)
  const heading = t('consoleOverview.people.title', { target: described.title, unit: list.unit.name })
  return (
      <Layout c={c} title={heading}>
        <p>
          <a href={`/admin${spanParams(q)}`}>{t('consoleOverview.back')}</a>
        </p>
        <h1>{heading}</h1>
        <p class="muted">{described.definition}</p>
        <form method="get" class="no-print">
          {Object.entries({ ...q, unit }).map(([k, v]) => (v === undefined ? null : <input type="hidden" name={k} value={String(v)} />))}
          <label>
            {t('consoleOverview.people.filter')}
            <select name="state">
              <option value="">{t('consoleOverview.people.all')}</option>
              <option value="missing" selected={state === 'missing'}>
                {t('consoleOverview.people.missing')}
              </option>
              <option value="counted" selected={state === 'counted'}>
                {t('consoleOverview.people.counted')}
              </option>
            </select>
          </label>
          <button type="submit" class="secondary">
            {t('consoleOverview.wards.show')}
          </button>
        </form>
      {list.items.length === 0 ? (
        <p>{t('consoleOverview.people.none')}</p>
      ) : (
        <PeopleTable {...props} t={t} />
      )}
    </Layout>
  )
}

function PeopleTable(props: { c: Context; t: Translate; id: TargetId; q: SpanQuery; unit: string; state: string | undefined; offset: number; list: People; rhythm: Rhythm; tz: string }) {
  const { t, id, q, unit, state, offset, list } = props
  const rhythm = t(`api.rhythm.${props.rhythm}`)
  const link = (extra: Record<string, string | number | undefined>) => `/admin/targets/${id}/people${spanParams(q, { unit, state: state || undefined, ...extra })}`
  const roleNames = (roles: readonly Role[]) => roles.map((r) => t(`consoleOverview.roles.${r}`)).join(', ')
  const periodsCell = (item: Record<string, unknown>): Child => {
    const periods = item.periods as { from: string; reached: boolean }[] | undefined
    if (!periods) return null
    return periods.map((p) => `${dmy(p.from, props.tz).slice(3)}: ${t(p.reached ? 'consoleOverview.people.reached' : 'consoleOverview.people.missed')}`).join(' · ')
  }
  return (
    <>
      <p>{t('consoleOverview.people.page', { first: offset + 1, last: offset + list.items.length, total: list.total })}</p>
      <div class="table-wrap" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('consoleOverview.col.name')}</th>
              <th scope="col">{t('consoleOverview.col.unit')}</th>
              <th scope="col">{t('consoleOverview.col.roles')}</th>
              <th scope="col">{t('consoleOverview.col.counted')}</th>
              {id === 'managersTeachersReached' && <th scope="col">{t('consoleOverview.col.periods', { rhythm })}</th>}
            </tr>
          </thead>
          <tbody>
            {list.items.map((p) => (
              <tr data-person={String(p.personId)} data-counts={String(p.counts)}>
                <th scope="row">{(p.fullName as string | null) ?? t('consoleOverview.people.erased')}</th>
                <td>{(p.unit as { name: string }).name}</td>
                <td>{roleNames(p.roles as Role[])}</td>
                <td>
                  <span class={`badge ${p.counts ? 'met' : 'behind'}`}>{t(p.counts ? 'consoleOverview.people.yes' : 'consoleOverview.people.no')}</span>
                </td>
                {id === 'managersTeachersReached' && <td>{periodsCell(p)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="actions">
        {offset > 0 && <a href={link({ offset: Math.max(0, offset - PEOPLE_PAGE) || undefined })}>{t('consoleOverview.people.prev')}</a>}
        {offset + list.items.length < list.total && <a href={link({ offset: offset + PEOPLE_PAGE })}>{t('consoleOverview.people.next')}</a>}
      </p>
    </>
  )
}
