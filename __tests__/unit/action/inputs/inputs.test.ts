import { randomBytes } from 'node:crypto'
import nacl from 'tweetnacl'
import { InputError, publicKeyOf, readConfig } from '../../../../src/action/inputs/inputs.js'
import { endpointError } from '../../../../src/action/inputs/values.js'
import { valid, badInputs, PRIVATE, PSK } from '../../../fixtures.mjs'
import { fields } from '../build.js'

const from = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('readConfig: settings and tunnel', () => {
  it('builds the typed config with defaults', () => {
    const cfg = fields(from(valid))
    expect(cfg.iface).toBe('wg0')
    expect(cfg.addresses.map((a) => `${a.address}/${a.bits}`)).toEqual(['192.0.2.2/24'])
    expect(cfg.peers).toHaveLength(1)
    const peer = cfg.peers[0]!
    expect(peer.allowedIps.map((a) => `${a.address}/${a.bits}`)).toEqual(['192.0.2.0/24'])
    expect(peer.keepalive).toBe(25)
    expect(peer.endpoint).toEqual({ host: 'vpn.example.com', port: 51820, source: { input: 'endpoint' } })
    expect(cfg.timeoutMs).toBe(30000)
    expect(cfg.install).toBe(true)
    expect(cfg.userspace).toBe('auto')
    expect(cfg.publicKey).toBe(publicKeyOf(PRIVATE))
  })

  it('derives the public key as wg pubkey does', () => {
    // Known pair from `wg genkey | wg pubkey`.
    expect(publicKeyOf('yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=')).toBe(
      'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw='
    )
  })

  it('derives the same public key as tweetnacl for any key, clamped or not', () => {
    for (let i = 0; i < 200; i++) {
      const raw = randomBytes(32)
      const ours = publicKeyOf(raw.toString('base64'))
      expect(ours).toBe(Buffer.from(nacl.scalarMult.base(new Uint8Array(raw))).toString('base64'))
    }
  })

  it('reads every optional input', () => {
    const cfg = fields(
      from({
        ...valid,
        address: '192.0.2.2/24\n2001:db8:1::2/64',
        'allowed-ips': '203.0.113.7/24, 2001:db8:2::/64',
        endpoint: '[2001:DB8:ff::1]:443',
        'preshared-key': PSK,
        'persistent-keepalive': '0',
        mtu: '1280',
        interface: 'corp-vpn.1',
        check:
          'http://192.0.2.1:8080/\n192.0.2.1\n[2001:db8:1::1]:22\ndb.internal:5432\n2001:db8:1::1\nregistry.internal',
        timeout: '2.5',
        install: 'false',
        userspace: 'TRUE'
      })
    )
    expect(cfg.addresses).toHaveLength(2)
    expect(cfg.peers[0]!.allowedIps.map((a) => `${a.address}/${a.bits}`)).toEqual(['203.0.113.0/24', '2001:db8:2::/64'])
    expect(cfg.peers[0]!.endpoint).toEqual({ host: '2001:db8:ff::1', port: 443, source: { input: 'endpoint' } })
    expect(cfg.peers[0]!.presharedKey).toBe(PSK)
    expect(cfg.peers[0]!.keepalive).toBe(0)
    expect(cfg.mtu).toBe(1280)
    expect(cfg.iface).toBe('corp-vpn.1')
    expect(cfg.checks.map((c) => c.kind)).toEqual(['http', 'icmp', 'tcp', 'tcp', 'icmp', 'icmp'])
    expect(cfg.timeoutMs).toBe(2500)
    expect(cfg.install).toBe(false)
    expect(cfg.userspace).toBe('true')
  })

  // Every row gets all four values: jest takes a test function with more parameters than the row for a done-callback test.
  it.each(badInputs.map(([label, input, value, others]) => [label, input, value, others ?? {}] as const))(
    'refuses %s',
    (_label, input, value, others) => {
      let error: unknown
      try {
        fields(from({ ...valid, ...others, [input]: value }))
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InputError)
      const e = error as InputError
      expect(e.input).toBe(input)
      expect(e.message).toMatch(new RegExp(`^Input "${input}": `))
      expect(e.message).not.toContain('\n')
      for (const secret of [PRIVATE, PSK]) expect(e.message).not.toContain(secret)
      if (input === 'private-key' || input === 'preshared-key' || input === 'config') {
        if (value.trim() !== '') expect(e.message).not.toContain(value.trim())
      }
    }
  )

  it('has at least 50 malformed inputs covering every input', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(50)
    const covered = new Set(badInputs.map(([, input]) => input))
    for (const name of [
      'config',
      'dns',
      'private-key',
      'address',
      'peer-public-key',
      'endpoint',
      'allowed-ips',
      'preshared-key',
      'persistent-keepalive',
      'mtu',
      'interface',
      'check',
      'timeout',
      'install',
      'userspace'
    ]) {
      expect(covered).toContain(name)
    }
  })
})

