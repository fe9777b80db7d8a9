// Failover over several gateways (the `gateway` input, one URL per line), against a stand-in for
// the HTTP layer: the order they are asked in, which outcomes move on and which stop, a fresh key
// pair and token for each, each one's share of the step's time, and the lines said. Last, with
// real sockets: a gateway whose certificate this runner refuses gets no byte of the request.
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'
import { fakeToolkit, kit } from '../__fixtures__/toolkit.js'
import { PEER } from '../../../fixtures.mjs'

jest.unstable_mockModule('../../../../src/action/toolkit.js', () => fakeToolkit)
const { readConfig } = await import('../../../../src/action/inputs/inputs.js')
const { Journal } = await import('../../../../src/action/journal/journal.js')
const { leaseTunnel } = await import('../../../../src/action/lease/lease.js')
const { httpRequest } = await import('../../../../src/action/lease/http.js')
const { attemptDeadline, BRING_UP_MS, MIN_ATTEMPT_MS } = await import('../../../../src/action/lease/failover.js')
const { noGatewayLeased, gatewayUnreachable } = await import('../../../../src/action/report/gateway.js')
type GatewaySource = import('../../../../src/action/inputs/inputs.js').GatewaySource
type Request = import('../../../../src/action/lease/lease.js').Request
type HttpAnswer = import('../../../../src/action/lease/http.js').HttpAnswer

const TOKEN_SERVICE = 'http://token.service.test/token?api-version=2.0'
const lease = (id = 'lease_01') => ({
  id,
  secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ',
  addresses: ['10.99.0.7/32'],
  peers: [{ publicKey: PEER, endpoint: 'vpn.example.com:51820', allowedIps: ['10.20.0.0/16'] }],
  expiresAt: '2026-11-26T14:00:00Z'
})

/** What a stand-in gateway does with a request: answer, fail as Node would, or hang until its deadline. */
type Behaviour =
  | { status: number; body?: unknown }
  | { error: string; message?: string }
  | { hang: true }
  | ((n: number) => { status: number; body?: unknown } | { error: string })

/** A request the stand-in saw: where, its deadline, its token, the public key in its body. */
interface Seen {
  host: string
  deadline: number
  token: string
  publicKey: string
}

/**
 * The HTTP layer, faked: the runner's token service hands out `token-N-<audience>` (a new one each
 * time), each gateway (by host name) behaves as `gateways` says.
 */
function fakeHttp(gateways: Record<string, Behaviour>, tokenStatus = 200) {
  const seen: Seen[] = []
  const audiences: string[] = []
  const asked = new Map<string, number>()
  const ask: Request = async (url, opts) => {
    if (url.href.startsWith('http://token.service.test/')) {
      const audience = url.searchParams.get('audience') ?? ''
      audiences.push(audience)
      if (tokenStatus !== 200) return { status: tokenStatus, text: 'no', json: {} }
      return { status: 200, text: '', json: { value: `token-${audiences.length}-${audience}` } }
    }
    const body = JSON.parse(opts.body ?? '{}') as { publicKey: string }
    seen.push({
      host: url.host,
      deadline: opts.deadline,
      token: (opts.headers?.authorization ?? '').replace(/^Bearer /, ''),
      publicKey: body.publicKey
    })
    const n = (asked.get(url.host) ?? 0) + 1
    asked.set(url.host, n)
    let b = gateways[url.host]
    if (b === undefined) throw new Error(`unexpected request to ${url.href}`)
    if (typeof b === 'function') b = b(n)
    if ('hang' in b) {
      await new Promise((r) => setTimeout(r, Math.max(0, opts.deadline - Date.now())))
      throw Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })
    }
    if ('error' in b) throw Object.assign(new Error(b.message ?? `connect ${b.error}`), { code: b.error })
    const answer: HttpAnswer = { status: b.status, text: JSON.stringify(b.body ?? {}), json: b.body ?? {} }
    return answer
  }
  return { ask, seen, audiences }
}

const sourceOf = (gateway: string, extra: Record<string, string> = {}): GatewaySource => {
  const inputs: Record<string, string> = { gateway, interface: 'wg0', ...extra }
  return readConfig((n) => inputs[n] ?? '').source as GatewaySource
}

