// The main step against a fake host (src/action/host/run.ts and probe.ts mocked): what it runs, in
// which order, for each backend and routing; and that a failure at any step rolls back exactly what
// was made until then, newest first, and nothing else.
import { jest } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
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

/** What a full tunnel runs, step by step (`ip -batch` line by line), for each variant. */
const FULL_STEPS: Record<Variant, string[]> = {
  'kernel WireGuard, as root (wg setconf)': [
    // Planning reads: tables and rule priorities in use, the route MTU towards the endpoint.
    'ip -4 route show table all',
    'ip -6 route show table all',
    'ip -4 rule show',
    'ip -6 rule show',
    'ip route get 198.51.100.1',
    'ip link add dev wg0 type wireguard',
    'mkfifo -m 600 <fifo>',
    'wg setconf wg0 <fifo>',
    'ip -batch: address add 10.9.0.2/24 dev wg0',
    'ip -batch: address add fd09::2/64 dev wg0',
    'ip -batch: link set mtu 1420 up dev wg0',
    `sysctl -q -w net.ipv4.conf.all.src_valid_mark=1`,
    // The policy table's routes first: adding them claims the table.
    'ip -batch: route add 0.0.0.0/0 dev wg0 table 51820',
    'ip -batch: route add ::/0 dev wg0 table 51820',
    'ip -batch: rule add not fwmark 51820 table 51820 priority 32765',
    'ip -batch: rule add table main suppress_prefixlength 0 priority 32764',
    'ip -6 -batch: rule add not fwmark 51820 table 51820 priority 32765',
    'ip -6 -batch: rule add table main suppress_prefixlength 0 priority 32764',
    `resolvconf -a ${DNS_NAME} -m 0 -x`,
    'wg show wg0 latest-handshakes',
    'ping -n -c 1 -W 2 10.9.0.1',
    `wg set wg0 peer ${PEER} persistent-keepalive off`
  ],
  'wireguard-go, as root (its UAPI socket)': [
    'ip -4 route show table all',
    'ip -6 route show table all',
    'ip -4 rule show',
    'ip -6 rule show',
    'ip route get 198.51.100.1',
    'wireguard-go wg0',
    // Configured, then handshakes read and keepalive restored, over the socket: no commands.
    'ip -batch: address add 10.9.0.2/24 dev wg0',
    'ip -batch: address add fd09::2/64 dev wg0',
    'ip -batch: link set mtu 1420 up dev wg0',
    `sysctl -q -w net.ipv4.conf.all.src_valid_mark=1`,
    'ip -batch: route add 0.0.0.0/0 dev wg0 table 51820',
    'ip -batch: route add ::/0 dev wg0 table 51820',
    'ip -batch: rule add not fwmark 51820 table 51820 priority 32765',
    'ip -batch: rule add table main suppress_prefixlength 0 priority 32764',
    'ip -6 -batch: rule add not fwmark 51820 table 51820 priority 32765',
    'ip -6 -batch: rule add table main suppress_prefixlength 0 priority 32764',
    `resolvconf -a ${DNS_NAME} -m 0 -x`,
    'ping -n -c 1 -W 2 10.9.0.1'
  ],
  'wireguard-go, through sudo (wg setconf)': [
    'ip -4 route show table all',
    'ip -6 route show table all',
    'ip -4 rule show',
    'ip -6 rule show',
    'ip route get 198.51.100.1',
    'wireguard-go wg0',
    // The daemon's namespace is root's to read: through sudo.
    'readlink /proc/4003/ns/net',
    'mkfifo -m 600 <fifo>',
    'wg setconf wg0 <fifo>',
    'ip -batch: address add 10.9.0.2/24 dev wg0',
    'ip -batch: address add fd09::2/64 dev wg0',
    'ip -batch: link set mtu 1420 up dev wg0',
    `sysctl -q -w net.ipv4.conf.all.src_valid_mark=1`,
    'ip -batch: route add 0.0.0.0/0 dev wg0 table 51820',
    'ip -batch: route add ::/0 dev wg0 table 51820',
    'ip -batch: rule add not fwmark 51820 table 51820 priority 32765',
    'ip -batch: rule add table main suppress_prefixlength 0 priority 32764',
    'ip -6 -batch: rule add not fwmark 51820 table 51820 priority 32765',
    'ip -6 -batch: rule add table main suppress_prefixlength 0 priority 32764',
    `resolvconf -a ${DNS_NAME} -m 0 -x`,
    'wg show wg0 latest-handshakes',
    'ping -n -c 1 -W 2 10.9.0.1',
    `wg set wg0 peer ${PEER} persistent-keepalive off`
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
    expect(kit.infos[0]).toMatch(/^WireGuard tunnel wg0 is up: handshake with 198\.51\.100\.1:51820 in /)
    expect(kit.summary.join('')).toContain('| Routes | 0.0.0.0/0 table 51820, ::/0 table 51820 |')
    // Only reads, the named pipe (the step's own) and the check run without root (sudo -n when not
    // root); the key is never an argument.
    const unprivileged = host.commands.filter((c) => !c.root).map((c) => c.text.replace(FIFO, '<fifo>'))
    const pipe = variant.includes('UAPI') ? [] : ['mkfifo -m 600 <fifo>']
    expect(unprivileged).toEqual([...FULL_STEPS[variant].slice(0, 5), ...pipe, 'ping -n -c 1 -W 2 10.9.0.1'])
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
      'ip -batch: address add 10.9.0.2/24 dev wg0',
      'ip -batch: link set mtu 1420 up dev wg0',
      'ip -batch: route add 10.20.0.0/16 dev wg0',
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
    // What the steps before k made, the steps after k undid, in reverse order.
    const made = host.effects(0, k - 1)
    expect(host.effects(k)).toEqual(made.map(inverse).reverse())
    // And nothing else changed: the host is as it was. All that ran besides is reads, or the undoing
    // of what was recorded before the step that failed (each record is written before its command)
    // and so never made: it finds nothing to undo.
    expect(host.snapshot()).toEqual(before)
    const idle = host.steps.slice(k).filter((s) => s.effects.length === 0)
    for (const s of idle) {
      expect(s.text).toMatch(/\bshow\b|^ip -[46] rule del |^sysctl -q -w \S+=0$|^resolvconf -d /)
    }
    expect(kit.warnings).toEqual([])
    expect(kit.state('journal') ?? '').toBe('')
  })
})
