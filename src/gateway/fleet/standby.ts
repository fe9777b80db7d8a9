// The standby: with PostgreSQL state, several processes may serve one gateway (one interface, one
// public key), and exactly one of them acts: the one whose dedicated database session holds the
// session-level advisory lock of the gateway's key (`pg_try_advisory_lock`). The others serve HTTP but
// refuse leases (503 `standby`) and never touch the interface or its firewall. PostgreSQL frees a
// session's advisory locks when the session ends (its process killed, its connection closed or
// terminated), so a standby that tries every second acts within about a second of that.
//
// Split brain. Two processes could both act only if one believed it held the lock while another took
// it. The lock is lost only with the session; the active checks its session every tick (a `SELECT 1`
// with a short timeout) and, when it is gone, reconnects and takes the lock again: if another process
// holds it now, it steps down at once. While the database cannot be reached at all, the active keeps
// acting: issue 17 keeps the database out of the data path (live leases keep working), and a standby
// that cannot reach the database cannot take the lock either. The one window left is a partition in
// which the active cannot reach the database while a standby can: the standby takes over once the
// server has ended the active's session, and the old active, which cannot write (its new leases are
// refused with `database_unreachable`), only takes off peers of leases that end (released, expired),
// exactly as the new active does; it steps down when it reaches the database again. Both processes
// serve the same interface on the same host, so neither can strand the other's peers.
import { createHash } from 'node:crypto'
import pg from 'pg'
import { errorText } from '../../common/errors.js'
import type { Audit } from '../audit.js'

/** Prefix of the text hashed into the lock's key: keeps it apart from any other use of advisory locks. */
export const LOCK_NAMESPACE = 'wireguard-gateway/standby/v1:'

/**
 * The advisory lock's key for a gateway: the first 8 bytes of SHA-256(LOCK_NAMESPACE + public key, in
 * base64 as `wg` shows it), read as a signed big-endian 64-bit integer (PostgreSQL's `bigint`). Stable
 * across versions and hosts; two gateways collide with probability 2^-64. Pure.
 */
export function lockKey(publicKey: string): bigint {
  return createHash('sha256').update(`${LOCK_NAMESPACE}${publicKey}`).digest().readBigInt64BE(0)
}

export type Role = 'active' | 'standby'

/** How often a standby tries the lock and the active checks its session (milliseconds). */
export const TICK_MS = 1000
/** A session check or lock attempt that takes longer counts as the database unreachable. */
export const QUERY_TIMEOUT_MS = 2000

export interface StandbyOptions {
  /** A new, unconnected client for the lock's own session (never shared with the store). */
  client: () => pg.Client
  /** The gateway's key (lockKey of its public key). */
  key: bigint
  /** Called when this process takes the lock (reconcile, then serve); a throw releases the lock. */
  activate: () => Promise<void>
  /**
   * Whether a throw of `activate` is a refusal that no retry can change (a pool that overlaps another
   * gateway's, a database newer than this gateway): then the lock is released and `refused` is called
   * instead of waiting as a standby for ever. Default: none is.
   */
  isRefusal?: (err: unknown) => boolean
  /** Called once with such a refusal (the gateway then ends, as when it is refused at start). */
  refused?: (err: unknown) => void
  /** Called when another process holds the lock after this one lost its session: stop acting. */
  stepDown: (reason: string) => Promise<void>
  audit: Audit
  tickMs?: number
}

/**
 * Holds (or waits for) the gateway's advisory lock. `role` and `databaseReachable` are read by
 * /healthz and the metrics.
 */
export class Standby {
  role: Role = 'standby'
  /** False while the lock's session cannot be opened or checked. */
  databaseReachable = false
  private session: pg.Client | undefined
  private held = false
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  private stopped = false
  private lastProblem = ''

  constructor(private readonly o: StandbyOptions) {}

  /** Tries once (resolving when that try is done), then every tick. */
  async start(): Promise<void> {
    await this.tick()
    this.timer = setInterval(() => void this.tick(), this.o.tickMs ?? TICK_MS)
  }

  /** One step: never two at once; never throws. */
  tick(): Promise<void> {
    this.ticking ??= this.step()
      .catch((err: unknown) => this.o.audit('error', { reason: `standby: ${errorText(err)}` }))
      .finally(() => (this.ticking = undefined))
    return this.ticking
  }

  private async step(): Promise<void> {
    if (this.stopped) return
    let session: pg.Client
    try {
      session = await this.connected()
      if (this.held) {
        await session.query('SELECT 1')
        this.reachable(true)
        return
      }
      const r = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
        this.o.key.toString()
      ])
      this.reachable(true)
      this.held = r.rows[0]?.ok === true
    } catch (err) {
      this.drop()
      this.reachable(false, errorText(err))
      return
    }
    if (this.held && this.role === 'standby') {
      this.role = 'active'
      this.o.audit('fleet.active', { reason: 'this process holds the gateway’s lock: it acts' })
      try {
        await this.o.activate()
      } catch (err) {
        this.role = 'standby'
        this.drop()
        if (this.o.isRefusal?.(err)) {
          this.stopped = true
          this.o.refused?.(err)
          return
        }
        this.o.audit('error', { reason: `taking over failed, the lock is released: ${errorText(err)}` })
      }
    } else if (!this.held && this.role === 'active') {
      this.role = 'standby'
      const reason = 'another process holds the gateway’s lock since this one lost its database session'
      this.o.audit('fleet.standby', { reason: `${reason}: this one stops acting` })
      await this.o.stepDown(reason)
    }
  }

  private async connected(): Promise<pg.Client> {
    if (this.session) return this.session
    const c = this.o.client()
    // A session that ends (terminated, the server restarted) is dropped; the next tick opens another.
    c.on('error', () => this.drop(c))
    c.on('end', () => this.drop(c))
    this.session = c
    await c.connect()
    return c
  }

  /** Forgets the session (and with it the lock: the server frees it when the session ends). */
  private drop(c = this.session): void {
    if (!c || c !== this.session) return
    this.session = undefined
    this.held = false
    c.end().catch(() => undefined)
  }

  private reachable(ok: boolean, reason = ''): void {
    if (ok && !this.databaseReachable) this.o.audit('fleet.database-reachable', { role: this.role })
    if (!ok && (this.databaseReachable || reason !== this.lastProblem))
      this.o.audit('fleet.database-unreachable', {
        role: this.role,
        reason: `${reason}; ${this.role === 'active' ? 'this process keeps acting' : 'this process stays standby'}`
      })
    this.lastProblem = ok ? '' : reason
    this.databaseReachable = ok
  }

  /** Stops trying and ends the session (freeing the lock). */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.ticking
    const c = this.session
    this.session = undefined
    this.held = false
    await c?.end().catch(() => undefined)
  }
}
