// The typed configuration, built and validated from the action's inputs in one place. Pure: it
// reads inputs through the function it is given and touches nothing else.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { IFACE } from './names.js'
import { maxBits, network, parseAddress, parsePrefix, prefixText, type Prefix } from './ip.js'
import { parseWgQuick } from './wgquick.js'

export interface Endpoint {
  /** An IP address (canonical text) or a host name, as given. */
  host: string
  port: number
  /** The IP address dialled: the host itself, or what its name resolved to (filled in before bring-up). */
  address?: string
}

export interface PeerConfig {
  publicKey: string
  presharedKey?: string
  endpoint?: Endpoint
  /** Networks routed to this peer, host bits cleared. */
  allowedIps: Prefix[]
  /** Seconds; 0 is off. */
  keepalive: number
}

export type Check =
  | { kind: 'icmp'; host: string; text: string }
  | { kind: 'tcp'; host: string; port: number; text: string }
  | { kind: 'http'; url: string; text: string }

export type Userspace = 'auto' | 'true' | 'false'

/** wg-quick's Table: `auto` (main, policy routing for /0), `off` (no routes) or a table number. */
export type Table = 'auto' | 'off' | number

export interface Config {
  iface: string
  privateKey: string
  publicKey: string
  addresses: Prefix[]
  listenPort?: number
  fwmark?: number
  table: Table
  /** DNS servers and search domains, as wg-quick's DNS = splits them. */
  dns: string[]
  dnsSearch: string[]
  peers: PeerConfig[]
  mtu?: number
  checks: Check[]
  timeoutMs: number
  install: boolean
  userspace: Userspace
}

/** A bad input: names the input and what is wrong, never the value of a secret. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string
  ) {
    super(`Input "${input}": ${problem}`)
    this.name = 'InputError'
  }
}

export const SECRET_INPUTS = ['private-key', 'preshared-key', 'config'] as const

/** The inputs that `config` replaces. */
export const FIELD_INPUTS = [
  'private-key',
  'address',
  'peer-public-key',
  'endpoint',
  'allowed-ips',
  'preshared-key',
  'persistent-keepalive',
  'mtu',
  'dns'
] as const

export type GetInput = (name: string) => string

/** A value quoted for an error message: escaped, and cut short when long. */
export function shown(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value
  return JSON.stringify(cut)
}

const KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/

export function parseKey(input: string, value: string, secret: boolean): string {
  const v = value.trim()
  if (KEY.test(v)) return v
  const what = secret ? 'the value given is not one (it is not shown: it is a secret)' : `got ${shown(v)}`
  throw new InputError(
    input,
    `must be a WireGuard key: 44 characters of base64 ending in "=" (as printed by wg genkey / wg pubkey); ${what}`
  )
}

/** PKCS#8 framing of a raw X25519 private key (RFC 8410). */
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')

/**
 * The public key of a WireGuard private key: X25519 of the base point, as `wg pubkey`. Node's
 * native X25519 takes under a millisecond where pure-JS tweetnacl takes 30 ms cold; the unit tests
 * hold it equal to tweetnacl's scalarMult.base.
 */
export function publicKeyOf(privateKey: string): string {
  const key = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8, Buffer.from(privateKey, 'base64')]),
    format: 'der',
    type: 'pkcs8'
  })
  return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x as string, 'base64url').toString('base64')
}

