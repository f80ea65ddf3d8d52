import type { Context } from 'hono'
import type { CalendarDayRow } from '#db/schema/index.js'
import { calendarDayKinds } from '#src/domain/calendar/days.js'
import { showLocalDay } from '#src/time.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import { DataTable } from '../components/data-table.js'
import { ListPage } from '../components/list-page.js'

export interface DayForm {
  /** dd/mm/yyyy as typed. */
  date: string
  kind: string
  name: string
}

interface CalendarPageProps {
  c: Context
  year: number
  days: readonly CalendarDayRow[]
  /** Unconfirmed days off in the next 60 days: the page warns. */
  unconfirmed: readonly CalendarDayRow[]
  canEdit: boolean
  form: DayForm
  error?: string
}

/** /admin/calendar: the year's days that are not ordinary working days, with the admin's forms. */
export function CalendarPage(props: CalendarPageProps) {
  const { c, year } = props
  const { t } = pageText(c)
  const saved = c.req.query('saved')
  const removed = c.req.query('removed')
  return (
    <ListPage
      c={c}
      title={t('calendar.console.title', { year })}
      empty={props.days.length === 0}
      emptyText={t('calendar.console.none')}
      emptyClass="muted"
      before={
        <>
          <p class="actions">
            <a href={`/admin/calendar?year=${year - 1}`}>{t('calendar.console.previous', { year: year - 1 })}</a>
            <a href={`/admin/calendar?year=${year + 1}`}>{t('calendar.console.next', { year: year + 1 })}</a>
          </p>
          <p class="hint">{t('calendar.console.intro')}</p>
          {props.unconfirmed.length > 0 && (
            <p class="notice warn" role="status" data-unconfirmed>
              {t('calendar.console.unconfirmedSoon', { day: showLocalDay(props.unconfirmed[0]!.date), name: props.unconfirmed[0]!.name, count: props.unconfirmed.length })}
            </p>
          )}
          {saved && (
            <p class="notice ok" role="status">
              {t('calendar.console.saved', { day: showLocalDay(saved) })}
            </p>
          )}
          {removed && (
            <p class="notice ok" role="status">
              {t('calendar.console.removed', { day: showLocalDay(removed) })}
            </p>
          )}
        </>
      }
      after={props.canEdit && <DayFormCard {...props} />}
    >
      <DataTable
        rows={props.days}
        rowAttributes={(d) => ({ 'data-date': d.date, 'data-kind': d.kind })}
        columns={[
          { head: t('calendar.console.date'), rowHeader: true, cell: (d) => showLocalDay(d.date) },
          { head: t('calendar.console.kind'), cell: (d) => t(`calendar.kinds.${d.kind}`) },
          { head: t('calendar.console.name'), cell: (d) => d.name },
          { head: t('calendar.console.source'), cell: (d) => t(`calendar.console.sources.${d.source}`) },
          {
            head: t('calendar.console.confirmed'),
            cell: (d) => (d.confirmed ? t('calendar.console.yes') : <span class="badge close">{t('calendar.console.notConfirmed')}</span>),
          },
          ...(props.canEdit ? [{ head: t('calendar.console.actions'), cell: (d: CalendarDayRow) => <RowActions c={c} day={d} /> }] : []),
        ]}
      />
    </ListPage>
  )
}

function RowActions({ c, day }: { c: Context; day: CalendarDayRow }) {
  const { t } = pageText(c)
  return (
    <span class="actions">
      {!day.confirmed && (
        <form method="post" action={`/admin/calendar/${day.date}/confirm`}>
          <CsrfField c={c} />
          <button type="submit">{t('calendar.console.confirm')}</button>
        </form>
      )}
      <form method="post" action={`/admin/calendar/${day.date}/remove`}>
        <CsrfField c={c} />
        <button type="submit" class="secondary">
          {t('calendar.console.remove')}
        </button>
      </form>
    </span>
  )
}

function DayFormCard({ c, form, error }: CalendarPageProps) {
  const { t } = pageText(c)
  return (
    <section class="card" aria-labelledby="add-day">
      <h2 id="add-day">{t('calendar.console.add')}</h2>
      <p class="hint">{t('calendar.console.addHint')}</p>
      <form method="post" action="/admin/calendar" class="stack">
        <CsrfField c={c} />
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        <div>
          <label for="date">{t('calendar.console.date')}</label>
          <input id="date" name="date" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" required value={form.date} />
        </div>
        <div>
          <label for="kind">{t('calendar.console.kind')}</label>
          <select id="kind" name="kind">
            {calendarDayKinds.map((k) => (
              <option value={k} selected={form.kind === k}>
                {t(`calendar.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="name">{t('calendar.console.name')}</label>
          <input id="name" name="name" type="text" required maxlength={200} value={form.name} />
        </div>
        <button type="submit">{t('calendar.console.save')}</button>
      </form>
    </section>
  )
}
