import type { Locale } from '#db/schema/index.js'
import { translate } from '../../i18n.js'
import { wallClock } from '../../time.js'
import type { Cell } from '../spreadsheet.js'
import type { PeriodStatus, UnitStatus } from './status.js'

const columns = [
  'unitCode',
  'unitName',
  'state',
  'submittedAt',
  'submittedBy',
  'versions',
  'activities',
  'digitalProducts',
  'briefedPercent',
  'difficulties',
  'focalPoints',
  'focalLinked',
] as const

/** Overdue first (missing), then late, then on time; by unit name within each. */
const order: Record<UnitStatus['state'], number> = { missing: 0, late: 1, on_time: 2 }
export function overdueFirst(list: readonly UnitStatus[]): UnitStatus[] {
  return [...list].sort((a, b) => order[a.state] - order[b.state] || a.unit.name.localeCompare(b.unit.name, 'vi'))
}

/**
 * A period's status as one table (a header row, then a row per unit, overdue first), in the
 * reader's language: the CSV and the XLSX downloads are this table. The time sent is a real date
 * (wall-clock time in `timeZone`, see wallClock).
 */
export function statusTable(status: PeriodStatus, locale: Locale, timeZone: string): Cell[][] {
  const rows = overdueFirst(status.units).map((u) => {
    const r = u.report
    return [
      u.unit.code,
      u.unit.name,
      translate(locale, `report.status.${u.state}`),
      r ? wallClock(r.submittedAt, timeZone) : '',
      r ? (r.submittedByName ?? translate(locale, 'api.people.erased')) : '',
      r?.version ?? 0,
      r?.activities ?? '',
      r?.digitalProducts ?? '',
      r?.briefedPercent ?? '',
      r?.difficulties ?? '',
      u.focalPoints.length ? u.focalPoints.map((f) => f.fullName).join('; ') : translate(locale, 'api.csv.noFocal'),
      translate(locale, u.noLinkedFocalPoint ? 'api.csv.no' : 'api.csv.yes'),
    ]
  })
  return [columns.map((k) => translate(locale, `api.csv.${k}`)), ...rows]
}
