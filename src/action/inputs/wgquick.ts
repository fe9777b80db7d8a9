// The `config` input: a whole wg-quick configuration, read as wg-quick and `wg setconf` read it.
// wg-quick (src/wg-quick/linux.bash, parse_options) takes its own keys of [Interface] (Address, MTU,
// DNS, Table, Pre/PostUp/Down, SaveConfig): the key is the text before the first "=", trimmed, any
// case; the value is trimmed; Address and DNS split at commas and spaces. Every other line goes to
// wg(8) (src/config.c), which drops every space of the line and matches the key in any case.
// The whole input is a secret: an error names the line and at most a key name, never any part of a
// value, and an unknown key's name only when it cannot be part of a key. One pass, linear time.
import { isHostName, isKey, wgEndpoint } from '../../common/grammar.js'
import { canonicalAddress, network, parsePrefix, type Prefix } from '../../common/ip.js'
import { InputError, parseTable, publicKeyOf } from './values.js'
import { keyRunsOf } from './secrets.js'
import type { Peer, Tunnel } from './tunnel.js'
import { INPUT as NAMES } from '../names.js'

const INPUT = NAMES.config

/** Keys wg-quick runs as shell commands, or that write the file back: refused, with what to do instead. */
const REFUSED = ['PreUp', 'PostUp', 'PreDown', 'PostDown', 'SaveConfig']
/** wg-quick's own keys of [Interface]. */
const QUICK_KEYS = ['Address', 'MTU', 'DNS', 'Table', ...REFUSED]
const WG_INTERFACE_KEYS = ['PrivateKey', 'ListenPort', 'FwMark']
const INTERFACE_KEYS = [...WG_INTERFACE_KEYS, ...QUICK_KEYS]
const PEER_KEYS = ['PublicKey', 'PresharedKey', 'Endpoint', 'AllowedIPs', 'PersistentKeepalive']
/** Every known key by its lower-case name, longest first (so `PresharedKey` wins over a shorter prefix). */
const KNOWN = new Map(
  [...INTERFACE_KEYS, ...PEER_KEYS].sort((a, b) => b.length - a.length).map((k) => [k.toLowerCase(), k])
)
const IS_REFUSED = new Set(REFUSED)
const IS_QUICK = new Set(QUICK_KEYS)
const IN_INTERFACE = new Set(INTERFACE_KEYS)

function fail(line: number, problem: string): never {
  throw new InputError(INPUT, problem, line)
}

/** The text without any white space, as wg(8) reads a line. */
function squeeze(text: string): string {
  const t = text.trim()
  return /\s/.test(t) ? t.replace(/\s+/g, '') : t
}

/** The letters a line's key starts with (`Private Key:` → `privatekey`), lower case. */
function leadingLetters(text: string): string {
  let out = ''
  for (let i = 0; i < text.length && out.length <= 24; i++) {
    const c = text.charCodeAt(i)
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) out += String.fromCharCode(c | 32)
    else if (!(c === 32 || c === 9 || c === 95 || c === 45)) break
  }
  return out
}

/** The known key a malformed line starts with (`PrivateKey: …`, `PrivateKey …`), if any. */
function knownPrefix(text: string): string | undefined {
  const letters = leadingLetters(text)
  for (const [lower, key] of KNOWN) if (letters.startsWith(lower)) return key
  return undefined
}

/**
 * An unknown key's name, when quoting it cannot reveal part of a key: a word or CamelCase words
 * (each capital followed by small letters, as `Colour` or `PersistentKeepAlive`; random base64
 * letters almost never are), at most 24 letters, and no part of a key-shaped run of the configuration.
 */
function quotedName(name: string, text: string): string | undefined {
  if (name.length > 24 || !/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(name)) return undefined
  if (keyRunsOf(text).some((run) => run.includes(name))) return undefined
  return name
}

/** wg(8)'s strtoul-based numbers: decimal, or hexadecimal after a lower-case "0x" where allowed. */
function wgNumber(value: string, hex: boolean): number {
  if (hex && value.length > 2 && value.startsWith('0x'))
    return /^0x[0-9a-fA-F]+$/.test(value) ? parseInt(value, 16) : NaN
  return /^[0-9]+$/.test(value) ? Number(value) : NaN
}

function integer(line: number, key: string, value: string, min: number, max: number, hex = false): number {
  const n = wgNumber(value, hex)
  if (!(n >= min && n <= max)) fail(line, `${key} must be a number from ${min} to ${max}${hex ? ' (or 0x…)' : ''}`)
  return n
}

function key(line: number, name: string, value: string): string {
  if (!isKey(value))
    fail(
      line,
      `${name} must be a WireGuard key: 44 characters of base64 ending in "=" (as printed by wg genkey / wg pubkey); the value is not shown`
    )
  return value
}

/** Address = and DNS = items, as wg-quick splits them: at commas and white space. */
function quickItems(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s !== '')
}

function prefixes(line: number, name: string, items: string[]): Prefix[] {
  return items.map((item) => {
    const p = parsePrefix(item)
    if (typeof p === 'string') fail(line, `${name} has an entry that is not an address or CIDR`)
    return p
  })
}

interface PeerDraft {
  publicKey: string | undefined
  presharedKey: string | undefined
  endpoint: Peer['endpoint']
  allowedIps: Prefix[]
  keepalive: number
  line: number
}

