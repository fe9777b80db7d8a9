// @ts-check
// The bundled gateway (dist/gateway, Node 24) in the lab's server namespace, against the real
// wireguard-go interface there, a local OIDC issuer and TLS from a lab CA. Every request comes from
// the runner namespace. The interface starts with a peer the gateway did not add (the lab's static
// runner peer): it must stay exactly as it is through everything.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import * as G from '../../lab/gateway.mjs'
import { storeForTests } from '../../lab/postgres.mjs'
import { L } from './helpers.mjs'

/** @import { Lab } from '../../lab/lab.mjs' */
/** @import { Gateway, Issuer, LabCA, LabRequest, LabResponse } from '../../lab/gateway.mjs' */

/** @type {Lab} */
let lab
/** @type {LabCA} */
let ca
/** @type {Issuer} */
let issuer
/** @type {Gateway[]} */
const started = []
/** SQLite, or PostgreSQL with WGT_GATEWAY_STORE=postgres (gateway.postgres.test.mjs). */
/** @type {Awaited<ReturnType<typeof storeForTests>>} */
let store
const BASE = `https://${L.SERVER_IP}:${G.GATEWAY_PORT}`
/** @type {Record<string, string>} */
let env
const FOREIGN_IPS = `${L.RUNNER_ADDR}/32,${L.RUNNER_ADDR6}/128`

const newKey = () => L.pubKey(L.genKey())
const peers = () => G.peersOf(lab.srv, lab.serverIface)
const wgSet = (/** @type {string[]} */ ...args) =>
  execFileSync('ip', ['netns', 'exec', lab.srv, 'wg', 'set', lab.serverIface, ...args])

async function start(
  /** @type {Record<string, unknown>} */ extra = {},
  /** @type {{ stateDir?: string }} */ opts = {}
) {
  const config = G.gatewayConfig(lab, issuer, ca, { ...store.state(opts.stateDir), ...extra })
  const gw = await G.startGateway(lab.srv, config, opts)
  store.bind(gw.dir, /** @type {Record<string, unknown>} */ (config).state)
  started.push(gw)
  return gw
}

/** @type {<R extends LabRequest[]>(...requests: R) => Promise<{ [K in keyof R]: LabResponse }>} */
const send = async (...requests) => G.requestFrom(lab.run, /** @type {[...typeof requests]} */ (requests), env)

async function lease(/** @type {string} */ token, key = newKey()) {
  const [r] = await send(G.leaseRequest(BASE, token, key))
  return { ...r, key }
}

const release = (/** @type {string} */ id, /** @type {string} */ secret) => G.releaseRequest(BASE, id, secret)
/** Polls (every 50 ms, bounded: 15 s by default) until `cond()` (or the promise it returns) holds. */
const until = (/** @type {() => unknown} */ cond, /** @type {string} */ what, ms = 15000) =>
  L.waitFor(cond, what, ms, 50)

beforeAll(async () => {
  lab = L.createLab()
  ca = G.createLabCA()
  env = { NODE_EXTRA_CA_CERTS: ca.caFile }
  await lab.ready
  issuer = await G.startIssuer(lab.srv)
  store = await storeForTests()
})

afterEach(async () => {
  // The peer the gateway did not add is never touched.
  expect(peers()[lab.runnerPub]).toBe(FOREIGN_IPS)
  for (const gw of started.splice(0)) {
    await gw.stop()
    gw.remove()
    // No token or lease secret in the audit; every line is JSON.
    expect(gw.audit.filter((l) => l.event === 'not-json')).toEqual([])
  }
  // Each test starts a gateway on a fresh store: peers an earlier one leased and left would be
  // foreign to it. The lab is this file's own, so clear them (the lab's static peer aside).
  for (const key of Object.keys(peers())) if (key !== lab.runnerPub) wgSet('peer', key, 'remove')
})

afterAll(async () => {
  for (const gw of started.splice(0)) await gw.stop()
  await issuer?.stop()
  if (lab) L.destroyLab(lab)
  if (ca) rmSync(ca.dir, { recursive: true, force: true })
  store?.close()
})

