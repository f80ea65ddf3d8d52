import { and, eq, sql } from 'drizzle-orm'
import { units } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../errors.js'

export interface WardRef {
  code: string
  name: string
}

/**
 * Every unit's ward, by unit code: the nearest commune (phường, xã) at or above it in the unit tree,
 * or null for units under none (the Department and what hangs directly under it). One read of the
 * units table; used to group per-unit results by ward.
 */
export async function wardsByUnitCode(db: Db): Promise<Map<string, WardRef | null>> {
  const list = await db.select({ id: units.id, code: units.code, name: units.name, kind: units.kind, parentId: units.parentId }).from(units)
  const byId = new Map(list.map((u) => [u.id, u]))
  const found = new Map<number, WardRef | null>()
  const find = (u: (typeof list)[number]): WardRef | null => {
    const known = found.get(u.id)
    if (known !== undefined) return known
    found.set(u.id, null) // a guard against a cycle
    const parent = u.parentId != null ? byId.get(u.parentId) : undefined
    const ward = u.kind === 'commune' ? { code: u.code, name: u.name } : parent ? find(parent) : null
    found.set(u.id, ward)
    return ward
  }
  return new Map(list.map((u) => [u.code, find(u)]))
}

/**
 * Rows grouped by ward: wards by name (Vietnamese order), units under no ward last; within a
 * group, the rows by unit name.
 */
export function groupByWard<T extends { unitCode: string; unitName: string }>(rows: readonly T[], wards: Map<string, WardRef | null>) {
  const groups = new Map<string, { ward: WardRef | null; rows: T[] }>()
  for (const row of rows) {
    const ward = wards.get(row.unitCode) ?? null
    const key = ward?.code ?? ''
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { ward, rows: [] }))
    g.rows.push(row)
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'vi')
  for (const g of groups.values()) g.rows.sort((a, b) => byName(a.unitName, b.unitName))
  return [...groups.values()].sort((a, b) => (a.ward ? (b.ward ? byName(a.ward.name, b.ward.name) : -1) : b.ward ? 1 : 0))
}

/** The ward ids named (null: every ward); 422 in Vietnamese naming codes that are not wards. */
export async function wardUnitIds(db: Db, codes: readonly string[]): Promise<number[] | null> {
  if (codes.length === 0) return null
  // The codes go as one JSON value: D1 binds at most 100 values a statement.
  const found = await db
    .select({ id: units.id, code: units.code })
    .from(units)
    .where(and(sql`${units.code} in (select value from json_each(${JSON.stringify(codes)}))`, eq(units.kind, 'commune')))
  const unknown = codes.filter((c) => !found.some((f) => f.code === c))
  if (unknown.length) throw new AppError('unprocessable', 'api.errors.unknownWards', { codes: unknown.join(', ') }, { unknownWardCodes: unknown })
  return found.map((f) => f.id)
}
