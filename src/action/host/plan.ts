// Pure functions that turn the tunnel into what is run: wg-quick's routing (routes, policy rules,
// the table and rule priorities chosen around what the system already has) and the `ip -batch`
// scripts that apply it. Testable without root.
import type { Peer as PeerConfig } from '../inputs/tunnel.js'
import { contains, maxBits, network, prefixText, type Family, type Prefix } from '../../common/ip.js'

/** What routing needs of a tunnel. */
export interface Routable {
  addresses: Prefix[]
  peers: Pick<PeerConfig, 'allowedIps'>[]
  table: 'auto' | 'off' | number
  fwmark?: number
}

/** The keepalive set while verifying a peer whose keepalive is off, so that bring-up starts a handshake. */
const PROBE_KEEPALIVE = 25

/** The peers whose keepalive is off but which have an endpoint: probed with a keepalive while verifying. */
export const probedPeers = <P extends Pick<PeerConfig, 'keepalive' | 'endpoint'>>(peers: readonly P[]): P[] =>
  peers.filter((p) => p.keepalive === 0 && p.endpoint !== undefined)

/** The keepalive a peer is configured with during bring-up. */
export const bringUpKeepalive = (peer: Pick<PeerConfig, 'keepalive' | 'endpoint'>): number =>
  peer.keepalive === 0 && peer.endpoint ? PROBE_KEEPALIVE : peer.keepalive

export function endpointText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The endpoint as WireGuard is given it: the address it resolved to (a host name only if unresolved). */
export const endpointAddress = (e: { host: string; port: number; address?: string }): string =>
  endpointText(e.address ?? e.host, e.port)

/** True when some address's own network route already covers the prefix (wg-quick adds no route then). */
function coveredByAddress(addresses: readonly Prefix[], prefix: Prefix): boolean {
  return addresses.some((a) => a.bits < maxBits(a.family) && contains(network(a), prefix))
}

/** A route on the interface: a prefix, in the main table unless another is named. */
interface Route {
  prefix: Prefix
  table?: number
}

export const routeText = (r: Route): string =>
  `${prefixText(r.prefix)}${r.table === undefined ? '' : ` table ${r.table}`}`

/** A policy rule: its family and selector+action, e.g. `not fwmark 51820 table 51820`. */
interface PolicyRule {
  family: Family
  selector: string
}

/** A rule with the priority it is added at, by which it is later deleted (and no other rule). */
interface PlacedRule extends PolicyRule {
  priority: number
}

/** What wg-quick's routing does for a configuration: routes, policy rules, and the fwmark they need. */
export interface RoutingPlan {
  routes: Route[]
  rules: PolicyRule[]
  /** The fwmark the interface must carry, which is also the policy table (full tunnel). */
  fwmark?: number
  /** An IPv4 full tunnel needs net.ipv4.conf.all.src_valid_mark=1. */
  srcValidMark: boolean
}

/** The allowed IPs of all peers, each once, most specific first (wg-quick: `sort -nr -k 2 -t /`). */
function allowedIps(t: Routable): Prefix[] {
  const seen = new Set<string>()
  const all: Prefix[] = []
  for (const p of t.peers.flatMap((peer) => peer.allowedIps)) {
    const key = prefixText(p)
    if (seen.has(key)) continue
    seen.add(key)
    all.push(p)
  }
  return all.sort((a, b) => b.bits - a.bits)
}

/** True when some allowed IP is a /0: a full tunnel, which wg-quick routes through a policy table. */
export const isFullTunnel = (t: Routable): boolean => t.table === 'auto' && allowedIps(t).some((p) => p.bits === 0)

/** The first table from 51820 up that holds no routes and no rule points at, as wg-quick picks it. */
export function pickTable(used: ReadonlySet<number>, from = 51820): number {
  let t = from
  while (used.has(t)) t++
  return t
}

/** Tables in use: named by a route (`ip route show table all`) or looked up by a rule (`ip rule show`). */
export function tablesInUse(routes: string, rules: string): Set<number> {
  const named = [...routes.matchAll(/\btable ([0-9]+)/g), ...rules.matchAll(/\b(?:lookup|table) ([0-9]+)/g)]
  return new Set(named.map((m) => Number(m[1])))
}

