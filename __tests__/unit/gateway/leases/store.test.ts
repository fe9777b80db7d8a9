// The store, the same tests on both backends: SQLite files, and PostgreSQL (a cluster of the test's
// own, lab/postgres.mjs, one database per test). Then what only one backend has: SQLite's binding and
// one-process lock; PostgreSQL's fleet (token ids and quotas shared by gateways with different keys,
// pools that overlap refused, migrations by gateways starting at once, a password never in the URL,
// PGPASSWORD) and its outage (new leases refused at once; ends kept and written once it is back).
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import {
  KeyLeased,
  QuotaExceeded,
  RETRY_MS,
  Store,
  StoreRefused,
  StoreUnavailable,
  type Lease
} from '../../../../src/gateway/leases/store.js'
import { PostgresBackend, redactUrl, SCHEMA_VERSION } from '../../../../src/gateway/leases/postgres.js'
import { postgresBin, startPostgres, type Postgres } from '../../../../lab/postgres.mjs'
import { holdWriteLock } from './locker.js'

const dirs: string[] = []
const stores: Store[] = []
let clock = 1_800_000_000_000
let pg: Postgres | undefined
let databases = 0

/** PostgreSQL runs here when Debian's package is installed (.ci/run installs it). */
const KINDS = postgresBin() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)
type Kind = 'sqlite' | 'postgres'
/** The role that logs in by peer authentication: root's gateways, or the user running the tests. */
const ROLE = process.getuid?.() === 0 ? 'root' : userInfo().username

beforeAll(async () => {
  if (KINDS.length === 2) pg = await startPostgres()
}, 60_000)

afterAll(() => pg?.close())

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined)
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function storePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wgt-store-'))
  dirs.push(dir)
  return join(dir, 'wg0.db')
}

/** A fresh store's `state`: a SQLite path, or a new database of the test cluster. */
function freshState(kind: Kind): string {
  if (kind === 'sqlite') return storePath()
  const cluster = pg as Postgres
  cluster.createDatabase(`t${++databases}`)
  return cluster.url(`t${databases}`, ROLE)
}

function open(state: string): Store {
  const s = new Store(state, () => clock)
  stores.push(s)
  return s
}

async function close(s: Store): Promise<void> {
  stores.splice(stores.indexOf(s), 1)
  await s.close()
}

/** A store bound to a gateway (on PostgreSQL: registered, with its own pool). */
async function gateway(state: string, key = 'KEY-A=', pool = ['10.0.0.0/24']): Promise<Store> {
  const s = open(state)
  await s.bind(`wg-${key.slice(4, 5).toLowerCase()}`, key, { name: `gw-${key}`, pool, endpoint: 'gw:51820' })
  return s
}

let n = 0
function lease(over: Partial<Lease> = {}): Lease {
  n++
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    publicKey: `key${n}`,
    addresses: [`10.0.0.${n % 250}/32`],
    secretHash: 'ab',
    repository: 'octo/app',
    repositoryId: '5678',
    runId: '1',
    workflowRef: 'w',
    rule: 0,
    createdAt: clock,
    expiresAt: clock + 3_600_000,
    removed: false,
    ...over
  }
}

const token = (jti: string): { jti: string; until: number } => ({ jti, until: clock + 60_000 })

