// The gateway's entry: `node dist/gateway/index.js --config gateway.yml` serves; `… leases list|show|
// revoke`, `… drain|undrain` are the operators' command line (ops/cli.ts), talking to the running
// gateway through its control socket. Serving: reads the configuration, reconciles the interface and
// its firewall with the store, serves, sweeps; SIGTERM/SIGINT stop it within a few seconds and leave
// live leases, their peers and their firewall rules for the next start; SIGHUP reloads the
// configuration and the TLS certificate (reload.ts).
import { chmodSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Server as TlsServer } from 'node:https'
import { performance } from 'node:perf_hooks'
import { errorText } from '../common/errors.js'
import { createAudit, type Audit } from './audit.js'
import { loadConfig, type GatewayConfig } from './settings.js'
import { Leases } from './leases/leases.js'
import { clientGroup, createHandler, createServer } from './http/server.js'
import { loadTls, TLS_CONTEXT } from './http/tls.js'
import { Store } from './leases/store.js'
import { isPostgresUrl } from './leases/postgres.js'
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

const STOP_WITHIN_MS = 3000
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
  const metrics: Metrics | undefined = config.metrics
    ? new Metrics({
        // Read at a scrape, once everything below exists.
        liveCount: (): number => leases.liveCount(),
        poolFree: (): number => leases.poolFree(),
        draining: () => gate.draining
      })
    : undefined
  const audit: Audit = metrics ? metrics.observe(refusals.audit) : refusals.audit
  const store = new Store(config.state)
  if (!isPostgresUrl(config.state)) chmodSync(config.state, 0o600)
  const plan = tablePlan(config)
  const firewall = config.firewall === 'nftables' ? new Nftables(plan, audit) : new NoFirewall(plan, audit)
  const wg = new Wg(config.interface)
  let verifier = createVerifier(config)
  const verify: Verifier = (token) => verifier(token)
  const leases: Leases = new Leases(config, store, wg, verify, audit, Date.now, firewall)
  // The control socket first: it refuses to start while another gateway serves this interface's.
  const servers: Server[] = [await serveControl(config.controlSocket, { leases, store, wg, gate, audit })]
  await leases.start()
  if (metrics && config.metrics) servers.push(await serveMetrics(metrics, config.metrics.host, config.metrics.port))
  const handler = createHandler(leases, config, audit, gate)
  const server = createServer(config, metrics ? metrics.instrument(handler) : handler, audit)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: config.listen.port, host: config.listen.host, backlog: LISTEN_BACKLOG }, () => resolve())
  })
  const listen = `${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}`
  for (const w of warnings(config, tls?.warnings ?? [])) audit('warning', { reason: w })
  audit('gateway.started', {
    interface: config.interface,
    gateway: config.name,
    store: store.label,
    listen,
    leases: leases.liveCount()
  })

  let sweeping = false
  const sweep = (): void => {
    refusals.flush()
    if (sweeping) return
    sweeping = true
    const started = performance.now()
    leases
      .sweep()
      .catch((err: unknown) => audit('error', { reason: `sweep: ${errorText(err)}` }))
      .finally(() => {
        sweeping = false
        metrics?.swept(performance.now() - started)
      })
  }
  let sweeper = setInterval(sweep, config.sweepIntervalMs)

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
      clearInterval(sweeper)
      sweeper = setInterval(sweep, config.sweepIntervalMs)
    }
  })

  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    clearInterval(sweeper)
    server.close()
    server.closeIdleConnections()
    for (const s of servers) s.close()
    // Requests in flight finish (a peer being added is recorded either way); then the store closes.
    const end = Date.now() + STOP_WITHIN_MS
    while (!leases.idle() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    server.closeAllConnections()
    await store.close()
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
