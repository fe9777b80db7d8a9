export const id = 524;
export const ids = [524];
export const modules = {

/***/ 524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  leaseTunnel: () => (/* binding */ leaseTunnel),
  releaseLeases: () => (/* binding */ releaseLeases)
});

// UNUSED EXPORTS: ephemeralKeyPair, tunnelFromLease

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(922);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(30);
// EXTERNAL MODULE: ./src/common/grammar.ts
var grammar = __webpack_require__(460);
;// CONCATENATED MODULE: ./src/action/lease/http.ts
// A small JSON-over-HTTP(S) client for the gateway and the runner's token service: node:http(s)
// (lighter to load than fetch), bounded by the step's deadline and by answer size. Certificates
// are judged by Node's store plus NODE_EXTRA_CA_CERTS, as for any Node program. Proxies are
// Node's own (an agent with `proxyEnv`, Node 24.5+): HTTPS_PROXY, HTTP_PROXY and NO_PROXY, lower
// case first, as the runner sets them on a self-hosted runner behind a proxy. `check:` targets
// never come here: they are inside the tunnel, reached over plain sockets (verify.ts).


/** Answers larger than this are cut: a lease is a few hundred bytes. */
const MAX_ANSWER = 64 * 1024;
async function httpRequest(url, opts) {
    const lib = url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 67, 23));
    const ms = Math.max(1, opts.deadline - Date.now());
    // Its own agent for each request: proxy settings from the environment, no sockets kept.
    // A loopback host (the only place plain http:// may go) never goes through a proxy: the token
    // and the lease secret would cross the network in clear, to a proxy that could answer itself.
    const agent = new lib.Agent((0,grammar/* isLoopback */.U9)(url.hostname) ? {} : { proxyEnv: opts.env ?? process.env });
    return new Promise((resolve, reject) => {
        const headers = {
            ...opts.headers,
            ...(opts.body ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {})
        };
        const req = lib.request(url, { method: opts.method ?? 'GET', headers, timeout: ms, agent }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => {
                text += d;
                if (text.length > MAX_ANSWER)
                    req.destroy(new Error(`answer larger than ${MAX_ANSWER} bytes`));
            });
            res.on('end', () => {
                let json;
                try {
                    json = JSON.parse(text);
                }
                catch {
                    json = undefined;
                }
                resolve({ status: res.statusCode ?? 0, text, json });
            });
            res.on('error', reject);
        });
        const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })));
        req.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
        });
        req.on('close', () => clearTimeout(timer));
        req.end(opts.body);
    });
}
/** Node's first release whose http(s) agents take `proxyEnv`. */
const PROXY_NODE = [24, 5];
/** True when this Node's agents honour `proxyEnv` (older ones ignore it and go direct). */
function nodeHasProxySupport(version = process.versions.node) {
    const [major = 0, minor = 0] = version.split('.').map(Number);
    return major > PROXY_NODE[0] || (major === PROXY_NODE[0] && minor >= PROXY_NODE[1]);
}
const ipv4Number = (ip) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
/**
 * The proxy a request to `url` goes through under `env`, or undefined when it goes direct: for
 * messages only (what failed, and where), since the routing is Node's own. Node's rules (24.5+,
 * lib/internal/http.js): `https_proxy` before `HTTPS_PROXY` for https:// (`http_proxy`,
 * `HTTP_PROXY` for http://), used only when it is an http:// or https:// URL; `no_proxy` before
 * `NO_PROXY`, a comma-separated list whose entries bypass the proxy when one is `*`, the host, the
 * host:port, `.suffix` or `*.suffix` of the host, or an IPv4 range `a.b.c.d-e.f.g.h` holding it.
 * Held to Node's behaviour by a differential unit test. Pure.
 */
