import { buildConfig, InputError } from '../../src/config.js'
import { prefixText } from '../../src/ip.js'
import { parseWgQuick } from '../../src/wgquick.js'
import { PEER, PRIVATE, PSK } from '../fixtures.mjs'

const OTHER = 'gN65BkIKy1eCE9pP1wdc8ROUtkHLF2PfAqYdyYBz6EA='

describe('parseWgQuick', () => {
  it('parses as wg-quick does: any case, comments, comma lists, repeated keys, several peers', () => {
    const cfg = parseWgQuick(`
# the runner
[interface]
privatekey = ${PRIVATE}   # trailing comment
ADDRESS = 192.0.2.2/24, 2001:db8:1::2/64
Address = 198.51.100.9/32
ListenPort = 51821
FwMark = 0x1234
MTU = 1380
DNS = 192.0.2.53, 2001:db8::53, corp.example, lab.example
Table = off

[Peer]
PublicKey = ${PEER}
PresharedKey = ${PSK}
Endpoint = [2001:db8:ff::1]:51820
AllowedIPs = 192.0.2.0/24
AllowedIPs = 203.0.113.7/24
PersistentKeepalive = 15

[PEER]
PublicKey = ${OTHER}
AllowedIPs = 10.9.0.0/16
`)
    expect(cfg.privateKey).toBe(PRIVATE)
    expect(cfg.addresses.map(prefixText)).toEqual(['192.0.2.2/24', '2001:db8:1::2/64', '198.51.100.9/32'])
    expect(cfg.listenPort).toBe(51821)
    expect(cfg.fwmark).toBe(0x1234)
    expect(cfg.mtu).toBe(1380)
    expect(cfg.dns).toEqual(['192.0.2.53', '2001:db8::53'])
    expect(cfg.dnsSearch).toEqual(['corp.example', 'lab.example'])
    expect(cfg.table).toBe('off')
    expect(cfg.peers).toHaveLength(2)
    expect(cfg.peers[0]).toMatchObject({
      publicKey: PEER,
      presharedKey: PSK,
      endpoint: { host: '2001:db8:ff::1', port: 51820 },
      keepalive: 15
    })
    expect(cfg.peers[0]!.allowedIps.map(prefixText)).toEqual(['192.0.2.0/24', '203.0.113.0/24'])
    expect(cfg.peers[1]).toMatchObject({ publicKey: OTHER, endpoint: undefined, keepalive: 0 })
  })

  it.each([
    [
      'PostUp = iptables -A FORWARD',
      /line 4: PostUp is not supported: this action runs no commands from the configuration; do that in a run: step/
    ],
    ['predown = echo', /line 4: predown is not supported/],
    ['SaveConfig = true', /line 4: SaveConfig is not supported/],
    ['Table = 0', /line 4: Table must be auto, off, main or a table number/],
    ['MTU = big', /line 4: MTU must be a number/],
    ['Colour = blue', /line 4: unknown key Colour in \[Interface\]/]
  ])('refuses %s', (line, message) => {
    const text = `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\n${line}\n[Peer]\nPublicKey = ${PEER}\n`
    expect(() => parseWgQuick(text)).toThrow(message)
    expect(() => parseWgQuick(text)).toThrow(InputError)
  })

  it('never puts a value in its errors', () => {
    const text = `[Interface]\nPrivateKey = ${PRIVATE.slice(2)}\n`
    expect(() => parseWgQuick(text)).toThrow('line 2: PrivateKey must be a base64 WireGuard key')
    try {
      parseWgQuick(text)
    } catch (e) {
      expect((e as Error).message).not.toContain(PRIVATE.slice(2))
    }
  })

  it('is an alternative to the per-field inputs, not an addition', () => {
    const text = `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 0.0.0.0/0\nEndpoint = 198.51.100.1:51820\n`
    const cfg = buildConfig((n) => ({ config: text, interface: 'corp' })[n] ?? '')
    expect(cfg.iface).toBe('corp')
    expect(cfg.peers[0]!.keepalive).toBe(0)
    expect(() => buildConfig((n) => ({ config: text, mtu: '1400', dns: '192.0.2.53' })[n] ?? '')).toThrow(
      'Input "config": cannot be combined with mtu, dns: give either a whole configuration in config, or the per-field inputs'
    )
  })
})