/** Parses a wg-quick configuration into the tunnel; throws an InputError naming the line. */
export function parseWgQuick(text: string): Tunnel {
  let section: 'none' | 'interface' | 'peer' = 'none'
  let privateKey: string | undefined
  const t: Omit<Tunnel, 'privateKey' | 'publicKey'> = {
    addresses: [],
    dns: [],
    dnsSearch: [],
    table: 'auto',
    peers: []
  }
  let peer: PeerDraft | undefined
  const peers: PeerDraft[] = []
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const n = index + 1
    const raw = lines[index] as string
    const hash = raw.indexOf('#')
    const body = hash < 0 ? raw : raw.slice(0, hash)
    const trimmed = body.trim()
    if (trimmed === '') continue
    if (trimmed.startsWith('[')) {
      const name = squeeze(trimmed).toLowerCase()
      if (name === '[interface]') section = 'interface'
      else if (name === '[peer]') {
        section = 'peer'
        peer = {
          publicKey: undefined,
          presharedKey: undefined,
          endpoint: undefined,
          allowedIps: [],
          keepalive: 0,
          line: n
        }
        peers.push(peer)
      } else fail(n, 'is not a section header wg-quick knows: write [Interface] or [Peer] on a line of its own')
      continue
    }
    const eq = body.indexOf('=')
    const keyText = eq < 0 ? trimmed : body.slice(0, eq).trim()
    const lower = keyText.toLowerCase()
    const known = eq < 0 ? undefined : (KNOWN.get(lower) ?? KNOWN.get(squeeze(lower)))
    if (known === undefined) {
      const prefix = knownPrefix(keyText)
      if (prefix !== undefined)
        fail(
          n,
          `malformed ${prefix} line: write ${prefix} = value, with "=" (the line is not shown: it may hold a secret)`
        )
      if (eq < 0) fail(n, 'is neither a section header nor Key = Value (the line is not shown: it may hold a secret)')
      const name = quotedName(keyText, text)
      fail(
        n,
        `unknown key ${name ?? '(its name is not shown: it may be part of a key)'}${section === 'none' ? '' : ` in [${section === 'peer' ? 'Peer' : 'Interface'}]`}`
      )
    }
    if (IS_REFUSED.has(known))
      fail(
        n,
        `${known} is not supported: this action runs no commands from the configuration; do that in a run: step before or after this one`
      )
    if (section === 'none') fail(n, `${known} comes before any [Interface] or [Peer] section`)
    const inInterface = IN_INTERFACE.has(known)
    if (section === 'interface' && !inInterface) fail(n, `${known} belongs in a [Peer] section, not in [Interface]`)
    if (section === 'peer' && inInterface) fail(n, `${known} belongs in the [Interface] section, not in a [Peer]`)
    // wg-quick's keys: matched on the trimmed key, value trimmed. wg's: every space dropped.
    const quick = IS_QUICK.has(known)
    if (quick && KNOWN.get(lower) !== known) fail(n, `malformed ${known} line: its name has spaces inside`)
    const value = quick ? body.slice(eq + 1).trim() : squeeze(body.slice(eq + 1))
    if (!quick && value === '') fail(n, `${known} has no value`)
    switch (known) {
      case 'PrivateKey':
        privateKey = key(n, known, value)
        break
      case 'ListenPort':
        t.listenPort = integer(n, known, value, 0, 65535)
        break
      case 'FwMark':
        t.fwmark =
          value.toLowerCase() === 'off' ? undefined : integer(n, known, value, 0, 0xffffffff, true) || undefined
        break
      case 'Address':
        t.addresses.push(...prefixes(n, known, quickItems(value)))
        break
      case 'MTU':
        // Empty is wg-quick's automatic MTU.
        t.mtu = value === '' ? undefined : integer(n, known, value, 576, 65535)
        break
      case 'DNS':
        for (const item of quickItems(value)) {
          const ip = canonicalAddress(item)
          if (ip !== undefined) t.dns.push(ip)
          else if (isHostName(item)) t.dnsSearch.push(item)
          else fail(n, 'DNS has an entry that is neither an IP address (a server) nor a domain name (a search domain)')
        }
        break
      case 'Table': {
        const table = value === '' ? 'auto' : parseTable(value)
        if (table === undefined) fail(n, 'Table must be auto, off, main or a table number')
        t.table = table
        break
      }
      default: {
        const p = peer as PeerDraft
        switch (known) {
          case 'PublicKey':
            p.publicKey = key(n, known, value)
            break
          case 'PresharedKey':
            p.presharedKey = key(n, known, value)
            break
          case 'Endpoint': {
            const ep = wgEndpoint(value)
            if (typeof ep === 'string') fail(n, `Endpoint ${ep} (HOST:PORT; an IPv6 address may go in brackets)`)
            p.endpoint = { host: ep.host, port: ep.port, source: { input: INPUT, line: n } }
            break
          }
          case 'AllowedIPs':
            p.allowedIps.push(
              ...prefixes(
                n,
                known,
                value.split(',').filter((s) => s !== '')
              ).map(network)
            )
            break
          case 'PersistentKeepalive':
            p.keepalive = value.toLowerCase() === 'off' ? 0 : integer(n, known, value, 0, 65535)
            break
        }
      }
    }
  }
  if (privateKey === undefined) throw new InputError(INPUT, '[Interface] has no PrivateKey')
  if (t.addresses.length === 0) throw new InputError(INPUT, '[Interface] has no Address')
  if (peers.length === 0) throw new InputError(INPUT, 'has no [Peer] section')
  const seen = new Set<string>()
  for (const p of peers) {
    if (!p.publicKey) fail(p.line, '[Peer] has no PublicKey')
    if (seen.has(p.publicKey)) fail(p.line, 'a second [Peer] with the same PublicKey')
    seen.add(p.publicKey)
    t.peers.push({
      publicKey: p.publicKey,
      presharedKey: p.presharedKey,
      endpoint: p.endpoint,
      allowedIps: p.allowedIps,
      keepalive: p.keepalive
    })
  }
  return { privateKey, publicKey: publicKeyOf(privateKey), ...t }
}
