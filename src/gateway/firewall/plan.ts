// The gateway's nftables table, planned as data: the script that builds it whole, the scripts that add
// and remove one lease's elements, and the facts it should hold, to compare with what `nft -j list
// table` reads. Pure.
//
// One table of the gateway's own, `inet wgtunnel_gw_<interface>` (defguard keeps one table per
// location for the same reason): the gateway only ever names this table, so the host's own rules and
// other programs' tables are never read or changed. In nftables a packet must be accepted by every
// base chain on its hook, whichever table holds it: this table can only narrow what the host allows,
// never widen it.
//
//   table inet wgtunnel_gw_wg0 {
//     set leases4 { type ipv4_addr }                 every live lease's address (and leases6)
//     set allow4_0 { type ipv4_addr; flags interval } rule 0's allowed-ips (and allow6_0)
//     map from4 { type ipv4_addr : verdict }         a lease's address → jump rule_N (and from6)
//     chain rule_0 { ip daddr @leases4 counter drop   (unless the rule has reach-leases: true)
//                    ip daddr @allow4_0 accept
//                    counter drop }
//     chain check { ct direction reply accept; ip saddr vmap @from4; ip6 saddr vmap @from6 }
//     chain input   { type filter hook input priority filter; policy accept; iifname "wg0" jump check }
//     chain forward { type filter hook forward priority filter; policy accept; iifname "wg0" jump check }
//   }
//
// Only packets that arrive on the interface from a leased address are judged (WireGuard admits a
// packet from a peer only with a source among its allowed IPs, so the source is the lease's). They
// may go to their rule's allowed-ips and nowhere else: not to another lease's address unless the
// rule says `reach-leases: true`, not to a destination the runner routes into the tunnel beyond
// them, on the host itself (input) or through it (forward). Replies of connections opened towards
// a lease pass. `iifname`, not `iif`: it keeps matching when the interface is recreated.
import { contains, parsePrefix, prefixText, type Family, type Prefix } from '../../common/ip.js'

export interface FirewallRule {
  /** Where leases of this rule may send: the rule's allowed-ips, or the top-level ones. */
  allowedIps: readonly Prefix[]
  /** Whether they may also reach other leases' addresses (within allowedIps). */
  reachLeases: boolean
}

/** What the table needs of a lease: its addresses (`192.0.2.7/32`) and the index of its rule. */
export interface FirewallLease {
  id: string
  addresses: readonly string[]
  rule: number
}

export interface TablePlan {
  /** `wgtunnel_gw_<interface>`, see tableName. */
  table: string
  iface: string
  rules: readonly FirewallRule[]
}

/** An address of the table: its canonical bare text and family. */
interface Host {
  address: string
  family: Family
}

const FAMILIES: Family[] = [4, 6]
const HOOKS = ['input', 'forward'] as const
const ip = (f: Family): string => (f === 4 ? 'ip' : 'ip6')
const type = (f: Family): string => (f === 4 ? 'ipv4_addr' : 'ipv6_addr')
/** The chain a lease of rule `n` jumps to; `none` (drops all) when the rule no longer exists. */
const ruleChain = (plan: TablePlan, n: number): string => (n >= 0 && n < plan.rules.length ? `rule_${n}` : 'none')

/**
 * The table's name for an interface: `wgtunnel_gw_` and the name with every character other than a
 * letter or digit written as `_` and two hex digits (`wg-prod` → `wgtunnel_gw_wg_2dprod`), so that
 * two interfaces never share a table and the name is a plain nft identifier.
 */
export function tableName(iface: string): string {
  return `wgtunnel_gw_${iface.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`
}

/** A lease's addresses as hosts; text that is not an address is skipped (the store holds only ours). */
function hosts(lease: FirewallLease): Host[] {
  const out: Host[] = []
  for (const text of lease.addresses) {
    const p = parsePrefix(text)
    if (typeof p !== 'string') out.push({ address: p.address, family: p.family })
  }
  return out
}

/** Prefixes without those another one contains (nft refuses overlapping intervals), in order. */
function outermost(prefixes: readonly Prefix[], family: Family): string[] {
  const mine = prefixes.filter((p) => p.family === family)
  return mine
    .filter((p, i) => !mine.some((q, j) => j !== i && contains(q, p) && (q.bits < p.bits || j < i)))
    .map(prefixText)
}

