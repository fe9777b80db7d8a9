// Undoing what main created: shared by post and by main's rollback. Never throws: every problem
// comes back as a warning.
import { existsSync, rmSync } from 'node:fs'
import { downBatch } from './plan.js'
import { isRoot, run } from './run.js'
import type { Created } from './state.js'
import { findWireguardGo, isWireguardGo, linkExists, socketPath, waitUntil } from './system.js'
import { locate } from './tools.js'

export interface TeardownReport {
  removed: string[]
  warnings: string[]
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))

async function stopWireguardGo(created: Created, report: TeardownReport): Promise<void> {
  const { iface } = created
  const pid = created.pid !== undefined && isWireguardGo(created.pid, iface) ? created.pid : findWireguardGo(iface)
  // Without a process, or after a kill, the socket may be stale: wireguard-go removes it only on a clean exit.
  let stale = pid === undefined
  if (pid !== undefined) {
    // Deleting the link makes wireguard-go exit by itself, removing its socket.
    if (!(await waitUntil(() => !isWireguardGo(pid, iface), 2000))) {
      stale = true
      for (const signal of ['TERM', 'KILL']) {
        await run(['kill', `-${signal}`, String(pid)], { root: true })
        if (await waitUntil(() => !isWireguardGo(pid, iface), 1000)) break
      }
      if (isWireguardGo(pid, iface)) report.warnings.push(`wireguard-go (pid ${pid}) for ${iface} would not stop`)
    }
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

/** Removes routes, interface, wireguard-go, socket and files that `created` records. */
export async function teardown(created: Created): Promise<TeardownReport> {
  const report: TeardownReport = { removed: [], warnings: [] }
  const { iface } = created
  const hadLink = linkExists(iface)
  try {
    if (hadLink) {
      const ip = locate('ip') ?? 'ip'
      const r = await run([ip, '-force', '-batch', '-'], { root: true, input: downBatch(iface, created.routes, true) })
      if (linkExists(iface)) report.warnings.push(`could not delete interface ${iface}: ${r.stderr.trim() || `exit ${r.code}`}`)
      else report.removed.push(created.routes.length > 0 ? `${iface} and its routes (${created.routes.join(', ')})` : iface)
    }
  } catch (err) {
    report.warnings.push(`could not delete interface ${iface}: ${message(err)}`)
  }
  if (created.userspace) {
    try {
      await stopWireguardGo(created, report)
    } catch (err) {
      report.warnings.push(`could not stop wireguard-go for ${iface}: ${message(err)}`)
    }
  }
  for (const file of created.files) {
    try {
      if (existsSync(file)) {
        rmSync(file, { force: true })
        report.removed.push(file)
      }
    } catch (err) {
      report.warnings.push(`could not remove ${file}: ${message(err)}`)
    }
  }
  return report
}
