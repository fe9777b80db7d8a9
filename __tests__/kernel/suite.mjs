// @ts-check
// End-to-end tests of the bundled action on the KERNEL path, inside the VM lab's guest (Debian's
// kernel, WireGuard module autoloaded): `npm run test:kernel` boots the guest once and runs this
// file there under Node 24. The namespace lab is the same as `npm test`'s (lab/lab.mjs), with kernel
// WireGuard server peers. Ends with the line `N passed, N failed`.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { release, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as G from '../../lab/gateway.mjs'
import * as L from '../../lab/lab.mjs'
import {
  kernelWireGuardVersion,
  linkDetails,
  pinTools,
  useKernelPeers,
  wireguardGoProcesses
} from '../../lab/vm/kernel-lab.mjs'

/** @import { Inputs, Job, Lab, StepResult } from '../../lab/lab.mjs' */

/**
 * Bound on how long past `timeout` a failure may take: catches a hang or an ignored timeout (the
 * default is 30 s), not a speed. Under TCG every process the action starts costs 0.2-1 s (more on a
 * busy machine) and Node 24 takes 1.5-2 s to start, so the diagnostics and rollback after the
 * timeout take seconds: the margin is 10 s, or 1.5 times what a whole successful bring-up took in
 * this boot if that is more.
 */
const HANG_MARGIN_MS = 10000
/** @type {Record<string, number>} */
const bringUpMs = {}
/** Never 25 s or more: with `timeout` 3 the bound stays below the default timeout, 30 s. */
const marginMs = (/** @type {string | undefined} */ user) =>
  Math.min(25000, Math.max(HANG_MARGIN_MS, 1.5 * (bringUpMs[user ?? 'root'] ?? 0)))
/**
 * `timeout` for the failure cases: 3 s past what a whole successful bring-up took in this boot.
 * `timeout` bounds the whole step, and under TCG (sudo above all) bring-up alone takes seconds: the
 * failure must come from the handshake or the check, not from bring-up running out of time.
 */
const failureTimeout = (/** @type {string | undefined} */ user) =>
  Math.ceil((bringUpMs[user ?? 'root'] ?? 0) / 1000) + 3
const USERS = [
  ['as root', undefined],
  ['as a user with passwordless sudo', L.SUDO_USER]
]
const service = (/** @type {string} */ host) => `http://${host.includes(':') ? `[${host}]` : host}:${L.HTTP_PORT}/`

/** @type {[name: string, fn: () => Promise<void>][]} */
const cases = []
const test = (/** @type {string} */ name, /** @type {() => Promise<void>} */ fn) => cases.push([name, fn])

// ---- shared steps ----------------------------------------------------------------------------

/**
 * Runs main, then `between(main)`, then post (whatever happened); checks secrets and cleanliness.
 * @param {Lab} lab
 * @param {Inputs} inputs
 * @param {{ user?: string, between?: (main: StepResult, job: Job) => unknown }} [opts]
 */
async function mainThenPost(lab, inputs, { user, between } = {}) {
  await lab.ready
  const job = L.createJob(lab, user)
  const before = L.snapshot(lab)
  const main = await L.runStep(lab, job, 'main', inputs)
  let failure
  try {
    // Not root: every privileged command went through `sudo -n`.
    if (user) assert.match(main.stdout, /run: sudo -n \S*(wg|ip) /)
    if (between) await between(main, job)
  } catch (err) {
    failure = err
  }
  const post = await L.runStep(lab, job, 'post', {})
  if (failure) throw failure
  assert.equal(post.code, 0, `post failed:\n${post.stdout}${post.stderr}`)
  assert.doesNotMatch(post.stdout, /^::(error|warning)::/m)
  expectNoSecrets(
    /** @type {string[]} */ ([inputs['private-key'], inputs['preshared-key'], inputs.config].filter(Boolean)),
    job,
    [main, post]
  )
  // Post leaves the runner namespace exactly as before: links, addresses, routes of every table,
  // rules, src_valid_mark.
  assert.deepEqual(L.snapshot(lab), before)
  assert.deepEqual(L.filesBelow(job.temp), [])
  assert.deepEqual(L.filesBelow(job.workspace), [])
  return { main, post }
}

