import type { Context } from 'hono'
import { claimStatuses, type ClaimStatus } from '#src/domain/misinformation/states.js'
import { MAX_CORRECTION_TEXT, MAX_REPORT_TEXT, transitionInputSchema } from '#src/domain/misinformation/schemas.js'
import type { AgencyView, ClaimDetail, ClaimView, ClockFigures, DeskFigures, DeskStats, ReportView } from '#src/domain/misinformation/views.js'
import { clockNames, type ClaimClocks, type ClockSoFar } from '#src/domain/misinformation/sheet.js'
import { formatDateTime, formatHours, type Translate } from '#src/i18n.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import { DataTable, type Column } from '../components/data-table.js'
import { ListPage } from '../components/list-page.js'
import { FormNotice } from '../components/status-tabs.js'

/** The risk levels, as the schema lists them. */
const claimRisks = transitionInputSchema.shape.risk.unwrap().options

export type Notice = { kind: 'ok' | 'error' | 'warn'; text: string }

function clockText(t: Translate, locale: 'vi' | 'en', v: ClockSoFar): string {
  if (v === null) return t('consoleMisinfo.notStarted')
  if (!('hours' in v)) return t('consoleMisinfo.stopped')
  return t(v.running ? 'consoleMisinfo.running' : 'consoleMisinfo.hoursDone', { hours: formatHours(v.hours, locale) })
}

function ClockList({ t, locale, clocks }: { t: Translate; locale: 'vi' | 'en'; clocks: ClaimClocks }) {
  return (
    <dl class="clocks">
      {clockNames.map((name) => {
        const v = clocks[name]
        return (
          <>
            <dt>{t(`consoleMisinfo.clocks.${name}`)}</dt>
            <dd data-clock={name}>{clockText(t, locale, v)}</dd>
          </>
        )
      })}
    </dl>
  )
}

/** The clocks on one line (a claim's card on the desk): "Tiếp nhận: 1,5 giờ · Chuyển cơ quan: …". */
function ClockLine({ t, locale, clocks }: { t: Translate; locale: 'vi' | 'en'; clocks: ClaimClocks }) {
  const text = clockNames
    .map((name) => {
      const v = clocks[name]
      const value = clockText(t, locale, v)
      return `${t(`consoleMisinfo.clocks.${name}`)}: ${value}`
    })
    .join(' · ')
  return (
    <p class="hint" data-clocks>
      {t('consoleMisinfo.clocksTitle')}: {text}
    </p>
  )
}

interface DeskProps {
  c: Context
  claims: readonly ClaimView[]
  reports: readonly ReportView[]
  clocks: ReadonlyMap<number, ClaimClocks>
  agencies: readonly AgencyView[]
  status: ClaimStatus | undefined
  agencyId: number | undefined
  canEdit: boolean
  stats: DeskStats | null
  notice?: Notice
  form?: { text: string; links: string }
  tz: string
}

