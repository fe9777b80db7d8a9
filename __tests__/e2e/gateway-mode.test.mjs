// @ts-check
// Gateway mode end to end: the bundled action (Node 24) in runner namespaces asks the project's
// gateway (TLS from a lab CA, given to the action through NODE_EXTRA_CA_CERTS) for a lease with
// the job's OIDC token from a stand-in for the runner's token service, brings the tunnel up from
// the answer, and releases the lease in post. Nothing is left on either side. Last, liveness (issue
// 16, case 6): a quiet job keeps its lease, its peer removed by hand comes back, and keepalives
// cannot be turned off in gateway mode. Then failover over several gateways (one URL per line):
// the first down, drained or refusing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, rmSync } from 'node:fs'
import * as G from '../../lab/gateway.mjs'
import { storeForTests } from '../../lab/postgres.mjs'
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
/** SQLite, or PostgreSQL with WGT_GATEWAY_STORE=postgres (gateway-mode.postgres.test.mjs). */
/** @type {Awaited<ReturnType<typeof storeForTests>>} */
let store
/** A second lab CA, which signed nothing the gateway serves. */
/** @type {G.LabCA} */
let otherCa
const GATEWAY_URL = `https://${L.ENDPOINT_NAME}:${G.GATEWAY_PORT}`
const service = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
const HANG_MARGIN_MS = 2000

const peers = () => G.peersOf(lab.srv, lab.serverIface)
/** The peers the gateway leased (the lab's static runner peer aside). */
const leased = () => Object.keys(peers()).filter((k) => k !== lab.runnerPub)
/**
 * @param {() => unknown} cond
 * @param {string} what
 * @param {number} [ms]
 */
const until = (cond, what, ms) => L.waitFor(cond, what, ms)

/** A job's step environment: the runner's token service, and the lab CA for the gateway's TLS. */
const jobEnv = (/** @type {Record<string, string>} */ extra = {}) => ({
  ...tokens.env,
  NODE_EXTRA_CA_CERTS: ca.caFile,
  ...extra
})

const inputs = (/** @type {L.Inputs} */ extra = {}) => ({
  gateway: GATEWAY_URL,
  interface: lab.iface,
  check: service,
  timeout: '10',
  ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {}),
  ...extra
})

/** A view of the lab with another runner namespace as "the runner". */
const runnerView = (/** @type {string} */ ns, iface = lab.iface) => ({ ...lab, run: ns, iface })

/** curl from a namespace, without blocking the event loop (for requests at the same time). */
function curlIn(/** @type {string} */ ns, /** @type {string} */ url) {
  /** @type {Promise<{ ok: boolean, body: string }>} */
  const done = new Promise((resolve) => {
    const c = spawn('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '5', url], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let body = ''
    c.stdout.on('data', (d) => (body += d))
    c.on('close', (code) => resolve({ ok: code === 0, body }))
  })
  return done
}

/**
 * The secrets a step holds: what it masked (the ephemeral private key, the OIDC token, the lease
 * secret) and the runner's request token. None may appear anywhere visible; only the lease secret
 * may be in the step state, which the runner keeps for post and never shows.
 * @param {L.StepResult[]} steps
 * @param {L.Job} job
 * @param {Set<string>} commandLines
 * @param {Set<string>} environments
 */
function expectNoGatewaySecrets(steps, job, commandLines, environments) {
  const masked = steps
    .flatMap((s) => s.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')))
    .map((l) => l.slice(12))
  expect(masked.length).toBeGreaterThanOrEqual(3)
  const secrets = [...new Set([...masked, tokens.requestToken])].filter((s) => s.length >= 8)
  const visible = (/** @type {L.StepResult} */ s) =>
    s.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
  const places = steps.flatMap((s) => [visible(s), s.stderr, JSON.stringify(s.outputs), s.summary])
  for (const f of [...L.filesBelow(job.temp), ...L.filesBelow(job.workspace)]) places.push(f.text)
  places.push(...commandLines)
  const stepPids = new Set(steps.map((s) => String(s.pid)))
  for (const e of environments) {
    // Each sample is `PID\nCMDLINE\nENV` (sampleCommandLines).
    const [pid, cmdline] = /** @type {[string, string]} */ (e.split('\n', 2))
    if (!stepPids.has(pid) && cmdline !== '' && !cmdline.includes(L.MAIN) && !cmdline.includes(L.POST)) places.push(e)
  }
  for (const secret of secrets) for (const text of places) expect(text.includes(secret)).toBe(false)
  // The state holds the lease secret for post, and nothing else of these.
  const state = steps[0]?.state ?? ''
  expect(secrets.filter((s) => state.includes(s))).toHaveLength(1)
}

beforeAll(async () => {
  lab = L.createLab()
  ca = G.createLabCA()
  otherCa = G.createLabCA()
  // The test users must read the CA file, as a runner's user reads what the job gives it.
  chmodSync(ca.dir, 0o755)
  chmodSync(ca.caFile, 0o644)
  await lab.ready
  issuer = await G.startIssuer(lab.srv)
  tokens = await G.startTokenService(lab.srv, issuer, { host: L.SERVER_IP })
  store = await storeForTests()
  gateway = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca, store.state()))
}, 60000)

