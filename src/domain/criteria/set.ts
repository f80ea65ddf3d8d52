import { z } from 'zod'
import { unitKinds, type UnitKind } from '#db/schema/index.js'
import { metricIds } from './metrics.js'

const code = z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/)
const title = z.string().trim().min(1).max(300)
const weight = z.number().positive().max(100).default(1)
const appliesTo = z.array(z.enum(unitKinds)).max(unitKinds.length).default([])

const criterionSchema = z
  .object({
    code,
    title,
    maxPoints: z.number().positive().max(1000),
    weight,
    /** Empty: every unit kind. */
    appliesTo,
    type: z.enum(['automatic', 'manual']),
    /** An automatic criterion's measure (src/domain/criteria/metrics.ts). */
    metric: z.enum(metricIds).optional(),
    description: z.string().trim().max(2000).optional(),
  })
  .refine((c) => (c.type === 'automatic') === (c.metric !== undefined), { message: 'criteria.errors.metricNeeded', path: ['metric'] })

const groupSchema = z.object({
  code,
  title,
  weight,
  appliesTo,
  criteria: z.array(criterionSchema).min(1).max(100),
})

const bandSchema = z.object({ name: z.string().trim().min(1).max(60), minPercent: z.number().min(0).max(100) })

/**
 * A year's criteria set as the Department writes it (POST /api/criteria/:year): groups of criteria,
 * each with its points (the maximum), weight, the unit kinds it applies to (empty: all), and type:
 * automatic (computed by a named metric from Loa's records) or manual (self-assessed with evidence,
 * then appraised). Bands name the result by percent of the maximum (e.g. Xuất sắc ≥ 90).
 */
export const criteriaSetSchema = z
  .object({
    opensAt: z.iso.datetime({ offset: true }).optional(),
    closesAt: z.iso.datetime({ offset: true }).optional(),
    bands: z.array(bandSchema).max(10).default([]),
    groups: z.array(groupSchema).min(1).max(50),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>()
    for (const [g, group] of set.groups.entries()) {
      for (const [i, c] of [group, ...group.criteria].entries()) {
        if (seen.has(c.code)) ctx.addIssue({ code: 'custom', message: 'criteria.errors.duplicateCode', path: i === 0 ? ['groups', g, 'code'] : ['groups', g, 'criteria', i - 1, 'code'] })
        seen.add(c.code)
      }
    }
    if (set.opensAt && set.closesAt && Date.parse(set.opensAt) >= Date.parse(set.closesAt)) ctx.addIssue({ code: 'custom', message: 'criteria.errors.windowOrder', path: ['closesAt'] })
  })

export type CriteriaSet = z.infer<typeof criteriaSetSchema>
export type CriteriaGroup = CriteriaSet['groups'][number]
export type Criterion = CriteriaGroup['criteria'][number]

/** Whether a node (group or criterion) counts for a unit of this kind. */
export const appliesToKind = (node: { appliesTo: readonly UnitKind[] }, kind: UnitKind) => node.appliesTo.length === 0 || node.appliesTo.includes(kind)

/** A criterion by its code, with its group, or undefined. */
export function findCriterion(set: CriteriaSet, code: string): { group: CriteriaGroup; criterion: Criterion } | undefined {
  for (const group of set.groups) {
    const criterion = group.criteria.find((c) => c.code === code)
    if (criterion) return { group, criterion }
  }
  return undefined
}

/** A unit's self-assessment of one manual criterion: points, a note, evidence links (http or https). */
export const selfAssessmentSchema = z.object({
  points: z.number().min(0).max(1000),
  note: z.string().trim().max(2000).optional(),
  evidence: z.array(z.url({ protocol: /^https?$/ }).max(2000)).max(20).default([]),
})
