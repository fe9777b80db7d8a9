// @ts-check
// A gateway fleet end to end (issue 17): two WireGuard servers with a gateway each on one PostgreSQL
// database (lab/fleet.mjs), and a standby for the first. The bundled action (Node 24) leases from
// either; a token is used once across the fleet; a revoke at one gateway ends a lease of the other;
// a job whose first gateway is down leases from the next; the active gateway killed with SIGKILL
// leaves its tunnels up while the standby takes over. The outage, quota and overlap scenarios are in
// fleet-outage.test.mjs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import * as F from '../../lab/fleet.mjs'
import * as G from '../../lab/gateway.mjs'
import { L } from './helpers.mjs'

/** @type {F.Fleet} */
let fleet
const [URL1, URL2] = /** @type {[string, string]} */ (F.URLS)
const [SERVICE1, SERVICE2] = /** @type {[string, string]} */ (F.SERVICES)
const STANDBY_URL = `https://${L.SERVER_IP}:${F.STANDBY_PORT}`
/** Nothing listens there: a gateway that is down. */
const DOWN_URL = `https://${L.SERVER_IP}:9446`

/** A job's step environment: the runner's token service, and the lab CA for the gateways' TLS. */
const jobEnv = () => ({ ...fleet.tokens.env, NODE_EXTRA_CA_CERTS: fleet.ca.caFile })

/** The inputs of a job leasing from `gateways` (one URL a line) and checking `check`. */
const inputs = (/** @type {string[]} */ gateways, /** @type {string} */ check, /** @type {L.Inputs} */ extra = {}) => ({
  gateway: gateways.join('\n'),
  audience: G.AUDIENCE,
  interface: fleet.lab.iface,
  check,
  timeout: '30',
  ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {}),
  ...extra
})

/** A view of the lab with another runner namespace (and interface name) as "the runner". */
const runnerView = (/** @type {string} */ ns, /** @type {string} */ iface) => ({ ...fleet.lab, run: ns, iface })

/** A fresh key pair's public half (for direct lease requests). */
const newPublicKey = () => L.pubKey(L.genKey())

/** /healthz of the gateway at `url`, asked from the first server's namespace. */
const health = async (/** @type {string} */ url) => F.ask(fleet, { url: `${url}/healthz` })

beforeAll(async () => {
  fleet = await F.startFleet({ standby: true })
}, 120000)

afterAll(async () => {
  if (fleet) await F.stopFleet(fleet)
})

