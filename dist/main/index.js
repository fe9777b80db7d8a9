import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 624:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Qd: () => (/* binding */ CommandError),
  ay: () => (/* binding */ commandLine),
  jX: () => (/* binding */ isRoot),
  Pv: () => (/* binding */ mustRun),
  eF: () => (/* binding */ run),
  Ub: () => (/* binding */ sudoRefused)
});

// UNUSED EXPORTS: childEnv

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
// EXTERNAL MODULE: ./src/toolkit.ts
var toolkit = __nccwpck_require__(441);
// EXTERNAL MODULE: ./src/system.ts
var system = __nccwpck_require__(666);
;// CONCATENATED MODULE: ./src/run.ts
// The one place that starts processes. Commands are argument arrays, never shell strings; commands
// that need root go through `sudo -n` when this process is not root, so a missing permission fails
// at once instead of waiting for a password. Children get a minimal environment: nothing of the
// step's own (INPUT_* secrets, the runner's ACTIONS_* tokens, a job's LOG_LEVEL) reaches them.



const isRoot = () => process.getuid?.() === 0;
/**
 * What every child starts from: a PATH that has the sbin directories, and the C locale so that
 * the messages matched here (`File exists`, `Unknown device type`) read the same everywhere.
 * wireguard-go's variables (LOG_LEVEL, WG_PROCESS_FOREGROUND, …) are deliberately absent: with
 * LOG_LEVEL set, its daemon keeps the step's pipes open and the step hangs.
 */
function childEnv(extra = {}) {
    return { PATH: (0,system/* searchPath */.oe)().join(':'), LC_ALL: 'C', ...extra };
}
/** The argument vector actually started for a command. Pure, for tests. */
function commandLine(argv, opts, root) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv];
    return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv;
}
/** Whether a command's failure was sudo refusing to run it. */
const sudoRefused = (argv, stderr) => argv[0] === 'sudo' && /^sudo: /m.test(stderr);
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
function describeFailure(argv, r) {
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
    if (r.timedOut) {
        const stall = argv[0] === 'sudo'
            ? ' `sudo` itself may be stalling: check that this host name resolves (/etc/hosts) and that sudo needs no password.'
            : '';
        return `\`${argv.join(' ')}\` did not finish within the step's timeout.${stall}`;
    }
    if (sudoRefused(argv, r.stderr)) {
        return `\`${argv.slice(2).join(' ')}\` needs root and this step runs as uid ${process.getuid?.()}: \`sudo -n\` refused (${said}). Run the job as root or give the runner user passwordless sudo.`;
    }
    return `\`${argv.join(' ')}\` failed (exit ${r.code})${said ? `: ${said}` : ''}`;
}
/** Runs a command and resolves with its exit code and output; rejects only when it cannot start. */
function run(argv, opts = {}) {
    const root = isRoot();
    // As root the variables go straight into the environment; through sudo, which resets it, by `env`.
    const full = commandLine(argv, root ? { ...opts, env: undefined } : opts, root);
    const env = childEnv(root ? opts.env : {});
    toolkit/* debug */.Yz(`run: ${commandLine(argv, opts, root).join(' ')} (at ${Math.round(performance.now())} ms)`);
    const own = opts.timeoutMs ?? 60_000;
    const left = opts.deadline === undefined ? Infinity : opts.deadline - Date.now();
    const limit = Math.max(0, Math.min(own, left));
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(full[0], full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
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
    const full = commandLine(argv, opts, isRoot());
    if (explain && !r.timedOut && !sudoRefused(full, r.stderr))
        throw explain(`${r.stderr}\n${r.stdout}`);
    throw new CommandError(full, r);
}


/***/ }),

/***/ 666:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bg: () => (/* binding */ findStartedWireguardGo),
/* harmony export */   Cl: () => (/* binding */ ifindex),
/* harmony export */   HU: () => (/* binding */ ticksNow),
/* harmony export */   ID: () => (/* binding */ sameProcess),
/* harmony export */   JO: () => (/* binding */ linkExists),
/* harmony export */   RQ: () => (/* binding */ deviceMtu),
/* harmony export */   Sv: () => (/* binding */ kernelHasWireguard),
/* harmony export */   Xy: () => (/* binding */ socketPath),
/* harmony export */   a0: () => (/* binding */ waitUntil),
/* harmony export */   au: () => (/* binding */ SOCKET_DIR),
/* harmony export */   oe: () => (/* binding */ searchPath),
/* harmony export */   p3: () => (/* binding */ netns),
/* harmony export */   qp: () => (/* binding */ fileId),
/* harmony export */   rn: () => (/* binding */ hasNetAdmin),
/* harmony export */   x5: () => (/* binding */ locate),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports startTime, isWireguardGo */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
// Read-only probes of the system, through the file system only (no processes started): where
// programs are, whether the kernel has WireGuard, and the identities by which this action
// recognises what it made (an interface's ifindex in a network namespace, a process's pid and
// start time), so that it never acts on something of the same name that another job made.



const SOCKET_DIR = '/var/run/wireguard';
const socketPath = (iface) => `${SOCKET_DIR}/${iface}.sock`;
const linkExists = (iface) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(`/sys/class/net/${iface}`);
function readText(path) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** PATH, then the sbin directories that an unprivileged user's PATH may lack. */
function searchPath() {
    const dirs = (process.env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter).filter((d) => d !== '');
    for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
        if (!dirs.includes(d))
            dirs.push(d);
    }
    return dirs;
}
function locate(tool) {
    for (const dir of searchPath()) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, tool);
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path))
            return path;
    }
    return undefined;
}
/** The kernel has WireGuard loaded, built in, or as a module it can load. */
function kernelHasWireguard() {
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)('/sys/module/wireguard'))
        return true;
    const dir = `/lib/modules/${(0,node_os__WEBPACK_IMPORTED_MODULE_1__.release)()}`;
    return (/\/wireguard\.ko/.test(readText(`${dir}/modules.builtin`)) || /\/wireguard\.ko/.test(readText(`${dir}/modules.dep`)));
}
/** The MTU of a network device, or 0 when unknown. */
function deviceMtu(dev) {
    return Number(readText(`/sys/class/net/${dev}/mtu`).trim()) || 0;
}
/** This process's network namespace, e.g. `net:[4026531840]`; undefined where /proc does not say. */
function netns(pid = 'self') {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readlinkSync)(`/proc/${pid}/ns/net`);
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
    return argv.length >= 2 && (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(argv[0]) === 'wireguard-go' && argv[argv.length - 1] === iface;
}
/** True while the very process recorded runs (not a later one with the same pid, nor its zombie). */
function sameProcess(p) {
    const stat = readText(`/proc/${p.pid}/stat`);
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] === p.start && rest[0] !== 'Z' && rest[0] !== 'X';
}
/**
 * The wireguard-go daemon that a start of `wireguard-go IFACE` just forked: serving that name,
 * started no earlier than `sinceTicks`, and (where this process may read it) in this network
 * namespace. The socket directory is shared by every namespace, so only one wireguard-go can serve
 * a name at a time; the start time rules out an older one, the namespace one that is not ours.
 * `near`: the pid of what started it; the daemon is forked a few pids later, so those come first.
 */
function findStartedWireguardGo(iface, sinceTicks, near) {
    const ours = netns();
    const fits = (pid) => {
        if (!isWireguardGo(pid, iface))
            return undefined;
        const start = startTime(pid);
        if (start === undefined || Number(start) < sinceTicks)
            return undefined;
        const theirs = netns(pid);
        if (theirs !== undefined && ours !== undefined && theirs !== ours)
            return undefined;
        return { pid, start };
    };
    if (near !== undefined) {
        for (let pid = near + 1; pid <= near + 64; pid++) {
            const hit = fits(pid);
            if (hit)
                return hit;
        }
    }
    for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)('/proc')) {
        if (!/^[0-9]+$/.test(entry))
            continue;
        const hit = fits(Number(entry));
        if (hit)
            return hit;
    }
    return undefined;
}
/** A file's identity (device and inode), to remove a socket only while it is still the one recorded. */
function fileId(path) {
    try {
        const s = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(path);
        return `${s.dev}:${s.ino}`;
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


/***/ }),

/***/ 441:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   N4: () => (/* binding */ endGroup),
/* harmony export */   Oh: () => (/* binding */ startGroup),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput)
/* harmony export */ });
/* unused harmony exports escapeData, fileCommandText, getState */
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
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, `${markdown}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`, 'utf8');
}


/***/ }),

/***/ 553:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns/promises");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

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

;// CONCATENATED MODULE: ./src/exit.ts
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

// EXTERNAL MODULE: ./src/run.ts + 1 modules
var run = __nccwpck_require__(624);
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./src/ip.ts
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

;// CONCATENATED MODULE: ./src/plan.ts

