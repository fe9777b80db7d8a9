// Gateway mode's one-line errors: what failed, the cause the evidence shows, and the fix. A refusal's
// advice is chosen by the gateway's code (src/common/codes.ts), never by the status alone; an unknown
// code is quoted without advice. A connection's failure is told by Node's error code, with what the
// step's environment shows (a proxy in use, NODE_EXTRA_CA_CERTS and what it holds, this runner's
// clock), and never advises what the job already does. With several gateways, one line names each
// and what became of it, then the most telling one's own line. The README's troubleshooting table
// quotes these; unit tests hold them to it. Pure: the evidence is gathered by the caller.
import { CODE_FORM, isGatewayCode, type GatewayCode } from '../../common/codes.js'

/**
 * Text from elsewhere (the gateway, a certificate) made safe to print: one line of printable
 * characters, cut short (a line of its that began with `::` would otherwise be a workflow command).
 */
export const plain = (text: string, max: number): string =>
  text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/^[\s:]+/, '')
    .slice(0, max)

/** A gateway's refusal: its status, and its `code` and `error` fields as sent (anything, untrusted). */
export interface Refusal {
  status: number
  code?: unknown
  reason: string
}

const NTP = "set the gateway host's clock right (NTP: timedatectl set-ntp true)"
const THEIR_LOG = "its log says why; ask the gateway's team"

/** What the job asked: the token's audience, and how many gateways the input lists (1 when not said). */
export interface Asked {
  audience: string
  listed?: number
}

/** What each code says of the request (the line's verb) and what to do; no advice where none is known. */
const LEASE_ADVICE: Record<GatewayCode, { head: string; advice?: (asked: Asked) => string }> = {
  invalid_body: { head: 'refused the request' },
  invalid_public_key: { head: 'refused the request' },
  request_incomplete: { head: 'refused the request' },
  authorization_missing: {
    head: "did not accept this job's token",
    advice: () =>
      'this action sent the token in the Authorization header: something between this runner and the gateway (a proxy, a load balancer) removed it'
  },
  authorization_malformed: {
    head: "did not accept this job's token",
    advice: () =>
      'this action sent "Bearer <token>": something between this runner and the gateway (a proxy, a load balancer) changed the Authorization header'
  },
  token_invalid: { head: "did not accept this job's token" },
  token_key_unknown: {
    head: "did not accept this job's token",
    advice: () =>
      "if the token issuer has just published a new key, try again in a minute; if it persists, the gateway trusts another issuer than this job's (for GitHub Enterprise Server, its issuer setting must be your instance's)"
  },
  token_expired: {
    head: "did not accept this job's token",
    advice: () => `this job fetched the token just now, so the gateway's clock is ahead of the token issuer's: ${NTP}`
  },
  token_not_yet_valid: {
    head: "did not accept this job's token",
    advice: () => `the gateway's clock is behind the token issuer's: ${NTP}`
  },
  audience_mismatch: {
    head: "did not accept this job's token",
    advice: ({ audience }) =>
      `this job asked for a token for "${audience}" (the audience input, or by default the gateway URL's origin): set the audience input to the gateway's audience, or the gateway's audience to this`
  },
  issuer_mismatch: {
    head: "did not accept this job's token",
    advice: () =>
      "the gateway trusts another token issuer than this job's (for GitHub Enterprise Server, its issuer setting must be your instance's)"
  },
  no_rule_matches: { head: 'refused this job', advice: () => 'ask its team to add a rule for this repository' },
  lease_secret_mismatch: { head: 'refused the request' },
  not_found: {
    head: 'refused the request',
    advice: () => "check the gateway input: the gateway's base URL (this action adds /v1/leases)"
  },
  lease_not_found: { head: 'refused the request' },
  method_not_allowed: {
    head: 'refused the request',
    advice: () => "check the gateway input: the gateway's base URL (this action adds /v1/leases)"
  },
  token_replayed: {
    head: "did not accept this job's token",
    advice: () => 'this action asks for a new token for each try: try the job again'
  },
  public_key_leased: { head: 'refused the lease' },
  public_key_taken: { head: 'refused the lease' },
  address_taken: { head: 'refused the lease', advice: () => 'try the job again' },
  body_too_large: { head: 'refused the request' },
  rate_limited: {
    head: 'refused the lease for now',
    advice: () =>
      "this repository's jobs asked for more leases a minute than the gateway's rate-limit: try again in a minute, or ask its team to raise rate-limit"
  },
  too_many_refusals: {
    head: 'refused requests from this runner for now',
    advice: () =>
      "this runner's address sent the gateway more refused requests a minute than its refusals-per-address allows: try again in a minute; if many runners share this address (NAT), ask its team to raise refusals-per-address"
  },
  quota_exceeded: {
    head: 'refused the lease for now',
    advice: () => 'wait for other jobs of this repository or run to end, or ask its team to raise the quota'
  },
  internal_error: { head: 'failed', advice: () => THEIR_LOG },
  peer_add_failed: { head: 'failed to add this job as a peer', advice: () => THEIR_LOG },
  pool_exhausted: {
    head: 'has no address free to lease',
    advice: () => 'try again when other jobs have finished, or ask its team to widen its pool'
  },
  issuer_unreachable: {
    head: "could not check this job's token",
    advice: () =>
      "the gateway could not reach its token issuer, so nothing is wrong with this job: try again later; if it persists, the gateway's network or the issuer is down (its log names the URL and the error)"
  },
  issuer_misconfigured: {
    head: "could not check this job's token",
    advice: () =>
      "the gateway's issuer setting does not fit what the issuer serves (its log names the URL and the answer): ask the gateway's team"
  },
  draining: {
    head: 'is not taking new leases',
    advice: () => 'it is draining (for maintenance): try again later'
  },
  store_unavailable: {
    head: 'cannot lease now',
    advice: () => "its lease store is unavailable: try again shortly; if it persists, ask the gateway's team"
  },
  standby: {
    head: 'is a standby and is not taking leases',
    // With several gateways listed, the job already fails over: the advice is only what is true.
    advice: ({ listed }) =>
      (listed ?? 1) > 1
        ? 'another process of that gateway is active (is it listed in gateway, and did it fail too?); the standby takes over within 10 s if the active one stops'
        : 'another process of that gateway is active: list it too in gateway (one URL per line); the standby takes over within 10 s if the active one stops'
  },
  database_unreachable: {
    head: 'cannot lease now',
    advice: ({ listed }) =>
      (listed ?? 1) > 1
        ? 'the gateway cannot reach its database, so nothing is wrong with this job: try again later'
        : 'the gateway cannot reach its database, so nothing is wrong with this job: list another gateway of the fleet in gateway (one URL per line), or try again later'
  }
}

