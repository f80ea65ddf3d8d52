import { Hono } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { calendarBetween, presentDay, putCalendarDay, removeCalendarDay, type DayInput } from '#src/domain/calendar/days.js'
import { AppError } from '#src/errors.js'
import { localDay } from '#src/time.js'
import type { AppEnv } from '../env.js'

/**
 * The working-day calendar: GET /calendar?year= lists the year's days that are not ordinary
 * working days (plain weekends aside); PUT and DELETE /calendar/days/:date set or remove one (admin).
 */
export function calendarRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.get('/calendar', async (c) => {
    const asked = c.req.query('year') ?? localDay(deps.clock(), deps.config.timezone).slice(0, 4)
    const year = /^\d{4}$/.test(asked) ? Number(asked) : NaN
    if (!(year >= 2000 && year <= 2100)) throw new AppError('unprocessable', 'calendar.errors.badYear', { value: asked })
    const days = await calendarBetween(db, `${year}-01-01`, `${year}-12-31`)
    return c.json({ year, days: days.map(presentDay) })
  })

  app.put('/calendar/days/:date', async (c) => {
    let body: DayInput
    try {
      body = (await c.req.json()) as DayInput
    } catch {
      throw new AppError('invalid_input', 'api.errors.invalidJson')
    }
    const day = await putCalendarDay(db, c.req.param('date'), body ?? {}, deps.clock())
    return c.json({ day: presentDay(day) })
  })

  app.delete('/calendar/days/:date', async (c) => {
    const removed = await removeCalendarDay(db, c.req.param('date'), deps.clock())
    return c.json({ removed: presentDay(removed) })
  })

  return app
}