/**
 * Secrets (and each key's hex form) appear in nothing a step printed, saved or left.
 * @param {string[]} secrets
 * @param {Job} job
 * @param {StepResult[]} steps
 */
function expectNoSecrets(secrets, job, steps) {
  // A config's secrets are its private and preshared keys (its public keys are printed on purpose).
  const keys = secrets.flatMap((s) =>
    s.includes('\n')
      ? [...s.matchAll(/(?:private|preshared)key\s*=\s*([^\s#]+)/gi)].map((m) => /** @type {string} */ (m[1]))
      : [s]
  )
  const places = steps.flatMap((s) => [
    s.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    s.stderr,
    JSON.stringify(s.outputs),
    s.state,
    s.summary
  ])
  for (const f of [...L.filesBelow(job.temp), ...L.filesBelow(job.workspace)]) places.push(f.text)
  for (const key of keys.flatMap((k) => [k, Buffer.from(k, 'base64').toString('hex')]))
    assert.ok(!places.some((p) => p.includes(key)), 'a secret leaked into the output, state or files')
}

/**
 * The failed main ended within its `timeout` plus the margin (and says how long it took).
 * @param {StepResult} main
 * @param {number} timeoutS
 * @param {string | undefined} user
 */
function expectWithinTimeout(main, timeoutS, user) {
  const bound = timeoutS * 1000 + marginMs(user)
  console.log(
    `  failed after ${(main.ms / 1000).toFixed(1)} s with timeout ${timeoutS} s (bound ${(bound / 1000).toFixed(1)} s)`
  )
  assert.ok(main.ms < bound, `main took ${Math.round(main.ms)} ms`)
}

let shownEvidence = false
/**
 * main succeeded on a kernel interface (not wireguard-go) and `urls` answer through the tunnel.
 * @param {Lab} lab
 * @param {StepResult} main
 * @param {string} iface
 * @param {string[]} urls
 */
function expectKernelUp(lab, main, iface, urls) {
  assert.equal(main.code, 0, `main failed (${main.code}):\n${main.stdout}\n${main.stderr}`)
  assert.equal(main.outputs.interface, iface)
  assert.match(main.summary, new RegExp(`${iface} \\(kernel, MTU \\d+\\)`))
  const link = linkDetails(lab, iface)
  assert.match(link, /^\s+wireguard\b/m, `not a kernel WireGuard link:\n${link}`)
  assert.deepEqual(wireguardGoProcesses(), [])
  if (!shownEvidence) {
    shownEvidence = true
    console.log(`  evidence: ip -d link show ${iface}:\n${link.replace(/^/gm, '    | ')}`)
    console.log('  evidence: no wireguard-go process runs in the guest')
  }
  for (const url of urls) {
    const got = L.curl(lab, url)
    assert.ok(got.ok, `${url} did not answer through the tunnel: ${got.error}`)
    // The service names its caller: a tunnel address, so the request went through the tunnel.
    assert.match(got.body, /^hello from the private network\nyou are (192\.0\.2\.|2001:db8:1::)/)
  }
}

// ---- the labs: one with one server, one with two, shared by the cases ------------------------

/** @type {Record<string, Lab>} */
const labs = {}
const lab1 = () => (labs.one ??= L.createLab())
const lab2 = () => (labs.two ??= L.createLab({ second: true }))

const iface = (/** @type {Lab} */ l) => `[Interface]\nPrivateKey = ${l.runnerKey}\n`
const peer1 = (/** @type {Lab} */ l, /** @type {string} */ extra) =>
  `[Peer]\nPublicKey = ${l.serverPub}\nEndpoint = ${L.SERVER_IP}:${L.PORT}\n${extra}`
const peer2 = (/** @type {Lab} */ l) =>
  `[Peer]\nPublicKey = ${l.serverPub2}\nEndpoint = ${L.SERVER2_IP}:${L.PORT}\nAllowedIPs = 192.0.2.128/25\n`

// ---- scenarios, each as root and as a user with passwordless sudo ----------------------------

for (const [as, user] of USERS) {
  test(`IPv4 ${as}`, async () => {
    const lab = lab1()
    const inputs = L.actionInputs(lab, {
      'allowed-ips': `${L.SERVER_ADDR}/24, 203.0.113.0/24`,
      check: service(L.SERVER_ADDR),
      timeout: '10'
    })
    await mainThenPost(lab, inputs, {
      user,
      between: (main) => {
        expectKernelUp(lab, main, lab.iface, [service(L.BEHIND)])
        bringUpMs[user ?? 'root'] = main.ms
      }
    })
  })

  test(`dual stack over an IPv6 endpoint ${as}`, async () => {
    const lab = lab1()
    const inputs = L.actionInputs(lab, {
      address: `${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64`,
      endpoint: `[${L.SERVER_IP6}]:${L.PORT}`,
      'allowed-ips': '192.0.2.0/24, 2001:db8:1::/64, 203.0.113.0/24, 2001:db8:2::/64',
      timeout: '10'
    })
    await mainThenPost(lab, inputs, {
      user,
      between: (main) => expectKernelUp(lab, main, lab.iface, [service(L.BEHIND), service(L.BEHIND6)])
    })
  })

  test(`full tunnel (rules, table, src_valid_mark restored) ${as}`, async () => {
    const lab = lab1()
    const config = `${iface(lab)}Address = ${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64\n${peer1(lab, 'AllowedIPs = 0.0.0.0/0, ::/0\n')}`
    const before = L.inRunner(lab, ['sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).stdout.trim()
    assert.equal(before, '0')
    await mainThenPost(
      lab,
      { config, interface: lab.iface, timeout: '30' },
      {
        user,
        between: (main) => {
          expectKernelUp(lab, main, lab.iface, [service(L.BEHIND), service(L.BEHIND6)])
          assert.match(
            L.inRunner(lab, ['ip', 'route', 'get', L.BEHIND]).stdout,
            new RegExp(`dev ${lab.iface} table 51820`)
          )
          assert.match(L.inRunner(lab, ['ip', 'route', 'get', L.SERVER_IP, 'mark', '51820']).stdout, /dev v-run/)
          const rules = L.inRunner(lab, ['ip', 'rule', 'show']).stdout
          assert.match(rules, /not from all fwmark 0xca6c lookup 51820/)
          assert.match(rules, /from all lookup main suppress_prefixlength 0/)
          assert.equal(L.inRunner(lab, ['sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).stdout.trim(), '1')
        }
      }
    )
    // mainThenPost compared the whole snapshot; say it plainly for the sysctl.
    assert.equal(L.inRunner(lab, ['sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).stdout.trim(), before)
  })

  test(`config with two peers ${as}`, async () => {
    const lab = lab2()
    const config = `${iface(lab)}Address = ${L.RUNNER_ADDR}/24\n${peer1(lab, 'AllowedIPs = 192.0.2.0/25, 203.0.113.0/24\n')}\n${peer2(lab)}`
    await mainThenPost(
      lab,
      { config, interface: lab.iface, timeout: '30' },
      {
        user,
        between: (main) => {
          expectKernelUp(lab, main, lab.iface, [service(L.SERVER_ADDR), service(L.BEHIND)])
          const ping = L.inRunner(lab, ['ping', '-c', '1', '-W', '5', L.SERVER2_ADDR])
          assert.equal(ping.status, 0, `the second peer did not answer: ${ping.stdout}`)
          const handshakes = L.inRunner(lab, ['wg', 'show', lab.iface, 'latest-handshakes']).stdout.trim().split('\n')
          assert.equal(handshakes.length, 2)
          for (const line of handshakes) assert.notEqual(line.split('\t')[1], '0', 'a peer had no handshake')
        }
      }
    )
  })

  test(`a wrong peer key fails within timeout ${as}`, async () => {
    const lab = lab1()
    const t = failureTimeout(user)
    const inputs = L.actionInputs(lab, { 'peer-public-key': L.pubKey(L.genKey()), timeout: String(t) })
    const { main, post } = await mainThenPost(lab, inputs, { user })
    assert.equal(main.code, 1)
    assert.match(
      /** @type {string} */ (L.errorLine(main)),
      new RegExp(`^No handshake with peer \\S+ at 198\\.51\\.100\\.1:51820 within ${t} s\\. Likely causes:`)
    )
    expectWithinTimeout(main, t, user)
    assert.match(post.stdout, /Nothing to tear down/)
  })

  test(`a silent check target fails within timeout ${as}`, async () => {
    const lab = lab1()
    // Inside the tunnel's network, but no host has it: the server drops the packets, nothing answers.
    const t = failureTimeout(user)
    const inputs = L.actionInputs(lab, { check: '192.0.2.77:80', timeout: String(t) })
    const { main, post } = await mainThenPost(lab, inputs, { user })
    assert.equal(main.code, 1)
    assert.match(
      /** @type {string} */ (L.errorLine(main)),
      new RegExp(`^The tunnel is up but TCP 192\\.0\\.2\\.77:80 did not answer within ${t} s`)
    )
    expectWithinTimeout(main, t, user)
    assert.match(post.stdout, /Nothing to tear down/)
  })
}

// ---- differential: the action against `wg-quick up` on the same kernel ------------------------

/** @type {[name: string, labOf: () => Lab, make: (l: Lab) => string][]} */
const corpus = [
  [
    'dual stack',
    lab1,
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24, 2001:db8:1::2/64\n${peer1(l, 'AllowedIPs = 192.0.2.0/24, 2001:db8:1::/64, 203.0.113.0/24\nPersistentKeepalive = 25\n')}`
  ],
  [
    'two peers',
    lab2,
    (l) => `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, 'AllowedIPs = 192.0.2.0/25, 203.0.113.0/24\n')}\n${peer2(l)}`
  ],
  [
    'full tunnel dual stack',
    lab1,
    (l) => `${iface(l)}Address = 192.0.2.2/24, 2001:db8:1::2/64\n${peer1(l, 'AllowedIPs = 0.0.0.0/0, ::/0\n')}`
  ],
  [
    'full tunnel with FwMark',
    lab1,
    (l) => `${iface(l)}Address = 192.0.2.2/24\nFwMark = 0x4242\n${peer1(l, 'AllowedIPs = 0.0.0.0/0\n')}`
  ],
  [
    'Table = 1234, ListenPort, MTU',
    lab1,
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24\nTable = 1234\nListenPort = 51999\nMTU = 1380\n${peer1(l, 'AllowedIPs = 192.0.2.0/24, 203.0.113.0/24\n')}`
  ]
]

for (const [name, labOf, make] of corpus) {
  test(`matches wg-quick up on the kernel: ${name}`, async () => {
    const lab = labOf()
    await lab.ready
    const ifname = `wq${lab.id}`
    const text = make(lab)
    const keepListenPort = /^\s*listenport/im.test(text)
    const dir = mkdtempSync(join(tmpdir(), 'wgt-wq-'))
    let reference
    try {
      writeFileSync(join(dir, `${ifname}.conf`), text, { mode: 0o600 })
      const before = L.snapshot(lab)
      const up = L.inRunner(lab, ['wg-quick', 'up', join(dir, `${ifname}.conf`)], 60000)
      assert.equal(up.status, 0, `wg-quick up failed: ${up.stderr}`)
      assert.match(linkDetails(lab, ifname), /^\s+wireguard\b/m)
      reference = L.interfaceView(lab, ifname, keepListenPort)
      const down = L.inRunner(lab, ['wg-quick', 'down', join(dir, `${ifname}.conf`)], 60000)
      assert.equal(down.status, 0, `wg-quick down failed: ${down.stderr}`)
      // wg-quick leaves src_valid_mark at 1; put it back so both start from the same state.
      L.inRunner(lab, ['sysctl', '-qw', `net.ipv4.conf.all.src_valid_mark=${before.srcValidMark.trim()}`])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    let ours
    await mainThenPost(
      lab,
      { config: text, interface: ifname, timeout: '10' },
      {
        between: (main) => {
          expectKernelUp(lab, main, ifname, [])
          ours = L.interfaceView(lab, ifname, keepListenPort)
        }
      }
    )
    assert.deepEqual(ours, reference)
  })
}

// ---- the gateway, as teams run it: on a kernel WireGuard interface ----------------------------

test('gateway mode: the gateway leases a peer on a kernel interface; the job connects and releases it', async () => {
  const lab = lab1()
  await lab.ready
  const ca = G.createLabCA()
  const issuer = await G.startIssuer(lab.srv)
  const tokens = await G.startTokenService(lab.srv, issuer, { host: L.SERVER_IP })
  const gateway = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca))
  try {
    assert.match(linkDetails({ ...lab, run: lab.srv }, lab.serverIface), /^\s+wireguard\b/m)
    const env = { ...tokens.env, NODE_EXTRA_CA_CERTS: ca.caFile }
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const inputs = { gateway: `https://${L.ENDPOINT_NAME}:${G.GATEWAY_PORT}`, interface: lab.iface, timeout: '20' }
    const main = await L.runStep(lab, job, 'main', { ...inputs, check: service(L.SERVER_ADDR) }, { env })
    expectKernelUp(lab, main, lab.iface, [])
    const leased = /** @type {string} */ (main.outputs.address).split(',')[0]
    const key = /** @type {string} */ (main.outputs['public-key'])
    assert.equal(G.peersOf(lab.srv, lab.serverIface)[key]?.split(',')[0], `${leased}/32`)
    assert.equal(L.curl(lab, service(L.SERVER_ADDR)).body, `hello from the private network\nyou are ${leased}\n`)
    const post = await L.runStep(lab, job, 'post', {}, { env })
    assert.equal(post.code, 0)
    assert.match(post.stdout, /lease /)
    assert.equal(G.peersOf(lab.srv, lab.serverIface)[key], undefined)
    assert.deepEqual(L.snapshot(lab), before)
  } finally {
    await gateway.stop()
    gateway.remove()
    await tokens.stop()
    await issuer.stop()
    rmSync(ca.dir, { recursive: true, force: true })
  }
})

// ---- run --------------------------------------------------------------------------------------

const started = Date.now()
console.log(`guest kernel: ${release()}`)
L.prepareMachine() // test users and sudoers, in the guest's overlay only
pinTools(['wg', 'wg-quick'])
useKernelPeers()
let passed = 0
let failed = 0
try {
  for (const [name, fn] of cases) {
    const t0 = Date.now()
    try {
      await fn()
      passed++
      console.log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
    } catch (err) {
      failed++
      console.log(
        `✗ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n${String(/** @type {Error | undefined} */ (err)?.stack ?? err).replace(/^/gm, '    ')}`
      )
    }
    if (passed + failed === 1)
      console.log(
        `wireguard module: version ${kernelWireGuardVersion() ?? '(not loaded!)'}, loaded by the guest's modprobe`
      )
  }
} finally {
  for (const lab of Object.values(labs)) L.destroyLab(lab)
}
console.log(`suite: ${((Date.now() - started) / 1000).toFixed(0)} s in the guest`)
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 && passed === cases.length ? 0 : 1
