// @ts-check
// Egress enforced, with the action in gateway mode: two jobs of different repositories lease from the
// bundled gateway (real nftables in the server namespace, which forwards between peers as a server
// routing for its clients does). Each reaches its own rule's allowed-ips, IPv4 and IPv6; a destination
// beyond them is dropped even when the runner routes it into the tunnel by hand; neither job reaches
// the other's address unless a rule says `reach-leases: true`; a lease revoked from the command line
// stops carrying traffic at once. Nothing is left on either side.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
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
/** @type {string} */
let stateDir
/** @type {string} */
let table
const GATEWAY_URL = `https://${L.ENDPOINT_NAME}:${G.GATEWAY_PORT}`
const WEB = { repository: 'octo/web', repository_id: '6789', run_id: '99' }

/**
 * octo/app (5678) may reach the pool's network only; octo/web (6789) also the network behind the
 * server (203.0.113.0/24, 2001:db8:2::/64).
 * @param {boolean} [reach] octo/app's rule lets it reach other leases
 * @param {Record<string, number>} [quota] octo/app's rule's quota
 */
const config = (reach = false, quota = undefined) =>
  G.gatewayConfig(lab, issuer, ca, {
    'allowed-ips': ['192.0.2.0/24', '203.0.113.0/24', '2001:db8:1::/64', '2001:db8:2::/64'],
    rules: [
      {
        claims: { repository_owner_id: '1234', repository_id: '5678' },
        'allowed-ips': ['192.0.2.0/24', '2001:db8:1::/64'],
        ...(reach ? { 'reach-leases': true } : {}),
        ...(quota ? { quota } : {})
      },
      { claims: { repository_owner_id: '1234', repository_id: '6789' } }
    ]
  })

/**
 * A job of this file: its runner (a view of the lab with its own namespace and interface), its files,
 * and what main said.
 * @typedef {{ view: L.Lab, job: L.Job, before: L.Snapshot, v4: string, v6: string, key: string }} Job
 */
/** @type {Job} */
let app
/** @type {Job} */
let web

/** Starts a job in `ns` with the token service's claims set to `claims`; resolves once main is done. */
async function startJob(
  /** @type {string} */ ns,
  /** @type {string} */ iface,
  claims = {},
  check = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
) {
  const view = { ...lab, run: ns, iface }
  const job = L.createJob(view)
  // A new runner's link-local address settles first (duplicate address detection), so that the
  // snapshot compared after post is a stable one.
  await L.waitFor(() => !/tentative/.test(L.snapshot(view).addresses), 'the runner’s addresses to settle')
  const before = L.snapshot(view)
  tokens.set({ claims })
  try {
    const main = await L.runStep(
      view,
      job,
      'main',
      {
        gateway: GATEWAY_URL,
        interface: iface,
        check,
        timeout: '20',
        ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {})
      },
      { env: { ...tokens.env, NODE_EXTRA_CA_CERTS: ca.caFile } }
    )
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    const [v4, v6] = /** @type {string} */ (main.outputs.address).split(',')
    return { view, job, before, v4: String(v4), v6: String(v6), key: String(main.outputs['public-key']) }
  } finally {
    tokens.set({ claims: {} })
  }
}

/** curl from a job's runner (bounded: 3 s); the body when it answered, else undefined. */
function fetchFrom(/** @type {Job} */ j, /** @type {string} */ url) {
  const r = spawnSync('ip', ['netns', 'exec', j.view.run, 'curl', '-sS', '--max-time', '3', url], {
    encoding: 'utf8',
    timeout: 10000
  })
  return r.status === 0 ? r.stdout : undefined
}

/** One ping from a job's runner (bounded: 2 s); true when answered. */
function pings(/** @type {Job} */ j, /** @type {string} */ address) {
  return (
    spawnSync('ip', ['netns', 'exec', j.view.run, 'ping', '-c', '1', '-W', '2', address], { timeout: 10000 }).status ===
    0
  )
}

const service = (/** @type {string} */ host) => `http://${host.includes(':') ? `[${host}]` : host}:${L.HTTP_PORT}/`
const hello = (/** @type {string} */ from) => `hello from the private network\nyou are ${from}\n`
/** Packets a rule's last rule (`counter drop`) dropped. */
const dropped = (/** @type {number} */ rule) =>
  Number(
    /packets ([0-9]+)/.exec(
      execFileSync('ip', ['netns', 'exec', lab.srv, 'nft', 'list', 'chain', 'inet', table, `rule_${rule}`], {
        encoding: 'utf8'
      })
        .trim()
        .split('\n')
        .filter((l) => /counter packets/.test(l))
        .at(-1) ?? ''
    )?.[1] ?? -1
  )

