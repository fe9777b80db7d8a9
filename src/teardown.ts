// Undoing what main created: shared by post and by main's rollback. Never throws: every problem
// comes back as a warning.
import { existsSync, rmSync } from 'node:fs'
import { downBatch, ruleLines } from './plan.js'
import { dnsDown } from './dns.js'
import { isRoot, mustRun, run } from './run.js'
import type { Created } from './state.js'
import { findWireguardGo, isWireguardGo, linkExists, socketPath, waitUntil } from './system.js'
import * as core from './toolkit.js'
import { locate } from './tools.js'

export interface TeardownReport {
  removed: string[]
  warnings: string[]
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid: number, name: 'TERM' | 'KILL'): Promise<void> {
  if (isRoot()) {
    try {
      process.kill(pid, `SIG${name}`)
    } catch {
      // Exited meanwhile.
    }
  } else {
    await run(['kill', `-${name}`, String(pid)], { root: true })
  }
}

/**
 * Stops wireguard-go: SIGTERM, on which it closes its interface (routes go with it) and removes
 * its socket; SIGKILL only if it will not go. Faster than deleting the link and waiting.
 */
async function stopWireguardGo(created: Created, report: TeardownReport): Promise<void> {
  const { iface } = created
  const pid = created.pid !== undefined && isWireguardGo(created.pid, iface) ? created.pid : findWireguardGo(iface)
  // Without a process, or after a kill, the socket may be stale: wireguard-go removes it only on a clean exit.
  let stale = pid === undefined
  if (pid !== undefined) {
    const gone = (): boolean => !isWireguardGo(pid, iface)
    const sent = performance.now()
    await signal(pid, 'TERM')
    if (!(await waitUntil(gone, 3000))) {
      stale = true
      await signal(pid, 'KILL')
      if (!(await waitUntil(gone, 1000))) report.warnings.push(`wireguard-go (pid ${pid}) for ${iface} would not stop`)
    }
    core.debug(`wireguard-go stopped ${Math.round(performance.now() - sent)} ms after SIGTERM`)
    // The interface closes as the process exits.
    await waitUntil(() => !linkExists(iface), 1000)
    report.removed.push(`wireguard-go (pid ${pid})`)
  }
  const sock = socketPath(iface)
  if (isRoot()) {
    if (existsSync(sock)) {
      rmSync(sock, { force: true })
      report.removed.push(sock)
    }
  } else if (stale) {
    await run(['rm', '-f', sock], { root: true })
  }
}

/** Removes DNS, rules, routes, interface, wireguard-go, socket, sysctl and files that `created` records. */
export async function teardown(created: Created): Promise<TeardownReport> {
  const report: TeardownReport = { removed: [], warnings: [] }
  const { iface } = created
  const attempt = async (what: string, undo: () => Promise<void>): Promise<void> => {
    try {
      await undo()
    } catch (err) {
      report.warnings.push(`could not ${what}: ${message(err)}`)
    }
  }
  if (created.dns) {
    const { manager, name } = created.dns
    await attempt(`revert DNS for ${iface}`, async () => {
      const { argv } = dnsDown(manager, name)
      const r = await run(argv, { root: true })
      if (r.code !== 0 && linkExists(iface)) throw new Error(r.stderr.trim() || `exit ${r.code}`)
      report.removed.push(`DNS (${manager})`)
    })
  }
  const hadLink = linkExists(iface)
  if (created.userspace) await attempt(`stop wireguard-go for ${iface}`, () => stopWireguardGo(created, report))
  if (linkExists(iface) || created.rules.length > 0) {
    await attempt(`delete interface ${iface}`, async () => {
      const ip = locate('ip') ?? 'ip'
      const rules6 = ruleLines(created.rules, '-6', 'del')
      if (rules6.length > 0)
        await run([ip, '-6', '-force', '-batch', '-'], { root: true, input: `${rules6.join('\n')}\n` })
      const r = await run([ip, '-force', '-batch', '-'], {
        root: true,
        input: downBatch(iface, created.routes, created.rules)
      })
      if (linkExists(iface)) throw new Error(r.stderr.trim() || `exit ${r.code}`)
      if (created.rules.length > 0) report.removed.push(`rules ${created.rules.join(', ')}`)
    })
  }
  if (hadLink && !linkExists(iface))
    report.removed.unshift(created.routes.length > 0 ? `${iface} with routes ${created.routes.join(', ')}` : iface)
  if (created.sysctl) {
    const { key, was } = created.sysctl
    await attempt(`restore ${key}`, async () => {
      await mustRun(['sysctl', '-q', '-w', `${key}=${was}`], { root: true })
      report.removed.push(`${key} back to ${was}`)
    })
  }
  for (const file of created.files) {
    await attempt(`remove ${file}`, async () => {
      if (existsSync(file)) {
        rmSync(file, { recursive: true, force: true })
        report.removed.push(file)
      }
    })
  }
  return report
}
