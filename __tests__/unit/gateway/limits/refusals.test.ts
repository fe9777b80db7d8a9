// Refused requests per client: limited (refusals-per-address a minute, then 429 before anything is
// read), and summarised in the audit (at most that many lines per client a minute, then one line with
// the count), so that one client cannot flood the journal.
import { beforeEach, describe, expect, it } from '@jest/globals'
import type { AuditFields } from '../../../../src/gateway/audit.js'
import { Gate } from '../../../../src/gateway/limits/gate.js'
import { Refusals } from '../../../../src/gateway/limits/refusals.js'

let clock: number
let lines: ({ event: string } & AuditFields)[]
let refusals: Refusals
const v6group = (c: string): string => (c.includes(':') ? `${c.split(':').slice(0, 4).join(':')}::/64` : c)

beforeEach(() => {
  clock = 1_800_000_000_000
  lines = []
  refusals = new Refusals(
    3,
    (event, f) => lines.push({ event, ...f }),
    v6group,
    () => clock
  )
})

const refuse = (client: string, status = 401): void =>
  refusals.audit('lease.refused', { status, reason: 'the token is malformed', client })

describe('refused requests per client', () => {
  it('writes the first lines of a minute, counts the rest, and says how many in one line', () => {
    for (let i = 0; i < 10; i++) refuse('198.51.100.7')
    refusals.audit('lease.granted', { status: 201, client: '198.51.100.7' })
    expect(lines.map((l) => l.event)).toEqual(['lease.refused', 'lease.refused', 'lease.refused', 'lease.granted'])
    refusals.flush()
    expect(lines).toHaveLength(4)
    clock += 60_000
    refusals.flush()
    expect(lines.at(-1)).toEqual({
      event: 'lease.refused.repeated',
      client: '198.51.100.7',
      count: 7,
      reason:
        '7 more refused requests from this client in the minute from 2027-01-15T08:00:00.000Z were counted, not written (refusals-per-address: 3)'
    })
    // The next minute starts afresh.
    refuse('198.51.100.7')
    expect(lines.at(-1)?.event).toBe('lease.refused')
  })

  it('blocks a client over its limit until its bucket refills; other clients are heard', () => {
    const gate = new Gate(refusals, 3)
    for (let i = 0; i < 3; i++) {
      expect(gate.beforeLease('198.51.100.7')).toBeUndefined()
      refuse('198.51.100.7')
    }
    expect(gate.beforeLease('198.51.100.7')).toMatchObject({
      status: 429,
      message: 'too many refused requests from this address (more than 3 a minute, refusals-per-address); retry in 20 s'
    })
    expect(gate.beforeLease('198.51.100.8')).toBeUndefined()
    clock += 20_000
    expect(gate.beforeLease('198.51.100.7')).toBeUndefined()
  })

  it('counts an IPv6 client by its /64, and charges 4xx refusals only (503 is the gateway’s)', () => {
    for (let i = 0; i < 3; i++) refuse(`2001:db8:1:2::${i + 1}`)
    expect(refusals.blocked('2001:db8:1:2::99')).toBe(20)
    expect(refusals.blocked('2001:db8:1:3::1')).toBeUndefined()
    for (let i = 0; i < 10; i++) refuse('198.51.100.9', 503)
    expect(refusals.blocked('198.51.100.9')).toBeUndefined()
    // Its lines are still summarised.
    expect(lines.filter((l) => l.client === '198.51.100.9')).toHaveLength(3)
  })

  it('writes every pending summary at stop', () => {
    for (let i = 0; i < 5; i++) refuse('198.51.100.7')
    refusals.flush(true)
    expect(lines.at(-1)).toMatchObject({ event: 'lease.refused.repeated', count: 2 })
  })

  it('refuses new leases while draining, with 503 (releases are never gated: server.ts)', () => {
    const gate = new Gate(refusals, 3)
    gate.draining = true
    expect(gate.beforeLease('198.51.100.7')).toMatchObject({ status: 503 })
    expect(gate.beforeLease('198.51.100.7')?.message).toMatch(/^the gateway is draining/)
  })
})
