// Leases against a stand-in interface and an in-memory store: grants, refusals, release, the sweeper,
// reconcile, coalescing, and that peers the gateway did not lease are never changed.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../../../src/gateway/settings.js'
import { HttpError } from '../../../../src/gateway/http/error.js'
import {
  DATABASE_UNREACHABLE,
  Leases,
  STORE_UNAVAILABLE,
  type Interface
} from '../../../../src/gateway/leases/leases.js'
import { Store, type Backend, type Lease, type Write } from '../../../../src/gateway/leases/store.js'
import { SqliteBackend } from '../../../../src/gateway/leases/sqlite.js'
import { pgUnavailableReason } from '../../../../src/gateway/leases/postgres.js'
import { TokenError } from '../../../../src/gateway/auth/tokens.js'
import { fate, Liveness, REJECT_AFTER_MS } from '../../../../src/gateway/leases/liveness.js'
import type { PeerOp, PeerState } from '../../../../src/gateway/leases/peers.js'
import type { Firewall, FirewallLease } from '../../../../src/gateway/firewall/firewall.js'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { holdWriteLock } from './locker.js'

const CONFIG = `listen: 127.0.0.1:8080
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.0.0.0/29]
allowed-ips: [10.0.0.0/24, 10.20.0.0/16]
audience: https://vpn.example.com
lease-ttl: 1h
silence: 5m
rate-limit: 20
# The whole /29 to one repository (the default would be a quarter of it: see the quota tests).
quota: { repository: 6 }
rules:
  - claims: { repository_owner_id: "1234", ref: refs/heads/main }
  - claims: { repository_id: "5678" }
    allowed-ips: [10.20.5.0/24]
`
const key = (): string => randomBytes(32).toString('base64')
const SERVER = key()
const FOREIGN = key()

/** A WireGuard interface in memory: records every `wg set` batch. */
class FakeWg implements Interface {
  readonly iface = 'wg0'
  peers_ = new Map<string, PeerState>()
  batches: PeerOp[][] = []
  failNext = false
  async info() {
    return { publicKey: SERVER, listenPort: 51820 }
  }
  async addresses(): Promise<Prefix[]> {
    return [parsePrefix('10.0.0.1') as Prefix]
  }
  async peers(): Promise<Map<string, PeerState>> {
    await new Promise((r) => setImmediate(r))
    return new Map([...this.peers_].map(([k, v]) => [k, { ...v, allowedIps: [...v.allowedIps] }]))
  }
  async apply(ops: readonly PeerOp[]): Promise<void> {
    await new Promise((r) => setTimeout(r, 2))
    if (this.failNext) {
      this.failNext = false
      throw new Error('wg set failed')
    }
    this.batches.push([...ops])
    for (const op of ops) {
      if (op.kind === 'remove') this.peers_.delete(op.publicKey)
      else {
        // As WireGuard does: an allowed IP moves from whichever peer had it.
        for (const p of this.peers_.values()) p.allowedIps = p.allowedIps.filter((a) => !op.allowedIps.includes(a))
        const old = this.peers_.get(op.publicKey)
        this.peers_.set(op.publicKey, { allowedIps: [...op.allowedIps], latestHandshake: old?.latestHandshake ?? 0 })
      }
    }
  }
}

let wg: FakeWg
let store: Store
let audit: { event: string; [k: string]: unknown }[]
let clock: number
let leases: Leases

const token = (claims: Record<string, unknown> = {}): string =>
  JSON.stringify({
    jti: `j${Math.random()}`,
    iat: Math.floor(clock / 1000),
    exp: Math.floor(clock / 1000) + 300,
    repository: 'octo/app',
    repository_id: '5678',
    repository_owner_id: '1234',
    ref: 'refs/heads/main',
    run_id: '77',
    ...claims
  })

async function make(config = CONFIG, firewall?: Firewall): Promise<void> {
  leases = new Leases(
    parseConfig(config),
    store,
    wg,
    async (t) => {
      if (t === 'bad') throw new TokenError('the token signature does not verify', 'token_invalid')
      return JSON.parse(t)
    },
    (event, fields) => audit.push({ event, ...fields }),
    () => clock,
    firewall
  )
  await leases.start()
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p
    return 201
  } catch (err) {
    if (err instanceof HttpError) return err.status
    throw err
  }
}

beforeEach(async () => {
  wg = new FakeWg()
  wg.peers_.set(FOREIGN, { allowedIps: ['10.0.0.2/32', '192.168.1.0/24'], latestHandshake: 0 })
  store = new Store(':memory:')
  audit = []
  clock = 1_800_000_000_000
  await make()
})

