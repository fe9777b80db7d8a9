// HTTP by role: the active process serves the API (http/server.ts); a standby answers lease requests
// and releases with 503 `standby` (the action moves on to its next gateway) and /healthz with 503 and
// `role: standby` (a load balancer sends nothing here), without reading the interface or the store.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { GATEWAY_CODES } from '../../common/codes.js'
import type { Audit } from '../audit.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** What a standby tells clients. */
export const STANDBY =
  'this gateway process is a standby: another process of this gateway is active; try another gateway or shortly again'

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/**
 * The handler for a process that may be active or standby: `active()` is the API's handler while
 * this process acts, undefined while it is a standby. `iface` is the gateway's interface (for /healthz).
 */
export function byRole(active: () => Handler | undefined, iface: string, audit: Audit): Handler {
  return (req, res) => {
    const handler = active()
    if (handler) return handler(req, res)
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/healthz' && req.method === 'GET')
      return send(res, 503, { status: 'standby', role: 'standby', code: 'standby', interface: iface })
    if (
      (path === '/v1/leases' && req.method === 'POST') ||
      (/^\/v1\/leases\/[^/]+$/.test(path) && req.method === 'DELETE')
    ) {
      const client = req.socket.remoteAddress ?? ''
      audit(req.method === 'POST' ? 'lease.refused' : 'lease.release-refused', {
        status: GATEWAY_CODES.standby,
        code: 'standby',
        reason: 'this process is a standby',
        client
      })
      // The body is not read: drain it so that the connection can be kept.
      req.resume()
      return send(res, GATEWAY_CODES.standby, { error: STANDBY, code: 'standby' })
    }
    send(res, GATEWAY_CODES.not_found, {
      error: 'no such path: use POST /v1/leases, DELETE /v1/leases/{id} or GET /healthz',
      code: 'not_found'
    })
  }
}
