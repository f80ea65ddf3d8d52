import { z } from 'zod'
import { agencyKinds, claimRisks, claimStatuses } from '#db/schema/index.js'
import { broadcastAudienceSchema } from '../broadcast/subscribers.js'

/** Longest report text kept (a long forwarded message fits; a 20,000-character paste does not). */
export const MAX_REPORT_TEXT = 4000
/** A correction goes out as one Zalo message: 2,000 characters. */
export const MAX_CORRECTION_TEXT = 2000
export const MAX_LINKS = 10

/** An admin's own entry (POST /api/misinformation) and the public form's fields. */
export const reportInputSchema = z
  .object({
    text: z.string().trim().max(MAX_REPORT_TEXT, 'misinfo.checks.textTooLong').default(''),
    links: z.array(z.string().trim().min(1).max(2000)).max(MAX_LINKS).default([]),
    consent: z.boolean().default(false),
  })
  .refine((r) => r.text.length > 0 || r.links.length > 0, { message: 'misinfo.checks.empty', path: ['text'] })

export const transitionInputSchema = z.object({
  to: z.enum(claimStatuses),
  /** The agency's id (or its exact name); needed to route. */
  agency: z
    .union([z.number().int().positive(), z.string().trim().min(1).max(200)])
    .transform((v) => (typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : v))
    .optional(),
  note: z.string().trim().max(1000).optional(),
  risk: z.enum(claimRisks).optional(),
})
export type TransitionInput = z.infer<typeof transitionInputSchema>

export const correctionInputSchema = z.object({
  text: z.string().trim().min(1, 'misinfo.checks.correctionEmpty').max(MAX_CORRECTION_TEXT),
  /** Also a brief to staff and/or subscribers, as POST /api/broadcasts' `audience`. */
  broadcast: broadcastAudienceSchema.optional(),
})
export type CorrectionInput = z.infer<typeof correctionInputSchema>

export const agencyInputSchema = z.object({
  name: z.string().trim().min(1, 'misinfo.checks.agencyNameEmpty').max(200),
  kind: z.enum(agencyKinds),
  unitId: z.number().int().positive().nullable().optional(),
  active: z.boolean().optional(),
})
export type AgencyInput = z.infer<typeof agencyInputSchema>
export const agencyPatchSchema = agencyInputSchema.partial()
export type AgencyPatch = z.infer<typeof agencyPatchSchema>

export const liaisonInputSchema = z.object({ personId: z.number().int().positive() })

/** A day (yyyy-mm-dd, local) or an ISO instant, as the audit log's filter. */
const when = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string().datetime({ offset: true, message: 'api.checks.isoDateTime' })])

export const listQuerySchema = z.object({
  status: z.enum(claimStatuses).optional(),
  agency: z.coerce.number().int().positive().optional(),
  from: when.optional(),
  to: when.optional(),
})

export const statsQuerySchema = z.object({ from: when.optional(), to: when.optional() })
