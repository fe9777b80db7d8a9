// What main makes, written down *before* it makes it, so that whatever happens next (a failure, a
// cancelled job, a killed process) post knows exactly what may exist and how to recognise it. Each
// record carries identity (an ifindex in a network namespace, a pid with its start time, a rule's
// priority) once it is known; teardown acts only on what still has that identity.
import { IFACE } from '../../common/grammar.js'

export const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark'

export type Rec =
  | {
      kind: 'interface'
      name: string
      /** The network namespace it is made in. */
      netns?: string
      /** Known once it exists. */
      ifindex?: number
    }
  | {
      kind: 'wireguard-go'
      name: string
      /** Clock ticks since boot before it was started: its daemon starts no earlier. */
      since: number
      pid?: number
      start?: string
      /** The identity (device:inode:ctime) of its socket, removed only while it is still that one. */
      socket?: string
    }
  | { kind: 'file'; path: string }
  | { kind: 'rule'; family: 4 | 6; priority: number; selector: string }
  | {
      kind: 'sysctl'
      key: typeof SRC_VALID_MARK
      /** This job's id in the namespace's shared record (host/shared.ts), which holds the original value. */
      owner?: string
      /** The value found, from a journal written before the shared record: restored as it was. */
      was?: string
    }
  | { kind: 'dns'; manager: 'resolvectl' | 'resolvconf'; name: string; iface: string }
  | { kind: 'lease'; gateway: string; id: string; secret: string }

export type RecOf<K extends Rec['kind']> = Extract<Rec, { kind: K }>

export class Journal {
  readonly #records: Rec[]
  readonly #persist: (text: string) => void

  /** `persist` is given the whole journal after every change (the runner keeps the last value). */
  constructor(persist: (text: string) => void, records: Rec[] = []) {
    this.#persist = persist
    this.#records = records
  }

  get records(): readonly Rec[] {
    return this.#records
  }

  get empty(): boolean {
    return this.#records.length === 0
  }

  /** Writes the record down, then returns it: call before the side effect it describes. */
  add<K extends Rec['kind']>(rec: RecOf<K>): RecOf<K> {
    this.#records.push(rec)
    this.#save()
    return rec
  }

  /** Adds what became known (an identity) to a record. */
  update<K extends Rec['kind']>(rec: RecOf<K>, known: Partial<RecOf<K>>): void {
    Object.assign(rec, known)
    this.#save()
  }

  /** Forgets a record: what it describes was undone, or never came to be. */
  remove(rec: Rec): void {
    const at = this.#records.indexOf(rec)
    if (at < 0) return
    this.#records.splice(at, 1)
    this.#save()
  }

  find<K extends Rec['kind']>(kind: K): RecOf<K> | undefined {
    return this.#records.find((r): r is RecOf<K> => r.kind === kind)
  }

  #save(): void {
    this.#persist(this.#records.length === 0 ? '' : JSON.stringify(this.#records))
  }
}

// What post accepts from the state: it hands these to ip, sysctl, kill and resolvconf.
const SELECTOR = /^(not fwmark [0-9]{1,10} table [0-9]{1,10}|table main suppress_prefixlength 0)$/
const DNS_NAME = /^([A-Za-z0-9-]+\.)?[a-zA-Z0-9_=+.-]{1,15}$/
const NETNS = /^net:\[[0-9]+\]$/
const int = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
const str = (v: unknown, re: RegExp): v is string => typeof v === 'string' && re.test(v)
const optional = <T>(v: unknown, ok: (v: unknown) => v is T): T | undefined => (ok(v) ? v : undefined)

/** One record as post may trust it, or undefined when any field is off (it is then ignored). */
export function validRecord(value: unknown): Rec | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  switch (r.kind) {
    case 'interface':
      if (!str(r.name, IFACE) || (r.netns !== undefined && !str(r.netns, NETNS))) return undefined
      return {
        kind: 'interface',
        name: r.name,
        netns: optional(r.netns, (v): v is string => str(v, NETNS)),
        ifindex: optional(r.ifindex, (v): v is number => int(v, 1, 2 ** 31))
      }
    case 'wireguard-go':
      if (!str(r.name, IFACE) || !int(r.since, 0, Number.MAX_SAFE_INTEGER)) return undefined
      return {
        kind: 'wireguard-go',
        name: r.name,
        since: r.since,
        pid: optional(r.pid, (v): v is number => int(v, 2, 2 ** 22)),
        start: optional(r.start, (v): v is string => str(v, /^[0-9]{1,20}$/)),
        socket: optional(r.socket, (v): v is string => str(v, /^[0-9]+:[0-9]+:[0-9]+$/))
      }
    case 'file':
      // Only the temporary folders this action makes, by absolute path.
      if (!str(r.path, /^\/[^\0]*\/wireguard-tunnel-[A-Za-z0-9]{6}$/) || r.path.includes('/../')) return undefined
      return { kind: 'file', path: r.path }
    case 'rule':
      if ((r.family !== 4 && r.family !== 6) || !int(r.priority, 1, 2 ** 32 - 1) || !str(r.selector, SELECTOR)) {
        return undefined
      }
      return { kind: 'rule', family: r.family, priority: r.priority, selector: r.selector }
    case 'sysctl':
      if (r.key !== SRC_VALID_MARK) return undefined
      if (str(r.owner, /^[0-9a-f]{32}$/)) return { kind: 'sysctl', key: SRC_VALID_MARK, owner: r.owner }
      if (str(r.was, /^[0-9]$/)) return { kind: 'sysctl', key: SRC_VALID_MARK, was: r.was }
      return undefined
    case 'dns':
      if (
        (r.manager !== 'resolvectl' && r.manager !== 'resolvconf') ||
        !str(r.name, DNS_NAME) ||
        !str(r.iface, IFACE)
      ) {
        return undefined
      }
      return { kind: 'dns', manager: r.manager, name: r.name, iface: r.iface }
    case 'lease':
      if (
        !str(r.gateway, /^https?:\/\/[^\s]+$/) ||
        !str(r.id, /^[A-Za-z0-9_-]{1,64}$/) ||
        !str(r.secret, /^[A-Za-z0-9_-]{16,128}$/)
      ) {
        return undefined
      }
      return { kind: 'lease', gateway: r.gateway, id: r.id, secret: r.secret }
    default:
      return undefined
  }
}

/** The records in a saved journal, each checked; unreadable text or records are dropped. */
export function parseJournal(text: string): Rec[] {
  if (!text) return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.map(validRecord).filter((r): r is Rec => r !== undefined) : []
  } catch {
    return []
  }
}
