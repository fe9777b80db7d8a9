// What main created, saved as it goes so that post can undo exactly that, even when main was
// killed part-way.
import * as core from '@actions/core'
import { IFACE } from './config.js'
import { parsePrefix } from './ip.js'

export interface Created {
  /** The interface main creates; saved only after main checked that no such interface existed. */
  iface: string
  /** wireguard-go serves the interface. */
  userspace: boolean
  /** The wireguard-go process, once known. */
  pid?: number
  /** Routes main added, as `ip route` prefixes. */
  routes: string[]
  /** Files main writes; removed in post if still there. */
  files: string[]
}

const KEY = 'created'

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
      routes: Array.isArray(c.routes) ? c.routes.filter((r) => typeof r === 'string' && typeof parsePrefix(r) !== 'string') : [],
      files: Array.isArray(c.files) ? c.files.filter((f) => typeof f === 'string') : []
    }
  } catch {
    return undefined
  }
}
