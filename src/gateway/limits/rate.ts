// Token buckets per key (a repository id, a client address): each holds up to `perMinute` and refills
// at `perMinute` a minute. Memory stays bounded: once more than `prune` keys are held, buckets that
// have refilled to full (and so say nothing a new bucket would not) are dropped, never the one being
// charged. Pure but for the clock the caller passes.

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private pruneAbove: number

  /**
   * @param perMinute bucket size and refill per minute (≥ 1)
   * @param prune keys held before full buckets are dropped; after a prune that keeps more, the next
   *   happens at twice what it kept, so pruning costs O(1) a request amortised
   */
  constructor(
    private readonly perMinute: number,
    private readonly prune = 10_000
  ) {
    this.pruneAbove = prune
  }

  /** Tokens `key` holds at `now` (ms), refilled; a key never charged holds a full bucket. */
  level(key: string, now: number): number {
    const b = this.buckets.get(key)
    return b ? Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000) : this.perMinute
  }

  /** Charges one token to `key` at `now` (ms); false, charging nothing, when it has none. */
  take(key: string, now: number): boolean {
    const tokens = this.level(key, now)
    if (tokens < 1) return false
    this.buckets.set(key, { tokens: tokens - 1, at: now })
    if (this.buckets.size > this.pruneAbove) this.dropFull(key, now)
    return true
  }

  /** Milliseconds until `key` holds a token again (0 when it holds one). */
  waitMs(key: string, now: number): number {
    return Math.max(0, Math.ceil(((1 - this.level(key, now)) * 60_000) / this.perMinute))
  }

  /** How many keys are held (for tests and metrics). */
  get size(): number {
    return this.buckets.size
  }

  private dropFull(charging: string, now: number): void {
    for (const k of this.buckets.keys())
      if (k !== charging && this.level(k, now) >= this.perMinute) this.buckets.delete(k)
    this.pruneAbove = Math.max(this.prune, this.buckets.size * 2)
  }
}
