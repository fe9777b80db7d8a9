// The post step against a fake host: it undoes what main's journal (the step state) records, says
// what it removed, and never fails the job: every problem is a warning.
import { jest } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fakeProbe, fakeRun, host, OUR_NETNS } from '../__fixtures__/host.js'
import { fakeToolkit, kit } from '../__fixtures__/toolkit.js'

jest.unstable_mockModule('../../../../src/action/host/run.js', () => fakeRun)
jest.unstable_mockModule('../../../../src/action/host/probe.js', () => fakeProbe)
jest.unstable_mockModule('../../../../src/action/toolkit.js', () => fakeToolkit)
const { runPost } = await import('../../../../src/action/journal/down.js')

const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQ'

/** Post, given this journal as main saved it. */
async function post(records: unknown[] | string): Promise<void> {
  kit.reset({}, { journal: typeof records === 'string' ? records : JSON.stringify(records) })
  await runPost()
}

/** A kernel interface on the host, and its record. */
function madeInterface(): { kind: 'interface'; name: string; netns: string; ifindex: number } {
  const link = host.addLink('wg0')
  return { kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: link.ifindex }
}

beforeEach(() => host.reset())
afterEach(() => {
  expect(kit.failures).toEqual([])
  expect(host.unknown).toEqual([])
})
afterAll(() => host.close())

describe('post', () => {
  it('with nothing recorded, says so and runs nothing', async () => {
    await post('')
    expect(kit.infos).toEqual(['Nothing to tear down: main created no tunnel'])
    expect(host.commands).toEqual([])
  })

  it('removes what main made and says what; the journal it leaves is empty', async () => {
    host.dns.set('wg0', 'nameserver 10.9.0.53\n')
    await post([madeInterface(), { kind: 'dns', manager: 'resolvconf', name: 'wg0', iface: 'wg0' }])
    expect(host.log()).toEqual(['resolvconf -d wg0 -f', 'ip link delete dev wg0'])
    expect(kit.infos).toEqual([
      '::group::Tearing down wg0',
      '[#] resolvconf -d wg0 -f',
      '[#] ip link delete dev wg0',
      '::endgroup::',
      'Removed wg0; DNS (resolvconf)'
    ])
    expect(kit.warnings).toEqual([])
    expect(kit.state('journal')).toBe('')
  })

  it('says when all of it was gone already', async () => {
    await post([{ kind: 'interface', name: 'wg0', netns: OUR_NETNS, ifindex: 42 }])
    expect(kit.infos).toEqual(['Nothing of wg0 was left to remove'])
  })

  it('ignores records it cannot trust (a crafted state): nothing is handed to a command', async () => {
    await post([
      { kind: 'interface', name: 'wg0; reboot', ifindex: 3 },
      { kind: 'file', path: '/etc' }
    ])
    expect(kit.infos).toEqual(['Nothing to tear down: main created no tunnel'])
    expect(host.commands).toEqual([])
  })

  it('what it cannot undo is a warning, and stays recorded for another try', async () => {
    host.failOn((s) => s.text === 'ip link delete dev wg0', { stderr: 'RTNETLINK answers: Operation not permitted' })
    host.dns.set('wg0', 'nameserver 10.9.0.53\n')
    await post([madeInterface(), { kind: 'dns', manager: 'resolvconf', name: 'wg0', iface: 'wg0' }])
    expect(kit.warnings).toEqual([
      expect.stringMatching(/^could not remove interface wg0: .*Operation not permitted \(proceeding anyway\)$/)
    ])
    expect(JSON.parse(kit.state('journal') ?? '[]')).toEqual([expect.objectContaining({ kind: 'interface' })])
  })

  it('whatever goes wrong, it warns and does not fail the job', async () => {
    kit.reset()
    kit.throwOnGetState = true
    await runPost()
    expect(kit.warnings).toEqual(['teardown failed: the runner handed over no state (proceeding anyway)'])
  })
})

describe('post releases the lease after the tunnel is down', () => {
  const servers: Server[] = []
  const seen: string[] = []
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))
  const gateway = (status: number): Promise<string> =>
    new Promise((resolve) => {
      const s = createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization}`)
        res.writeHead(status).end()
      })
      servers.push(s)
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`))
    })

  it('released: said with the rest', async () => {
    const url = await gateway(204)
    await post([madeInterface(), { kind: 'lease', gateway: url, id: 'lease_01', secret: SECRET }])
    expect(host.log()).toEqual(['ip link delete dev wg0'])
    expect(seen).toEqual([`DELETE /v1/leases/lease_01 Bearer ${SECRET}`])
    expect(kit.infos).toEqual([
      '::group::Tearing down wg0',
      '[#] ip link delete dev wg0',
      '::endgroup::',
      'Removed wg0; lease lease_01'
    ])
    expect(kit.secrets).toContain(SECRET)
  })

  it('a gateway that cannot be reached is a warning: the lease ends by itself', async () => {
    const url = await gateway(204)
    const closed = servers.pop()
    await new Promise((r) => closed?.close(r))
    await post([{ kind: 'lease', gateway: url, id: 'lease_02', secret: SECRET }])
    expect(kit.warnings).toEqual([
      expect.stringMatching(
        /^lease lease_02 was not released \(Gateway http:\/\/127\.0\.0\.1:[0-9]+ \(127\.0\.0\.1\) could not be reached \(ECONNREFUSED\): check that it runs, listens on port [0-9]+ and that this runner may connect to it\); it ends by itself when its peer falls silent or it expires \(proceeding anyway\)$/
      )
    ])
  })
})
