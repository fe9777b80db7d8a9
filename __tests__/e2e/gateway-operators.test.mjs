// @ts-check
// The bundled gateway (dist/gateway) as a platform team runs it, in the lab's server namespace with
// real nftables: its firewall table kept equal to its leases (built, changed with each lease, repaired
// when changed by hand, left clean, no other table touched); concurrent-lease quotas; refused requests
// limited per client and summarised in the audit; the operators' command line (list, show, revoke,
// drain) over the control socket; metrics on their own address.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import * as G from '../../lab/gateway.mjs'
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
const BASE = `https://${L.SERVER_IP}:${G.GATEWAY_PORT}`
/** @type {Record<string, string>} */
let env
/** @type {string} */
let table
/** A table of the lab's own in the server namespace: the gateway must never touch it. */
const OTHER =
  'table inet lab_other {\n  set keep { type ipv4_addr; elements = { 198.51.100.99 } }\n  chain c {\n    counter\n  }\n}\n'

const newKey = () => L.pubKey(L.genKey())
const peers = () => G.peersOf(lab.srv, lab.serverIface)
const nft = (/** @type {string[]} */ ...args) => execFileSync('ip', ['netns', 'exec', lab.srv, 'nft', ...args])
const other = () => JSON.stringify(G.nftTable(lab.srv, 'lab_other'))

/** Any repository of the owner 1234 (the lab's tokens are octo/app's unless a test says otherwise). */
const RULES = [{ claims: { repository_owner_id: '1234' } }]

async function start(
  /** @type {Record<string, unknown>} */ extra = {},
  /** @type {{ stateDir?: string }} */ opts = {}
) {
  const gw = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca, { rules: RULES, ...extra }), opts)
  started.push(gw)
  return gw
}

async function stop(/** @type {Gateway} */ gw) {
  await gw.stop()
  started.splice(started.indexOf(gw), 1)
}

/** @type {<R extends LabRequest[]>(...requests: R) => Promise<{ [K in keyof R]: LabResponse }>} */
const send = async (...requests) => G.requestFrom(lab.run, /** @type {[...typeof requests]} */ (requests), env)

async function lease(/** @type {Record<string, unknown>} */ claims = {}, key = newKey()) {
  const [r] = await send(G.leaseRequest(BASE, await issuer.mint({ claims }), key))
  return { ...r, key }
}

const release = (/** @type {string} */ id, /** @type {string} */ secret) => G.releaseRequest(BASE, id, secret)
/** Polls (every 50 ms, bounded: 15 s by default) until `cond()` (or the promise it returns) holds. */
const until = (/** @type {() => unknown} */ cond, /** @type {string} */ what, ms = 15000) =>
  L.waitFor(cond, what, ms, 50)

/** The `ADDRESS rule_N` lines the gateway's table lets send, for the addresses of a grant. */
const elements = (/** @type {string[]} */ addresses, rule = 0) =>
  addresses.map((a) => `${a.replace(/\/[0-9]+$/, '')} rule_${rule}`)

beforeAll(async () => {
  lab = L.createLab()
  ca = G.createLabCA()
  env = { NODE_EXTRA_CA_CERTS: ca.caFile }
  table = G.gatewayTable(lab.serverIface)
  await lab.ready
  execFileSync('ip', ['netns', 'exec', lab.srv, 'nft', '-f', '-'], { input: OTHER })
  issuer = await G.startIssuer(lab.srv)
})

afterEach(async () => {
  for (const gw of started.splice(0)) {
    await gw.stop()
    gw.remove()
    expect(gw.audit.filter((l) => l.event === 'not-json')).toEqual([])
  }
  for (const key of Object.keys(peers()))
    if (key !== lab.runnerPub)
      execFileSync('ip', ['netns', 'exec', lab.srv, 'wg', 'set', lab.serverIface, 'peer', key, 'remove'])
})

afterAll(async () => {
  for (const gw of started.splice(0)) await gw.stop()
  await issuer?.stop()
  if (lab) L.destroyLab(lab)
  if (ca) rmSync(ca.dir, { recursive: true, force: true })
})

