// What the gateway checks before anything else: Node.js 24, and root or CAP_NET_ADMIN; and which
// configuration changes a reload (SIGHUP) cannot apply.
import { describe, expect, it } from '@jest/globals'
import { hasNetAdmin, nodeProblem, privilegeProblem } from '../../../src/gateway/preflight.js'
import { fixedChange } from '../../../src/gateway/reload.js'
import { parseConfig } from '../../../src/gateway/settings.js'

const status = (capEff: string): string => `Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t${capEff}\n`

describe('gateway preflight', () => {
  it('asks for Node.js 24 in one line, naming the binary and its version', () => {
    expect(nodeProblem('24.0.0', '/usr/bin/node')).toBeUndefined()
    expect(nodeProblem('25.1.0', '/usr/bin/node')).toBeUndefined()
    expect(nodeProblem('20.20.2', '/usr/bin/node')).toBe(
      "needs Node.js 24 or later (it uses node:sqlite); /usr/bin/node is Node.js 20.20.2. Install Node.js 24 and start the gateway with it (the systemd unit's ExecStart)"
    )
  })

  it('reads CAP_NET_ADMIN (bit 12) from CapEff', () => {
    expect(hasNetAdmin(status('0000000000001000'))).toBe(true)
    expect(hasNetAdmin(status('000001ffffffffff'))).toBe(true)
    expect(hasNetAdmin(status('0000000000000000'))).toBe(false)
    expect(hasNetAdmin(status('0000000000000400'))).toBe(false) // CAP_NET_BIND_SERVICE alone
    expect(hasNetAdmin('no such line')).toBe(false)
  })

  it('wants root or CAP_NET_ADMIN, in one line', () => {
    expect(privilegeProblem(0, status('0000000000000000'))).toBeUndefined()
    expect(privilegeProblem(1000, status('0000000000001000'))).toBeUndefined()
    expect(privilegeProblem(65534, status('0000000000000000'))).toBe(
      'needs root (or CAP_NET_ADMIN) to change WireGuard peers: it runs as uid 65534 without CAP_NET_ADMIN. Start it as root (the systemd unit does)'
    )
  })
})

describe('gateway reload', () => {
  const BASE = `listen: 0.0.0.0:8443
tls: { cert: /etc/wireguard-gateway/cert.pem, key: /etc/wireguard-gateway/key.pem }
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.99.0.0/22]
audience: https://vpn.example.com:8443
`
  it('applies rules, times, the issuer and the certificate’s files; not where it listens, the interface, the pool, the store, the limiters or the firewall’s table', () => {
    const now = parseConfig(BASE)
    const next = (extra: string): ReturnType<typeof parseConfig> => parseConfig(`${BASE}${extra}`)
    // Another rule's claims (the firewall's table is by allowed-ips, not claims), times, the issuer.
    expect(
      fixedChange(
        parseConfig(`${BASE}rules:\n  - claims: { repository_id: "1" }\n`),
        next(
          'rules:\n  - claims: { repository_id: "2" }\nsilence: 10m\nlease-ttl: 1h\nissuer: https://ghes.example/_services/token\nconnections-per-address: 8\n'
        )
      )
    ).toBeUndefined()
    expect(fixedChange(now, next('rate-limit: 5\n'))).toBe('"rate-limit"')
    expect(
      fixedChange(now, next('rules:\n  - claims: { repository_id: "1" }\n    allowed-ips: [10.99.0.0/24]\n'))
    ).toBe('the firewall’s table (allowed-ips, the rules’ allowed-ips and reach-leases)')
    expect(
      fixedChange(parseConfig(`${BASE}firewall: none\n`), next('firewall: none\nallowed-ips: [10.99.0.0/24]\n'))
    ).toBeUndefined()
    expect(fixedChange(now, parseConfig(BASE.replace('0.0.0.0:8443', '0.0.0.0:9443')))).toBe('"listen"')
    expect(fixedChange(now, parseConfig(BASE.replace('wg0', 'wg1')))).toBe('"interface"')
    expect(fixedChange(now, parseConfig(BASE.replace('10.99.0.0/22', '10.98.0.0/22')))).toBe('"pool"')
    expect(fixedChange(now, next('state: /srv/other.db\n'))).toBe('"state"')
  })
})
