// The firewall against a stand-in `nft` that keeps the table's facts: built whole at the first
// reconcile, elements added and removed in batches, a difference found at a later reconcile rebuilt,
// an element update that fails repaired by a rebuild; with `firewall: none`, only its own table deleted.
import { beforeEach, describe, expect, it } from '@jest/globals'
import type { Prefix } from '../../../../src/common/ip.js'
import { Nftables, NoFirewall, tablePlan, type FirewallLease } from '../../../../src/gateway/firewall/firewall.js'
import { parseConfig } from '../../../../src/gateway/settings.js'

const CONFIG = parseConfig(`listen: 127.0.0.1:8080
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.0.0.0/24, fd99::/64]
audience: https://vpn.example.com
allowed-ips: [10.0.0.0/24, 10.20.0.0/16, fd99::/64]
rules:
  - claims: { repository_owner_id: "1234" }
  - claims: { repository_id: "5678" }
    allowed-ips: [10.20.5.0/24]
    reach-leases: true
`)
const lease = (id: string, n: number, rule = 0): FirewallLease => ({
  id,
  addresses: [`10.0.0.${n}/32`, `fd99::${n}/128`],
  rule
})

/** Commands run, and a table that `nft -f -` scripts change: what a list answers. */
class FakeNft {
  calls: { argv: string[]; input?: string }[] = []
  /** The table's leases (address → chain), or undefined when there is no table. */
  table: Map<string, string> | undefined
  failNext = false
  run = async (argv: readonly string[], opts: { input?: string } = {}): Promise<string> => {
    this.calls.push({ argv: [...argv], input: opts.input })
    await new Promise((r) => setImmediate(r))
    if (this.failNext) {
      this.failNext = false
      throw new Error('`nft -f -` failed: Error: Could not process rule: No such file or directory')
    }
    if (argv[1] === '-j') {
      if (!this.table) throw new Error('Error: No such file or directory; did you mean table ‘x’')
      return this.listing()
    }
    const script = opts.input ?? ''
    if (script.startsWith('table inet')) this.table = new Map()
    for (const m of script.matchAll(/(add|delete) element inet \S+ from[46] \{ ([^}]*) \}/g))
      for (const e of (m[2] as string).split(', ')) {
        const [addr, , , chain] = e.split(' ')
        if (m[1] === 'add') this.table?.set(addr as string, chain as string)
        else this.table?.delete(addr as string)
      }
    for (const m of script.matchAll(/map from[46] \{ type \S+ : verdict; elements = \{ ([^}]*) \} \}/g))
      for (const e of (m[1] as string).split(', ')) {
        const [addr, , , chain] = e.split(' ')
        this.table?.set(addr as string, chain as string)
      }
    return ''
  }
  /** A listing of the table as nft -j gives it, as far as the facts go (sets and maps of the plan). */
  listing(): string {
    const plan = tablePlan(CONFIG)
    const entries = [...(this.table ?? [])]
    const fam = (a: string): number => (a.includes(':') ? 6 : 4)
    const items: unknown[] = []
    for (const f of [4, 6]) {
      const mine = entries.filter(([a]) => fam(a) === f)
      items.push({ set: { name: `leases${f}`, elem: mine.map(([a]) => a) } })
      items.push({ map: { name: `from${f}`, elem: mine.map(([a, c]) => [a, { jump: { target: c } }]) } })
    }
    const allow = (n: number, f: number): string[] =>
      (plan.rules[n]?.allowedIps ?? []).filter((p) => p.family === f).map((p) => `${p.address}/${p.bits}`)
    plan.rules.forEach((r, n) => {
      for (const f of [4, 6]) {
        const a = allow(n, f)
        if (a.length)
          items.push({
            set: {
              name: `allow${f}_${n}`,
              elem: a.map((t) => ({ prefix: { addr: t.split('/')[0], len: Number(t.split('/')[1]) } }))
            }
          })
      }
      const count = (r.reachLeases ? 0 : 2) + [4, 6].filter((f) => allow(n, f).length).length + 1
      items.push(
        { chain: { name: `rule_${n}` } },
        ...Array.from({ length: count }, () => ({ rule: { chain: `rule_${n}` } }))
      )
    })
    items.push({ chain: { name: 'none' } }, { rule: { chain: 'none' } }, { chain: { name: 'check' } })
    for (let i = 0; i < 3; i++) items.push({ rule: { chain: 'check' } })
    for (const h of ['input', 'forward'])
      items.push({ chain: { name: h, hook: h, prio: 0, policy: 'accept' } }, { rule: { chain: h } })
    return JSON.stringify({ nftables: items })
  }
  deleteTable(): void {
    this.table = undefined
  }
  scripts(): string[] {
    return this.calls.filter((c) => c.argv[1] === '-f').map((c) => c.input ?? '')
  }
}

