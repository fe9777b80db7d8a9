// wg-quick's routing, applied: the policy table chosen among those free, the rules placed at
// priorities recorded before they are added, src_valid_mark for an IPv4 full tunnel. A table that
// another tunnel claimed in the meantime (two jobs starting at once) is given up for the next one.
import type { Backend } from '../backend/backend.js'
import { SRC_VALID_MARK, type Journal } from '../journal/journal.js'
import { allowedIpsInput, ipRefused, kernelSaid, tableTaken } from '../report/messages.js'
import { prefixOrigin } from '../inputs/tunnel.js'
import { prefixText, type Family } from '../../common/ip.js'
import { routesRead } from './readback.js'
import { ifindex, ipv6Disabled } from './probe.js'
import { needSrcValidMark, newOwnerId } from './shared.js'
import {
  isFullTunnel,
  pickTable,
  placeRules,
  policyRouteCount,
  routeBatch,
  routeBatchLines,
  ruleLine,
  routingPlan,
  rulePriorities,
  tablesInUse,
  type PlacedRule,
  type Routable,
  type RouteBatchLine,
  type RoutingPlan
} from './plan.js'
import { echo, echoBatch } from './echo.js'
import { CommandError, commandLine, isRoot, run, sudoRefused, type RunOptions } from './run.js'
import { ipBatch, type Answer } from './batch.js'

interface RoutingContext {
  iface: string
  ip: string
  journal: Journal
  limits: Pick<RunOptions, 'deadline'>
}

/** How many times a table taken meanwhile is traded for the next free one. */
const TABLE_TRIES = 5

/** What a full tunnel's routing must avoid: the tables in use, and the rule priorities taken. */
interface Seen {
  used: Set<number>
  priorities: Record<Family, number[]>
}

/** Reads the routes and rules of both families once (four `ip` reads, at the same time). */
async function readRouting(ctx: RoutingContext): Promise<Seen> {
  const shown = await Promise.all(
    [
      ['-4', 'route', 'show', 'table', 'all'],
      ['-6', 'route', 'show', 'table', 'all'],
      ['-4', 'rule', 'show'],
      ['-6', 'rule', 'show']
    ].map((args) => run([ctx.ip, ...args], ctx.limits))
  )
  const [r4 = '', r6 = '', u4 = '', u6 = ''] = shown.map((r) => r.stdout)
  return {
    used: tablesInUse(`${r4}\n${r6}`, `${u4}\n${u6}`),
    priorities: { 4: rulePriorities(u4), 6: rulePriorities(u6) }
  }
}

/** A routing plan with the rule priorities seen while planning it (what the rules are placed below). */
export interface PlannedRouting extends RoutingPlan {
  priorities: Record<Family, number[]>
}

/** The routing plan; a full tunnel's table is its FwMark (which must be free), else the first free from 51820. */
export async function planRouting(t: Routable, ctx: RoutingContext): Promise<PlannedRouting> {
  if (!isFullTunnel(t)) return { ...routingPlan(t, 0), priorities: { 4: [], 6: [] } }
  const { used, priorities } = await readRouting(ctx)
  if (t.fwmark !== undefined) {
    if (used.has(t.fwmark)) throw new Error(tableTaken(t.fwmark))
    return { ...routingPlan(t, t.fwmark), priorities }
  }
  return { ...routingPlan(t, pickTable(used)), priorities }
}

/**
 * The line for a route or rule the kernel refused, with the evidence it needs: the interface that
 * already routes the prefix (for "File exists"), or why IPv6 is off.
 */
async function routeRefused(
  t: Routable,
  line: RouteBatchLine | undefined,
  stderr: string,
  ctx: RoutingContext
): Promise<string> {
  const said = kernelSaid(stderr)
  const allowed = allowedIpsInput(t.origins)
  if (line === undefined) return ipRefused(ctx.iface, undefined, said, allowed)
  if ('rule' in line) return ipRefused(ctx.iface, { kind: 'rule', ...line.rule }, said, allowed)
  const { prefix, table } = line.route
  const item = { kind: 'route' as const, prefix, table, origin: prefixOrigin(t, 'allowed IP', prefix) }
  let holder: string | undefined
  if (said.errno === 'EEXIST') {
    const args = [
      '-j',
      `-${prefix.family}`,
      'route',
      'show',
      'table',
      String(table ?? 'main'),
      'exact',
      prefixText(prefix)
    ]
    const shown = await run([ctx.ip, ...args], ctx.limits)
    try {
      holder = (JSON.parse(shown.stdout) as { dev?: string }[])[0]?.dev
    } catch {
      holder = undefined
    }
  }
  return ipRefused(ctx.iface, item, said, allowed, { holder, ipv6Off: ipv6Disabled(ctx.iface) })
}

/**
 * Sets net.ipv4.conf.all.src_valid_mark=1 for an IPv4 full tunnel, as an owner of the namespace's
 * shared record (host/shared.ts), so that the last of ours to end puts back what the first found.
 * The owner id goes in the journal first.
 */
async function enableSrcValidMark(ctx: RoutingContext): Promise<void> {
  const link = ctx.journal.find('interface')
  const owner = { id: newOwnerId(), iface: ctx.iface, ifindex: link?.ifindex ?? ifindex(ctx.iface) ?? 0 }
  ctx.journal.add({ kind: 'sysctl', key: SRC_VALID_MARK, owner: owner.id })
  await needSrcValidMark(owner, ctx.limits)
}

/** What bring-up reads back and asks on the routing batches (batch.ts), by the batch they ride on. */
export interface RoutingAsk {
  /** `route get` lines for the IPv4 batch (routes and IPv4 rules). */
  routes: string[]
  /** `route get` lines for the IPv6 rules batch. */
  rules6: string[]
}