/** Items of a comma- or newline-separated list, trimmed, empties dropped. */
export function listItems(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function parsePrefixes(input: string, value: string): Prefix[] {
  return listItems(value).map((item) => {
    const p = parsePrefix(item)
    if (typeof p === 'string')
      throw new InputError(input, `${p} (expected an address like 192.0.2.2/24 or 2001:db8::2/64)`)
    return p
  })
}

const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?'
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*\\.?$`)

export function isHostName(text: string): boolean {
  return HOSTNAME.test(text) && !/^[0-9.]+$/.test(text)
}

function parsePort(input: string, text: string, whole: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new InputError(input, `port in ${shown(whole)} must be a number from 1 to 65535`)
  }
  return Number(text)
}

/** `host:port`, `1.2.3.4:port` or `[v6]:port` into host and port, or a reason. */
function splitHostPort(input: string, text: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:([^:]*)$/.exec(text) ?? /^([^:[\]]+):([^:]*)$/.exec(text)
  if (!m) return undefined
  const [, host = '', port = ''] = m
  const bracketed = text.startsWith('[')
  const addr = parseAddress(host)
  if (bracketed && addr?.family !== 6) throw new InputError(input, `${shown(text)}: only IPv6 addresses go in brackets`)
  if (!addr && !isHostName(host)) throw new InputError(input, `${shown(host)} is not a valid host name or IP address`)
  return { host: addr ? (parsePrefix(host) as Prefix).address : host, port: parsePort(input, port, text) }
}

export function parseEndpoint(input: string, value: string): Endpoint {
  const v = value.trim()
  const hp = splitHostPort(input, v)
  if (!hp) {
    throw new InputError(
      input,
      `${shown(v)} must be HOST:PORT, e.g. vpn.example.com:51820, 192.0.2.1:51820 or [2001:db8::1]:51820`
    )
  }
  return hp
}

export function parseChecks(input: string, value: string): Check[] {
  return value
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((text): Check => {
      if (/^https?:\/\//i.test(text)) {
        let url: URL
        try {
          url = new URL(text)
        } catch {
          throw new InputError(input, `${shown(text)} is not a valid URL`)
        }
        if (/[\s'"`$;<>|\\]/.test(text))
          throw new InputError(input, `${shown(text)} has characters not allowed in a URL`)
        return { kind: 'http', url: url.href, text }
      }
      const addr = parseAddress(text)
      if (addr) return { kind: 'icmp', host: (parsePrefix(text) as Prefix).address, text }
      const hp = splitHostPort(input, text)
      if (hp) return { kind: 'tcp', ...hp, text }
      if (isHostName(text)) return { kind: 'icmp', host: text, text }
      throw new InputError(input, `${shown(text)} must be HOST (ping), HOST:PORT (TCP connect) or an http(s):// URL`)
    })
}

function parseInteger(input: string, value: string, min: number, max: number): number {
  const v = value.trim()
  if (!/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new InputError(input, `must be a whole number from ${min} to ${max}; got ${shown(v)}`)
  }
  return Number(v)
}

function parseChoice<T extends string>(input: string, value: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase()
  const hit = choices.find((c) => c === v)
  if (hit === undefined) throw new InputError(input, `must be one of ${choices.join(', ')}; got ${shown(value.trim())}`)
  return hit
}

export function parseInterface(input: string, value: string): string {
  const v = value.trim()
  if (!IFACE.test(v) || v === '.' || v === '..') {
    throw new InputError(
      input,
      `${shown(v)} must be 1 to 15 characters of letters, digits and _=+.- (a Linux interface name)`
    )
  }
  return v
}

export function parseTimeout(input: string, value: string): number {
  const v = value.trim()
  if (!/^[0-9]+(\.[0-9]+)?$/.test(v) || Number(v) <= 0 || Number(v) > 3600) {
    throw new InputError(input, `must be a number of seconds greater than 0 and at most 3600; got ${shown(v)}`)
  }
  return Math.round(Number(v) * 1000)
}

function required(get: GetInput, name: string): string {
  const v = get(name)
  if (v.trim() === '') throw new InputError(name, 'is required and was empty')
  return v
}

/** The default allowed IPs: the networks of the addresses. A lone host address has none. */
function defaultAllowedIps(addresses: Prefix[]): Prefix[] {
  const hosts = addresses.filter((a) => a.bits === maxBits(a.family))
  if (hosts.length > 0) {
    throw new InputError(
      'allowed-ips',
      `is required when an address has no network (${prefixText(hosts[0] as Prefix)} is a single host): list the networks to route through the tunnel`
    )
  }
  return addresses.map(network)
}

