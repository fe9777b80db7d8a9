// @ts-check
// node scripts/bench-gateway.mjs [--rounds N] [--sequential N] [--scale N,N,…] [--firewall nftables|none]
// [--stores-only | --no-stores],
// as root: the gateway
// (dist/gateway, Node 24) in the lab's server namespace with TLS from a lab CA and a wireguard-go
// interface, a local OIDC issuer, clients in the runner namespace. Measures:
//   1. lease latency, request → answer (the peer is live before the answer), one lease at a time:
//      on a kept-alive connection, and on a fresh TLS connection each (as the action's main makes);
//   2. 100 concurrent lease requests from one client: wall time and leases per second;
//   3. releasing those 100 concurrently;
//   4. at scale, with 0, 1,000 and 5,000 live leases (--scale): lease latency p50/p99 (kept alive),
//      then at the largest: a sweep (the gateway's own sweep-duration metric over 5 sweeps, made
//      every second for the while by a reload), the gateway's resident memory, 1,000 concurrent
//      lease requests (all answered: wall time), and the reconcile of a restart with all of them
//      (`durationMs` of gateway.reconciled: a sweep that also rebuilds the firewall's table).
//   5. the stores compared (scripts/bench-fleet.mjs): two gateways on SQLite, then on one PostgreSQL
//      database: lease latency p50/p99 and 1,000 concurrent requests over both, with the ratios;
//      --stores-only measures only that, --no-stores leaves it out.
// Prints Markdown tables of medians (and p99 for latency) over the rounds.
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import * as G from '../lab/gateway.mjs'
import * as L from '../lab/lab.mjs'
import { compareStores } from './bench-fleet.mjs'

const arg = (/** @type {string} */ name, /** @type {number} */ dflt) => {
  const i = process.argv.indexOf(name)
  const n = i < 0 ? dflt : Number(process.argv[i + 1])
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`${name} takes a whole number from 1 to 1000`)
  return n
}
const ROUNDS = arg('--rounds', 5)
const SEQUENTIAL = arg('--sequential', 30)
const CONCURRENT = 100
const SCALE = (() => {
  const i = process.argv.indexOf('--scale')
  const levels = (i < 0 ? '0,1000,5000' : (process.argv[i + 1] ?? '')).split(',').map(Number)
  if (levels.some((n) => !Number.isInteger(n) || n < 0 || n > 20000))
    throw new Error('--scale takes live lease counts from 0 to 20000, comma separated')
  return levels
})()
/** The gateway's `firewall` (nftables by default, as the gateway's own default). */
const FIREWALL = (() => {
  const i = process.argv.indexOf('--firewall')
  const f = i < 0 ? 'nftables' : process.argv[i + 1]
  if (f !== 'nftables' && f !== 'none') throw new Error('--firewall takes nftables or none')
  return f
})()
/** Concurrent requests at the largest scale level (the target: all answered within 5 s). */
const BURST = 1000
/** Sequential leases measured at each scale level. */
const AT_SCALE = 100

const quantile = (/** @type {number[]} */ xs, /** @type {number} */ q) => {
  const s = [...xs].sort((a, b) => a - b)
  return /** @type {number} */ (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)])
}
const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b)
  // A number at every index within bounds (an empty xs gives NaN).
  const at = (/** @type {number} */ i) => /** @type {number} */ (s[i])
  return s.length % 2 ? at((s.length - 1) / 2) : (at(s.length / 2 - 1) + at(s.length / 2)) / 2
}
const ms = (/** @type {number} */ x) => `${x.toFixed(1)} ms`

