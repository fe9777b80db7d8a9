// The one-line errors a step ends with: each says what failed, the likely causes, and the fix.
// The README's troubleshooting table quotes them; tests hold them to it.
import { constants as osConstants } from 'node:os'
import { maxBits, prefixText, type Prefix } from '../../common/ip.js'
import { endpointText } from '../host/plan.js'
import { SOCKET_DIR } from '../host/probe.js'
import type { Difference, Expected, Ipv6Off } from '../host/readback.js'
import type { ChosenMtu } from '../host/resolve.js'
import type { Origin, Origins } from '../inputs/tunnel.js'
import { INPUT } from '../names.js'
import type { CheckRoute } from '../verify.js'

/** Milliseconds as a person reads them: `12 ms`, `1.4 s`. */
export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

const seconds = (ms: number): string => `${ms / 1000} s`

/** Where the action can run, said in one line where it cannot. */
export function unsupportedPlatform(platform: string): string {
  const name = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform
  return (
    `This action runs on Linux runners only, and this one runs ${name}. ` +
    'Use a Linux runner (runs-on: ubuntu-latest, or a self-hosted Linux runner); ' +
    `on ${name}, install the official WireGuard client in a run: step instead.`
  )
}

/** Root without CAP_NET_ADMIN: a container that may not make network interfaces. */
export const noNetAdmin =
  'This step runs as root but without CAP_NET_ADMIN, so it may not create network interfaces: ' +
  'an unprivileged container runner (such as ubuntu-slim) cannot host a tunnel, use runs-on: ubuntu-latest; ' +
  'in a job container you define, add options: --cap-add=NET_ADMIN --device=/dev/net/tun'

export const interfaceTaken = (iface: string): string =>
  `interface ${iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${iface}\`, or choose another name with the interface input`

export const socketTaken = (iface: string): string =>
  `${SOCKET_DIR}/${iface}.sock exists: another wireguard-go serves the name ${iface} (perhaps in another network namespace or job, which share that folder); it was left untouched. Choose another name with the interface input, or if an earlier job left it behind, remove it with \`sudo rm ${SOCKET_DIR}/${iface}.sock\``

export const tableTaken = (fwmark: number): string =>
  `FwMark ${fwmark} names routing table ${fwmark}, which already holds routes or rules (another tunnel's?); nothing was changed. Choose another FwMark, or leave it out and a free table is picked`

/** What stopped an interface from being made, with the fix for the usual causes. */
export function explainCreateFailure(iface: string, said: string): string {
  const text =
    said
      .split('\n')
      .filter((l) => l.trim() !== '' && !/[│┌└]/.test(l))
      .map((l) => l.replace(/^[A-Z]+: \(\S+\) [0-9/]+ [0-9:]+ /, '').trim())
      .join(' ') || 'no reason given'
  if (/unix socket in use/i.test(said)) return `${text}: ${socketTaken(iface)}`
  if (/device or resource busy|File exists/i.test(said)) {
    return `${text}: an interface named ${iface} was made meanwhile (by another job?); choose another name with the interface input`
  }
  if (/Operation not permitted|permission denied/i.test(said)) {
    return `${text}: this step may not create network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun`
  }
  if (/\/dev\/net\/tun|TUN device/i.test(said)) {
    return `${text}: wireguard-go needs /dev/net/tun; in a job container, add options: --device=/dev/net/tun --cap-add=NET_ADMIN`
  }
  return text
}

/** The endpoint as the summary shows it: as given, with the address a name resolved to. */
export function endpointShown(e: { host: string; port: number; address?: string }): string {
  const given = endpointText(e.host, e.port)
  return e.address !== undefined && e.address !== e.host ? `${given} (${e.address})` : given
}

