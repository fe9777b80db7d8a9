// Gateway mode, the runner's side: a key pair made in memory for this job only, the job's OIDC
// token from the runner, a lease from the team's gateway (an address and its peers), and its
// release in post. The private key never leaves this process: not in a file, an argument or any
// child's environment; the token and the lease secret are masked the moment they exist.
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { GatewaySource, LeaseGateway } from '../inputs/inputs.js'
import { errorText } from '../../common/errors.js'
import { httpRequest, nodeHasProxySupport, proxyFor, proxyShown, type HttpAnswer } from './http.js'
import {
  attemptShort,
  gatewayLabel,
  gatewayRefused,
  gatewayUnreachable,
  noGatewayLeased,
  tokenServiceUnreachable,
  type Asked,
  type Attempt,
  type Tried,
  type Evidence,
  type RequestFailure
} from '../report/gateway.js'
import { attemptDeadline, movesOnAfterAnswer, movesOnAfterError, timeForAnother } from './failover.js'
import { canonicalAddress, network, parsePrefix, prefixText, type Prefix } from '../../common/ip.js'
import { validRecord, type Journal, type RecOf } from '../journal/journal.js'
import { isHostName, isKey, wgEndpoint } from '../../common/grammar.js'
import * as core from '../toolkit.js'
import type { Peer, Tunnel } from '../inputs/tunnel.js'
import { INPUT } from '../names.js'

/** A tunnel to bring up, and where it came from. */
export interface GivenTunnel {
  tunnel: Tunnel
  /** Rows for the summary (the lease and its expiry). */
  rows: [string, string][]
  /** In gateway mode, the origin of the gateway that leased it (messages name it). */
  gateway?: string
}

/** How this module asks over HTTP: httpRequest, or a test's stand-in. */
export type Request = (url: URL, opts: Parameters<typeof httpRequest>[1]) => Promise<HttpAnswer>

/** A fresh X25519 key pair, as `wg genkey` and `wg pubkey` would print it. */
export function ephemeralKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  const b64 = (jwkPart: unknown): string => Buffer.from(jwkPart as string, 'base64url').toString('base64')
  return {
    privateKey: b64(privateKey.export({ format: 'jwk' }).d),
    publicKey: b64(publicKey.export({ format: 'jwk' }).x)
  }
}

const NO_TOKEN =
  "Gateway mode needs the job's OIDC token, and this job has none: add `permissions: id-token: write` to the job " +
  '(pull requests from forks get no token; use pull_request_target with care, or a static key, there)'

/**
 * Waits before a retry: about 250 ms, 500 ms, 1 s… (jittered, so that many jobs cut at once do not
 * come back at once), but never past the deadline.
 */
const backoff = (attempt: number, deadline: number): Promise<void> =>
  new Promise((r) =>
    setTimeout(r, Math.max(0, Math.min(250 * 2 ** attempt * (0.5 + Math.random()), deadline - Date.now() - 100)))
  )