L.prepareMachine()
if (process.argv.includes('--stores-only')) {
  await compareStores({ rounds: ROUNDS, sequential: SEQUENTIAL })
  process.exit(0)
}
const lab = L.createLab()
const ca = G.createLabCA()
/** @type {G.Issuer | undefined} */
let issuer
/** @type {G.Gateway | undefined} */
let gw
try {
  await lab.ready
  issuer = await G.startIssuer(lab.srv)
  gw = await G.startGateway(
    lab.srv,
    // The concurrent requests all come from one repository, one run and one address (the runner's):
    // neither the rate limit, the quotas nor the cap on connections per address (32 by default) may
    // hold them back.
    G.gatewayConfig(lab, issuer, ca, {
      // 198.18.0.0/15 is set aside for benchmarks (RFC 2544): room for the scale levels' leases.
      pool: ['198.18.0.0/16', '2001:db8:1::/64'],
      'rate-limit': 1000000,
      quota: { repository: 100000, run: 100000 },
      'connections-per-address': 2048,
      // Sweeps only when measured (below): they would share the CPU with the leases measured.
      'sweep-interval': '60s',
      metrics: '127.0.0.1:9108',
      firewall: FIREWALL
    })
  )
  const base = `https://${L.SERVER_IP}:${G.GATEWAY_PORT}`
  const env = { NODE_EXTRA_CA_CERTS: ca.caFile }
  /**
   * Sends `requests` from the runner namespace (see G.requestFrom).
   * @param {G.LabRequest[]} requests
   * @param {{ sequential?: boolean }} [opts]
   */
  const send = (requests, opts) => G.requestFrom(lab.run, requests, env, opts)
  const releaseAll = async (/** @type {G.LabResponse[]} */ answers) => {
    const ends = await send(
      answers.map((a) => ({
        method: 'DELETE',
        url: `${base}/v1/leases/${a.body.id}`,
        headers: { authorization: `Bearer ${a.body.secret}` }
      }))
    )
    if (ends.some((e) => e.status !== 204))
      throw new Error(`a release failed: ${JSON.stringify(ends.find((e) => e.status !== 204))}`)
    return Math.max(...ends.map((e) => e.ms))
  }
  const check = (/** @type {G.LabResponse[]} */ answers) => {
    const bad = answers.find((a) => a.status !== 201)
    if (bad) throw new Error(`a lease failed: ${JSON.stringify(bad)}`)
  }
  // Public keys nobody holds (no runner connects in this benchmark): 32 random bytes each.
  const keys = (/** @type {number} */ n) => Array.from({ length: n }, () => randomBytes(32).toString('base64'))
  const tokens = (/** @type {number} */ n) =>
    Promise.all(Array.from({ length: n }, () => /** @type {G.Issuer} */ (issuer).mint()))

  /** @type {number[]} */
  const warm = []
  /** @type {number[]} */
  const cold = []
  /** @type {number[]} */
  const wall = []
  /** @type {number[]} */
  const rate = []
  /** @type {number[]} */
  const rel = []
  for (let round = 0; round < ROUNDS; round++) {
    // 1. One at a time, kept alive, then each on a new connection.
    for (const [out, extra] of /** @type {[number[], { headers?: Record<string, string> }][]} */ ([
      [warm, {}],
      [cold, { headers: { connection: 'close' } }]
    ])) {
      const [ts, ks] = [await tokens(SEQUENTIAL), keys(SEQUENTIAL)]
      const answers = await send(
        ts.map((t, i) => {
          const r = G.leaseRequest(base, t, /** @type {string} */ (ks[i]))
          return { ...r, headers: { ...r.headers, ...extra.headers } }
        }),
        { sequential: true }
      )
      check(answers)
      // The first of a kept-alive run pays for the connection: leave it out.
      out.push(...answers.slice(extra.headers ? 0 : 1).map((a) => a.ms))
      await releaseAll(answers)
    }
    // 2. A hundred at once.
    const [ts, ks] = [await tokens(CONCURRENT), keys(CONCURRENT)]
    const answers = await send(ts.map((t, i) => G.leaseRequest(base, t, /** @type {string} */ (ks[i]))))
    check(answers)
    const all = Math.max(...answers.map((a) => a.ms))
    wall.push(all)
    rate.push((CONCURRENT * 1000) / all)
    if (new Set(answers.map((a) => a.body.addresses[0])).size !== CONCURRENT)
      throw new Error('an address was leased twice')
    rel.push(await releaseAll(answers))
  }
  const cores = (await import('node:os')).cpus().length
  console.log(
    `\nGateway benchmark: ${ROUNDS} rounds, ${SEQUENTIAL} sequential leases per kind per round, ${CONCURRENT} concurrent; ${cores} cores; wireguard-go interface\n`
  )
  console.log('| Measure | Median | p99 |')
  console.log('| --- | ---: | ---: |')
  console.log(
    `| Lease latency, request → peer live (kept-alive connection) | ${ms(median(warm))} | ${ms(quantile(warm, 0.99))} |`
  )
  console.log(
    `| Lease latency, new TLS connection each (as the action's main) | ${ms(median(cold))} | ${ms(quantile(cold, 0.99))} |`
  )
  console.log(
    `| ${CONCURRENT} concurrent leases, all answered | ${ms(median(wall))} | ${ms(Math.max(...wall))} (max) |`
  )
  console.log(
    `| Leases per second at ${CONCURRENT} concurrent clients | ${Math.round(median(rate))} /s | ${Math.round(Math.min(...rate))} /s (min) |`
  )
  console.log(
    `| ${CONCURRENT} concurrent releases, all answered | ${ms(median(rel))} | ${ms(Math.max(...rel))} (max) |`
  )

  // 4. At scale.
  /** @type {G.LabResponse[]} */
  const live = []
  /** @type {[number, number[]][]} */
  const levels = []
  for (const level of SCALE) {
    // Up to `level` live leases, asked for 250 at a time.
    while (live.length < level) {
      const n = Math.min(250, level - live.length)
      const [ts, ks] = [await tokens(n), keys(n)]
      const answers = await send(ts.map((t, i) => G.leaseRequest(base, t, /** @type {string} */ (ks[i]))))
      check(answers)
      live.push(...answers)
    }
    const [ts, ks] = [await tokens(AT_SCALE), keys(AT_SCALE)]
    const answers = await send(
      ts.map((t, i) => G.leaseRequest(base, t, /** @type {string} */ (ks[i]))),
      { sequential: true }
    )
    check(answers)
    levels.push([level, answers.slice(1).map((a) => a.ms)])
    await releaseAll(answers)
  }
  // A sweep: the gateway's histogram of sweep durations, over 5 sweeps made once a second.
  const sweepStats = async () => {
    const [m] = await G.requestFrom(lab.srv, [{ url: 'http://127.0.0.1:9108/metrics' }])
    const value = (/** @type {string} */ name) =>
      Number(
        new RegExp(`^wireguard_gateway_sweep_duration_seconds_${name} ([0-9.e+-]+)$`, 'm').exec(String(m.body))?.[1]
      )
    return { sum: value('sum'), count: value('count') }
  }
  const reload = async (/** @type {string} */ every) => {
    const g = /** @type {G.Gateway} */ (gw)
    const seen = g.audit.length
    G.writeGatewayConfig(g, { ...g.config, 'sweep-interval': every })
    process.kill(/** @type {number} */ (g.pid), 'SIGHUP')
    await g.waitAudit((l) => g.audit.indexOf(l) >= seen && l.event === 'gateway.reloaded', 'the reload')
  }
  await reload('1s')
  const before = await sweepStats()
  /** @type {{ sum: number, count: number }} */
  let after = before
  for (let i = 0; i < 100 && after.count < before.count + 5; i++) {
    await new Promise((r) => setTimeout(r, 500))
    after = await sweepStats()
  }
  await reload('60s')
  const sweepMs = ((after.sum - before.sum) * 1000) / (after.count - before.count)
  const rss = () => Number(/^VmRSS:\s+([0-9]+) kB$/m.exec(readFileSync(`/proc/${gw?.pid}/status`, 'utf8'))?.[1]) / 1024
  const idleMiB = rss()
  const [ts, ks] = [await tokens(BURST), keys(BURST)]
  const burst = await send(ts.map((t, i) => G.leaseRequest(base, t, /** @type {string} */ (ks[i]))))
  check(burst)
  const burstMs = Math.max(...burst.map((a) => a.ms))
  live.push(...burst)
  const burstMiB = rss()
  // A restart on the same store: its reconcile is one sweep over every live lease and peer.
  const stateDir = gw.dir
  await gw.stop()
  gw = await G.startGateway(lab.srv, gw.config, { stateDir })
  const reconciled = gw.audit.find((l) => l.event === 'gateway.reconciled')
  const most = Math.max(...SCALE)
  console.log(
    `\nAt scale (firewall: ${FIREWALL}): ${AT_SCALE} sequential leases (kept alive) at each level of live leases\n`
  )
  console.log('| Live leases | Lease latency median | p99 |')
  console.log('| ---: | ---: | ---: |')
  for (const [level, xs] of levels) console.log(`| ${level} | ${ms(median(xs))} | ${ms(quantile(xs, 0.99))} |`)
  console.log(`\n| At ${most} live leases | Measured |`)
  console.log('| --- | ---: |')
  console.log(`| ${BURST} concurrent lease requests, all answered | ${ms(burstMs)} |`)
  console.log(`| A sweep over ${most} live leases (mean of ${after.count - before.count}) | ${sweepMs.toFixed(0)} ms |`)
  console.log(`| Gateway resident memory with ${most} live leases | ${idleMiB.toFixed(0)} MiB |`)
  console.log(
    `| The reconcile of a restart with ${live.length} live leases (a sweep that also rebuilds the firewall's table) | ${reconciled?.durationMs} ms |`
  )
  console.log(
    `| Gateway resident memory right after the ${BURST} concurrent requests (${live.length} live leases) | ${burstMiB.toFixed(0)} MiB |`
  )
} finally {
  await gw?.stop()
  gw?.remove()
  await issuer?.stop()
  L.destroyLab(lab)
  rmSync(ca.dir, { recursive: true, force: true })
}
if (!process.argv.includes('--no-stores')) await compareStores({ rounds: ROUNDS, sequential: SEQUENTIAL })
