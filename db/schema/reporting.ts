import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { channelColumn, people, units, type UnitKind } from './directory.js'

/**
 * A reporting deadline set by the Department (6-monthly, year end). The units that must report are
 * kept as the filter the admin gave, not as a frozen list, so units added to the directory later
 * (a new school) are asked too.
 */
export const reportPeriods = sqliteTable(
  'report_periods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    dueAt: integer('due_at', { mode: 'timestamp' }).notNull(),
    /** Late reports are taken until then; the period is no longer offered in chat afterwards. */
    closesAt: integer('closes_at', { mode: 'timestamp' }).notNull(),
    /** Empty: every kind. */
    unitKinds: text('unit_kinds', { mode: 'json' }).$type<UnitKind[]>().notNull(),
    /** Empty: every unit (of the kinds above). */
    unitCodes: text('unit_codes', { mode: 'json' }).$type<string[]>().notNull(),
    includeSubunits: integer('include_subunits', { mode: 'boolean' }).notNull().default(false),
    remindDaysBefore: text('remind_days_before', { mode: 'json' }).$type<number[]>().notNull(),
    escalateDaysAfter: text('escalate_days_after', { mode: 'json' }).$type<number[]>().notNull(),
    /** The year of a criteria set tied to the period (a six-monthly or year-end report): its status carries each unit's self-assessment. */
    criteriaYear: integer('criteria_year'),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [index('report_periods_due_idx').on(t.dueAt)],
)

/**
 * Every submission is kept as a new version; the status shows the highest one. `late` is decided
 * when it arrives (after `dueAt`), so the record says what the Department saw at the time.
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    periodId: integer('period_id')
      .notNull()
      .references(() => reportPeriods.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    version: integer('version').notNull(),
    /** Communication activities held (hoạt động truyền thông). */
    activities: integer('activities').notNull(),
    /** Digital communication products made (sản phẩm truyền thông số). */
    digitalProducts: integer('digital_products').notNull(),
    /** Share of staff briefed on the Resolution, 0–100. */
    briefedPercent: integer('briefed_percent').notNull(),
    difficulties: text('difficulties').notNull(),
    submittedBy: integer('submitted_by')
      .notNull()
      .references(() => people.id),
    channel: text('channel', { enum: channelColumn }).notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp' }).notNull(),
    late: integer('late', { mode: 'boolean' }).notNull(),
  },
  (t) => [uniqueIndex('reports_version_unique').on(t.periodId, t.unitId, t.version)],
)

export type ReportPeriodRow = typeof reportPeriods.$inferSelect
export type ReportRow = typeof reports.$inferSelect
