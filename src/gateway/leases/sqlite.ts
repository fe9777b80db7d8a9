// The store on SQLite (node:sqlite, synchronous): the default, one process per file. Its queries, a
// lock that makes one process the store's only writer, and which failures mean "the store cannot be
// written now" (retry later) rather than a bug. The layer in memory over it is store.ts.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import {
  KEEP_ENDED_MS,
  leaseFromRow,
  type LeaseRow,
  StoreRefused,
  type Backend,
  type FleetLease,
  type GatewayInfo,
  type Lease,
  type Write
} from './backend.js'

export { StoreRefused, StoreUnavailable } from './backend.js'

/**
 * SQLite's primary result codes (https://www.sqlite.org/rescode.html) that say the store cannot be
 * written now, and what each means for the operator. Any other code is a bug and is thrown as is.
 */
const UNAVAILABLE: Record<number, string> = {
  5: 'another process holds the store’s write lock (SQLITE_BUSY)',
  6: 'the store is locked (SQLITE_LOCKED)',
  7: 'SQLite ran out of memory (SQLITE_NOMEM)',
  8: 'the store is read-only (SQLITE_READONLY)',
  10: 'the store’s disk failed to read or write (SQLITE_IOERR)',
  11: 'the store is corrupt (SQLITE_CORRUPT)',
  13: 'the store’s disk is full (SQLITE_FULL)',
  14: 'the store cannot be opened (SQLITE_CANTOPEN)',
  15: 'the store’s lock protocol failed (SQLITE_PROTOCOL)'
}

/** Why a node:sqlite error means the store cannot be written now; undefined for any other error. */
export function unavailableReason(err: unknown): string | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode
  if (typeof code !== 'number') return undefined
  return UNAVAILABLE[code & 0xff]
}

/**
 * Makes this process the one writer of the store at `path`: an exclusive SQLite lock on a small
 * database beside it (`PATH.lock`), taken without waiting and held by an open transaction for as
 * long as the returned connection lives. The lock is an fcntl lock, so the kernel releases it when
 * the process ends in any way (SIGKILL included): no stale lock file to clean up after a crash, and
 * it works across network and mount namespaces on one filesystem. (The store's own file cannot
 * carry it: a lock held on it would block the gateway's own writes.) `holder` names the process
 * that holds it, for the refusal. Throws StoreRefused when another process holds it.
 */
export function lockStore(path: string, holder: () => string | undefined): DatabaseSync {
  const lockPath = `${path}.lock`
  const db = new DatabaseSync(lockPath, { timeout: 0 })
  try {
    // No journal file beside the lock; nothing is ever written to it.
    db.exec('PRAGMA journal_mode = MEMORY')
    db.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    db.close()
    if ((unavailableReason(err) ?? '').includes('SQLITE_BUSY')) {
      const who = holder()
      throw new StoreRefused(
        `the store ${path} is in use by another gateway process${who ? ` (${who})` : ''}: one process per store. Stop the other one, or give this gateway its own "state"`
      )
    }
    throw new StoreRefused(
      `cannot lock the store ${path} (${lockPath}): ${err instanceof Error ? err.message : String(err)}`
    )
  }
  return db
}

/**
 * How long a write waits for SQLite's write lock. node:sqlite is synchronous: while it waits, nothing
 * else runs, so this is short; a write that cannot be made is retried later, not waited for.
 */
export const BUSY_TIMEOUT_MS = 50

type Query =
  | 'insert'
  | 'get'
  | 'byKey'
  | 'lastByKey'
  | 'delete'
  | 'open'
  | 'end'
  | 'removed'
  | 'useToken'
  | 'tokenUsed'
  | 'pruneTokens'
  | 'pruneLeases'
  | 'meta'
  | 'setMeta'

/** The SQLite backend: every method is synchronous inside (an insert is atomic in this process). */
export class SqliteBackend implements Backend {
  readonly code = 'store_unavailable' as const
  readonly readsWhenUnwritable = true
  readonly commitMayBeLost = false
  private readonly db: DatabaseSync
  private readonly lock: DatabaseSync | undefined
  private readonly q: Record<Query, StatementSync>
  private readonly loaded: Lease[]
  /** Leases endAnywhere ended, until endedElsewhere reports them. */
  private readonly endedHere = new Map<string, { id: string; at: number; reason: string }>()

