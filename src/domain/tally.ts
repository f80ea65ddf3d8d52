import { inArray } from 'drizzle-orm'
import { roles as allRoles, units, type Role } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { chunk, MAX_BOUND_PARAMETERS } from '../util.js'

/** One person in a count: their unit, roles, and yes/no facts about them (linked, attended, …). */
export interface Member {
  unitId: number
  roles: readonly Role[]
  flags: Record<string, boolean>
}

export interface Counts {
  /** People counted in this row. */
  people: number
  counts: Record<string, number>
  /** Each flag's count over the base (people, or the base flag), rounded to 4 decimals; null for 0/0. */
  shares: Record<string, number | null>
}

export const share = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null)

function emptyCounts(flags: readonly string[]): Counts {
  return { people: 0, counts: Object.fromEntries(flags.map((f) => [f, 0])), shares: {} }
}

function add(c: Counts, m: Member, flags: readonly string[]) {
  c.people++
  for (const f of flags) if (m.flags[f]) c.counts[f]!++
}

function finish(c: Counts, flags: readonly string[], base?: string) {
  const d = base ? c.counts[base]! : c.people
  c.shares = Object.fromEntries(flags.filter((f) => f !== base).map((f) => [f, share(c.counts[f]!, d)]))
  return c
}

/**
 * Counts members in total, by unit and by role (a person with two roles counts in both), and
 * within each unit by role. Units come back with their code, name and staff count.
 */
export async function breakdown(db: Db, members: readonly Member[], flags: readonly string[], base?: string) {
  const total = emptyCounts(flags)
  const byUnit = new Map<number, Counts & { byRole: Map<Role, Counts> }>()
  const byRole = new Map<Role, Counts>()
  for (const m of members) {
    add(total, m, flags)
    let u = byUnit.get(m.unitId)
    if (!u) byUnit.set(m.unitId, (u = { ...emptyCounts(flags), byRole: new Map() }))
    add(u, m, flags)
    for (const r of m.roles) {
      let rc = byRole.get(r)
      if (!rc) byRole.set(r, (rc = emptyCounts(flags)))
      add(rc, m, flags)
      let urc = u.byRole.get(r)
      if (!urc) u.byRole.set(r, (urc = emptyCounts(flags)))
      add(urc, m, flags)
    }
  }
  const unitRows = (
    await Promise.all(
      chunk([...byUnit.keys()], MAX_BOUND_PARAMETERS).map((ids) =>
        db.select({ id: units.id, code: units.code, name: units.name, staffCount: units.staffCount }).from(units).where(inArray(units.id, ids)),
      ),
    )
  ).flat()
  const unitById = new Map(unitRows.map((u) => [u.id, u]))
  const roleOrder = (r: Role) => allRoles.indexOf(r)
  return {
    total: finish(total, flags, base),
    byUnit: [...byUnit.entries()]
      .map(([unitId, c]) => {
        const u = unitById.get(unitId)
        const { byRole: roleMap, ...counts } = c
        return {
          unitCode: u?.code ?? String(unitId),
          unitName: u?.name ?? '',
          staffCount: u?.staffCount ?? null,
          ...finish(counts, flags, base),
          byRole: [...roleMap.entries()]
            .sort(([a], [b]) => roleOrder(a) - roleOrder(b))
            .map(([role, rc]) => ({ role, ...finish(rc, flags, base) })),
        }
      })
      .sort((a, b) => a.unitCode.localeCompare(b.unitCode)),
    byRole: [...byRole.entries()]
      .sort(([a], [b]) => roleOrder(a) - roleOrder(b))
      .map(([role, c]) => ({ role, ...finish(c, flags, base) })),
  }
}
