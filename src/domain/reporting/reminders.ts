import { eq } from 'drizzle-orm'
import { people, units, type ReportPeriodRow } from '#db/schema/index.js'
import { hasButtons, type OutboundMessage } from '../../core/events.js'
import { offerChoices } from '../../core/offers.js'
import type { AppDeps } from '../../deps.js'
import { formatDate, formatDateTime, translator, type Translate } from '../../i18n.js'
import { resolveAudience } from '../audience.js'
import type { Renderer } from '../../delivery/dispatcher.js'
import { enqueue, type NewDelivery } from '../../delivery/queue.js'
import { findDuePeriod, latestReport, openPeriods } from './periods.js'
import type { ReminderOnDayOff } from '../../config.js'
import { isWorkingDay, loadCalendar, nextWorkingDay, previousWorkingDay, type WorkingCalendar } from '../calendar/working.js'
import { periodStatus, unitContacts, type UnitStatus } from './status.js'
import { dayFromNumber, dayNumber, localDay, startOfLocalDay } from '../../time.js'
import { choiceIds } from '../../core/choice-ids.js'

export const REMINDER_SOURCE = 'report-reminder'
/** Names listed in one message before "and N more" (a long list belongs in the status table). */
const LIST_LIMIT = 20

/** A point of the schedule: `offset` days from the deadline day (negative before it). */
export interface Stage {
  offset: number
  /** The local day (yyyy-mm-dd) the stage falls on; part of the dedupe key. */
  day: string
  /** The day it is sent: `day`, or the working day before (a reminder) or after (an escalation) when `day` is off. */
  fires: string
  kind: 'before' | 'overdue'
}

/** Days between today and the deadline day, in APP_TIMEZONE (positive: days left). */
export function daysLeft(period: Pick<ReportPeriodRow, 'dueAt'>, now: Date, timeZone: string): number {
  return dayNumber(localDay(period.dueAt, timeZone)) - dayNumber(localDay(now, timeZone))
}

/**
 * The latest point of the schedule that has come by `now`, within the reminder window (from the
 * first reminder to the last escalation). Reminding for the latest stage, keyed by its day, is what
 * makes a catch-up send one reminder after days of downtime, not one per missed day.
 * With the working-day calendar, a stage due on a day off comes on the working day before it (a
 * reminder) or after it (an escalation), and nothing comes on a day off.
 */
export function currentStage(period: ReportPeriodRow, now: Date, timeZone: string, cal?: WorkingCalendar, onDayOff: ReminderOnDayOff = 'previous'): Stage | null {
  const dueDay = dayNumber(localDay(period.dueAt, timeZone))
  const today = dayNumber(localDay(now, timeZone))
  if (cal && !isWorkingDay(dayFromNumber(today), cal)) return null
  const stages = [...period.remindDaysBefore.map((d) => -d), ...period.escalateDaysAfter].flatMap((offset) => {
    const day = dayFromNumber(dueDay + offset)
    if (!cal || isWorkingDay(day, cal)) return [{ offset, day, fires: day }]
    // REMINDER_ON_DAY_OFF: a reminder on a day off comes before it, after it, or not at all; an escalation always after.
    if (offset <= 0 && onDayOff === 'skip') return []
    const fires = offset > 0 || onDayOff === 'next' ? nextWorkingDay(day, cal) : previousWorkingDay(day, cal)
    return [{ offset, day, fires }]
  })
  const lastAfter = Math.max(dueDay, ...stages.map((s) => dayNumber(s.fires)))
  if (today > lastAfter) return null
  const come = stages.filter((s) => dayNumber(s.fires) <= today)
  if (come.length === 0) return null
  const latest = come.reduce((a, b) => (b.offset > a.offset ? b : a))
  return { offset: latest.offset, day: latest.day, fires: latest.fires, kind: latest.offset > 0 ? 'overdue' : 'before' }
}

/** Whether admins get the daily summary today: from the first reminder to the last escalation, on working days. */
export function inSummaryWindow(period: ReportPeriodRow, now: Date, timeZone: string, cal?: WorkingCalendar): boolean {
  if (cal && !isWorkingDay(localDay(now, timeZone), cal)) return false
  const today = -daysLeft(period, now, timeZone)
  const first = -Math.max(0, ...period.remindDaysBefore)
  const last = Math.max(0, ...period.escalateDaysAfter)
  return today >= first && today <= last
}

