import type { Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { translate, type MessageKey, type Params } from '../../i18n.js'
import { wallClock } from '../../time.js'
import { workingHoursWaited, type WorkingClock } from '../calendar/working.js'
import type { Sheet } from '../spreadsheet.js'
import { listMisinformation } from './claims.js'
import { isOpen } from './states.js'
import { misinformationStats } from './stats.js'
import type { ClaimView, ClockFigures } from './views.js'

/**
 * A claim's clock so far, in working hours: null when not started; `running` while it still counts;
 * `stopped` when it started but the claim went elsewhere before its end (a liaison never said
 * "Đã nhận" before the correction, a claim closed unrouted).
 */
export type ClockSoFar = { hours: number; running: boolean } | { stopped: true } | null
export const clockNames = ['toAcknowledge', 'toRoute', 'liaisonToAcknowledge', 'toCorrect'] as const
export type ClaimClocks = Record<(typeof clockNames)[number], ClockSoFar>

/**
 * The four clocks of each claim so far, in working hours: acknowledge, route and correct from
 * receipt, the liaison's from routing; an open claim's unfinished clock runs to `now` (the ones a
 * claim concluded as not false, or already past, stop).
 */
export async function claimClocks(db: Db, claims: readonly ClaimView[], now: Date, clock: WorkingClock): Promise<Map<number, ClaimClocks>> {
  const spans: { from: Date; to: Date | null; running: boolean; started: boolean }[] = []
  const span = (from: string | null, to: string | null, runs: boolean) => {
    if (!from) spans.push({ from: now, to: null, running: false, started: false })
    else if (to) spans.push({ from: new Date(from), to: new Date(to), running: false, started: true })
    else spans.push({ from: new Date(from), to: runs ? now : null, running: runs, started: true })
  }
  for (const c of claims) {
    const open = isOpen(c.status)
    const concluded = c.status === 'not_false' || c.status === 'answered'
    span(c.receivedAt, c.acknowledgedAt, open)
    span(c.receivedAt, c.routedAt, open && !concluded && c.status !== 'corrected')
    span(c.routedAt, c.liaisonAcknowledgedAt, open && c.status === 'routed')
    span(c.receivedAt, c.correctedAt, open && c.status !== 'not_false')
  }
  const hours = await workingHoursWaited(db, spans, clock)
  const out = new Map<number, ClaimClocks>()
  claims.forEach((c, i) => {
    const at = (k: number): ClockSoFar => {
      const h = hours[i * 4 + k]
      const s = spans[i * 4 + k]!
      if (h === null || h === undefined) return s.started ? { stopped: true } : null
      return { hours: h, running: s.running }
    }
    out.set(c.id, { toAcknowledge: at(0), toRoute: at(1), liaisonToAcknowledge: at(2), toCorrect: at(3) })
  })
  return out
}

/**
 * The six-monthly workbook's misinformation sheets: the claims received in [from, to) with their
 * codes, state, agency and clocks in working hours — never who reported nor what they wrote (a
 * report's text may carry a contact) — and the clocks' median and P90 per agency.
 */
export async function misinformationSheets(
  db: Db,
  input: { from: Date; to: Date; now: Date; clock: WorkingClock; timeZone: string; locale: Locale },
): Promise<Sheet[]> {
  const t = (key: MessageKey, params?: Params) => translate(input.locale, key, params)
  const { claims, reports } = await listMisinformation(db, { from: input.from, to: input.to })
  const clocks = await claimClocks(db, claims, input.now, input.clock)
  const stats = await misinformationStats(db, { from: input.from, to: input.to, now: input.now, clock: input.clock })
  const hours = (v: ClockSoFar) => (v && 'hours' in v && !v.running ? v.hours : null)
  const clockHeads = clockNames.map((n) => `${t(`consoleMisinfo.clocks.${n}`)} (${t('misinfoSheet.workingHours')})`)
  const claimRows = [...claims].reverse().map((c) => {
    const k = clocks.get(c.id)!
    return [
      c.id,
      reports
        .filter((r) => r.claimId === c.id)
        .map((r) => r.code)
        .join(', '),
      wallClock(new Date(c.receivedAt), input.timeZone),
      c.reportCount,
      t(`consoleMisinfo.statuses.${c.status}`),
      c.agency?.name ?? '',
      c.risk ? t(`consoleMisinfo.claim.risks.${c.risk}`) : '',
      ...clockNames.map((n) => hours(k[n])),
    ]
  })
  const figures = (f: ClockFigures) => [f.medianWorkingHours, f.p90WorkingHours, f.count]
  const statsHead = [t('consoleMisinfo.stats.agency'), t('consoleMisinfo.stats.claims'), t('consoleMisinfo.stats.reports')]
  for (const n of clockNames) {
    const name = t(`consoleMisinfo.clocks.${n}`)
    statsHead.push(`${name}: ${t('consoleMisinfo.stats.median')}`, `${name}: ${t('consoleMisinfo.stats.p90')}`, `${name}: ${t('misinfoSheet.count')}`)
  }
  const statsRows = [
    ...stats.agencies.map((a) => [a.agency?.name ?? t('consoleMisinfo.stats.unrouted'), a.claims, a.reports, ...clockNames.flatMap((n) => figures(a[n]))]),
    [t('consoleMisinfo.stats.all'), stats.all.claims, stats.all.reports, ...clockNames.flatMap((n) => figures(stats.all[n]))],
  ]
  return [
    {
      name: t('misinfoSheet.claims'),
      rows: [[t('misinfoSheet.claim'), t('consoleMisinfo.codes'), t('misinfoSheet.receivedAt'), t('consoleMisinfo.reportCount'), t('consoleMisinfo.status'), t('consoleMisinfo.agency'), t('consoleMisinfo.claim.risk'), ...clockHeads], ...claimRows],
    },
    { name: t('misinfoSheet.clocks'), rows: [statsHead, ...statsRows] },
  ]
}
