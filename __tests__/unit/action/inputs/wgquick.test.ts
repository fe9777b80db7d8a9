import { InputError } from '../../../../src/action/inputs/inputs.js'
import { prefixText } from '../../../../src/common/ip.js'
import { parseWgQuick } from '../../../../src/action/inputs/wgquick.js'
import { PEER, PRIVATE, PSK } from '../../../fixtures.mjs'
import { fields } from '../build.js'

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
      endpoint: { host: '2001:db8:ff::1', port: 51820, source: { input: 'config', line: 16 } },
      keepalive: 15
    })
    expect(cfg.peers[0]!.allowedIps.map(prefixText)).toEqual(['192.0.2.0/24', '203.0.113.0/24'])
    expect(cfg.peers[1]).toMatchObject({ publicKey: OTHER, endpoint: undefined, keepalive: 0 })
    // Where each value was written, for the errors bring-up may meet later (a port in use, a route refused).
    const at = (line: number): { input: string; line: number } => ({ input: 'config', line })
    expect(cfg.origins).toEqual({
      listenPort: at(7),
      fwmark: at(8),
      mtu: at(9),
      addresses: { '192.0.2.2/24': at(5), '2001:db8:1::2/64': at(5), '198.51.100.9/32': at(6) },
      allowedIps: { '192.0.2.0/24': at(17), '203.0.113.0/24': at(18), '10.9.0.0/16': at(23) }
    })
  })

  it('names no MTU line for an empty MTU = (the automatic MTU), and keeps the first line of a repeated prefix', () => {
    const cfg = parseWgQuick(
      `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\nMTU =\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 192.0.2.0/24\nAllowedIPs = 192.0.2.9/24\n`
    )
    expect(cfg.mtu).toBeUndefined()
    expect(cfg.origins?.mtu).toBeUndefined()
    expect(cfg.origins?.allowedIps).toEqual({ '192.0.2.0/24': { input: 'config', line: 7 } })
  })

  it.each([
    [
      'PostUp = iptables -A FORWARD',
      /line 4: PostUp is not supported: this action runs no commands from the configuration; do that in a run: step/
    ],
    ['predown = echo', /line 4: PreDown is not supported/],
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
    expect(() => parseWgQuick(text)).toThrow('line 2: PrivateKey must be a WireGuard key')
    try {
      parseWgQuick(text)
    } catch (e) {
      expect((e as Error).message).not.toContain(PRIVATE.slice(2))
    }
  })

  it('is an alternative to the per-field inputs, not an addition', () => {
    const text = `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 0.0.0.0/0\nEndpoint = 198.51.100.1:51820\n`
    const cfg = fields((n) => ({ config: text, interface: 'corp' })[n] ?? '')
    expect(cfg.iface).toBe('corp')
    expect(cfg.peers[0]!.keepalive).toBe(0)
    expect(() => fields((n) => ({ config: text, mtu: '1400', dns: '192.0.2.53' })[n] ?? '')).toThrow(
      'Input "config": cannot be combined with mtu, dns: give either a whole configuration in config, or the per-field inputs'
    )
  })
})

const HEX = Buffer.from(PRIVATE, 'base64').toString('hex')
const PSK_HEX = Buffer.from(PSK, 'base64').toString('hex')

/** Every 8-character piece of each secret, in base64 and hex: none may appear in an error. */
const FRAGMENTS = [PRIVATE, PSK, HEX, PSK_HEX].flatMap((s) =>
  Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8))
)

const head = `[Interface]\nAddress = 192.0.2.2/24\n`
const tail = `[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 192.0.2.0/24\n`

