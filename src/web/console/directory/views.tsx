import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import type { ImportAction, ImportResult } from '#src/domain/directory/import.js'
import type { listLinks } from '#src/domain/directory/links.js'
import type { findPersonWithUnit, listPeople } from '#src/domain/directory/people.js'
import type { UnitTreeRow } from '#src/domain/directory/unit-tree.js'
import { roles, unitKinds, type linkingSummary } from '#src/domain/directory/units.js'
import type { Translate } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { DownloadLinks, filtersOf } from '../downloads.js'
import { ColumnChoiceFields, ColumnChoicesForm } from './import-columns.js'
import { SHEET_PAGE } from './invite-sheet-page.js'
import { PersonChats } from './person-chats.js'
import { PersonInviteForm } from './person-invite.js'

export const PEOPLE_PAGE = 100
/** Preview rows shown of each table; the counts and every problem are always shown in full. */
const PREVIEW_ROWS = 200

type UnitOption = { code: string; name: string; depth: number }
/** A message above a form: what was saved, or what is wrong. */
export type Message = { kind: 'ok' | 'error'; text: string }
type Person = NonNullable<Awaited<ReturnType<typeof findPersonWithUnit>>>
type Found = Awaited<ReturnType<typeof listPeople>>
/** What the people list is filtered by (its query). */
export type PeopleFilter = { q: string; unit: string; subunits: boolean; role: string | undefined; linked: boolean | undefined; offset: number }


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

function Notice({ kind, text }: { kind: 'ok' | 'error'; text?: string | null }) {
  if (!text) return null
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  )
}

/** GET /admin/directory: people (search, filters), PEOPLE_PAGE a page. */
export function PeoplePage({ c, units, found, filter }: { c: Context; units: UnitTreeRow[]; found: Found; filter: PeopleFilter }) {
  const { t } = pageText(c)
  const { offset } = filter
  const pageHref = (to: number) => {
    const u = new URL(c.req.url)
    u.searchParams.set('offset', String(to))
    return `${u.pathname}${u.search}`
  }
  return (
    <Page c={c} title={t('consoleDirectory.title')} tab="people">
      <Notice kind="ok" text={c.req.query('removed') ? t('consoleDirectory.person.removed', { id: c.req.query('removed')! }) : null} />
      <PeopleFilters t={t} units={units} filter={filter} />
      <p role="status" data-total={found.total}>
        {found.total ? t('consoleDirectory.found', { total: found.total }) : t('consoleDirectory.none')}
      </p>
      {found.total > 0 && <DownloadLinks c={c} href="/admin/directory/download" query={filtersOf(c)} />}
      {found.items.length > 0 && (
        <PeopleTable c={c} t={t} items={found.items} />
      )}
      <p class="actions">
        {offset > 0 && <a href={pageHref(Math.max(0, offset - PEOPLE_PAGE))}>{t('consoleDirectory.previous')}</a>}
        {offset + PEOPLE_PAGE < found.total && <a href={pageHref(offset + PEOPLE_PAGE)}>{t('consoleDirectory.next')}</a>}
      </p>
    </Page>
  )
}

function PeopleFilters({ t, units, filter }: { t: Translate; units: UnitTreeRow[]; filter: PeopleFilter }) {
  const { q, unit, subunits, role, linked } = filter
  return (
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
  )
}

function PeopleTable({ c, t, items }: { c: Context; t: Translate; items: Found['items'] }) {
  const canEdit = roleAllows(accountOf(c).role, 'admin')
  return (
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
          {items.map((p) => (
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
  )
}

/** One person: edit (name, staff ID, unit, roles, phone, language), their chats, a code, and remove. */
export function PersonPage(props: { c: Context; found: Person; units: UnitTreeRow[]; links: Awaited<ReturnType<typeof listLinks>>; message?: Message; timezone: string }) {
  const { c, found, message } = props
  const { t } = pageText(c)
  const id = found.person.id
  return (
    <Page c={c} title={t('consoleDirectory.person.title')} tab="people">
      <Notice kind={message?.kind ?? 'ok'} text={message?.text} />
      <PersonForm c={c} t={t} found={found} units={props.units} />
      <PersonChats c={c} personId={id} links={props.links} timezone={props.timezone} />
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
    </Page>
  )
}

function PersonForm({ c, t, found, units }: { c: Context; t: Translate; found: Person; units: UnitTreeRow[] }) {
  const p = found.person
  const id = p.id
  return (
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
  )
}
/** Units: the tree, with a link to edit each for an admin. */
export function UnitsPage({ c, units }: { c: Context; units: UnitTreeRow[] }) {
  const { t } = pageText(c)
  const canEdit = roleAllows(accountOf(c).role, 'admin')
  const done = c.req.query('removed')
  return (
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
    </Page>
  )
}

/** One unit: edit (name, kind, parent, staff count) and remove. */
export function UnitPage({ c, code, unit, units, message }: { c: Context; code: string; unit: UnitTreeRow; units: UnitTreeRow[]; message?: Message }) {
  const { t } = pageText(c)
  return (
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
    </Page>
  )
}

/**
 * Import: upload, a preview that names each bad row, then confirm. The confirm form carries the
 * checked file back (base64), and the import checks it all again before writing anything.
 */
export function ImportPage({ c, result, carried, error }: { c: Context; result?: ImportResult; carried?: string; error?: string | null }) {
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
  return (
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
    </Page>
  )
}

/** Who has not linked yet, per ward and school (each with the units below it). */
export function LinkingPage({ c, unit, units, summary }: { c: Context; unit: string | undefined; units: UnitTreeRow[]; summary: Awaited<ReturnType<typeof linkingSummary>> }) {
  const { t } = pageText(c)
    const order = new Map(units.map((u, i) => [u.code, i]))
    const rows = [...summary.units].sort((a, b) => (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0))
  return (
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
    </Page>
  )
}

/** Invite sheets: choose a unit (required: one click must not print the whole city). */
export function InvitesForm({ c, units, value, error }: { c: Context; units: UnitTreeRow[]; value: string; error?: string }) {
  const { t } = pageText(c)
  return (
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
    </Page>
  )
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