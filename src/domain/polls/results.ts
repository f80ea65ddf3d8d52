import { sql } from 'drizzle-orm'
import type { PollRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { Translate } from '../../i18n.js'
import { findPoll, optionCount, POLL_SOURCE } from './polls.js'

type Audience = 'staff' | 'subscribers'

interface Tally {
  answered: number
  /** The poll's recipients: messages queued to them (held, sent or failed; not cancelled). */
  invited: number
  /** Of them, those the message was delivered to. */
  reached: number
  /** Respondents / recipients (answered / invited), at most 1; null when the poll was sent to no one. */
  responseRate: number | null
  /** Answers per option, in the options' order. */
  counts: number[]
  /** For a 1–5 scale: the mean point, else null. */
  average: number | null
  /** For a 1–5 scale: the share answering 4 or 5 (agreeing), else null. */
  agreement: number | null
}

/** A unit's (staff) or a ward's (subscribers) figures, with its response rate. */
export interface UnitResult {
  audience: Audience
  unitId: number | null
  unitCode: string
  unitName: string
  /** The unit's name again, as the API names it (`{unitId, name, invited, answered, responseRate}`). */
  name: string
  invited: number
  reached: number
  answered: number
  responseRate: number | null
  counts: number[]
}

/** The labels of the options: a single choice's own, or the scale's five points in `t`'s language. */
export function optionLabels(poll: PollRow, t: Translate): string[] {
  if (poll.kind === 'single') return poll.options
  return [t('poll.scale1'), t('poll.scale2'), t('poll.scale3'), t('poll.scale4'), t('poll.scale5')]
}

const ratio = (n: number, of: number) => (of > 0 ? Math.round(Math.min(1, n / of) * 1000) / 1000 : null)
/** The share of a 1–5 scale's answers at 4 or 5. */
export const agreementOf = (counts: readonly number[], answered: number) => (answered > 0 ? ratio((counts[3] ?? 0) + (counts[4] ?? 0), answered) : null)

function tally(poll: PollRow, rows: readonly { choice: number; n: number }[], sent: { invited: number; reached: number }): Tally {
  const counts = Array.from({ length: optionCount(poll) }, () => 0)
  for (const r of rows) if (r.choice < counts.length) counts[r.choice]! += r.n
  const answered = counts.reduce((a, b) => a + b, 0)
  const points = counts.reduce((sum, n, i) => sum + n * (i + 1), 0)
  const scale = poll.kind === 'scale' && answered > 0
  return {
    answered,
    invited: sent.invited,
    reached: sent.reached,
    responseRate: ratio(answered, sent.invited),
    counts,
    average: scale ? Math.round((points / answered) * 100) / 100 : null,
    agreement: scale ? agreementOf(counts, answered) : null,
  }
}

/** Messages of the poll that count as sent to someone: all but those cancelled (an erasure, a cancel). */
const notCancelled = sql`not (d.status = 'failed' and d.fail_reason = 'cancelled')`

/**
 * The figures of a poll: answers per audience, unit (or ward) and option, and its recipients per
 * audience and unit — staff by the unit of the person it was sent to, subscribers by their ward. A
 * web subscriber (/theo-doi) gets no message: their page asked and reached them when they answered.
 */
async function figures(db: Db, poll: PollRow) {
  const byChoice = await db.all<{ audience: Audience; unitId: number | null; choice: number; n: number }>(sql`
    select audience, unit_id as unitId, choice, count(*) as n from poll_answers where poll_id = ${poll.id} group by audience, unit_id, choice`)
  const sent = await db.all<{ audience: Audience; unitId: number | null; invited: number; reached: number }>(sql`
    select 'staff' as audience, p.unit_id as unitId, count(*) as invited, sum(d.status = 'sent') as reached from deliveries d
      join people p on p.id = d.person_id
      where d.source = ${POLL_SOURCE} and d.source_id = ${poll.id} and d.person_id is not null and ${notCancelled} group by p.unit_id
    union all
    select 'subscribers', s.ward_unit_id, count(*), sum(d.status = 'sent') from deliveries d
      left join subscribers s on s.channel = d.channel and s.chat_id = d.chat_id
      where d.source = ${POLL_SOURCE} and d.source_id = ${poll.id} and d.person_id is null and ${notCancelled} group by s.ward_unit_id
    union all
    select 'subscribers', a.unit_id, count(*), count(*) from poll_answers a
      join subscribers s on s.id = a.subscriber_id and s.channel = 'web'
      where a.poll_id = ${poll.id} group by a.unit_id`)
  const sentTo = (a?: Audience) =>
    sent.filter((r) => !a || r.audience === a).reduce((acc, r) => ({ invited: acc.invited + Number(r.invited), reached: acc.reached + Number(r.reached ?? 0) }), { invited: 0, reached: 0 })
  return { byChoice, sent, sentTo }
}

/** A poll's totals over everyone it asked, for its repeats' trend. */
export async function pollTotal(db: Db, poll: PollRow): Promise<Tally> {
  const { byChoice, sentTo } = await figures(db, poll)
  return tally(poll, byChoice, sentTo())
}

async function previousTotal(db: Db, poll: PollRow): Promise<{ pollId: number; title: string; total: Tally } | null> {
  const previous = poll.repeatOf ? await findPoll(db, poll.repeatOf) : undefined
  if (!previous) return null
  return { pollId: previous.id, title: previous.title, total: await pollTotal(db, previous) }
}

/** Per unit (staff) and ward (subscribers): answers and recipients, every unit asked or answering listed. */
async function perUnit(db: Db, poll: PollRow, f: Awaited<ReturnType<typeof figures>>): Promise<UnitResult[]> {
  const unitIds = [...new Set([...f.byChoice.map((r) => r.unitId), ...f.sent.map((r) => r.unitId)].filter((id): id is number => id !== null))]
  const unitRows = unitIds.length
    ? await db.all<{ id: number; code: string; name: string }>(sql`select id, code, name from units where id in (select value from json_each(${JSON.stringify(unitIds)}))`)
    : []
  const unitOf = new Map(unitRows.map((u) => [u.id, u]))
  const rows = new Map<string, UnitResult>()
  const rowOf = (audience: Audience, unitId: number | null) => {
    const key = `${audience}:${unitId}`
    const u = unitId === null ? undefined : unitOf.get(Number(unitId))
    const row = rows.get(key) ?? {
      audience,
      unitId: unitId === null ? null : Number(unitId),
      unitCode: u?.code ?? '',
      unitName: u?.name ?? '',
      name: u?.name ?? '',
      invited: 0,
      reached: 0,
      answered: 0,
      responseRate: null,
      counts: Array.from({ length: optionCount(poll) }, () => 0),
    }
    rows.set(key, row)
    return row
  }
  for (const r of f.byChoice) {
    const row = rowOf(r.audience, r.unitId)
    if (r.choice < row.counts.length) row.counts[r.choice]! += r.n
    row.answered += r.n
  }
  for (const r of f.sent) {
    // A subscriber erased since (their chat gone) or without a ward counts in the totals only.
    if (r.unitId === null) continue
    const row = rowOf(r.audience, r.unitId)
    row.invited += Number(r.invited)
    row.reached += Number(r.reached ?? 0)
  }
  for (const row of rows.values()) {
    // Who answered was asked: an erased subscriber's message lost its chat (hence its ward), not their answer.
    row.invited = Math.max(row.invited, row.answered)
    row.responseRate = ratio(row.answered, row.invited)
  }
  return [...rows.values()].sort((a, b) => a.unitCode.localeCompare(b.unitCode))
}

/**
 * The figures of a poll: totals per option, by audience (staff, subscribers), per unit (staff) and
 * per ward (subscribers), each with its recipients and response rate, and the poll it repeats.
 */
export async function pollResults(db: Db, poll: PollRow, t: Translate) {
  const f = await figures(db, poll)
  const units = await perUnit(db, poll, f)
  return {
    pollId: poll.id,
    title: poll.title,
    question: poll.question,
    kind: poll.kind,
    options: optionLabels(poll, t),
    total: tally(poll, f.byChoice, f.sentTo()),
    byAudience: {
      staff: tally(poll, f.byChoice.filter((r) => r.audience === 'staff'), f.sentTo('staff')),
      subscribers: tally(poll, f.byChoice.filter((r) => r.audience === 'subscribers'), f.sentTo('subscribers')),
    },
    byUnit: units.filter((u) => u.audience === 'staff'),
    byWard: units.filter((u) => u.audience === 'subscribers'),
    /** The poll this one repeats (the whole series: GET /api/polls/:id/trend). */
    previous: await previousTotal(db, poll),
  }
}
export type PollResults = Awaited<ReturnType<typeof pollResults>>

/** Answered and reached (messages delivered) of every poll, for the console's list: two grouped queries. */
export async function pollCounts(db: Db): Promise<Map<number, { answered: number; reached: number }>> {
  const answered = await db.all<{ id: number; n: number }>(sql`select poll_id as id, count(*) as n from poll_answers group by poll_id`)
  const reached = await db.all<{ id: number; n: number }>(sql`
    select source_id as id, count(*) as n from deliveries where source = ${POLL_SOURCE} and status = 'sent' group by source_id`)
  const out = new Map<number, { answered: number; reached: number }>()
  for (const r of answered) out.set(r.id, { answered: r.n, reached: 0 })
  for (const r of reached) out.set(r.id, { answered: out.get(r.id)?.answered ?? 0, reached: r.n })
  return out
}
