import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { importDirectory } from '../../domain/directory/import.js'
import { inviteSheet } from '../../domain/directory/invite-sheet.js'
import { issueInvites } from '../../domain/directory/invites.js'
import { findPersonWithUnit, listPeople, planPeople, savedPeopleIds, unitExists, updatePerson, writePeople } from '../../domain/directory/people.js'
import { personInputSchema, personPatchSchema, roles, unitInputSchema, unitPatchSchema } from '../../domain/directory/schemas.js'
import { eraseFromDisk, exportPerson } from '../../domain/privacy.js'
import { findUnit, linkingSummary, listUnits, planUnits, removeUnit, updateUnit, writeUnits, type RowError } from '../../domain/directory/units.js'
import { AppError } from '../../errors.js'
import { peopleExport } from '../../domain/export/people.js'
import { callerOf } from '../auth.js'
import { auditPhoneExport, exportResponse, formatSchema } from '../export.js'
import { localeOf } from '../locale.js'
import { idParam, readJson, readQuery } from '../validate.js'
import type { AppEnv } from '../env.js'

/** The uploaded file: a multipart form's "file" field, or the raw body. */
async function readUpload(c: Context, fileName: string | undefined): Promise<{ bytes: Uint8Array; name: string }> {
  const type = c.req.header('content-type') ?? ''
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody()
    const file = form.file
    if (!(file instanceof File) || file.size === 0) throw new AppError('invalid_input', 'directory.import.noFile')
    return { bytes: new Uint8Array(await file.arrayBuffer()), name: fileName ?? file.name }
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.length === 0) throw new AppError('invalid_input', 'directory.import.noFile')
  return { bytes, name: fileName ?? (type.includes('spreadsheetml') ? 'import.xlsx' : 'import.csv') }
}

// One record or a list: a single one is read as a list of one, so its field errors are named
// (a union would report only that neither shape fits).
const oneOrMany = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(schema).min(1).max(5000))

function refuse(errors: RowError[]): never {
  throw new AppError(
    'unprocessable',
    'api.errors.recordsRefused',
    { count: errors.length },
    errors.map((e) => ({ index: e.index, key: e.key, message: e.message })),
  )
}

