import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatcher, drainBudget } from '#src/delivery/dispatcher.js'
import { enqueue } from '#src/delivery/queue.js'
import { renderers } from '#src/domain/renderers.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/**
 * The minute's drain on Workers is sized by the plan's subrequests an invocation (WORKER_SUBREQUESTS):
 * bench/d1-cost.ts measured one drain at 1,574 subrequests, over both the free plan's 50 and the paid
 * plan's 1,000. A drain now claims at most its budget; the rest waits, queued, for the next minute.
 */
let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

const queued = async () => ((await h.db.all(sql`select count(*) as n from deliveries where status = 'queued'`)) as { n: number }[])[0]!.n

describe('a drain bounded by the plan', () => {
  it('claims and sends no more than its budget, and leaves the rest queued for the next drain', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ source: 'message', sourceId: 0, channel: 'telegram' as const, chatId: String(5000 + i), payload: { text: `tin ${i}` }, dedupeKey: `budget-${i}` }))
    expect(await enqueue(h.db, messages, h.now())).toBe(30)
    const dispatcher = createDispatcher(h.deps, renderers, { perChatIntervalMs: 0, now: Date.now, batchSize: 4 })
    const first = await dispatcher.drain(10_000, { maxClaimed: 10 })
    expect(first).toMatchObject({ claimed: 10, sent: 10 })
    expect(await queued()).toBe(20)
    const rest = await dispatcher.drain(10_000)
    expect(rest).toMatchObject({ claimed: 20, sent: 20 })
    expect(await queued()).toBe(0)
  })

  it('sizes the budget from the plan: 10 deliveries a minute on the free plan, 326 on the paid plan', () => {
    expect(drainBudget(50)).toBe(10)
    expect(drainBudget(1000)).toBe(326)
    expect(drainBudget(5)).toBe(1)
  })
})