  /**
   * Opens (or creates) the store at `path` (`:memory:` for tests): takes its lock first (throws
   * StoreRefused when another process holds it), then reads the current leases.
   */
  constructor(
    readonly label: string,
    private readonly now: () => number
  ) {
    const path = label
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
      this.lock = lockStore(path, () => this.holderOf(path))
    }
    try {
      this.db = new DatabaseSync(path)
      this.q = this.setUp()
      this.loaded = (this.q.open.all() as unknown as LeaseRow[]).map(leaseFromRow)
      if (this.lock) this.q.setMeta.run('holder', `pid ${process.pid}, since ${new Date(this.now()).toISOString()}`)
    } catch (err) {
      this.lock?.close()
      throw new StoreRefused(
        `cannot open the store ${path}: ${unavailableReason(err) ?? (err instanceof Error ? err.message : String(err))}`
      )
    }
  }

  initial(): Lease[] {
    return this.loaded.splice(0)
  }

  /** Creates the tables (when new) and prepares the queries. */
  private setUp(): Record<Query, StatementSync> {
    // WAL: a crash of this process loses no committed lease, and readers never wait for a writer;
    // NORMAL: no fsync per lease.
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};
      CREATE TABLE IF NOT EXISTS leases (
        id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        addresses TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        repository TEXT NOT NULL,
        repository_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        workflow_ref TEXT NOT NULL,
        rule INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT,
        removed INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX IF NOT EXISTS live_key ON leases (public_key) WHERE ended_at IS NULL;
      CREATE INDEX IF NOT EXISTS by_key ON leases (public_key);
      CREATE TABLE IF NOT EXISTS used_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `)
    const p = (sql: string): StatementSync => this.db.prepare(sql)
    return {
      insert: p(`INSERT INTO leases (id, public_key, addresses, secret_hash, repository, repository_id, run_id,
        workflow_ref, rule, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: p('SELECT * FROM leases WHERE id = ?'),
      byKey: p('SELECT * FROM leases WHERE public_key = ? ORDER BY created_at'),
      delete: p('DELETE FROM leases WHERE id = ?'),
      lastByKey: p('SELECT * FROM leases WHERE public_key = ? ORDER BY created_at DESC LIMIT 1'),
      open: p('SELECT * FROM leases WHERE ended_at IS NULL OR removed = 0 ORDER BY created_at'),
      end: p('UPDATE leases SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
      removed: p('UPDATE leases SET removed = 1 WHERE id = ?'),
      useToken: p('INSERT OR IGNORE INTO used_tokens (jti, expires_at) VALUES (?, ?)'),
      tokenUsed: p('SELECT 1 FROM used_tokens WHERE jti = ?'),
      pruneTokens: p('DELETE FROM used_tokens WHERE expires_at < ?'),
      pruneLeases: p('DELETE FROM leases WHERE removed = 1 AND ended_at < ?'),
      meta: p('SELECT value FROM meta WHERE key = ?'),
      setMeta: p('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
    }
  }

  /** Who holds the store at `path`, as its holder wrote it (best effort: undefined when unreadable). */
  private holderOf(path: string): string | undefined {
    try {
      const db = new DatabaseSync(path, { readOnly: true, timeout: BUSY_TIMEOUT_MS })
      try {
        const r = db.prepare("SELECT value FROM meta WHERE key = 'holder'").get() as { value: string } | undefined
        return r?.value
      } finally {
        db.close()
      }
    } catch {
      return undefined
    }
  }

  /** Binds the file to the interface and its key at first use; later refuses (StoreRefused) any other. */
  bind(iface: string, publicKey: string, _info: GatewayInfo): Promise<undefined> {
    const meta = (k: string): string | undefined => (this.q.meta.get(k) as { value: string } | undefined)?.value
    const boundIface = meta('interface')
    const boundKey = meta('public_key')
    if (boundIface === undefined || boundKey === undefined) {
      this.q.setMeta.run('interface', iface)
      this.q.setMeta.run('public_key', publicKey)
      return Promise.resolve(undefined)
    }
    if (boundIface === iface && boundKey === publicKey) return Promise.resolve(undefined)
    const hint =
      boundIface === iface
        ? `: the interface's key changed, and the leases in this store are for its old key. Move the store aside to start afresh`
        : `. Give each gateway its own "state" (by default /var/lib/wireguard-gateway/INTERFACE.db)`
    return Promise.reject(
      new StoreRefused(
        `the store ${this.label} belongs to the gateway of interface "${boundIface}" (public key ${boundKey}); this gateway serves "${iface}" (public key ${publicKey})${hint}`
      )
    )
  }

  /** One process writes the file: the layer above counted quotas in memory already. */
  insert(l: Lease, token: { jti: string; until: number } | undefined): Promise<boolean> {
    return this.sync(() => {
      this.db.exec('BEGIN IMMEDIATE')
      try {
        if (token && this.q.useToken.run(token.jti, token.until).changes !== 1) {
          this.db.exec('ROLLBACK')
          return false
        }
        this.q.insert.run(
          l.id,
          l.publicKey,
          JSON.stringify(l.addresses),
          l.secretHash,
          l.repository,
          l.repositoryId,
          l.runId,
          l.workflowRef,
          l.rule,
          l.createdAt,
          l.expiresAt
        )
        this.db.exec('COMMIT')
        return true
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK')
        throw err
      }
    })
  }

  write(w: Write): Promise<void> {
    return this.sync(() => {
      const args: SQLInputValue[] = w.kind === 'end' ? [w.at, w.reason, w.id] : [w.id]
      this.q[w.kind === 'end' ? 'end' : w.kind === 'removed' ? 'removed' : 'delete'].run(...args)
    })
  }

  get(id: string): Promise<Lease | undefined> {
    return this.sync(() => {
      const r = this.q.get.get(id) as LeaseRow | undefined
      return r && leaseFromRow(r)
    })
  }

  byKey(publicKey: string): Promise<Lease[]> {
    return this.sync(() => (this.q.byKey.all(publicKey) as unknown as LeaseRow[]).map(leaseFromRow))
  }

  lastByKey(publicKey: string): Promise<Lease | undefined> {
    return this.sync(() => {
      const r = this.q.lastByKey.get(publicKey) as LeaseRow | undefined
      return r && leaseFromRow(r)
    })
  }

  tokenUsed(jti: string): Promise<boolean> {
    return this.sync(() => this.q.tokenUsed.get(jti) !== undefined)
  }

  prune(now: number): Promise<void> {
    return this.sync(() => {
      this.q.pruneTokens.run(now)
      this.q.pruneLeases.run(now - KEEP_ENDED_MS)
    })
  }

  ping(now: number): Promise<void> {
    return this.sync(() => void this.q.setMeta.run('checked', String(now)))
  }

  unavailableReason(err: unknown): string | undefined {
    return unavailableReason(err)
  }

  /**
   * Of `ids`, those endAnywhere ended in the file. One process writes the file, so nothing else ends
   * a lease: those it ended are remembered, and no sweep reads the file for this.
   */
  endedElsewhere(ids: string[]): Promise<{ id: string; at: number; reason: string }[]> {
    const out = ids.flatMap((id) => this.endedHere.get(id) ?? [])
    for (const e of out) this.endedHere.delete(e.id)
    return Promise.resolve(out)
  }

  /** The file is one gateway's: its leases, named by the interface it is bound to. */
  fleet(): Promise<FleetLease[]> {
    return this.sync(() => {
      const meta = (k: string): string => (this.q.meta.get(k) as { value: string } | undefined)?.value ?? ''
      const gateway = {
        gatewayKey: meta('public_key'),
        gatewayName: meta('interface'),
        gatewayInterface: meta('interface')
      }
      return (
        this.db
          .prepare('SELECT * FROM leases WHERE ended_at IS NULL ORDER BY created_at')
          .all() as unknown as LeaseRow[]
      ).map((r) => ({
        ...leaseFromRow(r),
        ...gateway
      }))
    })
  }

  /** Ends a live lease in the file; every lease in it is this gateway's, so the answer is its key. */
  endAnywhere(id: string, reason: string, now: number): Promise<string | undefined> {
    return this.sync(() => {
      if (this.q.end.run(now, reason, id).changes !== 1) return undefined
      this.endedHere.set(id, { id, at: now, reason })
      return (this.q.meta.get('public_key') as { value: string } | undefined)?.value
    })
  }

  close(): Promise<void> {
    this.db.close()
    this.lock?.close()
    return Promise.resolve()
  }

  /** A synchronous query as a promise (its error a rejection). */
  private sync<T>(f: () => T): Promise<T> {
    // An executor that throws rejects the promise with what it threw (node:sqlite's error, as is).
    return new Promise((resolve) => resolve(f()))
  }
}
