import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { AppDeps } from '../../deps.js'
import { roleAllows } from '../../domain/console/sessions.js'
import { importDirectory, type ImportAction, type ImportResult } from '../../domain/directory/import.js'
import { importTemplate } from '../../domain/directory/template.js'
import { xlsxResponse } from '../../http/csv.js'
import { inviteSheet } from '../../domain/directory/invite-sheet.js'
import { findPersonWithUnit, listPeople, updatePerson } from '../../domain/directory/people.js'
import { personPatchSchema, unitPatchSchema, type PersonPatch, type UnitPatch } from '../../domain/directory/schemas.js'
import { linkingSummary, listUnits, removeUnit, roles, unitKinds, updateUnit, findUnit } from '../../domain/directory/units.js'
import { eraseFromDisk } from '../../domain/privacy.js'
import { toErrorResponse, zodErrorMap } from '../../errors.js'
import { isMessageKey, type Translate } from '../../i18n.js'
import { errorPage } from '../errors.js'
import { field, fields, MAX_QUERY_OFFSET, queryInt } from '../form.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { accountOf, requireRole } from './auth.js'
import { PersonInviteForm } from './person-invite.js'
import { PersonChats } from './person-chats.js'
import { listLinks } from '../../domain/directory/links.js'
import { InviteSheetPage, SHEET_PAGE } from './invite-sheet-page.js'
import { DownloadLinks, filtersOf } from './downloads.js'
import { ColumnChoiceFields, ColumnChoicesForm, columnChoicesFrom } from './import-columns.js'

const PAGE = 100
/** Preview rows shown of each table; the counts and every problem are always shown in full. */
const PREVIEW_ROWS = 200

type UnitOption = { code: string; name: string; depth: number }

