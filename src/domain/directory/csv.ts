import type { z } from 'zod'
import type { Locale } from '#db/schema/index.js'
import { zodErrorMap, type Text } from '../../errors.js'
import { isMessageKey, translate } from '../../i18n.js'
import { headerKey, sheetColumns, type ColumnChoices, type ImportWhat } from './headers.js'
import { personInputSchema, unitInputSchema, type PersonInput, type UnitInput } from './schemas.js'
import type { SheetTable } from './sheet.js'

/**
 * A bad row of an imported sheet, named as the user sees it: the sheet, the row number, the column
 * as written in the header, the value in the cell, and what is wrong with it.
 */
export interface RowProblem {
  sheet: string
  row: number
  column: string | null
  value: string | null
  message: Text
}

export interface ParsedTable<T> {
  rows: { sheet: string; row: number; value: T }[]
  problems: RowProblem[]
  /** The header text of each field's column, to name it in problems found later (unknown unit…). */
  columns: Partial<Record<keyof T, string>>
}

const kindAliases: Record<string, string> = {
  so: 'department', nganh: 'department', ban: 'department', sogddt: 'department', department: 'department',
  xa: 'commune', phuong: 'commune', ubnd: 'commune', xaphuong: 'commune', phuongxa: 'commune', commune: 'commune', ward: 'commune',
  truong: 'school', cosogiaoduc: 'school', truonghoc: 'school', school: 'school',
  baochi: 'press', phatthanh: 'press', truyenhinh: 'press', press: 'press',
  khac: 'other', other: 'other',
}
const roleAliases: Record<string, string> = {
  giaovien: 'teacher', nhagiao: 'teacher', gv: 'teacher', teacher: 'teacher',
  quanly: 'manager', canboquanly: 'manager', cbql: 'manager', manager: 'manager',
  daumoi: 'focal_point', focalpoint: 'focal_point', daumoitruyenthong: 'focal_point',
  truyenthong: 'comms_staff', canbotruyenthong: 'comms_staff', commsstaff: 'comms_staff',
  quantri: 'admin', quantrivien: 'admin', admin: 'admin',
  hieutruong: 'manager', phohieutruong: 'manager', truongphong: 'manager', photruongphong: 'manager', giamdoc: 'manager', phogiamdoc: 'manager',
  canbodaumoi: 'focal_point', nhanvientruyenthong: 'comms_staff',
}

const key = headerKey

function columnsOf<T>(table: SheetTable, what: ImportWhat, choices?: ColumnChoices) {
  const index = new Map<keyof T, number>()
  const columns: Partial<Record<keyof T, string>> = {}
  for (const column of sheetColumns(table, what, choices)) {
    if (!column.field) continue
    index.set(column.field as keyof T, column.index)
    columns[column.field as keyof T] = column.header
  }
  return { index, columns }
}

/**
 * A phone as offices write it, as 0xxxxxxxxx: spaces, dots and dashes dropped, +84 or 84 made 0, and
 * the leading zero Excel drops from a number cell (912345678) put back. Anything else is left to the check.
 */
export function officePhone(text: string): string {
  const digits = text.replace(/[\s.()-]/g, '')
  const international = /^\+?84(\d{9,10})$/.exec(digits)
  if (international) return `0${international[1]}`
  if (/^[35789]\d{8}$/.test(digits)) return `0${digits}`
  return text
}

function cells<T>(row: readonly string[], index: Map<keyof T, number>) {
  const out: Partial<Record<keyof T, string>> = {}
  for (const [field, i] of index) {
    const v = row[i]?.trim()
    if (v) out[field] = v
  }
  return out
}

/** The fields a sheet must have a column for, with the header to suggest when one is missing. */
function missingColumns<T>(table: SheetTable, index: Map<keyof T, number>, required: (keyof T & MissingField)[]): RowProblem[] {
  return required
    .filter((f) => !index.has(f))
    .map((f) => ({ sheet: table.name, row: table.headerRow, column: null, value: null, message: { key: `directory.import.missing.${f}` } }))
}
type MissingField = 'code' | 'name' | 'kind' | 'fullName' | 'unitCode'

