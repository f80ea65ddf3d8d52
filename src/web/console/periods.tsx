import { Hono, type Context } from 'hono'
import type { ChannelName } from '../../core/events.js'
import { z } from 'zod'
import { unitKinds } from '../../domain/directory/units.js'
import type { AppDeps } from '../../deps.js'
import { createPeriod, findPeriod, listPeriods, periodInputSchema } from '../../domain/reporting/periods.js'
import { previewReminders } from '../../domain/reporting/preview.js'
import { periodStatus } from '../../domain/reporting/status.js'
import { overdueFirst, statusTable } from '../../domain/reporting/table.js'
import { workbook } from '../../domain/spreadsheet.js'
import { toErrorResponse } from '../../errors.js'
import { formatDate, formatDateTime } from '../../i18n.js'
import { localDay, parseLocalDay, showLocalDay } from '../../time.js'
import { csvResponse, xlsxResponse } from '../../http/csv.js'
import { errorPage } from '../errors.js'
import { field, fields } from '../form.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'
import { roleAllows } from '../../domain/console/sessions.js'

type Form = { name: string; due: string; closes: string; kinds: string[]; codes: string; subunits: boolean }
const emptyForm: Form = { name: '', due: '', closes: '', kinds: [], codes: '', subunits: true }

/** /admin/periods: report periods, their status by unit, downloads, and the reminder preview. */
export function periodRoutes(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps
  const tz = deps.config.timezone

  const periodOf = async (c: Context) => {
    const id = Number(c.req.param('id'))
    const period = Number.isSafeInteger(id) && id > 0 ? await findPeriod(db, id) : undefined
    return period ?? null
  }

  const listPage = async (c: Context, form: Form, error?: string, status: 200 | 422 = 200) => {
    const { t } = pageText(c)
    const { periods } = await listPeriods(db, { limit: 100, offset: 0 })
    const rows = []
    for (const p of periods) rows.push({ p, totals: (await periodStatus(db, p)).totals })
    const canCreate = roleAllows(accountOf(c).role, 'admin')
    return c.html(
      <Layout c={c} title={t('consolePeriods.title')}>
        <h1>{t('consolePeriods.title')}</h1>
        {rows.length === 0 ? (
          <p class="muted">{t('consolePeriods.none')}</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('consolePeriods.name')}</th>
                  <th scope="col">{t('consolePeriods.due')}</th>
                  <th scope="col" class="num">
                    {t('consolePeriods.progress')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ p, totals }) => (
                  <tr>
                    <th scope="row">
                      <a href={`/admin/periods/${p.id}`}>{p.name}</a>
                    </th>
                    <td>{formatDateTime(p.dueAt, tz)}</td>
                    <td class="num">
                      {totals.submitted}/{totals.units}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canCreate && <CreateForm c={c} form={form} error={error} />}
      </Layout>,
      status,
    )
  }

  app.get('/admin/periods', (c) => listPage(c, emptyForm))

  app.post('/admin/periods', async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody({ all: true })
    const form: Form = {
      name: field(body, 'name'),
      due: field(body, 'due'),
      closes: field(body, 'closes'),
      kinds: fields(body, 'kinds'),
      codes: field(body, 'codes'),
      subunits: field(body, 'subunits') === '1',
    }
    const due = parseLocalDay(form.due)
    if (!due) return listPage(c, form, t('consolePeriods.badDay', { value: form.due }), 422)
    const closes = form.closes ? parseLocalDay(form.closes) : undefined
    if (closes === null) return listPage(c, form, t('consolePeriods.badDay', { value: form.closes }), 422)
    try {
      const input = periodInputSchema.parse({
        name: form.name,
        dueAt: due,
        ...(closes ? { closesAt: closes } : {}),
        unitKinds: form.kinds,
        unitCodes: form.codes.split(/[,;\s]+/).filter(Boolean),
        includeSubunits: form.subunits,
      })
      const period = await createPeriod(db, input, tz)
      return c.redirect(`/admin/periods/${period.id}?created=1`, 303)
    } catch (err) {
      const known = toErrorResponse(err, locale)
      if (!known) throw err
      const detail = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : ''
      return listPage(c, form, [known.body.error.message, detail].filter(Boolean).join(' '), 422)
    }
  })

  app.get('/admin/periods/:id', async (c) => {
    const { t } = pageText(c)
    const period = await periodOf(c)
    if (!period) return errorPage(c, 404, 'api.errors.noPeriod', { id: c.req.param('id') })
    const status = await periodStatus(db, period)
    const asked = c.req.query('day')
    const day = asked ? parseLocalDay(asked) : localDay(deps.clock(), tz)
    const preview = day ? await previewReminders(deps, day, period.id) : null
    const { totals } = status
    return c.html(
      <Layout c={c} title={period.name}>
        <h1>{period.name}</h1>
        {c.req.query('created') === '1' && (
          <p class="notice ok" role="status">
            {t('consolePeriods.created', { name: period.name, units: totals.units })}
          </p>
        )}
        <dl class="facts card">
          <dt>{t('consolePeriods.due')}</dt>
          <dd>{formatDateTime(period.dueAt, tz)}</dd>
          <dt>{t('consolePeriods.closes')}</dt>
          <dd>{formatDate(period.closesAt, tz)}</dd>
        </dl>
        <p data-totals>
          {t('consolePeriods.totals', {
            submitted: totals.submitted,
            units: totals.units,
            late: totals.late,
            missing: totals.missing,
            noFocal: totals.noLinkedFocalPoint,
          })}
        </p>
        <p class="actions no-print">
          <a class="button secondary" href={`/admin/periods/${period.id}/download/csv`} download>
            {t('consolePeriods.downloadCsv')}
          </a>
          <a class="button secondary" href={`/admin/periods/${period.id}/download/xlsx`} download>
            {t('consolePeriods.downloadXlsx')}
          </a>
        </p>
        <h2 id="status">{t('consolePeriods.statusTitle')}</h2>
        <div class="table-wrap" tabindex={0}>
          <table aria-labelledby="status">
            <thead>
              <tr>
                <th scope="col">{t('consolePeriods.unit')}</th>
                <th scope="col">{t('consolePeriods.state')}</th>
                <th scope="col">{t('consolePeriods.submittedAt')}</th>
                <th scope="col">{t('consolePeriods.focal')}</th>
              </tr>
            </thead>
            <tbody>
              {overdueFirst(status.units).map((u) => (
                <tr data-unit={u.unit.code} data-state={u.state}>
                  <th scope="row">{u.unit.name}</th>
                  <td>
                    <span class={`badge ${u.state === 'on_time' ? 'met' : u.state === 'late' ? 'close' : 'behind'}`}>{t(`report.status.${u.state}`)}</span>
                  </td>
                  <td>{u.report ? formatDateTime(u.report.submittedAt, tz) : '—'}</td>
                  <td>
                    {u.focalPoints.length === 0
                      ? t('consolePeriods.noFocal')
                      : u.focalPoints.map((f) => `${f.fullName}${f.chat ? '' : ` ${t('consolePeriods.notLinked')}`}`).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <section class="card no-print" aria-labelledby="preview">
          <h2 id="preview">{t('consolePeriods.previewTitle')}</h2>
          <p class="hint">{t('consolePeriods.previewHint')}</p>
          <form method="get" action={`/admin/periods/${period.id}`} class="actions">
            <label for="day">{t('consolePeriods.previewDay')}</label>
            <input id="day" name="day" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" value={day ? showLocalDay(day) : asked} />
            <button type="submit">{t('consolePeriods.previewSubmit')}</button>
          </form>
          {!day && (
            <p class="notice error" role="alert">
              {t('consolePeriods.badDay', { value: asked ?? '' })}
            </p>
          )}
          {day && preview && (
            <div role="status">
              <p>
                {preview.length === 0
                  ? t('consolePeriods.previewNone', { day: showLocalDay(day) })
                  : t('consolePeriods.previewCount', { day: showLocalDay(day), count: preview.length })}
              </p>
              {preview.length > 0 && (
                <div class="table-wrap" tabindex={0}>
                  <table data-preview>
                    <thead>
                      <tr>
                        <th scope="col">{t('consolePeriods.person')}</th>
                        <th scope="col">{t('consolePeriods.unit')}</th>
                        <th scope="col">{t('consolePeriods.kind')}</th>
                        <th scope="col">{t('consolePeriods.channel')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {preview.map((p) => (
                        <tr>
                          <td>{p.fullName}</td>
                          <td>{p.unitName ?? '—'}</td>
                          <td>{t(`consolePeriods.kindNames.${p.kind}`)}</td>
                          <td>{p.channel ? t(`channel.${p.channel as ChannelName}`) : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          )}
        </section>
      </Layout>,
    )
  })

  app.get('/admin/periods/:id/download/:format{csv|xlsx}', async (c) => {
    const period = await periodOf(c)
    if (!period) return errorPage(c, 404, 'api.errors.noPeriod', { id: c.req.param('id') })
    const table = statusTable(await periodStatus(db, period), pageText(c).locale, tz)
    const name = `bao-cao-ky-${period.id}`
    if (c.req.param('format') === 'csv') return csvResponse(c, `${name}.csv`, table)
    return xlsxResponse(c, `${name}.xlsx`, await workbook([{ name: period.name, rows: table }]))
  })

  return app
}

function CreateForm(props: { c: Context; form: Form; error?: string }) {
  const { c, form } = props
  const { t } = pageText(c)
  return (
    <section class="card" aria-labelledby="create">
      <h2 id="create">{t('consolePeriods.create')}</h2>
      <form method="post" action="/admin/periods" class="stack">
        <CsrfField c={c} />
        {props.error && (
          <p class="notice error" role="alert">
            {props.error}
          </p>
        )}
        <div>
          <label for="name">{t('consolePeriods.name')}</label>
          <input id="name" name="name" type="text" required maxlength={200} value={form.name} aria-describedby="name-hint" />
          <p id="name-hint" class="hint">
            {t('consolePeriods.nameHint')}
          </p>
        </div>
        <div>
          <label for="due">{t('consolePeriods.due')}</label>
          <input id="due" name="due" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" required value={form.due} aria-describedby="due-hint" />
          <p id="due-hint" class="hint">
            {t('consolePeriods.dueHint')}
          </p>
        </div>
        <div>
          <label for="closes">{t('consolePeriods.closes')}</label>
          <input id="closes" name="closes" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" value={form.closes} aria-describedby="closes-hint" />
          <p id="closes-hint" class="hint">
            {t('consolePeriods.closesHint')}
          </p>
        </div>
        <fieldset>
          <legend>{t('consolePeriods.kinds')}</legend>
          <p class="hint">{t('consolePeriods.kindsHint')}</p>
          {unitKinds.map((k) => (
            <label>
              <input type="checkbox" name="kinds" value={k} checked={form.kinds.includes(k)} /> {t(`consolePeriods.unitKinds.${k}`)}
            </label>
          ))}
        </fieldset>
        <div>
          <label for="codes">{t('consolePeriods.codes')}</label>
          <input id="codes" name="codes" type="text" value={form.codes} />
          <label>
            <input type="checkbox" name="subunits" value="1" checked={form.subunits} /> {t('consolePeriods.subunits')}
          </label>
        </div>
        <div class="actions">
          <button type="submit">{t('consolePeriods.submit')}</button>
        </div>
      </form>
    </section>
  )
}