function proxyFor(url, env) {
    const proxy = url.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
    if (!proxy || !/^https?:\/\//.test(proxy))
        return undefined;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const bypass = (env.no_proxy || env.NO_PROXY || '')
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .some((e) => {
        if (e === '*' || e === host || e === `${host}:${port}`)
            return true;
        if (e.startsWith('.') && (host === e.slice(1) || host.endsWith(e)))
            return true;
        if (e.startsWith('*.') && host.endsWith(e.slice(1)))
            return true;
        const [from = '', to = ''] = e.split('-').map((x) => x.trim());
        return (e.includes('-') &&
            (0,external_node_net_.isIPv4)(host) &&
            (0,external_node_net_.isIPv4)(from) &&
            (0,external_node_net_.isIPv4)(to) &&
            ipv4Number(from) <= ipv4Number(host) &&
            ipv4Number(host) <= ipv4Number(to));
    });
    return bypass ? undefined : proxy;
}
/** A proxy URL as it may be shown: without its credentials. */
function proxyShown(proxy) {
    try {
        const u = new URL(proxy);
        u.username = '';
        u.password = '';
        return u.origin;
    }
    catch {
        return 'the proxy';
    }
}

;// CONCATENATED MODULE: ./src/common/codes.ts
// The gateway's error codes: the contract between the gateway, which answers every refusal with
// `{"error": "<for people>", "code": "<one of these>"}`, and the action, which chooses its advice by
// the code (never by the status alone). A code, once published, keeps its meaning; new ones may be
// added. docs/gateway.md's API table lists every one (a unit test holds the table to this list).
/** Each code and the HTTP status it is sent with. */
const GATEWAY_CODES = {
    /** The body is not JSON. */
    invalid_body: 400,
    /** `publicKey` is not a WireGuard public key. */
    invalid_public_key: 400,
    /** The request ended before its body did. */
    request_incomplete: 400,
    /** No `Authorization` header (POST: the token; DELETE: the lease secret). */
    authorization_missing: 401,
    /** An `Authorization` header that is not `Bearer <credential>`, or is too long. */
    authorization_malformed: 401,
    /** The token is malformed, badly signed, not RS256, lacks a claim, or names several audiences. */
    token_invalid: 401,
    /** No key the gateway has from its issuer matches the token's `kid`. */
    token_key_unknown: 401,
    /** The token's `exp` passed, or its `iat` is over an hour ago, by the gateway's clock. */
    token_expired: 401,
    /** The token's `nbf` or `iat` is in the future by the gateway's clock (beyond its tolerance). */
    token_not_yet_valid: 401,
    /** The token's `aud` is not the gateway's `audience`. */
    audience_mismatch: 401,
    /** The token's `iss` is not the gateway's `issuer`. */
    issuer_mismatch: 401,
    /** No rule matches the token's claims. */
    no_rule_matches: 403,
    /** DELETE with a secret that is not this lease's. */
    lease_secret_mismatch: 403,
    /** No such path. */
    not_found: 404,
    /** DELETE of an unknown or ended lease. */
    lease_not_found: 404,
    /** A method the path does not serve. */
    method_not_allowed: 405,
    /** The token was used already (`jti`). */
    token_replayed: 409,
    /** The public key already has a live lease. */
    public_key_leased: 409,
    /** The public key is a peer's the gateway did not add, or the interface's own. */
    public_key_taken: 409,
    /** Another peer on the interface holds the address sought (after retries). */
    address_taken: 409,
    /** The body is over its limit. */
    body_too_large: 413,
    /** The repository went over `rate-limit`. */
    rate_limited: 429,
    /**
     * The repository or run holds as many live leases as its quota allows. 403, not 429: a quota is not
     * a rate (429 is `rate_limited`'s, "too many requests in a time"); asking again changes nothing until
     * the repository's own leases end, as with Kubernetes' ResourceQuota ("exceeded quota", 403).
     */
    quota_exceeded: 403,
    /** The client's address went over `refusals-per-address`: answered before anything is read. */
    too_many_refusals: 429,
    /** Something failed inside the gateway (its log says what). */
    internal_error: 500,
    /** `wg set` failed to add the peer (the gateway's log says why). */
    peer_add_failed: 500,
    /** No address is free in the pool. */
    pool_exhausted: 503,
    /** The issuer's discovery document or keys could not be fetched (network, timeout, 5xx). */
    issuer_unreachable: 503,
    /** The issuer answered, but its discovery document or keys are not usable with this configuration. */
    issuer_misconfigured: 503,
    /** The gateway refuses new leases while it drains (an operator's `drain`); live leases go on. */
    draining: 503,
    /** The gateway's lease store cannot be written now (its write lock held elsewhere, its disk full): new leases wait. */
    store_unavailable: 503,
    /** This process is a standby: another process of the same gateway (interface and key) is active. */
    standby: 503,
    /** The gateway's PostgreSQL database cannot be reached: new leases wait; live ones go on. */
    database_unreachable: 503
};
/** The form of a code: what the action accepts from a gateway's answer before it looks it up. */
const CODE_FORM = /^[a-z][a-z0-9_]{0,47}$/;
const isGatewayCode = (code) => typeof code === 'string' && Object.hasOwn(GATEWAY_CODES, code);

;// CONCATENATED MODULE: ./src/action/report/gateway.ts
// Gateway mode's one-line errors: what failed, the cause the evidence shows, and the fix. A refusal's
// advice is chosen by the gateway's code (src/common/codes.ts), never by the status alone; an unknown
// code is quoted without advice. A connection's failure is told by Node's error code, with what the
// step's environment shows (a proxy in use, NODE_EXTRA_CA_CERTS and what it holds, this runner's
// clock), and never advises what the job already does. With several gateways, one line names each
// and what became of it, then the most telling one's own line. The README's troubleshooting table
// quotes these; unit tests hold them to it. Pure: the evidence is gathered by the caller.

/**
 * Text from elsewhere (the gateway, a certificate) made safe to print: one line of printable
 * characters, cut short (a line of its that began with `::` would otherwise be a workflow command).
 */
const plain = (text, max) => text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/^[\s:]+/, '')
    .slice(0, max);
const NTP = "set the gateway host's clock right (NTP: timedatectl set-ntp true)";
const THEIR_LOG = "its log says why; ask the gateway's team";
/** What each code says of the request (the line's verb) and what to do; no advice where none is known. */
const LEASE_ADVICE = {
    invalid_body: { head: 'refused the request' },
    invalid_public_key: { head: 'refused the request' },
    request_incomplete: { head: 'refused the request' },
    authorization_missing: {
        head: "did not accept this job's token",
        advice: () => 'this action sent the token in the Authorization header: something between this runner and the gateway (a proxy, a load balancer) removed it'
    },
    authorization_malformed: {
        head: "did not accept this job's token",
        advice: () => 'this action sent "Bearer <token>": something between this runner and the gateway (a proxy, a load balancer) changed the Authorization header'
    },
    token_invalid: { head: "did not accept this job's token" },
    token_key_unknown: {
        head: "did not accept this job's token",
        advice: () => "if the token issuer has just published a new key, try again in a minute; if it persists, the gateway trusts another issuer than this job's (for GitHub Enterprise Server, its issuer setting must be your instance's)"
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
        advice: ({ audience }) => `this job asked for a token for "${audience}" (the audience input, or by default the gateway URL's origin): set the audience input to the gateway's audience, or the gateway's audience to this`
    },
    issuer_mismatch: {
        head: "did not accept this job's token",
        advice: () => "the gateway trusts another token issuer than this job's (for GitHub Enterprise Server, its issuer setting must be your instance's)"
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
        advice: () => "this repository's jobs asked for more leases a minute than the gateway's rate-limit: try again in a minute, or ask its team to raise rate-limit"
    },
    too_many_refusals: {
        head: 'refused requests from this runner for now',
        advice: () => "this runner's address sent the gateway more refused requests a minute than its refusals-per-address allows: try again in a minute; if many runners share this address (NAT), ask its team to raise refusals-per-address"
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
        advice: () => "the gateway could not reach its token issuer, so nothing is wrong with this job: try again later; if it persists, the gateway's network or the issuer is down (its log names the URL and the error)"
    },
    issuer_misconfigured: {
        head: "could not check this job's token",
        advice: () => "the gateway's issuer setting does not fit what the issuer serves (its log names the URL and the answer): ask the gateway's team"
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
        advice: ({ listed }) => (listed ?? 1) > 1
            ? 'another process of that gateway is active (is it listed in gateway, and did it fail too?); the standby takes over within 10 s if the active one stops'
            : 'another process of that gateway is active: list it too in gateway (one URL per line); the standby takes over within 10 s if the active one stops'
    },
    database_unreachable: {
        head: 'cannot lease now',
        advice: ({ listed }) => (listed ?? 1) > 1
            ? 'the gateway cannot reach its database, so nothing is wrong with this job: try again later'
            : 'the gateway cannot reach its database, so nothing is wrong with this job: list another gateway of the fleet in gateway (one URL per line), or try again later'
    }
};
/**
 * The one line for a gateway's refusal of a lease (`what: 'lease'`) or of its release in post
 * (`'release'`, where only advice about the gateway itself applies): `Gateway ORIGIN HEAD (STATUS
 * CODE: REASON); ADVICE`. An unknown code, or none, is quoted with the status and no advice.
 */
