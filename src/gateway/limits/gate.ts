// What is refused before a request is read: every new lease while the gateway drains (an operator's
// `drain`: live leases stay and can be released), and new leases from a client that went over its
// refused requests (refusals.ts). A release is never refused here: it takes access away, and a job
// that shares its address with whoever is refused (a NAT, a TLS proxy in front of the gateway) must
// still be able to end its lease; a wrong lease secret (256 bits) is refused on its own merits.
import { HttpError } from '../http/error.js'
import type { Refusals } from './refusals.js'

export class Gate {
  /** Set by the operators' `drain` and `undrain`; new leases are refused with 503 while it holds. */
  draining = false

  constructor(
    private readonly refusals: Refusals,
    private readonly perMinute: number
  ) {}

  /** The refusal of a lease request from `client` before it is read, or undefined. */
  beforeLease(client: string): HttpError | undefined {
    if (this.draining)
      return new HttpError(
        'draining',
        'the gateway is draining: it keeps its live leases and takes no new ones; retry later or elsewhere'
      )
    const wait = this.refusals.blocked(client)
    if (wait === undefined) return undefined
    return new HttpError(
      'too_many_refusals',
      `too many refused requests from this address (more than ${this.perMinute} a minute, refusals-per-address); retry in ${wait} s`
    )
  }
}
