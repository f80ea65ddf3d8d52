import { and, desc, eq, gte, isNotNull, lt, lte, ne, sql } from 'drizzle-orm'
import { broadcasts, quizzes, reportPeriods, unitKinds, type UnitKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../errors.js'
import { requiredUnits } from './reporting/periods.js'
import { latestReports } from './reporting/status.js'
import { planTargets, type Span, type TargetsOptions } from './targets.js'

/** Hours after a broadcast that its acknowledgement curve covers. */
export const ACK_CURVE_HOURS = 72
/** Units shown in the "least reached" chart. */
const LEAST_REACHED_UNITS = 15

const sec = (d: Date) => Math.floor(d.getTime() / 1000)

export interface OverviewOptions extends TargetsOptions {
  /** The broadcast whose acknowledgements to chart; default the latest one that asked for them, in the span. */
  broadcastId?: number
  /** The quiz whose scores to chart; default the latest one opened in the span. */
  quizId?: number
}

/**
 * Acknowledgements per hour after a broadcast went out (from its scheduled time), up to
 * ACK_CURVE_HOURS or now: each hour's count and the running total, against its recipients.
 */
async function ackCurve(db: Db, span: Span, now: Date, broadcastId?: number) {
  const [b] = broadcastId
    ? await db.select().from(broadcasts).where(eq(broadcasts.id, broadcastId))
    : await db
        .select()
        .from(broadcasts)
        .where(
          and(
            eq(broadcasts.requireAck, true),
            isNotNull(broadcasts.expandedAt),
            ne(broadcasts.status, 'cancelled'),
            gte(broadcasts.scheduledAt, span.from),
            lt(broadcasts.scheduledAt, span.to),
          ),
        )
        .orderBy(desc(broadcasts.scheduledAt), desc(broadcasts.id))
        .limit(1)
  if (!b) {
    if (broadcastId) throw new AppError('not_found', 'api.errors.noBroadcast', { id: broadcastId })
    return null
  }
  const start = sec(b.scheduledAt)
  const hours = Math.max(1, Math.min(ACK_CURVE_HOURS, Math.ceil((sec(now) - start) / 3600)))
  // One pass over the broadcast's recipients: a row per hour acknowledged, and one (h null) for those who have not.
  // The cast: the drivers bind `start` as a REAL, and a fractional hour indexes no array slot.
  const rows = await db.all<{ h: number | null; n: number }>(sql`
    select cast((acked_at - ${start}) / 3600 as integer) as h, count(*) as n from broadcast_recipients
    where broadcast_id = ${b.id} group by h`)
  const perHour = new Array<number>(hours).fill(0)
  let recipients = 0
  let acknowledged = 0
  for (const r of rows) {
    const n = Number(r.n)
    recipients += n
    if (r.h === null) continue
    acknowledged += n
    const h = Number(r.h)
    // An acknowledgement stamped before the send time (clock skew) counts in the first hour.
    if (h < hours) perHour[Math.max(0, h)]! += n
  }
  let running = 0
  return {
    broadcast: { id: b.id, kind: b.kind, title: b.title, scheduledAt: b.scheduledAt.toISOString(), requireAck: b.requireAck },
    recipients,
    acknowledged,
    hours: perHour.map((n, hour) => ({ hour, acks: n, total: (running += n) })),
  }
}

/**
 * The latest report period due by now in the span (else the next one due): each unit kind's
 * units on time, late and missing (not yet sent, when the period is not due yet).
 */
async function reportingByKind(db: Db, span: Span, now: Date) {
  const [period] =
    (await db
      .select()
      .from(reportPeriods)
      .where(and(gte(reportPeriods.dueAt, span.from), lt(reportPeriods.dueAt, span.end), lte(reportPeriods.dueAt, now)))
      .orderBy(desc(reportPeriods.dueAt))
      .limit(1)) ?? []
  const chosen =
    period ??
    (await db.select().from(reportPeriods).where(and(gte(reportPeriods.dueAt, now), lt(reportPeriods.dueAt, span.end))).orderBy(reportPeriods.dueAt).limit(1))[0]
  if (!chosen) return null
  const [required, latest] = await Promise.all([requiredUnits(db, chosen), latestReports(db, chosen.id)])
  const byKind = new Map<UnitKind, { kind: UnitKind; units: number; onTime: number; late: number; missing: number }>()
  for (const u of required) {
    let k = byKind.get(u.kind)
    if (!k) byKind.set(u.kind, (k = { kind: u.kind, units: 0, onTime: 0, late: 0, missing: 0 }))
    k.units++
    const r = latest.get(u.id)
    if (!r) k.missing++
    else if (r.late) k.late++
    else k.onTime++
  }
  return {
    period: { id: chosen.id, name: chosen.name, dueAt: chosen.dueAt.toISOString(), due: chosen.dueAt <= now },
    byKind: unitKinds.filter((k) => byKind.has(k)).map((k) => byKind.get(k)!),
  }
}

/** How many people got each number of answers right in a quiz (completed attempts), and how many passed. */
async function quizScores(db: Db, span: Span, quizId?: number) {
  const [q] = quizId
    ? await db.select().from(quizzes).where(eq(quizzes.id, quizId))
    : await db
        .select()
        .from(quizzes)
        .where(and(gte(quizzes.opensAt, span.from), lt(quizzes.opensAt, span.to)))
        .orderBy(desc(quizzes.opensAt), desc(quizzes.id))
        .limit(1)
  if (!q) {
    if (quizId) throw new AppError('not_found', 'api.errors.noQuiz', { id: quizId })
    return null
  }
  const rows = await db.all<{ correct: number; n: number; passed: number }>(sql`
    select correct_count as correct, count(*) as n, sum(passed) as passed from quiz_participants
    where quiz_id = ${q.id} and completed_at is not null group by correct_count`)
  const [inv] = await db.all<{ invited: number }>(sql`select count(*) as invited from quiz_participants where quiz_id = ${q.id}`)
  const questions = q.questions.length
  const byScore = Array.from({ length: questions + 1 }, (_, correct) => ({ correct, people: 0 }))
  let completed = 0
  let passed = 0
  for (const r of rows) {
    const i = Math.min(questions, Math.max(0, Number(r.correct)))
    byScore[i]!.people += Number(r.n)
    completed += Number(r.n)
    passed += Number(r.passed ?? 0)
  }
  return {
    quiz: { id: q.id, title: q.title, questions, passMark: q.passMark, opensAt: q.opensAt.toISOString(), closesAt: q.closesAt.toISOString() },
    invited: Number(inv?.invited ?? 0),
    completed,
    passed,
    byScore,
  }
}

/**
 * Everything the console's overview draws, in one call: the plan's targets (with their ward
 * roll-up), reach by ward and the least reached units, acknowledgements per hour after the latest
 * brief, reporting status by unit kind, and the latest quiz's scores. All aggregated in SQL.
 */
export async function overview(db: Db, span: Span, opts: OverviewOptions) {
  const targets = await planTargets(db, span, { ...opts, unitsFor: ['managersTeachersReached'] })
  const reached = targets.targets.find((t) => t.id === 'managersTeachersReached')!
  const { byUnit, ...reachedTotal } = reached
  const [acks, reporting, quiz] = await Promise.all([
    ackCurve(db, span, opts.now, opts.broadcastId),
    reportingByKind(db, span, opts.now),
    quizScores(db, span, opts.quizId),
  ])
  return {
    ...targets,
    targets: targets.targets.map((t) => (t.id === 'managersTeachersReached' ? reachedTotal : t)),
    reach: {
      byWard: reached.byWard ?? [],
      /** The units furthest from the goal (lowest share first, then the largest). */
      leastReachedUnits: [...(byUnit ?? [])]
        .filter((u) => u.of > 0)
        .sort((a, b) => (a.share ?? 0) - (b.share ?? 0) || b.of - a.of || a.unit.code.localeCompare(b.unit.code))
        .slice(0, LEAST_REACHED_UNITS),
    },
    acks,
    reporting,
    quiz,
  }
}
