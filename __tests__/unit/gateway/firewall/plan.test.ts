// The nftables table as data: its name, the script that builds it, the element scripts, and the facts
// compared at each sweep. nft-list.json is what nft 1.0.6 printed (`nft -j list table inet
// wgtunnel_gw_wg0`) for the table buildScript made for PLAN and LEASES below: reading it back must give
// exactly the facts the plan expects.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import {
  buildScript,
  difference,
  elementScript,
  expectedFacts,
  listArgs,
  observe,
  tableName,
  type TablePlan
} from '../../../../src/gateway/firewall/plan.js'

const P = (t: string): Prefix => parsePrefix(t) as Prefix
const PLAN: TablePlan = {
  table: 'wgtunnel_gw_wg0',
  iface: 'wg0',
  rules: [
    // 10.20.0.0/16 lies in 10.0.0.0/8: nft refuses overlapping intervals, so only the outer one goes in.
    { allowedIps: [P('10.20.0.0/16'), P('10.0.0.0/8'), P('fd00::/8')], reachLeases: false },
    { allowedIps: [P('192.0.2.0/24')], reachLeases: true }
  ]
}
const LEASES = [
  { id: 'a', addresses: ['192.0.2.3/32', '2001:db8:1::3/128'], rule: 0 },
  { id: 'b', addresses: ['192.0.2.4/32'], rule: 1 },
  // Its rule is gone from the configuration: it may send nowhere.
  { id: 'c', addresses: ['192.0.2.5/32'], rule: 7 }
]
const LISTED = readFileSync(new URL('./nft-list.json', import.meta.url), 'utf8')

