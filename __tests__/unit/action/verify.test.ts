// Proving the tunnel works, against stand-ins on loopback (TCP and HTTP) and the fake host (ping,
// and a clock that only the waits between tries move: a deadline passes without being waited for).
import { jest } from '@jest/globals'
import { createServer as httpServer } from 'node:http'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { fakeProbe, fakeRun, host } from './__fixtures__/host.js'
import { fakeToolkit } from './__fixtures__/toolkit.js'

jest.unstable_mockModule('../../../src/action/host/run.js', () => fakeRun)
jest.unstable_mockModule('../../../src/action/host/probe.js', () => fakeProbe)
jest.unstable_mockModule('../../../src/action/toolkit.js', () => fakeToolkit)
const { checkLabel, runCheck, waitForHandshakes } = await import('../../../src/action/verify.js')

const servers: Server[] = []
/** A server on a free loopback port; its port. */
const listen = (s: Server): Promise<number> =>
  new Promise((resolve) => {
    servers.push(s)
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port))
  })
/** A loopback port nothing listens on (a server's, closed again). */
async function closedPort(): Promise<number> {
  const s = createServer()
  const port = await listen(s)
  servers.pop()
  await new Promise((r) => s.close(r))
  return port
}

beforeEach(() => host.reset())
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await host.close()
})

describe('handshakes', () => {
  const peers = [
    { publicKey: 'A', endpoint: { host: '198.51.100.1', port: 51820, source: { input: 'endpoint' as const } } },
    { publicKey: 'B' }
  ]

  it('waits for every peer with an endpoint, reading again until it has one', async () => {
    const answers = [new Map(), new Map([['A', 0]]), new Map([['A', 1_767_225_601]])]
    let reads = 0
    const missing = await waitForHandshakes(peers, async () => answers[reads++] ?? new Map(), host.now + 5000)
    expect(missing).toEqual([])
    expect(reads).toBe(3)
  })

  it('gives the keys still missing at the deadline', async () => {
    const missing = await waitForHandshakes(peers, async () => new Map(), host.now + 5000)
    expect(missing).toEqual(['A'])
    expect(host.now).toBeGreaterThanOrEqual(1_767_225_605_000)
  })

  it('awaits nothing when no peer has an endpoint', async () => {
    const read = jest.fn(async () => new Map<string, number>())
    expect(await waitForHandshakes([{ publicKey: 'B' }], read, host.now)).toEqual([])
    expect(read).not.toHaveBeenCalled()
  })
})

describe('checks', () => {
  it.each([
    [{ kind: 'icmp' as const, host: '10.9.0.1', text: '' }, 'ping 10.9.0.1'],
    [{ kind: 'tcp' as const, host: 'fd09::1', port: 22, text: '' }, 'TCP [fd09::1]:22'],
    [{ kind: 'http' as const, url: 'https://db.internal/', text: '' }, 'HTTPS https://db.internal/'],
    [{ kind: 'http' as const, url: 'http://db.internal/', text: '' }, 'HTTP http://db.internal/']
  ])('%o is shown as %s', (check, label) => {
    expect(checkLabel(check)).toBe(label)
  })

  it('TCP: a connection accepted is an answer', async () => {
    const port = await listen(createServer((s) => s.end()))
    const r = await runCheck({ kind: 'tcp', host: '127.0.0.1', port, text: '' }, host.now + 5000)
    expect(r).toMatchObject({ ok: true })
  })

  it('TCP: refused until the deadline, with the last reason', async () => {
    const port = await closedPort()
    const r = await runCheck({ kind: 'tcp', host: '127.0.0.1', port, text: '' }, host.now + 1000)
    expect(r).toMatchObject({ ok: false, reason: 'ECONNREFUSED' })
  })

  it('HTTP: any HTTP answer proves the path, whatever its status', async () => {
    const requests: string[] = []
    const port = await listen(
      httpServer((req, res) => {
        requests.push(`${req.method} ${req.url}`)
        res.writeHead(503).end()
      })
    )
    const r = await runCheck({ kind: 'http', url: `http://127.0.0.1:${port}/health?x=1`, text: '' }, host.now + 5000)
    expect(r).toMatchObject({ ok: true })
    expect(requests).toEqual(['HEAD /health?x=1'])
  })

  it.each([
    [
      'answers something else',
      (s: import('node:net').Socket) => s.end('SSH-2.0-OpenSSH\r\n'),
      'the answer was not HTTP'
    ],
    ['closes without a word', (s: import('node:net').Socket) => s.end(), 'the connection closed without an HTTP answer']
  ])('HTTP: a server that %s is no answer', async (_what, serve, reason) => {
    const port = await listen(createServer((s) => s.once('data', () => serve(s))))
    const r = await runCheck({ kind: 'http', url: `http://127.0.0.1:${port}/`, text: '' }, host.now + 300)
    expect(r).toMatchObject({ ok: false, reason })
  })

  it('ping: tried again until it answers', async () => {
    host.failOn((s) => s.text.startsWith('ping '), {
      stderr: 'PING 10.9.0.1\n1 packets transmitted, 0 received',
      times: 2
    })
    const r = await runCheck({ kind: 'icmp', host: '10.9.0.1', text: '' }, host.now + 10_000)
    expect(r).toMatchObject({ ok: true })
    expect(host.log()).toEqual(Array(3).fill('ping -n -c 1 -W 2 10.9.0.1'))
  })

  it('a deadline already past: not tried at all', async () => {
    const r = await runCheck({ kind: 'icmp', host: '10.9.0.1', text: '' }, host.now)
    expect(r).toMatchObject({ ok: false, reason: 'not tried' })
    expect(host.commands).toEqual([])
  })
})
