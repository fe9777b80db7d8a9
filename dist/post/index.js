import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 329:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CQ: () => (/* binding */ Journal),
/* harmony export */   wH: () => (/* binding */ SRC_VALID_MARK),
/* harmony export */   z8: () => (/* binding */ parseJournal)
/* harmony export */ });
/* unused harmony export validRecord */
/* harmony import */ var _common_grammar_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(793);
// What main makes, written down *before* it makes it, so that whatever happens next (a failure, a
// cancelled job, a killed process) post knows exactly what may exist and how to recognise it. Each
// record carries identity (an ifindex in a network namespace, a pid with its start time, a rule's
// priority) once it is known; teardown acts only on what still has that identity.

const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark';
class Journal {
    #records;
    #persist;
    /** `persist` is given the whole journal after every change (the runner keeps the last value). */
    constructor(persist, records = []) {
        this.#persist = persist;
        this.#records = records;
    }
    get records() {
        return this.#records;
    }
    get empty() {
        return this.#records.length === 0;
    }
    /** Writes the record down, then returns it: call before the side effect it describes. */
    add(rec) {
        this.#records.push(rec);
        this.#save();
        return rec;
    }
    /** Adds what became known (an identity) to a record. */
    update(rec, known) {
        Object.assign(rec, known);
        this.#save();
    }
    /** Forgets a record: what it describes was undone, or never came to be. */
    remove(rec) {
        const at = this.#records.indexOf(rec);
        if (at < 0)
            return;
        this.#records.splice(at, 1);
        this.#save();
    }
    find(kind) {
        return this.#records.find((r) => r.kind === kind);
    }
    #save() {
        this.#persist(this.#records.length === 0 ? '' : JSON.stringify(this.#records));
    }
}
// What post accepts from the state: it hands these to ip, sysctl, kill and resolvconf.
const SELECTOR = /^(not fwmark [0-9]{1,10} table [0-9]{1,10}|table main suppress_prefixlength 0)$/;
const DNS_NAME = /^([A-Za-z0-9-]+\.)?[a-zA-Z0-9_=+.-]{1,15}$/;
const NETNS = /^net:\[[0-9]+\]$/;
const int = (v, min, max) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const str = (v, re) => typeof v === 'string' && re.test(v);
const optional = (v, ok) => (ok(v) ? v : undefined);
/** One record as post may trust it, or undefined when any field is off (it is then ignored). */
function validRecord(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const r = value;
    switch (r.kind) {
        case 'interface':
            if (!str(r.name, _common_grammar_js__WEBPACK_IMPORTED_MODULE_0__/* .IFACE */ .vp) || (r.netns !== undefined && !str(r.netns, NETNS)))
                return undefined;
            return {
                kind: 'interface',
                name: r.name,
                netns: optional(r.netns, (v) => str(v, NETNS)),
                ifindex: optional(r.ifindex, (v) => int(v, 1, 2 ** 31))
            };
        case 'wireguard-go':
            if (!str(r.name, _common_grammar_js__WEBPACK_IMPORTED_MODULE_0__/* .IFACE */ .vp) || !int(r.since, 0, Number.MAX_SAFE_INTEGER))
                return undefined;
            return {
                kind: 'wireguard-go',
                name: r.name,
                since: r.since,
                pid: optional(r.pid, (v) => int(v, 2, 2 ** 22)),
                start: optional(r.start, (v) => str(v, /^[0-9]{1,20}$/)),
                socket: optional(r.socket, (v) => str(v, /^[0-9]+:[0-9]+:[0-9]+$/))
            };
        case 'file':
            // Only the temporary folders this action makes, by absolute path.
            if (!str(r.path, /^\/[^\0]*\/wireguard-tunnel-[A-Za-z0-9]{6}$/) || r.path.includes('/../'))
                return undefined;
            return { kind: 'file', path: r.path };
        case 'rule':
            if ((r.family !== 4 && r.family !== 6) || !int(r.priority, 1, 2 ** 32 - 1) || !str(r.selector, SELECTOR)) {
                return undefined;
            }
            return { kind: 'rule', family: r.family, priority: r.priority, selector: r.selector };
        case 'sysctl':
            if (r.key !== SRC_VALID_MARK)
                return undefined;
            if (str(r.owner, /^[0-9a-f]{32}$/))
                return { kind: 'sysctl', key: SRC_VALID_MARK, owner: r.owner };
            if (str(r.was, /^[0-9]$/))
                return { kind: 'sysctl', key: SRC_VALID_MARK, was: r.was };
            return undefined;
        case 'dns':
            if ((r.manager !== 'resolvectl' && r.manager !== 'resolvconf') ||
                !str(r.name, DNS_NAME) ||
                !str(r.iface, _common_grammar_js__WEBPACK_IMPORTED_MODULE_0__/* .IFACE */ .vp)) {
                return undefined;
            }
            return { kind: 'dns', manager: r.manager, name: r.name, iface: r.iface };
        case 'lease':
            if (!str(r.gateway, /^https?:\/\/[^\s]+$/) ||
                !str(r.id, /^[A-Za-z0-9_-]{1,64}$/) ||
                !str(r.secret, /^[A-Za-z0-9_-]{16,128}$/)) {
                return undefined;
            }
            return { kind: 'lease', gateway: r.gateway, id: r.id, secret: r.secret };
        default:
            return undefined;
    }
}
/** The records in a saved journal, each checked; unreadable text or records are dropped. */
function parseJournal(text) {
    if (!text)
        return [];
    try {
        const value = JSON.parse(text);
        return Array.isArray(value) ? value.map(validRecord).filter((r) => r !== undefined) : [];
    }
    catch {
        return [];
    }
}


/***/ }),

/***/ 814:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   c4: () => (/* binding */ STATE)
/* harmony export */ });
/* unused harmony exports INPUT, OUTPUT */
// The names the action shares with the runner, each written once: its inputs (which the runner
// passes as INPUT_<NAME> variables) and outputs, as action.yml declares them (a unit test holds
// these equal to action.yml), and the step state main hands to post (STATE_<name>).
/** The inputs of action.yml, by the name a workflow writes under `with:`. */
const INPUT = {
    gateway: 'gateway',
    audience: 'audience',
    privateKey: 'private-key',
    address: 'address',
    peerPublicKey: 'peer-public-key',
    endpoint: 'endpoint',
    allowedIps: 'allowed-ips',
    presharedKey: 'preshared-key',
    persistentKeepalive: 'persistent-keepalive',
    dns: 'dns',
    config: 'config',
    mtu: 'mtu',
    interface: 'interface',
    check: 'check',
    timeout: 'timeout',
    install: 'install',
    userspace: 'userspace'
};
/** The outputs of action.yml, set by main. */
const OUTPUT = {
    publicKey: 'public-key',
    interface: 'interface',
    address: 'address'
};
/** The step state main saves and post reads: the journal of what main made (journal/state.ts). */
const STATE = {
    journal: 'journal'
};


/***/ }),

/***/ 96:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   Gu: () => (/* binding */ getState),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   N4: () => (/* binding */ endGroup),
/* harmony export */   Oh: () => (/* binding */ startGroup),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   pq: () => (/* binding */ info)
/* harmony export */ });
/* unused harmony exports getInput, setFailed, fileCommandText, setOutput, appendSummary */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
// The runner's protocol, the few parts this action uses: inputs from INPUT_* variables, commands on
// stdout (`::add-mask::`, `::debug::`, `::warning::`, `::error::`, groups), outputs and state as
// file commands, and the job summary file. Written here instead of importing @actions/core, whose
// bundle (an HTTP client for OIDC among it) tripled the step's cold start; see the README's
// benchmark. Same encoding as @actions/core (a unit test holds it to that).


/** An input as the runner passes it: `INPUT_` + the name upper-cased, spaces as `_`; trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
/** Escapes a command's message: `%`, CR and LF. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function command(name, message) {
    process.stdout.write(`::${name}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
}
/** Registers a secret with the runner, which masks it in every later log line (and swallows this one). */
const setSecret = (secret) => command('add-mask', secret);
const debug = (message) => command('debug', message);
const warning = (message) => command('warning', message);
const info = (message) => void process.stdout.write(`${message}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
const startGroup = (name) => command('group', name);
const endGroup = () => command('endgroup', '');
/** Marks the step failed with one error line. */
function setFailed(message) {
    process.exitCode = 1;
    command('error', message);
}
/** A fresh delimiter. Not from node:crypto, which costs post 6 ms to load: a value that contains it is refused anyway. */
function newDelimiter() {
    return `ghadelimiter_${Date.now().toString(36)}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
/** A file command (`GITHUB_OUTPUT`, `GITHUB_STATE`): `name<<DELIMITER`, the value, the delimiter. */
function fileCommandText(name, value, delimiter = newDelimiter()) {
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`the value of ${name} contains its delimiter`);
    return `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`;
}
function fileCommand(variable, name, value) {
    const file = process.env[variable];
    if (file)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, fileCommandText(name, value), 'utf8');
}
const setOutput = (name, value) => fileCommand('GITHUB_OUTPUT', name, value);
const saveState = (name, value) => fileCommand('GITHUB_STATE', name, value);
/** State saved by main, which the runner passes to post as `STATE_name`. */
const getState = (name) => process.env[`STATE_${name}`] ?? '';
/** Appends Markdown to the job summary, when the runner gives one. */
function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file)
        appendFileSync(file, `${markdown}${EOL}`, 'utf8');
}


/***/ }),

/***/ 922:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   k: () => (/* binding */ errorText)
/* harmony export */ });
// Turning anything thrown into the one line a step reports.
/** The message of an error, or the thrown value as text (a thrown non-Error must not pass silently). */
const errorText = (err) => (err instanceof Error ? err.message : String(err));


/***/ }),

/***/ 793:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  vp: () => (/* binding */ IFACE),
  U9: () => (/* binding */ isLoopback)
});

