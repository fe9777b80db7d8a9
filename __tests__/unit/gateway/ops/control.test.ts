// The control socket with the command line against it, on a real unix socket in a temporary directory:
// list, show, revoke (by id, repository, run), drain and undrain, each audited; the socket is 0600; a
// directory others can write, a second gateway on the same socket and a file in the way are refused;
// a stale socket is replaced.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { chmodSync, lstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Leases, Interface } from '../../../../src/gateway/leases/leases.js'
import { Store, type Lease } from '../../../../src/gateway/leases/store.js'
import { Gate } from '../../../../src/gateway/limits/gate.js'
import { Refusals } from '../../../../src/gateway/limits/refusals.js'
import { runCli } from '../../../../src/gateway/ops/cli.js'
import { serveControl } from '../../../../src/gateway/ops/control.js'
import type { PeerState } from '../../../../src/gateway/leases/peers.js'
import type { FleetDb, FleetLease } from '../../../../src/gateway/fleet/fleet.js'

let dir: string
let socket: string
let store: Store
let audit: { event: string; [k: string]: unknown }[]
let gate: Gate
let server: Server | undefined
const revoked: string[] = []

const NOW = Date.now()
const lease = (n: number, repository: string, runId: string): Lease => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  publicKey: `key-${n}`,
  addresses: [`10.0.0.${n}/32`],
  secretHash: 'x',
  repository,
  repositoryId: repository === 'octo/app' ? '5678' : '9',
  runId,
  workflowRef: `${repository}/.github/workflows/ci.yml@refs/heads/main`,
  rule: 0,
  createdAt: NOW - 60_000,
  expiresAt: NOW + 3_600_000,
  removed: false
})

const leases = {
  liveCount: () => store.liveCount(),
  revoke: async (id: string) => {
    revoked.push(id)
    return store.end(id, 'revoked', Date.now())
  }
} as unknown as Leases
const wg = {
  peers: async () =>
    new Map<string, PeerState>([
      ['key-1', { allowedIps: ['10.0.0.1/32'], latestHandshake: Math.floor(NOW / 1000) - 20 }]
    ])
} as unknown as Interface

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runCli(
    [...argv, '--socket', socket],
    (t) => (out += t),
    (t) => (err += t)
  )
  return { code, out, err }
}

const serve = (path = socket): Promise<Server> =>
  serveControl(path, { leases, store, wg, gate, audit: (event, f) => audit.push({ event, ...f }) })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wgt-control-'))
  socket = join(dir, 'run', 'wg0.sock')
  store = new Store(':memory:')
  audit = []
  revoked.length = 0
  gate = new Gate(
    new Refusals(
      60,
      () => undefined,
      (c) => c
    ),
    60
  )
  for (const l of [lease(1, 'octo/app', '4242'), lease(2, 'octo/app', '4243'), lease(3, 'octo/other', '77')])
    await store.insert(l)
  server = await serve()
})

