import { drainBudget } from '../src/delivery/dispatcher.js'

/**
 * bench/d1-cost.ts's arithmetic: the per-operation table, a month of a 20,000-staff city, the free
 * plan's fit per day, the paid plan's bill, and how long a city-wide brief takes to leave.
 *
 * Published prices and limits used (developers.cloudflare.com/d1/platform/pricing and
 * /workers/platform/limits, as of 12/2026): free plan 5,000,000 rows read and 100,000 rows written a
 * day, 50 subrequests and 10 ms CPU an invocation; Workers Paid $5 a month with 25 billion rows read
 * and 50 million rows written included, then $0.001 per million read and $1.00 per million written,
 * 1,000 subrequests an invocation, 10 million requests and 30 million CPU ms included.
 */
export interface Op {
  name: string
  unit: string
  /** How many units the tally was divided by. */
  per: number
  rowsRead: number
  rowsWritten: number
  queries: number
  subrequests: number
  cpuMs: number
  /** The Worker's isolate's JavaScript and GC time from V8's profiler (bench/d1-profile.ts), when measured. */
  jsMs?: number
  /** V8's "(program)" in the same profile: the runtime's own code between JavaScript calls. */
  programMs?: number
  invocations: number
  wallMs: number
  sent?: number
  note?: string
}

const FREE = { read: 5_000_000, written: 100_000, subrequests: 50, cpuMs: 10 }
const PAID = { base: 5, read: 25e9, written: 50e6, perMRead: 0.001, perMWritten: 1, subrequests: 1000 }
/** The Worker's configured rates (TELEGRAM_RATE_PER_SECOND, ZALO_RATE_PER_SECOND) and the drain's 25 s. */
const RATE = { telegram: 25, zalo: 5 }
const DRAIN_S = 25

const f = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d })
const fr = (n: number) => (n >= 100 ? f(n) : n >= 10 ? f(n, 1) : f(n, 2))

function find(ops: Op[], prefix: string): Op {
  const op = ops.find((o) => o.name.startsWith(prefix))
  if (!op) throw new Error(`no measurement for ${prefix}`)
  return op
}