// UNUSED EXPORTS: KEY, interfaceProblem, isHostName, isKey, isPeerKey, parseHostPort, parsePort, wgEndpoint

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
function ip_parseAddress(text) {
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
    const parsed = ip_parseAddress(text);
    return parsed && formatBytes(parsed.family, parsed.bytes);
}
function maxBits(family) {
    return family === 4 ? 32 : 128;
}
/** Parses `ADDR/BITS` or a bare `ADDR` (a host prefix). Returns a reason string on failure. */
function parsePrefix(text) {
    const slash = text.indexOf('/');
    const addrText = slash < 0 ? text : text.slice(0, slash);
    const parsed = ip_parseAddress(addrText);
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
    const parsed = ip_parseAddress(prefix.address);
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
    return { host: canonicalAddress(host) ?? host, port };
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
    const a = ip_parseAddress(h);
    if (!a)
        return false;
    return a.family === 4 ? a.bytes[0] === 127 : a.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}


/***/ }),

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 67:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 30:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __nccwpck_require__(922);
// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __nccwpck_require__(96);
// EXTERNAL MODULE: ./src/action/journal/journal.ts
var journal = __nccwpck_require__(329);
// EXTERNAL MODULE: ./src/action/names.ts
var names = __nccwpck_require__(814);
;// CONCATENATED MODULE: ./src/action/journal/state.ts
// The journal as the runner keeps it between main and post: the step state `journal`, which main
// saves after every change and the runner hands to post as STATE_journal.



const KEY = names/* STATE */.c4.journal;
/** A journal that main writes to the step state as it goes. */
const stepJournal = () => new Journal((text) => core.saveState(KEY, text));
/** What main recorded, for post (which keeps it up to date in case it has to be run again). */
const loadJournal = () => new journal/* Journal */.CQ((text) => toolkit/* saveState */.LZ(KEY, text), (0,journal/* parseJournal */.z8)(toolkit/* getState */.Gu(KEY)));

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
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

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/action/host/probe.ts
// Read-only probes of the system, through the file system only (no processes started): where
// programs are, whether the kernel has WireGuard, and the identities by which this action
// recognises what it made (an interface's ifindex in a network namespace, a process's pid and
// start time), so that it never acts on something of the same name that another job made.



const probe_SOCKET_DIR = '/var/run/wireguard';
const probe_socketPath = (iface) => `${probe_SOCKET_DIR}/${iface}.sock`;
const probe_linkExists = (iface) => (0,external_node_fs_.existsSync)(`/sys/class/net/${iface}`);
function readText(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** PATH, then the sbin directories that an unprivileged user's PATH may lack. */
function probe_searchPath() {
    const dirs = (process.env.PATH ?? '').split(external_node_path_namespaceObject.delimiter).filter((d) => d !== '');
    for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
        if (!dirs.includes(d))
            dirs.push(d);
    }
    return dirs;
}
function probe_locate(tool) {
    for (const dir of probe_searchPath()) {
        const path = (0,external_node_path_namespaceObject.join)(dir, tool);
        if ((0,external_node_fs_.existsSync)(path))
            return path;
    }
    return undefined;
}
/** The kernel has WireGuard loaded, built in, or as a module it can load. */
function probe_kernelHasWireguard() {
    if (existsSync('/sys/module/wireguard'))
        return true;
    const dir = `/lib/modules/${release()}`;
    return (/\/wireguard\.ko/.test(readText(`${dir}/modules.builtin`)) || /\/wireguard\.ko/.test(readText(`${dir}/modules.dep`)));
}
/** The MTU of a network device, or 0 when unknown. */
function deviceMtu(dev) {
    return Number(readText(`/sys/class/net/${dev}/mtu`).trim()) || 0;
}
/**
 * net.ipv4.conf.all.src_valid_mark as the kernel has it now (`0` or `1`), which an IPv4 full tunnel
 * sets and post puts back. Throws where /proc does not have it.
 */
const probe_srcValidMark = () => (0,external_node_fs_.readFileSync)('/proc/sys/net/ipv4/conf/all/src_valid_mark', 'utf8').trim();
/**
 * Why the interface has no IPv6 where /proc says: the kernel has none at all (booted with
 * ipv6.disable=1: no /proc/sys/net/ipv6), or it is turned off on the link by sysctl. Undefined
 * when /proc does not say.
 */
function ipv6Disabled(iface) {
    if (!existsSync('/proc/sys/net/ipv6'))
        return { cause: 'kernel' };
    if (readText(`/proc/sys/net/ipv6/conf/${iface}/disable_ipv6`).trim() === '1')
        return { cause: 'sysctl', key: `net.ipv6.conf.${iface}.disable_ipv6` };
    return undefined;
}
/** A file's text, or undefined where there is none (a state file this action keeps, host/shared.ts). */
function fileText(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** Whether the path exists (a folder this action keeps its state in). */
const pathExists = (path) => (0,external_node_fs_.existsSync)(path);
/** This process's network namespace, e.g. `net:[4026531840]`; undefined where /proc does not say. */
function probe_netns(pid = 'self') {
    try {
        return (0,external_node_fs_.readlinkSync)(`/proc/${pid}/ns/net`);
    }
    catch {
        return undefined;
    }
}
/** The interface's index in this network namespace, or undefined when there is no such interface. */
function probe_ifindex(iface) {
    return Number(readText(`/sys/class/net/${iface}/ifindex`).trim()) || undefined;
}
/** A process's start time (clock ticks since boot, /proc/PID/stat field 22): with the pid, its identity. */
function startTime(pid) {
    const stat = readText(`/proc/${pid}/stat`);
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] || undefined;
}
/** Clock ticks since boot now, in the unit of startTime (USER_HZ, 100 on Linux). */
function probe_ticksNow() {
    return Math.floor(Number(readText('/proc/uptime').split(' ')[0]) * 100);
}
function argvOf(pid) {
    return readText(`/proc/${pid}/cmdline`)
        .split('\0')
        .filter((a) => a !== '');
}
/** True when the process is wireguard-go serving this interface name. */
function isWireguardGo(pid, iface) {
    const argv = argvOf(pid);
    return argv.length >= 2 && (0,external_node_path_namespaceObject.basename)(argv[0]) === 'wireguard-go' && argv[argv.length - 1] === iface;
}
/** True while the very process recorded runs (not a later one with the same pid, nor its zombie). */
function sameProcess(p) {
    const stat = readText(`/proc/${p.pid}/stat`);
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] === p.start && rest[0] !== 'Z' && rest[0] !== 'X';
}
/** Clock ticks within which a started wireguard-go forks its daemon: the start command's own limit (60 s). */
const START_WINDOW_TICKS = 6000;
/**
 * The wireguard-go processes that may be the daemon a start of `wireguard-go IFACE` forked:
 * serving that name and started within START_WINDOW_TICKS from `sinceTicks`, in this network
 * namespace where that can be read. The socket folder is shared by every namespace, so only one
 * wireguard-go can serve a name at a time; the start time rules out older ones. `near`: the pid of
 * what started it (the daemon is forked a few pids later, so those come first).
 */
function wireguardGoCandidates(iface, sinceTicks, near) {
    const ours = probe_netns();
    const fits = (pid) => {
        if (!isWireguardGo(pid, iface))
            return undefined;
        const start = startTime(pid);
        if (start === undefined || Number(start) < sinceTicks || Number(start) > sinceTicks + START_WINDOW_TICKS) {
            return undefined;
        }
        const theirs = probe_netns(pid);
        if (theirs !== undefined && ours !== undefined && theirs !== ours)
            return undefined;
        return { pid, start, netns: theirs };
    };
    const pids = (0,external_node_fs_.readdirSync)('/proc')
        .filter((e) => /^[0-9]+$/.test(e))
        .map(Number);
    const first = near === undefined ? [] : pids.filter((p) => p > near && p <= near + 64);
    const found = [];
    for (const pid of [...first, ...pids.filter((p) => !first.includes(p))]) {
        const hit = fits(pid);
        if (hit)
            found.push(hit);
    }
    return found;
}
/**
 * A file's identity (device, inode and change time in nanoseconds), to remove a socket only while
 * it is still the one recorded: a file system may give a new file the inode of one just deleted.
 * (Removing another wireguard-go's socket would stop it: it watches its socket and exits when the
 * file goes.)
 */
function probe_fileId(path) {
    try {
        const s = (0,external_node_fs_.statSync)(path, { bigint: true });
        return `${s.dev}:${s.ino}:${s.ctimeNs}`;
    }
    catch {
        return undefined;
    }
}
/**
 * Whether this step can have CAP_NET_ADMIN (bit 12), which making an interface needs: in its
 * effective set when root, else in its bounding set (what sudo could give it at most).
 */
