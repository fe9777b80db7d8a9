// The gateway's entry: `node dist/gateway/index.js --config gateway.yml` serves; `… leases list|show|
// revoke`, `… drain|undrain` are the operators' command line (ops/cli.ts), talking to the running
// gateway through its control socket. Serving: reads the configuration, reconciles the interface and
// its firewall with the store, serves, sweeps; SIGTERM/SIGINT stop it within a few seconds and leave
// live leases, their peers and their firewall rules for the next start; SIGHUP reloads the
// configuration and the TLS certificate (reload.ts).
import { chmodSync, readFileSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import pg from 'pg'
import type { Server as TlsServer } from 'node:https'
import { performance } from 'node:perf_hooks'
import { errorText } from '../common/errors.js'
import { createAudit, type Audit } from './audit.js'
import { loadConfig, type GatewayConfig } from './settings.js'
import { Leases } from './leases/leases.js'
import { clientGroup, createHandler, createServer } from './http/server.js'
import { loadTls, TLS_CONTEXT } from './http/tls.js'
import { Store } from './leases/store.js'
import { StoreRefused } from './leases/backend.js'
import { CONNECT_TIMEOUT_MS, isPostgresUrl, redactUrl } from './leases/postgres.js'
import { createVerifier, type Verifier } from './auth/tokens.js'
import { Wg } from './leases/peers.js'
import { Nftables, NoFirewall, tablePlan } from './firewall/firewall.js'
import { Gate } from './limits/gate.js'
import { Refusals } from './limits/refusals.js'
import { isCli, runCli } from './ops/cli.js'
import { serveControl } from './ops/control.js'
import { Metrics, serveMetrics } from './ops/metrics.js'
import { privilegeProblem } from './preflight.js'
import { fixedChange } from './reload.js'
import { byRole } from './fleet/http.js'
import { Listener } from './fleet/notices.js'
import { obeyNotice, storeFleet } from './fleet/owner.js'
import { lockKey, QUERY_TIMEOUT_MS, Standby } from './fleet/standby.js'

const STOP_WITHIN_MS = 3000
/** How long a process taking over waits for the one stepping down to give up the control socket. */
const TAKEOVER_WAIT_MS = 3000
/**
 * Connections the kernel queues before they are accepted (listen(2)'s backlog, capped by
 * net.core.somaxconn): Node's default of 511 makes the rest of a burst of runners wait for SYN
 * retransmits (a second or more).
 */
const LISTEN_BACKLOG = 4096

function configPath(argv: string[]): string {
  const i = argv.indexOf('--config')
  const path = i >= 0 ? argv[i + 1] : undefined
  if (!path || argv.length !== 2)
    throw new Error(
      'usage: node dist/gateway/index.js --config /etc/wireguard-gateway/gateway.yml (or leases list|show|revoke, drain, undrain)'
    )
  return path
}

/** Things worth an operator's attention in a configuration that starts. */
function warnings(config: GatewayConfig, tlsWarnings: string[]): string[] {
  const out = [...tlsWarnings]
  if (config.rules.length === 0)
    out.push('the configuration has no rules: every lease request is refused (403). Add rules (docs/gateway.md)')
  return out
}

/** What this process runs while it acts for its gateway (always with SQLite; with PostgreSQL, the lock's holder). */
interface Acting {
  leases: Leases
  store: Store
  handler: (req: IncomingMessage, res: ServerResponse) => void
  /** Stops acting: sweeps, the control socket, revoke notices; waits for work in flight; closes the store. */
  stop(): Promise<void>
}

async function main(): Promise<void> {
  const path = configPath(process.argv.slice(2))
  const privilege = privilegeProblem(process.getuid?.() ?? 0, readFileSync('/proc/self/status', 'utf8'))
  if (privilege) throw new Error(privilege)
  // The store (and its -wal, -shm and lock files) readable by root only.
  process.umask(0o077)
  const config = loadConfig(path)
  const tls = config.tls ? loadTls(config.tls) : undefined
  // Refusals are summarised before the journal (refusals-per-address), and counted for metrics before that.
  const refusals = new Refusals(config.refusalsPerAddress, createAudit(), clientGroup)
  const gate = new Gate(refusals, config.refusalsPerAddress)
  const wg = new Wg(config.interface)
  const fleet = isPostgresUrl(config.state)
  // With PostgreSQL: the gateway's identity in the fleet is its interface's public key.
  const publicKey = fleet ? (await wg.info()).publicKey : ''
  const name = config.name
  let acting: Acting | undefined
  let standby: Standby | undefined
  let listener: Listener | undefined
  const metrics: Metrics | undefined = config.metrics
    ? new Metrics({
        // Read at a scrape: a standby has no leases of its own to count.
        liveCount: (): number => acting?.leases.liveCount() ?? 0,
        poolFree: (): number => acting?.leases.poolFree() ?? 0,
        draining: () => gate.draining,
        fleet: fleet
          ? () => ({
              name,
              interface: config.interface,
              active: standby?.role === 'active',
              databaseReachable: standby?.databaseReachable ?? false,
              listening: listener?.listening ?? false
            })
          : undefined
      })
    : undefined
  const audit: Audit = metrics ? metrics.observe(refusals.audit) : refusals.audit
  const plan = tablePlan(config)
  let verifier = createVerifier(config)
  const verify: Verifier = (token) => verifier(token)
  /**
   * A session of its own for the lock, for notices or for one NOTIFY: never one of the store's. The
   * server must let go of a session whose gateway is gone or cut off, or an advisory lock outlives
   * it (in a partition the client's close never arrives) and no process can act until the kernel's
   * keepalive reaps it (2 h by default): TCP keepalives find a silent peer within 11 s, and the
   * lock's session (`lock`: it queries every second, so it is never idle that long) also ends
   * after 10 s idle (idle_session_timeout, PostgreSQL 14). The LISTEN session waits idle by design,
   * so it has the keepalives only.
   */
  const session = (lock = false): pg.Client =>
    new pg.Client({
      connectionString: config.state,
      application_name: `wireguard-gateway ${name}`.slice(0, 63),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      options: `${lock ? '-c idle_session_timeout=10s ' : ''}-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3`
    })

  let sweepIntervalMs = config.sweepIntervalMs
  /** Starts acting: the store, the control socket, reconcile (interface and firewall), then sweeps. */
  const act = async (): Promise<Acting> => {
    const store = new Store(config.state)
    if (!fleet) chmodSync(config.state, 0o600)
    const firewall = config.firewall === 'nftables' ? new Nftables(plan, audit) : new NoFirewall(plan, audit)
    const leases: Leases = new Leases(config, store, wg, verify, audit, Date.now, firewall)
    const fleetDb = fleet ? storeFleet(store, () => session()) : undefined
    // The control socket first: it refuses to start while another gateway serves this interface's.
    const deps = { leases, store, wg, gate, audit, fleet: fleetDb && { self: publicKey, name, db: fleetDb } }
    let control: Server
    try {
      // A process that lost its lock's session (not its life) gives up the socket when it steps down,
      // at its next tick: a process taking over waits for that a little (TAKEOVER_WAIT_MS).
      const until = Date.now() + (fleet ? TAKEOVER_WAIT_MS : 0)
      for (;;) {
        try {
          control = await serveControl(config.controlSocket, deps)
          break
        } catch (err) {
          if (Date.now() >= until) throw err
          await new Promise((r) => setTimeout(r, 200))
        }
      }
    } catch (err) {
      await store.close()
      throw err
    }
    try {
      await leases.start()
    } catch (err) {
      control.close()
      await store.close()
      throw err
    }
    let sweeping = false
    const sweep = (): void => {
      refusals.flush()
      if (sweeping) return
      sweeping = true
      const started = performance.now()
      // With PostgreSQL, the sweep also ends the leases revoked elsewhere whose notice was missed.
      leases
        .sweep()
        .catch((err: unknown) => audit('error', { reason: `sweep: ${errorText(err)}` }))
        .finally(() => {
          sweeping = false
          metrics?.swept(performance.now() - started)
        })
    }
    let sweeper = setInterval(sweep, sweepIntervalMs)
    resweep = (ms) => {
      clearInterval(sweeper)
      sweeper = setInterval(sweep, ms)
    }
    if (fleetDb) {
      listener = new Listener({
        client: () => session(),
        self: publicKey,
        // A notice is only a hint (any role that may connect can send one): the lease ends only
        // when the database says it ended.
        revoked: (id) => obeyNotice(store, leases, id, audit).then(() => undefined),
        // Notices sent while it was not listening are lost: a sweep finds what they said.
        listening: () => leases.sweep(),
        audit
      })
      await listener.start()
    }
    const handler = createHandler(leases, config, audit, gate, fleet)
    return {
      leases,
      store,
      handler: metrics ? metrics.instrument(handler) : handler,
      stop: async () => {
        clearInterval(sweeper)
        resweep = () => undefined
        await listener?.stop()
        listener = undefined
        const end = Date.now() + STOP_WITHIN_MS
        while (!leases.idle() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
        // The store before the control socket: a process taking over waits for that socket, and must
        // then read every end this one made (else it would restore peers of leases that ended).
        await store.close()
        control.close()
      }
    }
  }
  let resweep: (ms: number) => void = () => undefined

  if (fleet) {
    // The lock first: only its holder touches the interface; the others serve as standbys.
    standby = new Standby({
      client: () => session(true),
      key: lockKey(publicKey),
      activate: async () => {
        acting = await act()
        audit('gateway.active', { interface: config.interface, gateway: name, leases: acting.leases.liveCount() })
      },
      // Refused when it took the lock (at start or later): the process ends with the one line a
      // refusal at start gives, rather than waiting on as a standby that can never act.
      isRefusal: (err) => err instanceof StoreRefused,
      refused: (err) => {
        process.stderr.write(`wireguard-gateway: ${errorText(err)}\n`)
        process.exit(1)
      },
      stepDown: async (reason) => {
        const was = acting
        acting = undefined
        await was?.stop()
        audit('gateway.standby', { interface: config.interface, gateway: name, reason })
      },
      audit
    })
    await standby.start()
  } else {
    acting = await act()
  }
  const servers: Server[] = []
  if (metrics && config.metrics) servers.push(await serveMetrics(metrics, config.metrics.host, config.metrics.port))
  const handler = fleet ? byRole(() => acting?.handler, config.interface, audit) : (acting as Acting).handler
  const server = createServer(config, handler, audit)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: config.listen.port, host: config.listen.host, backlog: LISTEN_BACKLOG }, () => resolve())
  })
  const listen = `${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}`
  for (const w of warnings(config, tls?.warnings ?? [])) audit('warning', { reason: w })
  audit('gateway.started', {
    interface: config.interface,
    gateway: config.name,
    store: fleet ? redactUrl(config.state) : config.state,
    listen,
    leases: acting?.leases.liveCount() ?? 0,
    ...(standby ? { role: standby.role } : {})
  })

  process.on('SIGHUP', () => {
    const before = { issuer: config.issuer, sweep: config.sweepIntervalMs }
    try {
      reload(path, config, server as TlsServer, audit)
    } catch (err) {
      audit('gateway.reload-refused', { reason: `${errorText(err)}; the running configuration stays` })
      return
    }
    if (config.issuer !== before.issuer) verifier = createVerifier(config)
    if (config.sweepIntervalMs !== before.sweep) {
      sweepIntervalMs = config.sweepIntervalMs
      resweep(sweepIntervalMs)
    }
  })

  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    server.close()
    server.closeIdleConnections()
    for (const s of servers) s.close()
    // Requests in flight finish (a peer being added is recorded either way); then the store closes.
    await acting?.stop()
    server.closeAllConnections()
    // The lock last: a standby takes over only once this process no longer touches the interface.
    await standby?.stop()
    refusals.flush(true)
    audit('gateway.stopped', { reason: signal })
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

/**
 * Reads the configuration again and applies it in place (everyone holds this one object): throws,
 * changing nothing, when it does not load, changes what a reload cannot, or its TLS pair is bad.
 */
function reload(path: string, config: GatewayConfig, server: TlsServer, audit: Audit): void {
  const next = loadConfig(path)
  const fixed = fixedChange(config, next)
  if (fixed) throw new Error(`${fixed} cannot change while the gateway runs: restart it to apply that`)
  const tls = next.tls ? loadTls(next.tls) : undefined
  // A renewal that is out of date would replace a pair runners may still accept.
  if (tls?.outOfDate) throw new Error(tls.outOfDate)
  if (tls) server.setSecureContext({ ...TLS_CONTEXT, cert: tls.cert, key: tls.key })
  Object.assign(config, next)
  for (const w of warnings(config, tls?.warnings ?? [])) audit('warning', { reason: w })
  audit('gateway.reloaded', {
    interface: config.interface,
    reason: `${path}${tls ? ' and the TLS certificate' : ''} read again`
  })
}

const argv = process.argv.slice(2)
if (isCli(argv)) {
  void runCli(argv).then((code) => (process.exitCode = code))
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`wireguard-gateway: ${errorText(err)}\n`)
    process.exit(1)
  })
}
