import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 988:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.resolvconfName = resolvconfName;
exports.dnsUp = dnsUp;
exports.dnsDown = dnsDown;
exports.applyDns = applyDns;
// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.
const node_fs_1 = __nccwpck_require__(24);
const run_js_1 = __nccwpck_require__(786);
const system_js_1 = __nccwpck_require__(666);
const core = __importStar(__nccwpck_require__(441));
/** Which DNS manager this system has, if any. */
function dnsManager() {
    if ((0, node_fs_1.existsSync)('/run/systemd/resolve') && (0, system_js_1.locate)('resolvectl'))
        return 'resolvectl';
    if ((0, system_js_1.locate)('resolvconf'))
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
        return (0, node_fs_1.readFileSync)('/etc/resolvconf/interface-order', 'utf8');
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
    for (const c of dnsUp(cfg, manager, name))
        await (0, run_js_1.mustRun)(c.argv, { root: true, input: c.input, ...limits });
}


/***/ }),

/***/ 147:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.runPost = runPost;
// The post step: undo exactly what main recorded, checking each thing's identity first. It never
// fails the job; problems are warnings.
const errors_js_1 = __nccwpck_require__(916);
const state_js_1 = __nccwpck_require__(462);
const teardown_js_1 = __nccwpck_require__(747);
const core = __importStar(__nccwpck_require__(441));
async function runPost() {
    try {
        const journal = (0, state_js_1.loadJournal)();
        if (journal.empty) {
            core.info('Nothing to tear down: main created no tunnel');
            return;
        }
        const name = journal.find('interface')?.name ?? 'the tunnel';
        const report = await (0, teardown_js_1.teardown)(journal);
        // The lease goes after the tunnel: the gateway then removes a peer that is already silent.
        if (journal.find('lease')) {
            const { releaseLeases } = await __nccwpck_require__.e(/* import() */ 121).then(__nccwpck_require__.t.bind(__nccwpck_require__, 121, 23));
            const leases = await releaseLeases(journal);
            report.removed.push(...leases.released);
            report.warnings.push(...leases.warnings);
        }
        for (const w of report.warnings)
            core.warning(`${w} (proceeding anyway)`);
        for (const k of report.kept)
            core.info(k);
        core.debug(`post done at ${Math.round(performance.now())} ms`);
        core.info(report.removed.length > 0 ? `Removed ${report.removed.join('; ')}` : `Nothing of ${name} was left to remove`);
    }
    catch (err) {
        core.warning(`teardown failed: ${(0, errors_js_1.errorText)(err)} (proceeding anyway)`);
    }
}


/***/ }),

/***/ 916:
/***/ ((__unused_webpack_module, exports) => {


// Turning anything thrown into the one line a step reports.
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.errorText = void 0;
/** The message of an error, or the thrown value as text (a thrown non-Error must not pass silently). */
const errorText = (err) => (err instanceof Error ? err.message : String(err));
exports.errorText = errorText;


/***/ }),

/***/ 139:
/***/ ((__unused_webpack_module, exports) => {


// Ending a step's process once its work is done.
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.exitWhenFlushed = exitWhenFlushed;
/**
 * Exits as soon as stdout and stderr have taken everything written: nothing the step started needs
 * waiting for, and lingering handles would only delay the job. Exiting straight away could lose the
 * last lines (the `::error::` one among them) when stdout is a slow pipe or socket.
 */
async function exitWhenFlushed() {
    await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', () => r()))));
    process.exit();
}


/***/ }),

/***/ 160:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.userspaceFirst = void 0;
exports.refuseTakenName = refuseTakenName;
exports.createInterface = createInterface;
exports.startedDaemon = startedDaemon;
// Making the interface: the kernel's WireGuard where it has one, else wireguard-go. Each is written
// in the journal before it is made and gets its identity (ifindex; pid and start time) the moment
// it exists, so that rollback and post remove this interface and this process, never another
// job's of the same name.
const node_fs_1 = __nccwpck_require__(24);
const node_net_1 = __nccwpck_require__(30);
const core = __importStar(__nccwpck_require__(441));
const messages_js_1 = __nccwpck_require__(279);
const run_js_1 = __nccwpck_require__(786);
const system_js_1 = __nccwpck_require__(666);
const tools_js_1 = __nccwpck_require__(732);
/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
const userspaceFirst = (userspace) => userspace === 'true' || (userspace === 'auto' && !(0, system_js_1.kernelHasWireguard)());
exports.userspaceFirst = userspaceFirst;
/**
 * Refuses a name that is taken, before anything is touched: an interface of that name here, or a
 * live wireguard-go socket of that name (the socket folder is shared by every namespace, and `wg`
 * would talk to that socket's daemon instead of our interface). A socket nobody listens on is what
 * a killed wireguard-go leaves: wireguard-go and `wg` replace it. One this step may not open (not
 * root) cannot be told from a live one, and is refused too.
 */
