import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** What a calendar day is: a day off (`holiday`, `observed`, `swap_off`), a Saturday or Sunday worked (`swap_work`), or a commemoration that is no day off (`observance`). */
export const calendarDayKinds = ['holiday', 'observed', 'swap_off', 'swap_work', 'observance'] as const
export type CalendarDayKind = (typeof calendarDayKinds)[number]

/**
 * The working-day calendar: every day that is not an ordinary working day, plain weekends aside
 * (src/domain/calendar/). `rule` rows are made by the refill job from the Labour Code's holidays and
 * the sector's days; an admin's change makes the row `admin` and the refill never touches it again,
 * an admin's removal included (`removed`: kept so the rule does not put the day back).
 */
export const calendarDays = sqliteTable(
  'calendar_days',
  {
    /** yyyy-mm-dd, a local day in APP_TIMEZONE. */
    date: text('date').primaryKey(),
    kind: text('kind', { enum: calendarDayKinds }).notNull(),
    name: text('name').notNull(),
    source: text('source', { enum: ['rule', 'admin'] }).notNull(),
    /** False for rule defaults the Government sets each year (the Tết block, National Day's second day) until an admin confirms. */
    confirmed: integer('confirmed', { mode: 'boolean' }).notNull(),
    removed: integer('removed', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [index('calendar_days_kind_idx').on(t.kind, t.date)],
)

export type CalendarDayRow = typeof calendarDays.$inferSelect
