// Undoing what the journal records, newest first: shared by post and by main's rollback. Each
// record is undone only after its identity is checked (the interface still has the recorded
// ifindex in this network namespace, the process the recorded start time, the rule its priority),
// so that nothing of the same name made by another job is ever touched. Never throws: every
// problem comes back as a warning, and what could not be undone stays in the journal for post.
import { existsSync, rmSync } from 'node:fs'
import { dnsDown } from '../host/dns.js'
import { startedDaemon } from '../host/link.js'
import { errorText } from '../../common/errors.js'
import { SRC_VALID_MARK, type Journal, type Rec, type RecOf } from './journal.js'
import { isRoot, mustRun, run, type RunOptions } from '../host/run.js'
import { fileId, ifindex, linkExists, locate, netns, sameProcess, socketPath, waitUntil } from '../host/probe.js'
import { releaseSrcValidMark } from '../host/shared.js'
import * as core from '../toolkit.js'
import { echo } from '../host/echo.js'

interface TeardownReport {
  removed: string[]
  /** Left as it is on purpose (another tunnel needs it): said, not warned about. */
  kept: string[]
  warnings: string[]
}

/** Each undo command may take this long: enough for a slow sudo, short of hanging post. */
const COMMAND_MS = 10_000

/** What became of a record: undone now, found already gone, or left (not ours, or not undone). */
type UndoResult = { undone: string } | { gone: true } | { kept: string } | { left: string; retry?: boolean }

const ip = (): string => locate('ip') ?? 'ip'
/** How long teardown may take: post's own limits, or main's rollback budget. */
interface Budget {
  deadline?: number
}
const asRoot = (b: Budget): RunOptions => ({ root: true, timeoutMs: COMMAND_MS, deadline: b.deadline })
/** A wait of `ms`, cut short by the budget. */
const within = (b: Budget, ms: number): number =>
  b.deadline === undefined ? ms : Math.max(0, Math.min(ms, b.deadline - Date.now()))

/** The interface as recorded is still there: same name, same ifindex, and we are in its namespace. */
function stillOurs(rec: RecOf<'interface'>): 'ours' | 'gone' | 'other' {
  const now = ifindex(rec.name)
  if (now === undefined) return 'gone'
  return rec.ifindex !== undefined && now === rec.ifindex ? 'ours' : 'other'
}

/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid: number, name: 'TERM' | 'KILL', b: Budget): Promise<void> {
  echo(['kill', `-${name}`, String(pid)])
  if (!isRoot()) {
    await run(['kill', `-${name}`, String(pid)], asRoot(b))
    return
  }
  try {
    process.kill(pid, `SIG${name}`)
  } catch {
    // Exited meanwhile.
  }
}

/**
 * Stops the recorded wireguard-go: SIGTERM, on which it closes its interface (routes go with it)
 * and removes its socket; SIGKILL only if it will not go. A record without a pid (main was stopped
 * while starting it) is matched by name, start time and namespace, as main would have.
 */
async function stopWireguardGo(rec: RecOf<'wireguard-go'>, b: Budget): Promise<UndoResult> {
  const proc =
    rec.pid !== undefined && rec.start !== undefined
      ? { pid: rec.pid, start: rec.start }
      : await startedDaemon(rec.name, rec.since, { timeoutMs: COMMAND_MS, deadline: b.deadline })
  // Dead already (killed, crashed): its socket may be left behind.
  const running = proc !== undefined && sameProcess(proc)
  if (running) {
    const gone = (): boolean => !sameProcess(proc)
    const sent = process.uptime()
    await signal(proc.pid, 'TERM', b)
    if (!(await waitUntil(gone, within(b, 3000)))) {
      await signal(proc.pid, 'KILL', b)
      if (!(await waitUntil(gone, within(b, 1000)))) {
        return { left: `wireguard-go (pid ${proc.pid}) for ${rec.name} would not stop`, retry: true }
      }
    }
    core.debug(`wireguard-go stopped ${Math.round((process.uptime() - sent) * 1000)} ms after SIGTERM`)
  }
  // wireguard-go removes its socket on a clean exit; after a kill, the socket stays, and only the very
  // one recorded goes. The process is gone by now either way, so a socket still there with the
  // recorded identity is stale whatever ended it: a daemon already dying from a SIGKILL when this
  // step looked (its fds closed, its link gone, /proc not yet a zombie's) still "stops" on SIGTERM,
  // yet never removed its socket.
  const sock = socketPath(rec.name)
  const removeSocket = rec.socket !== undefined && fileId(sock) === rec.socket
  if (removeSocket) {
    echo(['rm', '-f', sock])
    if (isRoot()) rmSync(sock, { force: true })
    else await run(['rm', '-f', sock], asRoot(b))
  }
  const what = [running ? `${rec.name} (wireguard-go, pid ${proc.pid})` : '', removeSocket ? `${sock} (stale)` : '']
  const said = what.filter((w) => w !== '').join(', ')
  return said ? { undone: said } : { gone: true }
}

