// Concurrent-lease quotas: defaults from the pool, and the refusal that names the limit and its key.
import { describe, expect, it } from '@jest/globals'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { defaultQuota, poolCapacity, quotaRefusal } from '../../../../src/gateway/limits/quota.js'

const pool = (...texts: string[]): Prefix[] => texts.map((t) => parsePrefix(t) as Prefix)

describe('quotas', () => {
  it('default to a quarter of the pool per repository and 32 per run (at most the repository’s)', () => {
    expect(poolCapacity(pool('10.99.0.0/22', 'fd99::/64'))).toBe(1022)
    expect(defaultQuota(pool('10.99.0.0/22', 'fd99::/64'))).toEqual({ repository: 255, run: 32 })
    // The case: a /27 (30 addresses) can no longer be taken by one run.
    expect(defaultQuota(pool('192.0.2.0/27'))).toEqual({ repository: 7, run: 7 })
    expect(defaultQuota(pool('192.0.2.0/29'))).toEqual({ repository: 1, run: 1 })
    expect(defaultQuota(pool('fd99::/64'))).toEqual({ repository: 2 ** 50 - 1, run: 32 })
    expect(defaultQuota(pool('fd99::/126'))).toEqual({ repository: 1, run: 1 })
  })

  it('refuses the lease that would go over, naming the limit and the key that sets it', () => {
    const q = { repository: 10, run: 4 }
    expect(quotaRefusal(q, { repository: 9, run: 3 })).toBeUndefined()
    expect(quotaRefusal(q, { repository: 9, run: 4 })).toBe(
      "this workflow run holds 4 live leases, its quota (quota.run: 4); release one, or retry when the run's other jobs end"
    )
    expect(quotaRefusal(q, { repository: 10, run: 0 })).toBe(
      'this repository holds 10 live leases, its quota (quota.repository: 10); retry when its other jobs end'
    )
  })
})
