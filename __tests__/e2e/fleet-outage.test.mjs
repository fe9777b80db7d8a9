// @ts-check
// A gateway fleet end to end (issue 17), continued (lab/fleet.mjs, no standby): a quota counted across
// the fleet; PostgreSQL stopped and started while a job's tunnel is up (the tunnel carries on, new
// leases are refused with 503 database_unreachable, a release still takes its peer off, and leases
// are granted again once it is back); a third gateway whose pool overlaps another's refused at start.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as F from '../../lab/fleet.mjs'
import * as G from '../../lab/gateway.mjs'
import { L } from './helpers.mjs'

/** @type {F.Fleet} */
let fleet
const [URL1, URL2] = /** @type {[string, string]} */ (F.URLS)
const SERVICE2 = /** @type {string} */ (F.SERVICES[1])

const jobEnv = () => ({ ...fleet.tokens.env, NODE_EXTRA_CA_CERTS: fleet.ca.caFile })
const newPublicKey = () => L.pubKey(L.genKey())
/** A lease request to `url` with a fresh token of workflow run `run` and a fresh key. */
const lease = async (/** @type {string} */ url, run = '4242') =>
  F.ask(fleet, G.leaseRequest(url, await fleet.issuer.mint({ claims: { run_id: run } }), newPublicKey()))
const release = async (/** @type {G.LabResponse} */ l, /** @type {string} */ url) =>
  F.ask(fleet, G.releaseRequest(url, l.body.id, l.body.secret))

beforeAll(async () => {
  // Small quotas, so that the fleet's count shows with three leases.
  fleet = await F.startFleet({ extra: { quota: { repository: 2, run: 2 } } })
}, 120000)

afterAll(async () => {
  if (fleet) await F.stopFleet(fleet)
})

describe('a fleet shares one database', () => {
  it('a quota counts live leases across the fleet', async () => {
    const a = await lease(URL1, '1')
    const b = await lease(URL2, '2')
    expect([a.status, b.status]).toEqual([201, 201])
    // The repository's third live lease, at either gateway, each of which holds only one.
    const c = await lease(URL1, '3')
    expect(c.status).toBe(403)
    expect(c.body.code).toBe('quota_exceeded')
    expect((await lease(URL2, '3')).status).toBe(403)
    expect((await release(b, URL2)).status).toBe(204)
    const d = await lease(URL1, '3')
    expect(d.status).toBe(201)
    expect((await release(a, URL1)).status).toBe(204)
    expect((await release(d, URL1)).status).toBe(204)
    expect(F.leasedAt(fleet, 0)).toEqual([])
    expect(F.leasedAt(fleet, 1)).toEqual([])
  })

  it('PostgreSQL stopped: live tunnels carry on, new leases refused (503 database_unreachable); started: granted', async () => {
    const { lab, pg } = fleet
    const job = L.createJob(lab)
    const inputs = {
      gateway: URL2,
      audience: G.AUDIENCE,
      interface: lab.iface,
      check: SERVICE2,
      timeout: '30',
      ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {})
    }
    const main = await L.runStep(lab, job, 'main', inputs, { env: jobEnv() })
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    const v4 = main.outputs.address?.split(',')[0]
    const other = await lease(URL1, '7')
    expect(other.status).toBe(201)
    const otherKey = F.leasedAt(fleet, 0)[0]
    pg.stop()
    try {
      expect(pg.running()).toBe(false)
      expect(L.curl(lab, SERVICE2).body).toBe(F.hello(v4))
      for (const url of [URL1, URL2]) {
        const refused = await lease(url, '8')
        expect(refused.status).toBe(503)
        expect(refused.body.code).toBe('database_unreachable')
      }
      // A release still takes the peer off at once; its record waits for the database.
      await release(other, URL1)
      expect(F.leasedAt(fleet, 0)).not.toContain(otherKey)
      expect(L.curl(lab, SERVICE2).body).toBe(F.hello(v4))
    } finally {
      if (!pg.running()) pg.start()
    }
    // Back: leases granted again (each try a fresh token), and the tunnel never noticed.
    /** @type {Awaited<ReturnType<typeof lease>> | undefined} */
    let granted
    await L.waitFor(
      async () => (granted = await lease(URL1, '9')).status === 201,
      'a lease once PostgreSQL is back',
      15000,
      200
    )
    expect((await release(/** @type {any} */ (granted), URL1)).status).toBe(204)
    expect(L.curl(lab, SERVICE2).body).toBe(F.hello(v4))
    // The release made during the outage reached the database: the fleet's view no longer lists it.
    await L.waitFor(
      () =>
        !G.gatewayCli(/** @type {G.Gateway} */ (fleet.gateways[1]), 'leases', 'list').stdout.includes(other.body.id),
      'the release made during the outage to be recorded',
      15000,
      200
    )
    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(F.leasedAt(fleet, 1)).toEqual([])
  }, 90000)

  it("a gateway whose pool overlaps another gateway's is refused at start, naming both", async () => {
    const { lab } = fleet
    const third = G.addServerInterface(lab, `wx${lab.id}`, 51830)
    try {
      const config = {
        ...fleet.configs[0],
        interface: third.iface,
        name: 'server3',
        listen: `${L.SERVER_IP}:9447`,
        endpoint: `${L.SERVER_IP}:51830`,
        pool: ['192.0.2.192/26'],
        'allowed-ips': ['192.0.2.192/26']
      }
      // The gateway's one line on stderr when refused; what it said instead when it started.
      const text = await G.startGateway(lab.srv, config).then(
        async (gw) => {
          await gw.stop()
          gw.remove()
          return `it started: ${JSON.stringify(gw.audit.slice(-4))}`
        },
        (/** @type {Error} */ e) => e.message
      )
      for (const part of ['server3', third.iface, third.publicKey, '192.0.2.192/26']) expect(text).toContain(part)
      for (const part of ['server2', lab.serverIface2, lab.serverPub2, /** @type {string} */ (F.POOLS[1]?.[0])])
        expect(text).toContain(part)
    } finally {
      third.remove()
    }
  }, 30000)
})