async function refuseTakenName(iface) {
    if ((0, system_js_1.linkExists)(iface))
        throw new Error((0, messages_js_1.interfaceTaken)(iface));
    const path = (0, system_js_1.socketPath)(iface);
    if (!(0, node_fs_1.existsSync)(path))
        return;
    const answer = await new Promise((resolve) => {
        const socket = (0, node_net_1.connect)(path);
        const done = (code) => {
            socket.destroy();
            resolve(code);
        };
        socket.once('connect', () => done('live'));
        socket.once('error', (err) => done(err.code));
        socket.setTimeout(1000, () => done('live'));
    });
    if (answer !== 'ECONNREFUSED' && answer !== 'ENOENT')
        throw new Error((0, messages_js_1.socketTaken)(iface));
}
/** Makes the interface; resolves with whether wireguard-go serves it. */
async function createInterface(req, journal) {
    if (!(0, exports.userspaceFirst)(req.userspace)) {
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
    const rec = journal.add({ kind: 'interface', name: iface, netns: (0, system_js_1.netns)() });
    const argv = [req.tools.ip, 'link', 'add', 'dev', iface, 'type', 'wireguard'];
    const r = await (0, run_js_1.run)(argv, { root: true, ...req.limits });
    if (r.code === 0) {
        journal.update(rec, { ifindex: (0, system_js_1.ifindex)(iface) });
        return true;
    }
    // Nothing was made: the record goes.
    journal.remove(rec);
    const full = (0, run_js_1.commandLine)(argv, { root: true }, (0, run_js_1.isRoot)());
    if (r.timedOut || (0, run_js_1.sudoRefused)(full, r.stderr))
        throw new run_js_1.CommandError(full, r);
    const noKernel = /Unknown device type|not supported/i.test(r.stderr);
    if (noKernel && req.userspace !== 'false')
        return false;
    const why = noKernel
        ? 'this kernel has no WireGuard module and userspace is false (set userspace: auto to use wireguard-go)'
        : (0, messages_js_1.explainCreateFailure)(iface, r.stderr);
    throw new Error(`could not create interface ${iface}: ${why}`);
}
/**
 * Starts wireguard-go, which forks a daemon that outlives this step and returns once the interface
 * exists. Its environment is the minimal one (run.ts): with LOG_LEVEL set, the daemon would keep
 * this step's pipes open.
 */
async function startWireguardGo(req, journal) {
    const { iface } = req;
    const wgGo = req.tools['wireguard-go'] ?? (await (0, tools_js_1.ensureTools)(['wireguard-go'], req.install))['wireguard-go'];
    const link = journal.add({ kind: 'interface', name: iface, netns: (0, system_js_1.netns)() });
    const proc = journal.add({ kind: 'wireguard-go', name: iface, since: (0, system_js_1.ticksNow)() });
    let r;
    try {
        r = await (0, run_js_1.mustRun)([wgGo, iface], { root: true, ...req.limits }, (said) => {
            return new Error(`could not start wireguard-go for ${iface}: ${(0, messages_js_1.explainCreateFailure)(iface, said)}`);
        });
    }
    catch (err) {
        // It exited without a daemon: its interface closed with it, and nothing is ours to undo.
        if (!(err instanceof run_js_1.CommandError && err.result.timedOut)) {
            journal.remove(proc);
            journal.remove(link);
        }
        throw err;
    }
    journal.update(link, { ifindex: (0, system_js_1.ifindex)(iface) });
    const daemon = await startedDaemon(iface, proc.since, req.limits, r.pid);
    journal.update(proc, { ...daemon, socket: (0, system_js_1.fileId)((0, system_js_1.socketPath)(iface)) });
}
/**
 * The daemon a start of wireguard-go forked, proven to be in this network namespace: read directly
 * when root, else through `sudo readlink` (a root process's namespace is not the user's to read).
 * Undefined when none can be proven ours: then nothing is ever signalled on a guess.
 */
async function startedDaemon(iface, since, limits, near) {
    const ours = (0, system_js_1.netns)();
    for (const c of (0, system_js_1.wireguardGoCandidates)(iface, since, near)) {
        const theirs = c.netns ?? (await (0, run_js_1.run)(['readlink', `/proc/${c.pid}/ns/net`], { root: true, ...limits })).stdout.trim();
        if (ours !== undefined && theirs === ours)
            return { pid: c.pid, start: c.start };
    }
    return undefined;
}


/***/ }),

