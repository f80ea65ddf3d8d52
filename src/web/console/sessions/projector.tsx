import { Hono } from 'hono'
import { raw } from 'hono/html'
import type { AppDeps } from '#src/deps.js'
import { attendanceReport, findSession } from '#src/domain/attendance/sessions.js'
import { ensurePublicLink, publicPath } from '#src/domain/web/public-slugs.js'
import { AppError } from '#src/errors.js'
import { formatDateTime } from '#src/i18n.js'
import { publicBase } from '#src/http/public-links.js'
import { Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { qrSvg } from '../../qr.js'
import type { AppEnv } from '#src/http/env.js'

/** How often a live session page (attendance, projector) refreshes its count and list. */
export const LIVE_SECONDS = 5
/** A session's pages stay live from an hour before it opens until a quarter of an hour after it closes. */
const LIVE_BEFORE_MS = 60 * 60_000
const LIVE_AFTER_MS = 15 * 60_000

export function isLive(session: { opensAt: Date; closesAt: Date }, now: Date): boolean {
  const t = now.getTime()
  return t >= session.opensAt.getTime() - LIVE_BEFORE_MS && t <= session.closesAt.getTime() + LIVE_AFTER_MS
}

/**
 * GET /admin/sessions/:id/projector: the hall-screen view of a check-in session (walk O4). Nothing
 * but the session's title, a QR code of its public link filling the screen's height, the code in
 * large type with the chat command, and the count of who checked in, rising live (/assets/live.js).
 */
export function projectorPage(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/admin/sessions/:id/projector', async (c) => {
    const { t } = pageText(c)
    const id = Number(c.req.param('id'))
    const session = Number.isSafeInteger(id) && id > 0 ? await findSession(deps.db, id) : undefined
    if (!session) throw new AppError('not_found', 'api.errors.noSession', { id: c.req.param('id') ?? '' })
    const report = await attendanceReport(deps.db, session)
    const base = publicBase(deps.config, c)
    const url = base ? `${base}${publicPath('session', await ensurePublicLink(deps.db, 'session', session.id, deps.clock()))}` : null
    const live = isLive(session, deps.clock())
    const count = t('consoleContent.sessions.projectorCount', { n: report.attended, expected: report.expected })
    return c.html(
      <Layout c={c} title={session.title} bare liveSeconds={live ? LIVE_SECONDS : undefined}>
        <div class="projector">
          <h1>{session.title}</h1>
          <div class="projector-body">
            {url ? (
              <figure class="projector-qr" role="img" aria-label={t('publicLink.qrAlt', { url })}>
                {raw(await qrSvg(url))}
                <figcaption>{url}</figcaption>
              </figure>
            ) : (
              <p class="notice warn">{t('page.noPublicHost', { host: (c.req.header('host') ?? '').slice(0, 60) })}</p>
            )}
            <div class="projector-side">
              <p class="projector-label">{t('consoleContent.sessions.projectorCode')}</p>
              <p class="projector-code" id="projector-code">
                {session.code}
              </p>
              <p class="projector-how">{t('consoleContent.sessions.howTo', { code: session.code })}</p>
              <p class="projector-count" id="projector-count" data-live data-live-summary={count}>
                {count}
              </p>
              <p class="projector-window">
                {formatDateTime(session.opensAt, deps.config.timezone)} – {formatDateTime(session.closesAt, deps.config.timezone)}
              </p>
            </div>
          </div>
          <p class="projector-back">
            <a href={`/admin/sessions/${session.id}`}>← {t('consoleContent.sessions.projectorBack')}</a>
          </p>
        </div>
      </Layout>,
    )
  })
  return app
}
