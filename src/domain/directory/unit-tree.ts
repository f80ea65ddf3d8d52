import type { UnitKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { linkingSummary, listUnits } from './units.js'

/** A unit in tree order, with its depth, its people and those of them not linked (with the units below it). */
export type UnitTreeRow = {
  code: string
  name: string
  depth: number
  kind: UnitKind
  parentCode: string | null
  staffCount: number | null
  people: number
  notLinked: number
}

/** The units in tree order (each followed by the units below it), for the console's pickers and units page. */
export async function unitTree(db: Db): Promise<UnitTreeRow[]> {
  const [summary, all] = await Promise.all([linkingSummary(db), listUnits(db)])
  const info = new Map(all.map((u) => [u.code, u]))
  const children = new Map<string | null, typeof summary.units>()
  for (const u of summary.units) {
    const parent = u.parentCode && info.has(u.parentCode) ? u.parentCode : null
    children.set(parent, [...(children.get(parent) ?? []), u])
  }
  const out: UnitTreeRow[] = []
  const walk = (parent: string | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      if (depth > 32) return
      out.push({ code: u.code, name: u.name, depth, kind: u.kind, parentCode: u.parentCode, staffCount: info.get(u.code)?.staffCount ?? null, people: u.subtree.people, notLinked: u.subtree.notLinked })
      walk(u.code, depth + 1)
    }
  }
  walk(null, 0)
  return out
}