afterAll(async () => {
  await gateway?.stop()
  gateway?.remove()
  await tokens?.stop()
  await issuer?.stop()
  if (lab) L.destroyLab(lab)
  if (ca) rmSync(ca.dir, { recursive: true, force: true })
  if (otherCa) rmSync(otherCa.dir, { recursive: true, force: true })
  store?.close()
})

describe('one job', () => {
  it.each([
    ['as root', undefined],
    ['as a user with passwordless sudo', L.SUDO_USER]
  ])('leases an address, carries traffic, and leaves nothing on either side (%s)', async (_as, user) => {
    const job = L.createJob(lab, user)
    const before = L.snapshot(lab)
    const {
      result: main,
      commandLines,
      environments
    } = await L.sampleCommandLines(() => L.runStep(lab, job, 'main', inputs(), { env: jobEnv() }))
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    const address = /** @type {string} */ (main.outputs.address)
    expect(address).toMatch(/^192\.0\.2\.[0-9]+,2001:db8:1::[0-9a-f]+$/)
    const [v4] = address.split(',')
    expect(v4).not.toBe(L.RUNNER_ADDR)
    expect(main.outputs.interface).toBe(lab.iface)
    // The ephemeral key is the one the server has, with exactly the leased addresses.
    expect(peers()[main.outputs['public-key'] ?? '']).toBe(`${v4}/32,${address.split(',')[1]}/128`)
    expect(main.summary).toMatch(/\| Lease \| \S+ from https:\/\/vpn\.lab\.test:9443, until \S+ \|/)
    // The service names the caller: the leased address, so the request went through the tunnel.
    expect(L.curl(lab, service).body).toBe(`hello from the private network\nyou are ${v4}\n`)
    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(post.stdout).toMatch(/Removed .*lease /)
    expect(leased()).toEqual([])
    expect(L.snapshot(lab)).toEqual(before)
    expectNoGatewaySecrets([main, post], job, commandLines, environments)
  })
})

describe('many jobs at once', () => {
  it('20 jobs from 20 runners: distinct addresses, all carry traffic at the same time, all released', async () => {
    const runners = [lab.run, ...Array.from({ length: 19 }, () => L.addRunner(lab))]
    // Each its own name: the lab's runners share one /var/run/wireguard, where real runners would not.
    const views = runners.map((ns, i) => runnerView(ns, `${lab.iface.slice(0, 12)}${i}`))
    const jobs = views.map((v) => L.createJob(v))
    const mains = await Promise.all(
      views.map((v, i) =>
        L.runStep(v, /** @type {L.Job} */ (jobs[i]), 'main', inputs({ timeout: '30', interface: v.iface }), {
          env: jobEnv()
        })
      )
    )
    for (const m of mains) if (m.code !== 0) throw new Error(`a main failed:\n${m.stdout}`)
    const addresses = mains.map((m) => m.outputs.address?.split(',')[0])
    expect(new Set(addresses).size).toBe(20)
    expect(leased()).toHaveLength(20)
    const answers = await Promise.all(runners.map((ns) => curlIn(ns, service)))
    expect(answers.map((a) => a.body)).toEqual(addresses.map((a) => `hello from the private network\nyou are ${a}\n`))
    const posts = await Promise.all(
      views.map((v, i) => L.runStep(v, /** @type {L.Job} */ (jobs[i]), 'post', {}, { env: jobEnv() }))
    )
    expect(posts.map((p) => p.code)).toEqual(posts.map(() => 0))
    expect(leased()).toEqual([])
    for (const v of views) expect(L.snapshot(v).processes).toEqual([])
  }, 120000)
})

