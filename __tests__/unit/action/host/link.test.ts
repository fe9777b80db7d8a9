// Making the interface against a fake host: the kernel's WireGuard or wireguard-go, each recorded
// before it is made and given its identity once it exists; what was not made leaves no record.
import { jest } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fakeProbe, fakeRun, host, OUR_NETNS } from '../__fixtures__/host.js'
import { fakeToolkit, kit } from '../__fixtures__/toolkit.js'
import { Journal } from '../../../../src/action/journal/journal.js'

jest.unstable_mockModule('../../../../src/action/host/run.js', () => fakeRun)
jest.unstable_mockModule('../../../../src/action/host/probe.js', () => fakeProbe)
jest.unstable_mockModule('../../../../src/action/toolkit.js', () => fakeToolkit)
const { createInterface, refuseTakenName, startedDaemon, userspaceFirst } =
  await import('../../../../src/action/host/link.js')
const { CommandError } = await import('../../../../src/action/host/run.js')

type Userspace = 'auto' | 'true' | 'false'
let journal: Journal
/** How many steps had run at each save of the journal. */
let savedAtStep: number[]
const request = (userspace: Userspace = 'auto', install = false) => ({
  iface: 'wg0',
  userspace,
  install,
  tools: { ip: '/usr/sbin/ip' },
  limits: {}
})

beforeEach(async () => {
  await host.reset()
  kit.reset()
  savedAtStep = []
  journal = new Journal(() => savedAtStep.push(host.steps.length))
})
afterEach(() => expect(host.unknown).toEqual([]))
afterAll(() => host.close())

describe('which WireGuard', () => {
  it.each([
    ['true', true, true],
    ['true', false, true],
    ['false', false, false],
    ['auto', true, false],
    ['auto', false, true]
  ] as const)('userspace %s, kernel module %s: wireguard-go first is %s', (userspace, module, first) => {
    host.kernelModule = module
    expect(userspaceFirst(userspace)).toBe(first)
  })
})

