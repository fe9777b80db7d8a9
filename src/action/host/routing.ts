// wg-quick's routing, applied: the policy table chosen among those free, the rules placed at
// priorities recorded before they are added, src_valid_mark for an IPv4 full tunnel. A table that
// another tunnel claimed in the meantime (two jobs starting at once) is given up for the next one.
import type { Family } from '../../common/ip.js'
import type { Backend } from '../backend/backend.js'
import { SRC_VALID_MARK, type Journal } from '../journal/journal.js'
import { tableTaken } from '../report/messages.js'
import {
  isFullTunnel,
  pickTable,
  placeRules,
  policyRouteCount,
  routeBatch,
  ruleLine,
  routingPlan,
  rulePriorities,
  tablesInUse,
  type Routable,
  type RoutingPlan
} from './plan.js'
import { echo, echoBatch } from './echo.js'
import { CommandError, commandLine, isRoot, mustRun, run, type RunOptions } from './run.js'
import { srcValidMark } from './probe.js'

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

/** Sets net.ipv4.conf.all.src_valid_mark=1 for an IPv4 full tunnel, recording what it was first. */
async function enableSrcValidMark(ctx: RoutingContext): Promise<void> {
  const was = srcValidMark()
  if (was === '1') return
  ctx.journal.add({ kind: 'sysctl', key: SRC_VALID_MARK, was })
  const argv = ['sysctl', '-q', '-w', `${SRC_VALID_MARK}=1`]
  echo(argv)
  await mustRun(argv, { root: true, ...ctx.limits })
}

/**
 * Adds the plan's routes and rules; resolves with the plan applied (its table may differ from the
 * one planned when another tunnel took that one first; the interface's fwmark follows it).
 */
export async function applyRouting(
  t: Routable,
  planned: PlannedRouting,
  backend: Backend,
  ctx: RoutingContext
): Promise<RoutingPlan> {
  const { journal, ip } = ctx
  const root = { root: true, ...ctx.limits }
  let plan: RoutingPlan = planned
  // The priorities read while planning; read again only when a table has to be traded.
  let priorities = planned.priorities
  if (plan.srcValidMark) await enableSrcValidMark(ctx)
  for (let attempt = 1; ; attempt++) {
    const rules = placeRules(plan.rules, priorities)
    const recs = rules.map((r) =>
      journal.add({ kind: 'rule', family: r.family, priority: r.priority, selector: r.selector })
    )
    const batch = routeBatch(ctx.iface, plan, rules)
    echoBatch([], batch)
    const r = batch ? await run([ip, '-batch', '-'], { ...root, input: batch }) : { code: 0, stdout: '', stderr: '' }
    if (r.code === 0) {
      const rules6 = rules.filter((x) => x.family === 6).map((x) => ruleLine(x, 'add'))
      if (rules6.length > 0) {
        const batch6 = `${rules6.join('\n')}\n`
        echoBatch(['-6'], batch6)
        await mustRun([ip, '-6', '-batch', '-'], { ...root, input: batch6 })
      }
      return plan
    }
    const failedAt = Number(/Command failed -:([0-9]+)/.exec(r.stderr)?.[1] ?? 0)
    const taken =
      t.fwmark === undefined && failedAt >= 1 && failedAt <= policyRouteCount(plan) && /File exists/.test(r.stderr)
    if (!taken || attempt >= TABLE_TRIES) throw new CommandError(commandLine([ip, '-batch', '-'], root, isRoot()), r)
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
