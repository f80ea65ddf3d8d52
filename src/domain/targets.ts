import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { reportPeriods, units, type Locale, type ProductKind, type UnitKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../errors.js'
import { translate } from '../i18n.js'
import { dayFromNumber, dayNumber, localDay, zonedTime } from '../time.js'
import { yearStart } from './broadcast/service.js'
import { buildReachRollup, monthStart, reachRollupReady } from './reach-rollup.js'
import { startOfDay } from './reach.js'
import { requiredUnits } from './reporting/periods.js'
import { latestReports } from './reporting/status.js'
import { share } from './tally.js'

/** The plan's targets for 2026–2030 (the plan's section II.2), in the order it lists them. */
export const targetIds = ['unitsReporting', 'staffBriefed', 'commsStaffTrained', 'managersTeachersReached', 'digitalProducts', 'focalPoints'] as const
export type TargetId = (typeof targetIds)[number]

/** A target's id from a path; 404 naming the targets otherwise. */
export function parseTargetId(id: string): TargetId {
  if (!(targetIds as readonly string[]).includes(id)) throw new AppError('not_found', 'api.errors.noTarget', { id, ids: targetIds.join(', ') })
  return id as TargetId
}
export type Rhythm = 'monthly' | 'quarterly'
/** met: the goal is reached; close: within 10 points of it (or on pace for a yearly count); behind: further. */
export type TargetStatus = 'met' | 'close' | 'behind'

/**
 * Staff, managers and communications staff are counted in education units and the Department
 * ("trong ngành giáo dục"), as the plan words those targets; so are the units that need a focal point.
 */
export const EDUCATION_UNIT_KINDS: readonly UnitKind[] = ['department', 'commune', 'school']
/** A share this close below its goal shows as "close" rather than "behind". */
const CLOSE_MARGIN = 0.1
/** The longest span measured at once, in months or quarters: each person's are a bit mask (exact in a JS number). */
const MAX_BUCKETS = 48

/** What a figure is measured over: a calendar year, a report period, or a range of days. */
export interface Span {
  kind: 'year' | 'period' | 'range'
  year?: number
  periodId?: number
  from: Date
  /** The end of the span; `to` is where measuring stops (now, for a span not over yet). */
  end: Date
  to: Date
}

/** One figure: `count` of `of`, and where the units declared more staff than the directory holds, against those. */
export interface Figure {
  count: number
  of: number
  share: number | null
  /** Σ per unit of max(declared staff, people counted in the directory); null where the target has no declared base. */
  ofStaff?: number | null
  shareOfStaff?: number | null
  /** unitsReporting: units whose every due report came before its deadline. */
  onTime?: number
  shareOnTime?: number | null
  /** focalPoints: units whose focal point is linked to a chat (can be reminded). */
  linked?: number
}

export interface WardRef {
  code: string
  name: string
}

export interface TargetResult extends Figure {
  id: TargetId
  /** A share to reach (0.9 = at least 90 %), or a count over the span (20–30 products a year). */
  goal: { share: number } | { min: number; max: number }
  /** null when nothing can be measured yet (no one to count, no report due yet). */
  met: boolean | null
  status: TargetStatus | null
  /** Per ward (a commune unit and its subtree); `ward: null` holds units under no ward (the Department and its own schools). */
  byWard?: ({ ward: WardRef | null } & Figure)[]
  byUnit?: UnitFigure[]
}

// ---------------------------------------------------------------------------------------------
// The span and its rhythm

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

/** ?year=2026, or ?periodId=3 (a report period's span), or ?from=2026-01-01&to=2026-06-30 (days in APP_TIMEZONE, `to` included, or instants); this year when none. */
export const spanQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  periodId: z.coerce.number().int().positive().optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
})
export type SpanQuery = z.infer<typeof spanQuerySchema>

/** The report periods a span can be chosen by, latest deadline first. */
export async function periodChoices(db: Db) {
  return db.select({ id: reportPeriods.id, name: reportPeriods.name, dueAt: reportPeriods.dueAt }).from(reportPeriods).orderBy(desc(reportPeriods.dueAt)).limit(100)
}

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)

/** Resolves ?year=, ?periodId= or ?from=&to= (else this year) to a span measured up to `now`. */
export async function resolveSpan(db: Db, q: SpanQuery, now: Date, timeZone: string): Promise<Span> {
  let span: Omit<Span, 'to'>
  if (q.periodId !== undefined) {
    const [period] = await db.select().from(reportPeriods).where(eq(reportPeriods.id, q.periodId))
    if (!period) throw new AppError('not_found', 'api.errors.noPeriod', { id: q.periodId })
    // A report covers the time since the previous deadline (from the next day), or since the start of its year.
    const [previous] = await db
      .select({ dueAt: reportPeriods.dueAt })
      .from(reportPeriods)
      .where(lt(reportPeriods.dueAt, period.dueAt))
      .orderBy(desc(reportPeriods.dueAt))
      .limit(1)
    const yearOfDue = Number(localDay(period.dueAt, timeZone).slice(0, 4))
    const from = previous
      ? startOfDay(dayFromNumber(dayNumber(localDay(previous.dueAt, timeZone)) + 1), timeZone)
      : yearStart(yearOfDue, timeZone)
    span = { kind: 'period', periodId: period.id, from: from < period.dueAt ? from : yearStart(yearOfDue, timeZone), end: period.dueAt }
  } else if (q.from !== undefined || q.to !== undefined) {
    const thisYear = Number(localDay(now, timeZone).slice(0, 4))
    const from = !q.from ? yearStart(thisYear, timeZone) : isDay(q.from) ? startOfDay(q.from, timeZone) : new Date(q.from)
    const end = !q.to ? now : isDay(q.to) ? startOfDay(dayFromNumber(dayNumber(q.to) + 1), timeZone) : new Date(q.to)
    if (end <= from) throw new AppError('invalid_input', 'api.errors.spanBackwards')
    span = { kind: 'range', from, end }
  } else {
    const year = q.year ?? Number(localDay(now, timeZone).slice(0, 4))
    span = { kind: 'year', year, from: yearStart(year, timeZone), end: yearStart(year + 1, timeZone) }
  }
  // Nothing is measured beyond now; a span that has not begun is measured over nothing (to = from).
  const to = now < span.from ? span.from : now < span.end ? now : span.end
  return { ...span, to }
}

