import type { Context, Hono } from 'hono'
import type { Locale } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { publicResults, publicSheets, scoresCsvRows, scoresTable, showCell, targetsTable, wardsTable, type PublicResults, type PublishedResults, type Table } from '../../domain/criteria/public-results.js'
import type { CriteriaSet } from '../../domain/criteria/set.js'
import { workbook } from '../../domain/spreadsheet.js'
import { AppError } from '../../errors.js'
import { formatDate, type Translate } from '../../i18n.js'
import { csvResponse, xlsxResponse } from '../../http/csv.js'
import { DataTable } from '../console/components/data-table.js'
import { Layout } from '../layout.js'
import { pageText } from '../locale.js'
import type { AppEnv } from '../../http/env.js'

/** /ket-qua/2026, /ket-qua/2026.csv, /ket-qua/2026.xlsx: the year and the download asked for, or null. */
const NAME = /^(\d{4})(?:\.(csv|xlsx))?$/

/** The path of the embeddable block, the one page another site may frame (src/web/pages.ts). */
export const EMBED_PATH = /^\/ket-qua\/\d{4}\/nhung$/

/** `?v=2`: a frozen version; anything else that is not a small whole number finds nothing. */
function versionOf(c: Context, year: number): number | undefined {
  const v = c.req.query('v')
  if (v === undefined) return undefined
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1) throw new AppError('not_found', 'results.noVersion', { year, version: v.slice(0, 20) })
  return Number(v)
}

/**
 * The Department's public results (issue 22): GET /ket-qua/<year> (the plan's targets for the city
 * and per ward; once frozen, each unit's score, band, rank and automatic criteria, the method and
 * the date frozen, `?v=` for an older version), its .csv and .xlsx (the page's tables), and
 * /ket-qua/<year>/nhung, the block the Department's portal frames. No sign-in, no personal data.
 */
export function resultsRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  /** The year's public results, or the not-found that says why there are none (a 404 page). */
  const load = (c: Context, year: number): Promise<PublicResults | AppError> =>
    Promise.resolve()
      .then(() => publicResults(deps.db, year, versionOf(c, year), { rhythm: deps.config.reachRhythm, timeZone: deps.config.timezone, now: deps.clock() }))
      .catch((err: unknown) => (err instanceof AppError && err.code === 'not_found' ? err : Promise.reject(err)))

  app.get('/ket-qua/:name', async (c) => {
    const match = NAME.exec(c.req.param('name'))
    if (!match) return resultsNotFound(c, new AppError('not_found', 'results.notFound', { year: c.req.param('name').slice(0, 20) }))
    const year = Number(match[1])
    const r = await load(c, year)
    if (r instanceof AppError) return resultsNotFound(c, r)
    const { t, locale } = pageText(c)
    const format = match[2]
    if (!format) return c.html(<ResultsPage c={c} r={r} tz={deps.config.timezone} />)
    if (!r.published) return resultsNotFound(c, new AppError('not_found', 'results.notPublished', { year }))
    const file = `ket-qua-${year}-v${r.published.version}`
    if (format === 'csv') return csvResponse(c, `${file}.csv`, scoresCsvRows(r.published, t, locale))
    return xlsxResponse(c, `${file}.xlsx`, await workbook(publicSheets(r, r.published, t, locale)))
  })

  app.get('/ket-qua/:year/nhung', async (c) => {
    const param = c.req.param('year')
    const r = /^\d{4}$/.test(param) ? await load(c, Number(param)) : new AppError('not_found', 'results.notFound', { year: param.slice(0, 20) })
    if (r instanceof AppError) return resultsNotFound(c, r)
    return c.html(<EmbedBlock c={c} r={r} tz={deps.config.timezone} />)
  })
}

/** The 404 page of the results: what was not found (the year, the version, or scores not published yet), in the reader's language. */
function resultsNotFound(c: Context, why: AppError) {
  const { t } = pageText(c)
  return c.html(
    <Layout c={c} title={t('results.notFoundTitle')} phone>
      <h1>{t('results.notFoundTitle')}</h1>
      <p class="notice warn" role="alert">
        {t(why.key, why.params)}
      </p>
    </Layout>,
    404,
  )
}

/** A table of figures: each cell as showCell writes it (the CSV holds the same text); `rowHeader`: the column naming the row. */
function FigureTable(props: { table: Table; locale: Locale; rowHeader: number; id: string; numeric: (i: number) => boolean }) {
  const { table, locale } = props
  return (
    <DataTable
      rows={table.rows}
      tableAttributes={{ id: props.id }}
      columns={table.head.map((head, i) => ({ head, rowHeader: i === props.rowHeader, num: props.numeric(i), cell: (row: Table['rows'][number]) => showCell(row[i] ?? null, locale) }))}
    />
  )
}

const SCORE_TEXT_COLUMNS = new Set([1, 2, 3, 7])