afterEach(async () => {
  await new Promise((r) => server?.close(r))
  server = undefined
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('control socket', () => {
  it('is 0600 in a directory it made 0700', () => {
    expect(statSync(socket).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700)
  })

  it('lists live leases with their last handshake, and shows one', async () => {
    const list = await cli('leases', 'list')
    expect(list.code).toBe(0)
    expect(list.out.split('\n').slice(0, 2)).toEqual([
      '3 live leases',
      'ID                                    REPOSITORY  RUN   ADDRESSES    AGE  LAST HANDSHAKE'
    ])
    expect(list.out).toMatch(
      /00000000-0000-4000-8000-000000000001 {2}octo\/app {4}4242 {2}10\.0\.0\.1\/32 {2}1m {3}2\ds ago\n/
    )
    expect(list.out).toMatch(
      /00000000-0000-4000-8000-000000000003 {2}octo\/other {2}77 {4}10\.0\.0\.3\/32 {2}1m {3}never\n/
    )
    const json = JSON.parse((await cli('leases', 'list', '--json')).out)
    expect(json.leases).toHaveLength(3)
    expect(json.leases[0]).toMatchObject({ repositoryId: '5678', publicKey: 'key-1', addresses: ['10.0.0.1/32'] })
    const show = await cli('leases', 'show', '00000000-0000-4000-8000-000000000002')
    expect(show.out).toMatch(
      /^id: {13}00000000-0000-4000-8000-000000000002\nrepository: {5}octo\/app \(id 5678\)\nrun: {12}4243\n/
    )
    const missing = await cli('leases', 'show', '00000000-0000-4000-8000-000000000009')
    expect(missing).toMatchObject({
      code: 1,
      err: 'wireguard-gateway: no lease 00000000-0000-4000-8000-000000000009 (ended leases are kept for 7 days)\n'
    })
    expect(audit.map((a) => a.event)).toEqual(['operator.list', 'operator.list', 'operator.show', 'operator.show'])
    expect(audit[0]).toMatchObject({ client: 'control socket', leases: 3 })
  })

  it('revokes by id, by repository and by run, each audited with what it ended', async () => {
    expect((await cli('leases', 'revoke', '00000000-0000-4000-8000-000000000001')).out).toBe(
      'revoked 1 lease\n  00000000-0000-4000-8000-000000000001\n'
    )
    expect(await cli('leases', 'revoke', '00000000-0000-4000-8000-000000000001')).toMatchObject({
      code: 1,
      err: 'wireguard-gateway: no live lease 00000000-0000-4000-8000-000000000001\n'
    })
    expect((await cli('leases', 'revoke', '--run', '77')).out).toBe(
      'revoked 1 lease\n  00000000-0000-4000-8000-000000000003\n'
    )
    expect((await cli('leases', 'revoke', '--repository', '5678')).out).toBe(
      'revoked 1 lease\n  00000000-0000-4000-8000-000000000002\n'
    )
    expect((await cli('leases', 'revoke', '--repository', 'octo/app')).out).toBe('revoked 0 leases\n')
    expect(revoked).toEqual([1, 3, 2].map((n) => `00000000-0000-4000-8000-00000000000${n}`))
    expect(audit.filter((a) => a.event === 'operator.revoke').map((a) => [a.reason, a.count])).toEqual([
      ['revoke by id 00000000-0000-4000-8000-000000000001', 1],
      ['revoke by id 00000000-0000-4000-8000-000000000001', 0],
      ['revoke by run 77', 1],
      ['revoke by repository 5678', 1],
      ['revoke by repository octo/app', 0]
    ])
  })

  it("with PostgreSQL, lists the fleet with the gateway of each, and revokes another gateway's lease there", async () => {
    const theirs: FleetLease = {
      ...lease(4, 'octo/app', '4242'),
      createdAt: NOW - 120_000,
      gatewayKey: 'KEY-B',
      gatewayName: 'host-b/wg1',
      gatewayInterface: 'wg1'
    }
    const ended: string[] = []
    let down = false
    const db: FleetDb = {
      live: async () => {
        if (down) throw new Error('connect ECONNREFUSED')
        // This gateway's own leases come from its store, not from here.
        return [
          theirs,
          { ...lease(1, 'octo/app', '4242'), gatewayKey: 'KEY-A', gatewayName: 'gw-a', gatewayInterface: 'wg0' }
        ]
      },
      endAndNotify: async (id) => {
        ended.push(id)
        return ended.length === 1 ? 'KEY-B' : undefined
      }
    }
    await new Promise((r) => server?.close(r))
    server = await serveControl(socket, {
      leases,
      store,
      wg,
      gate,
      audit: (event, f) => audit.push({ event, ...f }),
      fleet: { self: 'KEY-A', name: 'gw-a', db }
    })
    const list = await cli('leases', 'list')
    expect(list.out.split('\n').slice(0, 3)).toEqual([
      '4 live leases in the fleet',
      'ID                                    GATEWAY     REPOSITORY  RUN   ADDRESSES    AGE  LAST HANDSHAKE',
      '00000000-0000-4000-8000-000000000004  host-b/wg1  octo/app    4242  10.0.0.4/32  2m   -'
    ])
    expect(list.out).toMatch(
      /00000000-0000-4000-8000-000000000001 {2}gw-a {8}octo\/app {4}4242 {2}10\.0\.0\.1\/32 {2}1m {3}2\ds ago\n/
    )
    const json = JSON.parse((await cli('leases', 'list', '--json')).out)
    expect(json.leases.map((l: { gateway: string }) => l.gateway)).toEqual(['host-b/wg1', 'gw-a', 'gw-a', 'gw-a'])
    // A lease of this gateway is ended here (the peer comes off at once); another's in the database.
    expect((await cli('leases', 'revoke', '00000000-0000-4000-8000-000000000001')).out).toBe(
      'revoked 1 lease\n  00000000-0000-4000-8000-000000000001\n'
    )
    expect(ended).toEqual([])
    expect((await cli('leases', 'revoke', '00000000-0000-4000-8000-000000000004')).out).toBe(
      'revoked 1 lease\n  00000000-0000-4000-8000-000000000004\n'
    )
    expect(ended).toEqual(['00000000-0000-4000-8000-000000000004'])
    expect(audit.find((a) => a.event === 'fleet.revoke-sent')).toMatchObject({
      lease: '00000000-0000-4000-8000-000000000004',
      gateway: 'host-b/wg1'
    })
    // Ended meanwhile (endAndNotify finds it no longer live): not found.
    expect(await cli('leases', 'revoke', '00000000-0000-4000-8000-000000000004')).toMatchObject({ code: 1 })
    // The database down: this gateway's leases only, said so; a revoke elsewhere fails naming why.
    down = true
    const partial = await cli('leases', 'list')
    expect(partial.out.split('\n').slice(0, 2)).toEqual([
      '2 live leases',
      "only this gateway's leases: the database cannot be read (connect ECONNREFUSED)"
    ])
    expect(await cli('leases', 'revoke', '--run', '4243')).toMatchObject({
      code: 1,
      err: 'wireguard-gateway: the database cannot be reached (connect ECONNREFUSED): revoked 1 lease(s) of this gateway only\n'
    })
    expect(revoked).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'])
  })

  it('drains and undrains', async () => {
    expect((await cli('drain')).out).toBe('draining: new leases are refused; 3 live\n')
    expect(gate.draining).toBe(true)
    expect((await cli('leases', 'list')).out).toMatch(/^3 live leases; draining: new leases are refused\n/)
    expect((await cli('undrain')).out).toBe('taking new leases; 3 live\n')
    expect(gate.draining).toBe(false)
    expect(audit.map((a) => a.event)).toEqual(['operator.drain', 'operator.list', 'operator.undrain'])
  })

  it('refuses a second gateway on the same socket, and replaces a stale one', async () => {
    await expect(serve()).rejects.toThrow(/another process serves .*wg0\.sock \(another gateway for this interface\?\)/)
    // A socket nobody answers on: its process was killed (SIGKILL leaves the file), replaced.
    const stale = join(dir, 'run', 'stale.sock')
    const child = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => console.log('ready'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    await new Promise((r) => child.stdout.once('data', r))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(lstatSync(stale).isSocket()).toBe(true)
    const second = await serve(stale)
    await new Promise((r) => second.close(r))
  })

  it('refuses a directory others can write and a path that is not a socket', async () => {
    const open = join(dir, 'open')
    await serve(join(open, 'x.sock')).then((s) => new Promise((r) => s.close(r)))
    chmodSync(open, 0o777)
    await expect(serve(join(open, 'y.sock'))).rejects.toThrow(
      /the directory .*open can be written by others \(mode 777/
    )
    writeFileSync(join(dir, 'run', 'file.sock'), '')
    await expect(serve(join(dir, 'run', 'file.sock'))).rejects.toThrow(
      /file\.sock exists and is not a socket; remove it/
    )
  })

  it('says so when no gateway answers', async () => {
    const r = await runCli(
      ['drain', '--socket', join(dir, 'none.sock')],
      () => undefined,
      (t) =>
        void expect(t).toMatch(
          /cannot reach the gateway at .*none\.sock \(ENOENT\): is it running, with this control-socket\?\n$/
        )
    )
    expect(r).toBe(1)
  })
})
