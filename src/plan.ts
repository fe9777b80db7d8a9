// Pure functions that turn the configuration into what is run: the `wg setconf` file, the
// `ip -batch` scripts for bring-up and teardown. Testable without root.
import { coveredByAddress, type Config } from './config.js'
import { prefixText, type Prefix } from './ip.js'

/** The keepalive set while verifying a peer whose keepalive is off, so that bring-up starts a handshake. */
export const PROBE_KEEPALIVE = 25

export function endpointText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * The `wg setconf` file. `addresses` maps each peer's endpoint host to the address it resolved to.
 * Peers with keepalive off get PROBE_KEEPALIVE here: the link coming up then sends a keepalive,
 * which starts the handshake; `keepaliveRestore` turns it off again once verified.
 */
export function wgConf(cfg: Config, resolved: ReadonlyMap<string, string>): string {
  const lines = ['[Interface]', `PrivateKey = ${cfg.privateKey}`]
  for (const peer of cfg.peers) {
    lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`)
    if (peer.presharedKey) lines.push(`PresharedKey = ${peer.presharedKey}`)
    if (peer.endpoint) {
      const host = resolved.get(peer.endpoint.host) ?? peer.endpoint.host
      lines.push(`Endpoint = ${endpointText(host, peer.endpoint.port)}`)
    }
    if (peer.allowedIps.length > 0) lines.push(`AllowedIPs = ${peer.allowedIps.map(prefixText).join(', ')}`)
    const keepalive = peer.keepalive === 0 && peer.endpoint ? PROBE_KEEPALIVE : peer.keepalive
    if (keepalive > 0) lines.push(`PersistentKeepalive = ${keepalive}`)
  }
  return `${lines.join('\n')}\n`
}

/** `wg set` arguments that put back keepalive off on the peers that were probed, or none. */
export function keepaliveRestore(cfg: Config): string[] | undefined {
  const probed = cfg.peers.filter((p) => p.keepalive === 0 && p.endpoint)
  if (probed.length === 0) return undefined
  return ['wg', 'set', cfg.iface, ...probed.flatMap((p) => ['peer', p.publicKey, 'persistent-keepalive', 'off'])]
}

/**
 * The routes wg-quick would add: one per allowed IP of every peer, most specific first, skipping
 * those that an address's own network route already covers.
 */
export function routesFor(cfg: Config): Prefix[] {
  const seen = new Set<string>()
  const all: Prefix[] = []
  for (const p of cfg.peers.flatMap((peer) => peer.allowedIps)) {
    const key = prefixText(p)
    if (seen.has(key)) continue
    seen.add(key)
    all.push(p)
  }
  return all.sort((a, b) => b.bits - a.bits).filter((p) => !coveredByAddress(cfg.addresses, p))
}

/** wg-quick's MTU: the largest route MTU towards the endpoints (1500 when none is known), minus 80. */
export function autoMtu(routeMtus: readonly number[]): number {
  const best = Math.max(0, ...routeMtus)
  return (best > 0 ? best : 1500) - 80
}

/** The `ip -batch` script that brings the configured interface up. */
export function upBatch(cfg: Config, mtu: number, routes: readonly Prefix[]): string {
  const lines = cfg.addresses.map((a) => `address add ${prefixText(a)} dev ${cfg.iface}`)
  lines.push(`link set mtu ${mtu} up dev ${cfg.iface}`)
  for (const r of routes) lines.push(`route add ${prefixText(r)} dev ${cfg.iface}`)
  return `${lines.join('\n')}\n`
}

/** The `ip -batch` script that removes what upBatch added (run with -force: missing parts are fine). */
export function downBatch(iface: string, routes: readonly string[], deleteLink: boolean): string {
  const lines = routes.map((r) => `route del ${r} dev ${iface}`)
  if (deleteLink) lines.push(`link delete dev ${iface}`)
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}