export function handshakeFailure(
  t: {
    publicKey: string
    addresses: Prefix[]
    peers: { publicKey: string; endpoint?: { host: string; port: number; address?: string } }[]
  },
  missing: string,
  timeoutMs: number,
  /** In gateway mode, the gateway's origin: it added the peer, so the causes are others. */
  gateway?: string
): string {
  const ep = t.peers.find((p) => p.publicKey === missing)?.endpoint
  const at = ep ? endpointText(ep.address ?? ep.host, ep.port) : 'its endpoint'
  const named = ep?.address !== undefined && ep.address !== ep.host ? ` (${endpointText(ep.host, ep.port)})` : ''
  const head = `No handshake with peer ${missing} at ${at}${named} within ${seconds(timeoutMs)}. Likely causes: `
  if (gateway !== undefined) {
    return (
      head +
      `UDP to ${at} is blocked or nothing listens there; the gateway ${gateway} manages another interface than the one its endpoint serves (check its interface and endpoint settings).`
    )
  }
  const addresses = t.addresses.map((a) => prefixText({ ...a, bits: maxBits(a.family) })).join(',')
  return (
    head +
    `the server does not know this runner's public key ${t.publicKey} (on the server: wg set <interface> peer ${t.publicKey} allowed-ips ${addresses}); ` +
    `UDP to ${at} is blocked or nothing listens there; peer-public-key is not the server's key.`
  )
}

export function checkFailure(label: string, reason: string, addresses: readonly Prefix[], timeoutMs: number): string {
  return (
    `The tunnel is up but ${label} did not answer within ${seconds(timeoutMs)} (last error: ${reason}). ` +
    `Likely causes: allowed-ips does not cover that address; the server does not forward or route traffic from ${addresses.map((a) => a.address).join(', ')}; the service is down or filtered.`
  )
}

/** How an error about a value starts, as an input error does: `Input "config": line 4: `; '' when nobody wrote it down. */
export const atOrigin = (o: Origin | undefined): string =>
  o === undefined ? '' : `Input "${o.input}": ${o.line === undefined ? '' : `line ${o.line}: `}`

/** A second value named in the same line: `line 3` (same input), `input "address"`, `the gateway's lease`. */
function alsoAt(o: Origin | undefined, lead: Origin | undefined): string {
  if (o === undefined) return 'the tunnel'
  if (o.input === INPUT.gateway) return "the gateway's lease"
  if (o.line !== undefined) return o.input === lead?.input ? `line ${o.line}` : `input "${o.input}" line ${o.line}`
  return `input "${o.input}"`
}

/**
 * An MTU under 1280 with IPv6 in the tunnel, refused before anything is configured: Linux would turn
 * IPv6 off on the link, and IPv6 traffic meant for the tunnel would leave by the runner's uplink.
 */
export function ipv6MtuTooSmall(
  chosen: ChosenMtu,
  mtuOrigin: Origin | undefined,
  v6: { prefix: Prefix; what: string; origin?: Origin }
): string {
  const fromConfig = (mtuOrigin ?? v6.origin)?.input === INPUT.config
  const lead = chosen.given ? mtuOrigin : undefined
  const value = chosen.given
    ? `${atOrigin(lead)}${fromConfig ? `MTU = ${chosen.mtu}` : `MTU ${chosen.mtu}`}`
    : `The automatic MTU ${chosen.mtu} (${chosen.towards ? `the route towards ${chosen.towards}` : 'the default route'}${chosen.dev ? ` leaves via ${chosen.dev}` : ''} with MTU ${chosen.pathMtu}, minus 80 for WireGuard)`
  const setting = fromConfig ? 'MTU = in config' : 'the mtu input'
  const fix = chosen.given
    ? `Set ${setting} to 1280 or more, or remove every IPv6 address and allowed IP`
    : `Set ${setting} to 1280 or more (WireGuard's packets are then fragmented on that path), or remove every IPv6 address and allowed IP`
  return (
    `${value} is under 1280, the least IPv6 allows (RFC 8200), and ${alsoAt(v6.origin, lead)} gives the IPv6 ${v6.what} ${prefixText(v6.prefix)}: ` +
    `Linux turns IPv6 off on a link whose MTU is under 1280, so that traffic would leave outside the tunnel; the tunnel was not set up. ${fix}`
  )
}

/** Why the link holds no IPv6, as the evidence shows it. */
function ipv6OffText(iface: string, off: Ipv6Off | undefined, setMtu: number): string {
  switch (off?.cause) {
    case 'mtu':
      return `Linux turns IPv6 off on a link whose MTU is under 1280 (MTU ${off.mtu}; this step set ${setMtu}, so something else on this runner changed it meanwhile)`
    case 'sysctl':
      return `IPv6 is turned off on ${iface} (${off.key} = 1); set it to 0 in a step before this one, or remove every IPv6 address and allowed IP`
    case 'kernel':
      return 'this kernel has no IPv6 (booted with ipv6.disable=1); remove every IPv6 address and allowed IP'
    case 'unknown':
    case undefined:
      return 'the kernel does not say why (nothing this step did removes it: another program on this runner may have)'
  }
}

