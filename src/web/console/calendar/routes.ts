import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { calendarBetween, putCalendarDay, removeCalendarDay } from '#src/domain/calendar/days.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { AppError } from '#src/errors.js'
import { dayFromNumber, dayNumber, localDay, parseLocalDay } from '#src/time.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { CalendarPage, type DayForm } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** How long before an unconfirmed holiday (the default Tết block, National Day's second day) the page warns. */
export const WARN_DAYS = 60

const emptyForm: DayForm = { date: '', kind: 'holiday', name: '' }

/** /admin/calendar: the year's days off, swaps and observances; admins add, confirm and remove days. */
export function calendarPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const tz = deps.config.timezone

  const page = async (c: Context, year: number, form: DayForm, error?: string, status: 200 | 422 = 200) => {
    const today = localDay(deps.clock(), tz)
    const days = await calendarBetween(db, `${year}-01-01`, `${year}-12-31`)
    const soon = await calendarBetween(db, today, dayFromNumber(dayNumber(today) + WARN_DAYS))
    const unconfirmed = soon.filter((d) => !d.confirmed && d.kind !== 'observance')
    const canEdit = roleAllows(accountOf(c).role, 'admin')
    return c.html(CalendarPage({ c, year, days, unconfirmed, canEdit, form, error }), status)
  }

  const yearOf = (c: Context, fallback: string) => {
    const asked = Number(c.req.query('year') ?? fallback)
    return Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(fallback)
  }

  app.get('/admin/calendar', (c) => page(c, yearOf(c, localDay(deps.clock(), tz).slice(0, 4)), emptyForm))

  app.post('/admin/calendar', async (c) => {
    const { t } = pageText(c)
    const body = await c.req.parseBody()
    const form: DayForm = { date: String(body.date ?? '').trim(), kind: String(body.kind ?? ''), name: String(body.name ?? '') }
    const date = parseLocalDay(form.date)
    const year = date ? Number(date.slice(0, 4)) : yearOf(c, localDay(deps.clock(), tz).slice(0, 4))
    if (!date) return page(c, year, form, t('calendar.console.badDay', { value: form.date }), 422)
    try {
      await putCalendarDay(db, date, form, deps.clock())
    } catch (err) {
      if (err instanceof AppError) return page(c, year, form, t(err.key, err.params), 422)
      throw err
    }
    return c.redirect(`/admin/calendar?year=${year}&saved=${date}`, 303)
  })

  const act = (action: 'confirm' | 'remove') => async (c: Context) => {
    const date = c.req.param('date') ?? ''
    const [row] = /^\d{4}-\d{2}-\d{2}$/.test(date) ? await calendarBetween(db, date, date) : []
    if (!row) return page(c, yearOf(c, localDay(deps.clock(), tz).slice(0, 4)), emptyForm, pageText(c).t('calendar.errors.noDay', { date }), 422)
    if (action === 'confirm') await putCalendarDay(db, date, { kind: row.kind, name: row.name, confirmed: true }, deps.clock())
    else await removeCalendarDay(db, date, deps.clock())
    return c.redirect(`/admin/calendar?year=${date.slice(0, 4)}&${action === 'confirm' ? 'saved' : 'removed'}=${date}`, 303)
  }
  app.post('/admin/calendar/:date/confirm', act('confirm'))
  app.post('/admin/calendar/:date/remove', act('remove'))

  return app
}