/** Units, people and invite codes: the directory every other feature targets. */
export function directoryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  // Import from an .xlsx workbook or a CSV file as Excel writes it: a multipart form with a "file"
  // field, or the file itself as the body (?filename= names it). The preview checks every row and
  // says what would be created or updated, writing nothing; the import writes only a clean file.
  const importFile = async (c: Context, dryRun: boolean) => {
    const q = readQuery(c, z.object({ what: z.enum(['units', 'people']).optional(), filename: z.string().max(200).optional(), dryRun: z.enum(['0', '1', 'true', 'false']).optional() }))
    const upload = await readUpload(c, q.filename)
    const result = await importDirectory(db, upload.bytes, {
      fileName: upload.name,
      what: q.what,
      dryRun: dryRun || q.dryRun === '1' || q.dryRun === 'true',
      lang: localeOf(c),
      now: deps.clock(),
    })
    if (!result.dryRun && !result.written) throw new AppError('unprocessable', 'directory.import.refused', { count: result.badRows }, result.problems)
    return c.json(result)
  }
  app.post('/import/preview', (c) => importFile(c, true))
  app.post('/import', (c) => importFile(c, false))

  app.post('/units', async (c) => {
    const inputs = await readJson(c, oneOrMany(unitInputSchema))
    const plan = await planUnits(db, inputs)
    if (plan.errors.length) refuse(plan.errors)
    await writeUnits(db, plan.accepted, deps.clock())
    const all = await listUnits(db)
    const codes = new Set(inputs.map((u) => u.code))
    return c.json({ upserted: inputs.length, units: all.filter((u) => codes.has(u.code)) })
  })

  app.get('/units', async (c) => {
    const items = await listUnits(db)
    return c.json({ total: items.length, items })
  })

  app.post('/people', async (c) => {
    const inputs = await readJson(c, oneOrMany(personInputSchema))
    const plan = await planPeople(db, inputs)
    if (plan.errors.length) refuse(plan.errors)
    await writePeople(db, plan.accepted, deps.clock())
    const ids = await savedPeopleIds(db, plan.accepted)
    const saved = plan.accepted.map((p, i) => ({ id: ids[i], externalId: p.externalId ?? null, fullName: p.fullName, unitCode: p.unitCode, roles: p.roles }))
    return c.json({ upserted: saved.length, people: saved })
  })

  app.get('/people', async (c) => {
    const q = readQuery(
      c,
      z.object({
        // unit: this unit and the units below it (a ward with its schools); unitCode: only this unit.
        unit: z.string().min(1).optional(),
        unitCode: z.string().min(1).optional(),
        role: z.enum(roles).optional(),
        linked: z.enum(['true', 'false', '1', '0']).optional(),
        q: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(5000).default(500),
        offset: z.coerce.number().int().min(0).default(0),
        format: formatSchema,
      }),
    )
    if (q.unitCode && !(await unitExists(db, q.unitCode))) throw new AppError('not_found', 'api.errors.noUnit', { code: q.unitCode })
    const under = q.unit ? await findUnit(db, q.unit) : undefined
    const filter = {
      unitCode: q.unitCode,
      underUnitId: under?.id,
      role: q.role,
      linked: q.linked === undefined ? undefined : q.linked === 'true' || q.linked === '1',
      q: q.q,
    }
    if (q.format !== 'json') {
      // The whole list (limit and offset do not apply); phones for admins only, each such download audited.
      const caller = callerOf(c)!
      const withPhones = caller.role === 'admin'
      const response = await exportResponse(c, deps, await peopleExport(db, filter, withPhones), q.format)
      if (withPhones) await auditPhoneExport(c, deps, { personId: caller.personId, via: 'api' }, `${c.req.path}?format=${q.format}`)
      return response
    }
    return c.json(await listPeople(db, { ...filter, phoneSearch: callerOf(c)?.role === 'admin', limit: q.limit, offset: q.offset }))
  })

  // Who has linked a chat and who has not yet, per unit, each with its subtree's figures.
  app.get('/people/summary', async (c) => {
    const q = readQuery(c, z.object({ unit: z.string().min(1).optional() }))
    return c.json(await linkingSummary(db, q.unit))
  })

  // The invite sheet of a unit with the units below it: everyone not linked yet, with a code (a
  // still valid one printed again), the Telegram link and the Zalo account. It issues codes, so POST;
  // with `limit`, one page of the sheet from `offset` (codes issued for that page only), and `total`.
  app.post('/invite-sheet', async (c) => {
    const q = readQuery(
      c,
      z.object({
        unit: z.string().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    const sheet = await inviteSheet(deps, { unitCode: q.unit, now: deps.clock(), lang: localeOf(c), limit: q.limit, offset: q.offset })
    return c.json({ ...sheet, people: sheet.people.map((p) => ({ ...p, expiresAt: p.expiresAt?.toISOString() ?? null })) })
  })

  app.patch('/units/:code', async (c) => {
    const patch = await readJson(c, unitPatchSchema)
    return c.json(await updateUnit(db, c.req.param('code'), patch, deps.clock()))
  })

  app.delete('/units/:code', async (c) => c.json(await removeUnit(db, c.req.param('code'))))

  app.post('/people/:id/invites', async (c) => {
    const id = idParam(c)
    const found = await findPersonWithUnit(db, id)
    if (!found) throw new AppError('not_found', 'api.errors.noPerson', { id })
    if (found.person.erasedAt) throw new AppError('not_found', 'api.errors.personErased', { id })
    const [invite] = await issueInvites(db, [id], deps.clock(), deps.config.inviteTtlDays, 'admin', deps.config.tokenEncryptionKey)
    return c.json(
      {
        personId: id,
        fullName: found.person.fullName,
        code: invite!.code,
        expiresAt: invite!.expiresAt.toISOString(),
        telegramLink: deps.channels.telegram?.deepLink?.(invite!.code) ?? null,
      },
      201,
    )
  })

  // Personal data (Decree 13/2023/NĐ-CP): correct, export, erase. See README, "Personal data".
  app.patch('/people/:id', async (c) => {
    const id = idParam(c)
    const patch = await readJson(c, personPatchSchema)
    return c.json(await updatePerson(db, id, patch, deps.clock()))
  })

  app.get('/people/:id/export', async (c) => {
    const data = await exportPerson(db, idParam(c), deps.clock())
    c.header('content-disposition', `attachment; filename="person-${data.person.id}.json"`)
    return c.json(data)
  })

  app.delete('/people/:id', async (c) => c.json(await eraseFromDisk(deps, idParam(c))))

  return app
}
