// Whether a lease's runner is alive, judged by what the gateway hears from its peer, never by state
// that can vanish. A runner keeps the keepalive the gateway hands it (`persistent-keepalive`, which the
// action cannot turn off), so a live runner sends a packet at least every `persistent-keepalive`
// seconds; the interface counts them (`wg show IFACE transfer`). A lease is silent when nothing was
// heard for `silence` (at least three keepalives, settings.ts). What was heard is kept here, so a peer
// that went missing (removed by hand, the interface recreated) keeps its lease's history: the gateway
// adds it back and gives its runner the time WireGuard needs to handshake again.
import type { Lease } from './store.js'
import type { PeerState } from './peers.js'

/**
 * WireGuard's REJECT_AFTER_TIME (180 s, the protocol paper §6.1 and every implementation): no session
 * key is used longer, so a runner that sends anything (a keepalive at least) makes a new handshake
 * within this of its last one. A restored peer has no session until then; its keepalives are dropped.
 */
export const REJECT_AFTER_MS = 180_000

/** What was heard from a lease's peer. */
export interface Heard {
  /** Milliseconds since the epoch: the latest sign of life (or the grant, or the gateway's start). */
  at: number
  /** Received bytes at the last reading; undefined before the first or while the peer was missing. */
  rx?: number
  /** When the gateway added the peer back, if nothing was heard since. */
  restoredAt?: number
}

/**
 * A live lease's fate. Pure. Past `expiresAt`: expired. Otherwise silent when nothing was heard for
 * `silenceMs`; a restored peer is given at least REJECT_AFTER_MS + two keepalives from its restoration
 * (its runner handshakes again by then), whatever `silence` says.
 */
export function fate(
  lease: Pick<Lease, 'expiresAt'>,
  heard: Heard,
  now: number,
  silenceMs: number,
  keepaliveMs: number
): 'expired' | 'silent' | 'keep' {
  if (now >= lease.expiresAt) return 'expired'
  if (heard.restoredAt !== undefined)
    return now - heard.restoredAt > Math.max(silenceMs, REJECT_AFTER_MS + 2 * keepaliveMs) ? 'silent' : 'keep'
  return now - heard.at > silenceMs ? 'silent' : 'keep'
}

/** What the gateway heard from each live lease's peer, kept across sweeps (in memory). */
export class Liveness {
  private readonly heard = new Map<string, Heard>()

  /** `startedAt`: the gateway's start; nothing heard before it is known, so silence counts from it at most. */
  constructor(private readonly startedAt: number) {}

  /**
   * Records a reading of the interface at `now`: a handshake newer than the last sign of life, or
   * received bytes grown since the last reading, is a sign of life. Returns what is known.
   */
  observe(lease: Pick<Lease, 'id' | 'createdAt'>, peer: PeerState | undefined, now: number): Heard {
    const h = this.heard.get(lease.id) ?? { at: Math.max(lease.createdAt, this.startedAt) }
    const handshake = Math.min((peer?.latestHandshake ?? 0) * 1000, now)
    const rx = peer?.rxBytes
    const grew = rx !== undefined && h.rx !== undefined && rx > h.rx
    if (grew) h.at = now
    else if (handshake > h.at) h.at = handshake
    // A restored peer's counters start from zero: a handshake or bytes since prove its runner is back.
    if (h.restoredAt !== undefined && (grew || handshake > h.restoredAt)) h.restoredAt = undefined
    h.rx = rx
    this.heard.set(lease.id, h)
    return h
  }

  /** The gateway added the lease's peer back at `now` (its counters start again from zero). */
  restored(id: string, now: number): void {
    const h = this.heard.get(id)
    if (!h) return
    h.restoredAt ??= now
    h.rx = undefined
  }

  forget(id: string): void {
    this.heard.delete(id)
  }
}
