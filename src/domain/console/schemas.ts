import { z } from 'zod'
import { auditActors, consoleRoles } from '#db/schema/index.js'
export { consoleRoles }
import { dayNumber, dayFromNumber, zonedTime } from '../../time.js'

export const consoleRoleInputSchema = z.object({ role: z.enum(consoleRoles), spokesperson: z.boolean().optional() })

/** PUT /api/people/:id/spokesperson: the permission to approve corrections (issue 23). */
export const spokespersonInputSchema = z.object({ spokesperson: z.boolean() })

export const tokenInputSchema = z.object({
  personId: z.number().int().positive(),
  label: z.string().trim().min(1, 'api.checks.labelEmpty').max(80),
})

/** A day (yyyy-mm-dd, local) or an ISO instant with its offset. */
const when = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string().datetime({ offset: true, message: 'api.checks.isoDateTime' })])

export const auditQuerySchema = z.object({
  personId: z.coerce.number().int().positive().optional(),
  actor: z.enum(auditActors).optional(),
  from: when.optional(),
  to: when.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/**
 * The instants an audit filter means: `from` a day is its local midnight, `to` a day includes the
 * whole day (up to the next local midnight); an ISO instant is taken as it is.
 */
export function auditRange(q: { from?: string; to?: string }, timeZone: string): { from?: Date; to?: Date } {
  const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)
  const from = q.from ? (isDay(q.from) ? zonedTime(q.from, '00:00:00', timeZone) : new Date(q.from)) : undefined
  const to = q.to ? (isDay(q.to) ? zonedTime(dayFromNumber(dayNumber(q.to) + 1), '00:00:00', timeZone) : new Date(q.to)) : undefined
  return { from, to }
}
