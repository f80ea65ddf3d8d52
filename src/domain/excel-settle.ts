/**
 * Lets exceljs finish its own background work before the request that used it answers.
 *
 * Why (a Workers hang): on Workers exceljs is its browser bundle (dist/exceljs.min.js), which carries
 * browserify's `process` shim. That shim's `process.nextTick` keeps ONE module-wide queue and drains it
 * from a `setTimeout(drain, 0)`, scheduling that timer only when the queue goes from empty to one
 * item. `workbook.xlsx.load` resolves while the stream's last ticks (end/close) are still queued and
 * their drain timer pending; if the request then answers, workerd drops the finished request's timer,
 * the queue stays non-empty, no later `nextTick` schedules a drain again, and every later exceljs call
 * in that isolate (the next `.xlsx` export) waits forever: "the Worker's code had hung".
 * Measured with a traced setTimeout: after a load one drain timer is pending, and one macrotask turn
 * runs it; a write left none. We yield a few turns (timers run in order, so each turn runs every drain
 * scheduled before it, and a drain that queues more gets its next turn). On Node this costs a few ms.
 */
const TURNS = 3

export async function excelSettled(): Promise<void> {
  for (let i = 0; i < TURNS; i++) await new Promise<void>((done) => setTimeout(done, 0))
}
