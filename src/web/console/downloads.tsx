import { Hono, type Context } from 'hono'
import type { AppDeps } from '../../deps.js'
import { findSession } from '../../domain/attendance/sessions.js'
import { getBroadcast } from '../../domain/broadcast/service.js'
import { roleAllows } from '../../domain/console/signin-sessions.js'
import { findUnit, roles } from '../../domain/directory/units.js'
import { peopleExport } from '../../domain/export/people.js'
import { questionsExport } from '../../domain/export/questions.js'
import { workingClock } from '../../domain/calendar/working.js'
import { attendanceExport, broadcastExport, quizExport } from '../../domain/export/results.js'
import type { ListExport } from '../../domain/export/table.js'
import { findQuiz } from '../../domain/quiz/quizzes.js'
import { auditPhoneExport, exportResponse, type DownloadFormat } from '../../http/export.js'
import type { MessageKey, Params } from '../../i18n.js'
import { errorPage } from '../errors.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'
import type { AppEnv } from '../../http/env.js'

/**
 * "Tải Excel" and "Tải CSV" for a list on a console page: `href` is the download route without
 * its format, `query` the page's filters (kept, so the file holds what the page lists, every page of it).
 */
export function DownloadLinks({ c, href, query = '' }: { c: Context; href: string; query?: string }) {
  const { t } = pageText(c)
  return (
    <p class="actions no-print" data-downloads>
      <a class="button secondary" href={`${href}/xlsx${query}`} download>
        {t('exports.xlsx')}
      </a>
      <a class="button secondary" href={`${href}/csv${query}`} download>
        {t('exports.csv')}
      </a>
    </p>
  )
}

/** The page's query string without its page offset, for DownloadLinks. */
export function filtersOf(c: Context): string {
  const u = new URL(c.req.url)
  u.searchParams.delete('offset')
  return u.search
}

/** The downloads behind DownloadLinks: the same lists as the API's `?format=`, in the console's language. */
export function downloadPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const send = (c: Context, list: ListExport) => exportResponse(c, deps, list, c.req.param('format') as DownloadFormat, pageText(c).locale)
  const missing = (c: Context, key: MessageKey, params: Params) => errorPage(c, 404, key, params)
  const id = (c: Context) => Number(c.req.param('id'))

  // The directory as the people page filters it (who has not linked: linked=false); phones for admins, audited.
  app.get('/admin/directory/download/:format{csv|xlsx}', async (c) => {
    const unit = c.req.query('unit') || undefined
    const root = unit ? await findUnit(db, unit).catch(() => undefined) : undefined
    if (unit && !root) return missing(c, 'api.errors.noUnit', { code: unit })
    // As the page reads its form: a unit chosen with the box unticked sends no `subunits`.
    const subunits = unit === undefined || c.req.query('subunits') === '1'
    const role = roles.find((r) => r === c.req.query('role'))
    const linkedQ = c.req.query('linked')
    const account = accountOf(c)
    const withPhones = roleAllows(account.role, 'admin')
    const filter = {
      q: c.req.query('q'),
      role,
      linked: linkedQ === 'true' ? true : linkedQ === 'false' ? false : undefined,
      ...(root ? (subunits ? { underUnitId: root.id } : { unitCode: root.code }) : {}),
    }
    const response = await send(c, await peopleExport(db, filter, withPhones))
    if (withPhones) await auditPhoneExport(c, deps, { personId: account.personId, via: 'console' }, c.req.path)
    return response
  })

  app.get('/admin/broadcasts/:id{[0-9]+}/download/:format{csv|xlsx}', async (c) => {
    const b = await getBroadcast(db, id(c))
    return b ? send(c, await broadcastExport(db, b)) : missing(c, 'api.errors.noBroadcast', { id: c.req.param('id') })
  })

  app.get('/admin/quizzes/:id{[0-9]+}/download/:format{csv|xlsx}', async (c) => {
    const quiz = await findQuiz(db, id(c))
    return quiz ? send(c, await quizExport(db, quiz)) : missing(c, 'api.errors.noQuiz', { id: c.req.param('id') })
  })

  app.get('/admin/sessions/:id{[0-9]+}/download/:format{csv|xlsx}', async (c) => {
    const session = await findSession(db, id(c))
    return session ? send(c, await attendanceExport(db, session)) : missing(c, 'api.errors.noSession', { id: c.req.param('id') })
  })

  app.get('/admin/questions/download/:format{csv|xlsx}', async (c) => {
    const status = (['open', 'answered', 'all'] as const).find((s) => s === c.req.query('status')) ?? 'open'
    return send(c, await questionsExport(db, { status, unitCode: c.req.query('unitCode') || undefined }, workingClock(deps.config)))
  })

  return app
}