/** The job's OIDC token for `audience`, from the runner's token service; retried on 5xx; masked. */
async function oidcToken(audience: string, deadline: number, ask: Request): Promise<string> {
  const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL
  const bearer = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!url || !bearer) throw new Error(NO_TOKEN)
  const tokenUrl = new URL(url)
  tokenUrl.searchParams.set('audience', audience)
  for (let attempt = 0; ; attempt++) {
    let answer: HttpAnswer
    try {
      answer = await ask(tokenUrl, {
        headers: { authorization: `bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
        deadline
      })
    } catch (err) {
      // A proxy setting Node refuses stays refused: no retry.
      if (failure(err).code !== 'ERR_PROXY_INVALID_CONFIG' && Date.now() < deadline - 500) {
        await backoff(attempt, deadline)
        continue
      }
      throw new Error(tokenServiceUnreachable(failure(err), evidence(tokenUrl)), { cause: err })
    }
    if (answer.status >= 500 && Date.now() < deadline - 500) {
      await backoff(attempt, deadline)
      continue
    }
    const value = (answer.json as { value?: unknown } | undefined)?.value
    if (answer.status !== 200 || typeof value !== 'string' || value === '') {
      const proxy = evidence(tokenUrl).proxy
      const via = proxy === undefined ? '' : `, through the proxy ${proxy}`
      throw new Error(`The runner's token service refused an OIDC token (HTTP ${answer.status}${via}): ${NO_TOKEN}`)
    }
    core.setSecret(value)
    return value
  }
}

/**
 * Node's request error as the messages read it: its own fields (code, address, port…), read by
 * shape, not by `instanceof Error` (an error from another realm, as under a test runner, is one too).
 */
const failure = (err: unknown): RequestFailure =>
  typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
    ? (err as RequestFailure)
    : { message: errorText(err) }

/**
 * What this step's environment shows about a request to `url`: the proxy it goes through (Node's
 * rules, see proxyFor), NODE_EXTRA_CA_CERTS and what its file holds (Node ignores a file it cannot
 * read, with only a warning on stderr), NODE_USE_SYSTEM_CA, and this runner's clock. Read only
 * when a request failed.
 */
function evidence(url: URL): Evidence {
  const env = process.env
  const proxy = proxyFor(url, env)
  const path = env.NODE_EXTRA_CA_CERTS
  let extraCa: Evidence['extraCa']
  if (path) {
    try {
      const text = readFileSync(path, 'utf8')
      extraCa = { path, state: text.includes('-----BEGIN CERTIFICATE-----') ? 'pem' : 'no-pem' }
    } catch (err) {
      extraCa = { path, state: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' }
    }
  }
  return {
    proxy: proxy === undefined || !nodeHasProxySupport() ? undefined : proxyShown(proxy),
    extraCa,
    systemCa: env.NODE_USE_SYSTEM_CA === '1',
    now: new Date()
  }
}

/** Says so when a proxy is set for `url` but this Node cannot use one: the request goes direct. */
function warnIfProxyIgnored(url: URL): void {
  const proxy = proxyFor(url, process.env)
  if (proxy !== undefined && !nodeHasProxySupport())
    core.warning(
      `A proxy is set for ${url.origin} (${proxyShown(proxy)}), but this runner's Node ${process.versions.node} has no built-in proxy support (24.5 or later): the request goes direct`
    )
}

/** The gateway's refusal in its own words and code (its `error` and `code` fields), as one line with advice by the code. */
function refusedLine(gateway: URL, answer: HttpAnswer, asked: Asked, what: 'lease' | 'release'): string {
  const body = (answer.json ?? {}) as { error?: unknown; code?: unknown }
  const reason = typeof body.error === 'string' ? body.error : answer.text
  return gatewayRefused(gateway.origin, { status: answer.status, code: body.code, reason }, asked, what)
}

/** An ISO 8601 UTC time as the gateway writes expiresAt, or undefined. */
const isoTime = (v: unknown): string | undefined =>
  typeof v === 'string' &&
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/.test(v) &&
  !Number.isNaN(Date.parse(v))
    ? v
    : undefined

/** The gateway's answer, checked field by field: it becomes commands, so nothing is taken on trust. */
export function tunnelFromLease(
  answer: unknown,
  keys: { privateKey: string; publicKey: string },
  source: GatewaySource,
  gateway: URL = (source.gateways[0] as LeaseGateway).url
): { tunnel: Tunnel; id: string; secret: string; expiresAt: string } {
  const bad = (what: string): never => {
    throw new Error(`Gateway ${gateway.origin} answered with a lease this action cannot use: ${what}`)
  }
  const a = (typeof answer === 'object' && answer !== null ? answer : bad('not a JSON object')) as Record<
    string,
    unknown
  >
  const str = (v: unknown, what: string): string => (typeof v === 'string' && v !== '' ? v : bad(`${what} is missing`))
  const list = (v: unknown, what: string): unknown[] => (Array.isArray(v) ? v : bad(`${what} is not a list`))
  const prefix = (v: unknown, what: string): Prefix => {
    const p = parsePrefix(str(v, what))
    return typeof p === 'string' ? bad(`${what} is not an address`) : p
  }
  const id = str(a.id, 'id')
  const secret = str(a.secret, 'secret')
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || !/^[A-Za-z0-9_-]{16,128}$/.test(secret))
    bad('id or secret has an unexpected form')
  const addresses = list(a.addresses, 'addresses').map((v, i) => prefix(v, `addresses[${i}]`))
  if (addresses.length === 0) bad('no address')
  const peers: Peer[] = list(a.peers, 'peers').map((v, i) => {
    const p = (typeof v === 'object' && v !== null ? v : bad(`peers[${i}] is not an object`)) as Record<string, unknown>
    const publicKey = str(p.publicKey, `peers[${i}].publicKey`)
    if (!isKey(publicKey)) bad(`peers[${i}].publicKey is not a WireGuard key`)
    const ep = wgEndpoint(str(p.endpoint, `peers[${i}].endpoint`))
    if (typeof ep === 'string') bad(`peers[${i}].endpoint is not HOST:PORT`)
    const given = p.persistentKeepalive
    const gateways = typeof given === 'number' && Number.isInteger(given) && given >= 0 && given <= 65535 ? given : 25
    // The gateway's keepalive is how it hears this job: the input may make it more frequent, never less.
    const keepalive =
      source.keepalive === undefined
        ? gateways
        : gateways === 0
          ? source.keepalive
          : Math.min(source.keepalive, gateways)
    return {
      publicKey,
      endpoint: { ...(ep as { host: string; port: number }), source: { input: INPUT.gateway } },
      allowedIps: list(p.allowedIps, `peers[${i}].allowedIps`).map((x, j) =>
        network(prefix(x, `peers[${i}].allowedIps[${j}]`))
      ),
      keepalive
    }
  })
  if (peers.length === 0) bad('no peer')
  const dnsGiven = list(a.dns ?? [], 'dns').map((d, i) => str(d, `dns[${i}]`))
  // As wg-quick splits DNS =: addresses are servers, names are search domains (others are dropped).
  const servers = dnsGiven.map(canonicalAddress).filter((d): d is string => d !== undefined)
  const dns = [...servers, ...source.dns]
  const dnsSearch = [...dnsGiven.filter((d) => canonicalAddress(d) === undefined && isHostName(d)), ...source.dnsSearch]
  // The lease's addresses and allowed IPs are the gateway's; MTU is the step's own input.
  const lease = { input: INPUT.gateway }
  const origins = {
    mtu: source.mtu === undefined ? undefined : { input: INPUT.mtu },
    addresses: Object.fromEntries(addresses.map((a) => [prefixText(a), lease])),
    allowedIps: Object.fromEntries(peers.flatMap((p) => p.allowedIps).map((a) => [prefixText(a), lease]))
  }
  const tunnel: Tunnel = { ...keys, addresses, table: 'auto', dns, dnsSearch, peers, mtu: source.mtu, origins }
  return { tunnel, id, secret, expiresAt: isoTime(a.expiresAt) ?? 'unknown' }
}

/** One gateway's attempt: its lease, or what became of it and whether the next gateway is asked. */
type Outcome = { kind: 'leased'; given: GivenTunnel } | { kind: 'failed'; attempt: Tried; next: boolean }

/**
 * Asks one gateway for a lease on a key pair made for this attempt, each request with a fresh
 * token, by `until.at` (epoch ms; the token by `until.step`, the step's deadline). A connection
 * the gateway cuts before reading it is asked again while a second is left (a gateway caps
 * connections per address: many runners behind one NAT address may find theirs cut). Records the
 * lease (for release) the moment it exists. Throws what no other gateway can change: the token
 * service's failure, a lease this action cannot use.
 */
async function askGateway(
  gw: LeaseGateway,
  source: GatewaySource,
  journal: Journal,
  until: { at: number; step: number; last: boolean; started: number },
  ask: Request
): Promise<Outcome> {
  const keys = ephemeralKeyPair()
  core.setSecret(keys.privateKey)
  const url = new URL('v1/leases', gw.url.href.endsWith('/') ? gw.url : `${gw.url.href}/`)
  warnIfProxyIgnored(url)
  const asked = { audience: gw.audience, listed: source.gateways.length }
  let answer: HttpAnswer
  for (let attempt = 0; ; attempt++) {
    // A fresh token each try: one the gateway (or its fleet) saw once is refused as a replay.
    // The token service is the runner's, the same for every gateway: it has the step's time.
    const token = await oidcToken(gw.audience, until.step, ask)
    try {
      answer = await ask(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ publicKey: keys.publicKey }),
        deadline: until.at
      })
      break
    } catch (err) {
      const f = failure(err)
      const cut = f.code === 'ECONNRESET' || f.code === 'EPIPE'
      if (!cut || Date.now() > until.at - 1000) {
        const share = until.last ? undefined : until.at - until.started
        const line = gatewayUnreachable(gw.url, f, evidence(url), share)
        return {
          kind: 'failed',
          attempt: { gateway: gw.url, kind: 'unreachable', err: f, line },
          next: movesOnAfterError(f.code)
        }
      }
      await backoff(attempt, until.at)
    }
  }
  if (answer.status !== 201) {
    const line = refusedLine(gw.url, answer, asked, 'lease')
    const code = ((answer.json ?? {}) as { code?: unknown }).code
    const attempt: Tried = { gateway: gw.url, kind: 'answered', status: answer.status, code, line }
    return { kind: 'failed', attempt, next: movesOnAfterAnswer(answer.status) }
  }
  const { id, secret } = (answer.json ?? {}) as { id?: unknown; secret?: unknown }
  // Masked only in the shape a lease secret has (journal.ts): a hostile answer's "secret" of one
  // letter would otherwise mask that letter everywhere in the job's log.
  if (typeof secret === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(secret)) core.setSecret(secret)
  // Recorded as soon as it can be released, with the gateway that holds it (post releases there),
  // before the rest of the answer is judged.
  const release = { kind: 'lease' as const, gateway: gw.url.href, id, secret }
  if (validRecord(release)) journal.add(validRecord(release) as RecOf<'lease'>)
  const lease = tunnelFromLease(answer.json, keys, source, gw.url)
  core.info(
    `Leased ${lease.tunnel.addresses.map((a) => a.address).join(', ')} from ${gw.url.origin} (lease ${lease.id}, until ${lease.expiresAt})`
  )
  const rows: [string, string][] = [['Lease', `${lease.id} from ${gw.url.origin}, until ${lease.expiresAt}`]]
  return { kind: 'leased', given: { tunnel: lease.tunnel, rows, gateway: gw.url.origin } }
}

