// Concurrent-lease quotas: how many live leases one repository, and one workflow run, may hold at
// once. A rate limit bounds requests a minute; it does not stop one job from asking again and again
// with fresh tokens and keys until the pool is empty. A quota does. Pure.
import { maxBits, type Prefix } from '../../common/ip.js'
import type { Quota } from '../settings.js'

/** A run's default: a matrix of this many jobs, each with its own tunnel, gets through at once. */
export const RUN_QUOTA = 32

/** Addresses one lease family of the pool can hand out (network and last address excluded); the smallest family counts. */
export function poolCapacity(pool: readonly Prefix[]): number {
  const sizes = pool.map((p) => Math.min(2 ** Math.min(maxBits(p.family) - p.bits, 52), Number.MAX_SAFE_INTEGER) - 2)
  return sizes.length ? Math.max(1, Math.min(...sizes)) : 1
}

/**
 * The quota of rules that set none: a repository may hold a quarter of the pool (so at least four
 * repositories are needed to exhaust it, and one runaway job never can), and a run 32 leases (a
 * matrix that large, each job with a tunnel), at most its repository's.
 */
export function defaultQuota(pool: readonly Prefix[]): Quota {
  const repository = Math.max(1, Math.floor(poolCapacity(pool) / 4))
  return { repository, run: Math.min(RUN_QUOTA, repository) }
}

/**
 * Why a new lease would go over `quota`, given the live leases the repository and the run hold now;
 * undefined when it fits. The answer names the limit and the key that sets it, never another
 * repository's leases.
 */
export function quotaRefusal(quota: Quota, live: { repository: number; run: number }): string | undefined {
  if (live.run >= quota.run)
    return `this workflow run holds ${live.run} live leases, its quota (quota.run: ${quota.run}); release one, or retry when the run's other jobs end`
  if (live.repository >= quota.repository)
    return `this repository holds ${live.repository} live leases, its quota (quota.repository: ${quota.repository}); retry when its other jobs end`
  return undefined
}
