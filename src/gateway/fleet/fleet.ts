// One view of the fleet for operators, and revokes that reach the lease's owner: the control socket
// (ops/control.ts) lists every live lease of the fleet with the gateway holding it, and a revoke of a
// lease of another gateway ends it in the database and tells its owner (notices.ts), in one
// transaction (a notice is delivered only when the end is committed). The owner ends it locally on
// the notice, or at its next sweep (`endedHere`) when the notice was missed.
import pg from 'pg'
import type { Lease } from '../leases/store.js'
import { CHANNEL, revokePayload } from './notices.js'

/** A live lease of the fleet, with the gateway holding it. */
export interface FleetLease extends Lease {
  /** The holder's public key (its identity in the fleet). */
  gatewayKey: string
  /** The holder's name (`name:`), or its key when it has no row in `gateways`. */
  gatewayName: string
}

/** What the fleet's view needs of the database (PgFleet; a stand-in in unit tests). */
export interface FleetDb {
  /** Every live lease of the fleet, oldest first. */
  live(): Promise<FleetLease[]>
  /**
   * Ends a live lease of another gateway and notifies its owner, in one transaction; resolves with
   * the owner's key, or undefined when the lease is not live.
   */
  endAndNotify(id: string, reason: string, now: number): Promise<string | undefined>
  /** Of `ids` (leases this gateway holds live), those the database says ended. */
  ended(gatewayKey: string, ids: readonly string[]): Promise<string[]>
}

interface Row {
  id: string
  public_key: string
  addresses: string | string[]
  secret_hash: string
  repository: string
  repository_id: string
  run_id: string
  workflow_ref: string
  rule: number
  created_at: string | number | Date
  expires_at: string | number | Date
  gateway_key: string
  gateway_name: string | null
}

/** Milliseconds from a column that is a bigint of milliseconds (text from pg), a number or a timestamp. */
const ms = (v: string | number | Date): number => (v instanceof Date ? v.getTime() : Number(v))

/** The fleet's tables as the PostgreSQL store (leases/) makes them: `leases`, `gateways`. */
export class PgFleet implements FleetDb {
  constructor(private readonly pool: pg.Pool) {}

  async live(): Promise<FleetLease[]> {
    const r = await this.pool.query<Row>(
      `SELECT l.*, g.name AS gateway_name FROM leases l LEFT JOIN gateways g ON g.public_key = l.gateway_key
       WHERE l.ended_at IS NULL ORDER BY l.created_at`
    )
    return r.rows.map((row) => ({
      id: row.id,
      publicKey: row.public_key,
      addresses: typeof row.addresses === 'string' ? (JSON.parse(row.addresses) as string[]) : row.addresses,
      secretHash: '',
      repository: row.repository,
      repositoryId: row.repository_id,
      runId: row.run_id,
      workflowRef: row.workflow_ref,
      rule: row.rule,
      createdAt: ms(row.created_at),
      expiresAt: ms(row.expires_at),
      removed: false,
      gatewayKey: row.gateway_key,
      gatewayName: row.gateway_name ?? row.gateway_key
    }))
  }

  async endAndNotify(id: string, reason: string, now: number): Promise<string | undefined> {
    const c = await this.pool.connect()
    try {
      await c.query('BEGIN')
      const r = await c.query<{ gateway_key: string }>(
        'UPDATE leases SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING gateway_key',
        [id, now, reason]
      )
      const owner = r.rows[0]?.gateway_key
      if (owner !== undefined)
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, revokePayload({ gateway: owner, lease: id })])
      await c.query('COMMIT')
      return owner
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      c.release()
    }
  }

  async ended(gatewayKey: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return []
    const r = await this.pool.query<{ id: string }>(
      'SELECT id FROM leases WHERE gateway_key = $1 AND id = ANY($2::text[]) AND ended_at IS NOT NULL',
      [gatewayKey, ids]
    )
    return r.rows.map((row) => row.id)
  }
}
