import type { Db } from '#db/types.js'
import type { WorkingClock } from '../calendar/working.js'
import type { DeskStats } from './views.js'

/**
 * The desk's clocks in working hours over claims received in [from, to): time to acknowledge, to
 * route, the liaison's time to acknowledge, and time to correct, each with median and P90,
 * overall and per agency (the same percentile and working-hours code as GET /api/questions/stats).
 */
export async function misinformationStats(db: Db, input: { from?: Date; to?: Date; now: Date; clock: WorkingClock }): Promise<DeskStats> {
  void [db, input]
  throw new Error('not yet')
}
