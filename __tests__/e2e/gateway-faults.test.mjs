// @ts-check
// The bundled gateway (dist/gateway, Node 24) under the faults a platform team meets (issue 16):
// stores shared between gateways or processes, a store that cannot be written (its write lock held
// by another process, its disk full), SIGHUP, a key the issuer just published, and a first
// deployment's mistakes. Against the lab's real wireguard-go interface, with TLS from a lab CA and a
// local OIDC issuer; every request comes from the runner namespace. The lab's static runner peer (not
// the gateway's) stays exactly as it is throughout.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
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
/** @type {(() => void)[]} */
const cleanups = []
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
  /** @type {Parameters<typeof G.startGateway>[2]} */ opts = {}
) {
  const gw = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca, extra), opts)
  started.push(gw)
  return gw
}

/**
 * Starts a gateway that must refuse to start; resolves with what it said on stderr.
 * @param {Record<string, unknown>} config the whole configuration
 * @param {Parameters<typeof G.startGateway>[2]} [opts]
 */
async function refusedStart(config, opts) {
  const err = await G.startGateway(lab.srv, config, opts).then(
    (gw) => {
      started.push(gw)
      throw new Error('the gateway started')
    },
    (/** @type {Error} */ e) => e
  )
  const m = /^the gateway exited \(1\): ([\s\S]*)$/.exec(err.message)
  if (!m) throw err
  return /** @type {string} */ (m[1])
}

/** @type {<R extends LabRequest[]>(...requests: R) => Promise<{ [K in keyof R]: LabResponse }>} */
const send = async (...requests) => G.requestFrom(lab.run, /** @type {[...typeof requests]} */ (requests), env)

async function lease(/** @type {string} */ token, key = newKey(), base = BASE) {
  const [r] = await send(G.leaseRequest(base, token, key))
  return { ...r, key }
}

const release = (/** @type {string} */ id, /** @type {string} */ secret) => ({
  method: 'DELETE',
  url: `${BASE}/v1/leases/${id}`,
  headers: { authorization: `Bearer ${secret}` }
})

const health = async () => (await send({ url: `${BASE}/healthz` }))[0]

