// The tunnel: what WireGuard and the routing need, whoever described it. The per-field inputs, the
// `config` input and (in gateway mode) the gateway's lease all produce this one type.
import { prefixText, type Prefix } from '../../common/ip.js'

/**
 * Where an endpoint was written, so that an error found later (a host name that does not resolve)
 * can name the input and line without repeating the value.
 */
export type EndpointSource = { input: 'config'; line: number } | { input: 'endpoint' } | { input: 'gateway' }

export interface Endpoint {
  /** An IP address (canonical text) or a host name, as given. */
  host: string
  port: number
  source: EndpointSource
  /** The IP address dialled: the host itself, or what its name resolved to (filled in before bring-up). */
  address?: string
}

export interface Peer {
  publicKey: string
  presharedKey?: string
  endpoint?: Endpoint
  /** Networks routed to this peer, host bits cleared. */
  allowedIps: Prefix[]
  /** Seconds; 0 is off. */
  keepalive: number
}

/** wg-quick's Table: `auto` (main, policy routing for /0), `off` (no routes) or a table number. */
export type Table = 'auto' | 'off' | number

/**
 * Where a value was written: an input, and for `config` the line. Errors found after parsing (a
 * port in use, a route the kernel refuses) name it as an input error does: `Input "config": line 4: …`.
 */
export interface Origin {
  input: string
  line?: number
}

/** Where the tunnel's values were written, for the errors that bring-up may meet later. */
export interface Origins {
  mtu?: Origin
  listenPort?: Origin
  fwmark?: Origin
  /** Each address by its text (`192.0.2.2/24`): where it was first given. */
  addresses: Record<string, Origin>
  /** Each allowed IP by its network's text (`192.0.2.0/24`): where it was first given. */
  allowedIps: Record<string, Origin>
}

export interface Tunnel {
  privateKey: string
  /** Derived from privateKey, as `wg pubkey` does. */
  publicKey: string
  addresses: Prefix[]
  listenPort?: number
  fwmark?: number
  table: Table
  /** DNS servers and search domains, as wg-quick's DNS = splits them. */
  dns: string[]
  dnsSearch: string[]
  peers: Peer[]
  mtu?: number
  /** Where each value was written; undefined where nobody wrote it down (tests, old callers). */
  origins?: Origins
}

/** Where an address (`address`) or an allowed IP was given, when that was written down. */
export function prefixOrigin(
  t: Pick<Tunnel, 'origins'>,
  what: 'address' | 'allowed IP',
  p: Prefix
): Origin | undefined {
  return (what === 'address' ? t.origins?.addresses : t.origins?.allowedIps)?.[prefixText(p)]
}
