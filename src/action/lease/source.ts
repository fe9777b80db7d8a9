// Where the tunnel comes from: the inputs (per-field or `config`), or a lease from the team's
// gateway (loaded only in gateway mode, so that the common path starts no faster or slower; the
// type import below is erased, and lease.ts imports nothing of this file).
import type { Config } from '../inputs/inputs.js'
import type { Journal } from '../journal/journal.js'
import type { GivenTunnel } from './lease.js'

export async function obtainTunnel(cfg: Config, journal: Journal, deadline: number): Promise<GivenTunnel> {
  if (cfg.source.kind === 'static') return { tunnel: cfg.source.tunnel, rows: [] }
  const { leaseTunnel } = await import('./lease.js')
  return leaseTunnel(cfg.source, journal, deadline)
}
