// Read-only probes of the system, through the file system only (no processes started).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { release } from 'node:os'
import { basename } from 'node:path'

export const socketPath = (iface: string): string => `/var/run/wireguard/${iface}.sock`

export const linkExists = (iface: string): boolean => existsSync(`/sys/class/net/${iface}`)

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
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

function argvOf(pid: number): string[] {
  return readText(`/proc/${pid}/cmdline`)
    .split('\0')
    .filter((a) => a !== '')
}

/** True when the process is wireguard-go serving this interface. */
export function isWireguardGo(pid: number, iface: string): boolean {
  const argv = argvOf(pid)
  return argv.length >= 2 && basename(argv[0] as string) === 'wireguard-go' && argv[argv.length - 1] === iface
}

/**
 * The wireguard-go process serving the interface, if one runs. `near`: the pid of whatever started
 * it; its daemon is forked a few pids later, so those are looked at first.
 */
export function findWireguardGo(iface: string, near?: number): number | undefined {
  if (near !== undefined) {
    for (let pid = near + 1; pid <= near + 64; pid++) if (isWireguardGo(pid, iface)) return pid
  }
  let found: number | undefined
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    const pid = Number(entry)
    if (isWireguardGo(pid, iface) && (found === undefined || pid > found)) found = pid
  }
  return found
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
