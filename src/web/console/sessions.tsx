import { Hono, type Context } from 'hono'
import type { SessionKind } from '../../../db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { attendanceReport, createSession, sessionKinds, findSession, listSessions, sessionInputSchema } from '../../domain/attendance/sessions.js'
import type { Audience } from '../../domain/audience.js'
import { listUnits } from '../../domain/directory/units.js'
import { AppError } from '../../errors.js'
import { formatDateTime, formatPercent, type Translate } from '../../i18n.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { CreateAction } from './create-action.js'
import { DownloadLinks } from './downloads.js'
import { AudienceFields, DateTimeFields, dateTimeValue, ErrorList, errorMessages, readAudience, readDateTime, readForm, validate } from './forms.js'
import { PublicLinkCard } from '../public-link.js'
import { offeredPlatforms } from './platforms.js'
import { isLive, LIVE_SECONDS, projectorPage } from './session-projector.js'

interface SessionDraft {
  title: string
  kind: SessionKind
  code: string
  opens: { date: string; time: string }
  closes: { date: string; time: string }
  audience: Audience
}

function label(t: Translate, path: string): string {
  const key = path.split('.')[0]
  if (key === 'code') return t('consoleContent.sessions.fieldCode')
  if (key === 'title') return t('consoleContent.sessions.fieldTitle')
  if (key === 'closesAt') return t('consoleContent.sessions.closes')
  if (key === 'opensAt') return t('consoleContent.sessions.opens')
  return path
}