/***/ 282:
/***/ ((__unused_webpack_module, exports) => {


// IP addresses and prefixes: parsing, masking and canonical text. Pure; no I/O.
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.parseAddress = parseAddress;
exports.formatBytes = formatBytes;
exports.canonicalAddress = canonicalAddress;
exports.maxBits = maxBits;
exports.parsePrefix = parsePrefix;
exports.network = network;
exports.prefixText = prefixText;
exports.contains = contains;
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
function canonicalAddress(text) {
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


/***/ }),

/***/ 588:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Journal = exports.SRC_VALID_MARK = void 0;
exports.validRecord = validRecord;
exports.parseJournal = parseJournal;
// What main makes, written down *before* it makes it, so that whatever happens next (a failure, a
// cancelled job, a killed process) post knows exactly what may exist and how to recognise it. Each
// record carries identity (an ifindex in a network namespace, a pid with its start time, a rule's
// priority) once it is known; teardown acts only on what still has that identity.
const names_js_1 = __nccwpck_require__(455);
exports.SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark';
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
exports.Journal = Journal;
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
            if (!str(r.name, names_js_1.IFACE) || (r.netns !== undefined && !str(r.netns, NETNS)))
                return undefined;
            return {
                kind: 'interface',
                name: r.name,
                netns: optional(r.netns, (v) => str(v, NETNS)),
                ifindex: optional(r.ifindex, (v) => int(v, 1, 2 ** 31))
            };
        case 'wireguard-go':
            if (!str(r.name, names_js_1.IFACE) || !int(r.since, 0, Number.MAX_SAFE_INTEGER))
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
            if (r.key !== exports.SRC_VALID_MARK || !str(r.was, /^[0-9]$/))
                return undefined;
            return { kind: 'sysctl', key: exports.SRC_VALID_MARK, was: r.was };
        case 'dns':
            if ((r.manager !== 'resolvectl' && r.manager !== 'resolvconf') ||
                !str(r.name, DNS_NAME) ||
                !str(r.iface, names_js_1.IFACE)) {
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

/***/ 279:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.tableTaken = exports.socketTaken = exports.interfaceTaken = exports.noNetAdmin = exports.duration = void 0;
exports.unsupportedPlatform = unsupportedPlatform;
exports.explainCreateFailure = explainCreateFailure;
exports.endpointShown = endpointShown;
exports.handshakeFailure = handshakeFailure;
exports.checkFailure = checkFailure;
// The one-line errors a step ends with: each says what failed, the likely causes, and the fix.
// The README's troubleshooting table quotes them; tests hold them to it.
const ip_js_1 = __nccwpck_require__(282);
const plan_js_1 = __nccwpck_require__(464);
const system_js_1 = __nccwpck_require__(666);
/** Milliseconds as a person reads them: `12 ms`, `1.4 s`. */
const duration = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
exports.duration = duration;
const seconds = (ms) => `${ms / 1000} s`;
/** Where the action can run, said in one line where it cannot. */
function unsupportedPlatform(platform) {
    const name = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
    return (`This action runs on Linux runners only, and this one runs ${name}. ` +
        'Use a Linux runner (runs-on: ubuntu-latest, or a self-hosted Linux runner); ' +
        `on ${name}, install the official WireGuard client in a run: step instead.`);
}
/** Root without CAP_NET_ADMIN: a container that may not make network interfaces. */
exports.noNetAdmin = 'This step runs as root but without CAP_NET_ADMIN, so it may not create network interfaces: ' +
    'an unprivileged container runner (such as ubuntu-slim) cannot host a tunnel, use runs-on: ubuntu-latest; ' +
    'in a job container you define, add options: --cap-add=NET_ADMIN --device=/dev/net/tun';
const interfaceTaken = (iface) => `interface ${iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${iface}\`, or choose another name with the interface input`;
exports.interfaceTaken = interfaceTaken;
const socketTaken = (iface) => `${system_js_1.SOCKET_DIR}/${iface}.sock exists: another wireguard-go serves the name ${iface} (perhaps in another network namespace or job, which share that folder); it was left untouched. Choose another name with the interface input, or if an earlier job left it behind, remove it with \`sudo rm ${system_js_1.SOCKET_DIR}/${iface}.sock\``;
exports.socketTaken = socketTaken;
const tableTaken = (fwmark) => `FwMark ${fwmark} names routing table ${fwmark}, which already holds routes or rules (another tunnel's?); nothing was changed. Choose another FwMark, or leave it out and a free table is picked`;
exports.tableTaken = tableTaken;
/** What stopped an interface from being made, with the fix for the usual causes. */
function explainCreateFailure(iface, said) {
    const text = said
        .split('\n')
        .filter((l) => l.trim() !== '' && !/[│┌└]/.test(l))
        .map((l) => l.replace(/^[A-Z]+: \(\S+\) [0-9/]+ [0-9:]+ /, '').trim())
        .join(' ') || 'no reason given';
    if (/unix socket in use/i.test(said))
        return `${text}: ${(0, exports.socketTaken)(iface)}`;
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
    const given = (0, plan_js_1.endpointText)(e.host, e.port);
    return e.address !== undefined && e.address !== e.host ? `${given} (${e.address})` : given;
}
function handshakeFailure(t, missing, timeoutMs, 
/** In gateway mode, the gateway's origin: it added the peer, so the causes are others. */
gateway) {
    const ep = t.peers.find((p) => p.publicKey === missing)?.endpoint;
    const at = ep ? (0, plan_js_1.endpointText)(ep.address ?? ep.host, ep.port) : 'its endpoint';
    const named = ep?.address !== undefined && ep.address !== ep.host ? ` (${(0, plan_js_1.endpointText)(ep.host, ep.port)})` : '';
    const head = `No handshake with peer ${missing} at ${at}${named} within ${seconds(timeoutMs)}. Likely causes: `;
    if (gateway !== undefined) {
        return (head +
            `UDP to ${at} is blocked or nothing listens there; the gateway ${gateway} manages another interface than the one its endpoint serves (check its interface and endpoint settings).`);
    }
    const addresses = t.addresses.map((a) => (0, ip_js_1.prefixText)({ ...a, bits: (0, ip_js_1.maxBits)(a.family) })).join(',');
    return (head +
        `the server does not know this runner's public key ${t.publicKey} (on the server: wg set <interface> peer ${t.publicKey} allowed-ips ${addresses}); ` +
        `UDP to ${at} is blocked or nothing listens there; peer-public-key is not the server's key.`);
}
function checkFailure(label, reason, addresses, timeoutMs) {
    return (`The tunnel is up but ${label} did not answer within ${seconds(timeoutMs)} (last error: ${reason}). ` +
        `Likely causes: allowed-ips does not cover that address; the server does not forward or route traffic from ${addresses.map((a) => a.address).join(', ')}; the service is down or filtered.`);
}


/***/ }),

/***/ 455:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.IFACE = void 0;
// Interface names as Linux accepts them: 1 to 15 of letters, digits and _=+.-, and not one that
// `ip` or wireguard-go would read as an option (a leading -) or a path (`.`, `..`).
exports.IFACE = /^(?!-)(?!\.{1,2}$)[a-zA-Z0-9_=+.-]{1,15}$/;


/***/ }),

