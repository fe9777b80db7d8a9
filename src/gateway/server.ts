// HTTP: routes, JSON in and out, limits. Errors are `{"error": "…"}` with a fitting status, never a
// stack trace. The token and the lease secret are read from the Authorization header and passed on,
// never logged.
import { readFileSync } from 'node:fs'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import type { Audit } from './audit.js'
import type { GatewayConfig } from './config.js'
import { HttpError, validPublicKey, type Leases } from './leases.js'

/** A lease request is `{"publicKey": "…"}`: anything over this is refused unread. */
const MAX_BODY = 4096

/** Reads the body up to `limit` bytes; a larger one is drained (up to a bound) and refused with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > 1 << 20) {
      reject(new HttpError(413, `the body is over ${limit} bytes`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= limit) chunks.push(c)
      else if (size > 1 << 20) req.destroy()
    })
    req.on('end', () =>
      size > limit
        ? reject(new HttpError(413, `the body is over ${limit} bytes`))
        : resolve(Buffer.concat(chunks).toString('utf8'))
    )
    req.on('error', reject)
    req.on('close', () => reject(new HttpError(400, 'the request ended early')))
  })
}

/** The credential of `Authorization: Bearer …`, or undefined. */
function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer +(\S{1,8192})$/i.exec(req.headers.authorization ?? '')
  return m?.[1]
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 413 ? { connection: 'close' } : {}),
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

export function createHandler(
  leases: Leases,
  config: GatewayConfig,
  audit: Audit
): (req: IncomingMessage, res: ServerResponse) => void {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const client = req.socket.remoteAddress ?? ''
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/healthz') {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET')
      return send(res, 200, { status: 'ok', interface: config.interface, leases: leases.liveCount() })
    }
    if (path === '/v1/leases') {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST')
      const token = bearer(req)
      const refuse: (status: number, reason: string) => never = (status, reason) => {
        audit('lease.refused', { status, reason, client })
        throw new HttpError(status, reason)
      }
      if (!token) refuse(401, 'missing "Authorization: Bearer <OIDC token>"')
      let body: unknown
      try {
        body = JSON.parse(await readBody(req, MAX_BODY))
      } catch (err) {
        if (err instanceof HttpError) refuse(err.status, err.message)
        refuse(400, 'the body must be JSON: {"publicKey": "<base64 WireGuard public key>"}')
      }
      const key = (body as { publicKey?: unknown } | null)?.publicKey
      if (!validPublicKey(key))
        refuse(400, '"publicKey" must be a WireGuard public key (32 bytes in base64, not all zero)')
      const grant = await leases.grant(token, key, client)
      return send(res, 201, grant)
    }
    const m = /^\/v1\/leases\/([^/]{1,100})$/.exec(path)
    if (m) {
      if (req.method !== 'DELETE') throw new HttpError(405, 'use DELETE')
      const secret = bearer(req)
      if (!secret) throw new HttpError(401, 'missing "Authorization: Bearer <lease secret>"')
      await leases.release(m[1] as string, secret, client)
      return send(res, 204)
    }
    throw new HttpError(404, 'no such path: use POST /v1/leases, DELETE /v1/leases/{id} or GET /healthz')
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return
      if (err instanceof HttpError) return send(res, err.status, { error: err.message })
      audit('error', { reason: err instanceof Error ? err.message : String(err) })
      send(res, 500, { error: 'internal error; see the gateway log' })
    })
  }
}

/** An HTTPS server when TLS is configured, else plain HTTP (config allows that only on loopback or when asked). */
export function createServer(
  config: GatewayConfig,
  handler: (req: IncomingMessage, res: ServerResponse) => void
): Server {
  const server = config.tls
    ? createHttps(
        { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key), minVersion: 'TLSv1.2' },
        handler
      )
    : createHttp(handler)
  server.headersTimeout = 10_000
  server.requestTimeout = 15_000
  server.keepAliveTimeout = 5_000
  server.maxHeadersCount = 50
  // A bound on open connections: a flood cannot exhaust file descriptors.
  server.maxConnections = 2048
  return server
}