/** DNS = as wg-quick splits it: addresses are servers, names are search domains. */
export function splitDns(input: string, value: string): { dns: string[]; dnsSearch: string[] } {
  const out = { dns: [] as string[], dnsSearch: [] as string[] }
  for (const v of listItems(value)) {
    if (parseAddress(v)) out.dns.push((parsePrefix(v) as Prefix).address)
    else if (isHostName(v)) out.dnsSearch.push(v)
    else
      throw new InputError(
        input,
        `${shown(v)} is neither an IP address (a DNS server) nor a domain name (a search domain)`
      )
  }
  return out
}

/** The tunnel itself from the per-field inputs. */
function fromFields(
  get: GetInput
): Omit<Config, 'iface' | 'publicKey' | 'checks' | 'timeoutMs' | 'install' | 'userspace'> {
  const privateKey = parseKey('private-key', required(get, 'private-key'), true)
  const addresses = parsePrefixes('address', required(get, 'address'))
  if (addresses.length === 0) throw new InputError('address', 'is required and was empty')
  const peerPublicKey = parseKey('peer-public-key', required(get, 'peer-public-key'), false)
  const endpoint = parseEndpoint('endpoint', required(get, 'endpoint'))
  const allowedText = get('allowed-ips')
  const allowedIps =
    allowedText.trim() === '' ? defaultAllowedIps(addresses) : parsePrefixes('allowed-ips', allowedText).map(network)
  if (allowedIps.length === 0) throw new InputError('allowed-ips', 'lists no network')
  const pskText = get('preshared-key')
  const presharedKey = pskText.trim() === '' ? undefined : parseKey('preshared-key', pskText, true)
  const keepText = get('persistent-keepalive')
  const keepalive = keepText.trim() === '' ? 25 : parseInteger('persistent-keepalive', keepText, 0, 65535)
  const mtuText = get('mtu')
  const mtu = mtuText.trim() === '' ? undefined : parseInteger('mtu', mtuText, 576, 65535)
  return {
    privateKey,
    addresses,
    table: 'auto',
    ...splitDns('dns', get('dns')),
    peers: [{ publicKey: peerPublicKey, presharedKey, endpoint, allowedIps, keepalive }],
    mtu
  }
}

/** Builds the whole configuration from the action's inputs, or throws an InputError. */
export function buildConfig(get: GetInput): Config {
  const iface = parseInterface('interface', get('interface') || 'wg0')
  const configText = get('config')
  let tunnel: ReturnType<typeof fromFields>
  if (configText.trim() !== '') {
    const given = FIELD_INPUTS.filter((n) => get(n).trim() !== '')
    if (given.length > 0) {
      throw new InputError(
        'config',
        `cannot be combined with ${given.join(', ')}: give either a whole configuration in config, or the per-field inputs`
      )
    }
    tunnel = parseWgQuick(configText)
  } else {
    tunnel = fromFields(get)
  }
  const checks = parseChecks('check', get('check'))
  const timeoutText = get('timeout')
  const timeoutMs = timeoutText.trim() === '' ? 30_000 : parseTimeout('timeout', timeoutText)
  const install = parseChoice('install', get('install') || 'true', ['true', 'false'] as const) === 'true'
  const userspace = parseChoice('userspace', get('userspace') || 'auto', ['auto', 'true', 'false'] as const)
  const publicKey = publicKeyOf(tunnel.privateKey)
  if (tunnel.peers.some((p) => p.publicKey === publicKey)) {
    const input = configText.trim() !== '' ? 'config' : 'peer-public-key'
    throw new InputError(
      input,
      "a peer's public key is this runner's own (derived from the private key); it must be the server's"
    )
  }
  return { iface, publicKey, ...tunnel, checks, timeoutMs, install, userspace }
}