async function restartGateway(/** @type {boolean} */ reach, /** @type {Record<string, number>} */ quota = {}) {
  await gateway.stop()
  gateway = await G.startGateway(lab.srv, config(reach, Object.keys(quota).length ? quota : undefined), { stateDir })
}

beforeAll(async () => {
  lab = L.createLab()
  ca = G.createLabCA()
  table = G.gatewayTable(lab.serverIface)
  await lab.ready
  // A server that routes between its peers (the issue's case: jobs then reach each other).
  L.sh(['ip', 'netns', 'exec', lab.srv, 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1'])
  issuer = await G.startIssuer(lab.srv)
  tokens = await G.startTokenService(lab.srv, issuer, { host: L.SERVER_IP })
  gateway = await G.startGateway(lab.srv, config())
  stateDir = gateway.dir
  app = await startJob(lab.run, lab.iface)
  web = await startJob(L.addRunner(lab), `${lab.iface.slice(0, 12)}w`, WEB, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
}, 90000)

afterAll(async () => {
  try {
    for (const j of [app, web].filter(Boolean)) {
      const post = await L.runStep(
        j.view,
        j.job,
        'post',
        {},
        { env: { ...tokens.env, NODE_EXTRA_CA_CERTS: ca.caFile } }
      )
      expect(post.code).toBe(0)
      expect(L.snapshot(j.view)).toEqual(j.before)
    }
    // Every lease ended: no peer of the gateway's, an empty table.
    expect(Object.keys(G.peersOf(lab.srv, lab.serverIface))).toEqual([lab.runnerPub])
    expect(G.nftLeases(lab.srv, table)).toEqual([])
  } finally {
    await gateway?.stop()
    gateway?.remove()
    await tokens?.stop()
    await issuer?.stop()
    if (lab) L.destroyLab(lab)
    if (ca) rmSync(ca.dir, { recursive: true, force: true })
  }
}, 60000)

describe('egress enforced by the gateway (action in gateway mode)', () => {
  it('each job reaches its rule’s allowed-ips, IPv4 and IPv6, and its table elements name that rule', () => {
    expect(fetchFrom(app, service(L.SERVER_ADDR))).toBe(hello(app.v4))
    expect(fetchFrom(app, service(L.SERVER_ADDR6))).toBe(hello(app.v6))
    expect(fetchFrom(web, service(L.BEHIND))).toBe(hello(web.v4))
    expect(fetchFrom(web, service(L.BEHIND6))).toBe(hello(web.v6))
    expect(G.nftLeases(lab.srv, table)).toEqual(
      [`${app.v4} rule_0`, `${app.v6} rule_0`, `${web.v4} rule_1`, `${web.v6} rule_1`].sort()
    )
  })

  it('drops what a job routes into the tunnel beyond its allowed-ips (IPv4 and IPv6)', () => {
    // octo/app's runner sends the network behind the server into the tunnel by hand.
    const inApp = (/** @type {string[]} */ ...args) => L.sh(['ip', 'netns', 'exec', app.view.run, ...args])
    const peer = lab.serverPub
    const allowed = L.sh(['ip', 'netns', 'exec', app.view.run, 'wg', 'show', app.view.iface, 'allowed-ips'])
      .trim()
      .split(/\s+/)
      .slice(1)
    inApp(
      'wg',
      'set',
      app.view.iface,
      'peer',
      peer,
      'allowed-ips',
      [...allowed, '203.0.113.0/24', '2001:db8:2::/64'].join(',')
    )
    inApp('ip', 'route', 'add', '203.0.113.0/24', 'dev', app.view.iface)
    inApp('ip', '-6', 'route', 'add', '2001:db8:2::/64', 'dev', app.view.iface)
    const before = dropped(0)
    expect(fetchFrom(app, service(L.BEHIND))).toBeUndefined()
    expect(fetchFrom(app, service(L.BEHIND6))).toBeUndefined()
    // Dropped by the gateway's table (its rule's last rule counted them), not lost on the way.
    expect(dropped(0)).toBeGreaterThan(before)
    // What it may reach still answers; the other job still reaches the same destinations.
    expect(fetchFrom(app, service(L.SERVER_ADDR))).toBe(hello(app.v4))
    expect(fetchFrom(web, service(L.BEHIND))).toBe(hello(web.v4))
  })

  it('keeps jobs of different repositories apart; a rule with reach-leases lets its jobs reach others', async () => {
    /** @type {[Job, Job][]} */
    const pairs = [
      [app, web],
      [web, app]
    ]
    const answered = pairs.flatMap(([from, to]) => [to.v4, to.v6].map((a) => [from.view.run, a, pings(from, a)]))
    expect(answered).toEqual(pairs.flatMap(([from, to]) => [to.v4, to.v6].map((a) => [from.view.run, a, false])))
    // The same packets pass once octo/app's rule allows it: the server forwards, the table decided.
    await restartGateway(true)
    expect(pings(app, web.v4)).toBe(true)
    expect(pings(app, web.v6)).toBe(true)
    // octo/web's rule does not: it still cannot open anything towards octo/app.
    expect(pings(web, app.v4)).toBe(false)
    await restartGateway(false)
    expect(pings(app, web.v4)).toBe(false)
  })

  it('a second job of a run at its quota fails in one line naming the quota; nothing is left on either side', async () => {
    await restartGateway(false, { run: 1 })
    try {
      const view = { ...lab, run: L.addRunner(lab), iface: `${lab.iface.slice(0, 12)}q` }
      const job = L.createJob(view)
      await L.waitFor(() => !/tentative/.test(L.snapshot(view).addresses), 'the runner’s addresses to settle')
      const before = L.snapshot(view)
      const leased = Object.keys(G.peersOf(lab.srv, lab.serverIface)).sort()
      const env = { ...tokens.env, NODE_EXTRA_CA_CERTS: ca.caFile }
      const main = await L.runStep(
        view,
        job,
        'main',
        { gateway: GATEWAY_URL, interface: view.iface, timeout: '10' },
        { env }
      )
      expect(main.code).toBe(1)
      expect(L.errorLine(main)).toMatch(
        /^Gateway https:\/\/vpn\.lab\.test:9443 refused the lease for now \(403 quota_exceeded: this workflow run holds 1 live leases, its quota \(quota\.run: 1\).*\); wait for other jobs of this repository or run to end, or ask its team to raise the quota$/
      )
      expect(Object.keys(G.peersOf(lab.srv, lab.serverIface)).sort()).toEqual(leased)
      expect((await L.runStep(view, job, 'post', {}, { env })).code).toBe(0)
      expect(L.snapshot(view)).toEqual(before)
    } finally {
      await restartGateway(false)
    }
  })

  it('a lease revoked from the command line stops carrying traffic at once; the other carries on', async () => {
    const list = G.gatewayCli(gateway, 'leases', 'list')
    expect(list.code).toBe(0)
    const line = (/** @type {Job} */ j) => list.stdout.split('\n').find((l) => l.includes(`${j.v4}/32`)) ?? ''
    // Repository, run, addresses, age, and a handshake seen since the jobs carried traffic.
    expect(line(app)).toMatch(new RegExp(`^\\S+ +octo/app +4242 +${app.v4}/32,${app.v6}/128 +\\S+ +\\S+ ago$`))
    expect(line(web)).toMatch(new RegExp(`^\\S+ +octo/web +99 +${web.v4}/32,${web.v6}/128 +\\S+ +\\S+ ago$`))
    const revoked = G.gatewayCli(gateway, 'leases', 'revoke', '--run', '4242')
    expect(revoked.stdout).toMatch(/^revoked 1 lease\n/)
    expect(G.peersOf(lab.srv, lab.serverIface)[app.key]).toBeUndefined()
    expect(G.nftLeases(lab.srv, table)).toEqual([`${web.v4} rule_1`, `${web.v6} rule_1`].sort())
    expect(fetchFrom(app, service(L.SERVER_ADDR))).toBeUndefined()
    expect(fetchFrom(web, service(L.BEHIND))).toBe(hello(web.v4))
    await gateway.waitAudit((l) => l.event === 'lease.ended' && l.reason === 'revoked', 'the revoke in the audit')
  })
})
