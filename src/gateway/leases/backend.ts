// What a store backend is (SQLite: sqlite.ts; PostgreSQL: postgres.ts) and what both share: the
// lease record, the writes kept for later, and the errors the layer above (store.ts) tells apart.
import type { Quota } from '../settings.js'

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

/** A lease anywhere in the fleet (PostgreSQL), with the gateway holding it (`leases list`). */
export interface FleetLease extends Lease {
  /** The holding gateway's interface public key, name (`name:`) and interface. */
  gatewayKey: string
  gatewayName: string
  gatewayInterface: string
}

/** What a gateway registers in the fleet (PostgreSQL; SQLite ignores all but the interface and key). */
export interface GatewayInfo {
  /** `name:` in the configuration (default HOSTNAME/INTERFACE). */
  name: string
  /** The pool's prefixes, as text (`10.0.0.0/24`). */
  pool: string[]
  endpoint: string
}

/** Ended leases whose peer is gone are kept this long (for the audit trail), then pruned. */
export const KEEP_ENDED_MS = 7 * 86_400_000

/** The store's state for /healthz: `pending` writes wait for a store that cannot take them now. */
export interface StoreHealth {
  ok: boolean
  reason?: string
  pending: number
  /** While not ok: the code a new lease is refused with. */
  code?: 'store_unavailable' | 'database_unreachable'
}

/** A write kept for later, in order. */
export type Write =
  | { kind: 'end'; id: string; at: number; reason: string }
  | { kind: 'removed'; id: string }
  | { kind: 'delete'; id: string }

/**
 * Thrown when a write cannot be made now: the store's write lock is held elsewhere, its disk is full,
 * the database cannot be reached, … `code` is what a new lease is refused with (503).
 */
export class StoreUnavailable extends Error {
  constructor(
    message: string,
    readonly code: 'store_unavailable' | 'database_unreachable' = 'store_unavailable'
  ) {
    super(message)
    this.name = 'StoreUnavailable'
  }
}

/** Thrown at start: the store is another process's, or another gateway's. One line, for stderr. */
export class StoreRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreRefused'
  }
}

/** Thrown by insert: the lease would take its repository or run past its quota (counted across the fleet). */
export class QuotaExceeded extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'QuotaExceeded'
  }
}

/** Thrown by insert: the public key has a live lease already (at this gateway). */
export class KeyLeased extends Error {
  constructor() {
    super('this public key already has a live lease')
    this.name = 'KeyLeased'
  }
}

/**
 * What a backend does: the SQL, and which failures mean "cannot be written now". Every method may
 * throw an error for which `unavailableReason` answers a reason (retried later) or anything else (a
 * bug, rethrown). Reads are of leases of this gateway only.
 */
export interface Backend {
  /** How the store is named in messages (a path, or a URL without its password). */
  readonly label: string
  readonly code: NonNullable<StoreHealth['code']>
  /** True when reads work while writes fail (SQLite in WAL: readers never wait for a writer). */
  readonly readsWhenUnwritable: boolean
  /**
   * Whether a failed insert may have been committed all the same (a client/server database: the
   * reply to COMMIT can be lost); then the store deletes it later. False for SQLite (in process).
   */
  readonly commitMayBeLost: boolean
  /** Current leases known at opening (SQLite); PostgreSQL knows them only once bound. */
  initial(): Lease[]
  /** Binds to the gateway (StoreRefused when the store is another's); returns its current leases when they are read only now. */
  bind(iface: string, publicKey: string, info: GatewayInfo): Promise<Lease[] | undefined>
  /**
   * Writes a lease (with its token's use) in one transaction; false when the token was used.
   * `quota`, when given, is checked inside it across the fleet (QuotaExceeded).
   */
  insert(l: Lease, token: { jti: string; until: number } | undefined, quota: Quota | undefined): Promise<boolean>
  write(w: Write): Promise<void>
  get(id: string): Promise<Lease | undefined>
  byKey(publicKey: string): Promise<Lease[]>
  lastByKey(publicKey: string): Promise<Lease | undefined>
  tokenUsed(jti: string): Promise<boolean>
  prune(now: number): Promise<void>
  /** A cheap write or round trip: does the store take writes again? */
  ping(now: number): Promise<void>
  unavailableReason(err: unknown): string | undefined
  /** Of `ids` (live leases of this gateway in memory), those the store says ended (revoked elsewhere). */
  endedElsewhere(ids: string[]): Promise<{ id: string; at: number; reason: string }[]>
  /** Every live lease of the fleet, oldest first, with its gateway. */
  fleet(): Promise<FleetLease[]>
  endAnywhere(id: string, reason: string, now: number): Promise<string | undefined>
  close(): Promise<void>
}

/**
 * A `leases` row as either database returns it: SQLite gives integers (and 0/1 for `removed`),
 * PostgreSQL its bigints as strings (node-postgres keeps them exact) and a boolean. `addresses` is
 * a JSON array in both.
 */
export interface LeaseRow {
  id: string
  public_key: string
  addresses: string
  secret_hash: string
  repository: string
  repository_id: string
  run_id: string
  workflow_ref: string
  rule: number
  created_at: number | string
  expires_at: number | string
  ended_at: number | string | null
  end_reason: string | null
  removed: number | boolean
}

/** The lease a row holds, whichever database it came from. */
export const leaseFromRow = (r: LeaseRow): Lease => ({
  id: r.id,
  publicKey: r.public_key,
  addresses: JSON.parse(r.addresses) as string[],
  secretHash: r.secret_hash,
  repository: r.repository,
  repositoryId: r.repository_id,
  runId: r.run_id,
  workflowRef: r.workflow_ref,
  rule: r.rule,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  endedAt: r.ended_at === null ? undefined : Number(r.ended_at),
  endReason: r.end_reason ?? undefined,
  removed: r.removed === true || r.removed === 1
})
