export const id = 183;
export const ids = [183];
export const modules = {

/***/ 183:
/***/ ((__unused_webpack_module, __unused_webpack___webpack_exports__, __webpack_require__) => {


// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
;// CONCATENATED MODULE: ./src/common/errors.ts
// Turning anything thrown into the one line a step reports.
/** The message of an error, or the thrown value as text (a thrown non-Error must not pass silently). */
const errorText = (err) => (err instanceof Error ? err.message : String(err));

;// CONCATENATED MODULE: ./src/gateway/audit.ts
const FIELDS = [
    'reason',
    'status',
    'code',
    'client',
    'repository',
    'repositoryId',
    'runId',
    'workflowRef',
    'rule',
    'lease',
    'publicKey',
    'addresses',
    'expiresAt',
    'interface',
    'gateway',
    'store',
    'listen',
    'leases',
    'count',
    'durationMs',
    'role'
];
/** An audit writer; `write` defaults to stdout. Unknown fields are dropped, not written. */
function createAudit(write = (l) => void process.stdout.write(l)) {
    return (event, fields = {}) => {
        const line = { time: new Date().toISOString(), event };
        for (const k of FIELDS)
            if (fields[k] !== undefined)
                line[k] = fields[k];
        write(`${JSON.stringify(line)}\n`);
    };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/common/ip.ts
// IP addresses and prefixes: parsing, masking and canonical text. Pure; no I/O.
/** Parses dotted-quad IPv4 into 4 bytes, or undefined. */
function parseV4(text) {
    const parts = text.split('.');
    if (parts.length !== 4)
        return undefined;
    const bytes = [];
    for (const part of parts) {
        if (!/^(0|[1-9][0-9]{0,2})$/.test(part))
            return undefined;
        const n = Number(part);
        if (n > 255)
            return undefined;
        bytes.push(n);
    }
    return bytes;
}
/** Parses IPv6 (with `::` and an optional trailing dotted quad) into 16 bytes, or undefined. */
function parseV6(text) {
    if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45)
        return undefined;
    let head = text;
    let tail4 = [];
    const lastColon = text.lastIndexOf(':');
    if (text.includes('.')) {
        const v4 = parseV4(text.slice(lastColon + 1));
        if (!v4)
            return undefined;
        tail4 = v4;
        head = text.slice(0, lastColon + 1);
        if (!head.endsWith('::'))
            head = head.slice(0, -1);
    }
    const halves = head.split('::');
    if (halves.length > 2)
        return undefined;
    const groups = (s) => {
        if (s === '')
            return [];
        const out = [];
        for (const g of s.split(':')) {
            if (!/^[0-9a-fA-F]{1,4}$/.test(g))
                return undefined;
            out.push(parseInt(g, 16));
        }
        return out;
    };
    const left = groups(halves[0] ?? '');
    const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
    if (!left || !right)
        return undefined;
    const want = 8 - tail4.length / 2;
    let words;
    if (halves.length === 2) {
        const fill = want - left.length - right.length;
        if (fill < 1)
            return undefined;
        words = [...left, ...new Array(fill).fill(0), ...right];
    }
    else {
        words = left;
    }
    if (words.length !== want)
        return undefined;
    const bytes = [];
    for (const w of words)
        bytes.push(w >> 8, w & 0xff);
    return [...bytes, ...tail4];
}
function parseAddress(text) {
    const v4 = parseV4(text);
    if (v4)
        return { family: 4, bytes: v4 };
    const v6 = text.includes(':') ? parseV6(text) : undefined;
    return v6 ? { family: 6, bytes: v6 } : undefined;
}
/** RFC 5952 text: lower case, longest run of two or more zero groups as `::`. */
function formatBytes(family, bytes) {
    if (family === 4)
        return bytes.join('.');
    const words = [];
    for (let i = 0; i < 16; i += 2)
        words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    let bestStart = -1;
    let bestLen = 1;
    for (let i = 0; i < 8;) {
        if (words[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && words[j] === 0)
            j++;
        if (j - i > bestLen) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = (ws) => ws.map((w) => w.toString(16)).join(':');
    if (bestStart < 0)
        return hex(words);
    return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}
function ip_canonicalAddress(text) {
    const parsed = parseAddress(text);
    return parsed && formatBytes(parsed.family, parsed.bytes);
}
function maxBits(family) {
    return family === 4 ? 32 : 128;
}
/** Parses `ADDR/BITS` or a bare `ADDR` (a host prefix). Returns a reason string on failure. */
function parsePrefix(text) {
    const slash = text.indexOf('/');
    const addrText = slash < 0 ? text : text.slice(0, slash);
    const parsed = parseAddress(addrText);
    if (!parsed)
        return `"${text}" is not an IPv4 or IPv6 address`;
    const max = maxBits(parsed.family);
    let bits = max;
    if (slash >= 0) {
        const bitsText = text.slice(slash + 1);
        if (!/^(0|[1-9][0-9]{0,2})$/.test(bitsText) || Number(bitsText) > max) {
            return `"${text}" has prefix length "${bitsText}"; it must be 0 to ${max}`;
        }
        bits = Number(bitsText);
    }
    return { family: parsed.family, address: formatBytes(parsed.family, parsed.bytes), bits };
}
/** The prefix with its host bits cleared: the network it names. */
function network(prefix) {
    const parsed = parseAddress(prefix.address);
    if (!parsed)
        throw new Error(`invalid address ${prefix.address}`);
    const bytes = parsed.bytes.map((b, i) => {
        const keep = Math.min(8, Math.max(0, prefix.bits - i * 8));
        return b & ((0xff << (8 - keep)) & 0xff);
    });
    return { family: prefix.family, address: formatBytes(prefix.family, bytes), bits: prefix.bits };
}
function prefixText(prefix) {
    return `${prefix.address}/${prefix.bits}`;
}
/** True when `outer` contains every address of `inner`. */
function contains(outer, inner) {
    if (outer.family !== inner.family || outer.bits > inner.bits)
        return false;
    return network({ ...inner, bits: outer.bits }).address === network(outer).address;
}

;// CONCATENATED MODULE: ./src/common/grammar.ts
// The grammar of the values both programs read: interface names, WireGuard keys, host names,
// `HOST:PORT` endpoints and loopback hosts. One rule for each, so that the gateway never accepts in
// its configuration (and hands out in a lease) what the action then refuses. Pure.

/**
 * Interface names as Linux accepts them: 1 to 15 of letters, digits and _=+.-, and not one that
 * `ip` or wireguard-go would read as an option (a leading -) or a path (`.`, `..`).
 */
const IFACE = /^(?!-)(?!\.{1,2}$)[a-zA-Z0-9_=+.-]{1,15}$/;
/** Names `ip` or wireguard-go would read as something else, or Linux refuses (EINVAL). */
const RESERVED_NAMES = new Set(['.', '..', 'all', 'default', 'help']);
/**
 * What is wrong with an interface name, as the end of a sentence that starts with the name (e.g.
 * `starts with "-": …`); undefined when Linux, `ip` and wireguard-go all take it as a name.
 */
function interfaceProblem(name) {
    if (name.startsWith('-'))
        return 'starts with "-": wireguard-go and ip would read it as an option; choose a name that starts with a letter or digit';
    if (RESERVED_NAMES.has(name.toLowerCase()))
        return 'is a name Linux or ip reserves; choose another, e.g. wg0';
    if (!IFACE.test(name))
        return 'must be 1 to 15 characters of letters, digits and _=+.- (a Linux interface name)';
    return undefined;
}
/**
 * A WireGuard key as wg(8) reads one (wireguard-tools src/encoding.c, key_from_base64): base64 of
 * 32 bytes, i.e. 43 characters, the last of which leaves the padding bits zero, then "=".
 */
const KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const isKey = (text) => typeof text === 'string' && KEY.test(text);
/**
 * A key a peer can use as its public key: a key, and not all zero (no handshake completes with the
 * all-zero key; a client sending it has no key pair).
 */
const isPeerKey = (text) => isKey(text) && Buffer.from(text, 'base64').some((b) => b !== 0);
const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*\\.?$`);
/**
 * A host name getaddrinfo can be asked about: dot-separated labels of 1 to 63 letters, digits, `_`
 * and inner `-` (`_` as in service names, which resolvers accept), at most 253 characters, an
 * optional final dot; not all digits and dots (that is an address, or a malformed one).
 */
function isHostName(text) {
    return HOSTNAME.test(text) && !/^[0-9.]+$/.test(text);
}
/** A port of `HOST:PORT`: 1 to 5 decimal digits, 1 to 65535 (port 0 asks the kernel to choose one). */
function parsePort(text) {
    return /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : undefined;
}
/**
 * Strict `HOST:PORT`: a host name or an IPv4 address, or an IPv6 address in brackets (the one
 * unambiguous way to write one). Undefined when the text is not of that form at all (no colon, or
 * an unbracketed IPv6 address); a problem when it is but a part is wrong.
 */
function parseHostPort(text) {
    const m = /^\[([^\]]+)\]:([^:]*)$/.exec(text) ?? /^([^:[\]]+):([^:]*)$/.exec(text);
    if (!m)
        return undefined;
    const [, host = '', portText = ''] = m;
    const addr = parseAddress(host);
    if (text.startsWith('[') && addr?.family !== 6)
        return { problem: 'brackets', host };
    if (!addr && !isHostName(host))
        return { problem: 'host', host };
    const port = parsePort(portText);
    if (port === undefined)
        return { problem: 'port', host };
    return { host: ip_canonicalAddress(host) ?? host, port };
}
/**
 * An endpoint as wg(8) reads it (wireguard-tools src/config.c, parse_endpoint): after a "[" the
 * host runs to the first "]", which must be followed by ":" and a port; otherwise the host is
 * everything before the LAST colon, so `2001:db8::1:51820` is host 2001:db8::1, port 51820.
 * Accepts everything parseHostPort accepts, and more. Returns a reason (without the value) when wg
 * would refuse it or getaddrinfo could not take the host.
 */
function wgEndpoint(value) {
    let host;
    let portText;
    if (value.startsWith('[')) {
        const close = value.indexOf(']');
        if (close < 0)
            return 'has a "[" without its "]"';
        if (value[close + 1] !== ':' || close + 2 >= value.length)
            return 'has no port after the "]:"';
        host = value.slice(1, close);
        portText = value.slice(close + 2);
    }
    else {
        const colon = value.lastIndexOf(':');
        if (colon < 0 || colon + 1 >= value.length)
            return 'has no port (HOST:PORT)';
        host = value.slice(0, colon);
        portText = value.slice(colon + 1);
    }
    const port = parsePort(portText);
    if (port === undefined)
        return 'port must be a number from 1 to 65535';
    const ip = canonicalAddress(host);
    if (ip !== undefined)
        return { host: ip, port };
    if (host.includes(':'))
        return 'has a host that is not a valid IPv6 address';
    if (!isHostName(host))
        return 'has a host that is not a valid host name or IP address';
    return { host, port };
}
/**
 * A host that is this machine: `localhost`, 127.0.0.0/8, and ::1 in any spelling; brackets (as
 * URL.hostname gives an IPv6 host) are ignored. Where plain http:// is allowed (tests on one
 * machine): nothing leaves the host. Names under `.localhost` are not taken, though RFC 6761
 * reserves them: glibc's resolver (hosts: files dns) asks DNS for them, so they may leave the host.
 */
function isLoopback(host) {
    const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (h === 'localhost')
        return true;
    const a = parseAddress(h);
    if (!a)
        return false;
    return a.family === 4 ? a.bytes[0] === 127 : a.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}

;// CONCATENATED MODULE: ./src/gateway/limits/quota.ts
// Concurrent-lease quotas: how many live leases one repository, and one workflow run, may hold at
// once. A rate limit bounds requests a minute; it does not stop one job from asking again and again
// with fresh tokens and keys until the pool is empty. A quota does. Pure.

/** A run's default: a matrix of this many jobs, each with its own tunnel, gets through at once. */
const RUN_QUOTA = 32;
/** Addresses one lease family of the pool can hand out (network and last address excluded); the smallest family counts. */
function poolCapacity(pool) {
    const sizes = pool.map((p) => Math.min(2 ** Math.min(maxBits(p.family) - p.bits, 52), Number.MAX_SAFE_INTEGER) - 2);
    return sizes.length ? Math.max(1, Math.min(...sizes)) : 1;
}
/**
 * The quota of rules that set none: a repository may hold a quarter of the pool (so at least four
 * repositories are needed to exhaust it, and one runaway job never can), and a run 32 leases (a
 * matrix that large, each job with a tunnel), at most its repository's.
 */
function defaultQuota(pool) {
    const repository = Math.max(1, Math.floor(poolCapacity(pool) / 4));
    return { repository, run: Math.min(RUN_QUOTA, repository) };
}
/**
 * Why a new lease would go over `quota`, given the live leases the repository and the run hold now;
 * undefined when it fits. The answer names the limit and the key that sets it, never another
 * repository's leases.
 */
function quotaRefusal(quota, live) {
    if (live.run >= quota.run)
        return `this workflow run holds ${live.run} live leases, its quota (quota.run: ${quota.run}); release one, or retry when the run's other jobs end`;
    if (live.repository >= quota.repository)
        return `this repository holds ${live.repository} live leases, its quota (quota.repository: ${quota.repository}); retry when its other jobs end`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/gateway/leases/backend.ts
/** Ended leases whose peer is gone are kept this long (for the audit trail), then pruned. */
const KEEP_ENDED_MS = 7 * 86_400_000;
/**
 * Thrown when a write cannot be made now: the store's write lock is held elsewhere, its disk is full,
 * the database cannot be reached, … `code` is what a new lease is refused with (503).
 */
class StoreUnavailable extends Error {
    code;
    constructor(message, code = 'store_unavailable') {
        super(message);
        this.code = code;
        this.name = 'StoreUnavailable';
    }
}
/** Thrown at start: the store is another process's, or another gateway's. One line, for stderr. */
class StoreRefused extends Error {
    constructor(message) {
        super(message);
        this.name = 'StoreRefused';
    }
}
/** Thrown by insert: the lease would take its repository or run past its quota (counted across the fleet). */
class QuotaExceeded extends Error {
    constructor(message) {
        super(message);
        this.name = 'QuotaExceeded';
    }
}
/** Thrown by insert: the public key has a live lease already (at this gateway). */
class KeyLeased extends Error {
    constructor() {
        super('this public key already has a live lease');
        this.name = 'KeyLeased';
    }
}
/** The lease a row holds, whichever database it came from. */
const leaseFromRow = (r) => ({
    id: r.id,
    publicKey: r.public_key,
    addresses: JSON.parse(r.addresses),
    secretHash: r.secret_hash,
    repository: r.repository,
    repositoryId: r.repository_id,
    runId: r.run_id,
    workflowRef: r.workflow_ref,
    rule: r.rule,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    endedAt: r.ended_at === null ? undefined : Number(r.ended_at),
    endReason: r.end_reason ?? undefined,
    removed: r.removed === true || r.removed === 1
});

;// CONCATENATED MODULE: ./src/gateway/leases/postgres.ts
// The store on PostgreSQL (node-postgres), shared by a fleet of gateways. Each gateway is a row of
// `gateways`, identified by its interface's public key; its leases are the rows of `leases` with that
// key (it reads and writes only those, but for `endAnywhere`, an operator's revoke); used token ids
// and the quotas are the fleet's. Credentials as libpq reads them: the URL's user with PGPASSWORD,
// PGPASSFILE (~/.pgpass) or peer authentication on a Unix socket; never a password in the URL.
//
// Tables (schema version 1; created and migrated by the gateway, see MIGRATIONS):
//   schema_version (version)                          the migrations applied
//   gateways (public_key PK, name, interface, pool, endpoint, seen_at)
//   leases (id PK, gateway_key → gateways, public_key, addresses, secret_hash, repository,
//           repository_id, run_id, workflow_ref, rule, created_at, expires_at, ended_at, end_reason,
//           removed)                                  times in ms since the epoch (bigint)
//   used_tokens (jti PK, expires_at)
// Advisory locks: two-key form, class LOCK_CLASS ('WGTQ'): key 0 migrations, key 1 the gateways
// registry, hashtext(repository id) a repository's quota. (The one-key form is left to the standby.)




/** True for a `state` that names PostgreSQL rather than a SQLite file. */
function isPostgresUrl(state) {
    return /^postgres(ql)?:\/\//i.test(state);
}
/** The URL as it may be logged: without a password (in the user part or `password=`). */
function redactUrl(url) {
    const { scheme, userinfo, rest } = splitUserinfo(url);
    const shown = userinfo === undefined ? rest : `${userinfo.split(':')[0]}@${rest}`;
    return `${scheme}${shown}`.replace(/([?&]password=)[^&]*/gi, '$1***');
}
/**
 * The user part of a URL as libpq reads it: everything between `://` and the LAST `@` before the
 * query (a password may hold `/`, `@` or `#`, which a stricter parser would take as the path).
 */
function splitUserinfo(url) {
    const m = /^postgres(?:ql)?:\/\//i.exec(url);
    const scheme = m ? m[0] : '';
    const after = url.slice(scheme.length);
    const q = after.indexOf('?');
    const head = q < 0 ? after : after.slice(0, q);
    const at = head.lastIndexOf('@');
    return at < 0 ? { scheme, rest: after } : { scheme, userinfo: head.slice(0, at), rest: after.slice(at + 1) };
}
/**
 * Why a URL cannot be used, naming no part of it; undefined when it can. (Read as libpq reads it:
 * `postgres://USER@/DB?host=/SOCKET-DIR` has no host part, which WHATWG URL parsing refuses.)
 */
function postgresUrlProblem(url) {
    // The password first, read as libpq would: a URL the grammar below refuses may still hold one.
    const { userinfo = '' } = splitUserinfo(url);
    const q = url.indexOf('?');
    if (/:./.test(userinfo) || (q >= 0 && new URLSearchParams(url.slice(q + 1)).has('password')))
        return 'holds a password: put it in PGPASSWORD or PGPASSFILE (~/.pgpass) instead, or use peer authentication on a Unix socket';
    const m = /^postgres(?:ql)?:\/\/(?:([^@/?#\s]*)@)?([^@/?#\s]*)(\/[^?#\s]*)?(\?[^#\s]*)?$/i.exec(url);
    if (!m)
        return 'is not a postgres:// URL (postgres://USER@HOST/DATABASE, or postgres://USER@/DATABASE?host=/SOCKET-DIR)';
    return undefined;
}
/** How long after its expiry a used token id is kept: clocks of a fleet's gateways may differ by this much. */
const TOKEN_PRUNE_MARGIN_MS = 10 * 60_000;
/** Connect, statement and query timeouts: short, so that an outage is learnt in seconds, not minutes. */
const CONNECT_TIMEOUT_MS = 3000;
const STATEMENT_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1000;
/** 'WGTQ': the class of the gateway's two-key advisory locks. */
const LOCK_CLASS = 0x57475451;
const LOCK_MIGRATE = 0;
const LOCK_REGISTRY = 1;
/** Migrations, in order; version N is MIGRATIONS[N-1]. Never edit one that shipped: add another. */
const MIGRATIONS = [
    `CREATE TABLE gateways (
     public_key text PRIMARY KEY,
     name text NOT NULL,
     interface text NOT NULL,
     pool text NOT NULL,
     endpoint text NOT NULL,
     seen_at bigint NOT NULL
   );
   CREATE TABLE leases (
     id text PRIMARY KEY,
     gateway_key text NOT NULL REFERENCES gateways (public_key),
     public_key text NOT NULL,
     addresses text NOT NULL,
     secret_hash text NOT NULL,
     repository text NOT NULL,
     repository_id text NOT NULL,
     run_id text NOT NULL,
     workflow_ref text NOT NULL,
     rule integer NOT NULL,
     created_at bigint NOT NULL,
     expires_at bigint NOT NULL,
     ended_at bigint,
     end_reason text,
     removed boolean NOT NULL DEFAULT false
   );
   CREATE UNIQUE INDEX leases_live_key ON leases (gateway_key, public_key) WHERE ended_at IS NULL;
   CREATE INDEX leases_by_key ON leases (gateway_key, public_key, created_at);
   CREATE INDEX leases_live_repository ON leases (repository_id, run_id) WHERE ended_at IS NULL;
   CREATE INDEX leases_open ON leases (gateway_key) WHERE ended_at IS NULL OR NOT removed;
   CREATE TABLE used_tokens (jti text PRIMARY KEY, expires_at bigint NOT NULL);
   CREATE INDEX used_tokens_expiry ON used_tokens (expires_at);`
];
const SCHEMA_VERSION = MIGRATIONS.length;
/** Node's error codes that mean the server cannot be reached (socket missing, refused, reset, …). */
const NET_CODES = new Set([
    'ECONNREFUSED',
    'ENOENT',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EPIPE',
    'EAI_AGAIN'
]);
/** node-postgres's own messages for a connection that failed or timed out. */
const CLIENT_MESSAGES = [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Client was closed',
    'Client has encountered a connection error',
    'Connection terminated due to connection timeout'
];
/**
 * Why an error means the database cannot be used now (retried later): a connection that failed, a
 * timeout, the server shutting down or refusing (SQLSTATE classes 08, 53, 57, 58; 28 authentication;
 * 40 a transaction rolled back). Undefined for anything else (a bug).
 */
function pgUnavailableReason(err) {
    const e = err;
    const code = typeof e?.code === 'string' ? e.code : '';
    const message = typeof e?.message === 'string' ? e.message : '';
    if (NET_CODES.has(code))
        return `PostgreSQL cannot be reached (${code})`;
    if (/^(08|53|57|58|28|40)/.test(code) && code.length === 5)
        return `PostgreSQL: ${message} (SQLSTATE ${code})`;
    if (CLIENT_MESSAGES.some((m) => message.startsWith(m)))
        return `PostgreSQL cannot be reached (${message})`;
    return undefined;
}
/**
 * Two pools that share an address: each of `ours` and `theirs` against the other. Returns the first
 * pair that overlaps, or undefined.
 */
function poolOverlap(ours, theirs) {
    const parse = (t) => {
        const p = parsePrefix(t.trim());
        return typeof p === 'string' ? undefined : p;
    };
    for (const a of ours) {
        const pa = parse(a);
        if (!pa)
            continue;
        for (const b of theirs) {
            const pb = parse(b);
            if (pb?.family === pa.family && (contains(pa, pb) || contains(pb, pa)))
                return [a, b];
        }
    }
    return undefined;
}
/** Sessions the gateway keeps open to PostgreSQL at most (one per transaction or query in flight). */
const SESSIONS = 16;
/**
 * node-postgres's pool with its own turn-taking in front. pg-pool applies `connectionTimeoutMillis`
 * both to opening a connection and to waiting for a free one, and says "timeout exceeded when trying
 * to connect" for either: in a burst (a thousand grants at once, each a short transaction under its
 * repository's lock) a wait for a turn would read as an unreachable database and refuse everything
 * for a while. Here a query waits for a free session before it asks the pool, so the pool's timeout
 * only ever measures the server (a connection that cannot be opened), and a burst is served at the
 * database's pace, each query still bounded by its statement and query timeouts.
 */
class Sessions {
    pool;
    busy = 0;
    waiting = [];
    constructor(pool) {
        this.pool = pool;
    }
    async turn() {
        if (this.busy < SESSIONS) {
            this.busy++;
            return;
        }
        // The slot is handed over by `done`, which keeps `busy` as it is.
        await new Promise((resolve) => this.waiting.push(resolve));
    }
    done() {
        const next = this.waiting.shift();
        if (next)
            next();
        else
            this.busy--;
    }
    /** A client of its own (for a transaction); its `release` gives the turn to the next. */
    async connect() {
        await this.turn();
        let c;
        try {
            c = await this.pool.connect();
        }
        catch (err) {
            this.done();
            throw err;
        }
        const release = c.release.bind(c);
        let released = false;
        c.release = (err) => {
            if (!released) {
                released = true;
                this.done();
            }
            return release(err);
        };
        return c;
    }
    async query(text, values) {
        await this.turn();
        try {
            return await this.pool.query(text, values);
        }
        finally {
            this.done();
        }
    }
    on(event, f) {
        this.pool.on(event, f);
    }
    end() {
        return this.pool.end();
    }
}
class PostgresBackend {
    code = 'database_unreachable';
    readsWhenUnwritable = false;
    commitMayBeLost = true;
    label;
    /** What pg.Client/pg.Pool are given: for a dedicated session (the standby's lock, LISTEN). */
    connection;
    pool;
    key = '';
    constructor(url) {
        const problem = postgresUrlProblem(url);
        if (problem)
            throw new StoreRefused(`state ${problem}`);
        this.label = redactUrl(url);
        this.connection = {
            connectionString: url,
            connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
            statement_timeout: STATEMENT_TIMEOUT_MS,
            query_timeout: QUERY_TIMEOUT_MS,
            application_name: 'wireguard-gateway'
        };
        this.pool = new Sessions(new esm/* default.Pool */.Ay.Pool({ ...this.connection, max: SESSIONS, idleTimeoutMillis: 30_000 }));
        // An idle client whose server went away: the pool drops it; the next query learns the outage.
        this.pool.on('error', () => undefined);
    }
    initial() {
        return [];
    }
    /** Runs `f` in one transaction on one client (ROLLBACK on any error, which is rethrown). */
    async transaction(f) {
        const c = await this.pool.connect();
        let broken = false;
        // A client checked out emits its connection's failure as an event too (the query rejects as
        // well): without a listener, that event would end the process.
        const lost = () => void (broken = true);
        c.on('error', lost);
        try {
            await c.query('BEGIN');
            const out = await f(c);
            await c.query('COMMIT');
            return out;
        }
        catch (err) {
            await c.query('ROLLBACK').catch(() => (broken = true));
            throw err;
        }
        finally {
            c.off('error', lost);
            c.release(broken);
        }
    }
    /** Creates or migrates the schema: in one transaction under an advisory lock (gateways starting at once wait for each other). */
    async migrate() {
        await this.transaction(async (c) => {
            await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE]);
            await c.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
            const r = await c.query('SELECT max(version) AS v FROM schema_version');
            const at = r.rows[0]?.v ?? 0;
            if (at > MIGRATIONS.length)
                throw new StoreRefused(`the database ${this.label} has schema version ${at}, newer than this gateway's (${MIGRATIONS.length}): upgrade this gateway`);
            for (let v = at + 1; v <= MIGRATIONS.length; v++) {
                await c.query(MIGRATIONS[v - 1]);
                await c.query('INSERT INTO schema_version (version) VALUES ($1)', [v]);
            }
        });
    }
    /**
     * Migrates, registers this gateway (refusing a pool that overlaps another gateway's, naming both),
     * and reads its current leases. Throws StoreRefused when the database cannot be used: the gateway
     * does not start without knowing its leases.
     */
    async bind(iface, publicKey, info) {
        try {
            await this.migrate();
            await this.transaction(async (c) => {
                await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_REGISTRY]);
                const others = await c.query('SELECT public_key, name, interface, pool FROM gateways WHERE public_key <> $1 ORDER BY name', [publicKey]);
                for (const g of others.rows) {
                    const overlap = poolOverlap(info.pool, g.pool.split(','));
                    if (overlap)
                        throw new StoreRefused(`the pool ${overlap[0]} of this gateway "${info.name}" (interface ${iface}, key ${publicKey}) overlaps the pool ${overlap[1]} of gateway "${g.name}" (interface ${g.interface}, key ${g.public_key}) in ${this.label}: give each gateway of a fleet its own pool (a gateway gone for good: delete its row from "gateways" once it holds no live lease)`);
                }
                await c.query(`INSERT INTO gateways (public_key, name, interface, pool, endpoint, seen_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (public_key) DO UPDATE SET name = $2, interface = $3, pool = $4, endpoint = $5, seen_at = $6`, [publicKey, info.name, iface, info.pool.join(','), info.endpoint, Date.now()]);
            });
            this.key = publicKey;
            const r = await this.pool.query('SELECT * FROM leases WHERE gateway_key = $1 AND (ended_at IS NULL OR NOT removed) ORDER BY created_at', [publicKey]);
            return r.rows.map(leaseFromRow);
        }
        catch (err) {
            if (err instanceof StoreRefused)
                throw err;
            // A database that cannot be reached now (restarting, too many connections, a timeout) is
            // tried again; only what no retry changes (an overlapping pool, a newer schema, or an error
            // nobody expected) is a refusal.
            const reason = pgUnavailableReason(err);
            if (reason !== undefined)
                throw new StoreUnavailable(`cannot use the database ${this.label}: ${reason}`, 'database_unreachable');
            throw new StoreRefused(`cannot use the database ${this.label}: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    /**
     * Under the repository's advisory lock (so that two gateways cannot both take its last place):
     * uses the token up, counts the live leases of the repository and the run across the fleet, and
     * writes the lease. A used token or a full quota writes nothing.
     */
    async insert(l, token, quota) {
        try {
            return await this.transaction(async (c) => {
                if (quota)
                    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, l.repositoryId]);
                if (token) {
                    const used = await c.query('INSERT INTO used_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING', [token.jti, token.until]);
                    if (used.rowCount !== 1)
                        throw new Replayed();
                }
                if (quota) {
                    const r = await c.query(`SELECT count(*) AS repository, count(*) FILTER (WHERE run_id = $2 AND run_id <> '') AS run
             FROM leases WHERE repository_id = $1 AND ended_at IS NULL`, [l.repositoryId, l.runId]);
                    const live = { repository: Number(r.rows[0]?.repository ?? 0), run: Number(r.rows[0]?.run ?? 0) };
                    const refusal = quotaRefusal(quota, live);
                    if (refusal !== undefined)
                        throw new QuotaExceeded(refusal);
                }
                await c.query(`INSERT INTO leases (id, gateway_key, public_key, addresses, secret_hash, repository, repository_id, run_id,
             workflow_ref, rule, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
                    l.id,
                    this.key,
                    l.publicKey,
                    JSON.stringify(l.addresses),
                    l.secretHash,
                    l.repository,
                    l.repositoryId,
                    l.runId,
                    l.workflowRef,
                    l.rule,
                    l.createdAt,
                    l.expiresAt
                ]);
                return true;
            });
        }
        catch (err) {
            if (err instanceof Replayed)
                return false;
            if (err.code === '23505' &&
                err.constraint === 'leases_live_key')
                throw new KeyLeased();
            throw err;
        }
    }
    async write(w) {
        if (w.kind === 'end')
            await this.pool.query('UPDATE leases SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL', [
                w.at,
                w.reason,
                w.id
            ]);
        else if (w.kind === 'removed')
            await this.pool.query('UPDATE leases SET removed = true WHERE id = $1', [w.id]);
        else
            await this.pool.query('DELETE FROM leases WHERE id = $1 AND gateway_key = $2', [w.id, this.key]);
    }
    async get(id) {
        const r = await this.pool.query('SELECT * FROM leases WHERE id = $1 AND gateway_key = $2', [id, this.key]);
        return r.rows[0] && leaseFromRow(r.rows[0]);
    }
    async byKey(publicKey) {
        const r = await this.pool.query('SELECT * FROM leases WHERE gateway_key = $1 AND public_key = $2 ORDER BY created_at', [this.key, publicKey]);
        return r.rows.map(leaseFromRow);
    }
    async lastByKey(publicKey) {
        const r = await this.pool.query('SELECT * FROM leases WHERE gateway_key = $1 AND public_key = $2 ORDER BY created_at DESC LIMIT 1', [this.key, publicKey]);
        return r.rows[0] && leaseFromRow(r.rows[0]);
    }
    async tokenUsed(jti) {
        const r = await this.pool.query('SELECT 1 FROM used_tokens WHERE jti = $1', [jti]);
        return r.rowCount === 1;
    }
    async prune(now) {
        // With a margin: another gateway whose clock is behind this one's still accepts the token a
        // while after this one would prune its id.
        await this.pool.query('DELETE FROM used_tokens WHERE expires_at < $1', [now - TOKEN_PRUNE_MARGIN_MS]);
        await this.pool.query('DELETE FROM leases WHERE gateway_key = $1 AND removed AND ended_at < $2', [
            this.key,
            now - KEEP_ENDED_MS
        ]);
    }
    async ping() {
        await this.pool.query('SELECT 1');
    }
    unavailableReason(err) {
        return pgUnavailableReason(err);
    }
    async endedElsewhere(ids) {
        const r = await this.pool.query('SELECT id, ended_at, end_reason FROM leases WHERE gateway_key = $1 AND id = ANY($2) AND ended_at IS NOT NULL', [this.key, ids]);
        return r.rows.map((x) => ({ id: x.id, at: Number(x.ended_at), reason: x.end_reason ?? 'ended' }));
    }
    async fleet() {
        const r = await this.pool.query(`SELECT l.*, g.name AS gateway_name, g.interface AS gateway_interface
       FROM leases l JOIN gateways g ON g.public_key = l.gateway_key
       WHERE l.ended_at IS NULL ORDER BY l.created_at`);
        return r.rows.map((x) => ({
            ...leaseFromRow(x),
            gatewayKey: x.gateway_key,
            gatewayName: x.gateway_name,
            gatewayInterface: x.gateway_interface
        }));
    }
    async endAnywhere(id, reason, now) {
        const r = await this.pool.query('UPDATE leases SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL RETURNING gateway_key', [now, reason, id]);
        return r.rows[0]?.gateway_key;
    }
    async close() {
        await this.pool.end();
    }
}
/** A used token, inside insert's transaction: rolled back, then answered false. */
class Replayed extends Error {
}

;// CONCATENATED MODULE: ./src/gateway/settings.ts
// The gateway's configuration: YAML in, one typed and validated object out. Every error names the key
// (and its line), never more of a value than the user must see to fix it. Pure but for reading the file.







class ConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConfigError';
    }
}
const KEYS = [
    'listen',
    'tls',
    'insecure-http',
    'interface',
    'endpoint',
    'pool',
    'allowed-ips',
    'dns',
    'issuer',
    'audience',
    'lease-ttl',
    'silence',
    'sweep-interval',
    'persistent-keepalive',
    'state',
    'name',
    'rate-limit',
    'connections-per-address',
    'refusals-per-address',
    'quota',
    'firewall',
    'metrics',
    'control-socket',
    'rules'
];
/** Claims that name an owner or repository by id: every rule must pin one of them (names can change hands). */
const ID_CLAIMS = ['repository_owner_id', 'repository_id'];
/** Where the store is kept unless `state` says: one file per interface, so two gateways never share one. */
function defaultState(iface) {
    return `/var/lib/wireguard-gateway/${iface}.db`;
}
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `90s`, `5m`, `6h`, `1d`, `500ms` → milliseconds, or undefined. */
function parseDuration(text) {
    const m = /^([0-9]{1,9})(ms|s|m|h|d)$/.exec(text);
    return m ? Number(m[1]) * UNITS[m[2]] : undefined;
}
/** Reads and validates the file; throws a ConfigError naming the file, the key and the line. */
function loadConfig(path) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (err) {
        throw new ConfigError(`cannot read the configuration ${path}: ${err.code ?? String(err)}`);
    }
    return parseConfig(text, path);
}
function parseConfig(text, source = 'gateway.yml') {
    const lines = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const at = e?.linePos?.[0];
        throw new ConfigError(`${source}${at ? ` line ${at.line}` : ''}: not valid YAML (${e?.code ?? 'syntax'})`);
    }
    return new Reader(doc, lines, source).config();
}
const keyText = (path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
class Reader {
    doc;
    lines;
    source;
    constructor(doc, lines, source) {
        this.doc = doc;
        this.lines = lines;
        this.source = source;
    }
    fail(path, why) {
        const node = path.length ? this.doc.getIn(path, true) : undefined;
        const line = node?.range ? ` (line ${this.lines.linePos(node.range[0]).line})` : '';
        throw new ConfigError(`${this.source}: "${keyText(path)}"${line} ${why}`);
    }
    node(path) {
        return this.doc.getIn(path, true);
    }
    has(path) {
        const n = this.node(path);
        return n !== undefined && !((0,dist/* isScalar */.jn)(n) && n.value === null);
    }
    string(path, dflt) {
        if (!this.has(path)) {
            if (dflt !== undefined)
                return dflt;
            this.fail(path, 'is required');
        }
        const n = this.node(path);
        if (!(0,dist/* isScalar */.jn)(n) || (typeof n.value !== 'string' && typeof n.value !== 'number'))
            this.fail(path, 'must be a string');
        const v = String(n.value).trim();
        if (v === '')
            this.fail(path, 'must not be empty');
        return v;
    }
    list(path, dflt) {
        if (!this.has(path))
            return dflt;
        const n = this.node(path);
        if ((0,dist/* isScalar */.jn)(n) && typeof n.value === 'string')
            return [this.string(path)];
        if (!(0,dist/* isSeq */.oP)(n))
            this.fail(path, 'must be a list');
        return n.items.map((_, i) => this.string([...path, i]));
    }
    duration(path, dflt, minMs, maxMs) {
        const v = this.string(path, dflt);
        const ms = parseDuration(v);
        if (ms === undefined)
            this.fail(path, 'must be a duration such as 30s, 5m or 6h');
        if (ms < minMs || ms > maxMs)
            this.fail(path, `must be between ${minMs} ms and ${maxMs / 3_600_000} h`);
        return ms;
    }
    /** A whole number from `min` to `max`; `why` says why the range is what it is. */
    integer(path, dflt, min, max, why) {
        if (!this.has(path))
            return dflt;
        const n = this.node(path);
        if (!(0,dist/* isScalar */.jn)(n) || typeof n.value !== 'number' || !Number.isInteger(n.value))
            this.fail(path, 'must be a whole number');
        if (n.value < min || n.value > max)
            this.fail(path, `must be ${min} to ${max}${why ? `: ${why}` : ''}`);
        return n.value;
    }
    boolean(path, dflt) {
        if (!this.has(path))
            return dflt;
        const n = this.node(path);
        if (!(0,dist/* isScalar */.jn)(n) || typeof n.value !== 'boolean')
            this.fail(path, 'must be true or false');
        return n.value;
    }
    mapKeys(path, allowed) {
        const n = path.length ? this.node(path) : this.doc.contents;
        if (!(0,dist/* isMap */.jh)(n)) {
            if (path.length === 0)
                throw new ConfigError(`${this.source}: must be a mapping of keys (listen, interface, …)`);
            this.fail(path, 'must be a mapping');
        }
        const keys = n.items.map((p) => ((0,dist/* isScalar */.jn)(p.key) ? String(p.key.value) : ''));
        if (allowed) {
            const unknown = keys.find((k) => !allowed.includes(k));
            if (unknown !== undefined)
                this.fail([...path, unknown], `is not a known key (known: ${allowed.join(', ')})`);
        }
        return keys;
    }
    prefixes(path, dflt, aligned = false) {
        if (!this.has(path) && dflt)
            return dflt;
        const items = this.list(path, []);
        if (items.length === 0)
            this.fail(path, 'must list at least one prefix');
        return items.map((text, i) => {
            const p = parsePrefix(text);
            if (typeof p === 'string')
                this.fail([...path, i], `is not a prefix: ${p}`);
            if (aligned && network(p).address !== p.address)
                this.fail([...path, i], `has host bits set; the network is ${prefixText(network(p))}`);
            return network(p);
        });
    }
    config() {
        this.mapKeys([], KEYS);
        const listen = this.listen();
        const insecureHttp = this.boolean(['insecure-http'], false);
        let tls;
        if (this.has(['tls'])) {
            this.mapKeys(['tls'], ['cert', 'key']);
            tls = { cert: this.string(['tls', 'cert']), key: this.string(['tls', 'key']) };
        }
        else if (!insecureHttp && !isLoopback(listen.host)) {
            this.fail(['tls'], `is required when listening on ${listen.host}: tokens are bearer credentials. Give tls.cert and tls.key, listen on a loopback address behind a TLS proxy, or set insecure-http: true`);
        }
        const iface = this.string(['interface']);
        const ifaceProblem = interfaceProblem(iface);
        if (ifaceProblem !== undefined)
            this.fail(['interface'], ifaceProblem);
        const endpoint = this.endpoint();
        const pool = this.pool();
        const allowedIps = this.prefixes(['allowed-ips'], pool);
        const dns = this.list(['dns'], []).map((d, i) => {
            if (!parseAddress(d))
                this.fail(['dns', i], 'must be an IP address');
            return d;
        });
        const issuer = this.issuer();
        const audience = this.string(['audience']);
        const leaseTtlMs = this.duration(['lease-ttl'], '6h', 1000, 7 * 86_400_000);
        const silenceMs = this.duration(['silence'], '5m', 1000, 86_400_000);
        const sweepIntervalMs = this.duration(['sweep-interval'], '15s', 100, 60_000);
        // The gateway hears a live runner by its keepalives: they cannot be off, and silence must span
        // several of them (one lost UDP packet is not a dead runner).
        const persistentKeepalive = this.integer(['persistent-keepalive'], 25, 1, 65535, 'keepalives are how the gateway hears that a runner is alive (silence)');
        if (silenceMs < 3 * persistentKeepalive * 1000)
            this.fail(['silence'], `must be at least three keepalives (3 × persistent-keepalive = ${3 * persistentKeepalive}s): a live runner is heard only every persistent-keepalive seconds`);
        const quota = this.quota(['quota'], defaultQuota(pool), RUN_QUOTA);
        const firewall = this.string(['firewall'], 'nftables');
        if (firewall !== 'nftables' && firewall !== 'none')
            this.fail(['firewall'], "must be nftables (enforce each rule's allowed-ips) or none");
        const controlSocket = this.string(['control-socket'], `/run/wireguard-gateway/${iface}.sock`);
        if (!controlSocket.startsWith('/') || Buffer.byteLength(controlSocket) > 100)
            this.fail(['control-socket'], 'must be an absolute path of at most 100 bytes (a unix socket)');
        return {
            listen,
            tls,
            insecureHttp,
            interface: iface,
            endpoint,
            pool,
            allowedIps,
            dns,
            issuer,
            audience,
            leaseTtlMs,
            silenceMs,
            sweepIntervalMs,
            persistentKeepalive,
            state: this.state(iface),
            name: this.string(['name'], `${(0,external_node_os_.hostname)()}/${iface}`),
            rateLimit: this.integer(['rate-limit'], 300, 1, 1_000_000),
            connectionsPerAddress: this.integer(['connections-per-address'], 32, 1, 2048),
            refusalsPerAddress: this.integer(['refusals-per-address'], 60, 1, 1_000_000),
            quota,
            firewall,
            metrics: this.has(['metrics']) ? this.address(['metrics'], '127.0.0.1:9108') : undefined,
            controlSocket,
            rules: this.rules(allowedIps, quota)
        };
    }
    /** A SQLite path, or a PostgreSQL URL that holds no password (it belongs in PGPASSWORD or PGPASSFILE). */
    state(iface) {
        const state = this.string(['state'], defaultState(iface));
        if (isPostgresUrl(state)) {
            const problem = postgresUrlProblem(state);
            if (problem)
                this.fail(['state'], problem);
        }
        return state;
    }
    listen() {
        return this.address(['listen'], '0.0.0.0:8443');
    }
    /** An ADDRESS:PORT to listen on (an IPv6 address in brackets, port 1 to 65535), in the shared grammar. */
    address(path, dflt) {
        const hp = parseHostPort(this.string(path, dflt));
        if (!hp || 'problem' in hp || !parseAddress(hp.host))
            this.fail(path, `must be ADDRESS:PORT, e.g. ${dflt} or [::1]:${dflt.split(':').pop()} (port 1 to 65535)`);
        return hp;
    }
    /**
     * The endpoint runners are given, in the grammar the action reads a lease's endpoint with (its
     * strict form: an IPv6 address in brackets), so that no lease carries one the action refuses.
     */
    endpoint() {
        const text = this.string(['endpoint']);
        const hp = parseHostPort(text);
        if (!hp)
            this.fail(['endpoint'], 'must be HOST:PORT (a name or address that runners can reach, [IPv6]:PORT)');
        if ('problem' in hp)
            this.fail(['endpoint'], {
                brackets: 'must be HOST:PORT: only an IPv6 address goes in brackets',
                host: 'must be HOST:PORT: the host is not a valid host name or IP address',
                port: 'must be HOST:PORT with a port from 1 to 65535'
            }[hp.problem]);
        return text;
    }
    /**
     * `{ repository: N, run: N }`, a missing part from `dflt`; a run's quota is at most its repository's
     * (a run's default is `dflt.run` or, at the top level, RUN_QUOTA, cut to the repository's).
     */
    quota(path, dflt, runDefault = dflt.run) {
        if (!this.has(path))
            return dflt;
        this.mapKeys(path, ['repository', 'run']);
        const repository = this.integer([...path, 'repository'], dflt.repository, 1, 1_000_000);
        const run = this.integer([...path, 'run'], Math.min(runDefault, repository), 1, 1_000_000);
        if (run > repository)
            this.fail([...path, 'run'], `must be at most the repository's quota (${repository})`);
        return { repository, run };
    }
    pool() {
        const pool = this.prefixes(['pool'], undefined, true);
        const seen = new Set();
        pool.forEach((p, i) => {
            if (seen.has(p.family))
                this.fail(['pool', i], `is a second IPv${p.family} prefix; give one IPv4 and one IPv6 prefix at most`);
            seen.add(p.family);
            if (p.bits > (p.family === 4 ? 30 : 126))
                this.fail(['pool', i], 'is too small to lease from (at most /30 or /126)');
        });
        return pool;
    }
    issuer() {
        const text = this.string(['issuer'], 'https://token.actions.githubusercontent.com');
        let url;
        try {
            url = new URL(text);
        }
        catch {
            this.fail(['issuer'], 'must be a URL such as https://token.actions.githubusercontent.com');
        }
        if (url.protocol === 'http:' && !isLoopback(url.hostname))
            this.fail(['issuer'], 'must be https:// (http:// only on a loopback address, for tests)');
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
            this.fail(['issuer'], 'must be an https:// URL');
        if (url.search || url.hash || url.username || url.password)
            this.fail(['issuer'], 'must be a plain URL (no query, fragment or credentials)');
        // jose compares a token's `iss` with this exactly, and GitHub's has no trailing slash.
        if (text.endsWith('/'))
            this.fail(['issuer'], `must not end with "/": a token's iss is compared exactly, and GitHub's is https://token.actions.githubusercontent.com (GHES: https://HOST/_services/token); give ${text.replace(/\/+$/, '')}`);
        return text;
    }
    rules(allowedIps, quota) {
        if (!this.has(['rules']))
            return [];
        const n = this.node(['rules']);
        if (!(0,dist/* isSeq */.oP)(n))
            this.fail(['rules'], 'must be a list of rules');
        return n.items.map((_, i) => {
            const path = ['rules', i];
            this.mapKeys(path, ['claims', 'allowed-ips', 'reach-leases', 'quota']);
            const claimKeys = this.mapKeys([...path, 'claims']);
            if (claimKeys.length === 0)
                this.fail([...path, 'claims'], 'must name at least one claim');
            const claims = {};
            for (const k of claimKeys) {
                if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
                    this.fail([...path, 'claims', k], 'is not a claim name');
                const v = this.string([...path, 'claims', k]);
                if (v.indexOf('*') >= 0 && v.indexOf('*') !== v.length - 1)
                    this.fail([...path, 'claims', k], 'may hold `*` only at the end (a prefix)');
                claims[k] = v;
            }
            if (!ID_CLAIMS.some((k) => claims[k] !== undefined && !claims[k].endsWith('*')))
                this.fail([...path, 'claims'], 'must pin repository_owner_id or repository_id exactly: names can be renamed and registered again by someone else');
            const rule = {
                claims,
                reachLeases: this.boolean([...path, 'reach-leases'], false),
                quota: this.quota([...path, 'quota'], quota)
            };
            if (this.has([...path, 'allowed-ips'])) {
                rule.allowedIps = this.prefixes([...path, 'allowed-ips']);
                rule.allowedIps.forEach((p, j) => {
                    if (!allowedIps.some((outer) => contains(outer, p)))
                        this.fail([...path, 'allowed-ips', j], 'must lie within the top-level allowed-ips (a rule can only narrow them)');
                });
            }
            return rule;
        });
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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

;// CONCATENATED MODULE: ./src/gateway/http/error.ts
// A refusal with the code of the API it is answered with: thrown by the request handling and by the
// leases it calls (a refused grant or release), answered by the server as
// `{"error": message, "code": code}` with the code's status (src/common/codes.ts).

class HttpError extends Error {
    code;
    /** The HTTP status the code is sent with. */
    status;
    constructor(
    /** The API's code for the refusal, which the action chooses its advice by. */
    code, 
    /** The reason people read: never a token, a secret or a claim's secret value. */
    message) {
        super(message);
        this.code = code;
        this.name = 'HttpError';
        this.status = GATEWAY_CODES[code];
    }
}

;// CONCATENATED MODULE: ./src/gateway/auth/policy.ts
/** A claim as a string: strings as they are, whole numbers in decimal; anything else matches nothing. */
function claimText(value) {
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' && Number.isSafeInteger(value))
        return String(value);
    return undefined;
}
function valueMatches(pattern, value) {
    const text = claimText(value);
    if (text === undefined)
        return false;
    return pattern.endsWith('*') ? text.startsWith(pattern.slice(0, -1)) : text === pattern;
}
function ruleMatches(rule, claims) {
    return Object.entries(rule.claims).every(([name, pattern]) => valueMatches(pattern, claims[name]));
}
/** The index of the first rule the claims satisfy, or -1. */
function matchRule(rules, claims) {
    return rules.findIndex((r) => ruleMatches(r, claims));
}
/** The claim names the rules look at, for a refusal that says what was checked (never the values). */
function checkedClaims(rules) {
    return [...new Set(rules.flatMap((r) => Object.keys(r.claims)))].sort();
}

;// CONCATENATED MODULE: ./src/gateway/leases/pool.ts
// Runner addresses: one host address per family of the pool for each lease. Never the network or the
// last address (broadcast in IPv4), never an address held by a lease, by the interface itself or by a
// peer the gateway does not own. Next-fit, so a freed address is not handed out again at once. Pure.

function toBig(address) {
    const a = parseAddress(address);
    if (!a)
        throw new Error(`invalid address ${address}`);
    return a.bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}
function fromBig(family, n) {
    const bytes = [];
    for (let i = family === 4 ? 3 : 15; i >= 0; i--)
        bytes.push(Number((n >> BigInt(i * 8)) & 0xffn));
    return formatBytes(family, bytes);
}
class Pool {
    ranges;
    constructor(prefixes) {
        this.ranges = prefixes.map((p) => {
            const base = toBig(network(p).address);
            const size = 1n << BigInt(maxBits(p.family) - p.bits);
            return { family: p.family, first: base + 1n, last: base + size - 2n, cursor: base + 1n, prefix: network(p) };
        });
    }
    /**
     * One free host address per family (`10.99.0.7/32`, `fd99::7/128`), or undefined when any family
     * is exhausted. Prefixes in `taken` that contain the whole pool are ignored: a peer routing a
     * wider network (say 0.0.0.0/0) is carved around by the more specific host routes of leases.
     */
    allocate(taken) {
        const out = [];
        for (const r of this.ranges) {
            const n = this.search(r, taken);
            if (n === undefined)
                return undefined;
            out.push({ range: r, n });
        }
        for (const { range, n } of out)
            range.cursor = n + 1n > range.last ? range.first : n + 1n;
        return out.map(({ range, n }) => `${fromBig(range.family, n)}/${maxBits(range.family)}`);
    }
    /**
     * How many addresses could still be leased: of each family, the range less what `taken` holds in
     * it (addresses, and the parts of prefixes within it; a prefix containing the whole pool is ignored,
     * as allocate does); the smallest family counts. A Number (IPv6 ranges are counted approximately).
     */
    free(taken) {
        let least;
        for (const r of this.ranges) {
            const blocked = this.blocked(r, taken);
            let used = 0n;
            for (const b of blocked) {
                const lo = b.lo > r.first ? b.lo : r.first;
                const hi = b.hi < r.last ? b.hi : r.last;
                if (hi >= lo)
                    used += hi - lo + 1n;
            }
            for (const a of taken.addresses) {
                const p = parseAddress(a);
                if (p?.family !== r.family)
                    continue;
                const n = toBig(a);
                if (n >= r.first && n <= r.last && !blocked.some((b) => n >= b.lo && n <= b.hi))
                    used++;
            }
            const left = r.last - r.first + 1n - used;
            if (least === undefined || left < least)
                least = left;
        }
        return Number(least ?? 0n);
    }
    /** The prefixes of `taken` within the range (not those containing the whole pool), as number intervals. */
    blocked(r, taken) {
        return taken.prefixes
            .filter((p) => p.family === r.family && contains(r.prefix, p))
            .map((p) => {
            const lo = toBig(network(p).address);
            return { lo, hi: lo + (1n << BigInt(maxBits(p.family) - p.bits)) - 1n };
        });
    }
    search(r, taken) {
        const blocked = this.blocked(r, taken);
        const size = r.last - r.first + 1n;
        let n = r.cursor;
        // Every step either tries one address or skips a blocked prefix: bounded by the range's size.
        for (let seen = 0n; seen < size;) {
            const block = blocked.find((b) => n >= b.lo && n <= b.hi);
            if (block) {
                const hi = block.hi < r.last ? block.hi : r.last;
                seen += hi - n + 1n;
                n = hi + 1n;
            }
            else if (taken.addresses.has(fromBig(r.family, n))) {
                seen += 1n;
                n += 1n;
            }
            else {
                return n;
            }
            if (n > r.last)
                n = r.first;
        }
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(99);
;// CONCATENATED MODULE: ./src/gateway/leases/sqlite.ts
// The store on SQLite (node:sqlite, synchronous): the default, one process per file. Its queries, a
// lock that makes one process the store's only writer, and which failures mean "the store cannot be
// written now" (retry later) rather than a bug. The layer in memory over it is store.ts.





/**
 * SQLite's primary result codes (https://www.sqlite.org/rescode.html) that say the store cannot be
 * written now, and what each means for the operator. Any other code is a bug and is thrown as is.
 */
const UNAVAILABLE = {
    5: 'another process holds the store’s write lock (SQLITE_BUSY)',
    6: 'the store is locked (SQLITE_LOCKED)',
    7: 'SQLite ran out of memory (SQLITE_NOMEM)',
    8: 'the store is read-only (SQLITE_READONLY)',
    10: 'the store’s disk failed to read or write (SQLITE_IOERR)',
    11: 'the store is corrupt (SQLITE_CORRUPT)',
    13: 'the store’s disk is full (SQLITE_FULL)',
    14: 'the store cannot be opened (SQLITE_CANTOPEN)',
    15: 'the store’s lock protocol failed (SQLITE_PROTOCOL)'
};
/** Why a node:sqlite error means the store cannot be written now; undefined for any other error. */
function unavailableReason(err) {
    const code = err?.errcode;
    if (typeof code !== 'number')
        return undefined;
    return UNAVAILABLE[code & 0xff];
}
/**
 * Makes this process the one writer of the store at `path`: an exclusive SQLite lock on a small
 * database beside it (`PATH.lock`), taken without waiting and held by an open transaction for as
 * long as the returned connection lives. The lock is an fcntl lock, so the kernel releases it when
 * the process ends in any way (SIGKILL included): no stale lock file to clean up after a crash, and
 * it works across network and mount namespaces on one filesystem. (The store's own file cannot
 * carry it: a lock held on it would block the gateway's own writes.) `holder` names the process
 * that holds it, for the refusal. Throws StoreRefused when another process holds it.
 */
function lockStore(path, holder) {
    const lockPath = `${path}.lock`;
    const db = new external_node_sqlite_.DatabaseSync(lockPath, { timeout: 0 });
    try {
        // No journal file beside the lock; nothing is ever written to it.
        db.exec('PRAGMA journal_mode = MEMORY');
        db.exec('BEGIN EXCLUSIVE');
    }
    catch (err) {
        db.close();
        if ((unavailableReason(err) ?? '').includes('SQLITE_BUSY')) {
            const who = holder();
            throw new StoreRefused(`the store ${path} is in use by another gateway process${who ? ` (${who})` : ''}: one process per store. Stop the other one, or give this gateway its own "state"`);
        }
        throw new StoreRefused(`cannot lock the store ${path} (${lockPath}): ${err instanceof Error ? err.message : String(err)}`);
    }
    return db;
}
/**
 * How long a write waits for SQLite's write lock. node:sqlite is synchronous: while it waits, nothing
 * else runs, so this is short; a write that cannot be made is retried later, not waited for.
 */
const BUSY_TIMEOUT_MS = 50;
/** The SQLite backend: every method is synchronous inside (an insert is atomic in this process). */
class SqliteBackend {
    label;
    now;
    code = 'store_unavailable';
    readsWhenUnwritable = true;
    commitMayBeLost = false;
    db;
    lock;
    q;
    loaded;
    /** Leases endAnywhere ended, until endedElsewhere reports them. */
    endedHere = new Map();
    /**
     * Opens (or creates) the store at `path` (`:memory:` for tests): takes its lock first (throws
     * StoreRefused when another process holds it), then reads the current leases.
     */
    constructor(label, now) {
        this.label = label;
        this.now = now;
        const path = label;
        if (path !== ':memory:') {
            (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true, mode: 0o700 });
            this.lock = lockStore(path, () => this.holderOf(path));
        }
        try {
            this.db = new external_node_sqlite_.DatabaseSync(path);
            this.q = this.setUp();
            this.loaded = this.q.open.all().map(leaseFromRow);
            if (this.lock)
                this.q.setMeta.run('holder', `pid ${process.pid}, since ${new Date(this.now()).toISOString()}`);
        }
        catch (err) {
            this.lock?.close();
            throw new StoreRefused(`cannot open the store ${path}: ${unavailableReason(err) ?? (err instanceof Error ? err.message : String(err))}`);
        }
    }
    initial() {
        return this.loaded.splice(0);
    }
    /** Creates the tables (when new) and prepares the queries. */
    setUp() {
        // WAL: a crash of this process loses no committed lease, and readers never wait for a writer;
        // NORMAL: no fsync per lease.
        this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};
      CREATE TABLE IF NOT EXISTS leases (
        id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        addresses TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        repository TEXT NOT NULL,
        repository_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        workflow_ref TEXT NOT NULL,
        rule INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT,
        removed INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX IF NOT EXISTS live_key ON leases (public_key) WHERE ended_at IS NULL;
      CREATE INDEX IF NOT EXISTS by_key ON leases (public_key);
      CREATE TABLE IF NOT EXISTS used_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
        const p = (sql) => this.db.prepare(sql);
        return {
            insert: p(`INSERT INTO leases (id, public_key, addresses, secret_hash, repository, repository_id, run_id,
        workflow_ref, rule, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
            get: p('SELECT * FROM leases WHERE id = ?'),
            byKey: p('SELECT * FROM leases WHERE public_key = ? ORDER BY created_at'),
            delete: p('DELETE FROM leases WHERE id = ?'),
            lastByKey: p('SELECT * FROM leases WHERE public_key = ? ORDER BY created_at DESC LIMIT 1'),
            open: p('SELECT * FROM leases WHERE ended_at IS NULL OR removed = 0 ORDER BY created_at'),
            end: p('UPDATE leases SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
            removed: p('UPDATE leases SET removed = 1 WHERE id = ?'),
            useToken: p('INSERT OR IGNORE INTO used_tokens (jti, expires_at) VALUES (?, ?)'),
            tokenUsed: p('SELECT 1 FROM used_tokens WHERE jti = ?'),
            pruneTokens: p('DELETE FROM used_tokens WHERE expires_at < ?'),
            pruneLeases: p('DELETE FROM leases WHERE removed = 1 AND ended_at < ?'),
            meta: p('SELECT value FROM meta WHERE key = ?'),
            setMeta: p('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
        };
    }
    /** Who holds the store at `path`, as its holder wrote it (best effort: undefined when unreadable). */
    holderOf(path) {
        try {
            const db = new external_node_sqlite_.DatabaseSync(path, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
            try {
                const r = db.prepare("SELECT value FROM meta WHERE key = 'holder'").get();
                return r?.value;
            }
            finally {
                db.close();
            }
        }
        catch {
            return undefined;
        }
    }
    /** Binds the file to the interface and its key at first use; later refuses (StoreRefused) any other. */
    bind(iface, publicKey, _info) {
        const meta = (k) => this.q.meta.get(k)?.value;
        const boundIface = meta('interface');
        const boundKey = meta('public_key');
        if (boundIface === undefined || boundKey === undefined) {
            this.q.setMeta.run('interface', iface);
            this.q.setMeta.run('public_key', publicKey);
            return Promise.resolve(undefined);
        }
        if (boundIface === iface && boundKey === publicKey)
            return Promise.resolve(undefined);
        const hint = boundIface === iface
            ? `: the interface's key changed, and the leases in this store are for its old key. Move the store aside to start afresh`
            : `. Give each gateway its own "state" (by default /var/lib/wireguard-gateway/INTERFACE.db)`;
        return Promise.reject(new StoreRefused(`the store ${this.label} belongs to the gateway of interface "${boundIface}" (public key ${boundKey}); this gateway serves "${iface}" (public key ${publicKey})${hint}`));
    }
    /** One process writes the file: the layer above counted quotas in memory already. */
    insert(l, token) {
        return this.sync(() => {
            this.db.exec('BEGIN IMMEDIATE');
            try {
                if (token && this.q.useToken.run(token.jti, token.until).changes !== 1) {
                    this.db.exec('ROLLBACK');
                    return false;
                }
                this.q.insert.run(l.id, l.publicKey, JSON.stringify(l.addresses), l.secretHash, l.repository, l.repositoryId, l.runId, l.workflowRef, l.rule, l.createdAt, l.expiresAt);
                this.db.exec('COMMIT');
                return true;
            }
            catch (err) {
                if (this.db.isTransaction)
                    this.db.exec('ROLLBACK');
                throw err;
            }
        });
    }
    write(w) {
        return this.sync(() => {
            const args = w.kind === 'end' ? [w.at, w.reason, w.id] : [w.id];
            this.q[w.kind === 'end' ? 'end' : w.kind === 'removed' ? 'removed' : 'delete'].run(...args);
        });
    }
    get(id) {
        return this.sync(() => {
            const r = this.q.get.get(id);
            return r && leaseFromRow(r);
        });
    }
    byKey(publicKey) {
        return this.sync(() => this.q.byKey.all(publicKey).map(leaseFromRow));
    }
    lastByKey(publicKey) {
        return this.sync(() => {
            const r = this.q.lastByKey.get(publicKey);
            return r && leaseFromRow(r);
        });
    }
    tokenUsed(jti) {
        return this.sync(() => this.q.tokenUsed.get(jti) !== undefined);
    }
    prune(now) {
        return this.sync(() => {
            this.q.pruneTokens.run(now);
            this.q.pruneLeases.run(now - KEEP_ENDED_MS);
        });
    }
    ping(now) {
        return this.sync(() => void this.q.setMeta.run('checked', String(now)));
    }
    unavailableReason(err) {
        return unavailableReason(err);
    }
    /**
     * Of `ids`, those endAnywhere ended in the file. One process writes the file, so nothing else ends
     * a lease: those it ended are remembered, and no sweep reads the file for this.
     */
    endedElsewhere(ids) {
        const out = ids.flatMap((id) => this.endedHere.get(id) ?? []);
        for (const e of out)
            this.endedHere.delete(e.id);
        return Promise.resolve(out);
    }
    /** The file is one gateway's: its leases, named by the interface it is bound to. */
    fleet() {
        return this.sync(() => {
            const meta = (k) => this.q.meta.get(k)?.value ?? '';
            const gateway = {
                gatewayKey: meta('public_key'),
                gatewayName: meta('interface'),
                gatewayInterface: meta('interface')
            };
            return this.db
                .prepare('SELECT * FROM leases WHERE ended_at IS NULL ORDER BY created_at')
                .all().map((r) => ({
                ...leaseFromRow(r),
                ...gateway
            }));
        });
    }
    /** Ends a live lease in the file; every lease in it is this gateway's, so the answer is its key. */
    endAnywhere(id, reason, now) {
        return this.sync(() => {
            if (this.q.end.run(now, reason, id).changes !== 1)
                return undefined;
            this.endedHere.set(id, { id, at: now, reason });
            return this.q.meta.get('public_key')?.value;
        });
    }
    close() {
        this.db.close();
        this.lock?.close();
        return Promise.resolve();
    }
    /** A synchronous query as a promise (its error a rejection). */
    sync(f) {
        // An executor that throws rejects the promise with what it threw (node:sqlite's error, as is).
        return new Promise((resolve) => resolve(f()));
    }
}

;// CONCATENATED MODULE: ./src/gateway/leases/store.ts





/** After a failed write, writes are not tried again (nor block anything) for this long. */
const RETRY_MS = 1000;
/** The backend for `state`: a postgres:// or postgresql:// URL, else a SQLite path (`:memory:` for tests). */
function backendFor(state, now) {
    return isPostgresUrl(state) ? new PostgresBackend(state) : new SqliteBackend(state, now);
}
class Store {
    now;
    db;
    /** Live leases, and ended ones whose peer may still be on the interface, by id (oldest first). */
    current = new Map();
    /** Live lease id by public key. */
    liveKeys = new Map();
    /** Live leases by repository id, and by repository id and run id (`ID\nRUN`): for quotas. */
    liveOfRepository = new Map();
    liveOfRun = new Map();
    /** Leases being inserted (awaiting the store): they count for quotas and hold their key. */
    inserting = new Map();
    /**
     * Leases no longer current whose writes still wait (null: deleted): the store is behind them until
     * those are made, and reads of them come from here.
     */
    settling = new Map();
    pending = [];
    failure;
    retry;
    flushing;
    closed = false;
    /**
     * Opens (or creates) the store for `state`: a SQLite path (takes its lock first: StoreRefused when
     * another process holds it; then loads the current leases) or a PostgreSQL URL (connects lazily;
     * `bind` creates or migrates the schema and loads this gateway's leases). Or a Backend (tests).
     */
    constructor(state, now = Date.now) {
        this.now = now;
        this.db = typeof state === 'string' ? backendFor(state, now) : state;
        for (const l of this.db.initial())
            this.remember(l);
    }
    /** The store's name for messages (a path, or a URL without any password). */
    get label() {
        return this.db.label;
    }
    /** The backend, for what only one has (PostgresBackend's connection settings). */
    get backend() {
        return this.db;
    }
    /**
     * Binds the store to the interface and its public key; SQLite: at first use, later refusing
     * (StoreRefused) any other; PostgreSQL: registers the gateway in the fleet (refusing a pool that
     * overlaps another gateway's) and loads its current leases.
     */
    async bind(iface, publicKey, info = { name: iface, pool: [], endpoint: '' }) {
        const loaded = await this.db.bind(iface, publicKey, info);
        if (loaded) {
            this.current.clear();
            this.liveKeys.clear();
            this.liveOfRepository.clear();
            this.liveOfRun.clear();
            for (const l of loaded)
                this.remember(l);
        }
    }
    remember(l) {
        this.current.set(l.id, l);
        if (l.endedAt === undefined) {
            this.liveKeys.set(l.publicKey, l.id);
            this.countLive(l, 1);
        }
    }
    countLive(l, by) {
        const add = (m, k) => {
            const n = (m.get(k) ?? 0) + by;
            if (n > 0)
                m.set(k, n);
            else
                m.delete(k);
        };
        add(this.liveOfRepository, l.repositoryId);
        if (l.runId !== '')
            add(this.liveOfRun, `${l.repositoryId}\n${l.runId}`);
    }
    forget(id, deleted = false) {
        const l = this.current.get(id);
        if (!l)
            return;
        this.current.delete(id);
        this.settling.set(id, deleted ? null : l);
        if (l.endedAt === undefined)
            this.countLive(l, -1);
        if (this.liveKeys.get(l.publicKey) === id)
            this.liveKeys.delete(l.publicKey);
    }
    /** A copy: callers keep what they read, while the store's own record moves on. */
    static copy(l) {
        return { ...l };
    }
    /** A lease read from the store, or the newer state in memory when the lease is current. */
    merged(r) {
        if (!r)
            return undefined;
        const m = this.current.get(r.id) ?? this.settling.get(r.id);
        if (m === null)
            return undefined;
        return m ? Store.copy(m) : r;
    }
    unavailable() {
        return new StoreUnavailable(this.failure?.reason ?? 'writes to the store are waiting', this.db.code);
    }
    /**
     * Writes a new lease (and, with `token`, uses its id up) in one transaction, before its peer is
     * added. With `quota`, the lease must fit it: counted in memory first (this gateway's live leases
     * and those being inserted), then, on PostgreSQL, across the fleet inside the transaction. Resolves
     * false when the token was used already (nothing written). Throws QuotaExceeded, KeyLeased (the key
     * has a live lease), or StoreUnavailable when the store cannot be written now (at once while it is
     * known to be down; nothing written: the token is not used up).
     */
    async insert(l, token, quota) {
        if (!(await this.flush()))
            throw this.unavailable();
        // From here to the backend's insert nothing awaits: the checks and the reservation are one step.
        if (this.liveKeys.has(l.publicKey) || [...this.inserting.values()].some((o) => o.publicKey === l.publicKey))
            throw new KeyLeased();
        if (quota) {
            const refusal = quotaRefusal(quota, this.liveCounts(l.repositoryId, l.runId));
            if (refusal !== undefined)
                throw new QuotaExceeded(refusal);
        }
        this.inserting.set(l.id, l);
        let fresh;
        try {
            fresh = await this.db.insert(l, token, quota);
        }
        catch (err) {
            const failure = this.failed(err);
            // The database may have committed what the client never heard back about (a timeout or a
            // connection lost after COMMIT): that row would stay live, counted in quotas and restored at
            // the next start. Its deletion waits with the other writes (made before any new lease).
            if (this.db.commitMayBeLost)
                this.pending.push({ kind: 'delete', id: l.id });
            throw failure;
        }
        finally {
            this.inserting.delete(l.id);
        }
        if (fresh)
            this.remember(Store.copy(l));
        return fresh;
    }
    /** A lease by id: from memory when current, else from the store (undefined when it cannot be read now). */
    async get(id) {
        const m = this.current.get(id) ?? this.settling.get(id);
        if (m !== undefined)
            return m === null ? undefined : Store.copy(m);
        return this.merged(await this.read(() => this.db.get(id), undefined));
    }
    liveByKey(publicKey) {
        const id = this.liveKeys.get(publicKey);
        const l = id === undefined ? undefined : this.current.get(id);
        return l && Store.copy(l);
    }
    /** The addresses of the live lease of a key, if any (no copy: for scans over every peer). */
    liveAddresses(publicKey) {
        const id = this.liveKeys.get(publicKey);
        return id === undefined ? undefined : this.current.get(id)?.addresses;
    }
    /**
     * Every lease of a key still kept (live, ended, not yet pruned), oldest first. While the store
     * cannot be read: those in memory.
     */
    async byKey(publicKey) {
        const rows = await this.read(() => this.db.byKey(publicKey), [...this.current.values()].filter((l) => l.publicKey === publicKey));
        return rows.flatMap((r) => this.merged(r) ?? []);
    }
    /** The newest lease of a key, live or ended (undefined while the store cannot be read). */
    async lastByKey(publicKey) {
        return this.merged(await this.read(() => this.db.lastByKey(publicKey), undefined));
    }
    /** A read that falls back to `otherwise` while the store is unavailable (and records that it is). */
    async read(query, otherwise) {
        // Known down: answer at once (a sweep reads once per unleased peer; each would wait a timeout).
        if (this.down() && !this.db.readsWhenUnwritable)
            return otherwise;
        try {
            return await query();
        }
        catch (err) {
            this.failed(err);
            this.scheduleRetry();
            return otherwise;
        }
    }
    /** Forgets a lease whose peer was never added. */
    delete(id) {
        this.forget(id, true);
        this.later({ kind: 'delete', id });
    }
    /** Live leases and ended ones whose peer may still be on the interface, oldest first. */
    open() {
        return [...this.current.values()].map((l) => Store.copy(l));
    }
    liveCount() {
        return this.liveKeys.size;
    }
    /** Live leases of a repository (by id) and of one of its runs, with those being inserted: what quotas count here. */
    liveCounts(repositoryId, runId) {
        let repository = this.liveOfRepository.get(repositoryId) ?? 0;
        let run = runId === '' ? 0 : (this.liveOfRun.get(`${repositoryId}\n${runId}`) ?? 0);
        for (const l of this.inserting.values()) {
            if (l.repositoryId !== repositoryId)
                continue;
            repository++;
            if (runId !== '' && l.runId === runId)
                run++;
        }
        return { repository, run };
    }
    /**
     * Ends a live lease, at once in memory (it is no longer live for anyone asking); the write is
     * queued: `flush()` makes it. False when the lease was not live.
     */
    end(id, reason, now) {
        const l = this.current.get(id);
        if (!l || l.endedAt !== undefined)
            return false;
        l.endedAt = now;
        l.endReason = reason;
        this.countLive(l, -1);
        if (this.liveKeys.get(l.publicKey) === id)
            this.liveKeys.delete(l.publicKey);
        this.pending.push({ kind: 'end', id, at: now, reason });
        return true;
    }
    /** An ended lease's peer is gone: the lease is no longer current (written at the next flush). */
    markRemoved(id) {
        const l = this.current.get(id);
        if (l && l.endedAt === undefined)
            return;
        this.forget(id);
        this.pending.push({ kind: 'removed', id });
    }
    /**
     * True when a token id was used (and is kept: until the token could no longer verify); across the
     * fleet on PostgreSQL. Throws StoreUnavailable at once while the store is known to be down.
     */
    async tokenUsed(jti) {
        if (this.down() && !this.db.readsWhenUnwritable)
            throw this.unavailable();
        try {
            return await this.db.tokenUsed(jti);
        }
        catch (err) {
            throw this.failed(err);
        }
    }
    /**
     * Of this gateway's live leases, those the store says ended (revoked at another gateway, a
     * notification missed, or while the database was unreachable), with when and why. Empty while the
     * store cannot be read. `only`: of these ids alone (a revoke notice, checked before it is obeyed).
     * The caller ends them here (`end`) and takes their peers off.
     */
    async endedElsewhere(only) {
        const all = [...this.liveKeys.values()];
        const live = only === undefined ? all : all.filter((id) => only.includes(id));
        if (live.length === 0 || this.down())
            return [];
        return this.read(() => this.db.endedElsewhere(live), []);
    }
    /** Every live lease in the fleet's store, oldest first, with its gateway (`leases list`). SQLite: this gateway's. */
    async fleet() {
        try {
            return await this.db.fleet();
        }
        catch (err) {
            throw this.failed(err);
        }
    }
    /**
     * Ends a live lease in the store, whichever gateway holds it (an operator's revoke at another
     * gateway); resolves the holding gateway's key, or undefined when no such lease is live. The caller
     * ends it in memory too when it is this gateway's (then its peer comes off here).
     */
    async endAnywhere(id, reason, now) {
        try {
            return await this.db.endAnywhere(id, reason, now);
        }
        catch (err) {
            throw this.failed(err);
        }
    }
    async prune(now) {
        if (!(await this.flush()))
            return;
        try {
            await this.db.prune(now);
        }
        catch (err) {
            this.failed(err);
        }
    }
    down() {
        return this.failure !== undefined && this.now() - this.failure.at < RETRY_MS;
    }
    /**
     * Writes what waits, in order, unless a write failed within RETRY_MS (then nothing is tried, and
     * nothing blocks). Resolves true when nothing waits any more. While writes wait or the store is
     * failing, it is tried again every RETRY_MS (a cheap round trip when nothing waits, to learn that
     * it recovered). One flush at a time: a call while one runs waits for it (then tries again).
     */
    async flush() {
        while (this.flushing)
            await this.flushing;
        if (this.down()) {
            this.scheduleRetry();
            return false;
        }
        if (this.pending.length === 0 && !this.failure)
            return true;
        this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
        return this.flushing;
    }
    async flushOnce() {
        try {
            if (this.pending.length === 0 && this.failure)
                await this.db.ping(this.now());
            while (this.pending.length > 0) {
                await this.db.write(this.pending[0]);
                this.pending.shift();
            }
            this.settling.clear();
        }
        catch (err) {
            this.failed(err);
            this.scheduleRetry();
            return false;
        }
        this.failure = undefined;
        return true;
    }
    /** Is the store taking writes; why not; how many wait. */
    health() {
        return this.failure
            ? { ok: false, reason: this.failure.reason, pending: this.pending.length, code: this.db.code }
            : { ok: true, pending: this.pending.length };
    }
    /** Queues a write and tries what waits. */
    later(w) {
        this.pending.push(w);
        void this.flush();
    }
    /** Records why a write failed (StoreUnavailable, returned for throwing); anything else is a bug, rethrown. */
    failed(err) {
        if (err instanceof QuotaExceeded || err instanceof KeyLeased || err instanceof StoreRefused)
            throw err;
        const reason = this.db.unavailableReason(err);
        if (reason === undefined)
            throw err;
        this.failure = { reason, at: this.now() };
        return new StoreUnavailable(reason, this.db.code);
    }
    scheduleRetry() {
        if (this.retry || this.closed)
            return;
        this.retry = setTimeout(() => {
            this.retry = undefined;
            if (this.pending.length > 0 || this.failure)
                void this.flush();
        }, RETRY_MS);
        this.retry.unref();
    }
    /** Writes what it can, then closes the store (and releases its lock, or its connections). */
    async close() {
        this.closed = true;
        if (this.retry)
            clearTimeout(this.retry);
        this.retry = undefined;
        if (this.failure)
            this.failure.at = -Infinity;
        await this.flush();
        await this.db.close();
    }
}

// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/util/errors.js
var errors = __webpack_require__(5674);
// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/jwks/remote.js + 1 modules
var jwks_remote = __webpack_require__(7315);
// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/jwt/verify.js + 2 modules
var verify = __webpack_require__(4490);
;// CONCATENATED MODULE: ./src/gateway/auth/tokens.ts
// OIDC token checks, all by `jose`: the issuer's keys through its discovery document (cached by jose,
// refetched at once on an unknown `kid`, at most once a second), RS256 only, exact `iss` and `aud`, `exp`/`nbf` with a small clock
// tolerance, required claims present. Using a `jti` once is the store's job (see Leases).



/** Claims every GitHub Actions token carries and the gateway relies on. */
const REQUIRED_CLAIMS = [
    'iss',
    'aud',
    'exp',
    'iat',
    'jti',
    'sub',
    'repository',
    'repository_id',
    'repository_owner_id'
];
const CLOCK_TOLERANCE_S = 30;
/** Tokens issued longer ago than this are refused (GitHub's live minutes; a used `jti` is kept until `exp`). */
const MAX_TOKEN_AGE = '1h';
const MAX_TOKEN_AGE_MS = 3_600_000;
/** A token refused, or the issuer not usable: a code of the API (its status follows from it) and a reason. */
class TokenError extends Error {
    code;
    detail;
    jose;
    status;
    constructor(message, code, 
    /** For the operator (the audit line), never the client: the issuer's URLs and the network error. */
    detail, 
    /** jose's error code, when jose refused the token (held to jose's own verdict by the unit tests). */
    jose) {
        super(message);
        this.code = code;
        this.detail = detail;
        this.jose = jose;
        this.name = 'TokenError';
        this.status = GATEWAY_CODES[code];
    }
}
/** What a client is told when the issuer cannot be asked: where it lives and why it failed are the operator's. */
const ISSUER_UNREACHABLE = 'the token issuer could not be reached; try again';
/** What a client is told when the issuer answers with something this configuration cannot use. */
const ISSUER_MISCONFIGURED = "the token issuer's discovery document or keys do not fit the gateway's issuer setting";
/**
 * An unknown `kid` refetches the issuer's keys, but not within this long of the last fetch: a key
 * the issuer just published is found at once (a request waits out the rest of this, then refetches),
 * and tokens with made-up kids cost at most one fetch per this period, however many arrive.
 */
const REFETCH_COOLDOWN_MS = 1000;
/**
 * The issuer's keys through jose's remote key set (made with `cooldownDuration` = `cooldownMs`). jose
 * refetches for an unknown `kid` only when its last fetch is older than its cooldown (30 s by
 * default: a token signed with a key published since was refused for up to 30 s). Here a request for
 * an unknown kid that meets the cooldown waits it out (polled, bounded) and asks once more, so jose
 * refetches then; requests waiting together share that one fetch (jose keeps one in flight).
 */
function refetchingKeys(remote, cooldownMs) {
    // Read afresh each time (a getter: jose's last fetch moves it).
    const coolingDown = () => remote.coolingDown;
    return async (header, token) => {
        const cooling = coolingDown();
        try {
            return await remote(header, token);
        }
        catch (err) {
            // Not cooling down: jose refetched already, and the kid is not the issuer's.
            if (!(err instanceof errors/* JWKSNoMatchingKey */.BT) || !cooling)
                throw err;
            const end = Date.now() + cooldownMs;
            while (coolingDown() && Date.now() < end)
                await new Promise((r) => setTimeout(r, Math.min(50, cooldownMs)));
            return remote(header, token);
        }
    };
}
/** A claim's value from a verified token, quoted for a reason: printable, cut short. An audience or issuer is no secret. */
function quote(value) {
    const one = (v) => JSON.stringify(String(v)
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 200));
    if (Array.isArray(value))
        return value.length === 0 ? 'none' : value.slice(0, 3).map(one).join(', ');
    return value === undefined ? 'none' : one(value);
}
/**
 * Turns jose's refusal into a code and a reason for the caller (see GATEWAY_CODES). A time claim
 * refused says by how many seconds and which clock is off, read from jose's own error (its `claim`
 * and `payload`; the token is never parsed here): `iat` or `nbf` in the future means the gateway's
 * clock is behind the issuer's; an expired token the job fetched just now means it is ahead. An
 * audience or issuer refused names the expected and the presented value. Never quotes the token.
 * `now` is the gateway's clock in epoch milliseconds, as given to jose.
 */
function explain(err, expected, now = Date.now()) {
    if (err instanceof TokenError)
        return err;
    const jose = err instanceof errors/* JOSEError */.i4 ? err.code : 'ERR_UNKNOWN';
    const say = (code, m) => new TokenError(m, code, undefined, jose);
    const nowS = Math.floor(now / 1000);
    const claim = (c) => {
        const v = err.payload?.[c];
        return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    };
    if (err instanceof errors/* JWTExpired */.n) {
        const iat = claim('iat');
        const ahead = iat === undefined
            ? ''
            : `: if it was fetched just now, the gateway's clock is about ${nowS - iat} s ahead of the token issuer's`;
        if (err.claim === 'iat')
            return say('token_expired', `the token was issued ${nowS - (iat ?? nowS)} s ago (iat), over the ${MAX_TOKEN_AGE} this gateway accepts${ahead}`);
        const exp = claim('exp') ?? nowS;
        return say('token_expired', `the token expired ${nowS - exp} s ago by the gateway's clock (exp)${iat === undefined ? '' : `; it was issued ${nowS - iat} s ago (iat)`}${ahead}`);
    }
    if (err instanceof errors/* JWTClaimValidationFailed */.ie) {
        if (err.reason === 'missing')
            return say('token_invalid', `the token lacks the "${err.claim}" claim`);
        const at = claim(err.claim);
        if (err.reason === 'check_failed' && (err.claim === 'nbf' || err.claim === 'iat') && at !== undefined) {
            const early = at - nowS;
            return say('token_not_yet_valid', err.claim === 'nbf'
                ? `the token is not valid for another ${early} s by the gateway's clock (nbf): the gateway's clock is at least ${early} s behind the token issuer's`
                : `the token was issued ${early} s in the future by the gateway's clock (iat): the gateway's clock is about ${early} s behind the token issuer's`);
        }
        const payload = err.payload ?? {};
        if (err.reason === 'check_failed' && err.claim === 'aud')
            return say('audience_mismatch', `the token's audience ${quote(payload.aud)} is not this gateway's audience ${quote(expected.audience)}`);
        if (err.reason === 'check_failed' && err.claim === 'iss')
            return say('issuer_mismatch', `the token's issuer ${quote(payload.iss)} is not this gateway's issuer ${quote(expected.issuer)}`);
        return say('token_invalid', `the token's "${err.claim}" claim is not accepted here (${err.reason})`);
    }
    if (err instanceof errors/* JOSEAlgNotAllowed */.Rb)
        return say('token_invalid', 'the token is not signed with RS256');
    if (err instanceof errors/* JWSSignatureVerificationFailed */.h2)
        return say('token_invalid', 'the token signature does not verify');
    if (err instanceof errors/* JWKSNoMatchingKey */.BT || err instanceof errors/* JWKSMultipleMatchingKeys */.$4)
        return say('token_key_unknown', "no key of the issuer matches the token's kid");
    if (err instanceof errors/* JOSEError */.i4)
        return say('token_invalid', 'the token is malformed');
    // Not jose's verdict on the token: a fault of ours, reported as such (the key source's faults
    // arrive as TokenErrors, see issuerKeys).
    return new TokenError('the token could not be checked; see the gateway log', 'internal_error', errorText(err), jose);
}
/** A failed fetch from the issuer, for the operator: the URL, the status or the network error and its code. */
function fetchFailure(url, err) {
    const cause = err.cause?.code;
    return `${url}: ${errorText(err)}${typeof cause === 'string' ? ` (${cause})` : ''}`;
}
/**
 * Fetches from the issuer: a 5xx answer, a timeout or a network error is `issuer_unreachable`
 * (try again later); any other answer but 200 is `issuer_misconfigured` (the URL is wrong).
 */
function issuerFetch(doFetch, what) {
    return async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        let res;
        try {
            res = await doFetch(input, init);
        }
        catch (err) {
            // jose turns a TimeoutError into its JWKSTimeout; ours say the same in the audit line.
            throw new TokenError(ISSUER_UNREACHABLE, 'issuer_unreachable', `${what} could not be fetched from ${fetchFailure(url, err)}`);
        }
        if (res.status !== 200)
            throw new TokenError(res.status >= 500 ? ISSUER_UNREACHABLE : ISSUER_MISCONFIGURED, res.status >= 500 ? 'issuer_unreachable' : 'issuer_misconfigured', `${what} ${url} answered HTTP ${res.status}`);
        return res;
    };
}
/**
 * The key source handed to jose, with its faults made ours: no key for the token's `kid` stays
 * jose's verdict on the token (token_key_unknown); anything else (the issuer down, a key set that
 * is not one) is the issuer's fault, not the token's: 503, never "malformed".
 */
function issuerKeys(keys, where) {
    return async (header, token) => {
        try {
            return await keys(header, token);
        }
        catch (err) {
            if (err instanceof TokenError ||
                err instanceof errors/* JWKSNoMatchingKey */.BT ||
                err instanceof errors/* JWKSMultipleMatchingKeys */.$4)
                throw err;
            const code = err instanceof errors/* JWKSInvalid */.Dm || err instanceof errors/* JWKInvalid */._L || err instanceof errors/* JOSENotSupported */.T0
                ? 'issuer_misconfigured'
                : 'issuer_unreachable';
            throw new TokenError(code === 'issuer_unreachable' ? ISSUER_UNREACHABLE : ISSUER_MISCONFIGURED, code, `the issuer's keys (${where}) could not be used: ${fetchFailure(where, err)}`);
        }
    };
}
/** A verifier for one issuer and audience. Discovery happens on first use and is retried on failure. */
function createVerifier(opts) {
    const doFetch = opts.fetch ?? fetch;
    const now = opts.now ?? Date.now;
    let keys = opts.keys && issuerKeys(opts.keys, 'given keys');
    let discovering;
    const discover = async () => {
        const url = `${opts.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
        const misconfigured = (detail) => new TokenError(ISSUER_MISCONFIGURED, 'issuer_misconfigured', `the issuer's discovery document ${url} ${detail}`);
        const res = await issuerFetch(doFetch, "the issuer's discovery document")(url, {
            signal: AbortSignal.timeout(5000),
            redirect: 'error'
        });
        let doc;
        try {
            doc = (await res.json());
        }
        catch (err) {
            // The body is read under the same 5 s signal: cut short is unreachable, anything else is not JSON.
            const name = err.name;
            if (name === 'TimeoutError' || name === 'AbortError')
                throw new TokenError(ISSUER_UNREACHABLE, 'issuer_unreachable', `the issuer's discovery document ${url} timed out`);
            throw misconfigured(`is not JSON: ${err.message}`);
        }
        if (doc.issuer !== opts.issuer || typeof doc.jwks_uri !== 'string')
            throw misconfigured('names another issuer or no jwks_uri');
        const jwks = new URL(doc.jwks_uri);
        const issuerUrl = new URL(opts.issuer);
        // The keys are fetched as securely as the issuer itself (http:// only for a loopback issuer in tests).
        if (jwks.protocol !== 'https:' &&
            !(jwks.protocol === 'http:' && jwks.host === issuerUrl.host && issuerUrl.protocol === 'http:'))
            throw misconfigured(`names a jwks_uri ${jwks.origin}${jwks.pathname} that is not https:// (as the issuer is)`);
        const cooldownMs = opts.refetchCooldownMs ?? REFETCH_COOLDOWN_MS;
        const remote = (0,jwks_remote/* createRemoteJWKSet */.RD)(jwks, {
            timeoutDuration: 5000,
            cooldownDuration: cooldownMs,
            cacheMaxAge: 600_000,
            [jwks_remote/* customFetch */.A6]: issuerFetch(doFetch, "the issuer's keys (jwks_uri)")
        });
        return issuerKeys(refetchingKeys(remote, cooldownMs), `${jwks.origin}${jwks.pathname}`);
    };
    // A failed discovery is not retried for a few seconds: a flood of requests makes no flood of fetches.
    let failed;
    const getKeys = async () => {
        if (keys)
            return keys;
        if (failed && Date.now() - failed.at < 5000)
            throw failed.err;
        discovering ??= discover()
            .catch((err) => {
            failed = { at: Date.now(), err };
            throw err;
        })
            .finally(() => (discovering = undefined));
        keys = await discovering;
        return keys;
    };
    return async (token) => {
        if (token.length > 8192 || !/^[A-Za-z0-9_.-]+$/.test(token))
            throw new TokenError('the token is malformed', 'token_invalid', undefined, 'ERR_JWT_INVALID');
        const at = now();
        try {
            const k = await getKeys();
            const { payload } = await (0,verify/* jwtVerify */.V)(token, k, {
                issuer: opts.issuer,
                audience: opts.audience,
                algorithms: ['RS256'],
                clockTolerance: CLOCK_TOLERANCE_S,
                maxTokenAge: MAX_TOKEN_AGE,
                requiredClaims: REQUIRED_CLAIMS,
                currentDate: new Date(at)
            });
            // Exactly this audience: a token meant for several services is not one this gateway accepts.
            if (Array.isArray(payload.aud) && payload.aud.length !== 1)
                throw new TokenError(`the token names ${payload.aud.length} audiences (${quote(payload.aud)}); this gateway accepts only its own, ${quote(opts.audience)}`, 'audience_mismatch');
            // Claims the policy and audit read must be plain strings (GitHub sends ids as strings).
            for (const c of ['jti', 'repository', 'repository_id', 'repository_owner_id'])
                if (typeof payload[c] !== 'string' || payload[c] === '')
                    throw new TokenError(`the token's "${c}" claim is not a string`, 'token_invalid');
            return payload;
        }
        catch (err) {
            throw explain(err, opts, at);
        }
    };
}

;// CONCATENATED MODULE: ./src/common/process.ts
/**
 * How long a command has after SIGTERM before SIGKILL. Enough for `sudo` to pass the signal on and
 * for a program that catches it to finish cleanly (wireguard-go closes its interface and socket in
 * a few milliseconds; `ip`, `wg` and `sleep` do not catch it and are gone at once); short against
 * the 5 s a failed bring-up has to roll back after its deadline.
 */
const KILL_GRACE_MS = 1000;
/**
 * What every child starts from: `path` as PATH, and the C locale so that the messages callers match
 * (`File exists`, `Unknown device type`) read the same everywhere. Nothing of this process's own
 * environment (secrets, tokens, a LOG_LEVEL that keeps wireguard-go's daemon on the step's pipes).
 */
function minimalEnv(path, extra = {}) {
    return { PATH: path, LC_ALL: 'C', ...extra };
}
/**
 * Starts `argv` and resolves with its exit code and output; rejects only when it cannot start, with
 * an Error that names the program (and the PATH searched) and carries the errno `code` (`ENOENT`).
 * Never rejects for a command that started and failed.
 */
function runProcess(argv, opts) {
    opts.log?.(`run: ${opts.label ?? argv.join(' ')} (at ${Math.round(process.uptime() * 1000)} ms)`);
    const limit = Math.max(0, opts.limitMs);
    return new Promise((resolve, reject) => {
        // Loaded at first use, not when a bundle starts: a step refused at its inputs never pays for
        // node:child_process (and node:net, node:stream), nor for node:perf_hooks (hence process.uptime).
        const { spawn } = process.getBuiltinModule('node:child_process');
        const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env });
        let stdout = '';
        let stderr = '';
        let killed = false;
        let exited = false;
        let grace;
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        const timer = setTimeout(() => {
            if (exited) {
                // It exited in time, but something it started still holds its pipes: stop waiting for
                // that (the command itself was not stopped, so its exit code stands).
                child.stdout.destroy();
                child.stderr.destroy();
                return;
            }
            killed = true;
            stderr += `\n(killed after ${Math.round(limit) / 1000} s)`;
            child.kill('SIGTERM');
            grace = setTimeout(() => {
                if (!exited)
                    child.kill('SIGKILL');
            }, opts.graceMs ?? KILL_GRACE_MS);
        }, limit);
        child.on('exit', () => {
            exited = true;
            clearTimeout(grace);
            if (!killed)
                return;
            // A stopped command's own children may still hold its pipes: stop waiting for them.
            child.stdout.destroy();
            child.stderr.destroy();
        });
        child.on('error', (err) => {
            clearTimeout(timer);
            clearTimeout(grace);
            const message = err.code === 'ENOENT'
                ? `\`${argv[0]}\` was not found on PATH (${opts.env.PATH})`
                : `\`${argv[0]}\` could not start: ${err.message}`;
            reject(Object.assign(new Error(message), { code: err.code }));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            clearTimeout(grace);
            resolve({ pid: child.pid, code: code ?? (signal ? 128 : 1), stdout, stderr, ...(killed ? { killed } : {}) });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
    });
}
/**
 * Starts `argv` for a caller that talks to it over its pipes while it lives (a lock holder such as
 * `flock … cat`), with what runProcess gives every child: an argument array, the environment given
 * (see minimalEnv), the injected log line. It has no time limit of its own: the caller bounds its
 * wait and ends it (closing its input). A failure to start is the child's `error` event.
 */
function startProcess(argv, opts) {
    opts.log?.(`run: ${opts.label ?? argv.join(' ')} (at ${Math.round(process.uptime() * 1000)} ms)`);
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env });
    child.stdin.on('error', () => undefined);
    return child;
}

;// CONCATENATED MODULE: ./src/gateway/run.ts
// How the gateway starts processes (`wg`, `ip`, `nft`), over the shared runner
// (src/common/process.ts): argument arrays, never a shell; a script on stdin where a command reads
// one (`nft -f -`); a time limit (SIGTERM, then SIGKILL); a minimal environment. Nothing is logged:
// the gateway's stdout carries its audit lines.


class CommandError extends Error {
    constructor(message) {
        super(message);
        this.name = 'CommandError';
    }
}
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The Debian package that brings each command, for the one line that says it is missing. */
const PACKAGE = { wg: 'wireguard-tools', ip: 'iproute2', nft: 'nftables' };
/**
 * Runs `argv` and resolves with its stdout; rejects with a CommandError naming the command (its
 * first four arguments) and what it said on stderr (nft's `Error: …` line, else the last two
 * lines), or the package to install when the command is missing.
 */
async function run(argv, { input, timeoutMs = 10_000 } = {}) {
    const command = argv[0];
    let r;
    try {
        r = await runProcess(argv, { env: minimalEnv(PATH), input, limitMs: timeoutMs });
    }
    catch (err) {
        throw new CommandError(err.code === 'ENOENT'
            ? `\`${command}\` was not found on PATH (${PATH}); install ${PACKAGE[command] ?? command}`
            : errorText(err));
    }
    if (r.code === 0 && !r.killed)
        return r.stdout;
    // nft says what went wrong on its first line (`Error: …`), then quotes the command; others at the end.
    const lines = r.stderr.trim().split('\n');
    const said = lines.find((l) => l.startsWith('Error: ')) ?? lines.slice(-2).join(' / ');
    throw new CommandError(`\`${argv.slice(0, 4).join(' ')}\` failed${said ? `: ${said}` : ` (exit ${r.code})`}`);
}

;// CONCATENATED MODULE: ./src/gateway/leases/peers.ts
// The WireGuard interface, through `wg` (which speaks to kernel and wireguard-go interfaces alike) and
// `ip`, run by ../run.ts (over the shared runner, nothing logged: the gateway's stdout carries its
// audit lines). The interface's private key and preshared keys are never read:
// `wg show IFACE public-key|listen-port|allowed-ips|latest-handshakes|transfer`.




class WgError extends Error {
    constructor(message) {
        super(message);
        this.name = 'WgError';
    }
}
/** Lines of `KEY\tVALUE` into a map. */
function table(text) {
    const out = new Map();
    for (const line of text.split('\n')) {
        const tab = line.indexOf('\t');
        if (tab > 0)
            out.set(line.slice(0, tab), line.slice(tab + 1).trim());
    }
    return out;
}
/**
 * Allowed IPs as `wg` prints them → canonical text (null: not a prefix, as `(none)`). Read before
 * every `wg set` and at every sweep, thousands of prefixes that rarely change: parsing each every
 * time cost ~25 ms at 5,000 peers, looking it up ~3 ms. Emptied when it grows past CANON_MAX.
 */
const canonical = new Map();
const CANON_MAX = 1 << 17;
function canon(text) {
    let c = canonical.get(text);
    if (c === undefined) {
        const p = parsePrefix(text);
        c = typeof p === 'string' ? null : prefixText(p);
        if (canonical.size >= CANON_MAX)
            canonical.clear();
        // Keyed by a string of its own where it can be: `text` is a slice of all of `wg`'s output, and
        // a key kept here would keep that whole output alive.
        canonical.set(c === text ? c : text, c);
    }
    return c;
}
/** The `wg set` arguments for a batch of operations, in order. Pure. */
function setArgs(iface, ops) {
    const args = ['wg', 'set', iface];
    for (const op of ops) {
        if (op.kind === 'add')
            args.push('peer', op.publicKey, 'allowed-ips', op.allowedIps.join(','));
        else
            args.push('peer', op.publicKey, 'remove');
    }
    return args;
}
class Wg {
    iface;
    constructor(iface) {
        this.iface = iface;
    }
    /** The interface's public key and listen port; a clear error when it is not a WireGuard interface. */
    async info() {
        let publicKey;
        let port;
        try {
            publicKey = (await run(['wg', 'show', this.iface, 'public-key'])).trim();
            port = (await run(['wg', 'show', this.iface, 'listen-port'])).trim();
        }
        catch (err) {
            const said = errorText(err);
            // Without the privilege, `wg` cannot reach the interface, and says so (or, for wireguard-go's
            // socket it cannot see, that the device does not exist: preflight.ts catches that case first).
            if (/Operation not permitted|Permission denied/.test(said))
                throw new WgError(`interface "${this.iface}" cannot be read: permission denied (${said}). The gateway needs root, or CAP_NET_ADMIN for a kernel interface`);
            throw new WgError(`interface "${this.iface}" is not a WireGuard interface here (${said}). Create it first (wg-quick up ${this.iface}), then start the gateway`);
        }
        if (!isKey(publicKey))
            throw new WgError(`interface "${this.iface}" has no private key: configure it (wg-quick or wg set ${this.iface} private-key FILE)`);
        return { publicKey, listenPort: Number(port) };
    }
    /** The interface's own addresses, as host prefixes (never leased). */
    async addresses() {
        const out = await run(['ip', '-o', 'address', 'show', 'dev', this.iface]);
        const hosts = [];
        for (const m of out.matchAll(/\binet6? ([0-9a-fA-F:.]+)\//g)) {
            const p = parsePrefix(m[1]);
            if (typeof p !== 'string')
                hosts.push(p);
        }
        return hosts;
    }
    /** Every peer's allowed IPs (canonical), and with `withHandshakes` its latest handshake and bytes received. */
    async peers(withHandshakes = true) {
        const [ips, hs, tr] = await Promise.all([
            run(['wg', 'show', this.iface, 'allowed-ips']),
            withHandshakes ? run(['wg', 'show', this.iface, 'latest-handshakes']) : Promise.resolve(''),
            withHandshakes ? run(['wg', 'show', this.iface, 'transfer']) : Promise.resolve('')
        ]);
        const handshakes = table(hs);
        const transfer = table(tr);
        const out = new Map();
        // `KEY\tIP IP …` per line: read in place (thousands of lines before every `wg set`).
        for (let at = 0; at < ips.length;) {
            const end = ips.indexOf('\n', at) < 0 ? ips.length : ips.indexOf('\n', at);
            const tab = ips.indexOf('\t', at);
            if (tab > at && tab < end) {
                const key = ips.slice(at, tab);
                const allowedIps = [];
                for (const t of ips
                    .slice(tab + 1, end)
                    .trim()
                    .split(' ')) {
                    const c = canon(t);
                    if (c !== null)
                        allowedIps.push(c);
                }
                const state = { allowedIps, latestHandshake: Number(handshakes.get(key) ?? 0) || 0 };
                if (withHandshakes) {
                    const rx = Number(transfer.get(key)?.split('\t')[0]);
                    if (Number.isFinite(rx))
                        state.rxBytes = rx;
                }
                out.set(key, state);
            }
            at = end + 1;
        }
        return out;
    }
    /** Applies operations in one `wg set` call. */
    async apply(ops) {
        if (ops.length > 0)
            await run(setArgs(this.iface, ops));
    }
}
/**
 * Coalesces concurrent work: items submitted while a batch runs wait and go together in the next one,
 * so a hundred simultaneous leases cost a few `wg set` calls, not a hundred. The batch function
 * resolves with one result (or Error) per item.
 */
class Coalescer {
    batch;
    maxBatch;
    waiting = [];
    running = false;
    constructor(batch, maxBatch = 256) {
        this.batch = batch;
        this.maxBatch = maxBatch;
    }
    submit(item) {
        return new Promise((resolve, reject) => {
            this.waiting.push({ item, resolve, reject });
            if (!this.running)
                void this.drain();
        });
    }
    /** True while nothing waits or runs. */
    get idle() {
        return !this.running && this.waiting.length === 0;
    }
    async drain() {
        this.running = true;
        while (this.waiting.length > 0) {
            const now = this.waiting.splice(0, this.maxBatch);
            try {
                const results = await this.batch(now.map((w) => w.item));
                now.forEach((w, i) => {
                    const r = results[i];
                    if (r instanceof Error)
                        w.reject(r);
                    else
                        w.resolve(r);
                });
            }
            catch (err) {
                for (const w of now)
                    w.reject(err);
            }
        }
        this.running = false;
    }
}

;// CONCATENATED MODULE: ./src/gateway/firewall/plan.ts
// The gateway's nftables table, planned as data: the script that builds it whole, the scripts that add
// and remove one lease's elements, and the facts it should hold, to compare with what `nft -j list
// table` reads. Pure.
//
// One table of the gateway's own, `inet wgtunnel_gw_<interface>` (defguard keeps one table per
// location for the same reason): the gateway only ever names this table, so the host's own rules and
// other programs' tables are never read or changed. In nftables a packet must be accepted by every
// base chain on its hook, whichever table holds it: this table can only narrow what the host allows,
// never widen it.
//
//   table inet wgtunnel_gw_wg0 {
//     set leases4 { type ipv4_addr }                 every live lease's address (and leases6)
//     set allow4_0 { type ipv4_addr; flags interval } rule 0's allowed-ips (and allow6_0)
//     map from4 { type ipv4_addr : verdict }         a lease's address → jump rule_N (and from6)
//     chain rule_0 { ip daddr @leases4 counter drop   (unless the rule has reach-leases: true)
//                    ip daddr @allow4_0 accept
//                    counter drop }
//     chain check { ct direction reply accept; ip saddr vmap @from4; ip6 saddr vmap @from6 }
//     chain input   { type filter hook input priority filter; policy accept; iifname "wg0" jump check }
//     chain forward { type filter hook forward priority filter; policy accept; iifname "wg0" jump check }
//   }
//
// Only packets that arrive on the interface from a leased address are judged (WireGuard admits a
// packet from a peer only with a source among its allowed IPs, so the source is the lease's). They
// may go to their rule's allowed-ips and nowhere else: not to another lease's address unless the
// rule says `reach-leases: true`, not to a destination the runner routes into the tunnel beyond
// them, on the host itself (input) or through it (forward). Replies of connections opened towards
// a lease pass. `iifname`, not `iif`: it keeps matching when the interface is recreated.

const FAMILIES = [4, 6];
const HOOKS = ['input', 'forward'];
const ip = (f) => (f === 4 ? 'ip' : 'ip6');
const type = (f) => (f === 4 ? 'ipv4_addr' : 'ipv6_addr');
/** The chain a lease of rule `n` jumps to; `none` (drops all) when the rule no longer exists. */
const ruleChain = (plan, n) => (n >= 0 && n < plan.rules.length ? `rule_${n}` : 'none');
/**
 * The table's name for an interface: `wgtunnel_gw_` and the name with every character other than a
 * letter or digit written as `_` and two hex digits (`wg-prod` → `wgtunnel_gw_wg_2dprod`), so that
 * two interfaces never share a table and the name is a plain nft identifier.
 */
function tableName(iface) {
    return `wgtunnel_gw_${iface.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
}
/** A lease's addresses as hosts; text that is not an address is skipped (the store holds only ours). */
function hosts(lease) {
    const out = [];
    for (const text of lease.addresses) {
        const p = parsePrefix(text);
        if (typeof p !== 'string')
            out.push({ address: p.address, family: p.family });
    }
    return out;
}
/** Prefixes without those another one contains (nft refuses overlapping intervals), in order. */
function outermost(prefixes, family) {
    const mine = prefixes.filter((p) => p.family === family);
    return mine
        .filter((p, i) => !mine.some((q, j) => j !== i && contains(q, p) && (q.bits < p.bits || j < i)))
        .map(prefixText);
}
function ruleLines(plan, n) {
    const rule = plan.rules[n];
    const lines = [];
    if (!rule.reachLeases)
        for (const f of FAMILIES)
            lines.push(`${ip(f)} daddr @leases${f} counter drop`);
    for (const f of FAMILIES)
        if (outermost(rule.allowedIps, f).length > 0)
            lines.push(`${ip(f)} daddr @allow${f}_${n} accept`);
    lines.push('counter drop');
    return lines;
}
const CHECK = ['ct direction reply accept', 'ip saddr vmap @from4', 'ip6 saddr vmap @from6'];
const hookLines = (plan) => [`iifname ${JSON.stringify(plan.iface)} jump check`];
/**
 * The facts a table built from this plan holds for these leases: one string per chain (its hook and
 * number of rules), per set or map, and per element. Compared, as sorted lists, with observe().
 */
function expectedFacts(plan, leases) {
    const facts = [];
    const chain = (name, hook, rules) => void facts.push(`chain ${name} ${hook} ${rules}`);
    plan.rules.forEach((rule, n) => {
        chain(`rule_${n}`, '-', ruleLines(plan, n).length);
        for (const f of FAMILIES) {
            const allowed = outermost(rule.allowedIps, f);
            if (allowed.length === 0)
                continue;
            facts.push(`set allow${f}_${n}`);
            for (const p of allowed)
                facts.push(`set allow${f}_${n} ${p}`);
        }
    });
    chain('none', '-', 1);
    chain('check', '-', CHECK.length);
    for (const h of HOOKS)
        chain(h, `${h}/0/accept`, hookLines(plan).length);
    for (const f of FAMILIES)
        facts.push(`set leases${f}`, `map from${f}`);
    for (const lease of leases)
        for (const h of hosts(lease)) {
            const bits = h.family === 4 ? 32 : 128;
            facts.push(`set leases${h.family} ${h.address}/${bits}`, `map from${h.family} ${h.address}/${bits} ${ruleChain(plan, lease.rule)}`);
        }
    return facts.sort();
}
/** An element of `nft -j` output as canonical prefix text (`10.0.0.0/8`, `192.0.2.7/32`), or `unreadable …`. */
function elementText(e) {
    let text;
    if (typeof e === 'string')
        text = e;
    else if (e && typeof e === 'object' && 'prefix' in e) {
        const p = e.prefix;
        if (typeof p.addr === 'string' && typeof p.len === 'number')
            text = `${p.addr}/${p.len}`;
    }
    if (text === undefined)
        return `unreadable ${JSON.stringify(e)}`;
    const p = parsePrefix(text);
    return typeof p === 'string' ? `unreadable ${text}` : prefixText(p);
}
/**
 * The facts of a table as `nft -j list table inet NAME` prints it (see expectedFacts). Anything it
 * cannot read becomes a fact no plan has, so that the table is rebuilt.
 */
function observe(json) {
    const items = JSON.parse(json).nftables ?? [];
    const text = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');
    const facts = [];
    const rules = new Map();
    const chains = [];
    for (const item of items) {
        if (item.chain) {
            const c = item.chain;
            const hook = c.hook === undefined ? '-' : `${text(c.hook)}/${text(c.prio)}/${text(c.policy)}`;
            chains.push({ name: text(c.name), hook });
        }
        else if (item.rule) {
            const name = text(item.rule.chain);
            rules.set(name, (rules.get(name) ?? 0) + 1);
        }
        else if (item.set) {
            const name = text(item.set.name);
            facts.push(`set ${name}`);
            for (const e of item.set.elem ?? [])
                facts.push(`set ${name} ${elementText(e)}`);
        }
        else if (item.map) {
            const name = text(item.map.name);
            facts.push(`map ${name}`);
            for (const e of item.map.elem ?? []) {
                const pair = Array.isArray(e) ? e : [e];
                const target = pair[1]?.jump?.target;
                facts.push(`map ${name} ${elementText(pair[0])} ${typeof target === 'string' ? target : 'unreadable'}`);
            }
        }
    }
    for (const c of chains)
        facts.push(`chain ${c.name} ${c.hook} ${rules.get(c.name) ?? 0}`);
    return facts.sort();
}
/** How two fact lists differ: facts only in `want` (missing) and only in `have` (unexpected). */
function difference(want, have) {
    const w = new Set(want);
    const h = new Set(have);
    return { missing: [...w].filter((f) => !h.has(f)).length, unexpected: [...h].filter((f) => !w.has(f)).length };
}
const plan_elements = (items) => `{ ${items.join(', ')} }`;
/**
 * The `nft -f -` script that replaces the table, whole, with one built from the plan for these
 * leases: one transaction (creating it first, so that deleting it cannot fail), so a packet meets
 * either the old table or the new one, never none.
 */
function buildScript(plan, leases) {
    const t = plan.table;
    const out = [`table inet ${t} {}`, `delete table inet ${t}`, `table inet ${t} {`];
    for (const f of FAMILIES) {
        const mine = leases.flatMap((l) => hosts(l)
            .filter((h) => h.family === f)
            .map((h) => ({ h, rule: l.rule })));
        out.push(`  set leases${f} { type ${type(f)};${mine.length ? ` elements = ${plan_elements(mine.map((m) => m.h.address))}` : ''} }`);
        out.push(`  map from${f} { type ${type(f)} : verdict;${mine.length ? ` elements = ${plan_elements(mine.map((m) => `${m.h.address} : jump ${ruleChain(plan, m.rule)}`))}` : ''} }`);
    }
    plan.rules.forEach((rule, n) => {
        for (const f of FAMILIES) {
            const allowed = outermost(rule.allowedIps, f);
            if (allowed.length > 0)
                out.push(`  set allow${f}_${n} { type ${type(f)}; flags interval; elements = ${plan_elements(allowed)} }`);
        }
        out.push(`  chain rule_${n} {`, ...ruleLines(plan, n).map((l) => `    ${l}`), '  }');
    });
    out.push('  chain none {', '    counter drop', '  }');
    out.push('  chain check {', ...CHECK.map((l) => `    ${l}`), '  }');
    for (const h of HOOKS)
        out.push(`  chain ${h} {`, `    type filter hook ${h} priority filter; policy accept;`, ...hookLines(plan).map((l) => `    ${l}`), '  }');
    out.push('}');
    return `${out.join('\n')}\n`;
}
/**
 * The `nft -f -` script that adds and removes leases' elements in the table as it is (one
 * transaction). Fails, as nft does, when an added address is there already or a removed one is not:
 * the caller then rebuilds the table.
 */
function elementScript(plan, add, remove) {
    const t = plan.table;
    const out = [];
    for (const f of FAMILIES) {
        const gone = remove.flatMap((l) => hosts(l)
            .filter((h) => h.family === f)
            .map((h) => h.address));
        if (gone.length)
            out.push(`delete element inet ${t} from${f} ${plan_elements(gone)}`, `delete element inet ${t} leases${f} ${plan_elements(gone)}`);
    }
    for (const f of FAMILIES) {
        const mine = add.flatMap((l) => hosts(l)
            .filter((h) => h.family === f)
            .map((h) => ({ h, rule: l.rule })));
        if (mine.length)
            out.push(`add element inet ${t} from${f} ${plan_elements(mine.map((m) => `${m.h.address} : jump ${ruleChain(plan, m.rule)}`))}`, `add element inet ${t} leases${f} ${plan_elements(mine.map((m) => m.h.address))}`);
    }
    return out.length ? `${out.join('\n')}\n` : '';
}
/** The arguments that read the table (`nft -j list table inet NAME`). */
const listArgs = (plan) => ['nft', '-j', 'list', 'table', 'inet', plan.table];

;// CONCATENATED MODULE: ./src/gateway/firewall/firewall.ts
// Egress enforced: the gateway's nftables table (see plan.ts) kept equal to its leases. A lease's
// elements go in before its peer is added and come out after its peer is removed, so a leased peer is
// never on the interface unfiltered; changes that arrive together go in one `nft -f -`. The table is
// built whole at start and compared with the leases at every sweep; whatever differs (a table deleted
// or flushed by hand, an element left by a crash) is rebuilt from the store in one transaction.




/** No firewall at all (unit tests of the leases). */
const NO_FIREWALL = {
    reconcile: () => Promise.resolve(),
    admit: () => Promise.resolve(),
    forget: () => Promise.resolve()
};
/** The plan of the gateway's table from its configuration. */
function tablePlan(config) {
    return {
        table: tableName(config.interface),
        iface: config.interface,
        rules: config.rules.map((r) => ({ allowedIps: r.allowedIps ?? config.allowedIps, reachLeases: r.reachLeases }))
    };
}
const missingTable = (err) => /No such file or directory/.test(errorText(err));
class Nftables {
    plan;
    audit;
    nft;
    /** Address (canonical text with its length) → the lease whose element it is. */
    desired = new Map();
    built = false;
    queue;
    constructor(plan, audit, nft = run) {
        this.plan = plan;
        this.audit = audit;
        this.nft = nft;
        this.queue = new Coalescer(async (changes) => {
            try {
                await this.apply(changes);
                return changes.map(() => undefined);
            }
            catch (err) {
                return changes.map(() => (err instanceof Error ? err : new Error(errorText(err))));
            }
        });
    }
    reconcile(open) {
        return this.queue.submit({ kind: 'reconcile', open });
    }
    admit(leases) {
        return leases.length ? this.queue.submit({ kind: 'admit', leases }) : Promise.resolve();
    }
    forget(leases) {
        return leases.length ? this.queue.submit({ kind: 'forget', leases }) : Promise.resolve();
    }
    /**
     * One batch of changes: its element updates in one transaction (a rebuild where they cannot
     * apply); then, for a reconcile, the table compared with the open leases and rebuilt where it
     * differs. An open lease this firewall never admitted is on its way (recorded by its grant, its
     * admission queued behind this batch): it is not counted as missing, though a rebuild includes it.
     */
    async apply(changes) {
        let reconcile;
        for (const c of changes)
            if (c.kind === 'reconcile')
                reconcile = c;
        let coming = [];
        if (reconcile) {
            const open = reconcile.open();
            const ids = new Set(open.map((l) => l.id));
            // Elements of leases the store no longer holds open are left over: they go.
            for (const [a, l] of this.desired)
                if (!ids.has(l.id))
                    this.desired.delete(a);
            coming = open.filter((l) => !l.addresses.some((a) => this.desired.get(a)?.id === l.id));
        }
        const add = [];
        const remove = [];
        let conflict = false;
        for (const c of changes) {
            if (c.kind === 'admit')
                for (const l of c.leases) {
                    // An address still held by another lease's element (left by a crash): only a rebuild replaces it.
                    if (l.addresses.some((a) => (this.desired.get(a)?.id ?? l.id) !== l.id))
                        conflict = true;
                    if (l.addresses.every((a) => this.desired.get(a)?.id === l.id && this.desired.get(a)?.rule === l.rule))
                        continue;
                    this.set(l);
                    add.push(l);
                }
            else if (c.kind === 'forget')
                for (const l of c.leases) {
                    const mine = l.addresses.filter((a) => this.desired.get(a)?.id === l.id);
                    for (const a of mine)
                        this.desired.delete(a);
                    if (mine.length)
                        remove.push({ ...l, addresses: mine });
                }
        }
        coming = coming.filter((l) => !l.addresses.some((a) => this.desired.has(a)));
        const leases = [...new Set(this.desired.values())];
        if (!this.built)
            return this.rebuild([...leases, ...coming], 'start');
        if (conflict)
            return this.rebuild([...leases, ...coming], 'an address to lease still had an element of an ended lease');
        const script = elementScript(this.plan, add, remove);
        if (script)
            try {
                await this.nft(['nft', '-f', '-'], { input: script });
            }
            catch (err) {
                return this.rebuild([...leases, ...coming], `updating its elements failed (${errorText(err)})`);
            }
        if (reconcile)
            await this.compare(leases, coming);
    }
    set(l) {
        for (const a of l.addresses)
            this.desired.set(a, l);
    }
    /** Reads the table; rebuilds it (with `coming` too) when it differs from `leases`. */
    async compare(leases, coming) {
        let have;
        try {
            have = observe(await this.nft(listArgs(this.plan)));
        }
        catch (err) {
            // Missing, or unreadable: either way, built again from the store.
            return this.rebuild([...leases, ...coming], missingTable(err) ? 'the table was missing' : `it could not be read (${errorText(err)})`);
        }
        const { missing, unexpected } = difference(expectedFacts(this.plan, leases), have);
        if (missing + unexpected > 0)
            await this.rebuild([...leases, ...coming], `the table differed from the live leases (${missing} missing, ${unexpected} unexpected)`);
    }
    /** Replaces the table with one holding `leases` (in one transaction); they are what it holds now. */
    async rebuild(leases, why) {
        await this.nft(['nft', '-f', '-'], { input: buildScript(this.plan, leases) });
        for (const l of leases)
            this.set(l);
        const first = !this.built;
        this.built = true;
        this.audit(first ? 'firewall.built' : 'firewall.repaired', {
            reason: first ? `table inet ${this.plan.table} built` : `table inet ${this.plan.table} rebuilt: ${why}`,
            interface: this.plan.iface,
            leases: leases.length
        });
    }
}
/**
 * `firewall: none`: nothing is enforced. A table the gateway built before (its own name) is deleted at
 * the first reconcile, so that turning the firewall off does turn it off; nothing else is touched.
 */
class NoFirewall {
    plan;
    audit;
    nft;
    cleaned = false;
    constructor(plan, audit, nft = run) {
        this.plan = plan;
        this.audit = audit;
        this.nft = nft;
    }
    async reconcile() {
        if (this.cleaned)
            return;
        this.cleaned = true;
        try {
            await this.nft(['nft', 'delete', 'table', 'inet', this.plan.table]);
            this.audit('firewall.removed', {
                reason: `table inet ${this.plan.table} deleted (firewall: none)`,
                interface: this.plan.iface
            });
        }
        catch {
            // No such table, or no nft at all: nothing of ours to remove.
        }
    }
    async admit() { }
    async forget() { }
}

;// CONCATENATED MODULE: ./src/gateway/limits/rate.ts
// Token buckets per key (a repository id, a client address): each holds up to `perMinute` and refills
// at `perMinute` a minute. Memory stays bounded: once more than `prune` keys are held, buckets that
// have refilled to full (and so say nothing a new bucket would not) are dropped, never the one being
// charged. Pure but for the clock the caller passes.
class RateLimiter {
    perMinute;
    prune;
    buckets = new Map();
    pruneAbove;
    /**
     * @param perMinute bucket size and refill per minute (≥ 1)
     * @param prune keys held before full buckets are dropped; after a prune that keeps more, the next
     *   happens at twice what it kept, so pruning costs O(1) a request amortised
     */
    constructor(perMinute, prune = 10_000) {
        this.perMinute = perMinute;
        this.prune = prune;
        this.pruneAbove = prune;
    }
    /** Tokens `key` holds at `now` (ms), refilled; a key never charged holds a full bucket. */
    level(key, now) {
        const b = this.buckets.get(key);
        return b ? Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000) : this.perMinute;
    }
    /** Charges one token to `key` at `now` (ms); false, charging nothing, when it has none. */
    take(key, now) {
        const tokens = this.level(key, now);
        if (tokens < 1)
            return false;
        this.buckets.set(key, { tokens: tokens - 1, at: now });
        if (this.buckets.size > this.pruneAbove)
            this.dropFull(key, now);
        return true;
    }
    /** Milliseconds until `key` holds a token again (0 when it holds one). */
    waitMs(key, now) {
        return Math.max(0, Math.ceil(((1 - this.level(key, now)) * 60_000) / this.perMinute));
    }
    /** How many keys are held (for tests and metrics). */
    get size() {
        return this.buckets.size;
    }
    dropFull(charging, now) {
        for (const k of this.buckets.keys())
            if (k !== charging && this.level(k, now) >= this.perMinute)
                this.buckets.delete(k);
        this.pruneAbove = Math.max(this.prune, this.buckets.size * 2);
    }
}

;// CONCATENATED MODULE: ./src/gateway/leases/liveness.ts
/**
 * WireGuard's REJECT_AFTER_TIME (180 s, the protocol paper §6.1 and every implementation): no session
 * key is used longer, so a runner that sends anything (a keepalive at least) makes a new handshake
 * within this of its last one. A restored peer has no session until then; its keepalives are dropped.
 */
const REJECT_AFTER_MS = 180_000;
/**
 * A live lease's fate. Pure. Past `expiresAt`: expired. Otherwise silent when nothing was heard for
 * `silenceMs`; a restored peer is given at least REJECT_AFTER_MS + two keepalives from its restoration
 * (its runner handshakes again by then), whatever `silence` says.
 */
function fate(lease, heard, now, silenceMs, keepaliveMs) {
    if (now >= lease.expiresAt)
        return 'expired';
    if (heard.restoredAt !== undefined)
        return now - heard.restoredAt > Math.max(silenceMs, REJECT_AFTER_MS + 2 * keepaliveMs) ? 'silent' : 'keep';
    return now - heard.at > silenceMs ? 'silent' : 'keep';
}
/** What the gateway heard from each live lease's peer, kept across sweeps (in memory). */
class Liveness {
    startedAt;
    heard = new Map();
    /** `startedAt`: the gateway's start; nothing heard before it is known, so silence counts from it at most. */
    constructor(startedAt) {
        this.startedAt = startedAt;
    }
    /**
     * Records a reading of the interface at `now`: a handshake newer than the last sign of life, or
     * received bytes grown since the last reading, is a sign of life. Returns what is known.
     */
    observe(lease, peer, now) {
        const h = this.heard.get(lease.id) ?? { at: Math.max(lease.createdAt, this.startedAt) };
        const handshake = Math.min((peer?.latestHandshake ?? 0) * 1000, now);
        const rx = peer?.rxBytes;
        const grew = rx !== undefined && h.rx !== undefined && rx > h.rx;
        if (grew)
            h.at = now;
        else if (handshake > h.at)
            h.at = handshake;
        // A restored peer's counters start from zero: a handshake or bytes since prove its runner is back.
        if (h.restoredAt !== undefined && (grew || handshake > h.restoredAt))
            h.restoredAt = undefined;
        h.rx = rx;
        this.heard.set(lease.id, h);
        return h;
    }
    /** The gateway added the lease's peer back at `now` (its counters start again from zero). */
    restored(id, now) {
        const h = this.heard.get(id);
        if (!h)
            return;
        h.restoredAt ??= now;
        h.rx = undefined;
    }
    forget(id) {
        this.heard.delete(id);
    }
}

;// CONCATENATED MODULE: ./src/gateway/leases/leases.ts
// Leases: grant, release, sweep and reconcile. The store is written before the interface is touched,
// so every peer the gateway adds is known by key and addresses; a peer is removed only when the
// gateway leased it and it still has only the leased addresses. Peers it never leased are read (their
// addresses are never handed out) and never changed: a key or address they hold is refused.














/** What a client is told when the store cannot be written now; why is in the audit line. */
const STORE_UNAVAILABLE = "the gateway's store cannot be written just now; try again shortly";
/** What a client is told when the gateway's PostgreSQL database cannot be reached; why is in the audit line. */
const DATABASE_UNREACHABLE = "the gateway's database cannot be reached just now (live leases go on); try again shortly or another gateway";
class ForeignKey extends Error {
}
class AddressTaken extends Error {
}
class PeerChanged extends Error {
}
const sha256 = (text) => (0,external_node_crypto_.createHash)('sha256').update(text).digest();
const bare = (p) => p.replace(/\/[0-9]+$/, '');
class Leases {
    config;
    store;
    wg;
    verify;
    audit;
    now;
    firewall;
    serverKey = '';
    pool;
    ifaceHosts = [];
    /** Prefixes of peers the gateway did not lease that fall within the pool. */
    foreign = [];
    inUse = new Set();
    granting = new Set();
    removing = new Set();
    rate;
    queue;
    sweeping;
    liveness;
    constructor(config, store, wg, verify, audit, now = Date.now, firewall = NO_FIREWALL) {
        this.config = config;
        this.store = store;
        this.wg = wg;
        this.verify = verify;
        this.audit = audit;
        this.now = now;
        this.firewall = firewall;
        this.pool = new Pool(config.pool);
        this.rate = new RateLimiter(config.rateLimit);
        this.queue = new Coalescer((ops) => this.applyBatch(ops));
        this.liveness = new Liveness(now());
    }
    /** Reads the interface and reconciles it with the store: re-adds live leases, removes ended ones. */
    async start() {
        this.serverKey = (await this.wg.info()).publicKey;
        await this.store.bind(this.wg.iface, this.serverKey, {
            name: this.config.name,
            pool: this.config.pool.map(prefixText),
            endpoint: this.config.endpoint
        });
        this.ifaceHosts = await this.wg.addresses();
        for (const l of this.store.open())
            for (const a of l.addresses)
                this.inUse.add(bare(a));
        // The firewall first: every peer the store knows is filtered before any is added back.
        await this.firewall.reconcile(() => this.store.open());
        await this.sweep('reconcile');
    }
    liveCount() {
        return this.store.liveCount();
    }
    /** Whether the store takes writes (for /healthz): answered from memory, never waiting for the store. */
    storeHealth() {
        return this.store.health();
    }
    /** True when no grant, release or peer change is in flight. */
    idle() {
        return this.granting.size === 0 && this.queue.idle && !this.sweeping;
    }
    /**
     * Checks a request and leases an address. The order matters: first what costs nothing and can be
     * replayed (the token, its `jti`, the rules, the key); then the repository's rate limit; only a
     * request past all of these is charged and uses its token up. So a replayed token is 409 and
     * charges nothing (it cannot drain its repository's limit), and a 429 leaves the token usable after
     * the wait. A refusal after the rate check is charged: it took a place in the pool search. The
     * token is used up when the lease is written (with it, in one transaction): a refusal after that
     * (the interface refusing the key or address, a failed `wg set`) has used it, and a refused token
     * must not be replayed for free against the interface; an exhausted pool or a store that cannot
     * be written (503) has not.
     */
    async grant(token, publicKey, client) {
        const refuse = (code, reason, who = {}, detail) => {
            this.audit('lease.refused', {
                status: GATEWAY_CODES[code],
                code,
                reason: detail ? `${reason} (${detail})` : reason,
                client,
                publicKey,
                ...who
            });
            throw new HttpError(code, reason);
        };
        let claims;
        try {
            claims = await this.verify(token);
        }
        catch (err) {
            const e = explain(err, this.config);
            return refuse(e.code, e.message, {}, e.detail);
        }
        const who = {
            repository: String(claims.repository),
            repositoryId: String(claims.repository_id),
            runId: typeof claims.run_id === 'string' ? claims.run_id : undefined,
            workflowRef: typeof claims.workflow_ref === 'string' ? claims.workflow_ref : undefined
        };
        // The token's use is checked here (cheap, and before the rules), and made with the lease's insert
        // in one transaction: two requests with one token cannot both pass that (the second is refused).
        const jti = String(claims.jti);
        const unavailable = (err) => {
            if (!(err instanceof StoreUnavailable))
                throw err;
            return refuse(err.code, err.code === 'database_unreachable' ? DATABASE_UNREACHABLE : STORE_UNAVAILABLE, who, err.message);
        };
        const used = await this.store.tokenUsed(jti).catch(unavailable);
        if (used)
            refuse('token_replayed', 'this token was used already (jti); request a new one', who);
        const rule = matchRule(this.config.rules, claims);
        if (rule < 0)
            refuse('no_rule_matches', `no rule allows this token (claims checked: ${checkedClaims(this.config.rules).join(', ') || 'none: the configuration has no rules'})`, who);
        if (publicKey === this.serverKey)
            refuse('public_key_taken', "the public key is the interface's own", who);
        if (this.store.liveByKey(publicKey))
            refuse('public_key_leased', 'this public key already has a live lease; make a new key per job', who);
        const ruleQuota = this.config.rules[rule].quota;
        const quota = quotaRefusal(ruleQuota, this.store.liveCounts(who.repositoryId ?? '', who.runId ?? ''));
        if (quota !== undefined)
            refuse('quota_exceeded', quota, who);
        if (!this.rate.take(String(claims.repository_id), this.now()))
            refuse('rate_limited', `too many lease requests from this repository (at most ${this.config.rateLimit} a minute); retry shortly`, who);
        // Kept while the token could verify: until exp, and at most until it is too old (MAX_TOKEN_AGE_MS).
        const exp = Number(claims.exp) * 1000;
        const iat = Number(claims.iat) * 1000;
        const until = (Number.isFinite(iat) ? Math.min(exp, iat + MAX_TOKEN_AGE_MS) : exp) + CLOCK_TOLERANCE_S * 1000;
        for (let attempt = 0;; attempt++) {
            const addresses = this.pool.allocate({ addresses: this.inUse, prefixes: [...this.ifaceHosts, ...this.foreign] });
            if (!addresses)
                refuse('pool_exhausted', 'the address pool is exhausted; retry when leases end', who);
            const now = this.now();
            const secret = (0,external_node_crypto_.randomBytes)(32).toString('base64url');
            const lease = {
                id: (0,external_node_crypto_.randomUUID)(),
                publicKey,
                addresses,
                secretHash: sha256(secret).toString('hex'),
                repository: who.repository ?? '',
                repositoryId: who.repositoryId ?? '',
                runId: who.runId ?? '',
                workflowRef: who.workflowRef ?? '',
                rule,
                createdAt: now,
                expiresAt: now + this.config.leaseTtlMs,
                removed: false
            };
            // The lease, the token's use and the quota's check (across a fleet) are one transaction: a store
            // that cannot be written now refuses at once (503), and the token stays unused. The addresses
            // are held meanwhile, so that no other grant takes them.
            for (const a of addresses)
                this.inUse.add(bare(a));
            let fresh;
            try {
                fresh = await this.store.insert(lease, attempt === 0 ? { jti, until } : undefined, ruleQuota);
            }
            catch (err) {
                for (const a of addresses)
                    this.inUse.delete(bare(a));
                if (err instanceof QuotaExceeded)
                    return refuse('quota_exceeded', err.message, who);
                if (err instanceof KeyLeased)
                    return refuse('public_key_leased', 'this public key already has a live lease; make a new key per job', who);
                return unavailable(err);
            }
            if (!fresh) {
                for (const a of addresses)
                    this.inUse.delete(bare(a));
                refuse('token_replayed', 'this token was used already (jti); request a new one', who);
            }
            this.granting.add(lease.id);
            try {
                await this.queue.submit({ kind: 'add', publicKey, allowedIps: addresses, lease: lease.id, admit: lease });
            }
            catch (err) {
                if (err instanceof ForeignKey || err instanceof AddressTaken) {
                    // Never on the interface: forget it entirely, so the key or address stays the other peer's.
                    this.store.delete(lease.id);
                    for (const a of addresses)
                        this.inUse.delete(bare(a));
                    if (err instanceof AddressTaken && attempt < 2)
                        continue;
                    refuse(err instanceof ForeignKey ? 'public_key_taken' : 'address_taken', err.message, who);
                }
                // The peer may be half there: the sweeper removes it (it is ours, by key and addresses).
                this.store.end(lease.id, 'add-failed', this.now());
                await this.store.flush();
                this.audit('error', { reason: err.message, lease: lease.id, ...who });
                refuse('peer_add_failed', 'the peer could not be added to the interface; see the gateway log', who);
            }
            finally {
                this.granting.delete(lease.id);
            }
            const expiresAt = new Date(lease.expiresAt).toISOString();
            this.audit('lease.granted', {
                status: 201,
                client,
                ...who,
                rule,
                lease: lease.id,
                publicKey,
                addresses,
                expiresAt
            });
            const allowedIps = (this.config.rules[rule]?.allowedIps ?? this.config.allowedIps).map(prefixText);
            return {
                id: lease.id,
                secret,
                addresses,
                peers: [
                    {
                        publicKey: this.serverKey,
                        endpoint: this.config.endpoint,
                        allowedIps,
                        persistentKeepalive: this.config.persistentKeepalive
                    }
                ],
                dns: this.config.dns,
                expiresAt
            };
        }
    }
    /**
     * Ends a live lease now, as an operator's `revoke` (`client` says who): the peer comes off first,
     * whatever the store does (its end is written when the store takes it). False when it is not live.
     */
    async revoke(id, client) {
        const lease = await this.store.get(id);
        if (!lease || lease.endedAt !== undefined || !this.store.end(id, 'revoked', this.now()))
            return false;
        await this.removePeer(lease, 'revoked', client);
        await this.store.flush();
        return true;
    }
    /** Addresses the pool could still lease (of its smallest family). */
    poolFree() {
        return this.pool.free({ addresses: this.inUse, prefixes: [...this.ifaceHosts, ...this.foreign] });
    }
    /**
     * Ends a lease with its secret. The peer comes off the interface first, whatever the store does;
     * resolves true when the end is written to the store too, false when that waits for the store
     * (retried every second, and by the sweeper).
     */
    async release(id, secret, client) {
        const lease = /^[0-9a-f-]{36}$/.test(id) ? await this.store.get(id) : undefined;
        if (!lease || lease.endedAt !== undefined) {
            this.audit('lease.release-refused', {
                status: 404,
                code: 'lease_not_found',
                reason: 'no such live lease',
                client
            });
            throw new HttpError('lease_not_found', 'no such live lease');
        }
        const given = sha256(secret);
        if (!(0,external_node_crypto_.timingSafeEqual)(given, Buffer.from(lease.secretHash, 'hex'))) {
            this.audit('lease.release-refused', {
                status: 403,
                code: 'lease_secret_mismatch',
                reason: 'wrong lease secret',
                client,
                lease: id
            });
            throw new HttpError('lease_secret_mismatch', 'this secret does not belong to this lease');
        }
        this.store.end(id, 'released', this.now());
        await this.removePeer(lease, 'released', client);
        return await this.store.flush();
    }
    /** Ends leases past their time or silent, restores live peers that went missing, removes ended ones. */
    sweep(why = 'sweep') {
        this.sweeping ??= this.sweepOnce(why).finally(() => (this.sweeping = undefined));
        return this.sweeping;
    }
    async sweepOnce(why) {
        const started = this.now();
        const peers = await this.wg.peers(true);
        this.foreign = this.foreignPrefixes(peers);
        // Leases the store says ended that are live here (revoked at another gateway of a fleet, its
        // notification missed, or while the database was unreachable): they end here too.
        for (const e of await this.store.endedElsewhere())
            if (this.store.end(e.id, e.reason, e.at))
                this.audit('fleet.revoked', { lease: e.id, client: 'sweep', reason: `ended in the database (${e.reason})` });
        const now = this.now();
        const work = [];
        let restored = 0;
        const current = this.store.open();
        for (const lease of current) {
            if (this.granting.has(lease.id) || this.removing.has(lease.id) || lease.createdAt > started)
                continue;
            const peer = peers.get(lease.publicKey);
            if (lease.endedAt === undefined) {
                const heard = this.liveness.observe(lease, peer, now);
                const f = fate(lease, heard, now, this.config.silenceMs, this.config.persistentKeepalive * 1000);
                if (f !== 'keep') {
                    if (this.store.end(lease.id, f, now))
                        work.push(this.removePeer(lease, f));
                    continue;
                }
                if (peer && !peer.allowedIps.every((a) => lease.addresses.includes(a))) {
                    // Someone gave the key other addresses: the peer is not the gateway's any more. The lease
                    // ends; the peer stays as it is.
                    if (this.store.end(lease.id, 'peer-changed', now))
                        work.push(this.removePeer(lease, 'peer-changed'));
                    continue;
                }
                if (!peer || !sameSet(peer.allowedIps, lease.addresses)) {
                    restored++;
                    // A peer added anew has no session: its runner is given time to handshake again.
                    if (!peer)
                        this.liveness.restored(lease.id, now);
                    this.audit('lease.restored', {
                        lease: lease.id,
                        publicKey: lease.publicKey,
                        addresses: lease.addresses,
                        repository: lease.repository
                    });
                    work.push(this.queue
                        .submit({ kind: 'add', publicKey: lease.publicKey, allowedIps: lease.addresses, admit: lease })
                        .catch((err) => this.audit('error', { reason: errorText(err), lease: lease.id })));
                }
            }
            else {
                work.push(this.removePeer(lease, lease.endReason ?? 'ended', undefined, peer === undefined));
            }
        }
        // A peer of an ended lease that came back (a saved interface configuration restored, say): the
        // gateway leased it and no longer knows it, so it goes, if it holds only what was leased.
        const open = new Set(current.map((l) => l.publicKey));
        for (const [key, peer] of peers) {
            if (open.has(key))
                continue;
            const last = await this.store.lastByKey(key);
            if (last?.endedAt === undefined || last.createdAt > started || this.removing.has(last.id))
                continue;
            if (peer.allowedIps.every((a) => last.addresses.includes(a)))
                work.push(this.removePeer(last, 'came back after its lease ended'));
        }
        await Promise.all(work);
        // Ends and removals are written now, together (or kept for when the store takes writes again).
        await this.store.flush();
        await this.firewall.reconcile(() => this.store.open());
        await this.store.prune(now);
        if (why === 'reconcile')
            this.audit('gateway.reconciled', {
                interface: this.wg.iface,
                leases: this.store.liveCount(),
                count: restored,
                durationMs: this.now() - started
            });
    }
    /** Removes an ended lease's peer if it is still the gateway's; then frees its addresses. */
    async removePeer(lease, reason, client, gone = false) {
        const fields = {
            reason,
            client,
            lease: lease.id,
            publicKey: lease.publicKey,
            addresses: lease.addresses,
            repository: lease.repository,
            repositoryId: lease.repositoryId,
            runId: lease.runId || undefined
        };
        this.removing.add(lease.id);
        let left = false;
        try {
            // A newer live lease of the same key owns the peer now; nothing to remove.
            if (!gone && !this.store.liveByKey(lease.publicKey))
                await this.queue.submit({ kind: 'remove', publicKey: lease.publicKey, expect: lease.addresses });
        }
        catch (err) {
            if (!(err instanceof PeerChanged)) {
                this.audit('error', {
                    ...fields,
                    reason: `removing the peer failed, retried at the next sweep: ${err.message}`
                });
                return;
            }
            left = true;
            this.audit('peer.left', {
                ...fields,
                reason: "the peer now holds addresses the gateway did not lease: it is not the gateway's any more and stays"
            });
        }
        finally {
            this.removing.delete(lease.id);
        }
        // The peer is gone (or not the gateway's any more): its firewall elements go too.
        await this.firewall
            .forget([lease])
            .catch((err) => this.audit('error', { ...fields, reason: `firewall: ${errorText(err)}; retried at the next sweep` }));
        this.store.markRemoved(lease.id);
        this.liveness.forget(lease.id);
        // A removed peer's addresses are free at once, not at the next read of the interface. (A peer
        // that left keeps its addresses: the read for its removal counted them as foreign.)
        if (!left)
            this.foreign = this.foreign.filter((p) => !lease.addresses.includes(prefixText(p)));
        for (const a of lease.addresses)
            this.inUse.delete(bare(a));
        if (lease.endedAt === undefined)
            this.audit('lease.ended', fields);
        else if (!gone)
            this.audit('peer.removed', fields);
    }
    /**
     * Allowed IPs within the pool that no live lease holds: a lease would take them from the peer
     * that has them (WireGuard moves an allowed IP to the peer set last). That is every address of a
     * peer the gateway never leased, of a peer whose lease ended but which is still (or again) on the
     * interface, changed by an admin or awaiting removal, and any address a live lease's peer holds
     * beyond its lease.
     */
    foreignPrefixes(peers) {
        const out = [];
        for (const [key, p] of peers) {
            const leased = this.store.liveAddresses(key) ?? [];
            for (const text of p.allowedIps) {
                if (leased.includes(text))
                    continue;
                const prefix = parsePrefix(text);
                if (typeof prefix !== 'string' && this.config.pool.some((pool) => contains(pool, prefix)))
                    out.push(prefix);
            }
        }
        return out;
    }
    /**
     * True when a peer on the interface is the gateway's to set: a lease of its key (other than
     * `except`, the lease being added) holds every address the peer has. A peer the gateway never
     * leased, or one whose addresses an admin changed, is not: setting it would replace its addresses.
     */
    async ours(publicKey, peer, except = '') {
        return (await this.store.byKey(publicKey)).some((l) => l.id !== except && peer.allowedIps.every((a) => l.addresses.includes(a)));
    }
    /** One `wg set` for a batch; checks each operation against the interface as it is now. */
    async applyBatch(ops) {
        const peers = await this.wg.peers(false);
        this.foreign = this.foreignPrefixes(peers);
        const results = [];
        let valid = [];
        for (const op of ops) {
            const peer = peers.get(op.publicKey);
            let r;
            if (op.kind === 'add') {
                if (peer && !(await this.ours(op.publicKey, peer, op.lease)))
                    r = new ForeignKey('this public key belongs to another peer on the interface');
                else if (op.allowedIps.some((a) => this.foreign.some((f) => contains(f, parsePrefix(a)))))
                    r = new AddressTaken('the address is held by another peer on the interface');
            }
            else if (peer && !peer.allowedIps.every((a) => op.expect?.includes(a))) {
                r = new PeerChanged('the peer holds addresses the gateway did not lease');
            }
            results.push(r);
            if (!r && !(op.kind === 'remove' && !peer))
                valid.push(op);
        }
        // A peer is added only once the firewall lets its addresses through to their rule's allowed-ips.
        const admit = valid.flatMap((op) => op.admit ?? []);
        if (admit.length > 0)
            await this.firewall.admit(admit).catch((err) => {
                const e = new Error(`the firewall could not admit the lease: ${errorText(err)}`);
                for (const op of valid.filter((o) => o.admit))
                    results[ops.indexOf(op)] = e;
                valid = valid.filter((o) => !o.admit);
            });
        if (valid.length === 0)
            return results;
        try {
            await this.wg.apply(valid);
        }
        catch (err) {
            if (valid.length === 1)
                return results.map((r, i) => r ?? (ops[i] === valid[0] ? err : undefined));
            // One bad operation must not fail the rest: apply them one by one.
            for (const op of valid) {
                await this.wg
                    .apply([op])
                    .catch((e) => (results[ops.indexOf(op)] = e instanceof Error ? e : new Error(errorText(e))));
            }
        }
        return results;
    }
}
function sameSet(a, b) {
    return a.length === b.length && a.every((x) => b.includes(x));
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./src/gateway/http/server.ts
// HTTP: routes, JSON in and out, limits. Errors are `{"error": "…", "code": "…"}` with the code's
// status (src/common/codes.ts), never a stack trace. The token and the lease secret are read from the Authorization header and passed on,
// never logged.








/** A lease request is `{"publicKey": "…"}`: anything over this is refused unread. */
const MAX_BODY = 4096;
/** Reads the body up to `limit` bytes; a larger one is drained (up to a bound) and refused with 413. */
function readBody(req, limit) {
    return new Promise((resolve, reject) => {
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > 1 << 20) {
            reject(new HttpError('body_too_large', `the body is over ${limit} bytes`));
            return;
        }
        const chunks = [];
        let size = 0;
        req.on('data', (c) => {
            size += c.length;
            if (size <= limit)
                chunks.push(c);
            else if (size > 1 << 20)
                req.destroy();
        });
        req.on('end', () => size > limit
            ? reject(new HttpError('body_too_large', `the body is over ${limit} bytes`))
            : resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
        req.on('close', () => reject(new HttpError('request_incomplete', 'the request ended early')));
    });
}
/** Longest credential accepted: GitHub's tokens are about 1 KiB; a lease secret is 43 characters. */
const MAX_BEARER = 8192;
/**
 * The credential of `Authorization: Bearer …`; undefined when there is no such header; throws 401
 * (authorization_malformed) when there is one that is not `Bearer <credential>` (another scheme, or over MAX_BEARER). The
 * header's value is never quoted back.
 */
function bearer(req, what) {
    const header = req.headers.authorization;
    if (header === undefined || header === '')
        return undefined;
    const m = /^Bearer +(\S+)$/i.exec(header);
    if (!m || m[1].length > MAX_BEARER)
        throw new HttpError('authorization_malformed', `malformed Authorization header: expected "Bearer <${what}>" with a ${what === 'OIDC token' ? 'token' : 'secret'} of at most ${MAX_BEARER} characters`);
    return m[1];
}
function send(res, status, body) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(status === 413 ? { connection: 'close' } : {}),
        'content-length': Buffer.byteLength(text)
    });
    res.end(text);
}
/**
 * `gate`: refusals before a request is read (draining, a client over its refusals); none in tests.
 * `fleet`: with PostgreSQL state, /healthz says `role: active` (a standby answers from fleet/http.ts).
 */
function createHandler(leases, config, audit, gate, fleet = false) {
    const route = async (req, res) => {
        const client = req.socket.remoteAddress ?? '';
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        if (path === '/healthz') {
            if (req.method !== 'GET')
                throw new HttpError('method_not_allowed', 'use GET');
            // From memory: answered at once even while the store cannot be written. Draining or a store that
            // cannot be written is 503, so that a load balancer sends new jobs elsewhere.
            const store = leases.storeHealth();
            const common = {
                ...(fleet ? { role: 'active' } : {}),
                interface: config.interface,
                leases: leases.liveCount(),
                store: 'ok'
            };
            if (gate?.draining)
                return send(res, 503, { status: 'draining', ...common });
            if (store.ok)
                return send(res, 200, { status: 'ok', ...common });
            return send(res, 503, {
                status: store.code === 'database_unreachable' ? 'database-unreachable' : 'store-unavailable',
                code: store.code ?? 'store_unavailable',
                ...common,
                store: `${store.reason ?? 'unavailable'}; ${store.pending} write(s) wait`
            });
        }
        if (path === '/v1/leases') {
            if (req.method !== 'POST')
                throw new HttpError('method_not_allowed', 'use POST');
            const refuse = (code, reason) => {
                audit('lease.refused', { status: GATEWAY_CODES[code], code, reason, client });
                throw new HttpError(code, reason);
            };
            const early = gate?.beforeLease(client);
            if (early)
                refuse(early.code, early.message);
            let token;
            try {
                token = bearer(req, 'OIDC token');
            }
            catch (err) {
                refuse(err.code, err.message);
            }
            if (!token)
                refuse('authorization_missing', 'missing "Authorization: Bearer <OIDC token>"');
            let body;
            try {
                body = JSON.parse(await readBody(req, MAX_BODY));
            }
            catch (err) {
                if (err instanceof HttpError)
                    refuse(err.code, err.message);
                refuse('invalid_body', 'the body must be JSON: {"publicKey": "<base64 WireGuard public key>"}');
            }
            const key = body?.publicKey;
            if (!isPeerKey(key))
                refuse('invalid_public_key', '"publicKey" must be a WireGuard public key (32 bytes in base64, not all zero)');
            const grant = await leases.grant(token, key, client);
            return send(res, 201, grant);
        }
        const m = /^\/v1\/leases\/([^/]{1,100})$/.exec(path);
        if (m) {
            if (req.method !== 'DELETE')
                throw new HttpError('method_not_allowed', 'use DELETE');
            const secret = bearer(req, 'lease secret');
            if (!secret)
                throw new HttpError('authorization_missing', 'missing "Authorization: Bearer <lease secret>"');
            // The peer is gone either way; 202 says the lease's end is not yet in the store (it is retried).
            if (await leases.release(m[1], secret, client))
                return send(res, 204);
            return send(res, 202, { removed: true, recorded: false });
        }
        throw new HttpError('not_found', 'no such path: use POST /v1/leases, DELETE /v1/leases/{id} or GET /healthz');
    };
    return (req, res) => {
        route(req, res).catch((err) => {
            if (res.headersSent)
                return;
            if (err instanceof HttpError)
                return send(res, err.status, { error: err.message, code: err.code });
            audit('error', { reason: errorText(err) });
            send(res, 500, { error: 'internal error; see the gateway log', code: 'internal_error' });
        });
    };
}
/**
 * Time limits of the HTTP server. Node enforces the header and request limits only when it checks its
 * connections (by default every 30 s, which let a slow request hold a connection for ~40 s); TLS
 * handshakes have their own limit (by default 120 s).
 */
const LIMITS = {
    headersTimeout: 5000,
    requestTimeout: 10_000,
    connectionsCheckingInterval: 1000,
    handshakeTimeout: 5000,
    keepAliveTimeout: 5000
};
/** Open connections in all: a flood from many addresses cannot exhaust file descriptors. */
const MAX_CONNECTIONS = 2048;
/**
 * What one client is, for the per-client cap: an IPv4 address (also when IPv4-mapped), or an IPv6
 * address's /64 (one host commonly holds a whole /64 and could otherwise open connections from
 * countless addresses). Pure.
 */
function clientGroup(remote) {
    if (!remote)
        return '';
    const text = remote.replace(/^::ffff:(?=[0-9]+\.)/i, '');
    const a = parseAddress(text);
    if (!a)
        return text;
    if (a.family === 4)
        return text;
    return `${formatBytes(6, [...a.bytes.slice(0, 8), 0, 0, 0, 0, 0, 0, 0, 0])}/64`;
}
/** Audit lines about cut connections: at most one a minute per client, with how many were cut. */
const CUT_REPORT_MS = 60_000;
/**
 * Caps open connections per client (`connections-per-address`): one client holding connections
 * open (slow or partial requests) cannot take every place while others wait. A connection over the
 * cap is closed at once, unanswered. Counted on the raw TCP connection, before TLS.
 */
function capPerClient(server, capOf, audit) {
    const clients = new Map();
    const report = (client, c, now) => {
        const cap = capOf();
        audit('connection.refused', {
            client,
            count: c.cut,
            reason: `more than ${cap} open connections from this client (connections-per-address); closed unanswered`
        });
        c.cut = 0;
        c.reportedAt = now;
    };
    server.on('connection', (socket) => {
        const client = clientGroup(socket.remoteAddress);
        const c = clients.get(client) ?? { open: 0, cut: 0, reportedAt: 0 };
        if (c.open >= capOf()) {
            socket.destroy();
            c.cut++;
            const now = Date.now();
            if (now - c.reportedAt >= CUT_REPORT_MS)
                report(client, c, now);
            return;
        }
        c.open++;
        clients.set(client, c);
        socket.once('close', () => {
            c.open--;
            if (c.open > 0)
                return;
            // The client's last connection: what was cut since the last line is said now, and it is forgotten.
            if (c.cut > 0)
                report(client, c, Date.now());
            clients.delete(client);
        });
    });
}
/** An HTTPS server when TLS is configured, else plain HTTP (config allows that only on loopback or when asked). */
function createServer(config, handler, audit = () => undefined, limits = LIMITS) {
    const http = {
        headersTimeout: limits.headersTimeout,
        requestTimeout: limits.requestTimeout,
        connectionsCheckingInterval: limits.connectionsCheckingInterval
    };
    const server = config.tls
        ? (0,external_node_https_.createServer)({
            ...http,
            cert: (0,external_node_fs_.readFileSync)(config.tls.cert),
            key: (0,external_node_fs_.readFileSync)(config.tls.key),
            minVersion: 'TLSv1.2',
            handshakeTimeout: limits.handshakeTimeout
        }, handler)
        : (0,external_node_http_.createServer)(http, handler);
    server.keepAliveTimeout = limits.keepAliveTimeout;
    server.maxHeadersCount = 50;
    server.maxConnections = MAX_CONNECTIONS;
    // Read at each connection: a reload (SIGHUP) changes it in place.
    capPerClient(server, () => config.connectionsPerAddress, audit);
    return server;
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./src/gateway/http/tls.ts
// The gateway's TLS certificate and key, read and checked before they are used (at start and on
// SIGHUP): a pair that cannot serve is refused with one line naming tls.cert or tls.key, so a reload
// keeps the pair in use. A certificate outside its validity is said (main.ts serves it at start with a
// warning, where runners then say it expired, and refuses it on reload); one that is itself a CA is
// served, with a warning.



/** What every secure context of the gateway's server is made with (besides the pair). */
const TLS_CONTEXT = { minVersion: 'TLSv1.2' };
const codeOf = (err) => err.code ?? String(err);
/**
 * Reads `tls.cert` (a PEM chain, the server's certificate first) and `tls.key`, and checks that they
 * make a context (the key matches the certificate) and that the certificate is valid now. Throws an
 * Error with one line naming the key of the configuration and the file, never the file's content.
 */
function loadTls(files, now = Date.now()) {
    const read = (name) => {
        try {
            return (0,external_node_fs_.readFileSync)(files[name]);
        }
        catch (err) {
            throw new Error(`tls.${name} ${files[name]} cannot be read (${codeOf(err)})`, { cause: err });
        }
    };
    const cert = read('cert');
    const key = read('key');
    let x509;
    try {
        x509 = new external_node_crypto_.X509Certificate(cert);
    }
    catch (err) {
        throw new Error(`tls.cert ${files.cert} is not a PEM certificate`, { cause: err });
    }
    try {
        (0,external_node_tls_.createSecureContext)({ ...TLS_CONTEXT, cert, key });
    }
    catch (err) {
        const code = codeOf(err);
        throw new Error(/MISMATCH/i.test(code)
            ? `tls.key ${files.key} does not belong to tls.cert ${files.cert} (${code})`
            : `tls.key ${files.key} cannot be used with tls.cert ${files.cert} (${code})`, { cause: err });
    }
    const outOfDate = Date.parse(x509.validTo) < now
        ? `tls.cert ${files.cert} expired on ${x509.validTo}`
        : Date.parse(x509.validFrom) > now
            ? `tls.cert ${files.cert} is not valid until ${x509.validFrom}`
            : undefined;
    const warnings = outOfDate ? [`${outOfDate}: runners refuse it; renew it`] : [];
    if (x509.ca)
        warnings.push(`tls.cert ${files.cert} is a CA certificate (CA:TRUE): whoever holds its key can sign certificates for any host, which runners trusting it accept. Serve a leaf (CA:FALSE, serverAuth) signed by a CA (docs/gateway.md, TLS)`);
    return outOfDate ? { cert, key, warnings, outOfDate } : { cert, key, warnings };
}

;// CONCATENATED MODULE: ./src/gateway/limits/gate.ts
// What is refused before a request is read: every new lease while the gateway drains (an operator's
// `drain`: live leases stay and can be released), and new leases from a client that went over its
// refused requests (refusals.ts). A release is never refused here: it takes access away, and a job
// that shares its address with whoever is refused (a NAT, a TLS proxy in front of the gateway) must
// still be able to end its lease; a wrong lease secret (256 bits) is refused on its own merits.

class Gate {
    refusals;
    perMinute;
    /** Set by the operators' `drain` and `undrain`; new leases are refused with 503 while it holds. */
    draining = false;
    constructor(refusals, perMinute) {
        this.refusals = refusals;
        this.perMinute = perMinute;
    }
    /** The refusal of a lease request from `client` before it is read, or undefined. */
    beforeLease(client) {
        if (this.draining)
            return new HttpError('draining', 'the gateway is draining: it keeps its live leases and takes no new ones; retry later or elsewhere');
        const wait = this.refusals.blocked(client);
        if (wait === undefined)
            return undefined;
        return new HttpError('too_many_refusals', `too many refused requests from this address (more than ${this.perMinute} a minute, refusals-per-address); retry in ${wait} s`);
    }
}

;// CONCATENATED MODULE: ./src/gateway/limits/refusals.ts

const WINDOW_MS = 60_000;
const REFUSALS = new Set(['lease.refused', 'lease.release-refused']);
class Refusals {
    perMinute;
    write;
    group;
    now;
    limiter;
    windows = new Map();
    /**
     * @param perMinute refusals a client may have a minute, and refusal lines written for it
     * @param write the audit writer lines go on to
     * @param group what one client is (server.ts clientGroup)
     */
    constructor(perMinute, write, group, now = Date.now) {
        this.perMinute = perMinute;
        this.write = write;
        this.group = group;
        this.now = now;
        this.limiter = new RateLimiter(perMinute);
    }
    /** The audit to give the rest of the gateway. */
    audit = (event, fields = {}) => {
        if (!REFUSALS.has(event) || fields.client === undefined)
            return this.write(event, fields);
        const client = this.group(fields.client);
        const now = this.now();
        if (fields.status !== undefined && fields.status >= 400 && fields.status < 500)
            this.limiter.take(client, now);
        let w = this.windows.get(client);
        if (w && now - w.start >= WINDOW_MS) {
            this.summarise(client, w);
            w = undefined;
        }
        if (!w)
            this.windows.set(client, (w = { start: now, written: 0, unwritten: 0 }));
        if (w.written < this.perMinute) {
            w.written++;
            this.write(event, fields);
        }
        else {
            w.unwritten++;
        }
    };
    /**
     * Seconds until `client` may be heard again, when it went over its refusals; undefined when it may
     * send now.
     */
    blocked(client) {
        const g = this.group(client);
        const now = this.now();
        return this.limiter.level(g, now) < 1 ? Math.ceil(this.limiter.waitMs(g, now) / 1000) : undefined;
    }
    /** Writes the summaries of minutes that have ended (every one with `all`, at stop) and forgets them. */
    flush(all = false) {
        const now = this.now();
        for (const [client, w] of this.windows)
            if (all || now - w.start >= WINDOW_MS) {
                this.summarise(client, w);
                this.windows.delete(client);
            }
    }
    summarise(client, w) {
        if (w.unwritten === 0)
            return;
        const fields = {
            client,
            count: w.unwritten,
            reason: `${w.unwritten} more refused requests from this client in the minute from ${new Date(w.start).toISOString()} were counted, not written (refusals-per-address: ${this.perMinute})`
        };
        this.write('lease.refused.repeated', fields);
    }
}

;// CONCATENATED MODULE: ./src/gateway/ops/cli.ts
// The operators' command line, on the gateway's own bundle, talking to the running gateway through its
// control socket (control.ts):
//   node dist/gateway/index.js leases list [--json]
//   node dist/gateway/index.js leases show ID [--json]
//   node dist/gateway/index.js leases revoke ID | --repository NAME-OR-ID | --run RUN-ID
//   node dist/gateway/index.js drain | undrain
// with `--config FILE` (its control-socket; /etc/wireguard-gateway/gateway.yml by default) or
// `--socket PATH`. Parsing and formatting are pure; one request per command.



const DEFAULT_CONFIG = '/etc/wireguard-gateway/gateway.yml';
const USAGE = `usage: node dist/gateway/index.js COMMAND [--config FILE | --socket PATH]
  leases list [--json]            live leases: repository, run, addresses, age, last handshake
                                  (with PostgreSQL state: every gateway's, with a GATEWAY column)
  leases show ID [--json]         one lease, live or ended
  leases revoke ID                end a lease now: its peer and firewall rules go at once
                                  (with PostgreSQL state: a lease of any gateway of the fleet)
  leases revoke --repository R    end every live lease of a repository (name or id)
  leases revoke --run RUN-ID      end every live lease of a workflow run
  drain                           refuse new leases (503), keep the live ones
  undrain                         take new leases again
The running gateway is reached through its control-socket (from --config, ${DEFAULT_CONFIG} by default).`;
class UsageError extends Error {
    constructor(message) {
        super(`${message}\n${USAGE}`);
        this.name = 'UsageError';
    }
}
/** The first words that make the bundle a command line rather than the server. */
const isCli = (argv) => ['leases', 'drain', 'undrain'].includes(argv[0] ?? '');
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Parses the command line (without `node` and the script); throws a UsageError naming what is wrong. Pure. */
function parseCli(argv) {
    const words = [];
    const options = {};
    const takesValue = new Set(['--config', '--socket', '--repository', '--run']);
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--')) {
            words.push(a);
            continue;
        }
        if (a in options)
            throw new UsageError(`${a} is given twice`);
        if (takesValue.has(a)) {
            const v = argv[++i];
            if (v === undefined || v === '' || v.startsWith('--'))
                throw new UsageError(`${a} needs a value`);
            options[a] = v;
        }
        else if (a === '--json')
            options[a] = true;
        else
            throw new UsageError(`unknown option ${a}`);
    }
    const allow = (...names) => {
        const extra = Object.keys(options).find((o) => o !== '--config' && o !== '--socket' && !names.includes(o));
        if (extra)
            throw new UsageError(`${extra} does not go with "${words.join(' ')}"`);
    };
    const json = options['--json'] === true;
    let command;
    const [first, second, third, ...rest] = words;
    if (rest.length > 0)
        throw new UsageError(`unexpected "${rest[0]}"`);
    if ((first === 'drain' || first === 'undrain') && second === undefined) {
        allow();
        command = { kind: first };
    }
    else if (first === 'leases' && second === 'list' && third === undefined) {
        allow('--json');
        command = { kind: 'list', json };
    }
    else if (first === 'leases' && second === 'show') {
        if (third === undefined || !ID.test(third))
            throw new UsageError('leases show needs a lease id (as `leases list` shows it)');
        allow('--json');
        command = { kind: 'show', id: third, json };
    }
    else if (first === 'leases' && second === 'revoke') {
        allow('--repository', '--run');
        const repository = options['--repository'];
        const run = options['--run'];
        const given = [third, repository, run].filter((x) => x !== undefined);
        if (given.length !== 1)
            throw new UsageError('leases revoke needs one of: a lease id, --repository R, --run RUN-ID');
        if (third !== undefined && !ID.test(third))
            throw new UsageError(`"${third}" is not a lease id`);
        command = {
            kind: 'revoke',
            selector: third !== undefined ? { id: third } : repository !== undefined ? { repository } : { run: run }
        };
    }
    else {
        throw new UsageError(words.length ? `unknown command "${words.join(' ')}"` : 'no command');
    }
    if (options['--config'] !== undefined && options['--socket'] !== undefined)
        throw new UsageError('give --config or --socket, not both');
    const socket = options['--socket'] !== undefined
        ? { path: options['--socket'] }
        : { config: options['--config'] ?? DEFAULT_CONFIG };
    return { command, socket };
}
/** `3d4h`, `5m12s`, `40s`: the largest two units of a duration in milliseconds. Pure. */
function age(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const parts = [
        [Math.floor(s / 86400), 'd'],
        [Math.floor(s / 3600) % 24, 'h'],
        [Math.floor(s / 60) % 60, 'm'],
        [s % 60, 's']
    ];
    const first = parts.findIndex(([n]) => n > 0);
    if (first < 0)
        return '0s';
    return parts
        .slice(first, first + 2)
        .filter(([n], i) => i === 0 || n > 0)
        .map(([n, u]) => `${n}${u}`)
        .join('');
}
/**
 * The table `leases list` prints: one line per lease, columns padded. With PostgreSQL state (leases
 * carry `gateway`), a GATEWAY column names the gateway holding each; a lease of another gateway shows
 * `-` as its last handshake (only its own gateway reads it); `partial` (why only this gateway's leases
 * are shown) is a line under the heading. Pure.
 */
function formatList(leases, draining, now, partial) {
    const fleet = leases.some((l) => l.gateway !== undefined);
    const head = ['ID', ...(fleet ? ['GATEWAY'] : []), 'REPOSITORY', 'RUN', 'ADDRESSES', 'AGE', 'LAST HANDSHAKE'];
    const rows = [head];
    for (const l of leases)
        rows.push([
            l.id,
            ...(fleet ? [l.gateway ?? '-'] : []),
            l.repository,
            l.runId || '-',
            l.addresses.join(','),
            age(now - Date.parse(l.createdAt)),
            l.local === false ? '-' : l.latestHandshake ? `${age(now - Date.parse(l.latestHandshake))} ago` : 'never'
        ].map(printable));
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const lines = rows.map((r) => r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd());
    const count = `${leases.length} live lease${leases.length === 1 ? '' : 's'}`;
    const heading = `${count}${fleet && !partial ? ' in the fleet' : ''}${draining ? '; draining: new leases are refused' : ''}`;
    return `${heading}\n${partial ? `${printable(partial)}\n` : ''}${lines.join('\n')}\n`;
}
/** One lease, one `key: value` line each. Pure. */
function formatLease(l, now) {
    const lines = [
        ['id', l.id],
        ['repository', `${l.repository} (id ${l.repositoryId})`],
        ['run', l.runId || '-'],
        ['workflow', l.workflowRef || '-'],
        ...(l.gateway === undefined ? [] : [['gateway', l.gateway]]),
        ['rule', String(l.rule)],
        ['public key', l.publicKey],
        ['addresses', l.addresses.join(', ')],
        ['created', `${l.createdAt} (${age(now - Date.parse(l.createdAt))} ago)`],
        ['expires', l.expiresAt],
        [
            'last handshake',
            l.latestHandshake ? `${l.latestHandshake} (${age(now - Date.parse(l.latestHandshake))} ago)` : 'never'
        ]
    ];
    if (l.endedAt)
        lines.push(['ended', `${l.endedAt} (${l.endReason ?? 'ended'})`]);
    return `${lines.map(([k, v]) => `${`${k}:`.padEnd(16)}${printable(v)}`).join('\n')}\n`;
}
/**
 * `text` with every control character (C0, DEL, C1) and bidirectional override shown as `\u{…}`:
 * a workflow ref carries a branch name the job's author chose, which must not drive the operator's
 * terminal (escape sequences) or reorder what it shows (bidi controls).
 */
const printable = (text) => text.replace(
// eslint-disable-next-line no-control-regex -- control characters are what this finds
/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
function ask(socket, method, path, body) {
    return new Promise((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const req = (0,external_node_http_.request)({
            socketPath: socket,
            method,
            path,
            timeout: 30_000,
            headers: text ? { 'content-type': 'application/json' } : {}
        }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (data += d));
            res.on('end', () => {
                try {
                    resolve({ status: res.statusCode ?? 0, body: (data ? JSON.parse(data) : {}) });
                }
                catch {
                    reject(new Error(`the gateway answered ${res.statusCode ?? 0} with something that is not JSON`));
                }
            });
        });
        req.on('timeout', () => req.destroy(new Error('the gateway did not answer within 30 s')));
        req.on('error', reject);
        req.end(text);
    });
}
/** Runs a command line; writes the answer to stdout (errors to stderr, one line) and resolves with the exit code. */
async function runCli(argv, out = (t) => void process.stdout.write(t), err = (t) => void process.stderr.write(t)) {
    let inv;
    let socket;
    try {
        inv = parseCli(argv);
        socket = 'path' in inv.socket ? inv.socket.path : loadConfig(inv.socket.config).controlSocket;
    }
    catch (e) {
        err(`wireguard-gateway: ${errorText(e)}\n`);
        return 2;
    }
    const c = inv.command;
    try {
        const answer = c.kind === 'list'
            ? await ask(socket, 'GET', '/leases')
            : c.kind === 'show'
                ? await ask(socket, 'GET', `/leases/${c.id}`)
                : c.kind === 'revoke'
                    ? await ask(socket, 'POST', '/revoke', c.selector)
                    : await ask(socket, 'POST', `/${c.kind}`);
        if (answer.status !== 200) {
            const said = typeof answer.body.error === 'string' ? answer.body.error : `the gateway answered ${answer.status}`;
            err(`wireguard-gateway: ${said}\n`);
            return 1;
        }
        const now = Date.now();
        const b = answer.body;
        if ((c.kind === 'list' || c.kind === 'show') && c.json)
            out(`${JSON.stringify(b, null, 2)}\n`);
        else if (c.kind === 'list')
            out(formatList(b.leases, b.draining === true, now, typeof b.partial === 'string' ? b.partial : undefined));
        else if (c.kind === 'show')
            out(formatLease(b, now));
        else if (c.kind === 'revoke') {
            const ids = b.revoked;
            out(`revoked ${ids.length} lease${ids.length === 1 ? '' : 's'}${ids.map((id) => `\n  ${id}`).join('')}\n`);
        }
        else
            out(`${b.draining === true ? 'draining: new leases are refused' : 'taking new leases'}; ${Number(b.leases)} live\n`);
        return 0;
    }
    catch (e) {
        const code = e.code;
        err(`wireguard-gateway: cannot reach the gateway at ${socket} (${code ?? errorText(e)}): ${code === 'ENOENT' || code === 'ECONNREFUSED'
            ? 'is it running, with this control-socket?'
            : code === 'EACCES'
                ? 'the control socket is root’s: run this as root'
                : errorText(e)}\n`);
        return 1;
    }
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/gateway/ops/control.ts
// The operators' control socket: a unix socket that only root can open (the socket 0600 in a directory
// that only its owner can write), through which the command-line interface (cli.ts) lists, shows and
// revokes leases and drains the gateway. HTTP with JSON over the socket. Node cannot read the peer's
// credentials (SO_PEERCRED), so the file modes are the whole check: the gateway refuses to serve in a
// directory that others can write. Every request is audited (`operator.*`, client "control socket").





/** Who the audit says acted through the socket. */
const OPERATOR = 'control socket';
const iso = (ms) => new Date(ms).toISOString();
function view(l, handshake) {
    return {
        id: l.id,
        repository: l.repository,
        repositoryId: l.repositoryId,
        runId: l.runId,
        workflowRef: l.workflowRef,
        rule: l.rule,
        publicKey: l.publicKey,
        addresses: l.addresses,
        createdAt: iso(l.createdAt),
        expiresAt: iso(l.expiresAt),
        latestHandshake: handshake ? iso(handshake * 1000) : null,
        ...(l.endedAt === undefined ? {} : { endedAt: iso(l.endedAt), endReason: l.endReason })
    };
}
/** True when a live lease is one `selector` names. Pure. */
function selects(selector, l) {
    if ('id' in selector)
        return l.id === selector.id;
    if ('repository' in selector)
        return l.repository === selector.repository || l.repositoryId === selector.repository;
    return l.runId === selector.run;
}
function readJson(req) {
    return new Promise((resolve, reject) => {
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (d) => {
            text += d;
            if (text.length > 4096)
                req.destroy(new Error('the request is over 4 KiB'));
        });
        req.on('end', () => {
            try {
                resolve(text ? JSON.parse(text) : {});
            }
            catch {
                reject(new Error('the request is not JSON'));
            }
        });
        req.on('error', reject);
    });
}
function control_send(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
}
function selector(body) {
    const b = (body ?? {});
    const given = ['id', 'repository', 'run'].filter((k) => typeof b[k] === 'string' && b[k] !== '');
    if (given.length !== 1)
        return undefined;
    const k = given[0];
    return { [k]: b[k] };
}
function handler(d) {
    const live = () => d.store.open().filter((l) => l.endedAt === undefined);
    const route = async (req, res) => {
        const path = req.url ?? '/';
        const show = /^\/leases\/([0-9a-f-]{1,64})$/.exec(path);
        if (req.method === 'GET' && path === '/leases') {
            const peers = await d.wg.peers(true);
            const here = live().map((l) => view(l, peers.get(l.publicKey)?.latestHandshake));
            if (!d.fleet) {
                d.audit('operator.list', { client: OPERATOR, leases: here.length });
                return control_send(res, 200, { draining: d.gate.draining, leases: here });
            }
            const f = d.fleet;
            let leases = here.map((l) => ({ ...l, gateway: f.name, local: true }));
            let partial;
            try {
                const others = (await f.db.live()).filter((l) => l.gatewayKey !== f.self);
                leases = [...leases, ...others.map((l) => ({ ...view(l, undefined), gateway: l.gatewayName, local: false }))];
                leases.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
            }
            catch (err) {
                partial = `only this gateway's leases: the database cannot be read (${errorText(err)})`;
            }
            d.audit('operator.list', { client: OPERATOR, leases: leases.length, reason: partial });
            return control_send(res, 200, { draining: d.gate.draining, leases, ...(partial ? { partial } : {}) });
        }
        if (req.method === 'GET' && show) {
            const l = await d.store.get(show[1]);
            d.audit('operator.show', { client: OPERATOR, lease: show[1], status: l ? 200 : 404 });
            if (!l)
                return control_send(res, 404, { error: `no lease ${show[1]} (ended leases are kept for 7 days)` });
            const peer = l.endedAt === undefined ? (await d.wg.peers(true)).get(l.publicKey) : undefined;
            return control_send(res, 200, view(l, peer?.latestHandshake));
        }
        if (req.method === 'POST' && path === '/revoke') {
            const sel = selector(await readJson(req));
            if (!sel)
                return control_send(res, 400, { error: 'give exactly one of "id", "repository", "run"' });
            const chosen = live().filter((l) => selects(sel, l));
            const revoked = [];
            for (const l of chosen)
                if (await d.leases.revoke(l.id, OPERATOR))
                    revoked.push(l.id);
            const [by, value] = Object.entries(sel)[0];
            // With PostgreSQL, the other gateways' leases too: ended in the database, their owner notified.
            let problem;
            if (d.fleet && !('id' in sel && revoked.length > 0))
                problem = await revokeElsewhere(d.fleet, sel, revoked, d.audit).catch((err) => `the database cannot be reached (${errorText(err)})`);
            d.audit('operator.revoke', { client: OPERATOR, reason: `revoke by ${by} ${value}`, count: revoked.length });
            if (problem)
                return control_send(res, 503, {
                    error: `${problem}: revoked ${revoked.length} lease(s) of this gateway only`,
                    revoked
                });
            if ('id' in sel && revoked.length === 0)
                return control_send(res, 404, { error: `no live lease ${sel.id}` });
            return control_send(res, 200, { revoked });
        }
        if (req.method === 'POST' && (path === '/drain' || path === '/undrain')) {
            d.gate.draining = path === '/drain';
            d.audit(`operator.${path.slice(1)}`, { client: OPERATOR, leases: d.leases.liveCount() });
            return control_send(res, 200, { draining: d.gate.draining, leases: d.leases.liveCount() });
        }
        control_send(res, 404, { error: 'no such command' });
    };
    return (req, res) => {
        route(req, res).catch((err) => {
            d.audit('error', { client: OPERATOR, reason: `control socket: ${errorText(err)}` });
            if (!res.headersSent)
                control_send(res, 500, { error: errorText(err) });
        });
    };
}
/**
 * Ends the live leases of other gateways that `sel` names, in the database, each with a notice to its
 * owner (which takes the peer off); adds their ids to `revoked`. Throws when the database cannot be read.
 */
async function revokeElsewhere(f, sel, revoked, audit) {
    const theirs = (await f.db.live()).filter((l) => l.gatewayKey !== f.self && selects(sel, l));
    for (const l of theirs) {
        if ((await f.db.endAndNotify(l.id, 'revoked', Date.now())) === undefined)
            continue;
        revoked.push(l.id);
        audit('fleet.revoke-sent', { client: OPERATOR, lease: l.id, gateway: l.gatewayName, repository: l.repository });
    }
    return undefined;
}
/** Resolves true when something accepts connections on the unix socket `path`. */
function answers(path) {
    return new Promise((resolve) => {
        const s = (0,external_node_net_.createConnection)(path);
        s.once('connect', () => {
            s.destroy();
            resolve(true);
        });
        s.once('error', () => resolve(false));
    });
}
/**
 * Serves the control socket at `path`: makes its directory (0700) if missing, refuses one that others
 * can write or a path that is not a socket, refuses to start while another process answers on it
 * (another gateway for this interface), removes a stale one, and leaves the socket 0600.
 */
async function serveControl(path, deps) {
    const dir = (0,external_node_path_.dirname)(path);
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    const st = (0,external_node_fs_.statSync)(dir);
    if ((st.mode & 0o022) !== 0 || st.uid !== process.getuid?.())
        throw new Error(`control-socket: the directory ${dir} can be written by others (mode ${(st.mode & 0o777).toString(8)}, owner ${st.uid}); give a directory only this user can write, such as /run/wireguard-gateway`);
    let existing;
    try {
        existing = (0,external_node_fs_.lstatSync)(path);
    }
    catch {
        existing = undefined;
    }
    if (existing) {
        if (!existing.isSocket())
            throw new Error(`control-socket: ${path} exists and is not a socket; remove it`);
        if (await answers(path))
            throw new Error(`control-socket: another process serves ${path} (another gateway for this interface?); stop it first`);
        (0,external_node_fs_.unlinkSync)(path);
    }
    const server = (0,external_node_http_.createServer)(handler(deps));
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => resolve());
    });
    (0,external_node_fs_.chmodSync)(path, 0o600);
    return server;
}

// EXTERNAL MODULE: ./node_modules/prom-client/index.js
var prom_client = __webpack_require__(5222);
;// CONCATENATED MODULE: ./src/gateway/ops/metrics.ts
// Prometheus metrics (prom-client), on their own listen address (`metrics: 127.0.0.1:9108`; off by
// default), plain HTTP, GET /metrics. Counted from the audit, which every decision goes through, so a
// grant or refusal is counted exactly when it is logged (refusals included when the audit summarises
// them); gauges are read at each scrape. No label holds a repository, a key or an address.



const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
class Metrics {
    registry = new prom_client.Registry();
    grants;
    refusals;
    ended;
    issuerFailures;
    latency;
    sweeps;
    repairs;
    roleChanges;
    fleetRevokes;
    constructor(source) {
        const registers = [this.registry];
        (0,prom_client.collectDefaultMetrics)({ register: this.registry });
        new prom_client.Gauge({
            name: 'wireguard_gateway_leases_live',
            help: 'Live leases (peers the gateway holds on its interface).',
            registers,
            collect() {
                this.set(source.liveCount());
            }
        });
        new prom_client.Gauge({
            name: 'wireguard_gateway_pool_free_addresses',
            help: 'Addresses the pool can still lease (of its smallest family).',
            registers,
            collect() {
                this.set(source.poolFree());
            }
        });
        new prom_client.Gauge({
            name: 'wireguard_gateway_draining',
            help: '1 while the gateway drains (refuses new leases), else 0.',
            registers,
            collect() {
                this.set(source.draining() ? 1 : 0);
            }
        });
        if (source.fleet)
            this.fleetGauges(source.fleet, registers);
        this.grants = new prom_client.Counter({ name: 'wireguard_gateway_grants_total', help: 'Leases granted.', registers });
        this.refusals = new prom_client.Counter({
            name: 'wireguard_gateway_refusals_total',
            help: 'Lease and release requests refused, by HTTP status and error code.',
            labelNames: ['status', 'code'],
            registers
        });
        this.ended = new prom_client.Counter({
            name: 'wireguard_gateway_leases_ended_total',
            help: 'Leases ended, by reason (released, expired, silent, revoked, …).',
            labelNames: ['reason'],
            registers
        });
        this.issuerFailures = new prom_client.Counter({
            name: 'wireguard_gateway_issuer_fetch_failures_total',
            help: "Requests refused because the token issuer's discovery document or keys could not be fetched or used (issuer_unreachable, issuer_misconfigured).",
            registers
        });
        this.latency = new prom_client.Histogram({
            name: 'wireguard_gateway_lease_latency_seconds',
            help: 'Time from a lease request to its 201 answer (the peer is live before the answer).',
            buckets: SECONDS,
            registers
        });
        this.sweeps = new prom_client.Histogram({
            name: 'wireguard_gateway_sweep_duration_seconds',
            help: 'Time a sweep (expiry, silence, restore, firewall comparison) took.',
            buckets: SECONDS,
            registers
        });
        this.repairs = new prom_client.Counter({
            name: 'wireguard_gateway_firewall_repairs_total',
            help: 'Times the nftables table differed from the leases and was rebuilt.',
            registers
        });
    }
    /** The gauges of a process of a fleet (PostgreSQL state): one line each, read at a scrape. */
    fleetGauges(fleet, registers) {
        new prom_client.Gauge({
            name: 'wireguard_gateway_info',
            help: 'Always 1: the gateway (its name in the fleet, its interface) this process serves.',
            labelNames: ['name', 'interface'],
            registers,
            collect() {
                const f = fleet();
                this.reset();
                this.set({ name: f.name, interface: f.interface }, 1);
            }
        });
        new prom_client.Gauge({
            name: 'wireguard_gateway_active',
            help: "1 while this process acts for its gateway (holds the gateway's lock), 0 while it is a standby.",
            registers,
            collect() {
                this.set(fleet().active ? 1 : 0);
            }
        });
        new prom_client.Gauge({
            name: 'wireguard_gateway_database_reachable',
            help: "1 while this process's session with PostgreSQL works (checked every second), else 0.",
            registers,
            collect() {
                this.set(fleet().databaseReachable ? 1 : 0);
            }
        });
        new prom_client.Gauge({
            name: 'wireguard_gateway_revoke_listener_up',
            help: 'The active only: 1 while it listens for revokes from the fleet (LISTEN), else 0 (the sweep finds them).',
            registers,
            collect() {
                this.set(fleet().listening ? 1 : 0);
            }
        });
        this.roleChanges = new prom_client.Counter({
            name: 'wireguard_gateway_role_changes_total',
            help: 'Times this process took over (to active) or stepped down (to standby), by the role it took.',
            labelNames: ['role'],
            registers
        });
        this.fleetRevokes = new prom_client.Counter({
            name: 'wireguard_gateway_fleet_revokes_total',
            help: 'Leases of this gateway ended because the fleet said so, by how it learnt it (notice, sweep).',
            labelNames: ['via'],
            registers
        });
    }
    /** An audit that counts what it sees, then writes it on with `write`. */
    observe(write) {
        return (event, fields = {}) => {
            if (event === 'lease.granted')
                this.grants.inc();
            else if (event === 'lease.refused' || event === 'lease.release-refused') {
                this.refusals.inc({ status: String(fields.status ?? 0), code: fields.code ?? 'none' });
                if (fields.code === 'issuer_unreachable' || fields.code === 'issuer_misconfigured')
                    this.issuerFailures.inc();
            }
            else if (event === 'lease.ended')
                this.ended.inc({ reason: fields.reason ?? 'ended' });
            else if (event === 'firewall.repaired')
                this.repairs.inc();
            else if (event === 'fleet.active' || event === 'fleet.standby')
                this.roleChanges?.inc({ role: event.slice('fleet.'.length) });
            else if (event === 'fleet.revoked')
                this.fleetRevokes?.inc({ via: fields.client === 'sweep' ? 'sweep' : 'notice' });
            write(event, fields);
        };
    }
    /** Times lease requests that are granted (201), from the request to the answer sent. */
    instrument(handler) {
        return (req, res) => {
            if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/leases') {
                const start = external_node_perf_hooks_.performance.now();
                res.once('finish', () => {
                    if (res.statusCode === 201)
                        this.latency.observe((external_node_perf_hooks_.performance.now() - start) / 1000);
                });
            }
            handler(req, res);
        };
    }
    /** Records a sweep's duration in milliseconds. */
    swept(ms) {
        this.sweeps.observe(ms / 1000);
    }
}
/** Serves GET /metrics on host:port (plain HTTP: keep it on loopback or a private network). */
async function serveMetrics(metrics, host, port) {
    const server = (0,external_node_http_.createServer)((req, res) => {
        if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
            return;
        }
        metrics.registry
            .metrics()
            .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
            .catch((err) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`));
    });
    server.headersTimeout = 5000;
    server.requestTimeout = 10_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
    });
    return server;
}

// EXTERNAL MODULE: ./src/gateway/preflight.ts
var preflight = __webpack_require__(6233);
;// CONCATENATED MODULE: ./src/gateway/reload.ts
// SIGHUP: the configuration is read again and applied in place, the TLS pair too. What a running
// process cannot change (where it listens, the interface, the pool, the store, what was built from
// the configuration at start: the firewall's table, the limiters, the control socket and metrics)
// refuses the reload; so does any error. A refused reload changes nothing and says why in one audit
// line.

/** What a reload cannot change (YAML keys, quoted), with how to compare it. */
const FIXED = [
    ['"listen"', (c) => c.listen],
    ['"tls"', (c) => c.tls !== undefined],
    ['"insecure-http"', (c) => c.insecureHttp],
    ['"interface"', (c) => c.interface],
    ['"pool"', (c) => c.pool],
    ['"state"', (c) => c.state],
    ['"name"', (c) => c.name],
    ['"firewall"', (c) => c.firewall],
    ['"metrics"', (c) => c.metrics],
    ['"control-socket"', (c) => c.controlSocket],
    ['"rate-limit"', (c) => c.rateLimit],
    ['"refusals-per-address"', (c) => c.refusalsPerAddress],
    // The nftables table is built from these at start: what each rule's leases may reach.
    [
        'the firewall’s table (allowed-ips, the rules’ allowed-ips and reach-leases)',
        (c) => (c.firewall === 'nftables' ? tablePlan(c) : undefined)
    ]
];
/** The first thing that differs and a reload cannot change, as said; undefined when a reload can apply `next`. Pure. */
function fixedChange(current, next) {
    return FIXED.find(([, v]) => JSON.stringify(v(current)) !== JSON.stringify(v(next)))?.[0];
}

;// CONCATENATED MODULE: ./src/gateway/fleet/http.ts

/** What a standby tells clients. */
const STANDBY = 'this gateway process is a standby: another process of this gateway is active; try another gateway or shortly again';
function http_send(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-length': Buffer.byteLength(text)
    });
    res.end(text);
}
/**
 * The handler for a process that may be active or standby: `active()` is the API's handler while
 * this process acts, undefined while it is a standby. `iface` is the gateway's interface (for /healthz).
 */
function byRole(active, iface, audit) {
    return (req, res) => {
        const handler = active();
        if (handler)
            return handler(req, res);
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        if (path === '/healthz' && req.method === 'GET')
            return http_send(res, 503, { status: 'standby', role: 'standby', code: 'standby', interface: iface });
        if ((path === '/v1/leases' && req.method === 'POST') ||
            (/^\/v1\/leases\/[^/]+$/.test(path) && req.method === 'DELETE')) {
            const client = req.socket.remoteAddress ?? '';
            audit(req.method === 'POST' ? 'lease.refused' : 'lease.release-refused', {
                status: GATEWAY_CODES.standby,
                code: 'standby',
                reason: 'this process is a standby',
                client
            });
            // The body is not read: drain it so that the connection can be kept.
            req.resume();
            return http_send(res, GATEWAY_CODES.standby, { error: STANDBY, code: 'standby' });
        }
        http_send(res, GATEWAY_CODES.not_found, {
            error: 'no such path: use POST /v1/leases, DELETE /v1/leases/{id} or GET /healthz',
            code: 'not_found'
        });
    };
}

;// CONCATENATED MODULE: ./src/gateway/fleet/notices.ts


const CHANNEL = 'wireguard_gateway';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Longer payloads are refused unread (a valid one is about 130 bytes; NOTIFY allows 8000). */
const MAX_PAYLOAD = 512;
/** The payload for a revoke of `lease` held by the gateway of key `gateway`. Pure. */
function revokePayload(n) {
    return JSON.stringify({ v: 1, kind: 'revoke', gateway: n.gateway, lease: n.lease });
}
/**
 * Reads a payload: the notice, or undefined for anything else (not JSON, another version or kind,
 * extra fields, a key or lease id of the wrong form, over MAX_PAYLOAD). Pure.
 */
function parseNotice(payload) {
    if (payload === undefined || payload.length > MAX_PAYLOAD)
        return undefined;
    let v;
    try {
        v = JSON.parse(payload);
    }
    catch {
        return undefined;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        return undefined;
    const o = v;
    if (Object.keys(o).sort().join(',') !== 'gateway,kind,lease,v')
        return undefined;
    if (o.v !== 1 || o.kind !== 'revoke')
        return undefined;
    if (typeof o.gateway !== 'string' || !isPeerKey(o.gateway))
        return undefined;
    if (typeof o.lease !== 'string' || !UUID.test(o.lease))
        return undefined;
    return { gateway: o.gateway, lease: o.lease };
}
/** Sends a revoke notice on `db` (a pool or a client): delivered when its transaction commits. */
async function notifyRevoke(db, n) {
    await db.query('SELECT pg_notify($1, $2)', [CHANNEL, revokePayload(n)]);
}
/** Backoff between reconnects: 1 s, doubling, at most 10 s. Pure. */
const backoffMs = (failures) => Math.min(10_000, 1000 * 2 ** Math.max(0, failures - 1));
/** Listens on CHANNEL on a session of its own, reconnecting with backoff while it runs. */
class Listener {
    o;
    session;
    failures = 0;
    timer;
    stopped = false;
    constructor(o) {
        this.o = o;
    }
    /** Connects (resolving once the first attempt is done; failures are retried in the background). */
    async start() {
        this.stopped = false;
        await this.connect();
    }
    /** True while a session is listening. */
    get listening() {
        return this.session !== undefined;
    }
    malformed = 0;
    malformedSaidAt = -Infinity;
    async connect() {
        if (this.stopped)
            return;
        const c = this.o.client();
        c.on('error', () => this.lost(c));
        c.on('end', () => this.lost(c));
        c.on('notification', (m) => {
            if (m.channel !== CHANNEL)
                return;
            const n = parseNotice(m.payload);
            if (!n) {
                // Any role that may connect can NOTIFY: at most one line a minute says so, with the count.
                this.malformed++;
                const now = Date.now();
                if (now - this.malformedSaidAt >= 60_000) {
                    this.o.audit('warning', {
                        reason: `${this.malformed} notice(s) on ${CHANNEL} not of the kind this gateway sends: ignored`
                    });
                    this.malformed = 0;
                    this.malformedSaidAt = now;
                }
                return;
            }
            if (n.gateway !== this.o.self)
                return;
            this.o
                .revoked(n.lease)
                .catch((err) => this.o.audit('error', { lease: n.lease, reason: `fleet revoke: ${errorText(err)}` }));
        });
        try {
            await c.connect();
            await c.query(`LISTEN ${CHANNEL}`);
        }
        catch (err) {
            c.removeAllListeners('end');
            c.end().catch(() => undefined);
            this.failures++;
            if (this.failures === 1)
                this.o.audit('warning', {
                    reason: `cannot listen for revokes from the fleet (${errorText(err)}); retried, the sweep finds them meanwhile`
                });
            this.retry();
            return;
        }
        // stop() may have run while this connected.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (this.stopped) {
            await c.end().catch(() => undefined);
            return;
        }
        this.session = c;
        this.failures = 0;
        await this.o
            .listening()
            .catch((err) => this.o.audit('error', { reason: `fleet revokes check: ${errorText(err)}` }));
    }
    lost(c) {
        if (c !== this.session)
            return;
        this.session = undefined;
        c.end().catch(() => undefined);
        this.failures = 1;
        this.retry();
    }
    retry() {
        if (this.stopped || this.timer)
            return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.connect();
        }, backoffMs(this.failures));
        this.timer.unref();
    }
    async stop() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
        const c = this.session;
        this.session = undefined;
        await c?.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/gateway/fleet/owner.ts
// The owner's side of a revoke across the fleet: a lease of this gateway that the database says ended
// (an operator revoked it at another gateway) is ended here too, its peer and firewall elements taken
// off at once. Learnt from a notice (notices.ts), or, when one was missed, from the sweep (Leases.sweep
// reads the store's endedElsewhere).


/**
 * The fleet's view over the store; `notify` tells an owner (a fresh session per revoke: revokes are
 * rare, and the notice must not wait for a session that is reconnecting). The notice follows the
 * end's commit; one lost in between is made good by the owner's sweep.
 */
function storeFleet(store, connect) {
    return {
        live: async () => (await store.fleet()).filter((l) => l.endedAt === undefined),
        endAndNotify: async (id, reason, now) => {
            const owner = await store.endAnywhere(id, reason, now);
            if (owner === undefined)
                return undefined;
            const c = connect();
            try {
                await c.connect();
                await notifyRevoke(c, { gateway: owner, lease: id });
            }
            catch {
                // Ended in the database: its owner's sweep takes the peer off (within its sweep interval).
            }
            finally {
                await c.end().catch(() => undefined);
            }
            return owner;
        }
    };
}
/**
 * Ends here each of `ids` (leases of this gateway the database says ended); resolves how many it
 * ended (a lease no longer live here is skipped). Audits `fleet.revoked` for each.
 */
async function endHere(leases, ids, via, audit) {
    let n = 0;
    for (const id of ids) {
        try {
            if (!(await leases.revoke(id, via)))
                continue;
        }
        catch (err) {
            audit('error', { lease: id, reason: `ending a lease revoked in the fleet: ${errorText(err)}` });
            continue;
        }
        n++;
        audit('fleet.revoked', {
            lease: id,
            client: via,
            reason: 'revoked at another gateway of the fleet: its peer is off this interface'
        });
    }
    return n;
}
/**
 * Obeys a revoke notice for lease `id` of this gateway only when the store confirms that the lease
 * ended: NOTIFY needs no privilege (any role that may connect to the database can send one, and a
 * lease id is printed in its job's log), so a notice is a hint to look, never an order. Resolves
 * whether the lease was ended here.
 */
async function obeyNotice(store, leases, id, audit) {
    const ended = await store.endedElsewhere([id]);
    if (!ended.some((e) => e.id === id))
        return false;
    return (await endHere(leases, [id], 'fleet notice', audit)) > 0;
}

;// CONCATENATED MODULE: ./src/gateway/fleet/standby.ts
// The standby: with PostgreSQL state, several processes may serve one gateway (one interface, one
// public key), and exactly one of them acts: the one whose dedicated database session holds the
// session-level advisory lock of the gateway's key (`pg_try_advisory_lock`). The others serve HTTP but
// refuse leases (503 `standby`) and never touch the interface or its firewall. PostgreSQL frees a
// session's advisory locks when the session ends (its process killed, its connection closed or
// terminated), so a standby that tries every second acts within about a second of that.
//
// Split brain. Two processes could both act only if one believed it held the lock while another took
// it. The lock is lost only with the session; the active checks its session every tick (a `SELECT 1`
// with a short timeout) and, when it is gone, reconnects and takes the lock again: if another process
// holds it now, it steps down at once. While the database cannot be reached at all, the active keeps
// acting: issue 17 keeps the database out of the data path (live leases keep working), and a standby
// that cannot reach the database cannot take the lock either. The one window left is a partition in
// which the active cannot reach the database while a standby can: the standby takes over once the
// server has ended the active's session, and the old active, which cannot write (its new leases are
// refused with `database_unreachable`), only takes off peers of leases that end (released, expired),
// exactly as the new active does; it steps down when it reaches the database again. Both processes
// serve the same interface on the same host, so neither can strand the other's peers.


/** Prefix of the text hashed into the lock's key: keeps it apart from any other use of advisory locks. */
const LOCK_NAMESPACE = 'wireguard-gateway/standby/v1:';
/**
 * The advisory lock's key for a gateway: the first 8 bytes of SHA-256(LOCK_NAMESPACE + public key, in
 * base64 as `wg` shows it), read as a signed big-endian 64-bit integer (PostgreSQL's `bigint`). Stable
 * across versions and hosts; two gateways collide with probability 2^-64. Pure.
 */
function lockKey(publicKey) {
    return (0,external_node_crypto_.createHash)('sha256').update(`${LOCK_NAMESPACE}${publicKey}`).digest().readBigInt64BE(0);
}
/** How often a standby tries the lock and the active checks its session (milliseconds). */
const TICK_MS = 1000;
/** A session check or lock attempt that takes longer counts as the database unreachable. */
const standby_QUERY_TIMEOUT_MS = 2000;
/**
 * Holds (or waits for) the gateway's advisory lock. `role` and `databaseReachable` are read by
 * /healthz and the metrics.
 */
class Standby {
    o;
    role = 'standby';
    /** False while the lock's session cannot be opened or checked. */
    databaseReachable = false;
    session;
    held = false;
    timer;
    ticking;
    stopped = false;
    lastProblem = '';
    constructor(o) {
        this.o = o;
    }
    /** Tries once (resolving when that try is done), then every tick. */
    async start() {
        await this.tick();
        this.timer = setInterval(() => void this.tick(), this.o.tickMs ?? TICK_MS);
    }
    /** One step: never two at once; never throws. */
    tick() {
        this.ticking ??= this.step()
            .catch((err) => this.o.audit('error', { reason: `standby: ${errorText(err)}` }))
            .finally(() => (this.ticking = undefined));
        return this.ticking;
    }
    async step() {
        if (this.stopped)
            return;
        let session;
        try {
            session = await this.connected();
            if (this.held) {
                await session.query('SELECT 1');
                this.reachable(true);
                return;
            }
            const r = await session.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
                this.o.key.toString()
            ]);
            this.reachable(true);
            this.held = r.rows[0]?.ok === true;
        }
        catch (err) {
            this.drop();
            this.reachable(false, errorText(err));
            return;
        }
        if (this.held && this.role === 'standby') {
            this.role = 'active';
            this.o.audit('fleet.active', { reason: 'this process holds the gateway’s lock: it acts' });
            try {
                await this.o.activate();
            }
            catch (err) {
                this.role = 'standby';
                this.drop();
                if (this.o.isRefusal?.(err)) {
                    this.stopped = true;
                    this.o.refused?.(err);
                    return;
                }
                this.o.audit('error', { reason: `taking over failed, the lock is released: ${errorText(err)}` });
            }
        }
        else if (!this.held && this.role === 'active') {
            this.role = 'standby';
            const reason = 'another process holds the gateway’s lock since this one lost its database session';
            this.o.audit('fleet.standby', { reason: `${reason}: this one stops acting` });
            await this.o.stepDown(reason);
        }
    }
    async connected() {
        if (this.session)
            return this.session;
        const c = this.o.client();
        // A session that ends (terminated, the server restarted) is dropped; the next tick opens another.
        c.on('error', () => this.drop(c));
        c.on('end', () => this.drop(c));
        this.session = c;
        await c.connect();
        return c;
    }
    /** Forgets the session (and with it the lock: the server frees it when the session ends). */
    drop(c = this.session) {
        if (!c || c !== this.session)
            return;
        this.session = undefined;
        this.held = false;
        c.end().catch(() => undefined);
    }
    reachable(ok, reason = '') {
        if (ok && !this.databaseReachable)
            this.o.audit('fleet.database-reachable', { role: this.role });
        if (!ok && (this.databaseReachable || reason !== this.lastProblem))
            this.o.audit('fleet.database-unreachable', {
                role: this.role,
                reason: `${reason}; ${this.role === 'active' ? 'this process keeps acting' : 'this process stays standby'}`
            });
        this.lastProblem = ok ? '' : reason;
        this.databaseReachable = ok;
    }
    /** Stops trying and ends the session (freeing the lock). */
    async stop() {
        this.stopped = true;
        if (this.timer)
            clearInterval(this.timer);
        await this.ticking;
        const c = this.session;
        this.session = undefined;
        this.held = false;
        await c?.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/gateway/main.ts
// The gateway's entry: `node dist/gateway/index.js --config gateway.yml` serves; `… leases list|show|
// revoke`, `… drain|undrain` are the operators' command line (ops/cli.ts), talking to the running
// gateway through its control socket. Serving: reads the configuration, reconciles the interface and
// its firewall with the store, serves, sweeps; SIGTERM/SIGINT stop it within a few seconds and leave
// live leases, their peers and their firewall rules for the next start; SIGHUP reloads the
// configuration and the TLS certificate (reload.ts).


























const STOP_WITHIN_MS = 3000;
/** How long a process taking over waits for the one stepping down to give up the control socket. */
const TAKEOVER_WAIT_MS = 3000;
/**
 * Connections the kernel queues before they are accepted (listen(2)'s backlog, capped by
 * net.core.somaxconn): Node's default of 511 makes the rest of a burst of runners wait for SYN
 * retransmits (a second or more).
 */
const LISTEN_BACKLOG = 4096;
function configPath(argv) {
    const i = argv.indexOf('--config');
    const path = i >= 0 ? argv[i + 1] : undefined;
    if (!path || argv.length !== 2)
        throw new Error('usage: node dist/gateway/index.js --config /etc/wireguard-gateway/gateway.yml (or leases list|show|revoke, drain, undrain)');
    return path;
}
/** Things worth an operator's attention in a configuration that starts. */
function warnings(config, tlsWarnings) {
    const out = [...tlsWarnings];
    if (config.rules.length === 0)
        out.push('the configuration has no rules: every lease request is refused (403). Add rules (docs/gateway.md)');
    return out;
}
async function main() {
    const path = configPath(process.argv.slice(2));
    const privilege = (0,preflight/* privilegeProblem */.no)(process.getuid?.() ?? 0, (0,external_node_fs_.readFileSync)('/proc/self/status', 'utf8'));
    if (privilege)
        throw new Error(privilege);
    // The store (and its -wal, -shm and lock files) readable by root only.
    process.umask(0o077);
    const config = loadConfig(path);
    const tls = config.tls ? loadTls(config.tls) : undefined;
    // Refusals are summarised before the journal (refusals-per-address), and counted for metrics before that.
    const refusals = new Refusals(config.refusalsPerAddress, createAudit(), clientGroup);
    const gate = new Gate(refusals, config.refusalsPerAddress);
    const wg = new Wg(config.interface);
    const fleet = isPostgresUrl(config.state);
    // With PostgreSQL: the gateway's identity in the fleet is its interface's public key.
    const publicKey = fleet ? (await wg.info()).publicKey : '';
    const name = config.name;
    let acting;
    let standby;
    let listener;
    const metrics = config.metrics
        ? new Metrics({
            // Read at a scrape: a standby has no leases of its own to count.
            liveCount: () => acting?.leases.liveCount() ?? 0,
            poolFree: () => acting?.leases.poolFree() ?? 0,
            draining: () => gate.draining,
            fleet: fleet
                ? () => ({
                    name,
                    interface: config.interface,
                    active: standby?.role === 'active',
                    databaseReachable: standby?.databaseReachable ?? false,
                    listening: listener?.listening ?? false
                })
                : undefined
        })
        : undefined;
    const audit = metrics ? metrics.observe(refusals.audit) : refusals.audit;
    const plan = tablePlan(config);
    let verifier = createVerifier(config);
    const verify = (token) => verifier(token);
    /**
     * A session of its own for the lock, for notices or for one NOTIFY: never one of the store's. The
     * server must let go of a session whose gateway is gone or cut off, or an advisory lock outlives
     * it (in a partition the client's close never arrives) and no process can act until the kernel's
     * keepalive reaps it (2 h by default): TCP keepalives find a silent peer within 11 s, and the
     * lock's session (`lock`: it queries every second, so it is never idle that long) also ends
     * after 10 s idle (idle_session_timeout, PostgreSQL 14). The LISTEN session waits idle by design,
     * so it has the keepalives only.
     */
    const session = (lock = false) => new esm/* default.Client */.Ay.Client({
        connectionString: config.state,
        application_name: `wireguard-gateway ${name}`.slice(0, 63),
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        query_timeout: standby_QUERY_TIMEOUT_MS,
        keepAlive: true,
        options: `${lock ? '-c idle_session_timeout=10s ' : ''}-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3`
    });
    let sweepIntervalMs = config.sweepIntervalMs;
    /** Starts acting: the store, the control socket, reconcile (interface and firewall), then sweeps. */
    const act = async () => {
        const store = new Store(config.state);
        if (!fleet)
            (0,external_node_fs_.chmodSync)(config.state, 0o600);
        const firewall = config.firewall === 'nftables' ? new Nftables(plan, audit) : new NoFirewall(plan, audit);
        const leases = new Leases(config, store, wg, verify, audit, Date.now, firewall);
        const fleetDb = fleet ? storeFleet(store, () => session()) : undefined;
        // The control socket first: it refuses to start while another gateway serves this interface's.
        const deps = { leases, store, wg, gate, audit, fleet: fleetDb && { self: publicKey, name, db: fleetDb } };
        let control;
        try {
            // A process that lost its lock's session (not its life) gives up the socket when it steps down,
            // at its next tick: a process taking over waits for that a little (TAKEOVER_WAIT_MS).
            const until = Date.now() + (fleet ? TAKEOVER_WAIT_MS : 0);
            for (;;) {
                try {
                    control = await serveControl(config.controlSocket, deps);
                    break;
                }
                catch (err) {
                    if (Date.now() >= until)
                        throw err;
                    await new Promise((r) => setTimeout(r, 200));
                }
            }
        }
        catch (err) {
            await store.close();
            throw err;
        }
        try {
            await leases.start();
        }
        catch (err) {
            control.close();
            await store.close();
            throw err;
        }
        let sweeping = false;
        const sweep = () => {
            refusals.flush();
            if (sweeping)
                return;
            sweeping = true;
            const started = external_node_perf_hooks_.performance.now();
            // With PostgreSQL, the sweep also ends the leases revoked elsewhere whose notice was missed.
            leases
                .sweep()
                .catch((err) => audit('error', { reason: `sweep: ${errorText(err)}` }))
                .finally(() => {
                sweeping = false;
                metrics?.swept(external_node_perf_hooks_.performance.now() - started);
            });
        };
        let sweeper = setInterval(sweep, sweepIntervalMs);
        resweep = (ms) => {
            clearInterval(sweeper);
            sweeper = setInterval(sweep, ms);
        };
        if (fleetDb) {
            listener = new Listener({
                client: () => session(),
                self: publicKey,
                // A notice is only a hint (any role that may connect can send one): the lease ends only
                // when the database says it ended.
                revoked: (id) => obeyNotice(store, leases, id, audit).then(() => undefined),
                // Notices sent while it was not listening are lost: a sweep finds what they said.
                listening: () => leases.sweep(),
                audit
            });
            await listener.start();
        }
        const handler = createHandler(leases, config, audit, gate, fleet);
        return {
            leases,
            store,
            handler: metrics ? metrics.instrument(handler) : handler,
            stop: async () => {
                clearInterval(sweeper);
                resweep = () => undefined;
                await listener?.stop();
                listener = undefined;
                const end = Date.now() + STOP_WITHIN_MS;
                while (!leases.idle() && Date.now() < end)
                    await new Promise((r) => setTimeout(r, 20));
                // The store before the control socket: a process taking over waits for that socket, and must
                // then read every end this one made (else it would restore peers of leases that ended).
                await store.close();
                control.close();
            }
        };
    };
    let resweep = () => undefined;
    if (fleet) {
        // The lock first: only its holder touches the interface; the others serve as standbys.
        standby = new Standby({
            client: () => session(true),
            key: lockKey(publicKey),
            activate: async () => {
                acting = await act();
                audit('gateway.active', { interface: config.interface, gateway: name, leases: acting.leases.liveCount() });
            },
            // Refused when it took the lock (at start or later): the process ends with the one line a
            // refusal at start gives, rather than waiting on as a standby that can never act.
            isRefusal: (err) => err instanceof StoreRefused,
            refused: (err) => {
                process.stderr.write(`wireguard-gateway: ${errorText(err)}\n`);
                process.exit(1);
            },
            stepDown: async (reason) => {
                const was = acting;
                acting = undefined;
                await was?.stop();
                audit('gateway.standby', { interface: config.interface, gateway: name, reason });
            },
            audit
        });
        await standby.start();
    }
    else {
        acting = await act();
    }
    const servers = [];
    if (metrics && config.metrics)
        servers.push(await serveMetrics(metrics, config.metrics.host, config.metrics.port));
    const handler = fleet ? byRole(() => acting?.handler, config.interface, audit) : acting.handler;
    const server = createServer(config, handler, audit);
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: config.listen.port, host: config.listen.host, backlog: LISTEN_BACKLOG }, () => resolve());
    });
    const listen = `${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}`;
    for (const w of warnings(config, tls?.warnings ?? []))
        audit('warning', { reason: w });
    audit('gateway.started', {
        interface: config.interface,
        gateway: config.name,
        store: fleet ? redactUrl(config.state) : config.state,
        listen,
        leases: acting?.leases.liveCount() ?? 0,
        ...(standby ? { role: standby.role } : {})
    });
    process.on('SIGHUP', () => {
        const before = { issuer: config.issuer, sweep: config.sweepIntervalMs };
        try {
            reload(path, config, server, audit);
        }
        catch (err) {
            audit('gateway.reload-refused', { reason: `${errorText(err)}; the running configuration stays` });
            return;
        }
        if (config.issuer !== before.issuer)
            verifier = createVerifier(config);
        if (config.sweepIntervalMs !== before.sweep) {
            sweepIntervalMs = config.sweepIntervalMs;
            resweep(sweepIntervalMs);
        }
    });
    let stopping = false;
    const stop = async (signal) => {
        if (stopping)
            return;
        stopping = true;
        server.close();
        server.closeIdleConnections();
        for (const s of servers)
            s.close();
        // Requests in flight finish (a peer being added is recorded either way); then the store closes.
        await acting?.stop();
        server.closeAllConnections();
        // The lock last: a standby takes over only once this process no longer touches the interface.
        await standby?.stop();
        refusals.flush(true);
        audit('gateway.stopped', { reason: signal });
        process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
}
/**
 * Reads the configuration again and applies it in place (everyone holds this one object): throws,
 * changing nothing, when it does not load, changes what a reload cannot, or its TLS pair is bad.
 */
function reload(path, config, server, audit) {
    const next = loadConfig(path);
    const fixed = fixedChange(config, next);
    if (fixed)
        throw new Error(`${fixed} cannot change while the gateway runs: restart it to apply that`);
    const tls = next.tls ? loadTls(next.tls) : undefined;
    // A renewal that is out of date would replace a pair runners may still accept.
    if (tls?.outOfDate)
        throw new Error(tls.outOfDate);
    if (tls)
        server.setSecureContext({ ...TLS_CONTEXT, cert: tls.cert, key: tls.key });
    Object.assign(config, next);
    for (const w of warnings(config, tls?.warnings ?? []))
        audit('warning', { reason: w });
    audit('gateway.reloaded', {
        interface: config.interface,
        reason: `${path}${tls ? ' and the TLS certificate' : ''} read again`
    });
}
const argv = process.argv.slice(2);
if (isCli(argv)) {
    void runCli(argv).then((code) => (process.exitCode = code));
}
else {
    main().catch((err) => {
        process.stderr.write(`wireguard-gateway: ${errorText(err)}\n`);
        process.exit(1);
    });
}


/***/ })

};
