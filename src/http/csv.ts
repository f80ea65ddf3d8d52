import type { Context } from 'hono'
import { spreadsheetCsv } from '../csv.js'
import { XLSX_TYPE } from '../domain/spreadsheet.js'

/** A CSV download for a spreadsheet (see spreadsheetCsv). */
export function csvResponse(c: Context, filename: string, rows: readonly (readonly unknown[])[]) {
  return c.body(spreadsheetCsv(rows), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  })
}

/** An .xlsx download (see src/domain/spreadsheet.ts). */
export function xlsxResponse(c: Context, filename: string, bytes: Uint8Array) {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': XLSX_TYPE,
    'content-disposition': `attachment; filename="${filename}"`,
  })
}
