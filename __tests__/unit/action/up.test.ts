// The main step against a fake host (src/action/host/run.ts and probe.ts mocked): what it runs, in
// which order, for each backend and routing; and that a failure at any step rolls back exactly what
// was made until then, newest first, and nothing else.
import { jest } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fakeProbe, fakeRun, host, type Step } from './__fixtures__/host.js'
import { fakeToolkit, kit } from './__fixtures__/toolkit.js'
import { PEER, PRIVATE } from '../../fixtures.mjs'

jest.unstable_mockModule('../../../src/action/host/run.js', () => fakeRun)
jest.unstable_mockModule('../../../src/action/host/probe.js', () => fakeProbe)
jest.unstable_mockModule('../../../src/action/toolkit.js', () => fakeToolkit)
const { runMain } = await import('../../../src/action/up.js')
const { resolvconfName } = await import('../../../src/action/host/dns.js')

/** resolvconf's name for wg0 on this machine (as dns.ts reads interface-order). */
const ORDER = '/etc/resolvconf/interface-order'
const DNS_NAME = resolvconfName('wg0', existsSync(ORDER) ? readFileSync(ORDER, 'utf8') : '')

/** A full tunnel (both families), with DNS, a peer probed with a keepalive, and a check. */
const FULL = {
  config: `[Interface]
PrivateKey = ${PRIVATE}
Address = 10.9.0.2/24, fd09::2/64
DNS = 10.9.0.53, corp.example

[Peer]
PublicKey = ${PEER}
Endpoint = 198.51.100.1:51820
AllowedIPs = 0.0.0.0/0, ::/0
`,
  check: '10.9.0.1'
}

/** Split routing: routes in the main table only. */
const STATIC = {
  'private-key': PRIVATE,
  address: '10.9.0.2/24',
  'peer-public-key': PEER,
  endpoint: '198.51.100.1:51820',
  'allowed-ips': '10.9.0.0/24, 10.20.0.0/16'
}

const FIFO = /\S*\/wireguard-tunnel-[A-Za-z0-9]{6}\/wg0\.conf/g
/** The steps' text, the named pipe's random folder as <fifo>. */
const texts = (steps: readonly Step[]): string[] => steps.map((s) => s.text.replace(FIFO, '<fifo>'))

/** The system as a variant sets it up: which WireGuard, root or not. */
const VARIANTS = {
  'kernel WireGuard, as root (wg setconf)': () => {
    host.kernelModule = true
  },
  'wireguard-go, as root (its UAPI socket)': () => {
    host.kernelModule = false
  },
  'wireguard-go, through sudo (wg setconf)': () => {
    host.kernelModule = false
    host.root = false
  }
}
type Variant = keyof typeof VARIANTS

async function up(inputs: Record<string, string>): Promise<void> {
  kit.reset(inputs)
  await runMain()
}

beforeEach(async () => {
  await host.reset()
  host.handshakes.set(PEER, 1_767_225_601)
  process.env.RUNNER_TEMP = host.dir
})
afterEach(() => expect(host.unknown).toEqual([]))
afterAll(() => host.close())

/** Planning reads: tables and rule priorities in use, the route MTU towards the endpoint. */
const PLANNING = [
  'ip -4 route show table all',
  'ip -6 route show table all',
  'ip -4 rule show',
  'ip -6 rule show',
  'ip route get 198.51.100.1'
]
/** With `wg`: the configuration through a named pipe (never on a command line). */
const SETCONF = ['mkfifo -m 600 <fifo>', 'wg setconf wg0 <fifo>']
/** The step's own uid, which the check's route is asked for (as the check will be sent). */
const UID = process.getuid?.() ?? 0
/**
 * Addresses and MTU, read back in the same batch; beside the routes, src_valid_mark (the shared
 * record, under its lock); the policy table's routes first (adding them claims the table), rules,
 * read back with the way to the check asked; the IPv6 rules, read back; DNS.
 */
