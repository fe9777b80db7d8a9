// WireGuard's cross-platform configuration protocol (UAPI), spoken to wireguard-go over its unix
// socket. Used when this step is root and the interface is userspace: it configures the peer and
// reads handshakes without starting `wg`, and the private key travels over the socket only, never
// through a file. (The socket is root's, so an unprivileged step uses `sudo wg` instead.)
import { connect } from 'node:net'
import type { FlatConfig as Config } from './config.js'
import { prefixText } from './ip.js'
import { bringUpKeepalive, endpointText, probedPeers } from './plan.js'

const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex')

/** The `set=1` request that gives the interface exactly the configured key and peers (as `wg setconf`). */
export function uapiSetRequest(cfg: Config, resolved: ReadonlyMap<string, string>, fwmark = cfg.fwmark): string {
  const lines = [
    'set=1',
    `private_key=${hex(cfg.privateKey)}`,
    `listen_port=${cfg.listenPort ?? 0}`,
    `fwmark=${fwmark ?? 0}`,
    'replace_peers=true'
  ]
  for (const peer of cfg.peers) {
    lines.push(`public_key=${hex(peer.publicKey)}`, 'replace_allowed_ips=true')
    if (peer.presharedKey) lines.push(`preshared_key=${hex(peer.presharedKey)}`)
    if (peer.endpoint)
      lines.push(`endpoint=${endpointText(resolved.get(peer.endpoint.host) ?? peer.endpoint.host, peer.endpoint.port)}`)
    lines.push(`persistent_keepalive_interval=${bringUpKeepalive(peer)}`)
    for (const ip of peer.allowedIps) lines.push(`allowed_ip=${prefixText(ip)}`)
  }
  return `${lines.join('\n')}\n\n`
}

/** The request that turns keepalive off again on the peers probed, or none. */
export function uapiKeepaliveRestore(cfg: Config): string | undefined {
  const probed = probedPeers(cfg)
  if (probed.length === 0) return undefined
  return `set=1\n${probed.map((p) => `public_key=${hex(p.publicKey)}\nupdate_only=true\npersistent_keepalive_interval=0\n`).join('')}\n`
}

/** `get=1` output into public key (base64) → last handshake, seconds since epoch (0: none). */
export function parseUapiHandshakes(text: string): Map<string, number> {
  const out = new Map<string, number>()
  let key: string | undefined
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    const [k, v] = [line.slice(0, eq), line.slice(eq + 1)]
    if (k === 'public_key') {
      key = Buffer.from(v, 'hex').toString('base64')
      out.set(key, 0)
    } else if (k === 'last_handshake_time_sec' && key) out.set(key, Number(v) || 0)
  }
  return out
}

/** Sends one request and resolves with the answer (up to the blank line); rejects on errno ≠ 0. */
export function uapi(socketPath: string, request: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath)
    let answer = ''
    const timer = setTimeout(
      () => socket.destroy(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`)),
      timeoutMs
    )
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(request))
    socket.on('data', (d: string) => {
      answer += d
      if (!answer.endsWith('\n\n')) return
      clearTimeout(timer)
      socket.destroy()
      const errno = /^errno=(-?[0-9]+)$/m.exec(answer)?.[1]
      if (errno !== undefined && errno !== '0')
        reject(new Error(`wireguard-go refused the configuration (errno ${errno})`))
      else resolve(answer)
    })
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}
