// Egress enforced: the gateway's nftables table (see plan.ts) kept equal to its leases. A lease's
// elements go in before its peer is added and come out after its peer is removed, so a leased peer is
// never on the interface unfiltered; changes that arrive together go in one `nft -f -`. The table is
// built whole at start and compared with the leases at every sweep; whatever differs (a table deleted
// or flushed by hand, an element left by a crash) is rebuilt from the store in one transaction.
import { errorText } from '../../common/errors.js'
import type { Audit } from '../audit.js'
import type { GatewayConfig } from '../settings.js'
import { Coalescer } from '../leases/peers.js'
import { run } from '../run.js'
import {
  buildScript,
  difference,
  elementScript,
  expectedFacts,
  listArgs,
  observe,
  tableName,
  type FirewallLease,
  type TablePlan
} from './plan.js'

export type { FirewallLease } from './plan.js'

/** What the leases need of a firewall: nftables, or nothing when `firewall: none`. */
export interface Firewall {
  /** Makes the table hold exactly these leases (the store's open ones, read when the change runs). */
  reconcile(open: () => readonly FirewallLease[]): Promise<void>
  /** Lets these leases' addresses send to their rules' allowed-ips; resolves once the kernel has it. */
  admit(leases: readonly FirewallLease[]): Promise<void>
  /** Takes these leases' elements out (only where the address is still theirs). */
  forget(leases: readonly FirewallLease[]): Promise<void>
}

/** No firewall at all (unit tests of the leases). */
export const NO_FIREWALL: Firewall = {
  reconcile: () => Promise.resolve(),
  admit: () => Promise.resolve(),
  forget: () => Promise.resolve()
}

type Change =
  | { kind: 'admit' | 'forget'; leases: readonly FirewallLease[] }
  | { kind: 'reconcile'; open: () => readonly FirewallLease[] }

/** Runs a command with an optional stdin script (../run.ts; a stand-in in tests). */
export type Runner = (argv: readonly string[], opts?: { input?: string }) => Promise<string>

/** The plan of the gateway's table from its configuration. */
export function tablePlan(config: Pick<GatewayConfig, 'interface' | 'allowedIps' | 'rules'>): TablePlan {
  return {
    table: tableName(config.interface),
    iface: config.interface,
    rules: config.rules.map((r) => ({ allowedIps: r.allowedIps ?? config.allowedIps, reachLeases: r.reachLeases }))
  }
}

const missingTable = (err: unknown): boolean => /No such file or directory/.test(errorText(err))

export class Nftables implements Firewall {
  /** Address (canonical text with its length) → the lease whose element it is. */
  private readonly desired = new Map<string, FirewallLease>()
  private built = false
  private readonly queue: Coalescer<Change, void>

  constructor(
    private readonly plan: TablePlan,
    private readonly audit: Audit,
    private readonly nft: Runner = run
  ) {
    this.queue = new Coalescer<Change, void>(async (changes) => {
      try {
        await this.apply(changes)
        return changes.map(() => undefined)
      } catch (err) {
        return changes.map(() => (err instanceof Error ? err : new Error(errorText(err))))
      }
    })
  }

  reconcile(open: () => readonly FirewallLease[]): Promise<void> {
    return this.queue.submit({ kind: 'reconcile', open })
  }

  admit(leases: readonly FirewallLease[]): Promise<void> {
    return leases.length ? this.queue.submit({ kind: 'admit', leases }) : Promise.resolve()
  }

  forget(leases: readonly FirewallLease[]): Promise<void> {
    return leases.length ? this.queue.submit({ kind: 'forget', leases }) : Promise.resolve()
  }

