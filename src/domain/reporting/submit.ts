import { sql } from 'drizzle-orm'
import { reports, type ReportPeriodRow, type ReportRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import type { ReportDraft } from './answers.js'
import { latestReport } from './periods.js'

export type SubmitResult =
  | { status: 'saved'; report: ReportRow }
  /** The unit reported already and the deadline has passed: no more corrections. */
  | { status: 'correctionClosed'; submittedAt: Date }
  | { status: 'closed' }

/**
 * Stores a confirmed report as the unit's next version. Until the deadline a unit may send again
 * (a correction); after it, a unit that has not reported may still send once, marked late.
 */
export async function submitReport(
  db: Db,
  input: { period: ReportPeriodRow; unitId: number; personId: number; channel: ChannelName; draft: Required<ReportDraft>; now: Date },
): Promise<SubmitResult> {
  const { period, unitId, now } = input
  if (now >= period.closesAt) return { status: 'closed' }
  const late = now > period.dueAt
  if (late) {
    const last = await latestReport(db, period.id, unitId)
    if (last) return { status: 'correctionClosed', submittedAt: last.submittedAt }
  }
  // The version is computed in the insert; the unique index turns a race into an error, not a duplicate.
  const [row] = await db
    .insert(reports)
    .values({
      periodId: period.id,
      unitId,
      version: sql`(select coalesce(max(version), 0) + 1 from reports where period_id = ${period.id} and unit_id = ${unitId})`,
      activities: input.draft.activities,
      digitalProducts: input.draft.digitalProducts,
      briefedPercent: input.draft.briefedPercent,
      difficulties: input.draft.difficulties,
      submittedBy: input.personId,
      channel: input.channel,
      submittedAt: now,
      late,
    })
    .returning()
  return { status: 'saved', report: row! }
}
