import { stringify } from 'csv-stringify/sync'

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab or carriage return)
 * gets a leading apostrophe: the difficulties a focal point typed in chat, or a name from an
 * imported sheet, must not become a formula in the Department's Excel (CSV injection).
 */
export function safeCell(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** A CSV file for Excel: a byte-order mark (so the diacritics survive) and no cell run as a formula. */
export function spreadsheetCsv(rows: readonly (readonly unknown[])[]): string {
  return '\uFEFF' + stringify(rows.map((row) => row.map(safeCell)))
}