/***/ 464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.policyRouteCount = exports.ruleLine = exports.rulePriorities = exports.isFullTunnel = exports.routeText = exports.endpointAddress = exports.bringUpKeepalive = exports.probedPeers = void 0;
exports.endpointText = endpointText;
exports.pickTable = pickTable;
exports.tablesInUse = tablesInUse;
exports.placeRules = placeRules;
exports.routingPlan = routingPlan;
exports.autoMtu = autoMtu;
exports.linkBatch = linkBatch;
exports.routeBatch = routeBatch;
const ip_js_1 = __nccwpck_require__(282);
/** The keepalive set while verifying a peer whose keepalive is off, so that bring-up starts a handshake. */
const PROBE_KEEPALIVE = 25;
/** The peers whose keepalive is off but which have an endpoint: probed with a keepalive while verifying. */
const probedPeers = (peers) => peers.filter((p) => p.keepalive === 0 && p.endpoint !== undefined);
exports.probedPeers = probedPeers;
/** The keepalive a peer is configured with during bring-up. */
const bringUpKeepalive = (peer) => peer.keepalive === 0 && peer.endpoint ? PROBE_KEEPALIVE : peer.keepalive;
exports.bringUpKeepalive = bringUpKeepalive;
function endpointText(host, port) {
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
/** The endpoint as WireGuard is given it: the address it resolved to (a host name only if unresolved). */
const endpointAddress = (e) => endpointText(e.address ?? e.host, e.port);
exports.endpointAddress = endpointAddress;
/** True when some address's own network route already covers the prefix (wg-quick adds no route then). */
function coveredByAddress(addresses, prefix) {
    return addresses.some((a) => a.bits < (0, ip_js_1.maxBits)(a.family) && (0, ip_js_1.contains)((0, ip_js_1.network)(a), prefix));
}
const routeText = (r) => `${(0, ip_js_1.prefixText)(r.prefix)}${r.table === undefined ? '' : ` table ${r.table}`}`;
exports.routeText = routeText;
/** The allowed IPs of all peers, each once, most specific first (wg-quick: `sort -nr -k 2 -t /`). */
function allowedIps(t) {
    const seen = new Set();
    const all = [];
    for (const p of t.peers.flatMap((peer) => peer.allowedIps)) {
        const key = (0, ip_js_1.prefixText)(p);
        if (seen.has(key))
            continue;
        seen.add(key);
        all.push(p);
    }
    return all.sort((a, b) => b.bits - a.bits);
}
/** True when some allowed IP is a /0: a full tunnel, which wg-quick routes through a policy table. */
const isFullTunnel = (t) => t.table === 'auto' && allowedIps(t).some((p) => p.bits === 0);
exports.isFullTunnel = isFullTunnel;
/** The first table from 51820 up that holds no routes and no rule points at, as wg-quick picks it. */
function pickTable(used, from = 51820) {
    let t = from;
    while (used.has(t))
        t++;
    return t;
}
/** Tables in use: named by a route (`ip route show table all`) or looked up by a rule (`ip rule show`). */
function tablesInUse(routes, rules) {
    const named = [...routes.matchAll(/\btable ([0-9]+)/g), ...rules.matchAll(/\b(?:lookup|table) ([0-9]+)/g)];
    return new Set(named.map((m) => Number(m[1])));
}
/** The priorities of the rules `ip rule show` lists, in its order. */
const rulePriorities = (text) => [...text.matchAll(/^([0-9]+):/gm)].map((m) => Number(m[1]));
exports.rulePriorities = rulePriorities;
/**
 * Priorities for new rules, as the kernel gives a rule added without one (fib_default_rule_pref:
 * one below the second rule's), so that the result equals wg-quick's; but chosen here, recorded,
 * and used to delete exactly these rules later. Never one already in use.
 */
function placeRules(rules, existing) {
    const taken = { 4: new Set(existing[4]), 6: new Set(existing[6]) };
    const sorted = {
        4: [...existing[4]].sort((a, b) => a - b),
        6: [...existing[6]].sort((a, b) => a - b)
    };
    return rules.map((rule) => {
        const second = sorted[rule.family][1] ?? 32766;
        let priority = second > 1 ? second - 1 : 32765;
        while (taken[rule.family].has(priority) && priority > 1)
            priority--;
        taken[rule.family].add(priority);
        sorted[rule.family] = [...taken[rule.family]].sort((a, b) => a - b);
        return { ...rule, priority };
    });
}
/**
 * wg-quick's add_route for every allowed IP. `policyTable` is the table for a full tunnel (the
 * configured FwMark, else the first free from 51820).
 */
function routingPlan(t, policyTable) {
    const plan = { routes: [], rules: [], srcValidMark: false };
    if (t.table === 'off')
        return plan;
    for (const prefix of allowedIps(t)) {
        if (typeof t.table === 'number') {
            plan.routes.push({ prefix, table: t.table });
        }
        else if (prefix.bits === 0) {
            const table = policyTable;
            plan.fwmark = table;
            plan.routes.push({ prefix, table });
            plan.rules.push({ family: prefix.family, selector: `not fwmark ${table} table ${table}` }, { family: prefix.family, selector: 'table main suppress_prefixlength 0' });
            if (prefix.family === 4)
                plan.srcValidMark = true;
        }
        else if (!coveredByAddress(t.addresses, prefix)) {
            plan.routes.push({ prefix });
        }
    }
    return plan;
}
/** wg-quick's MTU: the largest route MTU towards the endpoints (1500 when none is known), minus 80. */
function autoMtu(routeMtus) {
    const best = Math.max(0, ...routeMtus);
    return (best > 0 ? best : 1500) - 80;
}
/** One rule as an `ip -batch` line (`ip` takes the family from its -4/-6 option, not the line). */
const ruleLine = (rule, verb) => `rule ${verb} ${rule.selector} priority ${rule.priority}`;
exports.ruleLine = ruleLine;
/** The `ip -batch` script that gives the interface its addresses and MTU and brings it up. */
function linkBatch(iface, addresses, mtu) {
    const lines = addresses.map((a) => `address add ${(0, ip_js_1.prefixText)(a)} dev ${iface}`);
    lines.push(`link set mtu ${mtu} up dev ${iface}`);
    return `${lines.join('\n')}\n`;
}
/**
 * The `ip -batch` script that adds the routes (the policy table's first: adding them claims the
 * table, see up.ts) and the IPv4 rules; IPv6 rules go in an `ip -6 -batch` of their own.
 */
function routeBatch(iface, plan, rules) {
    const policy = (r) => plan.fwmark !== undefined && r.table === plan.fwmark;
    const ordered = [...plan.routes.filter(policy), ...plan.routes.filter((r) => !policy(r))];
    const lines = ordered.map((r) => `route add ${(0, ip_js_1.prefixText)(r.prefix)} dev ${iface}${r.table === undefined ? '' : ` table ${r.table}`}`);
    lines.push(...rules.filter((r) => r.family === 4).map((r) => (0, exports.ruleLine)(r, 'add')));
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
/** The policy table's routes, as many lines as open routeBatch: a failure among them is a table taken meanwhile. */
const policyRouteCount = (plan) => plan.fwmark === undefined ? 0 : plan.routes.filter((r) => r.table === plan.fwmark).length;
exports.policyRouteCount = policyRouteCount;


/***/ }),

