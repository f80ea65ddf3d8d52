import { pruneProcessedUpdates } from '#src/core/chat-store.js'
import type { AppDeps } from '#src/deps.js'
import { runReminders } from '#src/domain/reporting/reminders.js'
import { startOfLocalDay } from '#src/time.js'
import { inviteDueQuizzes } from '#src/domain/quiz/quizzes.js'
import { expandDue, settleBroadcasts } from '#src/domain/broadcast/service.js'
import { queueNextYears } from '#src/domain/broadcast/observance.js'
import { remindRelays } from '#src/domain/broadcast/relay.js'
import { questionsDigest } from '#src/domain/questions.js'
import { pruneRetention } from '#src/domain/privacy.js'
import { pruneSubscribers } from '#src/domain/subscribers.js'
import { pruneAnonymous } from '#src/domain/anonymous-rows.js'
import { pruneSessions } from '#src/domain/console/signin-sessions.js'
import { pruneSignins } from '#src/domain/console/signin.js'
import { maintainChannelTokens } from '#src/domain/channels.js'
import { buildReachRollup } from '#src/domain/reach-rollup.js'
import { refillCalendar } from '#src/domain/calendar/days.js'
import { remindSelfAssessment } from '#src/domain/criteria/reminders.js'
import { remindUnacknowledgedRoutings } from '#src/domain/misinformation/reminders.js'

/**
 * The Workers' Cron Triggers, in UTC (wrangler.toml `[triggers] crons` lists exactly these; a unit
 * test checks it). Workers have no long-lived loop: each minute also drains the outbox.
 */
export const WORKER_CRONS = {
  everyMinute: '* * * * *',
  /** 01:00 UTC is 08:00 in Asia/Ho_Chi_Minh: the reminders' hour. */
  morning: '0 1 * * *',
  /** 20:17 UTC is 03:17 in Asia/Ho_Chi_Minh: the nightly pruning. */
  night: '17 20 * * *',
} as const
type WorkerCron = (typeof WORKER_CRONS)[keyof typeof WORKER_CRONS]

/**
 * A job computes its due work from the database, so running it twice, late, or on two instances
 * does no harm. Its schedule is the one table below: `cron` for node-cron on Node, read in
 * APP_TIMEZONE; `workerCron` for the Cron Trigger that runs it on Workers, in UTC.
 */
export interface Job {
  name: string
  cron: (deps: AppDeps) => string
  workerCron: WorkerCron
  /**
   * Run once at start when today's scheduled time has passed (the server was down then). Only for
   * jobs whose work is keyed by day, so the extra run does nothing when the day's run did happen.
   */
  catchUp?: boolean
  /**
   * The job deletes data older than a span before `now`: run by hand, it refuses a `now` more than
   * MAX_AHEAD_MS ahead (`{"now":"2099-…"}` would otherwise empty the table).
   */
  destructive?: boolean
  run(deps: AppDeps, now: Date): Promise<Record<string, unknown>>
}

