// The one-line errors a step ends with: each says what failed, the likely causes, and the fix.
// The README's troubleshooting table quotes them; tests hold them to it.
import { maxBits, prefixText, type Prefix } from '../../common/ip.js'
import { endpointText } from '../host/plan.js'
import { SOCKET_DIR } from '../host/probe.js'
import type { Difference, Expected, Ipv6Off } from '../host/readback.js'
import type { ChosenMtu } from '../host/resolve.js'
import type { Origin } from '../inputs/tunnel.js'
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
  if (o.input === 'gateway') return "the gateway's lease"
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
  const fromConfig = (mtuOrigin ?? v6.origin)?.input === 'config'
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
export function allowedIpsInput(input: string | undefined): string {
  if (input === 'config') return 'AllowedIPs in config'
  if (input === 'gateway') return "the gateway's allowed IPs for this job (ask its team)"
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
  how: { allowedIps: string; covered: boolean; table: 'auto' | 'off' | number }
): string {
  const head = `${label} was not run: it would not go through the tunnel ${iface}, so it would prove nothing about it`
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
