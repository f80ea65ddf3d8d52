import { asc, eq } from 'drizzle-orm'
import { criteriaSets, criteriaSnapshots, type Locale, type UnitKind } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../../errors.js'
import type { Translate } from '../../i18n.js'
import { localDay } from '../../time.js'
import type { Cell, Sheet } from '../spreadsheet.js'
import { planTargets, resolveSpan, type Rhythm, type TargetId, type TargetResult } from '../targets.js'
import type { CriteriaSet } from './set.js'
import type { FrozenTargets, YearResults } from './workflow.js'

/** The plan's first year (2026–2030): a year from it to this one has a page even before a set exists. */
export const PLAN_FIRST_YEAR = 2026

/** One unit's line on the public page: figures only, no comment, evidence or person. */
export interface PublicUnitRow {
  code: string
  name: string
  kind: UnitKind
  total: number
  max: number
  percent: number | null
  band: string | null
  rank: number | null
  /** Points of each automatic criterion by code; absent: it does not apply to the unit. */
  auto: Record<string, number>
}

export interface PublishedResults {
  version: number
  /** Every frozen version of the year, oldest first. */
  versions: number[]
  latest: number
  frozenAt: Date
  note: string | null
  set: CriteriaSet
  /** The automatic criteria's codes, in the set's order: the breakdown's columns. */
  autoCodes: string[]
  units: PublicUnitRow[]
}

export interface PublicResults {
  year: number
  /** Where the targets were measured up to: now, the end of a past year, or the freeze's moment. */
  asOf: Date
  targets: TargetResult[]
  /** The targets are those kept with the shown snapshot (true), not measured now. */
  targetsFrozen: boolean
  /** The frozen results, or null while the year is not published. */
  published: PublishedResults | null
}

interface Options {
  rhythm: Rhythm
  timeZone: string
  now: Date
}

const notFound = (year: number | string): never => {
  throw new AppError('not_found', 'results.notFound', { year })
}

/** The published (frozen) results of one version, stripped to what the public may see. */
function publish(set: CriteriaSet, snap: { version: number; frozenAt: Date; note: string | null; results: unknown }, versions: number[]): PublishedResults {
  const autoCodes = set.groups.flatMap((g) => g.criteria.filter((c) => c.type === 'automatic').map((c) => c.code))
  const results = snap.results as YearResults
  const units = results.units.map((u): PublicUnitRow => {
    const auto: Record<string, number> = {}
    for (const g of u.groups) for (const c of g.criteria) if (c.type === 'automatic') auto[c.code] = c.points
    return { code: u.unit.code, name: u.unit.name, kind: u.unit.kind, total: u.total, max: u.max, percent: u.percent, band: u.band, rank: u.rank, auto }
  })
  units.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.code.localeCompare(b.code))
  return { version: snap.version, versions, latest: versions[versions.length - 1]!, frozenAt: snap.frozenAt, note: snap.note, set, autoCodes, units }
}

/**
 * A year's public results: the plan's targets for the city and per ward, measured from the records
 * up to now (or the year's end), and, once the year is frozen, each unit's score of the latest
 * snapshot (or of `version`). A year before the plan or after this one with no criteria set, or a
 * version that was never frozen, is not found.
 */
export async function publicResults(db: Db, year: number, version: number | undefined, opts: Options): Promise<PublicResults> {
  const [row] = await db.select().from(criteriaSets).where(eq(criteriaSets.year, year)).limit(1)
  const thisYear = Number(localDay(opts.now, opts.timeZone).slice(0, 4))
  if (!row && (year < PLAN_FIRST_YEAR || year > thisYear)) notFound(year)
  const snaps = row ? await db.select().from(criteriaSnapshots).where(eq(criteriaSnapshots.year, year)).orderBy(asc(criteriaSnapshots.version)) : []
  const snap = version === undefined ? snaps[snaps.length - 1] : snaps.find((s) => s.version === version)
  if (version !== undefined && !snap) throw new AppError('not_found', 'results.noVersion', { year, version })
  const published = snap && row ? publish(row.tree as CriteriaSet, snap, snaps.map((s) => s.version)) : null
  const kept = published ? (snap!.results as YearResults).targets : undefined
  if (kept) return { year, asOf: new Date(kept.asOf), targets: kept.list, targetsFrozen: true, published }
  const { asOf, targets } = await yearTargets(db, year, opts)
  return { year, asOf, targets, targetsFrozen: false, published }
}

/** The year's targets as they stand now (no cache), to keep with a freeze. */
export async function measureYearTargets(db: Db, year: number, opts: Options): Promise<FrozenTargets> {
  const span = await resolveSpan(db, { year }, opts.now, opts.timeZone)
  const { targets } = await planTargets(db, span, opts)
  return { asOf: (span.to < span.end ? span.to : span.end).toISOString(), list: targets }
}

/** How long a year's targets are reused by the public page (per database handle: per process, or per Worker isolate). */
export const PUBLIC_TARGETS_TTL_MS = 60_000
let targetsCache = new WeakMap<Db, Map<number, { until: number; asOf: Date; targets: TargetResult[] }>>()

/** Forgets every year's targets (the bench times a page that computes them). */
export function forgetPublicTargets() {
  targetsCache = new WeakMap()
}