const LINK_ROUTES_DNS = (root: boolean): string[] => [
  'ip -j -batch: address add 10.9.0.2/24 dev wg0',
  'ip -j -batch: address add fd09::2/64 dev wg0',
  'ip -j -batch: link set mtu 1420 up dev wg0',
  'ip -j -batch: address show dev wg0',
  'mkdir -p -m 755 /run/wireguard-tunnel',
  'ip -j -batch: route add 0.0.0.0/0 dev wg0 table 51820',
  'ip -j -batch: route add ::/0 dev wg0 table 51820',
  'ip -j -batch: rule add not fwmark 51820 table 51820 priority 32765',
  'ip -j -batch: rule add table main suppress_prefixlength 0 priority 32764',
  'ip -j -batch: route show table all dev wg0',
  'ip -j -batch: rule show',
  `ip -j -batch: route get 10.9.0.1 uid ${UID}`,
  'ip -j -6 -batch: rule add not fwmark 51820 table 51820 priority 32765',
  'ip -j -6 -batch: rule add table main suppress_prefixlength 0 priority 32764',
  'ip -j -6 -batch: rule show',
  'flock -x -w 10 /run/wireguard-tunnel/lock cat',
  // Written as root directly; through sudo, by tee.
  `${root ? 'write' : 'tee'} /run/wireguard-tunnel/src_valid_mark.4026531840.json`,
  `sysctl -q -w net.ipv4.conf.all.src_valid_mark=1`,
  `resolvconf -a ${DNS_NAME} -m 0 -x`
]
const CHECK = 'ping -n -c 1 -W 2 10.9.0.1'
/** With `wg`: the handshakes read, the check, and the probing keepalive turned off again. */
const PROVE_WITH_WG = ['wg show wg0 latest-handshakes', CHECK, `wg set wg0 peer ${PEER} persistent-keepalive off`]

/** What a full tunnel runs, step by step (`ip -batch` line by line), for each variant. */
const FULL_STEPS: Record<Variant, string[]> = {
  'kernel WireGuard, as root (wg setconf)': [
    ...PLANNING,
    'ip link add dev wg0 type wireguard',
    ...SETCONF,
    ...LINK_ROUTES_DNS(true),
    ...PROVE_WITH_WG
  ],
  // Configured, handshakes read and keepalive restored over the socket: no commands for those.
  'wireguard-go, as root (its UAPI socket)': [...PLANNING, 'wireguard-go wg0', ...LINK_ROUTES_DNS(true), CHECK],
  'wireguard-go, through sudo (wg setconf)': [
    ...PLANNING,
    'wireguard-go wg0',
    // The daemon's namespace is root's to read: through sudo.
    'readlink /proc/4003/ns/net',
    ...SETCONF,
    ...LINK_ROUTES_DNS(false),
    ...PROVE_WITH_WG
  ]
}

/** The same, as the log echoes the commands that change the system: wg-quick's lines. */
const ECHO_LINK_ROUTES_DNS = [
  '[#] ip -4 address add 10.9.0.2/24 dev wg0',
  '[#] ip -6 address add fd09::2/64 dev wg0',
  '[#] ip link set mtu 1420 up dev wg0',
  '[#] ip -4 route add 0.0.0.0/0 dev wg0 table 51820',
  '[#] ip -6 route add ::/0 dev wg0 table 51820',
  '[#] ip -4 rule add not fwmark 51820 table 51820 priority 32765',
  '[#] ip -4 rule add table main suppress_prefixlength 0 priority 32764',
  '[#] ip -6 rule add not fwmark 51820 table 51820 priority 32765',
  '[#] ip -6 rule add table main suppress_prefixlength 0 priority 32764',
  // Set beside the routes, once the shared record is written under its lock (not echoed: bookkeeping).
  '[#] sysctl -q -w net.ipv4.conf.all.src_valid_mark=1',
  `[#] resolvconf -a ${DNS_NAME} -m 0 -x`
]
const ECHO_KEEPALIVE = `[#] wg set wg0 peer ${PEER} persistent-keepalive off`
const FULL_ECHO: Record<Variant, string[]> = {
  'kernel WireGuard, as root (wg setconf)': [
    '[#] ip link add dev wg0 type wireguard',
    '[#] wg setconf wg0 <fifo>',
    ...ECHO_LINK_ROUTES_DNS,
    ECHO_KEEPALIVE
  ],
  // The socket is echoed as wg-quick echoes its own setconf.
  'wireguard-go, as root (its UAPI socket)': [
    '[#] wireguard-go wg0',
    '[#] wg setconf wg0 /dev/fd/63',
    ...ECHO_LINK_ROUTES_DNS,
    ECHO_KEEPALIVE
  ],
  'wireguard-go, through sudo (wg setconf)': [
    '[#] wireguard-go wg0',
    '[#] wg setconf wg0 <fifo>',
    ...ECHO_LINK_ROUTES_DNS,
    ECHO_KEEPALIVE
  ]
}