/** Polls (bounded) until `cond()` (or the promise it returns) holds. */
/** @param {() => unknown} cond @param {string} what */
async function until(cond, what, ms = 15000) {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The SHA-256 fingerprint of the certificate the gateway serves, as the runner sees it. */
function servedFingerprint() {
  const out = execFileSync(
    'ip',
    [
      'netns',
      'exec',
      lab.run,
      'sh',
      '-c',
      `openssl s_client -connect ${L.SERVER_IP}:${G.GATEWAY_PORT} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`
    ],
    { encoding: 'utf8' }
  )
  return out.trim().replace(/^sha256 Fingerprint=/i, '')
}
const fingerprintOf = (/** @type {string} */ file) => new X509Certificate(readFileSync(file)).fingerprint256

beforeAll(async () => {
  lab = L.createLab()
  ca = G.createLabCA()
  env = { NODE_EXTRA_CA_CERTS: ca.caFile }
  await lab.ready
  issuer = await G.startIssuer(lab.srv)
})

afterEach(async () => {
  // The peer the gateway did not add is never touched.
  expect(peers()[lab.runnerPub]).toBe(FOREIGN_IPS)
  for (const gw of started.splice(0)) {
    await gw.stop()
    gw.remove()
    expect(gw.audit.filter((l) => l.event === 'not-json')).toEqual([])
  }
  for (const c of cleanups.splice(0).reverse()) c()
  for (const key of Object.keys(peers())) if (key !== lab.runnerPub) wgSet('peer', key, 'remove')
})

afterAll(async () => {
  for (const gw of started.splice(0)) await gw.stop()
  for (const c of cleanups.splice(0).reverse()) c()
  await issuer?.stop()
  if (lab) L.destroyLab(lab)
  if (ca) rmSync(ca.dir, { recursive: true, force: true })
})

describe('a store belongs to one gateway and one process (cases 1 and 2)', () => {
  it('two gateways for two interfaces never share a store: refused while the other runs and after; apart, a job refused by one gets no peer on it', async () => {
    const staging = G.addServerInterface(lab, `wb${lab.id}`, L.PORT + 2)
    cleanups.push(staging.remove)
    // prod admits one repository; staging the whole organisation.
    const prod = await start({
      rules: [{ claims: { repository_owner_id: '1234', repository_id: '5678' } }],
      'lease-ttl': '3s',
      'sweep-interval': '200ms'
    })
    const stagingConfig = (/** @type {string} */ state) => ({
      ...G.gatewayConfig(lab, issuer, ca),
      listen: `${L.SERVER_IP}:${G.GATEWAY_PORT + 1}`,
      interface: staging.iface,
      endpoint: `${L.SERVER_IP}:${L.PORT + 2}`,
      pool: ['2001:db8:5::/64'],
      'allowed-ips': ['2001:db8:5::/64'],
      rules: [{ claims: { repository_owner_id: '1234' } }],
      state
    })
    // The same file, as two copies of a unit with one `state` would have it: refused, in one line.
    const whileRunning = await refusedStart(stagingConfig(prod.statePath))
    expect(whileRunning).toMatch(
      new RegExp(
        `^wireguard-gateway: the store ${prod.statePath} is in use by another gateway process \\(pid ${prod.pid}, since [^)]+\\): one process per store\\. Stop the other one, or give this gateway its own "state"\\n$`
      )
    )
    await prod.stop()
    started.splice(started.indexOf(prod), 1)
    const afterwards = await refusedStart(stagingConfig(prod.statePath))
    expect(afterwards).toBe(
      `wireguard-gateway: the store ${prod.statePath} belongs to the gateway of interface "${lab.serverIface}" (public key ${lab.serverPub}); this gateway serves "${staging.iface}" (public key ${staging.publicKey}). Give each gateway its own "state" (by default /var/lib/wireguard-gateway/INTERFACE.db)\n`
    )

    // Apart, each on its own store.
    const prodAgain = await start(
      { rules: prod.config.rules, 'lease-ttl': '3s', 'sweep-interval': '200ms' },
      { stateDir: prod.dir }
    )
    const stagingGw = await G.startGateway(
      lab.srv,
      { ...stagingConfig(`${prod.dir}/staging.db`), 'control-socket': `${prod.dir}/staging.sock` },
      { stateDir: prod.dir }
    )
    started.push(stagingGw)
    const control = await lease(await issuer.mint())
    expect(control.status).toBe(201)
    const key = newKey()
    const other = { claims: { repository: 'octo/other', repository_id: '999' } }
    expect((await lease(await issuer.mint(other), key)).status).toBe(403)
    const granted = await lease(
      await issuer.mint({ ...other, aud: G.AUDIENCE }),
      key,
      `https://${L.SERVER_IP}:${G.GATEWAY_PORT + 1}`
    )
    expect(granted.status).toBe(201)
    expect(G.peersOf(lab.srv, staging.iface)).toEqual({ [key]: '2001:db8:5::1/128' })
    // prod sweeps on (its control lease ends at its time), and never adds that key.
    await prodAgain.waitAudit((l) => l.event === 'lease.ended' && l.lease === control.body.id, 'a prod sweep')
    expect(peers()[key]).toBeUndefined()
    expect(prodAgain.audit.some((l) => l.publicKey === key && l.event !== 'lease.refused')).toBe(false)
  })

  it('a second process on the same interface and store refuses to start in one line; after the first is killed, it starts and keeps its leases', async () => {
    const first = await start()
    const a = await lease(await issuer.mint())
    expect(a.status).toBe(201)
    const said = await refusedStart(first.config, { stateDir: first.dir })
    expect(said.split('\n')).toEqual([
      expect.stringContaining(`is in use by another gateway process (pid ${first.pid}`),
      ''
    ])
    // Nothing was leased twice: one lease, one peer.
    expect(Object.keys(peers())).toHaveLength(2)
    // Killed outright: the kernel releases the lock with the process.
    process.kill(/** @type {number} */ (first.pid), 'SIGKILL')
    await first.exited
    started.splice(started.indexOf(first), 1)
    const second = await start({}, { stateDir: first.dir })
    expect(second.audit.find((l) => l.event === 'gateway.reconciled')).toMatchObject({ leases: 1 })
    const b = await lease(await issuer.mint())
    expect(b.status).toBe(201)
    expect(b.body.addresses).not.toEqual(a.body.addresses)
    expect(peers()[a.key]).toBe(a.body.addresses.join(','))
  })
})

describe('no failure of the store keeps access (case 3)', () => {
  it('with its write lock held by another process: new leases 503 store_unavailable, /healthz says so, release and expiry take peers off, all written once it is free', async () => {
    const gw = await start({ 'lease-ttl': '8s', 'sweep-interval': '200ms' })
    const released = await lease(await issuer.mint())
    const expiring = await lease(await issuer.mint())
    expect([released.status, expiring.status]).toEqual([201, 201])
    const holder = await G.holdStore(lab.srv, gw.statePath)
    try {
      const refused = await lease(await issuer.mint())
      expect(refused).toMatchObject({
        status: 503,
        body: { code: 'store_unavailable', error: "the gateway's store cannot be written just now; try again shortly" }
      })
      expect(peers()[refused.key]).toBeUndefined()
      expect(await health()).toMatchObject({
        status: 503,
        body: {
          status: 'store-unavailable',
          code: 'store_unavailable',
          leases: 2,
          store: expect.stringMatching(/^another process holds the store’s write lock \(SQLITE_BUSY\)/)
        }
      })
      const [ended] = await send(release(released.body.id, released.body.secret))
      expect(ended).toMatchObject({ status: 202, body: { removed: true, recorded: false } })
      expect(peers()[released.key]).toBeUndefined()
      await gw.waitAudit((l) => l.event === 'lease.ended' && l.lease === expiring.body.id, 'the expiry', 20000)
      expect(gw.audit.find((l) => l.event === 'lease.ended' && l.lease === expiring.body.id)?.reason).toBe('expired')
      expect(peers()[expiring.key]).toBeUndefined()
    } finally {
      await holder.stop()
    }
    await until(async () => (await health()).status === 200, 'the store to take writes again')
    expect((await health()).body).toMatchObject({ status: 'ok', store: 'ok', leases: 0 })
    expect((await lease(await issuer.mint())).status).toBe(201)
    // Written: a restart on the store finds both ended (nothing restored).
    await gw.stop()
    started.splice(started.indexOf(gw), 1)
    const again = await start({ 'lease-ttl': '8s', 'sweep-interval': '200ms' }, { stateDir: gw.dir })
    expect(again.audit.find((l) => l.event === 'gateway.reconciled')).toMatchObject({ leases: 1, count: 0 })
    expect(peers()[released.key]).toBeUndefined()
    expect(peers()[expiring.key]).toBeUndefined()
  })

  it('with its disk full: a release answers 202 with the peer gone, an expired lease’s peer goes on time, the records follow once there is room', async () => {
    const gw = await start({ 'lease-ttl': '8s', 'sweep-interval': '200ms' }, { tmpfs: '4m' })
    const released = await lease(await issuer.mint())
    const expiring = await lease(await issuer.mint())
    expect([released.status, expiring.status]).toEqual([201, 201])
    const free = G.fillDisk(gw)
    try {
      const refused = await lease(await issuer.mint())
      expect(refused).toMatchObject({ status: 503, body: { code: 'store_unavailable' } })
      expect(gw.audit.filter((l) => l.event === 'lease.refused').pop()?.reason).toMatch(/\(SQLITE_FULL\)\)$/)
      const [ended] = await send(release(released.body.id, released.body.secret))
      expect(ended).toMatchObject({ status: 202, body: { removed: true, recorded: false } })
      expect(peers()[released.key]).toBeUndefined()
      await gw.waitAudit((l) => l.event === 'lease.ended' && l.lease === expiring.body.id, 'the expiry', 20000)
      expect(peers()[expiring.key]).toBeUndefined()
      expect(await health()).toMatchObject({
        status: 503,
        body: {
          store: expect.stringMatching(/^the store’s disk is full \(SQLITE_FULL\); [1-9][0-9]* write\(s\) wait$/)
        }
      })
    } finally {
      free()
    }
    await until(async () => (await health()).status === 200, 'the store to take writes again')
    expect((await health()).body).toMatchObject({ store: 'ok', leases: 0 })
    expect((await lease(await issuer.mint())).status).toBe(201)
  })
})