describe('the gateway’s firewall table', () => {
  it('holds each lease from before its 201 until its release, is repaired when changed by hand, ends clean; another table is untouched', async () => {
    const before = other()
    let gw = await start({ 'sweep-interval': '200ms' })
    const stateDir = gw.dir
    expect(G.nftLeases(lab.srv, table)).toEqual([])
    const a = await lease()
    expect(a.status).toBe(201)
    // Read right after the answer: the elements are in.
    expect(G.nftLeases(lab.srv, table)).toEqual(elements(a.body.addresses))

    // Sweeps (every 200 ms) so far found it right, the grant's own change included.
    expect(gw.audit.filter((l) => l.event === 'firewall.repaired')).toEqual([])
    // Deleted by hand: rebuilt at the next sweep, and said.
    nft('delete', 'table', 'inet', table)
    await gw.waitAudit((l) => l.event === 'firewall.repaired', 'the table to be rebuilt')
    expect(G.nftLeases(lab.srv, table)).toEqual(elements(a.body.addresses))
    // An element removed by hand, another added: put right.
    const repairs = gw.audit.filter((l) => l.event === 'firewall.repaired').length
    nft('delete', 'element', 'inet', table, 'from4', `{ ${a.body.addresses[0].split('/')[0]} }`)
    nft('add', 'element', 'inet', table, 'from4', '{ 192.0.2.250 : jump rule_0 }')
    await gw.waitAudit(
      (l) =>
        l.event === 'firewall.repaired' && gw.audit.filter((x) => x.event === 'firewall.repaired').length > repairs,
      'the elements to be put right'
    )
    expect(G.nftLeases(lab.srv, table)).toEqual(elements(a.body.addresses))
    expect(gw.audit.filter((l) => l.event === 'firewall.repaired').at(-1)?.reason).toMatch(
      /rebuilt: the table differed from the live leases \(1 missing, 1 unexpected\)$/
    )

    // A restart keeps it (the peer stays too), built again from the store.
    await stop(gw)
    expect(G.nftLeases(lab.srv, table)).toEqual(elements(a.body.addresses))
    gw = await start({ 'sweep-interval': '200ms' }, { stateDir })
    expect(G.nftLeases(lab.srv, table)).toEqual(elements(a.body.addresses))
    expect(gw.audit.find((l) => l.event === 'firewall.built')).toMatchObject({ interface: lab.serverIface, leases: 1 })

    // Released: its elements are gone before the 204; the table stays, empty.
    const [ok] = await send(release(a.body.id, a.body.secret))
    expect(ok.status).toBe(204)
    expect(G.nftLeases(lab.srv, table)).toEqual([])
    expect(other()).toBe(before)

    // firewall: none deletes the gateway's own table, and nothing else.
    await stop(gw)
    gw = await start({ firewall: 'none' }, { stateDir })
    expect(G.nftTable(lab.srv, table)).toBeUndefined()
    expect(gw.audit.find((l) => l.event === 'firewall.removed')).toBeDefined()
    expect(other()).toBe(before)
  })
})

