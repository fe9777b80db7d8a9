// Leases and used token ids, kept so that a restart loses nothing: in SQLite (node:sqlite, the
// default: sqlite.ts) or in PostgreSQL shared by a fleet of gateways (postgres.ts). A lease is
// written before its peer is added, so every peer the gateway ever added has a row; a row stays
// (ended, with `removed` false) until its peer is confirmed gone. Lease secrets are stored only as
// SHA-256 hashes.
//
// This module is the layer both backends share. The leases that matter now (live, or ended with
// their peer perhaps still there) are held in memory, and read from there: a grant or a sweep never
// scans a table, and a store that cannot be written (SQLite's write lock held elsewhere, a disk full,
// PostgreSQL unreachable) never stops a lease from ending. A new lease is written through (it must
// exist before its peer does); every other write (a lease's end, its peer's removal) is made in
// memory at once and written in order, retried every second until the store takes it. While a write
// failed less than RETRY_MS ago the store is known to be down: new leases are refused at once, without
// waiting for the database. A store is bound to the interface (and its key) that made it.
import type { Quota } from '../settings.js'
import { quotaRefusal } from '../limits/quota.js'
import {
  KeyLeased,
  QuotaExceeded,
  StoreRefused,
  StoreUnavailable,
  type Backend,
  type FleetLease,
  type GatewayInfo,
  type Lease,
  type StoreHealth,
  type Write
} from './backend.js'
import { SqliteBackend } from './sqlite.js'
import { isPostgresUrl, PostgresBackend } from './postgres.js'

export {
  KEEP_ENDED_MS,
  KeyLeased,
  QuotaExceeded,
  StoreRefused,
  StoreUnavailable,
  type Backend,
  type FleetLease,
  type GatewayInfo,
  type Lease,
  type StoreHealth,
  type Write
} from './backend.js'

/** After a failed write, writes are not tried again (nor block anything) for this long. */
export const RETRY_MS = 1000

/** The backend for `state`: a postgres:// or postgresql:// URL, else a SQLite path (`:memory:` for tests). */
function backendFor(state: string, now: () => number): Backend {
  return isPostgresUrl(state) ? new PostgresBackend(state) : new SqliteBackend(state, now)
}

export class Store {
  private readonly db: Backend
  /** Live leases, and ended ones whose peer may still be on the interface, by id (oldest first). */
  private readonly current = new Map<string, Lease>()
  /** Live lease id by public key. */
  private readonly liveKeys = new Map<string, string>()
  /** Live leases by repository id, and by repository id and run id (`ID\nRUN`): for quotas. */
  private readonly liveOfRepository = new Map<string, number>()
  private readonly liveOfRun = new Map<string, number>()
  /** Leases being inserted (awaiting the store): they count for quotas and hold their key. */
  private readonly inserting = new Map<string, Lease>()
  /**
   * Leases no longer current whose writes still wait (null: deleted): the store is behind them until
   * those are made, and reads of them come from here.
   */
  private readonly settling = new Map<string, Lease | null>()
  private readonly pending: Write[] = []
  private failure: { reason: string; at: number } | undefined
  private retry: NodeJS.Timeout | undefined
  private flushing: Promise<boolean> | undefined
  private closed = false

  /**
   * Opens (or creates) the store for `state`: a SQLite path (takes its lock first: StoreRefused when
   * another process holds it; then loads the current leases) or a PostgreSQL URL (connects lazily;
   * `bind` creates or migrates the schema and loads this gateway's leases). Or a Backend (tests).
   */
  constructor(
    state: string | Backend,
    private readonly now: () => number = Date.now
  ) {
    this.db = typeof state === 'string' ? backendFor(state, now) : state
    for (const l of this.db.initial()) this.remember(l)
  }

  /** The store's name for messages (a path, or a URL without any password). */
  get label(): string {
    return this.db.label
  }

  /** The backend, for what only one has (PostgresBackend's connection settings). */
  get backend(): Backend {
    return this.db
  }

