// The main step, in the order of wg-quick's cmd_up: make the interface, configure it, give it
// addresses and MTU, route, set DNS; then prove it (a handshake with every peer, every check).
// Each step writes what it makes in the journal first; on any failure everything is rolled back,
// and whatever could not be is left in the journal for post.
import { chooseBackend } from './backend/choose.js'
import { readConfig, type Config } from './inputs/inputs.js'
import { errorText } from '../common/errors.js'
import { createInterface, refuseTakenName, userspaceFirst } from './host/link.js'
import type { Journal } from './journal/journal.js'
import { applyDns } from './host/dns.js'
import {
  allowedIpsInput,
  checkFailure,
  checkOutsideTunnel,
  ipRefused,
  kernelSaid,
  type BatchItem,
  handshakeFailure,
  kernelDiffers,
  noNetAdmin,
  unsupportedPlatform
} from './report/messages.js'
import { difference, heldFrom, linkRead, type Difference, type Expected, type Held } from './host/readback.js'
import { ipBatch, type Answer } from './host/batch.js'
import { linkBatch, routeText } from './host/plan.js'
import { commandGroup, echoBatch, endCommandGroup } from './host/echo.js'
import { report, reportFailure, type TunnelUp } from './report/report.js'
import { chooseMtu, ipv6MtuRefusal, resolveEndpoints, type ChosenMtu } from './host/resolve.js'
import { applyRouting, hasRouteBatch, planRouting, type PlannedRouting } from './host/routing.js'
import { CommandError, commandLine, isRoot, sudoRefused, type RunOptions } from './host/run.js'
import { secretsToMask } from './inputs/secrets.js'
import { obtainTunnel } from './lease/source.js'
import { stepJournal } from './journal/state.js'
import { prefixOrigin, type Tunnel } from './inputs/tunnel.js'
import { hasNetAdmin, ifindex, ipv6Disabled } from './host/probe.js'
import * as core from './toolkit.js'
import { OUTPUT } from './names.js'
import { ensureTools } from './host/install.js'
import {
  addressTargets,
  checkLabel,
  checkNameRoutes,
  coveredBy,
  firstOutside,
  routeQuestion,
  runCheck,
  waitForHandshakes,
  type CheckRoute,
  type Target
} from './verify.js'

/**
 * A debug line with the time since the process started, for reading where the step spends it.
 * process.uptime(), not performance.now(): the global `performance` loads node:perf_hooks (0.7 ms).
 */
const mark = (what: string): void => core.debug(`${what} at ${Math.round(process.uptime() * 1000)} ms`)

type Tools = { wg: string; ip: string; 'wireguard-go'?: string }

/** Refuses, in one line, a runner that cannot host a tunnel at all. */
function checkPlatform(): void {
  if (process.platform !== 'linux') throw new Error(unsupportedPlatform(process.platform))
  if (!hasNetAdmin(isRoot())) throw new Error(noNetAdmin)
}

/** Waits for all, then throws the first failure: nothing still runs (and journals) after a rollback starts. */
async function settleAll<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work)
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T
}

/** What bring-up must know before it configures anything: the tunnel, its endpoints' addresses, routing, MTU. */
interface Prepared {
  tunnel: Tunnel
  planned: PlannedRouting
  mtu: number
  /** Summary rows from where the tunnel came from (a lease). */
  rows: [string, string][]
  /** In gateway mode, the origin of the gateway that leased the tunnel. */
  gateway?: string
}

/** The tunnel (given, or leased from the gateway), endpoints resolved, routing planned, MTU chosen: reads only. */
async function prepare(cfg: Config, tools: Tools, journal: Journal, deadline: number): Promise<Prepared> {
  const given = await obtainTunnel(cfg, journal, deadline)
  core.setOutput(OUTPUT.publicKey, given.tunnel.publicKey)
  const peers = await resolveEndpoints(given.tunnel.peers, Math.max(1, deadline - Date.now()))
  const tunnel = { ...given.tunnel, peers }
  const limits = { deadline }
  const [planned, chosen] = await Promise.all([
    // A table that another tunnel uses is refused here, before anything is made.
    planRouting(tunnel, { iface: cfg.iface, ip: tools.ip, journal, limits }),
    tunnel.mtu !== undefined
      ? Promise.resolve<ChosenMtu>({ mtu: tunnel.mtu, given: true })
      : chooseMtu(peers, tools.ip, limits)
  ])
  const refused = ipv6MtuRefusal(tunnel, chosen)
  if (refused) throw new Error(refused)
  return { tunnel, planned, mtu: chosen.mtu, rows: given.rows, gateway: given.gateway }
}

/**
 * Gives the interface its addresses and MTU and sets it up; a refusal names the address or MTU and
 * its line. Resolves with the link as the kernel holds it after (readback.ts) and the answers to
 * the questions asked (batch.ts), all in the one `ip` process.
 */
