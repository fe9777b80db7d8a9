// The HTTP layer on loopback: connections per client address are capped (a flood from one address
// does not starve another), slow requests are cut, and a malformed Authorization header is named as
// such without being echoed. Leases are a stand-in: only the server is under test here.
import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createServer as createHttp, type Server } from 'node:http'
import type { Audit } from '../../../../src/gateway/audit.js'
import { parseConfig } from '../../../../src/gateway/settings.js'
import { HttpError } from '../../../../src/gateway/http/error.js'
import type { Leases } from '../../../../src/gateway/leases/leases.js'
import { GATEWAY_CODES, type GatewayCode } from '../../../../src/common/codes.js'
import { clientGroup, createHandler, createServer, LIMITS } from '../../../../src/gateway/http/server.js'
import { Gate } from '../../../../src/gateway/limits/gate.js'
import { Refusals } from '../../../../src/gateway/limits/refusals.js'

const CONFIG = `listen: 127.0.0.1:8080
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.0.0.0/29]
audience: https://vpn.example.com
connections-per-address: 4
`

let server: Server | undefined
const sockets: Socket[] = []
let audit: { event: string; [k: string]: unknown }[] = []
let granted: string[] = []

let health: { ok: boolean; pending: number; reason?: string; code?: string } = { ok: true, pending: 0 }
const leases = {
  liveCount: () => 0,
  storeHealth: () => health,
  grant: async (token: string) => {
    if (token === 'pool') throw new HttpError('pool_exhausted', 'the address pool is exhausted; retry when leases end')
    if (token === 'boom') throw new Error('a fault')
    granted.push(token)
    return { id: 'x' }
  },
  // True: the end of the lease is written to the store too (204).
  release: async () => true
} as unknown as Leases

async function serve(limits = LIMITS, gate?: Gate): Promise<number> {
  const config = parseConfig(CONFIG)
  audit = []
  granted = []
  const log: Audit = (event, f) => audit.push({ event, ...f })
  server = createServer(config, createHandler(leases, config, log, gate), log, limits)
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

/** A raw connection from `from` (a loopback address); resolves once connected. */
function open(port: number, from: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s))
    sockets.push(s)
    s.on('error', () => undefined)
    s.once('error', reject)
  })
}

/** Resolves when the server has closed `s` (read on: a paused socket never sees the end). */
const closed = (s: Socket): Promise<void> =>
  new Promise((r) => {
    if (s.destroyed) return r()
    s.once('close', () => r())
    s.resume()
  })