/** [label, configuration, the error expected]: configuration typos of every shape. */
export const TYPOS: [string, string, RegExp][] = [
  [
    'PrivateKey: (a YAML habit)',
    `[Interface]\nPrivateKey: ${PRIVATE}\nAddress = 192.0.2.2/24\n${tail}`,
    /^Input "config": line 2: malformed PrivateKey line/
  ],
  ['PrivateKey and a space', `[Interface]\nPrivateKey ${PRIVATE}\n${tail}`, /line 2: malformed PrivateKey line/],
  ['PrivateKey and a tab', `[Interface]\nPrivateKey\t${PRIVATE}\n${tail}`, /line 2: malformed PrivateKey line/],
  ['PrivateKey glued to the key', `[Interface]\nPrivateKey${PRIVATE}\n${tail}`, /line 2: malformed PrivateKey line/],
  ['privatekey:: lower case', `[Interface]\nprivatekey::${PRIVATE}\n${tail}`, /line 2: malformed PrivateKey line/],
  [
    'a bare key line',
    `[Interface]\n${PRIVATE}\nAddress = 192.0.2.2/24\n${tail}`,
    /line 2: unknown key \(its name is not shown/
  ],
  [
    'a bare key line without =',
    `[Interface]\n${PRIVATE.slice(0, -1)}\n${tail}`,
    /line 2: is neither a section header nor Key = Value/
  ],
  ['a bare hex key line', `[Interface]\n${HEX}\n${tail}`, /line 2: is neither a section header nor Key = Value/],
  [
    'a key line before any section',
    `PrivateKey = ${PRIVATE}\n${head}${tail}`,
    /line 1: PrivateKey comes before any \[Interface\] or \[Peer\] section/
  ],
  [
    'a mangled key line before any section',
    `PrivateKey: ${PRIVATE}\n${head}${tail}`,
    /line 1: malformed PrivateKey line/
  ],
  [
    'PresharedKey: in [Peer]',
    `${head}PrivateKey = ${PRIVATE}\n${tail}PresharedKey: ${PSK}\n`,
    /line 7: malformed PresharedKey line/
  ],
  [
    'PresharedKey in [Interface]',
    `${head}PrivateKey = ${PRIVATE}\nPresharedKey = ${PSK}\n${tail}`,
    /line 4: PresharedKey belongs in a \[Peer\] section/
  ],
  [
    'PrivateKey in [Peer]',
    `${head}${tail}PrivateKey = ${PRIVATE}\n`,
    /line 6: PrivateKey belongs in the \[Interface\] section/
  ],
  [
    'an unknown key named like a key',
    `${head}PrivateKey = ${PRIVATE}\n${PRIVATE.slice(0, 20)} = 1\n${tail}`,
    /line 4: unknown key \(its name is not shown/
  ],
  [
    'an unknown key whose name is a key',
    `${head}${PRIVATE} = x\n${tail}`,
    /line 3: unknown key \(its name is not shown/
  ],
  [
    'an unknown key whose name is letters of a key',
    `${head}PrivateKey = ${PRIVATE}\nFooBar = ${PSK}\nyAnzTF = ${PSK}\n${tail}`,
    /line 4: unknown key FooBar in \[Interface\]/
  ],
  [
    '[Interface unclosed',
    `[Interface\nPrivateKey = ${PRIVATE}\n${tail}`,
    /line 1: is not a section header wg-quick knows/
  ],
  [
    '[Interface] with the key on its line',
    `[Interface] PrivateKey = ${PRIVATE}\n${tail}`,
    /line 1: is not a section header wg-quick knows/
  ],
  [
    'a key cut by #',
    `${head}PrivateKey = ${PRIVATE.slice(0, 20)}#${PRIVATE.slice(21)}\n${tail}`,
    /line 3: PrivateKey must be a WireGuard key: .*the value is not shown/
  ],
  [
    'a key with a character missing',
    `${head}PrivateKey = ${PRIVATE.slice(1)}\n${tail}`,
    /line 3: PrivateKey must be a WireGuard key/
  ],
  ['a key in quotes', `${head}PrivateKey = "${PRIVATE}"\n${tail}`, /line 3: PrivateKey must be a WireGuard key/],
  ['a hex key', `${head}PrivateKey = ${HEX}\n${tail}`, /line 3: PrivateKey must be a WireGuard key/],
  [
    'a preshared key that is hex',
    `${head}PrivateKey = ${PRIVATE}\n${tail}PresharedKey = ${PSK_HEX}\n`,
    /line 7: PresharedKey must be a WireGuard key/
  ],
  [
    'a key as the Address',
    `${head}PrivateKey = ${PRIVATE}\nAddress = ${PRIVATE}\n${tail}`,
    /line 4: Address has an entry that is not an address or CIDR/
  ],
  [
    'a key as the Endpoint',
    `${head}PrivateKey = ${PRIVATE}\n${tail}Endpoint = ${PRIVATE}:51820\n`,
    /line 7: Endpoint has a host that is not a valid host name/
  ],
  ['a key as the DNS', `${head}PrivateKey = ${PRIVATE}\nDNS = ${PRIVATE}\n${tail}`, /line 4: DNS has an entry/],
  ['a key as the Table', `${head}PrivateKey = ${PRIVATE}\nTable = ${PRIVATE}\n${tail}`, /line 4: Table must be/],
  ['a key as the MTU', `${head}PrivateKey = ${PRIVATE}\nMTU = ${HEX}\n${tail}`, /line 4: MTU must be a number/],
  ['a key as the section', `[${PRIVATE}]\n${tail}`, /line 1: is not a section header/],
  [
    'a key split over two lines',
    `${head}PrivateKey = ${PRIVATE.slice(0, 22)}\n${PRIVATE.slice(22)}\n${tail}`,
    /line 3: PrivateKey must be a WireGuard key/
  ],
  [
    'the second half of a split key on its own',
    `${head}PrivateKey = ${PRIVATE}\n${PRIVATE.slice(22)}\n${tail}`,
    /line 4: unknown key \(its name is not shown/
  ],
  [
    'a key after PostUp',
    `${head}PrivateKey = ${PRIVATE}\nPostUp = echo ${PRIVATE}\n${tail}`,
    /line 4: PostUp is not supported/
  ],
  ['two keys glued', `${head}PrivateKey = ${PRIVATE}${PSK}\n${tail}`, /line 3: PrivateKey must be a WireGuard key/],
  [
    'Private Key: with a space in the name',
    `[Interface]\nPrivate Key: ${PRIVATE}\n${tail}`,
    /line 2: malformed PrivateKey line/
  ],
  ['private_key = (snake case)', `[Interface]\nprivate_key = ${PRIVATE}\n${tail}`, /line 2: malformed PrivateKey line/]
]

describe('configuration typos', () => {
  it.each(TYPOS)('%s: names the line, never a value', (_label, text, message) => {
    let error: unknown
    try {
      parseWgQuick(text)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const m = (error as Error).message
    expect(m).toMatch(message)
    expect(m).not.toContain('\n')
    for (const f of FRAGMENTS) expect(m).not.toContain(f)
  })
})

const ok = (lines: string): ReturnType<typeof parseWgQuick> =>
  parseWgQuick(`[Interface]\nPrivateKey = ${PRIVATE}\n${lines}`)

describe('wg-quick parity: what wg-quick and wg(8) accept', () => {
  it('an IPv6 endpoint without brackets, split at the last colon as wg does', () => {
    const t = ok(`Address = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\nEndpoint = 2001:db8::1:51820\n`)
    expect(t.peers[0]!.endpoint).toEqual({ host: '2001:db8::1', port: 51820, source: { input: 'config', line: 6 } })
    const u = ok(`Address = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\nEndpoint = ::1:51820\n`)
    expect(u.peers[0]!.endpoint?.host).toBe('::1')
    const v = ok(`Address = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\nEndpoint = 2001:DB8:0:0::1:443\n`)
    expect(v.peers[0]!.endpoint).toMatchObject({ host: '2001:db8::1', port: 443 })
    // wg hands the text between the brackets to getaddrinfo, which takes IPv4 too.
    const w = ok(`Address = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\nEndpoint = [192.0.2.1]:51820\n`)
    expect(w.peers[0]!.endpoint).toMatchObject({ host: '192.0.2.1', port: 51820 })
  })
  it.each([
    ['a port missing after brackets', 'Endpoint = [2001:db8::1]'],
    ['an IPv6 address with no port', 'Endpoint = 2001:db8::1'],
    ['an unclosed bracket', 'Endpoint = [2001:db8::1:51820'],
    ['a port over 65535', 'Endpoint = 192.0.2.1:65536'],
    ['port 0', 'Endpoint = 192.0.2.1:0']
  ])('refuses an endpoint with %s, without the value', (_label, line) => {
    expect(() => ok(`Address = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\n${line}\n`)).toThrow(
      /^Input "config": line 6: Endpoint /
    )
  })
  it('spaces wherever wg drops them, CRLF, tabs, comments, any case', () => {
    const t = parseWgQuick(
      `[ Interface ]\r\n\tPrivate Key\t=\t${PRIVATE.slice(0, 20)} ${PRIVATE.slice(20)}\r\nADDRESS=192.0.2.2/24 2001:db8:1::2/64,198.51.100.9/32 # three\r\nListen Port = 51820\r\nfwmark = 0x10\r\n[peer]\r\npublickey=${PEER}\r\nallowed ips = 192.0.2.0/24 , 203.0.113.0 / 24\r\nPersistent Keepalive = 25\r\nEndpoint = vpn.example.com : 51820\r\n`
    )
    expect(t.privateKey).toBe(PRIVATE)
    expect(t.addresses.map(prefixText)).toEqual(['192.0.2.2/24', '2001:db8:1::2/64', '198.51.100.9/32'])
    expect(t.listenPort).toBe(51820)
    expect(t.fwmark).toBe(16)
    expect(t.peers[0]!.allowedIps.map(prefixText)).toEqual(['192.0.2.0/24', '203.0.113.0/24'])
    expect(t.peers[0]!.keepalive).toBe(25)
    expect(t.peers[0]!.endpoint).toMatchObject({ host: 'vpn.example.com', port: 51820 })
  })
  it('off, hex and zero as wg reads them', () => {
    const t = ok(
      `Address = 192.0.2.2/24\nFwMark = off\nListenPort = 0\n[Peer]\nPublicKey = ${PEER}\nPersistentKeepalive = OFF\n`
    )
    expect(t.fwmark).toBeUndefined()
    expect(t.listenPort).toBe(0)
    expect(t.peers[0]!.keepalive).toBe(0)
    expect(ok(`Address = 192.0.2.2/24\nFwMark = 0\n[Peer]\nPublicKey = ${PEER}\n`).fwmark).toBeUndefined()
    expect(ok(`Address = 192.0.2.2/24\nFwMark = 4294967295\n[Peer]\nPublicKey = ${PEER}\n`).fwmark).toBe(0xffffffff)
  })
  it('a [Peer] with no Endpoint and no AllowedIPs; empty wg-quick values are unset', () => {
    const t = ok(`Address = 192.0.2.2/24\nDNS =\nMTU =\nTable =\n[Peer]\nPublicKey = ${PEER}\n`)
    expect(t.peers[0]).toMatchObject({ endpoint: undefined, allowedIps: [], keepalive: 0 })
    expect(t).toMatchObject({ mtu: undefined, table: 'auto', dns: [], dnsSearch: [] })
  })
  it.each([
    ['FwMark = 0X10', /FwMark must be a number/],
    ['FwMark = -1', /FwMark must be a number/],
    ['ListenPort = 0x10', /ListenPort must be a number/],
    ['ListenPort = 65536', /ListenPort must be a number/],
    ['ListenPort =', /ListenPort has no value/],
    ['M T U = 1400', /malformed MTU line/]
  ])('refuses %s as wg or wg-quick would', (line, message) => {
    expect(() => ok(`Address = 192.0.2.2/24\n${line}\n[Peer]\nPublicKey = ${PEER}\n`)).toThrow(message)
  })
  it.each([
    ['PersistentKeepalive = 0x10', /PersistentKeepalive must be a number/],
    ['PersistentKeepalive = 65536', /PersistentKeepalive must be a number/],
    ['AllowedIPs =', /AllowedIPs has no value/],
    ['PublicKey =', /PublicKey has no value/]
  ])('refuses %s in a [Peer] as wg would', (line, message) => {
    expect(() => ok(`Address = 192.0.2.2/24\n[Peer]\nPublicKey = ${PEER}\n${line}\n`)).toThrow(message)
  })
})

describe('time', () => {
  it('reads and masks a 60,000-line configuration without hanging (speed itself is for the benchmarks)', async () => {
    const { secretsToMask } = await import('../../../../src/action/inputs/secrets.js')
    const peers = Array.from({ length: 15_000 }, (_, i) => {
      const raw = Buffer.alloc(32, 7)
      raw.writeUInt32BE(i)
      const key = raw.toString('base64')
      return `[Peer]\nPublicKey = ${key}\nAllowedIPs = 10.${(i >> 8) & 255}.${i & 255}.0/24\nPersistentKeepalive = 25\n`
    })
    const text = `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\n${peers.join('')}`
    expect(text.split('\n').length).toBeGreaterThan(60_000)
    const started = performance.now()
    expect(parseWgQuick(text).peers).toHaveLength(15_000)
    secretsToMask((n) => (n === 'config' ? text : ''))
    const bad = `${'PrivateKey: '.repeat(5000)}${'A'.repeat(60_000)}\n${'[Interface]\n'.repeat(30_000)}${'x = '.repeat(20_000)}`
    expect(() => parseWgQuick(bad)).toThrow(InputError)
    secretsToMask((n) => (n === 'config' ? bad : ''))
    // A generous hang bound, not a speed test: the quadratic regex it replaces took seconds.
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