const foreignUntouched = (): void => {
  expect(wg.peers_.get(FOREIGN)?.allowedIps).toEqual(['10.0.0.2/32', '192.168.1.0/24'])
  for (const b of wg.batches) expect(b.map((op) => op.publicKey)).not.toContain(FOREIGN)
}

describe('gateway leases', () => {
  it('grants the first free address (not the network, the server or a foreign peer) with the rule’s allowed IPs', async () => {
    const k = key()
    const g = await leases.grant(token({ ref: 'refs/heads/dev' }), k, '192.0.2.9')
    expect(g.addresses).toEqual(['10.0.0.3/32'])
    expect(g.peers).toEqual([
      { publicKey: SERVER, endpoint: 'vpn.example.com:51820', allowedIps: ['10.20.5.0/24'], persistentKeepalive: 25 }
    ])
    expect(wg.peers_.get(k)?.allowedIps).toEqual(['10.0.0.3/32'])
    const line = audit.find((a) => a.event === 'lease.granted')
    expect(line).toMatchObject({
      repository: 'octo/app',
      repositoryId: '5678',
      runId: '77',
      lease: g.id,
      addresses: ['10.0.0.3/32'],
      rule: 1
    })
    expect(JSON.stringify(audit)).not.toContain(g.secret)
    foreignUntouched()
  })

  it('refuses, leaving the interface unchanged: bad token, no rule, replay, key leased, key of another peer, the server key', async () => {
    const k = key()
    const t = token()
    expect(await status(leases.grant(t, k, 'c'))).toBe(201)
    const before = JSON.stringify([...wg.peers_])
    const batches = wg.batches.length
    expect(await status(leases.grant('bad', key(), 'c'))).toBe(401)
    expect(await status(leases.grant(token({ repository_id: '1', ref: 'refs/heads/x' }), key(), 'c'))).toBe(403)
    expect(await status(leases.grant(t, key(), 'c'))).toBe(409)
    expect(await status(leases.grant(token(), k, 'c'))).toBe(409)
    expect(await status(leases.grant(token(), SERVER, 'c'))).toBe(409)
    expect(await status(leases.grant(token(), FOREIGN, 'c'))).toBe(409)
    // The foreign key is not remembered as the gateway's after the refusal.
    expect(await store.byKey(FOREIGN)).toEqual([])
    expect(JSON.stringify([...wg.peers_])).toBe(before)
    expect(wg.batches.length).toBe(batches)
    const refused = audit.filter((a) => a.event === 'lease.refused').map((a) => [a.status, a.code])
    expect(refused).toEqual([
      [401, 'token_invalid'],
      [403, 'no_rule_matches'],
      [409, 'token_replayed'],
      [409, 'public_key_leased'],
      [409, 'public_key_taken'],
      [409, 'public_key_taken']
    ])
    expect(audit.find((a) => a.status === 403)?.reason).toBe(
      'no rule allows this token (claims checked: ref, repository_id, repository_owner_id)'
    )
    foreignUntouched()
  })

  it('runs out with 503 and counts per repository with 429', async () => {
    for (let i = 0; i < 4; i++) expect(await status(leases.grant(token(), key(), 'c'))).toBe(201)
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(503)
    for (let i = 0; i < 15; i++) await status(leases.grant(token(), key(), 'c'))
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(429)
    // Another repository has its own budget.
    expect(await status(leases.grant(token({ repository_id: '9', ref: 'refs/heads/main' }), key(), 'c'))).toBe(503)
    const codes = new Set(audit.filter((a) => a.event === 'lease.refused').map((a) => `${a.status} ${a.code}`))
    expect([...codes].sort()).toEqual(['429 rate_limited', '503 pool_exhausted'])
  })

  it('releases only with the lease’s own secret', async () => {
    const a = await leases.grant(token(), key(), 'c')
    const b = await leases.grant(token(), key(), 'c')
    expect(await status(leases.release(a.id, b.secret, 'c'))).toBe(403)
    expect(await status(leases.release('00000000-0000-0000-0000-000000000000', a.secret, 'c'))).toBe(404)
    expect(wg.peers_.size).toBe(3)
    expect(await status(leases.release(a.id, a.secret, 'c'))).toBe(201)
    expect(await status(leases.release(a.id, a.secret, 'c'))).toBe(404)
    expect([...wg.peers_.keys()].sort()).toEqual([FOREIGN, (await store.get(b.id))?.publicKey].sort())
    expect(audit.filter((l) => l.event === 'lease.release-refused').map((l) => l.code)).toEqual([
      'lease_secret_mismatch',
      'lease_not_found',
      'lease_not_found'
    ])
    foreignUntouched()
  })

  it('coalesces concurrent grants into few `wg set` calls, with distinct addresses', async () => {
    store = new Store(':memory:')
    await make(
      CONFIG.replace('10.0.0.0/29', '10.0.0.0/24')
        .replace('rate-limit: 20', 'rate-limit: 1000')
        .replace('repository: 6', 'repository: 200, run: 200')
    )
    const n = 100
    const got = await Promise.all(Array.from({ length: n }, () => leases.grant(token(), key(), 'c')))
    expect(new Set(got.map((g) => g.addresses[0])).size).toBe(n)
    expect(wg.peers_.size).toBe(n + 1)
    expect(wg.batches.length).toBeLessThan(10)
    foreignUntouched()
  })

  it('sweeps: expired and silent leases end, a missing peer comes back, a foreign peer stays', async () => {
    const expiring = await leases.grant(token(), key(), 'c')
    clock += 1000
    const talking = await leases.grant(token(), key(), 'c')
    const missing = await leases.grant(token(), key(), 'c')
    wg.peers_.delete((await store.get(missing.id))!.publicKey)
    // 4 minutes on: nothing is silent yet; the missing peer is restored.
    clock += 4 * 60_000
    const talkingKey = (await store.get(talking.id))!.publicKey
    wg.peers_.get(talkingKey)!.latestHandshake = Math.floor(clock / 1000)
    await leases.sweep()
    expect(store.liveCount()).toBe(3)
    expect(wg.peers_.has((await store.get(missing.id))!.publicKey)).toBe(true)
    expect(audit.filter((a) => a.event === 'lease.restored').map((a) => a.lease)).toEqual([missing.id])
    // 2 more minutes: the one that never handshook is silent; the talking one stays, and so does the
    // restored one: its runner is given `silence` (at least 3 min + two keepalives) to handshake again.
    clock += 2 * 60_000
    wg.peers_.get(talkingKey)!.latestHandshake = Math.floor(clock / 1000)
    await leases.sweep()
    expect((await store.get(expiring.id))?.endReason).toBe('silent')
    expect(store.liveCount()).toBe(2)
    // 4 more: the restored one never handshook again, and is silent now.
    clock += 4 * 60_000
    wg.peers_.get(talkingKey)!.latestHandshake = Math.floor(clock / 1000)
    await leases.sweep()
    expect((await store.get(missing.id))?.endReason).toBe('silent')
    expect(store.liveCount()).toBe(1)
    expect([...wg.peers_.keys()].sort()).toEqual([FOREIGN, talkingKey].sort())
    // Past the lease's time: it ends however recently it handshook.
    clock += 3600_000
    wg.peers_.get(talkingKey)!.latestHandshake = Math.floor(clock / 1000)
    await leases.sweep()
    expect((await store.get(talking.id))?.endReason).toBe('expired')
    expect([...wg.peers_.keys()]).toEqual([FOREIGN])
    expect(audit.filter((a) => a.event === 'lease.ended').map((a) => a.reason)).toEqual(['silent', 'silent', 'expired'])
    foreignUntouched()
  })

  it('hears a quiet runner by its keepalives, and keeps the lease of a runner that is heard after its peer was removed', async () => {
    const quiet = await leases.grant(token(), key(), 'c')
    const quietKey = (await store.get(quiet.id))!.publicKey
    const peer = wg.peers_.get(quietKey)!
    peer.latestHandshake = Math.floor(clock / 1000)
    peer.rxBytes = 148
    // Half an hour of keepalives (32 bytes each) and no new handshake in the readings: never silent.
    for (let t = 0; t < 30; t++) {
      clock += 60_000
      peer.rxBytes += 64
      await leases.sweep()
    }
    expect((await store.get(quiet.id))?.endedAt).toBeUndefined()
    // Removed by hand: restored, and kept past `silence` while its runner handshakes again.
    wg.peers_.delete(quietKey)
    clock += 15_000
    await leases.sweep()
    expect(wg.peers_.get(quietKey)?.allowedIps).toEqual(quiet.addresses)
    clock += 5 * 60_000 - 30_000
    await leases.sweep()
    expect((await store.get(quiet.id))?.endedAt).toBeUndefined()
    const back = wg.peers_.get(quietKey)!
    back.latestHandshake = Math.floor(clock / 1000)
    back.rxBytes = 92
    clock += 4 * 60_000
    back.rxBytes += 32
    await leases.sweep()
    clock += 4 * 60_000
    back.rxBytes += 32
    await leases.sweep()
    expect((await store.get(quiet.id))?.endedAt).toBeUndefined()
    // Its runner gone: nothing more is heard, and the lease ends `silence` after the last packet.
    clock += 5 * 60_000 + 1
    await leases.sweep()
    expect((await store.get(quiet.id))?.endReason).toBe('silent')
  })

  it('reconciles on start: re-adds live leases, removes ended ones, leaves changed and foreign peers', async () => {
    const live = await leases.grant(token(), key(), 'c')
    const ended = await leases.grant(token(), key(), 'c')
    const changed = await leases.grant(token(), key(), 'c')
    const liveKey = (await store.get(live.id))!.publicKey
    const endedKey = (await store.get(ended.id))!.publicKey
    const changedKey = (await store.get(changed.id))!.publicKey
    // As if the gateway died between ending a lease and removing its peer, and the interface was
    // recreated without the live lease's peer; someone gave another lease's key other addresses.
    store.end(ended.id, 'released', clock)
    store.end(changed.id, 'released', clock)
    wg.peers_.delete(liveKey)
    wg.peers_.set(changedKey, { allowedIps: ['10.9.9.9/32'], latestHandshake: 0 })
    wg.batches = []
    await make()
    expect(wg.peers_.get(liveKey)?.allowedIps).toEqual(live.addresses)
    expect(wg.peers_.has(endedKey)).toBe(false)
    expect(wg.peers_.get(changedKey)?.allowedIps).toEqual(['10.9.9.9/32'])
    expect(audit.some((a) => a.event === 'peer.left' && a.lease === changed.id)).toBe(true)
    expect(audit.filter((a) => a.event === 'gateway.reconciled').pop()).toMatchObject({ leases: 1, count: 1 })
    foreignUntouched()
  })

  it('ends a live lease whose key someone gave other addresses, and leaves that peer alone', async () => {
    const g = await leases.grant(token(), key(), 'c')
    const k = (await store.get(g.id))!.publicKey
    wg.peers_.set(k, { allowedIps: ['10.0.0.3/32', '172.16.0.0/24'], latestHandshake: 0 })
    wg.batches = []
    await leases.sweep()
    expect((await store.get(g.id))?.endReason).toBe('peer-changed')
    expect(wg.peers_.get(k)?.allowedIps).toEqual(['10.0.0.3/32', '172.16.0.0/24'])
    expect(wg.batches).toEqual([])
    expect(audit.some((a) => a.event === 'peer.left' && a.lease === g.id)).toBe(true)
  })

  it('skips an address a foreign peer took after the last read', async () => {
    wg.peers_.set(FOREIGN, { allowedIps: ['10.0.0.2/32', '10.0.0.3/32', '192.168.1.0/24'], latestHandshake: 0 })
    const g = await leases.grant(token(), key(), 'c')
    expect(g.addresses).toEqual(['10.0.0.4/32'])
    expect(wg.peers_.get(FOREIGN)?.allowedIps).toEqual(['10.0.0.2/32', '10.0.0.3/32', '192.168.1.0/24'])
  })

  it('ends a lease whose peer could not be added, and the sweeper cleans up', async () => {
    wg.failNext = true
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(500)
    expect(store.liveCount()).toBe(0)
    await leases.sweep()
    expect(store.open()).toEqual([])
    foreignUntouched()
  })
})