export const jobs: readonly Job[] = [
  {
    // The working-day calendar's rule days, to 24 months ahead; days an admin changed stay as they are.
    name: 'calendar-refill',
    cron: () => '41 3 * * *',
    workerCron: WORKER_CRONS.night,
    catchUp: true,
    run: (deps, now) => refillCalendar(deps.db, now, deps.config.timezone),
  },
  {
    // The Zalo OA's access token lives 25 hours: refreshed when 6 remain; admins told of failures.
    name: 'channel-tokens',
    cron: () => '*/10 * * * *',
    workerCron: WORKER_CRONS.everyMinute,
    catchUp: true,
    run: (deps, now) => maintainChannelTokens(deps, now),
  },
  {
    name: 'prune-updates',
    cron: () => '17 3 * * *',
    workerCron: WORKER_CRONS.night,
    destructive: true,
    async run(deps) {
      // The OA's window is read from these rows (when a person last wrote): keep them as long.
      await pruneProcessedUpdates(deps, Math.max(7, Math.ceil((deps.config.zaloOa?.windowHours ?? 0) / 24)))
      return { pruned: true }
    },
  },
  {
    // Personal data is kept RETENTION_DAYS: older conversation state, message texts and answered
    // questions' texts are removed; the records every count is made of stay.
    name: 'retention',
    destructive: true,
    cron: () => '23 3 * * *',
    workerCron: WORKER_CRONS.night,
    // Expired console sessions, spent sign-in codes and old sign-in limit windows go too, and so do
    // anonymous requests' audit rows (30 days) and anonymous page opens (90 days).
    async run(deps, now) {
      const kept = await pruneRetention(deps.db, now, deps.config.retentionDays)
      return {
        ...kept,
        sessions: await pruneSessions(deps.db, now),
        ...(await pruneSignins(deps.db, now)),
        ...(await pruneAnonymous(deps.db, now)),
        // Subscribers (not staff) silent for SUBSCRIBER_RETENTION_DAYS are erased.
        subscribersErased: await pruneSubscribers(deps.db, now, deps.config.subscriberRetentionDays),
      }
    },
  },
  {
    name: 'reminders',
    cron: (deps) => deps.config.reminderCron,
    workerCron: WORKER_CRONS.morning,
    catchUp: true,
    async run(deps, now) {
      return { ...(await runReminders(deps, now)) }
    },
  },
  {
    // With the reminders: admins hear how many questions wait; once a day per admin (dedupe key).
    name: 'questions',
    cron: (deps) => deps.config.reminderCron,
    workerCron: WORKER_CRONS.morning,
    catchUp: true,
    run: (deps, now) => questionsDigest(deps.db, now, deps.config.timezone),
  },
  {
    // With the reminders: focal points who have not confirmed relaying yesterday's brief to their
    // unit's group get it once more; once per brief and person, ever (dedupe key).
    name: 'relay-reminders',
    cron: (deps) => deps.config.reminderCron,
    workerCron: WORKER_CRONS.morning,
    catchUp: true,
    run: (deps, now) => remindRelays(deps, now),
  },
  {
    // With the reminders, on working days in a criteria set's self-assessment window: focal points
    // of units that have not self-assessed every manual criterion; once a day per unit and person (dedupe key).
    name: 'criteria-reminders',
    cron: (deps) => deps.config.reminderCron,
    workerCron: WORKER_CRONS.morning,
    catchUp: true,
    run: (deps, now) => remindSelfAssessment(deps, now),
  },
  {
    // Misinformation routed to an agency and not acknowledged within MISINFO_ACK_WORKING_HOURS working
    // hours: its liaisons are reminded, then the admins; once each per routing, never on a day off.
    name: 'misinfo-reminders',
    cron: () => '*/15 * * * *',
    workerCron: WORKER_CRONS.everyMinute,
    run: (deps, now) => remindUnacknowledgedRoutings(deps, now),
  },
  {
    // Quiz invitations go out at opensAt; the dedupe key makes a second run queue nothing.
    name: 'quizzes',
    cron: () => '* * * * *',
    workerCron: WORKER_CRONS.everyMinute,
    catchUp: true,
    run: (deps, now) => inviteDueQuizzes(deps.db, now),
  },
  {
    // Due broadcasts (including those that came due while the server was down) go to the outbox.
    name: 'broadcasts',
    cron: () => '* * * * *',
    workerCron: WORKER_CRONS.everyMinute,
    catchUp: true,
    async run(deps, now) {
      const result = await expandDue(deps.db, now, 20, deps.config.deliveryHorizonHours * 3_600_000)
      await settleBroadcasts(deps.db)
      // A yearly brief tied to a commemoration: next year's copy, once this one went out.
      const { queued } = await queueNextYears(deps.db, now, deps.config.timezone)
      return queued ? { ...result, nextYearCopies: queued } : result
    },
  },
  {
    // The reach rollup the targets read (src/domain/reach-rollup.ts): built from the records when
    // it is missing or APP_TIMEZONE changed (at start on Node; on Workers within a minute of a
    // deploy), continued where it stopped; nothing to do once built, the triggers keep it.
    name: 'reach-rollup',
    cron: () => '* * * * *',
    workerCron: WORKER_CRONS.everyMinute,
    catchUp: true,
    async run(deps, now) {
      const { ready, reset, chunks, ms } = await buildReachRollup(deps.db, deps.config.timezone, { now, budgetMs: 20_000 })
      return { reachRollup: ready ? 'ready' : 'building', ...(chunks ? { reset, chunks, ms } : {}) }
    },
  },
]

/** How far ahead of the real time a destructive job may be run by hand. */
export const MAX_AHEAD_MS = 86_400_000

/** The latest `now` a job may be run as by hand, or null when any time is fine. */
export function latestAllowedNow(job: Job, realNow: Date): Date | null {
  return job.destructive ? new Date(realNow.getTime() + MAX_AHEAD_MS) : null
}

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name)
}

/** The jobs a Workers Cron Trigger runs (none for a cron not in WORKER_CRONS). */
export function jobsAtWorkerCron(cron: string): Job[] {
  return jobs.filter((j) => j.workerCron === cron)
}

/**
 * Whether a schedule fired earlier today (local midnight up to `now`, minute by minute): at start,
 * a catch-up job runs once if so. `matches` is the scheduler's own matcher (node-cron's
 * `task.match`), so no cron syntax is parsed here.
 */
export function firedEarlierToday(matches: (at: Date) => boolean, now: Date, timeZone: string): boolean {
  const midnight = startOfLocalDay(now, timeZone).getTime()
  for (let t = Math.floor(now.getTime() / 60_000) * 60_000; t >= midnight; t -= 60_000) {
    if (matches(new Date(t))) return true
  }
  return false
}