/**
 * The calendar months (or quarters) in APP_TIMEZONE that [from, to) touches, cut to the span: a
 * person "reached regularly" was reached in each of them since entering the directory.
 */
export function rhythmBuckets(from: Date, to: Date, rhythm: Rhythm, timeZone: string): { start: Date; end: Date }[] {
  const step = rhythm === 'quarterly' ? 3 : 1
  const day = localDay(from, timeZone)
  let y = Number(day.slice(0, 4))
  let m = Number(day.slice(5, 7))
  m = m - ((m - 1) % step)
  const buckets: { start: Date; end: Date }[] = []
  let start = from
  while (start < to) {
    m += step
    if (m > 12) {
      m -= 12
      y++
    }
    const next = zonedTime(`${y}-${String(m).padStart(2, '0')}-01`, '00:00:00', timeZone)
    const end = next < to ? next : to
    buckets.push({ start, end })
    start = end
    if (buckets.length > MAX_BUCKETS) throw new AppError('invalid_input', 'api.errors.spanTooLong', { max: MAX_BUCKETS })
  }
  return buckets
}

// ---------------------------------------------------------------------------------------------
// Per-person facts, in SQL (one pass over the records, whatever the number of people)

const sec = (d: Date) => Math.floor(d.getTime() / 1000)
/**
 * The exclusive upper bound, in whole seconds as records are stored, of what a span measures:
 * everything recorded up to and including the current second (a check-in a moment ago counts),
 * never past the span's end.
 */
export const untilSec = (span: Pick<Span, 'to' | 'end'>) => Math.min(sec(span.end), sec(span.to) + 1)
/** Integers computed here, never user text: inlined so a long span does not exhaust D1's 100 bound parameters. */
const int = (n: number) => sql.raw(String(Math.trunc(n)))
const kindList = sql.raw(EDUCATION_UNIT_KINDS.map((k) => `'${k}'`).join(', '))
const roleIs = (col: string, role: string) => sql.raw(`(instr(${col}, '"${role}"') > 0)`)

/**
 * SQL: a bit per period (bit i for period i) in which some row of the group has `col` in that
 * period (and `cond`); rows are known to lie in the span. `sum(distinct 1 << period)` is the bitwise
 * OR, and measured cheaper than one max() per period (110 against 240 ms of CPU on 780,000 rows).
 */
function periodBits(col: string, ends: number[], cond = ''): SQL {
  const bucket = ends.length === 1 ? '0' : `case ${ends.slice(0, -1).map((e, i) => `when ${col} < ${e} then ${i}`).join(' ')} else ${ends.length - 1} end`
  return sql.raw(cond ? `sum(distinct case when ${cond} then 1 << (${bucket}) else 0 end)` : `sum(distinct 1 << (${bucket}))`)
}

/** SQL: the first period a person who entered at `col` must be reached in (the period they entered in). */
function firstNeeded(col: string, ends: number[]): SQL {
  return sql.raw(`(case ${ends.map((e, i) => `when ${col} < ${e} then ${i}`).join(' ')} else ${ends.length} end)`)
}

interface FactsInput {
  span: Span
  buckets: { start: Date; end: Date }[]
  /** Only people of these units (a subtree), by a root unit code. */
  rootCode?: string
}

/**
 * The `with` clauses that limit people to a unit's subtree (`tree`, then `scope` of their ids), and
 * a condition on a person id column; nothing when no root unit is given.
 */
function subtreeScope(rootCode: string | undefined) {
  const scoped = rootCode !== undefined
  const tree = scoped
    ? sql`tree(id) as (select id from units where code = ${rootCode} union select u.id from units u join tree on u.parent_id = tree.id),
      scope(id) as (select p.id from people p where p.unit_id in (select id from tree)),`
    : sql``
  const inScope = (col: string) => (scoped ? sql.raw(` and ${col} in (select id from scope)`) : sql``)
  return { scoped, tree, inScope }
}

/**
 * A `with` clause ending in `pp`: one row per person counted in the span (in an education unit,
 * in the directory before the span's end and not erased before its start), with
 * `first` (the first period they must be reached in), `mask` (a bit per period they were reached in:
 * a broadcast delivered to them, or a briefing attended; an acknowledgement implies the delivery),
 * `briefed` (acknowledged a brief or attended a briefing) and `trained` (attended a training).
 * Each source is read once in person order through its index and aggregated as it streams
 * (deliveries_reach_idx, broadcast_recipients_acked_idx, attendance_person_idx).
 */