describe('bring-up, in order: interface, configuration, addresses and MTU, routes and rules, DNS, proof', () => {
  it.each(Object.keys(VARIANTS) as Variant[])('a full tunnel with %s', async (variant) => {
    VARIANTS[variant]()
    await up(FULL)
    expect(kit.failures).toEqual([])
    expect(texts(host.steps)).toEqual(FULL_STEPS[variant])
    // Up: the policy table holds the default routes, the rules are where they were recorded.
    const link = host.link('wg0')
    expect(link).toMatchObject({ addresses: ['10.9.0.2/24', 'fd09::2/64'], mtu: 1420, up: true })
    expect(host.routes.filter((r) => r.dev === 'wg0')).toEqual([
      { prefix: '0.0.0.0/0', dev: 'wg0', table: 51820 },
      { prefix: '::/0', dev: 'wg0', table: 51820 }
    ])
    expect(host.srcValidMark).toBe('1')
    expect(host.dns.get(DNS_NAME)).toBe('nameserver 10.9.0.53\nsearch corp.example\n')
    const journal = JSON.parse(kit.state('journal') ?? '[]') as { kind: string }[]
    expect(journal.map((r) => r.kind)).toEqual(
      variant.startsWith('kernel')
        ? ['interface', 'sysctl', 'rule', 'rule', 'rule', 'rule', 'dns']
        : ['interface', 'wireguard-go', 'sysctl', 'rule', 'rule', 'rule', 'rule', 'dns']
    )
    expect(kit.outputs).toEqual({ interface: 'wg0', 'public-key': expect.any(String), address: '10.9.0.2,fd09::2' })
    // Each change echoed in one collapsed group, closed before the tunnel is reported.
    const infos = kit.infos.map((l) => l.replace(FIFO, '<fifo>'))
    const end = infos.indexOf('::endgroup::')
    expect(infos.slice(0, end + 1)).toEqual(['::group::Bringing up wg0', ...FULL_ECHO[variant], '::endgroup::'])
    expect(infos[end + 1]).toMatch(/^WireGuard tunnel wg0 is up: handshake with 198\.51\.100\.1:51820 in /)
    expect(kit.summary.join('')).toContain('| Routes | 0.0.0.0/0 table 51820, ::/0 table 51820 |')
    // Only reads, the named pipe (the step's own) and the check run without root (sudo -n when not
    // root); the key is never an argument.
    const unprivileged = host.commands.filter((c) => !c.root).map((c) => c.text.replace(FIFO, '<fifo>'))
    const pipe = variant.includes('UAPI') ? [] : SETCONF.slice(0, 1)
    expect(unprivileged).toEqual([...PLANNING, ...pipe, CHECK])
    for (const c of host.commands) expect(c.argv.join(' ')).not.toContain(PRIVATE)
    if (variant.includes('UAPI')) {
      const hex = Buffer.from(PRIVATE, 'base64').toString('hex')
      expect(host.uapi[0]).toContain(`private_key=${hex}\nlisten_port=0\nfwmark=51820\n`)
      expect(host.uapi.at(-1)).toContain('persistent_keepalive_interval=0')
    }
  })

  it('split routing: one route per allowed IP the address does not cover, in the main table; no reads, no rules', async () => {
    await up(STATIC)
    expect(kit.failures).toEqual([])
    expect(texts(host.steps)).toEqual([
      'ip route get 198.51.100.1',
      'ip link add dev wg0 type wireguard',
      'mkfifo -m 600 <fifo>',
      'wg setconf wg0 <fifo>',
      'ip -j -batch: address add 10.9.0.2/24 dev wg0',
      'ip -j -batch: link set mtu 1420 up dev wg0',
      'ip -j -batch: address show dev wg0',
      'ip -j -batch: route add 10.20.0.0/16 dev wg0',
      'ip -j -batch: route show table all dev wg0',
      'wg show wg0 latest-handshakes'
    ])
    expect(kit.outputs.address).toBe('10.9.0.2')
  })
})

/** Reads whose failure bring-up works around (a default, a second read, a retry, or post's later matching). */
const TOLERATED = /^ip -[46] route show table all$|^ip -[46] rule show$|^ip route get |^readlink |^ping /
/** What undoes an effect: `+rule 4 32765 …` → `-rule 4 32765 …`. */
const inverse = (effect: string): string => effect.replace(/^\+/, '-')