describe('faults around it (case 7)', () => {
  it('SIGHUP reloads the configuration and the certificate; a bad one keeps the running one and says why in one line', async () => {
    const gw = await start({ rules: [{ claims: { repository_owner_id: '1234', repository_id: '1' } }] })
    const hup = async (/** @type {string} */ event) => {
      const seen = gw.audit.length
      process.kill(/** @type {number} */ (gw.pid), 'SIGHUP')
      return gw.waitAudit((l) => gw.audit.indexOf(l) >= seen && l.event === event, event)
    }
    expect((await lease(await issuer.mint())).status).toBe(403)
    expect(servedFingerprint()).toBe(fingerprintOf(ca.certFile))
    // A new rule and a renewed certificate.
    const renewed = ca.issue('renewed')
    const good = {
      ...gw.config,
      rules: [{ claims: { repository_owner_id: '1234', repository_id: '5678' } }],
      tls: { cert: renewed.certFile, key: renewed.keyFile }
    }
    G.writeGatewayConfig(gw, good)
    await hup('gateway.reloaded')
    expect((await lease(await issuer.mint())).status).toBe(201)
    expect(servedFingerprint()).toBe(fingerprintOf(renewed.certFile))
    // A key that is not the certificate's: refused, the renewed pair stays.
    G.writeGatewayConfig(gw, { ...good, tls: { cert: ca.certFile, key: renewed.keyFile } })
    const refusedPair = await hup('gateway.reload-refused')
    expect(refusedPair.reason).toMatch(
      /^tls\.key \S+ does not belong to tls\.cert \S+ .*; the running configuration stays$/
    )
    // A configuration that does not parse, and one that changes what cannot change while running.
    G.writeGatewayConfig(gw, { ...good, rules: 'none' })
    expect((await hup('gateway.reload-refused')).reason).toMatch(/"rules" \(line \d+\) must be a list of rules/)
    G.writeGatewayConfig(gw, { ...good, interface: 'wg9' })
    expect((await hup('gateway.reload-refused')).reason).toBe(
      '"interface" cannot change while the gateway runs: restart it to apply that; the running configuration stays'
    )
    expect(servedFingerprint()).toBe(fingerprintOf(renewed.certFile))
    expect((await lease(await issuer.mint())).status).toBe(201)
    expect(gw.child.exitCode).toBeNull()
  })

  it('a token signed with a key the issuer just published is accepted at once; unknown kids stay 401', async () => {
    await start()
    // The gateway has the issuer's keys now.
    expect((await lease(await issuer.mint())).status).toBe(201)
    const fresh = await issuer.addKey(`lab-key-${Date.now()}`)
    expect((await lease(await issuer.mint({ key: fresh }))).status).toBe(201)
    const unknown = await lease(await issuer.mint({ key: issuer.stranger }))
    expect(unknown.status).toBe(401)
  })
})