/**
 * A lease from the first of the listed gateways that grants one, in the order given (failover.ts:
 * which outcomes move on, and each one's share of the time), all by `deadline`. A gateway passed
 * over is a warning naming it and why, and a summary row. When none leases: the one line of the
 * gateway that stopped it (a 4xx, or the only gateway), or one naming every gateway and why.
 * `ask` is the HTTP layer (tests give a stand-in).
 */
export async function leaseTunnel(
  source: GatewaySource,
  journal: Journal,
  deadline: number,
  ask: Request = httpRequest
): Promise<GivenTunnel> {
  const attempts: Attempt[] = []
  const all = source.gateways
  for (const [i, gw] of all.entries()) {
    const started = Date.now()
    if (i > 0 && !timeForAnother(deadline - started)) {
      attempts.push(...all.slice(i).map((g): Attempt => ({ gateway: g.url, kind: 'skipped' })))
      break
    }
    const after = all.length - 1 - i
    const until = { at: attemptDeadline(started, deadline, after), step: deadline, last: after === 0, started }
    const outcome = await askGateway(gw, source, journal, until, ask)
    if (outcome.kind === 'leased') {
      if (attempts.length === 0) return outcome.given
      const passed = attempts.map((a) => `${gatewayLabel(a.gateway)} (${attemptShort(a)})`).join('; ')
      return { ...outcome.given, rows: [...outcome.given.rows, ['Gateways passed over', passed]] }
    }
    const { attempt } = outcome
    // A refusal that every gateway would repeat (a 4xx), or the only gateway: its own line, as ever.
    if (!outcome.next || all.length === 1) throw new Error(attempt.line)
    attempts.push(attempt)
    const next = all[i + 1]
    if (next !== undefined) core.warning(`${attempt.line} (trying the next gateway, ${gatewayLabel(next.url)})`)
  }
  throw new Error(noGatewayLeased(attempts))
}

