import { count, eq, sql } from 'drizzle-orm'
import { atomic, type Statement } from '#db/atomic.js'
import { people, units, type UnitRow } from '#db/schema/index.js'
/** The kinds of unit, for forms and filters (routes and pages do not read the schema). */
export { unitKinds, roles } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { chunk, rowsPerStatement } from '../../util.js'
import { AppError, type Text } from '../../errors.js'
import type { UnitInput, UnitPatch } from './schemas.js'

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
  await atomic(db, unitStatements(db, inputs, now))
}

/** The statements that upsert units by code and point each at its parent (for one atomic step). */
export function unitStatements(db: Db, inputs: readonly UnitInput[], now: Date): Statement[] {
  const statements: Statement[] = []
  for (const part of chunk(inputs, rowsPerStatement(6))) {
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
  return statements
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

/** A unit by its code, or a 404 naming the code. */
export async function findUnit(db: Db, code: string): Promise<UnitRow> {
  const [unit] = await db.select().from(units).where(eq(units.code, code)).limit(1)
  if (!unit) throw new AppError('not_found', 'api.errors.noUnit', { code })
  return unit
}

/**
 * Changes a unit: its name, kind, staff count, code, or its place in the tree (`parentCode`, null
 * for the top). A unit cannot move under itself or under a unit below it.
 */
export async function updateUnit(db: Db, code: string, patch: UnitPatch, now: Date) {
  const unit = await findUnit(db, code)
  const set: Partial<typeof units.$inferInsert> = { updatedAt: now }
  if (patch.parentCode !== undefined) {
    if (patch.parentCode === null) set.parentId = null
    else {
      const parent = await findUnit(db, patch.parentCode).catch(() => {
        throw new AppError('unprocessable', 'api.errors.unknownUnits', { codes: patch.parentCode! }, { unknownUnitCodes: [patch.parentCode] })
      })
      const below = await subtreeUnitIds(db, [unit.id])
      if (below.includes(parent.id)) throw new AppError('unprocessable', 'api.checks.parentCycle', { code: parent.code })
      set.parentId = parent.id
    }
  }
  if (patch.code !== undefined && patch.code !== unit.code) {
    const [taken] = await db.select({ id: units.id }).from(units).where(eq(units.code, patch.code)).limit(1)
    if (taken) throw new AppError('conflict', 'directory.units.codeTaken', { code: patch.code })
    set.code = patch.code
  }
  if (patch.name !== undefined) set.name = patch.name
  if (patch.kind !== undefined) set.kind = patch.kind
  if (patch.staffCount !== undefined) set.staffCount = patch.staffCount
  await db.update(units).set(set).where(eq(units.id, unit.id))
  const all = await listUnits(db)
  return all.find((u) => u.id === unit.id)!
}

/**
 * Removes a unit that nothing depends on: no people (erased ones included: their records are
 * counted by unit), no units below it, no reports, questions or broadcast records. Otherwise a 409
 * that says what is still there.
 */
export async function removeUnit(db: Db, code: string) {
  const unit = await findUnit(db, code)
  const [[staff], children, [records]] = await Promise.all([
    db.select({ n: count() }).from(people).where(eq(people.unitId, unit.id)),
    db.select({ code: units.code }).from(units).where(eq(units.parentId, unit.id)).orderBy(units.code),
    db.all<{ n: number }>(sql`select
        (select count(*) from reports where unit_id = ${unit.id})
      + (select count(*) from questions where unit_id = ${unit.id})
      + (select count(*) from broadcast_recipients where unit_id = ${unit.id}) as n`),
  ])
  if (staff && staff.n > 0) throw new AppError('conflict', 'directory.units.hasPeople', { code, count: staff.n })
  if (children.length > 0) {
    const names = children.slice(0, 5).map((c) => c.code).join(', ') + (children.length > 5 ? ', …' : '')
    throw new AppError('conflict', 'directory.units.hasChildren', { code, count: children.length, children: names })
  }
  if (records && Number(records.n) > 0) throw new AppError('conflict', 'directory.units.hasRecords', { code })
  await db.delete(units).where(eq(units.id, unit.id))
  return { removed: code }
}

/**
 * Who has linked a chat and who has not, per unit of a subtree (the whole directory without a root):
 * each unit's own people and its subtree's, so a ward's figure includes its schools.
 */
export async function linkingSummary(db: Db, rootCode?: string) {
  const root = rootCode ? await findUnit(db, rootCode) : undefined
  const all = await db.select({ id: units.id, code: units.code, name: units.name, kind: units.kind, parentId: units.parentId }).from(units).orderBy(units.code)
  const ids = new Set(root ? await subtreeUnitIds(db, [root.id]) : all.map((u) => u.id))
  const counts = await db.all<{ unitId: number; people: number; linked: number }>(sql`
    select p.unit_id as unitId, count(*) as people,
      sum(case when exists (select 1 from chat_links l where l.person_id = p.id) then 1 else 0 end) as linked
    from people p where p.erased_at is null group by p.unit_id`)
  const own = new Map(counts.map((c) => [c.unitId, { people: Number(c.people), linked: Number(c.linked) }]))
  const byId = new Map(all.map((u) => [u.id, u]))
  const subtree = new Map<number, { people: number; linked: number }>()
  for (const u of all) {
    const mine = own.get(u.id)
    if (!mine) continue
    // Add the unit's own people to itself and every unit above it.
    for (let cur: typeof u | undefined = u, seen = 0; cur && seen < 64; cur = cur.parentId == null ? undefined : byId.get(cur.parentId), seen++) {
      const t = subtree.get(cur.id) ?? { people: 0, linked: 0 }
      t.people += mine.people
      t.linked += mine.linked
      subtree.set(cur.id, t)
    }
  }
  const depth = (u: (typeof all)[number]) => {
    let d = 0
    for (let cur = u; cur.parentId != null && cur.id !== root?.id && byId.has(cur.parentId) && d < 64; cur = byId.get(cur.parentId)!) d++
    return d
  }
  const items = all
    .filter((u) => ids.has(u.id))
    .map((u) => {
      const mine = own.get(u.id) ?? { people: 0, linked: 0 }
      const tree = subtree.get(u.id) ?? { people: 0, linked: 0 }
      return {
        code: u.code,
        name: u.name,
        kind: u.kind,
        parentCode: u.parentId == null ? null : (byId.get(u.parentId)?.code ?? null),
        depth: depth(u),
        people: mine.people,
        linked: mine.linked,
        notLinked: mine.people - mine.linked,
        subtree: { people: tree.people, linked: tree.linked, notLinked: tree.people - tree.linked },
      }
    })
  const total = root
    ? (items.find((i) => i.code === root.code)?.subtree ?? { people: 0, linked: 0, notLinked: 0 })
    : items.reduce((s, i) => ({ people: s.people + i.people, linked: s.linked + i.linked, notLinked: s.notLinked + i.notLinked }), { people: 0, linked: 0, notLinked: 0 })
  return { unit: root ? root.code : null, total, units: items }
}
