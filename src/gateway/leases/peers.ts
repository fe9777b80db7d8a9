// The WireGuard interface, through `wg` (which speaks to kernel and wireguard-go interfaces alike) and
// `ip`, run by ../run.ts (over the shared runner, nothing logged: the gateway's stdout carries its
// audit lines). The interface's private key and preshared keys are never read:
// `wg show IFACE public-key|listen-port|allowed-ips|latest-handshakes|transfer`.
import { errorText } from '../../common/errors.js'
import { isKey } from '../../common/grammar.js'
import { parsePrefix, prefixText, type Prefix } from '../../common/ip.js'
import { run as exec } from '../run.js'

export interface PeerState {
  allowedIps: string[]
  /** Seconds since the epoch; 0 when the peer never completed a handshake. */
  latestHandshake: number
  /** Bytes received from the peer since it was added (keepalives included); read with handshakes. */
  rxBytes?: number
}

export type PeerOp = { kind: 'add'; publicKey: string; allowedIps: string[] } | { kind: 'remove'; publicKey: string }

class WgError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WgError'
  }
}

/** Lines of `KEY\tVALUE` into a map. */
function table(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t')
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1).trim())
  }
  return out
}

/**
 * Allowed IPs as `wg` prints them → canonical text (null: not a prefix, as `(none)`). Read before
 * every `wg set` and at every sweep, thousands of prefixes that rarely change: parsing each every
 * time cost ~25 ms at 5,000 peers, looking it up ~3 ms. Emptied when it grows past CANON_MAX.
 */
const canonical = new Map<string, string | null>()
const CANON_MAX = 1 << 17

function canon(text: string): string | null {
  let c = canonical.get(text)
  if (c === undefined) {
    const p = parsePrefix(text)
    c = typeof p === 'string' ? null : prefixText(p)
    if (canonical.size >= CANON_MAX) canonical.clear()
    // Keyed by a string of its own where it can be: `text` is a slice of all of `wg`'s output, and
    // a key kept here would keep that whole output alive.
    canonical.set(c === text ? c : text, c)
  }
  return c
}

/** The `wg set` arguments for a batch of operations, in order. Pure. */
function setArgs(iface: string, ops: readonly PeerOp[]): string[] {
  const args = ['wg', 'set', iface]
  for (const op of ops) {
    if (op.kind === 'add') args.push('peer', op.publicKey, 'allowed-ips', op.allowedIps.join(','))
    else args.push('peer', op.publicKey, 'remove')
  }
  return args
}

export class Wg {
  constructor(readonly iface: string) {}

  /** The interface's public key and listen port; a clear error when it is not a WireGuard interface. */
  async info(): Promise<{ publicKey: string; listenPort: number }> {
    let publicKey: string
    let port: string
    try {
      publicKey = (await exec(['wg', 'show', this.iface, 'public-key'])).trim()
      port = (await exec(['wg', 'show', this.iface, 'listen-port'])).trim()
    } catch (err) {
      const said = errorText(err)
      // Without the privilege, `wg` cannot reach the interface, and says so (or, for wireguard-go's
      // socket it cannot see, that the device does not exist: preflight.ts catches that case first).
      if (/Operation not permitted|Permission denied/.test(said))
        throw new WgError(
          `interface "${this.iface}" cannot be read: permission denied (${said}). The gateway needs root, or CAP_NET_ADMIN for a kernel interface`
        )
      throw new WgError(
        `interface "${this.iface}" is not a WireGuard interface here (${said}). Create it first (wg-quick up ${this.iface}), then start the gateway`
      )
    }
    if (!isKey(publicKey))
      throw new WgError(
        `interface "${this.iface}" has no private key: configure it (wg-quick or wg set ${this.iface} private-key FILE)`
      )
    return { publicKey, listenPort: Number(port) }
  }

  /** The interface's own addresses, as host prefixes (never leased). */
  async addresses(): Promise<Prefix[]> {
    const out = await exec(['ip', '-o', 'address', 'show', 'dev', this.iface])
    const hosts: Prefix[] = []
    for (const m of out.matchAll(/\binet6? ([0-9a-fA-F:.]+)\//g)) {
      const p = parsePrefix(m[1] as string)
      if (typeof p !== 'string') hosts.push(p)
    }
    return hosts
  }

  /** Every peer's allowed IPs (canonical), and with `withHandshakes` its latest handshake and bytes received. */
  async peers(withHandshakes = true): Promise<Map<string, PeerState>> {
    const [ips, hs, tr] = await Promise.all([
      exec(['wg', 'show', this.iface, 'allowed-ips']),
      withHandshakes ? exec(['wg', 'show', this.iface, 'latest-handshakes']) : Promise.resolve(''),
      withHandshakes ? exec(['wg', 'show', this.iface, 'transfer']) : Promise.resolve('')
    ])
    const handshakes = table(hs)
    const transfer = table(tr)
    const out = new Map<string, PeerState>()
    // `KEY\tIP IP …` per line: read in place (thousands of lines before every `wg set`).
    for (let at = 0; at < ips.length;) {
      const end = ips.indexOf('\n', at) < 0 ? ips.length : ips.indexOf('\n', at)
      const tab = ips.indexOf('\t', at)
      if (tab > at && tab < end) {
        const key = ips.slice(at, tab)
        const allowedIps: string[] = []
        for (const t of ips
          .slice(tab + 1, end)
          .trim()
          .split(' ')) {
          const c = canon(t)
          if (c !== null) allowedIps.push(c)
        }
        const state: PeerState = { allowedIps, latestHandshake: Number(handshakes.get(key) ?? 0) || 0 }
        if (withHandshakes) {
          const rx = Number(transfer.get(key)?.split('\t')[0])
          if (Number.isFinite(rx)) state.rxBytes = rx
        }
        out.set(key, state)
      }
      at = end + 1
    }
    return out
  }

  /** Applies operations in one `wg set` call. */
  async apply(ops: readonly PeerOp[]): Promise<void> {
    if (ops.length > 0) await exec(setArgs(this.iface, ops))
  }
}

/**
 * Coalesces concurrent work: items submitted while a batch runs wait and go together in the next one,
 * so a hundred simultaneous leases cost a few `wg set` calls, not a hundred. The batch function
 * resolves with one result (or Error) per item.
 */
export class Coalescer<T, R> {
  private waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  private running = false

  constructor(
    private readonly batch: (items: T[]) => Promise<(R | Error)[]>,
    private readonly maxBatch = 256
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      if (!this.running) void this.drain()
    })
  }

  /** True while nothing waits or runs. */
  get idle(): boolean {
    return !this.running && this.waiting.length === 0
  }

  private async drain(): Promise<void> {
    this.running = true
    while (this.waiting.length > 0) {
      const now = this.waiting.splice(0, this.maxBatch)
      try {
        const results = await this.batch(now.map((w) => w.item))
        now.forEach((w, i) => {
          const r = results[i]
          if (r instanceof Error) w.reject(r)
          else w.resolve(r as R)
        })
      } catch (err) {
        for (const w of now) w.reject(err)
      }
    }
    this.running = false
  }
}
