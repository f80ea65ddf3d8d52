import { Worker } from 'node:worker_threads'

/**
 * Kills this process with SIGKILL after `ms`, from a thread of its own: it fires even when the
 * main thread is stuck (a synchronous call that never returns, a blocked write), where a timer on
 * the main event loop would not. The last resort of a stop; the thread holds nothing open.
 */
export function killAfter(ms: number): void {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads')
     setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms)`,
    { eval: true, workerData: { pid: process.pid, ms } },
  )
  worker.unref()
}
