// @ts-check
// A gateway fleet in the lab (issue 17), on top of lab/lab.mjs and lab/gateway.mjs: a PostgreSQL
// cluster of its own (lab/postgres.mjs), two WireGuard servers in namespaces (the lab's server and
// its second, each with its own interface, key and pool: 192.0.2.0/25 and 192.0.2.128/25), a
// gateway on each with its state in that database and one audience (so a token used at one is a
// replay at the other), and optionally a standby for the first (the same interface and key, its own
// HTTP port and control socket). Behind each server a service answers with the caller's address, so
// a request that went through a tunnel tells which lease carried it. Extra runners (addFleetRunner)
// reach both servers: the first server's namespace forwards to the second's over a link of their own.
// stopFleet removes everything, and is safe after a failed start.
import { spawn } from 'node:child_process'
import { chmodSync, rmSync } from 'node:fs'
import * as G from './gateway.mjs'
import * as L from './lab.mjs'
import { startPostgres } from './postgres.mjs'

/** @import { Gateway, Issuer, LabCA, LabRequest, TokenService } from './gateway.mjs' */
/** @import { Lab } from './network.mjs' */
/** @import { Postgres } from './postgres.mjs' */

/** The second gateway's listening port (and the standby's, on the first server). */
export const STANDBY_PORT = 9444
/** The two servers' pools: halves of the lab's tunnel network, so neither overlaps the other. */
export const POOLS = [['192.0.2.0/25'], ['192.0.2.128/25']]
/** The first server's service (through its tunnel) and the second's. */
export const SERVICES = [`http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`, `http://${L.SERVER2_ADDR}:${L.HTTP_PORT}/`]
/** Where each gateway listens, as a job names it. */
export const URLS = [`https://${L.SERVER_IP}:${G.GATEWAY_PORT}`, `https://${L.SERVER2_IP}:${G.GATEWAY_PORT}`]
/** The link between the two servers' namespaces (extra runners reach the second server through it). */
const LINK = { srv: '198.51.100.249', srv2: '198.51.100.250' }

/**
 * A fleet as startFleet made it. `gateways[0]` serves the lab's server (lab.srv, lab.serverIface),
 * `gateways[1]` the second (lab.srv2, lab.serverIface2); `standby`, when asked for, is a second
 * process for `gateways[0]`'s interface.
 * @typedef {object} Fleet
 * @property {Lab} lab
 * @property {Postgres} pg (none with `sqlite`)
 * @property {string} database its URL (peer authentication as root)
 * @property {LabCA} ca
 * @property {Issuer} issuer
 * @property {Issuer} issuer2 the same issuer (same URL, same key) inside the second server's namespace
 * @property {TokenService} tokens the runner's token service (on the first server's underlay address)
 * @property {Gateway[]} gateways
 * @property {Gateway | undefined} standby
 * @property {Record<string, unknown>[]} configs each gateway's configuration (the standby's is configs[2])
 */

/**
 * Each server's gateway configuration: its interface and pool, the fleet's database as `state`
 * (undefined: each its own SQLite file, as startGateway places it).
 * @param {Lab} lab
 * @param {Issuer} issuer
 * @param {LabCA} ca
 * @param {string | undefined} database
 * @param {Record<string, unknown>} [extra] on top of both
 * @param {string[][]} [pools] each server's pool (and its runners' allowed IPs beside 203.0.113.0/24)
 */
export function fleetConfigs(lab, issuer, ca, database, extra = {}, pools = POOLS) {
  const base = (/** @type {number} */ i) =>
    G.gatewayConfig(lab, issuer, ca, {
      ...(database === undefined ? {} : { state: database }),
      pool: pools[i],
      'allowed-ips': [...(pools[i] ?? []), '203.0.113.0/24'],
      name: `server${i + 1}`,
      ...extra
    })
  const second = {
    ...base(1),
    listen: `${L.SERVER2_IP}:${G.GATEWAY_PORT}`,
    interface: lab.serverIface2,
    endpoint: `${L.SERVER2_IP}:${L.PORT}`
  }
  return [base(0), second]
}