export function personFacts({ span, buckets, rootCode }: FactsInput): SQL {
  const f = int(sec(span.from))
  const t = int(untilSec(span))
  // The last period ends with the span's measuring bound, so what happened this very second counts.
  const ends = buckets.map((b, i) => (i === buckets.length - 1 ? Math.max(sec(b.end), untilSec(span)) : sec(b.end)))
  const { scoped, tree, inScope } = subtreeScope(rootCode)
  return sql`with recursive ${tree}
    dm(person_id, mask) as (
      select person_id, ${periodBits('sent_at', ends)} from deliveries
      where source = 'broadcast' and status = 'sent' and sent_at >= ${f} and sent_at < ${t} and person_id is not null${inScope('person_id')}
      group by person_id
    ),
    am(person_id, mask, briefing, training) as (
      select a.person_id, ${periodBits('a.checked_in_at', ends, "s.kind = 'briefing'")}, max(s.kind = 'briefing'), max(s.kind = 'training')
      from attendance a join attendance_sessions s on s.id = a.session_id
      where a.checked_in_at >= ${f} and a.checked_in_at < ${t}${inScope('a.person_id')}
      group by a.person_id
    ),
    ab(person_id) as (
      select distinct person_id from broadcast_recipients
      where acked_at >= ${f} and acked_at < ${t} and broadcast_id in (select id from broadcasts where kind = 'brief')${inScope('person_id')}
    ),
    pp as (
      select p.id, p.unit_id, p.full_name, p.roles, p.erased_at, ${firstNeeded('p.created_at', ends)} as first,
        coalesce(dm.mask, 0) | coalesce(am.mask, 0) as mask,
        coalesce(am.briefing, 0) or ab.person_id is not null as briefed,
        coalesce(am.training, 0) as trained
      from people p join units u on u.id = p.unit_id
        left join dm on dm.person_id = p.id left join am on am.person_id = p.id left join ab on ab.person_id = p.id
      where u.kind in (${kindList}) and p.created_at < ${t} and (p.erased_at is null or p.erased_at > ${f})${scoped ? sql` and p.id in (select id from scope)` : sql``}
    )`
}

/** The 64-bit integer with bits `ks` set, as SQL text (a JS number is exact only to 2^53). */
const bit64 = (ks: number[]) => ks.reduce((acc, k) => acc | (1n << BigInt(k)), 0n).toString()

/** A calendar month of the zone that a span touches, and what of it the span measures. */
interface SpanMonth {
  year: number
  /** 0–11 */
  month: number
  start: number
  end: number
  /** The part of it measured, [from, to) in epoch seconds. */
  from: number
  to: number
  /** The bucket (month or quarter of the rhythm) it belongs to. */
  bucket: number
}

/** The local months [from, until) touches, each with its bucket; null outside the calendar's years or past what a 63-bit mask holds. */
function spanMonths(span: Span, buckets: { start: Date; end: Date }[], timeZone: string): SpanMonth[] | null {
  const f = sec(span.from)
  const t = untilSec(span)
  const day = localDay(span.from, timeZone)
  let y = Number(day.slice(0, 4))
  let m = Number(day.slice(5, 7)) - 1
  const months: SpanMonth[] = []
  let start = monthStart(timeZone, y, m)
  while (start !== undefined && start < t) {
    const end = monthStart(timeZone, y, m + 1)
    if (end === undefined || months.length >= 62) return null
    const from = Math.max(start, f)
    // The bucket holding the month's first measured second (the last bucket runs to the measuring bound).
    let bucket = buckets.findIndex((b) => from < sec(b.end))
    if (bucket < 0) bucket = buckets.length - 1
    months.push({ year: y, month: m, start, end, from, to: Math.min(end, t), bucket })
    ;[y, m, start] = [m === 11 ? y + 1 : y, (m + 1) % 12, end]
  }
  return start === undefined ? null : months
}

/**
 * Like personFacts, from the reach rollup (reach_months) instead of the records: each month the
 * span holds whole comes from the person's bits for that month; a month the span cuts (it starts
 * the day after a deadline, or ends before the month does and something was recorded after its
 * end) is computed from the records of just its measured days. The same `pp` as personFacts, so
 * the figures are the same; null when the span cannot be read from the rollup (outside the
 * calendar's years, or longer than 62 months).
 */
