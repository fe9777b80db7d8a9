// One view of the fleet for operators, and revokes that reach the lease's owner: the control socket
// (ops/control.ts) lists every live lease of the fleet with the gateway holding it, and a revoke of a
// lease of another gateway ends it in the database, then tells its owner (notices.ts). The owner ends
// it locally on the notice, or at its next sweep when the notice was missed (owner.ts).
import type { FleetLease } from '../leases/store.js'

export type { FleetLease } from '../leases/store.js'

/** What the fleet's view needs of the database (owner.ts's storeFleet over the store; a stand-in in unit tests). */
export interface FleetDb {
  /** Every live lease of the fleet, oldest first. */
  live(): Promise<FleetLease[]>
  /**
   * Ends a live lease of another gateway in the database, then notifies its owner; resolves with
   * the owner's key, or undefined when the lease is not live.
   */
  endAndNotify(id: string, reason: string, now: number): Promise<string | undefined>
}