let nft: FakeNft
let audit: { event: string; [k: string]: unknown }[]
let fw: Nftables
let open: FirewallLease[]

beforeEach(() => {
  nft = new FakeNft()
  audit = []
  open = []
  fw = new Nftables(tablePlan(CONFIG), (event, f) => audit.push({ event, ...f }), nft.run)
})

describe('the firewall (nftables)', () => {
  it('plans one table named after the interface with each rule’s allowed-ips', () => {
    const plan = tablePlan(CONFIG)
    expect(plan.table).toBe('wgtunnel_gw_wg0')
    expect(plan.rules.map((r) => [r.allowedIps.map((p: Prefix) => `${p.address}/${p.bits}`), r.reachLeases])).toEqual([
      [['10.0.0.0/24', '10.20.0.0/16', 'fd99::/64'], false],
      [['10.20.5.0/24'], true]
    ])
  })

  it('builds the table whole at the first reconcile, whatever was there, with the open leases', async () => {
    nft.table = new Map([['10.0.0.99', 'rule_0']])
    open = [lease('a', 3), lease('b', 4, 1)]
    await fw.reconcile(() => open)
    expect(nft.scripts()).toHaveLength(1)
    expect(nft.scripts()[0]).toMatch(/^table inet wgtunnel_gw_wg0 \{\}\ndelete table inet wgtunnel_gw_wg0\n/)
    expect([...(nft.table ?? [])].sort()).toEqual([
      ['10.0.0.3', 'rule_0'],
      ['10.0.0.4', 'rule_1'],
      ['fd99::3', 'rule_0'],
      ['fd99::4', 'rule_1']
    ])
    expect(audit).toEqual([
      { event: 'firewall.built', reason: 'table inet wgtunnel_gw_wg0 built', interface: 'wg0', leases: 2 }
    ])
  })

  it('admits and forgets in batches: concurrent changes share one `nft -f -`', async () => {
    await fw.reconcile(() => open)
    nft.calls = []
    await Promise.all([fw.admit([lease('a', 3)]), fw.admit([lease('b', 4)]), fw.admit([lease('c', 5)])])
    // The first runs alone; the two that waited go together.
    expect(nft.scripts()).toHaveLength(2)
    expect(nft.table?.size).toBe(6)
    nft.calls = []
    await Promise.all([fw.forget([lease('a', 3)]), fw.forget([lease('b', 4)])])
    expect(nft.scripts().join('')).toMatch(/^delete element inet wgtunnel_gw_wg0 from4 \{ 10\.0\.0\.3 \}/)
    expect([...(nft.table?.keys() ?? [])].sort()).toEqual(['10.0.0.5', 'fd99::5'])
  })

  it('forgets only addresses still the lease’s, and nothing for a lease it never admitted', async () => {
    await fw.reconcile(() => open)
    await fw.admit([lease('a', 3)])
    nft.calls = []
    await fw.forget([lease('other', 3)])
    await fw.forget([lease('never', 9)])
    expect(nft.calls).toEqual([])
    expect(nft.table?.get('10.0.0.3')).toBe('rule_0')
  })

  it('compares at later reconciles: nothing to do when equal, rebuilt (and said) when not', async () => {
    open = [lease('a', 3)]
    await fw.reconcile(() => open)
    nft.calls = []
    await fw.reconcile(() => open)
    expect(nft.calls.map((c) => c.argv.join(' '))).toEqual(['nft -j list table inet wgtunnel_gw_wg0'])
    // Someone deleted the table: rebuilt from the open leases.
    nft.deleteTable()
    await fw.reconcile(() => open)
    expect(nft.table?.get('10.0.0.3')).toBe('rule_0')
    expect(audit.at(-1)).toEqual({
      event: 'firewall.repaired',
      reason: 'table inet wgtunnel_gw_wg0 rebuilt: the table was missing',
      interface: 'wg0',
      leases: 1
    })
    // An element deleted by hand, and one left over: rebuilt.
    nft.table?.delete('fd99::3')
    nft.table?.set('10.0.0.77', 'rule_1')
    await fw.reconcile(() => open)
    expect([...(nft.table?.keys() ?? [])].sort()).toEqual(['10.0.0.3', 'fd99::3'])
    expect(audit.at(-1)?.reason).toBe(
      'table inet wgtunnel_gw_wg0 rebuilt: the table differed from the live leases (2 missing, 2 unexpected)'
    )
  })

  it('counts a lease recorded but not yet admitted (a grant in flight) as on its way, not as missing', async () => {
    open = [lease('a', 3)]
    await fw.reconcile(() => open)
    // The grant recorded lease b; its admission is queued behind this reconcile.
    open = [lease('a', 3), lease('b', 4)]
    nft.calls = []
    const reconciled = fw.reconcile(() => open)
    const admitted = fw.admit([lease('b', 4)])
    await Promise.all([reconciled, admitted])
    expect(audit.map((a) => a.event)).toEqual(['firewall.built'])
    expect(nft.scripts()).toEqual([
      expect.stringMatching(/^add element inet wgtunnel_gw_wg0 from4 \{ 10\.0\.0\.4 : jump rule_0 \}/)
    ])
    // A rebuild for another cause while one is on its way includes it (filtered before its peer is added).
    open = [lease('a', 3), lease('b', 4), lease('c', 5)]
    nft.deleteTable()
    await fw.reconcile(() => open)
    expect([...(nft.table?.keys() ?? [])].sort()).toEqual([
      '10.0.0.3',
      '10.0.0.4',
      '10.0.0.5',
      'fd99::3',
      'fd99::4',
      'fd99::5'
    ])
    nft.calls = []
    await fw.admit([lease('c', 5)])
    expect(nft.calls).toEqual([])
  })

  it('rebuilds when an element update fails, so a lease is admitted all the same', async () => {
    open = [lease('a', 3)]
    await fw.reconcile(() => open)
    nft.failNext = true
    await fw.admit([lease('b', 4)])
    expect([...(nft.table?.keys() ?? [])].sort()).toEqual(['10.0.0.3', '10.0.0.4', 'fd99::3', 'fd99::4'])
    expect(audit.at(-1)?.event).toBe('firewall.repaired')
    expect(String(audit.at(-1)?.reason)).toMatch(/updating its elements failed \(.*No such file or directory\)/)
  })

  it('fails, saying what to install, when nft cannot run at all', async () => {
    await fw.reconcile(() => open)
    nft.run = async () => {
      throw new Error('`nft` was not found on PATH (…); install nftables')
    }
    fw = new Nftables(tablePlan(CONFIG), () => undefined, nft.run)
    await expect(fw.reconcile(() => open)).rejects.toThrow(/install nftables/)
  })

  it('with firewall: none, deletes its own table once and nothing else', async () => {
    const none = new NoFirewall(tablePlan(CONFIG), (event, f) => audit.push({ event, ...f }), nft.run)
    await none.reconcile()
    await none.reconcile()
    await none.admit()
    expect(nft.calls.map((c) => c.argv.join(' '))).toEqual(['nft delete table inet wgtunnel_gw_wg0'])
    expect(audit).toEqual([
      { event: 'firewall.removed', reason: 'table inet wgtunnel_gw_wg0 deleted (firewall: none)', interface: 'wg0' }
    ])
  })
})
