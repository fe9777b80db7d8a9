// Address allocation: edges, exhaustion, IPv6, foreign prefixes, no reuse at once.
import { describe, expect, it } from '@jest/globals'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { fromBig, Pool, toBig } from '../../../../src/gateway/leases/pool.js'

const P = (t: string): Prefix => parsePrefix(t) as Prefix
const taken = (addresses: string[] = [], prefixes: string[] = []) => ({
  addresses: new Set(addresses),
  prefixes: prefixes.map(P)
})

/** Allocates until exhausted; returns every lease. */
function drain(pool: Pool, t = taken()): string[][] {
  const out: string[][] = []
  for (let i = 0; i < 10_000; i++) {
    const a = pool.allocate(t)
    if (!a) return out
    out.push(a)
    for (const x of a) t.addresses.add(x.replace(/\/\d+$/, ''))
  }
  throw new Error('never exhausted')
}

describe('gateway address pool', () => {
  it('never leases the network, the broadcast or a taken address, and says when it is exhausted', () => {
    const pool = new Pool([P('192.0.2.0/29')])
    const leases = drain(pool, taken(['192.0.2.2'], ['192.0.2.1/32']))
    expect(leases.map((l) => l[0])).toEqual(['192.0.2.3/32', '192.0.2.4/32', '192.0.2.5/32', '192.0.2.6/32'])
    expect(
      pool.allocate(taken(['192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6', '192.0.2.2'], ['192.0.2.1/32']))
    ).toBeUndefined()
  })

  it('leases one address per family', () => {
    const pool = new Pool([P('10.99.0.0/22'), P('fd99::/64')])
    expect(pool.allocate(taken())).toEqual(['10.99.0.1/32', 'fd99::1/128'])
    expect(pool.allocate(taken())).toEqual(['10.99.0.2/32', 'fd99::2/128'])
  })

  it('is exhausted when any family is', () => {
    const pool = new Pool([P('10.0.0.0/30'), P('fd99::/64')])
    expect(drain(pool)).toHaveLength(2)
  })

  it('moves on past a freed address (next fit) and wraps around', () => {
    const pool = new Pool([P('10.0.0.0/29')])
    const t = taken()
    const got = drain(pool, t)
    expect(got).toHaveLength(6)
    t.addresses.delete('10.0.0.3')
    expect(pool.allocate(t)).toEqual(['10.0.0.3/32'])
  })

  it('skips prefixes of other peers inside the pool, ignores ones that contain the whole pool', () => {
    const pool = new Pool([P('10.0.0.0/24')])
    expect(pool.allocate(taken([], ['10.0.0.0/25', '0.0.0.0/0']))).toEqual(['10.0.0.128/32'])
    expect(new Pool([P('10.0.0.0/24')]).allocate(taken([], ['10.0.0.0/24']))).toBeUndefined()
    // A blocked prefix at the top edge does not hide free addresses below it.
    expect(drain(new Pool([P('10.0.0.0/29')]), taken([], ['10.0.0.4/30']))).toEqual([
      ['10.0.0.1/32'],
      ['10.0.0.2/32'],
      ['10.0.0.3/32']
    ])
  })

  it('handles large IPv6 pools with a blocked range without walking it', () => {
    const pool = new Pool([P('fd99::/64')])
    expect(pool.allocate(taken([], ['fd99::/65']))).toEqual(['fd99::8000:0:0:0/128'])
  })

  it('converts addresses to numbers and back', () => {
    for (const a of ['0.0.0.0', '255.255.255.255', '192.0.2.7']) expect(fromBig(4, toBig(a))).toBe(a)
    for (const a of ['::', 'fd99::7', '2001:db8:1:2:3:4:5:6']) expect(fromBig(6, toBig(a))).toBe(a)
  })
})
