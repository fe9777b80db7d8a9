// @ts-check
// Liveness judged by the runner (issue 16, case 6): the bundled action in gateway mode against the
// bundled gateway, which hears a job by the keepalives it hands out. A quiet job keeps its lease
// however long it is quiet; its peer removed by hand is added back (lease.restored) and carries its
// traffic again once the runner handshakes; keepalives cannot be turned off in gateway mode.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, rmSync } from 'node:fs'
import * as G from '../../lab/gateway.mjs'
import { L } from './helpers.mjs'

/** @type {L.Lab} */
let lab
/** @type {G.LabCA} */
let ca
/** @type {G.Issuer} */
let issuer
/** @type {G.TokenService} */
let tokens
/** @type {G.Gateway} */
let gateway
const GATEWAY_URL = `https://${L.ENDPOINT_NAME}:${G.GATEWAY_PORT}`
const BASE = `https://${L.SERVER_IP}:${G.GATEWAY_PORT}`
const service = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`

const peers = () => G.peersOf(lab.srv, lab.serverIface)
const leased = () => Object.keys(peers()).filter((k) => k !== lab.runnerPub)
const jobEnv = () => ({ ...tokens.env, NODE_EXTRA_CA_CERTS: ca.caFile })
const inputs = (/** @type {L.Inputs} */ extra = {}) => ({
  gateway: GATEWAY_URL,
  interface: lab.iface,
  check: service,
  timeout: '10',
  ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {}),
  ...extra
})

/** curl from the runner namespace, without blocking the event loop. */
function curlFromRunner(/** @type {string} */ url) {
  /** @type {Promise<{ ok: boolean, body: string }>} */
  const done = new Promise((resolve) => {
    const c = spawn('ip', ['netns', 'exec', lab.run, 'curl', '-sS', '--max-time', '3', url], {
      stdio: ['ignore', 'pipe', 'ignore']
    })
    let body = ''
    c.stdout.on('data', (d) => (body += d))
    c.on('close', (code) => resolve({ ok: code === 0, body }))
  })
  return done
}

/**
 * A lease with no runner behind it (a key nobody holds), as a clock: it ends as silent `silence`
 * after its grant, and the sweeps that end it have judged every other lease by then.
 */
async function silentControl() {
  const [r] = await G.requestFrom(lab.run, [G.leaseRequest(BASE, await issuer.mint(), L.pubKey(L.genKey()))], {
    NODE_EXTRA_CA_CERTS: ca.caFile
  })
  expect(r.status).toBe(201)
  await gateway.waitAudit(
    (l) => l.event === 'lease.ended' && l.lease === r.body.id && l.reason === 'silent',
    'the control lease to end as silent'
  )
}

beforeAll(async () => {
  lab = L.createLab()
  ca = G.createLabCA()
  chmodSync(ca.dir, 0o755)
  chmodSync(ca.caFile, 0o644)
  await lab.ready
  issuer = await G.startIssuer(lab.srv)
  tokens = await G.startTokenService(lab.srv, issuer, { host: L.SERVER_IP })
  // Silence of 3 s: three of the 1 s keepalives the gateway hands out.
  gateway = await G.startGateway(
    lab.srv,
    G.gatewayConfig(lab, issuer, ca, { silence: '3s', 'persistent-keepalive': 1, 'sweep-interval': '200ms' })
  )
}, 60000)

afterAll(async () => {
  await gateway?.stop()
  gateway?.remove()
  await tokens?.stop()
  await issuer?.stop()
  if (lab) L.destroyLab(lab)
  if (ca) rmSync(ca.dir, { recursive: true, force: true })
})

describe('liveness is judged by the runner (case 6)', () => {
  it('a quiet job keeps its lease past silence; its peer removed by hand comes back and carries traffic again; post releases it', async () => {
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const main = await L.runStep(lab, job, 'main', inputs(), { env: jobEnv() })
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    const key = /** @type {string} */ (main.outputs['public-key'])
    const addresses = peers()[key]
    expect(addresses).toBeDefined()
    const granted = gateway.audit.find((l) => l.event === 'lease.granted' && l.publicKey === key)
    const ended = () => gateway.audit.filter((l) => l.event === 'lease.ended' && l.lease === granted?.lease)

    // Quiet (no traffic at all) for longer than silence since its last handshake: heard by its
    // keepalives, it stays.
    await silentControl()
    expect(ended()).toEqual([])
    expect(peers()[key]).toBe(addresses)

    // Removed by hand: added back, and not ended while its runner has no session yet.
    execFileSync('ip', ['netns', 'exec', lab.srv, 'wg', 'set', lab.serverIface, 'peer', key, 'remove'])
    await gateway.waitAudit((l) => l.event === 'lease.restored' && l.publicKey === key, 'the peer to be restored')
    await L.waitFor(() => peers()[key] === addresses, 'the restored peer on the interface')
    await silentControl()
    expect(ended()).toEqual([])
    // The runner handshakes again (its traffic unanswered makes it) and its traffic flows.
    const v4 = /** @type {string} */ (main.outputs.address).split(',')[0]
    /** @type {{ ok: boolean, body: string } | undefined} */
    let answer
    const end = Date.now() + 60000
    while (!answer?.ok && Date.now() < end) answer = await curlFromRunner(service)
    expect(answer?.body).toBe(`hello from the private network\nyou are ${v4}\n`)
    expect(ended()).toEqual([])

    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(ended()).toEqual([expect.objectContaining({ reason: 'released' })])
    expect(leased()).toEqual([])
    expect(L.snapshot(lab)).toEqual(before)
  }, 120000)

  it('the action refuses persistent-keepalive 0 with gateway in one line naming both, before asking for a lease', async () => {
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const had = leased()
    const grants = gateway.audit.filter((l) => l.event === 'lease.granted' || l.event === 'lease.refused').length
    const main = await L.runStep(lab, job, 'main', inputs({ 'persistent-keepalive': '0' }), { env: jobEnv() })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toBe(
      'Input "persistent-keepalive": cannot be 0 with gateway: the gateway hears that a job is alive by its keepalives, and would end a quiet job\'s lease. Remove persistent-keepalive (the gateway\'s applies), or give a number of seconds'
    )
    expect(gateway.audit.filter((l) => l.event === 'lease.granted' || l.event === 'lease.refused')).toHaveLength(grants)
    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(L.snapshot(lab)).toEqual(before)
    expect(leased()).toEqual(had)
  })
})
