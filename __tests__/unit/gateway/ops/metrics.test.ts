// Metrics counted from the audit (grants, refusals by status and code, issuer failures, ended leases,
// firewall repairs), gauges read at a scrape, the grant latency timed at the HTTP layer, and the
// /metrics endpoint on its own address.
import { describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Metrics, serveMetrics } from '../../../../src/gateway/ops/metrics.js'

const source = { liveCount: () => 7, poolFree: () => 246, draining: () => true }

describe('gateway metrics', () => {
  it('counts what the audit says and passes every line on', async () => {
    const m = new Metrics(source)
    const written: string[] = []
    const audit = m.observe((event) => written.push(event))
    audit('lease.granted', { status: 201 })
    audit('lease.granted', { status: 201 })
    audit('lease.refused', { status: 403, code: 'quota_exceeded' })
    audit('lease.refused', {
      status: 503,
      code: 'issuer_unreachable',
      reason: 'the token issuer could not be reached; try again'
    })
    audit('lease.release-refused', { status: 404 })
    audit('lease.ended', { reason: 'revoked' })
    audit('firewall.repaired', { reason: 'x' })
    audit('gateway.started', {})
    m.swept(12)
    expect(written).toEqual([
      'lease.granted',
      'lease.granted',
      'lease.refused',
      'lease.refused',
      'lease.release-refused',
      'lease.ended',
      'firewall.repaired',
      'gateway.started'
    ])
    const text = await m.registry.metrics()
    for (const line of [
      'wireguard_gateway_grants_total 2',
      'wireguard_gateway_refusals_total{status="403",code="quota_exceeded"} 1',
      'wireguard_gateway_refusals_total{status="503",code="issuer_unreachable"} 1',
      'wireguard_gateway_refusals_total{status="404",code="none"} 1',
      'wireguard_gateway_issuer_fetch_failures_total 1',
      'wireguard_gateway_leases_ended_total{reason="revoked"} 1',
      'wireguard_gateway_firewall_repairs_total 1',
      'wireguard_gateway_leases_live 7',
      'wireguard_gateway_pool_free_addresses 246',
      'wireguard_gateway_draining 1',
      'wireguard_gateway_sweep_duration_seconds_count 1',
      'wireguard_gateway_sweep_duration_seconds_bucket{le="0.025"} 1'
    ])
      expect(text).toContain(`${line}\n`)
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m)
  })

  it('shows a process of a fleet: its gateway, role, database and listener, role changes and fleet revokes', async () => {
    const state = { name: 'host-a/wg0', interface: 'wg0', active: true, databaseReachable: true, listening: true }
    const m = new Metrics({ ...source, fleet: () => state })
    const audit = m.observe(() => undefined)
    audit('fleet.active', {})
    audit('fleet.standby', {})
    audit('fleet.active', {})
    audit('fleet.revoked', { client: 'sweep' })
    audit('fleet.revoked', { client: 'fleet notice' })
    let text = await m.registry.metrics()
    for (const line of [
      'wireguard_gateway_info{name="host-a/wg0",interface="wg0"} 1',
      'wireguard_gateway_active 1',
      'wireguard_gateway_database_reachable 1',
      'wireguard_gateway_revoke_listener_up 1',
      'wireguard_gateway_role_changes_total{role="active"} 2',
      'wireguard_gateway_role_changes_total{role="standby"} 1',
      'wireguard_gateway_fleet_revokes_total{via="sweep"} 1',
      'wireguard_gateway_fleet_revokes_total{via="notice"} 1'
    ])
      expect(text).toContain(`${line}\n`)
    Object.assign(state, { active: false, databaseReachable: false, listening: false })
    text = await m.registry.metrics()
    for (const line of [
      'wireguard_gateway_active 0',
      'wireguard_gateway_database_reachable 0',
      'wireguard_gateway_revoke_listener_up 0'
    ])
      expect(text).toContain(`${line}\n`)
  })

  it('has no fleet metrics with SQLite state', async () => {
    expect(await new Metrics(source).registry.metrics()).not.toMatch(/wireguard_gateway_(active|database|info)/)
  })

  it('times granted lease requests only, and serves GET /metrics', async () => {
    const m = new Metrics(source)
    const handler = m.instrument((req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(req.headers['x-status'] ? Number(req.headers['x-status']) : 201).end()
    })
    const app = createServer(handler)
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
    const metrics = await serveMetrics(m, '127.0.0.1', 0)
    try {
      const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
      await fetch(`${base}/v1/leases`, { method: 'POST' })
      await fetch(`${base}/v1/leases`, { method: 'POST', headers: { 'x-status': '403' } })
      await fetch(`${base}/healthz`)
      const url = `http://127.0.0.1:${(metrics.address() as AddressInfo).port}`
      const scrape = await fetch(`${url}/metrics`)
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      expect(await scrape.text()).toMatch(/^wireguard_gateway_lease_latency_seconds_count 1$/m)
      expect((await fetch(`${url}/`)).status).toBe(404)
    } finally {
      app.close()
      metrics.close()
    }
  })
})
