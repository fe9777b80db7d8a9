// Leases and used token ids in SQLite (node:sqlite), so that a restart loses nothing. A lease is written
// before its peer is added, so every peer the gateway ever added has a row; a row stays (ended, with
// `removed` = 0) until its peer is confirmed gone. Lease secrets are stored only as SHA-256 hashes.
//
// The leases that matter now (live, or ended with their peer perhaps still there) are also held in
// memory, and read from there: a grant or a sweep never scans the table, and a store that cannot be
// written (its write lock held elsewhere, its disk full) never stops a lease from ending. A new lease
// is written through (it must exist before its peer does); every other write (a lease's end, its
// peer's removal) is made in memory at once and written in order, retried every second until the
// store takes it. A store is bound to the interface (and its key) that made it, and written by one
// process, which holds its lock (sqlite.ts).
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import { lockStore, StoreRefused, StoreUnavailable, unavailableReason } from './sqlite.js'

export { StoreRefused, StoreUnavailable } from './sqlite.js'

export interface Lease {
  id: string
  publicKey: string
  addresses: string[]
  secretHash: string
  repository: string
  repositoryId: string
  runId: string
  workflowRef: string
  rule: number
  createdAt: number
  expiresAt: number
  endedAt?: number
  endReason?: string
  removed: boolean
}

interface Row {
  id: string
  public_key: string
  addresses: string
  secret_hash: string
  repository: string
  repository_id: string
  run_id: string
  workflow_ref: string
  rule: number
  created_at: number
  expires_at: number
  ended_at: number | null
  end_reason: string | null
  removed: number
}

const fromRow = (r: Row): Lease => ({
  id: r.id,
  publicKey: r.public_key,
  addresses: JSON.parse(r.addresses) as string[],
  secretHash: r.secret_hash,
  repository: r.repository,
  repositoryId: r.repository_id,
  runId: r.run_id,
  workflowRef: r.workflow_ref,
  rule: r.rule,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at ?? undefined,
  endReason: r.end_reason ?? undefined,
  removed: r.removed === 1
})

/** Ended leases whose peer is gone are kept this long (for the audit trail in the file), then pruned. */
const KEEP_ENDED_MS = 7 * 86_400_000

/**
 * How long a write waits for SQLite's write lock. node:sqlite is synchronous: while it waits, nothing
 * else runs, so this is short; a write that cannot be made is retried later, not waited for.
 */
export const BUSY_TIMEOUT_MS = 50
/** After a failed write, writes are not tried again (nor block anything) for this long. */
export const RETRY_MS = 1000

/** The store's state for /healthz: `pending` writes wait for a store that cannot take them now. */
export interface StoreHealth {
  ok: boolean
  reason?: string
  pending: number
}

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

/** A write kept for later: a prepared statement and its arguments. */
interface Write {
  query: Query
  args: SQLInputValue[]
}

export class Store {
  private readonly db: DatabaseSync
  private readonly lock: DatabaseSync | undefined
  private readonly q: Record<Query, StatementSync>
  /** Live leases, and ended ones whose peer may still be on the interface, by id (oldest first). */
  private readonly current = new Map<string, Lease>()
  /** Live lease id by public key. */
  private readonly liveKeys = new Map<string, string>()
  /** Live leases by repository id, and by repository id and run id (`ID\nRUN`): for quotas. */
  private readonly liveOfRepository = new Map<string, number>()
  private readonly liveOfRun = new Map<string, number>()
  /**
   * Leases no longer current whose writes still wait (null: deleted): the file is behind them until
   * those are made, and reads of them come from here.
   */
  private readonly settling = new Map<string, Lease | null>()
  private readonly pending: Write[] = []
  private failure: { reason: string; at: number } | undefined
  private retry: NodeJS.Timeout | undefined

