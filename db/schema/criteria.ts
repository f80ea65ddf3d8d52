import { sql } from 'drizzle-orm'
import { integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { people, units } from './directory.js'

export const criteriaSetStatuses = ['draft', 'published', 'frozen'] as const
export type CriteriaSetStatus = (typeof criteriaSetStatuses)[number]

/**
 * A year's criteria set (Bộ tiêu chí đánh giá công tác truyền thông giáo dục), as the Department
 * defines it: the tree (groups → criteria, src/domain/criteria/set.ts) is kept as validated JSON.
 * Draft: being written; published: units self-assess between `opensAt` and `closesAt`; frozen: a
 * results snapshot exists (criteria_snapshots) and the set can no longer change.
 */
export const criteriaSets = sqliteTable(
  'criteria_sets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    year: integer('year').notNull(),
    status: text('status', { enum: criteriaSetStatuses }).notNull().default('draft'),
    tree: text('tree', { mode: 'json' }).notNull(),
    /** The self-assessment window; null: open as soon as published, until frozen. */
    opensAt: integer('opens_at', { mode: 'timestamp' }),
    closesAt: integer('closes_at', { mode: 'timestamp' }),
    publishedAt: integer('published_at', { mode: 'timestamp' }),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [uniqueIndex('criteria_sets_year_unique').on(t.year)],
)

/**
 * One unit's score on one manual criterion of a year: its self-assessment (points, note, evidence
 * links: a manual criterion is not self-scored above 0 without evidence) and the Department's
 * appraisal (points and a comment). Automatic criteria are computed, never stored here.
 */
export const criteriaAssessments = sqliteTable(
  'criteria_assessments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    year: integer('year').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    criterion: text('criterion').notNull(),
    selfPoints: real('self_points'),
    selfNote: text('self_note'),
    evidence: text('evidence', { mode: 'json' }).$type<string[]>().notNull(),
    selfAt: integer('self_at', { mode: 'timestamp' }),
    appraisedPoints: real('appraised_points'),
    appraisalComment: text('appraisal_comment'),
    appraisedBy: integer('appraised_by').references(() => people.id),
    appraisedAt: integer('appraised_at', { mode: 'timestamp' }),
  },
  (t) => [uniqueIndex('criteria_assessments_unique').on(t.year, t.unitId, t.criterion)],
)

/**
 * A year's frozen results: every unit's scores as they stood when the Department froze the year.
 * Later changes to the records do not touch it; a re-freeze adds version 2 with a note.
 */
export const criteriaSnapshots = sqliteTable(
  'criteria_snapshots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    year: integer('year').notNull(),
    version: integer('version').notNull(),
    note: text('note'),
    frozenAt: integer('frozen_at', { mode: 'timestamp' }).notNull(),
    results: text('results', { mode: 'json' }).notNull(),
  },
  (t) => [uniqueIndex('criteria_snapshots_version_unique').on(t.year, t.version)],
)

export type CriteriaSetRow = typeof criteriaSets.$inferSelect
export type CriteriaAssessmentRow = typeof criteriaAssessments.$inferSelect