function problemsFrom<T>(
  schema: z.ZodType,
  value: Record<string, unknown>,
  raw: Partial<Record<keyof T, string>>,
  at: { sheet: string; row: number },
  columns: Partial<Record<keyof T, string>>,
  lang: Locale,
  explain: (field: string, issue: z.core.$ZodIssue, raw: string | undefined) => Text | undefined,
): { data?: unknown; problems: RowProblem[] } {
  const parsed = schema.safeParse(value, { error: zodErrorMap(lang) })
  if (parsed.success) return { data: parsed.data, problems: [] }
  const seen = new Set<string>()
  const problems: RowProblem[] = []
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '')
    if (seen.has(field)) continue
    seen.add(field)
    const cell = raw[field as keyof T]
    const message: Text =
      cell === undefined
        ? { key: 'directory.import.empty' }
        : (explain(field, issue, cell) ?? { key: 'directory.import.invalid', params: { why: isMessageKey(issue.message) ? translate(lang, issue.message) : issue.message } })
    problems.push({ ...at, column: columns[field as keyof T] ?? field, value: cell ?? null, message })
  }
  return { problems }
}

/** Reads a units sheet: code, name, kind, parent code, staff count (English or Vietnamese headers and kinds). */
export function parseUnitTable(table: SheetTable, lang: Locale = 'vi', choices?: ColumnChoices): ParsedTable<UnitInput> {
  const { index, columns } = columnsOf<UnitInput>(table, 'units', choices)
  const missing = missingColumns(table, index, ['code', 'name', 'kind'])
  if (missing.length) return { rows: [], problems: missing, columns }
  const rows: ParsedTable<UnitInput>['rows'] = []
  const problems: RowProblem[] = []
  for (const { row, cells: line } of table.rows) {
    const r = cells<UnitInput>(line, index)
    const kind = r.kind ? (kindAliases[key(r.kind)] ?? r.kind) : undefined
    const staffText = r.staffCount?.replace(/[\s.,]/g, '')
    const staffCount = staffText === undefined ? undefined : /^\d+$/.test(staffText) ? Number(staffText) : NaN
    const at = { sheet: table.name, row }
    const result = problemsFrom<UnitInput>(unitInputSchema, { ...r, kind, staffCount }, r, at, columns, lang, (field, _issue, raw) => {
      if (field === 'kind') return { key: 'directory.import.badKind', params: { value: raw! } }
      if (field === 'staffCount') return { key: 'directory.import.notCount', params: { value: raw! } }
      return undefined
    })
    problems.push(...result.problems)
    if (result.data) rows.push({ ...at, value: result.data as UnitInput })
  }
  return { rows, problems, columns }
}

/**
 * Reads a people sheet: staff ID, full name, unit (its code or its name, resolved later), roles in
 * words as offices write them (several separated by ; , | / + "kiêm" "và" or a line break), phone, language.
 */
export function parsePeopleTable(table: SheetTable, lang: Locale = 'vi', choices?: ColumnChoices): ParsedTable<PersonInput> {
  const { index, columns } = columnsOf<PersonInput>(table, 'people', choices)
  const missing = missingColumns(table, index, ['fullName', 'unitCode'])
  if (missing.length) return { rows: [], problems: missing, columns }
  const rows: ParsedTable<PersonInput>['rows'] = []
  const problems: RowProblem[] = []
  for (const { row, cells: line } of table.rows) {
    const r = cells<PersonInput>(line, index)
    // "Hiệu trưởng kiêm đầu mối truyền thông", "Giáo viên và cán bộ truyền thông": two roles each.
    const tokens = (r.roles ?? 'teacher').split(/[;,|/+\n]|\s(?:kiêm|và)\s/i).map((x) => x.trim()).filter(Boolean)
    const roles = tokens.map((x) => roleAliases[key(x)] ?? x)
    const locale = r.locale ? r.locale.toLowerCase().slice(0, 2) : undefined
    const phone = r.phone && officePhone(r.phone)
    const at = { sheet: table.name, row }
    const result = problemsFrom<PersonInput>(personInputSchema, { ...r, roles, locale, phone }, r, at, columns, lang, (field, issue, raw) => {
      if (field === 'roles') {
        const i = typeof issue.path[1] === 'number' ? issue.path[1] : 0
        return { key: 'directory.import.badRole', params: { value: tokens[i] ?? raw! } }
      }
      if (field === 'locale') return { key: 'directory.import.badLocale', params: { value: raw! } }
      if (field === 'phone') return { key: 'directory.import.badPhone', params: { value: raw! } }
      return undefined
    })
    problems.push(...result.problems)
    if (result.data) rows.push({ ...at, value: result.data as PersonInput })
  }
  return { rows, problems, columns }
}
