// Teardown against a fake host: each record undone newest first, and only after its identity is
// checked (the ifindex in this namespace, the pid with its start time, the socket's inode, the
// rule's priority); what changed identity is left alone, and what could not be undone stays in the
// journal for post. It never throws.
import { jest } from '@jest/globals'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fakeProbe, fakeRun, host, OUR_NETNS, SRC_VALID_MARK } from '../__fixtures__/host.js'
import { fakeToolkit, kit } from '../__fixtures__/toolkit.js'
import { Journal, type Rec } from '../../../../src/action/journal/journal.js'

jest.unstable_mockModule('../../../../src/action/host/run.js', () => fakeRun)
jest.unstable_mockModule('../../../../src/action/host/probe.js', () => fakeProbe)
jest.unstable_mockModule('../../../../src/action/toolkit.js', () => fakeToolkit)
const { teardown } = await import('../../../../src/action/journal/teardown.js')

const RULES = [
  { family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' },
  { family: 4, priority: 32764, selector: 'table main suppress_prefixlength 0' }
] as const

/** A kernel full tunnel as main leaves it: made on the host, and recorded in this journal. */
function kernelTunnel(): Journal {
  const link = host.addLink('wg0')
  host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg0', table: 51820 })
  host.rules.push(...RULES)
  host.srcValidMark = '1'
  host.dns.set('wg0', 'nameserver 10.9.0.53\n')
  return new Journal(
    () => undefined,
    [
      { kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: link.ifindex },
      { kind: 'sysctl', key: SRC_VALID_MARK, was: '0' },
      ...RULES.map((r) => ({ kind: 'rule' as const, ...r })),
      { kind: 'dns', manager: 'resolvconf', name: 'wg0', iface: 'wg0' }
    ]
  )
}

/** A wireguard-go tunnel as main leaves it: daemon, interface and socket, recorded. */
function userspaceTunnel(): { journal: Journal; pid: number; socket: string } {
  const link = host.addLink('wg0', 'wireguard-go')
  const daemon = host.addProc(['wireguard-go', 'wg0'], String(host.ticks + 2), { iface: 'wg0' })
  const socket = fakeProbe.socketPath('wg0')
  writeFileSync(socket, '')
  host.sockets.set(socket, '64768:900:1')
  const journal = new Journal(
    () => undefined,
    [
      { kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: link.ifindex },
      {
        kind: 'wireguard-go',
        name: 'wg0',
        since: host.ticks,
        pid: daemon.pid,
        start: daemon.start,
        socket: '64768:900:1'
      }
    ]
  )
  return { journal, pid: daemon.pid, socket }
}

beforeEach(async () => {
  await host.reset()
  kit.reset()
})
afterEach(() => expect(host.unknown).toEqual([]))
afterAll(() => host.close())

describe('teardown undoes what main recorded, newest first', () => {
  it('a kernel full tunnel: DNS, rules, src_valid_mark, then the interface', async () => {
    const journal = kernelTunnel()
    const report = await teardown(journal)
    expect(host.log()).toEqual([
      'resolvconf -d wg0 -f',
      'ip -4 rule del table main suppress_prefixlength 0 priority 32764',
      'ip -4 rule del not fwmark 51820 table 51820 priority 32765',
      'ip -4 rule show',
      'ip -4 route show table all',
      `sysctl -q -w ${SRC_VALID_MARK}=0`,
      'ip link delete dev wg0'
    ])
    expect(report).toEqual({
      removed: [
        'wg0',
        'DNS (resolvconf)',
        'rule 32764: table main suppress_prefixlength 0',
        'rule 32765: not fwmark 51820 table 51820',
        `${SRC_VALID_MARK} back to 0`
      ],
      kept: [],
      warnings: []
    })
    expect(journal.empty).toBe(true)
    expect(host.link('wg0')).toBeUndefined()
    expect(host.rules.filter((r) => r.selector.includes('51820') || r.selector.includes('suppress'))).toEqual([])
  })

  it('src_valid_mark stays 1 while another full tunnel marks its traffic', async () => {
    const journal = kernelTunnel()
    host.addLink('wg7')
    host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg7', table: 51821 })
    host.rules.push({ family: 4, priority: 32763, selector: 'not fwmark 51821 table 51821' })
    const report = await teardown(journal)
    expect(report.kept).toEqual([`${SRC_VALID_MARK} stays 1: another full tunnel's rules need it`])
    expect(host.srcValidMark).toBe('1')
    expect(journal.empty).toBe(true)
  })

  it('a full tunnel whose table is empty (its interface gone, its job killed before post) needs nothing', async () => {
    const journal = kernelTunnel()
    host.rules.push({ family: 4, priority: 32763, selector: 'not fwmark 51821 table 51821' })
    const report = await teardown(journal)
    expect(report.removed).toContain(`${SRC_VALID_MARK} back to 0`)
    expect(host.srcValidMark).toBe('0')
  })

  it('what is gone already is forgotten quietly: the interface, a rule, resolved DNS with its link', async () => {
    const journal = new Journal(
      () => undefined,
      [
        { kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: 9 },
        { kind: 'rule', family: 6, priority: 32765, selector: 'not fwmark 51820 table 51820' },
        { kind: 'dns', manager: 'resolvectl', name: 'wg0', iface: 'wg0' }
      ]
    )
    expect(await teardown(journal)).toEqual({ removed: [], kept: [], warnings: [] })
    expect(host.log()).toEqual(['ip -6 rule del not fwmark 51820 table 51820 priority 32765'])
    expect(journal.empty).toBe(true)
  })

  it('a temporary folder goes; a lease is left for releaseLeases', async () => {
    const dir = join(host.dir, 'wireguard-tunnel-AbC123')
    mkdirSync(dir)
    const lease: Rec = {
      kind: 'lease',
      gateway: 'https://vpn.example.com/',
      id: 'l1',
      secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ'
    }
    const journal = new Journal(() => undefined, [lease, { kind: 'file', path: dir }])
    expect((await teardown(journal)).removed).toEqual([dir])
    expect(existsSync(dir)).toBe(false)
    expect(journal.records).toEqual([lease])
  })
})

describe('teardown leaves alone what is no longer what main made', () => {
  it('an interface of that name with another ifindex (another job’s now), and the DNS on it', async () => {
    const journal = kernelTunnel()
    const ours = host.link('wg0')
    host.links = host.links.filter((l) => l !== ours)
    host.addLink('wg0')
    const report = await teardown(journal)
    expect(report.warnings).toEqual([
      'DNS for wg0: the interface is no longer ours',
      'wg0 is no longer the interface main made (another has its name now); left untouched'
    ])
    expect(host.log()).not.toContainEqual(expect.stringMatching(/^ip link delete|^resolvconf -d/))
    expect(host.link('wg0')).toBeDefined()
    expect(host.dns.has('wg0')).toBe(true)
    // Not ours, so not post's either: the records go.
    expect(journal.empty).toBe(true)
  })

  it('an interface recorded while being made (no ifindex yet) cannot be told from another’s', async () => {
    host.addLink('wg0')
    const journal = new Journal(() => undefined, [{ kind: 'interface', name: 'wg0', netns: OUR_NETNS }])
    const report = await teardown(journal)
    expect(report.warnings).toEqual([
      "wg0 was being created when main stopped and cannot be told from another's; left as it is"
    ])
    expect(host.commands).toEqual([])
  })

  it('made in another network namespace: nothing at all is touched, the journal stays', async () => {
    const journal = kernelTunnel()
    const rec = journal.find('interface')
    if (rec) rec.netns = 'net:[4026532999]'
    const before = host.snapshot()
    const report = await teardown(journal)
    expect(report.warnings).toEqual([
      'wg0 was made in another network namespace than this step runs in; nothing was touched'
    ])
    expect(host.commands).toEqual([])
    expect(host.snapshot()).toEqual(before)
    expect(journal.records).toHaveLength(5)
  })

  it('a rule no longer at its recorded priority is not deleted at another', async () => {
    host.rules.push({ family: 4, priority: 32700, selector: 'not fwmark 51820 table 51820' })
    const journal = new Journal(
      () => undefined,
      [{ kind: 'rule', family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' }]
    )
    expect(await teardown(journal)).toEqual({ removed: [], kept: [], warnings: [] })
    expect(host.rules).toContainEqual({ family: 4, priority: 32700, selector: 'not fwmark 51820 table 51820' })
  })
})

describe('wireguard-go', () => {
  it('stopped with SIGTERM: it closes its interface and removes its socket itself', async () => {
    const { journal, pid, socket } = userspaceTunnel()
    const report = await teardown(journal)
    expect(host.steps.map((s) => s.text)).toEqual([`process.kill ${pid} SIGTERM`])
    expect(report.removed).toEqual([`wg0 (wireguard-go, pid ${pid})`])
    expect(host.link('wg0')).toBeUndefined()
    expect(existsSync(socket)).toBe(false)
    expect(journal.empty).toBe(true)
  })

  it('through sudo when not root; SIGKILL when SIGTERM does not stop it, then its stale socket goes', async () => {
    host.root = false
    const { journal, pid, socket } = userspaceTunnel()
    const proc = host.procs.get(pid)
    if (proc) proc.ignoresTerm = true
    const report = await teardown(journal)
    expect(host.commands.map((c) => [c.text, c.root])).toEqual([
      [`kill -TERM ${pid}`, true],
      [`kill -KILL ${pid}`, true],
      [`rm -f ${socket}`, true]
    ])
    expect(report.removed).toEqual([`wg0 (wireguard-go, pid ${pid}), ${socket} (stale)`])
    expect(existsSync(socket)).toBe(false)
    expect(journal.empty).toBe(true)
  })

  it('already dying from a SIGKILL when post looked: it stops on SIGTERM, and the socket it left goes', async () => {
    const { journal, pid, socket } = userspaceTunnel()
    const proc = host.procs.get(pid)
    if (proc) proc.dying = true
    const report = await teardown(journal)
    expect(host.steps.map((s) => s.text)).toEqual([`process.kill ${pid} SIGTERM`])
    expect(report.removed).toEqual([`wg0 (wireguard-go, pid ${pid}), ${socket} (stale)`])
    expect(existsSync(socket)).toBe(false)
    expect(journal.empty).toBe(true)
  })

  it('a pid now another process’s (another start time) is never signalled; its stale socket goes', async () => {
    const { journal, pid, socket } = userspaceTunnel()
    // Ours died (its interface with it, its socket left behind); the pid went to another process.
    host.signal(pid, 'KILL')
    const start = String(host.ticks + 999)
    host.procs.set(pid, { pid, start, argv: ['sleep', '60'], netns: OUR_NETNS, alive: true })
    const report = await teardown(journal)
    expect(host.steps.map((s) => s.text)).toEqual([])
    expect(host.procs.get(pid)?.alive).toBe(true)
    expect(report.removed).toEqual([`${socket} (stale)`])
    expect(existsSync(socket)).toBe(false)
  })

  it('a socket that is another file now (another wireguard-go serves the name) is not removed', async () => {
    const { journal, pid, socket } = userspaceTunnel()
    // Ours was killed (its interface went with it, its socket stayed); another took the name since.
    host.signal(pid, 'KILL')
    host.sockets.set(socket, '64768:901:2')
    const report = await teardown(journal)
    expect(host.commands).toEqual([])
    expect(existsSync(socket)).toBe(true)
    expect(report).toEqual({ removed: [], kept: [], warnings: [] })
    expect(journal.empty).toBe(true)
  })

  it('recorded before its pid was known (main stopped while starting it): found by name, start time and namespace', async () => {
    const { journal, pid } = userspaceTunnel()
    const rec = journal.find('wireguard-go')
    if (rec) Object.assign(rec, { pid: undefined, start: undefined })
    const report = await teardown(journal)
    expect(report.removed).toEqual([`wg0 (wireguard-go, pid ${pid})`])
    expect(host.procs.get(pid)?.alive).toBe(false)
  })

  it('one that will not stop stays in the journal for post, with a warning', async () => {
    host.root = false
    const { journal, pid } = userspaceTunnel()
    const proc = host.procs.get(pid)
    if (proc) proc.ignoresTerm = true
    host.failOn((s) => s.text.startsWith('kill -KILL'), { stderr: 'sudo: a terminal is required', code: 1 })
    const report = await teardown(journal)
    expect(report.warnings).toEqual([`wireguard-go (pid ${pid}) for wg0 would not stop`])
    expect(report.removed).toEqual(['wg0'])
    expect(journal.records.map((r) => r.kind)).toEqual(['wireguard-go'])
  })
})

describe('what could not be undone stays for post; teardown never throws', () => {
  it('each failure is a warning naming the record, and its record stays', async () => {
    const journal = kernelTunnel()
    host.failOn((s) => s.text.startsWith('ip -4 rule del table main'), {
      stderr: 'RTNETLINK answers: Operation not permitted'
    })
    host.failOn((s) => s.text === 'ip link delete dev wg0', { stderr: 'RTNETLINK answers: Operation not permitted' })
    const report = await teardown(journal)
    expect(report.warnings).toEqual([
      'could not remove rule 32764 (table main suppress_prefixlength 0): RTNETLINK answers: Operation not permitted',
      expect.stringMatching(/^could not remove interface wg0: `\/usr\/sbin\/ip link delete dev wg0` failed \(exit 2\)/)
    ])
    expect(journal.records).toEqual([
      expect.objectContaining({ kind: 'interface' }),
      expect.objectContaining({ kind: 'rule', priority: 32764 })
    ])
    // The rest was undone.
    expect(host.dns.has('wg0')).toBe(false)
    expect(host.srcValidMark).toBe('0')
  })
})

describe('src_valid_mark shared by overlapping full tunnels: the last of ours out puts back what the first found', () => {
  const RECORD = '/run/wireguard-tunnel/src_valid_mark.4026531840.json'
  const A = 'a'.repeat(32)
  const B = 'b'.repeat(32)
  /** Two of our full tunnels up (wg0 found 0, wg1 found it at 1), each with its journal. */
  function twoTunnels(): Record<'a' | 'b', Journal> {
    const [wg0, wg1] = [host.addLink('wg0'), host.addLink('wg1')]
    host.srcValidMark = '1'
    host.folders.add('/run/wireguard-tunnel')
    host.files.set(
      RECORD,
      JSON.stringify({
        was: '0',
        owners: [
          { id: A, iface: 'wg0', ifindex: wg0.ifindex },
          { id: B, iface: 'wg1', ifindex: wg1.ifindex }
        ]
      })
    )
    const journal = (id: string): Journal =>
      new Journal(() => undefined, [{ kind: 'sysctl', key: SRC_VALID_MARK, owner: id }])
    return { a: journal(A), b: journal(B) }
  }

  it.each([
    ['the one that found 0 ends first', ['a', 'b']],
    ['the one that found 0 ends last', ['b', 'a']]
  ] as const)('%s: back to 0 when the second ends, and the record goes', async (_name, order) => {
    const journals = twoTunnels()
    const first = await teardown(journals[order[0]])
    expect(first.kept).toEqual([
      `${SRC_VALID_MARK} stays 1: another full tunnel of this action still needs it (the last to end puts it back)`
    ])
    expect(host.srcValidMark).toBe('1')
    const last = await teardown(journals[order[1]])
    expect(last.removed).toEqual([`${SRC_VALID_MARK} back to 0`])
    expect(host.srcValidMark).toBe('0')
    expect(host.files.has(RECORD)).toBe(false)
    // Each change under the lock, released after.
    expect(host.log().filter((l) => l.startsWith('flock '))).toHaveLength(2)
    expect(host.locks.size).toBe(0)
  })

  it('an owner whose interface is gone does not keep it at 1', async () => {
    const journals = twoTunnels()
    host.links = host.links.filter((l) => l.name !== 'wg1')
    const report = await teardown(journals.a)
    expect(report.removed).toEqual([`${SRC_VALID_MARK} back to 0`])
    expect(host.srcValidMark).toBe('0')
  })

  it('a full tunnel that is not ours keeps it at 1, and the record for the next of ours to settle', async () => {
    const journals = twoTunnels()
    host.links = host.links.filter((l) => l.name !== 'wg1')
    host.addLink('wg7')
    host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg7', table: 51821 })
    host.rules.push({ family: 4, priority: 32763, selector: 'not fwmark 51821 table 51821' })
    const report = await teardown(journals.a)
    expect(report.kept).toEqual([`${SRC_VALID_MARK} stays 1: another full tunnel's rules need it`])
    expect(JSON.parse(host.files.get(RECORD) ?? '')).toEqual({ was: '0', owners: [] })
  })

  it('no record (main stopped before it made one): nothing to do, no lock taken', async () => {
    const report = await teardown(new Journal(() => undefined, [{ kind: 'sysctl', key: SRC_VALID_MARK, owner: A }]))
    expect(report).toEqual({ removed: [], kept: [], warnings: [] })
    expect(host.log()).toEqual([])
  })
})