/** Check-in sessions: list, create (code typed or generated), and who checked in, by name, unit, time and platform. */
export function sessionPages(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps
  const zone = deps.config.timezone

  app.get('/admin/sessions', async (c) => {
    const { t } = pageText(c)
    const sessions = await listSessions(db)
    return c.html(
      <Layout c={c} title={t('consoleContent.sessions.title')}>
        <h1>{t('consoleContent.sessions.title')}</h1>
        <CreateAction c={c} href="/admin/sessions/new" label={t('consoleContent.sessions.create')} />
        {sessions.length === 0 ? (
          <p>{t('consoleContent.sessions.empty')}</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('consoleContent.sessions.colTitle')}</th>
                  <th scope="col">{t('consoleContent.sessions.colKind')}</th>
                  <th scope="col">{t('consoleContent.sessions.colCode')}</th>
                  <th scope="col">{t('consoleContent.sessions.colWindow')}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr data-session={s.id}>
                    <th scope="row">
                      <a href={`/admin/sessions/${s.id}`}>{s.title}</a>
                    </th>
                    <td>{t(`consoleContent.sessions.kind.${s.kind}`)}</td>
                    <td>
                      <code>{s.code}</code>
                    </td>
                    <td>
                      {formatDateTime(new Date(s.opensAt), zone)} – {formatDateTime(new Date(s.closesAt), zone)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    )
  })

  const formPage = async (c: Context, draft: SessionDraft, errors: string[] = [], status: 200 | 400 | 409 | 422 = 200) => {
    const { t } = pageText(c)
    const units = await listUnits(db)
    return c.html(
      <Layout c={c} title={t('consoleContent.sessions.newTitle')}>
        <h1>{t('consoleContent.sessions.newTitle')}</h1>
        <ErrorList t={t} errors={errors} />
        <form method="post" action="/admin/sessions/new" class="stack" novalidate>
          <CsrfField c={c} />
          <div>
            <label for="title">{t('consoleContent.sessions.fieldTitle')}</label>
            <input type="text" id="title" name="title" value={draft.title} maxlength={300} required />
          </div>
          <div>
            <label for="kind">{t('consoleContent.sessions.fieldKind')}</label>
            <select id="kind" name="kind">
              {sessionKinds.map((k) => (
                <option value={k} selected={draft.kind === k}>
                  {t(`consoleContent.sessions.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="code">{t('consoleContent.sessions.fieldCode')}</label>
            <input type="text" id="code" name="code" value={draft.code} maxlength={20} autocomplete="off" />
          </div>
          <DateTimeFields t={t} name="opens" legend={t('consoleContent.sessions.opens')} value={draft.opens} zone={zone} required />
          <DateTimeFields t={t} name="closes" legend={t('consoleContent.sessions.closes')} value={draft.closes} zone={zone} required />
          <AudienceFields t={t} units={units} value={draft.audience} platforms={offeredPlatforms(deps, draft.audience.platforms)} />
          <div class="actions">
            <button type="submit">{t('consoleContent.sessions.submit')}</button>
          </div>
        </form>
      </Layout>,
      status,
    )
  }

  app.get('/admin/sessions/new', (c) =>
    formPage(c, {
      title: '',
      kind: 'briefing',
      code: '',
      opens: { date: '', time: '' },
      closes: { date: '', time: '' },
      audience: { unitCodes: [], includeSubunits: true, unitKinds: [], roles: [], platforms: [] },
    }),
  )

  app.post('/admin/sessions/new', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const kind = form.get('kind')
    const draft: SessionDraft = {
      title: form.get('title'),
      kind: (sessionKinds as readonly string[]).includes(kind) ? (kind as SessionKind) : 'briefing',
      code: form.get('code'),
      opens: dateTimeValue(form, 'opens'),
      closes: dateTimeValue(form, 'closes'),
      audience: readAudience(form),
    }
    const errors: string[] = []
    if (!draft.title) errors.push(t('consoleContent.sessions.titleMissing'))
    const opens = readDateTime(t, form, 'opens', t('consoleContent.sessions.opens'), zone)
    if (opens && 'error' in opens) errors.push(opens.error)
    const closes = readDateTime(t, form, 'closes', t('consoleContent.sessions.closes'), zone)
    if (closes && 'error' in closes) errors.push(closes.error)
    if (errors.length) return formPage(c, draft, errors, 400)
    const opensAt = (opens as { at: Date }).at
    const closesAt = (closes as { at: Date }).at
    if (closesAt.getTime() <= opensAt.getTime()) return formPage(c, draft, [t('consoleContent.sessions.closesBeforeOpens')], 400)
    const parsed = validate(
      c,
      sessionInputSchema,
      {
        title: draft.title,
        kind: draft.kind,
        opensAt: opensAt.toISOString(),
        closesAt: closesAt.toISOString(),
        ...(draft.code ? { code: draft.code } : {}),
        audience: draft.audience,
      },
      (p) => label(t, p),
    )
    if ('errors' in parsed) return formPage(c, draft, parsed.errors, 400)
    try {
      const session = await createSession(db, parsed.data, deps.clock())
      return c.redirect(`/admin/sessions/${session.id}?done=created`, 303)
    } catch (err) {
      const messages = errorMessages(c, err, (p) => label(t, p))
      if (!messages) throw err
      return formPage(c, draft, messages, err instanceof AppError && err.code === 'conflict' ? 409 : 422)
    }
  })

  app.get('/admin/sessions/:id', async (c) => {
    const { t, locale } = pageText(c)
    const id = Number(c.req.param('id'))
    const session = Number.isSafeInteger(id) && id > 0 ? await findSession(db, id) : undefined
    if (!session) throw new AppError('not_found', 'api.errors.noSession', { id: c.req.param('id') ?? '' })
    const report = await attendanceReport(db, session)
    const units = new Map((await listUnits(db)).map((u) => [u.code, u.name]))
    const pct = (x: number | null | undefined) => formatPercent(x, locale)
    const live = isLive(session, deps.clock())
    return c.html(
      <Layout c={c} title={session.title} liveSeconds={live ? LIVE_SECONDS : undefined}>
        <p>
          <a href="/admin/sessions">← {t('consoleContent.sessions.title')}</a>
        </p>
        <h1>{session.title}</h1>
        <p class="actions">
          <a class="button secondary" href={`/admin/sessions/${session.id}/projector`} id="projector-link">
            {t('consoleContent.sessions.projector')}
          </a>
        </p>
        {live && <p class="hint">{t('consoleContent.sessions.live', { seconds: LIVE_SECONDS })}</p>}
        <PublicLinkCard c={c} deps={deps} kind="session" itemId={session.id} />
        {c.req.query('done') === 'created' && (
          <p role="status" class="notice ok" id="flash">
            {t('consoleContent.sessions.created', { code: session.code })}
          </p>
        )}
        <dl class="facts card" id="session-facts" data-live>
          <dt>{t('consoleContent.sessions.colCode')}</dt>
          <dd>
            <code class="big" id="session-code">
              {session.code}
            </code>
          </dd>
          <dt>{t('consoleContent.sessions.colKind')}</dt>
          <dd>{t(`consoleContent.sessions.kind.${session.kind}`)}</dd>
          <dt>{t('consoleContent.sessions.colWindow')}</dt>
          <dd>
            {formatDateTime(session.opensAt, zone)} – {formatDateTime(session.closesAt, zone)}
          </dd>
          <dt>{t('consoleContent.sessions.expected')}</dt>
          <dd>{report.expected}</dd>
          <dt>{t('consoleContent.sessions.attended')}</dt>
          <dd data-count="attended" data-live-summary={`${t('consoleContent.sessions.attended')}: ${report.attended}`}>
            {report.attended}
          </dd>
          <dt>{t('consoleContent.sessions.share')}</dt>
          <dd>{pct(report.share)}</dd>
        </dl>
        <p class="hint">{t('consoleContent.sessions.howTo', { code: session.code })}</p>
        <h2 id="attendance">{t('consoleContent.sessions.attendance')}</h2>
        <DownloadLinks c={c} href={`/admin/sessions/${session.id}/download`} />
        <div id="attendance-list" data-live>
        {report.items.length === 0 ? (
          <p>{t('consoleContent.sessions.nobody')}</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table aria-labelledby="attendance">
              <thead>
                <tr>
                  <th scope="col">{t('consoleContent.sessions.name')}</th>
                  <th scope="col">{t('consoleContent.sessions.unit')}</th>
                  <th scope="col">{t('consoleContent.sessions.time')}</th>
                  <th scope="col">{t('consoleContent.sessions.channel')}</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((a) => (
                  <tr data-person={a.personId}>
                    <th scope="row">
                      {a.fullName}
                      {!a.inAudience && <span class="muted"> {t('consoleContent.sessions.outside')}</span>}
                    </th>
                    <td>
                      {units.get(a.unitCode) ?? a.unitCode} <span class="muted">({a.unitCode})</span>
                    </td>
                    <td>{formatDateTime(new Date(a.checkedInAt), zone)}</td>
                    <td>{t(`consoleContent.channel.${a.channel}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        </div>
      </Layout>,
    )
  })

  app.route('/', projectorPage(deps))
  return app
}