function gatewayRefused(origin, r, asked, what = 'lease') {
    const reason = plain(r.reason, 300) || 'no reason given';
    if (!isGatewayCode(r.code)) {
        const code = typeof r.code === 'string' && CODE_FORM.test(r.code) ? `, code ${r.code}` : '';
        return `Gateway ${origin} refused the ${what === 'lease' ? 'lease' : 'release'} (HTTP ${r.status}${code}: ${reason})`;
    }
    const entry = LEASE_ADVICE[r.code];
    const releaseAdvice = ['internal_error', 'store_unavailable', 'not_found', 'method_not_allowed'];
    const advice = what === 'release' && !releaseAdvice.includes(r.code) ? undefined : entry.advice?.(asked);
    const head = what === 'lease' ? entry.head : 'refused to release the lease';
    return `Gateway ${origin} ${head} (${r.status} ${r.code}: ${reason})${advice ? `; ${advice}` : ''}`;
}
/** Certificates no CA this runner trusts signed, by Node's (OpenSSL's) verify codes: what each means. */
const UNTRUSTED = {
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no CA this runner trusts signed it, and the gateway sent no chain above it',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the CA that issued its chain is not one this runner trusts',
    UNABLE_TO_GET_ISSUER_CERT: 'the CA that issued its chain is not one this runner trusts',
    SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a root CA this runner does not trust',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
    CERT_UNTRUSTED: 'its CA is not trusted for this purpose'
};
/** Other certificate verdicts: what each means, and the fix. */
const CERT_FAULTS = {
    CERT_HAS_EXPIRED: (ev) => `its certificate has expired: renew it on the gateway and restart it; if it has not, this runner's clock is wrong (it reads ${ev.now.toISOString()})`,
    CERT_NOT_YET_VALID: (ev) => `its certificate is not valid yet: this runner's clock (it reads ${ev.now.toISOString()}) is behind, or the certificate was made to start in the future`,
    INVALID_PURPOSE: () => 'its certificate is not made for TLS servers (no serverAuth in its extended key usage): reissue it with extendedKeyUsage=serverAuth (docs/gateway.md, TLS)',
    INVALID_CA: () => "a certificate that signed its chain is not a CA (CA:FALSE): issue the gateway's certificate from a CA (basicConstraints CA:TRUE) and serve the chain (docs/gateway.md, TLS)",
    CERT_SIGNATURE_FAILURE: () => 'a signature in its certificate chain does not verify: the chain it serves (tls.cert) is not the one its CA issued; serve the certificate and its intermediates in order',
    CERT_REVOKED: () => 'its certificate has been revoked: issue a new one',
    PATH_LENGTH_EXCEEDED: () => 'its chain is longer than a CA in it allows (pathlen): reissue the chain',
    CERT_CHAIN_TOO_LONG: () => 'its certificate chain is too long: serve the certificate and its intermediates only'
};
/** What a TLS handshake failure's OpenSSL reason (in Node's message) means. */
const HANDSHAKE = [
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
];
/** A proxy's answer to CONNECT, from Node's ERR_PROXY_TUNNEL message (`… via URL: HTTP/1.1 403 Access violation`). */
const proxySaid = (err) => plain(/HTTP\/1\.[01] (.*)$/.exec(err.message)?.[1] ?? `HTTP ${err.statusCode ?? '?'}`, 120);
/** Node refused the proxy variable's value; its message quotes the value (credentials too), so it is never shown. */
const INVALID_PROXY = "the proxy variable for this URL (https_proxy or HTTPS_PROXY; http_proxy or HTTP_PROXY for http://) is not a URL Node can use (ERR_PROXY_INVALID_CONFIG): set it to http://host:port in the runner's environment";
const PROXY_CA = 'if the proxy inspects TLS, the job must trust its CA (NODE_EXTRA_CA_CERTS), or add the gateway to NO_PROXY';
/** Advice for a certificate no trusted CA signed: never what the job already does. */
function untrustedAdvice(code, ev) {
    const ca = ev.extraCa;
    const parts = [];
    if (ca?.state === 'missing')
        parts.push(`NODE_EXTRA_CA_CERTS names ${ca.path}, which does not exist (Node ignores it): write the CA's PEM file there before this step`);
    else if (ca?.state === 'unreadable')
        parts.push(`NODE_EXTRA_CA_CERTS names ${ca.path}, which this step cannot read (Node ignores it): make it readable to the runner's user`);
    else if (ca?.state === 'no-pem')
        parts.push(`NODE_EXTRA_CA_CERTS names ${ca.path}, which holds no PEM certificate (Node ignores it): put the CA's certificate there in PEM form (-----BEGIN CERTIFICATE-----)`);
    else if (ca?.state === 'pem')
        parts.push(code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
            ? `NODE_EXTRA_CA_CERTS is set (${ca.path}) but does not hold this self-signed certificate: put the gateway's certificate itself there, or better, serve one issued by a CA`
            : `NODE_EXTRA_CA_CERTS is set (${ca.path}) but no CA in it signed this certificate: put there the CA that issued the gateway's certificate (for a chain, its root)${code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ? '; if it is there, the gateway must serve its intermediate certificates too (tls.cert: the certificate, then its chain)' : ''}`);
    else
        parts.push(code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
            ? "set NODE_EXTRA_CA_CERTS in the step's env to a PEM file of that certificate, or better, serve one issued by a CA (docs/gateway.md, TLS)"
            : "for a private CA, set NODE_EXTRA_CA_CERTS in the step's env to its PEM file" +
                (ev.systemCa ? '' : ", or NODE_USE_SYSTEM_CA=1 when the CA is in this runner's system store (Node 24.6+)") +
                (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
                    ? '; for a public CA, the gateway must serve its intermediate certificates too (tls.cert: the certificate, then its chain)'
                    : ''));
    if (ev.systemCa && ca?.state !== 'pem')
        parts.push('NODE_USE_SYSTEM_CA=1 is set, and no CA in the system store signed it either');
    if (ev.proxy !== undefined)
        parts.push(`the request went through the proxy ${ev.proxy}: ${PROXY_CA}`);
    return parts.join('; ');
}
/** A duration in milliseconds as seconds for a line: `4 s`, `2.5 s`. */
const seconds = (ms) => `${Math.round(ms / 100) / 10} s`;
/**
 * The one line for a request to the gateway that got no answer: a certificate refused (each
 * verdict its own cause), a TLS handshake that failed, the proxy refusing or unreachable, a name
 * that does not resolve, a connection refused or timed out. `gateway` is the URL asked; `share`
 * (ms), when the request had only its share of the step's timeout (a gateway listed before others).
 */