export interface ReminderRun {
  periods: number
  /** Reminders newly queued (to focal points and, after the deadline, managers). */
  reminders: number
  summaries: number
  /** Units due a reminder whose focal point is not linked to any chat. */
  unreachableUnits: number
}

/** One message the reminders job would queue: to whom, about which unit, and why. */
export interface PlannedReminder {
  row: NewDelivery
  periodId: number
  /** null for the admins' daily summary. */
  unitId: number | null
  kind: 'before' | 'overdue' | 'summary'
  /** The day of the schedule's stage this message is for (summaries: the day itself). */
  stageDay: string
  /** The day the stage is sent on the working-day calendar (summaries: the day itself). */
  firesOn: string
}

/**
 * What the reminders job queues at `now`, without queueing it: for every open period, today's
 * reminders to the focal points of the units that have not reported (and to their managers after
 * the deadline), and a summary to the admins. The console's preview shows this list for a day.
 */
export async function planReminders(deps: AppDeps, now: Date): Promise<{ run: ReminderRun; planned: PlannedReminder[] }> {
  const { db } = deps
  const tz = deps.config.timezone
  const today = localDay(now, tz)
  // A reminder is about today: an outage may delay it, but it is not sent tomorrow.
  const endOfToday = new Date(startOfLocalDay(new Date(now.getTime() + 86_400_000), tz).getTime() - 1000)
  const run: ReminderRun = { periods: 0, reminders: 0, summaries: 0, unreachableUnits: 0 }
  const planned: PlannedReminder[] = []
  let admins: Awaited<ReturnType<typeof resolveAudience>> | undefined
  for (const period of await openPeriods(db, now, tz)) {
    const dueDay = dayNumber(localDay(period.dueAt, tz))
    const cal = await loadCalendar(db, dayFromNumber(dueDay - Math.max(0, ...period.remindDaysBefore)), dayFromNumber(dueDay + Math.max(0, ...period.escalateDaysAfter)))
    const stage = currentStage(period, now, tz, cal, deps.config.reminderOnDayOff)
    const summary = inSummaryWindow(period, now, tz, cal)
    if (!stage && !summary) continue
    run.periods++
    const status = await periodStatus(db, period)
    if (stage) {
      for (const u of status.units) {
        if (u.state !== 'missing') continue
        if (u.noLinkedFocalPoint) run.unreachableUnits++
        const contacts = stage.kind === 'overdue' ? [...u.focalPoints, ...u.managers] : u.focalPoints
        const once = new Set<number>()
        for (const c of contacts) {
          if (!c.chat || once.has(c.personId)) continue
          once.add(c.personId)
          planned.push({
            periodId: period.id,
            unitId: u.unit.id,
            kind: stage.kind,
            stageDay: stage.day,
            firesOn: stage.fires,
            row: {
              source: REMINDER_SOURCE,
              sourceId: period.id,
              personId: c.personId,
              channel: c.chat.channel,
              chatId: c.chat.chatId,
              locale: c.locale,
              payload: spec({ kind: 'unit', unitId: u.unit.id }),
              dedupeKey: `reminder:${period.id}:${u.unit.id}:${stage.day}:${c.personId}`,
              expiresAt: endOfToday,
            },
          })
        }
      }
    }
    if (summary && summaryLists(status.units, period, now).any) {
      admins ??= await resolveAudience(db, { unitCodes: [], includeSubunits: true, roles: ['admin'], platforms: [] })
      for (const a of admins.recipients) {
        planned.push({
          periodId: period.id,
          unitId: null,
          kind: 'summary',
          stageDay: today,
          firesOn: today,
          row: {
            source: REMINDER_SOURCE,
            sourceId: period.id,
            personId: a.personId,
            channel: a.channel,
            chatId: a.chatId,
            locale: a.locale,
            payload: spec({ kind: 'summary' }),
            dedupeKey: `report-summary:${period.id}:${today}:${a.personId}`,
            expiresAt: endOfToday,
          },
        })
      }
    }
  }
  return { run, planned }
}

/**
 * The reminders job: queues what planReminders lists. Everything goes through the outbox with a
 * dedupe key per period, unit, day and person, so running it twice, after a restart, or on two
 * instances queues each reminder once.
 */