async function deleteInterface(rec: RecOf<'interface'>, b: Budget): Promise<UndoResult> {
  // The link closes as wireguard-go exits: give it a moment before looking.
  await waitUntil(() => stillOurs(rec) !== 'ours', within(b, 1000))
  switch (stillOurs(rec)) {
    case 'ours':
      break
    case 'gone':
      return { gone: true }
    case 'other':
      return rec.ifindex === undefined
        ? { left: `${rec.name} was being created when main stopped and cannot be told from another's; left as it is` }
        : { left: `${rec.name} is no longer the interface main made (another has its name now); left untouched` }
  }
  const argv = [ip(), 'link', 'delete', 'dev', rec.name]
  echo(argv)
  await mustRun(argv, asRoot(b))
  return { undone: rec.name }
}

async function deleteRule(rec: RecOf<'rule'>, b: Budget): Promise<UndoResult> {
  const argv = [ip(), `-${rec.family}`, 'rule', 'del', ...rec.selector.split(' '), 'priority', String(rec.priority)]
  echo(argv)
  const r = await run(argv, asRoot(b))
  if (r.code === 0) return { undone: `rule ${rec.priority}: ${rec.selector}` }
  if (/No such file|not exist/i.test(r.stderr)) return { gone: true }
  throw new Error(r.stderr.trim() || `exit ${r.code}`)
}

/**
 * Whether a full tunnel is live: a `not fwmark` rule whose table still routes (a tunnel whose
 * interface is gone, its job killed before post, leaves its rules pointing at an empty table).
 */
export function liveFullTunnel(rules: string, routes: string): boolean {
  const tables = [...rules.matchAll(/\bnot from all fwmark \S+ lookup (\S+)/g)].map((m) => m[1] as string)
  return tables.some((t) => new RegExp(`\\btable ${t}\\b`).test(routes))
}

/**
 * Leaves the namespace's shared record of src_valid_mark (host/shared.ts): the last of ours to go
 * puts back what the first found, unless a full tunnel that is not ours (its `not fwmark` rule; ours
 * are deleted before this record, being newer) still needs it. A journal from before the shared
 * record restores the value it holds, as it always did.
 */
async function restoreSysctl(rec: RecOf<'sysctl'>, b: Budget): Promise<UndoResult> {
  const read = { timeoutMs: COMMAND_MS, deadline: b.deadline }
  const fullTunnels = async (): Promise<boolean> => {
    const [rules, routes] = await Promise.all([
      run([ip(), '-4', 'rule', 'show'], read),
      run([ip(), '-4', 'route', 'show', 'table', 'all'], read)
    ])
    return liveFullTunnel(rules.stdout, routes.stdout)
  }
  if (rec.owner === undefined) {
    if (rec.was === undefined) return { gone: true }
    if (await fullTunnels()) return { kept: `${SRC_VALID_MARK} stays 1: another full tunnel's rules need it` }
    const argv = ['sysctl', '-q', '-w', `${rec.key}=${rec.was}`]
    echo(argv)
    await mustRun(argv, asRoot(b))
    return { undone: `${rec.key} back to ${rec.was}` }
  }
  const done = await releaseSrcValidMark(rec.owner, fullTunnels, { timeoutMs: COMMAND_MS, deadline: b.deadline })
  if ('restored' in done) return { undone: `${rec.key} back to ${done.restored}` }
  if ('kept' in done)
    return {
      kept:
        done.kept === 'ours'
          ? `${SRC_VALID_MARK} stays 1: another full tunnel of this action still needs it (the last to end puts it back)`
          : `${SRC_VALID_MARK} stays 1: another full tunnel's rules need it`
    }
  return { gone: true }
}