/***/ 786:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CommandError = exports.sudoRefused = exports.isRoot = void 0;
exports.commandLine = commandLine;
exports.run = run;
exports.mustRun = mustRun;
// The one place that starts processes. Commands are argument arrays, never shell strings; commands
// that need root go through `sudo -n` when this process is not root, so a missing permission fails
// at once instead of waiting for a password. Children get a minimal environment: nothing of the
// step's own (INPUT_* secrets, the runner's ACTIONS_* tokens, a job's LOG_LEVEL) reaches them.
const node_child_process_1 = __nccwpck_require__(421);
const core = __importStar(__nccwpck_require__(441));
const system_js_1 = __nccwpck_require__(666);
const isRoot = () => process.getuid?.() === 0;
exports.isRoot = isRoot;
/**
 * What every child starts from: a PATH that has the sbin directories, and the C locale so that
 * the messages matched here (`File exists`, `Unknown device type`) read the same everywhere.
 * wireguard-go's variables (LOG_LEVEL, WG_PROCESS_FOREGROUND, …) are deliberately absent: with
 * LOG_LEVEL set, its daemon keeps the step's pipes open and the step hangs.
 */
function childEnv(extra = {}) {
    return { PATH: (0, system_js_1.searchPath)().join(':'), LC_ALL: 'C', ...extra };
}
/** The argument vector actually started for a command. Pure, for tests. */
function commandLine(argv, opts, root) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv];
    return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv;
}
/** Whether a command's failure was sudo refusing to run it. */
const sudoRefused = (argv, stderr) => argv[0] === 'sudo' && /^sudo: /m.test(stderr);
exports.sudoRefused = sudoRefused;
/** A command that failed: says what ran (arguments carry no secrets) and what it printed. */
class CommandError extends Error {
    argv;
    result;
    constructor(argv, result) {
        super(describeFailure(argv, result));
        this.argv = argv;
        this.result = result;
        this.name = 'CommandError';
    }
}
exports.CommandError = CommandError;
function describeFailure(argv, r) {
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
    if (r.timedOut) {
        const stall = argv[0] === 'sudo'
            ? ' `sudo` itself may be stalling: check that this host name resolves (/etc/hosts) and that sudo needs no password.'
            : '';
        return `\`${argv.join(' ')}\` did not finish within the step's timeout.${stall}`;
    }
    if ((0, exports.sudoRefused)(argv, r.stderr)) {
        return `\`${argv.slice(2).join(' ')}\` needs root and this step runs as uid ${process.getuid?.()}: \`sudo -n\` refused (${said}). Run the job as root or give the runner user passwordless sudo.`;
    }
    return `\`${argv.join(' ')}\` failed (exit ${r.code})${said ? `: ${said}` : ''}`;
}
/** Runs a command and resolves with its exit code and output; rejects only when it cannot start. */
function run(argv, opts = {}) {
    const root = (0, exports.isRoot)();
    // As root the variables go straight into the environment; through sudo, which resets it, by `env`.
    const full = commandLine(argv, root ? { ...opts, env: undefined } : opts, root);
    const env = childEnv(root ? opts.env : {});
    core.debug(`run: ${commandLine(argv, opts, root).join(' ')} (at ${Math.round(performance.now())} ms)`);
    const own = opts.timeoutMs ?? 60_000;
    const left = opts.deadline === undefined ? Infinity : opts.deadline - Date.now();
    const limit = Math.max(0, Math.min(own, left));
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(full[0], full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        let killed = false;
        const timer = setTimeout(() => {
            killed = true;
            timedOut = left <= own;
            stderr += `\n(killed after ${Math.round(limit) / 1000} s)`;
            child.kill('SIGKILL');
        }, limit);
        // A killed command's own children may still hold its pipes: stop waiting for them.
        child.on('exit', () => {
            if (!killed)
                return;
            child.stdout.destroy();
            child.stderr.destroy();
        });
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(err.code === 'ENOENT'
                ? new Error(`\`${full[0]}\` was not found on PATH (${env.PATH})`)
                : new Error(`\`${full[0]}\` could not start: ${err.message}`));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ pid: child.pid, code: code ?? (signal ? 128 : 1), stdout, stderr, ...(timedOut ? { timedOut } : {}) });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
    });
}
/**
 * Runs a command that must succeed; throws a CommandError otherwise, or the error `explain` makes
 * of its output (a refused sudo and a timeout are always said as such).
 */
async function mustRun(argv, opts = {}, explain) {
    const r = await run(argv, opts);
    if (r.code === 0)
        return r;
    const full = commandLine(argv, opts, (0, exports.isRoot)());
    if (explain && !r.timedOut && !(0, exports.sudoRefused)(full, r.stderr))
        throw explain(`${r.stderr}\n${r.stdout}`);
    throw new CommandError(full, r);
}


/***/ }),

/***/ 462:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.loadJournal = exports.stepJournal = void 0;
// The journal as the runner keeps it between main and post: the step state `journal`, which main
// saves after every change and the runner hands to post as STATE_journal.
const core = __importStar(__nccwpck_require__(441));
const journal_js_1 = __nccwpck_require__(588);
const KEY = 'journal';
/** A journal that main writes to the step state as it goes. */
const stepJournal = () => new journal_js_1.Journal((text) => core.saveState(KEY, text));
exports.stepJournal = stepJournal;
/** What main recorded, for post (which keeps it up to date in case it has to be run again). */
const loadJournal = () => new journal_js_1.Journal((text) => core.saveState(KEY, text), (0, journal_js_1.parseJournal)(core.getState(KEY)));
exports.loadJournal = loadJournal;


