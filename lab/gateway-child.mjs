// @ts-check
// Processes the gateway lab starts inside network namespaces (run by Node 24, `ip netns exec NS node
// lab/gateway-child.mjs MODE PORT`). Keys and settings come as JSON lines on stdin, never on the
// command line; each mode prints one `ready` line once it listens.
//   issuer PORT         an OIDC issuer: discovery document and JWKS (stdin lines replace the JWKS, or
//                       set `jwksStatus`, an HTTP status its key endpoint answers instead)
//   token-service PORT  the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL): checks the request
//                       token, signs a token for the requested audience with the claims it was given,
//                       its clock `skew` seconds ahead of this host's
//   client              runs the HTTP requests given on stdin (concurrently, or one after another with
//                       `sequential`), prints the answers with their times as JSON
//   flood               a slowloris client: keeps `count` TCP connections to `host`:`port` open and
//                       silent, opening a new one (after `paceMs`) for each that closes, at most
//                       `maxConnections` in all and for `lifetimeMs`; prints JSON lines `{open, cut,
//                       expired, opened}` as they change (cut: closed by the server within a second),
//                       and, once `cut` reaches `probeAfterCut`, one `{probe}` line with the answer to
//                       a GET of `probe` from this same address
//   hold-store          another process on the gateway's SQLite store (as an admin's `sqlite3` in a
//                       transaction): takes its write lock (BEGIN EXCLUSIVE on `path`) and holds it
//                       until killed or stdin closes
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'
import { importJWK, SignJWT } from 'jose'

const [mode, portText] = process.argv.slice(2)
const port = Number(portText)
const lines = createInterface({ input: process.stdin })
// Settings are whatever the lab sent as JSON: honestly `any` here.
/** @type {Promise<any>} */
const first = new Promise((resolve) => lines.once('line', (l) => resolve(JSON.parse(l))))

/** @type {(res: import('node:http').ServerResponse, status: number, body: unknown) => void} */
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

if (mode === 'issuer') {
  let settings = await first
  lines.on('line', (l) => (settings = { ...settings, ...JSON.parse(l) }))
  createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path === '/.well-known/openid-configuration')
      return json(res, 200, {
        issuer: settings.issuer,
        jwks_uri: `${settings.issuer}/.well-known/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256']
      })
    // `jwksStatus`: the key endpoint failing (an issuer's outage), answered instead of the keys.
    if (path === '/.well-known/jwks')
      return settings.jwksStatus ? json(res, settings.jwksStatus, {}) : json(res, 200, settings.jwks)
    json(res, 404, {})
  }).listen(port, settings.host ?? '127.0.0.1', () => console.log('ready'))
} else if (mode === 'token-service') {
  let settings = await first
  const key = await importJWK(settings.privateJwk, 'RS256')
  lines.on('line', (l) => (settings = { ...settings, ...JSON.parse(l) }))
  createServer(async (req, res) => {
    // As GitHub's: `Authorization: bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`, `audience` in the query.
    const auth = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')
    if (!auth || auth[1] !== settings.requestToken) return json(res, 401, { message: 'bad request token' })
    if (settings.status) return json(res, settings.status, { message: 'stand-in failure' })
    const url = new URL(req.url ?? '/', 'http://localhost')
    const audience = url.searchParams.get('audience') ?? settings.defaultAudience
    // `skew`: seconds the issuer's clock is ahead of this host's (the gateway's) clock.
    const now = Math.floor(Date.now() / 1000) + (settings.skew ?? 0)
    const value = await new SignJWT({ jti: randomUUID(), ...settings.claims })
      .setProtectedHeader({ alg: 'RS256', kid: settings.kid, typ: 'JWT' })
      .setIssuer(settings.issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + 300)
      .sign(key)
    json(res, 200, { value })
  }).listen(port, settings.host ?? '127.0.0.1', () => console.log('ready'))
} else if (mode === 'client') {
  const { requests, sequential } = await first
  /** @param {{ method?: string, url: string, headers?: Record<string, string>, body?: string }} r */
  const one = async (r) => {
    const t = performance.now()
    try {
      const res = await fetch(r.url, {
        method: r.method ?? 'GET',
        headers: r.headers ?? {},
        body: r.body,
        signal: AbortSignal.timeout(20000)
      })
      const text = await res.text()
      let body
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = text
      }
      return { status: res.status, body, ms: performance.now() - t }
    } catch (/** @type {any} */ err) {
      return { status: 0, error: String(err?.cause?.code ?? err?.cause ?? err), ms: performance.now() - t }
    }
  }
  const results = []
  if (sequential) for (const r of requests) results.push(await one(r))
  else results.push(...(await Promise.all(requests.map(one))))
  // Exit once written: stdout to a pipe is asynchronous, and a large answer would be cut short.
  process.stdout.write(JSON.stringify(results), () => process.exit(0))
} else if (mode === 'flood') {
  const {
    host,
    port: to,
    count,
    paceMs = 200,
    maxConnections = 1000,
    lifetimeMs = 30000,
    probe,
    probeAfterCut
  } = await first
  const state = { open: 0, cut: 0, expired: 0, opened: 0 }
  let said = ''
  const say = () => {
    const text = JSON.stringify(state)
    if (text !== said) process.stdout.write(`${text}\n`)
    said = text
  }
  let stopping = false
  const sockets = new Set()
  const openOne = () => {
    if (stopping || state.opened >= maxConnections) return
    state.opened++
    const at = Date.now()
    const s = connect({ host, port: to })
    let connected = false
    sockets.add(s)
    s.on('connect', () => {
      connected = true
      state.open++
      say()
    })
    s.on('error', () => undefined)
    s.on('close', () => {
      sockets.delete(s)
      if (connected) state.open--
      if (Date.now() - at < 1000) state.cut++
      else state.expired++
      say()
      setTimeout(openOne, paceMs)
    })
    s.resume()
  }
  for (let i = 0; i < count; i++) openOne()
  let probed = false
  const probeTimer = setInterval(async () => {
    if (probed || !probe || state.cut < probeAfterCut) return
    probed = true
    clearInterval(probeTimer)
    let answer
    try {
      const res = await fetch(probe, { signal: AbortSignal.timeout(5000) })
      answer = { status: res.status }
    } catch (err) {
      const e = /** @type {any} */ (err)
      answer = { status: 0, error: String(e?.cause?.code ?? e?.cause ?? e) }
    }
    process.stdout.write(`${JSON.stringify({ probe: answer })}\n`)
  }, 20)
  const stop = () => {
    stopping = true
    clearInterval(probeTimer)
    for (const s of sockets) s.destroy()
    process.exit(0)
  }
  setTimeout(stop, lifetimeMs)
  lines.on('close', stop)
} else if (mode === 'hold-store') {
  const { path } = await first
  const { DatabaseSync } = await import('node:sqlite')
  const db = new DatabaseSync(path)
  db.exec('BEGIN EXCLUSIVE')
  console.log('ready')
  lines.on('close', () => process.exit(0))
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