/** /admin/misinformation: the claims (newest first) with their codes, counts, state, agency and clocks; filters; an admin's own entry. */
export function DeskPage(p: DeskProps) {
  const { c } = p
  const { t, locale } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleMisinfo.title')}
      before={
        <>
          <p class="hint">{t('consoleMisinfo.intro')}</p>
          <FormNotice notice={p.notice} />
          <p>
            <a href="/admin/misinformation/stats">{t('consoleMisinfo.stats.link')}</a> · <a href="/admin/agencies">{t('consoleMisinfo.stats.agencies')}</a>
          </p>
          <form method="get" action="/admin/misinformation" class="filters">
            <div>
              <label for="f-status">{t('consoleMisinfo.status')}</label>
              <select id="f-status" name="status">
                <option value="">{t('consoleMisinfo.anyStatus')}</option>
                {claimStatuses.map((s) => (
                  <option value={s} selected={s === p.status}>
                    {t(`consoleMisinfo.statuses.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="f-agency">{t('consoleMisinfo.agency')}</label>
              <select id="f-agency" name="agency">
                <option value="">{t('consoleMisinfo.anyAgency')}</option>
                {p.agencies.map((a) => (
                  <option value={String(a.id)} selected={a.id === p.agencyId}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="secondary">
              {t('consoleMisinfo.filter')}
            </button>
          </form>
        </>
      }
      empty={p.claims.length === 0}
      emptyText={t('consoleMisinfo.none')}
      emptyClass="muted"
      after={
        <>
          {p.stats && <StatsTable c={c} stats={p.stats} id="desk-clocks" />}
          {p.canEdit && <AddReportForm c={c} form={p.form} />}
        </>
      }
    >
      <>
        {p.claims.map((claim) => {
          const codes = p.reports.filter((r) => r.claimId === claim.id).map((r) => r.code)
          return (
            <article class="card" data-claim={claim.id} data-status={claim.status} aria-labelledby={`claim${claim.id}`}>
              <h2 id={`claim${claim.id}`}>
                <a href={`/admin/misinformation/${claim.id}`}>{t('consoleMisinfo.open', { id: claim.id })}</a> · {t(`consoleMisinfo.statuses.${claim.status}`)}
              </h2>
              <blockquote>{claim.summary || claim.links[0] || ''}</blockquote>
              <dl>
                <dt>{t('consoleMisinfo.codes')}</dt>
                <dd data-codes>{codes.join(', ')}</dd>
                <dt>{t('consoleMisinfo.reportCount')}</dt>
                <dd data-report-count={claim.reportCount}>{claim.reportCount}</dd>
                <dt>{t('consoleMisinfo.agency')}</dt>
                <dd data-agency>{claim.agency?.name ?? t('consoleMisinfo.noAgency')}</dd>
              </dl>
              <p class="hint">{t('consoleMisinfo.receivedAt', { at: formatDateTime(new Date(claim.receivedAt), p.tz) })}</p>
              {p.clocks.get(claim.id) && <ClockLine t={t} locale={locale} clocks={p.clocks.get(claim.id)!} />}
            </article>
          )
        })}
      </>
    </ListPage>
  )
}

function AddReportForm({ c, form }: { c: Context; form?: { text: string; links: string } }) {
  const { t } = pageText(c)
  return (
    <section aria-labelledby="add-report">
      <h2 id="add-report">{t('consoleMisinfo.add.title')}</h2>
      <p class="hint">{t('consoleMisinfo.add.hint')}</p>
      <form method="post" action="/admin/misinformation" class="stack">
        <CsrfField c={c} />
        <div>
          <label for="report-text">{t('consoleMisinfo.add.text')}</label>
          <textarea id="report-text" name="text" maxlength={MAX_REPORT_TEXT}>
            {form?.text ?? ''}
          </textarea>
        </div>
        <div>
          <label for="report-links">{t('consoleMisinfo.add.links')}</label>
          <textarea id="report-links" name="links" rows={3}>
            {form?.links ?? ''}
          </textarea>
        </div>
        <div class="actions">
          <button type="submit">{t('consoleMisinfo.add.submit')}</button>
        </div>
      </form>
    </section>
  )
}

type StatsRow = DeskFigures & { label: string; key: string }

/** The clocks' median and P90 per agency (and all), in working hours. */
export function StatsTable({ c, stats, id }: { c: Context; stats: DeskStats; id: string }) {
  const { t, locale } = pageText(c)
  const h = (v: number | null) => (v === null ? '—' : formatHours(v, locale))
  const cell = (f: ClockFigures) => t('consoleMisinfo.stats.cell', { median: h(f.medianWorkingHours), p90: h(f.p90WorkingHours), count: f.count })
  const rows: StatsRow[] = [
    ...stats.agencies.map((a) => ({ ...a, label: a.agency?.name ?? t('consoleMisinfo.stats.unrouted'), key: a.agency ? String(a.agency.id) : 'none' })),
    { ...stats.all, label: t('consoleMisinfo.stats.all'), key: 'all' },
  ]
  const columns: Column<StatsRow>[] = [
    { head: t('consoleMisinfo.stats.agency'), cell: (r) => r.label, rowHeader: true },
    { head: t('consoleMisinfo.stats.claims'), cell: (r) => r.claims, num: true },
    { head: t('consoleMisinfo.stats.reports'), cell: (r) => r.reports, num: true },
    ...clockNames.map((name) => ({
      head: `${t(`consoleMisinfo.clocks.${name}`)}: ${t('consoleMisinfo.stats.median')} / ${t('consoleMisinfo.stats.p90')}`,
      cell: (r: StatsRow) => cell(r[name]),
      num: true,
    })),
  ]
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t('consoleMisinfo.stats.title')}</h2>
      <p class="hint">{t('consoleMisinfo.stats.hint')}</p>
      <DataTable labelledBy={id} columns={columns} rows={rows} rowAttributes={(r) => ({ 'data-agency': r.key })} />
    </section>
  )
}

/** /admin/misinformation/stats: the clocks per agency, over the days asked. */
export function StatsPage({ c, stats, range, notice }: { c: Context; stats: DeskStats; range: { from?: string; to?: string }; notice?: Notice }) {
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleMisinfo.stats.title')}
      before={
        <>
          <p>
            <a href="/admin/misinformation">{t('consoleMisinfo.claim.back')}</a>
          </p>
          <FormNotice notice={notice} />
          <form method="get" action="/admin/misinformation/stats" class="filters">
            <div>
              <label for="stats-from">{t('consoleMisinfo.stats.from')}</label>
              <input id="stats-from" name="from" type="date" value={range.from ?? ''} />
            </div>
            <div>
              <label for="stats-to">{t('consoleMisinfo.stats.to')}</label>
              <input id="stats-to" name="to" type="date" value={range.to ?? ''} />
            </div>
            <button type="submit" class="secondary">
              {t('consoleMisinfo.filter')}
            </button>
          </form>
        </>
      }
      empty={stats.all.claims === 0}
      emptyText={t('consoleMisinfo.none')}
      emptyClass="muted"
    >
      <StatsTable c={c} stats={stats} id="clocks" />
    </ListPage>
  )
}

interface ClaimProps {
  c: Context
  detail: ClaimDetail
  clocks: ClaimClocks
  agencies: readonly AgencyView[]
  canEdit: boolean
  canSpeak: boolean
  /** Images can be shown (a media store keeps them). */
  images: boolean
  notice?: Notice
  correctionDraft?: string
  tz: string
}

/** /admin/misinformation/:id: the claim, its reports, its audit trail, the moves allowed next and the correction. */
export function ClaimPage(p: ClaimProps) {
  const { c, detail } = p
  const { claim } = detail
  const { t, locale } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleMisinfo.claim.title', { id: claim.id })}
      before={
        <>
          <p>
            <a href="/admin/misinformation">{t('consoleMisinfo.claim.back')}</a>
          </p>
          <FormNotice notice={p.notice} />
          <dl data-claim={claim.id}>
            <dt>{t('consoleMisinfo.status')}</dt>
            <dd data-status={claim.status}>{t(`consoleMisinfo.statuses.${claim.status}`)}</dd>
            <dt>{t('consoleMisinfo.agency')}</dt>
            <dd data-agency>{claim.agency?.name ?? t('consoleMisinfo.noAgency')}</dd>
            <dt>{t('consoleMisinfo.claim.risk')}</dt>
            <dd>{claim.risk ? t(`consoleMisinfo.claim.risks.${claim.risk}`) : t('consoleMisinfo.claim.noRisk')}</dd>
            <dt>{t('consoleMisinfo.reportCount')}</dt>
            <dd data-report-count={claim.reportCount}>{claim.reportCount}</dd>
            <dt>{t('consoleMisinfo.claim.summary')}</dt>
            <dd>{claim.summary}</dd>
          </dl>
          <h2>{t('consoleMisinfo.clocksTitle')}</h2>
          <ClockList t={t} locale={locale} clocks={p.clocks} />
        </>
      }
      empty={false}
      emptyText=""
    >
      <>
        <section aria-labelledby="reports">
          <h2 id="reports">{t('consoleMisinfo.claim.reportsTitle', { count: detail.reports.length })}</h2>
          {detail.reports.map((r) => (
            <ReportCard c={c} r={r} images={p.images} tz={p.tz} />
          ))}
        </section>
        {p.canEdit ? <MoveForm c={c} claim={claim} agencies={p.agencies} /> : <p class="hint">{t('consoleMisinfo.claim.viewerOnly')}</p>}
        <CorrectionSection {...p} />
        <section aria-labelledby="events">
          <h2 id="events">{t('consoleMisinfo.claim.eventsTitle')}</h2>
          <ol class="events">
            {detail.events.map((e) => (
              <li data-event={e.to}>
                <time datetime={e.at}>{formatDateTime(new Date(e.at), p.tz)}</time>
                {': '}
                {e.from === null
                  ? t('consoleMisinfo.claim.created', { to: t(`consoleMisinfo.statuses.${e.to}`) })
                  : t('consoleMisinfo.claim.moved', { from: t(`consoleMisinfo.statuses.${e.from}`), to: t(`consoleMisinfo.statuses.${e.to}`) })}
                {' · '}
                {t('consoleMisinfo.claim.by', { actor: actorName(t, e.actor), name: e.personName ? ` (${e.personName})` : '' })}
                {e.note && <blockquote>{e.note}</blockquote>}
              </li>
            ))}
          </ol>
        </section>
      </>
    </ListPage>
  )
}

function actorName(t: Translate, actor: string): string {
  return actor === 'admin_token' || actor === 'account' || actor === 'liaison' || actor === 'system' ? t(`consoleMisinfo.claim.actors.${actor}`) : actor
}

function ReportCard({ c, r, images, tz }: { c: Context; r: ReportView; images: boolean; tz: string }) {
  const { t } = pageText(c)
  return (
    <article class="card" data-report={r.code}>
      <h3>{t('consoleMisinfo.claim.reportHead', { code: r.code, channel: t(`consoleMisinfo.claim.channels.${r.channel}`), at: formatDateTime(new Date(r.receivedAt), tz) })}</h3>
      {r.text && <blockquote class="pre">{r.text}</blockquote>}
      {r.links.length > 0 && (
        <>
          <p>{t('consoleMisinfo.claim.links')}:</p>
          <ul data-links>
            {r.links.map((l) => (
              <li>
                <a href={l} rel="noopener noreferrer nofollow" target="_blank">
                  {l}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {r.hasImage && r.imageSha256 && images ? (
        <p>
          <img src={`/admin/media/${r.imageSha256}`} alt={t('consoleMisinfo.claim.image', { code: r.code })} class="report-image" loading="lazy" />
        </p>
      ) : r.hasImage ? (
        <p class="hint">{t('consoleMisinfo.claim.imageElsewhere')}</p>
      ) : null}
      <p class="hint">
        {r.consent ? (r.reporter.name ? t('consoleMisinfo.claim.reporterName', { name: r.reporter.name }) : t('consoleMisinfo.claim.reporterConsent')) : t('consoleMisinfo.claim.reporterHidden')}
      </p>
      {r.contact && <p>{t('consoleMisinfo.claim.contact', { contact: r.contact })}</p>}
      {r.correctionSentAt && <p class="hint">{t('consoleMisinfo.claim.correctionSent', { at: formatDateTime(new Date(r.correctionSentAt), tz) })}</p>}
    </article>
  )
}

function MoveForm({ c, claim, agencies }: { c: Context; claim: ClaimView; agencies: readonly AgencyView[] }) {
  const { t } = pageText(c)
  const active = agencies.filter((a) => a.active)
  return (
    <section aria-labelledby="move">
      <h2 id="move">{t('consoleMisinfo.claim.moveTitle')}</h2>
      {claim.next.length === 0 ? (
        <p class="hint">{t('consoleMisinfo.claim.noMoves')}</p>
      ) : (
        <form method="post" action={`/admin/misinformation/${claim.id}/transition`} class="stack">
          <CsrfField c={c} />
          <div>
            <label for="move-to">{t('consoleMisinfo.claim.to')}</label>
            <select id="move-to" name="to" required>
              {claim.next.map((s) => (
                <option value={s}>{t(`consoleMisinfo.statuses.${s}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="move-agency">{t('consoleMisinfo.claim.agencyField')}</label>
            <select id="move-agency" name="agency">
              <option value="">{t('consoleMisinfo.claim.noAgencyOption')}</option>
              {active.map((a) => (
                <option value={String(a.id)} selected={a.id === claim.agency?.id}>
                  {a.name}
                </option>
              ))}
            </select>
            {active.length === 0 && <p class="hint">{t('consoleMisinfo.claim.noAgencies')}</p>}
          </div>
          <div>
            <label for="move-risk">{t('consoleMisinfo.claim.risk')}</label>
            <select id="move-risk" name="risk">
              <option value="">{t('consoleMisinfo.claim.noAgencyOption')}</option>
              {claimRisks.map((r) => (
                <option value={r} selected={r === claim.risk}>
                  {t(`consoleMisinfo.claim.risks.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="move-note">{t('consoleMisinfo.claim.note')}</label>
            <textarea id="move-note" name="note" maxlength={1000} rows={2} />
          </div>
          <div class="actions">
            <button type="submit">{t('consoleMisinfo.claim.move')}</button>
          </div>
        </form>
      )}
    </section>
  )
}

const correctable: readonly ClaimStatus[] = ['received', 'checking', 'routed', 'answered', 'corrected']

/** The correction: the published one, and the form — enabled only for a spokesperson (others read why not). */
function CorrectionSection(p: ClaimProps) {
  const { c } = p
  const { claim } = p.detail
  const { t } = pageText(c)
  const why = !p.canSpeak
    ? t('consoleMisinfo.claim.notSpokesperson')
    : !correctable.includes(claim.status)
      ? t('consoleMisinfo.claim.notCorrectable', { status: t(`consoleMisinfo.statuses.${claim.status}`) })
      : null
  return (
    <section aria-labelledby="correction">
      <h2 id="correction">{t('consoleMisinfo.claim.correctionTitle')}</h2>
      {claim.correction && (
        <div data-correction>
          <p>
            <strong>{t('consoleMisinfo.claim.current')}:</strong>
          </p>
          <blockquote class="pre">{claim.correction.text}</blockquote>
          {claim.correction.productId !== null && (
            <p>
              <a href={`/admin/library/${claim.correction.productId}`}>{t('consoleMisinfo.claim.product', { id: claim.correction.productId })}</a>
            </p>
          )}
        </div>
      )}
      <p class="hint">{t('consoleMisinfo.claim.correctionHint')}</p>
      {why && (
        <p class="notice warn" id="correction-why" data-why>
          {why}
        </p>
      )}
      <form method="post" action={`/admin/misinformation/${claim.id}/correction`} class="stack">
        <CsrfField c={c} />
        <fieldset disabled={why !== null} aria-describedby={why ? 'correction-why' : undefined}>
          <div>
            <label for="correction-text">{t('consoleMisinfo.claim.correctionText', { max: MAX_CORRECTION_TEXT })}</label>
            <textarea id="correction-text" name="text" required maxlength={MAX_CORRECTION_TEXT} rows={5}>
              {p.correctionDraft ?? claim.correction?.text ?? ''}
            </textarea>
          </div>
          <div class="option">
            <input type="checkbox" id="broadcast-staff" name="staff" value="on" />
            <label for="broadcast-staff">{t('consoleMisinfo.claim.broadcastStaff')}</label>
          </div>
          <div class="option">
            <input type="checkbox" id="broadcast-subscribers" name="subscribers" value="on" />
            <label for="broadcast-subscribers">{t('consoleMisinfo.claim.broadcastSubscribers')}</label>
          </div>
          <div class="actions">
            <button type="submit">{claim.correction ? t('consoleMisinfo.claim.republish') : t('consoleMisinfo.claim.publish')}</button>
          </div>
        </fieldset>
      </form>
    </section>
  )
}

