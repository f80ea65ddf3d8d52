import { and, gte, lt, lte, sql } from 'drizzle-orm'
import { reportPeriods, type BroadcastKind, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { translate, type MessageKey, type Params } from '../i18n.js'
import { wallClock, type WorkingHours } from '../time.js'
import { workingClock, workingHoursWaited, type WorkingClock } from './calendar/working.js'
import { periodStatus } from './reporting/status.js'
import { statusTable } from './reporting/table.js'
import type { Cell, Sheet } from './spreadsheet.js'
import { misinformationSheets } from './misinformation/sheet.js'
import { describeTargets, planTargets, resolveSpan, targetProducts, untilSec, type Rhythm } from './targets.js'

const pct = (share: number | null | undefined) => (share == null ? null : Math.round(share * 1000) / 10)
const sec = (d: Date) => Math.floor(d.getTime() / 1000)

/**
 * The six-monthly summary the Department forwards (the plan's reporting rhythm): the targets with
 * their definitions, reach by ward, the reporting status of every period due in the half year,
 * the content published, the questions answered, and the misinformation claims with their clocks
 * (src/domain/misinformation/sheet.ts). One workbook, one sheet each, in the
 * reader's language; every figure is the one the console and the API show for the same span.
 */
export async function halfYearSummary(
  deps: { db: Db; config: { timezone: string; reachRhythm: Rhythm; workingHours: WorkingHours }; clock: () => Date },
  year: number,
  half: 1 | 2,
  locale: Locale,
): Promise<{ filename: string; sheets: Sheet[] }> {
  const { db } = deps
  const tz = deps.config.timezone
  const now = deps.clock()
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const span = await resolveSpan(db, { from: half === 1 ? `${year}-01-01` : `${year}-07-01`, to: half === 1 ? `${year}-06-30` : `${year}-12-31` }, now, tz)
  const opts = { rhythm: deps.config.reachRhythm, timeZone: tz, now }
  const plan = await planTargets(db, span, { ...opts, unitsFor: [] })
  const targets = describeTargets(locale, opts.rhythm, plan.targets)

  const targetRows = targets.map((x) => [
    x.title,
    x.definition,
    x.count,
    x.id === 'digitalProducts' ? null : x.of,
    pct(x.share),
    x.ofStaff ?? null,
    pct(x.shareOfStaff),
    'share' in x.goal ? `≥ ${Math.round(x.goal.share * 100)}%` : `${x.goal.min}–${x.goal.max}`,
    t(`summary.status.${x.status ?? 'none'}`),
  ])
  const reached = plan.targets.find((x) => x.id === 'managersTeachersReached')!
  const wardRows = (reached.byWard ?? []).map((w) => [w.ward?.name ?? t('summary.noWard'), w.count, w.of, pct(w.share)])

  // Every period due in the half year, as its status table with the period's name in front.
  const periods = await db
    .select()
    .from(reportPeriods)
    .where(and(gte(reportPeriods.dueAt, span.from), lt(reportPeriods.dueAt, span.end), lte(reportPeriods.dueAt, now)))
    .orderBy(reportPeriods.dueAt)
  const reporting: Cell[][] = []
  for (const p of periods) {
    const [header, ...rows] = statusTable(await periodStatus(db, p), locale, tz)
    if (reporting.length === 0) reporting.push([t('summary.period'), ...header!])
    for (const r of rows) reporting.push([p.name, ...r])
  }

  const content = await db.all<{ id: number; kind: BroadcastKind; title: string; at: number; recipients: number; acked: number }>(sql`
    select b.id as id, b.kind as kind, b.title as title, b.scheduled_at as at, b.recipient_count as recipients,
      (select count(*) from broadcast_recipients r where r.broadcast_id = b.id and r.acked_at is not null) as acked
    from broadcasts b
    where b.expanded_at is not null and b.status != 'cancelled' and b.scheduled_at >= ${sec(span.from)} and b.scheduled_at < ${untilSec(span)}
    order by b.scheduled_at, b.id`)
  const products = await targetProducts(db, 'digitalProducts', span)
  const questions = await answeredIn(db, span, workingClock(deps.config))
  const misinformation = await misinformationSheets(db, { from: span.from, to: new Date(untilSec(span) * 1000), now, clock: workingClock(deps.config), timeZone: tz, locale })
  // Real Excel dates (the wall-clock time in Vietnam), so the sheet sorts and filters by them.
  const at = (s: number) => wallClock(new Date(s * 1000), tz)

  const header = (keys: readonly MessageKey[]) => keys.map((k) => t(k))
  return {
    filename: `${t('summary.file', { year, half })}.xlsx`,
    sheets: [
      {
        name: t('summary.sheets.targets'),
        rows: [header(['summary.targets.target', 'summary.targets.definition', 'summary.targets.count', 'summary.targets.of', 'summary.targets.share', 'summary.targets.ofStaff', 'summary.targets.shareOfStaff', 'summary.targets.goal', 'summary.targets.status']), ...targetRows],
      },
      { name: t('summary.sheets.wards'), rows: [header(['summary.wards.ward', 'summary.wards.count', 'summary.wards.of', 'summary.wards.share']), ...wardRows] },
      { name: t('summary.sheets.reporting'), rows: reporting.length ? reporting : [[t('summary.period')]] },
      {
        name: t('summary.sheets.content'),
        rows: [
          header(['summary.content.id', 'summary.content.kind', 'summary.content.title', 'summary.content.sentAt', 'summary.content.recipients', 'summary.content.acknowledged']),
          ...content.map((b) => [b.id, t(`broadcast.kind.${b.kind}`).replace(/^\S+\s/, ''), b.title, at(b.at), Number(b.recipients), Number(b.acked)]),
        ],
      },
      {
        name: t('summary.sheets.products'),
        rows: [
          header(['summary.products.id', 'summary.products.kind', 'summary.products.title', 'summary.products.publishedAt', 'summary.products.unit', 'summary.products.audience', 'summary.products.broadcasts', 'summary.products.slug']),
          ...products.map((p) => [p.id, t(`library.kinds.${p.kind}`), p.title, wallClock(p.publishedAt, tz), p.ownerUnit?.name ?? '', t(p.audience === 'public' ? 'summary.products.public' : 'summary.products.internal'), p.broadcasts, p.slug]),
        ],
      },
      {
        name: t('summary.sheets.questions'),
        rows: [
          header(['summary.questions.id', 'summary.questions.askedAt', 'summary.questions.unit', 'summary.questions.text', 'summary.questions.answeredAt', 'summary.questions.answer', 'summary.questions.waited']),
          ...questions.map((q) => [q.id, at(q.askedAt), q.unit, q.text === '' ? t('summary.removed') : q.text, at(q.answeredAt), q.answer, q.waited]),
        ],
      },
      ...misinformation,
    ],
  }
}

/** The questions answered in the span, each with how long it waited, in working hours. */
async function answeredIn(db: Db, span: Parameters<typeof untilSec>[0] & { from: Date }, clock: WorkingClock) {
  const rows = await db.all<{ id: number; askedAt: number; unit: string; text: string; answeredAt: number; answer: string }>(sql`
    select q.id as id, q.asked_at as askedAt, u.name as unit, q.text as text, q.answered_at as answeredAt, q.answer as answer
    from questions q join units u on u.id = q.unit_id
    where q.answered_at is not null and q.answered_at >= ${sec(span.from)} and q.answered_at < ${untilSec(span)}
    order by q.answered_at, q.id`)
  const waited = await workingHoursWaited(db, rows.map((q) => ({ from: new Date(q.askedAt * 1000), to: new Date(q.answeredAt * 1000) })), clock)
  return rows.map((q, i) => ({ ...q, waited: waited[i]! }))
}