/**
 * The one line for a kernel that holds less than bring-up planned (read back after every command
 * succeeded): what is missing and why, as far as the kernel shows it. Bring-up is then rolled back.
 */
export function kernelDiffers(want: Expected, d: Difference): string {
  const { iface } = want
  const head = 'After bring-up the kernel holds'
  const leaks = 'so that traffic would leave outside the tunnel'
  const other = 'another program on this runner changed it while the tunnel came up'
  switch (d.kind) {
    case 'unread':
      if (!/does not exist|Cannot find device/i.test(d.said))
        return `After bring-up, ip could not read back what the kernel holds for ${iface} (${d.said}), so nothing shows the tunnel is as planned`
    // A read that finds no such device: the interface is gone.
    // falls through
    case 'no-link':
      return `${head} no interface ${iface}: it went away while it was being set up (wireguard-go exited, or another program deleted it)`
    case 'address':
      return d.prefix.family === 6
        ? `${head} no IPv6 address on ${iface} (${prefixText(d.prefix)}), ${leaks}: ${ipv6OffText(iface, d.ipv6Off, want.mtu)}`
        : `${head} no address ${prefixText(d.prefix)} on ${iface}, which this step added: ${other}`
    case 'mtu':
      return `${head} MTU ${d.held} on ${iface}, not the ${d.want} this step set: ${other}`
    case 'down':
      return `${head} ${iface} down, though this step set it up: ${other}`
    case 'route': {
      const where = `${prefixText(d.prefix)} via ${iface}${d.table === 254 ? '' : ` in table ${d.table}`}`
      return d.ipv6Off
        ? `${head} no route to ${where}, ${leaks}: ${ipv6OffText(iface, d.ipv6Off, want.mtu)}`
        : `${head} no route to ${where}, which this step added, ${leaks}: ${other}`
    }
    case 'rule':
      return `${head} no IPv${d.family} policy rule ${d.priority} (${d.selector}), which this step added, ${leaks}: ${other}`
  }
}

/** Where the allowed IPs are given, as a fix names it: `allowed-ips`, `AllowedIPs in config`, the gateway. */
export function allowedIpsInput(origins: Origins | undefined): string {
  const input = Object.values(origins?.allowedIps ?? {})[0]?.input
  if (input === INPUT.config) return 'AllowedIPs in config'
  if (input === INPUT.gateway) return "the gateway's allowed IPs for this job (ask its team)"
  return 'allowed-ips'
}

/**
 * A check whose target would not leave through the tunnel, found before it ran: it would prove
 * nothing about the tunnel (and its traffic would leave unencrypted). `covered`: the allowed IPs
 * hold the address, so the routing (Table, a more specific route) is what sends it elsewhere.
 */
export function checkOutsideTunnel(
  label: string,
  r: Pick<CheckRoute, 'address' | 'dev' | 'table' | 'local' | 'error'>,
  iface: string,
  how: { allowedIps: string; covered: boolean; table: 'auto' | 'off' | number; endpoint?: boolean }
): string {
  const head = `${label} was not run: it would not go through the tunnel ${iface}, so it would prove nothing about it`
  if (how.endpoint)
    return `${head}: ${r.address} is a peer's endpoint, which WireGuard's own packets must reach outside the tunnel. Check an address behind the tunnel, such as the server's tunnel address`
  if (r.error !== undefined)
    return `${head}: the kernel has no route to ${r.address} (${r.error}). Cover ${r.address} with ${how.allowedIps}, or check an address behind the tunnel`
  if (r.local)
    return `${head}: ${r.address} is an address of this runner itself (the kernel delivers it via ${r.dev ?? 'lo'}). Check an address behind the tunnel, such as the server's tunnel address`
  const via = `the kernel sends ${r.address} via ${r.dev ?? 'another interface'}${r.table === undefined ? '' : ` (table ${r.table})`}, unencrypted`
  if (!how.covered)
    return `${head}: ${via}. Cover ${r.address} with ${how.allowedIps} (e.g. add ${r.address}${r.address.includes(':') ? '/128' : '/32'}), or check an address behind the tunnel`
  if (how.table !== 'auto')
    return `${head}: ${via}; ${how.allowedIps} covers it, but Table = ${how.table} adds no route the checks follow. Route it through ${iface} yourself in a step before the checks, or drop the check`
  return `${head}: ${via}; ${how.allowedIps} covers it, but a more specific route on this runner wins. Remove that route, or check another address`
}

