import { describe, expect, it } from 'vitest'
import { createRateGate } from '#src/delivery/rate-gate.js'

describe('the rate gate learns what the platform allows', () => {
  it('settles just under what the platform accepted when it answers 429, and probes upwards only after a quiet half-minute', () => {
    let now = 1_000_000
    const gate = createRateGate(1000, () => now)
    expect(gate.pace()).toBeCloseTo(970)
    // The platform accepted 800 in the last second, then said "too many requests".
    for (let i = 0; i < 800; i++) {
      gate.accepted()
      now += 1.25
    }
    gate.rateLimited(1)
    expect(gate.pace()).toBeGreaterThan(770)
    expect(gate.pace()).toBeLessThan(800)
    expect(gate.pausedFor()).toBe(1000)
    // 429s from sends already in flight in the same second do not cut the pace again.
    gate.rateLimited(1)
    expect(gate.pace()).toBeGreaterThan(770)
    // Held for half a minute after the pause, then +2 % every 5 s, never above the configured pace.
    const learned = gate.pace()
    now += 20_000
    expect(gate.tryTake()).toBe(true)
    expect(gate.pace()).toBe(learned)
    now += 16_000
    gate.tryTake()
    expect(gate.pace()).toBeCloseTo(learned * 1.02)
    for (let i = 0; i < 100; i++) {
      now += 5_000
      gate.tryTake()
    }
    expect(gate.pace()).toBeCloseTo(970)
  })

  it('gives a slot now only when the pace allows it, and none during a pause', () => {
    let now = 5_000_000
    const gate = createRateGate(10, () => now)
    expect(gate.tryTake()).toBe(true)
    // The next slot is a tenth of a second later (97 % of 10 a second).
    expect(gate.tryTake()).toBe(false)
    now += 110
    expect(gate.tryTake()).toBe(true)
    now += 110
    gate.pause(10)
    expect(gate.tryTake()).toBe(false)
    now += 10_001
    expect(gate.tryTake()).toBe(true)
  })

  it('gives as many slots within one millisecond as a pace above 1,000 a second allows', () => {
    let now = 5_000_000
    const gate = createRateGate(100_000, () => now)
    let given = 0
    for (let i = 0; i < 500; i++) if (gate.tryTake()) given++
    // 97 % of 100 a millisecond (the last one due within it): whole milliseconds must not cap it at one.
    expect(given).toBeGreaterThanOrEqual(97)
    expect(given).toBeLessThanOrEqual(98)
    now += 1
    expect(gate.tryTake()).toBe(true)
  })

  it('keeps a low configured rate: 5 a second gives 97 % of it, never more than 5 within any second', () => {
    let now = 7_000_000
    const gate = createRateGate(5, () => now)
    const starts: number[] = []
    for (let ms = 0; ms < 60_000; ms++, now++) if (gate.tryTake()) starts.push(now)
    // 4.85 a second over a minute (the sliding second once capped it at 4, 80 % of the limit).
    expect(starts.length).toBeGreaterThanOrEqual(290)
    expect(starts.length).toBeLessThanOrEqual(292)
    for (let i = 5; i < starts.length; i++) expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(1000)
  })
})