describe('a first deployment (cases 7 and 8)', () => {
  it('refuses an issuer with a trailing slash at start, naming the key', async () => {
    const said = await refusedStart(
      G.gatewayConfig(lab, issuer, ca, { issuer: 'https://token.actions.githubusercontent.com/' })
    )
    expect(said).toMatch(
      /^wireguard-gateway: \S+\.yml: "issuer" \(line \d+\) must not end with "\/": a token's iss is compared exactly.*; give https:\/\/token\.actions\.githubusercontent\.com\n$/
    )
  })

  it('starts with no rules, with a warning', async () => {
    const gw = await start({ rules: [] })
    expect(gw.audit.find((l) => l.event === 'warning')?.reason).toBe(
      'the configuration has no rules: every lease request is refused (403). Add rules (docs/gateway.md)'
    )
  })

  it('run without root or CAP_NET_ADMIN, says so in one line (not that the interface does not exist)', async () => {
    const said = await refusedStart(G.gatewayConfig(lab, issuer, ca), {
      wrap: ['setpriv', `--reuid=${L.PLAIN_USER}`, `--regid=${L.PLAIN_USER}`, '--clear-groups']
    })
    expect(said).toMatch(
      /^wireguard-gateway: needs root \(or CAP_NET_ADMIN\) to change WireGuard peers: it runs as uid \d+ without CAP_NET_ADMIN\. Start it as root \(the systemd unit does\)\n$/
    )
  })

  // The bundle must reach its version check before anything an older Node cannot load (node:sqlite):
  // tried with the machine's own Node.js when it is older than 24 (PATH, npm's node_modules/.bin aside).
  const machineNode = [
    ...(process.env.PATH ?? '').split(':').filter((d) => d !== '' && !d.includes('node_modules')),
    '/usr/local/bin',
    '/usr/bin'
  ]
    .map((d) => `${d}/node`)
    .map((node) => ({
      node,
      version: spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim()
    }))
    .find((n) => n.version && Number(n.version.split('.')[0]) < 24)
  const old = machineNode?.version ?? ''
  ;(machineNode ? it : it.skip)(
    `under Node.js ${old || 'older than 24 (none here)'} asks for Node.js 24 in one line`,
    () => {
      const r = spawnSync(/** @type {string} */ (machineNode?.node), [G.GATEWAY, '--config', '/nonexistent.yml'], {
        encoding: 'utf8'
      })
      expect(r.status).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(
        new RegExp(
          `^wireguard-gateway: needs Node\\.js 24 or later \\(it uses node:sqlite\\); \\S+ is Node\\.js ${old.replace(/\./g, '\\.')}\\. Install Node\\.js 24 and start the gateway with it \\(the systemd unit's ExecStart\\)\\n$`
        )
      )
    }
  )
})
