import { isNotNull } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import { people, units, type Locale, type Role, type UnitKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError, renderText, type Text } from '../../errors.js'
import { parsePeopleTable, parseUnitTable, type ParsedTable, type RowProblem } from './csv.js'
import { locateHeader, sheetColumns, type ColumnChoices, type ImportWhat, type SheetColumn } from './headers.js'
import { peopleStatements, planPeople } from './people.js'
import type { PersonInput, UnitInput } from './schemas.js'
import { readSheetFile, type SheetFile } from './sheet.js'
import { unitFinder, type UnitRef } from './unit-names.js'
import { planUnits, unitStatements, type RowError } from './units.js'

export type { ImportWhat, ColumnChoices }

export interface ImportOptions {
  fileName: string
  /** Read every sheet as this kind; by default each sheet's header row tells. */
  what?: ImportWhat
  /** The user's field for columns no alias names (the console preview's choices). */
  columns?: ColumnChoices
  /** Check everything and say what would change, write nothing. */
  dryRun: boolean
  lang: Locale
  now: Date
}

/** A bad row, named for the person who has to fix the sheet. */
export interface ImportProblem {
  sheet: string
  row: number
  column: string | null
  value: string | null
  /** The whole sentence: 'Dòng 5, cột "Vai trò": "đầu bếp" không phải vai trò; …'. */
  message: string
  /** Only what is wrong: '"đầu bếp" không phải vai trò; …'. */
  reason: string
}

export type ImportAction = 'create' | 'update'

export interface ImportResult {
  dryRun: boolean
  /** True once the rows are stored; false in a preview and whenever a row is bad. */
  written: boolean
  file: {
    name: string
    format: SheetFile['format']
    encoding: SheetFile['encoding'] | null
    delimiter: string | null
    /** Each sheet: its kind, its header's row number (below any title rows), and its columns with the field each is read as. */
    sheets: { name: string; kind: ImportWhat | null; rows: number; headerRow: number; columns: SheetColumn[] }[]
  }
  units: {
    create: number
    update: number
    items: { sheet: string; row: number; action: ImportAction; code: string; name: string; kind: UnitKind; parentCode: string | null; staffCount: number | null }[]
  }
  people: {
    create: number
    update: number
    items: { sheet: string; row: number; action: ImportAction; externalId: string | null; fullName: string; unitCode: string; roles: Role[]; hasPhone: boolean }[]
  }
  /** How many rows have at least one problem. */
  badRows: number
  problems: ImportProblem[]
}

/**
 * Imports units and people from an `.xlsx` workbook or a CSV file as Excel writes it. Every row is
 * read and checked first; the file is written only when no row is bad, units and people together
 * in one atomic step (units first, so people may name units of the same file). A dry run does the
 * same checks and writes nothing: the preview a user sees before confirming.
 */
export async function importDirectory(db: Db, bytes: Uint8Array, options: ImportOptions): Promise<ImportResult> {
  const file = await readSheetFile(bytes, options.fileName)
  const { unitTables, peopleTables, sheets } = readTables(file, options)
  if (unitTables.length + peopleTables.length === 0) throw new AppError('unprocessable', 'directory.import.noTable', { file: options.fileName })

  const existingUnits: UnitRef[] = await db.select({ code: units.code, name: units.name }).from(units)
  const problems: RowProblem[] = [...unitTables, ...peopleTables].flatMap((t) => t.problems)
  const unitRows = unitTables.flatMap((t) => t.rows.map((r) => ({ ...r, columns: t.columns })))
  const named = resolveUnitNames(peopleTables, [...existingUnits, ...unitRows.map((r) => r.value)])
  problems.push(...named.problems)
  const personRows = named.rows

  const unitPlan = await planUnits(db, unitRows.map((r) => r.value))
  problems.push(...unitPlan.errors.map((e) => placed(e, unitRows, (m) => (m.key === 'api.checks.unitTwice' ? 'code' : 'parentCode'))))
  const comingUnits = new Set(unitRows.map((r) => r.value.code))
  const peoplePlan = await planPeople(db, personRows.map((r) => r.value), comingUnits)
  problems.push(...peoplePlan.errors.map((e) => placed(e, personRows, (m) => (m.key === 'api.checks.personTwice' ? 'externalId' : 'unitCode'))))

  const existingIds = await db.select({ externalId: people.externalId }).from(people).where(isNotNull(people.externalId))
  const unitCodes = new Set(existingUnits.map((u) => u.code))
  const staffIds = new Set(existingIds.map((p) => p.externalId))
  const unitItems = unitRows.map(({ sheet, row, value: u }) => ({
    sheet,
    row,
    action: (unitCodes.has(u.code) ? 'update' : 'create') as ImportAction,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentCode: u.parentCode ?? null,
    staffCount: u.staffCount ?? null,
  }))
  const personItems = personRows.map(({ sheet, row, value: p }) => ({
    sheet,
    row,
    action: (p.externalId && staffIds.has(p.externalId) ? 'update' : 'create') as ImportAction,
    externalId: p.externalId ?? null,
    fullName: p.fullName,
    unitCode: p.unitCode,
    roles: [...p.roles],
    hasPhone: p.phone != null,
  }))

  const ok = problems.length === 0
  if (ok && !options.dryRun) {
    await atomic(db, [...unitStatements(db, unitPlan.accepted, options.now), ...peopleStatements(db, peoplePlan.accepted, options.now)])
  }
  const sheetNamed = file.format === 'xlsx'
  const order = new Map(file.tables.map((t, i) => [t.name, i]))
  return {
    dryRun: options.dryRun,
    written: ok && !options.dryRun,
    file: { name: options.fileName, format: file.format, encoding: file.encoding ?? null, delimiter: file.delimiter ?? null, sheets },
    units: { create: count(unitItems, 'create'), update: count(unitItems, 'update'), items: unitItems },
    people: { create: count(personItems, 'create'), update: count(personItems, 'update'), items: personItems },
    badRows: new Set(problems.map((p) => `${p.sheet}\u0000${p.row}`)).size,
    problems: problems
      .sort((a, b) => order.get(a.sheet)! - order.get(b.sheet)! || a.row - b.row)
      .map((p) => describeProblem(p, sheetNamed, options.lang)),
  }
}