function ResultsPage({ c, r, tz }: { c: Context; r: PublicResults; tz: string }) {
  const { t, locale } = pageText(c)
  const title = t('results.title', { year: r.year })
  return (
    <Layout c={c} title={title} phone>
      <h1>{title}</h1>
      <p>{t('results.intro', { year: r.year })}</p>
      <section aria-labelledby="chi-tieu">
        <h2 id="chi-tieu">{t('results.targetsTitle')}</h2>
        <p class="muted">{t(r.targetsFrozen ? 'results.targetsFrozen' : 'results.targetsAsOf', { date: formatDate(r.asOf, tz) })}</p>
        <h3>{t('results.targetsCity')}</h3>
        <FigureTable table={targetsTable(r, t, locale)} locale={locale} rowHeader={0} id="chi-tieu-thanh-pho" numeric={(i) => i === 2 || i === 3} />
        <h3>{t('results.wardsTitle')}</h3>
        <FigureTable table={wardsTable(r, t)} locale={locale} rowHeader={0} id="chi-tieu-phuong-xa" numeric={(i) => i > 0} />
      </section>
      <section aria-labelledby="danh-gia">
        <h2 id="danh-gia">{t('results.scoresTitle')}</h2>
        {r.published ? <Scores c={c} r={r} p={r.published} tz={tz} /> : <p class="notice warn" data-state="unpublished">{t('results.notPublished', { year: r.year })}</p>}
      </section>
    </Layout>
  )
}

function Scores({ c, r, p, tz }: { c: Context; r: PublicResults; p: PublishedResults; tz: string }) {
  const { t, locale } = pageText(c)
  const query = p.version === p.latest ? '' : `?v=${p.version}`
  return (
    <>
      <p data-version={p.version}>{t('results.frozen', { version: p.version, date: formatDate(p.frozenAt, tz) })}</p>
      {p.note && <p>{t('results.frozenNote', { note: p.note })}</p>}
      {p.versions.length > 1 && (
        <p>
          {t('results.otherVersions')}{' '}
          {p.versions.map((v, i) => (
            <>
              {i > 0 && ' · '}
              {v === p.version ? (
                <strong>{t('results.versionLink', { version: v })}</strong>
              ) : (
                <a href={v === p.latest ? `/ket-qua/${r.year}` : `/ket-qua/${r.year}?v=${v}`}>{t('results.versionLink', { version: v })}</a>
              )}
              {v === p.latest && ` (${t('results.latest')})`}
            </>
          ))}
        </p>
      )}
      <p class="actions">
        <a class="button secondary" href={`/ket-qua/${r.year}.csv${query}`} download>
          {t('results.downloadCsv')}
        </a>{' '}
        <a class="button secondary" href={`/ket-qua/${r.year}.xlsx${query}`} download>
          {t('results.downloadXlsx')}
        </a>
      </p>
      <FigureTable table={scoresTable(p, t)} locale={locale} rowHeader={2} id="ket-qua" numeric={(i) => !SCORE_TEXT_COLUMNS.has(i)} />
      <Method t={t} locale={locale} set={p.set} />
    </>
  )
}

/** The method in words, from the set itself: each group and criterion with its points, weight, how it is scored and for whom; the bands. */
function Method({ t, locale, set }: { t: Translate; locale: Locale; set: CriteriaSet }) {
  return (
    <section aria-labelledby="cach-tinh">
      <h3 id="cach-tinh">{t('results.methodTitle')}</h3>
      <p>{t('results.methodIntro')}</p>
      <p>{t('results.methodColumns')}</p>
      {set.groups.map((g) => (
        <>
          <h4>{t('results.groupLine', { code: g.code, title: g.title })}</h4>
          <ul>
            {g.criteria.map((k) => (
              <li>
                {t('results.criterionLine', {
                  code: k.code,
                  title: k.title,
                  max: showCell(k.maxPoints, locale),
                  weight: k.weight === 1 ? '' : t('results.weight', { weight: showCell(k.weight, locale) }),
                  how: k.metric ? t('results.automatic', { metric: t(`results.metrics.${k.metric}`) }) : t('results.manual'),
                  applies: k.appliesTo.length ? t('results.appliesTo', { kinds: k.appliesTo.map((kind) => t(`consolePeriods.unitKinds.${kind}`)).join(', ') }) : '',
                })}
              </li>
            ))}
          </ul>
        </>
      ))}
      {set.bands.length ? (
        <>
          <p>{t('results.bandsTitle')}</p>
          <ul>
            {[...set.bands]
              .sort((a, b) => b.minPercent - a.minPercent)
              .map((b) => (
                <li>{t('results.bandLine', { name: b.name, percent: `${showCell(b.minPercent, locale)} %` })}</li>
              ))}
          </ul>
        </>
      ) : (
        <p>{t('results.noBands')}</p>
      )}
    </section>
  )
}

/** The scores table's rank, unit, percent and band columns. */
function compactTable(p: PublishedResults, t: Translate): Table {
  const full = scoresTable(p, t)
  const keep = [0, 2, 6, 7]
  return { head: keep.map((i) => full.head[i]!), rows: full.rows.map((row) => keep.map((i) => row[i] ?? null)) }
}

/** The block the portal frames: the ranking (rank, unit, percent, band) or the "not published" line, and the way to the full page. */
function EmbedBlock({ c, r, tz }: { c: Context; r: PublicResults; tz: string }) {
  const { t, locale } = pageText(c)
  const title = t('results.embedTitle', { year: r.year })
  const p = r.published
  return (
    <Layout c={c} title={title} bare>
      <h2>{title}</h2>
      {p ? (
        <>
          <p>{t('results.frozen', { version: p.version, date: formatDate(p.frozenAt, tz) })}</p>
          <FigureTable table={compactTable(p, t)} locale={locale} rowHeader={1} id="ket-qua-nhung" numeric={(i) => i === 0 || i === 2} />
        </>
      ) : (
        <p data-state="unpublished">{t('results.notPublished', { year: r.year })}</p>
      )}
      <p>
        <a href={`/ket-qua/${r.year}`} target="_blank" rel="noopener">
          {t('results.fullPage')}
        </a>
      </p>
    </Layout>
  )
}