describe('a name already taken is refused before anything is touched', () => {
  it('an interface of that name', async () => {
    host.addLink('wg0')
    await expect(refuseTakenName('wg0')).rejects.toThrow(/^interface wg0 already exists; it was left untouched/)
  })

  it('a wireguard-go socket of that name that answers (another namespace, another job)', async () => {
    const server = createServer(() => undefined)
    await new Promise<void>((r) => server.listen(fakeProbe.socketPath('wg0'), r))
    try {
      await expect(refuseTakenName('wg0')).rejects.toThrow(/wg0\.sock exists: another wireguard-go serves the name wg0/)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  it('a socket nobody listens on (a killed wireguard-go left it) is no obstacle', async () => {
    writeFileSync(fakeProbe.socketPath('wg0'), '')
    await expect(refuseTakenName('wg0')).resolves.toBeUndefined()
    await expect(refuseTakenName('wg1')).resolves.toBeUndefined()
  })
})

describe('the kernel interface', () => {
  it('is recorded before `ip link add`, with its ifindex once it exists', async () => {
    await expect(createInterface(request(), journal)).resolves.toEqual({ userspace: false })
    expect(host.log()).toEqual(['ip link add dev wg0 type wireguard'])
    expect(journal.records).toEqual([
      { kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: host.link('wg0')?.ifindex }
    ])
    expect(savedAtStep).toEqual([0, 1])
  })

  it('a kernel without WireGuard: wireguard-go instead, when userspace allows it', async () => {
    host.kernelWorks = false
    await expect(createInterface(request('auto'), journal)).resolves.toEqual({ userspace: true })
    expect(host.log()).toEqual(['ip link add dev wg0 type wireguard', 'wireguard-go wg0'])
    expect(kit.infos).toEqual([
      '[#] ip link add dev wg0 type wireguard',
      'The kernel has no WireGuard module; using wireguard-go',
      '[#] wireguard-go wg0'
    ])
    const daemon = [...host.procs.values()].find((p) => p.iface === 'wg0')
    expect(journal.records).toEqual([
      { kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: host.link('wg0')?.ifindex },
      {
        kind: 'wireguard-go',
        name: 'wg0',
        since: host.ticks,
        pid: daemon?.pid,
        start: daemon?.start,
        socket: host.sockets.get(fakeProbe.socketPath('wg0'))
      }
    ])
  })

  it.each([
    [
      'no WireGuard and userspace false',
      'Error: Unknown device type.',
      /^could not create interface wg0: this kernel has no WireGuard module and userspace is false \(set userspace: auto to use wireguard-go\)$/
    ],
    [
      'no permission',
      'RTNETLINK answers: Operation not permitted',
      /^could not create interface wg0: RTNETLINK answers: Operation not permitted: this step may not create network interfaces \(CAP_NET_ADMIN\)/
    ]
  ])('%s: says why, and leaves no record', async (_what, stderr, message) => {
    host.failOn((s) => s.text.startsWith('ip link add'), { stderr })
    await expect(createInterface(request('false'), journal)).rejects.toThrow(message)
    expect(journal.empty).toBe(true)
    expect(host.effects()).toEqual([])
  })

  it('stopped at the deadline after the kernel made it: recorded by its ifindex, for the rollback', async () => {
    const made: number[] = []
    host.before(
      (s) => s.text.startsWith('ip link add'),
      () => made.push(host.addLink('wg0').ifindex)
    )
    host.failOn((s) => s.text.startsWith('ip link add'), { stderr: '(killed after 30 s)', timedOut: true })
    await expect(createInterface(request('false'), journal)).rejects.toBeInstanceOf(CommandError)
    expect(journal.records).toEqual([{ kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: made[0] }])
  })

  it('stopped at the deadline before the kernel made it: no record', async () => {
    host.failOn((s) => s.text.startsWith('ip link add'), { stderr: '(killed after 30 s)', timedOut: true })
    await expect(createInterface(request('false'), journal)).rejects.toBeInstanceOf(CommandError)
    expect(journal.empty).toBe(true)
  })

  it('sudo refusing is said as such, and leaves no record', async () => {
    host.root = false
    host.failOn((s) => s.text.startsWith('ip link add'), { stderr: 'sudo: a password is required', code: 1 })
    const failure = createInterface(request('auto'), journal)
    await expect(failure).rejects.toBeInstanceOf(CommandError)
    await expect(failure).rejects.toThrow(/^`sudo -n \/usr\/sbin\/ip link add dev wg0 type wireguard` failed/)
    expect(journal.empty).toBe(true)
  })
})

describe('wireguard-go', () => {
  it('is recorded (interface and process) before it starts; the daemon it forked is found and recorded', async () => {
    await createInterface(
      { ...request('true'), tools: { ip: '/usr/sbin/ip', 'wireguard-go': '/opt/wireguard-go' } },
      journal
    )
    expect(host.log()).toEqual(['wireguard-go wg0'])
    expect(host.commands[0]?.argv[0]).toBe('/opt/wireguard-go')
    // Two records saved before the one step; then the ifindex, then the daemon's identity.
    expect(savedAtStep).toEqual([0, 0, 1, 1])
    expect(journal.find('wireguard-go')).toMatchObject({ pid: 4003, start: String(host.ticks + 2) })
  })

  it('through sudo: the daemon’s namespace is read with sudo readlink', async () => {
    host.root = false
    await createInterface(request('true'), journal)
    expect(host.commands.map((c) => [c.text, c.root])).toEqual([
      ['wireguard-go wg0', true],
      ['readlink /proc/4003/ns/net', true]
    ])
    expect(journal.find('wireguard-go')).toMatchObject({ pid: 4003 })
  })

  it('installs wireguard-go when it was not found up front and install is true', async () => {
    delete host.tools['wireguard-go']
    await createInterface(request('true', true), journal)
    expect(host.log()[0]).toMatch(/^apt-get .* install -y --no-install-recommends wireguard-go$/)
    expect(host.commands.at(-1)?.argv[0]).toBe('/usr/bin/wireguard-go')
  })

  it('not found, install false: names what is missing and where it was looked for', async () => {
    delete host.tools['wireguard-go']
    await expect(createInterface(request('true'), journal)).rejects.toThrow(
      /^`wireguard-go` not found \(looked in \/usr\/local\/sbin:\/usr\/sbin:\/usr\/bin\); install wireguard-go first or set install: true$/
    )
    expect(journal.empty).toBe(true)
  })

  it('exits with an error (no TUN device): explains, and forgets both records (nothing was made)', async () => {
    host.failOn((s) => s.text === 'wireguard-go wg0', {
      stderr:
        'ERROR: (wg0) 2026/01/01 00:00:00 Failed to create TUN device: open /dev/net/tun: no such file or directory',
      code: 1
    })
    await expect(createInterface(request('true'), journal)).rejects.toThrow(
      /^could not start wireguard-go for wg0: Failed to create TUN device: .*: wireguard-go needs \/dev\/net\/tun/
    )
    expect(journal.empty).toBe(true)
  })

  it('killed at the deadline: both records stay (it may have forked a daemon), for the rollback to match', async () => {
    host.failOn((s) => s.text === 'wireguard-go wg0', { stderr: '(killed after 30 s)', timedOut: true })
    await expect(createInterface(request('true'), journal)).rejects.toBeInstanceOf(CommandError)
    expect(journal.records.map((r) => r.kind)).toEqual(['interface', 'wireguard-go'])
  })
})

describe('the daemon a start forked', () => {
  it('is one serving that name, started since, in this namespace: never a guess', async () => {
    const since = host.ticks
    // An older one (before the start), and one in another namespace (as sudo readlink says).
    host.addProc(['wireguard-go', 'wg0'], String(since - 50))
    const other = host.addProc(['wireguard-go', 'wg0'], String(since + 3), { netns: 'net:[4026532999]' })
    host.root = false
    await expect(startedDaemon('wg0', since, {})).resolves.toBeUndefined()
    expect(host.log()).toEqual([`readlink /proc/${other.pid}/ns/net`])
    const ours = host.addProc(['wireguard-go', 'wg0'], String(since + 4))
    await expect(startedDaemon('wg0', since, {})).resolves.toEqual({ pid: ours.pid, start: ours.start })
  })
})
