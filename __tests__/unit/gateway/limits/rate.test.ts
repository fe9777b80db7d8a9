// The per-key token buckets behind `rate-limit` (per repository) and `refusals-per-address` (per
// client): the limit holds past the point where buckets are pruned. Before, the bucket being charged
// could be pruned itself: once more than 10,000 repositories were held, a new one was never charged
// and got 1,000 of 1,000 requests against a limit of 300 a minute.
import { describe, expect, it } from '@jest/globals'
import { RateLimiter } from '../../../../src/gateway/limits/rate.js'

const T0 = 1_800_000_000_000

describe('rate limiter', () => {
  it('holds a new repository to its limit past the pruning threshold (10,000 repositories held)', () => {
    const rate = new RateLimiter(300)
    // 10,001 repositories, each charged once a second apart at most: none of their buckets is full.
    for (let i = 0; i < 10_001; i++) expect(rate.take(`repo-${i}`, T0)).toBe(true)
    expect(rate.size).toBeGreaterThan(10_000)
    let granted = 0
    for (let i = 0; i < 1000; i++) if (rate.take('new-repository', T0 + i)) granted++
    // 300 at once, and what refilled over the second the 1,000 requests took (300 a minute: 5 a second).
    expect(granted).toBe(300 + Math.floor((999 * 300) / 60_000))
  })

  it('still holds after pruning, for every key charged while over the threshold', () => {
    const rate = new RateLimiter(3, 100)
    for (let i = 0; i < 500; i++) {
      const key = `k${i}`
      expect([rate.take(key, T0), rate.take(key, T0), rate.take(key, T0), rate.take(key, T0)]).toEqual([
        true,
        true,
        true,
        false
      ])
    }
  })

  it('drops buckets that refilled to full once over the threshold, never the one it charges', () => {
    const rate = new RateLimiter(60, 100)
    for (let i = 0; i < 100; i++) rate.take(`old-${i}`, T0)
    expect(rate.size).toBe(100)
    // A minute on, every old bucket is full again: the next new key prunes them all but itself.
    expect(rate.take('new', T0 + 60_000)).toBe(true)
    expect(rate.size).toBe(1)
    expect(rate.level('new', T0 + 60_000)).toBe(59)
  })

  it('refills over a minute and says how long until the next token', () => {
    const rate = new RateLimiter(60)
    for (let i = 0; i < 60; i++) rate.take('r', T0)
    expect(rate.take('r', T0)).toBe(false)
    expect(rate.waitMs('r', T0)).toBe(1000)
    expect(rate.take('r', T0 + 999)).toBe(false)
    expect(rate.take('r', T0 + 1000)).toBe(true)
    expect(rate.waitMs('never-seen', T0)).toBe(0)
    // A refused request charges nothing: the wait does not grow.
    for (let i = 0; i < 10; i++) rate.take('r', T0 + 1000)
    expect(rate.waitMs('r', T0 + 1000)).toBe(1000)
  })
})
