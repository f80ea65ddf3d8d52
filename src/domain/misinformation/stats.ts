import { and, gte, lt } from 'drizzle-orm'
import { agencies, claims, type ClaimRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { localDay } from '../../time.js'
import { loadCalendar, workingMinutesBetween, type WorkingClock } from '../calendar/working.js'
import { percentile } from '../public-questions.js'
import type { AgencyRef, ClockFigures, DeskFigures, DeskStats } from './views.js'

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10)

type Clock = 'toAcknowledge' | 'toRoute' | 'liaisonToAcknowledge' | 'toCorrect'
const spans: Record<Clock, (c: ClaimRow) => [Date | null, Date | null]> = {
  toAcknowledge: (c) => [c.receivedAt, c.acknowledgedAt],
  toRoute: (c) => [c.receivedAt, c.routedAt],
  liaisonToAcknowledge: (c) => [c.routedAt, c.liaisonAcknowledgedAt],
  toCorrect: (c) => [c.receivedAt, c.correctedAt],
}

interface Tally {
  claims: number
  reports: number
  hours: Record<Clock, number[]>
}

const empty = (): Tally => ({ claims: 0, reports: 0, hours: { toAcknowledge: [], toRoute: [], liaisonToAcknowledge: [], toCorrect: [] } })

function clockFigures(values: readonly number[]): ClockFigures {
  const sorted = [...values].sort((a, b) => a - b)
  return { count: sorted.length, medianWorkingHours: round1(percentile(sorted, 0.5)), p90WorkingHours: round1(percentile(sorted, 0.9)) }
}

function figures(t: Tally): DeskFigures {
  return {
    claims: t.claims,
    reports: t.reports,
    toAcknowledge: clockFigures(t.hours.toAcknowledge),
    toRoute: clockFigures(t.hours.toRoute),
    liaisonToAcknowledge: clockFigures(t.hours.liaisonToAcknowledge),
    toCorrect: clockFigures(t.hours.toCorrect),
  }
}

/**
 * The desk's clocks in working hours over claims received in [from, to): time to acknowledge, to
 * route, the liaison's time to acknowledge, and time to correct, each with median and P90,
 * overall and per agency (the same percentile and working-hours code as GET /api/questions/stats).
 * Only finished spans count: a claim not yet routed is not in "to route".
 */
export async function misinformationStats(db: Db, input: { from?: Date; to?: Date; now: Date; clock: WorkingClock }): Promise<DeskStats> {
  const rows = await db
    .select()
    .from(claims)
    .where(and(input.from ? gte(claims.receivedAt, input.from) : undefined, input.to ? lt(claims.receivedAt, input.to) : undefined))
  const refs = new Map<number, AgencyRef>((await db.select({ id: agencies.id, name: agencies.name, kind: agencies.kind }).from(agencies)).map((a) => [a.id, a]))
  const tz = input.clock.timeZone
  const first = rows.reduce((a, r) => (r.receivedAt < a ? r.receivedAt : a), input.now)
  let last = input.now
  for (const r of rows) for (const d of [r.acknowledgedAt, r.routedAt, r.liaisonAcknowledgedAt, r.correctedAt]) if (d && d > last) last = d
  const cal = await loadCalendar(db, localDay(first, tz), localDay(last, tz))
  const all = empty()
  const byAgency = new Map<number | null, Tally>()
  for (const c of rows) {
    const key = c.agencyId
    let t = byAgency.get(key)
    if (!t) byAgency.set(key, (t = empty()))
    for (const tally of [all, t]) {
      tally.claims++
      tally.reports += c.reportCount
    }
    for (const clock of Object.keys(spans) as Clock[]) {
      const [from, to] = spans[clock](c)
      if (!from || !to) continue
      const hours = workingMinutesBetween(from, to, cal, input.clock.hours, tz) / 60
      all.hours[clock].push(hours)
      t.hours[clock].push(hours)
    }
  }
  const list = [...byAgency.entries()].map(([id, t]) => ({ agency: id === null ? null : (refs.get(id) ?? null), ...figures(t) }))
  list.sort((a, b) => (a.agency === null ? 1 : b.agency === null ? -1 : a.agency.name.localeCompare(b.agency.name, 'vi')))
  return { from: input.from?.toISOString() ?? null, to: input.to?.toISOString() ?? null, all: figures(all), agencies: list }
}