async function linkUp(
  t: Tunnel & { iface: string },
  mtu: number,
  ip: string,
  limits: Pick<RunOptions, 'deadline'>,
  ask: string[]
): Promise<{ link?: unknown[]; answers: Answer[]; unread?: string }> {
  const items: BatchItem[] = [
    ...t.addresses.map((prefix) => ({ kind: 'address' as const, prefix, origin: prefixOrigin(t, 'address', prefix) })),
    { kind: 'mtu', mtu, origin: t.origins?.mtu }
  ]
  const script = linkBatch(t.iface, t.addresses, mtu)
  const change = script.split('\n').filter((l) => l !== '')
  echoBatch([], script)
  const root = { root: true, ...limits }
  const done = await ipBatch(ip, [], { change, read: [linkRead(t.iface)], ask }, root)
  if (!done.changed) {
    const r = done.result
    const argv = commandLine([ip, '-batch', '-'], root, isRoot())
    if (r.timedOut || sudoRefused(argv, r.stderr)) throw new CommandError(argv, r)
    const said = kernelSaid(r.stderr)
    const item = done.failedAt === undefined ? undefined : items[done.failedAt - 1]
    throw new Error(ipRefused(t.iface, item, said, allowedIpsInput(t.origins), { ipv6Off: ipv6Disabled(t.iface) }))
  }
  return { link: done.reads[0], answers: done.answers, unread: done.unread }
}

/** Throws the one line for the first way the kernel's state differs from `want` (or could not be read). */
function refuseDifference(want: Expected, unread: string | undefined, held: Held): void {
  const differs: Difference | undefined =
    unread === undefined ? difference(want, held, ipv6Disabled) : { kind: 'unread', said: unread }
  if (differs) throw new Error(kernelDiffers(want, differs))
}

/**
 * Which batch asks the way to each check of an address (batch.ts): the last that can answer it,
 * after everything its answer depends on is in place. IPv6 targets go on the IPv6 rules batch where
 * there is one; the rest on the routing batch, else on the link batch.
 */
function whereToAsk(
  targets: readonly Target[],
  planned: PlannedRouting
): Record<'link' | 'routes' | 'rules6', Target[]> {
  const rules6 = planned.rules.some((r) => r.family === 6)
  const routes = hasRouteBatch(planned)
  const on: Record<'link' | 'routes' | 'rules6', Target[]> = { link: [], routes: [], rules6: [] }
  for (const t of targets) on[t.address.includes(':') && rules6 ? 'rules6' : routes ? 'routes' : 'link'].push(t)
  return on
}

/** Configures the interface made, gives it addresses, routes and DNS, then proves it carries traffic. */
async function bringUp(
  settings: Config,
  { tunnel, planned, mtu, gateway }: Prepared,
  userspace: boolean,
  tools: Tools,
  journal: Journal,
  deadline: number
): Promise<TunnelUp> {
  const { iface, timeoutMs } = settings
  const cfg = { ...tunnel, iface }
  const limits = { deadline }
  const ctx = { iface, ip: tools.ip, journal, limits }
  const backend = chooseBackend({ iface, limits, userspace, wg: tools.wg, journal })
  // Checks of an address have their way asked on bring-up's own batches, once it is in place.
  const on = whereToAsk(addressTargets(settings.checks), planned)
  const questions = (ts: Target[]): string[] => ts.map((q) => routeQuestion(q))
  await backend.configure(cfg, planned.fwmark ?? cfg.fwmark)
  // Every command may succeed and the kernel still hold less: what it holds is read on the same
  // batches and compared with the plan, the link before anything is routed through it.
  const linked = await linkUp(cfg, mtu, tools.ip, limits, questions(on.link))
  const linkWant = { iface, addresses: cfg.addresses, mtu, routes: [], rules: [] }
  refuseDifference(linkWant, linked.unread, heldFrom(linked.link))
  const plan = await applyRouting(cfg, planned, backend, ctx, {
    routes: questions(on.routes),
    rules6: questions(on.rules6)
  })
  const { routes, rules4, rules6 } = plan.shown
  const want = { ...linkWant, routes: plan.routes, rules: plan.placed }
  refuseDifference(want, plan.unread, heldFrom(linked.link, routes, rules4, rules6))
  const outside =
    firstOutside(on.link, linked.answers, iface) ??
    firstOutside(on.routes, plan.answers.routes, iface) ??
    firstOutside(on.rules6, plan.answers.rules6, iface)
  if (outside) throw new Error(outsideTunnel(cfg, outside))
  await applyDns(cfg, journal, limits)
  mark('link up')

  const upAt = Date.now()
  const missing = await waitForHandshakes(cfg.peers, () => backend.handshakes(), deadline)
  if (missing.length > 0) {
    throw new Error(handshakeFailure(cfg, missing[0] as string, timeoutMs, gateway))
  }
  const handshakeMs = cfg.peers.some((p) => p.endpoint) ? Date.now() - upAt : undefined
  mark('handshake')
  // Checks of a name are asked after the handshake: the tunnel may carry their DNS.
  const late = await checkNameRoutes(settings.checks, tools.ip, iface, limits)
  if (late) throw new Error(outsideTunnel(cfg, late))
  const [checks] = await Promise.all([
    Promise.all(settings.checks.map((c) => runCheck(c, deadline))),
    backend.restoreKeepalive(cfg)
  ])
  mark('checks')
  const failed = checks.find((c) => !c.ok)
  if (failed) throw new Error(checkFailure(checkLabel(failed.check), failed.reason ?? '', cfg.addresses, timeoutMs))
  const mode = userspace ? 'userspace (wireguard-go)' : 'kernel'
  return { ...cfg, mode, mtu, routes: plan.routes.map(routeText), handshakeMs, checks }
}