function gatewayUnreachable(gateway, err, ev, share) {
    const code = err.code ?? '';
    const via = ev.proxy !== undefined ? ` through the proxy ${ev.proxy}` : '';
    const at = `Gateway ${gateway.origin}`;
    const port = gateway.port || (gateway.protocol === 'https:' ? '443' : '80');
    if (UNTRUSTED[code] !== undefined)
        return `${at} presented a certificate this runner does not trust (${code}: ${UNTRUSTED[code]}): ${untrustedAdvice(code, ev)}`;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        const names = plain(err.cert?.subjectaltname ?? '', 300) || 'none';
        return `${at} presented a certificate for other names (${code}: ${plain(err.reason ?? err.message, 200)}; it names ${names}): use a gateway URL with one of those names, or reissue the certificate with subjectAltName=DNS:${gateway.hostname}`;
    }
    const fault = CERT_FAULTS[code];
    if (fault !== undefined)
        return `${at}: ${fault(ev)} (${code})`;
    if (/^(EPROTO|ERR_SSL_)/.test(code)) {
        const hit = HANDSHAKE.find(([re]) => re.test(err.message));
        // OpenSSL's reason, from Node's message: `…:error:0A00010B:SSL routines:FUNCTION:REASON:FILE:LINE:`.
        const said = plain(/SSL routines:[^:]*:([^:]+)/.exec(err.message)?.[1] ?? err.message, 120);
        return `${at}: the TLS handshake failed${via} (${code}: ${said})${hit ? `: ${hit[1]}` : ''}`;
    }
    if (code === 'ERR_PROXY_TUNNEL') {
        const status = err.statusCode ?? 0;
        const said = proxySaid(err);
        const advice = status === 407
            ? "the proxy wants credentials: put them in its URL (http://user:password@host:port) in the runner's environment"
            : status >= 500
                ? `the proxy could not reach ${gateway.hostname}:${port}: check that the gateway runs and that the proxy may reach it, or add the gateway to NO_PROXY`
                : `allow CONNECT to ${gateway.hostname}:${port} on the proxy, or add the gateway's host to NO_PROXY`;
        return `${at} could not be reached through the proxy ${ev.proxy ?? '(unknown)'} (it answered ${said}): ${advice}`;
    }
    if (code === 'ERR_PROXY_INVALID_CONFIG')
        return `${at} could not be asked: ${INVALID_PROXY}`;
    if (code === 'ETIMEDOUT') {
        const within = share === undefined
            ? "the step's timeout"
            : `${seconds(share)}, its share of the step's timeout (the gateways after it and the bring-up need the rest)`;
        return `${at} did not answer within ${within}${via}: check that it runs and is not overloaded${ev.proxy !== undefined ? ', and that the proxy forwards to it' : ''}`;
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        const name = err.hostname ?? gateway.hostname;
        return ev.proxy !== undefined && name !== gateway.hostname
            ? `${at}: the proxy's host name ${name} does not resolve (${code}): check HTTPS_PROXY/https_proxy in the runner's environment`
            : `${at}: host name ${name} does not resolve (${code}): check the gateway input`;
    }
    const where = err.address !== undefined ? `${err.address}${err.port !== undefined ? `:${err.port}` : ''}` : undefined;
    if (ev.proxy !== undefined && (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH'))
        return `${at}: the proxy ${ev.proxy} could not be reached${where ? ` at ${where}` : ''} (${code}): check the proxy setting in the runner's environment, or add the gateway to NO_PROXY`;
    return `${at}${err.address !== undefined ? ` (${err.address})` : ''} could not be reached${via} (${code || plain(err.message, 120)}): check that it runs, listens on port ${port} and that this runner may connect to it`;
}
/** The one line when the runner's token service did not answer; through a proxy, what the proxy did. */
function tokenServiceUnreachable(err, ev) {
    const code = err.code ?? plain(err.message, 120);
    if (err.code === 'ERR_PROXY_INVALID_CONFIG')
        return `The runner's token service could not be asked: ${INVALID_PROXY}`;
    if (err.code === 'ERR_PROXY_TUNNEL')
        return `The runner's token service could not be reached through the proxy ${ev.proxy ?? '(unknown)'} (it answered ${proxySaid(err)}): allow it on the proxy, or add its host to NO_PROXY`;
    if (ev.proxy !== undefined)
        return `The runner's token service did not answer through the proxy ${ev.proxy} (${code}): check the proxy, or add the token service's host to NO_PROXY; or try the job again`;
    return `The runner's token service did not answer (${code}): try the job again`;
}
/** A gateway as a list names it: its origin, or its whole base URL when it has a path. */
const gatewayLabel = (url) => (url.pathname === '/' ? url.origin : url.href.replace(/\/$/, ''));
/** What became of one attempt, in a few words: `503 draining`, `ECONNREFUSED`, `no answer in time (ETIMEDOUT)`. */
function attemptShort(a) {
    if (a.kind === 'skipped')
        return "not tried: the step's timeout was up";
    if (a.kind === 'answered')
        return typeof a.code === 'string' && CODE_FORM.test(a.code) ? `${a.status} ${a.code}` : `HTTP ${a.status}`;
    if (a.err.code === 'ETIMEDOUT')
        return 'no answer in time (ETIMEDOUT)';
    return a.err.code ?? plain(a.err.message, 80);
}
/** Errors that say only that nothing answered: less telling than an answer or a fault with a cause. */
const SILENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** How much an attempt tells: a gateway's own answer, then a fault with a cause (TLS, a name, a proxy), then silence. */
const tells = (a) => a.kind === 'answered' ? 3 : a.kind === 'skipped' ? 0 : SILENT.has(a.err.code ?? '') ? 1 : 2;
/**
 * The one line when no gateway of several leased: each gateway and what became of it, in the order
 * tried, then the whole line (with its advice) of the attempt that tells most: the last answer a
 * gateway gave, else the last fault with a cause (a certificate, a name, a proxy), else the last.
 * `No gateway leased (https://a:8443: ECONNREFUSED; https://b:8443: 503 draining): Gateway https://b:8443 …`
 */
function noGatewayLeased(attempts) {
    const list = attempts.map((a) => `${gatewayLabel(a.gateway)}: ${attemptShort(a)}`).join('; ');
    let best;
    for (const a of attempts)
        if (a.kind !== 'skipped' && (best === undefined || tells(a) >= tells(best)))
            best = a;
    return `No gateway leased (${list})${best !== undefined && best.kind !== 'skipped' ? `: ${best.line}` : ''}`;
}

;// CONCATENATED MODULE: ./src/action/lease/failover.ts
// Gateway mode's failover: when the `gateway` input lists several URLs, which outcome of one of
// them moves on to the next, and how much of the step's time each may take. Pure; lease.ts asks
// the gateways, report/gateway.ts words the outcome.
//
// Why these outcomes move on (and only these):
// - No answer (connection refused or reset, host or network unreachable, a name that does not
//   resolve, no answer within its share of the time): that server is down or cut off; another
//   is another server.
// - A TLS handshake that failed or a certificate this runner refuses: a certificate is one
//   server's (one gateway's expired certificate says nothing of the next's), and nothing of the
//   request reaches a server Node refuses: Node 24 checks the certificate before it writes the
//   request, over TLS 1.2 and 1.3 alike (held by a unit test: the server reads no byte of it).
// - A proxy that refuses CONNECT to one gateway's host and port (ERR_PROXY_TUNNEL): the proxy
//   may allow the next. A proxy variable Node cannot use (ERR_PROXY_INVALID_CONFIG) is this
//   step's own and the same for every gateway: it stops.
// - An answer 5xx: by HTTP's semantics (RFC 9110, 15.6) the server failed, not the request. 503
//   is the gateway's "not now" (standby, draining, pool_exhausted, database_unreachable,
//   store_unavailable, issuer_unreachable); 502 and 504 are a proxy's or load balancer's word
//   that the gateway behind it could not be reached or did not answer; 500 is one gateway's own
//   fault (its interface, its bug). Another gateway may lease.
// - Never a 4xx: the request is at fault (RFC 9110, 15.5), the token, the rule, the quota or the
//   rate: each gateway of a fleet answers it the same, so asking the next only spends a token
//   (401 and 403 above all: the token or the rules, the same at every gateway of the team).
// An attempt that timed out may have been granted without the answer arriving: that lease's key
// is made for that attempt only (the next gateway gets a fresh key pair and a fresh token), and
// a key that never handshakes ends its lease as silent at the gateway.
/** Time kept for the rest of bring-up (interface, handshake, checks) when later gateways remain. */
const BRING_UP_MS = 3000;
/** The least time a gateway is given, and the least left for a later one to be tried at all. */
const MIN_ATTEMPT_MS = 1000;
/**
 * The deadline (epoch ms) of one gateway's attempt, `after` being how many gateways are listed
 * after it: the last one has the step's deadline (a single URL behaves as it always has); an
 * earlier one an equal share, with the gateways after it, of what is left once the bring-up's
 * time (BRING_UP_MS, at most a quarter of what is left) is kept; at least MIN_ATTEMPT_MS, never
 * past the step's deadline.
 */
function attemptDeadline(now, deadline, after) {
    if (after <= 0)
        return deadline;
    const left = deadline - now;
    const reserve = Math.min(BRING_UP_MS, left / 4);
    return Math.min(deadline, Math.round(now + Math.max(MIN_ATTEMPT_MS, (left - reserve) / (after + 1))));
}
/** Whether a gateway's answer of `status` (not 201) moves on to the next gateway: 5xx only. */
const movesOnAfterAnswer = (status) => status >= 500 && status <= 599;
/** Whether a request that got no answer (Node's error `code`) moves on: all but this step's own proxy setting. */
const movesOnAfterError = (code) => code !== 'ERR_PROXY_INVALID_CONFIG';
/** Whether a later gateway is still worth trying with `left` ms before the step's deadline. */
const timeForAnother = (left) => left >= MIN_ATTEMPT_MS;

// EXTERNAL MODULE: ./src/common/ip.ts
var ip = __webpack_require__(796);
// EXTERNAL MODULE: ./src/action/journal/journal.ts
var journal_journal = __webpack_require__(329);
// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __webpack_require__(96);
// EXTERNAL MODULE: ./src/action/names.ts
var names = __webpack_require__(814);
;// CONCATENATED MODULE: ./src/action/lease/lease.ts
// Gateway mode, the runner's side: a key pair made in memory for this job only, the job's OIDC
// token from the runner, a lease from the team's gateway (an address and its peers), and its
// release in post. The private key never leaves this process: not in a file, an argument or any
// child's environment; the token and the lease secret are masked the moment they exist.











/** A fresh X25519 key pair, as `wg genkey` and `wg pubkey` would print it. */
function ephemeralKeyPair() {
    const { privateKey, publicKey } = (0,external_node_crypto_.generateKeyPairSync)('x25519');
    const b64 = (jwkPart) => Buffer.from(jwkPart, 'base64url').toString('base64');
    return {
        privateKey: b64(privateKey.export({ format: 'jwk' }).d),
        publicKey: b64(publicKey.export({ format: 'jwk' }).x)
    };
}
const NO_TOKEN = "Gateway mode needs the job's OIDC token, and this job has none: add `permissions: id-token: write` to the job " +
    '(pull requests from forks get no token; use pull_request_target with care, or a static key, there)';
/**
 * Waits before a retry: about 250 ms, 500 ms, 1 s… (jittered, so that many jobs cut at once do not
 * come back at once), but never past the deadline.
 */
const backoff = (attempt, deadline) => new Promise((r) => setTimeout(r, Math.max(0, Math.min(250 * 2 ** attempt * (0.5 + Math.random()), deadline - Date.now() - 100))));
/** The job's OIDC token for `audience`, from the runner's token service; retried on 5xx; masked. */
async function oidcToken(audience, deadline, ask) {
    const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer)
        throw new Error(NO_TOKEN);
    const tokenUrl = new URL(url);
    tokenUrl.searchParams.set('audience', audience);
    for (let attempt = 0;; attempt++) {
        let answer;
        try {
            answer = await ask(tokenUrl, {
                headers: { authorization: `bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
                deadline
            });
        }
        catch (err) {
            // A proxy setting Node refuses stays refused: no retry.
            if (failure(err).code !== 'ERR_PROXY_INVALID_CONFIG' && Date.now() < deadline - 500) {
                await backoff(attempt, deadline);
                continue;
            }
            throw new Error(tokenServiceUnreachable(failure(err), evidence(tokenUrl)), { cause: err });
        }
        if (answer.status >= 500 && Date.now() < deadline - 500) {
            await backoff(attempt, deadline);
            continue;
        }
        const value = answer.json?.value;
        if (answer.status !== 200 || typeof value !== 'string' || value === '') {
            const proxy = evidence(tokenUrl).proxy;
            const via = proxy === undefined ? '' : `, through the proxy ${proxy}`;
            throw new Error(`The runner's token service refused an OIDC token (HTTP ${answer.status}${via}): ${NO_TOKEN}`);
        }
        toolkit/* setSecret */.Pq(value);
        return value;
    }
}
/**
 * Node's request error as the messages read it: its own fields (code, address, port…), read by
 * shape, not by `instanceof Error` (an error from another realm, as under a test runner, is one too).
 */
const failure = (err) => typeof err === 'object' && err !== null && typeof err.message === 'string'
    ? err
    : { message: (0,errors/* errorText */.k)(err) };
/**
 * What this step's environment shows about a request to `url`: the proxy it goes through (Node's
 * rules, see proxyFor), NODE_EXTRA_CA_CERTS and what its file holds (Node ignores a file it cannot
 * read, with only a warning on stderr), NODE_USE_SYSTEM_CA, and this runner's clock. Read only
 * when a request failed.
 */
function evidence(url) {
    const env = process.env;
    const proxy = proxyFor(url, env);
    const path = env.NODE_EXTRA_CA_CERTS;
    let extraCa;
    if (path) {
        try {
            const text = (0,external_node_fs_.readFileSync)(path, 'utf8');
            extraCa = { path, state: text.includes('-----BEGIN CERTIFICATE-----') ? 'pem' : 'no-pem' };
        }
        catch (err) {
            extraCa = { path, state: err.code === 'ENOENT' ? 'missing' : 'unreadable' };
        }
    }
    return {
        proxy: proxy === undefined || !nodeHasProxySupport() ? undefined : proxyShown(proxy),
        extraCa,
        systemCa: env.NODE_USE_SYSTEM_CA === '1',
        now: new Date()
    };
}
/** Says so when a proxy is set for `url` but this Node cannot use one: the request goes direct. */
function warnIfProxyIgnored(url) {
    const proxy = proxyFor(url, process.env);
    if (proxy !== undefined && !nodeHasProxySupport())
        toolkit/* warning */.$e(`A proxy is set for ${url.origin} (${proxyShown(proxy)}), but this runner's Node ${process.versions.node} has no built-in proxy support (24.5 or later): the request goes direct`);
}
/** The gateway's refusal in its own words and code (its `error` and `code` fields), as one line with advice by the code. */
function refusedLine(gateway, answer, asked, what) {
    const body = (answer.json ?? {});
    const reason = typeof body.error === 'string' ? body.error : answer.text;
    return gatewayRefused(gateway.origin, { status: answer.status, code: body.code, reason }, asked, what);
}
/** An ISO 8601 UTC time as the gateway writes expiresAt, or undefined. */
const isoTime = (v) => typeof v === 'string' &&
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/.test(v) &&
    !Number.isNaN(Date.parse(v))
    ? v
    : undefined;
/** The gateway's answer, checked field by field: it becomes commands, so nothing is taken on trust. */
function tunnelFromLease(answer, keys, source, gateway = source.gateways[0].url) {
    const bad = (what) => {
        throw new Error(`Gateway ${gateway.origin} answered with a lease this action cannot use: ${what}`);
    };
    const a = (typeof answer === 'object' && answer !== null ? answer : bad('not a JSON object'));
    const str = (v, what) => (typeof v === 'string' && v !== '' ? v : bad(`${what} is missing`));
    const list = (v, what) => (Array.isArray(v) ? v : bad(`${what} is not a list`));
    const prefix = (v, what) => {
        const p = (0,ip/* parsePrefix */.A1)(str(v, what));
        return typeof p === 'string' ? bad(`${what} is not an address`) : p;
    };
    const id = str(a.id, 'id');
    const secret = str(a.secret, 'secret');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || !/^[A-Za-z0-9_-]{16,128}$/.test(secret))
        bad('id or secret has an unexpected form');
    const addresses = list(a.addresses, 'addresses').map((v, i) => prefix(v, `addresses[${i}]`));
    if (addresses.length === 0)
        bad('no address');
    const peers = list(a.peers, 'peers').map((v, i) => {
        const p = (typeof v === 'object' && v !== null ? v : bad(`peers[${i}] is not an object`));
        const publicKey = str(p.publicKey, `peers[${i}].publicKey`);
        if (!(0,grammar/* isKey */.m0)(publicKey))
            bad(`peers[${i}].publicKey is not a WireGuard key`);
        const ep = (0,grammar/* wgEndpoint */.ws)(str(p.endpoint, `peers[${i}].endpoint`));
        if (typeof ep === 'string')
            bad(`peers[${i}].endpoint is not HOST:PORT`);
        const given = p.persistentKeepalive;
        const gateways = typeof given === 'number' && Number.isInteger(given) && given >= 0 && given <= 65535 ? given : 25;
        // The gateway's keepalive is how it hears this job: the input may make it more frequent, never less.
        const keepalive = source.keepalive === undefined
            ? gateways
            : gateways === 0
                ? source.keepalive
                : Math.min(source.keepalive, gateways);
        return {
            publicKey,
            endpoint: { ...ep, source: { input: names/* INPUT */.bO.gateway } },
            allowedIps: list(p.allowedIps, `peers[${i}].allowedIps`).map((x, j) => (0,ip/* network */.Nm)(prefix(x, `peers[${i}].allowedIps[${j}]`))),
            keepalive
        };
    });
    if (peers.length === 0)
        bad('no peer');
    const dnsGiven = list(a.dns ?? [], 'dns').map((d, i) => str(d, `dns[${i}]`));
    // As wg-quick splits DNS =: addresses are servers, names are search domains (others are dropped).
    const servers = dnsGiven.map(ip/* canonicalAddress */.Z5).filter((d) => d !== undefined);
    const dns = [...servers, ...source.dns];
    const dnsSearch = [...dnsGiven.filter((d) => (0,ip/* canonicalAddress */.Z5)(d) === undefined && (0,grammar/* isHostName */.uy)(d)), ...source.dnsSearch];
    // The lease's addresses and allowed IPs are the gateway's; MTU is the step's own input.
    const lease = { input: names/* INPUT */.bO.gateway };
    const origins = {
        mtu: source.mtu === undefined ? undefined : { input: names/* INPUT */.bO.mtu },
        addresses: Object.fromEntries(addresses.map((a) => [(0,ip/* prefixText */.Oj)(a), lease])),
        allowedIps: Object.fromEntries(peers.flatMap((p) => p.allowedIps).map((a) => [(0,ip/* prefixText */.Oj)(a), lease]))
    };
    const tunnel = { ...keys, addresses, table: 'auto', dns, dnsSearch, peers, mtu: source.mtu, origins };
    return { tunnel, id, secret, expiresAt: isoTime(a.expiresAt) ?? 'unknown' };
}
/**
 * Asks one gateway for a lease on a key pair made for this attempt, each request with a fresh
 * token, by `until.at` (epoch ms; the token by `until.step`, the step's deadline). A connection
 * the gateway cuts before reading it is asked again while a second is left (a gateway caps
 * connections per address: many runners behind one NAT address may find theirs cut). Records the
 * lease (for release) the moment it exists. Throws what no other gateway can change: the token
 * service's failure, a lease this action cannot use.
 */
async function askGateway(gw, source, journal, until, ask) {
    const keys = ephemeralKeyPair();
    toolkit/* setSecret */.Pq(keys.privateKey);
    const url = new URL('v1/leases', gw.url.href.endsWith('/') ? gw.url : `${gw.url.href}/`);
    warnIfProxyIgnored(url);
    const asked = { audience: gw.audience, listed: source.gateways.length };
    let answer;
    for (let attempt = 0;; attempt++) {
        // A fresh token each try: one the gateway (or its fleet) saw once is refused as a replay.
        // The token service is the runner's, the same for every gateway: it has the step's time.
        const token = await oidcToken(gw.audience, until.step, ask);
        try {
            answer = await ask(url, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ publicKey: keys.publicKey }),
                deadline: until.at
            });
            break;
        }
        catch (err) {
            const f = failure(err);
            const cut = f.code === 'ECONNRESET' || f.code === 'EPIPE';
            if (!cut || Date.now() > until.at - 1000) {
                const share = until.last ? undefined : until.at - until.started;
                const line = gatewayUnreachable(gw.url, f, evidence(url), share);
                return {
                    kind: 'failed',
                    attempt: { gateway: gw.url, kind: 'unreachable', err: f, line },
                    next: movesOnAfterError(f.code)
                };
            }
            await backoff(attempt, until.at);
        }
    }
    if (answer.status !== 201) {
        const line = refusedLine(gw.url, answer, asked, 'lease');
        const code = (answer.json ?? {}).code;
        const attempt = { gateway: gw.url, kind: 'answered', status: answer.status, code, line };
        return { kind: 'failed', attempt, next: movesOnAfterAnswer(answer.status) };
    }
    const { id, secret } = (answer.json ?? {});
    // Masked only in the shape a lease secret has (journal.ts): a hostile answer's "secret" of one
    // letter would otherwise mask that letter everywhere in the job's log.
    if (typeof secret === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(secret))
        toolkit/* setSecret */.Pq(secret);
    // Recorded as soon as it can be released, with the gateway that holds it (post releases there),
    // before the rest of the answer is judged.
    const release = { kind: 'lease', gateway: gw.url.href, id, secret };
    if ((0,journal_journal/* validRecord */.A5)(release))
        journal.add((0,journal_journal/* validRecord */.A5)(release));
    const lease = tunnelFromLease(answer.json, keys, source, gw.url);
    toolkit/* info */.pq(`Leased ${lease.tunnel.addresses.map((a) => a.address).join(', ')} from ${gw.url.origin} (lease ${lease.id}, until ${lease.expiresAt})`);
    const rows = [['Lease', `${lease.id} from ${gw.url.origin}, until ${lease.expiresAt}`]];
    return { kind: 'leased', given: { tunnel: lease.tunnel, rows, gateway: gw.url.origin } };
}
/**
 * A lease from the first of the listed gateways that grants one, in the order given (failover.ts:
 * which outcomes move on, and each one's share of the time), all by `deadline`. A gateway passed
 * over is a warning naming it and why, and a summary row. When none leases: the one line of the
 * gateway that stopped it (a 4xx, or the only gateway), or one naming every gateway and why.
 * `ask` is the HTTP layer (tests give a stand-in).
 */
