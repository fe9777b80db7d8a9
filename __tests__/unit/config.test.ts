import { randomBytes } from 'node:crypto'
import nacl from 'tweetnacl'
import { buildConfig, InputError, publicKeyOf } from '../../src/config.js'
import { valid, badInputs, PRIVATE, PSK } from '../fixtures.mjs'

const from = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('buildConfig', () => {
  it('builds the typed config with defaults', () => {
    const cfg = buildConfig(from(valid))
    expect(cfg.iface).toBe('wg0')
    expect(cfg.addresses.map((a) => `${a.address}/${a.bits}`)).toEqual(['192.0.2.2/24'])
    expect(cfg.peers).toHaveLength(1)
    const peer = cfg.peers[0]!
    expect(peer.allowedIps.map((a) => `${a.address}/${a.bits}`)).toEqual(['192.0.2.0/24'])
    expect(peer.keepalive).toBe(25)
    expect(peer.endpoint).toEqual({ host: 'vpn.example.com', port: 51820 })
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
    const cfg = buildConfig(
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
    expect(cfg.peers[0]!.endpoint).toEqual({ host: '2001:db8:ff::1', port: 443 })
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
        buildConfig(from({ ...valid, ...others, [input]: value }))
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
