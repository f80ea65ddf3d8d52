/**
 * The wake-up of a lane's loop: the loop sleeps in `wait` until its time is up or someone calls
 * `signal` (a send finished, work was queued, the dispatcher stops). A signal that comes while
 * the loop is busy is kept, so the loop never sleeps past it.
 */
export interface Signal {
  signal(): void
  /** Resolves after `ms`, or at once on a kept or new signal. */
  wait(ms: number): Promise<void>
}

export function createSignal(): Signal {
  let wake: (() => void) | undefined
  let signalled = false
  return {
    signal() {
      const w = wake
      wake = undefined
      if (w) w()
      else signalled = true
    },
    wait: (ms) =>
      new Promise<void>((resolve) => {
        if (signalled || ms <= 0) {
          signalled = false
          return resolve()
        }
        const timer = setTimeout(() => {
          wake = undefined
          resolve()
        }, ms)
        wake = () => {
          clearTimeout(timer)
          signalled = false
          resolve()
        }
      }),
  }
}
