import type { Context } from 'hono'
import type { DuePeriod } from '#src/domain/reporting/periods.js'
import type { ChannelName } from '#src/core/events.js'
import { unitKinds } from '#src/domain/directory/units.js'
import type { ReminderPreviewItem } from '#src/domain/reporting/preview.js'
import type { PeriodStatus } from '#src/domain/reporting/status.js'
import { overdueFirst } from '#src/domain/reporting/table.js'
import { formatDate, formatDateTime } from '#src/i18n.js'
import { showLocalDay } from '#src/time.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { DataTable } from '../components/data-table.js'
import { ListPage } from '../components/list-page.js'
import type { PeriodForm } from './form.js'

type PeriodTotals = PeriodStatus['totals']

/** /admin/periods: each period with its deadline and how many units reported; admins get the create form below. */
export function PeriodListPage(props: { c: Context; rows: readonly { p: DuePeriod; totals: PeriodTotals }[]; tz: string; canCreate: boolean; form: PeriodForm; error?: string }) {
  const { c, tz } = props
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consolePeriods.title')}
      empty={props.rows.length === 0}
      emptyText={t('consolePeriods.none')}
      emptyClass="muted"
      after={props.canCreate && <CreateForm c={c} form={props.form} error={props.error} />}
    >
      <DataTable
        rows={props.rows}
        columns={[
          { head: t('consolePeriods.name'), rowHeader: true, cell: ({ p }) => <a href={`/admin/periods/${p.id}`}>{p.name}</a> },
          { head: t('consolePeriods.due'), cell: ({ p }) => formatDateTime(p.setDueAt, tz) },
          {
            head: t('consolePeriods.effectiveDue'),
            cell: ({ p }) =>
              p.dueAt.getTime() === p.setDueAt.getTime() ? (
                t('consolePeriods.sameDue')
              ) : (
                <span data-effective-due={p.id}>{formatDateTime(p.dueAt, tz)}</span>
              ),
          },
          { head: t('consolePeriods.progress'), num: true, cell: ({ totals }) => <>{totals.submitted}/{totals.units}</> },
        ]}
      />
    </ListPage>
  )
}

interface PeriodPageProps {
  c: Context
  /** With the deadline in force (`dueAt`) and the one set (`setDueAt`). */
  period: DuePeriod
  status: PeriodStatus
  tz: string
  /** The reminder preview's day as asked (dd/mm/yyyy), the day it was read as (null when unreadable), and who that day reminds. */
  asked: string | undefined
  day: string | null
  preview: ReminderPreviewItem[] | null
}

/** /admin/periods/:id: deadline, totals, downloads, every unit's state (overdue first), and who a day's reminders reach. */
export function PeriodPage(props: PeriodPageProps) {
  const { c, period, tz } = props
  const { t } = pageText(c)
  const { totals } = props.status
  return (
    <Layout c={c} title={period.name}>
      <h1>{period.name}</h1>
      {c.req.query('created') === '1' && (
        <p class="notice ok" role="status">
          {t('consolePeriods.created', { name: period.name, units: totals.units })}
        </p>
      )}
      <dl class="facts card">
        <dt>{t('consolePeriods.due')}</dt>
        <dd>{formatDateTime(period.setDueAt, tz)}</dd>
        {period.dueAt.getTime() !== period.setDueAt.getTime() && (
          <>
            <dt>{t('consolePeriods.effectiveDue')}</dt>
            <dd data-effective-due>{t('consolePeriods.effectiveDueText', { date: formatDateTime(period.dueAt, tz) })}</dd>
          </>
        )}
        <dt>{t('consolePeriods.closes')}</dt>
        <dd>{formatDate(period.closesAt, tz)}</dd>
      </dl>
      <p data-totals>
        {t('consolePeriods.totals', { submitted: totals.submitted, units: totals.units, late: totals.late, missing: totals.missing, noFocal: totals.noLinkedFocalPoint })}
      </p>
      <p class="actions no-print">
        <a class="button secondary" href={`/admin/periods/${period.id}/download/csv`} download>
          {t('consolePeriods.downloadCsv')}
        </a>
        <a class="button secondary" href={`/admin/periods/${period.id}/download/xlsx`} download>
          {t('consolePeriods.downloadXlsx')}
        </a>
      </p>
      <h2 id="status">{t('consolePeriods.statusTitle')}</h2>
      <UnitStates {...props} />
      <ReminderPreview {...props} />
    </Layout>
  )
}

const badge = (state: string) => (state === 'on_time' ? 'met' : state === 'late' ? 'close' : 'behind')