function ruleLines(plan: TablePlan, n: number): string[] {
  const rule = plan.rules[n] as FirewallRule
  const lines: string[] = []
  if (!rule.reachLeases) for (const f of FAMILIES) lines.push(`${ip(f)} daddr @leases${f} counter drop`)
  for (const f of FAMILIES)
    if (outermost(rule.allowedIps, f).length > 0) lines.push(`${ip(f)} daddr @allow${f}_${n} accept`)
  lines.push('counter drop')
  return lines
}

const CHECK = ['ct direction reply accept', 'ip saddr vmap @from4', 'ip6 saddr vmap @from6']
const hookLines = (plan: TablePlan): string[] => [`iifname ${JSON.stringify(plan.iface)} jump check`]

/**
 * The facts a table built from this plan holds for these leases: one string per chain (its hook and
 * number of rules), per set or map, and per element. Compared, as sorted lists, with observe().
 */
export function expectedFacts(plan: TablePlan, leases: readonly FirewallLease[]): string[] {
  const facts: string[] = []
  const chain = (name: string, hook: string, rules: number): void => void facts.push(`chain ${name} ${hook} ${rules}`)
  plan.rules.forEach((rule, n) => {
    chain(`rule_${n}`, '-', ruleLines(plan, n).length)
    for (const f of FAMILIES) {
      const allowed = outermost(rule.allowedIps, f)
      if (allowed.length === 0) continue
      facts.push(`set allow${f}_${n}`)
      for (const p of allowed) facts.push(`set allow${f}_${n} ${p}`)
    }
  })
  chain('none', '-', 1)
  chain('check', '-', CHECK.length)
  for (const h of HOOKS) chain(h, `${h}/0/accept`, hookLines(plan).length)
  for (const f of FAMILIES) facts.push(`set leases${f}`, `map from${f}`)
  for (const lease of leases)
    for (const h of hosts(lease)) {
      const bits = h.family === 4 ? 32 : 128
      facts.push(
        `set leases${h.family} ${h.address}/${bits}`,
        `map from${h.family} ${h.address}/${bits} ${ruleChain(plan, lease.rule)}`
      )
    }
  return facts.sort()
}

/** An element of `nft -j` output as canonical prefix text (`10.0.0.0/8`, `192.0.2.7/32`), or `unreadable …`. */
function elementText(e: unknown): string {
  let text: string | undefined
  if (typeof e === 'string') text = e
  else if (e && typeof e === 'object' && 'prefix' in e) {
    const p = (e as { prefix: { addr?: unknown; len?: unknown } }).prefix
    if (typeof p.addr === 'string' && typeof p.len === 'number') text = `${p.addr}/${p.len}`
  }
  if (text === undefined) return `unreadable ${JSON.stringify(e)}`
  const p = parsePrefix(text)
  return typeof p === 'string' ? `unreadable ${text}` : prefixText(p)
}

/**
 * The facts of a table as `nft -j list table inet NAME` prints it (see expectedFacts). Anything it
 * cannot read becomes a fact no plan has, so that the table is rebuilt.
 */
export function observe(json: string): string[] {
  const items = (JSON.parse(json) as { nftables?: Record<string, Record<string, unknown>>[] }).nftables ?? []
  const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?')
  const facts: string[] = []
  const rules = new Map<string, number>()
  const chains: { name: string; hook: string }[] = []
  for (const item of items) {
    if (item.chain) {
      const c = item.chain
      const hook = c.hook === undefined ? '-' : `${text(c.hook)}/${text(c.prio)}/${text(c.policy)}`
      chains.push({ name: text(c.name), hook })
    } else if (item.rule) {
      const name = text(item.rule.chain)
      rules.set(name, (rules.get(name) ?? 0) + 1)
    } else if (item.set) {
      const name = text(item.set.name)
      facts.push(`set ${name}`)
      for (const e of (item.set.elem as unknown[] | undefined) ?? []) facts.push(`set ${name} ${elementText(e)}`)
    } else if (item.map) {
      const name = text(item.map.name)
      facts.push(`map ${name}`)
      for (const e of (item.map.elem as unknown[] | undefined) ?? []) {
        const pair: unknown[] = Array.isArray(e) ? (e as unknown[]) : [e]
        const target = (pair[1] as { jump?: { target?: unknown } } | undefined)?.jump?.target
        facts.push(`map ${name} ${elementText(pair[0])} ${typeof target === 'string' ? target : 'unreadable'}`)
      }
    }
  }
  for (const c of chains) facts.push(`chain ${c.name} ${c.hook} ${rules.get(c.name) ?? 0}`)
  return facts.sort()
}

