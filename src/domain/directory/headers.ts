import { normalize } from '../../i18n.js'
import type { PersonInput, UnitInput } from './schemas.js'
import type { SheetTable } from './sheet.js'

/**
 * The header row of an imported sheet: where it is (below any title rows such as "UBND THÀNH PHỐ
 * CẦN THƠ" or "DANH SÁCH CÁN BỘ…"), which kind of table it heads, and which field each column holds.
 * Headers are matched by their words without diacritics, case or punctuation, so "Số điện thoại",
 * "So dien thoai" and "SĐT" are the same column; a column no alias names can be chosen by the user.
 */

export type ImportWhat = 'units' | 'people'
export type UnitField = keyof UnitInput
export type PersonField = keyof PersonInput
export const unitFields = ['code', 'name', 'kind', 'parentCode', 'staffCount'] as const satisfies readonly UnitField[]
export const personFields = ['externalId', 'fullName', 'unitCode', 'roles', 'phone', 'locale'] as const satisfies readonly PersonField[]

/** The user's choice for columns no alias names, by sheet name: column index (from 0) → field, or '' to leave it out. */
export type ColumnChoices = Record<string, Record<number, string>>

/** Header spellings people use in Excel sheets, in English or Vietnamese, mapped to our fields. */
const unitHeaders: Record<string, UnitField> = {
  code: 'code', ma: 'code', madonvi: 'code', unitcode: 'code',
  name: 'name', ten: 'name', tendonvi: 'name', unitname: 'name',
  kind: 'kind', loai: 'kind', loaidonvi: 'kind', loaihinh: 'kind', unitkind: 'kind',
  parentcode: 'parentCode', parent: 'parentCode', parentunitcode: 'parentCode', madonvicaptren: 'parentCode', captren: 'parentCode', donvicaptren: 'parentCode',
  staffcount: 'staffCount', socanbo: 'staffCount', sonhansu: 'staffCount', biencheso: 'staffCount', sobienche: 'staffCount',
}
const personHeaders: Record<string, PersonField> = {
  externalid: 'externalId', macanbo: 'externalId', ma: 'externalId', id: 'externalId', staffid: 'externalId', manhansu: 'externalId', madinhdanh: 'externalId',
  fullname: 'fullName', name: 'fullName', hoten: 'fullName', hovaten: 'fullName', hotencanbo: 'fullName', hovatencanbo: 'fullName',
  // The unit column holds a unit's code or its name.
  unitcode: 'unitCode', madonvi: 'unitCode', donvi: 'unitCode', unit: 'unitCode', tendonvi: 'unitCode', donvicongtac: 'unitCode', noicongtac: 'unitCode', truong: 'unitCode', coquan: 'unitCode', donvimahoacten: 'unitCode', unitcodeorname: 'unitCode',
  roles: 'roles', role: 'roles', vaitro: 'roles', chucvu: 'roles', chucdanh: 'roles',
  phone: 'phone', sodienthoai: 'phone', dienthoai: 'phone', sdt: 'phone', sodt: 'phone', didong: 'phone', sodidong: 'phone', dienthoaididong: 'phone',
  locale: 'locale', ngonngu: 'locale', language: 'locale',
}
/** Columns an office sheet often has that the import does not need: never offered for mapping. */
const ignoredHeaders = new Set(['', 'stt', 'tt', 'so', 'sothutu', 'ghichu', 'note', 'notes'])

export const headerKey = (s: string) => normalize(s).replace(/[^a-z0-9]/g, '')

const aliasesOf = (what: ImportWhat): Record<string, string> => (what === 'units' ? unitHeaders : personHeaders)

/** Units or people, from a header row; null when it is neither. */
export function classifyHeader(header: readonly string[]): ImportWhat | null {
  const keys = header.map(headerKey)
  if (keys.some((k) => unitHeaders[k] === 'kind')) return 'units'
  if (keys.some((k) => personHeaders[k] === 'fullName')) return 'people'
  return null
}

/** Title rows an office sheet may have above its header. */
const HEADER_SEARCH_ROWS = 20

/**
 * The sheet with its header row found: the first of its first rows that heads a units or a people
 * table (or, when the kind is given, the first naming any of that kind's columns), with the rows
 * above it left out. Without one, the sheet as it is, with a null kind.
 */
export function locateHeader(table: SheetTable, what?: ImportWhat): { table: SheetTable; kind: ImportWhat | null } {
  const all = [{ row: 0, cells: table.header }, ...table.rows]
  const limit = Math.min(all.length, HEADER_SEARCH_ROWS)
  for (let i = 0; i < limit; i++) {
    const cells = all[i]!.cells
    const kind = what ? (cells.some((c) => aliasesOf(what)[headerKey(c)]) ? what : null) : classifyHeader(cells)
    if (kind) return { table: { name: table.name, header: cells, headerRow: all[i]!.row || table.headerRow, rows: all.slice(i + 1) }, kind }
  }
  return { table, kind: what ?? null }
}

export interface SheetColumn {
  /** Index from 0, and the header as written. */
  index: number
  header: string
  /** The field it is read as, or null when left out. */
  field: string | null
  /** True when no alias names it: the user may choose its field. */
  unsure: boolean
}

/** Each column of a header row with the field it is read as: the user's choice first, then the aliases. */
export function sheetColumns(table: SheetTable, what: ImportWhat, choices: ColumnChoices = {}): SheetColumn[] {
  const aliases = aliasesOf(what)
  const fields: readonly string[] = what === 'units' ? unitFields : personFields
  const chosen = choices[table.name] ?? {}
  const taken = new Set<string>()
  return table.header.map((header, index) => {
    const k = headerKey(header)
    const unsure = !aliases[k] && !ignoredHeaders.has(k)
    const choice = chosen[index]
    let field: string | null = choice !== undefined ? choice || null : (aliases[k] ?? null)
    if (field && (!fields.includes(field) || taken.has(field))) field = null
    if (field) taken.add(field)
    return { index, header, field, unsure }
  })
}
