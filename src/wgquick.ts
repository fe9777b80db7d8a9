// The `config` input: a whole wg-quick configuration, parsed as wg-quick and `wg setconf` do
// (case-insensitive keys, `#` comments, comma lists, repeated keys, any number of [Peer]s). Errors
// name the line and key, never a value: the whole input is a secret.
import { InputError, parseEndpoint, parseKey, splitDns, type PeerConfig, type Table } from './config.js'
import { network, parsePrefix, type Prefix } from './ip.js'

export interface WgQuickConfig {
  privateKey: string
  addresses: Prefix[]
  listenPort?: number
  fwmark?: number
  mtu?: number
  dns: string[]
  dnsSearch: string[]
  table: Table
  peers: PeerConfig[]
}

const INPUT = 'config'

/** Keys wg-quick runs as shell commands, or that write the file back: refused, with what to do instead. */
const REFUSED = new Set(['preup', 'postup', 'predown', 'postdown', 'saveconfig'])

const INTERFACE_KEYS = new Set(['privatekey', 'address', 'listenport', 'fwmark', 'mtu', 'dns', 'table'])
const PEER_KEYS = new Set(['publickey', 'presharedkey', 'endpoint', 'allowedips', 'persistentkeepalive'])

function fail(line: number, problem: string): never {
  throw new InputError(INPUT, `line ${line}: ${problem}`)
}

function integer(line: number, key: string, value: string, min: number, max: number): number {
  const n = /^0x[0-9a-f]+$/i.test(value) ? parseInt(value, 16) : /^[0-9]+$/.test(value) ? Number(value) : NaN
  if (!(n >= min && n <= max)) fail(line, `${key} must be a number from ${min} to ${max}`)
  return n
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function prefixes(line: number, key: string, value: string): Prefix[] {
  return list(value).map((item) => {
    const p = parsePrefix(item)
    if (typeof p === 'string') fail(line, `${key} has an entry that is not an address or CIDR`)
    return p
  })
}

/** Re-labels an InputError from a shared parser as this input's, at this line, without its value. */
function withLine<T>(line: number, key: string, what: string, parse: () => T): T {
  try {
    return parse()
  } catch {
    return fail(line, `${key} must be ${what}`)
  }
}

export function parseTable(value: string, at = (problem: string): never => fail(0, problem)): Table {
  const v = value.trim().toLowerCase()
  if (v === 'auto' || v === 'off') return v
  if (v === 'main') return 254
  if (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 0xffffffff) return Number(v)
  return at('Table must be auto, off, main or a table number')
}

/** Parses a wg-quick configuration; throws an InputError naming the line and key. */
export function parseWgQuick(text: string): WgQuickConfig {
  let section: 'none' | 'interface' | 'peer' = 'none'
  let privateKey: string | undefined
  const cfg: Omit<WgQuickConfig, 'privateKey'> = { addresses: [], dns: [], dnsSearch: [], table: 'auto', peers: [] }
  let peer: (Partial<PeerConfig> & { allowedIps: Prefix[]; line: number }) | undefined
  const peers: (typeof peer & object)[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const n = index + 1
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') return
    if (/^\[.*\]$/.test(line)) {
      const name = line.slice(1, -1).trim().toLowerCase()
      if (name === 'interface') section = 'interface'
      else if (name === 'peer') {
        section = 'peer'
        peer = { allowedIps: [], line: n }
        peers.push(peer)
      } else fail(n, 'unknown section (expected [Interface] or [Peer])')
      return
    }
    const eq = line.indexOf('=')
    if (eq < 0) fail(n, 'expected Key = Value')
    const keyName = line.slice(0, eq).trim()
    const key = keyName.toLowerCase()
    const value = line.slice(eq + 1).trim()
    if (REFUSED.has(key)) {
      fail(
        n,
        `${keyName} is not supported: this action runs no commands from the configuration; do that in a run: step before or after this one`
      )
    }
    if (section === 'none') fail(n, `${keyName} comes before any [Interface] or [Peer] section`)
    if (section === 'interface') {
      if (!INTERFACE_KEYS.has(key)) fail(n, `unknown key ${keyName} in [Interface]`)
      switch (key) {
        case 'privatekey':
          privateKey = withLine(n, 'PrivateKey', 'a base64 WireGuard key', () => parseKey(INPUT, value, true))
          break
        case 'address':
          cfg.addresses.push(...prefixes(n, 'Address', value))
          break
        case 'listenport':
          cfg.listenPort = integer(n, 'ListenPort', value, 0, 65535)
          break
        case 'fwmark':
          cfg.fwmark =
            value.toLowerCase() === 'off' ? undefined : integer(n, 'FwMark', value, 0, 0xffffffff) || undefined
          break
        case 'mtu':
          cfg.mtu = integer(n, 'MTU', value, 576, 65535)
          break
        case 'dns': {
          const split = withLine(n, 'DNS', 'IP addresses (servers) or domain names (search domains)', () =>
            splitDns(INPUT, value)
          )
          cfg.dns.push(...split.dns)
          cfg.dnsSearch.push(...split.dnsSearch)
          break
        }
        case 'table':
          cfg.table = parseTable(value, (problem) => fail(n, problem))
          break
      }
      return
    }
    const p = peer as NonNullable<typeof peer>
    if (!PEER_KEYS.has(key)) fail(n, `unknown key ${keyName} in [Peer]`)
    switch (key) {
      case 'publickey':
        p.publicKey = withLine(n, 'PublicKey', 'a base64 WireGuard key', () => parseKey(INPUT, value, false))
        break
      case 'presharedkey':
        p.presharedKey = withLine(n, 'PresharedKey', 'a base64 WireGuard key', () => parseKey(INPUT, value, true))
        break
      case 'endpoint':
        p.endpoint = withLine(n, 'Endpoint', 'HOST:PORT (IPv6 in brackets)', () => parseEndpoint(INPUT, value))
        break
      case 'allowedips':
        p.allowedIps.push(...prefixes(n, 'AllowedIPs', value).map(network))
        break
      case 'persistentkeepalive':
        p.keepalive = value.toLowerCase() === 'off' ? 0 : integer(n, 'PersistentKeepalive', value, 0, 65535)
        break
    }
  })
  if (privateKey === undefined) throw new InputError(INPUT, '[Interface] has no PrivateKey')
  if (cfg.addresses.length === 0) throw new InputError(INPUT, '[Interface] has no Address')
  if (peers.length === 0) throw new InputError(INPUT, 'has no [Peer] section')
  const seen = new Set<string>()
  for (const p of peers) {
    if (!p.publicKey) throw new InputError(INPUT, `line ${p.line}: [Peer] has no PublicKey`)
    if (seen.has(p.publicKey)) throw new InputError(INPUT, `line ${p.line}: a second [Peer] with the same PublicKey`)
    seen.add(p.publicKey)
    cfg.peers.push({
      publicKey: p.publicKey,
      presharedKey: p.presharedKey,
      endpoint: p.endpoint,
      allowedIps: p.allowedIps,
      keepalive: p.keepalive ?? 0
    })
  }
  return { privateKey, ...cfg }
}
