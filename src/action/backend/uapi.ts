// WireGuard's cross-platform configuration protocol (UAPI), spoken to wireguard-go over its unix
// socket: configures the peers and reads handshakes without starting `wg`, and the private key
// travels over the socket only, never through a file. The socket is root's: an unprivileged step
// uses the `wg` backend instead.
import { prefixText } from '../../common/ip.js'
import { bringUpKeepalive, endpointAddress, probedPeers } from '../host/plan.js'
import { socketPath } from '../host/probe.js'
import { echo } from '../host/echo.js'
import { keepaliveRestore } from './wgcommand.js'
import type { Backend, BackendContext, Configurable, Handshakes } from './backend.js'

const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex')

/** The `set=1` request that gives the interface exactly the configured key and peers (as `wg setconf`). */
export function uapiSetRequest(t: Configurable, fwmark: number | undefined): string {
  const lines = [
    'set=1',
    `private_key=${hex(t.privateKey)}`,
    `listen_port=${t.listenPort ?? 0}`,
    `fwmark=${fwmark ?? 0}`,
    'replace_peers=true'
  ]
  for (const peer of t.peers) {
    lines.push(`public_key=${hex(peer.publicKey)}`, 'replace_allowed_ips=true')
    if (peer.presharedKey) lines.push(`preshared_key=${hex(peer.presharedKey)}`)
    if (peer.endpoint) lines.push(`endpoint=${endpointAddress(peer.endpoint)}`)
    lines.push(`persistent_keepalive_interval=${bringUpKeepalive(peer)}`)
    for (const ip of peer.allowedIps) lines.push(`allowed_ip=${prefixText(ip)}`)
  }
  return `${lines.join('\n')}\n\n`
}

/** The request that turns keepalive off again on the peers probed, or none. */
export function uapiKeepaliveRestore(t: Configurable): string | undefined {
  const probed = probedPeers(t.peers)
  if (probed.length === 0) return undefined
  const each = probed.map((p) => `public_key=${hex(p.publicKey)}\nupdate_only=true\npersistent_keepalive_interval=0\n`)
  return `set=1\n${each.join('')}\n`
}

/** `get=1` output into public key (base64) → last handshake, seconds since epoch (0: none). */
export function parseUapiHandshakes(text: string): Handshakes {
  const out: Handshakes = new Map()
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
function uapi(path: string, request: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    // node:net is loaded at first use, not at the step's start (see host/run.ts).
    const socket = process.getBuiltinModule('node:net').connect(path)
    let answer = ''
    const timer = setTimeout(
      () => socket.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms`)),
      Math.max(1, timeoutMs)
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

export function uapiBackend(ctx: BackendContext): Backend {
  const path = socketPath(ctx.iface)
  // A local socket answers in microseconds: a short limit of its own, past the step's deadline too,
  // so that the last handshake read at the deadline still reports what it saw.
  const ask = (request: string): Promise<string> => uapi(path, request, 5000)
  return {
    describe: `wireguard-go's socket ${path}`,
    // Echoed as the `wg` command that does the same, as wg-quick shows its own setconf.
    configure: async (t, fwmark) => {
      echo(['wg', 'setconf', ctx.iface, '/dev/fd/63'])
      await ask(uapiSetRequest(t, fwmark))
    },
    setFwmark: async (fwmark) => {
      echo(['wg', 'set', ctx.iface, 'fwmark', String(fwmark)])
      await ask(`set=1\nfwmark=${fwmark}\n\n`)
    },
    handshakes: async () => parseUapiHandshakes(await ask('get=1\n\n')),
    restoreKeepalive: async (t) => {
      const request = uapiKeepaliveRestore(t)
      if (!request) return
      echo(['wg', ...(keepaliveRestore(ctx.iface, t) ?? [])])
      await ask(request)
    }
  }
}
