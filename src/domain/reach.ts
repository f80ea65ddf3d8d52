import { dayFromNumber, dayNumber, zonedTime } from '../time.js'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { units, type Role } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { breakdown, share, type Member } from './tally.js'

/** The facts reach is made of, per person, in the period asked for. */
export const reachFlags = ['linked', 'ackedBrief', 'attendedBriefing', 'briefed', 'reached', 'attendedTraining', 'passedQuiz'] as const

/** Midnight starting the given calendar day in `timeZone`. */
export function startOfDay(date: string, timeZone: string): Date {
  return zonedTime(date, '00:00:00', timeZone)
}

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

/** ?from=2026-01-01&to=2026-06-30 (whole days in APP_TIMEZONE, `to` included) or ISO instants. */
export const reachQuerySchema = z.object({ from: dayOrInstant.optional(), to: dayOrInstant.optional() })

export function reachPeriod(q: z.infer<typeof reachQuerySchema>, now: Date, timeZone: string) {
  const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)
  const from = !q.from ? new Date(0) : isDay(q.from) ? startOfDay(q.from, timeZone) : new Date(q.from)
  let to = now
  if (q.to) {
    // The day after `to` (10000-01-01 after 9999-12-31, not ISO's +010000-01-01).
    if (isDay(q.to)) to = startOfDay(dayFromNumber(dayNumber(q.to) + 1), timeZone)
    else to = new Date(q.to)
  }
  return { from, to }
}

/**
 * Per person in the directory, within [from, to): linked to a chat (and not blocked); acknowledged
 * at least one brief; attended a briefing (either counts as briefed); reached through an official
 * channel (a brief, announcement or digital product was delivered to them, or they were briefed);
 * attended a training; passed a quiz. People erased before `from` are not counted; those erased
 * later count with their records (their chats are gone, so they are no longer `linked`).
 */
export async function reachMembers(db: Db, from: Date, to: Date): Promise<Member[]> {
  const f = Math.floor(from.getTime() / 1000)
  const t = Math.floor(to.getTime() / 1000)
  const rows = await db.all<{
    unitId: number
    roles: string
    linked: number
    ackedBrief: number
    attendedBriefing: number
    attendedTraining: number
    passedQuiz: number
    received: number
  }>(sql`
    select p.unit_id as unitId, p.roles as roles,
      exists (select 1 from chat_links l where l.person_id = p.id and l.blocked_at is null) as linked,
      exists (select 1 from broadcast_recipients r join broadcasts b on b.id = r.broadcast_id
        where r.person_id = p.id and b.kind = 'brief' and r.acked_at >= ${f} and r.acked_at < ${t}) as ackedBrief,
      exists (select 1 from attendance a join attendance_sessions s on s.id = a.session_id
        where a.person_id = p.id and s.kind = 'briefing' and a.checked_in_at >= ${f} and a.checked_in_at < ${t}) as attendedBriefing,
      exists (select 1 from attendance a join attendance_sessions s on s.id = a.session_id
        where a.person_id = p.id and s.kind = 'training' and a.checked_in_at >= ${f} and a.checked_in_at < ${t}) as attendedTraining,
      exists (select 1 from quiz_participants qp
        where qp.person_id = p.id and qp.passed = 1 and qp.completed_at >= ${f} and qp.completed_at < ${t}) as passedQuiz,
      exists (select 1 from deliveries d
        where d.person_id = p.id and d.source = 'broadcast' and d.status = 'sent' and d.sent_at >= ${f} and d.sent_at < ${t}) as received
    from people p
    -- An erased person (a tombstone) still counts with their records, in any period that began
    -- before the erasure; from then on they are no longer in the directory.
    where p.erased_at is null or p.erased_at > ${f}`)
  return rows.map((r) => ({
    unitId: r.unitId,
    roles: JSON.parse(r.roles) as Role[],
    flags: {
      linked: r.linked === 1,
      ackedBrief: r.ackedBrief === 1,
      attendedBriefing: r.attendedBriefing === 1,
      briefed: r.ackedBrief === 1 || r.attendedBriefing === 1,
      reached: r.received === 1 || r.ackedBrief === 1 || r.attendedBriefing === 1,
      attendedTraining: r.attendedTraining === 1,
      passedQuiz: r.passedQuiz === 1,
    },
  }))
}

/**
 * Reach per unit and role (the flags of `reachMembers`), as counts and shares. Where a unit's
 * directory holds fewer people than its staff count, the shares are also given against the staff count.
 */
export async function reach(db: Db, from: Date, to: Date) {
  const members = await reachMembers(db, from, to)
  const tally = await breakdown(db, members, reachFlags)
  // Units with no one in the directory yet still show, with their staff count.
  const allUnits = await db.select({ code: units.code, name: units.name, staffCount: units.staffCount }).from(units)
  const present = new Set(tally.byUnit.map((u) => u.unitCode))
  const empty = Object.fromEntries(reachFlags.map((k) => [k, 0]))
  const emptyShares = Object.fromEntries(reachFlags.map((k) => [k, null]))
  const byUnit = [
    ...tally.byUnit,
    ...allUnits
      .filter((u) => !present.has(u.code))
      .map((u) => ({ unitCode: u.code, unitName: u.name, staffCount: u.staffCount, people: 0, counts: { ...empty }, shares: { ...emptyShares }, byRole: [] })),
  ]
    .sort((a, b) => a.unitCode.localeCompare(b.unitCode))
    .map((u) => {
      const incomplete = u.staffCount != null && u.staffCount > u.people
      return {
        ...u,
        directoryIncomplete: incomplete,
        sharesOfStaff: incomplete
          ? Object.fromEntries(reachFlags.map((k) => [k, share(u.counts[k] ?? 0, u.staffCount!)]))
          : null,
      }
    })
  const staffTotal = allUnits.reduce((s, u) => s + Math.max(u.staffCount ?? 0, 0), 0)
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: { ...tally.total, staffCount: staffTotal || null },
    byUnit,
    byRole: tally.byRole,
  }
}
