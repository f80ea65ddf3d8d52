import { desc, eq } from 'drizzle-orm'
import { criteriaAssessments, criteriaSets, type CriteriaSetRow, type UnitKind, type UnitRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { appliesToKind, type CriteriaSet, type Criterion } from './set.js'

/** Whether a published set takes self-assessments at `now` (its window, when it has one). */
export const windowOpen = (row: CriteriaSetRow, now: Date) =>
  row.status === 'published' && !(row.opensAt && now < row.opensAt) && !(row.closesAt && now >= row.closesAt)

/** The latest published set whose self-assessment window is open now, or undefined. */
export async function openSet(db: Db, now: Date): Promise<CriteriaSetRow | undefined> {
  const rows = await db.select().from(criteriaSets).where(eq(criteriaSets.status, 'published')).orderBy(desc(criteriaSets.year))
  return rows.find((r) => windowOpen(r, now))
}

/** The manual criteria a unit of this kind self-assesses, in the set's order. */
export function manualCriteriaFor(row: CriteriaSetRow, kind: UnitKind): Criterion[] {
  const set = row.tree as CriteriaSet
  return set.groups.filter((g) => appliesToKind(g, kind)).flatMap((g) => g.criteria.filter((c) => c.type === 'manual' && appliesToKind(c, kind)))
}

export interface UnitSelfAssessment {
  year: number
  /** Manual criteria for the unit's kind, and how many it has self-assessed. */
  count: number
  assessed: number
  criteria: { code: string; title: string; maxPoints: number; selfPoints: number | null; evidence: string[]; note: string | null }[]
}

/**
 * Each unit's self-assessment of a year's set (its manual criteria, as the unit scored them), for a
 * report period tied to the set; an empty map when the year has no set.
 */
export async function selfAssessments(db: Db, year: number, forUnits: readonly Pick<UnitRow, 'id' | 'kind'>[]): Promise<Map<number, UnitSelfAssessment>> {
  const [row] = await db.select().from(criteriaSets).where(eq(criteriaSets.year, year)).limit(1)
  const out = new Map<number, UnitSelfAssessment>()
  if (!row) return out
  const rows = await db.select().from(criteriaAssessments).where(eq(criteriaAssessments.year, year))
  const byKey = new Map(rows.filter((a) => a.selfAt !== null).map((a) => [`${a.unitId}|${a.criterion}`, a]))
  for (const u of forUnits) {
    const criteria = manualCriteriaFor(row, u.kind).map((c) => {
      const a = byKey.get(`${u.id}|${c.code}`)
      return { code: c.code, title: c.title, maxPoints: c.maxPoints, selfPoints: a?.selfPoints ?? null, evidence: a?.evidence ?? [], note: a?.selfNote ?? null }
    })
    out.set(u.id, { year, count: criteria.length, assessed: criteria.filter((c) => c.selfPoints !== null).length, criteria })
  }
  return out
}
