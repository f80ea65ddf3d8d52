import type { Locale } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { renderText } from '../../errors.js'
import { parsePeopleCsv, parseUnitsCsv, type CsvRowError } from './csv.js'
import { planPeople, writePeople } from './people.js'
import { planUnits, writeUnits } from './units.js'

export interface ImportReport {
  rows: number
  loaded: number
  errors: CsvRowError[]
}

/**
 * Loads a units sheet. Bad rows are reported with their line numbers and skipped; the good rows
 * are written in one atomic step, so an interrupted import leaves nothing half-written.
 */
export async function importUnitsCsv(db: Db, text: string, now: Date, lang: Locale = 'vi'): Promise<ImportReport> {
  const parsed = parseUnitsCsv(text, lang)
  const plan = await planUnits(db, parsed.rows.map((r) => r.value))
  const errors = [...parsed.errors, ...plan.errors.map((e) => ({ line: parsed.rows[e.index]!.line, message: renderText(e.message, lang) }))]
  await writeUnits(db, plan.accepted, now)
  return { rows: parsed.rows.length + parsed.errors.length, loaded: plan.accepted.length, errors: errors.sort((a, b) => a.line - b.line) }
}

/** Loads a people sheet, upserting by external id; same rules as units. */
export async function importPeopleCsv(db: Db, text: string, now: Date, lang: Locale = 'vi'): Promise<ImportReport> {
  const parsed = parsePeopleCsv(text, lang)
  const plan = await planPeople(db, parsed.rows.map((r) => r.value))
  const errors = [...parsed.errors, ...plan.errors.map((e) => ({ line: parsed.rows[e.index]!.line, message: renderText(e.message, lang) }))]
  await writePeople(db, plan.accepted, now)
  return { rows: parsed.rows.length + parsed.errors.length, loaded: plan.accepted.length, errors: errors.sort((a, b) => a.line - b.line) }
}
