import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.js'
import { broadcastInputSchema, broadcastKinds } from '../../domain/broadcast/schemas.js'
import {
  broadcastStats,
  cancelBroadcast,
  createBroadcast,
  retryBroadcast,
  getBroadcast,
  listBroadcasts,
  remindUnacknowledged,
  presentBroadcast,
  yearSummary,
} from '../../domain/broadcast/service.js'
import { planObservance } from '../../domain/broadcast/observance.js'
import type { ObservanceSchedule } from '#db/schema/index.js'
import { broadcastUnitResults } from '../../domain/broadcast/units.js'
import { subscriberResults } from '../../domain/broadcast/subscribers.js'
import { broadcastExport } from '../../domain/export/results.js'
import { exportResponse, formatSchema } from '../export.js'
import { AppError } from '../../errors.js'

import { idParam, readJson, readQuery } from '../validate.js'
import { publicLinkFields } from '../public-links.js'
import type { AppEnv } from '../env.js'
import { callerOf } from '../auth.js'
import { productFromBroadcast } from '#src/domain/library/broadcasts.js'
import { presentProduct } from '#src/domain/library/products.js'
import { productFromBroadcastSchema } from '#src/domain/library/schemas.js'

/**
 * Briefs, announcements and digital products: create (now or scheduled), list, per-broadcast
 * delivery and acknowledgement counts by unit, and the yearly count per kind.
 */
export function broadcastRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  app.post('/broadcasts', async (c) => {
    let input = await readJson(c, broadcastInputSchema)
    let observance: { schedule: ObservanceSchedule; year: number } | undefined
    if (input.observance) {
      // "N days before a commemoration": the calendar sets scheduledAt (src/domain/broadcast/observance.ts).
      if (input.scheduledAt) throw new AppError('unprocessable', 'api.errors.observanceAndScheduledAt')
      const plan = await planObservance(db, input.observance, deps.clock(), deps.config.timezone)
      input = { ...input, scheduledAt: plan.scheduledAt.toISOString() }
      observance = { schedule: plan.schedule, year: plan.year }
    }
    const { broadcast, counts } = await createBroadcast(db, input, {
      now: deps.clock(),
      horizonMs: deps.config.deliveryHorizonHours * 3_600_000,
      observance,
    })
    return c.json({ ...presentBroadcast(broadcast), ...(await publicLinkFields(deps, c, 'broadcast', broadcast.id)), ...counts }, 201)
  })

  app.get('/broadcasts', async (c) => {
    const q = readQuery(
      c,
      z.object({
        kind: z.enum(broadcastKinds).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    )
    return c.json(await listBroadcasts(db, q))
  })

  app.get('/broadcasts/summary', async (c) => {
    const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone: deps.config.timezone, year: 'numeric' }).format(deps.clock()))
    const q = readQuery(c, z.object({ year: z.coerce.number().int().min(2000).max(2100).default(thisYear) }))
    return c.json(await yearSummary(db, q.year, deps.config.timezone))
  })

  app.get('/broadcasts/:id', async (c) => {
    const id = idParam(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const { totals, byUnit, failedBy, byChannel, notReached, movedToAnotherChannel } = await broadcastStats(db, id)
    return c.json({
      ...presentBroadcast(b),
      ...(await publicLinkFields(deps, c, 'broadcast', b.id)),
      ...totals,
      recipients: b.expandedAt ? totals.recipients : b.recipientCount,
      failedBy,
      byChannel,
      notReached,
      movedToAnotherChannel,
      byUnit,
      /** A public brief's subscribers per ward, with "not reached, and why"; null when it names none. */
      subscribers: await subscriberResults(db, b),
    })
  })

  /**
   * Per unit: audience, recipients, acknowledged, and whether the unit's group got the brief
   * through its focal point (relayed, when, by whom); see README "Relay through school groups".
   */
  app.get('/broadcasts/:id/units', async (c) => {
    const id = idParam(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const { format } = readQuery(c, z.object({ format: formatSchema }))
    if (format !== 'json') return exportResponse(c, deps, await broadcastExport(db, b), format)
    return c.json(await broadcastUnitResults(db, b))
  })

  /** Sends again what could not be delivered (an outage longer than the horizon, a refused request). */
  app.post('/broadcasts/:id/retry', async (c) => {
    const id = idParam(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    if (b.status === 'cancelled' || b.status === 'scheduled') {
      throw new AppError('conflict', 'api.errors.broadcastNotRetryable', { id, status: `api.broadcastStatus.${b.status}` }, { status: b.status })
    }
    const requeued = await retryBroadcast(db, id, deps.clock(), deps.config.deliveryHorizonHours * 3_600_000)
    await deps.defer(Promise.resolve(deps.sendReplies()), c)
    return c.json({ ...presentBroadcast((await getBroadcast(db, id))!), requeued })
  })

  /**
   * Reminds who received the broadcast and has not acknowledged it, in one unit (`unitCode`) or all:
   * once a day at most per person (a second call the same day queues nothing) → `{people, queued}`.
   */
  app.post('/broadcasts/:id/remind', async (c) => {
    const id = idParam(c)
    const input = await readJson(c, z.object({ unitCode: z.string().trim().min(1).max(100).optional() }).default({}))
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const result = await remindUnacknowledged(db, b, {
      unitCode: input.unitCode,
      now: deps.clock(),
      timeZone: deps.config.timezone,
      horizonMs: deps.config.deliveryHorizonHours * 3_600_000,
    })
    await deps.defer(Promise.resolve(deps.sendReplies()), c)
    return c.json(result)
  })

  /** Stops a broadcast: nothing more is sent; what was already sent stays counted. */
  app.post('/broadcasts/:id/cancel', async (c) => {
    const id = idParam(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    if (b.status === 'sent' || b.status === 'partly_failed' || b.status === 'cancelled') {
      throw new AppError('conflict', 'api.errors.broadcastNotCancellable', { id, status: `api.broadcastStatus.${b.status}` }, { status: b.status })
    }
    await cancelBroadcast(db, id, deps.clock())
    return c.json(presentBroadcast((await getBroadcast(db, id))!))
  })

  // A library entry made from this broadcast, linked to it (src/domain/library/broadcasts.ts).
  app.post('/broadcasts/:id/product', async (c) => {
    const id = idParam(c)
    const input = await readJson(c, productFromBroadcastSchema.default({}))
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const now = deps.clock()
    const product = await productFromBroadcast(db, b, input, { now, createdBy: callerOf(c)?.personId ?? null })
    return c.json(presentProduct(product, now), 201)
  })

  return app
}