// Errors from WireGuard's configuration (wireguard-go's UAPI `errno=` answers, `wg`'s "Unable to
// modify interface: …") and from `ip` (`RTNETLINK answers: …`, or the kernel's own words after
// `Error: `): each said with its symbolic name, what it means here, and the input or line involved.

/** glibc's strerror text of each errno explained here: what `wg` and `ip` print. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  EIO: 'Input/output error',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ERANGE: 'Numerical result out of range',
  ENOANO: 'No anode',
  EPROTO: 'Protocol error',
  EPROTONOSUPPORT: 'Protocol not supported',
  EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ENOBUFS: 'No buffer space available'
}

/** The kernel's own words (netlink extended acks, printed by `ip` as `Error: …`), by the errno it returns with them. */
const EXTACK: [RegExp, string][] = [
  [/Address already assigned/i, 'EEXIST'],
  [/IPv6 is disabled/i, 'EACCES'],
  [/mtu (greater|less) than device/i, 'EINVAL'],
  [/Nexthop device is not up|Device for nexthop is not up/i, 'ENETDOWN'],
  [/Cannot find device|does not exist/i, 'ENODEV']
]

/** Linux errno numbers by name (Node's table, plus ENOANO, wireguard-go's "unknown" code, which Node's lacks). */
// 55 has no name in Node's table; 95 is read as EOPNOTSUPP (what strerror names), not ENOTSUP.
const ERRNO: Record<string, number> = {
  ENOANO: 55,
  ...Object.fromEntries(Object.entries(osConstants.errno).filter(([k]) => k !== 'ENOTSUP'))
}

/** An errno's symbolic name (`98` → `EADDRINUSE`), or undefined when this runner knows none. */
export function errnoName(n: number): string | undefined {
  const code = Math.abs(n)
  return Object.entries(ERRNO).find(([, v]) => v === code)?.[0]
}

/** An errno as a person reads it: `EADDRINUSE, errno -98: Address already in use`. */
function errnoText(name: string | undefined, n?: number): string {
  const number = n ?? (name === undefined ? undefined : ERRNO[name])
  const parts = [name ?? 'no symbolic name known', number === undefined ? '' : `errno -${Math.abs(number)}`]
  const text = name === undefined ? undefined : STRERROR[name]
  return `${parts.filter((p) => p !== '').join(', ')}${text ? `: ${text}` : ''}`
}

/** What a failed `ip` or `wg` said: the kernel's words, their errno's name where they tell it, and the batch line. */
export interface KernelSaid {
  /** The line that carries the reason, as printed (`RTNETLINK answers: File exists`). */
  text: string
  errno?: string
  /** The `ip -batch` line that failed (1-based). */
  line?: number
}

/** Reads what a failed `ip` (batch) or `wg` printed. */
export function kernelSaid(said: string): KernelSaid {
  const lines = said
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const line = Number(/^Command failed -:([0-9]+)/m.exec(said)?.[1] ?? 0) || undefined
  const text = (lines.find((l) => !/^Command failed/.test(l)) ?? 'no reason given').replace(/\.$/, '')
  const words = text.replace(/^(RTNETLINK answers|Error|Unable to (modify|access) interface|[a-z]+): /i, '')
  const errno =
    Object.entries(STRERROR).find(([, t]) => words.endsWith(t))?.[0] ?? EXTACK.find(([re]) => re.test(words))?.[1]
  return { text, errno, line }
}

/** What WireGuard is on this interface, for the messages: wireguard-go, or the kernel's module. */
export type WireguardKind = 'wireguard-go' | 'the kernel'

