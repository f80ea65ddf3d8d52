import { and, eq, isNull } from 'drizzle-orm'
import { agencies, claims } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { formatDateTime, translate } from '../../i18n.js'
import { localDay } from '../../time.js'
import { notifyAdmins } from '../admin-notices.js'
import { isWorkingDay, loadCalendar, workingClock, workingMinutesBetween } from '../calendar/working.js'
import { tellLiaisons } from './claims.js'

/**
 * The 'misinfo-reminders' job: a routed claim whose liaison has not said "Đã nhận" within
 * MISINFO_ACK_WORKING_HOURS working hours reminds the agency's liaisons once; as long again after
 * that reminder, the admins hear it once. Nothing is sent on a day off (the calendar), and hours
 * count only within WORKING_HOURS of working days.
 */
export async function remindUnacknowledgedRoutings(deps: AppDeps, now: Date): Promise<{ liaisonsReminded: number; adminsTold: number; skipped?: string }> {
  const { db } = deps
  const clock = workingClock(deps.config)
  const today = localDay(now, clock.timeZone)
  if (!isWorkingDay(today, await loadCalendar(db, today, today))) return { liaisonsReminded: 0, adminsTold: 0, skipped: 'day off' }
  const waiting = await db
    .select({ c: claims, agencyName: agencies.name })
    .from(claims)
    .innerJoin(agencies, eq(agencies.id, claims.agencyId))
    .where(and(eq(claims.status, 'routed'), isNull(claims.liaisonAcknowledgedAt), isNull(claims.adminsRemindedAt)))
  if (waiting.length === 0) return { liaisonsReminded: 0, adminsTold: 0 }
  const limit = deps.config.misinfoAckWorkingHours * 60
  const first = waiting.reduce((a, w) => (w.c.routedAt && w.c.routedAt < a ? w.c.routedAt : a), now)
  const cal = await loadCalendar(db, localDay(first, clock.timeZone), today)
  let liaisonsReminded = 0
  let adminsTold = 0
  for (const { c, agencyName } of waiting) {
    if (!c.routedAt) continue
    if (!c.liaisonRemindedAt) {
      if (workingMinutesBetween(c.routedAt, now, cal, clock.hours, clock.timeZone) < limit) continue
      await tellLiaisons(deps, c.id, 'remind')
      await db.update(claims).set({ liaisonRemindedAt: now }).where(eq(claims.id, c.id))
      liaisonsReminded++
      continue
    }
    if (workingMinutesBetween(c.liaisonRemindedAt, now, cal, clock.hours, clock.timeZone) < limit) continue
    const at = formatDateTime(c.routedAt, clock.timeZone)
    await notifyAdmins(db, `misinfo:${c.id}:unacknowledged:${c.routedAt.getTime()}`, (locale) => ({ text: translate(locale, 'misinfo.liaison.remindAdmins', { id: c.id, agency: agencyName, at }) }), now)
    await db.update(claims).set({ adminsRemindedAt: now }).where(eq(claims.id, c.id))
    adminsTold++
  }
  return { liaisonsReminded, adminsTold }
}
