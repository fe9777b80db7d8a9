// Gateway mode's error lines: advice chosen by the gateway's code, never by the status alone (the
// cases the issue found: an unreachable issuer told the pool was full, a clock problem told to check
// the audience); each TLS failure advised for its own cause and never to do what the job already
// does; a proxy named as the hop that failed.
import { GATEWAY_CODES, type GatewayCode } from '../../../../src/common/codes.js'
import {
  gatewayRefused,
  gatewayUnreachable,
  tokenServiceUnreachable,
  type Evidence,
  type RequestFailure
} from '../../../../src/action/report/gateway.js'

const ORIGIN = 'https://vpn.example.com:8443'
const GATEWAY = new URL(`${ORIGIN}/`)
const asked = { audience: ORIGIN }
const NOW = new Date('2026-11-26T12:00:00.000Z')
const bare: Evidence = { systemCa: false, now: NOW }
const refusal = (
  code: string | undefined,
  status: number = GATEWAY_CODES[code as GatewayCode] ?? 400,
  reason = 'why'
) => gatewayRefused(ORIGIN, { status, code, reason }, asked)

describe('a refusal is advised by its code', () => {
  it('every code has a line: head, status and code, the reason, and advice only where the code tells one', () => {
    for (const code of Object.keys(GATEWAY_CODES) as GatewayCode[]) {
      const line = refusal(code)
      expect(line).toMatch(
        new RegExp(
          `^Gateway https://vpn\\.example\\.com:8443 [a-z' ]+ \\(${GATEWAY_CODES[code]} ${code}: why\\)(; .+)?$`
        )
      )
    }
  })

  it('503 issuer_unreachable: the issuer, not the pool', () => {
    const line = refusal('issuer_unreachable', 503, 'the token issuer could not be reached; try again')
    expect(line).toBe(
      "Gateway https://vpn.example.com:8443 could not check this job's token (503 issuer_unreachable: the token issuer could not be reached; try again); the gateway could not reach its token issuer, so nothing is wrong with this job: try again later; if it persists, the gateway's network or the issuer is down (its log names the URL and the error)"
    )
    expect(line).not.toMatch(/address|pool|other jobs/)
  })

  it('503 pool_exhausted: the pool', () => {
    expect(refusal('pool_exhausted', 503, 'the address pool is exhausted; retry when leases end')).toBe(
      'Gateway https://vpn.example.com:8443 has no address free to lease (503 pool_exhausted: the address pool is exhausted; retry when leases end); try again when other jobs have finished, or ask its team to widen its pool'
    )
  })

  it("401 token_not_yet_valid: the gateway's clock, as its reason measures it; never the audience", () => {
    const reason =
      "the token was issued 95 s in the future by the gateway's clock (iat): the gateway's clock is about 95 s behind the token issuer's"
    const line = refusal('token_not_yet_valid', 401, reason)
    expect(line).toBe(
      `Gateway https://vpn.example.com:8443 did not accept this job's token (401 token_not_yet_valid: ${reason}); the gateway's clock is behind the token issuer's: set the gateway host's clock right (NTP: timedatectl set-ntp true)`
    )
    expect(line).not.toMatch(/audience input/)
    expect(refusal('token_expired')).toMatch(/; this job fetched the token just now, so the gateway's clock is ahead/)
  })

  it('401 audience_mismatch: names the audience this job asked for, beside the gateway’s reason naming both', () => {
    const reason = 'the token\'s audience "https://a.example" is not this gateway\'s audience "https://b.example"'
    expect(
      gatewayRefused(ORIGIN, { status: 401, code: 'audience_mismatch', reason }, { audience: 'https://a.example' })
    ).toBe(
      `Gateway https://vpn.example.com:8443 did not accept this job's token (401 audience_mismatch: ${reason}); this job asked for a token for "https://a.example" (the audience input, or by default the gateway URL's origin): set the audience input to the gateway's audience, or the gateway's audience to this`
    )
  })

  it('an unknown code is quoted with its status, without advice; so is an answer with no code', () => {
    expect(refusal('teapot_full', 418, 'short and stout')).toBe(
      'Gateway https://vpn.example.com:8443 refused the lease (HTTP 418, code teapot_full: short and stout)'
    )
    // The same status as a known code chooses nothing by itself.
    expect(refusal(undefined, 503, 'Service Unavailable')).toBe(
      'Gateway https://vpn.example.com:8443 refused the lease (HTTP 503: Service Unavailable)'
    )
    expect(refusal(undefined, 401, 'no')).not.toMatch(/audience/)
    // A code that is not a code is not echoed; nor is an inherited property taken for one.
    expect(refusal('::error::x\nBAD', 400)).toBe(
      'Gateway https://vpn.example.com:8443 refused the lease (HTTP 400: why)'
    )
    expect(refusal('constructor', 400)).toBe(
      'Gateway https://vpn.example.com:8443 refused the lease (HTTP 400, code constructor: why)'
    )
  })

  it("the gateway's words are one plain line, never a workflow command", () => {
    const line = refusal('no_rule_matches', 403, '::stop-commands::x\nmore\r\n::error::y')
    expect(line).toBe(
      'Gateway https://vpn.example.com:8443 refused this job (403 no_rule_matches: stop-commands::x more ::error::y); ask its team to add a rule for this repository'
    )
  })

  it('a release refused in post gets only advice about the gateway itself', () => {
    const r = (code: GatewayCode) =>
      gatewayRefused(ORIGIN, { status: GATEWAY_CODES[code], code, reason: 'why' }, asked, 'release')
    expect(r('lease_secret_mismatch')).toBe(
      'Gateway https://vpn.example.com:8443 refused to release the lease (403 lease_secret_mismatch: why)'
    )
    expect(r('internal_error')).toMatch(/; its log says why; ask the gateway's team$/)
  })
})

const tls = (code: string, extra: Partial<RequestFailure> = {}): RequestFailure => ({ code, message: code, ...extra })
const UNTRUSTED = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED'
]
const OTHER_TLS: [RequestFailure, RegExp][] = [
  [
    tls('CERT_HAS_EXPIRED'),
    /its certificate has expired: renew it .*this runner's clock is wrong \(it reads 2026-11-26T12:00:00\.000Z\) \(CERT_HAS_EXPIRED\)$/
  ],
  [tls('CERT_NOT_YET_VALID'), /not valid yet: this runner's clock \(it reads 2026-11-26T12:00:00\.000Z\) is behind/],
  [tls('INVALID_PURPOSE'), /not made for TLS servers .*extendedKeyUsage=serverAuth/],
  [tls('INVALID_CA'), /is not a CA \(CA:FALSE\)/],
  [tls('CERT_SIGNATURE_FAILURE'), /a signature in its certificate chain does not verify/],
  [tls('CERT_REVOKED'), /revoked/],
  [
    tls('ERR_TLS_CERT_ALTNAME_INVALID', {
      reason: "Host: vpn.example.com. is not in the cert's altnames: DNS:other.example.com",
      cert: { subjectaltname: 'DNS:other.example.com, IP Address:192.0.2.1' }
    }),
    /presented a certificate for other names \(ERR_TLS_CERT_ALTNAME_INVALID: Host: vpn\.example\.com\. is not in the cert's altnames: DNS:other\.example\.com; it names DNS:other\.example\.com, IP Address:192\.0\.2\.1\): use a gateway URL with one of those names, or reissue the certificate with subjectAltName=DNS:vpn\.example\.com$/
  ],
  [
    tls('EPROTO', {
      message:
        'write EPROTO 402D459E867F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77:\n'
    }),
    /the TLS handshake failed \(EPROTO: wrong version number\): what answers there does not speak TLS \(plain HTTP, or another service\)/
  ],
  [tls('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', { message: 'tlsv1 alert protocol version' }), /share no TLS version/],
  [tls('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', { message: 'sslv3 alert handshake failure' }), /share no cipher/]
]

describe('each TLS failure gets advice for its own cause', () => {
  it.each(UNTRUSTED)('%s without NODE_EXTRA_CA_CERTS: suggests it (and the system store)', (code) => {
    const line = gatewayUnreachable(GATEWAY, tls(code), bare)
    expect(line).toMatch(
      new RegExp(
        `^Gateway https://vpn\\.example\\.com:8443 presented a certificate this runner does not trust \\(${code}: `
      )
    )
    expect(line).toMatch(/set NODE_EXTRA_CA_CERTS in the step's env/)
    if (code !== 'DEPTH_ZERO_SELF_SIGNED_CERT')
      expect(line).toMatch(/NODE_USE_SYSTEM_CA=1 when the CA is in this runner's system store/)
  })

  it.each(UNTRUSTED)('%s with NODE_EXTRA_CA_CERTS set: says so, and that its CA did not sign it', (code) => {
    const line = gatewayUnreachable(GATEWAY, tls(code), { ...bare, extraCa: { path: '/tmp/ca.pem', state: 'pem' } })
    expect(line).toMatch(
      /NODE_EXTRA_CA_CERTS is set \(\/tmp\/ca\.pem\) but (no CA in it signed this certificate|does not hold this self-signed certificate)/
    )
    expect(line).not.toMatch(/set NODE_EXTRA_CA_CERTS/)
  })

  it('NODE_EXTRA_CA_CERTS naming a file Node ignored: says which and why', () => {
    const at = (state: 'missing' | 'unreadable' | 'no-pem') =>
      gatewayUnreachable(GATEWAY, tls('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), {
        ...bare,
        extraCa: { path: '/x.pem', state }
      })
    expect(at('missing')).toMatch(/NODE_EXTRA_CA_CERTS names \/x\.pem, which does not exist \(Node ignores it\)/)
    expect(at('unreadable')).toMatch(/which this step cannot read/)
    expect(at('no-pem')).toMatch(/which holds no PEM certificate/)
  })

  it('NODE_USE_SYSTEM_CA=1 already set: not suggested again, said to have been tried', () => {
    const line = gatewayUnreachable(GATEWAY, tls('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), { ...bare, systemCa: true })
    expect(line).not.toMatch(/NODE_USE_SYSTEM_CA=1 when/)
    expect(line).toMatch(/NODE_USE_SYSTEM_CA=1 is set, and no CA in the system store signed it either/)
  })

  it('through a proxy: a TLS-inspecting proxy is named as a possible cause', () => {
    const line = gatewayUnreachable(GATEWAY, tls('SELF_SIGNED_CERT_IN_CHAIN'), {
      ...bare,
      proxy: 'http://proxy.corp:3128'
    })
    expect(line).toMatch(/the request went through the proxy http:\/\/proxy\.corp:3128: if the proxy inspects TLS/)
  })

  it.each(OTHER_TLS)('%o: its own cause; never NODE_EXTRA_CA_CERTS advice', (err, pattern) => {
    for (const ev of [bare, { ...bare, extraCa: { path: '/tmp/ca.pem', state: 'pem' as const } }]) {
      const line = gatewayUnreachable(GATEWAY, err, ev)
      expect(line).toMatch(/^Gateway https:\/\/vpn\.example\.com:8443/)
      expect(line).toMatch(pattern)
      expect(line).not.toMatch(/NODE_EXTRA_CA_CERTS/)
    }
  })
})

describe('a proxy is named as the hop that failed', () => {
  const proxied: Evidence = { ...bare, proxy: 'http://proxy.corp:3128' }
  const tunnel = (status: number, text: string): RequestFailure => ({
    code: 'ERR_PROXY_TUNNEL',
    statusCode: status,
    message: `Failed to establish tunnel to vpn.example.com:8443 via http://proxy.corp:3128: HTTP/1.1 ${status} ${text}`
  })

  it.each([
    [
      403,
      'Access violation',
      /it answered 403 Access violation\): allow CONNECT to vpn\.example\.com:8443 on the proxy, or add the gateway's host to NO_PROXY$/
    ],
    [407, 'Proxy Authentication Required', /the proxy wants credentials: put them in its URL/],
    [502, 'Bad Gateway', /the proxy could not reach vpn\.example\.com:8443: check that the gateway runs/]
  ])('the proxy answering CONNECT with %i', (status, text, pattern) => {
    const line = gatewayUnreachable(GATEWAY, tunnel(status, text), proxied)
    expect(line).toMatch(
      /^Gateway https:\/\/vpn\.example\.com:8443 could not be reached through the proxy http:\/\/proxy\.corp:3128 \(/
    )
    expect(line).toMatch(pattern)
  })

  it('a refused connection through a proxy is the proxy’s; without one, the gateway’s', () => {
    const refused: RequestFailure = { code: 'ECONNREFUSED', message: 'x', address: '10.0.0.8', port: 3128 }
    expect(gatewayUnreachable(GATEWAY, refused, proxied)).toBe(
      "Gateway https://vpn.example.com:8443: the proxy http://proxy.corp:3128 could not be reached at 10.0.0.8:3128 (ECONNREFUSED): check the proxy setting in the runner's environment, or add the gateway to NO_PROXY"
    )
    expect(gatewayUnreachable(GATEWAY, { ...refused, address: '198.51.100.1', port: 8443 }, bare)).toBe(
      'Gateway https://vpn.example.com:8443 (198.51.100.1) could not be reached (ECONNREFUSED): check that it runs, listens on port 8443 and that this runner may connect to it'
    )
  })

  it('a name that does not resolve is named: the proxy’s or the gateway’s', () => {
    const notFound = (hostname: string): RequestFailure => ({ code: 'ENOTFOUND', message: 'x', hostname })
    expect(gatewayUnreachable(GATEWAY, notFound('proxy.corp'), proxied)).toMatch(
      /the proxy's host name proxy\.corp does not resolve \(ENOTFOUND\)/
    )
    expect(gatewayUnreachable(GATEWAY, notFound('vpn.example.com'), bare)).toBe(
      'Gateway https://vpn.example.com:8443: host name vpn.example.com does not resolve (ENOTFOUND): check the gateway input'
    )
  })

  it("the runner's token service: through a proxy, the proxy's answer; direct, try again", () => {
    expect(tokenServiceUnreachable(tunnel(403, 'Access violation'), proxied)).toBe(
      "The runner's token service could not be reached through the proxy http://proxy.corp:3128 (it answered 403 Access violation): allow it on the proxy, or add its host to NO_PROXY"
    )
    expect(tokenServiceUnreachable({ code: 'ECONNRESET', message: 'x' }, bare)).toBe(
      "The runner's token service did not answer (ECONNRESET): try the job again"
    )
  })
})