  /**
   * Binds the store to the interface and its public key; SQLite: at first use, later refusing
   * (StoreRefused) any other; PostgreSQL: registers the gateway in the fleet (refusing a pool that
   * overlaps another gateway's) and loads its current leases.
   */
  async bind(
    iface: string,
    publicKey: string,
    info: GatewayInfo = { name: iface, pool: [], endpoint: '' }
  ): Promise<void> {
    const loaded = await this.db.bind(iface, publicKey, info)
    if (loaded) {
      this.current.clear()
      this.liveKeys.clear()
      this.liveOfRepository.clear()
      this.liveOfRun.clear()
      for (const l of loaded) this.remember(l)
    }
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

  /** A lease read from the store, or the newer state in memory when the lease is current. */
  private merged(r: Lease | undefined): Lease | undefined {
    if (!r) return undefined
    const m = this.current.get(r.id) ?? this.settling.get(r.id)
    if (m === null) return undefined
    return m ? Store.copy(m) : r
  }

  private unavailable(): StoreUnavailable {
    return new StoreUnavailable(this.failure?.reason ?? 'writes to the store are waiting', this.db.code)
  }

  /**
   * Writes a new lease (and, with `token`, uses its id up) in one transaction, before its peer is
   * added. With `quota`, the lease must fit it: counted in memory first (this gateway's live leases
   * and those being inserted), then, on PostgreSQL, across the fleet inside the transaction. Resolves
   * false when the token was used already (nothing written). Throws QuotaExceeded, KeyLeased (the key
   * has a live lease), or StoreUnavailable when the store cannot be written now (at once while it is
   * known to be down; nothing written: the token is not used up).
   */
  async insert(l: Lease, token?: { jti: string; until: number }, quota?: Quota): Promise<boolean> {
    if (!(await this.flush())) throw this.unavailable()
    // From here to the backend's insert nothing awaits: the checks and the reservation are one step.
    if (this.liveKeys.has(l.publicKey) || [...this.inserting.values()].some((o) => o.publicKey === l.publicKey))
      throw new KeyLeased()
    if (quota) {
      const refusal = quotaRefusal(quota, this.liveCounts(l.repositoryId, l.runId))
      if (refusal !== undefined) throw new QuotaExceeded(refusal)
    }
    this.inserting.set(l.id, l)
    let fresh: boolean
    try {
      fresh = await this.db.insert(l, token, quota)
    } catch (err) {
      const failure = this.failed(err)
      // The database may have committed what the client never heard back about (a timeout or a
      // connection lost after COMMIT): that row would stay live, counted in quotas and restored at
      // the next start. Its deletion waits with the other writes (made before any new lease).
      if (this.db.commitMayBeLost) this.pending.push({ kind: 'delete', id: l.id })
      throw failure
    } finally {
      this.inserting.delete(l.id)
    }
    if (fresh) this.remember(Store.copy(l))
    return fresh
  }

  /** A lease by id: from memory when current, else from the store (undefined when it cannot be read now). */
  async get(id: string): Promise<Lease | undefined> {
    const m = this.current.get(id) ?? this.settling.get(id)
    if (m !== undefined) return m === null ? undefined : Store.copy(m)
    return this.merged(await this.read(() => this.db.get(id), undefined))
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

  /**
   * Every lease of a key still kept (live, ended, not yet pruned), oldest first. While the store
   * cannot be read: those in memory.
   */
  async byKey(publicKey: string): Promise<Lease[]> {
    const rows = await this.read(
      () => this.db.byKey(publicKey),
      [...this.current.values()].filter((l) => l.publicKey === publicKey)
    )
    return rows.flatMap((r) => this.merged(r) ?? [])
  }

  /** The newest lease of a key, live or ended (undefined while the store cannot be read). */
  async lastByKey(publicKey: string): Promise<Lease | undefined> {
    return this.merged(await this.read(() => this.db.lastByKey(publicKey), undefined))
  }

  /** A read that falls back to `otherwise` while the store is unavailable (and records that it is). */
  private async read<T>(query: () => Promise<T>, otherwise: T): Promise<T> {
    // Known down: answer at once (a sweep reads once per unleased peer; each would wait a timeout).
    if (this.down() && !this.db.readsWhenUnwritable) return otherwise
    try {
      return await query()
    } catch (err) {
      this.failed(err)
      this.scheduleRetry()
      return otherwise
    }
  }

  /** Forgets a lease whose peer was never added. */
  delete(id: string): void {
    this.forget(id, true)
    this.later({ kind: 'delete', id })
  }

  /** Live leases and ended ones whose peer may still be on the interface, oldest first. */
  open(): Lease[] {
    return [...this.current.values()].map((l) => Store.copy(l))
  }

  liveCount(): number {
    return this.liveKeys.size
  }

  /** Live leases of a repository (by id) and of one of its runs, with those being inserted: what quotas count here. */
  liveCounts(repositoryId: string, runId: string): { repository: number; run: number } {
    let repository = this.liveOfRepository.get(repositoryId) ?? 0
    let run = runId === '' ? 0 : (this.liveOfRun.get(`${repositoryId}\n${runId}`) ?? 0)
    for (const l of this.inserting.values()) {
      if (l.repositoryId !== repositoryId) continue
      repository++
      if (runId !== '' && l.runId === runId) run++
    }
    return { repository, run }
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
    this.pending.push({ kind: 'end', id, at: now, reason })
    return true
  }

  /** An ended lease's peer is gone: the lease is no longer current (written at the next flush). */
  markRemoved(id: string): void {
    const l = this.current.get(id)
    if (l && l.endedAt === undefined) return
    this.forget(id)
    this.pending.push({ kind: 'removed', id })
  }

  /**
   * True when a token id was used (and is kept: until the token could no longer verify); across the
   * fleet on PostgreSQL. Throws StoreUnavailable at once while the store is known to be down.
   */
  async tokenUsed(jti: string): Promise<boolean> {
    if (this.down() && !this.db.readsWhenUnwritable) throw this.unavailable()
    try {
      return await this.db.tokenUsed(jti)
    } catch (err) {
      throw this.failed(err)
    }
  }

  /**
   * Of this gateway's live leases, those the store says ended (revoked at another gateway, a
   * notification missed, or while the database was unreachable), with when and why. Empty while the
   * store cannot be read. `only`: of these ids alone (a revoke notice, checked before it is obeyed).
   * The caller ends them here (`end`) and takes their peers off.
   */
  async endedElsewhere(only?: readonly string[]): Promise<{ id: string; at: number; reason: string }[]> {
    const all = [...this.liveKeys.values()]
    const live = only === undefined ? all : all.filter((id) => only.includes(id))
    if (live.length === 0 || this.down()) return []
    return this.read(() => this.db.endedElsewhere(live), [])
  }

  /** Every live lease in the fleet's store, oldest first, with its gateway (`leases list`). SQLite: this gateway's. */
  async fleet(): Promise<FleetLease[]> {
    try {
      return await this.db.fleet()
    } catch (err) {
      throw this.failed(err)
    }
  }

  /**
   * Ends a live lease in the store, whichever gateway holds it (an operator's revoke at another
   * gateway); resolves the holding gateway's key, or undefined when no such lease is live. The caller
   * ends it in memory too when it is this gateway's (then its peer comes off here).
   */
  async endAnywhere(id: string, reason: string, now: number): Promise<string | undefined> {
    try {
      return await this.db.endAnywhere(id, reason, now)
    } catch (err) {
      throw this.failed(err)
    }
  }

  async prune(now: number): Promise<void> {
    if (!(await this.flush())) return
    try {
      await this.db.prune(now)
    } catch (err) {
      this.failed(err)
    }
  }

  private down(): boolean {
    return this.failure !== undefined && this.now() - this.failure.at < RETRY_MS
  }

  /**
   * Writes what waits, in order, unless a write failed within RETRY_MS (then nothing is tried, and
   * nothing blocks). Resolves true when nothing waits any more. While writes wait or the store is
   * failing, it is tried again every RETRY_MS (a cheap round trip when nothing waits, to learn that
   * it recovered). One flush at a time: a call while one runs waits for it (then tries again).
   */
  async flush(): Promise<boolean> {
    while (this.flushing) await this.flushing
    if (this.down()) {
      this.scheduleRetry()
      return false
    }
    if (this.pending.length === 0 && !this.failure) return true
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined))
    return this.flushing
  }

