import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { issueInvites } from '../../domain/directory/invites.js'
import { findPersonWithUnit, listPeople, planPeople, savedPeopleIds, unitExists, updatePerson, writePeople } from '../../domain/directory/people.js'
import { personInputSchema, personPatchSchema, roles, unitInputSchema } from '../../domain/directory/schemas.js'
import { erasePerson, exportPerson } from '../../domain/privacy.js'
import { listUnits, planUnits, writeUnits, type RowError } from '../../domain/directory/units.js'
import { AppError } from '../../errors.js'
import { idParam, readJson, readQuery } from '../validate.js'

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
  const app = new Hono()
  const { db } = deps

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
        unitCode: z.string().min(1).optional(),
        role: z.enum(roles).optional(),
        limit: z.coerce.number().int().min(1).max(5000).default(500),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    )
    if (q.unitCode && !(await unitExists(db, q.unitCode))) throw new AppError('not_found', 'api.errors.noUnit', { code: q.unitCode })
    return c.json(await listPeople(db, q))
  })

  app.post('/people/:id/invites', async (c) => {
    const id = idParam(c)
    const found = await findPersonWithUnit(db, id)
    if (!found) throw new AppError('not_found', 'api.errors.noPerson', { id })
    if (found.person.erasedAt) throw new AppError('not_found', 'api.errors.personErased', { id })
    const [invite] = await issueInvites(db, [id], deps.clock(), deps.config.inviteTtlDays, 'admin')
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

  app.delete('/people/:id', async (c) => c.json(await erasePerson(db, idParam(c), deps.clock())))

  return app
}