describe('the gateway’s nftables table', () => {
  it('is named after the interface, one table per interface, a plain nft identifier', () => {
    expect(tableName('wg0')).toBe('wgtunnel_gw_wg0')
    expect(tableName('wg-prod')).toBe('wgtunnel_gw_wg_2dprod')
    const names = ['a.b', 'a_b', 'a-b', 'a=b', 'a+b', 'a_2eb'].map(tableName)
    expect(new Set(names).size).toBe(names.length)
    for (const n of names) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/)
    expect(listArgs(PLAN)).toEqual(['nft', '-j', 'list', 'table', 'inet', 'wgtunnel_gw_wg0'])
  })

  it('is built whole in one transaction: leases jump to their rule, which allows its allowed-ips and drops other leases', () => {
    expect(buildScript(PLAN, LEASES)).toBe(`table inet wgtunnel_gw_wg0 {}
delete table inet wgtunnel_gw_wg0
table inet wgtunnel_gw_wg0 {
  set leases4 { type ipv4_addr; elements = { 192.0.2.3, 192.0.2.4, 192.0.2.5 } }
  map from4 { type ipv4_addr : verdict; elements = { 192.0.2.3 : jump rule_0, 192.0.2.4 : jump rule_1, 192.0.2.5 : jump none } }
  set leases6 { type ipv6_addr; elements = { 2001:db8:1::3 } }
  map from6 { type ipv6_addr : verdict; elements = { 2001:db8:1::3 : jump rule_0 } }
  set allow4_0 { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }
  set allow6_0 { type ipv6_addr; flags interval; elements = { fd00::/8 } }
  chain rule_0 {
    ip daddr @leases4 counter drop
    ip6 daddr @leases6 counter drop
    ip daddr @allow4_0 accept
    ip6 daddr @allow6_0 accept
    counter drop
  }
  set allow4_1 { type ipv4_addr; flags interval; elements = { 192.0.2.0/24 } }
  chain rule_1 {
    ip daddr @allow4_1 accept
    counter drop
  }
  chain none {
    counter drop
  }
  chain check {
    ct direction reply accept
    ip saddr vmap @from4
    ip6 saddr vmap @from6
  }
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wg0" jump check
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "wg0" jump check
  }
}
`)
  })

  it('with no leases, holds empty sets and maps', () => {
    const script = buildScript(PLAN, [])
    expect(script).toContain('  set leases4 { type ipv4_addr; }\n  map from4 { type ipv4_addr : verdict; }\n')
    expect(expectedFacts(PLAN, []).filter((f) => /^(set leases|map from)\S+ /.test(f))).toEqual([])
  })

  it('reads nft’s own listing back as exactly the facts the plan expects', () => {
    const have = observe(LISTED)
    expect(have).toEqual(expectedFacts(PLAN, LEASES))
    expect(have).toContain('map from4 192.0.2.3/32 rule_0')
    expect(have).toContain('chain forward forward/0/accept 1')
    expect(difference(expectedFacts(PLAN, LEASES), have)).toEqual({ missing: 0, unexpected: 0 })
  })

  it('sees what differs: a lease missing, one left over, a chain flushed, a table that is not there', () => {
    const have = observe(LISTED)
    // Lease b ended but its elements stayed; lease d is new and not in the table yet.
    const now = [LEASES[0]!, LEASES[2]!, { id: 'd', addresses: ['192.0.2.6/32'], rule: 0 }]
    expect(difference(expectedFacts(PLAN, now), have)).toEqual({ missing: 2, unexpected: 2 })
    const flushed = JSON.parse(LISTED) as { nftables: Record<string, { chain?: string }>[] }
    flushed.nftables = flushed.nftables.filter((i) => i.rule?.chain !== 'check')
    expect(difference(expectedFacts(PLAN, LEASES), observe(JSON.stringify(flushed)))).toEqual({
      missing: 1,
      unexpected: 1
    })
    expect(difference(expectedFacts(PLAN, LEASES), [])).toEqual({
      missing: expectedFacts(PLAN, LEASES).length,
      unexpected: 0
    })
  })

  it('reads what it does not know (a range, another verdict) as facts no plan has', () => {
    const odd = JSON.stringify({
      nftables: [
        { set: { name: 'leases4', elem: [{ range: ['192.0.2.3', '192.0.2.9'] }] } },
        { map: { name: 'from4', elem: [['192.0.2.3', { accept: null }]] } }
      ]
    })
    expect(observe(odd)).toEqual([
      'map from4',
      'map from4 192.0.2.3/32 unreadable',
      'set leases4',
      'set leases4 unreadable {"range":["192.0.2.3","192.0.2.9"]}'
    ])
  })

  it('adds and removes one lease’s elements in one script, removals first', () => {
    const added = { id: 'd', addresses: ['192.0.2.9/32', '2001:db8:1::9/128'], rule: 1 }
    expect(elementScript(PLAN, [added], [LEASES[0]!])).toBe(`delete element inet wgtunnel_gw_wg0 from4 { 192.0.2.3 }
delete element inet wgtunnel_gw_wg0 leases4 { 192.0.2.3 }
delete element inet wgtunnel_gw_wg0 from6 { 2001:db8:1::3 }
delete element inet wgtunnel_gw_wg0 leases6 { 2001:db8:1::3 }
add element inet wgtunnel_gw_wg0 from4 { 192.0.2.9 : jump rule_1 }
add element inet wgtunnel_gw_wg0 leases4 { 192.0.2.9 }
add element inet wgtunnel_gw_wg0 from6 { 2001:db8:1::9 : jump rule_1 }
add element inet wgtunnel_gw_wg0 leases6 { 2001:db8:1::9 }
`)
    expect(elementScript(PLAN, [], [])).toBe('')
  })

  it('quotes the interface name and gives a rule without IPv6 allowed-ips no IPv6 destination', () => {
    const plan: TablePlan = {
      table: tableName('wg+x'),
      iface: 'wg+x',
      rules: [{ allowedIps: [P('10.0.0.0/8')], reachLeases: false }]
    }
    const script = buildScript(plan, [])
    expect(script).toContain('    iifname "wg+x" jump check\n')
    expect(script).toContain(
      '  chain rule_0 {\n    ip daddr @leases4 counter drop\n    ip6 daddr @leases6 counter drop\n    ip daddr @allow4_0 accept\n    counter drop\n  }\n'
    )
    expect(script).not.toContain('allow6_0')
  })
})
