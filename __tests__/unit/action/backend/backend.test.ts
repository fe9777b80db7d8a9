// The two backends are two encodings of one configuration: the UAPI request and the `wg setconf`
// file must say the same thing, key for key.
import { parseUapiHandshakes, uapiKeepaliveRestore, uapiSetRequest } from '../../../../src/action/backend/uapi.js'
import { keepaliveRestore, parseHandshakes, wgConf } from '../../../../src/action/backend/wgcommand.js'
import { PEER, PRIVATE, PSK, valid } from '../../../fixtures.mjs'
import { fields } from '../build.js'

const hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex')

/** `wg setconf` text into the UAPI lines it stands for (as wg's config.c and ipc.c translate it). */
function wgConfAsUapi(text: string): string[] {
  const out: string[] = []
  let iface: Record<string, string> = {}
  const peers: string[][] = []
  for (const line of text.split('\n')) {
    const m = /^(\w+) = (.*)$/.exec(line)
    if (line === '[Peer]') peers.push([])
    if (!m) continue
    const [, k, v] = m as unknown as [string, string, string]
    const peer = peers[peers.length - 1]
    if (!peer) iface[k] = v
    else if (k === 'PublicKey') peer.push(`public_key=${hex(v)}`, 'replace_allowed_ips=true')
    else if (k === 'PresharedKey') peer.push(`preshared_key=${hex(v)}`)
    else if (k === 'Endpoint') peer.push(`endpoint=${v}`)
    else if (k === 'PersistentKeepalive') peer.push(`persistent_keepalive_interval=${v}`)
    else if (k === 'AllowedIPs') peer.push(...v.split(', ').map((a) => `allowed_ip=${a}`))
  }
  for (const peer of peers)
    if (!peer.some((l) => l.startsWith('persistent_keepalive_interval='))) peer.push('persistent_keepalive_interval=0')
  iface = { listen: iface.ListenPort ?? '0', fwmark: iface.FwMark ?? '0', key: hex(iface.PrivateKey ?? '') }
  out.push(
    'set=1',
    `private_key=${iface.key}`,
    `listen_port=${iface.listen}`,
    `fwmark=${iface.fwmark}`,
    'replace_peers=true'
  )
  return [...out, ...peers.flat()]
}

/** UAPI lines with each peer's lines sorted: the order of keys within a peer means nothing. */
function normal(lines: string[]): string[][] {
  const groups: string[][] = [[]]
  for (const l of lines.filter((x) => x !== '')) {
    if (l.startsWith('public_key=')) groups.push([])
    groups[groups.length - 1]?.push(l)
  }
  return groups.map((g, i) => (i === 0 ? g : [...g].sort()))
}

describe('both backends encode the same configuration the same way', () => {
  const configs = {
    'per-field, host name resolved, PSK': fields(
      (n) => ({ ...valid, 'preshared-key': PSK, 'allowed-ips': '192.0.2.0/24, 2001:db8::/32' })[n] ?? ''
    ),
    'keepalive off (probed), listen port, two peers': fields(
      (n) =>
        ({
          config: `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\nListenPort = 51000\n[Peer]\nPublicKey = ${PEER}\nEndpoint = [2001:db8::1]:51820\nAllowedIPs = 0.0.0.0/0\n[Peer]\nPublicKey = ${PSK}\nAllowedIPs = 10.0.0.0/8\nPersistentKeepalive = 10\n`
        })[n] ?? ''
    )
  }
  for (const [name, cfg] of Object.entries(configs)) {
    it(name, () => {
      const peers = cfg.peers.map((p) =>
        p.endpoint
          ? {
              ...p,
              endpoint: {
                ...p.endpoint,
                address: p.endpoint.host === 'vpn.example.com' ? '198.51.100.1' : p.endpoint.host
              }
            }
          : p
      )
      const t = { ...cfg, peers }
      for (const fwmark of [undefined, 51820]) {
        const uapi = uapiSetRequest(t, fwmark).split('\n')
        expect(normal(uapi)).toEqual(normal(wgConfAsUapi(wgConf(t, fwmark))))
      }
      expect(uapiSetRequest(t, undefined)).not.toContain('vpn.example.com')
    })
  }
  it('turns keepalive off again on the probed peers alike', () => {
    const cfg = fields((n) => ({ ...valid, 'persistent-keepalive': '0' })[n] ?? '')
    expect(keepaliveRestore('wg0', cfg)).toEqual(['set', 'wg0', 'peer', PEER, 'persistent-keepalive', 'off'])
    expect(uapiKeepaliveRestore(cfg)).toBe(
      `set=1\npublic_key=${hex(PEER)}\nupdate_only=true\npersistent_keepalive_interval=0\n\n`
    )
    const on = fields((n) => valid[n] ?? '')
    expect(keepaliveRestore('wg0', on)).toBeUndefined()
    expect(uapiKeepaliveRestore(on)).toBeUndefined()
  })
  it('read handshakes alike', () => {
    const wg = parseHandshakes(`${PEER}\t1700000000\n${PSK}\t0\n`)
    const uapi = parseUapiHandshakes(
      `private_key=${hex(PRIVATE)}\npublic_key=${hex(PEER)}\nlast_handshake_time_sec=1700000000\npublic_key=${hex(PSK)}\nlast_handshake_time_sec=0\nerrno=0\n\n`
    )
    expect(uapi).toEqual(wg)
    expect(wg).toEqual(
      new Map([
        [PEER, 1700000000],
        [PSK, 0]
      ])
    )
  })
})