function hasNetAdmin(root) {
    const set = root ? 'CapEff' : 'CapBnd';
    const caps = new RegExp(`^${set}:\\s*([0-9a-f]+)$`, 'm').exec(readText('/proc/self/status'))?.[1];
    return caps === undefined || (BigInt(`0x${caps}`) & (1n << 12n)) !== 0n;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
/** Polls `done` until it holds or `ms` pass; resolves with whether it held. */
async function waitUntil(done, ms, everyMs = 2) {
    const end = Date.now() + ms;
    for (;;) {
        if (done())
            return true;
        if (Date.now() >= end)
            return false;
        await sleep(Math.min(everyMs, end - Date.now()));
    }
}

;// CONCATENATED MODULE: ./src/action/host/run.ts
// How the action starts processes, over the shared runner (src/common/process.ts): commands are
// argument arrays, never shell strings; commands that need root go through `sudo -n` when this
// process is not root, so a missing permission fails at once instead of waiting for a password;
// each is logged as a `::debug::` line. Children get a minimal environment: PATH with the sbin
// directories, LC_ALL=C, nothing of the step's own (INPUT_* secrets, the runner's ACTIONS_*
// tokens, a job's LOG_LEVEL, with which wireguard-go's daemon would keep the step's pipes open).



const run_isRoot = () => process.getuid?.() === 0;
/** The argument vector actually started for a command. Pure, for tests. */
function run_commandLine(argv, opts, root) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv];
    return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv;
}
/** Whether a command's failure was sudo refusing to run it. */
const run_sudoRefused = (argv, stderr) => argv[0] === 'sudo' && /^sudo: /m.test(stderr);
/** A command that failed: says what ran (arguments carry no secrets) and what it printed. */
class run_CommandError extends Error {
    argv;
    result;
    constructor(argv, result) {
        super(describeFailure(argv, result));
        this.argv = argv;
        this.result = result;
        this.name = 'CommandError';
    }
}
function describeFailure(argv, r) {
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
    if (r.timedOut) {
        const stall = argv[0] === 'sudo'
            ? ' `sudo` itself may be stalling: check that this host name resolves (/etc/hosts) and that sudo needs no password.'
            : '';
        return `\`${argv.join(' ')}\` did not finish within the step's timeout.${stall}`;
    }
    if (run_sudoRefused(argv, r.stderr)) {
        return `\`${argv.slice(2).join(' ')}\` needs root and this step runs as uid ${process.getuid?.()}: \`sudo -n\` refused (${said}). Run the job as root or give the runner user passwordless sudo.`;
    }
    return `\`${argv.join(' ')}\` failed (exit ${r.code})${said ? `: ${said}` : ''}`;
}
/** Runs a command and resolves with its exit code and output; rejects only when it cannot start. */
async function run_run(argv, opts = {}) {
    const root = run_isRoot();
    // As root the variables go straight into the environment; through sudo, which resets it, by `env`.
    const full = run_commandLine(argv, root ? { ...opts, env: undefined } : opts, root);
    const own = opts.timeoutMs ?? 60_000;
    const left = opts.deadline === undefined ? Infinity : opts.deadline - Date.now();
    const r = await runProcess(full, {
        env: minimalEnv(probe_searchPath().join(':'), root ? opts.env : {}),
        input: opts.input,
        limitMs: Math.min(own, left),
        log: toolkit/* debug */.Yz,
        label: run_commandLine(argv, opts, root).join(' ')
    });
    const { killed, ...result } = r;
    // Stopped at the step's deadline rather than at the command's own limit.
    return killed && left <= own ? { ...result, timedOut: true } : result;
}
/**
 * Runs a command that must succeed; throws a CommandError otherwise, or the error `explain` makes
 * of its output (a refused sudo and a timeout are always said as such).
 */
async function run_mustRun(argv, opts = {}, explain) {
    const r = await run_run(argv, opts);
    if (r.code === 0)
        return r;
    const full = run_commandLine(argv, opts, run_isRoot());
    if (explain && !r.timedOut && !run_sudoRefused(full, r.stderr))
        throw explain(`${r.stderr}\n${r.stdout}`);
    throw new run_CommandError(full, r);
}
/**
 * Holds an exclusive flock(2) on `path` (made if missing) until the function it resolves with is
 * called: `flock -x PATH cat`, whose `cat` echoes a line once the lock is held and exits when its
 * input ends. The kernel drops the lock when its holder exits, so a step that is killed never
 * leaves it held. Rejects when the lock is not had within the step's deadline (at most 10 s).
 */
async function holdLock(path, opts = {}) {
    const left = opts.deadline === undefined ? 10_000 : opts.deadline - Date.now();
    const seconds = Math.max(1, Math.min(10, Math.ceil(left / 1000)));
    const argv = run_commandLine(['flock', '-x', '-w', String(seconds), path, 'cat'], opts, run_isRoot());
    const child = startProcess(argv, { env: minimalEnv(probe_searchPath().join(':')), log: toolkit/* debug */.Yz });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const closed = new Promise((resolve) => child.once('close', resolve));
    await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d) => {
            out += d;
            if (out.includes('held\n'))
                resolve();
        });
        child.once('error', (err) => reject(new Error(`\`${argv[0]}\` could not start: ${err.message}`)));
        void closed.then((code) => reject(new run_CommandError(argv, {
            code: code ?? 1,
            stdout: out,
            stderr: stderr || `the lock ${path} was not had within ${seconds} s`
        })));
        child.stdin.write('held\n');
    });
    return async () => {
        child.stdin.end();
        await closed;
    };
}
/**
 * Writes `text` to a file only root may write (or with undefined removes it): as root directly,
 * whole or not at all (a temporary file renamed over it); otherwise `sudo tee`, in place (the
 * caller holds a lock against readers that would see it half written), or `sudo rm -f`.
 */
async function writeAsRoot(path, text, opts = {}) {
    if (run_isRoot()) {
        const { renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
        if (text === undefined) {
            rmSync(path, { force: true });
            return;
        }
        const tmp = `${path}.${process.pid}`;
        writeFileSync(tmp, text, { mode: 0o644 });
        renameSync(tmp, path);
        return;
    }
    const root = { ...opts, root: true };
    if (text === undefined)
        await run_mustRun(['rm', '-f', path], root);
    else
        await run_mustRun(['tee', path], { ...root, input: text });
}

;// CONCATENATED MODULE: ./src/action/host/echo.ts
// What a wg-quick user expects to read: every command that changes the system, echoed as wg-quick
// echoes it (`[#] ip link add …`) before it runs, inside a collapsed log group (one for bring-up,
// one for a rollback, one for post). Read-only probes are not echoed. No secret is ever on these
// lines: keys reach WireGuard through a pipe or a socket, never an argument; the configuration is
// echoed as wg-quick shows its own (`wg setconf IFACE /dev/fd/63`), never its content.


/** The title of the group the next command opens (none: commands are echoed outside any), and whether one is open. */
const log = { open: false };
/**
 * Names the group the next echoed commands go in, opened at the first of them (a phase that changes
 * nothing leaves no empty group), closing any that is open.
 */
function commandGroup(title) {
    endCommandGroup();
    log.title = title;
}
/** Closes the group of echoed commands, if one is open: what follows is read outside it. */
function endCommandGroup() {
    if (log.open)
        toolkit/* endGroup */.N4();
    log.open = false;
    log.title = undefined;
}
/** Echoes one command line as wg-quick does. */
function echoLine(line) {
    if (!log.open && log.title !== undefined) {
        toolkit/* startGroup */.Oh(log.title);
        log.open = true;
    }
    toolkit/* info */.pq(`[#] ${line}`);
}
/** A command as the user would type it: the program by its name, not its path. Pure. */
const shownCommand = (argv) => [(0,external_node_path_namespaceObject.basename)(argv[0] ?? ''), ...argv.slice(1)].join(' ');
/** Echoes a command that is about to change the system. */
const echo_echo = (argv) => echoLine(shownCommand(argv));
/**
 * The commands an `ip [-4|-6] -batch -` script runs, one per line, each with the family it acts on
 * as wg-quick writes them (`ip -4 address add …`, `ip -6 route add …`): the batch's own option, else
 * the family of the line's address (a rule without one is IPv4, `ip`'s default). Pure.
 */
function batchCommands(options, script) {
    return script
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
        const family = options.length > 0 ? options : /^link /.test(line) ? [] : [/^(address|route) \S+ \S*:/.test(line) ? '-6' : '-4'];
        return ['ip', ...family, line].join(' ');
    });
}
/** Echoes each command of an `ip -batch` script. */
function echoBatch(options, script) {
    for (const line of batchCommands(options, script))
        echoLine(line);
}

;// CONCATENATED MODULE: ./src/action/host/dns.ts
// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.





/** Which DNS manager this system has, if any. */
function dnsManager() {
    if (existsSync('/run/systemd/resolve') && locate('resolvectl'))
        return 'resolvectl';
    if (locate('resolvconf'))
        return 'resolvconf';
    return undefined;
}
/** resolvconf's record name for the interface, with the prefix interface-order wants (as wg-quick). */
function resolvconfName(iface, interfaceOrder) {
    for (const line of interfaceOrder.split('\n')) {
        const m = /^([A-Za-z0-9-]+)\*$/.exec(line.trim());
        if (m)
            return `${m[1]}.${iface}`;
    }
    return iface;
}
function readInterfaceOrder() {
    try {
        return readFileSync('/etc/resolvconf/interface-order', 'utf8');
    }
    catch {
        return '';
    }
}
/**
 * Commands that apply the servers and search domains. Like wg-quick's `resolvconf -x`, the tunnel's
 * servers answer every query (`~.` for systemd-resolved).
 */
function dnsUp(cfg, manager, name) {
    if (manager === 'resolvectl') {
        return [
            { argv: ['resolvectl', 'dns', cfg.iface, ...cfg.dns] },
            { argv: ['resolvectl', 'domain', cfg.iface, ...cfg.dnsSearch, '~.'] }
        ];
    }
    const text = cfg.dns.map((d) => `nameserver ${d}\n`).join('') +
        (cfg.dnsSearch.length > 0 ? `search ${cfg.dnsSearch.join(' ')}\n` : '');
    return [{ argv: ['resolvconf', '-a', name, '-m', '0', '-x'], input: text }];
}
/** The command that reverts dnsUp. */
function dnsDown(manager, name) {
    return manager === 'resolvectl'
        ? { argv: ['resolvectl', 'revert', name] }
        : { argv: ['resolvconf', '-d', name, '-f'] };
}
/** Applies DNS servers and search domains, recorded first; warns when the system has no way to. */
async function applyDns(cfg, journal, limits) {
    if (cfg.dns.length === 0)
        return;
    const manager = dnsManager();
    if (!manager) {
        core.warning(`DNS servers ${cfg.dns.join(', ')} were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf`);
        return;
    }
    const name = manager === 'resolvconf' ? resolvconfName(cfg.iface, readInterfaceOrder()) : cfg.iface;
    journal.add({ kind: 'dns', manager, name, iface: cfg.iface });
    for (const c of dnsUp(cfg, manager, name)) {
        echo(c.argv);
        await mustRun(c.argv, { root: true, input: c.input, ...limits });
    }
}

