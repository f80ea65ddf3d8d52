import { Hono } from 'hono'
import { z } from 'zod'
import { findJob, jobs, latestAllowedNow } from '#jobs/index.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { readJson } from '../validate.js'
import type { AppEnv } from '../env.js'

/**
 * POST /api/jobs/:name/run {"now"?: ISO time}: runs a scheduled job on demand, as if it were `now`;
 * a job that deletes data refuses a `now` more than a day ahead (422).
 */
export function jobRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/jobs', (c) => c.json({ items: jobs.map((j) => ({ name: j.name, cron: j.cron(deps) })) }))
  app.post('/jobs/:name/run', async (c) => {
    const job = findJob(c.req.param('name'))
    if (!job) throw new AppError('not_found', 'api.errors.noJob', { name: c.req.param('name') }, { jobs: jobs.map((j) => j.name) })
    const body = await readJson(c, z.object({ now: z.string().datetime({ offset: true }).optional() }).default({}))
    const now = body.now ? new Date(body.now) : deps.clock()
    const limit = latestAllowedNow(job, deps.clock())
    if (limit && now > limit) {
      throw new AppError('unprocessable', 'api.errors.jobNowTooFar', { name: job.name, limit: limit.toISOString() }, { now: body.now })
    }
    const result = await job.run({ ...deps, clock: () => now }, now)
    return c.json({ job: job.name, now: now.toISOString(), ...result })
  })
  return app
}
