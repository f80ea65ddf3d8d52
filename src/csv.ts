import { stringify } from 'csv-stringify/sync'

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab or carriage return)
 * gets a leading apostrophe: the difficulties a focal point typed in chat, or a name from an
 * imported sheet, must not become a formula in the Department's Excel (CSV injection).
 */
export function safeCell(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/**
 * A CSV file as Excel in Vietnam reads it: a byte-order mark (so the diacritics survive), cells
 * separated by `;` (the list separator of a Vietnamese Windows, where `,` is the decimal mark),
 * CRLF line ends, no cell run as a formula, and a date (its UTC fields the wall-clock time, see
 * wallClock in src/time.ts) as `yyyy-mm-dd hh:mm`, which Excel reads as a date.
 */
export function spreadsheetCsv(rows: readonly (readonly unknown[])[]): string {
  return (
    '\uFEFF' +
    stringify(
      rows.map((row) => row.map(safeCell)),
      { delimiter: ';', record_delimiter: '\r\n', cast: { date: (d) => d.toISOString().slice(0, 16).replace('T', ' ') } },
    )
  )
}