async function leaseTunnel(source, journal, deadline, ask = httpRequest) {
    const attempts = [];
    const all = source.gateways;
    for (const [i, gw] of all.entries()) {
        const started = Date.now();
        if (i > 0 && !timeForAnother(deadline - started)) {
            attempts.push(...all.slice(i).map((g) => ({ gateway: g.url, kind: 'skipped' })));
            break;
        }
        const after = all.length - 1 - i;
        const until = { at: attemptDeadline(started, deadline, after), step: deadline, last: after === 0, started };
        const outcome = await askGateway(gw, source, journal, until, ask);
        if (outcome.kind === 'leased') {
            if (attempts.length === 0)
                return outcome.given;
            const passed = attempts.map((a) => `${gatewayLabel(a.gateway)} (${attemptShort(a)})`).join('; ');
            return { ...outcome.given, rows: [...outcome.given.rows, ['Gateways passed over', passed]] };
        }
        const { attempt } = outcome;
        // A refusal that every gateway would repeat (a 4xx), or the only gateway: its own line, as ever.
        if (!outcome.next || all.length === 1)
            throw new Error(attempt.line);
        attempts.push(attempt);
        const next = all[i + 1];
        if (next !== undefined)
            toolkit/* warning */.$e(`${attempt.line} (trying the next gateway, ${gatewayLabel(next.url)})`);
    }
    throw new Error(noGatewayLeased(attempts));
}
/** How long post waits for the gateway: the lease expires by itself anyway. */
const RELEASE_MS = 10_000;
/** Releases the journal's leases; a gateway that cannot be reached is a warning (the lease expires). */
async function releaseLeases(journal, deadline = Date.now() + RELEASE_MS) {
    const out = { released: [], warnings: [] };
    for (const rec of journal.records.filter((r) => r.kind === 'lease')) {
        toolkit/* setSecret */.Pq(rec.secret);
        const gateway = new URL(rec.gateway);
        const url = new URL(`v1/leases/${encodeURIComponent(rec.id)}`, gateway.href.endsWith('/') ? gateway : `${gateway.href}/`);
        try {
            const answer = await httpRequest(url, {
                method: 'DELETE',
                headers: { authorization: `Bearer ${rec.secret}` },
                deadline: Math.min(deadline, Date.now() + RELEASE_MS)
            });
            // 202: the peer is gone, and the gateway writes the lease's end to its store when it can.
            if (answer.status !== 204 && answer.status !== 202 && answer.status !== 404)
                throw new Error(refusedLine(gateway, answer, { audience: '' }, 'release'));
            out.released.push(`lease ${rec.id}`);
            journal.remove(rec);
        }
        catch (err) {
            const why = err instanceof Error && /^Gateway /.test(err.message)
                ? err.message
                : gatewayUnreachable(gateway, failure(err), evidence(url));
            out.warnings.push(`lease ${rec.id} was not released (${why}); it ends by itself when its peer falls silent or it expires`);
        }
    }
    return out;
}


/***/ })

};