async function rollupFacts(db: Db, { span, buckets, rootCode }: FactsInput, timeZone: string): Promise<SQL | null> {
  const months = spanMonths(span, buckets, timeZone)
  if (!months || months.length === 0) return null
  const y0 = months[0]!.year
  const y1 = months.at(-1)!.year
  const f = sec(span.from)
  const t = untilSec(span)
  // The last month, measured up to now: its rollup bits are exact unless something was recorded after `t` in it.
  const last = months.at(-1)!
  let lastWhole = last.to === last.end
  if (!lastWhole && last.from === last.start) {
    const [row] = await db.all<{ later: number }>(sql`select
      exists (select 1 from deliveries where source = 'broadcast' and status = 'sent' and sent_at >= ${int(t)} and sent_at < ${int(last.end)})
      or exists (select 1 from attendance where checked_in_at >= ${int(t)} and checked_in_at < ${int(last.end)})
      or exists (select 1 from broadcast_recipients where acked_at >= ${int(t)} and acked_at < ${int(last.end)}) as later`)
    lastWhole = !Number(row?.later)
  }
  const whole = (mo: SpanMonth, k: number) => mo.from === mo.start && (mo.to === mo.end || (k === months.length - 1 && lastWhole))
  const edges = months.map((mo, k) => ({ ...mo, k })).filter((mo) => !whole(mo, mo.k))
  // Per year: its whole months (bits by calendar month) and where its January falls in the span's months.
  const years: { year: number; whole: number; shift: number }[] = []
  for (let y = y0; y <= y1; y++) {
    let bits = 0
    months.forEach((mo, k) => {
      if (mo.year === y && whole(mo, k)) bits |= 1 << mo.month
    })
    years.push({ year: y, whole: bits, shift: (y - y0) * 12 - months[0]!.month })
  }
  const byYear = (expr: (w: { whole: number; shift: number }) => string) =>
    sql.raw(`case r.year ${years.map((w) => `when ${w.year} then ${expr(w)}`).join(' ')} else 0 end`)
  // SQLite shifts the other way for a negative count: `x << -n` is `x >> n`.
  const monthsReached = byYear((w) => `((r.reached & ${w.whole}) << ${w.shift})`)
  const anyBriefed = byYear((w) => `((r.briefed & ${w.whole}) != 0)`)
  const anyTrained = byYear((w) => `((r.trained & ${w.whole}) != 0)`)
  const { scoped, tree, inScope } = subtreeScope(rootCode)
  // At most two cut months (the first and the last): a column each for "reached in it", then one
  // row per person (max() per column is cheaper than OR-ing bit values with sum(distinct)).
  const flags = (j: number, v: string) => sql.raw(edges.map((_, i) => (i === j ? v : '0')).join(', '))
  const edgeRows = edges.flatMap((e, j) => {
    const a = int(e.from)
    const b = int(e.to)
    return [
      sql`select person_id, ${flags(j, '1')}, 0 as briefed, 0 as trained from deliveries
        where source = 'broadcast' and status = 'sent' and sent_at >= ${a} and sent_at < ${b} and person_id is not null${inScope('person_id')}`,
      sql`select a.person_id, ${flags(j, "s.kind = 'briefing'")}, s.kind = 'briefing', s.kind = 'training'
        from attendance a join attendance_sessions s on s.id = a.session_id
        where a.checked_in_at >= ${a} and a.checked_in_at < ${b}${inScope('a.person_id')}`,
      sql`select person_id, ${flags(j, '0')}, 1, 0 from broadcast_recipients
        where acked_at >= ${a} and acked_at < ${b} and broadcast_id in (select id from broadcasts where kind = 'brief')${inScope('person_id')}`,
    ]
  })
  const reachedIn = sql.raw(edges.map((e, j) => `(max(f${j}) * ${bit64([e.k])})`).join(' | '))
  const edgeCte = edges.length
    ? sql`ex(person_id, ${sql.raw(edges.map((_, j) => `f${j}`).join(', '))}, briefed, trained) as (${sql.join(edgeRows, sql` union all `)}),
      e(person_id, mm, briefed, trained) as (select person_id, ${reachedIn}, max(briefed), max(trained) from ex group by person_id),`
    : sql``
  const multiYear = y1 > y0
  const agg = (expr: SQL, fn: 'sum' | 'max') => (multiYear ? sql`coalesce(${sql.raw(fn)}(${expr}), 0)` : sql`coalesce(${expr}, 0)`)
  // The last bucket ends with the measuring bound, as in personFacts.
  const ends = buckets.map((b, i) => (i === buckets.length - 1 ? Math.max(sec(b.end), t) : sec(b.end)))
  // Months to buckets: a month's bit moves to its bucket's (a quarter is reached when one of its months is).
  const monthly = months.every((mo, k) => mo.bucket === k)
  const mask = monthly
    ? sql`mm`
    : sql.raw(
        buckets
          .map((_, i) => {
            const ks = months.map((mo, k) => (mo.bucket === i ? k : -1)).filter((k) => k >= 0)
            if (!ks.length) return '0'
            return `(((mm & ${bit64(ks)}) != 0) << ${i})`
          })
          .join(' | '),
      )
  return sql`with recursive ${tree} ${edgeCte}
    pm as (
      select p.id, p.unit_id, p.full_name, p.roles, p.erased_at, ${firstNeeded('p.created_at', ends)} as first,
        ${agg(monthsReached, 'sum')}${edges.length ? sql` | coalesce(e.mm, 0)` : sql``} as mm,
        ${agg(anyBriefed, 'max')}${edges.length ? sql` or coalesce(e.briefed, 0)` : sql``} as briefed,
        ${agg(anyTrained, 'max')}${edges.length ? sql` or coalesce(e.trained, 0)` : sql``} as trained
      from people p join units u on u.id = p.unit_id
        left join reach_months r on r.person_id = p.id and ${multiYear ? sql`r.year between ${int(y0)} and ${int(y1)}` : sql`r.year = ${int(y0)}`}
        ${edges.length ? sql`left join e on e.person_id = p.id` : sql``}
      where u.kind in (${kindList}) and p.created_at < ${int(t)} and (p.erased_at is null or p.erased_at > ${int(f)})${scoped ? sql` and p.id in (select id from scope)` : sql``}
      ${multiYear ? sql`group by p.id` : sql``}
    ),
    pp as (select id, unit_id, full_name, roles, erased_at, first, ${mask} as mask, briefed, trained from pm)`
}

