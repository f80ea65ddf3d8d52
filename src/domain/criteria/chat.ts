import { desc, eq } from 'drizzle-orm'
import { criteriaSets, type CriteriaSetRow, type UnitKind } from '#db/schema/index.js'
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
