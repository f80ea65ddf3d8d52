import type { Context } from 'hono'
import { z } from 'zod'
import type { Locale } from '#db/schema/index.js'
import type { AppDeps } from '../deps.js'
import { recordAudit } from '../domain/console/audit.js'
import type { ListExport } from '../domain/export/table.js'
import { workbook } from '../domain/spreadsheet.js'
import { clientIp } from './client-ip.js'
import { callerOf } from './auth.js'
import { csvResponse, xlsxResponse } from './csv.js'
import { localeOf } from './locale.js'

/** `?format=`: json (the default), or a download of the whole list as .xlsx or CSV. */
export const formatSchema = z.enum(['json', 'csv', 'xlsx']).default('json')
export type DownloadFormat = 'csv' | 'xlsx'

/**
 * A list as a download: every sheet in an .xlsx workbook, or its person-level sheet as a CSV for
 * Excel (src/csv.ts). Headers in the request's language (Vietnamese unless English was asked for).
 */
export async function exportResponse(c: Context, deps: AppDeps, list: ListExport, format: DownloadFormat, locale: Locale = localeOf(c)) {
  const sheets = list.tables.map((tab) => tab.render(locale, deps.config.timezone))
  if (format === 'csv') return csvResponse(c, `${list.file}.csv`, sheets[list.csvTable]!.rows)
  return xlsxResponse(c, `${list.file}.xlsx`, await workbook(sheets))
}

/**
 * Records a download that carried phone numbers in the audit log (reads are not recorded
 * otherwise): who, when, from where, and the path with the format (the API's `?format=`), never
 * the rest of the query (a search may hold a name).
 */
export async function auditPhoneExport(c: Context, deps: AppDeps, who: { personId: number | null; via: 'api' | 'console' }, path: string) {
  const caller = callerOf(c)
  await recordAudit(
    deps.db,
    {
      actor: caller ? caller.kind : who.personId === null ? 'admin_token' : 'account',
      personId: who.personId,
      tokenId: caller?.tokenId ?? null,
      via: who.via,
      method: 'GET',
      path,
      targetId: null,
      status: 200,
      ip: clientIp(c),
    },
    deps.clock(),
  )
}
