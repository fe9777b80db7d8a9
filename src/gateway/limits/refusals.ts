// Refused requests, per client (an IPv4 address or an IPv6 /64): limited, and summarised in the
// audit. Every refusal is audited (`lease.refused`, `lease.release-refused`), so this sits between the
// gateway and its audit writer and sees each one:
// - a client's 4xx refusals are charged to a bucket of `perMinute`; with the bucket empty, its next
//   requests are answered 429 before anything is read or verified, until it refills;
// - at most `perMinute` refusal lines per client are written a minute; past that they are counted,
//   and one `lease.refused.repeated` line a minute says how many were not written. A client cannot
//   flood the journal (journald drops a service's lines past its rate limit, grants among them).
import type { Audit, AuditFields } from '../audit.js'
import { RateLimiter } from './rate.js'

const WINDOW_MS = 60_000
const REFUSALS = new Set(['lease.refused', 'lease.release-refused'])

interface Window {
  start: number
  written: number
  unwritten: number
}

export class Refusals {
  private readonly limiter: RateLimiter
  private readonly windows = new Map<string, Window>()

  /**
   * @param perMinute refusals a client may have a minute, and refusal lines written for it
   * @param write the audit writer lines go on to
   * @param group what one client is (server.ts clientGroup)
   */
  constructor(
    private readonly perMinute: number,
    private readonly write: Audit,
    private readonly group: (client: string) => string,
    private readonly now: () => number = Date.now
  ) {
    this.limiter = new RateLimiter(perMinute)
  }

  /** The audit to give the rest of the gateway. */
  readonly audit: Audit = (event, fields = {}) => {
    if (!REFUSALS.has(event) || fields.client === undefined) return this.write(event, fields)
    const client = this.group(fields.client)
    const now = this.now()
    if (fields.status !== undefined && fields.status >= 400 && fields.status < 500) this.limiter.take(client, now)
    let w = this.windows.get(client)
    if (w && now - w.start >= WINDOW_MS) {
      this.summarise(client, w)
      w = undefined
    }
    if (!w) this.windows.set(client, (w = { start: now, written: 0, unwritten: 0 }))
    if (w.written < this.perMinute) {
      w.written++
      this.write(event, fields)
    } else {
      w.unwritten++
    }
  }

  /**
   * Seconds until `client` may be heard again, when it went over its refusals; undefined when it may
   * send now.
   */
  blocked(client: string): number | undefined {
    const g = this.group(client)
    const now = this.now()
    return this.limiter.level(g, now) < 1 ? Math.ceil(this.limiter.waitMs(g, now) / 1000) : undefined
  }

  /** Writes the summaries of minutes that have ended (every one with `all`, at stop) and forgets them. */
  flush(all = false): void {
    const now = this.now()
    for (const [client, w] of this.windows)
      if (all || now - w.start >= WINDOW_MS) {
        this.summarise(client, w)
        this.windows.delete(client)
      }
  }

  private summarise(client: string, w: Window): void {
    if (w.unwritten === 0) return
    const fields: AuditFields = {
      client,
      count: w.unwritten,
      reason: `${w.unwritten} more refused requests from this client in the minute from ${new Date(w.start).toISOString()} were counted, not written (refusals-per-address: ${this.perMinute})`
    }
    this.write('lease.refused.repeated', fields)
  }
}