/** One whole HTTP/1.1 request on a new connection from `from`; resolves with the status and body. */
async function request(port: number, from: string, head: string): Promise<{ status: number; body: string }> {
  const s = await open(port, from)
  let text = ''
  s.setEncoding('utf8').on('data', (d: string) => (text += d))
  s.write(head)
  await closed(s)
  const m = /^HTTP\/1\.1 (\d+)/.exec(text)
  return { status: m ? Number(m[1]) : 0, body: text.slice(text.indexOf('\r\n\r\n') + 4) }
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

describe('gateway server', () => {
  it('cuts connections beyond the cap from one address while another address is served', async () => {
    const port = await serve()
    // Four partial requests held open from 127.0.0.2 (as a slowloris client would).
    const held = await Promise.all([1, 2, 3, 4].map(() => open(port, '127.0.0.2')))
    for (const s of held) s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n')
    // The fifth and sixth from that address are closed at once, without an answer.
    const over = await Promise.all([5, 6].map(() => open(port, '127.0.0.2')))
    await Promise.all(over.map(closed))
    for (const s of held) expect(s.destroyed).toBe(false)
    // Another address is served meanwhile.
    const other = await request(port, '127.0.0.3', 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(other.status).toBe(200)
    // One line says so, aggregated: not one per connection.
    expect(audit.filter((a) => a.event === 'connection.refused')).toEqual([
      expect.objectContaining({ client: '127.0.0.2', count: 1 })
    ])
    // Closing one frees its place: the address is served again.
    held[0]!.destroy()
    await closed(held[0]!)
    const end = Date.now() + 5000
    let again = { status: 0, body: '' }
    while (again.status !== 200 && Date.now() < end)
      again = await request(port, '127.0.0.2', 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(again.status).toBe(200)
  })

  it('cuts a request whose headers never end, at the checking interval', async () => {
    const port = await serve({ ...LIMITS, headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 100 })
    const s = await open(port, '127.0.0.2')
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n')
    // Node answers 408 and closes; with its default 30 s checking interval this would hang.
    await closed(s)
    expect(s.destroyed).toBe(true)
  })

  it('makes its server with the limits it is given, and the global caps', async () => {
    await serve({ ...LIMITS, headersTimeout: 1234, requestTimeout: 2345, keepAliveTimeout: 345 })
    expect(server!.headersTimeout).toBe(1234)
    expect(server!.requestTimeout).toBe(2345)
    expect(server!.keepAliveTimeout).toBe(345)
    expect(server!.maxConnections).toBe(2048)
    expect(server!.maxHeadersCount).toBe(50)
  })

  it("cuts slow requests sooner than Node's own defaults would", () => {
    const plain = createHttp()
    expect(LIMITS.headersTimeout).toBeLessThan(plain.headersTimeout)
    expect(LIMITS.requestTimeout).toBeLessThan(plain.requestTimeout)
    expect(LIMITS.headersTimeout).toBeLessThanOrEqual(LIMITS.requestTimeout)
    // Node checks those limits only this often (30 s by default): a request may live that much longer.
    expect(LIMITS.connectionsCheckingInterval).toBeLessThan(LIMITS.headersTimeout)
  })

  it('groups IPv4 clients by address and IPv6 clients by /64', () => {
    expect(clientGroup('198.51.100.2')).toBe('198.51.100.2')
    expect(clientGroup('::ffff:198.51.100.2')).toBe('198.51.100.2')
    expect(clientGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(clientGroup('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64')
    expect(clientGroup(undefined)).toBe('')
  })

  it('says "malformed Authorization header" for a bearer token over 8192 characters, never echoing it', async () => {
    const port = await serve()
    const long = `eyJ${'A'.repeat(9000)}.eyJ${'B'.repeat(100)}.sig`
    const body = '{"publicKey":"x"}'
    const post = (auth: string): string =>
      `POST /v1/leases HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    const tooLong = await request(port, '127.0.0.2', post(`Bearer ${long}`))
    expect(tooLong.status).toBe(401)
    expect(JSON.parse(tooLong.body)).toEqual({
      error: 'malformed Authorization header: expected "Bearer <OIDC token>" with a token of at most 8192 characters',
      code: 'authorization_malformed'
    })
    const basic = await request(port, '127.0.0.2', post('Basic dXNlcjpwYXNz'))
    expect(basic.status).toBe(401)
    expect(JSON.parse(basic.body).error).toMatch(/^malformed Authorization header/)
    const missing = await request(
      port,
      '127.0.0.2',
      `POST /v1/leases HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    )
    expect(JSON.parse(missing.body)).toEqual({
      error: 'missing "Authorization: Bearer <OIDC token>"',
      code: 'authorization_missing'
    })
    const del = await request(
      port,
      '127.0.0.2',
      `DELETE /v1/leases/abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${long}\r\n\r\n`
    )
    expect(del.status).toBe(401)
    expect(JSON.parse(del.body).error).toMatch(/^malformed Authorization header/)
    expect(granted).toEqual([])
    const text = JSON.stringify(audit)
    expect(text).not.toContain('AAAAAAAA')
    expect(text).not.toContain('dXNlcjpwYXNz')
    expect(audit.filter((a) => a.event === 'lease.refused').map((a) => a.status)).toEqual([401, 401, 401])
  })

  it('says on /healthz (503) when the store cannot be written or the database cannot be reached', async () => {
    const port = await serve()
    const get = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
    try {
      health = { ok: false, pending: 2, reason: 'PostgreSQL cannot be reached (ENOENT)', code: 'database_unreachable' }
      const down = await request(port, '127.0.0.2', get)
      expect(down.status).toBe(503)
      expect(JSON.parse(down.body)).toMatchObject({
        status: 'database-unreachable',
        code: 'database_unreachable',
        store: 'PostgreSQL cannot be reached (ENOENT); 2 write(s) wait'
      })
      health = { ok: false, pending: 0, reason: 'SQLITE_BUSY' }
      expect(JSON.parse((await request(port, '127.0.0.2', get)).body)).toMatchObject({
        status: 'store-unavailable',
        code: 'store_unavailable'
      })
    } finally {
      health = { ok: true, pending: 0 }
    }
  })

  it('refuses new leases while draining (and says so on /healthz), releases go on; a client over its refusals gets 429 unread for new leases, never for a release', async () => {
    const refusals = new Refusals(2, (event, f) => audit.push({ event, ...f }), clientGroup)
    const gate = new Gate(refusals, 2)
    const port = await serve(LIMITS, gate)
    const health = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
    const body = JSON.stringify({ publicKey: randomBytes(32).toString('base64') })
    const lease = `POST /v1/leases HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer t\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    gate.draining = true
    expect(await request(port, '127.0.0.2', health)).toMatchObject({
      status: 503,
      body: expect.stringContaining('"status":"draining"')
    })
    const drained = await request(port, '127.0.0.2', lease)
    expect(drained.status).toBe(503)
    expect(JSON.parse(drained.body)).toEqual({
      error: expect.stringMatching(/^the gateway is draining/),
      code: 'draining'
    })
    expect(granted).toEqual([])
    gate.draining = false
    expect((await request(port, '127.0.0.2', health)).status).toBe(200)
    // Two refusals (the 503 above is the gateway's and is not charged), then 429 before anything is read.
    refusals.audit('lease.refused', { status: 401, client: '127.0.0.3' })
    refusals.audit('lease.refused', { status: 401, client: '127.0.0.3' })
    const cut = await request(port, '127.0.0.3', lease)
    expect(cut.status).toBe(429)
    expect(JSON.parse(cut.body)).toEqual({
      error: expect.stringMatching(
        /^too many refused requests from this address \(more than 2 a minute, refusals-per-address\); retry in \d+ s$/
      ),
      code: 'too_many_refusals'
    })
    const release = 'DELETE /v1/leases/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer s\r\n\r\n'
    // A release is never held back by the client's refusals: it takes access away.
    expect((await request(port, '127.0.0.3', release)).status).toBe(204)
    expect(granted).toEqual([])
    expect((await request(port, '127.0.0.2', lease)).status).toBe(201)
  })

  it('answers every error with its code and the status GATEWAY_CODES gives it, also in the audit line', async () => {
    const port = await serve()
    const key = Buffer.alloc(32, 7).toString('base64')
    const req = (head: string, body = ''): string =>
      `${head}\r\nHost: x\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    const post = (token: string, body: string): string =>
      req(`POST /v1/leases HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json`, body)
    const cases: [string, string][] = [
      ['not_found', req('GET /v2 HTTP/1.1')],
      ['method_not_allowed', req('PUT /v1/leases HTTP/1.1')],
      ['method_not_allowed', req('POST /healthz HTTP/1.1')],
      ['invalid_body', post('t1', '{"publicKey": ')],
      ['invalid_public_key', post('t1', '{"publicKey": "x"}')],
      ['body_too_large', post('t1', JSON.stringify({ publicKey: key, pad: 'x'.repeat(5000) }))],
      ['authorization_missing', req('DELETE /v1/leases/abc HTTP/1.1')],
      ['pool_exhausted', post('pool', JSON.stringify({ publicKey: key }))],
      ['internal_error', post('boom', JSON.stringify({ publicKey: key }))]
    ]
    for (const [code, text] of cases) {
      const r = await request(port, '127.0.0.2', text)
      expect([r.status, JSON.parse(r.body)]).toEqual([
        GATEWAY_CODES[code as GatewayCode],
        { error: expect.any(String), code }
      ])
    }
    const refused = audit.filter((a) => a.event === 'lease.refused')
    for (const a of refused) expect(a.status).toBe(GATEWAY_CODES[a.code as GatewayCode])
    expect(refused.map((a) => a.code)).toEqual(['invalid_body', 'invalid_public_key', 'body_too_large'])
  })
})