/***/ }),

/***/ 666:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.sleep = exports.START_WINDOW_TICKS = exports.linkExists = exports.socketPath = exports.SOCKET_DIR = void 0;
exports.searchPath = searchPath;
exports.locate = locate;
exports.kernelHasWireguard = kernelHasWireguard;
exports.deviceMtu = deviceMtu;
exports.netns = netns;
exports.ifindex = ifindex;
exports.ticksNow = ticksNow;
exports.sameProcess = sameProcess;
exports.wireguardGoCandidates = wireguardGoCandidates;
exports.fileId = fileId;
exports.hasNetAdmin = hasNetAdmin;
exports.waitUntil = waitUntil;
// Read-only probes of the system, through the file system only (no processes started): where
// programs are, whether the kernel has WireGuard, and the identities by which this action
// recognises what it made (an interface's ifindex in a network namespace, a process's pid and
// start time), so that it never acts on something of the same name that another job made.
const node_fs_1 = __nccwpck_require__(24);
const node_os_1 = __nccwpck_require__(161);
const node_path_1 = __nccwpck_require__(760);
exports.SOCKET_DIR = '/var/run/wireguard';
const socketPath = (iface) => `${exports.SOCKET_DIR}/${iface}.sock`;
exports.socketPath = socketPath;
const linkExists = (iface) => (0, node_fs_1.existsSync)(`/sys/class/net/${iface}`);
exports.linkExists = linkExists;
function readText(path) {
    try {
        return (0, node_fs_1.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** PATH, then the sbin directories that an unprivileged user's PATH may lack. */
function searchPath() {
    const dirs = (process.env.PATH ?? '').split(node_path_1.delimiter).filter((d) => d !== '');
    for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
        if (!dirs.includes(d))
            dirs.push(d);
    }
    return dirs;
}
function locate(tool) {
    for (const dir of searchPath()) {
        const path = (0, node_path_1.join)(dir, tool);
        if ((0, node_fs_1.existsSync)(path))
            return path;
    }
    return undefined;
}
/** The kernel has WireGuard loaded, built in, or as a module it can load. */
function kernelHasWireguard() {
    if ((0, node_fs_1.existsSync)('/sys/module/wireguard'))
        return true;
    const dir = `/lib/modules/${(0, node_os_1.release)()}`;
    return (/\/wireguard\.ko/.test(readText(`${dir}/modules.builtin`)) || /\/wireguard\.ko/.test(readText(`${dir}/modules.dep`)));
}
/** The MTU of a network device, or 0 when unknown. */
function deviceMtu(dev) {
    return Number(readText(`/sys/class/net/${dev}/mtu`).trim()) || 0;
}
/** This process's network namespace, e.g. `net:[4026531840]`; undefined where /proc does not say. */
function netns(pid = 'self') {
    try {
        return (0, node_fs_1.readlinkSync)(`/proc/${pid}/ns/net`);
    }
    catch {
        return undefined;
    }
}
/** The interface's index in this network namespace, or undefined when there is no such interface. */
function ifindex(iface) {
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
function ticksNow() {
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
    return argv.length >= 2 && (0, node_path_1.basename)(argv[0]) === 'wireguard-go' && argv[argv.length - 1] === iface;
}
/** True while the very process recorded runs (not a later one with the same pid, nor its zombie). */
function sameProcess(p) {
    const stat = readText(`/proc/${p.pid}/stat`);
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] === p.start && rest[0] !== 'Z' && rest[0] !== 'X';
}
/** Clock ticks within which a started wireguard-go forks its daemon: the start command's own limit (60 s). */
exports.START_WINDOW_TICKS = 6000;
/**
 * The wireguard-go processes that may be the daemon a start of `wireguard-go IFACE` forked:
 * serving that name and started within START_WINDOW_TICKS from `sinceTicks`, in this network
 * namespace where that can be read. The socket folder is shared by every namespace, so only one
 * wireguard-go can serve a name at a time; the start time rules out older ones. `near`: the pid of
 * what started it (the daemon is forked a few pids later, so those come first).
 */
function wireguardGoCandidates(iface, sinceTicks, near) {
    const ours = netns();
    const fits = (pid) => {
        if (!isWireguardGo(pid, iface))
            return undefined;
        const start = startTime(pid);
        if (start === undefined || Number(start) < sinceTicks || Number(start) > sinceTicks + exports.START_WINDOW_TICKS) {
            return undefined;
        }
        const theirs = netns(pid);
        if (theirs !== undefined && ours !== undefined && theirs !== ours)
            return undefined;
        return { pid, start, netns: theirs };
    };
    const pids = (0, node_fs_1.readdirSync)('/proc')
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
function fileId(path) {
    try {
        const s = (0, node_fs_1.statSync)(path, { bigint: true });
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
exports.sleep = sleep;
/** Polls `done` until it holds or `ms` pass; resolves with whether it held. */
async function waitUntil(done, ms, everyMs = 2) {
    const end = Date.now() + ms;
    for (;;) {
        if (done())
            return true;
        if (Date.now() >= end)
            return false;
        await (0, exports.sleep)(Math.min(everyMs, end - Date.now()));
    }
}


/***/ }),

/***/ 747:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.teardown = teardown;
// Undoing what the journal records, newest first: shared by post and by main's rollback. Each
// record is undone only after its identity is checked (the interface still has the recorded
// ifindex in this network namespace, the process the recorded start time, the rule its priority),
// so that nothing of the same name made by another job is ever touched. Never throws: every
// problem comes back as a warning, and what could not be undone stays in the journal for post.
const node_fs_1 = __nccwpck_require__(24);
const dns_js_1 = __nccwpck_require__(988);
const interface_js_1 = __nccwpck_require__(160);
const errors_js_1 = __nccwpck_require__(916);
const journal_js_1 = __nccwpck_require__(588);
const run_js_1 = __nccwpck_require__(786);
const system_js_1 = __nccwpck_require__(666);
const core = __importStar(__nccwpck_require__(441));
/** Each undo command may take this long: enough for a slow sudo, short of hanging post. */
const COMMAND_MS = 10_000;
const ip = () => (0, system_js_1.locate)('ip') ?? 'ip';
const asRoot = (b) => ({ root: true, timeoutMs: COMMAND_MS, deadline: b.deadline });
/** A wait of `ms`, cut short by the budget. */
const within = (b, ms) => b.deadline === undefined ? ms : Math.max(0, Math.min(ms, b.deadline - Date.now()));
/** The interface as recorded is still there: same name, same ifindex, and we are in its namespace. */
function stillOurs(rec) {
    const now = (0, system_js_1.ifindex)(rec.name);
    if (now === undefined)
        return 'gone';
    return rec.ifindex !== undefined && now === rec.ifindex ? 'ours' : 'other';
}
/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid, name, b) {
    if (!(0, run_js_1.isRoot)()) {
        await (0, run_js_1.run)(['kill', `-${name}`, String(pid)], asRoot(b));
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
        : await (0, interface_js_1.startedDaemon)(rec.name, rec.since, { timeoutMs: COMMAND_MS, deadline: b.deadline });
    // Dead already (killed, crashed): its socket may be left behind.
    const running = proc !== undefined && (0, system_js_1.sameProcess)(proc);
    let stale = !running;
    if (running) {
        const gone = () => !(0, system_js_1.sameProcess)(proc);
        const sent = performance.now();
        await signal(proc.pid, 'TERM', b);
        if (!(await (0, system_js_1.waitUntil)(gone, within(b, 3000)))) {
            stale = true;
            await signal(proc.pid, 'KILL', b);
            if (!(await (0, system_js_1.waitUntil)(gone, within(b, 1000)))) {
                return { left: `wireguard-go (pid ${proc.pid}) for ${rec.name} would not stop`, retry: true };
            }
        }
        core.debug(`wireguard-go stopped ${Math.round(performance.now() - sent)} ms after SIGTERM`);
    }
    // wireguard-go removes its socket on a clean exit; after a kill, only the very socket recorded goes.
    const sock = (0, system_js_1.socketPath)(rec.name);
    const removeSocket = stale && rec.socket !== undefined && (0, system_js_1.fileId)(sock) === rec.socket;
    if (removeSocket) {
        if ((0, run_js_1.isRoot)())
            (0, node_fs_1.rmSync)(sock, { force: true });
        else
            await (0, run_js_1.run)(['rm', '-f', sock], asRoot(b));
    }
    const what = [running ? `${rec.name} (wireguard-go, pid ${proc.pid})` : '', removeSocket ? `${sock} (stale)` : ''];
    const said = what.filter((w) => w !== '').join(', ');
    return said ? { undone: said } : { gone: true };
}
async function deleteInterface(rec, b) {
    // The link closes as wireguard-go exits: give it a moment before looking.
    await (0, system_js_1.waitUntil)(() => stillOurs(rec) !== 'ours', within(b, 1000));
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
    await (0, run_js_1.mustRun)([ip(), 'link', 'delete', 'dev', rec.name], asRoot(b));
    return { undone: rec.name };
}
async function deleteRule(rec, b) {
    const r = await (0, run_js_1.run)([ip(), `-${rec.family}`, 'rule', 'del', ...rec.selector.split(' '), 'priority', String(rec.priority)], asRoot(b));
    if (r.code === 0)
        return { undone: `rule ${rec.priority}: ${rec.selector}` };
    if (/No such file|not exist/i.test(r.stderr))
        return { gone: true };
    throw new Error(r.stderr.trim() || `exit ${r.code}`);
}
/** Puts src_valid_mark back, unless another full tunnel still marks its traffic and needs it. */
async function restoreSysctl(rec, b) {
    const others = (await (0, run_js_1.run)([ip(), '-4', 'rule', 'show'], { timeoutMs: COMMAND_MS, deadline: b.deadline })).stdout;
    if (/\bnot from all fwmark /.test(others))
        return { kept: `${journal_js_1.SRC_VALID_MARK} stays 1: another full tunnel's rules need it` };
    await (0, run_js_1.mustRun)(['sysctl', '-q', '-w', `${rec.key}=${rec.was}`], asRoot(b));
    return { undone: `${rec.key} back to ${rec.was}` };
}
async function revertDns(rec, iface, b) {
    // Under a name that another job's interface has now, the DNS settings are theirs.
    if (iface && stillOurs(iface) === 'other')
        return { left: `DNS for ${rec.iface}: the interface is no longer ours` };
    if (rec.manager === 'resolvectl' && !(0, system_js_1.linkExists)(rec.iface))
        return { gone: true };
    const { argv } = (0, dns_js_1.dnsDown)(rec.manager, rec.name);
    await (0, run_js_1.mustRun)(argv, asRoot(b));
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
            if (!(0, node_fs_1.existsSync)(rec.path))
                return { gone: true };
            (0, node_fs_1.rmSync)(rec.path, { recursive: true, force: true });
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
    if (iface?.netns !== undefined && (0, system_js_1.netns)() !== undefined && iface.netns !== (0, system_js_1.netns)()) {
        report.warnings.push(`${iface.name} was made in another network namespace than this step runs in; nothing was touched`);
        return report;
    }
    for (const rec of [...journal.records].reverse()) {
        if (rec.kind === 'lease')
            continue;
        try {
            const outcome = await undo(rec, journal, budget);
            if ('kept' in outcome)
                report.kept.push(outcome.kept);
            if ('left' in outcome) {
                report.warnings.push(outcome.left);
                // Not ours (or needed by another): nothing for a later post to do either, unless it may yet go.
                if (!outcome.retry)
                    journal.remove(rec);
                continue;
            }
            // The interface first: what the reader looks for.
            if ('undone' in outcome) {
                if (rec.kind === 'interface' || rec.kind === 'wireguard-go')
                    report.removed.unshift(outcome.undone);
                else
                    report.removed.push(outcome.undone);
            }
            journal.remove(rec);
        }
        catch (err) {
            report.warnings.push(`could not remove ${describe(rec)}: ${(0, errors_js_1.errorText)(err)}`);
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
            return `${rec.key} (was ${rec.was})`;
        case 'dns':
            return `DNS for ${rec.iface}`;
        case 'file':
            return rec.path;
        case 'lease':
            return `lease ${rec.id}`;
    }
}


/***/ }),

/***/ 441:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.getState = exports.saveState = exports.setOutput = exports.endGroup = exports.startGroup = exports.info = exports.warning = exports.debug = exports.setSecret = void 0;
exports.getInput = getInput;
exports.setFailed = setFailed;
exports.fileCommandText = fileCommandText;
exports.appendSummary = appendSummary;
// The runner's protocol, the few parts this action uses: inputs from INPUT_* variables, commands on
// stdout (`::add-mask::`, `::debug::`, `::warning::`, `::error::`, groups), outputs and state as
// file commands, and the job summary file. Written here instead of importing @actions/core, whose
// bundle (an HTTP client for OIDC among it) tripled the step's cold start; see the README's
// benchmark. Same encoding as @actions/core (a unit test holds it to that).
const node_fs_1 = __nccwpck_require__(24);
const node_os_1 = __nccwpck_require__(161);
/** An input as the runner passes it: `INPUT_` + the name upper-cased, spaces as `_`; trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
/** Escapes a command's message: `%`, CR and LF. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function command(name, message) {
    process.stdout.write(`::${name}::${escapeData(message)}${node_os_1.EOL}`);
}
/** Registers a secret with the runner, which masks it in every later log line (and swallows this one). */
const setSecret = (secret) => command('add-mask', secret);
exports.setSecret = setSecret;
const debug = (message) => command('debug', message);
exports.debug = debug;
const warning = (message) => command('warning', message);
exports.warning = warning;
const info = (message) => void process.stdout.write(`${message}${node_os_1.EOL}`);
exports.info = info;
const startGroup = (name) => command('group', name);
exports.startGroup = startGroup;
const endGroup = () => command('endgroup', '');
exports.endGroup = endGroup;
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
    return `${name}<<${delimiter}${node_os_1.EOL}${value}${node_os_1.EOL}${delimiter}${node_os_1.EOL}`;
}
function fileCommand(variable, name, value) {
    const file = process.env[variable];
    if (file)
        (0, node_fs_1.appendFileSync)(file, fileCommandText(name, value), 'utf8');
}
const setOutput = (name, value) => fileCommand('GITHUB_OUTPUT', name, value);
exports.setOutput = setOutput;
const saveState = (name, value) => fileCommand('GITHUB_STATE', name, value);
exports.saveState = saveState;
/** State saved by main, which the runner passes to post as `STATE_name`. */
const getState = (name) => process.env[`STATE_${name}`] ?? '';
exports.getState = getState;
/** Appends Markdown to the job summary, when the runner gives one. */
function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file)
        (0, node_fs_1.appendFileSync)(file, `${markdown}${node_os_1.EOL}`, 'utf8');
}