/** The keepalive set while verifying a peer whose keepalive is off, so that bring-up starts a handshake. */
const PROBE_KEEPALIVE = 25;
/** The peers whose keepalive is off but which have an endpoint: probed with a keepalive while verifying. */
const probedPeers = (peers) => peers.filter((p) => p.keepalive === 0 && p.endpoint !== undefined);
/** The keepalive a peer is configured with during bring-up. */
const bringUpKeepalive = (peer) => peer.keepalive === 0 && peer.endpoint ? PROBE_KEEPALIVE : peer.keepalive;
function endpointText(host, port) {
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
/** The endpoint as WireGuard is given it: the address it resolved to (a host name only if unresolved). */
const endpointAddress = (e) => endpointText(e.address ?? e.host, e.port);
/** True when some address's own network route already covers the prefix (wg-quick adds no route then). */
function coveredByAddress(addresses, prefix) {
    return addresses.some((a) => a.bits < maxBits(a.family) && contains(network(a), prefix));
}
const routeText = (r) => `${prefixText(r.prefix)}${r.table === undefined ? '' : ` table ${r.table}`}`;
/** The allowed IPs of all peers, each once, most specific first (wg-quick: `sort -nr -k 2 -t /`). */
function allowedIps(t) {
    const seen = new Set();
    const all = [];
    for (const p of t.peers.flatMap((peer) => peer.allowedIps)) {
        const key = prefixText(p);
        if (seen.has(key))
            continue;
        seen.add(key);
        all.push(p);
    }
    return all.sort((a, b) => b.bits - a.bits);
}
/** True when some allowed IP is a /0: a full tunnel, which wg-quick routes through a policy table. */
const isFullTunnel = (t) => t.table === 'auto' && allowedIps(t).some((p) => p.bits === 0);
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
/** The `ip -batch` script that gives the interface its addresses and MTU and brings it up. */
function linkBatch(iface, addresses, mtu) {
    const lines = addresses.map((a) => `address add ${prefixText(a)} dev ${iface}`);
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
    const lines = ordered.map((r) => `route add ${prefixText(r.prefix)} dev ${iface}${r.table === undefined ? '' : ` table ${r.table}`}`);
    lines.push(...rules.filter((r) => r.family === 4).map((r) => ruleLine(r, 'add')));
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
/** The policy table's routes, as many lines as open routeBatch: a failure among them is a table taken meanwhile. */
const policyRouteCount = (plan) => plan.fwmark === undefined ? 0 : plan.routes.filter((r) => r.table === plan.fwmark).length;

// EXTERNAL MODULE: ./src/system.ts
var system = __nccwpck_require__(666);
;// CONCATENATED MODULE: ./src/backend/uapi.ts
// WireGuard's cross-platform configuration protocol (UAPI), spoken to wireguard-go over its unix
// socket: configures the peers and reads handshakes without starting `wg`, and the private key
// travels over the socket only, never through a file. The socket is root's: an unprivileged step
// uses the `wg` backend instead.




const hex = (base64) => Buffer.from(base64, 'base64').toString('hex');
/** The `set=1` request that gives the interface exactly the configured key and peers (as `wg setconf`). */
function uapiSetRequest(t, fwmark) {
    const lines = [
        'set=1',
        `private_key=${hex(t.privateKey)}`,
        `listen_port=${t.listenPort ?? 0}`,
        `fwmark=${fwmark ?? 0}`,
        'replace_peers=true'
    ];
    for (const peer of t.peers) {
        lines.push(`public_key=${hex(peer.publicKey)}`, 'replace_allowed_ips=true');
        if (peer.presharedKey)
            lines.push(`preshared_key=${hex(peer.presharedKey)}`);
        if (peer.endpoint)
            lines.push(`endpoint=${endpointAddress(peer.endpoint)}`);
        lines.push(`persistent_keepalive_interval=${bringUpKeepalive(peer)}`);
        for (const ip of peer.allowedIps)
            lines.push(`allowed_ip=${prefixText(ip)}`);
    }
    return `${lines.join('\n')}\n\n`;
}
/** The request that turns keepalive off again on the peers probed, or none. */
function uapiKeepaliveRestore(t) {
    const probed = probedPeers(t.peers);
    if (probed.length === 0)
        return undefined;
    const each = probed.map((p) => `public_key=${hex(p.publicKey)}\nupdate_only=true\npersistent_keepalive_interval=0\n`);
    return `set=1\n${each.join('')}\n`;
}
/** `get=1` output into public key (base64) → last handshake, seconds since epoch (0: none). */
function parseUapiHandshakes(text) {
    const out = new Map();
    let key;
    for (const line of text.split('\n')) {
        const eq = line.indexOf('=');
        const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
        if (k === 'public_key') {
            key = Buffer.from(v, 'hex').toString('base64');
            out.set(key, 0);
        }
        else if (k === 'last_handshake_time_sec' && key)
            out.set(key, Number(v) || 0);
    }
    return out;
}
/** Sends one request and resolves with the answer (up to the blank line); rejects on errno ≠ 0. */
function uapi(path, request, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        const socket = (0,external_node_net_namespaceObject.connect)(path);
        let answer = '';
        const timer = setTimeout(() => socket.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms`)), Math.max(1, timeoutMs));
        socket.setEncoding('utf8');
        socket.on('connect', () => socket.write(request));
        socket.on('data', (d) => {
            answer += d;
            if (!answer.endsWith('\n\n'))
                return;
            clearTimeout(timer);
            socket.destroy();
            const errno = /^errno=(-?[0-9]+)$/m.exec(answer)?.[1];
            if (errno !== undefined && errno !== '0')
                reject(new Error(`wireguard-go refused the configuration (errno ${errno})`));
            else
                resolve(answer);
        });
        socket.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
        });
    });
}
function uapiBackend(ctx) {
    const path = (0,system/* socketPath */.Xy)(ctx.iface);
    // A local socket answers in microseconds: a short limit of its own, past the step's deadline too,
    // so that the last handshake read at the deadline still reports what it saw.
    const ask = (request) => uapi(path, request, 5000);
    return {
        describe: `wireguard-go's socket ${path}`,
        configure: async (t, fwmark) => void (await ask(uapiSetRequest(t, fwmark))),
        setFwmark: async (fwmark) => void (await ask(`set=1\nfwmark=${fwmark}\n\n`)),
        handshakes: async () => parseUapiHandshakes(await ask('get=1\n\n')),
        restoreKeepalive: async (t) => {
            const request = uapiKeepaliveRestore(t);
            if (request)
                await ask(request);
        }
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: ./src/backend/wg.ts
// The `wg` command as a backend: the kernel's WireGuard, or wireguard-go from an unprivileged step
// (`sudo wg` reaches its root-only socket). The key goes in a 0600 file in RUNNER_TEMP that exists
// only while `wg setconf` reads it: never on a command line (a pipe cannot serve: Node's child
// pipes are sockets, which `wg` cannot open as /dev/stdin).






/** The `wg setconf` file: the same configuration as uapiSetRequest, in wg's own format. */
function wgConf(t, fwmark) {
    const lines = ['[Interface]', `PrivateKey = ${t.privateKey}`];
    if (t.listenPort !== undefined)
        lines.push(`ListenPort = ${t.listenPort}`);
    if (fwmark !== undefined)
        lines.push(`FwMark = ${fwmark}`);
    for (const peer of t.peers) {
        lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`);
        if (peer.presharedKey)
            lines.push(`PresharedKey = ${peer.presharedKey}`);
        if (peer.endpoint)
            lines.push(`Endpoint = ${endpointAddress(peer.endpoint)}`);
        if (peer.allowedIps.length > 0)
            lines.push(`AllowedIPs = ${peer.allowedIps.map(prefixText).join(', ')}`);
        const keepalive = bringUpKeepalive(peer);
        if (keepalive > 0)
            lines.push(`PersistentKeepalive = ${keepalive}`);
    }
    return `${lines.join('\n')}\n`;
}
/** `wg` arguments that put back keepalive off on the peers that were probed, or none. */
function keepaliveRestore(iface, t) {
    const probed = probedPeers(t.peers);
    if (probed.length === 0)
        return undefined;
    return ['set', iface, ...probed.flatMap((p) => ['peer', p.publicKey, 'persistent-keepalive', 'off'])];
}
/** `wg show IFACE latest-handshakes` output into public key → seconds since epoch (0: none yet). */
function parseHandshakes(text) {
    const out = new Map();
    for (const line of text.split('\n')) {
        const [key, when] = line.trim().split(/\s+/);
        if (key && when && /^[0-9]+$/.test(when))
            out.set(key, Number(when));
    }
    return out;
}
function wgBackend(ctx) {
    const { iface, wg, journal } = ctx;
    const opts = { root: true, ...ctx.limits };
    return {
        describe: '`wg`',
        async configure(t, fwmark) {
            const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'wireguard-tunnel-'));
            const record = journal.add({ kind: 'file', path: dir });
            try {
                const file = (0,external_node_path_.join)(dir, `${iface}.conf`);
                (0,external_node_fs_.writeFileSync)(file, wgConf(t, fwmark), { mode: 0o600, flag: 'wx' });
                await (0,run/* mustRun */.Pv)([wg, 'setconf', iface, file], opts);
            }
            finally {
                (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
                journal.remove(record);
            }
        },
        setFwmark: async (fwmark) => void (await (0,run/* mustRun */.Pv)([wg, 'set', iface, 'fwmark', String(fwmark)], opts)),
        // Read with a limit of its own, so that the last read at the deadline still reports what it saw.
        handshakes: async () => parseHandshakes((await (0,run/* mustRun */.Pv)([wg, 'show', iface, 'latest-handshakes'], { root: true, timeoutMs: 5000 })).stdout),
        async restoreKeepalive(t) {
            const args = keepaliveRestore(iface, t);
            if (args)
                await (0,run/* mustRun */.Pv)([wg, ...args], opts);
        }
    };
}

;// CONCATENATED MODULE: ./src/backend/choose.ts



/** wireguard-go's socket is root's: speak UAPI to it when root, else go through `sudo wg`. */
function chooseBackend(ctx) {
    return ctx.userspace && (0,run/* isRoot */.jX)() ? uapiBackend(ctx) : wgBackend(ctx);
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/names.ts
// Interface names as Linux accepts them: 1 to 15 of letters, digits and _=+.-, and not one that
// `ip` or wireguard-go would read as an option (a leading -) or a path (`.`, `..`).
const names_IFACE = /^(?!-)(?!\.{1,2}$)[a-zA-Z0-9_=+.-]{1,15}$/;

;// CONCATENATED MODULE: ./src/wgquick.ts
// The `config` input: a whole wg-quick configuration, parsed as wg-quick and `wg setconf` do
// (case-insensitive keys, `#` comments, comma lists, repeated keys, any number of [Peer]s). Errors
// name the line and key, never a value: the whole input is a secret.


const INPUT = 'config';
/** Keys wg-quick runs as shell commands, or that write the file back: refused, with what to do instead. */
const REFUSED = new Set(['preup', 'postup', 'predown', 'postdown', 'saveconfig']);
const INTERFACE_KEYS = new Set(['privatekey', 'address', 'listenport', 'fwmark', 'mtu', 'dns', 'table']);
const PEER_KEYS = new Set(['publickey', 'presharedkey', 'endpoint', 'allowedips', 'persistentkeepalive']);
function fail(line, problem) {
    throw new InputError(INPUT, `line ${line}: ${problem}`);
}
function integer(line, key, value, min, max) {
    const n = /^0x[0-9a-f]+$/i.test(value) ? parseInt(value, 16) : /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max))
        fail(line, `${key} must be a number from ${min} to ${max}`);
    return n;
}
function list(value) {
    return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
function prefixes(line, key, value) {
    return list(value).map((item) => {
        const p = parsePrefix(item);
        if (typeof p === 'string')
            fail(line, `${key} has an entry that is not an address or CIDR`);
        return p;
    });
}
/** Re-labels an InputError from a shared parser as this input's, at this line, without its value. */
function withLine(line, key, what, parse) {
    try {
        return parse();
    }
    catch {
        return fail(line, `${key} must be ${what}`);
    }
}
function parseTable(value, at = (problem) => fail(0, problem)) {
    const v = value.trim().toLowerCase();
    if (v === 'auto' || v === 'off')
        return v;
    if (v === 'main')
        return 254;
    if (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 0xffffffff)
        return Number(v);
    return at('Table must be auto, off, main or a table number');
}
/** Parses a wg-quick configuration; throws an InputError naming the line and key. */
function parseWgQuick(text) {
    let section = 'none';
    let privateKey;
    const cfg = { addresses: [], dns: [], dnsSearch: [], table: 'auto', peers: [] };
    let peer;
    const peers = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const n = index + 1;
        const line = raw.replace(/#.*$/, '').trim();
        if (line === '')
            return;
        if (/^\[.*\]$/.test(line)) {
            const name = line.slice(1, -1).trim().toLowerCase();
            if (name === 'interface')
                section = 'interface';
            else if (name === 'peer') {
                section = 'peer';
                peer = { allowedIps: [], line: n };
                peers.push(peer);
            }
            else
                fail(n, 'unknown section (expected [Interface] or [Peer])');
            return;
        }
        const eq = line.indexOf('=');
        if (eq < 0)
            fail(n, 'expected Key = Value');
        const keyName = line.slice(0, eq).trim();
        const key = keyName.toLowerCase();
        const value = line.slice(eq + 1).trim();
        if (REFUSED.has(key)) {
            fail(n, `${keyName} is not supported: this action runs no commands from the configuration; do that in a run: step before or after this one`);
        }
        if (section === 'none')
            fail(n, `${keyName} comes before any [Interface] or [Peer] section`);
        if (section === 'interface') {
            if (!INTERFACE_KEYS.has(key))
                fail(n, `unknown key ${keyName} in [Interface]`);
            switch (key) {
                case 'privatekey':
                    privateKey = withLine(n, 'PrivateKey', 'a base64 WireGuard key', () => parseKey(INPUT, value, true));
                    break;
                case 'address':
                    cfg.addresses.push(...prefixes(n, 'Address', value));
                    break;
                case 'listenport':
                    cfg.listenPort = integer(n, 'ListenPort', value, 0, 65535);
                    break;
                case 'fwmark':
                    cfg.fwmark =
                        value.toLowerCase() === 'off' ? undefined : integer(n, 'FwMark', value, 0, 0xffffffff) || undefined;
                    break;
                case 'mtu':
                    cfg.mtu = integer(n, 'MTU', value, 576, 65535);
                    break;
                case 'dns': {
                    const split = withLine(n, 'DNS', 'IP addresses (servers) or domain names (search domains)', () => splitDns(INPUT, value));
                    cfg.dns.push(...split.dns);
                    cfg.dnsSearch.push(...split.dnsSearch);
                    break;
                }
                case 'table':
                    cfg.table = parseTable(value, (problem) => fail(n, problem));
                    break;
            }
            return;
        }
        const p = peer;
        if (!PEER_KEYS.has(key))
            fail(n, `unknown key ${keyName} in [Peer]`);
        switch (key) {
            case 'publickey':
                p.publicKey = withLine(n, 'PublicKey', 'a base64 WireGuard key', () => parseKey(INPUT, value, false));
                break;
            case 'presharedkey':
                p.presharedKey = withLine(n, 'PresharedKey', 'a base64 WireGuard key', () => parseKey(INPUT, value, true));
                break;
            case 'endpoint':
                p.endpoint = withLine(n, 'Endpoint', 'HOST:PORT (IPv6 in brackets)', () => parseEndpoint(INPUT, value));
                break;
            case 'allowedips':
                p.allowedIps.push(...prefixes(n, 'AllowedIPs', value).map(network));
                break;
            case 'persistentkeepalive':
                p.keepalive = value.toLowerCase() === 'off' ? 0 : integer(n, 'PersistentKeepalive', value, 0, 65535);
                break;
        }
    });
    if (privateKey === undefined)
        throw new InputError(INPUT, '[Interface] has no PrivateKey');
    if (cfg.addresses.length === 0)
        throw new InputError(INPUT, '[Interface] has no Address');
    if (peers.length === 0)
        throw new InputError(INPUT, 'has no [Peer] section');
    const seen = new Set();
    for (const p of peers) {
        if (!p.publicKey)
            throw new InputError(INPUT, `line ${p.line}: [Peer] has no PublicKey`);
        if (seen.has(p.publicKey))
            throw new InputError(INPUT, `line ${p.line}: a second [Peer] with the same PublicKey`);
        seen.add(p.publicKey);
        cfg.peers.push({
            publicKey: p.publicKey,
            presharedKey: p.presharedKey,
            endpoint: p.endpoint,
            allowedIps: p.allowedIps,
            keepalive: p.keepalive ?? 0
        });
    }
    return { privateKey, ...cfg };
}

;// CONCATENATED MODULE: ./src/config.ts
// The typed configuration, built and validated from the action's inputs in one place. Pure: it
// reads inputs through the function it is given and touches nothing else.




/** A bad input: names the input and what is wrong, never the value of a secret. */
class InputError extends Error {
    input;
    constructor(input, problem) {
        super(`Input "${input}": ${problem}`);
        this.input = input;
        this.name = 'InputError';
    }
}
const SECRET_INPUTS = ['private-key', 'preshared-key', 'config'];
/** The inputs that `config` replaces. */
const FIELD_INPUTS = [
    'private-key',
    'address',
    'peer-public-key',
    'endpoint',
    'allowed-ips',
    'preshared-key',
    'persistent-keepalive',
    'mtu',
    'dns'
];
/** A value quoted for an error message: escaped, and cut short when long. */
function shown(value) {
    const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(cut);
}
const KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
function parseKey(input, value, secret) {
    const v = value.trim();
    if (KEY.test(v))
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
    const key = (0,external_node_crypto_namespaceObject.createPrivateKey)({
        key: Buffer.concat([X25519_PKCS8, Buffer.from(privateKey, 'base64')]),
        format: 'der',
        type: 'pkcs8'
    });
    return Buffer.from((0,external_node_crypto_namespaceObject.createPublicKey)(key).export({ format: 'jwk' }).x, 'base64url').toString('base64');
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
            throw new InputError(input, `${p} (expected an address like 192.0.2.2/24 or 2001:db8::2/64)`);
        return p;
    });
}
const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*\\.?$`);
function isHostName(text) {
    return HOSTNAME.test(text) && !/^[0-9.]+$/.test(text);
}
function parsePort(input, text, whole) {
    if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
        throw new InputError(input, `port in ${shown(whole)} must be a number from 1 to 65535`);
    }
    return Number(text);
}
/** `host:port`, `1.2.3.4:port` or `[v6]:port` into host and port, or a reason. */
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
    return { host: addr ? parsePrefix(host).address : host, port: parsePort(input, port, text) };
}
function parseEndpoint(input, value) {
    const v = value.trim();
    const hp = splitHostPort(input, v);
    if (!hp) {
        throw new InputError(input, `${shown(v)} must be HOST:PORT, e.g. vpn.example.com:51820, 192.0.2.1:51820 or [2001:db8::1]:51820`);
    }
    return hp;
}
function parseChecks(input, value) {
    return value
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((text) => {
        if (/^https?:\/\//i.test(text)) {
            let url;
            try {
                url = new URL(text);
            }
            catch {
                throw new InputError(input, `${shown(text)} is not a valid URL`);
            }
            if (/[\s'"`$;<>|\\]/.test(text))
                throw new InputError(input, `${shown(text)} has characters not allowed in a URL`);
            return { kind: 'http', url: url.href, text };
        }
        const addr = parseAddress(text);
        if (addr)
            return { kind: 'icmp', host: parsePrefix(text).address, text };
        const hp = splitHostPort(input, text);
        if (hp)
            return { kind: 'tcp', ...hp, text };
        if (isHostName(text))
            return { kind: 'icmp', host: text, text };
        throw new InputError(input, `${shown(text)} must be HOST (ping), HOST:PORT (TCP connect) or an http(s):// URL`);
    });
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
function parseInterface(input, value) {
    const v = value.trim();
    if (!names_IFACE.test(v) || v === '.' || v === '..') {
        throw new InputError(input, `${shown(v)} must be 1 to 15 characters of letters, digits and _=+.- (a Linux interface name)`);
    }
    return v;
}
function parseTimeout(input, value) {
    const v = value.trim();
    if (!/^[0-9]+(\.[0-9]+)?$/.test(v) || Number(v) <= 0 || Number(v) > 3600) {
        throw new InputError(input, `must be a number of seconds greater than 0 and at most 3600; got ${shown(v)}`);
    }
    return Math.round(Number(v) * 1000);
}
function required(get, name) {
    const v = get(name);
    if (v.trim() === '')
        throw new InputError(name, 'is required and was empty');
    return v;
}
/** The default allowed IPs: the networks of the addresses. A lone host address has none. */
function defaultAllowedIps(addresses) {
    const hosts = addresses.filter((a) => a.bits === maxBits(a.family));
    if (hosts.length > 0) {
        throw new InputError('allowed-ips', `is required when an address has no network (${prefixText(hosts[0])} is a single host): list the networks to route through the tunnel`);
    }
    return addresses.map(network);
}
/** DNS = as wg-quick splits it: addresses are servers, names are search domains. */
function splitDns(input, value) {
    const out = { dns: [], dnsSearch: [] };
    for (const v of listItems(value)) {
        if (parseAddress(v))
            out.dns.push(parsePrefix(v).address);
        else if (isHostName(v))
            out.dnsSearch.push(v);
        else
            throw new InputError(input, `${shown(v)} is neither an IP address (a DNS server) nor a domain name (a search domain)`);
    }
    return out;
}
/** The tunnel itself from the per-field inputs. */
function fromFields(get) {
    const privateKey = parseKey('private-key', required(get, 'private-key'), true);
    const addresses = parsePrefixes('address', required(get, 'address'));
    if (addresses.length === 0)
        throw new InputError('address', 'is required and was empty');
    const peerPublicKey = parseKey('peer-public-key', required(get, 'peer-public-key'), false);
    const endpoint = parseEndpoint('endpoint', required(get, 'endpoint'));
    const allowedText = get('allowed-ips');
    const allowedIps = allowedText.trim() === '' ? defaultAllowedIps(addresses) : parsePrefixes('allowed-ips', allowedText).map(network);
    if (allowedIps.length === 0)
        throw new InputError('allowed-ips', 'lists no network');
    const pskText = get('preshared-key');
    const presharedKey = pskText.trim() === '' ? undefined : parseKey('preshared-key', pskText, true);
    const keepText = get('persistent-keepalive');
    const keepalive = keepText.trim() === '' ? 25 : parseInteger('persistent-keepalive', keepText, 0, 65535);
    const mtuText = get('mtu');
    const mtu = mtuText.trim() === '' ? undefined : parseInteger('mtu', mtuText, 576, 65535);
    return {
        privateKey,
        addresses,
        table: 'auto',
        ...splitDns('dns', get('dns')),
        peers: [{ publicKey: peerPublicKey, presharedKey, endpoint, allowedIps, keepalive }],
        mtu
    };
}
/** Builds the whole configuration from the action's inputs, or throws an InputError. */
function buildConfig(get) {
    const iface = parseInterface('interface', get('interface') || 'wg0');
    const configText = get('config');
    let tunnel;
    if (configText.trim() !== '') {
        const given = FIELD_INPUTS.filter((n) => get(n).trim() !== '');
        if (given.length > 0) {
            throw new InputError('config', `cannot be combined with ${given.join(', ')}: give either a whole configuration in config, or the per-field inputs`);
        }
        tunnel = parseWgQuick(configText);
    }
    else {
        tunnel = fromFields(get);
    }
    const checks = parseChecks('check', get('check'));
    const timeoutText = get('timeout');
    const timeoutMs = timeoutText.trim() === '' ? 30_000 : parseTimeout('timeout', timeoutText);
    const install = parseChoice('install', get('install') || 'true', ['true', 'false']) === 'true';
    const userspace = parseChoice('userspace', get('userspace') || 'auto', ['auto', 'true', 'false']);
    const publicKey = publicKeyOf(tunnel.privateKey);
    if (tunnel.peers.some((p) => p.publicKey === publicKey)) {
        const input = configText.trim() !== '' ? 'config' : 'peer-public-key';
        throw new InputError(input, "a peer's public key is this runner's own (derived from the private key); it must be the server's");
    }
    return { iface, publicKey, ...tunnel, checks, timeoutMs, install, userspace };
}