describe('refused, each in one line within timeout, nothing left on either side', () => {
  /**
   * What the gateway's audit line of the refusal must hold, when the case says.
   * @type {[what: string, make: () => { env: Record<string, string>, extra?: L.Inputs, setup?: () => void, audit?: Record<string, unknown> }, pattern: RegExp][]}
   */
  const cases = [
    [
      'no rule matches',
      () => ({ env: jobEnv(), setup: () => tokens.set({ claims: { repository_owner_id: '999' } }) }),
      /^Gateway https:\/\/vpn\.lab\.test:9443 refused this job \(403 no_rule_matches: no rule allows this token \(claims checked: .*repository_owner_id.*\)\); ask its team to add a rule for this repository$/
    ],
    [
      'wrong audience: both named, on both sides',
      () => ({
        env: jobEnv(),
        extra: { audience: 'https://elsewhere.example' },
        audit: {
          status: 401,
          code: 'audience_mismatch',
          reason:
            'the token\'s audience "https://elsewhere.example" is not this gateway\'s audience "https://vpn.lab.test:9443"'
        }
      }),
      /^Gateway https:\/\/vpn\.lab\.test:9443 did not accept this job's token \(401 audience_mismatch: the token's audience "https:\/\/elsewhere\.example" is not this gateway's audience "https:\/\/vpn\.lab\.test:9443"\); this job asked for a token for "https:\/\/elsewhere\.example" \(the audience input, or by default the gateway URL's origin\): set the audience input to the gateway's audience, or the gateway's audience to this$/
    ],
    [
      'no id-token: write (no token service)',
      () => ({ env: { NODE_EXTRA_CA_CERTS: ca.caFile } }),
      /^Gateway mode needs the job's OIDC token, and this job has none: add `permissions: id-token: write` to the job \(pull requests from forks get no token/
    ],
    [
      'gateway down',
      () => ({ env: jobEnv(), extra: { gateway: `https://${L.ENDPOINT_NAME}:9444` } }),
      /^Gateway https:\/\/vpn\.lab\.test:9444 \(198\.51\.100\.1\) could not be reached \(ECONNREFUSED\)/
    ],
    [
      'untrusted certificate',
      () => ({ env: tokens.env }),
      /^Gateway https:\/\/vpn\.lab\.test:9443 presented a certificate this runner does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: no CA this runner trusts signed it, and the gateway sent no chain above it\): for a private CA, set NODE_EXTRA_CA_CERTS in the step's env to its PEM file, or NODE_USE_SYSTEM_CA=1/
    ],
    [
      'untrusted certificate, NODE_EXTRA_CA_CERTS already set (to a CA that did not sign it)',
      () => ({ env: { ...tokens.env, NODE_EXTRA_CA_CERTS: otherCa.caFile } }),
      /^Gateway https:\/\/vpn\.lab\.test:9443 presented a certificate this runner does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: [^)]*\): NODE_EXTRA_CA_CERTS is set \(\/tmp\/wgt-ca-\w+\/ca\.pem\) but no CA in it signed this certificate: put there the CA that issued the gateway's certificate \(for a chain, its root\); if it is there, the gateway must serve its intermediate certificates too/
    ],
    [
      'NODE_EXTRA_CA_CERTS naming a file that is not there',
      () => ({ env: { ...tokens.env, NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' } }),
      /: NODE_EXTRA_CA_CERTS names \/nonexistent\/ca\.pem, which does not exist \(Node ignores it\): write the CA's PEM file there before this step$/
    ]
  ]
  it.each(cases)('%s', async (_what, make, pattern) => {
    const { env, extra = {}, setup, audit } = make()
    setup?.()
    try {
      const job = L.createJob(lab)
      const before = L.snapshot(lab)
      const main = await L.runStep(lab, job, 'main', inputs({ timeout: '5', ...extra }), { env })
      expect(main.code).toBe(1)
      expect(L.errorLine(main)).toMatch(pattern)
      // Advice the job already follows is never given.
      if (env.NODE_EXTRA_CA_CERTS) expect(L.errorLine(main)).not.toMatch(/set NODE_EXTRA_CA_CERTS/)
      if (audit)
        expect(
          await gateway.waitAudit((l) => l.event === 'lease.refused' && l.code === audit.code, 'the refusal')
        ).toMatchObject(audit)
      expect(main.ms).toBeLessThan(5000 + HANG_MARGIN_MS)
      const post = await L.runStep(lab, job, 'post', {}, { env })
      expect(post.code).toBe(0)
      expect(L.snapshot(lab)).toEqual(before)
      expect(leased()).toEqual([])
    } finally {
      tokens.set({ claims: {} })
    }
  })

  it("the gateway's clock 110 s behind the token issuer's: says which side and by how many seconds, on both sides", async () => {
    // The issuer's clock ahead is the same evidence to the gateway as its own behind.
    tokens.set({ skew: 110 })
    try {
      const job = L.createJob(lab)
      const before = L.snapshot(lab)
      const main = await L.runStep(lab, job, 'main', inputs({ timeout: '5' }), { env: jobEnv() })
      expect(main.code).toBe(1)
      const line = L.errorLine(main) ?? ''
      const m =
        /^Gateway https:\/\/vpn\.lab\.test:9443 did not accept this job's token \(401 token_not_yet_valid: the token is not valid for another ([0-9]+) s by the gateway's clock \(nbf\): the gateway's clock is at least \1 s behind the token issuer's\); the gateway's clock is behind the token issuer's: set the gateway host's clock right \(NTP: timedatectl set-ntp true\)$/.exec(
          line
        )
      if (!m) throw new Error(`unexpected error line: ${line}`)
      // nbf is 5 s before iat: 105 s ahead, less the time the request took.
      expect(Number(m[1])).toBeGreaterThanOrEqual(95)
      expect(Number(m[1])).toBeLessThanOrEqual(105)
      expect(line).not.toMatch(/audience input/)
      const audit = await gateway.waitAudit(
        (l) => l.event === 'lease.refused' && l.code === 'token_not_yet_valid',
        'the refusal in the audit'
      )
      expect(audit).toMatchObject({
        status: 401,
        reason: expect.stringMatching(/the gateway's clock is at least [0-9]+ s behind/)
      })
      await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
      expect(L.snapshot(lab)).toEqual(before)
      expect(leased()).toEqual([])
    } finally {
      tokens.set({ skew: 0 })
    }
  })

  it('a failed bring-up releases its lease', async () => {
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const main = await L.runStep(lab, job, 'main', inputs({ timeout: '2', check: `${L.SERVER_ADDR}:9` }), {
      env: jobEnv()
    })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toMatch(/^The tunnel is up but TCP 192\.0\.2\.1:9 did not answer/)
    expect(leased()).toEqual([])
    expect(main.stdout).not.toMatch(/::warning::/)
    await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(L.snapshot(lab)).toEqual(before)
  })
})

