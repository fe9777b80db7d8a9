// The store on PostgreSQL (node-postgres), shared by a fleet of gateways. Each gateway is a row of
// `gateways`, identified by its interface's public key; its leases are the rows of `leases` with that
// key (it reads and writes only those, but for `endAnywhere`, an operator's revoke); used token ids
// and the quotas are the fleet's. Credentials as libpq reads them: the URL's user with PGPASSWORD,
// PGPASSFILE (~/.pgpass) or peer authentication on a Unix socket; never a password in the URL.
//
// Tables (schema version 1; created and migrated by the gateway, see MIGRATIONS):
//   schema_version (version)                          the migrations applied
//   gateways (public_key PK, name, interface, pool, endpoint, seen_at)
//   leases (id PK, gateway_key → gateways, public_key, addresses, secret_hash, repository,
//           repository_id, run_id, workflow_ref, rule, created_at, expires_at, ended_at, end_reason,
//           removed)                                  times in ms since the epoch (bigint)
//   used_tokens (jti PK, expires_at)
// Advisory locks: two-key form, class LOCK_CLASS ('WGTQ'): key 0 migrations, key 1 the gateways
// registry, hashtext(repository id) a repository's quota. (The one-key form is left to the standby.)
import pg from 'pg'
import { contains, parsePrefix, type Prefix } from '../../common/ip.js'
import { quotaRefusal } from '../limits/quota.js'
import type { Quota } from '../settings.js'
import {
  KEEP_ENDED_MS,
  leaseFromRow,
  type LeaseRow,
  KeyLeased,
  QuotaExceeded,
  StoreRefused,
  StoreUnavailable,
  type Backend,
  type FleetLease,
  type GatewayInfo,
  type Lease,
  type Write
} from './backend.js'

/** True for a `state` that names PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(state: string): boolean {
  return /^postgres(ql)?:\/\//i.test(state)
}

/** The URL as it may be logged: without a password (in the user part or `password=`). */
export function redactUrl(url: string): string {
  const { scheme, userinfo, rest } = splitUserinfo(url)
  const shown = userinfo === undefined ? rest : `${userinfo.split(':')[0]}@${rest}`
  return `${scheme}${shown}`.replace(/([?&]password=)[^&]*/gi, '$1***')
}

/**
 * The user part of a URL as libpq reads it: everything between `://` and the LAST `@` before the
 * query (a password may hold `/`, `@` or `#`, which a stricter parser would take as the path).
 */
function splitUserinfo(url: string): { scheme: string; userinfo?: string; rest: string } {
  const m = /^postgres(?:ql)?:\/\//i.exec(url)
  const scheme = m ? m[0] : ''
  const after = url.slice(scheme.length)
  const q = after.indexOf('?')
  const head = q < 0 ? after : after.slice(0, q)
  const at = head.lastIndexOf('@')
  return at < 0 ? { scheme, rest: after } : { scheme, userinfo: head.slice(0, at), rest: after.slice(at + 1) }
}

/**
 * Why a URL cannot be used, naming no part of it; undefined when it can. (Read as libpq reads it:
 * `postgres://USER@/DB?host=/SOCKET-DIR` has no host part, which WHATWG URL parsing refuses.)
 */
