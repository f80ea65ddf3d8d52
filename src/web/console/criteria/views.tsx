import type { Context } from 'hono'
import type { CriteriaSetRow } from '#db/schema/index.js'
import type { Criterion, CriteriaSet } from '#src/domain/criteria/set.js'
import type { UnitResult, YearResults } from '#src/domain/criteria/workflow.js'
import { formatDateTime, formatPercent } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { DataTable } from '../components/data-table.js'
import { ListPage } from '../components/list-page.js'

export interface SelfForm {
  criterion: string
  points: string
  note: string
  evidence: string
}

interface SetSummary {
  year: number
  status: CriteriaSetRow['status']
  set: CriteriaSet
  versions: number
}

/** /admin/criteria: each year's set, its status, size and how many times its results were frozen. */
export function CriteriaListPage(props: { c: Context; sets: readonly SetSummary[] }) {
  const { c } = props
  const { t } = pageText(c)
  return (
    <ListPage c={c} title={t('criteria.title')} empty={props.sets.length === 0} emptyText={t('criteria.none')} emptyClass="muted">
      <DataTable
        rows={props.sets}
        columns={[
          { head: t('criteria.year'), rowHeader: true, cell: (s) => <a href={`/admin/criteria/${s.year}`}>{s.year}</a> },
          { head: t('criteria.state'), cell: (s) => t(`criteria.status.${s.status}`) },
          { head: t('criteria.groups'), num: true, cell: (s) => s.set.groups.length },
          { head: t('criteria.criteriaCount'), num: true, cell: (s) => s.set.groups.reduce((n, g) => n + g.criteria.length, 0) },
          { head: t('criteria.versions'), num: true, cell: (s) => s.versions },
        ]}
      />
    </ListPage>
  )
}

interface YearPageProps {
  c: Context
  row: CriteriaSetRow
  results: YearResults
  tz: string
  /** The public page's address (undefined: no public address) and, for an admin, the origins that may frame its block. */
  publicPage: { base: string | undefined; origins: readonly string[] | undefined }
  /** The self-assessment form, for an account whose unit has manual criteria in a published set. */
  self?: { unit: UnitResult['unit']; criteria: readonly Criterion[]; form: SelfForm; error?: string }
}

/** /admin/criteria/:year: every unit's points, maximum, percent, band and rank; the .xlsx when frozen; the self-assessment form. */
export function CriteriaYearPage(props: YearPageProps) {
  const { c, row, results, tz } = props
  const { t, locale } = pageText(c)
  const title = t('criteria.resultsTitle', { year: row.year })
  const saved = c.req.query('saved')
  return (
    <Layout c={c} title={title}>
      <h1>{title}</h1>
      {saved && (
        <p class="notice ok" role="status">
          {t('criteria.selfSaved', { code: saved })}
        </p>
      )}
      <p data-state={row.status}>
        {t(`criteria.status.${row.status}`)}.{' '}
        {results.version === null
          ? t('criteria.live')
          : t('criteria.frozenAt', { version: results.version, at: formatDateTime(new Date(results.frozenAt!), tz), note: results.note ?? '' })}
      </p>
      {results.version !== null && (
        <p class="actions no-print">
          <a class="button secondary" href={`/admin/criteria/${row.year}/results.xlsx`} download>
            {t('criteria.xlsx')}
          </a>
        </p>
      )}
      <DataTable
        rows={results.units}
        rowAttributes={(u) => ({ 'data-unit': u.unit.code })}
        columns={[
          { head: t('criteria.unit'), rowHeader: true, cell: (u) => u.unit.name },
          { head: t('criteria.kind'), cell: (u) => t(`consolePeriods.unitKinds.${u.unit.kind}`) },
          { head: t('criteria.total'), num: true, cell: (u) => u.total },
          { head: t('criteria.max'), num: true, cell: (u) => u.max },
          { head: t('criteria.ratio'), num: true, cell: (u) => formatPercent(u.percent === null ? null : u.percent / 100, locale) },
          { head: t('criteria.band'), cell: (u) => u.band ?? '—' },
          { head: t('criteria.rank'), num: true, cell: (u) => u.rank ?? '—' },
        ]}
      />
      {props.self && <SelfAssessmentForm c={c} year={row.year} {...props.self} />}
      <PublicPageCard c={c} year={row.year} {...props.publicPage} />
    </Layout>
  )
}

function SelfAssessmentForm(props: { c: Context; year: number; unit: UnitResult['unit']; criteria: readonly Criterion[]; form: SelfForm; error?: string }) {
  const { c, form } = props
  const { t } = pageText(c)
  return (
    <section class="card" aria-labelledby="self">
      <h2 id="self">{t('criteria.selfTitle', { unit: props.unit.name })}</h2>
      <form method="post" action={`/admin/criteria/${props.year}/self`} class="stack">
        <CsrfField c={c} />
        {props.error && (
          <p class="notice error" role="alert">
            {props.error}
          </p>
        )}
        <div>
          <label for="criterion">{t('criteria.selfCriterion')}</label>
          <select id="criterion" name="criterion" required>
            {props.criteria.map((k) => (
              <option value={k.code} selected={form.criterion === k.code}>
                {`${k.code}. ${k.title} (${k.maxPoints})`}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="points">{t('criteria.points')}</label>
          <input id="points" name="points" type="text" inputmode="decimal" required value={form.points} />
        </div>
        <div>
          <label for="evidence">{t('criteria.selfEvidence')}</label>
          <textarea id="evidence" name="evidence" rows={3}>
            {form.evidence}
          </textarea>
        </div>
        <div>
          <label for="note">{t('criteria.selfNote')}</label>
          <textarea id="note" name="note" rows={2} maxlength={2000}>
            {form.note}
          </textarea>
        </div>
        <button type="submit">{t('criteria.selfSubmit')}</button>
      </form>
    </section>
  )
}

/**
 * Where the year's results are public (/ket-qua/<year>) and the block the Department's portal
 * frames, with the snippet to copy; an admin is told which origins may frame it (EMBED_ORIGINS),
 * or that none may yet.
 */
function PublicPageCard(props: { c: Context; year: number; base: string | undefined; origins: readonly string[] | undefined }) {
  const { t } = pageText(props.c)
  const path = `/ket-qua/${props.year}`
  const url = `${props.base ?? ''}${path}`
  const snippet = `<iframe src="${url}/nhung" title="${t('results.embedTitle', { year: props.year })}" width="100%" height="600" loading="lazy"></iframe>`
  return (
    <section class="card" aria-labelledby="public-page">
      <h2 id="public-page">{t('results.console.title')}</h2>
      <p>
        {t('results.console.link', { year: props.year })} <a href={url}>{url}</a>
      </p>
      {!props.base && <p class="muted">{t('results.console.noBase')}</p>}
      <p>{t('results.console.embedHelp')}</p>
      <pre class="snippet">
        <code>{snippet}</code>
      </pre>
      {props.origins && (
        <p class={props.origins.length ? undefined : 'notice warn'} data-embed-origins={props.origins.length}>
          {props.origins.length ? t('results.console.embedOrigins', { origins: props.origins.join(', ') }) : t('results.console.noEmbedOrigins')}
        </p>
      )}
    </section>
  )
}
