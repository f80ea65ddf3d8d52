import { sql } from 'drizzle-orm'
import type { PollRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { Translate } from '../../i18n.js'
import type { ListExport } from '../export/table.js'
import type { Sheet } from '../spreadsheet.js'
import { translator } from '../../i18n.js'
import { findPoll, optionCount, POLL_SOURCE } from './polls.js'

type Audience = 'staff' | 'subscribers'

interface Tally {
  answered: number
  reached: number
  /** answered / reached, null before anyone was reached. */
  responseRate: number | null
  /** Answers per option, in the options' order. */
  counts: number[]
  /** For a 1–5 scale: the mean point, else null. */
  average: number | null
}

export interface UnitTally {
  audience: Audience
  unitCode: string
  unitName: string
  answered: number
  counts: number[]
}

/** The labels of the options: a single choice's own, or the scale's five points in `t`'s language. */
export function optionLabels(poll: PollRow, t: Translate): string[] {
  if (poll.kind === 'single') return poll.options
  return [t('poll.scale1'), t('poll.scale2'), t('poll.scale3'), t('poll.scale4'), t('poll.scale5')]
}

function tally(poll: PollRow, rows: readonly { choice: number; n: number }[], reached: number): Tally {
  const counts = Array.from({ length: optionCount(poll) }, () => 0)
  for (const r of rows) if (r.choice < counts.length) counts[r.choice]! += r.n
  const answered = counts.reduce((a, b) => a + b, 0)
  const points = counts.reduce((sum, n, i) => sum + n * (i + 1), 0)
  return {
    answered,
    reached,
    responseRate: reached > 0 ? Math.round((answered / reached) * 1000) / 1000 : null,
    counts,
    average: poll.kind === 'scale' && answered > 0 ? Math.round((points / answered) * 100) / 100 : null,
  }
}

/**
 * The figures of a poll: totals per option, by audience (staff, subscribers) with response rates
 * (answered / messages delivered, a web subscriber's answer counting as reached too), per unit (staff)
 * and per ward (subscribers), and the poll it repeats.
 */
async function figures(db: Db, poll: PollRow) {
  const byChoice = await db.all<{ audience: Audience; unitId: number | null; choice: number; n: number }>(sql`
    select audience, unit_id as unitId, choice, count(*) as n from poll_answers where poll_id = ${poll.id} group by audience, unit_id, choice`)
  const sent = await db.all<{ staff: number; n: number }>(sql`
    select person_id is not null as staff, count(*) as n from deliveries
    where source = ${POLL_SOURCE} and source_id = ${poll.id} and status = 'sent' group by 1`)
  // A web subscriber (/theo-doi) gets no message: their page reached them when they answered.
  const [web] = await db.all<{ n: number }>(sql`
    select count(*) as n from poll_answers a join subscribers s on s.id = a.subscriber_id where a.poll_id = ${poll.id} and s.channel = 'web'`)
  const reachedOf = (a: Audience) => (sent.find((s) => !!s.staff === (a === 'staff'))?.n ?? 0) + (a === 'subscribers' ? Number(web?.n ?? 0) : 0)
  return { byChoice, reachedOf }
}

async function previousTotal(db: Db, poll: PollRow): Promise<{ pollId: number; title: string; total: Tally } | null> {
  const previous = poll.repeatOf ? await findPoll(db, poll.repeatOf) : undefined
  if (!previous) return null
  const { byChoice, reachedOf } = await figures(db, previous)
  return { pollId: previous.id, title: previous.title, total: tally(previous, byChoice, reachedOf('staff') + reachedOf('subscribers')) }
}

export async function pollResults(db: Db, poll: PollRow, t: Translate) {
  const { byChoice, reachedOf } = await figures(db, poll)
  const unitIds = [...new Set(byChoice.map((r) => r.unitId).filter((id): id is number => id !== null))]
  const unitRows = unitIds.length
    ? await db.all<{ id: number; code: string; name: string }>(sql`select id, code, name from units where id in (select value from json_each(${JSON.stringify(unitIds)}))`)
    : []
  const unitOf = new Map(unitRows.map((u) => [u.id, u]))
  const perUnit = new Map<string, UnitTally>()
  for (const r of byChoice) {
    const u = r.unitId === null ? undefined : unitOf.get(r.unitId)
    const key = `${r.audience}:${r.unitId}`
    const row = perUnit.get(key) ?? { audience: r.audience, unitCode: u?.code ?? '', unitName: u?.name ?? '', answered: 0, counts: Array.from({ length: optionCount(poll) }, () => 0) }
    if (r.choice < row.counts.length) row.counts[r.choice]! += r.n
    row.answered += r.n
    perUnit.set(key, row)
  }
  const units = [...perUnit.values()].sort((a, b) => a.unitCode.localeCompare(b.unitCode))
  return {
    pollId: poll.id,
    title: poll.title,
    question: poll.question,
    kind: poll.kind,
    options: optionLabels(poll, t),
    total: tally(poll, byChoice, reachedOf('staff') + reachedOf('subscribers')),
    byAudience: {
      staff: tally(poll, byChoice.filter((r) => r.audience === 'staff'), reachedOf('staff')),
      subscribers: tally(poll, byChoice.filter((r) => r.audience === 'subscribers'), reachedOf('subscribers')),
    },
    byUnit: units.filter((u) => u.audience === 'staff'),
    byWard: units.filter((u) => u.audience === 'subscribers'),
    /** The poll this one repeats, for the trend. */
    previous: await previousTotal(db, poll),
  }
}
export type PollResults = Awaited<ReturnType<typeof pollResults>>

/**
 * The results as a workbook: a row for the whole poll and each audience, then one per unit and
 * ward, with the count of each option (headed by the option itself) and the response rate.
 */
export async function pollExport(db: Db, poll: PollRow): Promise<ListExport> {
  const results = await pollResults(db, poll, translator('vi'))
  return {
    file: `tham-do-${poll.id}`,
    csvTable: 0,
    tables: [
      {
        render(locale) {
          const t = translator(locale)
          return pollSheet({ ...results, options: optionLabels(poll, t) }, t)
        },
      },
    ],
  }
}

function pollSheet(r: PollResults, t: Translate): Sheet {
  const head = [t('exports.col.pollAudience'), t('exports.col.unitCode'), t('exports.col.unitName'), t('exports.col.pollAnswered'), t('exports.col.pollReached'), t('exports.col.pollRate')]
  const rate = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10)
  const line = (audience: string, code: string, name: string, answered: number, reached: number | null, rateValue: number | null, counts: number[]) => [audience, code, name, answered, reached, rate(rateValue), ...counts]
  const staff = t('poll.audienceStaff')
  const subs = t('poll.audienceSubscribers')
  return {
    name: t('exports.sheet.pollResults'),
    rows: [
      [...head, ...r.options.map((o, i) => `${i + 1}. ${o}`)],
      line(t('poll.audienceAll'), '', '', r.total.answered, r.total.reached, r.total.responseRate, r.total.counts),
      line(staff, '', '', r.byAudience.staff.answered, r.byAudience.staff.reached, r.byAudience.staff.responseRate, r.byAudience.staff.counts),
      line(subs, '', '', r.byAudience.subscribers.answered, r.byAudience.subscribers.reached, r.byAudience.subscribers.responseRate, r.byAudience.subscribers.counts),
      ...r.byUnit.map((u) => line(staff, u.unitCode, u.unitName, u.answered, null, null, u.counts)),
      ...r.byWard.map((u) => line(subs, u.unitCode, u.unitName, u.answered, null, null, u.counts)),
    ],
  }
}

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

