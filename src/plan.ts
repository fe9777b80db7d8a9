// Pure functions that turn the configuration into what is run: the `wg setconf` file, the
// `ip -batch` scripts for bring-up and teardown. Testable without root.
import type { FlatConfig as Config, Peer as PeerConfig } from './config.js'
import { contains, maxBits, network, prefixText, type Prefix } from './ip.js'

/** The keepalive set while verifying a peer whose keepalive is off, so that bring-up starts a handshake. */
export const PROBE_KEEPALIVE = 25

/** The peers whose keepalive is off but which have an endpoint: probed with a keepalive while verifying. */
export const probedPeers = (cfg: Config): PeerConfig[] =>
  cfg.peers.filter((p) => p.keepalive === 0 && p.endpoint !== undefined)

/** The keepalive a peer is configured with during bring-up. */
export const bringUpKeepalive = (peer: PeerConfig): number =>
  peer.keepalive === 0 && peer.endpoint ? PROBE_KEEPALIVE : peer.keepalive

export function endpointText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * The `wg setconf` file. `addresses` maps each peer's endpoint host to the address it resolved to.
 * Peers with keepalive off get PROBE_KEEPALIVE here: the link coming up then sends a keepalive,
 * which starts the handshake; `keepaliveRestore` turns it off again once verified.
 */
export function wgConf(cfg: Config, resolved: ReadonlyMap<string, string>, fwmark = cfg.fwmark): string {
  const lines = ['[Interface]', `PrivateKey = ${cfg.privateKey}`]
  if (cfg.listenPort !== undefined) lines.push(`ListenPort = ${cfg.listenPort}`)
  if (fwmark !== undefined) lines.push(`FwMark = ${fwmark}`)
  for (const peer of cfg.peers) {
    lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`)
    if (peer.presharedKey) lines.push(`PresharedKey = ${peer.presharedKey}`)
    if (peer.endpoint) {
      const host = resolved.get(peer.endpoint.host) ?? peer.endpoint.host
      lines.push(`Endpoint = ${endpointText(host, peer.endpoint.port)}`)
    }
    if (peer.allowedIps.length > 0) lines.push(`AllowedIPs = ${peer.allowedIps.map(prefixText).join(', ')}`)
    const keepalive = bringUpKeepalive(peer)
    if (keepalive > 0) lines.push(`PersistentKeepalive = ${keepalive}`)
  }
  return `${lines.join('\n')}\n`
}

/** `wg` arguments that put back keepalive off on the peers that were probed, or none. */
export function keepaliveRestore(cfg: Config): string[] | undefined {
  const probed = probedPeers(cfg)
  if (probed.length === 0) return undefined
  return ['set', cfg.iface, ...probed.flatMap((p) => ['peer', p.publicKey, 'persistent-keepalive', 'off'])]
}

/** True when some address's own network route already covers the prefix (wg-quick adds no route then). */
export function coveredByAddress(addresses: readonly Prefix[], prefix: Prefix): boolean {
  return addresses.some((a) => a.bits < maxBits(a.family) && contains(network(a), prefix))
}

/** A route on the interface: a prefix, in the main table unless another is named. */
export interface Route {
  prefix: Prefix
  table?: number
}

export const routeText = (r: Route): string =>
  `${prefixText(r.prefix)}${r.table === undefined ? '' : ` table ${r.table}`}`

/** What wg-quick's routing does for a configuration: routes, policy rules, and the fwmark they need. */
export interface RoutingPlan {
  routes: Route[]
  /** `ip rule` selectors with their family, e.g. `-4 not fwmark 51820 table 51820`. */
  rules: string[]
  /** The fwmark the interface must carry (full tunnel). */
  fwmark?: number
  /** An IPv4 full tunnel needs net.ipv4.conf.all.src_valid_mark=1. */
  srcValidMark: boolean
}

/** The allowed IPs of all peers, each once, most specific first (wg-quick: `sort -nr -k 2 -t /`). */
export function allowedIps(cfg: Config): Prefix[] {
  const seen = new Set<string>()
  const all: Prefix[] = []
  for (const p of cfg.peers.flatMap((peer) => peer.allowedIps)) {
    const key = prefixText(p)
    if (seen.has(key)) continue
    seen.add(key)
    all.push(p)
  }
  return all.sort((a, b) => b.bits - a.bits)
}

/** True when some allowed IP is a /0: a full tunnel, which wg-quick routes through a policy table. */
export const isFullTunnel = (cfg: Config): boolean => cfg.table === 'auto' && allowedIps(cfg).some((p) => p.bits === 0)

/** The first table from 51820 up that holds no routes, as wg-quick picks it. */
export function pickTable(used: ReadonlySet<number>, from = 51820): number {
  let t = from
  while (used.has(t)) t++
  return t
}

/**
 * wg-quick's add_route for every allowed IP. `policyTable` is the table for a full tunnel (the
 * configured FwMark, else the first free from 51820).
 */
export function routingPlan(cfg: Config, policyTable: number): RoutingPlan {
  const plan: RoutingPlan = { routes: [], rules: [], srcValidMark: false }
  if (cfg.table === 'off') return plan
  for (const prefix of allowedIps(cfg)) {
    if (typeof cfg.table === 'number') {
      plan.routes.push({ prefix, table: cfg.table })
    } else if (prefix.bits === 0) {
      const t = policyTable
      plan.fwmark = t
      plan.routes.push({ prefix, table: t })
      const f = `-${prefix.family}`
      plan.rules.push(`${f} not fwmark ${t} table ${t}`, `${f} table main suppress_prefixlength 0`)
      if (prefix.family === 4) plan.srcValidMark = true
    } else if (!coveredByAddress(cfg.addresses, prefix)) {
      plan.routes.push({ prefix })
    }
  }
  return plan
}

/** wg-quick's MTU: the largest route MTU towards the endpoints (1500 when none is known), minus 80. */
export function autoMtu(routeMtus: readonly number[]): number {
  const best = Math.max(0, ...routeMtus)
  return (best > 0 ? best : 1500) - 80
}

/** The rules of one family as `ip -batch` lines (`ip` takes the family from its -4/-6 option, not the line). */
export function ruleLines(rules: readonly string[], family: '-4' | '-6', verb: 'add' | 'del'): string[] {
  return rules.filter((r) => r.startsWith(`${family} `)).map((r) => `rule ${verb} ${r.slice(3)}`)
}

/** The `ip -batch` script that brings the configured interface up: addresses, MTU, link, routes, IPv4 rules. */
export function upBatch(cfg: Config, mtu: number, plan: RoutingPlan): string {
  const lines = cfg.addresses.map((a) => `address add ${prefixText(a)} dev ${cfg.iface}`)
  lines.push(`link set mtu ${mtu} up dev ${cfg.iface}`)
  for (const r of plan.routes)
    lines.push(`route add ${prefixText(r.prefix)} dev ${cfg.iface}${r.table === undefined ? '' : ` table ${r.table}`}`)
  lines.push(...ruleLines(plan.rules, '-4', 'add'))
  return `${lines.join('\n')}\n`
}

/** The `ip -batch` script that removes what upBatch added, IPv6 rules aside (run with -force: missing parts are fine). */
export function downBatch(iface: string, routes: readonly string[], rules: readonly string[]): string {
  const routeDel = (route: string): string => {
    const [prefix, ...table] = route.split(' ')
    return ['route del', prefix, 'dev', iface, ...table].join(' ')
  }
  return `${[...ruleLines(rules, '-4', 'del'), ...routes.map(routeDel), `link delete dev ${iface}`].join('\n')}\n`
}
