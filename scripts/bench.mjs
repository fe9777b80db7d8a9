// @ts-check
// npm run bench [-- --pairs N] [-- --install-pairs N]: time-to-tunnel in the lab, the action against
// wg-quick, alternating A B A B … and reporting medians, so that a noisy machine affects both sides
// alike. Prints a Markdown table with the ratios (the README carries the latest one).
//   1. main (Node 24, INPUT_* variables, with an HTTP check) vs `wg-quick up` + the first HTTP request
//   2. post vs `wg-quick down`
//   3. a failing bring-up (peer never answers, timeout: 3): how long past the timeout it fails
//   4. install: the action on a machine without wireguard-tools, against what `apt install wireguard`
//      (GitHub's docs) would install; --reference-install also times that (it changes this machine)
//   1'. the same net of Node's start: the median of main less `node -e 0` in each pair (the floor of
//       any node24 action)
//   5. cold start (`node dist/main/index.js` with no inputs) against `node -e 0`, and bundle size
//   6. gateway mode: main with an OIDC token and a lease from the project's gateway (TLS, lab CA)
//      against main with a static key, alternating
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as G from '../lab/gateway.mjs'
import * as L from '../lab/lab.mjs'

const arg = (/** @type {string} */ name, /** @type {number} */ dflt) => {
  const i = process.argv.indexOf(name)
  const n = i < 0 ? dflt : Number(process.argv[i + 1])
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new Error(`${name} takes a whole number`)
  return n
}
const PAIRS = arg('--pairs', 9)
const INSTALL_PAIRS = arg('--install-pairs', 7)

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b)
  // A number at every index within bounds (an empty xs gives NaN).
  const at = (/** @type {number} */ i) => /** @type {number} */ (s[i])
  return s.length % 2 ? at((s.length - 1) / 2) : (at(s.length / 2 - 1) + at(s.length / 2)) / 2
}
const fmt = (/** @type {number} */ ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`)

/** @typedef {{ env?: NodeJS.ProcessEnv, allowFail?: boolean }} TimedOptions */

/**
 * Runs a command (argv) and returns milliseconds; throws when it fails (unless `allowFail`).
 * @param {[string, ...string[]]} argv
 * @param {TimedOptions} [opts]
 */
function timed(argv, opts = {}) {
  const t = process.hrtime.bigint()
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 300000, ...opts })
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`)
  return ms
}