describe('quotas and refusals', () => {
  it('refuses a run and a repository past their quotas with 403, and metrics on their own address count it all', async () => {
    await start({ quota: { repository: 3, run: 2 }, metrics: '127.0.0.1:9108', 'sweep-interval': '200ms' })
    const first = await lease()
    expect(first.status).toBe(201)
    expect((await lease()).status).toBe(201)
    const before = peers()
    const third = await lease()
    expect([third.status, third.body.code]).toEqual([403, 'quota_exceeded'])
    expect(third.body.error).toMatch(/^this workflow run holds 2 live leases, its quota \(quota\.run: 2\)/)
    expect(peers()).toEqual(before)
    // Another run of the repository gets the last place; then the repository is at its quota.
    expect((await lease({ run_id: '5000' })).status).toBe(201)
    const fourth = await lease({ run_id: '5001' })
    expect(fourth.status).toBe(403)
    expect(fourth.body.error).toMatch(/^this repository holds 3 live leases, its quota \(quota\.repository: 3\)/)
    // Another repository is not held back by this one.
    const elsewhere = await lease({ repository: 'octo/app2', repository_id: '9999' })
    expect([elsewhere.status, elsewhere.body.error]).toEqual([201, undefined])
    // A release frees a place.
    const [ok] = await send(release(first.body.id, first.body.secret))
    expect(ok.status).toBe(204)
    expect((await lease()).status).toBe(201)

    /** @type {LabResponse | undefined} */
    let scrape
    // Sweeps run every 200 ms: scrape until one has been timed.
    await until(async () => {
      ;[scrape] = await G.requestFrom(lab.srv, [{ url: 'http://127.0.0.1:9108/metrics' }])
      return /^wireguard_gateway_sweep_duration_seconds_count [1-9]/m.test(String(scrape?.body))
    }, 'a sweep to be timed')
    expect(scrape?.status).toBe(200)
    const text = String(scrape?.body)
    expect(text).toMatch(/^wireguard_gateway_grants_total 5$/m)
    expect(text).toMatch(/^wireguard_gateway_refusals_total\{status="403",code="quota_exceeded"\} 2$/m)
    expect(text).toMatch(/^wireguard_gateway_leases_live 4$/m)
    expect(text).toMatch(/^wireguard_gateway_leases_ended_total\{reason="released"\} 1$/m)
    // 192.0.2.0/24: 254 hosts, less the server (.1), the lab's peer (.2) and 4 live leases.
    expect(text).toMatch(/^wireguard_gateway_pool_free_addresses 248$/m)
    expect(text).toMatch(/^wireguard_gateway_lease_latency_seconds_count 5$/m)
    expect(text).toMatch(/^wireguard_gateway_sweep_duration_seconds_count [1-9][0-9]*$/m)
    expect(text).toMatch(/^wireguard_gateway_draining 0$/m)
    // Not served on the gateway's own address.
    const [api] = await send({ url: `${BASE}/metrics` })
    expect(api.status).toBe(404)
  })

  it('answers a client past refusals-per-address 429 unread, and writes its refusals once a minute with a count', async () => {
    const gw = await start({ 'refusals-per-address': 5 })
    const bad = G.leaseRequest(BASE, 'not.a.token', newKey())
    const answers = await G.requestFrom(
      lab.run,
      Array.from({ length: 20 }, () => bad),
      env,
      { sequential: true }
    )
    expect(answers.map((a) => a.status)).toEqual([...Array(5).fill(401), ...Array(15).fill(429)])
    expect(answers[5]?.body.code).toBe('too_many_refusals')
    expect(answers[5]?.body.error).toMatch(
      /^too many refused requests from this address \(more than 5 a minute, refusals-per-address\); retry in \d+ s$/
    )
    // Another client is heard meanwhile (the server's own address, from its namespace).
    const [elsewhere] = await G.requestFrom(lab.srv, [bad], env)
    expect(elsewhere.status).toBe(401)
    await stop(gw)
    const mine = gw.audit.filter((l) => l.client === '198.51.100.2')
    expect(mine.filter((l) => l.event === 'lease.refused')).toHaveLength(5)
    expect(mine.filter((l) => l.event === 'lease.refused.repeated')).toEqual([
      expect.objectContaining({
        count: 15,
        reason: expect.stringMatching(/^15 more refused requests from this client/)
      })
    ])
    gw.remove()
  })
})