async function revertDns(rec: RecOf<'dns'>, iface: RecOf<'interface'> | undefined, b: Budget): Promise<UndoResult> {
  // Under a name that another job's interface has now, the DNS settings are theirs.
  if (iface && stillOurs(iface) === 'other') return { left: `DNS for ${rec.iface}: the interface is no longer ours` }
  if (rec.manager === 'resolvectl' && !linkExists(rec.iface)) return { gone: true }
  const { argv } = dnsDown(rec.manager, rec.name)
  echo(argv)
  await mustRun(argv, asRoot(b))
  return { undone: `DNS (${rec.manager})` }
}

async function undo(rec: Rec, journal: Journal, b: Budget): Promise<UndoResult> {
  switch (rec.kind) {
    case 'interface':
      return deleteInterface(rec, b)
    case 'wireguard-go':
      return stopWireguardGo(rec, b)
    case 'rule':
      return deleteRule(rec, b)
    case 'sysctl':
      return restoreSysctl(rec, b)
    case 'dns':
      return revertDns(rec, journal.find('interface'), b)
    case 'file':
      if (!existsSync(rec.path)) return { gone: true }
      rmSync(rec.path, { recursive: true, force: true })
      return { undone: rec.path }
    case 'lease':
      // Released by the gateway client after the tunnel is down (see lease.ts).
      return { left: 'lease' }
  }
}

/**
 * Undoes every record of the journal but leases, newest first; what is undone leaves the journal.
 * `deadline`: main's rollback budget (what is not undone by then stays for post).
 */
export async function teardown(journal: Journal, deadline?: number): Promise<TeardownReport> {
  const budget: Budget = { deadline }
  const report: TeardownReport = { removed: [], kept: [], warnings: [] }
  const iface = journal.find('interface')
  if (iface?.netns !== undefined && netns() !== undefined && iface.netns !== netns()) {
    report.warnings.push(
      `${iface.name} was made in another network namespace than this step runs in; nothing was touched`
    )
    return report
  }
  for (const rec of [...journal.records].reverse()) {
    if (rec.kind === 'lease') continue
    try {
      const done = await undo(rec, journal, budget)
      if ('kept' in done) report.kept.push(done.kept)
      if ('left' in done) {
        report.warnings.push(done.left)
        // Not ours (or needed by another): nothing for a later post to do either, unless it may yet go.
        if (!done.retry) journal.remove(rec)
        continue
      }
      // The interface first: what the reader looks for.
      if ('undone' in done) {
        if (rec.kind === 'interface' || rec.kind === 'wireguard-go') report.removed.unshift(done.undone)
        else report.removed.push(done.undone)
      }
      journal.remove(rec)
    } catch (err) {
      report.warnings.push(`could not remove ${describe(rec)}: ${errorText(err)}`)
    }
  }
  return report
}

function describe(rec: Rec): string {
  switch (rec.kind) {
    case 'interface':
    case 'wireguard-go':
      return `${rec.kind} ${rec.name}`
    case 'rule':
      return `rule ${rec.priority} (${rec.selector})`
    case 'sysctl':
      return rec.was === undefined ? rec.key : `${rec.key} (was ${rec.was})`
    case 'dns':
      return `DNS for ${rec.iface}`
    case 'file':
      return rec.path
    case 'lease':
      return `lease ${rec.id}`
  }
}