/**
 * The one line for a gateway's refusal of a lease (`what: 'lease'`) or of its release in post
 * (`'release'`, where only advice about the gateway itself applies): `Gateway ORIGIN HEAD (STATUS
 * CODE: REASON); ADVICE`. An unknown code, or none, is quoted with the status and no advice.
 */
export function gatewayRefused(origin: string, r: Refusal, asked: Asked, what: 'lease' | 'release' = 'lease'): string {
  const reason = plain(r.reason, 300) || 'no reason given'
  if (!isGatewayCode(r.code)) {
    const code = typeof r.code === 'string' && CODE_FORM.test(r.code) ? `, code ${r.code}` : ''
    return `Gateway ${origin} refused the ${what === 'lease' ? 'lease' : 'release'} (HTTP ${r.status}${code}: ${reason})`
  }
  const entry = LEASE_ADVICE[r.code]
  const releaseAdvice: GatewayCode[] = ['internal_error', 'store_unavailable', 'not_found', 'method_not_allowed']
  const advice = what === 'release' && !releaseAdvice.includes(r.code) ? undefined : entry.advice?.(asked)
  const head = what === 'lease' ? entry.head : 'refused to release the lease'
  return `Gateway ${origin} ${head} (${r.status} ${r.code}: ${reason})${advice ? `; ${advice}` : ''}`
}

/** What the step's environment shows about how a request went out and what it trusts. */
export interface Evidence {
  /** The proxy the request went through (shown without credentials), or undefined when direct. */
  proxy?: string
  /** NODE_EXTRA_CA_CERTS as this step has it, and what the file holds. */
  extraCa?: { path: string; state: 'pem' | 'missing' | 'unreadable' | 'no-pem' }
  /** NODE_USE_SYSTEM_CA=1: Node also trusts the system's store. */
  systemCa: boolean
  /** This runner's clock. */
  now: Date
}

/** Node's error for a failed request: its code and the fields some codes carry. */
export interface RequestFailure {
  code?: string
  message: string
  /** Where a connection was refused or timed out (ECONNREFUSED…). */
  address?: string
  port?: number
  /** The name that did not resolve (ENOTFOUND, EAI_AGAIN). */
  hostname?: string
  /** ERR_TLS_CERT_ALTNAME_INVALID: why, and the certificate's names. */
  reason?: string
  cert?: { subjectaltname?: string }
  /** ERR_PROXY_TUNNEL: the proxy's answer to CONNECT. */
  statusCode?: number
}

