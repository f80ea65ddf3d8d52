import { pruneProcessedUpdates } from '../src/core/dispatch.js'
import type { AppDeps } from '../src/deps.js'
import { expandDue, settleBroadcasts } from '../src/domain/broadcast/service.js'

/**
 * A job computes its due work from the database, so running it twice, late, or on two instances
 * does no harm. `cron` is read in APP_TIMEZONE (node-cron on Node, a Cron Trigger on Workers).
 */
export interface Job {
  name: string
  cron: (deps: AppDeps) => string
  run(deps: AppDeps, now: Date): Promise<Record<string, unknown>>
}

export const jobs: readonly Job[] = [
  {
    name: 'prune-updates',
    cron: () => '17 3 * * *',
    async run(deps) {
      await pruneProcessedUpdates(deps)
      return { pruned: true }
    },
  },
  {
    // Due broadcasts (including those that came due while the server was down) go to the outbox.
    name: 'broadcasts',
    cron: () => '* * * * *',
    async run(deps, now) {
      const result = await expandDue(deps.db, now)
      await settleBroadcasts(deps.db)
      return result
    },
  },
]

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name)
}
