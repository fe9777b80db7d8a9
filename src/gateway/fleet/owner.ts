// The owner's side of a revoke across the fleet: a lease of this gateway that the database says ended
// (an operator revoked it at another gateway) is ended here too, its peer and firewall elements taken
// off at once. Learnt from a notice (notices.ts), or, when one was missed, from the sweep (Leases.sweep
// reads the store's endedElsewhere).
import { errorText } from '../../common/errors.js'
import type { Audit } from '../audit.js'
import type { FleetDb, FleetLease } from './fleet.js'
import { notifyRevoke } from './notices.js'
import pg from 'pg'

/** What the fleet's view needs of the store (leases/store.ts, PostgreSQL). */
export interface FleetStore {
  /** Every lease kept in the fleet (live or not yet pruned), with its gateway. */
  fleet(): Promise<FleetLease[]>
  /** Ends a live lease of any gateway in the database; resolves its holder's key, or undefined. */
  endAnywhere(id: string, reason: string, now: number): Promise<string | undefined>
}

/** What ending a lease here needs (Leases). */
export interface Ender {
  revoke(id: string, client: string): Promise<boolean>
}

/**
 * The fleet's view over the store; `notify` tells an owner (a fresh session per revoke: revokes are
 * rare, and the notice must not wait for a session that is reconnecting). The notice follows the
 * end's commit; one lost in between is made good by the owner's sweep.
 */
export function storeFleet(store: FleetStore, connect: () => pg.Client): FleetDb {
  return {
    live: async () => (await store.fleet()).filter((l) => l.endedAt === undefined),
    endAndNotify: async (id, reason, now) => {
      const owner = await store.endAnywhere(id, reason, now)
      if (owner === undefined) return undefined
      const c = connect()
      try {
        await c.connect()
        await notifyRevoke(c, { gateway: owner, lease: id })
      } catch {
        // Ended in the database: its owner's sweep takes the peer off (within its sweep interval).
      } finally {
        await c.end().catch(() => undefined)
      }
      return owner
    }
  }
}

/** How the owner learnt of a revoke: `client` in its audit line, and the metric's `via`. */
export type Via = 'fleet notice' | 'sweep'

/**
 * Ends here each of `ids` (leases of this gateway the database says ended); resolves how many it
 * ended (a lease no longer live here is skipped). Audits `fleet.revoked` for each.
 */
export async function endHere(leases: Ender, ids: readonly string[], via: Via, audit: Audit): Promise<number> {
  let n = 0
  for (const id of ids) {
    try {
      if (!(await leases.revoke(id, via))) continue
    } catch (err) {
      audit('error', { lease: id, reason: `ending a lease revoked in the fleet: ${errorText(err)}` })
      continue
    }
    n++
    audit('fleet.revoked', {
      lease: id,
      client: via,
      reason: 'revoked at another gateway of the fleet: its peer is off this interface'
    })
  }
  return n
}

/**
 * Obeys a revoke notice for lease `id` of this gateway only when the store confirms that the lease
 * ended: NOTIFY needs no privilege (any role that may connect to the database can send one, and a
 * lease id is printed in its job's log), so a notice is a hint to look, never an order. Resolves
 * whether the lease was ended here.
 */
export async function obeyNotice(
  store: { endedElsewhere(only: readonly string[]): Promise<{ id: string }[]> },
  leases: Ender,
  id: string,
  audit: Audit
): Promise<boolean> {
  const ended = await store.endedElsewhere([id])
  if (!ended.some((e) => e.id === id)) return false
  return (await endHere(leases, [id], 'fleet notice', audit)) > 0
}
