import { stringify } from 'csv-stringify/sync'
import type { Context } from 'hono'

/**
 * A CSV download. The byte-order mark makes Excel read the file as UTF-8, so Vietnamese names keep
 * their diacritics.
 */
export function csvResponse(c: Context, filename: string, rows: readonly (readonly unknown[])[]) {
  return c.body('\uFEFF' + stringify(rows as unknown[][]), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  })
}