const apt = (/** @type {string[]} */ args) =>
  timed(['apt-get', '-q', '-y', ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
const installed = (/** @type {string} */ pkg) =>
  spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout.includes('install ok installed')

L.prepareMachine()
const rows = []
const lab = L.createLab()
const dir = mkdtempSync(join(tmpdir(), 'wgt-bench-'))
try {
  await lab.ready
  const url = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
  const conf = join(dir, `${lab.iface}.conf`)
  writeFileSync(
    conf,
    `[Interface]\nPrivateKey = ${lab.runnerKey}\nAddress = ${L.RUNNER_ADDR}/24\n\n[Peer]\nPublicKey = ${lab.serverPub}\nEndpoint = ${L.SERVER_IP}:${L.PORT}\nAllowedIPs = ${L.SERVER_ADDR}/24\nPersistentKeepalive = 25\n`,
    { mode: 0o600 }
  )
  const inputs = L.actionInputs(lab, { check: url })
  /**
   * timed() in the runner namespace.
   * @param {string[]} argv
   * @param {TimedOptions} [opts]
   */
  const inRun = (argv, opts) => timed(['ip', 'netns', 'exec', lab.run, ...argv], opts)
  /** @type {Record<'up' | 'main' | 'down' | 'post' | 'fail' | 'cold' | 'node', number[]>} */
  const t = { up: [], main: [], down: [], post: [], fail: [], cold: [], node: [] }
  for (let i = 0; i < PAIRS; i++) {
    t.up.push(inRun(['wg-quick', 'up', conf]) + inRun(['curl', '-sSf', '--max-time', '10', url]))
    t.down.push(inRun(['wg-quick', 'down', conf]))
    // Node's own start and the bundle's cold start, right before main: each pair's net is theirs.
    t.node.push(timed([L.NODE24, '-e', '0']))
    t.cold.push(timed([L.NODE24, L.MAIN], { allowFail: true, env: { PATH: process.env.PATH } }))
    const job = L.createJob(lab)
    const main = await L.runStep(lab, job, 'main', inputs)
    if (main.code !== 0) throw new Error(`main failed: ${main.stdout}`)
    t.main.push(main.ms)
    const post = await L.runStep(lab, job, 'post')
    if (post.code !== 0) throw new Error(`post failed: ${post.stdout}`)
    t.post.push(post.ms)
    const failing = await L.runStep(lab, L.createJob(lab), 'main', {
      ...inputs,
      'peer-public-key': L.pubKey(L.genKey()),
      check: '',
      timeout: '3'
    })
    if (failing.code !== 1) throw new Error('the failing bring-up did not fail')
    t.fail.push(failing.ms - 3000)
  }
  const ratio = (/** @type {number[]} */ a, /** @type {number[]} */ b) => `${(median(a) / median(b)).toFixed(2)} ×`
  // Net of Node's start: what the step itself takes once Node runs (`node -e 0` is a floor that
  // no action on `runs.using: node24` can go below, where wg-quick is a bash script). The median of
  // each pair's difference, as the two were timed close together: a busy spell weighs on both.
  const less = (/** @type {number[]} */ a) => median(a.map((x, i) => x - /** @type {number} */ (t.node[i])))
  const net = less(t.main)
  rows.push([
    'main, HTTP check included',
    fmt(median(t.main)),
    '`wg-quick up` + first HTTP request',
    fmt(median(t.up)),
    ratio(t.main, t.up),
    ''
  ])
  rows.push([
    "main net of Node's start (main − `node -e 0`)",
    fmt(net),
    '`wg-quick up` + first HTTP request',
    fmt(median(t.up)),
    `${(net / median(t.up)).toFixed(2)} ×`,
    '≤ 1.0 ×'
  ])
  rows.push(['post', fmt(median(t.post)), '`wg-quick down`', fmt(median(t.down)), ratio(t.post, t.down), '≤ 1.2 ×'])
  rows.push(['failing bring-up, `timeout: 3`', `timeout + ${fmt(median(t.fail))}`, '', '', '', '≤ timeout + 500 ms'])
  rows.push([
    'cold start: `node dist/main/index.js`, no inputs',
    fmt(median(t.cold)),
    'Node 24 itself: `node -e 0`',
    fmt(median(t.node)),
    `Node + ${fmt(less(t.cold))}`,
    'Node + ≤ 20 ms'
  ])
  // What each step loads at start (index.js) and what it loads only when needed (ncc's chunks:
  // diagnostics, rollback, gateway mode).
  const kib = (/** @type {number} */ bytes) => `${Math.round(bytes / 1024)} KiB`
  const sizes = ['main', 'post'].map((step) => {
    const files = readdirSync(join(L.ROOT, 'dist', step)).filter((f) => f.endsWith('.js'))
    const bytes = (/** @type {string} */ f) => statSync(join(L.ROOT, 'dist', step, f)).size
    const later = files.filter((f) => f !== 'index.js').reduce((sum, f) => sum + bytes(f), 0)
    return `${kib(bytes('index.js'))}${later ? ` (+ ${kib(later)} when needed)` : ''}`
  })
  rows.push(['bundle size, main + post', sizes.join(' + '), '', '', '', ''])

  // Gateway mode against a static key, alternating: what the token and the lease add to main.
  const ca = G.createLabCA()
  const issuer = await G.startIssuer(lab.srv)
  const tokens = await G.startTokenService(lab.srv, issuer, { host: L.SERVER_IP })
  const gateway = await G.startGateway(lab.srv, G.gatewayConfig(lab, issuer, ca))
  try {
    /** @type {Record<'static' | 'gateway', number[]>} */
    const g = { static: [], gateway: [] }
    const gwInputs = {
      gateway: `https://${L.ENDPOINT_NAME}:${G.GATEWAY_PORT}`,
      interface: lab.iface,
      check: url,
      ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {})
    }
    const env = { ...tokens.env, NODE_EXTRA_CA_CERTS: ca.caFile }
    for (let i = 0; i < PAIRS; i++) {
      for (const [kind, given] of /** @type {['static' | 'gateway', L.Inputs][]} */ ([
        ['static', inputs],
        ['gateway', gwInputs]
      ])) {
        const job = L.createJob(lab)
        const main = await L.runStep(lab, job, 'main', given, { env })
        if (main.code !== 0) throw new Error(`main (${kind}) failed: ${main.stdout}`)
        g[kind].push(main.ms)
        await L.runStep(lab, job, 'post', {}, { env })
      }
    }
    rows.push([
      'main in gateway mode (OIDC token, lease over TLS), HTTP check included',
      fmt(median(g.gateway)),
      'main with a static key',
      fmt(median(g.static)),
      ratio(g.gateway, g.static),
      'lease adds < 30 ms'
    ])
  } finally {
    await gateway.stop()
    gateway.remove()
    await tokens.stop()
    await issuer.stop()
    rmSync(ca.dir, { recursive: true, force: true })
  }

  if (INSTALL_PAIRS > 0) {
    // The action on a machine without wireguard-tools (the lab's server needed wg only to start).
    const action = []
    let packages = 0
    for (let i = 0; i < INSTALL_PAIRS; i++) {
      apt(['purge', 'wireguard-tools'])
      const job = L.createJob(lab)
      const main = await L.runStep(lab, job, 'main', inputs)
      if (main.code !== 0 || !main.stdout.includes('Installing wireguard-tools'))
        throw new Error(`main did not install: ${main.stdout}`)
      action.push(main.ms)
      packages = (/--no-install-recommends (.*) \(at/.exec(main.stdout)?.[1] ?? '').split(' ').length
      await L.runStep(lab, job, 'post')
    }
    if (!installed('wireguard-tools')) apt(['install', '--no-install-recommends', 'wireguard-tools'])
    // GitHub's docs run `apt install wireguard`. What it would install here is counted, not done by
    // default: it upgrades systemd and adds a kernel image on this machine (--reference-install runs it).
    const simulated = spawnSync('apt-get', ['install', '-s', 'wireguard'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.startsWith('Inst ')).length
    let reference = ''
    if (process.argv.includes('--reference-install')) {
      reference = fmt(
        timed(['apt-get', 'install', '-y', '-q', 'wireguard'], {
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
        })
      )
    }
    rows.push([
      `install: main on a machine without wireguard-tools (${packages} package, one apt transaction)`,
      fmt(median(action)),
      `\`apt install wireguard\` (GitHub docs): ${simulated} packages, a kernel image among them`,
      reference || 'not run (see --reference-install); 97 s measured here before',
      reference ? '' : '',
      'one apt transaction of only what is needed'
    ])
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
  L.destroyLab(lab)
}

const header = ['measure', 'this action', 'reference', 'reference time', 'ratio', 'target']
console.log(
  `\nMedians over ${PAIRS} alternating pairs (install: ${INSTALL_PAIRS} runs), ${new Date().toISOString().slice(0, 10)}, Node ${spawnSync(L.NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim()}\n`
)
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`)
for (const r of rows) console.log(`| ${r.join(' | ')} |`)
