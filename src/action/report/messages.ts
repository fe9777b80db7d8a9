// The one-line errors a step ends with: each says what failed, the likely causes, and the fix.
// The README's troubleshooting table quotes them; tests hold them to it.
import { maxBits, prefixText, type Prefix } from '../../common/ip.js'
import { endpointText } from '../host/plan.js'
import { SOCKET_DIR } from '../host/probe.js'

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
