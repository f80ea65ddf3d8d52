import { parse } from 'csv-parse/sync'
import type { z } from 'zod'
import type { Locale } from '../../../db/schema/index.js'
import { zodErrorMap } from '../../errors.js'
import { isMessageKey, normalize, translate } from '../../i18n.js'
import { personInputSchema, unitInputSchema, type PersonInput, type UnitInput } from './schemas.js'

export interface CsvRowError {
  line: number
  message: string
}

export interface CsvRows<T> {
  rows: { line: number; value: T }[]
  errors: CsvRowError[]
}

/** Header spellings people use in Excel sheets, in English or Vietnamese, mapped to our fields. */
const unitHeaders: Record<string, keyof UnitInput> = {
  code: 'code', ma: 'code', madonvi: 'code',
  name: 'name', ten: 'name', tendonvi: 'name',
  kind: 'kind', loai: 'kind', loaidonvi: 'kind',
  parentcode: 'parentCode', parent: 'parentCode', madonvicaptren: 'parentCode', captren: 'parentCode',
  staffcount: 'staffCount', socanbo: 'staffCount', sonhansu: 'staffCount', biencheso: 'staffCount',
}
const personHeaders: Record<string, keyof PersonInput> = {
  externalid: 'externalId', macanbo: 'externalId', ma: 'externalId', id: 'externalId',
  fullname: 'fullName', name: 'fullName', hoten: 'fullName', hovaten: 'fullName',
  unitcode: 'unitCode', madonvi: 'unitCode', donvi: 'unitCode', unit: 'unitCode',
  roles: 'roles', role: 'roles', vaitro: 'roles',
  phone: 'phone', sodienthoai: 'phone', dienthoai: 'phone', sdt: 'phone',
  locale: 'locale', ngonngu: 'locale', language: 'locale',
}
const kindAliases: Record<string, string> = {
  so: 'department', nganh: 'department', ban: 'department', sogddt: 'department',
  xa: 'commune', phuong: 'commune', ubnd: 'commune', xaphuong: 'commune',
  truong: 'school', cosogiaoduc: 'school', truonghoc: 'school',
  baochi: 'press', phatthanh: 'press', truyenhinh: 'press',
  khac: 'other',
}
const roleAliases: Record<string, string> = {
  giaovien: 'teacher', nhagiao: 'teacher', gv: 'teacher',
  quanly: 'manager', canboquanly: 'manager', cbql: 'manager',
  daumoi: 'focal_point', focalpoint: 'focal_point', daumoitruyenthong: 'focal_point',
  truyenthong: 'comms_staff', canbotruyenthong: 'comms_staff', commsstaff: 'comms_staff',
  quantri: 'admin', quantrivien: 'admin',
}

const key = (s: string) => normalize(s).replace(/[^a-z0-9]/g, '')

function readCsv(text: string) {
  return parse(text, {
    bom: true,
    columns: (header: string[]) => header.map((h) => key(h)),
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    info: true,
  }) as { record: Record<string, string>; info: { lines: number } }[]
}

function mapRow<T>(record: Record<string, string>, headers: Record<string, keyof T>) {
  const out: Partial<Record<keyof T, string>> = {}
  for (const [col, value] of Object.entries(record)) {
    const field = headers[col]
    if (field && value !== '' && out[field] === undefined) out[field] = value
  }
  return out
}

function check<T extends z.ZodType>(schema: T, value: unknown, line: number, errors: CsvRowError[], locale: Locale) {
  const parsed = schema.safeParse(value, { error: zodErrorMap(locale) })
  if (parsed.success) return parsed.data as z.infer<T>
  const text = (i: z.core.$ZodIssue) => (isMessageKey(i.message) ? translate(locale, i.message) : i.message)
  errors.push({ line, message: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${text(i)}` : text(i))).join('; ') })
  return undefined
}

/** Parses a units sheet: code, name, kind, parent_code, staff_count (English or Vietnamese headers). */
export function parseUnitsCsv(text: string, lang: Locale = 'vi'): CsvRows<UnitInput> {
  const rows: CsvRows<UnitInput>['rows'] = []
  const errors: CsvRowError[] = []
  for (const { record, info } of readCsv(text)) {
    const r = mapRow<UnitInput>(record, unitHeaders)
    const kind = r.kind ? (kindAliases[key(r.kind)] ?? r.kind.toLowerCase()) : undefined
    const staff = r.staffCount !== undefined ? Number(r.staffCount.replace(/[\s.,]/g, '')) : undefined
    const value = check(unitInputSchema, { ...r, kind, staffCount: staff }, info.lines, errors, lang)
    if (value) rows.push({ line: info.lines, value })
  }
  return { rows, errors }
}

/** Parses a people sheet: external_id, full_name, unit_code, roles (separated by ; , or |), phone, locale. */
export function parsePeopleCsv(text: string, lang: Locale = 'vi'): CsvRows<PersonInput> {
  const rows: CsvRows<PersonInput>['rows'] = []
  const errors: CsvRowError[] = []
  for (const { record, info } of readCsv(text)) {
    const r = mapRow<PersonInput>(record, personHeaders)
    const roles = (r.roles ?? 'teacher')
      .split(/[;,|/]/)
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => roleAliases[key(x)] ?? x.toLowerCase())
    const locale = r.locale ? r.locale.toLowerCase().slice(0, 2) : undefined
    const value = check(personInputSchema, { ...r, roles, locale }, info.lines, errors, lang)
    if (value) rows.push({ line: info.lines, value })
  }
  return { rows, errors }
}
