// The grammar of the values both programs read: interface names, WireGuard keys, host names,
// `HOST:PORT` endpoints and loopback hosts. One rule for each, so that the gateway never accepts in
// its configuration (and hands out in a lease) what the action then refuses. Pure.
import { canonicalAddress, parseAddress } from './ip.js'

/**
 * Interface names as Linux accepts them: 1 to 15 of letters, digits and _=+.-, and not one that
 * `ip` or wireguard-go would read as an option (a leading -) or a path (`.`, `..`).
 */
export const IFACE = /^(?!-)(?!\.{1,2}$)[a-zA-Z0-9_=+.-]{1,15}$/

/** Names `ip` or wireguard-go would read as something else, or Linux refuses (EINVAL). */
const RESERVED_NAMES = new Set(['.', '..', 'all', 'default', 'help'])

/**
 * What is wrong with an interface name, as the end of a sentence that starts with the name (e.g.
 * `starts with "-": …`); undefined when Linux, `ip` and wireguard-go all take it as a name.
 */
export function interfaceProblem(name: string): string | undefined {
  if (name.startsWith('-'))
    return 'starts with "-": wireguard-go and ip would read it as an option; choose a name that starts with a letter or digit'
  if (RESERVED_NAMES.has(name.toLowerCase())) return 'is a name Linux or ip reserves; choose another, e.g. wg0'
  if (!IFACE.test(name)) return 'must be 1 to 15 characters of letters, digits and _=+.- (a Linux interface name)'
  return undefined
}

/**
 * A WireGuard key as wg(8) reads one (wireguard-tools src/encoding.c, key_from_base64): base64 of
 * 32 bytes, i.e. 43 characters, the last of which leaves the padding bits zero, then "=".
 */
export const KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/

export const isKey = (text: unknown): text is string => typeof text === 'string' && KEY.test(text)

/**
 * A key a peer can use as its public key: a key, and not all zero (no handshake completes with the
 * all-zero key; a client sending it has no key pair).
 */
export const isPeerKey = (text: unknown): text is string =>
  isKey(text) && Buffer.from(text, 'base64').some((b) => b !== 0)

const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?'
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*\\.?$`)

/**
 * A host name getaddrinfo can be asked about: dot-separated labels of 1 to 63 letters, digits, `_`
 * and inner `-` (`_` as in service names, which resolvers accept), at most 253 characters, an
 * optional final dot; not all digits and dots (that is an address, or a malformed one).
 */
export function isHostName(text: string): boolean {
  return HOSTNAME.test(text) && !/^[0-9.]+$/.test(text)
}

/** A port of `HOST:PORT`: 1 to 5 decimal digits, 1 to 65535 (port 0 asks the kernel to choose one). */
export function parsePort(text: string): number | undefined {
  return /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : undefined
}

export interface HostPort {
  /** An IP address in canonical text (without brackets), or a host name as given. */
  host: string
  port: number
}

/** Why a text of the form `HOST:PORT` is not a valid one. `host` is the part that was read as the host. */
export type HostPortProblem = { problem: 'brackets' | 'host' | 'port'; host: string }

/**
 * Strict `HOST:PORT`: a host name or an IPv4 address, or an IPv6 address in brackets (the one
 * unambiguous way to write one). Undefined when the text is not of that form at all (no colon, or
 * an unbracketed IPv6 address); a problem when it is but a part is wrong.
 */
export function parseHostPort(text: string): HostPort | HostPortProblem | undefined {
  const m = /^\[([^\]]+)\]:([^:]*)$/.exec(text) ?? /^([^:[\]]+):([^:]*)$/.exec(text)
  if (!m) return undefined
  const [, host = '', portText = ''] = m
  const addr = parseAddress(host)
  if (text.startsWith('[') && addr?.family !== 6) return { problem: 'brackets', host }
  if (!addr && !isHostName(host)) return { problem: 'host', host }
  const port = parsePort(portText)
  if (port === undefined) return { problem: 'port', host }
  return { host: canonicalAddress(host) ?? host, port }
}

/**
 * An endpoint as wg(8) reads it (wireguard-tools src/config.c, parse_endpoint): after a "[" the
 * host runs to the first "]", which must be followed by ":" and a port; otherwise the host is
 * everything before the LAST colon, so `2001:db8::1:51820` is host 2001:db8::1, port 51820.
 * Accepts everything parseHostPort accepts, and more. Returns a reason (without the value) when wg
 * would refuse it or getaddrinfo could not take the host.
 */
export function wgEndpoint(value: string): HostPort | string {
  let host: string
  let portText: string
  if (value.startsWith('[')) {
    const close = value.indexOf(']')
    if (close < 0) return 'has a "[" without its "]"'
    if (value[close + 1] !== ':' || close + 2 >= value.length) return 'has no port after the "]:"'
    host = value.slice(1, close)
    portText = value.slice(close + 2)
  } else {
    const colon = value.lastIndexOf(':')
    if (colon < 0 || colon + 1 >= value.length) return 'has no port (HOST:PORT)'
    host = value.slice(0, colon)
    portText = value.slice(colon + 1)
  }
  const port = parsePort(portText)
  if (port === undefined) return 'port must be a number from 1 to 65535'
  const ip = canonicalAddress(host)
  if (ip !== undefined) return { host: ip, port }
  if (host.includes(':')) return 'has a host that is not a valid IPv6 address'
  if (!isHostName(host)) return 'has a host that is not a valid host name or IP address'
  return { host, port }
}

/**
 * A host that is this machine: `localhost`, 127.0.0.0/8, and ::1 in any spelling; brackets (as
 * URL.hostname gives an IPv6 host) are ignored. Where plain http:// is allowed (tests on one
 * machine): nothing leaves the host. Names under `.localhost` are not taken, though RFC 6761
 * reserves them: glibc's resolver (hosts: files dns) asks DNS for them, so they may leave the host.
 */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (h === 'localhost') return true
  const a = parseAddress(h)
  if (!a) return false
  return a.family === 4 ? a.bytes[0] === 127 : a.bytes.every((b, i) => b === (i === 15 ? 1 : 0))
}
