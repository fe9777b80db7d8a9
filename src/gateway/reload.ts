// SIGHUP: the configuration is read again and applied in place, the TLS pair too. What a running
// process cannot change (where it listens, the interface, the pool, the store, what was built from
// the configuration at start: the firewall's table, the limiters, the control socket and metrics)
// refuses the reload; so does any error. A refused reload changes nothing and says why in one audit
// line.
import { tablePlan } from './firewall/firewall.js'
import type { GatewayConfig } from './settings.js'

/** What a reload cannot change (YAML keys, quoted), with how to compare it. */
const FIXED: [key: string, value: (c: GatewayConfig) => unknown][] = [
  ['"listen"', (c) => c.listen],
  ['"tls"', (c) => c.tls !== undefined],
  ['"insecure-http"', (c) => c.insecureHttp],
  ['"interface"', (c) => c.interface],
  ['"pool"', (c) => c.pool],
  ['"state"', (c) => c.state],
  ['"name"', (c) => c.name],
  ['"firewall"', (c) => c.firewall],
  ['"metrics"', (c) => c.metrics],
  ['"control-socket"', (c) => c.controlSocket],
  ['"rate-limit"', (c) => c.rateLimit],
  ['"refusals-per-address"', (c) => c.refusalsPerAddress],
  // The nftables table is built from these at start: what each rule's leases may reach.
  [
    'the firewall’s table (allowed-ips, the rules’ allowed-ips and reach-leases)',
    (c) => (c.firewall === 'nftables' ? tablePlan(c) : undefined)
  ]
]

/** The first thing that differs and a reload cannot change, as said; undefined when a reload can apply `next`. Pure. */
export function fixedChange(current: GatewayConfig, next: GatewayConfig): string | undefined {
  return FIXED.find(([, v]) => JSON.stringify(v(current)) !== JSON.stringify(v(next)))?.[0]
}