describe('a failure at any step rolls back exactly what was made until then, newest first, and nothing else', () => {
  const cases = (Object.keys(VARIANTS) as Variant[]).flatMap((v) =>
    FULL_STEPS[v].map((text, i) => [v, i + 1, text] as const)
  )
  it.each(cases)('%s: step %i fails (%s)', async (variant, k, text) => {
    VARIANTS[variant]()
    const before = host.snapshot()
    host.failAt(k)
    await up(FULL)
    expect(texts(host.steps.slice(k - 1, k))).toEqual([text])
    if (TOLERATED.test(text)) {
      expect(kit.failures).toEqual([])
      expect(host.link('wg0')).toBeDefined()
      return
    }
    expect(kit.failures).toEqual([expect.stringContaining(`injected failure at step ${k}`)])
    // What was made, was undone; newest first within each kind of record. (src_valid_mark is set
    // beside the routes: when one of the two fails, the other still finishes, and is undone too.)
    const plus = host.effects().filter((e) => e.startsWith('+'))
    const minus = host.effects().filter((e) => e.startsWith('-'))
    expect([...minus].sort()).toEqual(plus.map(inverse).sort())
    for (const kind of [/rule/, /link|wireguard-go/, /src_valid_mark|file/, /dns/]) {
      const of = (list: string[]): string[] => list.filter((e) => kind.test(e))
      expect(of(minus)).toEqual(of(plus).map(inverse).reverse())
    }
    expect(host.effects(0, k - 1).every((e) => e.startsWith('+'))).toBe(true)
    // And nothing else changed: the host is as it was. All that ran besides is reads, or the undoing
    // of what was recorded before the step that failed (each record is written before its command)
    // and so never made: it finds nothing to undo.
    expect(host.snapshot()).toEqual(before)
    const idle = host.steps.slice(k).filter((s) => s.effects.length === 0)
    for (const s of idle) {
      // (And what ran beside the step that failed: routes, src_valid_mark's lock, reads.)
      expect(s.text).toMatch(
        /\bshow\b|^ip -[46] rule del |^sysctl -q -w \S+=0$|^resolvconf -d |^flock |^ip -j -batch: route /
      )
    }
    expect(kit.warnings).toEqual([])
    expect(kit.state('journal') ?? '').toBe('')
  })
})