function table(ops: Op[]): string {
  const rows = ops.map(
    (o) =>
      `| ${o.name} | ${o.unit}${o.per > 1 ? ` (÷${f(o.per)})` : ''} | ${fr(o.rowsRead)} | ${fr(o.rowsWritten)} | ${fr(o.queries)} | ${fr(o.subrequests)} | ${fr(o.cpuMs)} | ` +
      `${o.jsMs === undefined ? '–' : `${fr(o.jsMs)} (+${fr(o.programMs ?? 0)})`} |`,
  )
  return [
    '| operation | per | rows read | rows written | queries | subrequests | CPU ms (workerd + local D1) | Worker JS ms (+ runtime), V8 profile |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

/** A month's count of each operation; the assumptions are printed with the total. */
function monthMix(city: number): [string, number][] {
  const briefs = 52 / 12
  const acks = 0.6 * city
  return [
    ["a brief's fan-out", briefs * city],
    ['one delivery sent', (briefs + 1) * city + 200 / 6],
    ['an acknowledgement', briefs * acks],
    ['a phone page view', briefs * 0.1 * city],
    ['a quiz answer', 0.6 * city * 6],
    ['a reminders run', 7 / 6],
    ['a report sent', 200 / 6],
    ['a linked /hoidap', 200],
    ['the overview', 20 * 30],
    ['a check-in', 4 * 300],
    ['an unlinked message', 1000],
    ["an idle minute's Cron", 30 * 1440],
  ]
}

const MIX_NOTE =
  'Month: 52/12 weekly briefs to everyone (fan-out and one delivery each, 60 % acknowledging, 10 % also opening the phone page), ' +
  'a monthly quiz to everyone (its invitation counted as a delivery, 60 % taking it: a start and 5 answers), a six-monthly report ' +
  'round (1/6 of: 7 daily reminder runs, 200 reminders, 200 reports), 200 questions, the overview 20 times a day, four 300-person ' +
  'briefings checked in, 1,000 unlinked messages, and the minute\'s Cron Trigger 43,200 times (its idle cost; the daily jobs not counted).'

function month(ops: Op[], city: number): string {
  let read = 0
  let written = 0
  const lines: string[] = []
  for (const [prefix, count] of monthMix(city)) {
    const op = find(ops, prefix)
    read += op.rowsRead * count
    written += op.rowsWritten * count
    lines.push(`| ${op.name} | ${f(count)} | ${f(op.rowsRead * count)} | ${f(op.rowsWritten * count)} |`)
  }
  const cost = PAID.base + (Math.max(0, read - PAID.read) / 1e6) * PAID.perMRead + (Math.max(0, written - PAID.written) / 1e6) * PAID.perMWritten
  return [
    `\nA month of a ${f(city)}-staff city. ${MIX_NOTE}`,
    '| operation | a month | rows read | rows written |',
    '|---|---|---|---|',
    ...lines,
    `| **total** | | **${f(read)}** | **${f(written)}** |`,
    `Paid plan: ${f(read / 1e9, 3)} of 25 billion rows read and ${f(written / 1e6, 2)} of 50 million rows written included: $${f(cost, 2)} a month (D1; Workers requests and CPU well inside what $5 includes).`,
  ].join('\n')
}

function briefDay(ops: Op[], city: number): string {
  const fan = find(ops, "a brief's fan-out")
  const del = find(ops, 'one delivery sent')
  const ack = find(ops, 'an acknowledgement')
  const idle = find(ops, "an idle minute's Cron")
  const parts = { fan: fan.rowsWritten * city, del: del.rowsWritten * city, ack: ack.rowsWritten * 0.6 * city, idle: idle.rowsWritten * 1440 }
  const written = parts.fan + parts.del + parts.ack + parts.idle
  const read = fan.rowsRead * city + del.rowsRead * city + ack.rowsRead * 0.6 * city + idle.rowsRead * 1440
  return [
    `\nFree plan, the day a brief goes to all ${f(city)}: rows written ${f(written)} (fan-out ${f(parts.fan)}, deliveries ${f(parts.del)}, 60 % acknowledgements ${f(parts.ack)}, 1,440 idle minutes ${f(parts.idle)}) ` +
      `against 100,000 a day: ${written <= FREE.written ? 'fits' : `does NOT fit (${f(written / FREE.written, 1)}× the day's allowance)`}; rows read ${f(read)} against 5,000,000: ${read <= FREE.read ? 'fits' : 'does NOT fit'}.`,
    `A day with no brief: ${f(idle.rowsRead * 1440)} rows read and ${f(idle.rowsWritten * 1440)} written by the minute's Cron Trigger alone.`,
  ].join('\n')
}

function leaving(ops: Op[], city: number): string {
  const drain = find(ops, "the minute's Cron Trigger draining")
  const del = find(ops, 'one delivery sent')
  const idle = find(ops, "an idle minute's Cron")
  const perMinuteByRate = DRAIN_S * (RATE.telegram + RATE.zalo)
  const fits = (limit: number) => Math.floor((limit - idle.subrequests) / del.subrequests)
  const plan = (name: string, limit: number) => {
    const budget = drainBudget(limit)
    const perMinute = Math.min(budget, perMinuteByRate)
    return (
      `${name} (WORKER_SUBREQUESTS=${limit}): a drain claims at most ${budget} (by the measured costs ${fits(limit)} would fit), ` +
      `${f(perMinute)} a minute, so a ${f(city)}-person brief takes ${f(city / perMinute / 60, 1)} hours (${f(city / perMinute)} minutes) to leave.`
    )
  }
  return [
    `\nThe measured drain (WORKER_SUBREQUESTS unset: 1000): one invocation made ${f(drain.subrequests)} subrequests (${f(drain.queries)} D1 statements) and sent ${f(drain.sent ?? 0)} messages in ${f(drain.wallMs / 1000, 1)} s` +
      `${drain.subrequests > PAID.subrequests ? ', OVER the paid limit' : ''}; a delivery costs ${f(del.subrequests, 2)} subrequests, an invocation ${f(idle.subrequests)} before it sends anything.`,
    plan('Free plan', FREE.subrequests),
    plan('Paid plan', PAID.subrequests) + ` The configured rates alone (Telegram 25/s, Zalo 5/s) would allow ${f(perMinuteByRate)} a minute.`,
  ].join('\n')
}

export function monthReport(ops: Op[], city: number): string {
  return ['\n' + table(ops), month(ops, city), briefDay(ops, city), leaving(ops, city)].join('\n')
}