/** The routing plan as applied, with the priorities its rules were added at and what the kernel showed after. */
export interface AppliedRouting extends RoutingPlan {
  placed: PlacedRule[]
  /** Read back on the batches that made them (readback.ts): the routes, the IPv4 rules, the IPv6 rules. */
  shown: { routes?: unknown[]; rules4?: unknown[]; rules6?: unknown[] }
  /** The answers to the questions asked, by batch. */
  answers: { routes: Answer[]; rules6: Answer[] }
  /** What ip said when a read failed. */
  unread?: string
}

/**
 * Adds the plan's routes and rules; resolves with the plan applied (its table may differ from the
 * one planned when another tunnel took that one first; the interface's fwmark follows it), what the
 * kernel holds after, and the answers to `ask`.
 */
export async function applyRouting(
  t: Routable,
  planned: PlannedRouting,
  backend: Backend,
  ctx: RoutingContext,
  ask: RoutingAsk = { routes: [], rules6: [] }
): Promise<AppliedRouting> {
  // src_valid_mark is set beside the routes (it needs only the interface), and settled either way.
  const marking = planned.srcValidMark ? enableSrcValidMark(ctx) : Promise.resolve()
  const [routed, marked] = await Promise.allSettled([addRoutes(t, planned, backend, ctx, ask), marking])
  if (routed.status === 'rejected') throw routed.reason
  if (marked.status === 'rejected') throw marked.reason
  return routed.value
}

/** Whether bring-up runs a routing batch (routes, or IPv4 rules): else nothing rides on it. */
export const hasRouteBatch = (plan: RoutingPlan): boolean =>
  plan.routes.length > 0 || plan.rules.some((r) => r.family === 4)

/** The routes and rules of applyRouting, trading a table taken meanwhile for the next free one. */
async function addRoutes(
  t: Routable,
  planned: PlannedRouting,
  backend: Backend,
  ctx: RoutingContext,
  ask: RoutingAsk
): Promise<AppliedRouting> {
  const { journal, ip } = ctx
  const root = { root: true, ...ctx.limits }
  let plan: RoutingPlan = planned
  // The priorities read while planning; read again only when a table has to be traded.
  let priorities = planned.priorities
  for (let attempt = 1; ; attempt++) {
    const rules = placeRules(plan.rules, priorities)
    const recs = rules.map((r) =>
      journal.add({ kind: 'rule', family: r.family, priority: r.priority, selector: r.selector })
    )
    const script = routeBatch(ctx.iface, plan, rules)
    const change = script.split('\n').filter((l) => l !== '')
    echoBatch([], script)
    const rules4 = rules.some((x) => x.family === 4)
    // What was added is read back, and the questions asked, in the same process.
    const done =
      change.length > 0
        ? await ipBatch(ip, [], { change, read: routesRead(ctx.iface, rules4), ask: ask.routes }, root)
        : undefined
    if (done === undefined || done.changed) {
      const six = rules.filter((x) => x.family === 6)
      const applied: AppliedRouting = {
        ...plan,
        placed: rules,
        shown: { routes: done?.reads[0], rules4: rules4 ? done?.reads[1] : undefined },
        answers: { routes: done?.answers ?? [], rules6: [] },
        ...(done?.unread === undefined ? {} : { unread: done.unread })
      }
      if (six.length === 0) return applied
      const lines = { change: six.map((x) => ruleLine(x, 'add')), read: ['rule show'], ask: ask.rules6 }
      echoBatch(['-6'], `${lines.change.join('\n')}\n`)
      const added = await ipBatch(ip, ['-6'], lines, root)
      if (!added.changed) {
        const r = added.result
        if (r.timedOut || sudoRefused(commandLine([ip], root, isRoot()), r.stderr))
          throw new CommandError(commandLine([ip, '-6', '-batch', '-'], root, isRoot()), r)
        const rule = six[(added.failedAt ?? 1) - 1]
        const said = kernelSaid(r.stderr)
        throw new Error(ipRefused(ctx.iface, rule && { kind: 'rule', ...rule }, said, allowedIpsInput(t.origins)))
      }
      return {
        ...applied,
        shown: { ...applied.shown, rules6: added.reads[0] },
        answers: { ...applied.answers, rules6: added.answers },
        unread: applied.unread ?? added.unread
      }
    }
    const r = done.result
    const failedAt = done.failedAt ?? 0
    const taken =
      t.fwmark === undefined && failedAt >= 1 && failedAt <= policyRouteCount(plan) && /File exists/.test(r.stderr)
    if (r.timedOut || sudoRefused(commandLine([ip], root, isRoot()), r.stderr))
      throw new CommandError(commandLine([ip, '-batch', '-'], root, isRoot()), r)
    if (!taken || attempt >= TABLE_TRIES) {
      const line = routeBatchLines(plan, rules)[failedAt - 1]
      throw new Error(await routeRefused(t, line, r.stderr, ctx))
    }
    // The batch stopped at the policy table's routes: no rule was added. Take back what went into
    // that table on this interface, and move to the next free table.
    for (const rec of recs) journal.remove(rec)
    const table = plan.fwmark as number
    for (const f of ['-4', '-6']) {
      const flush = [ip, f, 'route', 'flush', 'dev', ctx.iface, 'table', String(table)]
      echo(flush)
      await run(flush, root)
    }
    const seen = await readRouting(ctx)
    seen.used.add(table)
    priorities = seen.priorities
    plan = routingPlan(t, pickTable(seen.used))
    await backend.setFwmark(plan.fwmark as number)
  }
}