export interface UnitRate extends UnitTally {
  /** Messages of the poll delivered to the unit's staff (the ward's subscribers). */
  reached: number
  responseRate: number | null
}

/**
 * The per-unit and per-ward rows of `results` with how many the poll reached there and the
 * response rate; a unit or ward reached without an answer is listed too (0 answered).
 */
export async function pollUnitRates(db: Db, poll: PollRow, results: PollResults): Promise<{ byUnit: UnitRate[]; byWard: UnitRate[] }> {
  const reached = await db.all<{ audience: Audience; code: string; name: string; n: number }>(sql`
    select 'staff' as audience, u.code as code, u.name as name, count(*) as n from deliveries d
      join people p on p.id = d.person_id join units u on u.id = p.unit_id
      where d.source = ${POLL_SOURCE} and d.source_id = ${poll.id} and d.status = 'sent' and d.person_id is not null group by u.id
    union all
    select 'subscribers', u.code, u.name, count(*) from deliveries d
      join subscribers s on s.channel = d.channel and s.chat_id = d.chat_id join units u on u.id = s.ward_unit_id
      where d.source = ${POLL_SOURCE} and d.source_id = ${poll.id} and d.status = 'sent' and d.person_id is null group by u.id
    union all
    select 'subscribers', u.code, u.name, count(*) from poll_answers a
      join subscribers s on s.id = a.subscriber_id and s.channel = 'web' join units u on u.id = a.unit_id
      where a.poll_id = ${poll.id} group by u.id`)
  const merge = (audience: Audience, answered: readonly UnitTally[]): UnitRate[] => {
    const rows = new Map<string, UnitRate>(answered.map((u) => [u.unitCode, { ...u, reached: 0, responseRate: null }]))
    for (const r of reached.filter((x) => x.audience === audience)) {
      const row = rows.get(r.code) ?? { audience, unitCode: r.code, unitName: r.name, answered: 0, counts: Array.from({ length: optionCount(poll) }, () => 0), reached: 0, responseRate: null }
      row.reached += r.n
      rows.set(r.code, row)
    }
    for (const row of rows.values()) row.responseRate = row.reached > 0 ? Math.round((row.answered / row.reached) * 1000) / 1000 : null
    return [...rows.values()].sort((a, b) => a.unitCode.localeCompare(b.unitCode))
  }
  return { byUnit: merge('staff', results.byUnit), byWard: merge('subscribers', results.byWard) }
}
