// The typed configuration, built and validated from the action's inputs in one place. Pure: it
// reads inputs through the function it is given and touches nothing else. The step's settings
// (interface, checks, timeout, install, userspace) plus where the tunnel comes from: a static
// description (the per-field inputs or `config`) or a gateway that leases one at run time.
import { interfaceProblem, isHostName, isLoopback } from '../../common/grammar.js'
import { canonicalAddress, maxBits, network, prefixText, type Prefix } from '../../common/ip.js'
import {
  InputError,
  parseChoice,
  parseEndpoint,
  parseInteger,
  parseKey,
  parsePrefixes,
  publicKeyOf,
  shown,
  splitDns,
  splitHostPort,
  looksSecret
} from './values.js'
import type { GetInput } from './secrets.js'
import type { Tunnel } from './tunnel.js'
import { parseWgQuick } from './wgquick.js'
import { INPUT, type InputName } from '../names.js'

export { InputError, publicKeyOf } from './values.js'
export type { GetInput } from './secrets.js'
export type { Tunnel } from './tunnel.js'

export type Check =
  | { kind: 'icmp'; host: string; text: string }
  | { kind: 'tcp'; host: string; port: number; text: string }
  | { kind: 'http'; url: string; text: string }

/** The `userspace` input: wireguard-go always (`true`), never (`false`), or when the kernel has no WireGuard. */
export type Userspace = 'auto' | 'true' | 'false'

/** The step's own settings, whatever the tunnel's source. */
export interface Settings {
  iface: string
  checks: Check[]
  timeoutMs: number
  install: boolean
  userspace: Userspace
}

/** One gateway of the `gateway` input, and the audience of the tokens it is sent. */
export interface LeaseGateway {
  url: URL
  /** The OIDC token's audience: the `audience` input, or this gateway URL's origin. */
  audience: string
}

/** Gateway mode: the tunnel is leased at run time; these inputs shape the lease and the interface. */
export interface GatewaySource {
  kind: 'gateway'
  /** One or more, tried in this order (lease/lease.ts says when the next is tried). */
  gateways: LeaseGateway[]
  mtu?: number
  /** Seconds, 1 or more; the gateway's answer applies when not given, and caps it. */
  keepalive?: number
  /** DNS servers and search domains from the `dns` input, added to the gateway's. */
  dns: string[]
  dnsSearch: string[]
}

type TunnelSource = { kind: 'static'; tunnel: Tunnel } | GatewaySource

export interface Config extends Settings {
  source: TunnelSource
}

/** The inputs that `config` replaces. */
const FIELD_INPUTS = [
  INPUT.privateKey,
  INPUT.address,
  INPUT.peerPublicKey,
  INPUT.endpoint,
  INPUT.allowedIps,
  INPUT.presharedKey,
  INPUT.persistentKeepalive,
  INPUT.mtu,
  INPUT.dns
] as const

/** The inputs a gateway's lease replaces: an error with `gateway`. */
const GATEWAY_EXCLUDES = [
  INPUT.privateKey,
  INPUT.address,
  INPUT.peerPublicKey,
  INPUT.endpoint,
  INPUT.allowedIps,
  INPUT.presharedKey,
  INPUT.config
] as const

function parseInterface(input: string, value: string): string {
  const v = value.trim()
  const problem = interfaceProblem(v)
  if (problem !== undefined) throw new InputError(input, `${shown(v)} ${problem}`)
  return v
}

function parseChecks(input: string, value: string): Check[] {
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
      const ip = canonicalAddress(text)
      if (ip !== undefined) return { kind: 'icmp', host: ip, text }
      const hp = splitHostPort(input, text)
      if (hp) return { kind: 'tcp', ...hp, text }
      if (isHostName(text)) return { kind: 'icmp', host: text, text }
      throw new InputError(input, `${shown(text)} must be HOST (ping), HOST:PORT (TCP connect) or an http(s):// URL`)
    })
}

function parseTimeout(input: string, value: string): number {
  const v = value.trim()
  if (!/^[0-9]+(\.[0-9]+)?$/.test(v) || Number(v) <= 0 || Number(v) > 3600) {
    throw new InputError(input, `must be a number of seconds greater than 0 and at most 3600; got ${shown(v)}`)
  }
  return Math.round(Number(v) * 1000)
}

/**
 * The most URLs the `gateway` input may list. Each one tried may take its share of the step's
 * timeout; eight covers a fleet per region with standbys, and keeps a share worth having.
 */
export const MAX_GATEWAYS = 8

/**
 * One gateway URL: https:// (http:// only for a loopback address), no credentials, query or
 * fragment. `line` is given for an input of several lines, and then named in the error.
 */