;// CONCATENATED MODULE: ./src/errors.ts
// Turning anything thrown into the one line a step reports.
/** The message of an error, or the thrown value as text (a thrown non-Error must not pass silently). */
const errorText = (err) => (err instanceof Error ? err.message : String(err));

// EXTERNAL MODULE: ./src/toolkit.ts
var toolkit = __nccwpck_require__(441);
;// CONCATENATED MODULE: ./src/messages.ts
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
const noNetAdmin = 'This step runs as root but without CAP_NET_ADMIN, so it may not create network interfaces: ' +
    'an unprivileged container runner (such as ubuntu-slim) cannot host a tunnel, use runs-on: ubuntu-latest; ' +
    'in a job container you define, add options: --cap-add=NET_ADMIN --device=/dev/net/tun';
const interfaceTaken = (iface) => `interface ${iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${iface}\`, or choose another name with the interface input`;
const socketTaken = (iface) => `${system/* SOCKET_DIR */.au}/${iface}.sock exists: another wireguard-go serves the name ${iface} (perhaps in another network namespace or job, which share that folder); it was left untouched. Choose another name with the interface input, or if an earlier job left it behind, remove it with \`sudo rm ${system/* SOCKET_DIR */.au}/${iface}.sock\``;
const tableTaken = (fwmark) => `FwMark ${fwmark} names routing table ${fwmark}, which already holds routes or rules (another tunnel's?); nothing was changed. Choose another FwMark, or leave it out and a free table is picked`;
/** What stopped an interface from being made, with the fix for the usual causes. */
function explainCreateFailure(iface, said) {
    const text = said
        .split('\n')
        .filter((l) => l.trim() !== '' && !/[│┌└]/.test(l))
        .map((l) => l.replace(/^[A-Z]+: \(\S+\) [0-9/]+ [0-9:]+ /, '').trim())
        .join(' ') || 'no reason given';
    if (/unix socket in use/i.test(said))
        return `${text}: ${socketTaken(iface)}`;
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
function handshakeFailure(t, missing, timeoutMs) {
    const ep = t.peers.find((p) => p.publicKey === missing)?.endpoint;
    const at = ep ? endpointText(ep.address ?? ep.host, ep.port) : 'its endpoint';
    const addresses = t.addresses.map((a) => prefixText({ ...a, bits: maxBits(a.family) })).join(',');
    return (`No handshake with peer ${missing} at ${at}${ep && ep.address !== undefined && ep.address !== ep.host ? ` (${endpointText(ep.host, ep.port)})` : ''} within ${seconds(timeoutMs)}. Likely causes: ` +
        `the server does not know this runner's public key ${t.publicKey} (on the server: wg set <interface> peer ${t.publicKey} allowed-ips ${addresses}); ` +
        `UDP to ${at} is blocked or nothing listens there; peer-public-key is not the server's key.`);
}
function checkFailure(label, reason, addresses, timeoutMs) {
    return (`The tunnel is up but ${label} did not answer within ${seconds(timeoutMs)} (last error: ${reason}). ` +
        `Likely causes: allowed-ips does not cover that address; the server does not forward or route traffic from ${addresses.map((a) => a.address).join(', ')}; the service is down or filtered.`);
}

;// CONCATENATED MODULE: ./src/tools.ts
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
    toolkit/* info */.pq(`Installing ${packages.join(', ')} with apt-get`);
    const first = await (0,run/* run */.eF)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
    if (first.code === 0)
        return;
    toolkit/* info */.pq('apt-get install failed; refreshing the package lists and trying once more');
    await (0,run/* run */.eF)(aptCommand(['update']), { root: true, env: APT_ENV, ...APT_LIMIT });
    await (0,run/* mustRun */.Pv)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
}
/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
async function ensureTools(tools, install) {
    const paths = {};
    const missing = [];
    for (const t of tools) {
        const path = (0,system/* locate */.x5)(t);
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
        throw new Error(`${names} not found (looked in ${(0,system/* searchPath */.oe)().join(':')}); install ${packages.join(' and ')} first or set install: true`);
    if ((0,system/* locate */.x5)('apt-get') === undefined)
        throw new Error(`${names} not found and apt-get is not available to install it: install ${packages.join(' and ')} in an earlier step`);
    await aptInstall(packages);
    for (const t of missing) {
        const path = (0,system/* locate */.x5)(t);
        if (path === undefined)
            throw new Error(`\`${t}\` still not found after installing ${PACKAGE[t]} (looked in ${(0,system/* searchPath */.oe)().join(':')})`);
        paths[t] = path;
    }
    return paths;
}

;// CONCATENATED MODULE: ./src/interface.ts
// Making the interface: the kernel's WireGuard where it has one, else wireguard-go. Each is written
// in the journal before it is made and gets its identity (ifindex; pid and start time) the moment
// it exists, so that rollback and post remove this interface and this process, never another
// job's of the same name.







/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
const userspaceFirst = (userspace) => userspace === 'true' || (userspace === 'auto' && !(0,system/* kernelHasWireguard */.Sv)());
/**
 * Refuses a name that is taken, before anything is touched: an interface of that name here, or a
 * live wireguard-go socket of that name (the socket folder is shared by every namespace, and `wg`
 * would talk to that socket's daemon instead of our interface). A socket nobody listens on is what
 * a killed wireguard-go leaves: wireguard-go and `wg` replace it. One this step may not open (not
 * root) cannot be told from a live one, and is refused too.
 */
async function refuseTakenName(iface) {
    if ((0,system/* linkExists */.JO)(iface))
        throw new Error(interfaceTaken(iface));
    const path = (0,system/* socketPath */.Xy)(iface);
    if (!(0,external_node_fs_.existsSync)(path))
        return;
    const answer = await new Promise((resolve) => {
        const socket = (0,external_node_net_namespaceObject.connect)(path);
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
        toolkit/* info */.pq('The kernel has no WireGuard module; using wireguard-go');
    }
    await startWireguardGo(req, journal);
    return { userspace: true };
}
/** `ip link add … type wireguard`; false when the kernel has no WireGuard and userspace may serve. */
async function createKernelInterface(req, journal) {
    const { iface } = req;
    const rec = journal.add({ kind: 'interface', name: iface, netns: (0,system/* netns */.p3)() });
    const argv = [req.tools.ip, 'link', 'add', 'dev', iface, 'type', 'wireguard'];
    const r = await (0,run/* run */.eF)(argv, { root: true, ...req.limits });
    if (r.code === 0) {
        journal.update(rec, { ifindex: (0,system/* ifindex */.Cl)(iface) });
        return true;
    }
    // Nothing was made: the record goes.
    journal.remove(rec);
    const full = (0,run/* commandLine */.ay)(argv, { root: true }, (0,run/* isRoot */.jX)());
    if (r.timedOut || (0,run/* sudoRefused */.Ub)(full, r.stderr))
        throw new run/* CommandError */.Qd(full, r);
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
 * exists. Its environment is the minimal one (run.ts): with LOG_LEVEL set, the daemon would keep
 * this step's pipes open.
 */
async function startWireguardGo(req, journal) {
    const { iface } = req;
    const wgGo = req.tools['wireguard-go'] ?? (await ensureTools(['wireguard-go'], req.install))['wireguard-go'];
    const link = journal.add({ kind: 'interface', name: iface, netns: (0,system/* netns */.p3)() });
    const proc = journal.add({ kind: 'wireguard-go', name: iface, since: (0,system/* ticksNow */.HU)() });
    let r;
    try {
        r = await (0,run/* mustRun */.Pv)([wgGo, iface], { root: true, ...req.limits }, (said) => {
            return new Error(`could not start wireguard-go for ${iface}: ${explainCreateFailure(iface, said)}`);
        });
    }
    catch (err) {
        // It exited without a daemon: its interface closed with it, and nothing is ours to undo.
        if (!(err instanceof run/* CommandError */.Qd && err.result.timedOut)) {
            journal.remove(proc);
            journal.remove(link);
        }
        throw err;
    }
    journal.update(link, { ifindex: (0,system/* ifindex */.Cl)(iface) });
    const daemon = (0,system/* findStartedWireguardGo */.Bg)(iface, proc.since, r.pid);
    journal.update(proc, { ...daemon, socket: (0,system/* fileId */.qp)((0,system/* socketPath */.Xy)(iface)) });
}

;// CONCATENATED MODULE: ./src/dns.ts
// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.




/** Which DNS manager this system has, if any. */
function dnsManager() {
    if ((0,external_node_fs_.existsSync)('/run/systemd/resolve') && (0,system/* locate */.x5)('resolvectl'))
        return 'resolvectl';
    if ((0,system/* locate */.x5)('resolvconf'))
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
        return (0,external_node_fs_.readFileSync)('/etc/resolvconf/interface-order', 'utf8');
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
        toolkit/* warning */.$e(`DNS servers ${cfg.dns.join(', ')} were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf`);
        return;
    }
    const name = manager === 'resolvconf' ? resolvconfName(cfg.iface, readInterfaceOrder()) : cfg.iface;
    journal.add({ kind: 'dns', manager, name, iface: cfg.iface });
    for (const c of dnsUp(cfg, manager, name))
        await (0,run/* mustRun */.Pv)(c.argv, { root: true, input: c.input, ...limits });
}

;// CONCATENATED MODULE: ./src/verify.ts
// Proving the tunnel works: a handshake with every peer that has an endpoint, then every `check`
// target, all within one deadline.




/** Waits for a handshake with every peer that has an endpoint; resolves with the keys still missing. */
async function waitForHandshakes(peers, read, deadline) {
    const want = peers.filter((p) => p.endpoint).map((p) => p.publicKey);
    let every = 1;
    for (;;) {
        const seen = want.length > 0 ? await read() : new Map();
        const missing = want.filter((k) => !seen.get(k));
        if (missing.length === 0 || Date.now() >= deadline)
            return missing;
        await (0,system/* sleep */.yy)(Math.min(every, deadline - Date.now()));
        every = Math.min(every * 2, 100);
    }
}
function checkLabel(check) {
    switch (check.kind) {
        case 'icmp':
            return `ping ${check.host}`;
        case 'tcp':
            return `TCP ${endpointText(check.host, check.port)}`;
        case 'http':
            return `${check.url.startsWith('https:') ? 'HTTPS' : 'HTTP'} ${check.url}`;
    }
}
function tcpOnce(host, port, ms) {
    return new Promise((resolve) => {
        const socket = external_node_net_namespaceObject.connect({ host, port, timeout: ms });
        const done = (err) => {
            socket.destroy();
            resolve(err);
        };
        socket.once('connect', () => done());
        socket.once('timeout', () => done(`no answer within ${ms} ms`));
        socket.once('error', (e) => done(e.code ?? e.message));
    });
}
/**
 * Any HTTP response proves the path. A plain request over a socket (TLS for https) keeps Node's
 * HTTP client, slow to load, off the bring-up path; certificates are not judged (private CAs are
 * common).
 */
async function httpOnce(href, ms) {
    const url = new URL(href);
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (secure ? 443 : 80));
    const tls = secure ? await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 692, 23)) : undefined;
    return new Promise((resolve) => {
        const socket = tls
            ? tls.connect({
                host,
                port,
                servername: external_node_net_namespaceObject.isIP(host) ? undefined : host,
                rejectUnauthorized: false,
                timeout: ms
            })
            : external_node_net_namespaceObject.connect({ host, port, timeout: ms });
        let head = '';
        const done = (err) => {
            socket.destroy();
            resolve(err);
        };
        socket.once(tls ? 'secureConnect' : 'connect', () => {
            socket.write(`HEAD ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: wireguard-tunnel-check\r\nConnection: close\r\n\r\n`);
        });
        socket.on('data', (d) => {
            head += d.toString('latin1');
            if (head.length >= 5)
                done(head.startsWith('HTTP/') ? undefined : 'the answer was not HTTP');
        });
        socket.once('end', () => done(head.startsWith('HTTP/') ? undefined : 'the connection closed without an HTTP answer'));
        socket.once('timeout', () => done(`no answer within ${ms} ms`));
        socket.once('error', (e) => done(e.code ?? e.message));
    });
}
async function pingOnce(host, ms) {
    const r = await (0,run/* run */.eF)(['ping', '-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(ms / 1000))), host], {
        timeoutMs: ms + 200
    });
    if (r.code === 0)
        return undefined;
    return r.stderr.trim().split('\n').pop() || 'no echo reply';
}
function attempt(check, ms) {
    switch (check.kind) {
        case 'icmp':
            return pingOnce(check.host, ms);
        case 'tcp':
            return tcpOnce(check.host, check.port, ms);
        case 'http':
            return httpOnce(check.url, ms);
    }
}
/** Tries a check until it answers or the deadline passes. */
async function runCheck(check, deadline) {
    const start = Date.now();
    let reason = 'not tried';
    for (;;) {
        const left = deadline - Date.now();
        if (left <= 0)
            return { check, ok: false, ms: Date.now() - start, reason };
        const failure = await attempt(check, Math.min(left, 2000));
        if (failure === undefined)
            return { check, ok: true, ms: Date.now() - start };
        reason = failure;
        await (0,system/* sleep */.yy)(Math.min(100, deadline - Date.now()));
    }
}