describe('gateway leases under review findings', () => {
  it('answers a replayed token 409 without charging its repository’s rate limit', async () => {
    // rate-limit is 20 a minute: before, each replay took from the bucket and then a fresh token got 429.
    const used = token()
    expect(await status(leases.grant(used, key(), 'c'))).toBe(201)
    for (let i = 0; i < 40; i++) expect(await status(leases.grant(used, key(), 'c'))).toBe(409)
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(201)
    const refused = audit.filter((a) => a.event === 'lease.refused')
    expect(refused.map((a) => a.status)).toEqual(refused.map(() => 409))
  })

  it('charges the rate limit only once every other check passed; a 429 does not use the token up', async () => {
    const leased = key()
    expect(await status(leases.grant(token(), leased, 'c'))).toBe(201)
    // Refusals of the key: never charged.
    for (let i = 0; i < 30; i++) {
      expect(await status(leases.grant(token(), leased, 'c'))).toBe(409)
      expect(await status(leases.grant(token(), SERVER, 'c'))).toBe(409)
    }
    // 1 taken of 20; 3 more leases fill the pool, the other 16 are 503 (charged: they reached allocation).
    for (let i = 0; i < 3; i++) expect(await status(leases.grant(token(), key(), 'c'))).toBe(201)
    for (let i = 0; i < 16; i++) expect(await status(leases.grant(token(), key(), 'c'))).toBe(503)
    const later = token({ exp: Math.floor(clock / 1000) + 600 })
    expect(await status(leases.grant(later, key(), 'c'))).toBe(429)
    expect(await status(leases.grant(later, key(), 'c'))).toBe(429)
    // A minute on, with a lease released, the same token is granted: the 429s did not use it up.
    const one = store.open()[0]!
    store.end(one.id, 'released', clock)
    await leases.sweep()
    clock += 60_000
    expect(await status(leases.grant(later, key(), 'c'))).toBe(201)
    expect(await status(leases.grant(later, key(), 'c'))).toBe(409)
  })

  it('never leases an address a peer still holds after its lease ended with the peer changed', async () => {
    const got = []
    for (let i = 0; i < 4; i++) got.push(await leases.grant(token(), key(), 'c'))
    expect(got.map((g) => g.addresses[0])).toEqual(['10.0.0.3/32', '10.0.0.4/32', '10.0.0.5/32', '10.0.0.6/32'])
    // An admin gives the first lease's key another network too: the peer is the admin's now.
    const adminKey = (await store.get(got[0]!.id))!.publicKey
    wg.peers_.set(adminKey, { allowedIps: ['10.0.0.3/32', '172.16.0.0/24'], latestHandshake: 0 })
    await leases.sweep()
    expect((await store.get(got[0]!.id))?.endReason).toBe('peer-changed')
    const since = wg.batches.length
    // The second lease ends: the next fit wraps around to 10.0.0.3, which the admin's peer still holds.
    await leases.release(got[1]!.id, got[1]!.secret, 'c')
    // That peer's key is not leased again either: WireGuard would replace the admin's addresses.
    expect(await status(leases.grant(token(), adminKey, 'c'))).toBe(409)
    const next = await leases.grant(token(), key(), 'c')
    expect(next.addresses).toEqual(['10.0.0.4/32'])
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(503)
    expect(wg.peers_.get(adminKey)?.allowedIps).toEqual(['10.0.0.3/32', '172.16.0.0/24'])
    for (const b of wg.batches.slice(since)) expect(b.map((op) => op.publicKey)).not.toContain(adminKey)
    foreignUntouched()
  })

  it('treats a peer of an ended lease that came back as taken until the sweeper removes it', async () => {
    const a = await leases.grant(token(), key(), 'c')
    const aKey = (await store.get(a.id))!.publicKey
    await leases.release(a.id, a.secret, 'c')
    // A saved configuration restored: the old peer is back with its address, and the cursor wraps to it.
    wg.peers_.set(aKey, { allowedIps: ['10.0.0.3/32'], latestHandshake: 0 })
    const b = await leases.grant(token(), key(), 'c')
    const c = await leases.grant(token(), key(), 'c')
    const d = await leases.grant(token(), key(), 'c')
    expect([b, c, d].map((g) => g.addresses[0])).toEqual(['10.0.0.4/32', '10.0.0.5/32', '10.0.0.6/32'])
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(503)
    expect(wg.peers_.get(aKey)?.allowedIps).toEqual(['10.0.0.3/32'])
    await leases.sweep()
    expect(wg.peers_.has(aKey)).toBe(false)
    expect((await leases.grant(token(), key(), 'c')).addresses).toEqual(['10.0.0.3/32'])
  })

  it('tells the client a generic reason when the issuer cannot be reached; the detail goes to the audit', async () => {
    const unreachable = new TokenError(
      'the token issuer could not be reached; try again',
      'issuer_unreachable',
      'http://10.1.2.3:8080/.well-known/openid-configuration: ECONNREFUSED'
    )
    leases = new Leases(
      parseConfig(CONFIG),
      store,
      wg,
      async () => {
        throw unreachable
      },
      (event, fields) => audit.push({ event, ...fields }),
      () => clock
    )
    await leases.start()
    const err = await leases.grant(token(), key(), 'c').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).status).toBe(503)
    expect((err as HttpError).code).toBe('issuer_unreachable')
    expect((err as HttpError).message).toBe('the token issuer could not be reached; try again')
    expect(audit.find((a) => a.event === 'lease.refused')?.reason).toBe(
      'the token issuer could not be reached; try again (http://10.1.2.3:8080/.well-known/openid-configuration: ECONNREFUSED)'
    )
  })
})