describe('jobs that end badly', () => {
  it('job killed after the lease: post releases it', async () => {
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    // A silent check keeps main waiting with the tunnel up.
    const main = await L.runStep(lab, job, 'main', inputs({ timeout: '20', check: `${L.SERVER_ADDR}:9` }), {
      env: jobEnv(),
      onSpawn: (child) =>
        until(() => leased().length === 1 && L.snapshot(lab).links.includes(lab.iface), 'the lease').then(() =>
          child.kill('SIGTERM')
        )
    })
    expect(main.signal).toBe('SIGTERM')
    expect(leased()).toHaveLength(1)
    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(leased()).toEqual([])
    expect(L.snapshot(lab)).toEqual(before)
  })

  it('post never ran: the gateway reclaims the lease once the peer falls silent', async () => {
    // A gateway that counts a runner silent after 3 s without a packet (three of its 1 s keepalives).
    await gateway.stop()
    const quick = await G.startGateway(lab.srv, {
      ...G.gatewayConfig(lab, issuer, ca, store.state()),
      silence: '3s',
      'persistent-keepalive': 1,
      'sweep-interval': '200ms'
    })
    try {
      const job = L.createJob(lab)
      const main = await L.runStep(lab, job, 'main', inputs(), { env: jobEnv() })
      expect(main.code).toBe(0)
      const key = /** @type {string} */ (main.outputs['public-key'])
      // The runner dies: its wireguard-go goes, and no post step runs.
      for (const pid of L.wireguardGoPids(lab.iface, lab)) process.kill(pid, 'SIGKILL')
      await until(() => peers()[key] === undefined, 'the gateway to remove the silent peer', 20000)
      await quick.waitAudit((l) => l.event === 'lease.ended' && l.reason === 'silent', 'the lease to end as silent')
      // Tidy the runner as a later job's post would find it.
      await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    } finally {
      await quick.stop()
      quick.remove()
      gateway.remove()
      gateway = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca, store.state()))
    }
  }, 60000)
})

