// IP addresses and prefixes: parsing, masking and canonical text. Pure; no I/O.

export type Family = 4 | 6

export interface Prefix {
  family: Family
  /** Canonical text of the address as given (host bits kept), e.g. `192.0.2.2` or `2001:db8::2`. */
  address: string
  bits: number
}

/** Parses dotted-quad IPv4 into 4 bytes, or undefined. */
function parseV4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes: number[] = []
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    bytes.push(n)
  }
  return bytes
}

/** Parses IPv6 (with `::` and an optional trailing dotted quad) into 16 bytes, or undefined. */
function parseV6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined
  let head = text
  let tail4: number[] = []
  const lastColon = text.lastIndexOf(':')
  if (text.includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1))
    if (!v4) return undefined
    tail4 = v4
    head = text.slice(0, lastColon + 1)
    if (!head.endsWith('::')) head = head.slice(0, -1)
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string): number[] | undefined => {
    if (s === '') return []
    const out: number[] = []
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
      out.push(parseInt(g, 16))
    }
    return out
  }
  const left = groups(halves[0] ?? '')
  const right = halves.length === 2 ? groups(halves[1] ?? '') : []
  if (!left || !right) return undefined
  const want = 8 - tail4.length / 2
  let words: number[]
  if (halves.length === 2) {
    const fill = want - left.length - right.length
    if (fill < 1) return undefined
    words = [...left, ...new Array<number>(fill).fill(0), ...right]
  } else {
    words = left
  }
  if (words.length !== want) return undefined
  const bytes: number[] = []
  for (const w of words) bytes.push(w >> 8, w & 0xff)
  return [...bytes, ...tail4]
}

export function parseAddress(text: string): { family: Family; bytes: number[] } | undefined {
  const v4 = parseV4(text)
  if (v4) return { family: 4, bytes: v4 }
  const v6 = text.includes(':') ? parseV6(text) : undefined
  return v6 ? { family: 6, bytes: v6 } : undefined
}

/** RFC 5952 text: lower case, longest run of two or more zero groups as `::`. */
export function formatBytes(family: Family, bytes: number[]): string {
  if (family === 4) return bytes.join('.')
  const words: number[] = []
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0))
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':')
  if (bestStart < 0) return hex(words)
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`
}

export function canonicalAddress(text: string): string | undefined {
  const parsed = parseAddress(text)
  return parsed && formatBytes(parsed.family, parsed.bytes)
}

export function maxBits(family: Family): number {
  return family === 4 ? 32 : 128
}

/** Parses `ADDR/BITS` or a bare `ADDR` (a host prefix). Returns a reason string on failure. */
export function parsePrefix(text: string): Prefix | string {
  const slash = text.indexOf('/')
  const addrText = slash < 0 ? text : text.slice(0, slash)
  const parsed = parseAddress(addrText)
  if (!parsed) return `"${text}" is not an IPv4 or IPv6 address`
  const max = maxBits(parsed.family)
  let bits = max
  if (slash >= 0) {
    const bitsText = text.slice(slash + 1)
    if (!/^(0|[1-9][0-9]{0,2})$/.test(bitsText) || Number(bitsText) > max) {
      return `"${text}" has prefix length "${bitsText}"; it must be 0 to ${max}`
    }
    bits = Number(bitsText)
  }
  return { family: parsed.family, address: formatBytes(parsed.family, parsed.bytes), bits }
}

/** The prefix with its host bits cleared: the network it names. */
export function network(prefix: Prefix): Prefix {
  const parsed = parseAddress(prefix.address)
  if (!parsed) throw new Error(`invalid address ${prefix.address}`)
  const bytes = parsed.bytes.map((b, i) => {
    const keep = Math.min(8, Math.max(0, prefix.bits - i * 8))
    return b & ((0xff << (8 - keep)) & 0xff)
  })
  return { family: prefix.family, address: formatBytes(prefix.family, bytes), bits: prefix.bits }
}

export function prefixText(prefix: Prefix): string {
  return `${prefix.address}/${prefix.bits}`
}

/** True when `outer` contains every address of `inner`. */
export function contains(outer: Prefix, inner: Prefix): boolean {
  if (outer.family !== inner.family || outer.bits > inner.bits) return false
  return network({ ...inner, bits: outer.bits }).address === network(outer).address
}
