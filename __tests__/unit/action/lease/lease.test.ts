// The runner's side of gateway mode, without a network: the key pair held to tweetnacl (the
// reference X25519), and the gateway's answer judged field by field (it becomes commands and log
// lines, so a hostile or broken gateway must not get anything through).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import nacl from 'tweetnacl'
import { readConfig, type GatewaySource } from '../../../../src/action/inputs/inputs.js'
import { Journal } from '../../../../src/action/journal/journal.js'
import { ephemeralKeyPair, leaseTunnel, tunnelFromLease } from '../../../../src/action/lease/lease.js'
import { plain } from '../../../../src/action/report/gateway.js'
import { publicKeyOf } from '../../../../src/action/inputs/values.js'
import { PEER } from '../../../fixtures.mjs'

const source = readConfig((n) => ({ gateway: 'https://vpn.example.com:8443', interface: 'wg0' })[n] ?? '')
  .source as GatewaySource
const keys = ephemeralKeyPair()
const good = {
  id: 'lease_01',
  secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ',
  addresses: ['10.99.0.7/32', 'fd99::7/128'],
  peers: [
    { publicKey: PEER, endpoint: 'vpn.example.com:51820', allowedIps: ['10.20.0.0/16'], persistentKeepalive: 25 }
  ],
  dns: ['10.20.0.53', 'corp.example'],
  expiresAt: '2026-11-26T14:00:00Z'
}

describe('the key made for the job', () => {
  it('is an X25519 pair as wg genkey / wg pubkey make it, fresh each time', () => {
    for (let i = 0; i < 50; i++) {
      const k = ephemeralKeyPair()
      const priv = Buffer.from(k.privateKey, 'base64')
      expect(priv).toHaveLength(32)
      expect(Buffer.from(nacl.scalarMult.base(new Uint8Array(priv))).toString('base64')).toBe(k.publicKey)
      expect(publicKeyOf(k.privateKey)).toBe(k.publicKey)
    }
    expect(ephemeralKeyPair().privateKey).not.toBe(ephemeralKeyPair().privateKey)
  })
})

describe("the gateway's answer", () => {
  it('becomes the tunnel: addresses, peers, DNS split into servers and search domains', () => {
    const lease = tunnelFromLease(good, keys, source)
    expect(lease.id).toBe('lease_01')
    expect(lease.expiresAt).toBe('2026-11-26T14:00:00Z')
    expect(lease.tunnel.privateKey).toBe(keys.privateKey)
    expect(lease.tunnel.addresses.map((a) => `${a.address}/${a.bits}`)).toEqual(['10.99.0.7/32', 'fd99::7/128'])
    expect(lease.tunnel.peers[0]).toMatchObject({
      publicKey: PEER,
      endpoint: { host: 'vpn.example.com', port: 51820, source: { input: 'gateway' } },
      keepalive: 25
    })
    expect(lease.tunnel.dns).toEqual(['10.20.0.53'])
    expect(lease.tunnel.dnsSearch).toEqual(['corp.example'])
  })
  it("keeps the gateway's keepalive, or a shorter one from the input, never a longer one", () => {
    const withInput = (k: string): GatewaySource =>
      readConfig((n) => ({ gateway: 'https://vpn.example.com:8443', 'persistent-keepalive': k })[n] ?? '')
        .source as GatewaySource
    const keepalive = (s: GatewaySource, answer = good): number | undefined =>
      tunnelFromLease(answer, keys, s).tunnel.peers[0]?.keepalive
    expect(keepalive(source)).toBe(25)
    expect(keepalive(withInput('10'))).toBe(10)
    expect(keepalive(withInput('300'))).toBe(25)
    expect(keepalive(source, { ...good, peers: [{ ...good.peers[0]!, persistentKeepalive: 5 }] })).toBe(5)
  })
  it.each([
    ['no addresses', { addresses: [] }, /no address/],
    ['an address that is not one', { addresses: ['10.99.0.7/33'] }, /addresses\[0\] is not an address/],
    ['a peer key that is not a key', { peers: [{ ...good.peers[0], publicKey: 'x' }] }, /peers\[0\]\.publicKey/],
    ['an endpoint with a command in it', { peers: [{ ...good.peers[0], endpoint: 'a;reboot:1' }] }, /endpoint/],
    ['no peers', { peers: [] }, /no peer/],
    ['an id with a newline', { id: 'a\n::warning::x' }, /id or secret/],
    ['not an object', 'hello', /not a JSON object/]
  ])('%s is refused in one line naming the field', (_what, change, pattern) => {
    const answer = typeof change === 'string' ? change : { ...good, ...change }
    expect(() => tunnelFromLease(answer, keys, source)).toThrow(pattern)
  })
  it('an expiry that is not a time (a workflow command, Markdown) is not taken', () => {
    const lease = tunnelFromLease(
      { ...good, expiresAt: '2030-01-01T00:00:00Z\n::add-mask::Removed\n# heading' },
      keys,
      source
    )
    expect(lease.expiresAt).toBe('unknown')
  })
  it("the gateway's words are printed as one plain line, never as a workflow command", () => {
    expect(plain('::stop-commands::x\nmore\r\n::error::y', 100)).toBe('stop-commands::x more ::error::y')
    expect(plain('a'.repeat(500), 300)).toHaveLength(300)
  })
})

describe('asking for the lease', () => {
  // Stand-ins on loopback (plain HTTP is allowed there): the runner's token service, and a gateway
  // that cuts the first connections before reading them, as its per-address cap does to many
  // runners behind one NAT address.
  const servers: Server[] = []
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))
  const listen = (s: Server): Promise<string> =>
    new Promise((resolve) => {
      servers.push(s)
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`))
    })

  it('a connection the gateway cuts is tried again with a fresh token, within the deadline', async () => {
    let tokensGiven = 0
    const tokenService = await listen(
      createServer((_req, res) => res.end(JSON.stringify({ value: `token-${++tokensGiven}-abcdefgh` })))
    )
    let cut = 0
    const seen: string[] = []
    const gw = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '')
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(good))
    })
    gw.on('connection', (socket) => {
      if (cut < 3) {
        cut++
        socket.destroy()
      }
    })
    const gateway = await listen(gw)
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${tokenService}/token?api-version=2.0`
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
    const src = readConfig((n) => ({ gateway, interface: 'wg0' })[n] ?? '').source as GatewaySource
    const journal = new Journal(() => undefined)
    const given = await leaseTunnel(src, journal, Date.now() + 20_000)
    expect(cut).toBe(3)
    expect(tokensGiven).toBe(4)
    expect(seen).toEqual(['Bearer token-4-abcdefgh'])
    expect(given.tunnel.addresses).toHaveLength(2)
    expect(journal.find('lease')).toMatchObject({ id: 'lease_01' })
  })
})
