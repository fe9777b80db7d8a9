// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.
import { existsSync, readFileSync } from 'node:fs'
import type { FlatConfig as Config } from './config.js'
import { locate } from './tools.js'

export type DnsManager = 'resolvectl' | 'resolvconf'

/** Which DNS manager this system has, if any. */
export function dnsManager(): DnsManager | undefined {
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

export function readInterfaceOrder(): string {
  try {
    return readFileSync('/etc/resolvconf/interface-order', 'utf8')
  } catch {
    return ''
  }
}

export interface DnsCommand {
  argv: string[]
  input?: string
}

/**
 * Commands that apply the servers and search domains. Like wg-quick's `resolvconf -x`, the tunnel's
 * servers answer every query (`~.` for systemd-resolved).
 */
export function dnsUp(cfg: Config, manager: DnsManager, name: string): DnsCommand[] {
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