/** Certificates no CA this runner trusts signed, by Node's (OpenSSL's) verify codes: what each means. */
const UNTRUSTED: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no CA this runner trusts signed it, and the gateway sent no chain above it',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the CA that issued its chain is not one this runner trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'the CA that issued its chain is not one this runner trusts',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a root CA this runner does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  CERT_UNTRUSTED: 'its CA is not trusted for this purpose'
}

/** Other certificate verdicts: what each means, and the fix. */
const CERT_FAULTS: Record<string, (ev: Evidence) => string> = {
  CERT_HAS_EXPIRED: (ev) =>
    `its certificate has expired: renew it on the gateway and restart it; if it has not, this runner's clock is wrong (it reads ${ev.now.toISOString()})`,
  CERT_NOT_YET_VALID: (ev) =>
    `its certificate is not valid yet: this runner's clock (it reads ${ev.now.toISOString()}) is behind, or the certificate was made to start in the future`,
  INVALID_PURPOSE: () =>
    'its certificate is not made for TLS servers (no serverAuth in its extended key usage): reissue it with extendedKeyUsage=serverAuth (docs/gateway.md, TLS)',
  INVALID_CA: () =>
    "a certificate that signed its chain is not a CA (CA:FALSE): issue the gateway's certificate from a CA (basicConstraints CA:TRUE) and serve the chain (docs/gateway.md, TLS)",
  CERT_SIGNATURE_FAILURE: () =>
    'a signature in its certificate chain does not verify: the chain it serves (tls.cert) is not the one its CA issued; serve the certificate and its intermediates in order',
  CERT_REVOKED: () => 'its certificate has been revoked: issue a new one',
  PATH_LENGTH_EXCEEDED: () => 'its chain is longer than a CA in it allows (pathlen): reissue the chain',
  CERT_CHAIN_TOO_LONG: () => 'its certificate chain is too long: serve the certificate and its intermediates only'
}

/** What a TLS handshake failure's OpenSSL reason (in Node's message) means. */
const HANDSHAKE: [RegExp, string][] = [
  [
    /wrong version number|packet length too long|http request/i,
    "what answers there does not speak TLS (plain HTTP, or another service): check the gateway input's scheme and port"
  ],
  [
    /protocol version|unsupported protocol|no protocols available/i,
    'the gateway and this runner share no TLS version (the gateway serves TLS 1.2 and later)'
  ],
  [
    /handshake failure|no shared cipher|no suitable signature/i,
    "the gateway and this runner share no cipher or signature algorithm: check the gateway's key type and TLS settings"
  ],
  [
    /certificate required|bad certificate|unknown ca/i,
    'the server there asks for a client certificate, which this action does not send: something other than the gateway answers (a TLS proxy requiring mutual TLS?)'
  ]
]

/** A proxy's answer to CONNECT, from Node's ERR_PROXY_TUNNEL message (`… via URL: HTTP/1.1 403 Access violation`). */
const proxySaid = (err: RequestFailure): string =>
  plain(/HTTP\/1\.[01] (.*)$/.exec(err.message)?.[1] ?? `HTTP ${err.statusCode ?? '?'}`, 120)

/** Node refused the proxy variable's value; its message quotes the value (credentials too), so it is never shown. */
const INVALID_PROXY =
  "the proxy variable for this URL (https_proxy or HTTPS_PROXY; http_proxy or HTTP_PROXY for http://) is not a URL Node can use (ERR_PROXY_INVALID_CONFIG): set it to http://host:port in the runner's environment"

const PROXY_CA =
  'if the proxy inspects TLS, the job must trust its CA (NODE_EXTRA_CA_CERTS), or add the gateway to NO_PROXY'