;// CONCATENATED MODULE: ./src/report.ts
// What a step tells the person reading the job: the tunnel that came up (log and job summary), or
// why it failed with the interface's state at that moment.





const cell = (t) => t.replace(/[|\\]/g, (c) => `\\${c}`);
function report(o) {
    const peers = o.peers.map((p) => (p.endpoint ? endpointShown(p.endpoint) : p.publicKey));
    const handshake = o.handshakeMs === undefined ? 'not awaited (no peer has an Endpoint)' : duration(o.handshakeMs);
    const rows = [
        ['Interface', `${o.iface} (${o.mode}, MTU ${o.mtu})`],
        ['Addresses', o.addresses.map(prefixText).join(', ')],
        ['Peer', peers.join(', ')],
        ['Routes', o.routes.join(', ') || '(the addresses’ own networks)'],
        ['Handshake', handshake],
        ['Public key', o.publicKey],
        ...(o.extra ?? [])
    ];
    for (const c of o.checks)
        rows.push([checkLabel(c.check), `answered in ${duration(c.ms)}`]);
    const head = o.handshakeMs === undefined
        ? `WireGuard tunnel ${o.iface} is up (no handshake awaited: no peer has an Endpoint)`
        : `WireGuard tunnel ${o.iface} is up: handshake with ${peers.join(', ')} in ${duration(o.handshakeMs)}`;
    toolkit/* info */.pq(head);
    for (const [k, v] of rows)
        toolkit/* info */.pq(`  ${k}: ${v}`);
    const table = rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`);
    toolkit/* appendSummary */.fe(['### WireGuard tunnel is up', '', '| | |', '|---|---|', ...table, ''].join('\n'));
}
async function reportFailure(iface, secrets, message) {
    // Diagnostics are loaded only on failure.
    const { collectDiagnostics } = await __nccwpck_require__.e(/* import() */ 851).then(__nccwpck_require__.bind(__nccwpck_require__, 851));
    const text = await collectDiagnostics(iface, secrets).catch((e) => `diagnostics failed: ${errorText(e)}`);
    toolkit/* startGroup */.Oh('WireGuard diagnostics');
    toolkit/* info */.pq(text);
    toolkit/* endGroup */.N4();
    toolkit/* appendSummary */.fe(`### WireGuard tunnel failed\n\n${message}\n\n<details><summary>Diagnostics</summary>\n\n\`\`\`\n${text}\n\`\`\`\n\n</details>\n`);
}

