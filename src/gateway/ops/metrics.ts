// Prometheus metrics (prom-client), on their own listen address (`metrics: 127.0.0.1:9108`; off by
// default), plain HTTP, GET /metrics. Counted from the audit, which every decision goes through, so a
// grant or refusal is counted exactly when it is logged (refusals included when the audit summarises
// them); gauges are read at each scrape. No label holds a repository, a key or an address.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Audit } from '../audit.js'

/** What the gauges read at a scrape. */
interface Source {
  liveCount(): number
  poolFree(): number
  draining(): boolean
  /** With PostgreSQL state: this process's place in the fleet (fleet/standby.ts, fleet/notices.ts). */
  fleet?: () => FleetState
}

/** A process of a fleet, as its gauges show it. */
export interface FleetState {
  /** The gateway's name (`name:`), for the info metric. */
  name: string
  interface: string
  active: boolean
  /** The lock's session reaches the database. */
  databaseReachable: boolean
  /** The revoke notices' session listens (the active only; a standby does not listen). */
  listening: boolean
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

export class Metrics {
  readonly registry = new Registry()
  private readonly grants: Counter
  private readonly refusals: Counter<'status' | 'code'>
  private readonly ended: Counter<'reason'>
  private readonly issuerFailures: Counter
  private readonly latency: Histogram
  private readonly sweeps: Histogram
  private readonly repairs: Counter
  private roleChanges: Counter<'role'> | undefined
  private fleetRevokes: Counter<'via'> | undefined

  constructor(source: Source) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry })
    new Gauge({
      name: 'wireguard_gateway_leases_live',
      help: 'Live leases (peers the gateway holds on its interface).',
      registers,
      collect() {
        this.set(source.liveCount())
      }
    })
    new Gauge({
      name: 'wireguard_gateway_pool_free_addresses',
      help: 'Addresses the pool can still lease (of its smallest family).',
      registers,
      collect() {
        this.set(source.poolFree())
      }
    })
    new Gauge({
      name: 'wireguard_gateway_draining',
      help: '1 while the gateway drains (refuses new leases), else 0.',
      registers,
      collect() {
        this.set(source.draining() ? 1 : 0)
      }
    })
    if (source.fleet) this.fleetGauges(source.fleet, registers)
    this.grants = new Counter({ name: 'wireguard_gateway_grants_total', help: 'Leases granted.', registers })
    this.refusals = new Counter({
      name: 'wireguard_gateway_refusals_total',
      help: 'Lease and release requests refused, by HTTP status and error code.',
      labelNames: ['status', 'code'],
      registers
    })
    this.ended = new Counter({
      name: 'wireguard_gateway_leases_ended_total',
      help: 'Leases ended, by reason (released, expired, silent, revoked, …).',
      labelNames: ['reason'],
      registers
    })
    this.issuerFailures = new Counter({
      name: 'wireguard_gateway_issuer_fetch_failures_total',
      help: "Requests refused because the token issuer's discovery document or keys could not be fetched or used (issuer_unreachable, issuer_misconfigured).",
      registers
    })
    this.latency = new Histogram({
      name: 'wireguard_gateway_lease_latency_seconds',
      help: 'Time from a lease request to its 201 answer (the peer is live before the answer).',
      buckets: SECONDS,
      registers
    })
    this.sweeps = new Histogram({
      name: 'wireguard_gateway_sweep_duration_seconds',
      help: 'Time a sweep (expiry, silence, restore, firewall comparison) took.',
      buckets: SECONDS,
      registers
    })
    this.repairs = new Counter({
      name: 'wireguard_gateway_firewall_repairs_total',
      help: 'Times the nftables table differed from the leases and was rebuilt.',
      registers
    })
  }

  /** The gauges of a process of a fleet (PostgreSQL state): one line each, read at a scrape. */
  private fleetGauges(fleet: () => FleetState, registers: Registry[]): void {
    new Gauge({
      name: 'wireguard_gateway_info',
      help: 'Always 1: the gateway (its name in the fleet, its interface) this process serves.',
      labelNames: ['name', 'interface'],
      registers,
      collect() {
        const f = fleet()
        this.reset()
        this.set({ name: f.name, interface: f.interface }, 1)
      }
    })
    new Gauge({
      name: 'wireguard_gateway_active',
      help: "1 while this process acts for its gateway (holds the gateway's lock), 0 while it is a standby.",
      registers,
      collect() {
        this.set(fleet().active ? 1 : 0)
      }
    })
    new Gauge({
      name: 'wireguard_gateway_database_reachable',
      help: "1 while this process's session with PostgreSQL works (checked every second), else 0.",
      registers,
      collect() {
        this.set(fleet().databaseReachable ? 1 : 0)
      }
    })
    new Gauge({
      name: 'wireguard_gateway_revoke_listener_up',
      help: 'The active only: 1 while it listens for revokes from the fleet (LISTEN), else 0 (the sweep finds them).',
      registers,
      collect() {
        this.set(fleet().listening ? 1 : 0)
      }
    })
    this.roleChanges = new Counter({
      name: 'wireguard_gateway_role_changes_total',
      help: 'Times this process took over (to active) or stepped down (to standby), by the role it took.',
      labelNames: ['role'],
      registers
    })
    this.fleetRevokes = new Counter({
      name: 'wireguard_gateway_fleet_revokes_total',
      help: 'Leases of this gateway ended because the fleet said so, by how it learnt it (notice, sweep).',
      labelNames: ['via'],
      registers
    })
  }

  /** An audit that counts what it sees, then writes it on with `write`. */
  observe(write: Audit): Audit {
    return (event, fields = {}) => {
      if (event === 'lease.granted') this.grants.inc()
      else if (event === 'lease.refused' || event === 'lease.release-refused') {
        this.refusals.inc({ status: String(fields.status ?? 0), code: fields.code ?? 'none' })
        if (fields.code === 'issuer_unreachable' || fields.code === 'issuer_misconfigured') this.issuerFailures.inc()
      } else if (event === 'lease.ended') this.ended.inc({ reason: fields.reason ?? 'ended' })
      else if (event === 'firewall.repaired') this.repairs.inc()
      else if (event === 'fleet.active' || event === 'fleet.standby')
        this.roleChanges?.inc({ role: event.slice('fleet.'.length) })
      else if (event === 'fleet.revoked')
        this.fleetRevokes?.inc({ via: fields.client === 'sweep' ? 'sweep' : 'notice' })
      write(event, fields)
    }
  }

  /** Times lease requests that are granted (201), from the request to the answer sent. */
  instrument(
    handler: (req: IncomingMessage, res: ServerResponse) => void
  ): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/leases') {
        const start = performance.now()
        res.once('finish', () => {
          if (res.statusCode === 201) this.latency.observe((performance.now() - start) / 1000)
        })
      }
      handler(req, res)
    }
  }

  /** Records a sweep's duration in milliseconds. */
  swept(ms: number): void {
    this.sweeps.observe(ms / 1000)
  }
}

/** Serves GET /metrics on host:port (plain HTTP: keep it on loopback or a private network). */
export async function serveMetrics(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n')
      return
    }
    metrics.registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
      .catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`))
  })
  server.headersTimeout = 5000
  server.requestTimeout = 10_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return server
}