describe('gateway lease helpers', () => {
  it('decides a live lease’s fate', () => {
    const lease = { expiresAt: 3_600_000 }
    const K = 25_000
    expect(fate(lease, { at: 0 }, 60_000, 300_000, K)).toBe('keep')
    expect(fate(lease, { at: 0 }, 300_001, 300_000, K)).toBe('silent')
    expect(fate(lease, { at: 200_000 }, 400_000, 300_000, K)).toBe('keep')
    expect(fate(lease, { at: 3_500_000 }, 3_600_000, 300_000, K)).toBe('expired')
    // Restored: at least REJECT_AFTER (180 s) + two keepalives from the restoration, whatever silence says.
    expect(fate(lease, { at: 0, restoredAt: 100_000 }, 100_000 + 230_000, 10_000, K)).toBe('keep')
    expect(fate(lease, { at: 0, restoredAt: 100_000 }, 100_000 + 230_001, 10_000, K)).toBe('silent')
    expect(fate(lease, { at: 0, restoredAt: 100_000 }, 100_000 + 300_000, 300_000, K)).toBe('keep')
    expect(REJECT_AFTER_MS).toBe(180_000)
  })

  it('hears a peer by a newer handshake or more bytes received, from its grant or the gateway’s start', () => {
    const live = new Liveness(1000)
    const lease = { id: 'a', createdAt: 500 }
    expect(live.observe(lease, undefined, 2000)).toEqual({ at: 1000 })
    expect(live.observe(lease, { allowedIps: [], latestHandshake: 3, rxBytes: 148 }, 4000)).toEqual({
      at: 3000,
      rx: 148
    })
    // Only counted once a reading before it is known: 148 → 180 is a keepalive.
    expect(live.observe(lease, { allowedIps: [], latestHandshake: 3, rxBytes: 180 }, 9000).at).toBe(9000)
    expect(live.observe(lease, { allowedIps: [], latestHandshake: 3, rxBytes: 180 }, 12_000).at).toBe(9000)
    // Restored: counters start at 0; nothing is heard until the runner handshakes again.
    live.restored('a', 13_000)
    expect(live.observe(lease, { allowedIps: [], latestHandshake: 0, rxBytes: 0 }, 14_000)).toMatchObject({
      at: 9000,
      restoredAt: 13_000
    })
    expect(live.observe(lease, { allowedIps: [], latestHandshake: 15, rxBytes: 92 }, 16_000)).toEqual({
      at: 16_000,
      rx: 92
    })
    // A handshake stamped in the future (a clock step) is taken as now at most.
    expect(
      live.observe({ id: 'b', createdAt: 0 }, { allowedIps: [], latestHandshake: 99, rxBytes: 0 }, 20_000).at
    ).toBe(20_000)
  })
})