/** Advice for a certificate no trusted CA signed: never what the job already does. */
function untrustedAdvice(code: string, ev: Evidence): string {
  const ca = ev.extraCa
  const parts: string[] = []
  if (ca?.state === 'missing')
    parts.push(
      `NODE_EXTRA_CA_CERTS names ${ca.path}, which does not exist (Node ignores it): write the CA's PEM file there before this step`
    )
  else if (ca?.state === 'unreadable')
    parts.push(
      `NODE_EXTRA_CA_CERTS names ${ca.path}, which this step cannot read (Node ignores it): make it readable to the runner's user`
    )
  else if (ca?.state === 'no-pem')
    parts.push(
      `NODE_EXTRA_CA_CERTS names ${ca.path}, which holds no PEM certificate (Node ignores it): put the CA's certificate there in PEM form (-----BEGIN CERTIFICATE-----)`
    )
  else if (ca?.state === 'pem')
    parts.push(
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
        ? `NODE_EXTRA_CA_CERTS is set (${ca.path}) but does not hold this self-signed certificate: put the gateway's certificate itself there, or better, serve one issued by a CA`
        : `NODE_EXTRA_CA_CERTS is set (${ca.path}) but no CA in it signed this certificate: put there the CA that issued the gateway's certificate (for a chain, its root)${code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ? '; if it is there, the gateway must serve its intermediate certificates too (tls.cert: the certificate, then its chain)' : ''}`
    )
  else
    parts.push(
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
        ? "set NODE_EXTRA_CA_CERTS in the step's env to a PEM file of that certificate, or better, serve one issued by a CA (docs/gateway.md, TLS)"
        : "for a private CA, set NODE_EXTRA_CA_CERTS in the step's env to its PEM file" +
            (ev.systemCa ? '' : ", or NODE_USE_SYSTEM_CA=1 when the CA is in this runner's system store (Node 24.6+)") +
            (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
              ? '; for a public CA, the gateway must serve its intermediate certificates too (tls.cert: the certificate, then its chain)'
              : '')
    )
  if (ev.systemCa && ca?.state !== 'pem')
    parts.push('NODE_USE_SYSTEM_CA=1 is set, and no CA in the system store signed it either')
  if (ev.proxy !== undefined) parts.push(`the request went through the proxy ${ev.proxy}: ${PROXY_CA}`)
  return parts.join('; ')
}