;// CONCATENATED MODULE: ./src/action/report/messages.ts
// The one-line errors a step ends with: each says what failed, the likely causes, and the fix.
// The README's troubleshooting table quotes them; tests hold them to it.





/** Milliseconds as a person reads them: `12 ms`, `1.4 s`. */
const duration = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const seconds = (ms) => `${ms / 1000} s`;
/** Where the action can run, said in one line where it cannot. */
function unsupportedPlatform(platform) {
    const name = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
    return (`This action runs on Linux runners only, and this one runs ${name}. ` +
        'Use a Linux runner (runs-on: ubuntu-latest, or a self-hosted Linux runner); ' +
        `on ${name}, install the official WireGuard client in a run: step instead.`);
}
/** Root without CAP_NET_ADMIN: a container that may not make network interfaces. */
const noNetAdmin = (/* unused pure expression or super */ null && ('This step runs as root but without CAP_NET_ADMIN, so it may not create network interfaces: ' +
    'an unprivileged container runner (such as ubuntu-slim) cannot host a tunnel, use runs-on: ubuntu-latest; ' +
    'in a job container you define, add options: --cap-add=NET_ADMIN --device=/dev/net/tun'));
const messages_interfaceTaken = (iface) => `interface ${iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${iface}\`, or choose another name with the interface input`;
const messages_socketTaken = (iface) => `${SOCKET_DIR}/${iface}.sock exists: another wireguard-go serves the name ${iface} (perhaps in another network namespace or job, which share that folder); it was left untouched. Choose another name with the interface input, or if an earlier job left it behind, remove it with \`sudo rm ${SOCKET_DIR}/${iface}.sock\``;
const tableTaken = (fwmark) => `FwMark ${fwmark} names routing table ${fwmark}, which already holds routes or rules (another tunnel's?); nothing was changed. Choose another FwMark, or leave it out and a free table is picked`;
/** What stopped an interface from being made, with the fix for the usual causes. */
function messages_explainCreateFailure(iface, said) {
    const text = said
        .split('\n')
        .filter((l) => l.trim() !== '' && !/[│┌└]/.test(l))
        .map((l) => l.replace(/^[A-Z]+: \(\S+\) [0-9/]+ [0-9:]+ /, '').trim())
        .join(' ') || 'no reason given';
    if (/unix socket in use/i.test(said))
        return `${text}: ${messages_socketTaken(iface)}`;
    if (/device or resource busy|File exists/i.test(said)) {
        return `${text}: an interface named ${iface} was made meanwhile (by another job?); choose another name with the interface input`;
    }
    if (/Operation not permitted|permission denied/i.test(said)) {
        return `${text}: this step may not create network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun`;
    }
    if (/\/dev\/net\/tun|TUN device/i.test(said)) {
        return `${text}: wireguard-go needs /dev/net/tun; in a job container, add options: --device=/dev/net/tun --cap-add=NET_ADMIN`;
    }
    return text;
}
/** The endpoint as the summary shows it: as given, with the address a name resolved to. */
function endpointShown(e) {
    const given = endpointText(e.host, e.port);
    return e.address !== undefined && e.address !== e.host ? `${given} (${e.address})` : given;
}
function handshakeFailure(t, missing, timeoutMs, 
/** In gateway mode, the gateway's origin: it added the peer, so the causes are others. */
gateway) {
    const ep = t.peers.find((p) => p.publicKey === missing)?.endpoint;
    const at = ep ? endpointText(ep.address ?? ep.host, ep.port) : 'its endpoint';
    const named = ep?.address !== undefined && ep.address !== ep.host ? ` (${endpointText(ep.host, ep.port)})` : '';
    const head = `No handshake with peer ${missing} at ${at}${named} within ${seconds(timeoutMs)}. Likely causes: `;
    if (gateway !== undefined) {
        return (head +
            `UDP to ${at} is blocked or nothing listens there; the gateway ${gateway} manages another interface than the one its endpoint serves (check its interface and endpoint settings).`);
    }
    const addresses = t.addresses.map((a) => prefixText({ ...a, bits: maxBits(a.family) })).join(',');
    return (head +
        `the server does not know this runner's public key ${t.publicKey} (on the server: wg set <interface> peer ${t.publicKey} allowed-ips ${addresses}); ` +
        `UDP to ${at} is blocked or nothing listens there; peer-public-key is not the server's key.`);
}
function checkFailure(label, reason, addresses, timeoutMs) {
    return (`The tunnel is up but ${label} did not answer within ${seconds(timeoutMs)} (last error: ${reason}). ` +
        `Likely causes: allowed-ips does not cover that address; the server does not forward or route traffic from ${addresses.map((a) => a.address).join(', ')}; the service is down or filtered.`);
}
/** How an error about a value starts, as an input error does: `Input "config": line 4: `; '' when nobody wrote it down. */
const atOrigin = (o) => o === undefined ? '' : `Input "${o.input}": ${o.line === undefined ? '' : `line ${o.line}: `}`;
/** A second value named in the same line: `line 3` (same input), `input "address"`, `the gateway's lease`. */
function alsoAt(o, lead) {
    if (o === undefined)
        return 'the tunnel';
    if (o.input === INPUT.gateway)
        return "the gateway's lease";
    if (o.line !== undefined)
        return o.input === lead?.input ? `line ${o.line}` : `input "${o.input}" line ${o.line}`;
    return `input "${o.input}"`;
}
/**
 * An MTU under 1280 with IPv6 in the tunnel, refused before anything is configured: Linux would turn
 * IPv6 off on the link, and IPv6 traffic meant for the tunnel would leave by the runner's uplink.
 */
function ipv6MtuTooSmall(chosen, mtuOrigin, v6) {
    const fromConfig = (mtuOrigin ?? v6.origin)?.input === INPUT.config;
    const lead = chosen.given ? mtuOrigin : undefined;
    const value = chosen.given
        ? `${atOrigin(lead)}${fromConfig ? `MTU = ${chosen.mtu}` : `MTU ${chosen.mtu}`}`
        : `The automatic MTU ${chosen.mtu} (${chosen.towards ? `the route towards ${chosen.towards}` : 'the default route'}${chosen.dev ? ` leaves via ${chosen.dev}` : ''} with MTU ${chosen.pathMtu}, minus 80 for WireGuard)`;
    const setting = fromConfig ? 'MTU = in config' : 'the mtu input';
    const fix = chosen.given
        ? `Set ${setting} to 1280 or more, or remove every IPv6 address and allowed IP`
        : `Set ${setting} to 1280 or more (WireGuard's packets are then fragmented on that path), or remove every IPv6 address and allowed IP`;
    return (`${value} is under 1280, the least IPv6 allows (RFC 8200), and ${alsoAt(v6.origin, lead)} gives the IPv6 ${v6.what} ${prefixText(v6.prefix)}: ` +
        `Linux turns IPv6 off on a link whose MTU is under 1280, so that traffic would leave outside the tunnel; the tunnel was not set up. ${fix}`);
}
/** Why the link holds no IPv6, as the evidence shows it. */
function ipv6OffText(iface, off, setMtu) {
    switch (off?.cause) {
        case 'mtu':
            return `Linux turns IPv6 off on a link whose MTU is under 1280 (MTU ${off.mtu}; this step set ${setMtu}, so something else on this runner changed it meanwhile)`;
        case 'sysctl':
            return `IPv6 is turned off on ${iface} (${off.key} = 1); set it to 0 in a step before this one, or remove every IPv6 address and allowed IP`;
        case 'kernel':
            return 'this kernel has no IPv6 (booted with ipv6.disable=1); remove every IPv6 address and allowed IP';
        case 'unknown':
        case undefined:
            return 'the kernel does not say why (nothing this step did removes it: another program on this runner may have)';
    }
}
/**
 * The one line for a kernel that holds less than bring-up planned (read back after every command
 * succeeded): what is missing and why, as far as the kernel shows it. Bring-up is then rolled back.
 */
function kernelDiffers(want, d) {
    const { iface } = want;
    const head = 'After bring-up the kernel holds';
    const leaks = 'so that traffic would leave outside the tunnel';
    const other = 'another program on this runner changed it while the tunnel came up';
    switch (d.kind) {
        case 'unread':
            if (!/does not exist|Cannot find device/i.test(d.said))
                return `After bring-up, ip could not read back what the kernel holds for ${iface} (${d.said}), so nothing shows the tunnel is as planned`;
        // A read that finds no such device: the interface is gone.
        // falls through
        case 'no-link':
            return `${head} no interface ${iface}: it went away while it was being set up (wireguard-go exited, or another program deleted it)`;
        case 'address':
            return d.prefix.family === 6
                ? `${head} no IPv6 address on ${iface} (${prefixText(d.prefix)}), ${leaks}: ${ipv6OffText(iface, d.ipv6Off, want.mtu)}`
                : `${head} no address ${prefixText(d.prefix)} on ${iface}, which this step added: ${other}`;
        case 'mtu':
            return `${head} MTU ${d.held} on ${iface}, not the ${d.want} this step set: ${other}`;
        case 'down':
            return `${head} ${iface} down, though this step set it up: ${other}`;
        case 'route': {
            const where = `${prefixText(d.prefix)} via ${iface}${d.table === 254 ? '' : ` in table ${d.table}`}`;
            return d.ipv6Off
                ? `${head} no route to ${where}, ${leaks}: ${ipv6OffText(iface, d.ipv6Off, want.mtu)}`
                : `${head} no route to ${where}, which this step added, ${leaks}: ${other}`;
        }
        case 'rule':
            return `${head} no IPv${d.family} policy rule ${d.priority} (${d.selector}), which this step added, ${leaks}: ${other}`;
    }
}
/** Where the allowed IPs are given, as a fix names it: `allowed-ips`, `AllowedIPs in config`, the gateway. */
function allowedIpsInput(origins) {
    const input = Object.values(origins?.allowedIps ?? {})[0]?.input;
    if (input === INPUT.config)
        return 'AllowedIPs in config';
    if (input === INPUT.gateway)
        return "the gateway's allowed IPs for this job (ask its team)";
    return 'allowed-ips';
}
/**
 * A check whose target would not leave through the tunnel, found before it ran: it would prove
 * nothing about the tunnel (and its traffic would leave unencrypted). `covered`: the allowed IPs
 * hold the address, so the routing (Table, a more specific route) is what sends it elsewhere.
 */
