import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { importDirectory } from '#src/domain/directory/import.js'
import { isMessageKey } from '#src/i18n.js'
import { inviteSheet } from '#src/domain/directory/invite-sheet.js'
import { listLinks } from '#src/domain/directory/links.js'
import { findPersonWithUnit, listPeople, updatePerson } from '#src/domain/directory/people.js'
import { personPatchSchema, unitPatchSchema, type PersonPatch, type UnitPatch } from '#src/domain/directory/schemas.js'
import { importTemplate } from '#src/domain/directory/template.js'
import { unitTree } from '#src/domain/directory/unit-tree.js'
import { findUnit, linkingSummary, removeUnit, roles, updateUnit } from '#src/domain/directory/units.js'
import { eraseFromDisk } from '#src/domain/privacy.js'
import { toErrorResponse, zodErrorMap } from '#src/errors.js'
import { xlsxResponse } from '#src/http/csv.js'
import { errorPage } from '../../errors.js'
import { field, fields, MAX_QUERY_OFFSET, queryInt } from '../../form.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { columnChoicesFrom } from './import-columns.js'
import { InviteSheetPage, SHEET_PAGE } from './invite-sheet-page.js'
import { ImportPage, InvitesForm, LinkingPage, PEOPLE_PAGE, PeoplePage, PersonPage, UnitPage, UnitsPage, type Message, type PeopleFilter } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** What went wrong, in the page's language, from an AppError or a zod error. */
function problemText(err: unknown, c: Context): string | null {
  const { locale } = pageText(c)
  const known = toErrorResponse(err, locale)
  if (!known) return null
  const details = known.body.error.details
  const extra = Array.isArray(details) ? details.map((d: { path?: string; message?: string }) => [d.path, d.message].filter(Boolean).join(': ')).join('; ') : ''
  return [known.body.error.message, extra].filter(Boolean).join(' ')
}

/** Runs `work`; an error the user can read (AppError, zod) is handed to `show`, anything else thrown on. */
async function orShow<T>(c: Context, work: () => Promise<T>, show: (text: string) => Response | Promise<Response>): Promise<T | Response> {
  try {
    return await work()
  } catch (err) {
    const text = problemText(err, c)
    if (!text) throw err
    return show(text)
  }
}

/** The people list's filters from its query. The box is ticked by default; once the form is sent, an unticked box sends nothing. */
function peopleFilter(c: Context): PeopleFilter {
  const linkedQ = c.req.query('linked')
  return {
    q: c.req.query('q') ?? '',
    unit: c.req.query('unit') ?? '',
    subunits: c.req.query('unit') === undefined || c.req.query('subunits') === '1',
    role: (roles as readonly string[]).includes(c.req.query('role') ?? '') ? c.req.query('role') : undefined,
    linked: linkedQ === 'true' ? true : linkedQ === 'false' ? false : undefined,
    offset: queryInt(c.req.query('offset'), 0, MAX_QUERY_OFFSET),
  }
}

/** A person's edit form as the console posts it, in the shape of the API's patch. */
function personForm(body: Record<string, string | File | (string | File)[]>): Record<string, unknown> {
  const phone = field(body, 'phone')
  return {
    fullName: field(body, 'fullName'),
    externalId: field(body, 'externalId') || null,
    unitCode: field(body, 'unitCode'),
    roles: fields(body, 'roles'),
    locale: field(body, 'locale') || undefined,
    ...(field(body, 'clearPhone') === '1' ? { phone: null } : phone ? { phone } : {}),
  }
}

const personId = (c: Context) => {
  const id = Number(c.req.param('id'))
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

/** /admin/directory: people (search, filters, edit, move, remove), units, import, not linked yet, invite sheets. */
export function directoryPageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.route('/', peopleRoutes(deps))
  app.route('/', unitRoutes(deps))
  app.route('/', importRoutes(deps))
  app.route('/', linkingRoutes(deps))
  return app
}

function peopleRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const showPerson = async (c: Context, id: number, message?: Message, status: 200 | 422 = 200) => {
    const found = await findPersonWithUnit(db, id)
    if (!found || found.person.erasedAt) return errorPage(c, 404, 'api.errors.noPerson', { id })
    const [units, links] = await Promise.all([unitTree(db), listLinks(db, id)])
    return c.html(PersonPage({ c, found, units, links, message, timezone: deps.config.timezone }), status)
  }

  // People: search and filters (unit with its subtree, role, linked or not).
  app.get('/admin/directory', async (c) => {
    const filter = peopleFilter(c)
    const { unit, subunits } = filter
    const units = await unitTree(db)
    const root = unit ? await findUnit(db, unit).catch(() => undefined) : undefined
    if (unit && !root) return errorPage(c, 404, 'api.errors.noUnit', { code: unit })
    const where = root ? (subunits ? { underUnitId: root.id } : { unitCode: root.code }) : {}
    const phoneSearch = roleAllows(accountOf(c).role, 'admin')
    const found = await listPeople(db, { q: filter.q, phoneSearch, role: filter.role as (typeof roles)[number] | undefined, linked: filter.linked, ...where, limit: PEOPLE_PAGE, offset: filter.offset })
    return c.html(PeoplePage({ c, units, found, filter }))
  })

  app.get('/admin/directory/people/:id', async (c) => {
    const id = personId(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const { t } = pageText(c)
    const unlinked = c.req.query('unlinked')
    const channel = unlinked === 'telegram' || unlinked === 'zalo' || unlinked === 'zalo_oa' ? t(`consoleContent.channel.${unlinked}`) : null
    const notice = c.req.query('saved') ? t('consoleDirectory.person.saved') : channel ? t('consoleDirectory.person.unlinked', { channel }) : null
    return showPerson(c, id, notice ? { kind: 'ok', text: notice } : undefined)
  })

  app.post('/admin/directory/people/:id', async (c) => {
    const id = personId(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const parsed = personPatchSchema.safeParse(personForm(await c.req.parseBody({ all: true })), { error: zodErrorMap(pageText(c).locale) })
    if (!parsed.success) {
      const text = parsed.error.issues.map((i) => `${i.path.join('.')}: ${isMessageKey(i.message) ? pageText(c).t(i.message) : i.message}`).join('; ')
      return showPerson(c, id, { kind: 'error', text }, 422)
    }
    const refused = await orShow(c, () => updatePerson(db, id, parsed.data as PersonPatch, deps.clock()), (text) => showPerson(c, id, { kind: 'error', text }, 422))
    if (refused instanceof Response) return refused
    return c.redirect(`/admin/directory/people/${id}?saved=1`, 303)
  })

  app.post('/admin/directory/people/:id/remove', async (c) => {
    const id = personId(c)
    if (id === null) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const body = await c.req.parseBody()
    if (field(body, 'confirm') !== '1') return showPerson(c, id, { kind: 'error', text: pageText(c).t('consoleDirectory.person.confirmNeeded') }, 422)
    const refused = await orShow(c, () => eraseFromDisk(deps, id), (text) => errorPage(c, 404, 'web.errors.detail', { message: text }))
    if (refused instanceof Response) return refused
    return c.redirect(`/admin/directory?removed=${id}`, 303)
  })
  return app
}

function unitRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const showUnit = async (c: Context, code: string, message?: Message, status: 200 | 409 | 422 = 200) => {
    const units = await unitTree(db)
    const unit = units.find((u) => u.code === code)
    if (!unit) return errorPage(c, 404, 'api.errors.noUnit', { code })
    return c.html(UnitPage({ c, code, unit, units, message }), status)
  }

  // Units: the tree, edit (name, kind, parent, staff count) and remove.
  app.get('/admin/directory/units', async (c) => c.html(UnitsPage({ c, units: await unitTree(db) })))

  app.get('/admin/directory/units/:code', (c) =>
    showUnit(c, c.req.param('code'), c.req.query('saved') ? { kind: 'ok', text: pageText(c).t('consoleDirectory.units.saved', { code: c.req.param('code') }) } : undefined),
  )

  app.post('/admin/directory/units/:code', async (c) => {
    const code = c.req.param('code')
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const staff = field(body, 'staffCount')
    if (staff && !/^\d+$/.test(staff)) return showUnit(c, code, { kind: 'error', text: t('consoleDirectory.units.badCount', { value: staff }) }, 422)
    const parsed = unitPatchSchema.safeParse(
      { name: field(body, 'name'), kind: field(body, 'kind'), parentCode: field(body, 'parentCode') || null, staffCount: staff ? Number(staff) : null },
      { error: zodErrorMap(locale) },
    )
    if (!parsed.success) return showUnit(c, code, { kind: 'error', text: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 422)
    const refused = await orShow(c, () => updateUnit(db, code, parsed.data as UnitPatch, deps.clock()), (text) => showUnit(c, code, { kind: 'error', text }, 422))
    if (refused instanceof Response) return refused
    return c.redirect(`/admin/directory/units/${encodeURIComponent(code)}?saved=1`, 303)
  })

  app.post('/admin/directory/units/:code/remove', async (c) => {
    const code = c.req.param('code')
    const refused = await orShow(c, () => removeUnit(db, code), (text) => showUnit(c, code, { kind: 'error', text }, 409))
    if (refused instanceof Response) return refused
    return c.redirect(`/admin/directory/units?removed=${encodeURIComponent(code)}`, 303)
  })
  return app
}

function importRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  type ImportView = Parameters<typeof ImportPage>[0]
  const showImport = (c: Context, view: Omit<ImportView, 'c'> = {}, status: 200 | 422 = 200) => c.html(ImportPage({ c, ...view }), status)

  app.get('/admin/directory/import', (c) => showImport(c))

  app.get('/admin/directory/import/template', async (c) => {
    const { t } = pageText(c)
    return xlsxResponse(c, t('consoleDirectory.import.template.file'), await importTemplate(t))
  })

  app.post('/admin/directory/import', async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    // A new file, or the checked one sent back with the user's choice of columns.
    const file = body.file
    const upload = file instanceof File && file.size > 0 ? { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name } : { bytes: fromBase64(field(body, 'file64')), name: field(body, 'name') || 'import' }
    if (!upload.bytes || upload.bytes.length === 0) return showImport(c, { error: t('directory.import.noFile') }, 422)
    const bytes = upload.bytes
    const options = { fileName: upload.name, dryRun: true, lang: locale, now: deps.clock(), columns: columnChoicesFrom(body) }
    const result = await orShow(c, () => importDirectory(db, bytes, options), (error) => showImport(c, { error }, 422))
    if (result instanceof Response) return result
    // A preview is an answer even when rows are bad: the page names them (200); an unreadable file is a 422.
    return showImport(c, { result, carried: toBase64(bytes) })
  })

  app.post('/admin/directory/import/confirm', async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const bytes = fromBase64(field(body, 'file64'))
    if (!bytes || bytes.length === 0) return showImport(c, { error: t('consoleDirectory.import.lost') }, 422)
    const options = { fileName: field(body, 'name') || 'import', dryRun: false, lang: locale, now: deps.clock(), columns: columnChoicesFrom(body) }
    const result = await orShow(c, () => importDirectory(db, bytes, options), (error) => showImport(c, { error }, 422))
    if (result instanceof Response) return result
    return showImport(c, { result, error: null }, result.written ? 200 : 422)
  })
  return app
}

function linkingRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  // Who has not linked yet, per ward and school (each with the units below it).
  app.get('/admin/directory/linking', async (c) => {
    const unit = c.req.query('unit') || undefined
    if (unit && !(await findUnit(db, unit).catch(() => undefined))) return errorPage(c, 404, 'api.errors.noUnit', { code: unit })
    const summary = await linkingSummary(db, unit)
    const units = await unitTree(db)
    return c.html(LinkingPage({ c, unit, units, summary }))
  })

  // Invite sheets: choose a unit, then a printable sheet, SHEET_PAGE people a page.
  const invitesForm = async (c: Context, value: string, error?: string) => c.html(InvitesForm({ c, units: await unitTree(db), value, error }), error ? 422 : 200)
  app.get('/admin/directory/invites', (c) => invitesForm(c, c.req.query('unit') ?? ''))

  app.post('/admin/directory/invites', async (c) => {
    const { t, locale } = pageText(c)
    const body = await c.req.parseBody()
    const unit = field(body, 'unit')
    if (!unit) return invitesForm(c, '', t('consoleDirectory.invites.unitNeeded'))
    if (!deps.channels.telegram && !deps.channels.zalo && !deps.channels.zalo_oa) return invitesForm(c, unit, t('consoleDirectory.invites.noChannel'))
    const asked = Number.parseInt(field(body, 'page') || '1', 10) || 1
    const page = Math.min(Math.max(1, asked), Math.floor(MAX_QUERY_OFFSET / SHEET_PAGE) + 1)
    const sheet = await orShow(c, () => inviteSheet(deps, { unitCode: unit, now: deps.clock(), lang: locale, offset: (page - 1) * SHEET_PAGE, limit: SHEET_PAGE }), (text) => invitesForm(c, '', text))
    if (sheet instanceof Response) return sheet
    return c.html(await InviteSheetPage({ c, sheet, unit }))
  })
  return app
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