const A = 'https://a.example.com:8443'
const B = 'https://b.example.com:8443'
const C = 'https://c.example.com'

/** Runs the lease flow over `urls` with the stand-in; resolves with what it gave or the line it failed with. */
async function run(urls: string[], gateways: Record<string, Behaviour>, ms = 20_000, extra = {}) {
  const http = fakeHttp(gateways)
  const journal = new Journal(() => undefined)
  const deadline = Date.now() + ms
  let given: Awaited<ReturnType<typeof leaseTunnel>> | undefined
  let error: string | undefined
  try {
    given = await leaseTunnel(sourceOf(urls.join('\n'), extra), journal, deadline, http.ask)
  } catch (err) {
    error = (err as Error).message
  }
  return { ...http, given, error, journal, deadline }
}

beforeEach(() => {
  kit.reset()
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = TOKEN_SERVICE
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
})

describe('the gateways are asked in the order given', () => {
  it('down, then 503 standby, then a lease: each with its own token and key; the lease names the third', async () => {
    const r = await run([A, B, C], {
      'a.example.com:8443': { error: 'ECONNREFUSED' },
      'b.example.com:8443': { status: 503, body: { error: 'this process is a standby', code: 'standby' } },
      'c.example.com': { status: 201, body: lease() }
    })
    expect(r.error).toBeUndefined()
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443', 'b.example.com:8443', 'c.example.com'])
    // A fresh token for each, for that gateway's origin (the default audience).
    expect(r.audiences).toEqual([A, B, C])
    expect(r.seen.map((s) => s.token)).toEqual([`token-1-${A}`, `token-2-${B}`, `token-3-${C}`])
    // A fresh key pair for each: a lease granted unseen (a timeout) never blocks the next.
    expect(new Set(r.seen.map((s) => s.publicKey)).size).toBe(3)
    expect(r.given?.tunnel.publicKey).toBe(r.seen[2]?.publicKey)
    // Tokens and every private key masked.
    for (const s of r.seen) expect(kit.secrets).toContain(s.token)
    expect(kit.secrets).toContain(r.given?.tunnel.privateKey)
    // The release goes to the gateway that leased.
    expect(r.journal.find('lease')).toMatchObject({ gateway: `${C}/`, id: 'lease_01' })
    expect(r.given?.gateway).toBe(C)
    expect(r.given?.rows).toEqual([
      ['Lease', `lease_01 from ${C}, until 2026-11-26T14:00:00Z`],
      ['Gateways passed over', `${A} (ECONNREFUSED); ${B} (503 standby)`]
    ])
    expect(kit.infos).toContain(`Leased 10.99.0.7 from ${C} (lease lease_01, until 2026-11-26T14:00:00Z)`)
    expect(kit.warnings).toEqual([
      expect.stringMatching(
        /^Gateway https:\/\/a\.example\.com:8443 could not be reached \(ECONNREFUSED\): .* \(trying the next gateway, https:\/\/b\.example\.com:8443\)$/
      ),
      `Gateway ${B} is a standby and is not taking leases (503 standby: this process is a standby); another process of that gateway is active (is it listed in gateway, and did it fail too?); the standby takes over within 10 s if the active one stops (trying the next gateway, ${C})`
    ])
  })

  it('the first that leases ends it: the later ones are never asked', async () => {
    const r = await run([A, B], { 'a.example.com:8443': { status: 201, body: lease() } })
    expect(r.error).toBeUndefined()
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443'])
    expect(r.given?.rows).toEqual([['Lease', `lease_01 from ${A}, until 2026-11-26T14:00:00Z`]])
    expect(kit.warnings).toEqual([])
  })

  it('the audience input is the audience of every token', async () => {
    const r = await run(
      [A, B],
      {
        'a.example.com:8443': { status: 503, body: { code: 'draining' } },
        'b.example.com:8443': { status: 201, body: lease() }
      },
      20_000,
      { audience: 'wireguard-tunnel' }
    )
    expect(r.audiences).toEqual(['wireguard-tunnel', 'wireguard-tunnel'])
    expect(r.seen.map((s) => s.token)).toEqual(['token-1-wireguard-tunnel', 'token-2-wireguard-tunnel'])
  })
})

