import type { Locale } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { renderText } from '../../errors.js'
import { parsePeopleCsv, parseUnitsCsv, type CsvRowError, type CsvRows } from './csv.js'
import { planPeople, writePeople } from './people.js'
import { planUnits, writeUnits, type RowError } from './units.js'

export interface ImportReport {
  rows: number
  loaded: number
  errors: CsvRowError[]
}

/**
 * Loads a sheet: bad rows are reported with their line numbers and skipped; the good rows are
 * written in one atomic step, so an interrupted import leaves nothing half-written.
 */
async function importSheet<T, A>(
  parsed: CsvRows<T>,
  plan: { accepted: A[]; errors: RowError[] },
  write: (accepted: A[]) => Promise<unknown>,
  lang: Locale,
): Promise<ImportReport> {
  const errors = [...parsed.errors, ...plan.errors.map((e) => ({ line: parsed.rows[e.index]!.line, message: renderText(e.message, lang) }))]
  await write(plan.accepted)
  return { rows: parsed.rows.length + parsed.errors.length, loaded: plan.accepted.length, errors: errors.sort((a, b) => a.line - b.line) }
}

/** Loads a units sheet (code, name, kind, parent_code, staff_count). */
export async function importUnitsCsv(db: Db, text: string, now: Date, lang: Locale = 'vi'): Promise<ImportReport> {
  const parsed = parseUnitsCsv(text, lang)
  return importSheet(parsed, await planUnits(db, parsed.rows.map((r) => r.value)), (accepted) => writeUnits(db, accepted, now), lang)
}

/** Loads a people sheet, upserting by external id; same rules as units. */
export async function importPeopleCsv(db: Db, text: string, now: Date, lang: Locale = 'vi'): Promise<ImportReport> {
  const parsed = parsePeopleCsv(text, lang)
  return importSheet(parsed, await planPeople(db, parsed.rows.map((r) => r.value)), (accepted) => writePeople(db, accepted, now), lang)
}