/** The priorities of the rules `ip rule show` lists, in its order. */
export const rulePriorities = (text: string): number[] => [...text.matchAll(/^([0-9]+):/gm)].map((m) => Number(m[1]))

/**
 * Priorities for new rules, as the kernel gives a rule added without one (fib_default_rule_pref:
 * one below the second rule's), so that the result equals wg-quick's; but chosen here, recorded,
 * and used to delete exactly these rules later. Never one already in use.
 */
export function placeRules(rules: readonly PolicyRule[], existing: Record<Family, readonly number[]>): PlacedRule[] {
  const taken: Record<Family, Set<number>> = { 4: new Set(existing[4]), 6: new Set(existing[6]) }
  const sorted: Record<Family, number[]> = {
    4: [...existing[4]].sort((a, b) => a - b),
    6: [...existing[6]].sort((a, b) => a - b)
  }
  return rules.map((rule) => {
    const second = sorted[rule.family][1] ?? 32766
    let priority = second > 1 ? second - 1 : 32765
    while (taken[rule.family].has(priority) && priority > 1) priority--
    taken[rule.family].add(priority)
    sorted[rule.family] = [...taken[rule.family]].sort((a, b) => a - b)
    return { ...rule, priority }
  })
}

/**
 * wg-quick's add_route for every allowed IP. `policyTable` is the table for a full tunnel (the
 * configured FwMark, else the first free from 51820).
 */
export function routingPlan(t: Routable, policyTable: number): RoutingPlan {
  const plan: RoutingPlan = { routes: [], rules: [], srcValidMark: false }
  if (t.table === 'off') return plan
  for (const prefix of allowedIps(t)) {
    if (typeof t.table === 'number') {
      plan.routes.push({ prefix, table: t.table })
    } else if (prefix.bits === 0) {
      const table = policyTable
      plan.fwmark = table
      plan.routes.push({ prefix, table })
      plan.rules.push(
        { family: prefix.family, selector: `not fwmark ${table} table ${table}` },
        { family: prefix.family, selector: 'table main suppress_prefixlength 0' }
      )
      if (prefix.family === 4) plan.srcValidMark = true
    } else if (!coveredByAddress(t.addresses, prefix)) {
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

/** One rule as an `ip -batch` line (`ip` takes the family from its -4/-6 option, not the line). */
export const ruleLine = (rule: PlacedRule, verb: 'add' | 'del'): string =>
  `rule ${verb} ${rule.selector} priority ${rule.priority}`

/** The `ip -batch` script that gives the interface its addresses and MTU and brings it up. */
export function linkBatch(iface: string, addresses: readonly Prefix[], mtu: number): string {
  const lines = addresses.map((a) => `address add ${prefixText(a)} dev ${iface}`)
  lines.push(`link set mtu ${mtu} up dev ${iface}`)
  return `${lines.join('\n')}\n`
}

/**
 * The `ip -batch` script that adds the routes (the policy table's first: adding them claims the
 * table, see up.ts) and the IPv4 rules; IPv6 rules go in an `ip -6 -batch` of their own.
 */
export function routeBatch(iface: string, plan: RoutingPlan, rules: readonly PlacedRule[]): string {
  const policy = (r: Route): boolean => plan.fwmark !== undefined && r.table === plan.fwmark
  const ordered = [...plan.routes.filter(policy), ...plan.routes.filter((r) => !policy(r))]
  const lines = ordered.map(
    (r) => `route add ${prefixText(r.prefix)} dev ${iface}${r.table === undefined ? '' : ` table ${r.table}`}`
  )
  lines.push(...rules.filter((r) => r.family === 4).map((r) => ruleLine(r, 'add')))
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

/** The policy table's routes, as many lines as open routeBatch: a failure among them is a table taken meanwhile. */
export const policyRouteCount = (plan: RoutingPlan): number =>
  plan.fwmark === undefined ? 0 : plan.routes.filter((r) => r.table === plan.fwmark).length