function UnitStates({ c, status, tz }: PeriodPageProps) {
  const { t } = pageText(c)
  return (
    <DataTable
      labelledBy="status"
      rows={overdueFirst(status.units)}
      rowAttributes={(u) => ({ 'data-unit': u.unit.code, 'data-state': u.state })}
      columns={[
        { head: t('consolePeriods.unit'), rowHeader: true, cell: (u) => u.unit.name },
        { head: t('consolePeriods.state'), cell: (u) => <span class={`badge ${badge(u.state)}`}>{t(`report.status.${u.state}`)}</span> },
        { head: t('consolePeriods.submittedAt'), cell: (u) => (u.report ? formatDateTime(u.report.submittedAt, tz) : '—') },
        {
          head: t('consolePeriods.focal'),
          cell: (u) =>
            u.focalPoints.length === 0
              ? t('consolePeriods.noFocal')
              : u.focalPoints.map((f) => `${f.fullName}${f.chat ? '' : ` ${t('consolePeriods.notLinked')}`}`).join(', '),
        },
      ]}
    />
  )
}

function ReminderPreview({ c, period, asked, day, preview }: PeriodPageProps) {
  const { t } = pageText(c)
  return (
    <section class="card no-print" aria-labelledby="preview">
      <h2 id="preview">{t('consolePeriods.previewTitle')}</h2>
      <p class="hint">{t('consolePeriods.previewHint')}</p>
      <form method="get" action={`/admin/periods/${period.id}`} class="actions">
        <label for="day">{t('consolePeriods.previewDay')}</label>
        <input id="day" name="day" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" value={day ? showLocalDay(day) : asked} />
        <button type="submit">{t('consolePeriods.previewSubmit')}</button>
      </form>
      {!day && (
        <p class="notice error" role="alert">
          {t('consolePeriods.badDay', { value: asked ?? '' })}
        </p>
      )}
      {day && preview && (
        <div role="status">
          <p>
            {preview.length === 0
              ? t('consolePeriods.previewNone', { day: showLocalDay(day) })
              : t('consolePeriods.previewCount', { day: showLocalDay(day), count: preview.length })}
          </p>
          {preview.length > 0 && (
            <DataTable
              rows={preview}
              tableAttributes={{ 'data-preview': true }}
              columns={[
                { head: t('consolePeriods.person'), cell: (p) => p.fullName },
                { head: t('consolePeriods.unit'), cell: (p) => p.unitName ?? '—' },
                { head: t('consolePeriods.kind'), cell: (p) => t(`consolePeriods.kindNames.${p.kind}`) },
                { head: t('consolePeriods.channel'), cell: (p) => (p.channel ? t(`channel.${p.channel as ChannelName}`) : '—') },
              ]}
            />
          )}
        </div>
      )}
    </section>
  )
}

function CreateForm(props: { c: Context; form: PeriodForm; error?: string }) {
  const { c, form } = props
  const { t } = pageText(c)
  return (
    <section class="card" aria-labelledby="create">
      <h2 id="create">{t('consolePeriods.create')}</h2>
      <form method="post" action="/admin/periods" class="stack">
        <CsrfField c={c} />
        {props.error && (
          <p class="notice error" role="alert">
            {props.error}
          </p>
        )}
        <div>
          <label for="name">{t('consolePeriods.name')}</label>
          <input id="name" name="name" type="text" required maxlength={200} value={form.name} aria-describedby="name-hint" />
          <p id="name-hint" class="hint">
            {t('consolePeriods.nameHint')}
          </p>
        </div>
        <div>
          <label for="due">{t('consolePeriods.due')}</label>
          <input id="due" name="due" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" required value={form.due} aria-describedby="due-hint" />
          <p id="due-hint" class="hint">
            {t('consolePeriods.dueHint')}
          </p>
        </div>
        <div>
          <label for="closes">{t('consolePeriods.closes')}</label>
          <input id="closes" name="closes" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" value={form.closes} aria-describedby="closes-hint" />
          <p id="closes-hint" class="hint">
            {t('consolePeriods.closesHint')}
          </p>
        </div>
        <fieldset>
          <legend>{t('consolePeriods.kinds')}</legend>
          <p class="hint">{t('consolePeriods.kindsHint')}</p>
          {unitKinds.map((k) => (
            <label>
              <input type="checkbox" name="kinds" value={k} checked={form.kinds.includes(k)} /> {t(`consolePeriods.unitKinds.${k}`)}
            </label>
          ))}
        </fieldset>
        <div>
          <label for="codes">{t('consolePeriods.codes')}</label>
          <input id="codes" name="codes" type="text" value={form.codes} />
          <label>
            <input type="checkbox" name="subunits" value="1" checked={form.subunits} /> {t('consolePeriods.subunits')}
          </label>
        </div>
        <div class="actions">
          <button type="submit">{t('consolePeriods.submit')}</button>
        </div>
      </form>
    </section>
  )
}