describe('bring-up refuses, falls back, and says why', () => {
  it('refuses a runner without CAP_NET_ADMIN before running anything', async () => {
    host.netAdmin = false
    await up(STATIC)
    expect(kit.failures).toEqual([expect.stringMatching(/^This step runs as root but without CAP_NET_ADMIN/)])
    expect(host.commands).toEqual([])
  })

  it('leaves alone an interface of that name that exists already', async () => {
    host.addLink('wg0')
    const before = host.snapshot()
    await up(STATIC)
    expect(kit.failures).toEqual([expect.stringMatching(/^interface wg0 already exists; it was left untouched/)])
    expect(host.commands).toEqual([])
    expect(host.snapshot()).toEqual(before)
  })

  it('falls back to wireguard-go when the kernel turns out to have no WireGuard', async () => {
    host.kernelWorks = false
    await up(STATIC)
    expect(kit.failures).toEqual([])
    expect(texts(host.steps.slice(1, 3))).toEqual(['ip link add dev wg0 type wireguard', 'wireguard-go wg0'])
    expect(kit.infos).toContain('The kernel has no WireGuard module; using wireguard-go')
    // The record of the kernel attempt went with it: one interface, the one wireguard-go made.
    const journal = JSON.parse(kit.state('journal') ?? '[]') as { kind: string }[]
    expect(journal.map((r) => r.kind)).toEqual(['interface', 'wireguard-go'])
    expect(kit.summary.join('')).toContain('userspace (wireguard-go)')
  })

  it('installs what is missing in one apt transaction, then goes on', async () => {
    host.kernelModule = false
    delete host.tools.wg
    delete host.tools['wireguard-go']
    await up(STATIC)
    expect(kit.failures).toEqual([])
    expect(host.log()[0]).toMatch(/^apt-get .* install -y --no-install-recommends wireguard-tools wireguard-go$/)
  })

  it('warns, and goes on, when the runner has no way to set DNS', async () => {
    delete host.tools.resolvconf
    await up({ ...STATIC, dns: '10.9.0.53' })
    expect(kit.failures).toEqual([])
    expect(kit.warnings).toEqual([expect.stringMatching(/^DNS servers 10\.9\.0\.53 were not applied/)])
    expect(kit.state('journal')).not.toContain('"dns"')
  })

  it('no handshake by the deadline: says which peer and what to check, and rolls back', async () => {
    host.handshakes.clear()
    const before = host.snapshot()
    await up({ ...STATIC, timeout: '2' })
    expect(kit.failures).toEqual([
      expect.stringMatching(/^No handshake with peer \S+ at 198\.51\.100\.1:51820 within 2 s/)
    ])
    // Asked again and again (the fake clock moves with each wait) until the deadline.
    expect(texts(host.steps).filter((t) => t === 'wg show wg0 latest-handshakes').length).toBeGreaterThan(5)
    expect(host.snapshot()).toEqual(before)
    expect(kit.summary.join('')).toContain('### WireGuard tunnel failed')
    expect(kit.infos).toContain('::group::WireGuard diagnostics')
  })

  it('a check that never answers: says which, with its last error, and rolls back', async () => {
    host.failOn((s) => s.text.startsWith('ping '), { stderr: 'From 10.9.0.2 icmp_seq=1 Destination Host Unreachable' })
    const before = host.snapshot()
    await up({ ...STATIC, check: '10.9.0.1', timeout: '3' })
    expect(kit.failures).toEqual([
      expect.stringMatching(
        /^The tunnel is up but ping 10\.9\.0\.1 did not answer within 3 s \(last error: From 10\.9\.0\.2 icmp_seq=1 Destination Host Unreachable\)/
      )
    ])
    expect(host.snapshot()).toEqual(before)
  })

  it('what the rollback cannot undo stays in the journal for post, with a warning', async () => {
    host.failOn((s) => s.text.startsWith('resolvconf -a'), { stderr: 'resolvconf: signature mismatch' })
    host.failOn((s) => s.text === 'ip link delete dev wg0', { stderr: 'RTNETLINK answers: Device or resource busy' })
    await up({ ...STATIC, dns: '10.9.0.53' })
    expect(kit.failures).toEqual([expect.stringContaining('resolvconf: signature mismatch')])
    expect(kit.warnings).toEqual([
      expect.stringMatching(/^rollback: could not remove interface wg0: .*Device or resource busy/),
      'rollback left some of what main made in place; post will try again'
    ])
    const left = JSON.parse(kit.state('journal') ?? '[]') as { kind: string; name?: string }[]
    expect(left).toEqual([expect.objectContaining({ kind: 'interface', name: 'wg0' })])
    expect(host.link('wg0')).toBeDefined()
  })

  it('another job claims the planned table before the routes go in: the next free table is taken', async () => {
    // Between planning (table 51820 free) and adding the routes, another job's interface takes it.
    host.addLink('wg7')
    let claimed = false
    host.before(
      (s) => !claimed && s.text === 'ip -j -batch: route add 0.0.0.0/0 dev wg0 table 51820',
      () => {
        claimed = true
        host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg7', table: 51820 })
        host.rules.push({ family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' })
      }
    )
    await up(FULL)
    expect(kit.failures).toEqual([])
    expect(texts(host.steps.filter((s) => /table|fwmark|rule (show|add)/.test(s.text)).slice(4))).toEqual([
      'ip -j -batch: route add 0.0.0.0/0 dev wg0 table 51820',
      'ip -4 route flush dev wg0 table 51820',
      'ip -6 route flush dev wg0 table 51820',
      'ip -4 route show table all',
      'ip -6 route show table all',
      'ip -4 rule show',
      'ip -6 rule show',
      'wg set wg0 fwmark 51821',
      'ip -j -batch: route add 0.0.0.0/0 dev wg0 table 51821',
      'ip -j -batch: route add ::/0 dev wg0 table 51821',
      // Placed below the other job's rule, which now holds 32765.
      'ip -j -batch: rule add not fwmark 51821 table 51821 priority 32764',
      'ip -j -batch: rule add table main suppress_prefixlength 0 priority 32763',
      'ip -j -batch: route show table all dev wg0',
      'ip -j -batch: rule show',
      'ip -j -6 -batch: rule add not fwmark 51821 table 51821 priority 32765',
      'ip -j -6 -batch: rule add table main suppress_prefixlength 0 priority 32764',
      'ip -j -6 -batch: rule show'
    ])
    // The other job's table and rule are untouched; ours are recorded at the priorities used.
    expect(host.routes).toContainEqual({ prefix: '0.0.0.0/0', dev: 'wg7', table: 51820 })
    const rules = (JSON.parse(kit.state('journal') ?? '[]') as { kind: string }[]).filter((r) => r.kind === 'rule')
    expect(rules).toEqual([
      { kind: 'rule', family: 4, priority: 32764, selector: 'not fwmark 51821 table 51821' },
      { kind: 'rule', family: 4, priority: 32763, selector: 'table main suppress_prefixlength 0' },
      { kind: 'rule', family: 6, priority: 32765, selector: 'not fwmark 51821 table 51821' },
      { kind: 'rule', family: 6, priority: 32764, selector: 'table main suppress_prefixlength 0' }
    ])
    expect(kit.summary.join('')).toContain('0.0.0.0/0 table 51821, ::/0 table 51821')
  })
})

describe('gateway mode: the lease is asked for while the interface is made', () => {
  const lease = {
    id: 'lease_01',
    secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ',
    addresses: ['10.99.0.7/32'],
    peers: [{ publicKey: PEER, endpoint: '198.51.100.1:51820', allowedIps: ['10.20.0.0/16'] }],
    expiresAt: '2026-11-26T14:00:00Z'
  }
  const servers: Server[] = []
  const seen: string[] = []
  let status = 201
  const listen = (s: Server): Promise<string> =>
    new Promise((resolve) => {
      servers.push(s)
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`))
    })
  let gateway = ''
  beforeAll(async () => {
    const tokens = await listen(createServer((_req, res) => res.end(JSON.stringify({ value: 'token-abcdefgh' }))))
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${tokens}/token`
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
    gateway = await listen(
      createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization}`)
        if (req.method === 'DELETE') return void res.writeHead(204).end()
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify(status === 201 ? lease : { error: 'no rule for this repository', code: 'no_rule_matches' })
        )
      })
    )
  })
  beforeEach(() => {
    seen.length = 0
    status = 201
  })
  afterAll(async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  })

  it('a lease refused while the interface was being made: the interface goes, nothing else was made', async () => {
    status = 403
    const before = host.snapshot()
    await up({ gateway })
    expect(kit.failures).toEqual([
      expect.stringMatching(
        /refused this job \(403 no_rule_matches: no rule for this repository\); ask its team to add a rule/
      )
    ])
    expect(host.effects()).toEqual(['+link wg0', '-link wg0'])
    expect(host.snapshot()).toEqual(before)
    expect(seen).toEqual(['POST /v1/leases Bearer token-abcdefgh'])
  })

  it('a failure after the lease: the tunnel is rolled back, then the lease is released', async () => {
    host.failOn((s) => s.text.startsWith('ip -j -batch: route add'), { stderr: 'RTNETLINK answers: Invalid argument' })
    const before = host.snapshot()
    await up({ gateway })
    expect(kit.failures).toEqual([expect.stringContaining('Invalid argument')])
    expect(host.snapshot()).toEqual(before)
    expect(seen).toEqual(['POST /v1/leases Bearer token-abcdefgh', `DELETE /v1/leases/lease_01 Bearer ${lease.secret}`])
    expect(kit.state('journal')).toBe('')
    expect(kit.secrets).toContain(lease.secret)
  })

  it('up: the leased address and the lease in the summary', async () => {
    await up({ gateway })
    expect(kit.failures).toEqual([])
    expect(kit.outputs.address).toBe('10.99.0.7')
    expect(kit.summary.join('')).toContain(`| Lease | lease_01 from ${gateway}, until 2026-11-26T14:00:00Z |`)
  })

  it('several gateways, the first down: leased from the second, and a failure after it releases it there', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const down = 'http://127.0.0.1:1'
    host.failOn((s) => s.text.startsWith('ip -j -batch: route add'), { stderr: 'RTNETLINK answers: Invalid argument' })
    const before = host.snapshot()
    await up({ gateway: `${down}\n${gateway}` })
    expect(kit.failures).toEqual([expect.stringContaining('Invalid argument')])
    expect(kit.warnings[0]).toMatch(
      new RegExp(
        `^Gateway ${down} \\(127\\.0\\.0\\.1\\) could not be reached \\(ECONNREFUSED\\): .* \\(trying the next gateway, ${gateway}\\)$`
      )
    )
    expect(host.snapshot()).toEqual(before)
    expect(seen).toEqual(['POST /v1/leases Bearer token-abcdefgh', `DELETE /v1/leases/lease_01 Bearer ${lease.secret}`])
    expect(kit.state('journal')).toBe('')
  })
})
