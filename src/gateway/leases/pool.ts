// Runner addresses: one host address per family of the pool for each lease. Never the network or the
// last address (broadcast in IPv4), never an address held by a lease, by the interface itself or by a
// peer the gateway does not own. Next-fit, so a freed address is not handed out again at once. Pure.
import { contains, formatBytes, maxBits, network, parseAddress, type Family, type Prefix } from '../../common/ip.js'

export function toBig(address: string): bigint {
  const a = parseAddress(address)
  if (!a) throw new Error(`invalid address ${address}`)
  return a.bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n)
}

export function fromBig(family: Family, n: bigint): string {
  const bytes: number[] = []
  for (let i = family === 4 ? 3 : 15; i >= 0; i--) bytes.push(Number((n >> BigInt(i * 8)) & 0xffn))
  return formatBytes(family, bytes)
}

/** What is taken: single addresses (canonical text) and whole prefixes (foreign peers, the interface). */
interface Taken {
  addresses: Set<string>
  prefixes: Prefix[]
}

interface Range {
  family: Family
  first: bigint
  last: bigint
  /** Where the next search starts. */
  cursor: bigint
  prefix: Prefix
}

export class Pool {
  private readonly ranges: Range[]

  constructor(prefixes: Prefix[]) {
    this.ranges = prefixes.map((p) => {
      const base = toBig(network(p).address)
      const size = 1n << BigInt(maxBits(p.family) - p.bits)
      return { family: p.family, first: base + 1n, last: base + size - 2n, cursor: base + 1n, prefix: network(p) }
    })
  }

  /**
   * One free host address per family (`10.99.0.7/32`, `fd99::7/128`), or undefined when any family
   * is exhausted. Prefixes in `taken` that contain the whole pool are ignored: a peer routing a
   * wider network (say 0.0.0.0/0) is carved around by the more specific host routes of leases.
   */
  allocate(taken: Taken): string[] | undefined {
    const out: { range: Range; n: bigint }[] = []
    for (const r of this.ranges) {
      const n = this.search(r, taken)
      if (n === undefined) return undefined
      out.push({ range: r, n })
    }
    for (const { range, n } of out) range.cursor = n + 1n > range.last ? range.first : n + 1n
    return out.map(({ range, n }) => `${fromBig(range.family, n)}/${maxBits(range.family)}`)
  }

  /**
   * How many addresses could still be leased: of each family, the range less what `taken` holds in
   * it (addresses, and the parts of prefixes within it; a prefix containing the whole pool is ignored,
   * as allocate does); the smallest family counts. A Number (IPv6 ranges are counted approximately).
   */
  free(taken: Taken): number {
    let least: bigint | undefined
    for (const r of this.ranges) {
      const blocked = this.blocked(r, taken)
      let used = 0n
      for (const b of blocked) {
        const lo = b.lo > r.first ? b.lo : r.first
        const hi = b.hi < r.last ? b.hi : r.last
        if (hi >= lo) used += hi - lo + 1n
      }
      for (const a of taken.addresses) {
        const p = parseAddress(a)
        if (p?.family !== r.family) continue
        const n = toBig(a)
        if (n >= r.first && n <= r.last && !blocked.some((b) => n >= b.lo && n <= b.hi)) used++
      }
      const left = r.last - r.first + 1n - used
      if (least === undefined || left < least) least = left
    }
    return Number(least ?? 0n)
  }

  /** The prefixes of `taken` within the range (not those containing the whole pool), as number intervals. */
  private blocked(r: Range, taken: Taken): { lo: bigint; hi: bigint }[] {
    return taken.prefixes
      .filter((p) => p.family === r.family && contains(r.prefix, p))
      .map((p) => {
        const lo = toBig(network(p).address)
        return { lo, hi: lo + (1n << BigInt(maxBits(p.family) - p.bits)) - 1n }
      })
  }

  private search(r: Range, taken: Taken): bigint | undefined {
    const blocked = this.blocked(r, taken)
    const size = r.last - r.first + 1n
    let n = r.cursor
    // Every step either tries one address or skips a blocked prefix: bounded by the range's size.
    for (let seen = 0n; seen < size;) {
      const block = blocked.find((b) => n >= b.lo && n <= b.hi)
      if (block) {
        const hi = block.hi < r.last ? block.hi : r.last
        seen += hi - n + 1n
        n = hi + 1n
      } else if (taken.addresses.has(fromBig(r.family, n))) {
        seen += 1n
        n += 1n
      } else {
        return n
      }
      if (n > r.last) n = r.first
    }
    return undefined
  }
}
