// The gateway's entry: `node dist/gateway/index.js --config gateway.yml` serves; `… leases list|show|
// revoke`, `… drain|undrain` are the operators' command line (ops/cli.ts), talking to the running
// gateway through its control socket. Serving: reads the configuration, reconciles the interface and
// its firewall with the store, serves, sweeps; SIGTERM/SIGINT stop it within a few seconds and leave
// live leases, their peers and their firewall rules for the next start.
import { chmodSync } from 'node:fs'
import type { Server } from 'node:http'
import { performance } from 'node:perf_hooks'
import { errorText } from '../common/errors.js'
import { createAudit, type Audit } from './audit.js'
import { loadConfig } from './settings.js'
import { Leases } from './leases/leases.js'
import { clientGroup, createHandler, createServer } from './http/server.js'
import { Store } from './leases/store.js'
import { createVerifier } from './auth/tokens.js'
import { Wg } from './leases/peers.js'
import { Nftables, NoFirewall, tablePlan } from './firewall/firewall.js'
import { Gate } from './limits/gate.js'
import { Refusals } from './limits/refusals.js'
import { isCli, runCli } from './ops/cli.js'
import { serveControl } from './ops/control.js'
import { Metrics, serveMetrics } from './ops/metrics.js'

const STOP_WITHIN_MS = 3000

function configPath(argv: string[]): string {
  const i = argv.indexOf('--config')
  const path = i >= 0 ? argv[i + 1] : undefined
  if (!path || argv.length !== 2)
    throw new Error(
      'usage: node dist/gateway/index.js --config /etc/wireguard-gateway/gateway.yml (or leases list|show|revoke, drain, undrain)'
    )
  return path
}

async function main(): Promise<void> {
  // The store (and its -wal and -shm files) readable by root only.
  process.umask(0o077)
  const config = loadConfig(configPath(process.argv.slice(2)))
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
  chmodSync(config.state, 0o600)
  const plan = tablePlan(config)
  const firewall = config.firewall === 'nftables' ? new Nftables(plan, audit) : new NoFirewall(plan, audit)
  const wg = new Wg(config.interface)
  const leases: Leases = new Leases(config, store, wg, createVerifier(config), audit, Date.now, firewall)
  // The control socket first: it refuses to start while another gateway serves this interface's.
  const servers: Server[] = [await serveControl(config.controlSocket, { leases, store, wg, gate, audit })]
  await leases.start()
  if (metrics && config.metrics) servers.push(await serveMetrics(metrics, config.metrics.host, config.metrics.port))
  const handler = createHandler(leases, config, audit, gate)
  const server = createServer(config, metrics ? metrics.instrument(handler) : handler, audit)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.listen.port, config.listen.host, () => resolve())
  })
  const listen = `${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}`
  audit('gateway.started', { interface: config.interface, listen, leases: leases.liveCount() })

  let sweeping = false
  const sweeper = setInterval(() => {
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
  }, config.sweepIntervalMs)

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
    store.close()
    refusals.flush(true)
    audit('gateway.stopped', { reason: signal })
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
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