function checkOutsideTunnel(label, r, iface, how) {
    const head = `${label} was not run: it would not go through the tunnel ${iface}, so it would prove nothing about it`;
    if (how.endpoint)
        return `${head}: ${r.address} is a peer's endpoint, which WireGuard's own packets must reach outside the tunnel. Check an address behind the tunnel, such as the server's tunnel address`;
    if (r.error !== undefined)
        return `${head}: the kernel has no route to ${r.address} (${r.error}). Cover ${r.address} with ${how.allowedIps}, or check an address behind the tunnel`;
    if (r.local)
        return `${head}: ${r.address} is an address of this runner itself (the kernel delivers it via ${r.dev ?? 'lo'}). Check an address behind the tunnel, such as the server's tunnel address`;
    const via = `the kernel sends ${r.address} via ${r.dev ?? 'another interface'}${r.table === undefined ? '' : ` (table ${r.table})`}, unencrypted`;
    if (!how.covered)
        return `${head}: ${via}. Cover ${r.address} with ${how.allowedIps} (e.g. add ${r.address}${r.address.includes(':') ? '/128' : '/32'}), or check an address behind the tunnel`;
    if (how.table !== 'auto')
        return `${head}: ${via}; ${how.allowedIps} covers it, but Table = ${how.table} adds no route the checks follow. Route it through ${iface} yourself in a step before the checks, or drop the check`;
    return `${head}: ${via}; ${how.allowedIps} covers it, but a more specific route on this runner wins. Remove that route, or check another address`;
}
// Errors from WireGuard's configuration (wireguard-go's UAPI `errno=` answers, `wg`'s "Unable to
// modify interface: …") and from `ip` (`RTNETLINK answers: …`, or the kernel's own words after
// `Error: `): each said with its symbolic name, what it means here, and the input or line involved.
/** glibc's strerror text of each errno explained here: what `wg` and `ip` print. */
const STRERROR = {
    EPERM: 'Operation not permitted',
    EIO: 'Input/output error',
    ENOMEM: 'Cannot allocate memory',
    EACCES: 'Permission denied',
    EBUSY: 'Device or resource busy',
    EEXIST: 'File exists',
    ENODEV: 'No such device',
    EINVAL: 'Invalid argument',
    ERANGE: 'Numerical result out of range',
    ENOANO: 'No anode',
    EPROTO: 'Protocol error',
    EPROTONOSUPPORT: 'Protocol not supported',
    EOPNOTSUPP: 'Operation not supported',
    EAFNOSUPPORT: 'Address family not supported by protocol',
    EADDRINUSE: 'Address already in use',
    EADDRNOTAVAIL: 'Cannot assign requested address',
    ENETDOWN: 'Network is down',
    ENETUNREACH: 'Network is unreachable',
    ENOBUFS: 'No buffer space available'
};
/** The kernel's own words (netlink extended acks, printed by `ip` as `Error: …`), by the errno it returns with them. */
const EXTACK = (/* unused pure expression or super */ null && ([
    [/Address already assigned/i, 'EEXIST'],
    [/IPv6 is disabled/i, 'EACCES'],
    [/mtu (greater|less) than device/i, 'EINVAL'],
    [/Nexthop device is not up|Device for nexthop is not up/i, 'ENETDOWN'],
    [/Cannot find device|does not exist/i, 'ENODEV']
]));
/** Linux errno numbers by name (Node's table, plus ENOANO, wireguard-go's "unknown" code, which Node's lacks). */
// 55 has no name in Node's table; 95 is read as EOPNOTSUPP (what strerror names), not ENOTSUP.
const ERRNO = {
    ENOANO: 55,
    ...Object.fromEntries(Object.entries(external_node_os_.constants.errno).filter(([k]) => k !== 'ENOTSUP'))
};
/** An errno's symbolic name (`98` → `EADDRINUSE`), or undefined when this runner knows none. */
function errnoName(n) {
    const code = Math.abs(n);
    return Object.entries(ERRNO).find(([, v]) => v === code)?.[0];
}
/** An errno as a person reads it: `EADDRINUSE, errno -98: Address already in use`. */
function errnoText(name, n) {
    const number = n ?? (name === undefined ? undefined : ERRNO[name]);
    const parts = [name ?? 'no symbolic name known', number === undefined ? '' : `errno -${Math.abs(number)}`];
    const text = name === undefined ? undefined : STRERROR[name];
    return `${parts.filter((p) => p !== '').join(', ')}${text ? `: ${text}` : ''}`;
}
/** Reads what a failed `ip` (batch) or `wg` printed. */
function kernelSaid(said) {
    const lines = said
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const line = Number(/^Command failed -:([0-9]+)/m.exec(said)?.[1] ?? 0) || undefined;
    const text = (lines.find((l) => !/^Command failed/.test(l)) ?? 'no reason given').replace(/\.$/, '');
    const words = text.replace(/^(RTNETLINK answers|Error|Unable to (modify|access) interface|[a-z]+): /i, '');
    const errno = Object.entries(STRERROR).find(([, t]) => words.endsWith(t))?.[0] ?? EXTACK.find(([re]) => re.test(words))?.[1];
    return { text, errno, line };
}
/**
 * A refusal of the configuration (`set=1` over UAPI, or `wg setconf`), by errno: each errno
 * wireguard-go answers (device/uapi.go, ipc/uapi_unix.go: EIO, EPROTO, EINVAL, EADDRINUSE, and
 * ENOANO for anything else) and those the kernel's WireGuard and `wg` add (ENODEV, EPERM, …). An
 * unknown one is named, never shown as a bare number.
 */
function configRefused(iface, who, t, name, n, 
/** What `wg` printed, quoted when the errno is not one explained here. */
said) {
    const code = errnoText(name, n);
    const head = `${who} refused the configuration of ${iface} (${code})`;
    switch (name) {
        case 'EADDRINUSE': {
            if (t.listenPort) {
                const o = t.origins?.listenPort;
                const key = o?.input === INPUT.config ? `ListenPort = ${t.listenPort}` : `ListenPort ${t.listenPort}`;
                return `${atOrigin(o)}${key}: UDP port ${t.listenPort} is already in use on this runner (${code}), so ${who} cannot listen on it for ${iface}. Choose a free port, or leave ListenPort out and a free one is picked`;
            }
            if (t.fwmark)
                return `${atOrigin(t.origins?.fwmark)}FwMark ${t.fwmark}: ${who} could not set it on its UDP socket (${code}: ${who} answers this code for a socket it cannot bind or mark). Leave FwMark out, or check that nothing else on this runner restricts socket marks`;
            return `${head}: it could not open a UDP socket on a free port. Too many UDP ports may be taken on this runner; try again, or set ListenPort to a port known to be free`;
        }
        case 'EINVAL':
            return `${head}: it refused one of the values as invalid (the key, ListenPort, FwMark, an Endpoint, an allowed IP or a keepalive) and does not say which. This action checks each before sending it, so this ${who === 'the kernel' ? 'kernel' : 'wireguard-go'} reads one differently: check its version and report it`;
        case 'EPROTO':
            return `${head}: it could not read a line of the request as KEY=VALUE. This action sends no such line, so this wireguard-go speaks another version of the configuration protocol: update it, or report it`;
        case 'EIO':
            return `${head}: the connection to its configuration socket broke while the request was read or answered; it may be stopping (is another job removing an interface named ${iface}?)`;
        case 'ENOANO':
            return `${head}: this is wireguard-go's code for an error it does not classify ("other UAPI error"); it says no more`;
        case 'ENODEV':
            return `${head}: ${iface} is gone (wireguard-go exited, or another program deleted it) while it was being configured`;
        case 'EPERM':
        case 'EACCES':
            return `${head}: this step may not change network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun`;
        case 'EPROTONOSUPPORT':
            return `${head}: this kernel has no WireGuard (set userspace: auto to use wireguard-go)`;
        case undefined:
        default:
            return said === undefined
                ? `${head}, an answer this action does not know ${who} to give; the configuration was not applied`
                : `${who} refused the configuration of ${iface}: ${said}${name ? ` (${code})` : ''}`;
    }
}
/** The generic meaning of an errno from `ip`, where no more particular cause is known. */
const MEANING = {
    EPERM: 'this step may not change the network (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN',
    EACCES: 'the kernel refused it',
    EEXIST: 'it exists already',
    ENODEV: 'the interface is gone (wireguard-go exited, or another program deleted it)',
    EINVAL: 'the kernel refused a value as invalid',
    ENETUNREACH: 'no route leads there',
    ENETDOWN: 'the interface is down',
    ENOBUFS: 'the kernel ran short of buffer space for the request (memory pressure); run the job again',
    ENOMEM: 'the kernel is out of memory; run the job again',
    EADDRINUSE: 'another program holds that address',
    EADDRNOTAVAIL: 'that address is not available on this runner',
    EAFNOSUPPORT: 'this kernel has no support for that address family (IPv6 turned off at boot?)',
    EOPNOTSUPP: 'this kernel does not support it',
    EBUSY: 'the device is busy; run the job again'
};
/** Why IPv6 is refused on the link, and the fix. */
function ipv6Refused(iface, off) {
    if (off?.cause === 'kernel')
        return 'this kernel has no IPv6 (booted with ipv6.disable=1). Remove every IPv6 address and allowed IP';
    const key = off?.cause === 'sysctl' ? ` (${off.key} = 1)` : '';
    return `IPv6 is turned off on ${iface}${key}, as Docker and some images set for new interfaces. Turn it on in a step before this one (sudo sysctl -w net.ipv6.conf.default.disable_ipv6=0), or remove every IPv6 address and allowed IP`;
}
/**
 * A line of bring-up's `ip -batch` that the kernel refused, said with the input or line it came
 * from, the kernel's words and errno, the cause, and the fix.
 */
