// Where the tunnel comes from: the inputs (per-field or `config`), or a lease from the team's
// gateway (loaded only in gateway mode, so that the common path starts no faster or slower).
import type { Config } from '../inputs/inputs.js'
import type { Journal } from '../journal/journal.js'
import type { Tunnel } from '../inputs/tunnel.js'

export interface GivenTunnel {
  tunnel: Tunnel
  /** Rows for the summary (the lease and its expiry). */
  rows: [string, string][]
}

export async function obtainTunnel(cfg: Config, journal: Journal, deadline: number): Promise<GivenTunnel> {
  if (cfg.source.kind === 'static') return { tunnel: cfg.source.tunnel, rows: [] }
  const { leaseTunnel } = await import('./lease.js')
  return leaseTunnel(cfg.source, journal, deadline)
}