/** The code each refusal of "refuses each bad request" answers with. */
const CODES = {
  'wrong aud': 'audience_mismatch',
  'wrong iss': 'issuer_mismatch',
  expired: 'token_expired',
  'not yet valid': 'token_not_yet_valid',
  'issued in the future': 'token_not_yet_valid',
  'bad signature': 'token_invalid',
  'alg none': 'token_invalid',
  'HS256 keyed with the public key': 'token_invalid',
  'unknown kid': 'token_key_unknown',
  'replayed token': 'token_replayed',
  'no rule matching': 'no_rule_matches',
  'a rule on a name whose id differs': 'no_rule_matches',
  'no token': 'authorization_missing',
  'malformed JSON': 'invalid_body',
  'oversized body': 'body_too_large',
  'bad public key': 'invalid_public_key',
  'all-zero public key': 'invalid_public_key',
  'a key already leased': 'public_key_leased',
  'the key of a peer the gateway did not add': 'public_key_taken',
  "the interface's own key": 'public_key_taken'
}

describe('gateway', () => {
  it('leases an address with exactly that allowed IP, and DELETE with the lease secret removes it', async () => {
    const gw = await start()
    const a = await lease(await issuer.mint())
    expect(a.status).toBe(201)
    expect(a.body).toEqual({
      id: expect.any(String),
      secret: expect.any(String),
      addresses: ['192.0.2.3/32', '2001:db8:1::3/128'],
      peers: [
        {
          publicKey: lab.serverPub,
          endpoint: `${L.SERVER_IP}:${L.PORT}`,
          allowedIps: ['192.0.2.0/24', '203.0.113.0/24'],
          persistentKeepalive: 25
        }
      ],
      dns: [],
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
    })
    // Live before the answer: read right after it.
    expect(peers()).toEqual({ [lab.runnerPub]: FOREIGN_IPS, [a.key]: '192.0.2.3/32,2001:db8:1::3/128' })
    const b = await lease(await issuer.mint())
    expect(b.body.addresses).toEqual(['192.0.2.4/32', '2001:db8:1::4/128'])

    const [health] = await send({ url: `${BASE}/healthz` })
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', interface: lab.serverIface, leases: 2 } })

    // One lease's secret cannot end another; an unknown id is 404.
    const [wrong, unknown, none] = await send(
      release(a.body.id, b.body.secret),
      release('00000000-0000-0000-0000-000000000000', a.body.secret),
      { method: 'DELETE', url: `${BASE}/v1/leases/${a.body.id}` }
    )
    expect([wrong.status, unknown.status, none.status]).toEqual([403, 404, 401])
    expect(Object.keys(peers())).toHaveLength(3)

    const [ok] = await send(release(a.body.id, a.body.secret))
    expect(ok.status).toBe(204)
    expect(peers()).toEqual({ [lab.runnerPub]: FOREIGN_IPS, [b.key]: '192.0.2.4/32,2001:db8:1::4/128' })
    const [again] = await send(release(a.body.id, a.body.secret))
    expect(again.status).toBe(404)

    const granted = gw.audit.find((l) => l.event === 'lease.granted')
    expect(granted).toMatchObject({
      repository: 'octo/app',
      repositoryId: '5678',
      runId: '4242',
      workflowRef: 'octo/app/.github/workflows/ci.yml@refs/heads/main',
      lease: a.body.id,
      addresses: a.body.addresses,
      client: '198.51.100.2'
    })
    expect(gw.audit.find((l) => l.event === 'lease.ended')).toMatchObject({ reason: 'released', lease: a.body.id })
    for (const secret of [a.body.secret, b.body.secret]) expect(gw.stdout + gw.stderrText).not.toContain(secret)
  })

  it('refuses each bad request with the interface unchanged', async () => {
    const gw = await start()
    const leased = await lease(await issuer.mint())
    expect(leased.status).toBe(201)
    const used = await issuer.mint()
    expect((await lease(used)).status).toBe(201)
    const now = Math.floor(Date.now() / 1000)
    const post = (/** @type {string | undefined} */ token, /** @type {string} */ body) => ({
      method: 'POST',
      url: `${BASE}/v1/leases`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body
    })
    const good = await issuer.mint()
    const key = JSON.stringify({ publicKey: newKey() })
    /** @type {[label: string, status: number, token: string | undefined, over?: Partial<LabRequest>][]} */
    const cases = [
      ['wrong aud', 401, await issuer.mint({ aud: 'https://elsewhere.example' })],
      ['wrong iss', 401, await issuer.mint({ iss: 'http://127.0.0.1:9999' })],
      ['expired', 401, await issuer.mint({ iat: now - 700, nbf: now - 700, exp: now - 600 })],
      ['not yet valid', 401, await issuer.mint({ nbf: now + 600 })],
      ['issued in the future', 401, await issuer.mint({ iat: now + 100, nbf: now - 600 })],
      ['bad signature', 401, await issuer.mint({ key: { ...issuer.stranger, kid: issuer.keys[0]?.kid ?? '' } })],
      ['alg none', 401, await issuer.mint({ alg: 'none' })],
      ['HS256 keyed with the public key', 401, await issuer.mint({ alg: 'HS256-public' })],
      ['unknown kid', 401, await issuer.mint({ key: issuer.stranger })],
      ['replayed token', 409, used],
      ['no rule matching', 403, await issuer.mint({ claims: { ref: 'refs/tags/v1' } })],
      [
        'a rule on a name whose id differs',
        403,
        await issuer.mint({ claims: { repository: 'octo/app', repository_owner: 'octo', repository_owner_id: '666' } })
      ],
      ['no token', 401, undefined, { headers: {} }],
      ['malformed JSON', 400, good, { body: '{"publicKey": ' }],
      ['oversized body', 413, good, { body: JSON.stringify({ publicKey: newKey(), pad: 'x'.repeat(10000) }) }],
      ['bad public key', 400, good, { body: JSON.stringify({ publicKey: 'not a key' }) }],
      ['all-zero public key', 400, good, { body: JSON.stringify({ publicKey: Buffer.alloc(32).toString('base64') }) }],
      ['a key already leased', 409, await issuer.mint(), { body: JSON.stringify({ publicKey: leased.key }) }],
      [
        'the key of a peer the gateway did not add',
        409,
        await issuer.mint(),
        { body: JSON.stringify({ publicKey: lab.runnerPub }) }
      ],
      ["the interface's own key", 409, await issuer.mint(), { body: JSON.stringify({ publicKey: lab.serverPub }) }]
    ]
    const before = peers()
    const answers = await send(...cases.map(([, , token, over = {}]) => ({ ...post(token, key), ...over })))
    const got = cases.map(([label], i) => [label, answers[i]?.status, answers[i]?.body?.error])
    expect(got.map(([label, status]) => [label, status])).toEqual(cases.map(([label, status]) => [label, status]))
    for (const [, , error] of got) expect(error).toEqual(expect.any(String))
    // Each with its code (docs/gateway.md's API table), in the answer and in the audit line.
    expect(Object.fromEntries(cases.map(([label], i) => [label, answers[i]?.body?.code]))).toEqual(CODES)
    const byLabel = (/** @type {string} */ label) => answers[cases.findIndex(([l]) => l === label)]?.body?.error
    expect(byLabel('wrong aud')).toBe(
      `the token's audience "https://elsewhere.example" is not this gateway's audience "${G.AUDIENCE}"`
    )
    expect(byLabel('wrong iss')).toBe(
      `the token's issuer "http://127.0.0.1:9999" is not this gateway's issuer "${issuer.url}"`
    )
    expect(byLabel('issued in the future')).toMatch(
      /^the token was issued (9[0-9]|100) s in the future by the gateway's clock \(iat\): the gateway's clock is about \1 s behind the token issuer's$/
    )
    expect(peers()).toEqual(before)
    // The refusal says which claims were checked, never the token.
    expect(got.find(([l]) => l === 'no rule matching')?.[2]).toBe(
      'no rule allows this token (claims checked: ref, repository, repository_owner_id)'
    )
    const refused = gw.audit.filter((l) => l.event === 'lease.refused')
    expect(refused).toHaveLength(cases.length)
    expect(refused.map((l) => l.code).sort()).toEqual(Object.values(CODES).sort())
    for (const [, , token] of cases) if (token) expect(gw.stdout).not.toContain(token.split('.')[1] ?? '')
  })

  it('answers 503 when the pool is exhausted, with the interface unchanged', async () => {
    // 192.0.2.0/29: .0 network, .7 broadcast, .1 the server, .2 the lab's own peer: four to lease,
    // all to one repository (its default quota would be a quarter of the pool).
    await start({ pool: ['192.0.2.0/29'], quota: { repository: 6 } })
    const answers = await send(
      ...(await Promise.all([1, 2, 3, 4].map(() => issuer.mint()))).map((t) => G.leaseRequest(BASE, t, newKey()))
    )
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201])
    expect(answers.map((a) => a.body.addresses[0]).sort()).toEqual([
      '192.0.2.3/32',
      '192.0.2.4/32',
      '192.0.2.5/32',
      '192.0.2.6/32'
    ])
    const before = peers()
    const r = await lease(await issuer.mint())
    expect(r.status).toBe(503)
    expect(r.body.error).toMatch(/pool is exhausted/)
    expect(peers()).toEqual(before)
  })

  it('keeps live leases over a restart, re-adds a lost peer, removes ended and expired ones', async () => {
    let gw = await start({ 'lease-ttl': '8s', 'sweep-interval': '60s' })
    const stateDir = gw.dir
    const a = await lease(await issuer.mint())
    const b = await lease(await issuer.mint())
    const c = await lease(await issuer.mint())
    // b ends, but its peer is left behind, as when the gateway dies between the two.
    const [released] = await send(release(b.body.id, b.body.secret))
    expect(released.status).toBe(204)
    const stopped = await gw.stop()
    started.splice(started.indexOf(gw), 1)
    expect(stopped).toMatchObject({ code: 0 })
    expect(stopped.ms).toBeLessThan(5000)
    expect(peers()[a.key]).toBe(a.body.addresses.join(','))
    wgSet('peer', b.key, 'allowed-ips', b.body.addresses.join(','))
    wgSet('peer', a.key, 'remove')

    // A restart well within the lease time: a comes back, b goes, c stays.
    gw = await start({ 'lease-ttl': '8s', 'sweep-interval': '60s' }, { stateDir })
    await gw.waitAudit((l) => l.event === 'gateway.reconciled', 'reconcile')
    expect(peers()).toEqual({
      [lab.runnerPub]: FOREIGN_IPS,
      [a.key]: a.body.addresses.join(','),
      [c.key]: c.body.addresses.join(',')
    })
    expect(gw.audit.find((l) => l.event === 'gateway.reconciled')).toMatchObject({ leases: 2, count: 1 })
    // The old secret still ends its lease after the restart.
    const [ok] = await send(release(c.body.id, c.body.secret))
    expect(ok.status).toBe(204)
    await gw.stop()
    started.splice(started.indexOf(gw), 1)

    // Started again after a's lease time: reconcile ends it and removes its peer.
    const expiresAt = Date.parse(a.body.expiresAt)
    await until(() => Date.now() > expiresAt, "a's lease time to pass", 10000)
    gw = await start({ 'lease-ttl': '8s', 'sweep-interval': '60s' }, { stateDir })
    expect(peers()).toEqual({ [lab.runnerPub]: FOREIGN_IPS })
    expect(gw.audit.find((l) => l.event === 'lease.ended')).toMatchObject({ lease: a.body.id, reason: 'expired' })
  })

  it('ends leases past their time and leases whose peer stays silent, removing the peers', async () => {
    const ttl = await start({ 'lease-ttl': '2s', 'sweep-interval': '200ms' })
    const a = await lease(await issuer.mint())
    expect(peers()[a.key]).toBeDefined()
    await until(() => peers()[a.key] === undefined, 'the expired lease to go')
    await ttl.waitAudit(
      (l) => l.event === 'lease.ended' && l.lease === a.body.id && l.reason === 'expired',
      'the audit line'
    )
    await ttl.stop()

    // Silence spans three keepalives at least: with a keepalive of 1 s, 3 s.
    const quiet = await start({ silence: '3s', 'persistent-keepalive': 1, 'sweep-interval': '200ms' })
    const b = await lease(await issuer.mint())
    expect(peers()[b.key]).toBeDefined()
    await until(() => peers()[b.key] === undefined, 'the silent lease to go')
    await quiet.waitAudit(
      (l) => l.event === 'lease.ended' && l.lease === b.body.id && l.reason === 'silent',
      'the audit line'
    )
  })

  it('grants 100 concurrent requests: distinct addresses, exactly 100 peers, then releases them all', async () => {
    // The lab's one client address stands for 100 runners: above the default cap of 32 connections
    // per address (as a fleet behind one NAT address would be; docs/gateway.md says to raise it).
    // One repository and run, past the default quotas (a quarter of the pool; 32 a run).
    const gw = await start({ 'connections-per-address': 128, quota: { repository: 128, run: 128 } })
    const tokens = await Promise.all(Array.from({ length: 100 }, () => issuer.mint()))
    const keys = tokens.map(() => newKey())
    const answers = await send(...tokens.map((t, i) => G.leaseRequest(BASE, t, /** @type {string} */ (keys[i]))))
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201))
    const v4 = answers.map((a) => a.body.addresses[0])
    expect(new Set(v4).size).toBe(100)
    const now = peers()
    expect(Object.keys(now)).toHaveLength(101)
    keys.forEach((k, i) => expect(now[k]).toBe(answers[i]?.body.addresses.join(',')))
    expect(gw.audit.filter((l) => l.event === 'lease.granted')).toHaveLength(100)

    const ends = await send(...answers.map((a) => release(a.body.id, a.body.secret)))
    expect(ends.map((e) => e.status)).toEqual(ends.map(() => 204))
    expect(peers()).toEqual({ [lab.runnerPub]: FOREIGN_IPS })
  })

  it('caps open connections per client address: a slowloris from the runner is cut, the server’s own address is served', async () => {
    const gw = await start({ 'connections-per-address': 4 })
    const health = `${BASE}/healthz`
    // Ten silent connections from the runner's address, each replaced as it closes: four are held,
    // the rest cut at once; then a request from that same address is cut too.
    const flood = await G.startFlood(
      lab.run,
      { host: L.SERVER_IP, port: G.GATEWAY_PORT, count: 10, probe: health, probeAfterCut: 6 },
      env
    )
    try {
      await flood.until((f) => f.probe !== undefined, 'the probe from the flooding address')
      expect(flood.probe?.status).toBe(0)
      // Another address (the server's own, from its namespace) is served meanwhile.
      const [other] = await G.requestFrom(lab.srv, [{ url: health }], env)
      expect(other).toMatchObject({ status: 200, body: { status: 'ok' } })
    } finally {
      await flood.stop()
    }
    // Its connections closed, the runner's address is served again.
    let again
    await until(async () => {
      ;[again] = await send({ url: health })
      return again.status === 200
    }, 'the runner to be served again')
    const refused = gw.audit.filter((l) => l.event === 'connection.refused')
    expect(refused.length).toBeGreaterThan(0)
    for (const l of refused) expect(l).toMatchObject({ client: '198.51.100.2', count: expect.any(Number) })
    // Aggregated: far fewer lines than connections cut.
    expect(refused.length).toBeLessThan(flood.state.cut)
  })

  it("answers 503 issuer_unreachable while the issuer's key endpoint fails (never 401 malformed), and grants once it is back", async () => {
    issuer.failKeys(500)
    try {
      const gw = await start()
      const r = await lease(await issuer.mint())
      expect(r).toMatchObject({
        status: 503,
        body: { code: 'issuer_unreachable', error: 'the token issuer could not be reached; try again' }
      })
      const audit = await gw.waitAudit((l) => l.event === 'lease.refused', 'the refusal')
      expect(audit).toMatchObject({ status: 503, code: 'issuer_unreachable' })
      expect(audit.reason).toMatch(/jwks answered HTTP 500/)
    } finally {
      issuer.failKeys(0)
    }
    expect((await lease(await issuer.mint())).status).toBe(201)
  })

  it("takes a token from the runner's token service stand-in (request token checked, audience passed)", async () => {
    await start()
    const service = await G.startTokenService(lab.run, issuer)
    try {
      const url = `${service.url}&audience=${encodeURIComponent(G.AUDIENCE)}`
      const [bad, good] = await send(
        { url, headers: { authorization: 'bearer wrong' } },
        { url, headers: { authorization: `bearer ${service.requestToken}` } }
      )
      expect(bad.status).toBe(401)
      expect(good.status).toBe(200)
      const r = await lease(good.body.value)
      expect(r.status).toBe(201)
      service.set({ claims: { repository_owner_id: '999' } })
      const [other] = await send({ url, headers: { authorization: `bearer ${service.requestToken}` } })
      expect((await lease(other.body.value)).status).toBe(403)
    } finally {
      await service.stop()
    }
  })
})