  private async flushOnce(): Promise<boolean> {
    try {
      if (this.pending.length === 0 && this.failure) await this.db.ping(this.now())
      while (this.pending.length > 0) {
        await this.db.write(this.pending[0] as Write)
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
      ? { ok: false, reason: this.failure.reason, pending: this.pending.length, code: this.db.code }
      : { ok: true, pending: this.pending.length }
  }

  /** Queues a write and tries what waits. */
  private later(w: Write): void {
    this.pending.push(w)
    void this.flush()
  }

  /** Records why a write failed (StoreUnavailable, returned for throwing); anything else is a bug, rethrown. */
  private failed(err: unknown): StoreUnavailable {
    if (err instanceof QuotaExceeded || err instanceof KeyLeased || err instanceof StoreRefused) throw err
    const reason = this.db.unavailableReason(err)
    if (reason === undefined) throw err
    this.failure = { reason, at: this.now() }
    return new StoreUnavailable(reason, this.db.code)
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return
    this.retry = setTimeout(() => {
      this.retry = undefined
      if (this.pending.length > 0 || this.failure) void this.flush()
    }, RETRY_MS)
    this.retry.unref()
  }

  /** Writes what it can, then closes the store (and releases its lock, or its connections). */
  async close(): Promise<void> {
    this.closed = true
    if (this.retry) clearTimeout(this.retry)
    this.retry = undefined
    if (this.failure) this.failure.at = -Infinity
    await this.flush()
    await this.db.close()
  }
}
