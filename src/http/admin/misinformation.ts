import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { workingClock } from '../../domain/calendar/working.js'
import { auditRange } from '../../domain/console/schemas.js'
import { addLiaison, createAgency, deleteAgency, getAgency, listAgencies, removeLiaison, updateAgency } from '../../domain/misinformation/agencies.js'
import { getClaim, listMisinformation, maySpeak, publishCorrection, transitionClaim } from '../../domain/misinformation/claims.js'
import { fileReport } from '../../domain/misinformation/intake.js'
import {
  agencyInputSchema,
  agencyPatchSchema,
  correctionInputSchema,
  liaisonInputSchema,
  listQuerySchema,
  reportInputSchema,
  statsQuerySchema,
  transitionInputSchema,
} from '../../domain/misinformation/schemas.js'
import { misinformationStats } from '../../domain/misinformation/stats.js'
import type { ClaimActor, ClaimDetail } from '../../domain/misinformation/views.js'
import { AppError } from '../../errors.js'
import { callerOf } from '../auth.js'
import type { AppEnv } from '../env.js'
import { idParam, readJson, readQuery } from '../validate.js'
import type { Context } from 'hono'

/**
 * The misinformation desk (issue 23): claims and their reports, moves along the state graph,
 * corrections (a spokesperson's), the clocks, and the agencies list with its liaisons. Who may
 * call each is in src/http/access.ts.
 */
export function misinformationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  // A claim's fields at the top level too (`status`, `reportCount`…), beside `claim`, `reports` and `events`.
  const present = <T extends ClaimDetail>(d: T) => ({ ...d.claim, ...d })
  const actorOf = (c: Context): ClaimActor => {
    const caller = callerOf(c)!
    return { kind: caller.kind, personId: caller.personId }
  }

  app.get('/misinformation', async (c) => {
    const q = readQuery(c, listQuerySchema)
    const { from, to } = auditRange(q, deps.config.timezone)
    return c.json(await listMisinformation(db, { status: q.status, agencyId: q.agency, from, to }))
  })

  // An admin's own entry: a report with no reporter (channel 'admin').
  app.post('/misinformation', async (c) => {
    const input = await readJson(c, reportInputSchema)
    const filed = await fileReport(db, { channel: 'admin', text: input.text, links: input.links, consent: input.consent, reporter: { kind: 'none' }, now: deps.clock() }, { similarity: deps.config.misinfoSimilarity })
    const detail = await getClaim(db, filed.claim.id)
    const report = detail.reports.find((r) => r.id === filed.report.id)!
    return c.json({ code: report.code, claimId: detail.claim.id, report, claim: detail.claim, joined: filed.joined }, 201)
  })

  app.get('/misinformation/stats', async (c) => {
    const q = readQuery(c, statsQuerySchema)
    const { from, to } = auditRange(q, deps.config.timezone)
    return c.json(await misinformationStats(db, { from, to, now: deps.clock(), clock: workingClock(deps.config) }))
  })

  app.get('/misinformation/:id', async (c) => c.json(present(await getClaim(db, idParam(c)))))

  app.post('/misinformation/:id/transition', async (c) => {
    const id = idParam(c)
    const input = await readJson(c, transitionInputSchema)
    return c.json(present(await transitionClaim(deps, id, input, actorOf(c))))
  })

  app.post('/misinformation/:id/correction', async (c) => {
    const id = idParam(c)
    const caller = callerOf(c)!
    if (!(await maySpeak(db, caller))) throw new AppError('forbidden', 'misinfo.errors.notSpokesperson')
    const input = await readJson(c, correctionInputSchema)
    return c.json(present(await publishCorrection(deps, id, input, actorOf(c))))
  })

  app.get('/agencies', async (c) => {
    const items = await listAgencies(db)
    return c.json({ total: items.length, items })
  })

  app.post('/agencies', async (c) => c.json(await createAgency(db, await readJson(c, agencyInputSchema), deps.clock()), 201))

  app.get('/agencies/:id', async (c) => c.json(await getAgency(db, idParam(c))))

  app.patch('/agencies/:id', async (c) => {
    const id = idParam(c)
    return c.json(await updateAgency(db, id, await readJson(c, agencyPatchSchema)))
  })

  app.delete('/agencies/:id', async (c) => c.json(await deleteAgency(db, idParam(c))))

  app.post('/agencies/:id/liaisons', async (c) => {
    const id = idParam(c)
    const { personId } = await readJson(c, liaisonInputSchema)
    return c.json(await addLiaison(db, id, personId, deps.clock()), 201)
  })

  app.delete('/agencies/:id/liaisons/:personId', async (c) => c.json(await removeLiaison(db, idParam(c), idParam(c, 'personId'))))

  return app
}
