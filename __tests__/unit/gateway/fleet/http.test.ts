// A standby's answers: 503 `standby` for lease requests and releases, /healthz 503 with its role; the
// active's handler once it acts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { byRole } from '../../../../src/gateway/fleet/http.js'
import type { AuditFields } from '../../../../src/gateway/audit.js'
import { createHandler } from '../../../../src/gateway/http/server.js'
import type { Leases } from '../../../../src/gateway/leases/leases.js'
import { parseConfig } from '../../../../src/gateway/settings.js'

const CONFIG = `listen: 127.0.0.1:8080
interface: wg0
endpoint: vpn.example.com:51820
pool: [10.0.0.0/29]
audience: https://vpn.example.com
`
const leases = { liveCount: () => 2, storeHealth: () => ({ ok: true, pending: 0 }) } as unknown as Leases

describe('HTTP by role', () => {
  it('answers as a standby until the process acts, then hands every request to the API (its /healthz saying `role: active`)', async () => {
    let active: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
    const audit: [string, AuditFields | undefined][] = []
    const app = createServer(
      byRole(
        () => active,
        'wg0',
        (e, f) => audit.push([e, f])
      )
    )
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
    try {
      const health = await fetch(`${base}/healthz`)
      expect(health.status).toBe(503)
      expect(await health.json()).toEqual({ status: 'standby', role: 'standby', code: 'standby', interface: 'wg0' })
      const post = await fetch(`${base}/v1/leases`, { method: 'POST', body: '{"publicKey":"x"}' })
      expect(post.status).toBe(503)
      expect(await post.json()).toMatchObject({ code: 'standby' })
      const del = await fetch(`${base}/v1/leases/abc`, { method: 'DELETE' })
      expect(del.status).toBe(503)
      expect(await del.json()).toMatchObject({ code: 'standby' })
      expect((await fetch(`${base}/other`)).status).toBe(404)
      expect(audit.map(([e, f]) => [e, f?.status, f?.code])).toEqual([
        ['lease.refused', 503, 'standby'],
        ['lease.release-refused', 503, 'standby']
      ])
      active = createHandler(leases, parseConfig(CONFIG), () => undefined, undefined, true)
      const now = await fetch(`${base}/healthz`)
      expect(now.status).toBe(200)
      expect(await now.json()).toEqual({ status: 'ok', role: 'active', interface: 'wg0', leases: 2, store: 'ok' })
    } finally {
      app.close()
    }
  })
})