  /**
   * One batch of changes: its element updates in one transaction (a rebuild where they cannot
   * apply); then, for a reconcile, the table compared with the open leases and rebuilt where it
   * differs. An open lease this firewall never admitted is on its way (recorded by its grant, its
   * admission queued behind this batch): it is not counted as missing, though a rebuild includes it.
   */
  private async apply(changes: Change[]): Promise<void> {
    let reconcile: (Change & { kind: 'reconcile' }) | undefined
    for (const c of changes) if (c.kind === 'reconcile') reconcile = c
    let coming: FirewallLease[] = []
    if (reconcile) {
      const open = reconcile.open()
      const ids = new Set(open.map((l) => l.id))
      // Elements of leases the store no longer holds open are left over: they go.
      for (const [a, l] of this.desired) if (!ids.has(l.id)) this.desired.delete(a)
      coming = open.filter((l) => !l.addresses.some((a) => this.desired.get(a)?.id === l.id))
    }
    const add: FirewallLease[] = []
    const remove: FirewallLease[] = []
    let conflict = false
    for (const c of changes) {
      if (c.kind === 'admit')
        for (const l of c.leases) {
          // An address still held by another lease's element (left by a crash): only a rebuild replaces it.
          if (l.addresses.some((a) => (this.desired.get(a)?.id ?? l.id) !== l.id)) conflict = true
          if (l.addresses.every((a) => this.desired.get(a)?.id === l.id && this.desired.get(a)?.rule === l.rule))
            continue
          this.set(l)
          add.push(l)
        }
      else if (c.kind === 'forget')
        for (const l of c.leases) {
          const mine = l.addresses.filter((a) => this.desired.get(a)?.id === l.id)
          for (const a of mine) this.desired.delete(a)
          if (mine.length) remove.push({ ...l, addresses: mine })
        }
    }
    coming = coming.filter((l) => !l.addresses.some((a) => this.desired.has(a)))
    const leases = [...new Set(this.desired.values())]
    if (!this.built) return this.rebuild([...leases, ...coming], 'start')
    if (conflict)
      return this.rebuild([...leases, ...coming], 'an address to lease still had an element of an ended lease')
    const script = elementScript(this.plan, add, remove)
    if (script)
      try {
        await this.nft(['nft', '-f', '-'], { input: script })
      } catch (err) {
        return this.rebuild([...leases, ...coming], `updating its elements failed (${errorText(err)})`)
      }
    if (reconcile) await this.compare(leases, coming)
  }

  private set(l: FirewallLease): void {
    for (const a of l.addresses) this.desired.set(a, l)
  }

  /** Reads the table; rebuilds it (with `coming` too) when it differs from `leases`. */
  private async compare(leases: FirewallLease[], coming: FirewallLease[]): Promise<void> {
    let have: string[]
    try {
      have = observe(await this.nft(listArgs(this.plan)))
    } catch (err) {
      // Missing, or unreadable: either way, built again from the store.
      return this.rebuild(
        [...leases, ...coming],
        missingTable(err) ? 'the table was missing' : `it could not be read (${errorText(err)})`
      )
    }
    const { missing, unexpected } = difference(expectedFacts(this.plan, leases), have)
    if (missing + unexpected > 0)
      await this.rebuild(
        [...leases, ...coming],
        `the table differed from the live leases (${missing} missing, ${unexpected} unexpected)`
      )
  }

  /** Replaces the table with one holding `leases` (in one transaction); they are what it holds now. */
  private async rebuild(leases: FirewallLease[], why: string): Promise<void> {
    await this.nft(['nft', '-f', '-'], { input: buildScript(this.plan, leases) })
    for (const l of leases) this.set(l)
    const first = !this.built
    this.built = true
    this.audit(first ? 'firewall.built' : 'firewall.repaired', {
      reason: first ? `table inet ${this.plan.table} built` : `table inet ${this.plan.table} rebuilt: ${why}`,
      interface: this.plan.iface,
      leases: leases.length
    })
  }
}

/**
 * `firewall: none`: nothing is enforced. A table the gateway built before (its own name) is deleted at
 * the first reconcile, so that turning the firewall off does turn it off; nothing else is touched.
 */
export class NoFirewall implements Firewall {
  private cleaned = false

  constructor(
    private readonly plan: Pick<TablePlan, 'table' | 'iface'>,
    private readonly audit: Audit,
    private readonly nft: Runner = run
  ) {}

  async reconcile(): Promise<void> {
    if (this.cleaned) return
    this.cleaned = true
    try {
      await this.nft(['nft', 'delete', 'table', 'inet', this.plan.table])
      this.audit('firewall.removed', {
        reason: `table inet ${this.plan.table} deleted (firewall: none)`,
        interface: this.plan.iface
      })
    } catch {
      // No such table, or no nft at all: nothing of ours to remove.
    }
  }

  async admit(): Promise<void> {}

  async forget(): Promise<void> {}
}
