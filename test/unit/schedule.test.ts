import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { jobs, jobsAtWorkerCron, WORKER_CRONS } from '#jobs/index.js'

/** wrangler.toml's `[triggers] crons`: a one-line array of double-quoted strings, as JSON writes it. */
function deployedCrons(): string[] {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8')
  const section = toml.split(/^\[/m).find((s) => s.startsWith('triggers]'))
  const line = section?.match(/^crons\s*=\s*(\[.*\])\s*$/m)
  if (!line) throw new Error('wrangler.toml has no [triggers] crons = [...] line')
  return JSON.parse(line[1]!) as string[]
}
const table = Object.values(WORKER_CRONS)

describe('one schedule table for Node and Workers (jobs/index.ts)', () => {
  it('deploys exactly the Cron Triggers the table names: none missing from wrangler.toml, none left over', () => {
    expect(deployedCrons().sort()).toEqual([...table].sort())
  })

  it('runs every job on Workers on one of those triggers, and each trigger runs a job', () => {
    for (const job of jobs) expect(table, job.name).toContain(job.workerCron)
    for (const cron of table) expect(jobsAtWorkerCron(cron).length, cron).toBeGreaterThan(0)
    expect(jobsAtWorkerCron('0 0 * * *')).toEqual([])
  })

  it('keeps the Workers schedule: due work each minute, the reminders at 08:00 local, pruning at night', () => {
    const names = (cron: string) => jobsAtWorkerCron(cron).map((j) => j.name).sort()
    expect(names('* * * * *')).toEqual(['broadcasts', 'channel-tokens', 'misinfo-reminders', 'quizzes', 'reach-rollup'])
    expect(names('0 1 * * *')).toEqual(['criteria-reminders', 'questions', 'relay-reminders', 'reminders'])
    expect(names('17 20 * * *')).toEqual(['calendar-refill', 'prune-updates', 'retention'])
  })
})