describe('operators', () => {
  it('list, show and revoke through the command line: the peer and its firewall elements go at once; each action audited', async () => {
    const gw = await start()
    const a = await lease()
    const b = await lease({ repository: 'octo/web', repository_id: '6789', run_id: '7' })
    expect([a.status, b.status]).toEqual([201, 201])
    const list = G.gatewayCli(gw, 'leases', 'list')
    expect(list).toMatchObject({ code: 0, stderr: '' })
    expect(list.stdout).toMatch(/^2 live leases\nID +REPOSITORY +RUN +ADDRESSES +AGE +LAST HANDSHAKE\n/)
    expect(list.stdout).toContain(`${a.body.id}  octo/app    4242  ${a.body.addresses.join(',')}`)
    expect(list.stdout).toContain(`${b.body.id}  octo/web    7     ${b.body.addresses.join(',')}`)
    expect(list.stdout).toMatch(/ never\n/)
    const show = G.gatewayCli(gw, 'leases', 'show', a.body.id)
    expect(show.stdout).toContain(`public key:     ${a.key}\n`)

    const revoked = G.gatewayCli(gw, 'leases', 'revoke', a.body.id)
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked 1 lease\n  ${a.body.id}\n` })
    // Gone at once: read right after the command returned.
    expect(peers()[a.key]).toBeUndefined()
    expect(G.nftLeases(lab.srv, table)).toEqual(elements(b.body.addresses))
    const [late] = await send(release(a.body.id, a.body.secret))
    expect(late.status).toBe(404)

    const byRepository = G.gatewayCli(gw, 'leases', 'revoke', '--repository', 'octo/web')
    expect(byRepository.stdout).toBe(`revoked 1 lease\n  ${b.body.id}\n`)
    expect(peers()).toEqual({ [lab.runnerPub]: `${L.RUNNER_ADDR}/32,${L.RUNNER_ADDR6}/128` })
    expect(G.nftLeases(lab.srv, table)).toEqual([])
    expect(G.gatewayCli(gw, 'leases', 'revoke', a.body.id)).toMatchObject({
      code: 1,
      stderr: `wireguard-gateway: no live lease ${a.body.id}\n`
    })
    expect(G.gatewayCli(gw, 'leases', 'show', a.body.id).stdout).toMatch(/\nended: +\S+ \(revoked\)\n$/)

    // The audit lines come through the gateway's stdout: wait for the last.
    const operator = () => gw.audit.filter((l) => l.event.startsWith('operator.'))
    await until(() => operator().length >= 6, 'six operator lines')
    expect(operator().map((l) => l.event)).toEqual([
      'operator.list',
      'operator.show',
      'operator.revoke',
      'operator.revoke',
      'operator.revoke',
      'operator.show'
    ])
    expect(gw.audit.filter((l) => l.event === 'lease.ended').map((l) => [l.lease, l.reason, l.client])).toEqual([
      [a.body.id, 'revoked', 'control socket'],
      [b.body.id, 'revoked', 'control socket']
    ])
  })

  it('drain refuses new leases with 503 and keeps the live ones (released as usual); undrain takes them again', async () => {
    const gw = await start()
    const a = await lease()
    expect(G.gatewayCli(gw, 'drain')).toMatchObject({ code: 0, stdout: 'draining: new leases are refused; 1 live\n' })
    const refused = await lease()
    expect([refused.status, refused.body.code]).toEqual([503, 'draining'])
    expect(refused.body.error).toMatch(/^the gateway is draining/)
    const [health] = await send({ url: `${BASE}/healthz` })
    expect(health).toMatchObject({ status: 503, body: { status: 'draining', leases: 1 } })
    expect(peers()[a.key]).toBe(a.body.addresses.join(','))
    const [ok] = await send(release(a.body.id, a.body.secret))
    expect(ok.status).toBe(204)
    expect(G.gatewayCli(gw, 'undrain').stdout).toBe('taking new leases; 0 live\n')
    expect((await lease()).status).toBe(201)
    await gw.waitAudit((l) => l.event === 'operator.undrain', 'the undrain line')
    expect(gw.audit.filter((l) => l.event === 'operator.drain')).toHaveLength(1)
  })

  it('refuses to start a second gateway on the same control socket, with one line', async () => {
    const gw = await start()
    await expect(
      G.startGateway(lab.srv, {
        ...G.gatewayConfig(lab, issuer, ca),
        'control-socket': gw.config['control-socket'],
        listen: `${L.SERVER_IP}:9444`
      })
    ).rejects.toThrow(
      /the gateway exited \(1\): wireguard-gateway: control-socket: another process serves \S+ \(another gateway for this interface\?\); stop it first\n$/
    )
    // The first one is still serving.
    expect(G.gatewayCli(gw, 'leases', 'list').code).toBe(0)
  })
})
