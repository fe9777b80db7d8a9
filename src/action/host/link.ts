// Making the interface: the kernel's WireGuard where it has one, else wireguard-go. Each is written
// in the journal before it is made and gets its identity (ifindex; pid and start time) the moment
// it exists, so that rollback and post remove this interface and this process, never another
// job's of the same name.
import { existsSync } from 'node:fs'
import * as core from '../toolkit.js'
import type { Journal } from '../journal/journal.js'
import type { Userspace } from '../inputs/inputs.js'
import { explainCreateFailure, interfaceTaken, socketTaken } from '../report/messages.js'
import { CommandError, commandLine, isRoot, mustRun, run, sudoRefused, type RunOptions } from './run.js'
import {
  fileId,
  wireguardGoCandidates,
  type ProcessId,
  ifindex,
  kernelHasWireguard,
  linkExists,
  netns,
  socketPath,
  ticksNow
} from './probe.js'
import { echo } from './echo.js'
import { ensureTools } from './install.js'

interface InterfaceRequest {
  iface: string
  userspace: Userspace
  install: boolean
  /** `ip`, and wireguard-go when it was found up front. */
  tools: { ip: string; 'wireguard-go'?: string }
  limits: Pick<RunOptions, 'deadline'>
}

/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
export const userspaceFirst = (userspace: Userspace): boolean =>
  userspace === 'true' || (userspace === 'auto' && !kernelHasWireguard())

/**
 * Refuses a name that is taken, before anything is touched: an interface of that name here, or a
 * live wireguard-go socket of that name (the socket folder is shared by every namespace, and `wg`
 * would talk to that socket's daemon instead of our interface). A socket nobody listens on is what
 * a killed wireguard-go leaves: wireguard-go and `wg` replace it. One this step may not open (not
 * root) cannot be told from a live one, and is refused too.
 */
export async function refuseTakenName(iface: string): Promise<void> {
  if (linkExists(iface)) throw new Error(interfaceTaken(iface))
  const path = socketPath(iface)
  if (!existsSync(path)) return
  const answer = await new Promise<string | undefined>((resolve) => {
    // node:net is loaded at first use, not at the step's start (see run.ts).
    const socket = process.getBuiltinModule('node:net').connect(path)
    const done = (code?: string): void => {
      socket.destroy()
      resolve(code)
    }
    socket.once('connect', () => done('live'))
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code))
    socket.setTimeout(1000, () => done('live'))
  })
  if (answer !== 'ECONNREFUSED' && answer !== 'ENOENT') throw new Error(socketTaken(iface))
}

/** Makes the interface; resolves with whether wireguard-go serves it. */
export async function createInterface(req: InterfaceRequest, journal: Journal): Promise<{ userspace: boolean }> {
  if (!userspaceFirst(req.userspace)) {
    if (await createKernelInterface(req, journal)) return { userspace: false }
    core.info('The kernel has no WireGuard module; using wireguard-go')
  }
  await startWireguardGo(req, journal)
  return { userspace: true }
}

/** `ip link add … type wireguard`; false when the kernel has no WireGuard and userspace may serve. */
async function createKernelInterface(req: InterfaceRequest, journal: Journal): Promise<boolean> {
  const { iface } = req
  const rec = journal.add({ kind: 'interface', name: iface, netns: netns() })
  const argv = [req.tools.ip, 'link', 'add', 'dev', iface, 'type', 'wireguard']
  echo(argv)
  const r = await run(argv, { root: true, ...req.limits })
  if (r.code === 0) {
    journal.update(rec, { ifindex: ifindex(iface) })
    return true
  }
  const full = commandLine(argv, { root: true }, isRoot())
  if (r.timedOut) {
    // Stopped at the deadline: its request may have reached the kernel all the same. The name was
    // free when this step began (refuseTakenName), so a link of that name now is the one it asked
    // for: recorded by its ifindex, rollback deletes it; none, and the record goes.
    const made = ifindex(iface)
    if (made === undefined) journal.remove(rec)
    else journal.update(rec, { ifindex: made })
    throw new CommandError(full, r)
  }
  // Nothing was made: the record goes.
  journal.remove(rec)
  if (sudoRefused(full, r.stderr)) throw new CommandError(full, r)
  const noKernel = /Unknown device type|not supported/i.test(r.stderr)
  if (noKernel && req.userspace !== 'false') return false
  const why = noKernel
    ? 'this kernel has no WireGuard module and userspace is false (set userspace: auto to use wireguard-go)'
    : explainCreateFailure(iface, r.stderr)
  throw new Error(`could not create interface ${iface}: ${why}`)
}

/**
 * Starts wireguard-go, which forks a daemon that outlives this step and returns once the interface
 * exists. Its environment is the minimal one (src/common/process.ts): with LOG_LEVEL set, the daemon would keep
 * this step's pipes open.
 */
async function startWireguardGo(req: InterfaceRequest, journal: Journal): Promise<void> {
  const { iface } = req
  const wgGo = req.tools['wireguard-go'] ?? (await ensureTools(['wireguard-go'], req.install))['wireguard-go']
  const link = journal.add({ kind: 'interface', name: iface, netns: netns() })
  const proc = journal.add({ kind: 'wireguard-go', name: iface, since: ticksNow() })
  let r
  echo([wgGo, iface])
  try {
    r = await mustRun([wgGo, iface], { root: true, ...req.limits }, (said) => {
      return new Error(`could not start wireguard-go for ${iface}: ${explainCreateFailure(iface, said)}`)
    })
  } catch (err) {
    // It exited without a daemon: its interface closed with it, and nothing is ours to undo.
    if (!(err instanceof CommandError && err.result.timedOut)) {
      journal.remove(proc)
      journal.remove(link)
    }
    throw err
  }
  journal.update(link, { ifindex: ifindex(iface) })
  const daemon = await startedDaemon(iface, proc.since, req.limits, r.pid)
  journal.update(proc, { ...daemon, socket: fileId(socketPath(iface)) })
}

/**
 * The daemon a start of wireguard-go forked, proven to be in this network namespace: read directly
 * when root, else through `sudo readlink` (a root process's namespace is not the user's to read).
 * Undefined when none can be proven ours: then nothing is ever signalled on a guess.
 */
export async function startedDaemon(
  iface: string,
  since: number,
  limits: Pick<RunOptions, 'deadline' | 'timeoutMs'>,
  near?: number
): Promise<ProcessId | undefined> {
  const ours = netns()
  for (const c of wireguardGoCandidates(iface, since, near)) {
    const theirs =
      c.netns ?? (await run(['readlink', `/proc/${c.pid}/ns/net`], { root: true, ...limits })).stdout.trim()
    if (ours !== undefined && theirs === ours) return { pid: c.pid, start: c.start }
  }
  return undefined
}
