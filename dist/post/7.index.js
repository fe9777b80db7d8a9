export const id = 7;
export const ids = [7];
export const modules = {

/***/ 7:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  releaseLeases: () => (/* binding */ releaseLeases)
});

// UNUSED EXPORTS: ephemeralKeyPair, leaseTunnel, plain, tunnelFromLease

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(922);
;// CONCATENATED MODULE: ./src/action/lease/http.ts
// A small JSON-over-HTTP(S) client for the gateway and the runner's token service: node:http(s)
// (lighter to load than fetch), bounded by the step's deadline and by answer size. Certificates
// are judged by Node's store plus NODE_EXTRA_CA_CERTS, as for any Node program.
/** Answers larger than this are cut: a lease is a few hundred bytes. */
const MAX_ANSWER = 64 * 1024;
async function http_httpRequest(url, opts) {
    const lib = url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 67, 23));
    const ms = Math.max(1, opts.deadline - Date.now());
    return new Promise((resolve, reject) => {
        const headers = {
            ...opts.headers,
            ...(opts.body ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {})
        };
        const req = lib.request(url, { method: opts.method ?? 'GET', headers, timeout: ms }, (res) => {
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

;// CONCATENATED MODULE: ./src/action/inputs/values.ts
// Value parsers shared by the per-field inputs (config.ts) and the `config` input (wgquick.ts), and
// the one error type both throw. Pure; nothing here imports config.ts or wgquick.ts.


/**
 * A bad input: names the input (and the line of a multi-line input) and what is wrong, never the
 * value of a secret.
 */
class InputError extends Error {
    input;
    line;
    constructor(input, problem, line) {
        super(`Input "${input}": ${line === undefined ? '' : `line ${line}: `}${problem}`);
        this.input = input;
        this.line = line;
        this.name = 'InputError';
    }
}
/**
 * The error for an endpoint found wrong after parsing (a host name that does not resolve), naming
 * where it was written: `Input "config": line 9: …` or `Input "endpoint": …`. The problem must not
 * contain the host when the source is `config` (the whole input is a secret).
 */
function endpointError(source, problem) {
    return new InputError(source.input, problem, source.input === 'config' ? source.line : undefined);
}
const isB64 = (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
/**
 * Whether a text holds something that may be key material: a run of 20 or more base64 characters
 * mixing digits and both cases, or of 40 or more of any kind (a hex key is 64). One pass.
 */
function looksSecret(text) {
    let run = 0;
    let mix = 0;
    for (let i = 0; i <= text.length; i++) {
        const c = i < text.length ? text.charCodeAt(i) : 0;
        if (i < text.length && isB64(c)) {
            run++;
            mix |= c >= 48 && c <= 57 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 97 && c <= 122 ? 4 : 0;
            continue;
        }
        if (run >= 40 || (run >= 20 && mix === 7))
            return true;
        run = 0;
        mix = 0;
    }
    return false;
}
/**
 * A non-secret value quoted for an error message: escaped and cut short. A value that looks like key
 * material is not shown at all: a key pasted into the wrong input is still a key.
 */
function shown(value) {
    if (looksSecret(value))
        return 'the value given (not shown: it looks like a key)';
    const cut = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(cut);
}
/** wg's key_from_base64: 44 characters, the last "=", the padding bits zero. */
const values_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
function parseKey(input, value, secret) {
    const v = value.trim();
    if (values_KEY.test(v))
        return v;
    const what = secret ? 'the value given is not one (it is not shown: it is a secret)' : `got ${shown(v)}`;
    throw new InputError(input, `must be a WireGuard key: 44 characters of base64 ending in "=" (as printed by wg genkey / wg pubkey); ${what}`);
}
/** PKCS#8 framing of a raw X25519 private key (RFC 8410). */
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
/**
 * The public key of a WireGuard private key: X25519 of the base point, as `wg pubkey`. Node's
 * native X25519 takes under a millisecond where pure-JS tweetnacl takes 30 ms cold; the unit tests
 * hold it equal to tweetnacl's scalarMult.base.
 */
function publicKeyOf(privateKey) {
    const key = createPrivateKey({
        key: Buffer.concat([X25519_PKCS8, Buffer.from(privateKey, 'base64')]),
        format: 'der',
        type: 'pkcs8'
    });
    return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x, 'base64url').toString('base64');
}
/** Items of a comma- or newline-separated list, trimmed, empties dropped. */
function listItems(value) {
    return value
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
function parsePrefixes(input, value) {
    return listItems(value).map((item) => {
        const p = parsePrefix(item);
        if (typeof p === 'string')
            throw new InputError(input, `${looksSecret(item) ? 'an entry (not shown: it looks like a key) is not an address' : p} (expected an address like 192.0.2.2/24 or 2001:db8::2/64)`);
        return p;
    });
}
const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*\\.?$`);
function isHostName(text) {
    return text.length <= 253 && HOSTNAME.test(text) && !/^[0-9.]+$/.test(text);
}
/** The canonical text of an IP address, or undefined when `text` is not one. */
function ipText(text) {
    return canonicalAddress(text);
}
function parsePort(input, text, whole) {
    if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
        throw new InputError(input, `port in ${shown(whole)} must be a number from 1 to 65535`);
    }
    return Number(text);
}
/** `host:port`, `1.2.3.4:port` or `[v6]:port` into host and port; undefined when not that shape. */
function splitHostPort(input, text) {
    const m = /^\[([^\]]+)\]:([^:]*)$/.exec(text) ?? /^([^:[\]]+):([^:]*)$/.exec(text);
    if (!m)
        return undefined;
    const [, host = '', port = ''] = m;
    const bracketed = text.startsWith('[');
    const addr = parseAddress(host);
    if (bracketed && addr?.family !== 6)
        throw new InputError(input, `${shown(text)}: only IPv6 addresses go in brackets`);
    if (!addr && !isHostName(host))
        throw new InputError(input, `${shown(host)} is not a valid host name or IP address`);
    return { host: ipText(host) ?? host, port: parsePort(input, port, text) };
}
/** The `endpoint` input: HOST:PORT, an IPv6 address in brackets (unambiguous, as the README asks). */
function parseEndpoint(input, value) {
    const v = value.trim();
    const hp = splitHostPort(input, v);
    if (!hp) {
        throw new InputError(input, `${shown(v)} must be HOST:PORT, e.g. vpn.example.com:51820, 192.0.2.1:51820 or [2001:db8::1]:51820`);
    }
    return { ...hp, source: { input } };
}
/**
 * An Endpoint = value as wg(8) reads it (wireguard-tools src/config.c, parse_endpoint): after a "["
 * the host runs to the first "]", which must be followed by ":" and a port; otherwise the host is
 * everything before the LAST colon, so `2001:db8::1:51820` is host 2001:db8::1, port 51820. Returns
 * a reason (without the value) when wg would refuse it or getaddrinfo could not take the host.
 */
function values_wgEndpoint(value) {
    let host;
    let port;
    if (value.startsWith('[')) {
        const close = value.indexOf(']');
        if (close < 0)
            return 'has a "[" without its "]"';
        if (value[close + 1] !== ':' || close + 2 >= value.length)
            return 'has no port after the "]:"';
        host = value.slice(1, close);
        port = value.slice(close + 2);
    }
    else {
        const colon = value.lastIndexOf(':');
        if (colon < 0 || colon + 1 >= value.length)
            return 'has no port (HOST:PORT)';
        host = value.slice(0, colon);
        port = value.slice(colon + 1);
    }
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
        return 'port must be a number from 1 to 65535';
    const ip = ipText(host);
    if (ip !== undefined)
        return { host: ip, port: Number(port) };
    if (host.includes(':'))
        return 'has a host that is not a valid IPv6 address';
    if (!isHostName(host))
        return 'has a host that is not a valid host name or IP address';
    return { host, port: Number(port) };
}
/** DNS = as wg-quick splits it: addresses are servers, names are search domains. */
function splitDns(input, value) {
    const out = { dns: [], dnsSearch: [] };
    for (const v of listItems(value)) {
        const ip = ipText(v);
        if (ip !== undefined)
            out.dns.push(ip);
        else if (isHostName(v))
            out.dnsSearch.push(v);
        else
            throw new InputError(input, `${shown(v)} is neither an IP address (a DNS server) nor a domain name (a search domain)`);
    }
    return out;
}
function parseInteger(input, value, min, max) {
    const v = value.trim();
    if (!/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) {
        throw new InputError(input, `must be a whole number from ${min} to ${max}; got ${shown(v)}`);
    }
    return Number(v);
}
function parseChoice(input, value, choices) {
    const v = value.trim().toLowerCase();
    const hit = choices.find((c) => c === v);
    if (hit === undefined)
        throw new InputError(input, `must be one of ${choices.join(', ')}; got ${shown(value.trim())}`);
    return hit;
}
/** wg-quick's Table: auto, off, main (254) or a table number; undefined when it is none of those. */
function parseTable(value) {
    const v = value.trim().toLowerCase();
    if (v === 'auto' || v === 'off')
        return v;
    if (v === 'main')
        return 254;
    if (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 0xffffffff)
        return Number(v);
    return undefined;
}

// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __webpack_require__(96);
;// CONCATENATED MODULE: ./src/action/lease/lease.ts
// Gateway mode, the runner's side: a key pair made in memory for this job only, the job's OIDC
// token from the runner, a lease from the team's gateway (an address and its peers), and its
// release in post. The private key never leaves this process: not in a file, an argument or any
// child's environment; the token and the lease secret are masked the moment they exist.







/** A fresh X25519 key pair, as `wg genkey` and `wg pubkey` would print it. */
function ephemeralKeyPair() {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const b64 = (jwkPart) => Buffer.from(jwkPart, 'base64url').toString('base64');
    return {
        privateKey: b64(privateKey.export({ format: 'jwk' }).d),
        publicKey: b64(publicKey.export({ format: 'jwk' }).x)
    };
}
const NO_TOKEN = (/* unused pure expression or super */ null && ("Gateway mode needs the job's OIDC token, and this job has none: add `permissions: id-token: write` to the job " +
    '(pull requests from forks get no token; use pull_request_target with care, or a static key, there)'));
/**
 * Waits before a retry: about 250 ms, 500 ms, 1 s… (jittered, so that many jobs cut at once do not
 * come back at once), but never past the deadline.
 */
const backoff = (attempt, deadline) => new Promise((r) => setTimeout(r, Math.max(0, Math.min(250 * 2 ** attempt * (0.5 + Math.random()), deadline - Date.now() - 100))));
/** The job's OIDC token for `audience`, from the runner's token service; retried on 5xx; masked. */
async function oidcToken(audience, deadline) {
    const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer)
        throw new Error(NO_TOKEN);
    const request = new URL(url);
    request.searchParams.set('audience', audience);
    for (let attempt = 0;; attempt++) {
        let answer;
        try {
            answer = await httpRequest(request, {
                headers: { authorization: `bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
                deadline
            });
        }
        catch (err) {
            if (Date.now() < deadline - 500) {
                await backoff(attempt, deadline);
                continue;
            }
            throw new Error(`The runner's token service did not answer (${errorText(err)}): try the job again`, {
                cause: err
            });
        }
        if (answer.status >= 500 && Date.now() < deadline - 500) {
            await backoff(attempt, deadline);
            continue;
        }
        const value = answer.json?.value;
        if (answer.status !== 200 || typeof value !== 'string' || value === '') {
            throw new Error(`The runner's token service refused an OIDC token (HTTP ${answer.status}): ${NO_TOKEN}`);
        }
        core.setSecret(value);
        return value;
    }
}
/** A gateway failure as one line: what failed, where, and what to do. */
function gatewayError(gateway, err) {
    const e = err;
    const code = e.code ?? '';
    const at = `${gateway.origin}${e.address ? ` (${e.address})` : ''}`;
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
        return new Error(`Gateway ${at} presented a certificate this runner does not trust (${code}): for a private CA, set NODE_EXTRA_CA_CERTS to its PEM file in the step's env; check that the URL's host name is on the certificate`);
    }
    if (code === 'ETIMEDOUT') {
        return new Error(`Gateway ${at} did not answer within the step's timeout: check that it runs and is not overloaded`);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        return new Error(`Gateway ${gateway.origin}: host name ${gateway.hostname} does not resolve (${code}): check the gateway input`);
    }
    return new Error(`Gateway ${at} could not be reached (${code || (0,errors/* errorText */.k)(err)}): check that it runs, listens on port ${gateway.port || (gateway.protocol === 'https:' ? 443 : 80)} and that this runner may connect to it`);
}
/**
 * Text from the gateway made safe to print: one line of printable characters, cut short (a line of
 * its that began with `::` would otherwise be a workflow command to the runner).
 */