/** How long a read may spend building the rollup when it is not ready (a new zone, a fresh database) before computing from the records. */
const LAZY_BUILD_MS = 500

/**
 * The per-person facts of a span: from the rollup when it is ready for the zone (built here first,
 * for up to LAZY_BUILD_MS, when it is not: on Workers nothing else builds it before the first
 * read) and the span fits it; else, or when asked (`fromRecords`), from the records.
 */
async function factsFor(db: Db, input: FactsInput, opts: Pick<TargetsOptions, 'timeZone' | 'now' | 'fromRecords'>): Promise<SQL> {
  if (!opts.fromRecords) {
    const ready = (await reachRollupReady(db, opts.timeZone)) || (await buildReachRollup(db, opts.timeZone, { now: opts.now, budgetMs: LAZY_BUILD_MS })).ready
    const fromRollup = ready ? await rollupFacts(db, input, opts.timeZone) : null
    if (fromRollup) return fromRollup
  }
  return personFacts(input)
}

/** SQL: 1 when the person was reached in every period from `first` to the last one. */
function regular(n: number): SQL {
  return sql.raw(`(${n} > first and ((mask >> first) & ((1 << (${n} - first)) - 1)) = ((1 << (${n} - first)) - 1))`)
}

interface UnitFacts {
  people: number
  briefed: number
  comms: number
  commsTrained: number
  tm: number
  tmRegular: number
  focal: number
  linkedFocal: number
  /** Report periods due in the span that asked this unit, and how many it sent / sent on time. */
  due: number
  sent: number
  onTime: number
}

const noFacts = (): UnitFacts => ({ people: 0, briefed: 0, comms: 0, commsTrained: 0, tm: 0, tmRegular: 0, focal: 0, linkedFocal: 0, due: 0, sent: 0, onTime: 0 })

interface UnitInfo {
  id: number
  code: string
  name: string
  kind: UnitKind
  parentId: number | null
  staffCount: number | null
}

async function reportingFacts(db: Db, span: Span, now: Date, facts: Map<number, UnitFacts>) {
  const periods =
    span.kind === 'period'
      ? await db.select().from(reportPeriods).where(and(eq(reportPeriods.id, span.periodId!), lte(reportPeriods.dueAt, now)))
      : await db
          .select()
          .from(reportPeriods)
          .where(and(gte(reportPeriods.dueAt, span.from), lt(reportPeriods.dueAt, span.end), lte(reportPeriods.dueAt, now)))
  for (const period of periods) {
    const [required, latest] = await Promise.all([requiredUnits(db, period), latestReports(db, period.id)])
    for (const u of required) {
      let f = facts.get(u.id)
      if (!f) facts.set(u.id, (f = noFacts()))
      f.due++
      const report = latest.get(u.id)
      if (report) f.sent++
      if (report && !report.late) f.onTime++
    }
  }
  return periods.length
}

/** Everything the targets are computed from, per unit: a few aggregate queries, not a pass over people in JS. */
async function unitFacts(db: Db, span: Span, rhythm: Rhythm, timeZone: string, now: Date, fromRecords?: boolean) {
  const buckets = rhythmBuckets(span.from, span.to, rhythm, timeZone)
  const n = buckets.length
  const facts = new Map<number, UnitFacts>()
  const unitRows = await db
    .select({ id: units.id, code: units.code, name: units.name, kind: units.kind, parentId: units.parentId, staffCount: units.staffCount })
    .from(units)
  if (n > 0) {
    const perPerson = await factsFor(db, { span, buckets }, { timeZone, now, fromRecords })
    const rows = await db.all<{ unitId: number; people: number; briefed: number; comms: number; commsTrained: number; tm: number; tmRegular: number }>(sql`
      ${perPerson}
      select unit_id as unitId, count(*) as people, sum(briefed) as briefed,
        sum(${roleIs('roles', 'comms_staff')}) as comms,
        sum(${roleIs('roles', 'comms_staff')} and trained) as commsTrained,
        sum(${roleIs('roles', 'teacher')} or ${roleIs('roles', 'manager')}) as tm,
        sum((${roleIs('roles', 'teacher')} or ${roleIs('roles', 'manager')}) and ${regular(n)}) as tmRegular
      from pp group by unit_id`)
    for (const r of rows) {
      facts.set(r.unitId, {
        ...noFacts(),
        people: Number(r.people),
        briefed: Number(r.briefed),
        comms: Number(r.comms),
        commsTrained: Number(r.commsTrained),
        tm: Number(r.tm),
        tmRegular: Number(r.tmRegular),
      })
    }
  }
  // A focal point is a state of the directory now (an erased focal point is no longer one).
  const focal = await db.all<{ unitId: number; linked: number }>(sql`
    select p.unit_id as unitId, max(exists (select 1 from chat_links l where l.person_id = p.id and l.blocked_at is null)) as linked
    from people p join units u on u.id = p.unit_id
    where u.kind in (${kindList}) and p.erased_at is null and ${roleIs('p.roles', 'focal_point')}
    group by p.unit_id`)
  for (const r of focal) {
    let f = facts.get(r.unitId)
    if (!f) facts.set(r.unitId, (f = noFacts()))
    f.focal = 1
    f.linkedFocal = Number(r.linked) ? 1 : 0
  }
  const periodsDue = await reportingFacts(db, span, now, facts)
  return { units: unitRows as UnitInfo[], facts, buckets, periodsDue }
}

