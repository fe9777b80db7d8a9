// Revoke across the fleet on a real cluster (lab/postgres.mjs): one gateway's lease revoked at another
// gateway ends at its owner, its peer off the owner's interface, by the notice; and, with the notice
// missed (the owner not listening), by the owner's next sweep.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startPostgres, type Postgres } from '../../../../lab/postgres.mjs'
import { parseConfig } from '../../../../src/gateway/settings.js'
import { Leases, type Interface } from '../../../../src/gateway/leases/leases.js'
import { Store } from '../../../../src/gateway/leases/store.js'
import type { PeerOp, PeerState } from '../../../../src/gateway/leases/peers.js'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { Listener } from '../../../../src/gateway/fleet/notices.js'
import { obeyNotice, storeFleet } from '../../../../src/gateway/fleet/owner.js'

const key = (): string => randomBytes(32).toString('base64')
const KEY_A = key()
const KEY_B = key()

/** Gateway A's interface in memory. */
class FakeWg implements Interface {
  readonly iface = 'wg0'
  readonly peers_ = new Map<string, PeerState>()
  async info() {
    return { publicKey: KEY_A, listenPort: 51820 }
  }
  async addresses(): Promise<Prefix[]> {
    return [parsePrefix('10.0.0.1') as Prefix]
  }
  async peers(): Promise<Map<string, PeerState>> {
    return new Map([...this.peers_].map(([k, v]) => [k, { ...v, allowedIps: [...v.allowedIps] }]))
  }
  async apply(ops: readonly PeerOp[]): Promise<void> {
    for (const op of ops)
      if (op.kind === 'remove') this.peers_.delete(op.publicKey)
      else this.peers_.set(op.publicKey, { allowedIps: [...op.allowedIps], latestHandshake: 0 })
  }
}

const CONFIG = `listen: 127.0.0.1:8080
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.0.0.0/28]
allowed-ips: [10.20.0.0/16]
audience: https://vpn.example.com
name: gw-a
rules:
  - claims: { repository_id: "5678" }
`

let cluster: Postgres
let url: string
let storeA: Store
let storeB: Store
let wg: FakeWg
let leases: Leases
let listener: Listener | undefined
const audit: { event: string; [k: string]: unknown }[] = []

beforeAll(async () => {
  cluster = await startPostgres()
  url = cluster.createDatabase('fleet')
  storeA = new Store(url)
  wg = new FakeWg()
  leases = new Leases(
    parseConfig(CONFIG),
    storeA,
    wg,
    async (t) => JSON.parse(t),
    (event, fields) => audit.push({ event, ...fields })
  )
  await leases.start()
  storeB = new Store(url)
  await storeB.bind('wg1', KEY_B, { name: 'gw-b', pool: ['10.0.1.0/28'], endpoint: 'vpn-b.example.com:51820' })
})
afterEach(async () => {
  await listener?.stop()
  listener = undefined
})
afterAll(async () => {
  await storeA.close()
  await storeB.close()
  cluster.close()
})

/** Polls `check` every 20 ms until it holds, at most 10 s. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within 10 s`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function grant(): Promise<{ id: string; peer: string }> {
  const now = Math.floor(Date.now() / 1000)
  const token = JSON.stringify({ jti: key(), iat: now, exp: now + 300, repository: 'octo/app', repository_id: '5678' })
  const peer = key()
  const g = await leases.grant(token, peer, '192.0.2.1')
  expect(wg.peers_.has(peer)).toBe(true)
  return { id: g.id, peer }
}

/** Gateway B's operator revokes `id` (its fleet view: the end in the database, then the notice). */
const revokeAtB = (id: string): Promise<string | undefined> =>
  storeFleet(storeB, () => new pg.Client(url)).endAndNotify(id, 'revoked', Date.now())

describe('revoke across the fleet', () => {
  it('reaches the owner by its notice: the lease ends there and its peer comes off', async () => {
    listener = new Listener({
      client: () => new pg.Client(url),
      self: KEY_A,
      revoked: async (id) => void (await obeyNotice(storeA, leases, id, (e, f) => audit.push({ event: e, ...f }))),
      listening: () => leases.sweep(),
      audit: (event, fields) => audit.push({ event, ...fields })
    })
    await listener.start()
    const { id, peer } = await grant()
    expect(await revokeAtB(id)).toBe(KEY_A)
    await until('the owner ends it', () => audit.some((a) => a.event === 'fleet.revoked' && a.lease === id))
    expect(wg.peers_.has(peer)).toBe(false)
    expect(audit.find((a) => a.event === 'fleet.revoked' && a.lease === id)).toMatchObject({ client: 'fleet notice' })
    expect(storeA.liveByKey(peer)).toBeUndefined()
  })

  it('is not obeyed when forged: a notice for a lease the database holds live ends nothing', async () => {
    const { id, peer } = await grant()
    const forger = new pg.Client(url)
    await forger.connect()
    try {
      const payload = JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY_A, lease: id })
      await forger.query(`NOTIFY wireguard_gateway, '${payload}'`)
    } finally {
      await forger.end()
    }
    // What the listener would do with it:
    expect(await obeyNotice(storeA, leases, id, () => undefined)).toBe(false)
    expect(wg.peers_.has(peer)).toBe(true)
    expect(storeA.liveByKey(peer)).toBeDefined()
    expect(await leases.revoke(id, 'test')).toBe(true)
  })

  it('is made good by the owner’s sweep when the notice is missed', async () => {
    // Nobody listens at A: the notice is lost.
    const { id, peer } = await grant()
    expect(await revokeAtB(id)).toBe(KEY_A)
    expect(storeA.liveByKey(peer)).toBeDefined()
    await leases.sweep()
    expect(wg.peers_.has(peer)).toBe(false)
    expect(storeA.liveByKey(peer)).toBeUndefined()
    expect(audit.find((a) => a.event === 'fleet.revoked' && a.lease === id)).toMatchObject({ client: 'sweep' })
  })
})