describe.each(KINDS)('gateway store on %s', (kind) => {
  it('writes a lease with its token once; keeps current leases in memory across a reopening', async () => {
    const state = freshState(kind)
    const s = await gateway(state)
    const a = lease()
    expect(await s.insert(a, token('j1'))).toBe(true)
    expect(await s.insert(lease(), token('j1'))).toBe(false)
    expect(await s.tokenUsed('j1')).toBe(true)
    expect(await s.tokenUsed('j2')).toBe(false)
    expect(s.liveByKey(a.publicKey)?.id).toBe(a.id)
    await expect(s.insert(lease({ publicKey: a.publicKey }), token('j3'))).rejects.toThrow(KeyLeased)
    expect(s.liveCount()).toBe(1)
    expect(s.end(a.id, 'released', clock)).toBe(true)
    expect(s.end(a.id, 'released', clock)).toBe(false)
    expect(await s.flush()).toBe(true)
    await close(s)
    const again = await gateway(state)
    expect(again.open().map((l) => [l.id, l.endReason])).toEqual([[a.id, 'released']])
    again.markRemoved(a.id)
    expect(await again.flush()).toBe(true)
    expect(again.open()).toEqual([])
    expect(await again.get(a.id)).toMatchObject({ endReason: 'released', removed: true })
    expect((await again.byKey(a.publicKey)).map((l) => l.id)).toEqual([a.id])
    expect((await again.lastByKey(a.publicKey))?.id).toBe(a.id)
  })

  it('holds a repository and a run to their quotas, counting leases being inserted, using no token up', async () => {
    const s = await gateway(freshState(kind))
    const quota = { repository: 3, run: 2 }
    const results = await Promise.allSettled([1, 2, 3].map((i) => s.insert(lease(), token(`q${i}`), quota)))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(QuotaExceeded)
    expect(await s.tokenUsed('q3')).toBe(false)
    expect(await s.insert(lease({ runId: '2' }), token('q4'), quota)).toBe(true)
    await expect(s.insert(lease({ runId: '3' }), token('q5'), quota)).rejects.toThrow(/quota\.repository: 3/)
    expect(s.liveCounts('5678', '1')).toEqual({ repository: 3, run: 2 })
  })

  it('lists the live leases with their gateway; ends one by id in the store, which the sweep then learns', async () => {
    const s = await gateway(freshState(kind))
    const a = lease()
    const b = lease({ createdAt: clock + 1 })
    await s.insert(a)
    await s.insert(b)
    expect((await s.fleet()).map((l) => [l.id, l.gatewayKey])).toEqual([
      [a.id, 'KEY-A='],
      [b.id, 'KEY-A=']
    ])
    expect(await s.endAnywhere(a.id, 'revoked', clock)).toBe('KEY-A=')
    expect(await s.endAnywhere(a.id, 'revoked', clock)).toBeUndefined()
    expect(await s.endedElsewhere()).toEqual([{ id: a.id, at: clock, reason: 'revoked' }])
    expect((await s.fleet()).map((l) => l.id)).toEqual([b.id])
  })

  it('forgets a lease whose peer was never added; prunes what is old', async () => {
    const s = await gateway(freshState(kind))
    const a = lease()
    await s.insert(a, { jti: 'old', until: clock - 1 })
    s.delete(a.id)
    expect(await s.flush()).toBe(true)
    expect(await s.get(a.id)).toBeUndefined()
    expect(await s.tokenUsed('old')).toBe(true)
    // Used token ids are kept 10 minutes past their expiry (clocks of a fleet may differ).
    await s.prune(clock + 10 * 60_000 + 1)
    expect(await s.tokenUsed('old')).toBe(false)
    expect(await s.endedElsewhere()).toEqual([])
  })
})

