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
import { checkFailure, handshakeFailure, noNetAdmin, unsupportedPlatform } from './report/messages.js'
import { linkBatch, routeText } from './host/plan.js'
import { commandGroup, echoBatch, endCommandGroup } from './host/echo.js'
import { report, reportFailure, type TunnelUp } from './report/report.js'
import { chooseMtu, resolveEndpoints } from './host/resolve.js'
import { applyRouting, planRouting, type PlannedRouting } from './host/routing.js'
import { isRoot, mustRun } from './host/run.js'
import { secretsToMask } from './inputs/secrets.js'
import { obtainTunnel } from './lease/source.js'
import { stepJournal } from './journal/state.js'
import type { Tunnel } from './inputs/tunnel.js'
import { hasNetAdmin, ifindex } from './host/probe.js'
import * as core from './toolkit.js'
import { OUTPUT } from './names.js'
import { ensureTools } from './host/install.js'
import { checkLabel, runCheck, waitForHandshakes } from './verify.js'

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
}

/** The tunnel (given, or leased from the gateway), endpoints resolved, routing planned, MTU chosen: reads only. */
async function prepare(cfg: Config, tools: Tools, journal: Journal, deadline: number): Promise<Prepared> {
  const given = await obtainTunnel(cfg, journal, deadline)
  core.setOutput(OUTPUT.publicKey, given.tunnel.publicKey)
  const peers = await resolveEndpoints(given.tunnel.peers, Math.max(1, deadline - Date.now()))
  const tunnel = { ...given.tunnel, peers }
  const limits = { deadline }
  const [planned, mtu] = await Promise.all([
    // A table that another tunnel uses is refused here, before anything is made.
    planRouting(tunnel, { iface: cfg.iface, ip: tools.ip, journal, limits }),
    tunnel.mtu !== undefined ? Promise.resolve(tunnel.mtu) : chooseMtu(peers, tools.ip, limits)
  ])
  return { tunnel, planned, mtu, rows: given.rows }
}

/** Configures the interface made, gives it addresses, routes and DNS, then proves it carries traffic. */
async function bringUp(
  settings: Config,
  { tunnel, planned, mtu }: Prepared,
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
  await backend.configure(cfg, planned.fwmark ?? cfg.fwmark)
  const link = linkBatch(iface, cfg.addresses, mtu)
  echoBatch([], link)
  await mustRun([tools.ip, '-batch', '-'], { root: true, input: link, ...limits })
  const plan = await applyRouting(cfg, planned, backend, ctx)
  await applyDns(cfg, journal, limits)
  mark('link up')

  const upAt = Date.now()
  const missing = await waitForHandshakes(cfg.peers, () => backend.handshakes(), deadline)
  if (missing.length > 0) {
    const gateway = settings.source.kind === 'gateway' ? settings.source.url.origin : undefined
    throw new Error(handshakeFailure(cfg, missing[0] as string, timeoutMs, gateway))
  }
  const handshakeMs = cfg.peers.some((p) => p.endpoint) ? Date.now() - upAt : undefined
  mark('handshake')
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
