import type { Locale, UnitKind } from '#db/schema/index.js'
import { translator } from '../../i18n.js'
import type { Cell, Sheet } from '../spreadsheet.js'
import type { YearResults } from './workflow.js'

/**
 * A year's results as two sheets: one row per unit (points, maximum, percent, band, rank), then
 * one row per unit and criterion (points, the measured share or the self-assessment, appraisal,
 * comment and evidence).
 */
export function resultSheets(results: YearResults, locale: Locale): Sheet[] {
  const t = translator(locale)
  const kind = (k: UnitKind) => t(`consolePeriods.unitKinds.${k}`)
  const summary: Cell[][] = [[t('criteria.unitCode'), t('criteria.unit'), t('criteria.kind'), t('criteria.total'), t('criteria.max'), t('criteria.percent'), t('criteria.band'), t('criteria.rank')]]
  const detail: Cell[][] = [
    [t('criteria.unitCode'), t('criteria.unit'), t('criteria.group'), t('criteria.criterion'), t('criteria.points'), t('criteria.max'), t('criteria.share'), t('criteria.selfPoints'), t('criteria.appraisedPoints'), t('criteria.comment'), t('criteria.evidence')],
  ]
  for (const u of results.units) {
    summary.push([u.unit.code, u.unit.name, kind(u.unit.kind), u.total, u.max, u.percent, u.band, u.rank])
    for (const g of u.groups)
      for (const c of g.criteria)
        detail.push([u.unit.code, u.unit.name, g.code, c.code, c.points, c.maxPoints, c.share ?? null, c.selfPoints ?? null, c.appraisedPoints ?? null, c.comment ?? null, (c.evidence ?? []).join('\n') || null])
  }
  return [
    { name: t('criteria.sheet'), rows: summary },
    { name: t('criteria.sheetDetail'), rows: detail },
  ]
}