describe("the gateway's own faults, said as such", () => {
  /** Gateways beside the file's own, on ports of their own: started per test, stopped after. */
  /** @type {G.Gateway[]} */
  const extra = []
  afterEach(async () => {
    for (const gw of extra.splice(0)) {
      await gw.stop()
      gw.remove()
    }
  })
  /** A gateway on `port` with `config` over the lab's; the job's inputs for it. */
  const another = async (/** @type {number} */ port, /** @type {Record<string, unknown>} */ config) => {
    const url = `https://${L.ENDPOINT_NAME}:${port}`
    extra.push(
      await G.startGateway(lab.srv, {
        ...G.gatewayConfig(lab, issuer, ca, store.state()),
        listen: `${L.SERVER_IP}:${port}`,
        audience: url,
        ...config
      })
    )
    return /** @type {G.Gateway} */ (extra.at(-1))
  }
  /** Runs main against `url`; expects one error line and nothing left; resolves with the line. */
  const refusedAt = async (/** @type {string} */ url) => {
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const main = await L.runStep(lab, job, 'main', inputs({ gateway: url, timeout: '5' }), { env: jobEnv() })
    expect(main.code).toBe(1)
    expect(main.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
    await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(L.snapshot(lab)).toEqual(before)
    expect(leased()).toEqual([])
    return L.errorLine(main) ?? ''
  }

  it('its token issuer unreachable: 503 issuer_unreachable, told as the issuer, not the pool', async () => {
    // Nothing listens at this issuer's port: discovery fails.
    const gw = await another(9445, { issuer: 'http://127.0.0.1:9009' })
    const line = await refusedAt('https://vpn.lab.test:9445')
    expect(line).toBe(
      "Gateway https://vpn.lab.test:9445 could not check this job's token (503 issuer_unreachable: the token issuer could not be reached; try again); the gateway could not reach its token issuer, so nothing is wrong with this job: try again later; if it persists, the gateway's network or the issuer is down (its log names the URL and the error)"
    )
    // The operator's line has where and why; the job's has neither.
    const audit = await gw.waitAudit((l) => l.event === 'lease.refused', 'the refusal')
    expect(audit).toMatchObject({ status: 503, code: 'issuer_unreachable' })
    expect(audit.reason).toMatch(/http:\/\/127\.0\.0\.1:9009\/\.well-known\/openid-configuration.*ECONNREFUSED/)
  })

  it('its certificate expired, with NODE_EXTRA_CA_CERTS set: renew it (or this clock), no CA advice', async () => {
    const expired = G.labLeaf(ca, 'expired', { startdate: '20200101000000Z', enddate: '20200102000000Z' })
    await another(9446, { tls: { cert: expired.certFile, key: expired.keyFile } })
    const line = await refusedAt('https://vpn.lab.test:9446')
    expect(line).toMatch(
      /^Gateway https:\/\/vpn\.lab\.test:9446: its certificate has expired: renew it on the gateway and restart it; if it has not, this runner's clock is wrong \(it reads \d{4}-\d\d-\d\dT[0-9:.]+Z\) \(CERT_HAS_EXPIRED\)$/
    )
    expect(line).not.toMatch(/NODE_EXTRA_CA_CERTS/)
  })
})

describe('several gateways, one URL per line: failover', () => {
  // A second gateway for a second WireGuard interface in the server namespace (its own key, port
  // and pool, IPv6 only so that it never overlaps the first's), on its own port: the job lists the
  // first (or a URL where nothing listens) before it.
  const SECOND_PORT = 9447
  const SECOND_URL = `https://${L.ENDPOINT_NAME}:${SECOND_PORT}`
  const DOWN_URL = `https://${L.ENDPOINT_NAME}:9444`
  const SECOND_ADDR = '2001:db8:5::1'
  const secondService = `http://[${SECOND_ADDR}]:${L.HTTP_PORT}/`
  /** @type {{ iface: string, publicKey: string, remove: () => void }} */
  let iface2
  /** @type {G.Gateway} */
  let second
  const peers2 = () => G.peersOf(lab.srv, iface2.iface)
  /**
   * How many of a gateway's audit lines so far match.
   * @param {G.Gateway} gw
   * @param {(l: Record<string, unknown>) => boolean} pred
   */
  const count = (gw, pred) => gw.audit.filter(pred).length
  /** @type {(l: Record<string, unknown>) => boolean} */
  const asked = (l) => l.event === 'lease.granted' || l.event === 'lease.refused'
  /** @type {(l: Record<string, unknown>) => boolean} */
  const released = (l) => l.event === 'lease.ended' && l.reason === 'released'

  beforeAll(async () => {
    iface2 = G.addServerInterface(lab, `wb${lab.id}`, L.PORT + 2)
    execFileSync('ip', ['-n', lab.srv, 'address', 'add', `${SECOND_ADDR}/64`, 'dev', iface2.iface, 'nodad'])
    second = await G.startGateway(lab.srv, {
      ...G.gatewayConfig(lab, issuer, ca),
      listen: `${L.SERVER_IP}:${SECOND_PORT}`,
      audience: SECOND_URL,
      interface: iface2.iface,
      endpoint: `${L.SERVER_IP}:${L.PORT + 2}`,
      pool: ['2001:db8:5::/64'],
      'allowed-ips': ['2001:db8:5::/64']
    })
  })

  afterAll(async () => {
    await second?.stop()
    second?.remove()
    iface2?.remove()
  })

  /**
   * Runs a job over `urls` that must lease from the second gateway: the tunnel carries traffic to
   * the second's network, the summary names it and the gateways passed over, and post releases it
   * there. Resolves with main's result.
   * @param {string[]} urls
   * @param {string | undefined} user
   */
  async function leasesFromSecond(urls, user) {
    const job = L.createJob(lab, user)
    const before = L.snapshot(lab)
    const releases = count(second, released)
    const {
      result: main,
      commandLines,
      environments
    } = await L.sampleCommandLines(() =>
      L.runStep(lab, job, 'main', inputs({ gateway: urls.join('\n'), check: secondService }), { env: jobEnv() })
    )
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    const address = /** @type {string} */ (main.outputs.address)
    expect(address).toMatch(/^2001:db8:5::[0-9a-f]+$/)
    expect(peers2()[main.outputs['public-key'] ?? '']).toBe(`${address}/128`)
    expect(leased()).toEqual([])
    expect(main.summary).toMatch(/\| Lease \| \S+ from https:\/\/vpn\.lab\.test:9447, until \S+ \|/)
    expect(main.stdout).toMatch(/^Leased 2001:db8:5::[0-9a-f]+ from https:\/\/vpn\.lab\.test:9447 \(lease /m)
    // Through the tunnel to the second's network: the service sees the leased address.
    expect(L.curl(lab, secondService).body).toBe(`hello from the private network\nyou are ${address}\n`)
    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(post.stdout).toMatch(/Removed .*lease /)
    await until(() => count(second, released) === releases + 1, 'the release at the second')
    expect(peers2()).toEqual({})
    expect(L.snapshot(lab)).toEqual(before)
    expectNoGatewaySecrets([main, post], job, commandLines, environments)
    return main
  }

  it.each([
    ['as root', undefined],
    ['as a user with passwordless sudo', L.SUDO_USER]
  ])(
    'the first down (nothing listens): leases from the second, carries traffic, released there (%s)',
    async (_as, user) => {
      const main = await leasesFromSecond([DOWN_URL, SECOND_URL], user)
      expect(main.stdout.split('\n').filter((l) => l.startsWith('::warning::'))).toEqual([
        expect.stringMatching(
          /^::warning::Gateway https:\/\/vpn\.lab\.test:9444 \(198\.51\.100\.1\) could not be reached \(ECONNREFUSED\): .* \(trying the next gateway, https:\/\/vpn\.lab\.test:9447\)$/
        )
      ])
      expect(main.summary).toMatch(/\| Gateways passed over \| https:\/\/vpn\.lab\.test:9444 \(ECONNREFUSED\) \|/)
    }
  )

  it.each([
    ['as root', undefined],
    ['as a user with passwordless sudo', L.SUDO_USER]
  ])('the first drained (503 draining): leases from the second, released there (%s)', async (_as, user) => {
    /** @type {(l: Record<string, unknown>) => boolean} */
    const draining = (l) => l.event === 'lease.refused' && l.code === 'draining' && l.status === 503
    const refusals = count(gateway, draining)
    expect(G.gatewayCli(gateway, 'drain').code).toBe(0)
    try {
      const main = await leasesFromSecond([GATEWAY_URL, SECOND_URL], user)
      await until(() => count(gateway, draining) === refusals + 1, 'the first to refuse while draining')
      expect(L.errorLine(main)).toBeUndefined()
      expect(main.stdout).toMatch(
        /^::warning::Gateway https:\/\/vpn\.lab\.test:9443 is not taking new leases \(503 draining: [^)]*\); it is draining \(for maintenance\): try again later \(trying the next gateway, https:\/\/vpn\.lab\.test:9447\)$/m
      )
      expect(main.summary).toMatch(/\| Gateways passed over \| https:\/\/vpn\.lab\.test:9443 \(503 draining\) \|/)
    } finally {
      G.gatewayCli(gateway, 'undrain')
    }
  })

  it.each([
    ['as root', undefined],
    ['as a user with passwordless sudo', L.SUDO_USER]
  ])(
    'the first refuses (403 no_rule_matches): stops there with its line, never asks the second (%s)',
    async (_as, user) => {
      tokens.set({ claims: { repository_owner_id: '999' } })
      try {
        const job = L.createJob(lab, user)
        const before = L.snapshot(lab)
        const secondAsked = count(second, asked)
        /** @type {(l: Record<string, unknown>) => boolean} */
        const noRule = (l) => l.event === 'lease.refused' && l.code === 'no_rule_matches'
        const refusals = count(gateway, noRule)
        const main = await L.runStep(
          lab,
          job,
          'main',
          inputs({ gateway: `${GATEWAY_URL}\n${SECOND_URL}`, timeout: '5' }),
          {
            env: jobEnv()
          }
        )
        expect(main.code).toBe(1)
        expect(main.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
        expect(L.errorLine(main)).toMatch(
          /^Gateway https:\/\/vpn\.lab\.test:9443 refused this job \(403 no_rule_matches: no rule allows this token \(claims checked: .*repository_owner_id.*\)\); ask its team to add a rule for this repository$/
        )
        expect(main.stdout).not.toMatch(/::warning::/)
        await until(() => count(gateway, noRule) === refusals + 1, 'the refusal at the first')
        expect(count(second, asked)).toBe(secondAsked)
        const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
        expect(post.code).toBe(0)
        expect(L.snapshot(lab)).toEqual(before)
        expect(leased()).toEqual([])
        expect(peers2()).toEqual({})
      } finally {
        tokens.set({ claims: {} })
      }
    }
  )
})

describe('behind a proxy (tinyproxy in the runner namespace, as on a self-hosted runner)', () => {
  /** The proxy's log lines for requests: `CONNECT host:port` or `GET http://…`. */
  const requests = (/** @type {string} */ log) =>
    log
      .split('\n')
      .map((l) => /Request \(file descriptor \d+\): (\S+ \S+)/.exec(l)?.[1])
      .filter((r) => r !== undefined)

  it.each([
    ['HTTPS_PROXY and HTTP_PROXY (with NODE_USE_ENV_PROXY=1 too)', 'upper'],
    ['https_proxy and http_proxy', 'lower']
  ])('%s: the lease and the token go through it; check: targets never do', async (_what, names) => {
    const proxy = await G.startProxy(lab.run)
    try {
      const env =
        names === 'upper'
          ? jobEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NODE_USE_ENV_PROXY: '1' })
          : jobEnv({ https_proxy: proxy.url, http_proxy: proxy.url })
      const job = L.createJob(lab)
      const before = L.snapshot(lab)
      const main = await L.runStep(lab, job, 'main', inputs(), { env })
      if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
      const seen = requests(proxy.log())
      expect(seen).toContain(`CONNECT ${L.ENDPOINT_NAME}:${G.GATEWAY_PORT}`)
      expect(seen.filter((r) => r.startsWith(`GET http://${L.SERVER_IP}:${G.TOKEN_SERVICE_PORT}/token?`))).toHaveLength(
        1
      )
      // The check (an HTTP target inside the tunnel) passed, and not through the proxy.
      expect(seen.filter((r) => r.includes(L.SERVER_ADDR))).toEqual([])
      expect(seen).toHaveLength(2)
      const post = await L.runStep(lab, job, 'post', {}, { env })
      expect(post.code).toBe(0)
      // The release went through it too.
      expect(requests(proxy.log()).filter((r) => r.startsWith('CONNECT'))).toHaveLength(2)
      expect(leased()).toEqual([])
      expect(L.snapshot(lab)).toEqual(before)
    } finally {
      await proxy.stop()
    }
  })

  it('NO_PROXY naming the gateway: the lease goes direct, the token still through the proxy', async () => {
    const proxy = await G.startProxy(lab.run)
    try {
      const env = jobEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, no_proxy: `localhost,${L.ENDPOINT_NAME}` })
      const job = L.createJob(lab)
      const main = await L.runStep(lab, job, 'main', inputs(), { env })
      if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
      expect(requests(proxy.log())).toEqual([
        expect.stringMatching(
          new RegExp(`^GET http://${L.SERVER_IP.replace(/\./g, '\\.')}:${G.TOKEN_SERVICE_PORT}/token\\?`)
        )
      ])
      expect((await L.runStep(lab, job, 'post', {}, { env })).code).toBe(0)
      expect(requests(proxy.log()).filter((r) => r.startsWith('CONNECT'))).toEqual([])
      expect(leased()).toEqual([])
    } finally {
      await proxy.stop()
    }
  })

  it('a proxy that refuses the tunnel to the gateway: named, with its answer and the fix', async () => {
    // Tunnels only to port 443: CONNECT to the gateway's port is refused (403).
    const proxy = await G.startProxy(lab.run, { connectPorts: [443] })
    try {
      const env = jobEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url })
      const job = L.createJob(lab)
      const before = L.snapshot(lab)
      const main = await L.runStep(lab, job, 'main', inputs({ timeout: '5' }), { env })
      expect(main.code).toBe(1)
      expect(L.errorLine(main)).toBe(
        `Gateway https://vpn.lab.test:9443 could not be reached through the proxy ${proxy.url} (it answered 403 Access violation): allow CONNECT to vpn.lab.test:9443 on the proxy, or add the gateway's host to NO_PROXY`
      )
      await L.runStep(lab, job, 'post', {}, { env })
      expect(L.snapshot(lab)).toEqual(before)
      expect(leased()).toEqual([])
    } finally {
      await proxy.stop()
    }
  })
})