function ipRefused(iface, item, said, allowedIps, evidence = {}) {
    const why = `${said.text}${said.errno ? `, ${said.errno}` : ''}`;
    const generic = said.errno
        ? (MEANING[said.errno] ?? 'the kernel gave no reason this action knows')
        : 'the kernel gave no reason this action knows';
    const v6 = (p) => p.family === 6 && (said.errno === 'EACCES' || said.errno === 'ENODEV' || said.errno === 'EAFNOSUPPORT');
    switch (item?.kind) {
        case 'address': {
            const head = `${atOrigin(item.origin)}Address ${prefixText(item.prefix)}: the kernel refused it on ${iface} (${why})`;
            if (v6(item.prefix))
                return `${head}: ${ipv6Refused(iface, evidence.ipv6Off)}`;
            if (said.errno === 'EEXIST')
                return `${head}: the same address with the same prefix length is given twice; give it once`;
            return `${head}: ${generic}`;
        }
        case 'mtu': {
            const head = `${atOrigin(item.origin)}MTU ${item.mtu}: the kernel refused it for ${iface} (${why})`;
            if (said.errno === 'EINVAL')
                return `${head}: the interface takes no such MTU; choose another (WireGuard's usual is 1420)`;
            return `${head}: ${generic}`;
        }
        case 'route': {
            const table = item.table === undefined || item.table === 254 ? 'the main table' : `table ${item.table}`;
            const head = `${atOrigin(item.origin)}allowed IP ${prefixText(item.prefix)}: the kernel refused its route through ${iface} in ${table} (${why})`;
            if (v6(item.prefix))
                return `${head}: ${ipv6Refused(iface, evidence.ipv6Off)}`;
            if (said.errno === 'EEXIST')
                return `${head}: ${table} already has a route to ${prefixText(item.prefix)}${evidence.holder ? ` via ${evidence.holder}` : ''}, another network of this runner. Remove ${prefixText(item.prefix)} from ${allowedIps}, or delete that route in a step before this one`;
            return `${head}: ${generic}`;
        }
        case 'rule': {
            const head = `The kernel refused the IPv${item.family} policy rule ${item.priority} (${item.selector}) of the full tunnel through ${iface} (${why})`;
            if (said.errno === 'EEXIST')
                return `${head}: that priority was taken meanwhile (by another job starting a full tunnel?); run the job again`;
            if (said.errno === 'EAFNOSUPPORT')
                return `${head}: this kernel has no IPv6 (booted with ipv6.disable=1); remove ::/0 from ${allowedIps}`;
            return `${head}: ${generic}`;
        }
        case undefined:
            return `The kernel refused a change to ${iface} (${why}): ${generic}`;
    }
}

;// CONCATENATED MODULE: ./src/action/host/install.ts
// Finding the programs the tunnel needs, and installing the missing ones with apt in one
// transaction, non-interactively.




/** The Debian/Ubuntu package that provides each tool. */
const PACKAGE = { wg: 'wireguard-tools', ip: 'iproute2', 'wireguard-go': 'wireguard-go' };
/** apt-get, with everything that keeps it from prompting or waiting on needrestart. */
function aptCommand(args) {
    return [
        'apt-get',
        '-q',
        '-o',
        'DPkg::Lock::Timeout=120',
        '-o',
        'Dpkg::Options::=--force-confdef',
        '-o',
        'Dpkg::Options::=--force-confold',
        ...args
    ];
}
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1', NEEDRESTART_MODE: 'l' };
/** apt may wait up to 2 minutes for its lock, then download: 10 minutes at most. */
const APT_LIMIT = { timeoutMs: 600_000 };
async function aptInstall(packages) {
    const install = aptCommand(['install', '-y', '--no-install-recommends', ...packages]);
    core.info(`Installing ${packages.join(', ')} with apt-get`);
    echo(install);
    const first = await run(install, { root: true, env: APT_ENV, ...APT_LIMIT });
    if (first.code === 0)
        return;
    core.info('apt-get install failed; refreshing the package lists and trying once more');
    const update = aptCommand(['update']);
    echo(update);
    await run(update, { root: true, env: APT_ENV, ...APT_LIMIT });
    echo(install);
    await mustRun(install, { root: true, env: APT_ENV, ...APT_LIMIT });
}
/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
async function install_ensureTools(tools, install) {
    const paths = {};
    const missing = [];
    for (const t of tools) {
        const path = locate(t);
        if (path === undefined)
            missing.push(t);
        else
            paths[t] = path;
    }
    if (missing.length === 0)
        return paths;
    const names = missing.map((t) => `\`${t}\``).join(' and ');
    const packages = missing.map((t) => PACKAGE[t]);
    if (!install)
        throw new Error(`${names} not found (looked in ${searchPath().join(':')}); install ${packages.join(' and ')} first or set install: true`);
    if (locate('apt-get') === undefined)
        throw new Error(`${names} not found and apt-get is not available to install it: install ${packages.join(' and ')} in an earlier step`);
    await aptInstall(packages);
    for (const t of missing) {
        const path = locate(t);
        if (path === undefined)
            throw new Error(`\`${t}\` still not found after installing ${PACKAGE[t]} (looked in ${searchPath().join(':')})`);
        paths[t] = path;
    }
    return paths;
}

;// CONCATENATED MODULE: ./src/action/host/link.ts
// Making the interface: the kernel's WireGuard where it has one, else wireguard-go. Each is written
// in the journal before it is made and gets its identity (ifindex; pid and start time) the moment
// it exists, so that rollback and post remove this interface and this process, never another
// job's of the same name.







/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
const userspaceFirst = (userspace) => userspace === 'true' || (userspace === 'auto' && !kernelHasWireguard());
/**
 * Refuses a name that is taken, before anything is touched: an interface of that name here, or a
 * live wireguard-go socket of that name (the socket folder is shared by every namespace, and `wg`
 * would talk to that socket's daemon instead of our interface). A socket nobody listens on is what
 * a killed wireguard-go leaves: wireguard-go and `wg` replace it. One this step may not open (not
 * root) cannot be told from a live one, and is refused too.
 */
async function refuseTakenName(iface) {
    if (linkExists(iface))
        throw new Error(interfaceTaken(iface));
    const path = socketPath(iface);
    if (!existsSync(path))
        return;
    const answer = await new Promise((resolve) => {
        // node:net is loaded at first use, not at the step's start (see run.ts).
        const socket = process.getBuiltinModule('node:net').connect(path);
        const done = (code) => {
            socket.destroy();
            resolve(code);
        };
        socket.once('connect', () => done('live'));
        socket.once('error', (err) => done(err.code));
        socket.setTimeout(1000, () => done('live'));
    });
    if (answer !== 'ECONNREFUSED' && answer !== 'ENOENT')
        throw new Error(socketTaken(iface));
}
/** Makes the interface; resolves with whether wireguard-go serves it. */
async function createInterface(req, journal) {
    if (!userspaceFirst(req.userspace)) {
        if (await createKernelInterface(req, journal))
            return { userspace: false };
        core.info('The kernel has no WireGuard module; using wireguard-go');
    }
    await startWireguardGo(req, journal);
    return { userspace: true };
}
/** `ip link add … type wireguard`; false when the kernel has no WireGuard and userspace may serve. */
async function createKernelInterface(req, journal) {
    const { iface } = req;
    const rec = journal.add({ kind: 'interface', name: iface, netns: netns() });
    const argv = [req.tools.ip, 'link', 'add', 'dev', iface, 'type', 'wireguard'];
    echo(argv);
    const r = await run(argv, { root: true, ...req.limits });
    if (r.code === 0) {
        journal.update(rec, { ifindex: ifindex(iface) });
        return true;
    }
    const full = commandLine(argv, { root: true }, isRoot());
    if (r.timedOut) {
        // Stopped at the deadline: its request may have reached the kernel all the same. The name was
        // free when this step began (refuseTakenName), so a link of that name now is the one it asked
        // for: recorded by its ifindex, rollback deletes it; none, and the record goes.
        const made = ifindex(iface);
        if (made === undefined)
            journal.remove(rec);
        else
            journal.update(rec, { ifindex: made });
        throw new CommandError(full, r);
    }
    // Nothing was made: the record goes.
    journal.remove(rec);
    if (sudoRefused(full, r.stderr))
        throw new CommandError(full, r);
    const noKernel = /Unknown device type|not supported/i.test(r.stderr);
    if (noKernel && req.userspace !== 'false')
        return false;
    const why = noKernel
        ? 'this kernel has no WireGuard module and userspace is false (set userspace: auto to use wireguard-go)'
        : explainCreateFailure(iface, r.stderr);
    throw new Error(`could not create interface ${iface}: ${why}`);
}
/**
 * Starts wireguard-go, which forks a daemon that outlives this step and returns once the interface
 * exists. Its environment is the minimal one (src/common/process.ts): with LOG_LEVEL set, the daemon would keep
 * this step's pipes open.
 */
async function startWireguardGo(req, journal) {
    const { iface } = req;
    const wgGo = req.tools['wireguard-go'] ?? (await ensureTools(['wireguard-go'], req.install))['wireguard-go'];
    const link = journal.add({ kind: 'interface', name: iface, netns: netns() });
    const proc = journal.add({ kind: 'wireguard-go', name: iface, since: ticksNow() });
    let r;
    echo([wgGo, iface]);
    try {
        r = await mustRun([wgGo, iface], { root: true, ...req.limits }, (said) => {
            return new Error(`could not start wireguard-go for ${iface}: ${explainCreateFailure(iface, said)}`);
        });
    }
    catch (err) {
        // It exited without a daemon: its interface closed with it, and nothing is ours to undo.
        if (!(err instanceof CommandError && err.result.timedOut)) {
            journal.remove(proc);
            journal.remove(link);
        }
        throw err;
    }
    journal.update(link, { ifindex: ifindex(iface) });
    const daemon = await startedDaemon(iface, proc.since, req.limits, r.pid);
    journal.update(proc, { ...daemon, socket: fileId(socketPath(iface)) });
}
/**
 * The daemon a start of wireguard-go forked, proven to be in this network namespace: read directly
 * when root, else through `sudo readlink` (a root process's namespace is not the user's to read).
 * Undefined when none can be proven ours: then nothing is ever signalled on a guess.
 */