/** The error an input is refused with. */
function refusal(inputs: Record<string, string>): InputError {
  try {
    readConfig(from(inputs))
  } catch (e) {
    if (e instanceof InputError) return e
    throw e
  }
  throw new Error('accepted')
}

describe('the settings and the tunnel source', () => {
  it('is static with the per-field inputs: the tunnel and the step settings apart', () => {
    const cfg = readConfig(from(valid))
    expect(cfg.iface).toBe('wg0')
    expect(cfg.source.kind).toBe('static')
    if (cfg.source.kind !== 'static') return
    expect(cfg.source.tunnel.publicKey).toBe(publicKeyOf(PRIVATE))
    expect(cfg.source.tunnel.peers[0]!.endpoint?.source).toEqual({ input: 'endpoint' })
  })

  it('is a gateway with gateway: audience defaults to its origin; mtu, keepalive, dns still apply', () => {
    const cfg = readConfig(
      from({
        gateway: 'https://vpn.example.com:8443/lease/',
        mtu: '1380',
        'persistent-keepalive': '15',
        dns: '192.0.2.53, corp.example',
        interface: 'ci0',
        check: '192.0.2.1'
      })
    )
    expect(cfg.iface).toBe('ci0')
    expect(cfg.checks).toHaveLength(1)
    expect(cfg.source).toMatchObject({
      kind: 'gateway',
      gateways: [{ audience: 'https://vpn.example.com:8443' }],
      mtu: 1380,
      keepalive: 15,
      dns: ['192.0.2.53'],
      dnsSearch: ['corp.example']
    })
    if (cfg.source.kind === 'gateway')
      expect(cfg.source.gateways[0]?.url.href).toBe('https://vpn.example.com:8443/lease/')
    const aud = readConfig(from({ gateway: 'https://vpn.example.com', audience: 'wireguard-tunnel' }))
    expect(aud.source).toMatchObject({
      kind: 'gateway',
      gateways: [{ audience: 'wireguard-tunnel' }],
      keepalive: undefined
    })
  })

  it.each([
    ['http://127.0.0.1:8443/'],
    ['http://127.1.2.3/'],
    ['http://[::1]:8443/'],
    ['http://localhost:8443/'],
    ['https://198.51.100.7/']
  ])('accepts the gateway %s', (gateway) => {
    expect(readConfig(from({ gateway })).source.kind).toBe('gateway')
  })

  it.each([
    ['http to a remote host', { gateway: 'http://vpn.example.com/' }, 'gateway', /must use https:\/\//],
    [
      'http to a name that only starts like loopback',
      { gateway: 'http://127.0.0.1.example.com/' },
      'gateway',
      /must use https/
    ],
    ['not a URL', { gateway: 'vpn.example.com' }, 'gateway', /is not a URL/],
    ['another scheme', { gateway: 'ftp://vpn.example.com/' }, 'gateway', /must be an https:\/\/ URL/],
    [
      'credentials in the URL',
      { gateway: 'https://ci:hunter2secret@vpn.example.com/' },
      'gateway',
      /user name or password/
    ],
    ['a query', { gateway: 'https://vpn.example.com/?x=1' }, 'gateway', /no query/],
    ['a URL of a megabyte', { gateway: `https://${'a.'.repeat(500_000)}example/` }, 'gateway', /longer than 2048/],
    ['audience with a space', { gateway: 'https://vpn.example.com/', audience: 'a b' }, 'audience', /printable/],
    ['audience without gateway', { ...valid, audience: 'x' }, 'audience', /only with gateway/]
  ])('refuses %s', (_label, inputs, input, message) => {
    const e = refusal(inputs)
    expect(e.input).toBe(input)
    expect(e.message).toMatch(message)
    expect(e.message).not.toContain('hunter2secret')
  })

  it('refuses gateway with any tunnel input, naming every one given', () => {
    const e = refusal({ ...valid, 'preshared-key': PSK, gateway: 'https://vpn.example.com/' })
    expect(e.message).toBe(
      'Input "gateway": cannot be combined with private-key, address, peer-public-key, endpoint, preshared-key: the gateway leases the key, address and peer; remove those inputs, or remove gateway'
    )
    expect(refusal({ config: 'x', gateway: 'https://vpn.example.com/' }).message).toMatch(/combined with config:/)
  })

  it('refuses persistent-keepalive 0 with gateway, naming both: the gateway hears a job by its keepalives', () => {
    const e = refusal({ gateway: 'https://vpn.example.com/', 'persistent-keepalive': '0' })
    expect(e.input).toBe('persistent-keepalive')
    expect(e.message).toBe(
      'Input "persistent-keepalive": cannot be 0 with gateway: the gateway hears that a job is alive by its keepalives, and would end a quiet job\'s lease. Remove persistent-keepalive (the gateway\'s applies), or give a number of seconds'
    )
    // Without gateway, 0 turns keepalives off as before.
    expect(readConfig(from({ ...valid, 'persistent-keepalive': '0' })).source).toMatchObject({ kind: 'static' })
  })

  describe('several gateways, one per line', () => {
    const gatewaysOf = (inputs: Record<string, string>) => {
      const source = readConfig(from(inputs)).source
      if (source.kind !== 'gateway') throw new Error('not gateway mode')
      return source.gateways.map((g) => [g.url.href, g.audience])
    }

    it('are kept in the order given, blank lines and spaces ignored, each with its own origin as audience', () => {
      expect(
        gatewaysOf({
          gateway: '\n  https://a.example.com:8443 \n\n\thttps://b.example.com/fleet/\r\nhttp://127.0.0.1:9000\n'
        })
      ).toEqual([
        ['https://a.example.com:8443/', 'https://a.example.com:8443'],
        ['https://b.example.com/fleet/', 'https://b.example.com'],
        ['http://127.0.0.1:9000/', 'http://127.0.0.1:9000']
      ])
    })

    it('share the audience input when it is given', () => {
      expect(
        gatewaysOf({ gateway: 'https://a.example.com\nhttps://b.example.com', audience: 'wireguard-tunnel' })
      ).toEqual([
        ['https://a.example.com/', 'wireguard-tunnel'],
        ['https://b.example.com/', 'wireguard-tunnel']
      ])
    })

    it('a single URL, blank lines around it or not, reads and fails as it always has: no line named', () => {
      expect(gatewaysOf({ gateway: '\nhttps://a.example.com:8443\n\n' })).toEqual([
        ['https://a.example.com:8443/', 'https://a.example.com:8443']
      ])
      expect(refusal({ gateway: '\n  vpn.example.com\n' }).message).toBe(
        'Input "gateway": "vpn.example.com" is not a URL; give the gateway\'s address, e.g. https://vpn.example.com:8443'
      )
      expect(refusal({ gateway: '\n  vpn.example.com\n' }).line).toBeUndefined()
    })

    it.each([
      [
        'a line that is not a URL, named by its line as written (blank lines count)',
        'https://a.example.com\n\nvpn.example.com',
        3,
        'Input "gateway": line 3: "vpn.example.com" is not a URL; give the gateway\'s address, e.g. https://vpn.example.com:8443'
      ],
      [
        'plain http to a remote host on line 2',
        'https://a.example.com\nhttp://b.example.com',
        2,
        /^Input "gateway": line 2: "http:\/\/b\.example\.com" must use https:\/\//
      ],
      [
        'credentials on line 2, never shown',
        'https://a.example.com\nhttps://ci:hunter2secret@b.example.com',
        2,
        /^Input "gateway": line 2: has a user name or password in the URL \(not shown\)/
      ],
      [
        'the same gateway twice (with and without its last slash)',
        'https://a.example.com/fleet\nhttps://b.example.com\nhttps://a.example.com/fleet/',
        3,
        'Input "gateway": line 3: "https://a.example.com/fleet/" is the gateway of line 1 again; list each gateway once'
      ],
      [
        'the same gateway twice, the default port written out',
        'https://a.example.com:443\nhttps://a.example.com',
        2,
        /line 2: .* is the gateway of line 1 again/
      ]
    ])('refuses %s', (_what, gateway, line, message) => {
      const e = refusal({ gateway })
      expect(e.input).toBe('gateway')
      expect(e.line).toBe(line)
      expect(e.message).toMatch(message)
      expect(e.message).not.toContain('hunter2secret')
    })

    it('refuses more than 8, saying how many and the most', () => {
      const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://g${i}.example.com`).join('\n')
      expect(gatewaysOf({ gateway: urls(8) })).toHaveLength(8)
      expect(refusal({ gateway: urls(9) }).message).toBe(
        'Input "gateway": lists 9 gateways; at most 8, each tried in turn within the step\'s timeout'
      )
    })
  })

  it('lets the runtime name where an endpoint was written, without its value', () => {
    expect(endpointError({ input: 'config', line: 9 }, 'Endpoint host name does not resolve (ENOTFOUND)').message).toBe(
      'Input "config": line 9: Endpoint host name does not resolve (ENOTFOUND)'
    )
    const e = endpointError({ input: 'endpoint' }, 'host name "vpn.example.com" does not resolve (ENOTFOUND)')
    expect(e.message).toBe('Input "endpoint": host name "vpn.example.com" does not resolve (ENOTFOUND)')
    expect(e.input).toBe('endpoint')
    expect(e.line).toBeUndefined()
  })
})

describe('where the per-field values were written', () => {
  it('names the input of each: mtu, address, allowed-ips (address when allowed-ips is left out)', () => {
    const given = fields({ ...valid, mtu: '1400', 'allowed-ips': '10.0.0.0/8, fd00::/8' })
    expect(given.origins).toEqual({
      mtu: { input: 'mtu' },
      addresses: { '192.0.2.2/24': { input: 'address' } },
      allowedIps: { '10.0.0.0/8': { input: 'allowed-ips' }, 'fd00::/8': { input: 'allowed-ips' } }
    })
    const defaulted = fields(valid)
    expect(defaulted.origins).toEqual({
      mtu: undefined,
      addresses: { '192.0.2.2/24': { input: 'address' } },
      allowedIps: { '192.0.2.0/24': { input: 'address' } }
    })
  })
})

describe('interface names', () => {
  it.each(['--version', '-h', '-f', 'all', 'default', 'help', '.', '..', 'wg:0', 'a-very-long-name0'])(
    'refuses %s',
    (name) => {
      const e = refusal({ ...valid, interface: name })
      expect(e.input).toBe('interface')
    }
  )
  it('says why a leading "-" is refused', () => {
    expect(refusal({ ...valid, interface: '--version' }).message).toMatch(
      /starts with "-": wireguard-go and ip would read it as an option/
    )
  })
  it.each(['wg0', 'corp-vpn.1', 'x', 'a=b+c_d', 'wg-', '0wg'])('accepts %s', (name) => {
    expect(readConfig(from({ ...valid, interface: name })).iface).toBe(name)
  })
})

describe('a key pasted into a non-secret input', () => {
  it.each([
    'endpoint',
    'address',
    'allowed-ips',
    'dns',
    'check',
    'mtu',
    'timeout',
    'install',
    'userspace',
    'interface',
    'peer-public-key'
  ])('is not quoted back by %s', (input) => {
    for (const value of [
      PRIVATE.slice(0, 40),
      `${PRIVATE}:51820`,
      Buffer.from(PRIVATE, 'base64').toString('hex'),
      `x${PRIVATE.slice(3, 30)}`
    ]) {
      let e: unknown
      try {
        readConfig(from({ ...valid, [input]: value }))
      } catch (err) {
        e = err
      }
      expect(e).toBeInstanceOf(InputError)
      const m = (e as Error).message
      for (let i = 0; i + 8 <= value.length; i++) expect(m).not.toContain(value.slice(i, i + 8))
    }
  })
})
