// HTTP: routes, JSON in and out, limits. Errors are `{"error": "…", "code": "…"}` with the code's
// status (src/common/codes.ts), never a stack trace. The token and the lease secret are read from the Authorization header and passed on,
// never logged.
import { readFileSync } from 'node:fs'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import type { Socket } from 'node:net'
import { GATEWAY_CODES, type GatewayCode } from '../../common/codes.js'
import { errorText } from '../../common/errors.js'
import { formatBytes, parseAddress } from '../../common/ip.js'
import type { Audit } from '../audit.js'
import type { GatewayConfig } from '../settings.js'
import { isPeerKey } from '../../common/grammar.js'
import type { Leases } from '../leases/leases.js'
import { HttpError } from './error.js'
import type { Gate } from '../limits/gate.js'

/** A lease request is `{"publicKey": "…"}`: anything over this is refused unread. */
const MAX_BODY = 4096

/** Reads the body up to `limit` bytes; a larger one is drained (up to a bound) and refused with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > 1 << 20) {
      reject(new HttpError('body_too_large', `the body is over ${limit} bytes`))
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
        ? reject(new HttpError('body_too_large', `the body is over ${limit} bytes`))
        : resolve(Buffer.concat(chunks).toString('utf8'))
    )
    req.on('error', reject)
    req.on('close', () => reject(new HttpError('request_incomplete', 'the request ended early')))
  })
}

/** Longest credential accepted: GitHub's tokens are about 1 KiB; a lease secret is 43 characters. */
const MAX_BEARER = 8192

/**
 * The credential of `Authorization: Bearer …`; undefined when there is no such header; throws 401
 * (authorization_malformed) when there is one that is not `Bearer <credential>` (another scheme, or over MAX_BEARER). The
 * header's value is never quoted back.
 */
function bearer(req: IncomingMessage, what: string): string | undefined {
  const header = req.headers.authorization
  if (header === undefined || header === '') return undefined
  const m = /^Bearer +(\S+)$/i.exec(header)
  if (!m || (m[1] as string).length > MAX_BEARER)
    throw new HttpError(
      'authorization_malformed',
      `malformed Authorization header: expected "Bearer <${what}>" with a ${what === 'OIDC token' ? 'token' : 'secret'} of at most ${MAX_BEARER} characters`
    )
  return m[1]
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

/**
 * `gate`: refusals before a request is read (draining, a client over its refusals); none in tests.
 * `fleet`: with PostgreSQL state, /healthz says `role: active` (a standby answers from fleet/http.ts).
 */
export function createHandler(
  leases: Leases,
  config: GatewayConfig,
  audit: Audit,
  gate?: Gate,
  fleet = false
): (req: IncomingMessage, res: ServerResponse) => void {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const client = req.socket.remoteAddress ?? ''
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/healthz') {
      if (req.method !== 'GET') throw new HttpError('method_not_allowed', 'use GET')
      // From memory: answered at once even while the store cannot be written. Draining or a store that
      // cannot be written is 503, so that a load balancer sends new jobs elsewhere.
      const store = leases.storeHealth()
      const common = {
        ...(fleet ? { role: 'active' } : {}),
        interface: config.interface,
        leases: leases.liveCount(),
        store: 'ok'
      }
      if (gate?.draining) return send(res, 503, { status: 'draining', ...common })
      if (store.ok) return send(res, 200, { status: 'ok', ...common })
      return send(res, 503, {
        status: store.code === 'database_unreachable' ? 'database-unreachable' : 'store-unavailable',
        code: store.code ?? 'store_unavailable',
        ...common,
        store: `${store.reason ?? 'unavailable'}; ${store.pending} write(s) wait`
      })
    }
    if (path === '/v1/leases') {
      if (req.method !== 'POST') throw new HttpError('method_not_allowed', 'use POST')
      const refuse: (code: GatewayCode, reason: string) => never = (code, reason) => {
        audit('lease.refused', { status: GATEWAY_CODES[code], code, reason, client })
        throw new HttpError(code, reason)
      }
      const early = gate?.beforeLease(client)
      if (early) refuse(early.code, early.message)
      let token: string | undefined
      try {
        token = bearer(req, 'OIDC token')
      } catch (err) {
        refuse((err as HttpError).code, (err as HttpError).message)
      }
      if (!token) refuse('authorization_missing', 'missing "Authorization: Bearer <OIDC token>"')
      let body: unknown
      try {
        body = JSON.parse(await readBody(req, MAX_BODY))
      } catch (err) {
        if (err instanceof HttpError) refuse(err.code, err.message)
        refuse('invalid_body', 'the body must be JSON: {"publicKey": "<base64 WireGuard public key>"}')
      }
      const key = (body as { publicKey?: unknown } | null)?.publicKey
      if (!isPeerKey(key))
        refuse('invalid_public_key', '"publicKey" must be a WireGuard public key (32 bytes in base64, not all zero)')
      const grant = await leases.grant(token, key, client)
      return send(res, 201, grant)
    }
    const m = /^\/v1\/leases\/([^/]{1,100})$/.exec(path)
    if (m) {
      if (req.method !== 'DELETE') throw new HttpError('method_not_allowed', 'use DELETE')
      const secret = bearer(req, 'lease secret')
      if (!secret) throw new HttpError('authorization_missing', 'missing "Authorization: Bearer <lease secret>"')
      // The peer is gone either way; 202 says the lease's end is not yet in the store (it is retried).
      if (await leases.release(m[1] as string, secret, client)) return send(res, 204)
      return send(res, 202, { removed: true, recorded: false })
    }
    throw new HttpError('not_found', 'no such path: use POST /v1/leases, DELETE /v1/leases/{id} or GET /healthz')
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return
      if (err instanceof HttpError) return send(res, err.status, { error: err.message, code: err.code })
      audit('error', { reason: errorText(err) })
      send(res, 500, { error: 'internal error; see the gateway log', code: 'internal_error' })
    })
  }
}

