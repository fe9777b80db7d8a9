// The store on real SQLite files: bound to the interface and key that made it, held by one process,
// and, while another process holds its write lock, refusing new leases at once while ends of leases
// are kept in memory and written once the lock is free.
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RETRY_MS, Store, StoreRefused, StoreUnavailable, type Lease } from '../../../../src/gateway/leases/store.js'
import { holdWriteLock } from './locker.js'

const dirs: string[] = []
const stores: Store[] = []
let clock = 1_800_000_000_000

function storePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wgt-store-'))
  dirs.push(dir)
  return join(dir, 'wg0.db')
}

function open(path: string): Store {
  const s = new Store(path, () => clock)
  stores.push(s)
  return s
}

function close(s: Store): void {
  stores.splice(stores.indexOf(s), 1)
  s.close()
}

let n = 0
function lease(over: Partial<Lease> = {}): Lease {
  n++
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    publicKey: `key${n}`,
    addresses: [`10.0.0.${n}/32`],
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

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('gateway store', () => {
  it('is bound to the interface and key that made it, and refuses another naming both', () => {
    const path = storePath()
    const s = open(path)
    s.bind('prod', 'KEY-PROD=')
    s.bind('prod', 'KEY-PROD=')
    close(s)
    const again = open(path)
    expect(() => again.bind('staging', 'KEY-STAGING=')).toThrow(StoreRefused)
    expect(() => again.bind('staging', 'KEY-STAGING=')).toThrow(
      `the store ${path} belongs to the gateway of interface "prod" (public key KEY-PROD=); this gateway serves "staging" (public key KEY-STAGING=). Give each gateway its own "state" (by default /var/lib/wireguard-gateway/INTERFACE.db)`
    )
    expect(() => again.bind('prod', 'NEW-KEY=')).toThrow(/interface's key changed/)
  })

  it('is held by one process at a time: a second opening is refused in one line, the first closing frees it', () => {
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
    close(s)
    expect(open(path).liveCount()).toBe(0)
  })

  it('writes a lease with its token once; keeps current leases in memory across a reopening', () => {
    const path = storePath()
    const s = open(path)
    const a = lease()
    expect(s.insert(a, { jti: 'j1', until: clock + 1000 })).toBe(true)
    expect(s.insert(lease(), { jti: 'j1', until: clock + 1000 })).toBe(false)
    expect(s.tokenUsed('j1')).toBe(true)
    expect(s.liveByKey(a.publicKey)?.id).toBe(a.id)
    expect(s.liveCount()).toBe(1)
    expect(s.end(a.id, 'released', clock)).toBe(true)
    expect(s.end(a.id, 'released', clock)).toBe(false)
    expect(s.flush()).toBe(true)
    close(s)
    const again = open(path)
    expect(again.open().map((l) => [l.id, l.endReason])).toEqual([[a.id, 'released']])
    again.markRemoved(a.id)
    expect(again.flush()).toBe(true)
    expect(again.open()).toEqual([])
    expect(again.get(a.id)).toMatchObject({ endReason: 'released', removed: true })
  })

  it('with its write lock held elsewhere: refuses new leases at once, ends leases in memory, writes them once free', async () => {
    const path = storePath()
    const s = open(path)
    const a = lease()
    s.insert(a, { jti: 'ja', until: clock + 1000 })
    const holder = await holdWriteLock(path)
    try {
      // The token is not used up by a refused lease.
      expect(() => s.insert(lease(), { jti: 'jb', until: clock + 1000 })).toThrow(StoreUnavailable)
      expect(s.tokenUsed('jb')).toBe(false)
      expect(s.health()).toEqual({
        ok: false,
        reason: 'another process holds the store’s write lock (SQLITE_BUSY)',
        pending: 0
      })
      // Within RETRY_MS of a failure nothing is tried (nothing waits on the lock).
      expect(() => s.insert(lease(), { jti: 'jc', until: clock + 1000 })).toThrow(/SQLITE_BUSY/)
      // Ending needs no write: it is live for no one at once, and its write waits.
      expect(s.end(a.id, 'released', clock)).toBe(true)
      s.markRemoved(a.id)
      expect(s.liveCount()).toBe(0)
      expect(s.liveByKey(a.publicKey)).toBeUndefined()
      expect(s.open()).toEqual([])
      expect(s.flush()).toBe(false)
      clock += RETRY_MS
      expect(s.flush()).toBe(false)
      expect(s.health()).toMatchObject({ ok: false, pending: 2 })
      // Reads go on (WAL readers never wait for a writer).
      expect(s.tokenUsed('ja')).toBe(true)
    } finally {
      await holder.release()
    }
    expect(s.flush()).toBe(false) // still within RETRY_MS of the last try
    clock += RETRY_MS
    expect(s.flush()).toBe(true)
    expect(s.health()).toEqual({ ok: true, pending: 0 })
    close(s)
    expect(open(path).get(a.id)).toMatchObject({ endReason: 'released', removed: true })
  })
})