;// CONCATENATED MODULE: ./src/resolve.ts





const isIp = (host) => /^[0-9.]+$/.test(host) || host.includes(':');
/** The input (and line of `config`) an endpoint came from, for an error that shows no value. */
function whereFrom(e) {
    const line = e.line;
    return line === undefined ? { input: 'endpoint', at: '' } : { input: 'config', at: `line ${line}: Endpoint ` };
}
/**
 * The peers with each endpoint's address filled in: IP literals as they are, host names looked up
 * once each, all within `timeoutMs`. A name that does not resolve fails before anything is touched.
 */
async function resolveEndpoints(peers, timeoutMs) {
    const hosts = [...new Set(peers.flatMap((p) => (p.endpoint && !isIp(p.endpoint.host) ? [p.endpoint.host] : [])))];
    const found = new Map();
    if (hosts.length > 0) {
        const { lookup } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 553, 23));
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        });
        try {
            await Promise.all(hosts.map(async (host) => {
                try {
                    found.set(host, (await Promise.race([lookup(host), timeout])).address);
                }
                catch (err) {
                    const ep = peers.find((p) => p.endpoint?.host === host)?.endpoint;
                    const { input, at } = whereFrom(ep);
                    const code = err.code ?? errorText(err);
                    // From config (a secret), the name is not shown; the per-field endpoint is no secret.
                    const name = input === 'config' ? 'host name' : `host name "${host}"`;
                    throw new InputError(input, `${at}${name} does not resolve (${code}): check its spelling and that the runner's DNS knows it`);
                }
            }));
        }
        finally {
            clearTimeout(timer);
        }
    }
    return peers.map((p) => p.endpoint ? { ...p, endpoint: { ...p.endpoint, address: found.get(p.endpoint.host) ?? p.endpoint.host } } : p);
}
/** wg-quick's automatic MTU: from the routes towards the endpoints, else the default route. */
async function chooseMtu(peers, ip, limits) {
    const fromRoute = (text) => {
        const mtu = /\bmtu ([0-9]+)/.exec(text);
        if (mtu)
            return Number(mtu[1]);
        const dev = /\bdev (\S+)/.exec(text);
        return dev ? (0,system/* deviceMtu */.RQ)(dev[1]) : 0;
    };
    const hosts = [...new Set(peers.flatMap((p) => (p.endpoint ? [p.endpoint.address ?? p.endpoint.host] : [])))];
    const mtus = await Promise.all(hosts.map(async (h) => fromRoute((await (0,run/* run */.eF)([ip, 'route', 'get', h], limits)).stdout)));
    if (mtus.some((m) => m > 0))
        return autoMtu(mtus);
    const def = (await (0,run/* run */.eF)([ip, 'route', 'show', 'default'], limits)).stdout.split('\n')[0] ?? '';
    return autoMtu([fromRoute(def)]);
}

