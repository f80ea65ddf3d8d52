import type { Locale, PollRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { translator, type Translate } from '../../i18n.js'
import type { ListExport } from '../export/table.js'
import type { Sheet } from '../spreadsheet.js'
import { optionLabels, pollResults, type PollResults } from './results.js'
import { pollTrend, type PollTrend } from './trend.js'

/** A share 0–1 as a percentage with one decimal, for a cell. */
const rate = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10)

/**
 * The results as a workbook: a row for the whole poll and each audience, then one per unit and
 * ward, with who was asked, reached and answered, the response rate and the count of each option
 * (headed by the option itself); for a poll in a series of repeats, a second sheet with the trend.
 */
export async function pollExport(db: Db, poll: PollRow, now: Date): Promise<ListExport> {
  const results = await pollResults(db, poll, translator('vi'))
  const trend = await pollTrend(db, poll, translator('vi'), now)
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
      ...(trend.polls.length > 1 ? [{ render: (locale: Locale) => trendSheet(trend, translator(locale)) }] : []),
    ],
  }
}

function pollSheet(r: PollResults, t: Translate): Sheet {
  const head = [
    t('exports.col.pollAudience'),
    t('exports.col.unitCode'),
    t('exports.col.unitName'),
    t('exports.col.pollInvited'),
    t('exports.col.pollReached'),
    t('exports.col.pollAnswered'),
    t('exports.col.pollRate'),
  ]
  const line = (audience: string, code: string, name: string, x: { invited: number; reached: number; answered: number; responseRate: number | null; counts: number[] }) => [
    audience,
    code,
    name,
    x.invited,
    x.reached,
    x.answered,
    rate(x.responseRate),
    ...x.counts,
  ]
  const staff = t('poll.audienceStaff')
  const subs = t('poll.audienceSubscribers')
  return {
    name: t('exports.sheet.pollResults'),
    rows: [
      [...head, ...r.options.map((o, i) => `${i + 1}. ${o}`)],
      line(t('poll.audienceAll'), '', '', r.total),
      line(staff, '', '', r.byAudience.staff),
      line(subs, '', '', r.byAudience.subscribers),
      ...r.byUnit.map((u) => line(staff, u.unitCode, u.unitName, u)),
      ...r.byWard.map((u) => line(subs, u.unitCode, u.unitName, u)),
    ],
  }
}

/** The series of repeats: one row per poll in date order with its rate and shares (the scale: mean and agreement). */
function trendSheet(trend: PollTrend, t: Translate): Sheet {
  const scale = trend.kind === 'scale'
  return {
    name: t('exports.sheet.pollTrend'),
    rows: [
      [
        t('exports.col.pollId'),
        t('exports.col.pollOpens'),
        t('exports.col.pollTitle'),
        t('exports.col.pollInvited'),
        t('exports.col.pollAnswered'),
        t('exports.col.pollRate'),
        ...(scale ? [t('exports.col.pollAverage'), t('exports.col.pollAgreement')] : []),
        ...trend.options.map((o, i) => `${i + 1}. ${o} (%)`),
      ],
      ...trend.polls.map((p) => [
        p.pollId,
        p.opensAt.slice(0, 10),
        p.title,
        p.invited,
        p.answered,
        rate(p.responseRate),
        ...(scale ? [p.average, rate(p.agreement)] : []),
        ...trend.options.map((_, i) => rate(p.shares[i] ?? null)),
      ]),
    ],
  }
}