const plain = (text, max) => text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/^[\s:]+/, '')
    .slice(0, max);
/** Why the gateway said no, in its own words (its `error` field), cut short. */
function reason(answer) {
    const said = answer.json?.error;
    return plain(typeof said === 'string' ? said : answer.text, 300) || 'no reason given';
}
/** An ISO 8601 UTC time as the gateway writes expiresAt, or undefined. */
const isoTime = (v) => typeof v === 'string' &&
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/.test(v) &&
    !Number.isNaN(Date.parse(v))
    ? v
    : undefined;
function refused(gateway, answer) {
    const why = reason(answer);
    switch (answer.status) {
        case 401:
            return new Error(`Gateway ${gateway.origin} did not accept this job's token (401: ${why}); check the audience input matches the gateway's audience`);
        case 403:
            return new Error(`Gateway ${gateway.origin} refused this job (403: ${why}); ask its team to add a rule for this repository`);
        case 503:
            return new Error(`Gateway ${gateway.origin} has no address free to lease (503: ${why}); try again when other jobs have finished`);
        default:
            return new Error(`Gateway ${gateway.origin} refused the lease (HTTP ${answer.status}: ${why})`);
    }
}
/** The gateway's answer, checked field by field: it becomes commands, so nothing is taken on trust. */
function tunnelFromLease(answer, keys, source) {
    const bad = (what) => {
        throw new Error(`Gateway ${source.url.origin} answered with a lease this action cannot use: ${what}`);
    };
    const a = (typeof answer === 'object' && answer !== null ? answer : bad('not a JSON object'));
    const str = (v, what) => (typeof v === 'string' && v !== '' ? v : bad(`${what} is missing`));
    const list = (v, what) => (Array.isArray(v) ? v : bad(`${what} is not a list`));
    const prefix = (v, what) => {
        const p = parsePrefix(str(v, what));
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
        if (!KEY.test(publicKey))
            bad(`peers[${i}].publicKey is not a WireGuard key`);
        const ep = wgEndpoint(str(p.endpoint, `peers[${i}].endpoint`));
        if (typeof ep === 'string')
            bad(`peers[${i}].endpoint is not HOST:PORT`);
        const given = p.persistentKeepalive;
        const keepalive = source.keepalive ?? (typeof given === 'number' && given >= 0 && given <= 65535 ? given : 25);
        return {
            publicKey,
            endpoint: { ...ep, source: { input: 'gateway' } },
            allowedIps: list(p.allowedIps, `peers[${i}].allowedIps`).map((x, j) => network(prefix(x, `peers[${i}].allowedIps[${j}]`))),
            keepalive
        };
    });
    if (peers.length === 0)
        bad('no peer');
    const dnsGiven = list(a.dns ?? [], 'dns').map((d, i) => str(d, `dns[${i}]`));
    const dns = [...dnsGiven.filter((d) => typeof parsePrefix(d) !== 'string'), ...source.dns];
    const dnsSearch = [
        ...dnsGiven.filter((d) => typeof parsePrefix(d) === 'string' && /^[A-Za-z0-9.-]{1,253}$/.test(d)),
        ...source.dnsSearch
    ];
    const tunnel = { ...keys, addresses, table: 'auto', dns, dnsSearch, peers, mtu: source.mtu };
    return { tunnel, id, secret, expiresAt: isoTime(a.expiresAt) ?? 'unknown' };
}
/** Asks the gateway for a lease on a fresh key; records it (for release) the moment it exists. */
async function leaseTunnel(source, journal, deadline) {
    const keys = ephemeralKeyPair();
    core.setSecret(keys.privateKey);
    const url = new URL('v1/leases', source.url.href.endsWith('/') ? source.url : `${source.url.href}/`);
    let answer;
    for (let attempt = 0;; attempt++) {
        // A fresh token each try: one the gateway saw once is refused as a replay.
        const token = await oidcToken(source.audience, deadline);
        try {
            answer = await httpRequest(url, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ publicKey: keys.publicKey }),
                deadline
            });
            break;
        }
        catch (err) {
            // A gateway caps connections per address: many runners behind one NAT address may find theirs
            // cut before the request went out. Such a cut is tried again, within the step's time.
            const code = err.code;
            const cut = code === 'ECONNRESET' || code === 'EPIPE';
            if (!cut || Date.now() > deadline - 1000)
                throw gatewayError(source.url, err);
            await backoff(attempt, deadline);
        }
    }
    if (answer.status !== 201)
        throw refused(source.url, answer);
    const { id, secret } = (answer.json ?? {});
    if (typeof secret === 'string' && secret !== '')
        core.setSecret(secret);
    // Recorded as soon as it can be released, before the rest of the answer is judged.
    const release = { kind: 'lease', gateway: source.url.href, id, secret };
    if (validRecord(release))
        journal.add(validRecord(release));
    const lease = tunnelFromLease(answer.json, keys, source);
    core.info(`Leased ${lease.tunnel.addresses.map((a) => a.address).join(', ')} from ${source.url.origin} (lease ${lease.id}, until ${lease.expiresAt})`);
    return { tunnel: lease.tunnel, rows: [['Lease', `${lease.id} from ${source.url.origin}, until ${lease.expiresAt}`]] };
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
            const answer = await http_httpRequest(url, {
                method: 'DELETE',
                headers: { authorization: `Bearer ${rec.secret}` },
                deadline: Math.min(deadline, Date.now() + RELEASE_MS)
            });
            if (answer.status !== 204 && answer.status !== 404)
                throw refused(gateway, answer);
            out.released.push(`lease ${rec.id}`);
            journal.remove(rec);
        }
        catch (err) {
            const why = err instanceof Error && /^Gateway /.test(err.message) ? err.message : gatewayError(gateway, err).message;
            out.warnings.push(`lease ${rec.id} was not released (${why}); it ends by itself when its peer falls silent or it expires`);
        }
    }
    return out;
}


/***/ })

};
