import type { z } from 'zod'
import type { Locale } from '../../../db/schema/index.js'
import { zodErrorMap, type Text } from '../../errors.js'
import { isMessageKey, normalize, translate } from '../../i18n.js'
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

/** Header spellings people use in Excel sheets, in English or Vietnamese, mapped to our fields. */
const unitHeaders: Record<string, keyof UnitInput> = {
  code: 'code', ma: 'code', madonvi: 'code', unitcode: 'code',
  name: 'name', ten: 'name', tendonvi: 'name', unitname: 'name',
  kind: 'kind', loai: 'kind', loaidonvi: 'kind',
  parentcode: 'parentCode', parent: 'parentCode', madonvicaptren: 'parentCode', captren: 'parentCode', donvicaptren: 'parentCode',
  staffcount: 'staffCount', socanbo: 'staffCount', sonhansu: 'staffCount', biencheso: 'staffCount', sobienche: 'staffCount',
}
const personHeaders: Record<string, keyof PersonInput> = {
  externalid: 'externalId', macanbo: 'externalId', ma: 'externalId', id: 'externalId', staffid: 'externalId', manhansu: 'externalId',
  fullname: 'fullName', name: 'fullName', hoten: 'fullName', hovaten: 'fullName',
  unitcode: 'unitCode', madonvi: 'unitCode', donvi: 'unitCode', unit: 'unitCode',
  roles: 'roles', role: 'roles', vaitro: 'roles',
  phone: 'phone', sodienthoai: 'phone', dienthoai: 'phone', sdt: 'phone',
  locale: 'locale', ngonngu: 'locale', language: 'locale',
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
}

const key = (s: string) => normalize(s).replace(/[^a-z0-9]/g, '')

/** Units or people, from the header row; null when it is neither. */
export function classifyTable(header: readonly string[]): 'units' | 'people' | null {
  const keys = header.map(key)
  if (keys.some((k) => unitHeaders[k] === 'kind')) return 'units'
  if (keys.some((k) => ['fullname', 'hoten', 'hovaten'].includes(k))) return 'people'
  return null
}

function columnsOf<T>(table: SheetTable, headers: Record<string, keyof T>) {
  const index = new Map<keyof T, number>()
  const columns: Partial<Record<keyof T, string>> = {}
  table.header.forEach((h, i) => {
    const field = headers[key(h)]
    if (field && !index.has(field)) {
      index.set(field, i)
      columns[field] = h
    }
  })
  return { index, columns }
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
    .map((f) => ({ sheet: table.name, row: 1, column: null, value: null, message: { key: `directory.import.missing.${f}` } }))
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
export function parseUnitTable(table: SheetTable, lang: Locale = 'vi'): ParsedTable<UnitInput> {
  const { index, columns } = columnsOf<UnitInput>(table, unitHeaders)
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

/** Reads a people sheet: staff ID, full name, unit code, roles (separated by ; , | or /), phone, language. */
export function parsePeopleTable(table: SheetTable, lang: Locale = 'vi'): ParsedTable<PersonInput> {
  const { index, columns } = columnsOf<PersonInput>(table, personHeaders)
  const missing = missingColumns(table, index, ['fullName', 'unitCode'])
  if (missing.length) return { rows: [], problems: missing, columns }
  const rows: ParsedTable<PersonInput>['rows'] = []
  const problems: RowProblem[] = []
  for (const { row, cells: line } of table.rows) {
    const r = cells<PersonInput>(line, index)
    const tokens = (r.roles ?? 'teacher').split(/[;,|/]/).map((x) => x.trim()).filter(Boolean)
    const roles = tokens.map((x) => roleAliases[key(x)] ?? x)
    const locale = r.locale ? r.locale.toLowerCase().slice(0, 2) : undefined
    // Excel keeps 0912345678 typed in a number cell as 912345678: the leading zero comes back.
    const phone = r.phone && /^[35789]\d{8}$/.test(r.phone) ? `0${r.phone}` : r.phone
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
