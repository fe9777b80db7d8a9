// @ts-check
// The stores compared (issue 17), part of `npm run bench:gateway`: two gateways (lab/fleet.mjs: two
// WireGuard servers, a gateway each) on SQLite, each its own file, then on one PostgreSQL database
// (the lab's own cluster: Unix socket, fsync off, so the figures are the gateway's and the protocol's,
// not a disk's). In each, per round: lease latency one at a time at the first gateway (kept-alive
// connection, from the runner namespace), and 1,000 concurrent lease requests split over the two
// gateways (all answered: wall time; any answer but 201 counted by status and code). Prints medians and p99 per store, and the ratios PostgreSQL /
// SQLite from this one run.
import { randomBytes } from 'node:crypto'
import * as F from '../lab/fleet.mjs'
import * as G from '../lab/gateway.mjs'

/** Concurrent requests over the two gateways (half each). */
const BURST = 1000

const quantile = (/** @type {number[]} */ xs, /** @type {number} */ q) => {
  const s = [...xs].sort((a, b) => a - b)
  return /** @type {number} */ (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)])
}
const median = (/** @type {number[]} */ xs) => quantile(xs, 0.5)
const ms = (/** @type {number} */ x) => `${x.toFixed(1)} ms`

/**
 * Measures one store; resolves with the latencies (ms, every round's) and the burst wall times.
 * @param {boolean} sqlite
 * @param {number} rounds
 * @param {number} sequential
 */
async function measure(sqlite, rounds, sequential) {
  const fleet = await F.startFleet({
    sqlite,
    // Room for the burst's leases: halves of 198.18.0.0/16, set aside for benchmarks (RFC 2544).
    pools: [['198.18.0.0/17'], ['198.18.128.0/17']],
    // One repository, run and address send everything: no limit may hold them back.
    extra: {
      'rate-limit': 1000000,
      quota: { repository: 100000, run: 100000 },
      'connections-per-address': 2048,
      'sweep-interval': '60s'
    }
  })
  try {
    const env = { NODE_EXTRA_CA_CERTS: fleet.ca.caFile }
    const send = (/** @type {G.LabRequest[]} */ requests, sequentially = false) =>
      G.requestFrom(fleet.lab.run, requests, env, { sequential: sequentially })
    const keys = (/** @type {number} */ n) => Array.from({ length: n }, () => randomBytes(32).toString('base64'))
    const tokens = (/** @type {number} */ n) => Promise.all(Array.from({ length: n }, () => fleet.issuer.mint()))
    const check = (/** @type {G.LabResponse[]} */ answers) => {
      const bad = answers.find((a) => a.status !== 201)
      if (bad) throw new Error(`a lease failed: ${JSON.stringify(bad)}`)
    }
    const releaseAll = async (/** @type {G.LabResponse[]} */ answers, /** @type {string[]} */ bases) => {
      const ends = await send(
        answers.map((a, i) => G.releaseRequest(/** @type {string} */ (bases[i]), a.body.id, a.body.secret))
      )
      // 202: the peer is off, its record waits for the store (counted: the table says how many).
      if (ends.some((e) => e.status !== 204 && e.status !== 202))
        throw new Error(`a release failed: ${JSON.stringify(ends.find((e) => e.status !== 204 && e.status !== 202))}`)
      deferred += ends.filter((e) => e.status === 202).length
    }
    /** @type {number[]} */
    const latency = []
    /** @type {number[]} */
    const burst = []
    /** Releases answered 202 (peer off, record deferred). */
    let deferred = 0
    /** Burst answers other than 201, by status and code. */
    /** @type {Map<string, number>} */
    const refused = new Map()
    const [first] = /** @type {[string, string]} */ (F.URLS)
    for (let round = 0; round < rounds; round++) {
      const [ts, ks] = [await tokens(sequential + 1), keys(sequential + 1)]
      const one = await send(
        ts.map((t, i) => G.leaseRequest(first, t, /** @type {string} */ (ks[i]))),
        true
      )
      check(one)
      // The first of a kept-alive run pays for the connection: left out.
      latency.push(...one.slice(1).map((a) => a.ms))
      await releaseAll(
        one,
        one.map(() => first)
      )
      const bases = Array.from({ length: BURST }, (_, i) => /** @type {string} */ (F.URLS[i % 2]))
      const [bt, bk] = [await tokens(BURST), keys(BURST)]
      const answers = await send(
        bt.map((t, i) => G.leaseRequest(/** @type {string} */ (bases[i]), t, /** @type {string} */ (bk[i])))
      )
      burst.push(Math.max(...answers.map((a) => a.ms)))
      // Refusals are counted by status and code (the table says how many), not taken as a failed run.
      for (const a of answers.filter((x) => x.status !== 201)) {
        const why = `${a.status} ${a.body?.code ?? a.error ?? ''}`.trim()
        refused.set(why, (refused.get(why) ?? 0) + 1)
      }
      const granted = answers.flatMap((a, i) =>
        a.status === 201 ? [{ a, base: /** @type {string} */ (bases[i]) }] : []
      )
      await releaseAll(
        granted.map((g) => g.a),
        granted.map((g) => g.base)
      )
    }
    return { latency, burst, refused, deferred }
  } finally {
    await F.stopFleet(fleet)
  }
}

/**
 * Runs the comparison and prints its table.
 * @param {{ rounds: number, sequential: number }} opts
 */
export async function compareStores({ rounds, sequential }) {
  const sqlite = await measure(true, rounds, sequential)
  const pg = await measure(false, rounds, sequential)
  const ratio = (/** @type {number} */ a, /** @type {number} */ b) => `${(a / b).toFixed(2)}×`
  console.log(
    `\nStores compared: two gateways, ${rounds} rounds; ${sequential} sequential leases (kept alive) at one gateway and ${BURST} concurrent requests over both per round\n`
  )
  console.log('| Measure | SQLite (a file each) | PostgreSQL (one database) | PostgreSQL / SQLite |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const [what, f] of /** @type {[string, (xs: number[]) => number][]} */ ([
    ['Lease latency p50', median],
    ['Lease latency p99', (xs) => quantile(xs, 0.99)]
  ]))
    console.log(
      `| ${what} | ${ms(f(sqlite.latency))} | ${ms(f(pg.latency))} | ${ratio(f(pg.latency), f(sqlite.latency))} |`
    )
  console.log(
    `| ${BURST} concurrent requests over two gateways: until the last answer (median) | ${ms(median(sqlite.burst))} | ${ms(median(pg.burst))} | ${ratio(median(pg.burst), median(sqlite.burst))} |`
  )
  const refusals = (/** @type {Map<string, number>} */ m) =>
    m.size === 0 ? 'none' : [...m].map(([why, n]) => `${n} × ${why}`).join(', ')
  console.log(
    `| Of the ${rounds} × ${BURST} concurrent requests, not granted | ${refusals(sqlite.refused)} | ${refusals(pg.refused)} | |`
  )
  console.log(`| Releases answered 202 (peer off, record written later) | ${sqlite.deferred} | ${pg.deferred} | |`)
}