export async function runReminders(deps: AppDeps, now: Date): Promise<ReminderRun> {
  const { run, planned } = await planReminders(deps, now)
  run.reminders = await enqueue(deps.db, planned.filter((p) => p.kind !== 'summary').map((p) => p.row), now)
  run.summaries = await enqueue(deps.db, planned.filter((p) => p.kind === 'summary').map((p) => p.row), now)
  return run
}

function summaryLists(list: UnitStatus[], period: ReportPeriodRow, now: Date) {
  const overdue = now > period.dueAt ? list.filter((u) => u.state === 'missing') : []
  const noFocal = list.filter((u) => u.noLinkedFocalPoint)
  return { overdue, noFocal, any: overdue.length > 0 || noFocal.length > 0 }
}

function names(t: Translate, list: UnitStatus[]): string {
  const shown = list.slice(0, LIST_LIMIT).map((u) => `- ${u.unit.name}`)
  if (list.length > LIST_LIMIT) shown.push(t('report.andMore', { count: list.length - LIST_LIMIT }))
  return shown.join('\n')
}

/**
 * Builds a reminder at send time, in the recipient's language, from the database as it is then: a
 * unit that has reported meanwhile is not reminded (the delivery is dropped).
 */
export const reminderRenderer: Renderer = async (deps, d) => {
  const { db } = deps
  const tz = deps.config.timezone
  const now = deps.clock()
  const period = await findDuePeriod(db, d.sourceId, tz)
  if (!period || now >= period.closesAt) return null
  const t = translator(d.locale)
  const payload = (d.payload ?? {}) as { kind?: string; unitId?: number }
  const due = formatDate(period.dueAt, tz)
  const left = daysLeft(period, now, tz)

  if (payload.kind === 'summary') {
    const status = await periodStatus(db, period)
    const lists = summaryLists(status.units, period, now)
    if (!lists.any) return null
    const parts = [
      t('report.summaryTitle', { period: period.name, date: due }),
      t('report.summaryTotals', { submitted: status.totals.submitted, units: status.totals.units, late: status.totals.late }),
    ]
    if (lists.overdue.length) parts.push('', t('report.summaryOverdue', { count: lists.overdue.length }), names(t, lists.overdue))
    if (lists.noFocal.length) parts.push('', t('report.summaryNoFocal', { count: lists.noFocal.length }), names(t, lists.noFocal))
    return { text: parts.join('\n') }
  }

  if (payload.kind !== 'unit' || !payload.unitId || !d.personId) return null
  if (await latestReport(db, period.id, payload.unitId)) return null
  const [unit] = await db.select().from(units).where(eq(units.id, payload.unitId)).limit(1)
  const [person] = await db.select().from(people).where(eq(people.id, d.personId)).limit(1)
  if (!unit || !person) return null
  const params = { period: period.name, unit: unit.name, date: formatDateTime(period.dueAt, tz), days: Math.abs(left) }
  const isFocal = person.unitId === unit.id && person.roles.includes('focal_point')
  if (!isFocal) {
    const contacts = (await unitContacts(db, [unit.id])).get(unit.id)!
    const focal = contacts.focalPoints.map((f) => f.fullName).join(', ') || t('report.noFocalPointName')
    return { text: t('report.escalateManager', { ...params, focal }) }
  }
  const said =
    left > 0 ? t('report.remindBefore', params) : left === 0 ? t('report.remindToday', params) : t('report.remindOverdue', params)
  // A deadline on a day off moved (Civil Code Art. 148): the message says from when to when.
  const moved = period.dueAt.getTime() !== period.setDueAt.getTime()
  const text = moved ? `${said}\n${t('report.dueMoved', { set: formatDate(period.setDueAt, tz), date: formatDate(period.dueAt, tz) })}` : said
  // The Zalo bot has no button to press: it says what to type instead, once.
  const typed = !hasButtons(d.channel)
  const message: OutboundMessage = {
    text: `${text}\n${t(typed ? 'report.remindHowTyped' : 'report.remindHow')}`,
    choices: [{ id: choiceIds.report.start(period.id), label: t('report.startButton') }],
    ...(typed ? { choicesInText: true } : {}),
  }
  // A typed "1" on Zalo answers the reminder.
  await offerChoices(db, d, message.choices!, now)
  return message
}

/** Reminders carry what to render, not the text: the renderer writes it at send time. */
function spec(value: { kind: 'unit'; unitId: number } | { kind: 'summary' }): OutboundMessage {
  return value as unknown as OutboundMessage
}
