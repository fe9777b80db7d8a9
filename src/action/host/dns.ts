// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.
import { existsSync, readFileSync } from 'node:fs'
import type { Journal } from '../journal/journal.js'
import { mustRun, type RunOptions } from './run.js'
import { locate } from './probe.js'
import { echo } from './echo.js'
import * as core from '../toolkit.js'

type DnsManager = 'resolvectl' | 'resolvconf'

/** Which DNS manager this system has, if any. */
function dnsManager(): DnsManager | undefined {
  if (existsSync('/run/systemd/resolve') && locate('resolvectl')) return 'resolvectl'
  if (locate('resolvconf')) return 'resolvconf'
  return undefined
}

/** resolvconf's record name for the interface, with the prefix interface-order wants (as wg-quick). */
export function resolvconfName(iface: string, interfaceOrder: string): string {
  for (const line of interfaceOrder.split('\n')) {
    const m = /^([A-Za-z0-9-]+)\*$/.exec(line.trim())
    if (m) return `${m[1]}.${iface}`
  }
  return iface
}

function readInterfaceOrder(): string {
  try {
    return readFileSync('/etc/resolvconf/interface-order', 'utf8')
  } catch {
    return ''
  }
}

interface DnsCommand {
  argv: string[]
  input?: string
}

/**
 * Commands that apply the servers and search domains. Like wg-quick's `resolvconf -x`, the tunnel's
 * servers answer every query (`~.` for systemd-resolved).
 */
export function dnsUp(
  cfg: { iface: string; dns: readonly string[]; dnsSearch: readonly string[] },
  manager: DnsManager,
  name: string
): DnsCommand[] {
  if (manager === 'resolvectl') {
    return [
      { argv: ['resolvectl', 'dns', cfg.iface, ...cfg.dns] },
      { argv: ['resolvectl', 'domain', cfg.iface, ...cfg.dnsSearch, '~.'] }
    ]
  }
  const text =
    cfg.dns.map((d) => `nameserver ${d}\n`).join('') +
    (cfg.dnsSearch.length > 0 ? `search ${cfg.dnsSearch.join(' ')}\n` : '')
  return [{ argv: ['resolvconf', '-a', name, '-m', '0', '-x'], input: text }]
}

/** The command that reverts dnsUp. */
export function dnsDown(manager: DnsManager, name: string): DnsCommand {
  return manager === 'resolvectl'
    ? { argv: ['resolvectl', 'revert', name] }
    : { argv: ['resolvconf', '-d', name, '-f'] }
}

/** Applies DNS servers and search domains, recorded first; warns when the system has no way to. */
export async function applyDns(
  cfg: { iface: string; dns: readonly string[]; dnsSearch: readonly string[] },
  journal: Journal,
  limits: Pick<RunOptions, 'deadline'>
): Promise<void> {
  if (cfg.dns.length === 0) return
  const manager = dnsManager()
  if (!manager) {
    core.warning(
      `DNS servers ${cfg.dns.join(', ')} were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf`
    )
    return
  }
  const name = manager === 'resolvconf' ? resolvconfName(cfg.iface, readInterfaceOrder()) : cfg.iface
  journal.add({ kind: 'dns', manager, name, iface: cfg.iface })
  for (const c of dnsUp(cfg, manager, name)) {
    echo(c.argv)
    await mustRun(c.argv, { root: true, input: c.input, ...limits })
  }
}