describe('gateway leases when the store cannot be written', () => {
  it('refuses new leases with 503 store_unavailable, and still takes peers off on release and expiry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgt-leases-'))
    const path = join(dir, 'wg0.db')
    store = new Store(path, () => clock)
    try {
      await make()
      const released = await leases.grant(token(), key(), 'c')
      const expiring = await leases.grant(token(), key(), 'c')
      const releasedKey = (await store.get(released.id))!.publicKey
      const expiringKey = (await store.get(expiring.id))!.publicKey
      const holder = await holdWriteLock(path)
      try {
        const err = await leases.grant(token(), key(), 'c').catch((e: unknown) => e)
        expect(err).toMatchObject({ status: 503, code: 'store_unavailable', message: STORE_UNAVAILABLE })
        expect(audit.filter((a) => a.event === 'lease.refused').pop()?.reason).toBe(
          `${STORE_UNAVAILABLE} (another process holds the store’s write lock (SQLITE_BUSY))`
        )
        // Release: the peer is gone before the answer; the record waits (false: not written yet).
        expect(await leases.release(released.id, released.secret, 'c')).toBe(false)
        expect(wg.peers_.has(releasedKey)).toBe(false)
        expect(await status(leases.release(released.id, released.secret, 'c'))).toBe(404)
        // Expiry: on time, whatever the store does.
        clock += 3_600_000
        await leases.sweep()
        expect(wg.peers_.has(expiringKey)).toBe(false)
        expect(audit.filter((a) => a.event === 'lease.ended').map((a) => a.reason)).toEqual(['released', 'expired'])
        expect(leases.storeHealth()).toMatchObject({ ok: false, pending: 4 })
      } finally {
        await holder.release()
      }
      clock += 1000
      await leases.sweep()
      expect(leases.storeHealth()).toEqual({ ok: true, pending: 0 })
      expect(await status(leases.grant(token(), key(), 'c'))).toBe(201)
      await store.close()
      // Written: a restart finds both ended and their peers gone.
      store = new Store(path, () => clock)
      expect(await store.get(released.id)).toMatchObject({ endReason: 'released', removed: true })
      expect(await store.get(expiring.id)).toMatchObject({ endReason: 'expired', removed: true })
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('gateway lease quotas', () => {
  it('holds a run and a repository to their quotas with 403, counting only live leases, using no token up', async () => {
    await make(CONFIG.replace('quota: { repository: 6 }', 'quota: { repository: 3, run: 2 }'))
    const a = await leases.grant(token(), key(), 'c')
    await leases.grant(token(), key(), 'c')
    // A third lease of run 77: over the run's quota, refused before the rate limit, its token kept.
    const third = token()
    expect(await status(leases.grant(third, key(), 'c'))).toBe(403)
    expect(audit.at(-1)).toMatchObject({
      event: 'lease.refused',
      status: 403,
      reason: expect.stringMatching(/^this workflow run holds 2 live leases, its quota \(quota\.run: 2\)/),
      repositoryId: '5678',
      runId: '77'
    })
    // Another run of the repository: one more, then the repository's quota.
    expect(await status(leases.grant(token({ run_id: '78' }), key(), 'c'))).toBe(201)
    expect(await status(leases.grant(token({ run_id: '79' }), key(), 'c'))).toBe(403)
    expect(String(audit.at(-1)?.reason)).toMatch(
      /^this repository holds 3 live leases, its quota \(quota\.repository: 3\)/
    )
    // Another repository has its own.
    expect(await status(leases.grant(token({ repository_id: '9', run_id: '1' }), key(), 'c'))).toBe(201)
    // A lease released frees its place: the refused token is granted now.
    await leases.release(a.id, a.secret, 'c')
    expect(await status(leases.grant(third, key(), 'c'))).toBe(201)
  })

  it('takes a rule’s own quota over the top-level one', async () => {
    await make(
      CONFIG.replace('quota: { repository: 6 }', 'quota: { repository: 1 }').replace(
        '  - claims: { repository_owner_id: "1234", ref: refs/heads/main }\n',
        '  - claims: { repository_owner_id: "1234", ref: refs/heads/main }\n    quota: { repository: 3, run: 3 }\n'
      )
    )
    for (let i = 0; i < 3; i++) expect(await status(leases.grant(token(), key(), 'c'))).toBe(201)
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(403)
    // The second rule (any ref of repository 5678) has the top-level quota of 1, and the repository holds 3.
    expect(await status(leases.grant(token({ ref: 'refs/heads/dev' }), key(), 'c'))).toBe(403)
  })

  it('revokes a live lease for an operator: the peer goes at once, the lease ends as revoked', async () => {
    const k = key()
    const g = await leases.grant(token(), k, 'c')
    expect(wg.peers_.has(k)).toBe(true)
    expect(await leases.revoke(g.id, 'control socket')).toBe(true)
    expect(wg.peers_.has(k)).toBe(false)
    expect(await store.get(g.id)).toMatchObject({ endReason: 'revoked', removed: true })
    expect(audit.at(-1)).toMatchObject({
      event: 'lease.ended',
      reason: 'revoked',
      client: 'control socket',
      lease: g.id
    })
    expect(await leases.revoke(g.id, 'control socket')).toBe(false)
    expect(await leases.revoke('00000000-0000-0000-0000-000000000000', 'control socket')).toBe(false)
    expect(await status(leases.release(g.id, g.secret, 'c'))).toBe(404)
  })

  it('counts the addresses the pool can still lease', async () => {
    // 10.0.0.0/29: six hosts, less the server (.1) and the foreign peer (.2).
    expect(leases.poolFree()).toBe(4)
    await leases.grant(token(), key(), 'c')
    expect(leases.poolFree()).toBe(3)
  })
})

describe('gateway leases and their firewall', () => {
  /** A firewall that writes what it is asked into one log with the interface's `wg set` batches. */
  const logged = (log: string[], fail = { admit: false }): Firewall => ({
    reconcile: async (open: () => readonly FirewallLease[]) => void log.push(`reconcile ${open().length}`),
    admit: async (ls: readonly FirewallLease[]) => {
      if (fail.admit) throw new Error('`nft -f -` failed: Error: Could not process rule')
      log.push(`admit ${ls.map((l) => `${l.addresses.join(',')}:rule_${l.rule}`).join(' ')}`)
    },
    forget: async (ls: readonly FirewallLease[]) =>
      void log.push(`forget ${ls.map((l) => l.addresses.join(',')).join(' ')}`)
  })
  const withWg = (log: string[]): void => {
    const apply = wg.apply.bind(wg)
    wg.apply = async (ops) => {
      await apply(ops)
      log.push(`wg ${ops.map((o) => o.kind).join(',')}`)
    }
  }

  it('lets a lease through before its peer is added and stops it after its peer is removed; reconciles at start and each sweep', async () => {
    const log: string[] = []
    withWg(log)
    await make(CONFIG, logged(log))
    const g = await leases.grant(token({ ref: 'refs/heads/dev' }), key(), 'c')
    await leases.release(g.id, g.secret, 'c')
    await leases.sweep()
    expect(log).toEqual([
      'reconcile 0',
      'reconcile 0',
      'admit 10.0.0.3/32:rule_1',
      'wg add',
      'wg remove',
      'forget 10.0.0.3/32',
      'reconcile 0'
    ])
  })

  it('adds no peer when the firewall cannot admit its lease: 500, and nothing is left', async () => {
    const log: string[] = []
    const fail = { admit: true }
    withWg(log)
    await make(CONFIG, logged(log, fail))
    const k = key()
    expect(await status(leases.grant(token(), k, 'c'))).toBe(500)
    expect(wg.peers_.has(k)).toBe(false)
    expect(log.filter((l) => l.startsWith('wg'))).toEqual([])
    expect(audit.find((a) => a.event === 'error')?.reason).toMatch(/^the firewall could not admit the lease: /)
    fail.admit = false
    await leases.sweep()
    expect(store.liveCount()).toBe(0)
    expect(log.at(-2)).toBe('forget 10.0.0.3/32')
  })
})

/**
 * A database that can be made unreachable (as PostgreSQL's connection refused), over SQLite in
 * memory; counts what reaches it, and says which leases ended elsewhere (a revoke at another gateway).
 */
class Flaky implements Backend {
  readonly label = 'postgres://gw@db/fleet'
  readonly code = 'database_unreachable' as const
  readonly readsWhenUnwritable = false
  readonly commitMayBeLost = true
  down = false
  calls = 0
  ended: { id: string; at: number; reason: string }[] = []
  private readonly db = new SqliteBackend(':memory:', () => clock)
  private async reach<T>(f: () => Promise<T>): Promise<T> {
    this.calls++
    if (this.down)
      throw Object.assign(new Error('connect ECONNREFUSED /tmp/pg/.s.PGSQL.5432'), { code: 'ECONNREFUSED' })
    return f()
  }
  initial = (): Lease[] => []
  bind = (iface: string, k: string): Promise<Lease[]> =>
    this.db.bind(iface, k, { name: iface, pool: [], endpoint: '' }).then(() => [])
  insert = (l: Lease, t: { jti: string; until: number } | undefined): Promise<boolean> =>
    this.reach(() => this.db.insert(l, t))
  write = (w: Write): Promise<void> => this.reach(() => this.db.write(w))
  get = (id: string): Promise<Lease | undefined> => this.reach(() => this.db.get(id))
  byKey = (k: string): Promise<Lease[]> => this.reach(() => this.db.byKey(k))
  lastByKey = (k: string): Promise<Lease | undefined> => this.reach(() => this.db.lastByKey(k))
  tokenUsed = (jti: string): Promise<boolean> => this.reach(() => this.db.tokenUsed(jti))
  prune = (now: number): Promise<void> => this.reach(() => this.db.prune(now))
  ping = (now: number): Promise<void> => this.reach(() => this.db.ping(now))
  unavailableReason = pgUnavailableReason
  endedElsewhere = (): Promise<{ id: string; at: number; reason: string }[]> => this.reach(async () => this.ended)
  fleet = (): Promise<never[]> => Promise.resolve([])
  endAnywhere = (): Promise<undefined> => Promise.resolve(undefined)
  close = (): Promise<void> => this.db.close()
}

describe('gateway leases when the database cannot be reached', () => {
  it('refuses new leases at once with 503 database_unreachable, takes peers off, and reconciles when it is back', async () => {
    const db = new Flaky()
    store = new Store(db, () => clock)
    await make()
    const live = await leases.grant(token(), key(), 'c')
    const released = await leases.grant(token(), key(), 'c')
    const revoked = await leases.grant(token(), key(), 'c')
    const keyOf = async (id: string): Promise<string> => (await store.get(id))!.publicKey
    const [liveKey, releasedKey, revokedKey] = [await keyOf(live.id), await keyOf(released.id), await keyOf(revoked.id)]
    db.down = true
    const err = await leases.grant(token(), key(), 'c').catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 503, code: 'database_unreachable', message: DATABASE_UNREACHABLE })
    expect(audit.filter((a) => a.event === 'lease.refused').pop()?.reason).toBe(
      `${DATABASE_UNREACHABLE} (PostgreSQL cannot be reached (ECONNREFUSED))`
    )
    expect(leases.storeHealth()).toMatchObject({ ok: false, code: 'database_unreachable' })
    // Known down: the next request does not try the database.
    const calls = db.calls
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(503)
    expect(db.calls).toBe(calls)
    // A release takes the peer off at once; its record waits.
    expect(await leases.release(released.id, released.secret, 'c')).toBe(false)
    expect(wg.peers_.has(releasedKey)).toBe(false)
    expect(wg.peers_.has(liveKey)).toBe(true)
    // Back: the writes are made, and a lease revoked elsewhere meanwhile ends here too.
    db.down = false
    db.ended = [{ id: revoked.id, at: clock, reason: 'revoked' }]
    clock += 1000
    await leases.sweep()
    expect(leases.storeHealth()).toEqual({ ok: true, pending: 0 })
    expect(wg.peers_.has(revokedKey)).toBe(false)
    expect(wg.peers_.has(liveKey)).toBe(true)
    expect(await store.get(released.id)).toMatchObject({ endReason: 'released', removed: true })
    expect(await store.get(revoked.id)).toMatchObject({ endReason: 'revoked', removed: true })
    expect(await status(leases.grant(token(), key(), 'c'))).toBe(201)
    await store.close()
  })
})