function parseGatewayUrl(input: string, value: string, line?: number): URL {
  const v = value.trim()
  const fail = (problem: string): never => {
    throw new InputError(input, problem, line)
  }
  if (v.length > 2048) fail("is longer than 2048 characters; give the gateway's base URL")
  let url: URL
  try {
    url = new URL(v)
  } catch {
    return fail(`${shown(v)} is not a URL; give the gateway's address, e.g. https://vpn.example.com:8443`)
  }
  if (url.username !== '' || url.password !== '')
    fail(
      'has a user name or password in the URL (not shown); the gateway needs none: the job proves itself with its OIDC token'
    )
  if (looksSecret(v)) fail(`${shown(v)}: a gateway URL holds no key or token`)
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    fail(
      `${shown(v)} must use https:// (http:// only for a loopback address such as 127.0.0.1): the lease carries the tunnel's addresses and the OIDC token`
    )
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`${shown(v)} must be an https:// URL`)
  if (url.search !== '' || url.hash !== '')
    fail(`${shown(v)} must have no query or fragment; give the gateway's base URL`)
  return url
}

/**
 * The `gateway` input: one URL per line (blank lines ignored), at most MAX_GATEWAYS, each once.
 * Errors name the line (counted as written, blank lines too) when the input has several; a
 * single URL's errors read as they always have. Two lines are the same gateway when their URLs
 * are, as this action asks them (the base URL, with or without its last slash).
 */
function parseGateways(input: string, value: string): URL[] {
  const lines = value
    .split('\n')
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter((l) => l.text !== '')
  if (lines.length > MAX_GATEWAYS)
    throw new InputError(
      input,
      `lists ${lines.length} gateways; at most ${MAX_GATEWAYS}, each tried in turn within the step's timeout`
    )
  if (lines.length === 1) return [parseGatewayUrl(input, value)]
  const seen = new Map<string, number>()
  return lines.map(({ text, line }) => {
    const url = parseGatewayUrl(input, text, line)
    const same = url.href.replace(/\/$/, '')
    const first = seen.get(same)
    if (first !== undefined)
      throw new InputError(input, `${shown(text)} is the gateway of line ${first} again; list each gateway once`, line)
    seen.set(same, line)
    return url
  })
}

/** The `audience` input: one token of printable text, as the OIDC `aud` claim. */
function parseAudience(input: string, value: string): string {
  const v = value.trim()
  if (v.length > 256 || !/^[\x21-\x7e]+$/.test(v))
    throw new InputError(input, `${shown(v)} must be 1 to 256 printable characters without spaces`)
  return v
}

function required(get: GetInput, name: InputName): string {
  const v = get(name)
  if (v.trim() === '') throw new InputError(name, 'is required and was empty')
  return v
}

/** The default allowed IPs: the networks of the addresses. A lone host address has none. */
function defaultAllowedIps(addresses: Prefix[]): Prefix[] {
  const hosts = addresses.filter((a) => a.bits === maxBits(a.family))
  if (hosts.length > 0) {
    throw new InputError(
      INPUT.allowedIps,
      `is required when an address has no network (${prefixText(hosts[0] as Prefix)} is a single host): list the networks to route through the tunnel`
    )
  }
  return addresses.map(network)
}

const optional = <T>(get: GetInput, name: InputName, parse: (v: string) => T): T | undefined => {
  const v = get(name)
  return v.trim() === '' ? undefined : parse(v)
}
const keepaliveOf = (get: GetInput): number | undefined =>
  optional(get, INPUT.persistentKeepalive, (v) => parseInteger(INPUT.persistentKeepalive, v, 0, 65535))
const mtuOf = (get: GetInput): number | undefined =>
  optional(get, INPUT.mtu, (v) => parseInteger(INPUT.mtu, v, 576, 65535))