  /**
   * Opens (or creates) the store at `path` (`:memory:` for tests): takes its lock first (throws
   * StoreRefused when another process holds it), then loads the current leases.
   */
  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now
  ) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
      this.lock = lockStore(path, () => this.holderOf(path))
    }
    try {
      this.db = new DatabaseSync(path)
      this.q = this.setUp()
      for (const r of this.q.open.all() as unknown as Row[]) this.remember(fromRow(r))
      if (this.lock) this.q.setMeta.run('holder', `pid ${process.pid}, since ${new Date(this.now()).toISOString()}`)
    } catch (err) {
      this.lock?.close()
      throw new StoreRefused(
        `cannot open the store ${path}: ${unavailableReason(err) ?? (err instanceof Error ? err.message : String(err))}`
      )
    }
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

  /**
   * Binds the store to the interface and its public key at first use; later, refuses (StoreRefused)
   * any other: the leases in it are peers of that interface, for runners that trust that key.
   */
  bind(iface: string, publicKey: string): void {
    const meta = (k: string): string | undefined => (this.q.meta.get(k) as { value: string } | undefined)?.value
    const boundIface = meta('interface')
    const boundKey = meta('public_key')
    if (boundIface === undefined || boundKey === undefined) {
      this.q.setMeta.run('interface', iface)
      this.q.setMeta.run('public_key', publicKey)
      return
    }
    if (boundIface === iface && boundKey === publicKey) return
    const hint =
      boundIface === iface
        ? `: the interface's key changed, and the leases in this store are for its old key. Move the store aside to start afresh`
        : `. Give each gateway its own "state" (by default /var/lib/wireguard-gateway/INTERFACE.db)`
    throw new StoreRefused(
      `the store ${this.path} belongs to the gateway of interface "${boundIface}" (public key ${boundKey}); this gateway serves "${iface}" (public key ${publicKey})${hint}`
    )
  }

  private remember(l: Lease): void {
    this.current.set(l.id, l)
    if (l.endedAt === undefined) {
      this.liveKeys.set(l.publicKey, l.id)
      this.countLive(l, 1)
    }
  }

  private countLive(l: Lease, by: 1 | -1): void {
    const add = (m: Map<string, number>, k: string): void => {
      const n = (m.get(k) ?? 0) + by
      if (n > 0) m.set(k, n)
      else m.delete(k)
    }
    add(this.liveOfRepository, l.repositoryId)
    if (l.runId !== '') add(this.liveOfRun, `${l.repositoryId}\n${l.runId}`)
  }

  private forget(id: string, deleted = false): void {
    const l = this.current.get(id)
    if (!l) return
    this.current.delete(id)
    this.settling.set(id, deleted ? null : l)
    if (l.endedAt === undefined) this.countLive(l, -1)
    if (this.liveKeys.get(l.publicKey) === id) this.liveKeys.delete(l.publicKey)
  }

  /** A copy: callers keep what they read, while the store's own record moves on. */
  private static copy(l: Lease): Lease {
    return { ...l }
  }

  /** A row read from SQLite, or the newer state in memory when the lease is current. */
  private merged(r: Row | undefined): Lease | undefined {
    if (!r) return undefined
    const m = this.current.get(r.id) ?? this.settling.get(r.id)
    if (m === null) return undefined
    return m ? Store.copy(m) : fromRow(r)
  }

  /**
   * Writes a new lease (and, with `token`, uses its id up) in one transaction, before its peer is
   * added. Returns false when the token was used already (nothing written). Throws StoreUnavailable
   * when the store cannot be written now (nothing written: the token is not used up).
   */
  insert(l: Lease, token?: { jti: string; until: number }): boolean {
    if (!this.flush()) throw new StoreUnavailable(this.failure?.reason ?? 'writes to the store are waiting')
    try {
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
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK')
        throw err
      }
    } catch (err) {
      throw this.failed(err)
    }
    this.remember(Store.copy(l))
    return true
  }

  get(id: string): Lease | undefined {
    const m = this.current.get(id) ?? this.settling.get(id)
    if (m !== undefined) return m === null ? undefined : Store.copy(m)
    return this.merged(this.q.get.get(id) as Row | undefined)
  }

  liveByKey(publicKey: string): Lease | undefined {
    const id = this.liveKeys.get(publicKey)
    const l = id === undefined ? undefined : this.current.get(id)
    return l && Store.copy(l)
  }

  /** The addresses of the live lease of a key, if any (no copy: for scans over every peer). */
  liveAddresses(publicKey: string): readonly string[] | undefined {
    const id = this.liveKeys.get(publicKey)
    return id === undefined ? undefined : this.current.get(id)?.addresses
  }

  /** Every lease of a key still kept (live, ended, not yet pruned), oldest first. */
  byKey(publicKey: string): Lease[] {
    return (this.q.byKey.all(publicKey) as unknown as Row[]).flatMap((r) => this.merged(r) ?? [])
  }

  /** The newest lease of a key, live or ended. */
  lastByKey(publicKey: string): Lease | undefined {
    return this.merged(this.q.lastByKey.get(publicKey) as Row | undefined)
  }

  /** Forgets a lease whose peer was never added. */
  delete(id: string): void {
    this.forget(id, true)
    this.later({ query: 'delete', args: [id] })
  }

  /** Live leases and ended ones whose peer may still be on the interface, oldest first. */
  open(): Lease[] {
    return [...this.current.values()].map((l) => Store.copy(l))
  }

  liveCount(): number {
    return this.liveKeys.size
  }

  /** Live leases of a repository (by id) and of one of its runs: what quotas count (from memory). */
  liveCounts(repositoryId: string, runId: string): { repository: number; run: number } {
    return {
      repository: this.liveOfRepository.get(repositoryId) ?? 0,
      run: runId === '' ? 0 : (this.liveOfRun.get(`${repositoryId}\n${runId}`) ?? 0)
    }
  }

  /**
   * Ends a live lease, at once in memory (it is no longer live for anyone asking); the write is
   * queued: `flush()` makes it. False when the lease was not live.
   */
  end(id: string, reason: string, now: number): boolean {
    const l = this.current.get(id)
    if (!l || l.endedAt !== undefined) return false
    l.endedAt = now
    l.endReason = reason
    this.countLive(l, -1)
    if (this.liveKeys.get(l.publicKey) === id) this.liveKeys.delete(l.publicKey)
    this.pending.push({ query: 'end', args: [now, reason, id] })
    return true
  }

  /** An ended lease's peer is gone: the lease is no longer current (written at the next flush). */
  markRemoved(id: string): void {
    const l = this.current.get(id)
    if (l && l.endedAt === undefined) return
    this.forget(id)
    this.pending.push({ query: 'removed', args: [id] })
  }

  /** True when a token id was used (and is kept: until the token could no longer verify). */
  tokenUsed(jti: string): boolean {
    return this.q.tokenUsed.get(jti) !== undefined
  }

  prune(now: number): void {
    if (!this.flush()) return
    try {
      this.q.pruneTokens.run(now)
      this.q.pruneLeases.run(now - KEEP_ENDED_MS)
    } catch (err) {
      this.failed(err)
    }
  }

  /**
   * Writes what waits, in order, unless a write failed within RETRY_MS (then nothing is tried, and
   * nothing blocks). True when nothing waits any more. While writes wait or the store is failing, it
   * is tried again every RETRY_MS (a cheap write when nothing waits, to learn that it recovered).
   */
  flush(): boolean {
    if (this.failure && this.now() - this.failure.at < RETRY_MS) {
      this.scheduleRetry()
      return false
    }
    try {
      if (this.pending.length === 0 && this.failure) this.q.setMeta.run('checked', String(this.now()))
      while (this.pending.length > 0) {
        const w = this.pending[0] as Write
        this.q[w.query].run(...w.args)
        this.pending.shift()
      }
      this.settling.clear()
    } catch (err) {
      this.failed(err)
      this.scheduleRetry()
      return false
    }
    this.failure = undefined
    return true
  }

  /** Is the store taking writes; why not; how many wait. */
  health(): StoreHealth {
    return this.failure
      ? { ok: false, reason: this.failure.reason, pending: this.pending.length }
      : { ok: true, pending: this.pending.length }
  }

  /** Queues a write and tries what waits. */
  private later(w: Write): void {
    this.pending.push(w)
    this.flush()
  }

  /** Records why a write failed (StoreUnavailable, returned for throwing); anything else is a bug, rethrown. */
  private failed(err: unknown): StoreUnavailable {
    const reason = unavailableReason(err)
    if (reason === undefined) throw err
    this.failure = { reason, at: this.now() }
    return new StoreUnavailable(reason)
  }

  private scheduleRetry(): void {
    if (this.retry) return
    this.retry = setTimeout(() => {
      this.retry = undefined
      if (this.pending.length > 0 || this.failure) this.flush()
    }, RETRY_MS)
    this.retry.unref()
  }

  /** Writes what it can, then closes the store (and releases its lock). */
  close(): void {
    if (this.retry) clearTimeout(this.retry)
    this.retry = undefined
    if (this.failure) this.failure.at = -Infinity
    this.flush()
    this.db.close()
    this.lock?.close()
  }
}