/** The line for a check whose target would not go through the tunnel, with the fix that fits. */
function outsideTunnel(t: Tunnel & { iface: string }, r: CheckRoute): string {
  const allowed = t.peers.flatMap((p) => p.allowedIps)
  return checkOutsideTunnel(checkLabel(r.check), r, t.iface, {
    allowedIps: allowedIpsInput(t.origins),
    covered: coveredBy(allowed, r.address),
    table: t.table,
    endpoint: t.peers.some((p) => p.endpoint?.address === r.address)
  })
}

/**
 * How long past the step's deadline a rollback may run (a few milliseconds on a runner; seconds
 * where every process is slow, as under emulation or a stalling sudo): what it cannot undo by then
 * is post's. Diagnostics get a third of it at most: undoing comes first.
 */
const ROLLBACK_MS = 5000

/** Shows what the interface looked like, then undoes the journal; what stays is post's to retry. */
async function rollBack(
  journal: Journal,
  secrets: readonly string[],
  message: string,
  deadline: number
): Promise<void> {
  const budget = Math.max(deadline, Date.now()) + ROLLBACK_MS
  const made = journal.find('interface')
  endCommandGroup()
  if (made?.ifindex !== undefined && ifindex(made.name) === made.ifindex) {
    await reportFailure(made.name, secrets, message, Date.now() + Math.min(1500, (budget - Date.now()) / 3))
  }
  commandGroup(`Rolling back ${made?.name ?? 'what main made'}`)
  // Loaded only here, on failure: a step that succeeds never compiles the teardown (post's code).
  const { teardown } = await import('./journal/teardown.js')
  const undone = await teardown(journal, budget)
  endCommandGroup()
  for (const w of undone.warnings) core.warning(`rollback: ${w}`)
  if (journal.find('lease')) {
    const { releaseLeases } = await import('./lease/lease.js')
    const leases = await releaseLeases(journal, budget)
    for (const w of leases.warnings) core.warning(`rollback: ${w}`)
  }
  if (!journal.empty) core.warning('rollback left some of what main made in place; post will try again')
}

export async function runMain(): Promise<void> {
  const journal = stepJournal()
  let secrets: string[] = []
  let deadline: number | undefined
  try {
    // Masked before anything else can print them.
    secrets = secretsToMask(core.getInput)
    for (const s of secrets) core.setSecret(s)
    checkPlatform()
    const cfg = readConfig(core.getInput)
    core.setOutput(OUTPUT.interface, cfg.iface)
    commandGroup(`Bringing up ${cfg.iface}`)
    mark('inputs valid')
    // One apt transaction for everything missing, wireguard-go included when it will be needed.
    const want = userspaceFirst(cfg.userspace) ? (['wg', 'ip', 'wireguard-go'] as const) : (['wg', 'ip'] as const)
    const tools = await ensureTools(want, cfg.install)
    // `timeout` bounds the whole step but for installing packages (whose time apt decides).
    deadline = Date.now() + cfg.timeoutMs
    await refuseTakenName(cfg.iface)
    const limits = { deadline }
    const preparing = prepare(cfg, tools, journal, deadline)
    // A tunnel from the inputs is checked in full before anything is made; a lease is asked for
    // while the interface is made (it does not depend on it).
    if (cfg.source.kind === 'static') await preparing
    const making = createInterface({ ...cfg, tools, limits }, journal)
    const [prepared, { userspace }] = await settleAll([preparing, making] as const)
    mark('interface created')
    const up = await bringUp(cfg, prepared, userspace, tools, journal, deadline)
    core.setOutput(OUTPUT.address, up.addresses.map((a) => a.address).join(','))
    up.extra = prepared.rows
    endCommandGroup()
    report(up)
    mark('main done')
  } catch (err) {
    const message = errorText(err)
    endCommandGroup()
    if (!journal.empty) await rollBack(journal, secrets, message, deadline ?? Date.now())
    core.setFailed(message)
  }
}
