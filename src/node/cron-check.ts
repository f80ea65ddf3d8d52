import { validateDetailed } from 'node-cron'

/**
 * REMINDER_CRON checked by node-cron itself, the scheduler that will run it, so a bad value is one
 * line in the configuration errors instead of a stack trace when the job is scheduled.
 */
export function checkCron(expression: string): string | undefined {
  try {
    const result = validateDetailed(expression)
    if (result.valid) return undefined
    return result.errors.map((e) => e.message).join('; ') || 'not a cron expression'
  } catch (err) {
    return err instanceof Error ? err.message : 'not a cron expression'
  }
}