describe('liveness is judged by the runner (issue 16, case 6)', () => {
  /** @type {G.Gateway} */
  let quick

  /**
   * A lease with no runner behind it (a key nobody holds), as a clock: it ends as silent `silence`
   * after its grant, and the sweeps that end it have judged every other lease by then.
   */
  async function silentControl() {
    const [r] = await G.requestFrom(
      lab.run,
      [G.leaseRequest(`https://${L.SERVER_IP}:${G.GATEWAY_PORT}`, await issuer.mint(), L.pubKey(L.genKey()))],
      { NODE_EXTRA_CA_CERTS: ca.caFile }
    )
    expect(r.status).toBe(201)
    await quick.waitAudit(
      (l) => l.event === 'lease.ended' && l.lease === r.body.id && l.reason === 'silent',
      'the control lease to end as silent'
    )
  }

  beforeAll(async () => {
    // A gateway that hears runners by 1 s keepalives and counts 3 s without a sign of life as silence.
    await gateway.stop()
    quick = await G.startGateway(
      lab.srv,
      G.gatewayConfig(lab, issuer, ca, {
        ...store.state(),
        silence: '3s',
        'persistent-keepalive': 1,
        'sweep-interval': '200ms'
      })
    )
  })

  afterAll(async () => {
    await quick?.stop()
    quick?.remove()
    gateway.remove()
    gateway = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca, store.state()))
  })

  it('a quiet job keeps its lease past silence; its peer removed by hand comes back and carries traffic again; post releases it', async () => {
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const main = await L.runStep(lab, job, 'main', inputs(), { env: jobEnv() })
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
    const key = /** @type {string} */ (main.outputs['public-key'])
    const addresses = peers()[key]
    expect(addresses).toBeDefined()
    const granted = quick.audit.find((l) => l.event === 'lease.granted' && l.publicKey === key)
    const ended = () => quick.audit.filter((l) => l.event === 'lease.ended' && l.lease === granted?.lease)

    // Quiet (no traffic at all) for longer than silence since its last handshake: heard by its
    // keepalives, it stays.
    await silentControl()
    expect(ended()).toEqual([])
    expect(peers()[key]).toBe(addresses)

    // Removed by hand: added back, and not ended while its runner has no session yet.
    execFileSync('ip', ['netns', 'exec', lab.srv, 'wg', 'set', lab.serverIface, 'peer', key, 'remove'])
    await quick.waitAudit((l) => l.event === 'lease.restored' && l.publicKey === key, 'the peer to be restored')
    await L.waitFor(() => peers()[key] === addresses, 'the restored peer on the interface')
    await silentControl()
    expect(ended()).toEqual([])
    // The runner handshakes again (its traffic unanswered makes it) and its traffic flows.
    const v4 = /** @type {string} */ (main.outputs.address).split(',')[0]
    /** @type {{ ok: boolean, body: string } | undefined} */
    let answer
    const end = Date.now() + 60000
    while (!answer?.ok && Date.now() < end) answer = await curlIn(lab.run, service)
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
    const grants = quick.audit.filter((l) => l.event === 'lease.granted' || l.event === 'lease.refused').length
    const main = await L.runStep(lab, job, 'main', inputs({ 'persistent-keepalive': '0' }), { env: jobEnv() })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toBe(
      'Input "persistent-keepalive": cannot be 0 with gateway: the gateway hears that a job is alive by its keepalives, and would end a quiet job\'s lease. Remove persistent-keepalive (the gateway\'s applies), or give a number of seconds'
    )
    expect(quick.audit.filter((l) => l.event === 'lease.granted' || l.event === 'lease.refused')).toHaveLength(grants)
    const post = await L.runStep(lab, job, 'post', {}, { env: jobEnv() })
    expect(post.code).toBe(0)
    expect(L.snapshot(lab)).toEqual(before)
    expect(leased()).toEqual(had)
  })
})
