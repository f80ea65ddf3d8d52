import type { Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { sessionKinds, type attendanceReport, type listSessions } from '#src/domain/attendance/sessions.js'
import type { MessengerName } from '#src/core/events.js'
import { formatDateTime, formatPercent } from '#src/i18n.js'
import { Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { PublicLinkCard } from '../../public-link.js'
import { DataTable } from '../components/data-table.js'
import { FormPage } from '../components/form-page.js'
import { ListPage } from '../components/list-page.js'
import { CreateAction } from '../create-action.js'
import { DownloadLinks } from '../downloads.js'
import { AudienceFields, DateTimeFields, type UnitOption } from '../forms.js'
import { LIVE_SECONDS } from './projector.js'
import type { SessionDraft } from './form.js'

type SessionItem = Awaited<ReturnType<typeof listSessions>>[number]
type SessionRow = Parameters<typeof attendanceReport>[1]
type Report = Awaited<ReturnType<typeof attendanceReport>>

/** /admin/sessions: every check-in session with its kind, code and window. */
export function SessionListPage({ c, sessions, zone }: { c: Context; sessions: readonly SessionItem[]; zone: string }) {
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleContent.sessions.title')}
      before={<CreateAction c={c} href="/admin/sessions/new" label={t('consoleContent.sessions.create')} />}
      empty={sessions.length === 0}
      emptyText={t('consoleContent.sessions.empty')}
    >
      <DataTable
        rows={sessions}
        rowAttributes={(s) => ({ 'data-session': s.id })}
        columns={[
          { head: t('consoleContent.sessions.colTitle'), rowHeader: true, cell: (s) => <a href={`/admin/sessions/${s.id}`}>{s.title}</a> },
          { head: t('consoleContent.sessions.colKind'), cell: (s) => t(`consoleContent.sessions.kind.${s.kind}`) },
          { head: t('consoleContent.sessions.colCode'), cell: (s) => <code>{s.code}</code> },
          { head: t('consoleContent.sessions.colWindow'), cell: (s) => <>{formatDateTime(new Date(s.opensAt), zone)} – {formatDateTime(new Date(s.closesAt), zone)}</> },
        ]}
      />
    </ListPage>
  )
}

/** /admin/sessions/new: title, kind, code (typed or left for one to be made), window and audience. */
export function SessionFormPage(props: { c: Context; draft: SessionDraft; errors: string[]; units: readonly UnitOption[]; platforms: readonly MessengerName[]; zone: string }) {
  const { c, draft, zone } = props
  const { t } = pageText(c)
  return (
    <FormPage c={c} t={t} title={t('consoleContent.sessions.newTitle')} action="/admin/sessions/new" errors={props.errors} submit={t('consoleContent.sessions.submit')}>
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
      <AudienceFields t={t} units={props.units} value={draft.audience} platforms={props.platforms} />
    </FormPage>
  )
}

interface SessionPageProps {
  c: Context
  deps: AppDeps
  session: SessionRow
  report: Report
  unitNames: Map<string, string>
  live: boolean
}

/** /admin/sessions/:id: the code to show the room, the figures, and who checked in (live while the session runs). */
export function SessionPage(props: SessionPageProps) {
  const { c, session, live } = props
  const { t } = pageText(c)
  return (
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
      <PublicLinkCard c={c} deps={props.deps} kind="session" itemId={session.id} />
      {c.req.query('done') === 'created' && (
        <p role="status" class="notice ok" id="flash">
          {t('consoleContent.sessions.created', { code: session.code })}
        </p>
      )}
      <SessionFacts {...props} />
      <p class="hint">{t('consoleContent.sessions.howTo', { code: session.code })}</p>
      <h2 id="attendance">{t('consoleContent.sessions.attendance')}</h2>
      <DownloadLinks c={c} href={`/admin/sessions/${session.id}/download`} />
      <div id="attendance-list" data-live>
        <AttendanceList {...props} />
      </div>
    </Layout>
  )
}

function SessionFacts({ c, deps, session, report }: SessionPageProps) {
  const { t, locale } = pageText(c)
  const zone = deps.config.timezone
  return (
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
      <dd>{formatPercent(report.share, locale)}</dd>
    </dl>
  )
}

function AttendanceList({ c, deps, report, unitNames }: SessionPageProps) {
  const { t } = pageText(c)
  const zone = deps.config.timezone
  if (report.items.length === 0) return <p>{t('consoleContent.sessions.nobody')}</p>
  return (
    <DataTable
      labelledBy="attendance"
      rows={report.items}
      rowAttributes={(a) => ({ 'data-person': a.personId })}
      columns={[
        {
          head: t('consoleContent.sessions.name'),
          rowHeader: true,
          cell: (a) => (
            <>
              {a.fullName}
              {!a.inAudience && <span class="muted"> {t('consoleContent.sessions.outside')}</span>}
            </>
          ),
        },
        { head: t('consoleContent.sessions.unit'), cell: (a) => <>{unitNames.get(a.unitCode) ?? a.unitCode} <span class="muted">({a.unitCode})</span></> },
        { head: t('consoleContent.sessions.time'), cell: (a) => formatDateTime(new Date(a.checkedInAt), zone) },
        { head: t('consoleContent.sessions.channel'), cell: (a) => t(`consoleContent.channel.${a.channel}`) },
      ]}
    />
  )
}