describe('gateway store on SQLite', () => {
  it('is bound to the interface and key that made it, and refuses another naming both', async () => {
    const path = storePath()
    const s = open(path)
    await s.bind('prod', 'KEY-PROD=')
    await s.bind('prod', 'KEY-PROD=')
    await close(s)
    const again = open(path)
    await expect(again.bind('staging', 'KEY-STAGING=')).rejects.toThrow(StoreRefused)
    await expect(again.bind('staging', 'KEY-STAGING=')).rejects.toThrow(
      `the store ${path} belongs to the gateway of interface "prod" (public key KEY-PROD=); this gateway serves "staging" (public key KEY-STAGING=). Give each gateway its own "state" (by default /var/lib/wireguard-gateway/INTERFACE.db)`
    )
    await expect(again.bind('prod', 'NEW-KEY=')).rejects.toThrow(/interface's key changed/)
  })

  it('is held by one process at a time: a second opening is refused in one line, the first closing frees it', async () => {
    const path = storePath()
    const s = open(path)
    let err: unknown
    try {
      open(path)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(StoreRefused)
    expect((err as Error).message).toMatch(
      new RegExp(
        `^the store ${path} is in use by another gateway process \\(pid ${process.pid}, since .*\\): one process per store\\.`
      )
    )
    expect((err as Error).message).not.toContain('\n')
    await close(s)
    expect(open(path).liveCount()).toBe(0)
  })

  it('with its write lock held elsewhere: refuses new leases at once, ends leases in memory, writes them once free', async () => {
    const path = storePath()
    const s = open(path)
    const a = lease()
    await s.insert(a, { jti: 'ja', until: clock + 1000 })
    const holder = await holdWriteLock(path)
    try {
      // The token is not used up by a refused lease.
      await expect(s.insert(lease(), { jti: 'jb', until: clock + 1000 })).rejects.toThrow(StoreUnavailable)
      expect(await s.tokenUsed('jb')).toBe(false)
      expect(s.health()).toEqual({
        ok: false,
        reason: 'another process holds the store’s write lock (SQLITE_BUSY)',
        pending: 0,
        code: 'store_unavailable'
      })
      // Within RETRY_MS of a failure nothing is tried (nothing waits on the lock).
      await expect(s.insert(lease(), { jti: 'jc', until: clock + 1000 })).rejects.toThrow(/SQLITE_BUSY/)
      // Ending needs no write: it is live for no one at once, and its write waits.
      expect(s.end(a.id, 'released', clock)).toBe(true)
      s.markRemoved(a.id)
      expect(s.liveCount()).toBe(0)
      expect(s.liveByKey(a.publicKey)).toBeUndefined()
      expect(s.open()).toEqual([])
      expect(await s.flush()).toBe(false)
      clock += RETRY_MS
      expect(await s.flush()).toBe(false)
      expect(s.health()).toMatchObject({ ok: false, pending: 2 })
      // Reads go on (WAL readers never wait for a writer).
      expect(await s.tokenUsed('ja')).toBe(true)
    } finally {
      await holder.release()
    }
    clock += RETRY_MS
    expect(await s.flush()).toBe(true)
    expect(s.health()).toEqual({ ok: true, pending: 0 })
    await close(s)
    expect(await open(path).get(a.id)).toMatchObject({ endReason: 'released', removed: true })
  })
})

const onPostgres = KINDS.length === 2 ? describe : describe.skip

onPostgres('gateway store on PostgreSQL: a fleet', () => {
  it('uses a token once across the fleet; each gateway reads and ends only its own leases', async () => {
    const state = freshState('postgres')
    const a = await gateway(state, 'KEY-A=', ['10.0.0.0/24'])
    const b = await gateway(state, 'KEY-B=', ['10.0.1.0/24'])
    const la = lease()
    expect(await a.insert(la, token('shared'))).toBe(true)
    expect(await b.insert(lease(), token('shared'))).toBe(false)
    expect(await b.tokenUsed('shared')).toBe(true)
    // The same runner key may hold a lease at each gateway (their interfaces differ).
    const lb = lease({ publicKey: la.publicKey })
    expect(await b.insert(lb, token('other'))).toBe(true)
    expect(await b.get(la.id)).toBeUndefined()
    expect((await b.byKey(la.publicKey)).map((l) => l.id)).toEqual([lb.id])
    // The fleet's view, with each lease's gateway.
    const fleet = await a.fleet()
    expect(fleet.map((l) => [l.id, l.gatewayKey, l.gatewayName, l.gatewayInterface])).toEqual([
      [la.id, 'KEY-A=', 'gw-KEY-A=', 'wg-a'],
      [lb.id, 'KEY-B=', 'gw-KEY-B=', 'wg-b']
    ])
    // A revoke at B of A's lease: the database says it ended; A learns it (the sweep's fallback).
    expect(await b.endAnywhere(la.id, 'revoked', clock)).toBe('KEY-A=')
    expect(await b.endAnywhere(la.id, 'revoked', clock)).toBeUndefined()
    expect(await a.endedElsewhere()).toEqual([{ id: la.id, at: clock, reason: 'revoked' }])
    expect(await b.endedElsewhere()).toEqual([])
  })

  it('counts quotas across the fleet inside the insert: concurrent grants at two gateways never pass it', async () => {
    const state = freshState('postgres')
    const a = await gateway(state, 'KEY-A=', ['10.0.0.0/24'])
    const b = await gateway(state, 'KEY-B=', ['10.0.1.0/24'])
    const quota = { repository: 3, run: 3 }
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).insert(lease(), token(`c${i}`), quota))
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(QuotaExceeded)
    expect(a.liveCount() + b.liveCount()).toBe(3)
    // Another repository is not counted.
    expect(await a.insert(lease({ repositoryId: '9' }), token('c-other'), quota)).toBe(true)
  })

  it('refuses at start a pool that overlaps another gateway’s, naming both', async () => {
    const state = freshState('postgres')
    await gateway(state, 'KEY-A=', ['10.0.0.0/24', 'fd00::/64'])
    const err = await gateway(state, 'KEY-B=', ['10.0.0.128/25']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreRefused)
    expect((err as Error).message).toBe(
      `the pool 10.0.0.128/25 of this gateway "gw-KEY-B=" (interface wg-b, key KEY-B=) overlaps the pool 10.0.0.0/24 of gateway "gw-KEY-A=" (interface wg-a, key KEY-A=) in ${state}: give each gateway of a fleet its own pool (a gateway gone for good: delete its row from "gateways" once it holds no live lease)`
    )
    await expect(gateway(state, 'KEY-C=', ['10.0.1.0/24', 'fd00:0:0:0:1::/80'])).rejects.toThrow(
      /the pool fd00:0:0:0:1::\/80 of this gateway .* overlaps the pool fd00::\/64/
    )
    // The same gateway again (a restart, or its standby) is itself, not an overlap.
    await gateway(state, 'KEY-A=', ['10.0.0.0/24'])
    await gateway(state, 'KEY-D=', ['10.0.2.0/24'])
  })

  it('creates and migrates its schema once, however many gateways start at once', async () => {
    const state = freshState('postgres')
    const keys = ['KEY-1=', 'KEY-2=', 'KEY-3=', 'KEY-4=']
    await Promise.all(keys.map((k, i) => gateway(state, k, [`10.0.${i}.0/24`])))
    const db = /\/(t[0-9]+)\?/.exec(state)?.[1] as string
    expect((pg as Postgres).psql('SELECT version FROM schema_version ORDER BY version', db).trim()).toBe(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1).join('\n')
    )
    expect((pg as Postgres).psql('SELECT count(*) FROM gateways', db).trim()).toBe('4')
  })

  it('while unreachable: refuses new leases at once, ends leases in memory, writes them once it is back', async () => {
    const cluster = await startPostgres({ database: 'outage' })
    try {
      const state = cluster.url('outage', ROLE)
      const s = await gateway(state)
      const a = lease()
      expect(await s.insert(a, token('ja'))).toBe(true)
      cluster.stop()
      await expect(s.insert(lease(), token('jb'))).rejects.toMatchObject({
        name: 'StoreUnavailable',
        code: 'database_unreachable'
      })
      // The refused insert's deletion waits: the database might have committed it unheard.
      expect(s.health()).toMatchObject({ ok: false, code: 'database_unreachable', pending: 1 })
      expect(s.health().reason).toMatch(/^PostgreSQL cannot be reached/)
      // Known down: the next request is refused without trying the database.
      const tried = jest.spyOn(s.backend, 'insert')
      await expect(s.insert(lease(), token('jc'))).rejects.toThrow(StoreUnavailable)
      await expect(s.tokenUsed('jc')).rejects.toThrow(StoreUnavailable)
      expect(tried).not.toHaveBeenCalled()
      // Ends go on in memory; reads of other leases fall back to memory.
      expect(s.end(a.id, 'released', clock)).toBe(true)
      s.markRemoved(a.id)
      expect(s.liveCount()).toBe(0)
      expect(s.open()).toEqual([])
      expect(await s.get(a.id)).toMatchObject({ endReason: 'released' })
      clock += RETRY_MS
      expect(await s.flush()).toBe(false)
      expect(s.health()).toMatchObject({ ok: false, pending: 3 })
      cluster.start()
      clock += RETRY_MS
      expect(await s.flush()).toBe(true)
      expect(s.health()).toEqual({ ok: true, pending: 0 })
      expect(cluster.psql("SELECT end_reason, removed FROM leases WHERE id = '" + a.id + "'", 'outage').trim()).toBe(
        'released|t'
      )
      expect(await s.insert(lease(), token('jd'))).toBe(true)
      await close(s)
    } finally {
      cluster.close()
    }
  }, 60_000)

  it('refuses a URL that holds a password, and never shows it', () => {
    const url = 'postgres://gw:s3cret@db.example/fleet'
    expect(() => new Store(url)).toThrow(StoreRefused)
    expect(() => new Store(url)).toThrow(/PGPASSWORD or PGPASSFILE/)
    expect(() => new Store(url)).not.toThrow(/s3cret/)
    expect(() => new Store('postgres://gw@db.example/fleet?password=s3cret')).toThrow(/holds a password/)
    expect(redactUrl(url)).toBe('postgres://gw@db.example/fleet')
    // A password holding `/`, `@` or `#` (libpq reads up to the last `@`) is found and hidden too.
    for (const odd of [
      'postgres://gw:s3cr/et@db/fleet',
      'postgres://gw:a@b#c@db/fleet',
      'postgres://gw:x/y@/fleet?host=/run/pg'
    ]) {
      expect(() => new Store(odd)).toThrow(/holds a password/)
      expect(redactUrl(odd)).not.toMatch(/s3cr|et@|a@b|x\/y/)
    }
  })

  it('logs in with PGPASSWORD (role gateway_pw); without it, is refused naming the cause', async () => {
    const cluster = pg as Postgres
    cluster.psql('CREATE DATABASE pw OWNER gateway_pw;')
    const state = cluster.url('pw', 'gateway_pw')
    const saved = process.env.PGPASSWORD
    try {
      process.env.PGPASSWORD = 'wrong'
      const err = await gateway(state).catch((e: unknown) => e)
      expect((err as Error).message).toMatch(
        /^cannot use the database postgres:\/\/gateway_pw@\/pw.*password authentication failed/
      )
      process.env.PGPASSWORD = cluster.password
      const s = await gateway(state)
      expect(await s.insert(lease(), token('pw1'))).toBe(true)
      expect(s.backend).toBeInstanceOf(PostgresBackend)
      expect((s.backend as PostgresBackend).connection.connectionString).toBe(state)
      // PGPASSFILE, as libpq reads it (0600; node-postgres compares the host field with the socket
      // folder, so `*` serves both).
      delete process.env.PGPASSWORD
      const file = join(mkdtempSync(join(tmpdir(), 'wgt-pgpass-')), 'pgpass')
      dirs.push(dirname(file))
      writeFileSync(file, `*:*:pw:gateway_pw:${cluster.password}\n`, { mode: 0o600 })
      process.env.PGPASSFILE = file
      const viaFile = await gateway(state)
      expect(await viaFile.insert(lease(), token('pw2'))).toBe(true)
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD
      else process.env.PGPASSWORD = saved
      delete process.env.PGPASSFILE
    }
  })
})
