// @ts-check
// The lab's network: a server namespace with a WireGuard peer and a private service, and a runner
// namespace where the action runs, joined by a veth pair. Traffic goes only to addresses inside
// namespaces made here:
//   underlay 198.51.100.0/24 and 2001:db8:ff::/64 (documentation ranges) on a veth pair,
//   overlay  192.0.2.0/24 and 2001:db8:1::/64 inside the tunnel,
//   a network behind the server, 203.0.113.0/24 and 2001:db8:2::/64, on a bridge there.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { genKey, NODE24, pubKey, sh, tryRun } from './machine.mjs'
import { killProcessesIn, netnsId } from './observe.mjs'

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

let counter = 0

/**
 * A step's inputs by name, as a workflow's `with:` gives them (undefined: not given).
 * @typedef {Record<string, string | undefined>} Inputs
 */

/**
 * @typedef {object} LabOptions
 * @property {string} [iface] the runner's interface name (default: unique to this lab)
 * @property {string} [runnerKey] the runner's private key (default: a new one)
 * @property {boolean} [psk] a preshared key on the server side
 * @property {boolean} [serverKnowsRunner] false: the server has no peer for the runner
 * @property {boolean} [second] a second server, for a second peer of the runner
 */

/**
 * A lab as createLab made it: namespace names, interface names and keys, what destroyLab removes
 * (`procs`, `dirs`, `extraRuns`), and `ready`, which resolves once the service listens and the
 * underlay is up.
 * @typedef {object} Lab
 * @property {string} id
 * @property {string} srv the server namespace
 * @property {string} run the runner namespace, where the action runs
 * @property {string} serverIface
 * @property {string} iface the runner's interface name
 * @property {string} serverKey
 * @property {string} serverPub
 * @property {string} runnerKey
 * @property {string} runnerPub
 * @property {string | undefined} psk
 * @property {string} [srv2] the second server's namespace (`opts.second`)
 * @property {string} [serverIface2]
 * @property {string} [serverKey2]
 * @property {string} [serverPub2]
 * @property {string[]} [extraRuns] namespaces made by addRunner
 * @property {import('node:child_process').ChildProcess[]} procs
 * @property {string[]} dirs
 * @property {Promise<unknown>} serviceReady
 * @property {Promise<unknown>} ready
 */

/**
 * Builds a server namespace with a WireGuard peer (wireguard-go) and an HTTP service, and a runner
 * namespace where the action runs. `opts.psk` adds a preshared key on the server side;
 * `opts.serverKnowsRunner: false` leaves the runner's key off the server; `opts.second` adds a
 * second server (a second peer for the runner).
 */
export function createLab(/** @type {LabOptions} */ opts = {}) {
  const id = `${process.pid % 10000}${String.fromCharCode(97 + (counter++ % 26))}`
  // The public keys, `ready` and `serviceReady` are filled in below, before anyone sees the lab.
  const lab = /** @type {Lab} */ ({
    id,
    srv: `wgt-srv-${id}`,
    run: `wgt-run-${id}`,
    serverIface: `ws${id}`,
    iface: opts.iface ?? `wr${id}`,
    serverKey: genKey(),
    runnerKey: opts.runnerKey ?? genKey(),
    psk: opts.psk ? genKey() : undefined,
    procs: /** @type {Lab['procs']} */ ([]),
    dirs: /** @type {string[]} */ ([])
  })
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
    /** @type {(ns: string, lines: string[]) => string} */
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

/**
 * Starts a server's WireGuard peer (wireguard-go) that knows the runner; `psk` undefined: it does not.
 * @param {Lab} lab
 * @param {string} ns
 * @param {string} iface
 * @param {string} key
 * @param {string | null | undefined} psk
 */
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
async function settled(/** @type {Lab} */ lab) {
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
// The answer names the caller: a request that came through the tunnel shows the runner's tunnel address.
const answer = (req, res) => res.end('hello from the private network\\nyou are ' + req.socket.remoteAddress.replace(/^::ffff:/, '') + '\\n')
const dir = process.argv[1]
const tls = { key: fs.readFileSync(dir + '/key.pem'), cert: fs.readFileSync(dir + '/cert.pem') }
let up = 0
const ready = () => ++up === 2 && console.log('ready')
require('node:http').createServer(answer).listen(${HTTP_PORT}, '::', ready)
require('node:https').createServer(tls, answer).listen(${HTTPS_PORT}, '::', ready)
`

/** The action's inputs for this lab's tunnel (IPv4 to the first server), with `extra` on top. */
/**
 * @param {Lab} lab
 * @param {Inputs} [extra]
 * @returns {Inputs}
 */
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

/**
 * Another runner namespace on the same server, as another machine running jobs at once: its own
 * underlay (a /30 in 198.51.100.128/25, routed to the server's address), the same host names.
 * Returns its namespace name; destroyLab removes it.
 */
export function addRunner(/** @type {Lab} */ lab) {
  lab.extraRuns ??= []
  const k = lab.extraRuns.length
  if (k >= 31) throw new Error('at most 31 extra runners')
  const ns = `wgt-r${k}-${lab.id}`
  const [srvSide, runSide] = [`198.51.100.${129 + 4 * k}`, `198.51.100.${130 + 4 * k}`]
  sh(['ip', 'netns', 'add', ns])
  lab.extraRuns.push(ns)
  mkdirSync(`/etc/netns/${ns}`, { recursive: true })
  for (const f of ['resolv.conf', 'hosts'])
    writeFileSync(`/etc/netns/${ns}/${f}`, readFileSync(`/etc/netns/${lab.run}/${f}`))
  sh(['ip', 'link', 'add', `v-x${k}`, 'netns', lab.srv, 'type', 'veth', 'peer', 'name', 'v-up', 'netns', ns])
  sh(['ip', '-n', lab.srv, '-batch', '-'], `address add ${srvSide}/30 dev v-x${k}\nlink set v-x${k} up\n`)
  sh(
    ['ip', '-n', ns, '-batch', '-'],
    `link set lo up\naddress add ${runSide}/30 dev v-up\nlink set v-up up\nroute add ${SERVER_IP}/32 via ${srvSide}\n`
  )
  return ns
}

/** Removes everything createLab made, safe to call twice: every process in its namespaces (by the namespace's identity, never by a name), the namespaces, its files. */
export function destroyLab(/** @type {Lab} */ lab) {
  const namespaces = [lab.run, lab.srv, lab.srv2, ...(lab.extraRuns ?? [])].filter((ns) => ns !== undefined)
  const ids = namespaces.map(netnsId).filter((id) => id !== undefined)
  for (const p of lab.procs) {
    try {
      process.kill(-(/** @type {number} */ (p.pid)), 'SIGKILL')
    } catch {
      /* gone already */
    }
  }
  killProcessesIn(ids)
  for (const ns of namespaces) tryRun(['ip', 'netns', 'del', ns])
  for (const ns of [lab.run, ...(lab.extraRuns ?? [])]) rmSync(`/etc/netns/${ns}`, { recursive: true, force: true })
  for (const d of lab.dirs) rmSync(d, { recursive: true, force: true })
}