/**
 * Starts a fleet: the lab with its second server, the database, the issuer in both servers'
 * namespaces, the token service, a service behind the second server, and both gateways (and a
 * standby for the first with `standby`). `extra` goes into both gateways' configurations, `pools`
 * replaces POOLS; `sqlite` gives each gateway its own SQLite store instead (two gateways that share
 * nothing: the benchmark's comparison). On any failure everything made so far is removed before the
 * error is thrown.
 * @param {{ standby?: boolean, extra?: Record<string, unknown>, pools?: string[][], sqlite?: boolean }} [opts]
 * @returns {Promise<Fleet>}
 */
export async function startFleet({ standby = false, extra = {}, pools = POOLS, sqlite = false } = {}) {
  const fleet = /** @type {Fleet} */ ({ gateways: /** @type {Gateway[]} */ ([]) })
  try {
    fleet.lab = L.createLab({ second: true })
    if (!sqlite) {
      fleet.pg = await startPostgres()
      fleet.database = fleet.pg.url()
    }
    fleet.ca = G.createLabCA()
    const { certFile, keyFile } = fleet.ca.issue('fleet', [L.SERVER2_IP])
    fleet.ca.certFile = certFile
    fleet.ca.keyFile = keyFile
    // The test users read the CA file, as a runner's user reads what the job gives it.
    chmodSync(fleet.ca.dir, 0o755)
    chmodSync(fleet.ca.caFile, 0o644)
    const { lab } = fleet
    await lab.ready
    linkServers(lab)
    startService(lab)
    fleet.issuer = await G.startIssuer(lab.srv)
    fleet.issuer2 = await G.startIssuer(/** @type {string} */ (lab.srv2), { key: fleet.issuer.keys[0] })
    fleet.tokens = await G.startTokenService(lab.srv, fleet.issuer, { host: L.SERVER_IP })
    fleet.configs = fleetConfigs(lab, fleet.issuer, fleet.ca, sqlite ? undefined : fleet.database, extra, pools)
    // One after the other: the first creates the schema (the second would wait on its lock anyway).
    fleet.gateways.push(await G.startGateway(lab.srv, /** @type {Record<string, unknown>} */ (fleet.configs[0])))
    fleet.gateways.push(
      await G.startGateway(/** @type {string} */ (lab.srv2), /** @type {Record<string, unknown>} */ (fleet.configs[1]))
    )
    if (standby) fleet.standby = await startStandby(fleet)
    return fleet
  } catch (err) {
    await stopFleet(fleet)
    throw err
  }
}

/**
 * A second process for the first server's gateway: the same interface (and so the same key), its
 * own listening port and control socket (startGateway gives each its own directory). Resolves once
 * it serves HTTP, as the active process or as the standby.
 * @param {Fleet} fleet
 */
export async function startStandby(fleet) {
  const config = { ...fleet.configs[0], listen: `${L.SERVER_IP}:${STANDBY_PORT}` }
  fleet.configs[2] = config
  return G.startGateway(fleet.lab.srv, config, {
    started: (l) => l.event === 'gateway.started' || /standby/.test(String(l.event)) || l.role === 'standby'
  })
}

/** Removes everything startFleet made (what exists of it); never throws. */
export async function stopFleet(/** @type {Partial<Fleet>} */ fleet) {
  for (const gw of [fleet.standby, ...(fleet.gateways ?? [])]) {
    if (!gw) continue
    await gw.stop().catch(() => undefined)
    gw.remove()
  }
  await fleet.tokens?.stop()
  await fleet.issuer2?.stop()
  await fleet.issuer?.stop()
  if (fleet.lab) L.destroyLab(fleet.lab)
  if (fleet.ca) rmSync(fleet.ca.dir, { recursive: true, force: true })
  fleet.pg?.close()
}