// ---------------------------------------------------------------------------------------------
// Figures

const isEducation = (u: UnitInfo) => EDUCATION_UNIT_KINDS.includes(u.kind)
const staffBase = (declared: number | null, counted: number) => Math.max(declared ?? 0, counted)

/** Adds one unit's facts into a target's figure. */
function addUnit(id: TargetId, fig: Figure, u: UnitInfo, f: UnitFacts) {
  switch (id) {
    case 'unitsReporting':
      if (f.due === 0) return
      fig.of++
      if (f.sent === f.due) fig.count++
      if (f.onTime === f.due) fig.onTime = (fig.onTime ?? 0) + 1
      return
    case 'staffBriefed':
      if (!isEducation(u)) return
      fig.count += f.briefed
      fig.of += f.people
      fig.ofStaff = (fig.ofStaff ?? 0) + staffBase(u.staffCount, f.people)
      return
    case 'commsStaffTrained':
      fig.count += f.commsTrained
      fig.of += f.comms
      return
    case 'managersTeachersReached':
      if (!isEducation(u)) return
      fig.count += f.tmRegular
      fig.of += f.tm
      fig.ofStaff = (fig.ofStaff ?? 0) + staffBase(u.staffCount, f.tm)
      return
    case 'focalPoints':
      if (!isEducation(u)) return
      fig.of++
      fig.count += f.focal
      fig.linked = (fig.linked ?? 0) + f.linkedFocal
      return
    case 'digitalProducts':
      return
  }
}

function emptyFigure(id: TargetId): Figure {
  const fig: Figure = { count: 0, of: 0, share: null }
  if (id === 'staffBriefed' || id === 'managersTeachersReached') fig.ofStaff = 0
  if (id === 'unitsReporting') fig.onTime = 0
  if (id === 'focalPoints') fig.linked = 0
  return fig
}

function finish(fig: Figure): Figure {
  fig.share = share(fig.count, fig.of)
  if (fig.ofStaff !== undefined) {
    fig.ofStaff = fig.ofStaff || null
    fig.shareOfStaff = fig.ofStaff ? share(fig.count, fig.ofStaff) : null
  }
  if (fig.onTime !== undefined) fig.shareOnTime = share(fig.onTime, fig.of)
  return fig
}

const shareGoals: Record<Exclude<TargetId, 'digitalProducts'>, number> = {
  unitsReporting: 1,
  staffBriefed: 1,
  commsStaffTrained: 0.7,
  managersTeachersReached: 0.9,
  focalPoints: 1,
}

function shareStatus(fig: Figure, goal: number): { met: boolean | null; status: TargetStatus | null } {
  if (fig.of === 0) return { met: null, status: null }
  const s = fig.count / fig.of
  if (s >= goal - 1e-9) return { met: true, status: 'met' }
  return { met: false, status: s >= goal - CLOSE_MARGIN - 1e-9 ? 'close' : 'behind' }
}

/** Each unit's ward: the nearest commune at or above it in the unit tree, or none. */
function wardsOf(list: UnitInfo[]) {
  const byId = new Map(list.map((u) => [u.id, u]))
  const ward = new Map<number, UnitInfo | null>()
  const find = (u: UnitInfo): UnitInfo | null => {
    const known = ward.get(u.id)
    if (known !== undefined) return known
    ward.set(u.id, null) // a guard against a cycle
    const parent = u.parentId != null ? byId.get(u.parentId) : undefined
    const w = u.kind === 'commune' ? u : parent ? find(parent) : null
    ward.set(u.id, w)
    return w
  }
  for (const u of list) find(u)
  return ward
}

export interface TargetsOptions {
  rhythm: Rhythm
  timeZone: string
  now: Date
  /** These targets also come with their figure per unit (`byUnit`), from the same pass. */
  unitsFor?: readonly TargetId[]
  /** Computed from the records themselves, not the reach rollup: the same figures, slower (the tests' oracle). */
  fromRecords?: boolean
}

export interface UnitFigure extends Figure {
  unit: { code: string; name: string; kind: UnitKind; staffCount: number | null; ward: string | null }
}

const countedProducts = (span: Span) =>
  sql`p.status = 'published' and p.counts_toward_target = 1 and p.published_at >= ${sec(span.from)} and p.published_at < ${untilSec(span)}`

/**
 * The entries behind the products target (GET /api/targets/digitalProducts/products): oldest first,
 * each with how many broadcasts that went out carried it.
 */
export async function targetProducts(db: Db, id: TargetId, span: Span) {
  if (id !== 'digitalProducts') throw new AppError('unprocessable', 'library.errors.targetNotProducts')
  const rows = await db.all<{ id: number; kind: ProductKind; title: string; slug: string; audience: string; publishedAt: number; unitCode: string | null; unitName: string | null; broadcasts: number }>(sql`
    select p.id as id, p.kind as kind, p.title as title, p.slug as slug, p.audience as audience, p.published_at as publishedAt,
      u.code as unitCode, u.name as unitName,
      (select count(*) from broadcasts b where b.product_id = p.id and b.expanded_at is not null and b.status <> 'cancelled') as broadcasts
    from products p left join units u on u.id = p.owner_unit_id
    where ${countedProducts(span)}
    order by p.published_at, p.id`)
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    slug: r.slug,
    audience: r.audience,
    publishedAt: new Date(Number(r.publishedAt) * 1000),
    ownerUnit: r.unitCode ? { code: r.unitCode, name: r.unitName ?? '' } : null,
    broadcasts: Number(r.broadcasts),
  }))
}

