import { eq, sql } from 'drizzle-orm'
import { atomic, type Statement } from '../../../db/atomic.js'
import { units, type UnitRow } from '../../../db/schema/index.js'
/** The kinds of unit, for forms and filters (routes and pages do not read the schema). */
export { unitKinds, roles } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { chunk } from '../../util.js'
import type { Text } from '../../errors.js'
import type { UnitInput } from './schemas.js'

/** A rejected input row: its position (0-based in the batch) and why. */
export interface RowError {
  index: number
  key?: string
  message: Text
}

/**
 * Decides which units of a batch can be written: a parent must exist already or come in the same
 * batch, a code may appear once, and no unit may become its own ancestor. Children of a rejected
 * unit are rejected too, so the tree is never left dangling.
 */
export async function planUnits(db: Db, inputs: readonly UnitInput[]) {
  const existing = await db.select({ code: units.code, parentId: units.parentId, id: units.id }).from(units)
  const codeById = new Map(existing.map((u) => [u.id, u.code]))
  const existingCodes = new Set(codeById.values())
  const parentOf = new Map<string, string | null>(
    existing.map((u) => [u.code, u.parentId == null ? null : (codeById.get(u.parentId) ?? null)]),
  )
  const errors: RowError[] = []
  const accepted = new Map<string, { index: number; input: UnitInput }>()
  inputs.forEach((input, index) => {
    const prior = accepted.get(input.code)
    if (prior) {
      errors.push({ index, key: input.code, message: { key: 'api.checks.unitTwice', params: { code: input.code } } })
      return
    }
    if (input.parentCode && input.parentCode === input.code) {
      errors.push({ index, key: input.code, message: { key: 'api.checks.ownParent' } })
      return
    }
    accepted.set(input.code, { index, input })
  })
  for (const { input } of accepted.values()) parentOf.set(input.code, input.parentCode ?? null)

  // Drop, until nothing changes, units whose parent is unknown or rejected, and units in a cycle.
  let changed = true
  while (changed) {
    changed = false
    for (const [code, { index, input }] of accepted) {
      const parent = input.parentCode
      if (!parent) continue
      const parentKnown = accepted.has(parent) || existingCodes.has(parent)
      let reason: Text | undefined
      if (!parentKnown) reason = { key: 'api.checks.unknownParent', params: { code: parent } }
      else if (inCycle(code, parentOf)) reason = { key: 'api.checks.parentCycle', params: { code: parent } }
      if (reason) {
        errors.push({ index, key: code, message: reason })
        accepted.delete(code)
        parentOf.delete(code)
        changed = true
      }
    }
  }
  return { accepted: [...accepted.values()].map((a) => a.input), errors: errors.sort((a, b) => a.index - b.index) }
}

function inCycle(start: string, parentOf: Map<string, string | null>): boolean {
  const seen = new Set<string>([start])
  let cur = parentOf.get(start)
  while (cur) {
    if (seen.has(cur)) return true
    seen.add(cur)
    cur = parentOf.get(cur)
  }
  return false
}

/** Writes units in one atomic step: upsert by code, then point each at its parent. */
export async function writeUnits(db: Db, inputs: readonly UnitInput[], now: Date): Promise<void> {
  const statements: Statement[] = []
  for (const part of chunk(inputs, 200)) {
    statements.push(
      db
        .insert(units)
        .values(
          part.map((u) => ({
            code: u.code,
            name: u.name,
            kind: u.kind,
            staffCount: u.staffCount ?? null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: units.code,
          set: {
            name: sql`excluded.name`,
            kind: sql`excluded.kind`,
            staffCount: sql`excluded.staff_count`,
            updatedAt: sql`excluded.updated_at`,
          },
        }),
    )
  }
  for (const u of inputs) {
    const parentId = u.parentCode ? sql`(select p.id from units p where p.code = ${u.parentCode})` : null
    statements.push(db.update(units).set({ parentId }).where(eq(units.code, u.code)))
  }
  await atomic(db, statements)
}

export async function listUnits(db: Db) {
  const rows = await db.select().from(units).orderBy(units.code)
  const codeById = new Map(rows.map((u) => [u.id, u.code]))
  return rows.map((u) => presentUnit(u, u.parentId == null ? null : (codeById.get(u.parentId) ?? null)))
}

export function presentUnit(u: UnitRow, parentCode: string | null) {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentCode,
    staffCount: u.staffCount,
  }
}

/** Ids of the given units and every unit below them. */
export async function subtreeUnitIds(db: Db, rootIds: readonly number[]): Promise<number[]> {
  if (rootIds.length === 0) return []
  const rows = await db.all<{ id: number }>(sql`
    with recursive tree(id) as (
      select id from units where id in (${sql.join(rootIds.map((id) => sql`${id}`), sql`, `)})
      union
      select u.id from units u join tree t on u.parent_id = t.id
    )
    select id from tree`)
  return rows.map((r) => r.id)
}
