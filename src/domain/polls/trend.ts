import { asc } from 'drizzle-orm'
import { polls, type PollRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { Translate } from '../../i18n.js'
import { isClosed } from './polls.js'
import { optionLabels, pollTotal } from './results.js'

/**
 * A poll's series: the poll it first repeated (following `repeatOf` up) and every repeat of any of
 * them, however many, in date order (opensAt, then id). A poll repeated by none is a series of one.
 */
export async function pollSeries(db: Db, poll: PollRow): Promise<PollRow[]> {
  const all = await db.select().from(polls).orderBy(asc(polls.opensAt), asc(polls.id))
  const byId = new Map(all.map((p) => [p.id, p]))
  let root = poll
  const seen = new Set<number>([root.id])
  while (root.repeatOf !== null && byId.has(root.repeatOf) && !seen.has(root.repeatOf)) {
    root = byId.get(root.repeatOf)!
    seen.add(root.id)
  }
  const series = new Set<number>([root.id])
  // Repeats of repeats: add every poll whose original is in the series until none is added.
  for (let grew = true; grew; ) {
    grew = false
    for (const p of all) {
      if (!series.has(p.id) && p.repeatOf !== null && series.has(p.repeatOf)) {
        series.add(p.id)
        grew = true
      }
    }
  }
  return all.filter((p) => series.has(p.id))
}

const ratio = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 1000) / 1000 : null)

/**
 * The trend over a poll's repeats: every poll of its series in date order with its response rate and
 * each option's share of the answers; for the 1–5 scale also the mean and the share agreeing (4–5).
 * The options are named as the latest poll of the series names them.
 */
export async function pollTrend(db: Db, poll: PollRow, t: Translate, now: Date) {
  const series = await pollSeries(db, poll)
  const latest = series.at(-1) ?? poll
  const points = []
  for (const p of series) {
    const total = await pollTotal(db, p)
    points.push({
      pollId: p.id,
      title: p.title,
      opensAt: p.opensAt.toISOString(),
      closesAt: p.closesAt.toISOString(),
      status: isClosed(p, now) ? 'closed' : now.getTime() < p.opensAt.getTime() ? 'scheduled' : 'open',
      invited: total.invited,
      answered: total.answered,
      responseRate: total.responseRate,
      counts: total.counts,
      shares: total.counts.map((n) => ratio(n, total.answered)),
      average: total.average,
      agreement: total.agreement,
    })
  }
  return { pollId: poll.id, kind: latest.kind, options: optionLabels(latest, t), polls: points }
}
export type PollTrend = Awaited<ReturnType<typeof pollTrend>>
