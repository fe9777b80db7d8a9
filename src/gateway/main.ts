// The gateway's entry: `node dist/gateway/index.js --config gateway.yml`. Reads the configuration,
// reconciles the interface with the store, serves, sweeps; SIGTERM/SIGINT stop it within a few
// seconds and leave live leases and their peers for the next start.
import { chmodSync } from 'node:fs'
import { createAudit } from './audit.js'
import { loadConfig } from './settings.js'
import { Leases } from './leases/leases.js'
import { createHandler, createServer } from './http/server.js'
import { Store } from './leases/store.js'
import { createVerifier } from './auth/tokens.js'
import { Wg } from './leases/peers.js'
import { Nftables, NoFirewall, tablePlan } from './firewall/firewall.js'

const STOP_WITHIN_MS = 3000

function configPath(argv: string[]): string {
  const i = argv.indexOf('--config')
  const path = i >= 0 ? argv[i + 1] : undefined
  if (!path || argv.length !== 2)
    throw new Error('usage: node dist/gateway/index.js --config /etc/wireguard-gateway/gateway.yml')
  return path
}

async function main(): Promise<void> {
  // The store (and its -wal and -shm files) readable by root only.
  process.umask(0o077)
  const config = loadConfig(configPath(process.argv.slice(2)))
  const audit = createAudit()
  const store = new Store(config.state)
  chmodSync(config.state, 0o600)
  const plan = tablePlan(config)
  const firewall = config.firewall === 'nftables' ? new Nftables(plan, audit) : new NoFirewall(plan, audit)
  const leases = new Leases(config, store, new Wg(config.interface), createVerifier(config), audit, Date.now, firewall)
  await leases.start()
  const server = createServer(config, createHandler(leases, config, audit), audit)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.listen.port, config.listen.host, () => resolve())
  })
  const listen = `${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}`
  audit('gateway.started', { interface: config.interface, listen, leases: leases.liveCount() })

  let sweeping = false
  const sweeper = setInterval(() => {
    if (sweeping) return
    sweeping = true
    leases
      .sweep()
      .catch((err: unknown) => audit('error', { reason: `sweep: ${err instanceof Error ? err.message : String(err)}` }))
      .finally(() => (sweeping = false))
  }, config.sweepIntervalMs)

  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    clearInterval(sweeper)
    server.close()
    server.closeIdleConnections()
    // Requests in flight finish (a peer being added is recorded either way); then the store closes.
    const end = Date.now() + STOP_WITHIN_MS
    while (!leases.idle() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    server.closeAllConnections()
    store.close()
    audit('gateway.stopped', { reason: signal })
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((err: unknown) => {
  process.stderr.write(`wireguard-gateway: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
