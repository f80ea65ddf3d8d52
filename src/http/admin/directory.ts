import { and, desc, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { people, roles, units } from '../../../db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { issueInvites } from '../../domain/directory/invites.js'
import { findPersonWithUnit, listPeople, planPeople, writePeople } from '../../domain/directory/people.js'
import { personInputSchema, unitInputSchema } from '../../domain/directory/schemas.js'
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
    const saved = await Promise.all(
      plan.accepted.map(async (p) => {
        const [row] = await db
          .select({ id: people.id })
          .from(people)
          .where(
            p.externalId
              ? eq(people.externalId, p.externalId)
              : and(eq(people.fullName, p.fullName), eq(people.unitId, p.unitId)),
          )
          .orderBy(desc(people.id))
          .limit(1)
        return { id: row?.id, externalId: p.externalId ?? null, fullName: p.fullName, unitCode: p.unitCode, roles: p.roles }
      }),
    )
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
    if (q.unitCode) {
      const [unit] = await db.select({ id: units.id }).from(units).where(inArray(units.code, [q.unitCode])).limit(1)
      if (!unit) throw new AppError('not_found', 'api.errors.noUnit', { code: q.unitCode })
    }
    return c.json(await listPeople(db, q))
  })

  app.post('/people/:id/invites', async (c) => {
    const id = idParam(c)
    const found = await findPersonWithUnit(db, id)
    if (!found) throw new AppError('not_found', 'api.errors.noPerson', { id })
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

  return app
}