/** Each sheet's header found below its title rows, and read as the table it heads (or as `options.what`). */
function readTables(file: SheetFile, options: ImportOptions) {
  const unitTables: ParsedTable<UnitInput>[] = []
  const peopleTables: ParsedTable<PersonInput>[] = []
  const sheets: ImportResult['file']['sheets'] = []
  for (const sheet of file.tables) {
    const { table, kind } = locateHeader(sheet, options.what)
    const columns = kind ? sheetColumns(table, kind, options.columns) : []
    sheets.push({ name: table.name, kind, rows: table.rows.length, headerRow: table.headerRow, columns })
    if (kind === 'units') unitTables.push(parseUnitTable(table, options.lang, options.columns))
    if (kind === 'people') peopleTables.push(parsePeopleTable(table, options.lang, options.columns))
  }
  return { unitTables, peopleTables, sheets }
}

/**
 * People's unit cells, which hold a code or a name, made codes: a name no unit has, or one several
 * units have (naming them), is a problem on its row, and the row goes no further.
 */
function resolveUnitNames(tables: ParsedTable<PersonInput>[], known: UnitRef[]) {
  const find = unitFinder(known)
  const rows: { sheet: string; row: number; value: PersonInput; columns: ParsedTable<PersonInput>['columns'] }[] = []
  const problems: RowProblem[] = []
  for (const t of tables) {
    for (const r of t.rows) {
      const cell = r.value.unitCode
      const match = find(cell)
      const at = { sheet: r.sheet, row: r.row, column: t.columns.unitCode ?? 'unitCode', value: cell }
      if (match && 'code' in match) rows.push({ ...r, value: { ...r.value, unitCode: match.code }, columns: t.columns })
      else if (match) {
        const candidates = match.candidates.map((u) => `${u.name} (${u.code})`).join('; ')
        problems.push({ ...at, message: { key: 'directory.import.ambiguousUnit', params: { value: cell, candidates } } })
      } else problems.push({ ...at, message: { key: 'directory.import.unknownUnit', params: { value: cell } } })
    }
  }
  return { rows, problems }
}

const count = (items: { action: ImportAction }[], action: ImportAction) => items.filter((i) => i.action === action).length

/** A plan's error (by position in the batch) placed back on its sheet, row and column. */
function placed<T>(
  error: RowError,
  rows: { sheet: string; row: number; value: T; columns: Partial<Record<keyof T, string>> }[],
  field: (message: Text) => keyof T,
): RowProblem {
  const r = rows[error.index]!
  const f = field(error.message)
  const value = r.value[f]
  return { sheet: r.sheet, row: r.row, column: r.columns[f] ?? String(f), value: value == null ? null : String(value), message: error.message }
}

function describeProblem(p: RowProblem, sheetNamed: boolean, lang: Locale): ImportProblem {
  const reason = renderText(p.message, lang)
  const params = { sheet: p.sheet, row: p.row, column: p.column ?? '' }
  const where = renderText(
    { key: sheetNamed ? (p.column ? 'directory.import.atSheetColumn' : 'directory.import.atSheet') : p.column ? 'directory.import.atColumn' : 'directory.import.at', params },
    lang,
  )
  return { sheet: p.sheet, row: p.row, column: p.column, value: p.value, message: `${where}: ${reason}`, reason }
}