/***/ }),

/***/ 732:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ensureTools = ensureTools;
// Finding the programs the tunnel needs, and installing the missing ones with apt in one
// transaction, non-interactively.
const core = __importStar(__nccwpck_require__(441));
const run_js_1 = __nccwpck_require__(786);
const system_js_1 = __nccwpck_require__(666);
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
    const first = await (0, run_js_1.run)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
    if (first.code === 0)
        return;
    core.info('apt-get install failed; refreshing the package lists and trying once more');
    await (0, run_js_1.run)(aptCommand(['update']), { root: true, env: APT_ENV, ...APT_LIMIT });
    await (0, run_js_1.mustRun)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
}
/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
async function ensureTools(tools, install) {
    const paths = {};
    const missing = [];
    for (const t of tools) {
        const path = (0, system_js_1.locate)(t);
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
        throw new Error(`${names} not found (looked in ${(0, system_js_1.searchPath)().join(':')}); install ${packages.join(' and ')} first or set install: true`);
    if ((0, system_js_1.locate)('apt-get') === undefined)
        throw new Error(`${names} not found and apt-get is not available to install it: install ${packages.join(' and ')} in an earlier step`);
    await aptInstall(packages);
    for (const t of missing) {
        const path = (0, system_js_1.locate)(t);
        if (path === undefined)
            throw new Error(`\`${t}\` still not found after installing ${PACKAGE[t]} (looked in ${(0, system_js_1.searchPath)().join(':')})`);
        paths[t] = path;
    }
    return paths;
}


/***/ }),

/***/ 421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

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

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

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
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
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
// This entry need to be wrapped in an IIFE because it uses a non-standard name for the exports (exports).
(() => {
var exports = __webpack_exports__;

Object.defineProperty(exports, "B", ({ value: true }));
const down_js_1 = __nccwpck_require__(147);
const exit_js_1 = __nccwpck_require__(139);
void (0, down_js_1.runPost)().then(exit_js_1.exitWhenFlushed);

})();

var __webpack_exports___esModule = __webpack_exports__.B;
export { __webpack_exports___esModule as __esModule };
