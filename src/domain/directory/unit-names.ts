import { headerKey } from './headers.js'

export interface UnitRef {
  code: string
  name: string
}

export type UnitMatch = { code: string } | { candidates: UnitRef[] } | null

const spaced = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim()

function groupBy(units: readonly UnitRef[], keyOf: (u: UnitRef) => string): Map<string, UnitRef[]> {
  const groups = new Map<string, UnitRef[]>()
  for (const u of units) {
    const k = keyOf(u)
    const group = groups.get(k)
    if (group) {
      if (!group.some((g) => g.code === u.code)) group.push(u)
    } else groups.set(k, [u])
  }
  return groups
}

/**
 * Finds the unit a people sheet's cell names, among the directory's units and the file's own: by its
 * code, else by its name as written, else by its name without diacritics, case or punctuation
 * ("Truong THCS Doan Thi Diem"). A name that several units have answers them all, for the user to pick a code.
 */
export function unitFinder(units: readonly UnitRef[]): (cell: string) => UnitMatch {
  const codes = new Set(units.map((u) => u.code))
  const byName = groupBy(units, (u) => spaced(u.name))
  const byKey = groupBy(units, (u) => headerKey(u.name))
  return (cell) => {
    const text = spaced(cell)
    if (codes.has(text)) return { code: text }
    const found = byName.get(text) ?? byKey.get(headerKey(text))
    if (!found) return null
    return found.length === 1 ? { code: found[0]!.code } : { candidates: found }
  }
}