/**
 * The library's entries that count toward the products target (`countsTowardTarget`), published in
 * the span: each entry once, however many broadcasts carried it (src/domain/library/). The goal is
 * 20–30 a year, pro rata for another span.
 */
async function digitalProducts(db: Db, span: Span): Promise<TargetResult> {
  const [row] = await db.all<{ n: number }>(sql`select count(*) as n from products p where ${countedProducts(span)}`)
  const count = Number(row?.n ?? 0)
  const years = span.kind === 'year' ? 1 : (span.end.getTime() - span.from.getTime()) / (365 * 86_400_000)
  const goal = { min: Math.ceil(20 * years), max: Math.ceil(30 * years) }
  const started = span.to > span.from
  const elapsed = (span.to.getTime() - span.from.getTime()) / Math.max(1, span.end.getTime() - span.from.getTime())
  const met = count >= goal.min
  return {
    id: 'digitalProducts',
    goal,
    count,
    of: 0,
    share: null,
    met: started ? met : null,
    // On pace: as many as the part of the span gone by calls for.
    status: !started ? null : met ? 'met' : count >= goal.min * elapsed - 1e-9 ? 'close' : 'behind',
  }
}

/**
 * The plan's targets over a span, as the plan words them, each rolled up by ward. Every figure
 * comes from what the bots recorded (attendance, acknowledgements, deliveries, reports, the
 * directory), not from what units declare ("dựa trên minh chứng"); declared staff only widen the base.
 */
export async function planTargets(db: Db, span: Span, opts: TargetsOptions) {
  const { units: list, facts, buckets, periodsDue } = await unitFacts(db, span, opts.rhythm, opts.timeZone, opts.now, opts.fromRecords)
  const wards = wardsOf(list)
  const started = span.to > span.from
  const targets: TargetResult[] = []
  for (const id of targetIds) {
    if (id === 'digitalProducts') {
      targets.push(await digitalProducts(db, span))
      continue
    }
    const total = emptyFigure(id)
    const byWard = new Map<number | null, Figure>()
    const byUnit: UnitFigure[] | undefined = opts.unitsFor?.includes(id) ? [] : undefined
    for (const u of list) {
      const f = facts.get(u.id) ?? noFacts()
      addUnit(id, total, u, f)
      const w = wards.get(u.id) ?? null
      let wf = byWard.get(w?.id ?? null)
      if (!wf) byWard.set(w?.id ?? null, (wf = emptyFigure(id)))
      addUnit(id, wf, u, f)
      if (byUnit) {
        const uf = emptyFigure(id)
        addUnit(id, uf, u, f)
        if (uf.of > 0 || uf.ofStaff) byUnit.push({ unit: { code: u.code, name: u.name, kind: u.kind, staffCount: u.staffCount, ward: w?.code ?? null }, ...finish(uf) })
      }
    }
    finish(total)
    const unitById = new Map(list.map((u) => [u.id, u]))
    const { met, status } = started ? shareStatus(total, shareGoals[id]) : { met: null, status: null }
    targets.push({
      id,
      goal: { share: shareGoals[id] },
      ...total,
      met,
      status,
      byWard: [...byWard.entries()]
        .map(([wid, fig]) => {
          const w = wid == null ? null : unitById.get(wid)!
          return { ward: w ? { code: w.code, name: w.name } : null, ...finish(fig) }
        })
        .sort((a, b) => (a.ward?.code ?? '').localeCompare(b.ward?.code ?? '')),
      ...(byUnit ? { byUnit } : {}),
    })
  }
  return {
    year: span.year,
    from: span.from.toISOString(),
    to: span.to.toISOString(),
    span: { kind: span.kind, year: span.year, periodId: span.periodId, from: span.from.toISOString(), end: span.end.toISOString(), to: span.to.toISOString() },
    rhythm: opts.rhythm,
    /** The periods (months or quarters) a person must be reached in to count as reached regularly. */
    periods: buckets.map((b) => ({ from: b.start.toISOString(), to: b.end.toISOString() })),
    reportPeriodsDue: periodsDue,
    targets,
  }
}

/** Adds each target's title and definition (catalog texts) in the reader's language. */
export function describeTargets<T extends { id: TargetId }>(locale: Locale, rhythm: Rhythm, targets: T[]) {
  return targets.map((t) => ({
    ...t,
    title: translate(locale, `api.targets.${t.id}`),
    definition: translate(locale, `api.targetDefinitions.${t.id}`, { rhythm: translate(locale, `api.rhythm.${rhythm}`) }),
  }))
}

// ---------------------------------------------------------------------------------------------
// Drilling down: per unit, and the people behind a figure

async function unitByCode(db: Db, code: string) {
  const [u] = await db.select().from(units).where(eq(units.code, code))
  if (!u) throw new AppError('not_found', 'api.errors.noUnit', { code })
  return u
}

/**
 * One target's figure per unit, for the units of a ward (its subtree) or every unit, each with its
 * code, name, kind and declared staff. Units the target does not count (no people, no report due,
 * not an education unit) are left out.
 */