export function postgresUrlProblem(url: string): string | undefined {
  // The password first, read as libpq would: a URL the grammar below refuses may still hold one.
  const { userinfo = '' } = splitUserinfo(url)
  const q = url.indexOf('?')
  if (/:./.test(userinfo) || (q >= 0 && new URLSearchParams(url.slice(q + 1)).has('password')))
    return 'holds a password: put it in PGPASSWORD or PGPASSFILE (~/.pgpass) instead, or use peer authentication on a Unix socket'
  const m = /^postgres(?:ql)?:\/\/(?:([^@/?#\s]*)@)?([^@/?#\s]*)(\/[^?#\s]*)?(\?[^#\s]*)?$/i.exec(url)
  if (!m)
    return 'is not a postgres:// URL (postgres://USER@HOST/DATABASE, or postgres://USER@/DATABASE?host=/SOCKET-DIR)'
  return undefined
}

/** How long after its expiry a used token id is kept: clocks of a fleet's gateways may differ by this much. */
const TOKEN_PRUNE_MARGIN_MS = 10 * 60_000

/** Connect, statement and query timeouts: short, so that an outage is learnt in seconds, not minutes. */
export const CONNECT_TIMEOUT_MS = 3000
export const STATEMENT_TIMEOUT_MS = 5000
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1000

/** 'WGTQ': the class of the gateway's two-key advisory locks. */
const LOCK_CLASS = 0x57475451
const LOCK_MIGRATE = 0
const LOCK_REGISTRY = 1

/** Migrations, in order; version N is MIGRATIONS[N-1]. Never edit one that shipped: add another. */
const MIGRATIONS: string[] = [
  `CREATE TABLE gateways (
     public_key text PRIMARY KEY,
     name text NOT NULL,
     interface text NOT NULL,
     pool text NOT NULL,
     endpoint text NOT NULL,
     seen_at bigint NOT NULL
   );
   CREATE TABLE leases (
     id text PRIMARY KEY,
     gateway_key text NOT NULL REFERENCES gateways (public_key),
     public_key text NOT NULL,
     addresses text NOT NULL,
     secret_hash text NOT NULL,
     repository text NOT NULL,
     repository_id text NOT NULL,
     run_id text NOT NULL,
     workflow_ref text NOT NULL,
     rule integer NOT NULL,
     created_at bigint NOT NULL,
     expires_at bigint NOT NULL,
     ended_at bigint,
     end_reason text,
     removed boolean NOT NULL DEFAULT false
   );
   CREATE UNIQUE INDEX leases_live_key ON leases (gateway_key, public_key) WHERE ended_at IS NULL;
   CREATE INDEX leases_by_key ON leases (gateway_key, public_key, created_at);
   CREATE INDEX leases_live_repository ON leases (repository_id, run_id) WHERE ended_at IS NULL;
   CREATE INDEX leases_open ON leases (gateway_key) WHERE ended_at IS NULL OR NOT removed;
   CREATE TABLE used_tokens (jti text PRIMARY KEY, expires_at bigint NOT NULL);
   CREATE INDEX used_tokens_expiry ON used_tokens (expires_at);`
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Node's error codes that mean the server cannot be reached (socket missing, refused, reset, …). */
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN'
])

/** node-postgres's own messages for a connection that failed or timed out. */
const CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client was closed',
  'Client has encountered a connection error',
  'Connection terminated due to connection timeout'
]

/**
 * Why an error means the database cannot be used now (retried later): a connection that failed, a
 * timeout, the server shutting down or refusing (SQLSTATE classes 08, 53, 57, 58; 28 authentication;
 * 40 a transaction rolled back). Undefined for anything else (a bug).
 */
export function pgUnavailableReason(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = typeof e?.message === 'string' ? e.message : ''
  if (NET_CODES.has(code)) return `PostgreSQL cannot be reached (${code})`
  if (/^(08|53|57|58|28|40)/.test(code) && code.length === 5) return `PostgreSQL: ${message} (SQLSTATE ${code})`
  if (CLIENT_MESSAGES.some((m) => message.startsWith(m))) return `PostgreSQL cannot be reached (${message})`
  return undefined
}

interface GatewayRow {
  public_key: string
  name: string
  interface: string
  pool: string
}

/**
 * Two pools that share an address: each of `ours` and `theirs` against the other. Returns the first
 * pair that overlaps, or undefined.
 */
export function poolOverlap(ours: string[], theirs: string[]): [string, string] | undefined {
  const parse = (t: string): Prefix | undefined => {
    const p = parsePrefix(t.trim())
    return typeof p === 'string' ? undefined : p
  }
  for (const a of ours) {
    const pa = parse(a)
    if (!pa) continue
    for (const b of theirs) {
      const pb = parse(b)
      if (pb?.family === pa.family && (contains(pa, pb) || contains(pb, pa))) return [a, b]
    }
  }
  return undefined
}

/** Sessions the gateway keeps open to PostgreSQL at most (one per transaction or query in flight). */
export const SESSIONS = 16

/**
 * node-postgres's pool with its own turn-taking in front. pg-pool applies `connectionTimeoutMillis`
 * both to opening a connection and to waiting for a free one, and says "timeout exceeded when trying
 * to connect" for either: in a burst (a thousand grants at once, each a short transaction under its
 * repository's lock) a wait for a turn would read as an unreachable database and refuse everything
 * for a while. Here a query waits for a free session before it asks the pool, so the pool's timeout
 * only ever measures the server (a connection that cannot be opened), and a burst is served at the
 * database's pace, each query still bounded by its statement and query timeouts.
 */
class Sessions {
  private busy = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly pool: pg.Pool) {}

  private async turn(): Promise<void> {
    if (this.busy < SESSIONS) {
      this.busy++
      return
    }
    // The slot is handed over by `done`, which keeps `busy` as it is.
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  private done(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.busy--
  }

  /** A client of its own (for a transaction); its `release` gives the turn to the next. */
  async connect(): Promise<pg.PoolClient> {
    await this.turn()
    let c: pg.PoolClient
    try {
      c = await this.pool.connect()
    } catch (err) {
      this.done()
      throw err
    }
    const release = c.release.bind(c)
    let released = false
    c.release = (err?: boolean | Error) => {
      if (!released) {
        released = true
        this.done()
      }
      return release(err)
    }
    return c
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[]
  ): Promise<pg.QueryResult<R>> {
    await this.turn()
    try {
      return await this.pool.query<R>(text, values)
    } finally {
      this.done()
    }
  }

  on(event: 'error', f: (err: Error) => void): void {
    this.pool.on(event, f)
  }

  end(): Promise<void> {
    return this.pool.end()
  }
}

export class PostgresBackend implements Backend {
  readonly code = 'database_unreachable' as const
  readonly readsWhenUnwritable = false
  readonly commitMayBeLost = true
  readonly label: string
  /** What pg.Client/pg.Pool are given: for a dedicated session (the standby's lock, LISTEN). */
  readonly connection: pg.ClientConfig
  private readonly pool: Sessions
  private key = ''

  constructor(url: string) {
    const problem = postgresUrlProblem(url)
    if (problem) throw new StoreRefused(`state ${problem}`)
    this.label = redactUrl(url)
    this.connection = {
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      application_name: 'wireguard-gateway'
    }
    this.pool = new Sessions(new pg.Pool({ ...this.connection, max: SESSIONS, idleTimeoutMillis: 30_000 }))
    // An idle client whose server went away: the pool drops it; the next query learns the outage.
    this.pool.on('error', () => undefined)
  }

  initial(): Lease[] {
    return []
  }

  /** Runs `f` in one transaction on one client (ROLLBACK on any error, which is rethrown). */
  private async transaction<T>(f: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect()
    let broken = false
    // A client checked out emits its connection's failure as an event too (the query rejects as
    // well): without a listener, that event would end the process.
    const lost = (): void => void (broken = true)
    c.on('error', lost)
    try {
      await c.query('BEGIN')
      const out = await f(c)
      await c.query('COMMIT')
      return out
    } catch (err) {
      await c.query('ROLLBACK').catch(() => (broken = true))
      throw err
    } finally {
      c.off('error', lost)
      c.release(broken)
    }
  }

  /** Creates or migrates the schema: in one transaction under an advisory lock (gateways starting at once wait for each other). */
  async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE])
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)')
      const r = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')
      const at = r.rows[0]?.v ?? 0
      if (at > MIGRATIONS.length)
        throw new StoreRefused(
          `the database ${this.label} has schema version ${at}, newer than this gateway's (${MIGRATIONS.length}): upgrade this gateway`
        )
      for (let v = at + 1; v <= MIGRATIONS.length; v++) {
        await c.query(MIGRATIONS[v - 1] as string)
        await c.query('INSERT INTO schema_version (version) VALUES ($1)', [v])
      }
    })
  }

  /**
   * Migrates, registers this gateway (refusing a pool that overlaps another gateway's, naming both),
   * and reads its current leases. Throws StoreRefused when the database cannot be used: the gateway
   * does not start without knowing its leases.
   */
  async bind(iface: string, publicKey: string, info: GatewayInfo): Promise<Lease[]> {
    try {
      await this.migrate()
      await this.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_REGISTRY])
        const others = await c.query<GatewayRow>(
          'SELECT public_key, name, interface, pool FROM gateways WHERE public_key <> $1 ORDER BY name',
          [publicKey]
        )
        for (const g of others.rows) {
          const overlap = poolOverlap(info.pool, g.pool.split(','))
          if (overlap)
            throw new StoreRefused(
              `the pool ${overlap[0]} of this gateway "${info.name}" (interface ${iface}, key ${publicKey}) overlaps the pool ${overlap[1]} of gateway "${g.name}" (interface ${g.interface}, key ${g.public_key}) in ${this.label}: give each gateway of a fleet its own pool (a gateway gone for good: delete its row from "gateways" once it holds no live lease)`
            )
        }
        await c.query(
          `INSERT INTO gateways (public_key, name, interface, pool, endpoint, seen_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (public_key) DO UPDATE SET name = $2, interface = $3, pool = $4, endpoint = $5, seen_at = $6`,
          [publicKey, info.name, iface, info.pool.join(','), info.endpoint, Date.now()]
        )
      })
      this.key = publicKey
      const r = await this.pool.query<LeaseRow>(
        'SELECT * FROM leases WHERE gateway_key = $1 AND (ended_at IS NULL OR NOT removed) ORDER BY created_at',
        [publicKey]
      )
      return r.rows.map(leaseFromRow)
    } catch (err) {
      if (err instanceof StoreRefused) throw err
      // A database that cannot be reached now (restarting, too many connections, a timeout) is
      // tried again; only what no retry changes (an overlapping pool, a newer schema, or an error
      // nobody expected) is a refusal.
      const reason = pgUnavailableReason(err)
      if (reason !== undefined)
        throw new StoreUnavailable(`cannot use the database ${this.label}: ${reason}`, 'database_unreachable')
      throw new StoreRefused(
        `cannot use the database ${this.label}: ${err instanceof Error ? err.message : String(err)}`
      )
    }
  }

  /**
   * Under the repository's advisory lock (so that two gateways cannot both take its last place):
   * uses the token up, counts the live leases of the repository and the run across the fleet, and
   * writes the lease. A used token or a full quota writes nothing.
   */
  async insert(
    l: Lease,
    token: { jti: string; until: number } | undefined,
    quota: Quota | undefined
  ): Promise<boolean> {
    try {
      return await this.transaction(async (c) => {
        if (quota) await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, l.repositoryId])
        if (token) {
          const used = await c.query(
            'INSERT INTO used_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING',
            [token.jti, token.until]
          )
          if (used.rowCount !== 1) throw new Replayed()
        }
        if (quota) {
          const r = await c.query<{ repository: string; run: string }>(
            `SELECT count(*) AS repository, count(*) FILTER (WHERE run_id = $2 AND run_id <> '') AS run
             FROM leases WHERE repository_id = $1 AND ended_at IS NULL`,
            [l.repositoryId, l.runId]
          )
          const live = { repository: Number(r.rows[0]?.repository ?? 0), run: Number(r.rows[0]?.run ?? 0) }
          const refusal = quotaRefusal(quota, live)
          if (refusal !== undefined) throw new QuotaExceeded(refusal)
        }
        await c.query(
          `INSERT INTO leases (id, gateway_key, public_key, addresses, secret_hash, repository, repository_id, run_id,
             workflow_ref, rule, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            l.id,
            this.key,
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
          ]
        )
        return true
      })
    } catch (err) {
      if (err instanceof Replayed) return false
      if (
        (err as { code?: unknown }).code === '23505' &&
        (err as { constraint?: unknown }).constraint === 'leases_live_key'
      )
        throw new KeyLeased()
      throw err
    }
  }

  async write(w: Write): Promise<void> {
    if (w.kind === 'end')
      await this.pool.query('UPDATE leases SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL', [
        w.at,
        w.reason,
        w.id
      ])
    else if (w.kind === 'removed') await this.pool.query('UPDATE leases SET removed = true WHERE id = $1', [w.id])
    else await this.pool.query('DELETE FROM leases WHERE id = $1 AND gateway_key = $2', [w.id, this.key])
  }

  async get(id: string): Promise<Lease | undefined> {
    const r = await this.pool.query<LeaseRow>('SELECT * FROM leases WHERE id = $1 AND gateway_key = $2', [id, this.key])
    return r.rows[0] && leaseFromRow(r.rows[0])
  }

  async byKey(publicKey: string): Promise<Lease[]> {
    const r = await this.pool.query<LeaseRow>(
      'SELECT * FROM leases WHERE gateway_key = $1 AND public_key = $2 ORDER BY created_at',
      [this.key, publicKey]
    )
    return r.rows.map(leaseFromRow)
  }

  async lastByKey(publicKey: string): Promise<Lease | undefined> {
    const r = await this.pool.query<LeaseRow>(
      'SELECT * FROM leases WHERE gateway_key = $1 AND public_key = $2 ORDER BY created_at DESC LIMIT 1',
      [this.key, publicKey]
    )
    return r.rows[0] && leaseFromRow(r.rows[0])
  }

  async tokenUsed(jti: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM used_tokens WHERE jti = $1', [jti])
    return r.rowCount === 1
  }

  async prune(now: number): Promise<void> {
    // With a margin: another gateway whose clock is behind this one's still accepts the token a
    // while after this one would prune its id.
    await this.pool.query('DELETE FROM used_tokens WHERE expires_at < $1', [now - TOKEN_PRUNE_MARGIN_MS])
    await this.pool.query('DELETE FROM leases WHERE gateway_key = $1 AND removed AND ended_at < $2', [
      this.key,
      now - KEEP_ENDED_MS
    ])
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  unavailableReason(err: unknown): string | undefined {
    return pgUnavailableReason(err)
  }

  async endedElsewhere(ids: string[]): Promise<{ id: string; at: number; reason: string }[]> {
    const r = await this.pool.query<{ id: string; ended_at: string; end_reason: string | null }>(
      'SELECT id, ended_at, end_reason FROM leases WHERE gateway_key = $1 AND id = ANY($2) AND ended_at IS NOT NULL',
      [this.key, ids]
    )
    return r.rows.map((x) => ({ id: x.id, at: Number(x.ended_at), reason: x.end_reason ?? 'ended' }))
  }

  async fleet(): Promise<FleetLease[]> {
    const r = await this.pool.query<
      LeaseRow & { gateway_key: string; gateway_name: string; gateway_interface: string }
    >(
      `SELECT l.*, g.name AS gateway_name, g.interface AS gateway_interface
       FROM leases l JOIN gateways g ON g.public_key = l.gateway_key
       WHERE l.ended_at IS NULL ORDER BY l.created_at`
    )
    return r.rows.map((x) => ({
      ...leaseFromRow(x),
      gatewayKey: x.gateway_key,
      gatewayName: x.gateway_name,
      gatewayInterface: x.gateway_interface
    }))
  }

  async endAnywhere(id: string, reason: string, now: number): Promise<string | undefined> {
    const r = await this.pool.query<{ gateway_key: string }>(
      'UPDATE leases SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL RETURNING gateway_key',
      [now, reason, id]
    )
    return r.rows[0]?.gateway_key
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}

/** A used token, inside insert's transaction: rolled back, then answered false. */
class Replayed extends Error {}