/** What configuring needs to name the cause: the values, and where they were written. */
interface Configured {
  listenPort?: number
  fwmark?: number
  origins?: Origins
}

/**
 * A refusal of the configuration (`set=1` over UAPI, or `wg setconf`), by errno: each errno
 * wireguard-go answers (device/uapi.go, ipc/uapi_unix.go: EIO, EPROTO, EINVAL, EADDRINUSE, and
 * ENOANO for anything else) and those the kernel's WireGuard and `wg` add (ENODEV, EPERM, …). An
 * unknown one is named, never shown as a bare number.
 */
export function configRefused(
  iface: string,
  who: WireguardKind,
  t: Configured,
  name: string | undefined,
  n?: number,
  /** What `wg` printed, quoted when the errno is not one explained here. */
  said?: string
): string {
  const code = errnoText(name, n)
  const head = `${who} refused the configuration of ${iface} (${code})`
  switch (name) {
    case 'EADDRINUSE': {
      if (t.listenPort) {
        const o = t.origins?.listenPort
        const key = o?.input === INPUT.config ? `ListenPort = ${t.listenPort}` : `ListenPort ${t.listenPort}`
        return `${atOrigin(o)}${key}: UDP port ${t.listenPort} is already in use on this runner (${code}), so ${who} cannot listen on it for ${iface}. Choose a free port, or leave ListenPort out and a free one is picked`
      }
      if (t.fwmark)
        return `${atOrigin(t.origins?.fwmark)}FwMark ${t.fwmark}: ${who} could not set it on its UDP socket (${code}: ${who} answers this code for a socket it cannot bind or mark). Leave FwMark out, or check that nothing else on this runner restricts socket marks`
      return `${head}: it could not open a UDP socket on a free port. Too many UDP ports may be taken on this runner; try again, or set ListenPort to a port known to be free`
    }
    case 'EINVAL':
      return `${head}: it refused one of the values as invalid (the key, ListenPort, FwMark, an Endpoint, an allowed IP or a keepalive) and does not say which. This action checks each before sending it, so this ${who === 'the kernel' ? 'kernel' : 'wireguard-go'} reads one differently: check its version and report it`
    case 'EPROTO':
      return `${head}: it could not read a line of the request as KEY=VALUE. This action sends no such line, so this wireguard-go speaks another version of the configuration protocol: update it, or report it`
    case 'EIO':
      return `${head}: the connection to its configuration socket broke while the request was read or answered; it may be stopping (is another job removing an interface named ${iface}?)`
    case 'ENOANO':
      return `${head}: this is wireguard-go's code for an error it does not classify ("other UAPI error"); it says no more`
    case 'ENODEV':
      return `${head}: ${iface} is gone (wireguard-go exited, or another program deleted it) while it was being configured`
    case 'EPERM':
    case 'EACCES':
      return `${head}: this step may not change network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun`
    case 'EPROTONOSUPPORT':
      return `${head}: this kernel has no WireGuard (set userspace: auto to use wireguard-go)`
    case undefined:
    default:
      return said === undefined
        ? `${head}, an answer this action does not know ${who} to give; the configuration was not applied`
        : `${who} refused the configuration of ${iface}: ${said}${name ? ` (${code})` : ''}`
  }
}

/** One line of the `ip -batch` scripts that bring the link up and route it, with where its value was written. */
export type BatchItem =
  | { kind: 'address'; prefix: Prefix; origin?: Origin }
  | { kind: 'mtu'; mtu: number; origin?: Origin }
  | { kind: 'route'; prefix: Prefix; table?: number; origin?: Origin }
  | { kind: 'rule'; family: 4 | 6; priority: number; selector: string }

/** What else the kernel showed about a refused line: who holds a route already, why IPv6 is off. */
export interface RefusalEvidence {
  /** The interface of the route that is in the way (`ip route show exact`). */
  holder?: string
  ipv6Off?: Ipv6Off
}

