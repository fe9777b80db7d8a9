// One view of the fleet for operators, and revokes that reach the lease's owner: the control socket
// (ops/control.ts) lists every live lease of the fleet with the gateway holding it, and a revoke of a
// lease of another gateway ends it in the database, then tells its owner (notices.ts). The owner ends
// it locally on the notice, or at its next sweep when the notice was missed (owner.ts).
import type { Lease } from '../leases/store.js'

/** A live lease of the fleet, with the gateway holding it. */
export interface FleetLease extends Lease {
  /** The holder's public key (its identity in the fleet). */
  gatewayKey: string
  /** The holder's name (`name:`), or its key when it has no row in `gateways`. */
  gatewayName: string
}

/** What the fleet's view needs of the database (owner.ts's storeFleet over the store; a stand-in in unit tests). */
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