async function startedDaemon(iface, since, limits, near) {
    const ours = probe_netns();
    for (const c of wireguardGoCandidates(iface, since, near)) {
        const theirs = c.netns ?? (await run_run(['readlink', `/proc/${c.pid}/ns/net`], { root: true, ...limits })).stdout.trim();
        if (ours !== undefined && theirs === ours)
            return { pid: c.pid, start: c.start };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/action/host/shared.ts
// State of the whole network namespace that overlapping jobs share: net.ipv4.conf.all.src_valid_mark,
// which every IPv4 full tunnel needs at 1. It must end as the first of ours found it, whichever of
// ours ends last. No job can know that alone (the second finds the first's 1), so the jobs share a
// record: what the first found, and who still needs it.
//
// Why this design:
// - A file under /run (tmpfs: gone at boot, like the state it describes), one per network namespace
//   (the sysctl is per namespace; /run is shared by all of them), root's and readable by all: any
//   step reads it without sudo, only root writes it.
// - Changes are made under an exclusive flock(2) on /run/wireguard-tunnel/lock, held by a `flock`
//   process for the few milliseconds a change takes. The kernel drops an flock when its holder
//   exits, so a killed step never leaves the lock held (a lock file or directory would need stale
//   detection, which races).
// - Owners by identity, not by name: a random id (in the job's journal, so its post removes exactly
//   it) with the interface's name and ifindex. An owner whose interface no longer has that ifindex
//   here is gone (its job was killed before post, or its wireguard-go died): it needs nothing, and
//   the next of ours to look drops it. A value found other than 1 proves no live owner still relies
//   on the record, so the record starts afresh from what is found.
// - The record is written before the sysctl is set, and the owner id is in the journal before the
//   record: whatever is interrupted, post finds the owner and the record finds the original.




const STATE_DIR = '/run/wireguard-tunnel';
const LOCK = `${STATE_DIR}/lock`;
/** A fresh owner id: 128 random bits, as hex (node:crypto loaded at first use, as the bundle's start never needs it). */
const newOwnerId = () => process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
/** The record's file for this network namespace (`net:[4026531840]` → `src_valid_mark.4026531840.json`). */
function recordPath(ns = probe_netns()) {
    const id = /\[([0-9]+)\]/.exec(ns ?? '')?.[1] ?? 'unknown';
    return `${STATE_DIR}/src_valid_mark.${id}.json`;
}
/** A record as read, or undefined when there is none or it cannot be trusted. */
function parseRecord(text) {
    try {
        const v = JSON.parse(text);
        if (typeof v.was !== 'string' || !/^[0-9]$/.test(v.was) || !Array.isArray(v.owners))
            return undefined;
        const owners = v.owners.filter((o) => {
            const x = (typeof o === 'object' ? o : null);
            return (typeof x?.id === 'string' &&
                /^[0-9a-f]{32}$/.test(x.id) &&
                typeof x.iface === 'string' &&
                Number.isInteger(x.ifindex));
        });
        return { was: v.was, owners };
    }
    catch {
        return undefined;
    }
}
/**
 * The record once `me` joins, seeing the value `current`: the original stays what the first of
 * the live owners found; with none alive, a value other than 1 is the original, and a 1 is what
 * the last record found (its owners left without restoring it), else it was 1 before any of ours.
 */
function joined(record, current, me, alive) {
    const live = (record?.owners ?? []).filter((o) => o.id !== me.id && alive(o));
    if (live.length > 0 && record)
        return { was: record.was, owners: [...live, me] };
    if (current !== '1')
        return { was: current, owners: [me] };
    return { was: record?.was ?? '1', owners: [me] };
}
/** The record once owner `id` leaves (the dead dropped with it). */
function left(record, id, alive) {
    if (record === undefined)
        return undefined;
    const live = record.owners.filter((o) => o.id !== id && alive(o));
    return live.length > 0 ? { keep: { was: record.was, owners: live } } : { restore: record.was };
}
/** An owner is alive while its interface has the recorded ifindex in this namespace. */
const alive = (o) => probe_ifindex(o.iface) === o.ifindex;
const readRecord = (path) => parseRecord(fileText(path) ?? '');
/**
 * Writes (or with undefined removes) the record, as root (run.ts). Through sudo it is written in
 * place, under the lock: a write cut short leaves a record that parseRecord refuses, and then the
 * value found is taken as the original, which at worst leaves 1 where wg-quick would too.
 */
const writeRecord = (path, record, limits) => writeAsRoot(path, record === undefined ? undefined : `${JSON.stringify(record)}\n`, limits);
/** Runs `change` holding the lock; the folder is made first where it is missing. */
async function locked(limits, change) {
    if (!pathExists(STATE_DIR))
        await run_mustRun(['mkdir', '-p', '-m', '755', STATE_DIR], { root: true, ...limits });
    const release = await holdLock(LOCK, { root: true, ...limits });
    try {
        return await change();
    }
    finally {
        await release();
    }
}
/** Sets the value, echoed as wg-quick echoes its own (the record and its lock are this action's bookkeeping, like its journal: not echoed). */
async function setValue(value, limits) {
    const argv = ['sysctl', '-q', '-w', `${journal/* SRC_VALID_MARK */.wH}=${value}`];
    echo_echo(argv);
    await run_mustRun(argv, { root: true, ...limits });
}
/** Joins the record as `me` and sets src_valid_mark to 1 where it is not. */
async function needSrcValidMark(me, limits) {
    const path = recordPath();
    await locked(limits, async () => {
        const current = srcValidMark();
        await writeRecord(path, joined(readRecord(path), current, me, alive), limits);
        if (current !== '1')
            await setValue('1', limits);
    });
}
/**
 * Leaves the record as owner `id`; the last of ours to leave puts back what the first found,
 * unless `othersNeedIt` (a full tunnel that is not ours, which wg-quick never accounts for): then
 * the value and the record stay, for the next of ours to settle. Resolves with what it did.
 */
async function releaseSrcValidMark(id, othersNeedIt, limits) {
    const path = recordPath();
    // No folder, no record (main stopped before it made one): nothing to take the lock for.
    if (!pathExists(STATE_DIR))
        return { unchanged: true };
    return locked(limits, async () => {
        const record = readRecord(path);
        const leaving = left(record, id, alive);
        if (leaving === undefined)
            return { unchanged: true };
        if ('keep' in leaving) {
            await writeRecord(path, leaving.keep, limits);
            return { kept: 'ours' };
        }
        if (await othersNeedIt()) {
            await writeRecord(path, { was: leaving.restore, owners: [] }, limits);
            return { kept: 'theirs' };
        }
        if (probe_srcValidMark() !== leaving.restore)
            await setValue(leaving.restore, limits);
        await writeRecord(path, undefined, limits);
        return { restored: leaving.restore };
    });
}

;// CONCATENATED MODULE: ./src/action/journal/teardown.ts
// Undoing what the journal records, newest first: shared by post and by main's rollback. Each
// record is undone only after its identity is checked (the interface still has the recorded
// ifindex in this network namespace, the process the recorded start time, the rule its priority),
// so that nothing of the same name made by another job is ever touched. Never throws: every
// problem comes back as a warning, and what could not be undone stays in the journal for post.










/** Each undo command may take this long: enough for a slow sudo, short of hanging post. */
const COMMAND_MS = 10_000;
const ip = () => probe_locate('ip') ?? 'ip';
const asRoot = (b) => ({ root: true, timeoutMs: COMMAND_MS, deadline: b.deadline });
/** A wait of `ms`, cut short by the budget. */
const within = (b, ms) => b.deadline === undefined ? ms : Math.max(0, Math.min(ms, b.deadline - Date.now()));
/** The interface as recorded is still there: same name, same ifindex, and we are in its namespace. */
function stillOurs(rec) {
    const now = probe_ifindex(rec.name);
    if (now === undefined)
        return 'gone';
    return rec.ifindex !== undefined && now === rec.ifindex ? 'ours' : 'other';
}
/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid, name, b) {
    echo_echo(['kill', `-${name}`, String(pid)]);
    if (!run_isRoot()) {
        await run_run(['kill', `-${name}`, String(pid)], asRoot(b));
        return;
    }
    try {
        process.kill(pid, `SIG${name}`);
    }
    catch {
        // Exited meanwhile.
    }
}
/**
 * Stops the recorded wireguard-go: SIGTERM, on which it closes its interface (routes go with it)
 * and removes its socket; SIGKILL only if it will not go. A record without a pid (main was stopped
 * while starting it) is matched by name, start time and namespace, as main would have.
 */
async function stopWireguardGo(rec, b) {
    const proc = rec.pid !== undefined && rec.start !== undefined
        ? { pid: rec.pid, start: rec.start }
        : await startedDaemon(rec.name, rec.since, { timeoutMs: COMMAND_MS, deadline: b.deadline });
    // Dead already (killed, crashed): its socket may be left behind.
    const running = proc !== undefined && sameProcess(proc);
    if (running) {
        const gone = () => !sameProcess(proc);
        const sent = process.uptime();
        await signal(proc.pid, 'TERM', b);
        if (!(await waitUntil(gone, within(b, 3000)))) {
            await signal(proc.pid, 'KILL', b);
            if (!(await waitUntil(gone, within(b, 1000)))) {
                return { left: `wireguard-go (pid ${proc.pid}) for ${rec.name} would not stop`, retry: true };
            }
        }
        toolkit/* debug */.Yz(`wireguard-go stopped ${Math.round((process.uptime() - sent) * 1000)} ms after SIGTERM`);
    }
    // wireguard-go removes its socket on a clean exit; after a kill, the socket stays, and only the very
    // one recorded goes. The process is gone by now either way, so a socket still there with the
    // recorded identity is stale whatever ended it: a daemon already dying from a SIGKILL when this
    // step looked (its fds closed, its link gone, /proc not yet a zombie's) still "stops" on SIGTERM,
    // yet never removed its socket.
    const sock = probe_socketPath(rec.name);
    const removeSocket = rec.socket !== undefined && probe_fileId(sock) === rec.socket;
    if (removeSocket) {
        echo_echo(['rm', '-f', sock]);
        if (run_isRoot())
            (0,external_node_fs_.rmSync)(sock, { force: true });
        else
            await run_run(['rm', '-f', sock], asRoot(b));
    }
    const what = [running ? `${rec.name} (wireguard-go, pid ${proc.pid})` : '', removeSocket ? `${sock} (stale)` : ''];
    const said = what.filter((w) => w !== '').join(', ');
    return said ? { undone: said } : { gone: true };
}
async function deleteInterface(rec, b) {
    // The link closes as wireguard-go exits: give it a moment before looking.
    await waitUntil(() => stillOurs(rec) !== 'ours', within(b, 1000));
    switch (stillOurs(rec)) {
        case 'ours':
            break;
        case 'gone':
            return { gone: true };
        case 'other':
            return rec.ifindex === undefined
                ? { left: `${rec.name} was being created when main stopped and cannot be told from another's; left as it is` }
                : { left: `${rec.name} is no longer the interface main made (another has its name now); left untouched` };
    }
    const argv = [ip(), 'link', 'delete', 'dev', rec.name];
    echo_echo(argv);
    await run_mustRun(argv, asRoot(b));
    return { undone: rec.name };
}
async function deleteRule(rec, b) {
    const argv = [ip(), `-${rec.family}`, 'rule', 'del', ...rec.selector.split(' '), 'priority', String(rec.priority)];
    echo_echo(argv);
    const r = await run_run(argv, asRoot(b));
    if (r.code === 0)
        return { undone: `rule ${rec.priority}: ${rec.selector}` };
    if (/No such file|not exist/i.test(r.stderr))
        return { gone: true };
    throw new Error(r.stderr.trim() || `exit ${r.code}`);
}
/**
 * Whether a full tunnel is live: a `not fwmark` rule whose table still routes (a tunnel whose
 * interface is gone, its job killed before post, leaves its rules pointing at an empty table).
 */
function liveFullTunnel(rules, routes) {
    const tables = [...rules.matchAll(/\bnot from all fwmark \S+ lookup (\S+)/g)].map((m) => m[1]);
    return tables.some((t) => new RegExp(`\\btable ${t}\\b`).test(routes));
}
/**
 * Leaves the namespace's shared record of src_valid_mark (host/shared.ts): the last of ours to go
 * puts back what the first found, unless a full tunnel that is not ours (its `not fwmark` rule; ours
 * are deleted before this record, being newer) still needs it. A journal from before the shared
 * record restores the value it holds, as it always did.
 */
async function restoreSysctl(rec, b) {
    const read = { timeoutMs: COMMAND_MS, deadline: b.deadline };
    const fullTunnels = async () => {
        const [rules, routes] = await Promise.all([
            run_run([ip(), '-4', 'rule', 'show'], read),
            run_run([ip(), '-4', 'route', 'show', 'table', 'all'], read)
        ]);
        return liveFullTunnel(rules.stdout, routes.stdout);
    };
    if (rec.owner === undefined) {
        if (rec.was === undefined)
            return { gone: true };
        if (await fullTunnels())
            return { kept: `${journal/* SRC_VALID_MARK */.wH} stays 1: another full tunnel's rules need it` };
        const argv = ['sysctl', '-q', '-w', `${rec.key}=${rec.was}`];
        echo_echo(argv);
        await run_mustRun(argv, asRoot(b));
        return { undone: `${rec.key} back to ${rec.was}` };
    }
    const done = await releaseSrcValidMark(rec.owner, fullTunnels, { timeoutMs: COMMAND_MS, deadline: b.deadline });
    if ('restored' in done)
        return { undone: `${rec.key} back to ${done.restored}` };
    if ('kept' in done)
        return {
            kept: done.kept === 'ours'
                ? `${journal/* SRC_VALID_MARK */.wH} stays 1: another full tunnel of this action still needs it (the last to end puts it back)`
                : `${journal/* SRC_VALID_MARK */.wH} stays 1: another full tunnel's rules need it`
        };
    return { gone: true };
}
async function revertDns(rec, iface, b) {
    // Under a name that another job's interface has now, the DNS settings are theirs.
    if (iface && stillOurs(iface) === 'other')
        return { left: `DNS for ${rec.iface}: the interface is no longer ours` };
    if (rec.manager === 'resolvectl' && !probe_linkExists(rec.iface))
        return { gone: true };
    const { argv } = dnsDown(rec.manager, rec.name);
    echo_echo(argv);
    await run_mustRun(argv, asRoot(b));
    return { undone: `DNS (${rec.manager})` };
}
async function undo(rec, journal, b) {
    switch (rec.kind) {
        case 'interface':
            return deleteInterface(rec, b);
        case 'wireguard-go':
            return stopWireguardGo(rec, b);
        case 'rule':
            return deleteRule(rec, b);
        case 'sysctl':
            return restoreSysctl(rec, b);
        case 'dns':
            return revertDns(rec, journal.find('interface'), b);
        case 'file':
            if (!(0,external_node_fs_.existsSync)(rec.path))
                return { gone: true };
            (0,external_node_fs_.rmSync)(rec.path, { recursive: true, force: true });
            return { undone: rec.path };
        case 'lease':
            // Released by the gateway client after the tunnel is down (see lease.ts).
            return { left: 'lease' };
    }
}
/**
 * Undoes every record of the journal but leases, newest first; what is undone leaves the journal.
 * `deadline`: main's rollback budget (what is not undone by then stays for post).
 */
async function teardown(journal, deadline) {
    const budget = { deadline };
    const report = { removed: [], kept: [], warnings: [] };
    const iface = journal.find('interface');
    if (iface?.netns !== undefined && probe_netns() !== undefined && iface.netns !== probe_netns()) {
        report.warnings.push(`${iface.name} was made in another network namespace than this step runs in; nothing was touched`);
        return report;
    }
    for (const rec of [...journal.records].reverse()) {
        if (rec.kind === 'lease')
            continue;
        try {
            const done = await undo(rec, journal, budget);
            if ('kept' in done)
                report.kept.push(done.kept);
            if ('left' in done) {
                report.warnings.push(done.left);
                // Not ours (or needed by another): nothing for a later post to do either, unless it may yet go.
                if (!done.retry)
                    journal.remove(rec);
                continue;
            }
            // The interface first: what the reader looks for.
            if ('undone' in done) {
                if (rec.kind === 'interface' || rec.kind === 'wireguard-go')
                    report.removed.unshift(done.undone);
                else
                    report.removed.push(done.undone);
            }
            journal.remove(rec);
        }
        catch (err) {
            report.warnings.push(`could not remove ${describe(rec)}: ${(0,errors/* errorText */.k)(err)}`);
        }
    }
    return report;
}
function describe(rec) {
    switch (rec.kind) {
        case 'interface':
        case 'wireguard-go':
            return `${rec.kind} ${rec.name}`;
        case 'rule':
            return `rule ${rec.priority} (${rec.selector})`;
        case 'sysctl':
            return rec.was === undefined ? rec.key : `${rec.key} (was ${rec.was})`;
        case 'dns':
            return `DNS for ${rec.iface}`;
        case 'file':
            return rec.path;
        case 'lease':
            return `lease ${rec.id}`;
    }
}

;// CONCATENATED MODULE: ./src/action/journal/down.ts
// The post step: undo exactly what main recorded, checking each thing's identity first. It never
// fails the job; problems are warnings.





async function runPost() {
    try {
        const journal = loadJournal();
        if (journal.empty) {
            toolkit/* info */.pq('Nothing to tear down: main created no tunnel');
            return;
        }
        const name = journal.find('interface')?.name ?? 'the tunnel';
        commandGroup(`Tearing down ${name}`);
        const report = await teardown(journal);
        endCommandGroup();
        // The lease goes after the tunnel: the gateway then removes a peer that is already silent.
        if (journal.find('lease')) {
            const { releaseLeases } = await __nccwpck_require__.e(/* import() */ 916).then(__nccwpck_require__.bind(__nccwpck_require__, 916));
            const leases = await releaseLeases(journal);
            report.removed.push(...leases.released);
            report.warnings.push(...leases.warnings);
        }
        for (const w of report.warnings)
            toolkit/* warning */.$e(`${w} (proceeding anyway)`);
        for (const k of report.kept)
            toolkit/* info */.pq(k);
        toolkit/* debug */.Yz(`post done at ${Math.round(process.uptime() * 1000)} ms`);
        toolkit/* info */.pq(report.removed.length > 0 ? `Removed ${report.removed.join('; ')}` : `Nothing of ${name} was left to remove`);
    }
    catch (err) {
        endCommandGroup();
        toolkit/* warning */.$e(`teardown failed: ${(0,errors/* errorText */.k)(err)} (proceeding anyway)`);
    }
}

;// CONCATENATED MODULE: ./src/action/exit.ts
// Ending a step's process once its work is done.
/**
 * Exits as soon as stdout and stderr have taken everything written: nothing the step started needs
 * waiting for, and lingering handles would only delay the job. Exiting straight away could lose the
 * last lines (the `::error::` one among them) when stdout is a slow pipe or socket.
 */
async function exitWhenFlushed() {
    await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', () => r()))));
    process.exit();
}

;// CONCATENATED MODULE: ./src/action/post.ts


void runPost().then(exitWhenFlushed);