/** The generic meaning of an errno from `ip`, where no more particular cause is known. */
const MEANING: Record<string, string> = {
  EPERM: 'this step may not change the network (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN',
  EACCES: 'the kernel refused it',
  EEXIST: 'it exists already',
  ENODEV: 'the interface is gone (wireguard-go exited, or another program deleted it)',
  EINVAL: 'the kernel refused a value as invalid',
  ENETUNREACH: 'no route leads there',
  ENETDOWN: 'the interface is down',
  ENOBUFS: 'the kernel ran short of buffer space for the request (memory pressure); run the job again',
  ENOMEM: 'the kernel is out of memory; run the job again',
  EADDRINUSE: 'another program holds that address',
  EADDRNOTAVAIL: 'that address is not available on this runner',
  EAFNOSUPPORT: 'this kernel has no support for that address family (IPv6 turned off at boot?)',
  EOPNOTSUPP: 'this kernel does not support it',
  EBUSY: 'the device is busy; run the job again'
}

/** Why IPv6 is refused on the link, and the fix. */
function ipv6Refused(iface: string, off: Ipv6Off | undefined): string {
  if (off?.cause === 'kernel')
    return 'this kernel has no IPv6 (booted with ipv6.disable=1). Remove every IPv6 address and allowed IP'
  const key = off?.cause === 'sysctl' ? ` (${off.key} = 1)` : ''
  return `IPv6 is turned off on ${iface}${key}, as Docker and some images set for new interfaces. Turn it on in a step before this one (sudo sysctl -w net.ipv6.conf.default.disable_ipv6=0), or remove every IPv6 address and allowed IP`
}

/**
 * A line of bring-up's `ip -batch` that the kernel refused, said with the input or line it came
 * from, the kernel's words and errno, the cause, and the fix.
 */
export function ipRefused(
  iface: string,
  item: BatchItem | undefined,
  said: KernelSaid,
  allowedIps: string,
  evidence: RefusalEvidence = {}
): string {
  const why = `${said.text}${said.errno ? `, ${said.errno}` : ''}`
  const generic = said.errno
    ? (MEANING[said.errno] ?? 'the kernel gave no reason this action knows')
    : 'the kernel gave no reason this action knows'
  const v6 = (p: Prefix): boolean =>
    p.family === 6 && (said.errno === 'EACCES' || said.errno === 'ENODEV' || said.errno === 'EAFNOSUPPORT')
  switch (item?.kind) {
    case 'address': {
      const head = `${atOrigin(item.origin)}Address ${prefixText(item.prefix)}: the kernel refused it on ${iface} (${why})`
      if (v6(item.prefix)) return `${head}: ${ipv6Refused(iface, evidence.ipv6Off)}`
      if (said.errno === 'EEXIST')
        return `${head}: the same address with the same prefix length is given twice; give it once`
      return `${head}: ${generic}`
    }
    case 'mtu': {
      const head = `${atOrigin(item.origin)}MTU ${item.mtu}: the kernel refused it for ${iface} (${why})`
      if (said.errno === 'EINVAL')
        return `${head}: the interface takes no such MTU; choose another (WireGuard's usual is 1420)`
      return `${head}: ${generic}`
    }
    case 'route': {
      const table = item.table === undefined || item.table === 254 ? 'the main table' : `table ${item.table}`
      const head = `${atOrigin(item.origin)}allowed IP ${prefixText(item.prefix)}: the kernel refused its route through ${iface} in ${table} (${why})`
      if (v6(item.prefix)) return `${head}: ${ipv6Refused(iface, evidence.ipv6Off)}`
      if (said.errno === 'EEXIST')
        return `${head}: ${table} already has a route to ${prefixText(item.prefix)}${evidence.holder ? ` via ${evidence.holder}` : ''}, another network of this runner. Remove ${prefixText(item.prefix)} from ${allowedIps}, or delete that route in a step before this one`
      return `${head}: ${generic}`
    }
    case 'rule': {
      const head = `The kernel refused the IPv${item.family} policy rule ${item.priority} (${item.selector}) of the full tunnel through ${iface} (${why})`
      if (said.errno === 'EEXIST')
        return `${head}: that priority was taken meanwhile (by another job starting a full tunnel?); run the job again`
      if (said.errno === 'EAFNOSUPPORT')
        return `${head}: this kernel has no IPv6 (booted with ipv6.disable=1); remove ::/0 from ${allowedIps}`
      return `${head}: ${generic}`
    }
    case undefined:
      return `The kernel refused a change to ${iface} (${why}): ${generic}`
  }
}