;// CONCATENATED MODULE: ./src/journal.ts
// What main makes, written down *before* it makes it, so that whatever happens next (a failure, a
// cancelled job, a killed process) post knows exactly what may exist and how to recognise it. Each
// record carries identity (an ifindex in a network namespace, a pid with its start time, a rule's
// priority) once it is known; teardown acts only on what still has that identity.

const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark';
class journal_Journal {
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
const journal_int = (v, min, max) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const str = (v, re) => typeof v === 'string' && re.test(v);
const optional = (v, ok) => (ok(v) ? v : undefined);
/** One record as post may trust it, or undefined when any field is off (it is then ignored). */
function validRecord(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const r = value;
    switch (r.kind) {
        case 'interface':
            if (!str(r.name, IFACE) || (r.netns !== undefined && !str(r.netns, NETNS)))
                return undefined;
            return {
                kind: 'interface',
                name: r.name,
                netns: optional(r.netns, (v) => str(v, NETNS)),
                ifindex: optional(r.ifindex, (v) => journal_int(v, 1, 2 ** 31))
            };
        case 'wireguard-go':
            if (!str(r.name, IFACE) || !journal_int(r.since, 0, Number.MAX_SAFE_INTEGER))
                return undefined;
            return {
                kind: 'wireguard-go',
                name: r.name,
                since: r.since,
                pid: optional(r.pid, (v) => journal_int(v, 2, 2 ** 22)),
                start: optional(r.start, (v) => str(v, /^[0-9]{1,20}$/)),
                socket: optional(r.socket, (v) => str(v, /^[0-9]+:[0-9]+$/))
            };
        case 'file':
            // Only the temporary folders this action makes, by absolute path.
            if (!str(r.path, /^\/[^\0]*\/wireguard-tunnel-[A-Za-z0-9]{6}$/) || r.path.includes('/../'))
                return undefined;
            return { kind: 'file', path: r.path };
        case 'rule':
            if ((r.family !== 4 && r.family !== 6) || !journal_int(r.priority, 1, 2 ** 32 - 1) || !str(r.selector, SELECTOR)) {
                return undefined;
            }
            return { kind: 'rule', family: r.family, priority: r.priority, selector: r.selector };
        case 'sysctl':
            if (r.key !== SRC_VALID_MARK || !str(r.was, /^[0-9]$/))
                return undefined;
            return { kind: 'sysctl', key: SRC_VALID_MARK, was: r.was };
        case 'dns':
            if ((r.manager !== 'resolvectl' && r.manager !== 'resolvconf') ||
                !str(r.name, DNS_NAME) ||
                !str(r.iface, IFACE)) {
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
function journal_parseJournal(text) {
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

;// CONCATENATED MODULE: ./src/routing.ts
// wg-quick's routing, applied: the policy table chosen among those free, the rules placed at
// priorities recorded before they are added, src_valid_mark for an IPv4 full tunnel. A table that
// another tunnel claimed in the meantime (two jobs starting at once) is given up for the next one.





/** How many times a table taken meanwhile is traded for the next free one. */
const TABLE_TRIES = 5;
async function tablesUsed(ctx) {
    const shown = await Promise.all([
        ['-4', 'route', 'show', 'table', 'all'],
        ['-6', 'route', 'show', 'table', 'all'],
        ['-4', 'rule', 'show'],
        ['-6', 'rule', 'show']
    ].map((args) => (0,run/* run */.eF)([ctx.ip, ...args], ctx.limits)));
    const [r4, r6, u4, u6] = shown.map((r) => r.stdout);
    return tablesInUse(`${r4}\n${r6}`, `${u4}\n${u6}`);
}
/** The routing plan; a full tunnel's table is its FwMark (which must be free), else the first free from 51820. */
async function planRouting(t, ctx) {
    if (!isFullTunnel(t))
        return routingPlan(t, 0);
    const used = await tablesUsed(ctx);
    if (t.fwmark !== undefined) {
        if (used.has(t.fwmark))
            throw new Error(tableTaken(t.fwmark));
        return routingPlan(t, t.fwmark);
    }
    return routingPlan(t, pickTable(used));
}
/** Sets net.ipv4.conf.all.src_valid_mark=1 for an IPv4 full tunnel, recording what it was first. */
async function enableSrcValidMark(ctx) {
    const was = (0,external_node_fs_.readFileSync)('/proc/sys/net/ipv4/conf/all/src_valid_mark', 'utf8').trim();
    if (was === '1')
        return;
    ctx.journal.add({ kind: 'sysctl', key: SRC_VALID_MARK, was });
    await (0,run/* mustRun */.Pv)(['sysctl', '-q', '-w', `${SRC_VALID_MARK}=1`], { root: true, ...ctx.limits });
}
/**
 * Adds the plan's routes and rules; resolves with the plan applied (its table may differ from the
 * one planned when another tunnel took that one first; the interface's fwmark follows it).
 */
async function applyRouting(t, planned, backend, ctx) {
    const { journal, ip } = ctx;
    const root = { root: true, ...ctx.limits };
    let plan = planned;
    if (plan.srcValidMark)
        await enableSrcValidMark(ctx);
    for (let attempt = 1;; attempt++) {
        const prefs = plan.rules.length > 0 ? await Promise.all(['-4', '-6'].map((f) => (0,run/* run */.eF)([ip, f, 'rule', 'show'], ctx.limits))) : [];
        const rules = placeRules(plan.rules, {
            4: rulePriorities(prefs[0]?.stdout ?? ''),
            6: rulePriorities(prefs[1]?.stdout ?? '')
        });
        const recs = rules.map((r) => journal.add({ kind: 'rule', family: r.family, priority: r.priority, selector: r.selector }));
        const batch = routeBatch(ctx.iface, plan, rules);
        const r = batch ? await (0,run/* run */.eF)([ip, '-batch', '-'], { ...root, input: batch }) : { code: 0, stdout: '', stderr: '' };
        if (r.code === 0) {
            const rules6 = rules.filter((x) => x.family === 6).map((x) => ruleLine(x, 'add'));
            if (rules6.length > 0)
                await (0,run/* mustRun */.Pv)([ip, '-6', '-batch', '-'], { ...root, input: `${rules6.join('\n')}\n` });
            return plan;
        }
        const failedAt = Number(/Command failed -:([0-9]+)/.exec(r.stderr)?.[1] ?? 0);
        const taken = t.fwmark === undefined && failedAt >= 1 && failedAt <= policyRouteCount(plan) && /File exists/.test(r.stderr);
        if (!taken || attempt >= TABLE_TRIES)
            throw new run/* CommandError */.Qd((0,run/* commandLine */.ay)([ip, '-batch', '-'], root, (0,run/* isRoot */.jX)()), r);
        // The batch stopped at the policy table's routes: no rule was added. Take back what went into
        // that table on this interface, and move to the next free table.
        for (const rec of recs)
            journal.remove(rec);
        const table = plan.fwmark;
        for (const f of ['-4', '-6'])
            await (0,run/* run */.eF)([ip, f, 'route', 'flush', 'dev', ctx.iface, 'table', String(table)], root);
        const used = await tablesUsed(ctx);
        used.add(table);
        plan = routingPlan(t, pickTable(used));
        await backend.setFwmark(plan.fwmark);
    }
}

;// CONCATENATED MODULE: ./src/secrets.ts
// Which strings the runner must mask, worked out before anything is logged.

/** Every secret input whole, each of its lines, and each key of a configuration. */
function secretsToMask(get) {
    const secrets = new Set();
    for (const name of SECRET_INPUTS) {
        const value = get(name);
        if (value === '')
            continue;
        secrets.add(value);
        const parts = name === 'config'
            ? [...value.matchAll(/^\s*(?:private|preshared)key\s*=\s*(\S+)/gim)].map((m) => m[1] ?? '')
            : value.split('\n');
        for (const part of parts.map((p) => p.trim()))
            if (part.length >= 8)
                secrets.add(part);
    }
    return [...secrets];
}

;// CONCATENATED MODULE: ./src/state.ts
// The journal as the runner keeps it between main and post: the step state `journal`, which main
// saves after every change and the runner hands to post as STATE_journal.


const state_KEY = 'journal';
/** A journal that main writes to the step state as it goes. */
const stepJournal = () => new journal_Journal((text) => toolkit/* saveState */.LZ(state_KEY, text));
/** What main recorded, for post (which keeps it up to date in case it has to be run again). */
const loadJournal = () => new Journal((text) => core.saveState(state_KEY, text), parseJournal(core.getState(state_KEY)));

;// CONCATENATED MODULE: ./src/teardown.ts
// Undoing what the journal records, newest first: shared by post and by main's rollback. Each
// record is undone only after its identity is checked (the interface still has the recorded
// ifindex in this network namespace, the process the recorded start time, the rule its priority),
// so that nothing of the same name made by another job is ever touched. Never throws: every
// problem comes back as a warning, and what could not be undone stays in the journal for post.







/** Each undo command may take this long: enough for a slow sudo, short of hanging post. */
const COMMAND_MS = 10_000;
const ip = () => (0,system/* locate */.x5)('ip') ?? 'ip';
const asRoot = { root: true, timeoutMs: COMMAND_MS };
/** The interface as recorded is still there: same name, same ifindex, and we are in its namespace. */
function stillOurs(rec) {
    const now = (0,system/* ifindex */.Cl)(rec.name);
    if (now === undefined)
        return 'gone';
    return rec.ifindex !== undefined && now === rec.ifindex ? 'ours' : 'other';
}
/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid, name) {
    if (!(0,run/* isRoot */.jX)()) {
        await (0,run/* run */.eF)(['kill', `-${name}`, String(pid)], asRoot);
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
async function stopWireguardGo(rec) {
    const proc = rec.pid !== undefined && rec.start !== undefined
        ? { pid: rec.pid, start: rec.start }
        : (0,system/* findStartedWireguardGo */.Bg)(rec.name, rec.since);
    // Dead already (killed, crashed): its socket may be left behind.
    const running = proc !== undefined && (0,system/* sameProcess */.ID)(proc);
    let stale = !running;
    if (running) {
        const gone = () => !(0,system/* sameProcess */.ID)(proc);
        const sent = performance.now();
        await signal(proc.pid, 'TERM');
        if (!(await (0,system/* waitUntil */.a0)(gone, 3000))) {
            stale = true;
            await signal(proc.pid, 'KILL');
            if (!(await (0,system/* waitUntil */.a0)(gone, 1000))) {
                return { left: `wireguard-go (pid ${proc.pid}) for ${rec.name} would not stop`, retry: true };
            }
        }
        toolkit/* debug */.Yz(`wireguard-go stopped ${Math.round(performance.now() - sent)} ms after SIGTERM`);
    }
    // wireguard-go removes its socket on a clean exit; after a kill, only the very socket recorded goes.
    const sock = (0,system/* socketPath */.Xy)(rec.name);
    const removeSocket = stale && rec.socket !== undefined && (0,system/* fileId */.qp)(sock) === rec.socket;
    if (removeSocket) {
        if ((0,run/* isRoot */.jX)())
            (0,external_node_fs_.rmSync)(sock, { force: true });
        else
            await (0,run/* run */.eF)(['rm', '-f', sock], asRoot);
    }
    const what = [running ? `${rec.name} (wireguard-go, pid ${proc.pid})` : '', removeSocket ? `${sock} (stale)` : ''];
    const said = what.filter((w) => w !== '').join(', ');
    return said ? { undone: said } : { gone: true };
}
async function deleteInterface(rec) {
    // The link closes as wireguard-go exits: give it a moment before looking.
    await (0,system/* waitUntil */.a0)(() => stillOurs(rec) !== 'ours', 1000);
    switch (stillOurs(rec)) {
        case 'gone':
            return { gone: true };
        case 'other':
            return rec.ifindex === undefined
                ? { left: `${rec.name} was being created when main stopped and cannot be told from another's; left as it is` }
                : { left: `${rec.name} is no longer the interface main made (another has its name now); left untouched` };
    }
    await (0,run/* mustRun */.Pv)([ip(), 'link', 'delete', 'dev', rec.name], asRoot);
    return { undone: rec.name };
}
async function deleteRule(rec) {
    const r = await (0,run/* run */.eF)([ip(), `-${rec.family}`, 'rule', 'del', ...rec.selector.split(' '), 'priority', String(rec.priority)], asRoot);
    if (r.code === 0)
        return { undone: `rule ${rec.priority}: ${rec.selector}` };
    if (/No such file|not exist/i.test(r.stderr))
        return { gone: true };
    throw new Error(r.stderr.trim() || `exit ${r.code}`);
}
/** Puts src_valid_mark back, unless another full tunnel still marks its traffic and needs it. */
async function restoreSysctl(rec) {
    const others = (await (0,run/* run */.eF)([ip(), '-4', 'rule', 'show'], { timeoutMs: COMMAND_MS })).stdout;
    if (/\bnot from all fwmark /.test(others))
        return { left: `${SRC_VALID_MARK} stays 1: another full tunnel's rules need it` };
    await (0,run/* mustRun */.Pv)(['sysctl', '-q', '-w', `${rec.key}=${rec.was}`], asRoot);
    return { undone: `${rec.key} back to ${rec.was}` };
}
async function revertDns(rec, iface) {
    // Under a name that another job's interface has now, the DNS settings are theirs.
    if (iface && stillOurs(iface) === 'other')
        return { left: `DNS for ${rec.iface}: the interface is no longer ours` };
    if (rec.manager === 'resolvectl' && !(0,system/* linkExists */.JO)(rec.iface))
        return { gone: true };
    const { argv } = dnsDown(rec.manager, rec.name);
    await (0,run/* mustRun */.Pv)(argv, asRoot);
    return { undone: `DNS (${rec.manager})` };
}
async function undo(rec, journal) {
    switch (rec.kind) {
        case 'interface':
            return deleteInterface(rec);
        case 'wireguard-go':
            return stopWireguardGo(rec);
        case 'rule':
            return deleteRule(rec);
        case 'sysctl':
            return restoreSysctl(rec);
        case 'dns':
            return revertDns(rec, journal.find('interface'));
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
/** Undoes every record of the journal but leases, newest first; what is undone leaves the journal. */
async function teardown(journal) {
    const report = { removed: [], warnings: [] };
    const iface = journal.find('interface');
    if (iface?.netns !== undefined && (0,system/* netns */.p3)() !== undefined && iface.netns !== (0,system/* netns */.p3)()) {
        report.warnings.push(`${iface.name} was made in another network namespace than this step runs in; nothing was touched`);
        return report;
    }
    for (const rec of [...journal.records].reverse()) {
        if (rec.kind === 'lease')
            continue;
        try {
            const outcome = await undo(rec, journal);
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
            report.warnings.push(`could not remove ${describe(rec)}: ${errorText(err)}`);
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

;// CONCATENATED MODULE: ./src/up.ts
// The main step, in the order of wg-quick's cmd_up: make the interface, configure it, give it
// addresses and MTU, route, set DNS; then prove it (a handshake with every peer, every check).
// Each step writes what it makes in the journal first; on any failure everything is rolled back,
// and whatever could not be is left in the journal for post.


















/** A debug line with the time since the process started, for reading where the step spends it. */
const mark = (what) => toolkit/* debug */.Yz(`${what} at ${Math.round(performance.now())} ms`);
/** Refuses, in one line, a runner that cannot host a tunnel at all. */
function checkPlatform() {
    if (process.platform !== 'linux')
        throw new Error(unsupportedPlatform(process.platform));
    if (!(0,system/* hasNetAdmin */.rn)((0,run/* isRoot */.jX)()))
        throw new Error(noNetAdmin);
}
/** Waits for all, then throws the first failure: nothing still runs (and journals) after a rollback starts. */
async function settleAll(work) {
    const settled = await Promise.allSettled(work);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed)
        throw failed.reason;
    return settled.map((s) => s.value);
}
async function bringUp(cfg, tools, journal, deadline) {
    const { iface } = cfg;
    const limits = { deadline };
    const ctx = { iface, ip: tools.ip, journal, limits };
    // The MTU and routing look-ups only read the system: they run while the interface is made.
    const [{ userspace }, mtu, planned] = await settleAll([
        createInterface({ iface, userspace: cfg.userspace, install: cfg.install, tools, limits }, journal),
        cfg.mtu !== undefined ? Promise.resolve(cfg.mtu) : chooseMtu(cfg.peers, tools.ip, limits),
        planRouting(cfg, ctx)
    ]);
    mark('interface created');
    const backend = chooseBackend({ iface, limits, userspace, wg: tools.wg, journal });
    await backend.configure(cfg, planned.fwmark ?? cfg.fwmark);
    await (0,run/* mustRun */.Pv)([tools.ip, '-batch', '-'], { root: true, input: linkBatch(iface, cfg.addresses, mtu), ...limits });
    const plan = await applyRouting(cfg, planned, backend, ctx);
    await applyDns(cfg, journal, limits);
    mark('link up');
    const upAt = Date.now();
    const missing = await waitForHandshakes(cfg.peers, () => backend.handshakes(), deadline);
    if (missing.length > 0)
        throw new Error(handshakeFailure(cfg, missing[0], cfg.timeoutMs));
    const handshakeMs = cfg.peers.some((p) => p.endpoint) ? Date.now() - upAt : undefined;
    mark('handshake');
    const [checks] = await Promise.all([
        Promise.all(cfg.checks.map((c) => runCheck(c, deadline))),
        backend.restoreKeepalive(cfg)
    ]);
    mark('checks');
    const failed = checks.find((c) => !c.ok);
    if (failed)
        throw new Error(checkFailure(checkLabel(failed.check), failed.reason ?? '', cfg.addresses, cfg.timeoutMs));
    const mode = userspace ? 'userspace (wireguard-go)' : 'kernel';
    return { ...cfg, mode, mtu, routes: plan.routes.map(routeText), handshakeMs, checks };
}
/** Shows what the interface looked like, then undoes the journal; what stays is post's to retry. */
async function rollBack(journal, secrets, message) {
    const made = journal.find('interface');
    if (made?.ifindex !== undefined && (0,system/* ifindex */.Cl)(made.name) === made.ifindex)
        await reportFailure(made.name, secrets, message);
    const undone = await teardown(journal);
    for (const w of undone.warnings)
        toolkit/* warning */.$e(`rollback: ${w}`);
    if (!journal.empty)
        toolkit/* warning */.$e('rollback left some of what main made in place; post will try again');
}
async function runMain() {
    const journal = stepJournal();
    let secrets = [];
    try {
        // Masked before anything else can print them.
        secrets = secretsToMask(toolkit/* getInput */.V4);
        for (const s of secrets)
            toolkit/* setSecret */.Pq(s);
        checkPlatform();
        const cfg = buildConfig(toolkit/* getInput */.V4);
        toolkit/* setOutput */.uH('public-key', cfg.publicKey);
        toolkit/* setOutput */.uH('interface', cfg.iface);
        mark('inputs valid');
        // One apt transaction for everything missing, wireguard-go included when it will be needed.
        const want = userspaceFirst(cfg.userspace) ? ['wg', 'ip', 'wireguard-go'] : ['wg', 'ip'];
        const tools = await ensureTools(want, cfg.install);
        // `timeout` bounds the whole step but for installing packages (whose time apt decides).
        const deadline = Date.now() + cfg.timeoutMs;
        const peers = await resolveEndpoints(cfg.peers, Math.max(1, deadline - Date.now()));
        await refuseTakenName(cfg.iface);
        const outcome = await bringUp({ ...cfg, peers }, tools, journal, deadline);
        toolkit/* setOutput */.uH('address', outcome.addresses.map((a) => a.address).join(','));
        report(outcome);
        mark('main done');
    }
    catch (err) {
        const message = errorText(err);
        if (!journal.empty)
            await rollBack(journal, secrets, message);
        toolkit/* setFailed */.C1(message);
    }
}

;// CONCATENATED MODULE: ./src/main.ts


void runMain().then(exitWhenFlushed);

