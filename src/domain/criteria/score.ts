import type { UnitKind } from '#db/schema/index.js'
import type { MetricId } from './metrics.js'
import { appliesToKind, type CriteriaSet } from './set.js'

/** What is known of one criterion for one unit before scoring. */
export interface CriterionInput {
  /** An automatic criterion's share (0–1), null when nothing could be measured. */
  share?: number | null
  selfPoints?: number | null
  appraisedPoints?: number | null
  comment?: string | null
  evidence?: readonly string[]
}

export interface CriterionScore {
  code: string
  type: 'automatic' | 'manual'
  metric?: MetricId
  /** Points before the weight, 0 to maxPoints. */
  points: number
  maxPoints: number
  weight: number
  share?: number | null
  selfPoints?: number | null
  appraisedPoints?: number | null
  comment?: string | null
  evidence?: readonly string[]
}

export interface GroupScore {
  code: string
  total: number
  max: number
  criteria: CriterionScore[]
}

export interface UnitScore {
  total: number
  max: number
  percent: number | null
  band: string | null
  groups: GroupScore[]
}

const round2 = (n: number) => Math.round(n * 100) / 100
const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n))

/** A criterion's points: the share times the maximum (automatic), else the appraisal, else the self-assessment. */
function pointsOf(type: 'automatic' | 'manual', maxPoints: number, input: CriterionInput): number {
  const raw = type === 'automatic' ? (input.share ?? 0) * maxPoints : (input.appraisedPoints ?? input.selfPoints ?? 0)
  return round2(clamp(raw, maxPoints))
}

/** The band a percentage falls in: the one with the highest minimum not above it. */
export function bandOf(set: Pick<CriteriaSet, 'bands'>, percent: number | null): string | null {
  if (percent === null) return null
  const fits = set.bands.filter((b) => percent >= b.minPercent).sort((a, b) => b.minPercent - a.minPercent)
  return fits[0]?.name ?? null
}

/**
 * One unit's scores on a set: groups and criteria that do not apply to its kind are left out of
 * both the points and the maximum; every criterion's points are held within 0..maxPoints, so no
 * group or total ever exceeds its maximum. Weights multiply points and maxima alike.
 */
export function scoreUnit(set: CriteriaSet, kind: UnitKind, inputs: (code: string) => CriterionInput): UnitScore {
  const groups: GroupScore[] = []
  for (const group of set.groups) {
    if (!appliesToKind(group, kind)) continue
    const criteria = group.criteria
      .filter((c) => appliesToKind(c, kind))
      .map((c): CriterionScore => {
        const input = inputs(c.code)
        const base = { code: c.code, type: c.type, points: pointsOf(c.type, c.maxPoints, input), maxPoints: c.maxPoints, weight: c.weight }
        return c.type === 'automatic'
          ? { ...base, metric: c.metric, share: input.share === undefined || input.share === null ? null : round2(input.share) }
          : { ...base, selfPoints: input.selfPoints ?? null, appraisedPoints: input.appraisedPoints ?? null, comment: input.comment ?? null, evidence: input.evidence ?? [] }
      })
    if (criteria.length === 0) continue
    const total = criteria.reduce((s, c) => s + c.points * c.weight, 0) * group.weight
    const max = criteria.reduce((s, c) => s + c.maxPoints * c.weight, 0) * group.weight
    groups.push({ code: group.code, total: round2(total), max: round2(max), criteria })
  }
  const total = round2(groups.reduce((s, g) => s + g.total, 0))
  const max = round2(groups.reduce((s, g) => s + g.max, 0))
  const percent = max > 0 ? round2((100 * total) / max) : null
  return { total, max, percent, band: bandOf(set, percent), groups }
}

/** Ranks by percent, highest first; ties share a rank (1, 2, 2, 4); units with nothing to score have none. */
export function rankOf<T extends { percent: number | null }>(rows: readonly T[]): (T & { rank: number | null })[] {
  const sorted = rows.map((r) => r.percent).filter((p): p is number => p !== null).sort((a, b) => b - a)
  return rows.map((r) => ({ ...r, rank: r.percent === null ? null : sorted.indexOf(r.percent) + 1 }))
}
