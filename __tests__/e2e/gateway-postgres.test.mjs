// @ts-check
// The bundled gateway (dist/gateway, Node 24) with its leases in PostgreSQL (`state: postgres://…`),
// a cluster of the test's own (lab/postgres.mjs): the schema made at start, a lease and its release
// written there, and an outage: while the database is stopped, live leases go on, a release takes
// its peer off at once (202), new leases are refused with 503 database_unreachable and /healthz says
// so; once it is back, the waiting writes are made and new leases granted. One gateway here; the
// fleet (several gateways, a standby, failover) is __tests__/e2e/fleet*.test.mjs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import * as G from '../../lab/gateway.mjs'
import { startPostgres } from '../../lab/postgres.mjs'
import { L } from './helpers.mjs'

/** @import { Lab } from '../../lab/lab.mjs' */
/** @import { Gateway, Issuer, LabCA, LabRequest, LabResponse } from '../../lab/gateway.mjs' */
/** @import { Postgres } from '../../lab/postgres.mjs' */

/** @type {Lab} */
let lab
/** @type {LabCA} */
let ca
/** @type {Issuer} */
let issuer
/** @type {Postgres} */
let pg
/** @type {Gateway[]} */
const started = []
const BASE = `https://${L.SERVER_IP}:${G.GATEWAY_PORT}`
/** @type {Record<string, string>} */
let env

const newKey = () => L.pubKey(L.genKey())
const peers = () => G.peersOf(lab.srv, lab.serverIface)

/** @type {<R extends LabRequest[]>(...requests: R) => Promise<{ [K in keyof R]: LabResponse }>} */
const send = async (...requests) => G.requestFrom(lab.run, /** @type {[...typeof requests]} */ (requests), env)

async function lease(key = newKey()) {
  const [r] = await send(G.leaseRequest(BASE, await issuer.mint(), key))
  return { ...r, key }
}

const health = async () => (await send({ url: `${BASE}/healthz` }))[0]
/** Polls (every 50 ms, bounded: 15 s) until `cond()` holds. */
const until = (/** @type {() => unknown} */ cond, /** @type {string} */ what) => L.waitFor(cond, what, 15000, 50)

beforeAll(async () => {
  pg = await startPostgres({ database: 'leases' })
  lab = L.createLab()
  ca = G.createLabCA()
  env = { NODE_EXTRA_CA_CERTS: ca.caFile }
  await lab.ready
  issuer = await G.startIssuer(lab.srv)
})

afterEach(async () => {
  for (const gw of started.splice(0)) {
    await gw.stop()
    gw.remove()
  }
})

afterAll(async () => {
  for (const gw of started.splice(0)) await gw.stop()
  await issuer?.stop()
  if (lab) L.destroyLab(lab)
  if (ca) rmSync(ca.dir, { recursive: true, force: true })
  pg?.close()
})

describe('the gateway on PostgreSQL', () => {
  it('keeps its leases in the database; while it is stopped, live leases go on, releases take peers off, new leases are refused at once; all written once it is back', async () => {
    const state = pg.url('leases')
    const gw = await G.startGateway(
      lab.srv,
      G.gatewayConfig(lab, issuer, ca, { state, name: 'lab-1', 'sweep-interval': '200ms' })
    )
    started.push(gw)
    expect(gw.audit.find((l) => l.event === 'gateway.started')).toMatchObject({ gateway: 'lab-1', store: state })
    const kept = await lease()
    const released = await lease()
    expect([kept.status, released.status]).toEqual([201, 201])
    expect(pg.psql(`SELECT name, interface FROM gateways`, 'leases').trim()).toBe(`lab-1|${lab.serverIface}`)
    expect(pg.psql(`SELECT count(*) FROM leases WHERE ended_at IS NULL`, 'leases').trim()).toBe('2')

    pg.stop()
    try {
      const refused = await lease()
      expect(refused).toMatchObject({ status: 503, body: { code: 'database_unreachable' } })
      expect(peers()[refused.key]).toBeUndefined()
      expect(await health()).toMatchObject({
        status: 503,
        body: { status: 'database-unreachable', code: 'database_unreachable', leases: 2 }
      })
      const [ended] = await send(G.releaseRequest(BASE, released.body.id, released.body.secret))
      expect(ended).toMatchObject({ status: 202, body: { removed: true, recorded: false } })
      expect(peers()[released.key]).toBeUndefined()
      expect(peers()[kept.key]).toBe(kept.body.addresses.join(','))
    } finally {
      pg.start()
    }
    await until(async () => (await health()).status === 200, 'the database to take writes again')
    expect((await health()).body).toMatchObject({ status: 'ok', leases: 1 })
    expect(pg.psql(`SELECT end_reason, removed FROM leases WHERE id = '${released.body.id}'`, 'leases').trim()).toBe(
      'released|t'
    )
    expect((await lease()).status).toBe(201)
    expect(peers()[kept.key]).toBe(kept.body.addresses.join(','))
  })

  it('refuses to start with a password in the URL, naming the key and line but not the password', async () => {
    const config = G.gatewayConfig(lab, issuer, ca, { state: 'postgres://root:hunter2@/leases' })
    const err = await G.startGateway(lab.srv, config).then(
      (gw) => {
        started.push(gw)
        throw new Error('the gateway started')
      },
      (/** @type {Error} */ e) => e
    )
    expect(err.message).toMatch(/"state" \(line \d+\) holds a password: put it in PGPASSWORD or PGPASSFILE/)
    expect(err.message).not.toContain('hunter2')
  })
})