/**
 * Links the two servers' namespaces (198.51.100.248/30) and lets the first forward to the second,
 * so that runners made by addFleetRunner (routed to the first server) reach the second too.
 * @param {Lab} lab
 */
function linkServers(lab) {
  const srv2 = /** @type {string} */ (lab.srv2)
  L.sh(['ip', 'link', 'add', 'v-s2', 'netns', lab.srv, 'type', 'veth', 'peer', 'name', 'v-s1', 'netns', srv2])
  L.sh(['ip', '-n', lab.srv, '-batch', '-'], `address add ${LINK.srv}/30 dev v-s2\nlink set v-s2 up\n`)
  L.sh(['ip', 'netns', 'exec', lab.srv, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'])
  // Extra runners' underlays are in 198.51.100.128/25 (lab/network.mjs addRunner).
  L.sh(
    ['ip', '-n', srv2, '-batch', '-'],
    `address add ${LINK.srv2}/30 dev v-s1\nlink set v-s1 up\nroute add 198.51.100.128/25 via ${LINK.srv}\n`
  )
  L.sh(['ip', '-n', lab.srv, 'route', 'add', `${L.SERVER2_IP}/32`, 'via', LINK.srv2])
}

/** Another runner namespace (lab/network.mjs addRunner) that reaches both servers. */
export function addFleetRunner(/** @type {Lab} */ lab) {
  const ns = L.addRunner(lab)
  const via = L.sh(['ip', '-n', ns, '-4', '-o', 'route', 'show', `${L.SERVER_IP}/32`]).match(/via (\S+)/)?.[1]
  if (!via) throw new Error(`no route to ${L.SERVER_IP} in ${ns}`)
  L.sh(['ip', '-n', ns, 'route', 'add', `${L.SERVER2_IP}/32`, 'via', via])
  return ns
}

/** The service behind the second server: any path answers with the caller's address (lab.procs: destroyLab ends it). */
function startService(/** @type {Lab} */ lab) {
  const code = `require('node:http').createServer((req, res) => res.end('hello from the private network\\nyou are ' + req.socket.remoteAddress.replace(/^::ffff:/, '') + '\\n')).listen(${L.HTTP_PORT}, '::', () => console.log('ready'))`
  const child = spawn('ip', ['netns', 'exec', /** @type {string} */ (lab.srv2), L.NODE24, '-e', code], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true
  })
  lab.procs.push(child)
}

/** What the service says to a caller at `address`. */
export const hello = (/** @type {string | undefined} */ address) =>
  `hello from the private network\nyou are ${address}\n`

/**
 * The leases of each server's interface (the lab's static runner peer aside): public keys.
 * @param {Fleet} fleet
 * @param {0 | 1} i
 */
export function leasedAt(fleet, i) {
  const { lab } = fleet
  const peers = G.peersOf(
    i === 0 ? lab.srv : /** @type {string} */ (lab.srv2),
    i === 0 ? lab.serverIface : /** @type {string} */ (lab.serverIface2)
  )
  return Object.keys(peers).filter((k) => k !== lab.runnerPub)
}

/** curl from a namespace without blocking the event loop (for requests at the same time). */
export function curlFrom(/** @type {string} */ ns, /** @type {string} */ url) {
  /** @type {Promise<{ ok: boolean, body: string }>} */
  const done = new Promise((resolve) => {
    const c = spawn('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '5', url], {
      stdio: ['ignore', 'pipe', 'ignore']
    })
    let body = ''
    c.stdout.on('data', (d) => (body += d))
    c.on('close', (code) => resolve({ ok: code === 0, body }))
  })
  return done
}

/**
 * Sends one request from the first server's namespace (which reaches both gateways); resolves with
 * its answer.
 * @param {Fleet} fleet
 * @param {LabRequest} request
 * @returns {Promise<import('./gateway.mjs').LabResponse>}
 */
export async function ask(fleet, request) {
  const [answer] = await G.requestFrom(fleet.lab.srv, [request], { NODE_EXTRA_CA_CERTS: fleet.ca.caFile })
  return answer
}
