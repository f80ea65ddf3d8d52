import type { Locale } from '#db/schema/index.js'
import { translator, type MessageKey, type Translate } from '../../i18n.js'
import { wallClock } from '../../time.js'
import type { Cell, Sheet } from '../spreadsheet.js'

/** One column of a downloadable list: its header (a catalog key) and how a row fills it. */
export interface Column<T> {
  header: MessageKey
  value: (row: T, t: Translate) => Cell
}

/** A list ready to be written as a sheet, in the caller's language and time zone. */
export interface ExportTable {
  render(locale: Locale, timeZone: string): Sheet
}

/**
 * A follow-up list as a sheet: a header row, then one row per item. Dates become real Excel dates
 * showing the local wall-clock time (see wallClock).
 */
export function table<T>(name: MessageKey, columns: readonly Column<T>[], rows: readonly T[]): ExportTable {
  return {
    render(locale, timeZone) {
      const t = translator(locale)
      const cell = (v: Cell) => (v instanceof Date ? wallClock(v, timeZone) : v)
      return {
        name: t(name),
        rows: [columns.map((col) => t(col.header)), ...rows.map((row) => columns.map((col) => cell(col.value(row, t))))],
      }
    },
  }
}

/**
 * What one download holds: the file's name (without extension), its sheets, and which sheet a
 * CSV (one table only) carries: the one with a row per person, the list to follow up.
 */
export interface ListExport {
  file: string
  tables: readonly ExportTable[]
  csvTable: number
}

/** Yes or no, as a cell. */
export const yesNo = (value: boolean, t: Translate) => t(value ? 'exports.yes' : 'exports.no')

/** A phone as people write it (0912 345 678): Excel keeps it as text, with its leading zero. */
export function showPhone(phone: string | null): string | null {
  if (!phone) return null
  const local = phone.replace(/^\+?84/, '0')
  return local.length === 10 ? `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}` : local.replace(/^(\d{4})(\d{3})(\d+)$/, '$1 $2 $3')
}