/** How two fact lists differ: facts only in `want` (missing) and only in `have` (unexpected). */
export function difference(want: readonly string[], have: readonly string[]): { missing: number; unexpected: number } {
  const w = new Set(want)
  const h = new Set(have)
  return { missing: [...w].filter((f) => !h.has(f)).length, unexpected: [...h].filter((f) => !w.has(f)).length }
}

const elements = (items: readonly string[]): string => `{ ${items.join(', ')} }`

/**
 * The `nft -f -` script that replaces the table, whole, with one built from the plan for these
 * leases: one transaction (creating it first, so that deleting it cannot fail), so a packet meets
 * either the old table or the new one, never none.
 */
export function buildScript(plan: TablePlan, leases: readonly FirewallLease[]): string {
  const t = plan.table
  const out = [`table inet ${t} {}`, `delete table inet ${t}`, `table inet ${t} {`]
  for (const f of FAMILIES) {
    const mine = leases.flatMap((l) =>
      hosts(l)
        .filter((h) => h.family === f)
        .map((h) => ({ h, rule: l.rule }))
    )
    out.push(
      `  set leases${f} { type ${type(f)};${mine.length ? ` elements = ${elements(mine.map((m) => m.h.address))}` : ''} }`
    )
    out.push(
      `  map from${f} { type ${type(f)} : verdict;${mine.length ? ` elements = ${elements(mine.map((m) => `${m.h.address} : jump ${ruleChain(plan, m.rule)}`))}` : ''} }`
    )
  }
  plan.rules.forEach((rule, n) => {
    for (const f of FAMILIES) {
      const allowed = outermost(rule.allowedIps, f)
      if (allowed.length > 0)
        out.push(`  set allow${f}_${n} { type ${type(f)}; flags interval; elements = ${elements(allowed)} }`)
    }
    out.push(`  chain rule_${n} {`, ...ruleLines(plan, n).map((l) => `    ${l}`), '  }')
  })
  out.push('  chain none {', '    counter drop', '  }')
  out.push('  chain check {', ...CHECK.map((l) => `    ${l}`), '  }')
  for (const h of HOOKS)
    out.push(
      `  chain ${h} {`,
      `    type filter hook ${h} priority filter; policy accept;`,
      ...hookLines(plan).map((l) => `    ${l}`),
      '  }'
    )
  out.push('}')
  return `${out.join('\n')}\n`
}

/**
 * The `nft -f -` script that adds and removes leases' elements in the table as it is (one
 * transaction). Fails, as nft does, when an added address is there already or a removed one is not:
 * the caller then rebuilds the table.
 */
export function elementScript(
  plan: TablePlan,
  add: readonly FirewallLease[],
  remove: readonly FirewallLease[]
): string {
  const t = plan.table
  const out: string[] = []
  for (const f of FAMILIES) {
    const gone = remove.flatMap((l) =>
      hosts(l)
        .filter((h) => h.family === f)
        .map((h) => h.address)
    )
    if (gone.length)
      out.push(
        `delete element inet ${t} from${f} ${elements(gone)}`,
        `delete element inet ${t} leases${f} ${elements(gone)}`
      )
  }
  for (const f of FAMILIES) {
    const mine = add.flatMap((l) =>
      hosts(l)
        .filter((h) => h.family === f)
        .map((h) => ({ h, rule: l.rule }))
    )
    if (mine.length)
      out.push(
        `add element inet ${t} from${f} ${elements(mine.map((m) => `${m.h.address} : jump ${ruleChain(plan, m.rule)}`))}`,
        `add element inet ${t} leases${f} ${elements(mine.map((m) => m.h.address))}`
      )
  }
  return out.length ? `${out.join('\n')}\n` : ''
}

/** The arguments that read the table (`nft -j list table inet NAME`). */
export const listArgs = (plan: Pick<TablePlan, 'table'>): string[] => ['nft', '-j', 'list', 'table', 'inet', plan.table]
