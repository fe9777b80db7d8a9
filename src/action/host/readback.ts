// After bring-up, what the kernel actually holds, compared with what was planned: every command
// can succeed and the kernel still hold less (an MTU under 1280 turns IPv6 off on the link and
// drops its IPv6 addresses and routes without a word; another program may change the link
// meanwhile). The reads ride on the `ip -batch` scripts that make the state (the link's on the
// batch that sets it up, the routes' and IPv4 rules' on the routing batch, the IPv6 rules' on
// theirs): `ip -j` prints nothing for what it adds and a JSON array for each read, so reading back
// costs no process of its own. The comparison is pure and tested on what `ip -j` prints.
import { canonicalAddress, maxBits, prefixText, type Family, type Prefix } from '../../common/ip.js'
import { IPV6_MIN_MTU } from './plan.js'

/** The kernel's main routing table (rt_tables: 254). */
const MAIN = 254

/**
 * A table as `ip -j` names it: its number, or the name rt_tables gives the kernel's own (`main`,
 * `local`, `default`). Read by name rather than asked in numbers (`ip -N`), which not every
 * iproute2 a runner may have knows.
 */
export function tableNumber(name: string | undefined): number {
  if (name === undefined || name === 'main') return MAIN
  if (name === 'local') return 255
  if (name === 'default') return 253
  return Number(name)
}

/** What bring-up meant the kernel to hold for the interface. */
export interface Expected {
  iface: string
  addresses: readonly Prefix[]
  mtu: number
  /** Routes on the interface: a prefix, in the main table unless another is named. */
  routes: readonly { prefix: Prefix; table?: number }[]
  /** Policy rules by priority: `not fwmark N table N` or `table main suppress_prefixlength 0`. */
  rules: readonly { family: Family; priority: number; selector: string }[]
}

/** Why the kernel holds no IPv6 on the link, where that can be told. */
export type Ipv6Off =
  { cause: 'mtu'; mtu: number } | { cause: 'sysctl'; key: string } | { cause: 'kernel' } | { cause: 'unknown' }

/** The first way in which the kernel's state differs from the plan. */
export type Difference =
  | { kind: 'no-link' }
  | { kind: 'unread'; said: string }
  | { kind: 'down' }
  | { kind: 'address'; prefix: Prefix; ipv6Off?: Ipv6Off }
  | { kind: 'mtu'; held: number; want: number }
  | { kind: 'route'; prefix: Prefix; table: number; ipv6Off?: Ipv6Off }
  | { kind: 'rule'; family: Family; priority: number; selector: string }

/** `ip -j address show dev IFACE`: one link with its addresses. */
interface IpLink {
  flags?: string[]
  mtu?: number
  addr_info?: { family?: string; local?: string; prefixlen?: number }[]
}

/** `ip -j route show table all dev IFACE`: `dst` is `default`, an address (a host route) or a prefix. */
interface IpRoute {
  dst?: string
  table?: string
  type?: string
  /** Present on every IPv6 route and on no IPv4 one (the kernel's RTA_PREF, rt6_fill_node). */
  pref?: string
}

/** `ip -j rule show`. */
interface IpRule {
  priority?: number
  not?: null
  fwmark?: string
  table?: string
  suppress_prefixlen?: number
}

/** What the kernel holds, as read. `link` is undefined when the interface is gone. */
export interface Held {
  link?: IpLink
  routes: IpRoute[]
  rules: Record<Family, IpRule[]>
}

/** The batch line that reads the link and its addresses back, after the lines that set them. */
export const linkRead = (iface: string): string => `address show dev ${iface}`

/** The batch lines that read the interface's routes (every table) and, when wanted, the rules back. */
export const routesRead = (iface: string, rules: boolean): string[] => [
  `route show table all dev ${iface}`,
  ...(rules ? ['rule show'] : [])
]

/**
 * What the reads printed (batch.ts): the link batch's `address show`, the routing batch's routes
 * and IPv4 rules, the IPv6 rules batch's rules. A read that did not run is missing.
 */
export function heldFrom(
  link: unknown[] | undefined,
  routes: unknown[] = [],
  rules4: unknown[] = [],
  rules6: unknown[] = []
): Held {
  return {
    link: link?.[0] as IpLink | undefined,
    routes: routes as IpRoute[],
    rules: { 4: rules4 as IpRule[], 6: rules6 as IpRule[] }
  }
}

/** A route's destination as a prefix in canonical text (`default` by its family; a bare address is a host route). */
function routePrefix(r: IpRoute): string | undefined {
  const family: Family = r.pref !== undefined || (r.dst ?? '').includes(':') ? 6 : 4
  if (r.dst === 'default') return family === 4 ? '0.0.0.0/0' : '::/0'
  const [address = '', bits] = (r.dst ?? '').split('/')
  const canonical = canonicalAddress(address)
  return canonical && `${canonical}/${bits ?? maxBits(family)}`
}

/** Whether the rule read is the one placed: same priority, same selector. */
function sameRule(r: IpRule, want: { priority: number; selector: string }): boolean {
  if (r.priority !== want.priority) return false
  const mark = /^not fwmark ([0-9]+) table ([0-9]+)$/.exec(want.selector)
  if (mark)
    return r.not !== undefined && Number(r.fwmark) === Number(mark[1]) && tableNumber(r.table) === Number(mark[2])
  return (
    want.selector === 'table main suppress_prefixlength 0' &&
    tableNumber(r.table) === MAIN &&
    r.suppress_prefixlen === 0
  )
}

/**
 * The first difference between what the kernel holds and what was planned, or undefined. IPv6
 * missing comes first, with its cause (`ipv6Off`: the MTU held, or what `disabled` finds in /proc),
 * as it is what a person must hear: that traffic would leave outside the tunnel.
 */
export function difference(
  want: Expected,
  held: Held,
  disabled: (iface: string) => Ipv6Off | undefined = () => undefined
): Difference | undefined {
  const link = held.link
  if (link === undefined) return { kind: 'no-link' }
  const mtu = link.mtu ?? 0
  const off = (): Ipv6Off =>
    mtu > 0 && mtu < IPV6_MIN_MTU ? { cause: 'mtu', mtu } : (disabled(want.iface) ?? { cause: 'unknown' })
  const holds = new Set(
    (link.addr_info ?? []).map((a) => `${canonicalAddress(a.local ?? '') ?? ''}/${a.prefixlen ?? ''}`)
  )
  const lost = want.addresses.filter((a) => !holds.has(prefixText(a)))
  const lost6 = lost.find((a) => a.family === 6)
  if (lost6) return { kind: 'address', prefix: lost6, ipv6Off: off() }
  if (lost[0]) return { kind: 'address', prefix: lost[0] }
  if (mtu !== want.mtu) return { kind: 'mtu', held: mtu, want: want.mtu }
  if (!(link.flags ?? []).includes('UP')) return { kind: 'down' }
  const routes = new Set(held.routes.map((r) => `${routePrefix(r)} ${tableNumber(r.table)}`))
  for (const r of want.routes) {
    const table = r.table ?? MAIN
    if (routes.has(`${prefixText(r.prefix)} ${table}`)) continue
    const why = r.prefix.family === 6 ? off() : undefined
    return { kind: 'route', prefix: r.prefix, table, ...(why && why.cause !== 'unknown' ? { ipv6Off: why } : {}) }
  }
  for (const r of want.rules) {
    if (!held.rules[r.family].some((x) => sameRule(x, r))) return { kind: 'rule', ...r }
  }
  return undefined
}
