// Revoke across the fleet: a lease is ended in the database by whichever gateway the operator asked,
// which then tells the lease's owner on the channel `wireguard_gateway` (PostgreSQL's LISTEN/NOTIFY);
// the owner, listening on a session of its own, ends the lease locally and takes its peer off at once.
// A notification is delivered only to sessions listening when it is sent, so one sent while the owner
// was reconnecting is lost: the owner's sweep then finds the lease ended in the database (the fallback,
// see main.ts), and the owner checks once after every reconnect too.
//
// The payload says which gateway and which lease, nothing else (never a secret, a repository or an
// address): `{"v":1,"kind":"revoke","gateway":"<owner's public key>","lease":"<lease id>"}`.
import pg from 'pg'
import { errorText } from '../../common/errors.js'
import { isPeerKey } from '../../common/grammar.js'
import type { Audit } from '../audit.js'

export const CHANNEL = 'wireguard_gateway'

export interface RevokeNotice {
  /** The owner's public key (base64, as `wg` shows it). */
  gateway: string
  /** The lease's id (a UUID). */
  lease: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Longer payloads are refused unread (a valid one is about 130 bytes; NOTIFY allows 8000). */
const MAX_PAYLOAD = 512

/** The payload for a revoke of `lease` held by the gateway of key `gateway`. Pure. */
export function revokePayload(n: RevokeNotice): string {
  return JSON.stringify({ v: 1, kind: 'revoke', gateway: n.gateway, lease: n.lease })
}

/**
 * Reads a payload: the notice, or undefined for anything else (not JSON, another version or kind,
 * extra fields, a key or lease id of the wrong form, over MAX_PAYLOAD). Pure.
 */
export function parseNotice(payload: string | undefined): RevokeNotice | undefined {
  if (payload === undefined || payload.length > MAX_PAYLOAD) return undefined
  let v: unknown
  try {
    v = JSON.parse(payload)
  } catch {
    return undefined
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined
  const o = v as Record<string, unknown>
  if (Object.keys(o).sort().join(',') !== 'gateway,kind,lease,v') return undefined
  if (o.v !== 1 || o.kind !== 'revoke') return undefined
  if (typeof o.gateway !== 'string' || !isPeerKey(o.gateway)) return undefined
  if (typeof o.lease !== 'string' || !UUID.test(o.lease)) return undefined
  return { gateway: o.gateway, lease: o.lease }
}

/** Sends a revoke notice on `db` (a pool or a client): delivered when its transaction commits. */
export async function notifyRevoke(db: pg.Pool | pg.Client, n: RevokeNotice): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [CHANNEL, revokePayload(n)])
}

/** Backoff between reconnects: 1 s, doubling, at most 10 s. Pure. */
export const backoffMs = (failures: number): number => Math.min(10_000, 1000 * 2 ** Math.max(0, failures - 1))

export interface ListenerOptions {
  client: () => pg.Client
  /** This gateway's public key: notices for other gateways are ignored. */
  self: string
  /** A lease of this gateway was revoked elsewhere: end it locally. */
  revoked: (lease: string) => Promise<void>
  /** The session is (again) listening: notices may have been missed, check the database. */
  listening: () => Promise<void>
  audit: Audit
}

/** Listens on CHANNEL on a session of its own, reconnecting with backoff while it runs. */
export class Listener {
  private session: pg.Client | undefined
  private failures = 0
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(private readonly o: ListenerOptions) {}

  /** Connects (resolving once the first attempt is done; failures are retried in the background). */
  async start(): Promise<void> {
    this.stopped = false
    await this.connect()
  }

  /** True while a session is listening. */
  get listening(): boolean {
    return this.session !== undefined
  }

  private malformed = 0
  private malformedSaidAt = -Infinity

  private async connect(): Promise<void> {
    if (this.stopped) return
    const c = this.o.client()
    c.on('error', () => this.lost(c))
    c.on('end', () => this.lost(c))
    c.on('notification', (m) => {
      if (m.channel !== CHANNEL) return
      const n = parseNotice(m.payload)
      if (!n) {
        // Any role that may connect can NOTIFY: at most one line a minute says so, with the count.
        this.malformed++
        const now = Date.now()
        if (now - this.malformedSaidAt >= 60_000) {
          this.o.audit('warning', {
            reason: `${this.malformed} notice(s) on ${CHANNEL} not of the kind this gateway sends: ignored`
          })
          this.malformed = 0
          this.malformedSaidAt = now
        }
        return
      }
      if (n.gateway !== this.o.self) return
      this.o
        .revoked(n.lease)
        .catch((err: unknown) => this.o.audit('error', { lease: n.lease, reason: `fleet revoke: ${errorText(err)}` }))
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${CHANNEL}`)
    } catch (err) {
      c.removeAllListeners('end')
      c.end().catch(() => undefined)
      this.failures++
      if (this.failures === 1)
        this.o.audit('warning', {
          reason: `cannot listen for revokes from the fleet (${errorText(err)}); retried, the sweep finds them meanwhile`
        })
      this.retry()
      return
    }
    // stop() may have run while this connected.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (this.stopped) {
      await c.end().catch(() => undefined)
      return
    }
    this.session = c
    this.failures = 0
    await this.o
      .listening()
      .catch((err: unknown) => this.o.audit('error', { reason: `fleet revokes check: ${errorText(err)}` }))
  }

  private lost(c: pg.Client): void {
    if (c !== this.session) return
    this.session = undefined
    c.end().catch(() => undefined)
    this.failures = 1
    this.retry()
  }

  private retry(): void {
    if (this.stopped || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.connect()
    }, backoffMs(this.failures))
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const c = this.session
    this.session = undefined
    await c?.end().catch(() => undefined)
  }
}
