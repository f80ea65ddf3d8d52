/**
 * The pace of one bot on one platform: every message the bot sends, reply or push, takes a slot.
 *
 * - Sends are spread evenly at 97% of the configured limit (platforms count on their side, with
 *   our network jitter added, and one 429 costs a whole second of sending).
 * - No more than the current pace may start within any sliding second, so the burst that follows
 *   a stall (GC, a busy CPU) cannot overrun a platform that counts per second.
 * - A 429 stops everyone for its `retry_after` (Telegram applies flood control to the whole bot)
 *   and teaches the gate what the platform really allows: the pace drops to just under the number
 *   of sends the platform accepted in the second before, and stays there. It probes upwards again,
 *   slowly, only after a quiet half-minute, so a limit configured too high costs one pause, not a
 *   pause every few seconds.
 * - An outage (the platform unreachable or failing) pauses the gate without lowering the pace.
 *
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 */
export interface RateGate {
  /**
   * Waits for `cost` slots (a long text sent as several messages costs several). A pause that
   * arrives meanwhile is waited out too; false when the pause is longer than `maxWaitMs`.
   */
  take(cost?: number, maxWaitMs?: number): Promise<boolean>
  /** Takes one slot if one is free right now (no waiting); false otherwise. */
  tryTake(): boolean
  /** A send went through: what the platform accepts is measured from these. */
  accepted(): void
  /** The platform said "too many requests": wait `seconds` and slow down to what it accepted. */
  rateLimited(seconds: number): void
  /** The platform is down: wait `seconds` before the next send (which then probes it). */
  pause(seconds: number): void
  /** Milliseconds left in a pause (0 when sending is allowed). */
  pausedFor(): number
  /** Messages a second currently aimed at. */
  pace(): number
}

export const RATE_HEADROOM = 0.97
/** Under a limit learned from the platform's own answers: the same margin (jitter, fuzzy limits). */
const LEARNED_HEADROOM = RATE_HEADROOM
/** After a 429, the learned pace is kept this long before probing upwards. */
const HOLD_MS = 30_000
/** Probing: +2% every 5 s without a 429. */
const PROBE_STEP = 1.02
const PROBE_EVERY_MS = 5_000

export function createRateGate(limit: number, clock: () => number): RateGate {
  const fastest = limit * RATE_HEADROOM
  let perSecond = fastest
  let nextSlot = 0
  let pausedUntil = 0
  let lastCut = 0
  let holdUntil = 0
  let lastRaise = 0
  // Start times of the last sends, as a ring: the send `allowed` places back must be a second old.
  const size = Math.max(1, Math.ceil(limit))
  const starts = new Array<number>(size).fill(0)
  let head = 0
  // Times of sends the platform accepted, as a ring, to measure what it allows.
  const oks = new Array<number>(size).fill(0)
  let okHead = 0

  // Rounded up, never above the configured limit: rounded down, 4.85 a second (5 configured) let only
  // 4 start in any second, 80 % of the limit (bench/city-morning.ts: the Zalo bot at 77.5 %).
  const allowed = () => Math.max(1, Math.min(size, Math.ceil(perSecond * 1.02)))
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

  function probeUpwards(now: number) {
    if (perSecond >= fastest || now < holdUntil || now - lastRaise < PROBE_EVERY_MS) return
    perSecond = Math.min(fastest, perSecond * PROBE_STEP)
    lastRaise = now
  }

  return {
    async take(cost = 1, maxWaitMs = 10_000) {
      for (;;) {
        const now = clock()
        if (pausedUntil - now > maxWaitMs) return false
        probeUpwards(now)
        const back = starts[(head - allowed() + size * 2) % size]!
        const at = Math.max(now, nextSlot, pausedUntil, back + 1000)
        nextSlot = at + (1000 / perSecond) * cost
        if (at > now) await sleep(at - now)
        const started = clock()
        if (pausedUntil > started || starts[(head - allowed() + size * 2) % size]! + 1000 > started) continue
        for (let i = 0; i < cost; i++) {
          starts[head] = started
          head = (head + 1) % size
        }
        return true
      }
    },
    tryTake() {
      const now = clock()
      probeUpwards(now)
      // The clock counts whole milliseconds: at more than 1,000 a second several slots fall in one
      // tick, and a slot due later in the current millisecond is free now.
      if (pausedUntil > now || nextSlot >= now + 1 || starts[(head - allowed() + size * 2) % size]! + 1000 > now) return false
      nextSlot = Math.max(nextSlot, now) + 1000 / perSecond
      starts[head] = now
      head = (head + 1) % size
      return true
    },
    accepted() {
      oks[okHead] = clock()
      okHead = (okHead + 1) % size
    },
    rateLimited(seconds) {
      const now = clock()
      pausedUntil = Math.max(pausedUntil, now + seconds * 1000)
      nextSlot = Math.max(nextSlot, pausedUntil)
      // Sends already in flight when the first 429 came answer 429 too: learn once per burst.
      if (now - lastCut > 1000) {
        let ok = 0
        for (const t of oks) if (now - t < 1000) ok++
        // What the platform let through in the last second, a little under, is the new pace.
        const learned = ok > 0 ? ok * LEARNED_HEADROOM : perSecond * 0.5
        perSecond = Math.max(Math.min(fastest, 1) / 10, Math.min(perSecond * 0.98, learned))
        lastCut = now
      }
      holdUntil = pausedUntil + HOLD_MS
      lastRaise = holdUntil
    },
    pause(seconds) {
      pausedUntil = Math.max(pausedUntil, clock() + seconds * 1000)
      nextSlot = Math.max(nextSlot, pausedUntil)
    },
    pausedFor: () => Math.max(0, pausedUntil - clock()),
    pace: () => perSecond,
  }
}
