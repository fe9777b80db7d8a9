// The owner's side of a revoke across the fleet, with stand-ins for the store and the leases.
import { endHere, storeFleet, type FleetStore } from '../../../../src/gateway/fleet/owner.js'
import type { AuditFields } from '../../../../src/gateway/audit.js'
import type { FleetLease } from '../../../../src/gateway/fleet/fleet.js'
import type pg from 'pg'

const ID = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`
const KEY = 'SGVsbG8gV29ybGQgSGVsbG8gV29ybGQgSGVsbG8gV28='

describe('ending here what the fleet revoked', () => {
  it('ends each live lease once, audits it with how it was learnt, and goes on past a failure', async () => {
    const live = new Set([ID(1), ID(3)])
    const audit: [string, AuditFields | undefined][] = []
    const leases = {
      revoke: async (id: string) => {
        if (id === ID(3)) throw new Error('wg: no such device')
        return live.delete(id)
      }
    }
    expect(await endHere(leases, [ID(1), ID(2), ID(3), ID(1)], 'sweep', (e, f) => audit.push([e, f]))).toBe(1)
    expect(audit.map(([e, f]) => [e, f?.lease, f?.client ?? f?.reason])).toEqual([
      ['fleet.revoked', ID(1), 'sweep'],
      ['error', ID(3), 'ending a lease revoked in the fleet: wg: no such device']
    ])
  })
})

describe('the fleet over the store', () => {
  const lease = (n: number, ended: boolean): FleetLease => ({
    id: ID(n),
    publicKey: `key-${n}`,
    addresses: [],
    secretHash: '',
    repository: 'octo/app',
    repositoryId: '1',
    runId: '',
    workflowRef: '',
    rule: 0,
    createdAt: 0,
    expiresAt: 1,
    removed: false,
    gatewayKey: KEY,
    gatewayName: 'b',
    gatewayInterface: 'wg1',
    ...(ended ? { endedAt: 1, endReason: 'released' } : {})
  })

  it('lists live leases only, notifies the owner of a lease it ended, and nothing for one not live', async () => {
    const sent: unknown[][] = []
    const store: FleetStore = {
      fleet: async () => [lease(1, false), lease(2, true)],
      endAnywhere: async (id) => (id === ID(1) ? KEY : undefined)
    }
    const client = {
      connect: async () => undefined,
      query: async (...args: unknown[]) => void sent.push(args),
      end: async () => undefined
    } as unknown as pg.Client
    const db = storeFleet(store, () => client)
    expect((await db.live()).map((l) => l.id)).toEqual([ID(1)])
    expect(await db.endAndNotify(ID(1), 'revoked', 5)).toBe(KEY)
    expect(await db.endAndNotify(ID(2), 'revoked', 5)).toBeUndefined()
    expect(sent).toEqual([
      [
        'SELECT pg_notify($1, $2)',
        ['wireguard_gateway', JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY, lease: ID(1) })]
      ]
    ])
  })

  it("still reports the revoke when the notice cannot be sent (the owner's sweep finds it)", async () => {
    const store: FleetStore = {
      fleet: async () => [],
      endAnywhere: async () => KEY
    }
    const client = {
      connect: async () => {
        throw new Error('ECONNREFUSED')
      },
      end: async () => undefined
    } as unknown as pg.Client
    expect(await storeFleet(store, () => client).endAndNotify(ID(1), 'revoked', 5)).toBe(KEY)
  })
})