/** The units in tree order (each followed by the units below it), for pickers and the units page. */
async function unitTree(deps: AppDeps): Promise<(UnitOption & { kind: (typeof unitKinds)[number]; parentCode: string | null; staffCount: number | null; people: number; notLinked: number })[]> {
  const [summary, all] = await Promise.all([linkingSummary(deps.db), listUnits(deps.db)])
  const info = new Map(all.map((u) => [u.code, u]))
  const children = new Map<string | null, typeof summary.units>()
  for (const u of summary.units) {
    const parent = u.parentCode && info.has(u.parentCode) ? u.parentCode : null
    children.set(parent, [...(children.get(parent) ?? []), u])
  }
  const out: Awaited<ReturnType<typeof unitTree>> = []
  const walk = (parent: string | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      if (depth > 32) return
      out.push({ code: u.code, name: u.name, depth, kind: u.kind, parentCode: u.parentCode, staffCount: info.get(u.code)?.staffCount ?? null, people: u.subtree.people, notLinked: u.subtree.notLinked })
      walk(u.code, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

function UnitSelect(props: { id: string; name: string; units: UnitOption[]; value: string; empty?: string }) {
  return (
    <select id={props.id} name={props.name}>
      {props.empty !== undefined && <option value="">{props.empty}</option>}
      {props.units.map((u) => (
        <option value={u.code} selected={u.code === props.value}>
          {`${'\u00a0\u00a0'.repeat(u.depth)}${u.name} (${u.code})`}
        </option>
      ))}
    </select>
  )
}

function Tabs({ c, here }: { c: Context; here: string }) {
  const { t } = pageText(c)
  const tabs = [
    ['people', '/admin/directory'],
    ['units', '/admin/directory/units'],
    ['import', '/admin/directory/import'],
    ['linking', '/admin/directory/linking'],
    ['invites', '/admin/directory/invites'],
  ] as const
  return (
    <nav class="actions no-print" aria-label={t('consoleDirectory.title')}>
      {tabs.map(([key, href]) => (
        <a class={`button ${key === here ? '' : 'secondary'}`} href={href} aria-current={key === here ? 'page' : undefined}>
          {t(`consoleDirectory.tabs.${key}`)}
        </a>
      ))}
    </nav>
  )
}

function Page(props: { c: Context; title: string; tab: string; children?: Child }) {
  return (
    <Layout c={props.c} title={props.title}>
      <h1>{props.title}</h1>
      <Tabs c={props.c} here={props.tab} />
      {props.children}
    </Layout>
  )
}

const roleList = (t: Translate, list: readonly (typeof roles)[number][]) => list.map((r) => t(`consoleDirectory.roleNames.${r}`)).join(', ')

/** What went wrong, in the page's language, from an AppError or a zod error. */
function problemText(err: unknown, c: Context): string | null {
  const { locale } = pageText(c)
  const known = toErrorResponse(err, locale)
  if (!known) return null
  const details = known.body.error.details
  const extra = Array.isArray(details) ? details.map((d: { path?: string; message?: string }) => [d.path, d.message].filter(Boolean).join(': ')).join('; ') : ''
  return [known.body.error.message, extra].filter(Boolean).join(' ')
}

function Notice({ kind, text }: { kind: 'ok' | 'error'; text?: string | null }) {
  if (!text) return null
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  )
}

/** /admin/directory: people (search, filters, edit, move, remove), units, import, not linked yet, invite sheets. */
export function directoryPageRoutes(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps

  // People: search and filters (unit with its subtree, role, linked or not).
  app.get('/admin/directory', async (c) => {
    const { t } = pageText(c)
    const q = c.req.query('q') ?? ''
    const unit = c.req.query('unit') ?? ''
    // The box is ticked by default; once the form is sent, an unticked box sends nothing.
    const subunits = c.req.query('unit') === undefined || c.req.query('subunits') === '1'
    const role = (roles as readonly string[]).includes(c.req.query('role') ?? '') ? (c.req.query('role') as (typeof roles)[number]) : undefined
    const linkedQ = c.req.query('linked')
    const linked = linkedQ === 'true' ? true : linkedQ === 'false' ? false : undefined
    const offset = queryInt(c.req.query('offset'), 0, MAX_QUERY_OFFSET)
    const units = await unitTree(deps)
    const root = unit ? await findUnit(db, unit).catch(() => undefined) : undefined
    if (unit && !root) return errorPage(c, 404, 'api.errors.noUnit', { code: unit })
    const found = await listPeople(db, {
      q,
      phoneSearch: roleAllows(accountOf(c).role, 'admin'),
      role,
      linked,
      ...(root ? (subunits ? { underUnitId: root.id } : { unitCode: root.code }) : {}),
      limit: PAGE,
      offset,
    })
    const canEdit = roleAllows(accountOf(c).role, 'admin')
    const pageHref = (to: number) => {
      const u = new URL(c.req.url)
      u.searchParams.set('offset', String(to))
      return `${u.pathname}${u.search}`
    }
    return c.html(
      <Page c={c} title={t('consoleDirectory.title')} tab="people">
        <Notice kind="ok" text={c.req.query('removed') ? t('consoleDirectory.person.removed', { id: c.req.query('removed')! }) : null} />
        <form method="get" action="/admin/directory" class="card grid" role="search">
          <div>
            <label for="q">{t('consoleDirectory.search')}</label>
            <input id="q" name="q" type="search" value={q} />
          </div>
          <div>
            <label for="unit">{t('consoleDirectory.unit')}</label>
            <UnitSelect id="unit" name="unit" units={units} value={unit} empty={t('consoleDirectory.anyUnit')} />
            <label>
              <input type="checkbox" name="subunits" value="1" checked={subunits} /> {t('consoleDirectory.subunits')}
            </label>
          </div>
          <div>
            <label for="role">{t('consoleDirectory.role')}</label>
            <select id="role" name="role">
              <option value="">{t('consoleDirectory.anyRole')}</option>
              {roles.map((r) => (
                <option value={r} selected={r === role}>
                  {t(`consoleDirectory.roleNames.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="linked">{t('consoleDirectory.linked')}</label>
            <select id="linked" name="linked">
              <option value="">{t('consoleDirectory.anyLinked')}</option>
              <option value="true" selected={linked === true}>
                {t('consoleDirectory.linkedYes')}
              </option>
              <option value="false" selected={linked === false}>
                {t('consoleDirectory.linkedNo')}
              </option>
            </select>
          </div>
          <div class="actions">
            <button type="submit">{t('consoleDirectory.filter')}</button>
          </div>
        </form>
        <p role="status" data-total={found.total}>
          {found.total ? t('consoleDirectory.found', { total: found.total }) : t('consoleDirectory.none')}
        </p>
        {found.total > 0 && <DownloadLinks c={c} href="/admin/directory/download" query={filtersOf(c)} />}
        {found.items.length > 0 && (
          <div class="table-wrap">
            <table data-people>
              <thead>
                <tr>
                  <th scope="col">{t('consoleDirectory.name')}</th>
                  <th scope="col">{t('consoleDirectory.externalId')}</th>
                  <th scope="col">{t('consoleDirectory.unit')}</th>
                  <th scope="col">{t('consoleDirectory.roles')}</th>
                  <th scope="col">{t('consoleDirectory.channels')}</th>
                  {canEdit && (
                  <th scope="col">
                    <span class="visually-hidden">{t('web.console.actions')}</span>
                  </th>
                )}
                </tr>
              </thead>
              <tbody>
                {found.items.map((p) => (
                  <tr data-person={p.id}>
                    <th scope="row">{p.fullName}</th>
                    <td>{p.externalId ?? ''}</td>
                    <td>{p.unitName}</td>
                    <td>{roleList(t, p.roles)}</td>
                    <td>{p.channels.length ? p.channels.map((ch) => t(`channel.${ch.channel}`)).join(', ') : t('consoleDirectory.notLinked')}</td>
                    {canEdit && (
                      <td>
                        <a href={`/admin/directory/people/${p.id}`}>{t('consoleDirectory.edit')}</a>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="actions">
          {offset > 0 && <a href={pageHref(Math.max(0, offset - PAGE))}>{t('consoleDirectory.previous')}</a>}
          {offset + PAGE < found.total && <a href={pageHref(offset + PAGE)}>{t('consoleDirectory.next')}</a>}
        </p>
      </Page>,
    )
  })

  // One person: edit (name, staff ID, unit, roles, phone, language) and remove.
  const personPage = async (c: Context, id: number, message?: { kind: 'ok' | 'error'; text: string }, status: 200 | 422 = 200) => {
    const { t } = pageText(c)
    const found = await findPersonWithUnit(db, id)
    if (!found || found.person.erasedAt) return errorPage(c, 404, 'api.errors.noPerson', { id })
    const p = found.person
    const [units, links] = await Promise.all([unitTree(deps), listLinks(db, id)])
    return c.html(
      <Page c={c} title={t('consoleDirectory.person.title')} tab="people">
        <Notice kind={message?.kind ?? 'ok'} text={message?.text} />
        <form method="post" action={`/admin/directory/people/${id}`} class="card stack">
          <CsrfField c={c} />
          <div>
            <label for="fullName">{t('consoleDirectory.name')}</label>
            <input id="fullName" name="fullName" type="text" value={p.fullName} required />
          </div>
          <div>
            <label for="externalId">{t('consoleDirectory.externalId')}</label>
            <input id="externalId" name="externalId" type="text" value={p.externalId ?? ''} />
          </div>
          <div>
            <label for="unitCode">{t('consoleDirectory.unit')}</label>
            <UnitSelect id="unitCode" name="unitCode" units={units} value={found.unit.code} />
          </div>
          <fieldset>
            <legend>{t('consoleDirectory.roles')}</legend>
            {roles.map((r) => (
              <label>
                <input type="checkbox" name="roles" value={r} checked={p.roles.includes(r)} /> {t(`consoleDirectory.roleNames.${r}`)}
              </label>
            ))}
          </fieldset>
          <div>
            <label for="phone">{t('consoleDirectory.person.phone')}</label>
            <input id="phone" name="phone" type="tel" autocomplete="off" aria-describedby="phone-now phone-hint" />
            <p id="phone-now" data-phone>
              {p.phone ? t('consoleDirectory.person.phoneNow', { phone: p.phone }) : t('consoleDirectory.person.phoneNone')}
            </p>
            <p id="phone-hint" class="hint">
              {t('consoleDirectory.person.phoneHint')}
            </p>
            <label>
              <input type="checkbox" name="clearPhone" value="1" /> {t('consoleDirectory.person.clearPhone')}
            </label>
          </div>
          <div>
            <label for="locale">{t('consoleDirectory.person.locale')}</label>
            <select id="locale" name="locale">
              <option value="vi" selected={p.locale === 'vi'}>
                Tiếng Việt
              </option>
              <option value="en" selected={p.locale === 'en'}>
                English
              </option>
            </select>
          </div>
          <div class="actions">
            <button type="submit">{t('consoleDirectory.person.save')}</button>
          </div>
        </form>
        <PersonChats c={c} personId={id} links={links} timezone={deps.config.timezone} />
        <PersonInviteForm c={c} personId={id} />
        <form method="post" action={`/admin/directory/people/${id}/remove`} class="card stack">
          <CsrfField c={c} />
          <h2>{t('consoleDirectory.person.remove')}</h2>
          <p class="hint">{t('consoleDirectory.person.removeHint')}</p>
          <label>
            <input type="checkbox" name="confirm" value="1" /> {t('consoleDirectory.person.removeConfirm')}
          </label>
          <div class="actions">
            <button type="submit" class="danger">
              {t('consoleDirectory.person.remove')}
            </button>
          </div>
        </form>
      </Page>,
      status,
    )
  }
  const personId = (c: Context) => {
    const id = Number(c.req.param('id'))
    return Number.isSafeInteger(id) && id > 0 ? id : null
  }

  app.get('/admin/directory/people/:id', requireRole('admin'), async (c) => {
    const id = personId(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const { t } = pageText(c)
    const unlinked = c.req.query('unlinked')
    const channel = unlinked === 'telegram' || unlinked === 'zalo' || unlinked === 'zalo_oa' ? t(`consoleContent.channel.${unlinked}`) : null
    const notice = c.req.query('saved') ? t('consoleDirectory.person.saved') : channel ? t('consoleDirectory.person.unlinked', { channel }) : null
    return personPage(c, id, notice ? { kind: 'ok', text: notice } : undefined)
  })

  app.post('/admin/directory/people/:id', requireRole('admin'), async (c) => {
    const id = personId(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const body = await c.req.parseBody({ all: true })
    const phone = field(body, 'phone')
    const raw: Record<string, unknown> = {
      fullName: field(body, 'fullName'),
      externalId: field(body, 'externalId') || null,
      unitCode: field(body, 'unitCode'),
      roles: fields(body, 'roles'),
      locale: field(body, 'locale') || undefined,
      ...(field(body, 'clearPhone') === '1' ? { phone: null } : phone ? { phone } : {}),
    }
    const parsed = personPatchSchema.safeParse(raw, { error: zodErrorMap(pageText(c).locale) })
    if (!parsed.success) {
      const text = parsed.error.issues.map((i) => `${i.path.join('.')}: ${isMessageKey(i.message) ? pageText(c).t(i.message) : i.message}`).join('; ')
      return personPage(c, id, { kind: 'error', text }, 422)
    }
    try {
      await updatePerson(db, id, parsed.data as PersonPatch, deps.clock())
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return personPage(c, id, { kind: 'error', text }, 422)
    }
    return c.redirect(`/admin/directory/people/${id}?saved=1`, 303)
  })

  app.post('/admin/directory/people/:id/remove', requireRole('admin'), async (c) => {
    const id = personId(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const body = await c.req.parseBody()
    if (field(body, 'confirm') !== '1') return personPage(c, id, { kind: 'error', text: pageText(c).t('consoleDirectory.person.confirmNeeded') }, 422)
    try {
      await eraseFromDisk(deps, id)
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return errorPage(c, 404, 'web.errors.detail', { message: text })
    }
    return c.redirect(`/admin/directory?removed=${id}`, 303)
  })

  // Units: the tree, edit (name, kind, parent, staff count) and remove.
  app.get('/admin/directory/units', async (c) => {
    const { t } = pageText(c)
    const units = await unitTree(deps)
    const canEdit = roleAllows(accountOf(c).role, 'admin')
    const done = c.req.query('removed')
    return c.html(
      <Page c={c} title={t('consoleDirectory.units.title')} tab="units">
        <Notice kind="ok" text={done ? t('consoleDirectory.units.removed', { code: done }) : null} />
        <div class="table-wrap">
          <table data-units>
            <thead>
              <tr>
                <th scope="col">{t('consoleDirectory.units.name')}</th>
                <th scope="col">{t('consoleDirectory.units.code')}</th>
                <th scope="col">{t('consoleDirectory.units.kind')}</th>
                <th scope="col" class="num">
                  {t('consoleDirectory.units.people')}
                </th>
                <th scope="col" class="num">
                  {t('consoleDirectory.units.staffCount')}
                </th>
                {canEdit && (
                  <th scope="col">
                    <span class="visually-hidden">{t('web.console.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr data-unit={u.code}>
                  <th scope="row">{`${'\u00a0\u00a0\u00a0'.repeat(u.depth)}${u.name}`}</th>
                  <td>{u.code}</td>
                  <td>{t(`consoleDirectory.kindNames.${u.kind}`)}</td>
                  <td class="num">{u.people}</td>
                  <td class="num">{u.staffCount ?? '—'}</td>
                  {canEdit && (
                    <td>
                      <a href={`/admin/directory/units/${encodeURIComponent(u.code)}`}>{t('consoleDirectory.edit')}</a>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Page>,
    )
  })

  const unitPage = async (c: Context, code: string, message?: { kind: 'ok' | 'error'; text: string }, status: 200 | 409 | 422 = 200) => {
    const { t } = pageText(c)
    const units = await unitTree(deps)
    const unit = units.find((u) => u.code === code)
    if (!unit) return errorPage(c, 404, 'api.errors.noUnit', { code })
    return c.html(
      <Page c={c} title={t('consoleDirectory.units.editTitle', { code })} tab="units">
        <Notice kind={message?.kind ?? 'ok'} text={message?.text} />
        <form method="post" action={`/admin/directory/units/${encodeURIComponent(code)}`} class="card stack">
          <CsrfField c={c} />
          <div>
            <label for="name">{t('consoleDirectory.units.name')}</label>
            <input id="name" name="name" type="text" value={unit.name} required />
          </div>
          <div>
            <label for="kind">{t('consoleDirectory.units.kind')}</label>
            <select id="kind" name="kind">
              {unitKinds.map((k) => (
                <option value={k} selected={k === unit.kind}>
                  {t(`consoleDirectory.kindNames.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="parentCode">{t('consoleDirectory.units.parent')}</label>
            <UnitSelect id="parentCode" name="parentCode" units={units.filter((u) => u.code !== code)} value={unit.parentCode ?? ''} empty={t('consoleDirectory.units.top')} />
          </div>
          <div>
            <label for="staffCount">{t('consoleDirectory.units.staffCount')}</label>
            <input id="staffCount" name="staffCount" type="text" inputmode="numeric" value={unit.staffCount == null ? '' : String(unit.staffCount)} />
          </div>
          <div class="actions">
            <button type="submit">{t('consoleDirectory.units.save')}</button>
          </div>
        </form>
        <form method="post" action={`/admin/directory/units/${encodeURIComponent(code)}/remove`} class="card stack">
          <CsrfField c={c} />
          <p class="hint">{t('consoleDirectory.units.removeHint')}</p>
          <div class="actions">
            <button type="submit" class="danger">
              {t('consoleDirectory.units.remove')}
            </button>
          </div>
        </form>
      </Page>,
      status,
    )
  }

  app.get('/admin/directory/units/:code', requireRole('admin'), (c) =>
    unitPage(c, c.req.param('code'), c.req.query('saved') ? { kind: 'ok', text: pageText(c).t('consoleDirectory.units.saved', { code: c.req.param('code') }) } : undefined),
  )

  app.post('/admin/directory/units/:code', requireRole('admin'), async (c) => {
    const code = c.req.param('code')
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const staff = field(body, 'staffCount')
    if (staff && !/^\d+$/.test(staff)) return unitPage(c, code, { kind: 'error', text: t('consoleDirectory.units.badCount', { value: staff }) }, 422)
    const parsed = unitPatchSchema.safeParse(
      { name: field(body, 'name'), kind: field(body, 'kind'), parentCode: field(body, 'parentCode') || null, staffCount: staff ? Number(staff) : null },
      { error: zodErrorMap(locale) },
    )
    if (!parsed.success) return unitPage(c, code, { kind: 'error', text: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 422)
    try {
      await updateUnit(db, code, parsed.data as UnitPatch, deps.clock())
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return unitPage(c, code, { kind: 'error', text }, 422)
    }
    return c.redirect(`/admin/directory/units/${encodeURIComponent(code)}?saved=1`, 303)
  })

  app.post('/admin/directory/units/:code/remove', requireRole('admin'), async (c) => {
    const code = c.req.param('code')
    try {
      await removeUnit(db, code)
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return unitPage(c, code, { kind: 'error', text }, 409)
    }
    return c.redirect(`/admin/directory/units?removed=${encodeURIComponent(code)}`, 303)
  })

  // Import: upload, a preview that names each bad row, then confirm. The confirm form carries the
  // checked file back (base64), and the import checks it all again before writing anything.
  const importPage = (c: Context, result?: ImportResult, carried?: string, error?: string | null, status: 200 | 422 = 200) => {
    const { t } = pageText(c)
    const counts = result && {
      file: result.file.name,
      units: result.units.items.length,
      unitsNew: result.units.create,
      unitsUpdated: result.units.update,
      people: result.people.items.length,
      peopleNew: result.people.create,
      peopleUpdated: result.people.update,
    }
    return c.html(
      <Page c={c} title={t('consoleDirectory.import.title')} tab="import">
        <Notice kind="error" text={error} />
        {result?.written && counts && <Notice kind="ok" text={t('consoleDirectory.import.done', counts)} />}
        <form method="post" action="/admin/directory/import" enctype="multipart/form-data" class="card stack no-print">
          <CsrfField c={c} />
          <p class="hint">{t('consoleDirectory.import.hint')}</p>
          <p>
            <a href="/admin/directory/import/template" download>
              {t('consoleDirectory.import.template.link')}
            </a>
          </p>
          <div>
            <label for="file">{t('consoleDirectory.import.file')}</label>
            <input id="file" name="file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          </div>
          <div class="actions">
            <button type="submit">{t('consoleDirectory.import.check')}</button>
          </div>
        </form>
        {result && !result.written && counts && (
          <section aria-labelledby="preview" data-preview>
            <h2 id="preview">{t('consoleDirectory.import.previewTitle', { file: result.file.name })}</h2>
            <p class="notice warn">{t('consoleDirectory.import.nothingWritten')}</p>
            {carried && <ColumnChoicesForm c={c} t={t} result={result} carried={carried} />}
            {result.problems.length > 0 ? (
              <>
                <p class="notice error" role="alert">
                  {t('consoleDirectory.import.badTitle', { count: result.badRows })}
                </p>
                <ProblemTable t={t} result={result} />
              </>
            ) : (
              <form method="post" action="/admin/directory/import/confirm" class="card stack">
                <CsrfField c={c} />
                <input type="hidden" name="name" value={result.file.name} />
                <input type="hidden" name="file64" value={carried ?? ''} />
                <ColumnChoiceFields result={result} />
                <p role="status">{t('consoleDirectory.import.summary', counts)}</p>
                <div class="actions">
                  <button type="submit">{t('consoleDirectory.import.confirm')}</button>
                </div>
              </form>
            )}
            <PreviewTables t={t} result={result} />
          </section>
        )}
      </Page>,
      status,
    )
  }

  app.get('/admin/directory/import', requireRole('admin'), (c) => importPage(c))

  app.get('/admin/directory/import/template', requireRole('admin'), async (c) => {
    const { t } = pageText(c)
    return xlsxResponse(c, t('consoleDirectory.import.template.file'), await importTemplate(t))
  })

  app.post('/admin/directory/import', requireRole('admin'), async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    // A new file, or the checked one sent back with the user's choice of columns.
    const file = body.file
    const upload = file instanceof File && file.size > 0 ? { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name } : { bytes: fromBase64(field(body, 'file64')), name: field(body, 'name') || 'import' }
    if (!upload.bytes || upload.bytes.length === 0) return importPage(c, undefined, undefined, t('directory.import.noFile'), 422)
    const bytes = upload.bytes
    try {
      const result = await importDirectory(db, bytes, { fileName: upload.name, dryRun: true, lang: locale, now: deps.clock(), columns: columnChoicesFrom(body) })
      // A preview is an answer even when rows are bad: the page names them (200); an unreadable file is a 422.
      return importPage(c, result, toBase64(bytes))
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return importPage(c, undefined, undefined, text, 422)
    }
  })

  app.post('/admin/directory/import/confirm', requireRole('admin'), async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const bytes = fromBase64(field(body, 'file64'))
    if (!bytes || bytes.length === 0) return importPage(c, undefined, undefined, t('consoleDirectory.import.lost'), 422)
    try {
      const result = await importDirectory(db, bytes, {
        fileName: field(body, 'name') || 'import',
        dryRun: false,
        lang: locale,
        now: deps.clock(),
        columns: columnChoicesFrom(body),
      })
      return importPage(c, result, undefined, null, result.written ? 200 : 422)
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return importPage(c, undefined, undefined, text, 422)
    }
  })

  // Who has not linked yet, per ward and school (each with the units below it).
  app.get('/admin/directory/linking', async (c) => {
    const { t } = pageText(c)
    const unit = c.req.query('unit') || undefined
    if (unit && !(await findUnit(db, unit).catch(() => undefined))) return errorPage(c, 404, 'api.errors.noUnit', { code: unit })
    const summary = await linkingSummary(db, unit)
    const units = await unitTree(deps)
    const order = new Map(units.map((u, i) => [u.code, i]))
    const rows = [...summary.units].sort((a, b) => (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0))
    return c.html(
      <Page c={c} title={t('consoleDirectory.linking.title')} tab="linking">
        <p class="hint">{t('consoleDirectory.linking.hint')}</p>
        <form method="get" action="/admin/directory/linking" class="actions no-print">
          <label for="unit">{t('consoleDirectory.unit')}</label>
          <UnitSelect id="unit" name="unit" units={units} value={unit ?? ''} empty={t('consoleDirectory.anyUnit')} />
          <button type="submit">{t('consoleDirectory.filter')}</button>
        </form>
        <p role="status">{t('consoleDirectory.linking.total', summary.total)}</p>
        <DownloadLinks c={c} href="/admin/directory/download" query={`?linked=false${unit ? `&unit=${encodeURIComponent(unit)}&subunits=1` : ''}`} />
        <div class="table-wrap">
          <table data-linking>
            <thead>
              <tr>
                <th scope="col">{t('consoleDirectory.unit')}</th>
                <th scope="col" class="num">
                  {t('consoleDirectory.linking.people')}
                </th>
                <th scope="col" class="num">
                  {t('consoleDirectory.linking.linked')}
                </th>
                <th scope="col" class="num">
                  {t('consoleDirectory.linking.notLinked')}
                </th>
                <th scope="col" class="no-print"></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr data-unit={u.code} data-not-linked={u.subtree.notLinked}>
                  <th scope="row">{`${'\u00a0\u00a0\u00a0'.repeat(Math.max(0, (units.find((x) => x.code === u.code)?.depth ?? 0) - (units.find((x) => x.code === unit)?.depth ?? 0)))}${u.name}`}</th>
                  <td class="num">{u.subtree.people}</td>
                  <td class="num">{u.subtree.linked}</td>
                  <td class="num">
                    <span class={`badge ${u.subtree.notLinked === 0 ? 'met' : 'behind'}`}>{u.subtree.notLinked}</span>
                  </td>
                  <td class="no-print">
                    <span class="actions">
                      <a href={`/admin/directory?unit=${encodeURIComponent(u.code)}&subunits=1&linked=false`}>{t('consoleDirectory.linking.list')}</a>
                      <a href={`/admin/directory/invites?unit=${encodeURIComponent(u.code)}`}>{t('consoleDirectory.linking.sheet')}</a>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Page>,
    )
  })

  // Invite sheets: choose a unit (required: one click must not print the whole city), then a printable sheet, SHEET_PAGE people a page.
  const invitesForm = async (c: Context, value: string, error?: string) => {
    const { t } = pageText(c)
    const units = await unitTree(deps)
    return c.html(
      <Page c={c} title={t('consoleDirectory.invites.title')} tab="invites">
        <Notice kind="error" text={error} />
        <form method="post" action="/admin/directory/invites" class="card stack">
          <CsrfField c={c} />
          <p class="hint">{t('consoleDirectory.invites.hint', { size: SHEET_PAGE })}</p>
          <div>
            <label for="unit">{t('consoleDirectory.unit')}</label>
            <UnitSelect id="unit" name="unit" units={units} value={value} empty={t('consoleDirectory.invites.chooseUnit')} />
          </div>
          <div class="actions">
            <button type="submit">{t('consoleDirectory.invites.make')}</button>
          </div>
        </form>
      </Page>,
      error ? 422 : 200,
    )
  }
  app.get('/admin/directory/invites', requireRole('admin'), (c) => invitesForm(c, c.req.query('unit') ?? ''))

  app.post('/admin/directory/invites', requireRole('admin'), async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const unit = field(body, 'unit')
    if (!unit) return invitesForm(c, '', t('consoleDirectory.invites.unitNeeded'))
    if (!deps.channels.telegram && !deps.channels.zalo && !deps.channels.zalo_oa) return invitesForm(c, unit, t('consoleDirectory.invites.noChannel'))
    const page = Math.min(Math.max(1, Number.parseInt(field(body, 'page') || '1', 10) || 1), Math.floor(MAX_QUERY_OFFSET / SHEET_PAGE) + 1)
    let sheet
    try {
      sheet = await inviteSheet(deps, { unitCode: unit, now: deps.clock(), lang: locale, offset: (page - 1) * SHEET_PAGE, limit: SHEET_PAGE })
    } catch (err) {
      const text = problemText(err, c)
      if (!text) throw err
      return invitesForm(c, '', text)
    }
    return c.html(await InviteSheetPage({ c, sheet, unit }))
  })

  return app
}

/** The bad rows of an import preview: sheet (for a workbook), row, column, value, what is wrong. */
function ProblemTable({ t, result }: { t: Translate; result: ImportResult }) {
  const sheetNamed = result.file.format === 'xlsx'
  return (
    <div class="table-wrap">
      <table data-problems>
        <thead>
          <tr>
            {sheetNamed && <th scope="col">{t('consoleDirectory.import.sheet')}</th>}
            <th scope="col" class="num">
              {t('consoleDirectory.import.row')}
            </th>
            <th scope="col">{t('consoleDirectory.import.column')}</th>
            <th scope="col">{t('consoleDirectory.import.value')}</th>
            <th scope="col">{t('consoleDirectory.import.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {result.problems.map((p) => (
            <tr data-row={p.row}>
              {sheetNamed && <td>{p.sheet}</td>}
              <td class="num">{p.row}</td>
              <td>{p.column ?? ''}</td>
              <td>{p.value ?? ''}</td>
              <td>{p.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function PreviewTables({ t, result }: { t: Translate; result: ImportResult }) {
  return (
    <>
      <PreviewTable
        t={t}
        title={t('consoleDirectory.import.unitsTitle')}
        marker={{ 'data-preview-units': true }}
        rows={result.units.items}
        columns={[
          [t('consoleDirectory.units.code'), (u) => u.code],
          [t('consoleDirectory.units.name'), (u) => u.name],
          [t('consoleDirectory.units.kind'), (u) => t(`consoleDirectory.kindNames.${u.kind}`)],
          [t('consoleDirectory.units.parent'), (u) => u.parentCode ?? ''],
        ]}
      />
      <PreviewTable
        t={t}
        title={t('consoleDirectory.import.peopleTitle')}
        marker={{ 'data-preview-people': true }}
        rows={result.people.items}
        columns={[
          [t('consoleDirectory.externalId'), (p) => p.externalId ?? ''],
          [t('consoleDirectory.name'), (p) => p.fullName],
          [t('consoleDirectory.unit'), (p) => p.unitCode],
          [t('consoleDirectory.roles'), (p) => roleList(t, p.roles)],
        ]}
      />
    </>
  )
}

/** What an import would do to one kind of row: the sheet's row number, the action, then `columns`; the first PREVIEW_ROWS rows. */
function PreviewTable<R extends { row: number; action: ImportAction }>(props: {
  t: Translate
  title: string
  marker: Record<string, true>
  rows: R[]
  columns: [string, (r: R) => string][]
}) {
  const { t, rows } = props
  if (rows.length === 0) return null
  return (
    <>
      <h3>{props.title}</h3>
      {rows.length > PREVIEW_ROWS && <p class="hint">{t('consoleDirectory.import.shown', { shown: PREVIEW_ROWS, total: rows.length })}</p>}
      <div class="table-wrap">
        <table {...props.marker}>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t('consoleDirectory.import.row')}
              </th>
              <th scope="col">{t('consoleDirectory.import.action')}</th>
              {props.columns.map(([head]) => (
                <th scope="col">{head}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, PREVIEW_ROWS).map((r) => (
              <tr>
                <td class="num">{r.row}</td>
                <td>{t(`consoleDirectory.import.${r.action}`)}</td>
                {props.columns.map(([, cell]) => (
                  <td>{cell(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
  } catch {
    return null
  }
}