/**
 * The year's targets measured up to now (or the year's end), computed at most once a minute for
 * the public page: a page anyone may ask for should not cost a pass over the records each time.
 */
async function yearTargets(db: Db, year: number, opts: Options) {
  let byYear = targetsCache.get(db)
  if (!byYear) targetsCache.set(db, (byYear = new Map()))
  const hit = byYear.get(year)
  if (hit && hit.until > Date.now()) return hit
  const measured = await measureYearTargets(db, year, opts)
  const fresh = { until: Date.now() + PUBLIC_TARGETS_TTL_MS, asOf: new Date(measured.asOf), targets: measured.list }
  byYear.set(year, fresh)
  return fresh
}

// ---------------------------------------------------------------------------------------------
// The tables: the page shows them, the CSV and the workbook carry them, from the same rows.

export interface Table {
  head: string[]
  rows: Cell[][]
}

const numberFormats = new Map<Locale, Intl.NumberFormat>()
/** A cell as the page shows it (and the CSV holds it): numbers in the reader's language (`70,5`), nothing as `—`. */
export function showCell(cell: Cell, locale: Locale): string {
  if (cell === null) return '—'
  if (typeof cell === 'number') {
    let f = numberFormats.get(locale)
    if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2, useGrouping: false })))
    return f.format(cell)
  }
  return cell instanceof Date ? cell.toISOString() : cell
}

/** A share (0–1) as a percent figure with one decimal (76.3), or null. */
const percentOf = (share: number | null | undefined) => (share == null ? null : Math.round(share * 1000) / 10)

/** One row per unit: rank, code, name, kind, points, maximum, percent, band, then each automatic criterion's points. */
export function scoresTable(p: PublishedResults, t: Translate): Table {
  return {
    head: [t('results.rank'), t('results.unitCode'), t('results.unit'), t('results.kind'), t('results.total'), t('results.max'), t('results.percent'), t('results.band'), ...p.autoCodes],
    rows: p.units.map((u) => [u.rank, u.code, u.name, t(`consolePeriods.unitKinds.${u.kind}`), u.total, u.max, u.percent, u.band, ...p.autoCodes.map((code) => u.auto[code] ?? null)]),
  }
}

/** The city's figure for each target (by a short name; the goal column says the plan's figure): goal, count of base, percent, assessment. */
export function targetsTable(r: PublicResults, t: Translate, locale: Locale): Table {
  return {
    head: [t('results.target'), t('results.goal'), t('results.reached'), t('results.share'), t('results.status')],
    rows: r.targets.map((x) => [
      t(`results.targetShort.${x.id}`),
      'share' in x.goal ? t('results.goalShare', { percent: showCell(x.goal.share * 100, locale) + ' %' }) : t('results.goalCount', { min: x.goal.min, max: x.goal.max }),
      'share' in x.goal ? t('results.countOf', { count: x.count, of: x.of }) : x.count,
      'share' in x.goal ? percentOf(x.share) : null,
      t(`results.statusNames.${x.status ?? 'none'}`),
    ]),
  }
}

type WardTarget = Exclude<TargetId, 'digitalProducts'>
const wardTargets: readonly WardTarget[] = ['unitsReporting', 'staffBriefed', 'commsStaffTrained', 'managersTeachersReached', 'focalPoints']

/** Each ward's percent on each target measured by ward (the Department's own units on a line of their own). */
export function wardsTable(r: PublicResults, t: Translate): Table {
  const byId = new Map(r.targets.map((x) => [x.id, x]))
  const wards = new Map<string, { name: string; shares: Map<WardTarget, number | null> }>()
  for (const id of wardTargets) {
    for (const w of byId.get(id)?.byWard ?? []) {
      const key = w.ward?.code ?? ''
      let line = wards.get(key)
      if (!line) wards.set(key, (line = { name: w.ward?.name ?? t('results.noWard'), shares: new Map() }))
      line.shares.set(id, percentOf(w.share))
    }
  }
  const keys = [...wards.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
  return {
    head: [t('results.ward'), ...wardTargets.map((id) => `${t(`results.targetShort.${id}`)} (%)`)],
    rows: keys.map((k) => {
      const line = wards.get(k)!
      return [line.name, ...wardTargets.map((id) => line.shares.get(id) ?? null)]
    }),
  }
}

/** The CSV's rows: the scores table exactly as the page shows it. */
export function scoresCsvRows(p: PublishedResults, t: Translate, locale: Locale): string[][] {
  const table = scoresTable(p, t)
  return [table.head, ...table.rows.map((row) => row.map((cell) => showCell(cell, locale)))]
}

/** The workbook: the scores, the city's targets and the wards, each the page's table (numbers kept as numbers). */
export function publicSheets(r: PublicResults, p: PublishedResults, t: Translate, locale: Locale): Sheet[] {
  const sheet = (name: string, table: Table): Sheet => ({ name, rows: [table.head, ...table.rows] })
  return [sheet(t('results.sheetScores'), scoresTable(p, t)), sheet(t('results.sheetTargets'), targetsTable(r, t, locale)), sheet(t('results.sheetWards'), wardsTable(r, t))]
}