/**
 * Time limits of the HTTP server. Node enforces the header and request limits only when it checks its
 * connections (by default every 30 s, which let a slow request hold a connection for ~40 s); TLS
 * handshakes have their own limit (by default 120 s).
 */
export const LIMITS = {
  headersTimeout: 5000,
  requestTimeout: 10_000,
  connectionsCheckingInterval: 1000,
  handshakeTimeout: 5000,
  keepAliveTimeout: 5000
}

/** Open connections in all: a flood from many addresses cannot exhaust file descriptors. */
const MAX_CONNECTIONS = 2048

/**
 * What one client is, for the per-client cap: an IPv4 address (also when IPv4-mapped), or an IPv6
 * address's /64 (one host commonly holds a whole /64 and could otherwise open connections from
 * countless addresses). Pure.
 */
export function clientGroup(remote: string | undefined): string {
  if (!remote) return ''
  const text = remote.replace(/^::ffff:(?=[0-9]+\.)/i, '')
  const a = parseAddress(text)
  if (!a) return text
  if (a.family === 4) return text
  return `${formatBytes(6, [...a.bytes.slice(0, 8), 0, 0, 0, 0, 0, 0, 0, 0])}/64`
}

/** Audit lines about cut connections: at most one a minute per client, with how many were cut. */
const CUT_REPORT_MS = 60_000

/**
 * Caps open connections per client (`connections-per-address`): one client holding connections
 * open (slow or partial requests) cannot take every place while others wait. A connection over the
 * cap is closed at once, unanswered. Counted on the raw TCP connection, before TLS.
 */
function capPerClient(server: Server, capOf: () => number, audit: Audit): void {
  const clients = new Map<string, { open: number; cut: number; reportedAt: number }>()
  const report = (client: string, c: { cut: number; reportedAt: number }, now: number): void => {
    const cap = capOf()
    audit('connection.refused', {
      client,
      count: c.cut,
      reason: `more than ${cap} open connections from this client (connections-per-address); closed unanswered`
    })
    c.cut = 0
    c.reportedAt = now
  }
  server.on('connection', (socket: Socket) => {
    const client = clientGroup(socket.remoteAddress)
    const c = clients.get(client) ?? { open: 0, cut: 0, reportedAt: 0 }
    if (c.open >= capOf()) {
      socket.destroy()
      c.cut++
      const now = Date.now()
      if (now - c.reportedAt >= CUT_REPORT_MS) report(client, c, now)
      return
    }
    c.open++
    clients.set(client, c)
    socket.once('close', () => {
      c.open--
      if (c.open > 0) return
      // The client's last connection: what was cut since the last line is said now, and it is forgotten.
      if (c.cut > 0) report(client, c, Date.now())
      clients.delete(client)
    })
  })
}

/** An HTTPS server when TLS is configured, else plain HTTP (config allows that only on loopback or when asked). */
export function createServer(
  config: GatewayConfig,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  audit: Audit = () => undefined,
  limits: typeof LIMITS = LIMITS
): Server {
  const http = {
    headersTimeout: limits.headersTimeout,
    requestTimeout: limits.requestTimeout,
    connectionsCheckingInterval: limits.connectionsCheckingInterval
  }
  const server = config.tls
    ? createHttps(
        {
          ...http,
          cert: readFileSync(config.tls.cert),
          key: readFileSync(config.tls.key),
          minVersion: 'TLSv1.2',
          handshakeTimeout: limits.handshakeTimeout
        },
        handler
      )
    : createHttp(http, handler)
  server.keepAliveTimeout = limits.keepAliveTimeout
  server.maxHeadersCount = 50
  server.maxConnections = MAX_CONNECTIONS
  // Read at each connection: a reload (SIGHUP) changes it in place.
  capPerClient(server, () => config.connectionsPerAddress, audit)
  return server
}
