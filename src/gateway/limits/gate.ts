// What is refused before a request is read: every new lease while the gateway drains (an operator's
// `drain`: live leases stay and can be released), and anything from a client that went over its
// refused requests (refusals.ts).
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
    return this.beforeRelease(client)
  }

  /** The refusal of a release from `client` before it is read, or undefined (releases go on while draining). */
  beforeRelease(client: string): HttpError | undefined {
    const wait = this.refusals.blocked(client)
    if (wait === undefined) return undefined
    return new HttpError(
      'too_many_refusals',
      `too many refused requests from this address (more than ${this.perMinute} a minute, refusals-per-address); retry in ${wait} s`
    )
  }
}
