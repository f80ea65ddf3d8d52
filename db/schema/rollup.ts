import { sql } from 'drizzle-orm'
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * What the plan's targets count, rolled up per person and local calendar year (APP_TIMEZONE), as
 * 12-bit masks (bit m = month m, January = 0): `reached` — a broadcast delivered to them or a
 * briefing attended that month; `briefed` — a brief acknowledged or a briefing attended; `trained` —
 * a training attended. Kept by triggers on the records themselves (db/migrations, reach_rollup), so
 * a row is written in the very statement that records the fact. Counts only, no personal data:
 * an erased person's bits stay, as their records do.
 */
export const reachMonths = sqliteTable(
  'reach_months',
  {
    personId: integer('person_id').notNull(),
    year: integer('year').notNull(),
    reached: integer('reached').notNull().default(0),
    briefed: integer('briefed').notNull().default(0),
    trained: integer('trained').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.personId, t.year] })],
)

/**
 * The local months of the zone the rollup is built for: `start` (epoch seconds of the 1st, 00:00
 * local) and `ym` = year × 16 + month (0–11). The triggers find a record's month here; empty until
 * the rollup is built (src/domain/reach-rollup.ts), so until then they write nothing.
 */
export const reachCalendar = sqliteTable('reach_calendar', {
  start: integer('start').primaryKey(),
  ym: integer('ym').notNull(),
})

/** One row: the zone the rollup was built for, and how far its backfill from the records got. */
export const reachState = sqliteTable('reach_state', {
  id: integer('id').primaryKey(),
  timeZone: text('time_zone').notNull(),
  /** Who is building it: a runner whose token is no longer here stops marking progress. */
  token: text('token').notNull(),
  /** 0 deliveries, 1 attendance, 2 acknowledgements, 3 done. */
  phase: integer('phase').notNull().default(0),
  /** The last rowid of the phase's table backfilled. */
  cursor: integer('cursor').notNull().default(0),
  readyAt: integer('ready_at', { mode: 'timestamp' }),
  startedAt: integer('started_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
})
