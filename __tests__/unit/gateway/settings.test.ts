// The gateway's configuration: defaults, and an error naming the key (and line) for each mistake.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { readConfig } from '../../../src/action/inputs/inputs.js'
import { ConfigError, parseConfig, parseDuration } from '../../../src/gateway/settings.js'

const BASE = `listen: 0.0.0.0:8443
tls: { cert: /etc/wireguard-gateway/cert.pem, key: /etc/wireguard-gateway/key.pem }
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.99.0.0/22, fd99::/64]
audience: https://vpn.example.com
rules:
  - claims: { repository_owner_id: "1234", repository_id: 5678, ref: refs/heads/* }
`

/** BASE with the top-level keys that `extra` sets replaced by it (appended at the end). */
function withKeys(extra: string): string {
  const keys = [...extra.matchAll(/^([a-z_-]+):/gm)].map((m) => m[1])
  const kept = BASE.split(/\n(?=\S)/).filter((block) => !keys.includes(block.split(':')[0]))
  return `${kept.join('\n')}\n${extra}`
}

const fails = (text: string): string => {
  try {
    parseConfig(text)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('the configuration was accepted')
}

describe('gateway configuration', () => {
  it('fills defaults', () => {
    const c = parseConfig(BASE)
    expect(c).toMatchObject({
      listen: { host: '0.0.0.0', port: 8443 },
      interface: 'wg0',
      issuer: 'https://token.actions.githubusercontent.com',
      leaseTtlMs: 6 * 3600_000,
      silenceMs: 300_000,
      sweepIntervalMs: 15_000,
      persistentKeepalive: 25,
      rateLimit: 300,
      connectionsPerAddress: 32,
      dns: [],
      state: '/var/lib/wireguard-gateway/wg0.db',
      insecureHttp: false
    })
    expect(c.allowedIps).toEqual(c.pool)
    expect(c.pool.map((p) => `${p.address}/${p.bits}`)).toEqual(['10.99.0.0/22', 'fd99::/64'])
    // A number in YAML is taken as its decimal text: ids are often written unquoted.
    expect(c.rules[0]?.claims).toEqual({ repository_owner_id: '1234', repository_id: '5678', ref: 'refs/heads/*' })
  })

  it.each([
    ['an unknown key', 'allowed_ips: [10.0.0.0/8]\n', /"allowed_ips" \(line \d+\) is not a known key/],
    ['a missing audience', null, /"audience" is required/],
    ['a bad pool prefix', 'pool: [10.99.0.0/22, fd99::/200]\n', /"pool\[1\]" \(line \d+\) is not a prefix/],
    ['host bits in the pool', 'pool: [10.99.0.1/22]\n', /"pool\[0\]".*host bits set; the network is 10\.99\.0\.0\/22/],
    ['two IPv4 pools', 'pool: [10.99.0.0/22, 10.98.0.0/22]\n', /"pool\[1\]".*second IPv4 prefix/],
    ['a /31 pool', 'pool: [10.99.0.0/31]\n', /"pool\[0\]".*too small/],
    ['a bad duration', 'lease-ttl: 6 hours\n', /"lease-ttl" \(line \d+\) must be a duration/],
    ['a bad endpoint', 'endpoint: vpn.example.com\n', /"endpoint".*HOST:PORT/],
    ['a bad interface', 'interface: "wg0; rm -rf /"\n', /"interface".*interface name/],
    ['a bad listen', 'listen: vpn:8443\n', /"listen".*ADDRESS:PORT/],
    // What the action refuses in a lease, the gateway refuses at start (one grammar, src/common/grammar.ts).
    ['an endpoint on port 0', 'endpoint: vpn.example.com:0\n', /"endpoint".*port from 1 to 65535/],
    ['an endpoint port over 65535', 'endpoint: vpn.example.com:65536\n', /"endpoint".*port from 1 to 65535/],
    ['an IPv4 endpoint in brackets', 'endpoint: "[192.0.2.1]:51820"\n', /"endpoint".*only an IPv6 address/],
    ['an endpoint host with a leading -', 'endpoint: -vpn.example.com:51820\n', /"endpoint".*not a valid host name/],
    ['an interface that reads as an option', 'interface: -x\n', /"interface".*starts with "-"/],
    ['a reserved interface name', 'interface: all\n', /"interface".*reserves/],
    ['a listen port 0', 'listen: 0.0.0.0:0\n', /"listen".*ADDRESS:PORT/],
    ['an http issuer off loopback', 'issuer: http://issuer.example\n', /"issuer".*http:\/\/ only on a loopback/],
    [
      'a rule on names only',
      'rules:\n  - claims: { repository: octo/app }\n',
      /"rules\[0\]\.claims".*repository_owner_id or repository_id/
    ],
    [
      'a rule pinning an id by prefix',
      'rules:\n  - claims: { repository_owner_id: "12*" }\n',
      /"rules\[0\]\.claims".*exactly/
    ],
    [
      'a star inside a value',
      'rules:\n  - claims: { repository_id: "1", ref: "refs/*/main" }\n',
      /"rules\[0\]\.claims\.ref".*only at the end/
    ],
    [
      'a rule widening allowed-ips',
      'allowed-ips: [10.20.0.0/16]\nrules:\n  - claims: { repository_id: "1" }\n    allowed-ips: [10.21.0.0/24]\n',
      /"rules\[0\]\.allowed-ips\[0\]".*within the top-level/
    ],
    ['a rate limit of zero', 'rate-limit: 0\n', /"rate-limit".*1 to/],
    ['a connection cap over the global one', 'connections-per-address: 4096\n', /"connections-per-address".*1 to 2048/],
    ['a string for a boolean', 'insecure-http: yes please\n', /"insecure-http".*true or false/],
    [
      'an issuer with a trailing slash (jose compares iss exactly)',
      'issuer: https://token.actions.githubusercontent.com/\n',
      /"issuer" \(line \d+\) must not end with "\/".*give https:\/\/token\.actions\.githubusercontent\.com$/
    ],
    [
      'keepalive off (the gateway hears runners by it)',
      'persistent-keepalive: 0\n',
      /"persistent-keepalive" \(line \d+\) must be 1 to 65535: keepalives are how the gateway hears that a runner is alive/
    ],
    [
      'a silence shorter than three keepalives',
      'persistent-keepalive: 25\nsilence: 60s\n',
      /"silence" \(line \d+\) must be at least three keepalives \(3 × persistent-keepalive = 75s\)/
    ]
  ])('refuses %s, naming the key', (_label, line, message) => {
    const text = line === null ? BASE.replace(/^audience:.*\n/m, '') : withKeys(line)
    expect(fails(text)).toMatch(message)
  })

  it('wants TLS off loopback unless insecure-http is set', () => {
    const noTls = BASE.replace(/^tls:.*\n/m, '')
    expect(fails(noTls)).toMatch(/"tls" is required when listening on 0\.0\.0\.0: tokens are bearer credentials/)
    expect(parseConfig(`${noTls}insecure-http: true\n`).tls).toBeUndefined()
    expect(parseConfig(noTls.replace('0.0.0.0:8443', '127.0.0.1:8080')).listen).toEqual({
      host: '127.0.0.1',
      port: 8080
    })
    expect(parseConfig(noTls.replace('0.0.0.0:8443', '"[::1]:8080"')).listen).toEqual({ host: '::1', port: 8080 })
  })

  it('takes a PostgreSQL URL for state, refusing one that holds a password (naming the key and line, not the password); names the gateway', () => {
    const url = 'postgres://gateway@db.example/fleet?sslmode=require'
    expect(parseConfig(withKeys(`state: ${url}\n`)).state).toBe(url)
    expect(parseConfig(withKeys('state: postgresql://root@/wgt?host=%2Ftmp%2Fpg\n')).state).toMatch(/^postgresql:/)
    for (const bad of [
      'postgres://gateway:hunter2@db.example/fleet',
      'postgres://gateway@db.example/fleet?password=hunter2'
    ]) {
      const message = fails(withKeys(`state: ${bad}\n`))
      expect(message).toMatch(/"state" \(line \d+\) holds a password: put it in PGPASSWORD or PGPASSFILE/)
      expect(message).not.toContain('hunter2')
    }
    expect(fails(withKeys('state: postgres://db.example/a b\n'))).toMatch(
      /"state" \(line \d+\) is not a postgres:\/\/ URL/
    )
    expect(parseConfig(BASE).name).toBe(`${hostname()}/wg0`)
    expect(parseConfig(withKeys('name: eu-1\n')).name).toBe('eu-1')
  })

  it('keeps each interface’s store apart by default', () => {
    expect(parseConfig(BASE).state).toBe('/var/lib/wireguard-gateway/wg0.db')
    expect(parseConfig(withKeys('interface: wg-staging\n')).state).toBe('/var/lib/wireguard-gateway/wg-staging.db')
    expect(parseConfig(withKeys('state: /srv/leases.db\n')).state).toBe('/srv/leases.db')
    expect(parseConfig(withKeys('persistent-keepalive: 1\nsilence: 3s\n'))).toMatchObject({
      persistentKeepalive: 1,
      silenceMs: 3000
    })
  })

  it('accepts an http issuer on loopback (tests)', () => {
    expect(parseConfig(`${BASE}issuer: http://127.0.0.1:9000\n`).issuer).toBe('http://127.0.0.1:9000')
  })

  it('says when the YAML itself is broken, with the line, without quoting it', () => {
    expect(fails('listen: [\n')).toMatch(/line \d+: not valid YAML/)
    expect(fails(`${BASE}audience: twice\n`)).toMatch(/not valid YAML/)
    expect(fails('- a list\n')).toMatch(/must be a mapping/)
  })

  it('parses durations', () => {
    expect([
      parseDuration('500ms'),
      parseDuration('30s'),
      parseDuration('5m'),
      parseDuration('6h'),
      parseDuration('1d')
    ]).toEqual([500, 30_000, 300_000, 21_600_000, 86_400_000])
    expect(parseDuration('5')).toBeUndefined()
    expect(parseDuration('-5s')).toBeUndefined()
  })
})

describe('gateway configuration: firewall, quotas, operators', () => {
  it('defaults: nftables on, quotas from the pool, refusals limited, metrics off, a control socket per interface', () => {
    const c = parseConfig(BASE)
    expect(c).toMatchObject({
      firewall: 'nftables',
      quota: { repository: 255, run: 32 },
      refusalsPerAddress: 60,
      metrics: undefined,
      controlSocket: '/run/wireguard-gateway/wg0.sock'
    })
    expect(c.rules[0]).toMatchObject({ reachLeases: false, quota: { repository: 255, run: 32 } })
  })

  it('reads quotas at the top and per rule, a missing part from the level above', () => {
    const c = parseConfig(
      withKeys(`quota: { repository: 20 }
rules:
  - claims: { repository_id: "1" }
    quota: { run: 2 }
  - claims: { repository_id: "2" }
    quota: { repository: 100 }
    reach-leases: true
`)
    )
    expect(c.quota).toEqual({ repository: 20, run: 20 })
    expect(c.rules.map((r) => [r.quota, r.reachLeases])).toEqual([
      [{ repository: 20, run: 2 }, false],
      [{ repository: 100, run: 20 }, true]
    ])
  })

  it('reads the metrics address, another control socket and firewall: none', () => {
    const c = parseConfig(
      withKeys('metrics: 127.0.0.1:9108\ncontrol-socket: /run/gw/prod.sock\nfirewall: none\nrefusals-per-address: 5\n')
    )
    expect(c).toMatchObject({
      metrics: { host: '127.0.0.1', port: 9108 },
      controlSocket: '/run/gw/prod.sock',
      firewall: 'none',
      refusalsPerAddress: 5
    })
  })

  it.each([
    [
      'a run quota over the repository’s',
      'quota: { repository: 4, run: 8 }\n',
      /"quota\.run".*at most the repository's quota \(4\)/
    ],
    ['a quota of zero', 'quota: { repository: 0 }\n', /"quota\.repository".*1 to/],
    ['an unknown quota key', 'quota: { job: 1 }\n', /"quota\.job".*not a known key \(known: repository, run\)/],
    ['another firewall', 'firewall: iptables\n', /"firewall".*nftables .* or none/],
    ['a metrics address without a port', 'metrics: 127.0.0.1\n', /"metrics".*ADDRESS:PORT/],
    ['a relative control socket', 'control-socket: gw.sock\n', /"control-socket".*absolute path/],
    [
      'reach-leases as text',
      'rules:\n  - claims: { repository_id: "1" }\n    reach-leases: sometimes\n',
      /"rules\[0\]\.reach-leases".*true or false/
    ]
  ])('refuses %s, naming the key', (_label, line, message) => {
    expect(fails(withKeys(line))).toMatch(message)
  })

  it("docs/gateway.md's example starts, and its audience is what the action asks for by default", () => {
    const doc = readFileSync(new URL('../../../docs/gateway.md', import.meta.url), 'utf8')
    const section = doc.slice(doc.indexOf('\n## Configuration\n'))
    const [gatewayYml, jobYml] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
    const config = parseConfig(gatewayYml ?? '')
    const url = /gateway: (\S+)/.exec(jobYml ?? '')?.[1] ?? ''
    const job = readConfig((name) => (name === 'gateway' ? url : ''))
    expect(job.source).toMatchObject({ kind: 'gateway', gateways: [{ audience: config.audience }] })
    expect(config.audience).toBe('https://vpn.example.com:8443')
  })
})
