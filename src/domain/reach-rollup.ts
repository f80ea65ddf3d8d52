import { eq, sql, type SQL } from 'drizzle-orm'
import { reachState } from '#db/schema/index.js'
import { atomic, rawStatement, type Statement } from '#db/atomic.js'
import type { Db } from '#db/types.js'
import { zonedTime } from '../time.js'

/**
 * The reach rollup (db/schema/rollup.ts): per person and local calendar year, a bit per month they
 * were reached, briefed or trained in. Triggers on deliveries, broadcast_recipients and attendance
 * keep it as those records are written, in the same statement; they place a record in its month
 * through `reach_calendar`, the local months of APP_TIMEZONE, which a migration cannot know. So
 * the calendar is written here, and the rollup rebuilt from the records, when it is missing or the
 * zone changed: in chunks (a rowid range of one table at a time, its progress saved with it), so a
 * million records never hold the database long, and a runner that stops is continued by the next.
 * Until it is ready for the zone, the targets are computed from the records themselves.
 */

/** The years the calendar holds; spans outside them are computed from the records. */
export const ROLLUP_FIRST_YEAR = 2000
export const ROLLUP_LAST_YEAR = 2100
/** Rows of one table read per chunk of the backfill (about 100 ms of SQLite each). */
const CHUNK_ROWS = 50_000
/** Calendar rows per insert: inlined integers, well under D1's statement limits. */
const CALENDAR_ROWS_PER_STATEMENT = 200

const PHASES = ['deliveries', 'attendance', 'acknowledgements'] as const
const DONE = PHASES.length

const int = (n: number) => sql.raw(String(Math.trunc(n)))
const sec = (d: Date) => Math.floor(d.getTime() / 1000)
/** SQL: the month (year × 16 + month 0–11) of an epoch-seconds column, from the calendar; -1 past its end, null before it. */
const monthOf = (col: string) => sql.raw(`(select ym from reach_calendar where start <= ${col} order by start desc limit 1)`)

const starts = new Map<string, number>()

/** Epoch seconds of the first of a local month (0–11; 12 is January of the next year), remembered; undefined outside the calendar's years. */
export function monthStart(timeZone: string, year: number, month: number): number | undefined {
  const y = year + Math.floor(month / 12)
  const m = month % 12
  if (y < ROLLUP_FIRST_YEAR || y > ROLLUP_LAST_YEAR + 1 || (y === ROLLUP_LAST_YEAR + 1 && m > 0)) return undefined
  const key = `${timeZone}|${y}|${m}`
  let start = starts.get(key)
  if (start === undefined) {
    start = sec(zonedTime(`${y}-${String(m + 1).padStart(2, '0')}-01`, '00:00:00', timeZone))
    if (starts.size > 50_000) starts.clear()
    starts.set(key, start)
  }
  return start
}

/** The local months of `timeZone` from ROLLUP_FIRST_YEAR to ROLLUP_LAST_YEAR, and the end of the last one (ym -1). */
export function calendarRows(timeZone: string): { start: number; ym: number }[] {
  const rows: { start: number; ym: number }[] = []
  for (let y = ROLLUP_FIRST_YEAR; y <= ROLLUP_LAST_YEAR; y++) {
    for (let m = 0; m < 12; m++) rows.push({ start: monthStart(timeZone, y, m)!, ym: y * 16 + m })
  }
  rows.push({ start: monthStart(timeZone, ROLLUP_LAST_YEAR + 1, 0)!, ym: -1 })
  return rows
}

/** Whether the rollup is complete for `timeZone` (built for it, backfill done): reads may use it. */
export async function reachRollupReady(db: Db, timeZone: string): Promise<boolean> {
  const [row] = await db.select({ timeZone: reachState.timeZone, phase: reachState.phase }).from(reachState).where(eq(reachState.id, 1))
  return !!row && row.timeZone === timeZone && row.phase >= DONE
}

/** One chunk of the backfill: the facts of rows (lo, hi] of a table, OR-ed into the rollup. */
function backfillChunk(phase: number, lo: number, hi: number): SQL {
  const range = sql.raw(`rowid > ${lo} and rowid <= ${hi}`)
  switch (phase) {
    case 0:
      return sql`insert into reach_months (person_id, year, reached)
        select person_id, ym >> 4, sum(distinct 1 << (ym & 15)) from (
          select person_id, ${monthOf('sent_at')} as ym from deliveries
          where ${range} and source = 'broadcast' and status = 'sent' and person_id is not null and sent_at is not null
        ) where ym >= 0 group by person_id, ym >> 4
        on conflict (person_id, year) do update set reached = reached | excluded.reached`
    case 1:
      return sql`insert into reach_months (person_id, year, reached, briefed, trained)
        select person_id, ym >> 4, sum(distinct iif(kind = 'briefing', 1 << (ym & 15), 0)), sum(distinct iif(kind = 'briefing', 1 << (ym & 15), 0)),
          sum(distinct iif(kind = 'training', 1 << (ym & 15), 0)) from (
          select a.person_id, s.kind, ${monthOf('a.checked_in_at')} as ym from attendance a join attendance_sessions s on s.id = a.session_id
          where ${sql.raw(`a.rowid > ${lo} and a.rowid <= ${hi}`)}
        ) where ym >= 0 group by person_id, ym >> 4
        on conflict (person_id, year) do update set reached = reached | excluded.reached, briefed = briefed | excluded.briefed, trained = trained | excluded.trained`
    default:
      return sql`insert into reach_months (person_id, year, briefed)
        select person_id, ym >> 4, sum(distinct 1 << (ym & 15)) from (
          select person_id, ${monthOf('acked_at')} as ym from broadcast_recipients
          where ${range} and acked_at is not null and broadcast_id in (select id from broadcasts where kind = 'brief')
        ) where ym >= 0 group by person_id, ym >> 4
        on conflict (person_id, year) do update set briefed = briefed | excluded.briefed`
  }
}

