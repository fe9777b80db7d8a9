// Read-only probes of the system, through the file system only (no processes started): where
// programs are, whether the kernel has WireGuard, and the identities by which this action
// recognises what it made (an interface's ifindex in a network namespace, a process's pid and
// start time), so that it never acts on something of the same name that another job made.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import { release } from 'node:os'
import { basename, delimiter, join } from 'node:path'

export const SOCKET_DIR = '/var/run/wireguard'
export const socketPath = (iface: string): string => `${SOCKET_DIR}/${iface}.sock`

export const linkExists = (iface: string): boolean => existsSync(`/sys/class/net/${iface}`)

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** PATH, then the sbin directories that an unprivileged user's PATH may lack. */
export function searchPath(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '')
  for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
    if (!dirs.includes(d)) dirs.push(d)
  }
  return dirs
}

export function locate(tool: string): string | undefined {
  for (const dir of searchPath()) {
    const path = join(dir, tool)
    if (existsSync(path)) return path
  }
  return undefined
}

/** The kernel has WireGuard loaded, built in, or as a module it can load. */
export function kernelHasWireguard(): boolean {
  if (existsSync('/sys/module/wireguard')) return true
  const dir = `/lib/modules/${release()}`
  return (
    /\/wireguard\.ko/.test(readText(`${dir}/modules.builtin`)) || /\/wireguard\.ko/.test(readText(`${dir}/modules.dep`))
  )
}

/** The MTU of a network device, or 0 when unknown. */
export function deviceMtu(dev: string): number {
  return Number(readText(`/sys/class/net/${dev}/mtu`).trim()) || 0
}

/**
 * net.ipv4.conf.all.src_valid_mark as the kernel has it now (`0` or `1`), which an IPv4 full tunnel
 * sets and post puts back. Throws where /proc does not have it.
 */
export const srcValidMark = (): string => readFileSync('/proc/sys/net/ipv4/conf/all/src_valid_mark', 'utf8').trim()

/** This process's network namespace, e.g. `net:[4026531840]`; undefined where /proc does not say. */
export function netns(pid: number | 'self' = 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return undefined
  }
}

/** The interface's index in this network namespace, or undefined when there is no such interface. */
export function ifindex(iface: string): number | undefined {
  return Number(readText(`/sys/class/net/${iface}/ifindex`).trim()) || undefined
}

/** A process's start time (clock ticks since boot, /proc/PID/stat field 22): with the pid, its identity. */
function startTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`)
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return rest[19] || undefined
}

/** Clock ticks since boot now, in the unit of startTime (USER_HZ, 100 on Linux). */
export function ticksNow(): number {
  return Math.floor(Number(readText('/proc/uptime').split(' ')[0]) * 100)
}

function argvOf(pid: number): string[] {
  return readText(`/proc/${pid}/cmdline`)
    .split('\0')
    .filter((a) => a !== '')
}

/** True when the process is wireguard-go serving this interface name. */
function isWireguardGo(pid: number, iface: string): boolean {
  const argv = argvOf(pid)
  return argv.length >= 2 && basename(argv[0] as string) === 'wireguard-go' && argv[argv.length - 1] === iface
}

/** A process, by identity: this pid with this start time (pids are reused, start times are not). */
export interface ProcessId {
  pid: number
  start: string
}

/** True while the very process recorded runs (not a later one with the same pid, nor its zombie). */
export function sameProcess(p: ProcessId): boolean {
  const stat = readText(`/proc/${p.pid}/stat`)
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return rest[19] === p.start && rest[0] !== 'Z' && rest[0] !== 'X'
}

/** A wireguard-go process that may be the one a start just forked, with its namespace where readable. */
export interface Candidate extends ProcessId {
  /** Its network namespace; undefined when this process may not read it (not root). */
  netns?: string
}

/** Clock ticks within which a started wireguard-go forks its daemon: the start command's own limit (60 s). */
export const START_WINDOW_TICKS = 6000

/**
 * The wireguard-go processes that may be the daemon a start of `wireguard-go IFACE` forked:
 * serving that name and started within START_WINDOW_TICKS from `sinceTicks`, in this network
 * namespace where that can be read. The socket folder is shared by every namespace, so only one
 * wireguard-go can serve a name at a time; the start time rules out older ones. `near`: the pid of
 * what started it (the daemon is forked a few pids later, so those come first).
 */
export function wireguardGoCandidates(iface: string, sinceTicks: number, near?: number): Candidate[] {
  const ours = netns()
  const fits = (pid: number): Candidate | undefined => {
    if (!isWireguardGo(pid, iface)) return undefined
    const start = startTime(pid)
    if (start === undefined || Number(start) < sinceTicks || Number(start) > sinceTicks + START_WINDOW_TICKS) {
      return undefined
    }
    const theirs = netns(pid)
    if (theirs !== undefined && ours !== undefined && theirs !== ours) return undefined
    return { pid, start, netns: theirs }
  }
  const pids = readdirSync('/proc')
    .filter((e) => /^[0-9]+$/.test(e))
    .map(Number)
  const first = near === undefined ? [] : pids.filter((p) => p > near && p <= near + 64)
  const found: Candidate[] = []
  for (const pid of [...first, ...pids.filter((p) => !first.includes(p))]) {
    const hit = fits(pid)
    if (hit) found.push(hit)
  }
  return found
}

/**
 * A file's identity (device, inode and change time in nanoseconds), to remove a socket only while
 * it is still the one recorded: a file system may give a new file the inode of one just deleted.
 * (Removing another wireguard-go's socket would stop it: it watches its socket and exits when the
 * file goes.)
 */
export function fileId(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true })
    return `${s.dev}:${s.ino}:${s.ctimeNs}`
  } catch {
    return undefined
  }
}

/**
 * Whether this step can have CAP_NET_ADMIN (bit 12), which making an interface needs: in its
 * effective set when root, else in its bounding set (what sudo could give it at most).
 */
export function hasNetAdmin(root: boolean): boolean {
  const set = root ? 'CapEff' : 'CapBnd'
  const caps = new RegExp(`^${set}:\\s*([0-9a-f]+)$`, 'm').exec(readText('/proc/self/status'))?.[1]
  return caps === undefined || (BigInt(`0x${caps}`) & (1n << 12n)) !== 0n
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)))

/** Polls `done` until it holds or `ms` pass; resolves with whether it held. */
export async function waitUntil(done: () => boolean, ms: number, everyMs = 2): Promise<boolean> {
  const end = Date.now() + ms
  for (;;) {
    if (done()) return true
    if (Date.now() >= end) return false
    await sleep(Math.min(everyMs, end - Date.now()))
  }
}