export async function targetUnits(db: Db, id: TargetId, span: Span, opts: TargetsOptions & { ward?: string }) {
  if (id === 'digitalProducts') throw new AppError('unprocessable', 'api.errors.targetNotPerUnit')
  const root = opts.ward !== undefined ? await unitByCode(db, opts.ward) : undefined
  const { units: list, facts } = await unitFacts(db, span, opts.rhythm, opts.timeZone, opts.now, opts.fromRecords)
  let within: Set<number> | undefined
  if (root) {
    const children = new Map<number, number[]>()
    for (const u of list) if (u.parentId != null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id])
    within = new Set([root.id])
    const queue = [root.id]
    while (queue.length) {
      for (const c of children.get(queue.pop()!) ?? []) {
        if (within.has(c)) continue
        within.add(c)
        queue.push(c)
      }
    }
  }
  const rows = []
  for (const u of list) {
    if (within && !within.has(u.id)) continue
    const fig = emptyFigure(id)
    addUnit(id, fig, u, facts.get(u.id) ?? noFacts())
    if (fig.of === 0 && !fig.ofStaff) continue
    rows.push({ unit: { code: u.code, name: u.name, kind: u.kind, staffCount: u.staffCount }, ...finish(fig) })
  }
  rows.sort((a, b) => a.unit.code.localeCompare(b.unit.code))
  return { ward: root ? { code: root.code, name: root.name } : null, units: rows }
}

export interface PeopleQuery {
  unit: string
  /** counted: people the figure counts; missing: people it is waiting for. */
  state?: 'counted' | 'missing'
  limit: number
  offset: number
}

/**
 * The people behind one target's figure in a unit and the units below it: who counts and who is
 * missing (missing first, then by name), a page at a time. Erased people show as such, without a name.
 */
export async function targetPeople(db: Db, id: TargetId, span: Span, opts: TargetsOptions & PeopleQuery) {
  if (id === 'unitsReporting' || id === 'digitalProducts') throw new AppError('unprocessable', 'api.errors.targetNotPeople')
  const root = await unitByCode(db, opts.unit)
  const buckets = rhythmBuckets(span.from, span.to, opts.rhythm, opts.timeZone)
  const n = buckets.length
  const paging = sql`limit ${int(opts.limit)} offset ${int(opts.offset)}`
  type Row = { id: number; unitCode: string; unitName: string; fullName: string; erased: number; roles: string; counts: number; first: number; mask: number; linked: number; total: number }
  let rows: Row[]
  if (id === 'focalPoints') {
    rows = await db.all<Row>(sql`
      with recursive tree(id) as (select id from units where code = ${root.code} union select u.id from units u join tree on u.parent_id = tree.id),
      fp as (
        select p.id, u.code as unitCode, u.name as unitName, p.full_name as fullName, 0 as erased, p.roles,
          1 as counts, 0 as first, 0 as mask,
          exists (select 1 from chat_links l where l.person_id = p.id and l.blocked_at is null) as linked
        from people p join units u on u.id = p.unit_id
        where p.unit_id in (select id from tree) and u.kind in (${kindList}) and p.erased_at is null and ${roleIs('p.roles', 'focal_point')}
      )
      select *, count(*) over () as total from fp
      where ${opts.state === 'missing' ? sql`0` : sql`1`}
      order by fullName, id ${paging}`)
  } else if (n === 0) {
    rows = []
  } else {
    const who =
      id === 'commsStaffTrained'
        ? roleIs('roles', 'comms_staff')
        : id === 'managersTeachersReached'
          ? sql`(${roleIs('roles', 'teacher')} or ${roleIs('roles', 'manager')})`
          : sql`1`
    const counts = id === 'staffBriefed' ? sql`briefed` : id === 'commsStaffTrained' ? sql`trained` : regular(n)
    const facts = await factsFor(db, { span, buckets, rootCode: root.code }, opts)
    rows = await db.all<Row>(sql`
      ${facts},
      listed as (
        select pp.id, u.code as unitCode, u.name as unitName, pp.full_name as fullName, pp.erased_at is not null as erased, pp.roles,
          ${counts} as counts, pp.first, pp.mask, 0 as linked
        from pp join units u on u.id = pp.unit_id
        where ${who}
      )
      select *, count(*) over () as total from listed
      where ${opts.state === 'counted' ? sql`counts` : opts.state === 'missing' ? sql`not counts` : sql`1`}
      order by counts, fullName, id ${paging}`)
  }
  return {
    unit: { code: root.code, name: root.name },
    total: Number(rows[0]?.total ?? 0),
    limit: opts.limit,
    offset: opts.offset,
    items: rows.map((r) => {
      const item: Record<string, unknown> = {
        personId: r.id,
        fullName: Number(r.erased) ? null : r.fullName,
        erased: Boolean(Number(r.erased)),
        unit: { code: r.unitCode, name: r.unitName },
        roles: JSON.parse(r.roles) as string[],
        counts: Boolean(Number(r.counts)),
      }
      if (id === 'managersTeachersReached') {
        // Which of the periods since they entered they were reached in.
        const first = Number(r.first)
        const mask = Number(r.mask)
        item.periods = buckets.slice(first).map((b, i) => ({ from: b.start.toISOString(), reached: Boolean(Math.floor(mask / 2 ** (first + i)) % 2) }))
      }
      if (id === 'focalPoints') item.linked = Boolean(Number(r.linked))
      return item
    }),
  }
}