const lastRowid = async (db: Db, phase: number) => {
  const [row] = await db.all<{ n: number | null }>(sql.raw(`select max(rowid) as n from ${['deliveries', 'attendance', 'broadcast_recipients'][phase]}`))
  return Number(row?.n ?? 0)
}

const raw = rawStatement

export interface RollupBuild {
  ready: boolean
  /** The calendar was (re)written and the rollup emptied for this zone. */
  reset: boolean
  chunks: number
  ms: number
}

/**
 * Makes the rollup ready for `timeZone`: nothing when it is; else (re)writes the calendar, empties
 * the rollup and backfills it from the records, continuing where an earlier runner stopped, until
 * done or `budgetMs` has passed (the rest is left to the next call). Safe to run twice at once:
 * facts are OR-ed in (idempotent), and a runner whose build was restarted by another stops.
 */
export async function buildReachRollup(db: Db, timeZone: string, opts: { now: Date; budgetMs?: number; chunkRows?: number }): Promise<RollupBuild> {
  const t0 = Date.now()
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS
  const result: RollupBuild = { ready: false, reset: false, chunks: 0, ms: 0 }
  let [state] = await db.select().from(reachState).where(eq(reachState.id, 1))
  if (!state || state.timeZone !== timeZone) {
    const token = crypto.randomUUID()
    const calendar = calendarRows(timeZone)
    const statements: Statement[] = [raw(db, sql`delete from reach_months`), raw(db, sql`delete from reach_calendar`)]
    for (let i = 0; i < calendar.length; i += CALENDAR_ROWS_PER_STATEMENT) {
      const values = calendar
        .slice(i, i + CALENDAR_ROWS_PER_STATEMENT)
        .map((r) => `(${r.start}, ${r.ym})`)
        .join(', ')
      statements.push(raw(db, sql.raw(`insert into reach_calendar (start, ym) values ${values}`)))
    }
    statements.push(
      db
        .insert(reachState)
        .values({ id: 1, timeZone, token, phase: 0, cursor: 0, readyAt: null, startedAt: opts.now })
        .onConflictDoUpdate({ target: reachState.id, set: { timeZone, token, phase: 0, cursor: 0, readyAt: null, startedAt: opts.now } }),
    )
    await atomic(db, statements)
    result.reset = true
    ;[state] = await db.select().from(reachState).where(eq(reachState.id, 1))
  }
  let { token, phase, cursor } = state!
  let last = phase < DONE ? await lastRowid(db, phase) : 0
  while (phase < DONE) {
    if (opts.budgetMs !== undefined && Date.now() - t0 > opts.budgetMs) break
    let next: { phase: number; cursor: number }
    const statements: Statement[] = []
    if (cursor >= last) {
      next = { phase: phase + 1, cursor: 0 }
    } else {
      const hi = Math.min(last, cursor + chunkRows)
      statements.push(raw(db, backfillChunk(phase, cursor, hi)))
      next = { phase, cursor: hi }
    }
    statements.push(
      raw(
        db,
        sql`update reach_state set phase = ${int(next.phase)}, cursor = ${int(next.cursor)}${next.phase === DONE ? sql`, ready_at = ${int(sec(opts.now))}` : sql``}
          where id = 1 and token = ${token} and phase = ${int(phase)} and cursor = ${int(cursor)}`,
      ),
    )
    await atomic(db, statements)
    result.chunks++
    const [now] = await db.select().from(reachState).where(eq(reachState.id, 1))
    // Restarted (another zone) or moved on by another runner: follow what the table says.
    if (!now || now.token !== token || now.timeZone !== timeZone) break
    if (now.phase !== phase) last = now.phase < DONE ? await lastRowid(db, now.phase) : 0
    ;({ token, phase, cursor } = now)
    // Let the server answer between chunks (better-sqlite3 holds the event loop while it works).
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  result.ready = phase >= DONE
  result.ms = Date.now() - t0
  return result
}