describe('which answers move on', () => {
  it.each([
    [503, 'standby'],
    [503, 'draining'],
    [503, 'database_unreachable'],
    [503, 'pool_exhausted'],
    [503, 'store_unavailable'],
    [503, 'issuer_unreachable'],
    [503, undefined],
    [500, 'peer_add_failed'],
    [500, 'internal_error'],
    [502, undefined],
    [504, undefined]
  ])('%s %s: the next gateway is asked', async (status, code) => {
    const r = await run([A, B], {
      'a.example.com:8443': { status, body: code === undefined ? 'Bad Gateway' : { error: 'not now', code } },
      'b.example.com:8443': { status: 201, body: lease() }
    })
    expect(r.error).toBeUndefined()
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443', 'b.example.com:8443'])
    expect(r.given?.gateway).toBe(B)
  })

  it.each([
    [401, 'audience_mismatch'],
    [401, 'token_invalid'],
    [401, 'token_expired'],
    [403, 'no_rule_matches'],
    [403, 'quota_exceeded'],
    [400, 'invalid_public_key'],
    [404, 'not_found'],
    [409, 'token_replayed'],
    [429, 'rate_limited'],
    [429, 'too_many_refusals'],
    [403, undefined]
  ])('%s %s: stops there with its own line; the next is never asked', async (status, code) => {
    const r = await run([A, B, C], {
      'a.example.com:8443': { error: 'ECONNREFUSED' },
      'b.example.com:8443': { status, body: code === undefined ? {} : { error: 'no', code } }
    })
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443', 'b.example.com:8443'])
    expect(r.error).toMatch(new RegExp(`^Gateway https://b\\.example\\.com:8443 [^(]+\\((HTTP )?${status}[ ,:]`))
    expect(r.error).not.toMatch(/a\.example\.com|c\.example\.com|No gateway/)
    expect(r.journal.find('lease')).toBeUndefined()
  })

  it.each([
    ['ECONNREFUSED'],
    ['EHOSTUNREACH'],
    ['ENETUNREACH'],
    ['ENOTFOUND'],
    ['EAI_AGAIN'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['CERT_HAS_EXPIRED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID'],
    ['EPROTO'],
    ['ERR_PROXY_TUNNEL']
  ])('no answer (%s): the next gateway is asked', async (error) => {
    const r = await run([A, B], {
      'a.example.com:8443': { error },
      'b.example.com:8443': { status: 201, body: lease() }
    })
    expect(r.error).toBeUndefined()
    expect(r.given?.gateway).toBe(B)
    expect(kit.warnings).toEqual([
      expect.stringMatching(
        /^Gateway https:\/\/a\.example\.com:8443.*\(trying the next gateway, https:\/\/b\.example\.com:8443\)$/
      )
    ])
  })

  it('a connection cut before it was read is asked again at the same gateway, each time with a fresh token', async () => {
    const r = await run([A, B], {
      'a.example.com:8443': (n) => (n < 3 ? { error: 'ECONNRESET' } : { status: 201, body: lease() })
    })
    expect(r.error).toBeUndefined()
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443', 'a.example.com:8443', 'a.example.com:8443'])
    expect(new Set(r.seen.map((s) => s.token)).size).toBe(3)
    expect(r.given?.gateway).toBe(A)
  })

  it("a proxy variable Node cannot use is this step's own: it stops at the first gateway", async () => {
    const r = await run([A, B], { 'a.example.com:8443': { error: 'ERR_PROXY_INVALID_CONFIG' } })
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443'])
    expect(r.error).toMatch(/^Gateway https:\/\/a\.example\.com:8443 could not be asked: the proxy variable/)
  })

  it('a lease this action cannot use stops (and is recorded for release at that gateway)', async () => {
    const r = await run([A, B], { 'a.example.com:8443': { status: 201, body: { ...lease(), addresses: [] } } })
    expect(r.error).toBe(`Gateway ${A} answered with a lease this action cannot use: no address`)
    expect(r.seen).toHaveLength(1)
    expect(r.journal.find('lease')).toMatchObject({ gateway: `${A}/` })
  })
})

describe('the token service is the same for every gateway', () => {
  it('its refusal stops the job at once: no gateway is asked', async () => {
    const http = fakeHttp({}, 403)
    await expect(
      leaseTunnel(sourceOf(`${A}\n${B}`), new Journal(() => undefined), Date.now() + 5000, http.ask)
    ).rejects.toThrow(/^The runner's token service refused an OIDC token \(HTTP 403\)/)
    expect(http.seen).toEqual([])
    expect(http.audiences).toEqual([A])
  })
})

describe('when no gateway leases', () => {
  it('one line names each gateway and why, then the line of the one that tells most (an answer)', async () => {
    const r = await run([A, B, C], {
      'a.example.com:8443': { status: 503, body: { error: 'the gateway is draining', code: 'draining' } },
      'b.example.com:8443': { error: 'ENOTFOUND' },
      'c.example.com': { error: 'ECONNREFUSED' }
    })
    expect(r.error).toBe(
      `No gateway leased (${A}: 503 draining; ${B}: ENOTFOUND; ${C}: ECONNREFUSED): Gateway ${A} is not taking new leases (503 draining: the gateway is draining); it is draining (for maintenance): try again later`
    )
    expect(kit.warnings).toHaveLength(2)
  })

  it('with several listed, the advice never asks for what the job already does (list another gateway)', async () => {
    const r = await run([A, B], {
      'a.example.com:8443': { error: 'ECONNREFUSED' },
      'b.example.com:8443': { status: 503, body: { error: 'no database', code: 'database_unreachable' } }
    })
    expect(r.error).toBe(
      `No gateway leased (${A}: ECONNREFUSED; ${B}: 503 database_unreachable): Gateway ${B} cannot lease now (503 database_unreachable: no database); the gateway cannot reach its database, so nothing is wrong with this job: try again later`
    )
  })

  it('a single gateway fails with its own line, exactly as before there could be several', async () => {
    const r = await run([A], { 'a.example.com:8443': { error: 'ECONNREFUSED' } }, 5000)
    expect(r.error).toBe(
      `Gateway ${A} could not be reached (ECONNREFUSED): check that it runs, listens on port 8443 and that this runner may connect to it`
    )
    expect(kit.warnings).toEqual([])
    // Its request had the whole step's time.
    expect(r.seen[0]?.deadline).toBe(r.deadline)
  })
})

describe("each gateway's share of the step's time", () => {
  it('the last has the rest of the step; an earlier one a share that leaves time for the others and the bring-up', () => {
    const now = 1_000_000
    // One gateway (or the last): the step's deadline, as always.
    expect(attemptDeadline(now, now + 10_000, 0)).toBe(now + 10_000)
    // Two in 10 s: a quarter (2.5 s) kept for bring-up, the rest halved.
    expect(attemptDeadline(now, now + 10_000, 1)).toBe(now + 3750)
    // Three in 30 s: BRING_UP_MS kept, the rest in thirds.
    expect(attemptDeadline(now, now + 30_000, 2)).toBe(now + (30_000 - BRING_UP_MS) / 3)
    // Little time left: at least MIN_ATTEMPT_MS, never past the deadline.
    expect(attemptDeadline(now, now + 2000, 5)).toBe(now + MIN_ATTEMPT_MS)
    expect(attemptDeadline(now, now + 500, 3)).toBe(now + 500)
  })

  it('gateways that do not answer each get their share; none past the step deadline; one with no time left is not tried', async () => {
    const r = await run(
      [A, B, C],
      { 'a.example.com:8443': { hang: true }, 'b.example.com:8443': { hang: true }, 'c.example.com': { hang: true } },
      2500
    )
    expect(r.seen.map((s) => s.host)).toEqual(['a.example.com:8443', 'b.example.com:8443'])
    for (const s of r.seen) expect(s.deadline).toBeLessThanOrEqual(r.deadline)
    // The first could not take the whole step.
    expect(r.seen[0]?.deadline).toBeLessThan(r.deadline - MIN_ATTEMPT_MS)
    expect(r.error).toMatch(
      new RegExp(
        `^No gateway leased \\(${A}: no answer in time \\(ETIMEDOUT\\); ${B}: no answer in time \\(ETIMEDOUT\\); ${C}: not tried: the step's timeout was up\\): Gateway ${B.replace(/\./g, '\\.')} did not answer within [0-9.]+ s, its share of the step's timeout`
      )
    )
  })

  it('a later gateway that times out as the last one says the step timeout', async () => {
    const r = await run(
      [A, B],
      { 'a.example.com:8443': { error: 'ECONNREFUSED' }, 'b.example.com:8443': { hang: true } },
      1500
    )
    expect(r.seen[1]?.deadline).toBe(r.deadline)
    expect(r.error).toMatch(
      /^No gateway leased \(.*\): Gateway https:\/\/b\.example\.com:8443 did not answer within the step's timeout: check that it runs/
    )
  })
})

describe('the line naming every gateway', () => {
  const url = (s: string) => new URL(s)
  const unreachable = (u: string, code: string) => {
    const err = { code, message: code }
    return {
      gateway: url(u),
      kind: 'unreachable' as const,
      err,
      line: gatewayUnreachable(url(u), err, { systemCa: false, now: new Date() })
    }
  }
  it('tells a certificate fault over silence, the last of equals, and names a gateway with a path by its whole URL', () => {
    const line = noGatewayLeased([
      unreachable(`${A}/`, 'CERT_HAS_EXPIRED'),
      unreachable('https://b.example.com/fleet/', 'ECONNREFUSED'),
      { gateway: url('https://c.example.com/'), kind: 'skipped' }
    ])
    expect(line).toMatch(
      /^No gateway leased \(https:\/\/a\.example\.com:8443: CERT_HAS_EXPIRED; https:\/\/b\.example\.com\/fleet: ECONNREFUSED; https:\/\/c\.example\.com: not tried: the step's timeout was up\): Gateway https:\/\/a\.example\.com:8443: its certificate has expired/
    )
    expect(noGatewayLeased([unreachable(`${A}/`, 'ECONNREFUSED'), unreachable(`${B}/`, 'ETIMEDOUT')])).toMatch(
      /: Gateway https:\/\/b\.example\.com:8443 did not answer/
    )
  })
})

describe('a gateway whose certificate this runner refuses (real sockets)', () => {
  let dir = ''
  const servers: (Server | TlsServer)[] = []
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wgt-failover-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost'
      ],
      { cwd: dir, stdio: 'ignore' }
    )
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
    rmSync(dir, { recursive: true, force: true })
  })
  const listen = (s: Server | TlsServer): Promise<number> =>
    new Promise((resolve) => {
      servers.push(s)
      s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port))
    })

  it.each([['TLSv1.2'], ['TLSv1.3']] as const)(
    'over %s it reads no byte of the request (no token), and the next gateway leases',
    async (version) => {
      let read = 0
      const tls = createTlsServer(
        {
          key: readFileSync(join(dir, 'key.pem')),
          cert: readFileSync(join(dir, 'cert.pem')),
          minVersion: version,
          maxVersion: version
        },
        (socket) => {
          socket.on('data', (d: Buffer) => (read += d.length))
          socket.on('error', () => undefined)
        }
      )
      const untrusted = await listen(tls)
      const good = await listen(
        createServer((_req, res) =>
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(lease()))
        )
      )
      const tokens = fakeHttp({})
      // The token service stands in; the gateways are asked over real sockets.
      const ask: Request = (u, opts) => (u.host === 'token.service.test' ? tokens.ask(u, opts) : httpRequest(u, opts))
      const journal = new Journal(() => undefined)
      const given = await leaseTunnel(
        sourceOf(`https://localhost:${untrusted}\nhttp://127.0.0.1:${good}`),
        journal,
        Date.now() + 10_000,
        ask
      )
      expect(given.gateway).toBe(`http://127.0.0.1:${good}`)
      expect(kit.warnings).toEqual([
        expect.stringMatching(/presented a certificate this runner does not trust \(DEPTH_ZERO_SELF_SIGNED_CERT/)
      ])
      // Its connection closed (polled, bounded): anything the client wrote has been read by now.
      const open = () => new Promise<number>((r) => tls.getConnections((_e, n) => r(n)))
      for (let i = 0; i < 200 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 10))
      expect(await open()).toBe(0)
      expect(read).toBe(0)
    }
  )
})