describe('a fleet of two gateways on one database', () => {
  it('the standby answers 503 standby and touches nothing', async () => {
    const before = F.leasedAt(fleet, 0)
    const h = await health(STANDBY_URL)
    expect(h.status).toBe(503)
    expect(h.body.role).toBe('standby')
    const lease = await F.ask(fleet, G.leaseRequest(STANDBY_URL, await fleet.issuer.mint(), newPublicKey()))
    expect(lease.status).toBe(503)
    expect(lease.body.code).toBe('standby')
    expect(F.leasedAt(fleet, 0)).toEqual(before)
  })

  it('20 jobs over the two gateways: distinct addresses, all carry traffic at once, all released', async () => {
    const { lab } = fleet
    const runners = [lab.run, ...Array.from({ length: 19 }, () => F.addFleetRunner(lab))]
    // Each its own interface name: the lab's runners share one /var/run/wireguard.
    const views = runners.map((ns, i) => runnerView(ns, `${lab.iface.slice(0, 12)}${i}`))
    const jobs = views.map((v) => L.createJob(v))
    const side = (/** @type {number} */ i) => i % 2
    const mains = await Promise.all(
      views.map((v, i) =>
        L.runStep(
          v,
          /** @type {L.Job} */ (jobs[i]),
          'main',
          inputs([/** @type {string} */ (F.URLS[side(i)])], /** @type {string} */ (F.SERVICES[side(i)]), {
            interface: v.iface
          }),
          { env: jobEnv() }
        )
      )
    )
    for (const m of mains) if (m.code !== 0) throw new Error(`a main failed:\n${m.stdout}\n${m.stderr}`)
    const addresses = mains.map((m) => m.outputs.address?.split(',')[0])
    expect(new Set(addresses).size).toBe(20)
    // Each from its own gateway's pool: the first server's half or the second's.
    addresses.forEach((a, i) => {
      const last = Number(a?.split('.')[3])
      expect(side(i) === 0 ? last < 128 : last >= 128).toBe(true)
    })
    expect(F.leasedAt(fleet, 0)).toHaveLength(10)
    expect(F.leasedAt(fleet, 1)).toHaveLength(10)
    const answers = await Promise.all(
      runners.map((ns, i) => F.curlFrom(ns, /** @type {string} */ (F.SERVICES[side(i)])))
    )
    expect(answers.map((a) => a.body)).toEqual(addresses.map(F.hello))
    const posts = await Promise.all(
      views.map((v, i) => L.runStep(v, /** @type {L.Job} */ (jobs[i]), 'post', {}, { env: jobEnv() }))
    )
    expect(posts.map((p) => p.code)).toEqual(posts.map(() => 0))
    for (const p of posts) expect(p.stdout).not.toMatch(/::(warning|error)::/)
    expect(F.leasedAt(fleet, 0)).toEqual([])
    expect(F.leasedAt(fleet, 1)).toEqual([])
  }, 180000)

  it('a token used at one gateway is refused at the other (409 token_replayed)', async () => {
    const token = await fleet.issuer.mint({ jti: randomUUID() })
    const first = await F.ask(fleet, G.leaseRequest(URL1, token, newPublicKey()))
    expect(first.status).toBe(201)
    const replay = await F.ask(fleet, G.leaseRequest(URL2, token, newPublicKey()))
    expect(replay.status).toBe(409)
    expect(replay.body.code).toBe('token_replayed')
    expect(F.leasedAt(fleet, 1)).toEqual([])
    const released = await F.ask(fleet, G.releaseRequest(URL1, first.body.id, first.body.secret))
    expect(released.status).toBe(204)
  })

  it('a revoke at one gateway for a lease of the other takes its peer off there', async () => {
    const key = newPublicKey()
    const lease = await F.ask(fleet, G.leaseRequest(URL1, await fleet.issuer.mint(), key))
    expect(lease.status).toBe(201)
    expect(F.leasedAt(fleet, 0)).toContain(key)
    // The fleet's view, from the other gateway: the lease, and the gateway holding it.
    const list = G.gatewayCli(/** @type {G.Gateway} */ (fleet.gateways[1]), 'leases', 'list')
    expect(list.code).toBe(0)
    expect(list.stdout).toContain(lease.body.id)
    expect(list.stdout).toContain('server1')
    const revoke = G.gatewayCli(/** @type {G.Gateway} */ (fleet.gateways[1]), 'leases', 'revoke', lease.body.id)
    expect(revoke.code).toBe(0)
    // "Within a second" (LISTEN/NOTIFY); the bound leaves room for a loaded machine, below the sweep's 15 s.
    await L.waitFor(() => !F.leasedAt(fleet, 0).includes(key), 'the revoked peer to leave the first server', 3000)
  })

  it('a job whose first gateway is down leases from the second, and releases there', async () => {
    const job = L.createJob(fleet.lab)
    const main = await L.runStep(fleet.lab, job, 'main', inputs([DOWN_URL, URL2], SERVICE2), { env: jobEnv() })
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    expect(main.summary).toContain(URL2)
    expect(F.leasedAt(fleet, 1)).toHaveLength(1)
    const v4 = main.outputs.address?.split(',')[0]
    expect(L.curl(fleet.lab, SERVICE2).body).toBe(F.hello(v4))
    const post = await L.runStep(fleet.lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(F.leasedAt(fleet, 1)).toEqual([])
  }, 60000)

  it('the active gateway killed (SIGKILL): tunnels keep carrying traffic, the standby takes over, new jobs lease', async () => {
    const { lab } = fleet
    const active = /** @type {G.Gateway} */ (fleet.gateways[0])
    const runners = [lab.run, F.addFleetRunner(lab)]
    const views = runners.map((ns, i) => runnerView(ns, `${lab.iface.slice(0, 11)}k${i}`))
    const jobs = views.map((v) => L.createJob(v))
    const mains = await Promise.all(
      views.map((v, i) =>
        L.runStep(v, /** @type {L.Job} */ (jobs[i]), 'main', inputs([URL1], SERVICE1, { interface: v.iface }), {
          env: jobEnv()
        })
      )
    )
    for (const m of mains) if (m.code !== 0) throw new Error(`a main failed:\n${m.stdout}\n${m.stderr}`)
    const addresses = mains.map((m) => m.outputs.address?.split(',')[0])
    const keys = mains.map((m) => /** @type {string} */ (m.outputs['public-key']))
    expect(F.leasedAt(fleet, 0)).toEqual(expect.arrayContaining(keys))
    process.kill(/** @type {number} */ (active.pid), 'SIGKILL')
    const killed = await active.exited
    expect(killed.signal).toBe('SIGKILL')
    // The tunnels do not depend on the gateway: traffic goes on while no process acts.
    const during = await Promise.all(runners.map((ns) => F.curlFrom(ns, SERVICE1)))
    expect(during.map((a) => a.body)).toEqual(addresses.map(F.hello))
    // The standby takes over within 10 s of the active one's session ending (the database ends it
    // when the connection drops), reconciling without taking the live peers off.
    await L.waitFor(async () => (await health(STANDBY_URL)).status === 200, 'the standby to take over', 10000)
    expect(F.leasedAt(fleet, 0)).toEqual(expect.arrayContaining(keys))
    const after = await Promise.all(runners.map((ns) => F.curlFrom(ns, SERVICE1)))
    expect(after.map((a) => a.body)).toEqual(addresses.map(F.hello))
    // A new job lists the first gateway before the standby: it fails over to the process that acts.
    const late = runnerView(F.addFleetRunner(lab), `${lab.iface.slice(0, 11)}k2`)
    const lateJob = L.createJob(late)
    const main = await L.runStep(
      late,
      lateJob,
      'main',
      inputs([URL1, STANDBY_URL], SERVICE1, {
        interface: late.iface
      }),
      { env: jobEnv() }
    )
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    expect(main.summary).toContain(STANDBY_URL)
    expect(F.leasedAt(fleet, 0)).toContain(main.outputs['public-key'])
    const latePost = await L.runStep(late, lateJob, 'post', {}, { env: jobEnv() })
    expect(latePost.code).toBe(0)
    // The first jobs' releases go to the process that leased, which is gone: post warns, never fails;
    // an operator ends those leases at the process that now acts.
    const posts = await Promise.all(
      views.map((v, i) => L.runStep(v, /** @type {L.Job} */ (jobs[i]), 'post', {}, { env: jobEnv() }))
    )
    expect(posts.map((p) => p.code)).toEqual([0, 0])
    const standby = /** @type {G.Gateway} */ (fleet.standby)
    for (const key of F.leasedAt(fleet, 0)) {
      const list = G.gatewayCli(standby, 'leases', 'list', '--json')
      const id = JSON.parse(list.stdout).leases.find((/** @type {any} */ l) => l.publicKey === key)?.id
      if (id) expect(G.gatewayCli(standby, 'leases', 'revoke', id).code).toBe(0)
    }
    await L.waitFor(() => F.leasedAt(fleet, 0).length === 0, 'the old leases to end', 5000)
  }, 120000)
})
