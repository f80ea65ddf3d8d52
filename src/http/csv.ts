import type { Context } from 'hono'
import { spreadsheetCsv } from '../csv.js'

/** A CSV download for a spreadsheet (see spreadsheetCsv). */
export function csvResponse(c: Context, filename: string, rows: readonly (readonly unknown[])[]) {
  return c.body(spreadsheetCsv(rows), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  })
}
