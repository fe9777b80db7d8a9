// What main created, saved as it goes so that post can undo exactly that, even when main was
// killed part-way.
import * as core from './toolkit.js'
import { IFACE } from './names.js'
import { parsePrefix } from './ip.js'

export interface Created {
  /** The interface main creates; saved only after main checked that no such interface existed. */
  iface: string
  /** wireguard-go serves the interface. */
  userspace: boolean
  /** The wireguard-go process, once known. */
  pid?: number
  /** Routes main added: `PREFIX` or `PREFIX table N`. */
  routes: string[]
  /** Policy rules main added, as `ip rule` selectors. */
  rules: string[]
  /** A sysctl main changed, with the value to put back. */
  sysctl?: { key: string; was: string }
  /** DNS main applied: the manager and the name it was applied under. */
  dns?: { manager: 'resolvectl' | 'resolvconf'; name: string }
  /** Files main writes; removed in post if still there. */
  files: string[]
}

const KEY = 'created'

export const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark'

// What post accepts from the state: it hands these to ip, sysctl and resolvconf.
const ROUTE = /^[0-9a-f:.]+\/[0-9]{1,3}( table [0-9]{1,10})?$/
const RULE = /^-[46] (not fwmark [0-9]{1,10} table [0-9]{1,10}|table main suppress_prefixlength 0)$/
const IFACE_OR_PREFIXED = /^([A-Za-z0-9-]+\.)?[a-zA-Z0-9_=+.-]{1,15}$/

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

export function saveCreated(created: Created | undefined): void {
  core.saveState(KEY, created ? JSON.stringify(created) : '')
}

/** What main recorded, or undefined when it created nothing (or its record is unreadable). */
export function loadCreated(): Created | undefined {
  const text = core.getState(KEY)
  if (!text) return undefined
  try {
    const c = JSON.parse(text) as Partial<Created>
    if (typeof c.iface !== 'string' || !IFACE.test(c.iface)) return undefined
    return {
      iface: c.iface,
      userspace: c.userspace === true,
      pid: typeof c.pid === 'number' ? c.pid : undefined,
      routes: strings(c.routes).filter(
        (r) => ROUTE.test(r) && typeof parsePrefix(r.split(' ')[0] as string) !== 'string'
      ),
      rules: strings(c.rules).filter((r) => RULE.test(r)),
      sysctl:
        c.sysctl && c.sysctl.key === SRC_VALID_MARK && /^[0-9]$/.test(String(c.sysctl.was)) ? c.sysctl : undefined,
      dns:
        c.dns &&
        (c.dns.manager === 'resolvectl' || c.dns.manager === 'resolvconf') &&
        IFACE_OR_PREFIXED.test(c.dns.name)
          ? c.dns
          : undefined,
      files: strings(c.files).filter((f) => /wireguard-tunnel-/.test(f))
    }
  } catch {
    return undefined
  }
}