/** How long post waits for the gateway: the lease expires by itself anyway. */
const RELEASE_MS = 10_000

/** Releases the journal's leases; a gateway that cannot be reached is a warning (the lease expires). */
export async function releaseLeases(
  journal: Journal,
  deadline = Date.now() + RELEASE_MS
): Promise<{ released: string[]; warnings: string[] }> {
  const out = { released: [] as string[], warnings: [] as string[] }
  for (const rec of journal.records.filter((r): r is RecOf<'lease'> => r.kind === 'lease')) {
    core.setSecret(rec.secret)
    const gateway = new URL(rec.gateway)
    const url = new URL(
      `v1/leases/${encodeURIComponent(rec.id)}`,
      gateway.href.endsWith('/') ? gateway : `${gateway.href}/`
    )
    try {
      const answer = await httpRequest(url, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${rec.secret}` },
        deadline: Math.min(deadline, Date.now() + RELEASE_MS)
      })
      // 202: the peer is gone, and the gateway writes the lease's end to its store when it can.
      if (answer.status !== 204 && answer.status !== 202 && answer.status !== 404)
        throw new Error(refusedLine(gateway, answer, { audience: '' }, 'release'))
      out.released.push(`lease ${rec.id}`)
      journal.remove(rec)
    } catch (err) {
      const why =
        err instanceof Error && /^Gateway /.test(err.message)
          ? err.message
          : gatewayUnreachable(gateway, failure(err), evidence(url))
      out.warnings.push(
        `lease ${rec.id} was not released (${why}); it ends by itself when its peer falls silent or it expires`
      )
    }
  }
  return out
}
