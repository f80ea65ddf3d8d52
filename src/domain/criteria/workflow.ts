import { and, asc, desc, eq } from 'drizzle-orm'
import { criteriaAssessments, criteriaSets, criteriaSnapshots, people, units, type CriteriaSetRow, type UnitRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../../errors.js'
import { zonedTime } from '../../time.js'
import type { TargetResult } from '../targets.js'
import { computeMetrics, type MetricId } from './metrics.js'
import { rankOf, scoreUnit, type UnitScore } from './score.js'
import type { z } from 'zod'
import { appliesToKind, findCriterion, type CriteriaSet, type selfAssessmentSchema } from './set.js'

export interface UnitResult extends UnitScore {
  unit: { code: string; name: string; kind: UnitRow['kind'] }
  rank: number | null
}

export interface YearResults {
  year: number
  version: number | null
  note: string | null
  frozenAt: string | null
  units: UnitResult[]
  /**
   * The plan's targets as measured when the year was frozen, so the public page shows the figures
   * the scores were published with; absent from live results and from snapshots frozen before
   * this was kept (the page then measures them anew).
   */
  targets?: FrozenTargets
}

/** Targets measured at a freeze: up to `asOf` (ISO), as the public page shows them. */
export interface FrozenTargets {
  asOf: string
  list: TargetResult[]
}

const treeOf = (row: CriteriaSetRow) => row.tree as CriteriaSet

export async function findSet(db: Db, year: number): Promise<CriteriaSetRow> {
  const [row] = await db.select().from(criteriaSets).where(eq(criteriaSets.year, year)).limit(1)
  if (!row) throw new AppError('not_found', 'criteria.errors.notFound', { year })
  return row
}

export async function listSets(db: Db) {
  const rows = await db.select().from(criteriaSets).orderBy(desc(criteriaSets.year))
  const snaps = await db.select({ year: criteriaSnapshots.year, version: criteriaSnapshots.version }).from(criteriaSnapshots)
  return rows.map((r) => ({ ...presentSet(r), versions: snaps.filter((s) => s.year === r.year).length }))
}

export function presentSet(row: CriteriaSetRow) {
  return { year: row.year, status: row.status, publishedAt: row.publishedAt?.toISOString() ?? null, set: treeOf(row) }
}

/** Writes a year's set (a draft, or a published set still open); a frozen year cannot change. */
export async function saveSet(db: Db, year: number, set: CriteriaSet, now: Date): Promise<CriteriaSetRow> {
  const [existing] = await db.select().from(criteriaSets).where(eq(criteriaSets.year, year)).limit(1)
  if (existing?.status === 'frozen') throw new AppError('conflict', 'criteria.errors.frozen', { year })
  const values = { tree: set, opensAt: set.opensAt ? new Date(set.opensAt) : null, closesAt: set.closesAt ? new Date(set.closesAt) : null, updatedAt: now }
  const [row] = existing
    ? await db.update(criteriaSets).set(values).where(eq(criteriaSets.id, existing.id)).returning()
    : await db.insert(criteriaSets).values({ year, ...values }).returning()
  return row!
}

export async function publishSet(db: Db, year: number, now: Date): Promise<CriteriaSetRow> {
  const row = await findSet(db, year)
  if (row.status === 'frozen') throw new AppError('conflict', 'criteria.errors.frozen', { year })
  const [updated] = await db.update(criteriaSets).set({ status: 'published', publishedAt: row.publishedAt ?? now, updatedAt: now }).where(eq(criteriaSets.id, row.id)).returning()
  return updated!
}

async function unitByCode(db: Db, code: string): Promise<UnitRow> {
  const [unit] = await db.select().from(units).where(eq(units.code, code)).limit(1)
  if (!unit) throw new AppError('not_found', 'criteria.errors.noUnit', { code })
  return unit
}

/** The manual criterion `code` for this unit, or the reason it cannot be scored. */
function manualCriterion(row: CriteriaSetRow, unit: UnitRow, code: string) {
  const found = findCriterion(treeOf(row), code)
  if (!found) throw new AppError('not_found', 'criteria.errors.noCriterion', { code, year: row.year })
  if (!appliesToKind(found.group, unit.kind) || !appliesToKind(found.criterion, unit.kind)) throw new AppError('unprocessable', 'criteria.errors.notApplicable', { code })
  if (found.criterion.type === 'automatic') throw new AppError('unprocessable', 'criteria.errors.automatic', { code })
  return found.criterion
}

export type SelfAssessment = z.infer<typeof selfAssessmentSchema>

/**
 * A unit's self-assessment of one manual criterion, in the published set's window: points within
 * the maximum, and evidence (links) before any points above 0. Nothing is written when refused.
 */
export async function selfAssess(db: Db, year: number, unitCode: string, code: string, input: SelfAssessment, now: Date) {
  const row = await findSet(db, year)
  if (row.status === 'frozen') throw new AppError('conflict', 'criteria.errors.frozen', { year })
  if (row.status !== 'published') throw new AppError('unprocessable', 'criteria.errors.notPublished', { year })
  if ((row.opensAt && now < row.opensAt) || (row.closesAt && now >= row.closesAt)) throw new AppError('unprocessable', 'criteria.errors.windowClosed', { year })
  const unit = await unitByCode(db, unitCode)
  const criterion = manualCriterion(row, unit, code)
  if (input.points > criterion.maxPoints) throw new AppError('unprocessable', 'criteria.errors.overMax', { code, points: input.points, max: criterion.maxPoints })
  if (input.points > 0 && input.evidence.length === 0) throw new AppError('unprocessable', 'criteria.errors.needsEvidence', { code })
  const values = { selfPoints: input.points, selfNote: input.note ?? null, evidence: input.evidence, selfAt: now }
  await db
    .insert(criteriaAssessments)
    .values({ year, unitId: unit.id, criterion: code, ...values })
    .onConflictDoUpdate({ target: [criteriaAssessments.year, criteriaAssessments.unitId, criteriaAssessments.criterion], set: values })
  return { unit, criterion }
}

/** The Department's appraisal of one manual criterion for one unit: points and a comment. */
export async function appraise(db: Db, year: number, unitCode: string, code: string, input: { points: number; comment: string }, by: number | null, now: Date) {
  const row = await findSet(db, year)
  if (row.status === 'frozen') throw new AppError('conflict', 'criteria.errors.frozen', { year })
  const unit = await unitByCode(db, unitCode)
  const criterion = manualCriterion(row, unit, code)
  if (input.points > criterion.maxPoints) throw new AppError('unprocessable', 'criteria.errors.overMax', { code, points: input.points, max: criterion.maxPoints })
  const values = { appraisedPoints: input.points, appraisalComment: input.comment, appraisedBy: by, appraisedAt: now }
  await db
    .insert(criteriaAssessments)
    .values({ year, unitId: unit.id, criterion: code, evidence: [], ...values })
    .onConflictDoUpdate({ target: [criteriaAssessments.year, criteriaAssessments.unitId, criteriaAssessments.criterion], set: values })
}

/** Every unit's scores computed now from the records and the assessments (not frozen). */
export async function liveResults(db: Db, row: CriteriaSetRow, timeZone: string): Promise<YearResults> {
  const set = treeOf(row)
  const allUnits = await db.select().from(units).orderBy(asc(units.code))
  const span = { from: zonedTime(`${row.year}-01-01`, '00:00:00', timeZone), to: zonedTime(`${row.year + 1}-01-01`, '00:00:00', timeZone) }
  const ids = set.groups.flatMap((g) => g.criteria.flatMap((c) => (c.metric ? [c.metric] : []))) as MetricId[]
  const shares = await computeMetrics(db, ids, allUnits, span)
  const assessed = await db.select().from(criteriaAssessments).where(eq(criteriaAssessments.year, row.year))
  const byKey = new Map(assessed.map((a) => [`${a.unitId}|${a.criterion}`, a]))
  const scored = allUnits.map((u) => {
    const score = scoreUnit(set, u.kind, (code) => {
      const c = findCriterion(set, code)!.criterion
      if (c.metric) return { share: shares.get(c.metric)?.get(u.id) ?? null }
      const a = byKey.get(`${u.id}|${code}`)
      return { selfPoints: a?.selfPoints, appraisedPoints: a?.appraisedPoints, comment: a?.appraisalComment, evidence: a?.evidence }
    })
    return { unit: { code: u.code, name: u.name, kind: u.kind }, ...score }
  })
  return { year: row.year, version: null, note: null, frozenAt: null, units: rankOf(scored) }
}

/**
 * Freezes the year: the results as they stand become a snapshot that later changes to the records
 * do not touch. The first freeze is version 1; each re-freeze adds the next version and needs a note.
 * `measureTargets` gives the plan's targets as they stand, kept with the snapshot.
 */
export async function freeze(db: Db, year: number, note: string | undefined, now: Date, timeZone: string, measureTargets?: () => Promise<FrozenTargets>): Promise<YearResults> {
  const row = await findSet(db, year)
  const [last] = await db.select({ version: criteriaSnapshots.version }).from(criteriaSnapshots).where(eq(criteriaSnapshots.year, year)).orderBy(desc(criteriaSnapshots.version)).limit(1)
  const version = (last?.version ?? 0) + 1
  if (version > 1 && !note) throw new AppError('unprocessable', 'criteria.errors.noteRequired', { version })
  const live = await liveResults(db, row, timeZone)
  const targets = measureTargets ? await measureTargets() : undefined
  const results: YearResults = { ...live, version, note: note ?? null, frozenAt: now.toISOString(), ...(targets ? { targets } : {}) }
  await db.insert(criteriaSnapshots).values({ year, version, note: note ?? null, frozenAt: now, results })
  await db.update(criteriaSets).set({ status: 'frozen', updatedAt: now }).where(eq(criteriaSets.id, row.id))
  return results
}

/** A frozen snapshot: the given version, or the latest. */
export async function frozenResults(db: Db, year: number, version?: number): Promise<YearResults> {
  const [snap] = await db
    .select()
    .from(criteriaSnapshots)
    .where(version === undefined ? eq(criteriaSnapshots.year, year) : and(eq(criteriaSnapshots.year, year), eq(criteriaSnapshots.version, version)))
    .orderBy(desc(criteriaSnapshots.version))
    .limit(1)
  if (!snap) throw new AppError('not_found', 'criteria.errors.noSnapshot', { year, version: version ?? 1 })
  return snap.results as YearResults
}

/** The code of a person's unit (who may self-assess for it), or undefined. */
export async function unitCodeOf(db: Db, personId: number): Promise<string | undefined> {
  const [row] = await db.select({ code: units.code }).from(people).innerJoin(units, eq(units.id, people.unitId)).where(eq(people.id, personId)).limit(1)
  return row?.code
}
