import { and, gte, lt, sql } from 'drizzle-orm'
import { reportPeriods, type UnitRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { requiredUnits } from '../reporting/periods.js'

/**
 * The measures an automatic criterion may name, each computed for every unit from Loa's records
 * over the year (local time): a share from 0 to 1, or null when there is nothing to measure (the
 * criterion then scores 0). A criterion's points are its share times its maximum.
 *
 *   staff_linked        people of the unit with a chat linked, of its staff (declared staff if larger)
 *   staff_briefed       people who acknowledged a brief or attended a briefing in the year, of its staff
 *   focal_point_linked  1 with a focal point whose chat is linked, 0.5 with one not linked, else 0
 *   reports_sent        report periods due in the year the unit sent (late ones included), of those it had to send
 *   reports_on_time     report periods due in the year sent before the deadline, of those the unit had to send
 *   training_attendance focal points and communications staff who attended a training in the year, of them
 *   poll_response_rate  polls opened in the year sent to the unit's staff that they answered, of those sent
 *   poll_agreement      answers at 4 or 5 on the 1–5 scale polls opened in the year, of the scale answers
 *                       counted in the unit: its staff's, and for a ward its subscribers' (consensus)
 */
export const metricIds = [
  'staff_linked',
  'staff_briefed',
  'focal_point_linked',
  'reports_sent',
  'reports_on_time',
  'training_attendance',
  'poll_response_rate',
  'poll_agreement',
] as const
export type MetricId = (typeof metricIds)[number]

export interface YearSpan {
  from: Date
  to: Date
}

type Shares = Map<number, number | null>
type Counts = Map<number, number>

const secs = (d: Date) => Math.floor(d.getTime() / 1000)

async function perUnit(db: Db, query: ReturnType<typeof sql>): Promise<Counts> {
  const rows = await db.all<{ unit: number; n: number }>(query)
  return new Map(rows.map((r) => [Number(r.unit), Number(r.n)]))
}

/** Live people per unit, and the denominator the targets use: declared staff where larger. */
async function staffOf(db: Db, units: readonly UnitRow[]): Promise<Counts> {
  const people = await perUnit(db, sql`select unit_id as unit, count(*) as n from people where erased_at is null group by unit_id`)
  return new Map(units.map((u) => [u.id, Math.max(people.get(u.id) ?? 0, u.staffCount ?? 0)]))
}

function share(units: readonly UnitRow[], num: Counts, den: Counts): Shares {
  return new Map(units.map((u) => [u.id, (den.get(u.id) ?? 0) > 0 ? Math.min(1, (num.get(u.id) ?? 0) / den.get(u.id)!) : null]))
}

const commsPeople = sql`(instr(p.roles, '"focal_point"') > 0 or instr(p.roles, '"comms_staff"') > 0)`

/** Report periods due in the year that each unit sent (on time only, or at all), of those it had to send. */
async function reportShare(db: Db, units: readonly UnitRow[], span: YearSpan, onTimeOnly: boolean): Promise<Shares> {
  const periods = await db.select().from(reportPeriods).where(and(gte(reportPeriods.dueAt, span.from), lt(reportPeriods.dueAt, span.to)))
  const due: Counts = new Map()
  for (const period of periods) for (const u of await requiredUnits(db, period)) due.set(u.id, (due.get(u.id) ?? 0) + 1)
  const sent = await perUnit(
    db,
    sql`select unit_id as unit, count(distinct period_id) as n from reports
        where (${onTimeOnly ? 0 : 1} = 1 or late = 0)
          and period_id in (select id from report_periods where due_at >= ${secs(span.from)} and due_at < ${secs(span.to)})
        group by unit_id`,
  )
  return share(units, sent, due)
}

const metrics: Record<MetricId, (db: Db, units: readonly UnitRow[], span: YearSpan) => Promise<Shares>> = {
  async staff_linked(db, units) {
    const linked = await perUnit(db, sql`select p.unit_id as unit, count(distinct p.id) as n from people p join chat_links l on l.person_id = p.id where p.erased_at is null group by p.unit_id`)
    return share(units, linked, await staffOf(db, units))
  },
  async staff_briefed(db, units, span) {
    const [from, to] = [secs(span.from), secs(span.to)]
    const briefed = await perUnit(
      db,
      sql`select p.unit_id as unit, count(*) as n from people p where p.erased_at is null and (
        exists (select 1 from broadcast_recipients r where r.person_id = p.id and r.acked_at >= ${from} and r.acked_at < ${to})
        or exists (select 1 from attendance a join attendance_sessions s on s.id = a.session_id
                   where a.person_id = p.id and s.kind = 'briefing' and a.checked_in_at >= ${from} and a.checked_in_at < ${to}))
        group by p.unit_id`,
    )
    return share(units, briefed, await staffOf(db, units))
  },
  async focal_point_linked(db, units) {
    const best = await perUnit(
      db,
      sql`select p.unit_id as unit, max(case when exists (select 1 from chat_links l where l.person_id = p.id) then 2 else 1 end) as n
          from people p where p.erased_at is null and instr(p.roles, '"focal_point"') > 0 group by p.unit_id`,
    )
    return new Map(units.map((u) => [u.id, (best.get(u.id) ?? 0) / 2]))
  },
  reports_sent: (db, units, span) => reportShare(db, units, span, false),
  reports_on_time: (db, units, span) => reportShare(db, units, span, true),
  async training_attendance(db, units, span) {
    const [from, to] = [secs(span.from), secs(span.to)]
    const all = await perUnit(db, sql`select p.unit_id as unit, count(*) as n from people p where p.erased_at is null and ${commsPeople} group by p.unit_id`)
    const trained = await perUnit(
      db,
      sql`select p.unit_id as unit, count(*) as n from people p where p.erased_at is null and ${commsPeople} and exists (
            select 1 from attendance a join attendance_sessions s on s.id = a.session_id
            where a.person_id = p.id and s.kind = 'training' and a.checked_in_at >= ${from} and a.checked_in_at < ${to})
          group by p.unit_id`,
    )
    return share(units, trained, all)
  },
  async poll_response_rate(db, units, span) {
    // A poll message to a person counts for the unit they are in now; cancelled ones were never sent.
    const rows = await db.all<{ unit: number; sent: number; answered: number }>(
      sql`select p.unit_id as unit, count(*) as sent,
            sum(exists (select 1 from poll_answers a where a.poll_id = d.source_id and a.person_id = d.person_id)) as answered
          from deliveries d join people p on p.id = d.person_id join polls pl on pl.id = d.source_id
          where d.source = 'poll' and not (d.status = 'failed' and d.fail_reason = 'cancelled')
            and pl.opens_at >= ${secs(span.from)} and pl.opens_at < ${secs(span.to)}
          group by p.unit_id`,
    )
    return share(units, new Map(rows.map((r) => [Number(r.unit), Number(r.answered)])), new Map(rows.map((r) => [Number(r.unit), Number(r.sent)])))
  },
  async poll_agreement(db, units, span) {
    // choice is 0-based: 3 and 4 are the scale's "Đồng ý" and "Rất đồng ý".
    const rows = await db.all<{ unit: number; answered: number; agreeing: number }>(
      sql`select a.unit_id as unit, count(*) as answered, sum(a.choice >= 3) as agreeing
          from poll_answers a join polls pl on pl.id = a.poll_id
          where pl.kind = 'scale' and a.unit_id is not null and pl.opens_at >= ${secs(span.from)} and pl.opens_at < ${secs(span.to)}
          group by a.unit_id`,
    )
    return share(units, new Map(rows.map((r) => [Number(r.unit), Number(r.agreeing)])), new Map(rows.map((r) => [Number(r.unit), Number(r.answered)])))
  },
}

/** The named metrics' shares for every unit, each metric computed once. */
export async function computeMetrics(db: Db, ids: readonly MetricId[], units: readonly UnitRow[], span: YearSpan): Promise<Map<MetricId, Shares>> {
  const out = new Map<MetricId, Shares>()
  for (const id of new Set(ids)) out.set(id, await metrics[id](db, units, span))
  return out
}
