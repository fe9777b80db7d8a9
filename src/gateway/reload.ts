// SIGHUP: the configuration is read again and applied in place, the TLS pair too. What cannot change
// in a running process (where it listens, the interface, the pool, the store) refuses the reload;
// so does any error. A refused reload changes nothing and says why in one audit line.
import type { GatewayConfig } from './settings.js'

/** YAML keys a reload cannot change, with how to compare them. */
const FIXED: [key: string, value: (c: GatewayConfig) => unknown][] = [
  ['listen', (c) => `${c.listen.host}:${c.listen.port}`],
  ['tls', (c) => c.tls !== undefined],
  ['insecure-http', (c) => c.insecureHttp],
  ['interface', (c) => c.interface],
  ['pool', (c) => JSON.stringify(c.pool)],
  ['state', (c) => c.state]
]

/** The first key that differs and a reload cannot change; undefined when a reload can apply `next`. Pure. */
export function fixedChange(current: GatewayConfig, next: GatewayConfig): string | undefined {
  return FIXED.find(([, v]) => JSON.stringify(v(current)) !== JSON.stringify(v(next)))?.[0]
}