/** A duration in milliseconds as seconds for a line: `4 s`, `2.5 s`. */
const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`

/**
 * The one line for a request to the gateway that got no answer: a certificate refused (each
 * verdict its own cause), a TLS handshake that failed, the proxy refusing or unreachable, a name
 * that does not resolve, a connection refused or timed out. `gateway` is the URL asked; `share`
 * (ms), when the request had only its share of the step's timeout (a gateway listed before others).
 */
export function gatewayUnreachable(gateway: URL, err: RequestFailure, ev: Evidence, share?: number): string {
  const code = err.code ?? ''
  const via = ev.proxy !== undefined ? ` through the proxy ${ev.proxy}` : ''
  const at = `Gateway ${gateway.origin}`
  const port = gateway.port || (gateway.protocol === 'https:' ? '443' : '80')
  if (UNTRUSTED[code] !== undefined)
    return `${at} presented a certificate this runner does not trust (${code}: ${UNTRUSTED[code]}): ${untrustedAdvice(code, ev)}`
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = plain(err.cert?.subjectaltname ?? '', 300) || 'none'
    return `${at} presented a certificate for other names (${code}: ${plain(err.reason ?? err.message, 200)}; it names ${names}): use a gateway URL with one of those names, or reissue the certificate with subjectAltName=DNS:${gateway.hostname}`
  }
  const fault = CERT_FAULTS[code]
  if (fault !== undefined) return `${at}: ${fault(ev)} (${code})`
  if (/^(EPROTO|ERR_SSL_)/.test(code)) {
    const hit = HANDSHAKE.find(([re]) => re.test(err.message))
    // OpenSSL's reason, from Node's message: `…:error:0A00010B:SSL routines:FUNCTION:REASON:FILE:LINE:`.
    const said = plain(/SSL routines:[^:]*:([^:]+)/.exec(err.message)?.[1] ?? err.message, 120)
    return `${at}: the TLS handshake failed${via} (${code}: ${said})${hit ? `: ${hit[1]}` : ''}`
  }
  if (code === 'ERR_PROXY_TUNNEL') {
    const status = err.statusCode ?? 0
    const said = proxySaid(err)
    const advice =
      status === 407
        ? "the proxy wants credentials: put them in its URL (http://user:password@host:port) in the runner's environment"
        : status >= 500
          ? `the proxy could not reach ${gateway.hostname}:${port}: check that the gateway runs and that the proxy may reach it, or add the gateway to NO_PROXY`
          : `allow CONNECT to ${gateway.hostname}:${port} on the proxy, or add the gateway's host to NO_PROXY`
    return `${at} could not be reached through the proxy ${ev.proxy ?? '(unknown)'} (it answered ${said}): ${advice}`
  }
  if (code === 'ERR_PROXY_INVALID_CONFIG') return `${at} could not be asked: ${INVALID_PROXY}`
  if (code === 'ETIMEDOUT') {
    const within =
      share === undefined
        ? "the step's timeout"
        : `${seconds(share)}, its share of the step's timeout (the gateways after it and the bring-up need the rest)`
    return `${at} did not answer within ${within}${via}: check that it runs and is not overloaded${ev.proxy !== undefined ? ', and that the proxy forwards to it' : ''}`
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const name = err.hostname ?? gateway.hostname
    return ev.proxy !== undefined && name !== gateway.hostname
      ? `${at}: the proxy's host name ${name} does not resolve (${code}): check HTTPS_PROXY/https_proxy in the runner's environment`
      : `${at}: host name ${name} does not resolve (${code}): check the gateway input`
  }
  const where = err.address !== undefined ? `${err.address}${err.port !== undefined ? `:${err.port}` : ''}` : undefined
  if (ev.proxy !== undefined && (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH'))
    return `${at}: the proxy ${ev.proxy} could not be reached${where ? ` at ${where}` : ''} (${code}): check the proxy setting in the runner's environment, or add the gateway to NO_PROXY`
  return `${at}${err.address !== undefined ? ` (${err.address})` : ''} could not be reached${via} (${code || plain(err.message, 120)}): check that it runs, listens on port ${port} and that this runner may connect to it`
}

/** The one line when the runner's token service did not answer; through a proxy, what the proxy did. */
export function tokenServiceUnreachable(err: RequestFailure, ev: Evidence): string {
  const code = err.code ?? plain(err.message, 120)
  if (err.code === 'ERR_PROXY_INVALID_CONFIG') return `The runner's token service could not be asked: ${INVALID_PROXY}`
  if (err.code === 'ERR_PROXY_TUNNEL')
    return `The runner's token service could not be reached through the proxy ${ev.proxy ?? '(unknown)'} (it answered ${proxySaid(err)}): allow it on the proxy, or add its host to NO_PROXY`
  if (ev.proxy !== undefined)
    return `The runner's token service did not answer through the proxy ${ev.proxy} (${code}): check the proxy, or add the token service's host to NO_PROXY; or try the job again`
  return `The runner's token service did not answer (${code}): try the job again`
}

/**
 * One gateway's attempt that gave no lease, as the line naming every gateway tells it: its answer
 * (status and code), Node's error when it gave none, or not tried at all (the step's time was up).
 * `line` is that attempt's own full line (gatewayRefused, gatewayUnreachable).
 */
export type Attempt = { gateway: URL } & (
  | { kind: 'answered'; status: number; code?: unknown; line: string }
  | { kind: 'unreachable'; err: RequestFailure; line: string }
  | { kind: 'skipped' }
)

/** An attempt made: it has a line of its own. */
export type Tried = Exclude<Attempt, { kind: 'skipped' }>

/** A gateway as a list names it: its origin, or its whole base URL when it has a path. */
export const gatewayLabel = (url: URL): string => (url.pathname === '/' ? url.origin : url.href.replace(/\/$/, ''))

/** What became of one attempt, in a few words: `503 draining`, `ECONNREFUSED`, `no answer in time (ETIMEDOUT)`. */
export function attemptShort(a: Attempt): string {
  if (a.kind === 'skipped') return "not tried: the step's timeout was up"
  if (a.kind === 'answered')
    return typeof a.code === 'string' && CODE_FORM.test(a.code) ? `${a.status} ${a.code}` : `HTTP ${a.status}`
  if (a.err.code === 'ETIMEDOUT') return 'no answer in time (ETIMEDOUT)'
  return a.err.code ?? plain(a.err.message, 80)
}

/** Errors that say only that nothing answered: less telling than an answer or a fault with a cause. */
const SILENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])

/** How much an attempt tells: a gateway's own answer, then a fault with a cause (TLS, a name, a proxy), then silence. */
const tells = (a: Attempt): number =>
  a.kind === 'answered' ? 3 : a.kind === 'skipped' ? 0 : SILENT.has(a.err.code ?? '') ? 1 : 2

/**
 * The one line when no gateway of several leased: each gateway and what became of it, in the order
 * tried, then the whole line (with its advice) of the attempt that tells most: the last answer a
 * gateway gave, else the last fault with a cause (a certificate, a name, a proxy), else the last.
 * `No gateway leased (https://a:8443: ECONNREFUSED; https://b:8443: 503 draining): Gateway https://b:8443 …`
 */
export function noGatewayLeased(attempts: Attempt[]): string {
  const list = attempts.map((a) => `${gatewayLabel(a.gateway)}: ${attemptShort(a)}`).join('; ')
  let best: Attempt | undefined
  for (const a of attempts) if (a.kind !== 'skipped' && (best === undefined || tells(a) >= tells(best))) best = a
  return `No gateway leased (${list})${best !== undefined && best.kind !== 'skipped' ? `: ${best.line}` : ''}`
}