/** The tunnel from the per-field inputs. */
function fromFields(get: GetInput): Tunnel {
  const privateKey = parseKey(INPUT.privateKey, required(get, INPUT.privateKey), true)
  const addresses = parsePrefixes(INPUT.address, required(get, INPUT.address))
  if (addresses.length === 0) throw new InputError(INPUT.address, 'is required and was empty')
  const peerPublicKey = parseKey(INPUT.peerPublicKey, required(get, INPUT.peerPublicKey), false)
  const endpoint = parseEndpoint(INPUT.endpoint, required(get, INPUT.endpoint))
  const allowedText = get(INPUT.allowedIps)
  const allowedIps =
    allowedText.trim() === '' ? defaultAllowedIps(addresses) : parsePrefixes(INPUT.allowedIps, allowedText).map(network)
  if (allowedIps.length === 0) throw new InputError(INPUT.allowedIps, 'lists no network')
  const presharedKey = optional(get, INPUT.presharedKey, (v) => parseKey(INPUT.presharedKey, v, true))
  const mtu = mtuOf(get)
  // Allowed IPs left out are the addresses' networks: an error about them names `address`.
  const allowedFrom = { input: allowedText.trim() === '' ? INPUT.address : INPUT.allowedIps }
  return {
    privateKey,
    publicKey: publicKeyOf(privateKey),
    addresses,
    table: 'auto',
    ...splitDns(INPUT.dns, get(INPUT.dns)),
    peers: [{ publicKey: peerPublicKey, presharedKey, endpoint, allowedIps, keepalive: keepaliveOf(get) ?? 25 }],
    mtu,
    origins: {
      mtu: mtu === undefined ? undefined : { input: INPUT.mtu },
      addresses: Object.fromEntries(addresses.map((a) => [prefixText(a), { input: INPUT.address }])),
      allowedIps: Object.fromEntries(allowedIps.map((a) => [prefixText(a), allowedFrom]))
    }
  }
}

/** Where the tunnel comes from: `gateway`, `config` or the per-field inputs, each alone. */
function tunnelSource(get: GetInput): TunnelSource {
  const given = (names: readonly InputName[]): string[] => names.filter((n) => get(n).trim() !== '')
  if (get(INPUT.gateway).trim() !== '') {
    const clash = given(GATEWAY_EXCLUDES)
    if (clash.length > 0)
      throw new InputError(
        INPUT.gateway,
        `cannot be combined with ${clash.join(', ')}: the gateway leases the key, address and peer; remove those inputs, or remove gateway`
      )
    const urls = parseGateways(INPUT.gateway, get(INPUT.gateway))
    const keepalive = keepaliveOf(get)
    // The gateway hears a live runner by its keepalives (and ends a lease it does not hear from).
    if (keepalive === 0)
      throw new InputError(
        INPUT.persistentKeepalive,
        "cannot be 0 with gateway: the gateway hears that a job is alive by its keepalives, and would end a quiet job's lease. Remove persistent-keepalive (the gateway's applies), or give a number of seconds"
      )
    const audienceText = get(INPUT.audience)
    const audience = audienceText.trim() === '' ? undefined : parseAudience(INPUT.audience, audienceText)
    return {
      kind: 'gateway',
      gateways: urls.map((url) => ({ url, audience: audience ?? url.origin })),
      mtu: mtuOf(get),
      keepalive,
      ...splitDns(INPUT.dns, get(INPUT.dns))
    }
  }
  if (get(INPUT.audience).trim() !== '')
    throw new InputError(INPUT.audience, 'applies only with gateway: set gateway, or remove audience')
  if (get(INPUT.config).trim() !== '') {
    const clash = given(FIELD_INPUTS)
    if (clash.length > 0) {
      throw new InputError(
        INPUT.config,
        `cannot be combined with ${clash.join(', ')}: give either a whole configuration in config, or the per-field inputs`
      )
    }
    return { kind: 'static', tunnel: parseWgQuick(get(INPUT.config)) }
  }
  return { kind: 'static', tunnel: fromFields(get) }
}

/** Refuses a tunnel whose peer is the runner itself (both keys pasted from the same pair). */
function checkTunnel(tunnel: Tunnel, input: string): void {
  if (tunnel.peers.some((p) => p.publicKey === tunnel.publicKey)) {
    throw new InputError(
      input,
      "a peer's public key is this runner's own (derived from the private key); it must be the server's"
    )
  }
}

/** Builds the whole configuration from the action's inputs, or throws an InputError. */
export function readConfig(get: GetInput): Config {
  const iface = parseInterface(INPUT.interface, get(INPUT.interface) || 'wg0')
  const source = tunnelSource(get)
  if (source.kind === 'static')
    checkTunnel(source.tunnel, get(INPUT.config).trim() !== '' ? INPUT.config : INPUT.peerPublicKey)
  const checks = parseChecks(INPUT.check, get(INPUT.check))
  const timeoutText = get(INPUT.timeout)
  const timeoutMs = timeoutText.trim() === '' ? 30_000 : parseTimeout(INPUT.timeout, timeoutText)
  const install = parseChoice(INPUT.install, get(INPUT.install) || 'true', ['true', 'false'] as const) === 'true'
  const userspace = parseChoice(INPUT.userspace, get(INPUT.userspace) || 'auto', ['auto', 'true', 'false'] as const)
  return { iface, checks, timeoutMs, install, userspace, source }
}
