import { and, gte, lt, lte, sql } from 'drizzle-orm'
import { reportPeriods } from '../../db/schema/index.js'
import type { Db } from '../../db/types.js'
import { yearStart, yearSummary } from './broadcast/service.js'
import { reachMembers } from './reach.js'
import { periodStatus } from './reporting/status.js'
import { share } from './tally.js'

/** The plan's targets for 2026–2030 (section II.2; ../shared/DOMAIN.md), in the order it lists them. */
export const targetIds = ['unitsReporting', 'staffBriefed', 'commsStaffTrained', 'managersTeachersReached', 'digitalProducts', 'focalPoints'] as const
export type TargetId = (typeof targetIds)[number]

export interface TargetResult {
  id: TargetId
  /** A share to reach (0.9 = at least 90 %), or a yearly count. */
  goal: { share: number } | { min: number; max: number }
  /** What the records show: `count` of `of` (people or units), or a count of products. */
  count: number
  of: number | null
  share: number | null
  /** Against the staff counts the units declared, where the directory holds fewer people. */
  shareOfStaff?: number | null
  /** null when nothing can be measured yet (no one to count, no report due yet). */
  met: boolean | null
}

/** Unit kinds the plan calls education authorities and institutions (the focal-point target). */
const EDUCATION_UNIT_KINDS = ['department', 'commune', 'school']

function shareTarget(id: TargetId, goal: number, count: number, of: number, staff?: number | null): TargetResult {
  const s = share(count, of)
  const result: TargetResult = { id, goal: { share: goal }, count, of, share: s, met: of === 0 ? null : count / of >= goal - 1e-9 }
  if (staff !== undefined) result.shareOfStaff = staff != null && staff > of ? share(count, staff) : null
  return result
}

/**
 * The plan's targets against the records of one calendar year (in `timeZone`), up to `now`.
 * Every figure comes from what the bots recorded (attendance, acknowledgements, deliveries, reports,
 * the directory), not from what units declare: "dựa trên minh chứng".
 */
export async function planTargets(db: Db, year: number, now: Date, timeZone: string) {
  const from = yearStart(year, timeZone)
  const yearEnd = yearStart(year + 1, timeZone)
  // A year that has not begun has nothing to measure yet: every target says so (met: null).
  const started = now.getTime() > from.getTime()
  const to = !started ? from : now.getTime() < yearEnd.getTime() ? now : yearEnd
  const members = await reachMembers(db, from, to)

  // 1. Every unit runs the communications and reports: each report due so far this year was sent.
  const due = await db
    .select()
    .from(reportPeriods)
    .where(and(gte(reportPeriods.dueAt, from), lt(reportPeriods.dueAt, yearEnd), lte(reportPeriods.dueAt, now)))
  const required = new Set<number>()
  const missed = new Set<number>()
  for (const period of due) {
    for (const u of (await periodStatus(db, period)).units) {
      required.add(u.unit.id)
      if (!u.report) missed.add(u.unit.id)
    }
  }
  const unitsReporting = shareTarget('unitsReporting', 1, required.size - missed.size, required.size)

  // 2. Every member of staff is briefed: attended a briefing or acknowledged a brief this year.
  const [{ staff }] = (await db.all<{ staff: number | null }>(sql`select sum(max(coalesce(staff_count, 0), 0)) as staff from units`)) as [
    { staff: number | null },
  ]
  const briefed = members.filter((m) => m.flags.briefed).length
  const staffBriefed = shareTarget('staffBriefed', 1, briefed, members.length, staff ?? null)

  // 3. At least 70 % of communications staff trained: attended a training session this year.
  const comms = members.filter((m) => m.roles.includes('comms_staff'))
  const commsStaffTrained = shareTarget('commsStaffTrained', 0.7, comms.filter((m) => m.flags.attendedTraining).length, comms.length)

  // 4. At least 90 % of managers and teachers reached through official channels this year.
  const audience = members.filter((m) => m.roles.includes('teacher') || m.roles.includes('manager'))
  const managersTeachersReached = shareTarget('managersTeachersReached', 0.9, audience.filter((m) => m.flags.reached).length, audience.length)

  // 5. 20–30 digital communication products a year.
  const products = (await yearSummary(db, year, timeZone)).digitalProducts
  const digitalProducts: TargetResult = {
    id: 'digitalProducts',
    goal: { min: products.target.min, max: products.target.max },
    count: products.published,
    of: null,
    share: null,
    met: products.met,
  }

  // 6. Every education authority and institution has a communications focal point in the directory
  // (a state of the directory now, not a record: an erased focal point is no longer one).
  const [fp] = await db.all<{ units: number; withFocal: number; withLinkedFocal: number }>(sql`
    select count(*) as units,
      sum(exists (select 1 from people p, json_each(p.roles) r
        where p.unit_id = u.id and p.erased_at is null and r.value = 'focal_point')) as withFocal,
      sum(exists (select 1 from people p, json_each(p.roles) r, chat_links l
        where p.unit_id = u.id and p.erased_at is null and r.value = 'focal_point' and l.person_id = p.id and l.blocked_at is null)) as withLinkedFocal
    from units u
    where u.kind in (${sql.join(EDUCATION_UNIT_KINDS.map((k) => sql`${k}`), sql`, `)})`)
  const focalPoints = {
    ...shareTarget('focalPoints', 1, Number(fp?.withFocal ?? 0), Number(fp?.units ?? 0)),
    /** Units whose focal point can be reminded (linked to a chat). */
    linked: Number(fp?.withLinkedFocal ?? 0),
  }

  const targets = [unitsReporting, staffBriefed, commsStaffTrained, managersTeachersReached, digitalProducts, focalPoints]
  return {
    year,
    from: from.toISOString(),
    to: to.toISOString(),
    targets: started ? targets : targets.map((t) => ({ ...t, met: null })),
  }
}
