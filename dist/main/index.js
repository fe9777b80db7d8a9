import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 61:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Qd: () => (/* binding */ CommandError),
  ay: () => (/* binding */ commandLine),
  jX: () => (/* binding */ isRoot),
  Pv: () => (/* binding */ mustRun),
  eF: () => (/* binding */ run)
});

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
// EXTERNAL MODULE: ./src/toolkit.ts
var toolkit = __nccwpck_require__(311);
;// CONCATENATED MODULE: ./src/run.ts
// The one place that starts processes. Commands are argument arrays, never shell strings; commands
// that need root go through `sudo -n` when this process is not root, so a missing permission fails
// at once instead of waiting for a password.


const isRoot = () => process.getuid?.() === 0;
/** The argument vector actually started for a command. Pure, for tests. */
function commandLine(argv, opts, root) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv];
    return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv;
}
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
    if (argv[0] === 'sudo' && /^sudo: /m.test(r.stderr)) {
        return `\`${argv.slice(2).join(' ')}\` needs root and this step runs as uid ${process.getuid?.()}: \`sudo -n\` refused (${said}). Run the job as root or give the runner user passwordless sudo.`;
    }
    return `\`${argv.join(' ')}\` failed (exit ${r.code})${said ? `: ${said}` : ''}`;
}
/** Runs a command and resolves with its exit code and output; rejects only when it cannot start. */
function run(argv, opts = {}) {
    const full = commandLine(argv, opts, isRoot());
    toolkit/* debug */.Yz(`run: ${full.join(' ')} (at ${Math.round(performance.now())} ms)`);
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(full[0], full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        const limit = opts.timeoutMs ?? 60_000;
        const timer = setTimeout(() => {
            stderr += `\n(killed after ${limit / 1000} s)`;
            child.kill('SIGKILL');
        }, limit);
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(err.code === 'ENOENT'
                ? new Error(`\`${full[0]}\` was not found on PATH (${process.env.PATH ?? ''})`)
                : new Error(`\`${full[0]}\` could not start: ${err.message}`));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ pid: child.pid, code: code ?? (signal ? 128 : 1), stdout, stderr });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
    });
}
/**
 * Runs a command that must succeed; throws a CommandError otherwise, or the error `explain` makes
 * of its output (a refused sudo is always said as such).
 */
async function mustRun(argv, opts = {}, explain) {
    const r = await run(argv, opts);
    if (r.code === 0)
        return r;
    const full = commandLine(argv, opts, isRoot());
    if (explain && !(full[0] === 'sudo' && /^sudo: /m.test(r.stderr)))
        throw explain(`${r.stderr}\n${r.stdout}`);
    throw new CommandError(full, r);
}


/***/ }),

/***/ 311:
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

/***/ 714:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   QC: () => (/* binding */ ensureTools),
/* harmony export */   x5: () => (/* binding */ locate)
/* harmony export */ });
/* unused harmony exports PACKAGE, searchPath, aptCommand */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(311);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(61);
// Finding the programs the tunnel needs, and installing the missing ones with apt in one
// transaction, non-interactively.




/** The Debian/Ubuntu package that provides each tool. */
const PACKAGE = { wg: 'wireguard-tools', ip: 'iproute2', 'wireguard-go': 'wireguard-go' };
/** PATH, then the sbin directories that an unprivileged user's PATH may lack. */
function searchPath() {
    const dirs = (process.env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_1__.delimiter).filter((d) => d !== '');
    for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin'])
        if (!dirs.includes(d))
            dirs.push(d);
    return dirs;
}
function locate(tool) {
    for (const dir of searchPath()) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, tool);
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path))
            return path;
    }
    return undefined;
}
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
    _toolkit_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Installing ${packages.join(', ')} with apt-get`);
    const first = await (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
    if (first.code === 0)
        return;
    _toolkit_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq('apt-get install failed; refreshing the package lists and trying once more');
    await (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)(aptCommand(['update']), { root: true, env: APT_ENV, ...APT_LIMIT });
    await (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .mustRun */ .Pv)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
}
/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
async function ensureTools(tools, install) {
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./src/toolkit.ts
var toolkit = __nccwpck_require__(311);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/names.ts
// Interface names as Linux and wg-quick accept them: 1 to 15 of letters, digits and _=+.-
const names_IFACE = /^[a-zA-Z0-9_=+.-]{1,15}$/;

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
function ip_parsePrefix(text) {
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
        const p = ip_parsePrefix(item);
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
        const p = ip_parsePrefix(item);
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
    return { host: addr ? ip_parsePrefix(host).address : host, port: parsePort(input, port, text) };
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
            return { kind: 'icmp', host: ip_parsePrefix(text).address, text };
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
            out.dns.push(ip_parsePrefix(v).address);
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

// EXTERNAL MODULE: ./src/tools.ts
var src_tools = __nccwpck_require__(714);
;// CONCATENATED MODULE: ./src/dns.ts
// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.


/** Which DNS manager this system has, if any. */
function dnsManager() {
    if ((0,external_node_fs_.existsSync)('/run/systemd/resolve') && (0,src_tools/* locate */.x5)('resolvectl'))
        return 'resolvectl';
    if ((0,src_tools/* locate */.x5)('resolvconf'))
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

;// CONCATENATED MODULE: ./src/plan.ts

/** The keepalive set while verifying a peer whose keepalive is off, so that bring-up starts a handshake. */
const PROBE_KEEPALIVE = 25;
/** The peers whose keepalive is off but which have an endpoint: probed with a keepalive while verifying. */
const probedPeers = (cfg) => cfg.peers.filter((p) => p.keepalive === 0 && p.endpoint !== undefined);
/** The keepalive a peer is configured with during bring-up. */
const bringUpKeepalive = (peer) => peer.keepalive === 0 && peer.endpoint ? PROBE_KEEPALIVE : peer.keepalive;
function endpointText(host, port) {
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
/**
 * The `wg setconf` file. `addresses` maps each peer's endpoint host to the address it resolved to.
 * Peers with keepalive off get PROBE_KEEPALIVE here: the link coming up then sends a keepalive,
 * which starts the handshake; `keepaliveRestore` turns it off again once verified.
 */
function wgConf(cfg, resolved, fwmark = cfg.fwmark) {
    const lines = ['[Interface]', `PrivateKey = ${cfg.privateKey}`];
    if (cfg.listenPort !== undefined)
        lines.push(`ListenPort = ${cfg.listenPort}`);
    if (fwmark !== undefined)
        lines.push(`FwMark = ${fwmark}`);
    for (const peer of cfg.peers) {
        lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`);
        if (peer.presharedKey)
            lines.push(`PresharedKey = ${peer.presharedKey}`);
        if (peer.endpoint) {
            const host = resolved.get(peer.endpoint.host) ?? peer.endpoint.host;
            lines.push(`Endpoint = ${endpointText(host, peer.endpoint.port)}`);
        }
        if (peer.allowedIps.length > 0)
            lines.push(`AllowedIPs = ${peer.allowedIps.map(prefixText).join(', ')}`);
        const keepalive = bringUpKeepalive(peer);
        if (keepalive > 0)
            lines.push(`PersistentKeepalive = ${keepalive}`);
    }
    return `${lines.join('\n')}\n`;
}
/** `wg` arguments that put back keepalive off on the peers that were probed, or none. */
function keepaliveRestore(cfg) {
    const probed = probedPeers(cfg);
    if (probed.length === 0)
        return undefined;
    return ['set', cfg.iface, ...probed.flatMap((p) => ['peer', p.publicKey, 'persistent-keepalive', 'off'])];
}
/** True when some address's own network route already covers the prefix (wg-quick adds no route then). */
function coveredByAddress(addresses, prefix) {
    return addresses.some((a) => a.bits < maxBits(a.family) && contains(network(a), prefix));
}
const routeText = (r) => `${prefixText(r.prefix)}${r.table === undefined ? '' : ` table ${r.table}`}`;
/** The allowed IPs of all peers, each once, most specific first (wg-quick: `sort -nr -k 2 -t /`). */
function allowedIps(cfg) {
    const seen = new Set();
    const all = [];
    for (const p of cfg.peers.flatMap((peer) => peer.allowedIps)) {
        const key = prefixText(p);
        if (seen.has(key))
            continue;
        seen.add(key);
        all.push(p);
    }
    return all.sort((a, b) => b.bits - a.bits);
}
/** True when some allowed IP is a /0: a full tunnel, which wg-quick routes through a policy table. */
const isFullTunnel = (cfg) => cfg.table === 'auto' && allowedIps(cfg).some((p) => p.bits === 0);
/** The first table from 51820 up that holds no routes, as wg-quick picks it. */
function pickTable(used, from = 51820) {
    let t = from;
    while (used.has(t))
        t++;
    return t;
}
/**
 * wg-quick's add_route for every allowed IP. `policyTable` is the table for a full tunnel (the
 * configured FwMark, else the first free from 51820).
 */
function routingPlan(cfg, policyTable) {
    const plan = { routes: [], rules: [], srcValidMark: false };
    if (cfg.table === 'off')
        return plan;
    for (const prefix of allowedIps(cfg)) {
        if (typeof cfg.table === 'number') {
            plan.routes.push({ prefix, table: cfg.table });
        }
        else if (prefix.bits === 0) {
            const t = policyTable;
            plan.fwmark = t;
            plan.routes.push({ prefix, table: t });
            const f = `-${prefix.family}`;
            plan.rules.push(`${f} not fwmark ${t} table ${t}`, `${f} table main suppress_prefixlength 0`);
            if (prefix.family === 4)
                plan.srcValidMark = true;
        }
        else if (!coveredByAddress(cfg.addresses, prefix)) {
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
/** The rules of one family as `ip -batch` lines (`ip` takes the family from its -4/-6 option, not the line). */
function ruleLines(rules, family, verb) {
    return rules.filter((r) => r.startsWith(`${family} `)).map((r) => `rule ${verb} ${r.slice(3)}`);
}
/** The `ip -batch` script that brings the configured interface up: addresses, MTU, link, routes, IPv4 rules. */
function upBatch(cfg, mtu, plan) {
    const lines = cfg.addresses.map((a) => `address add ${prefixText(a)} dev ${cfg.iface}`);
    lines.push(`link set mtu ${mtu} up dev ${cfg.iface}`);
    for (const r of plan.routes)
        lines.push(`route add ${prefixText(r.prefix)} dev ${cfg.iface}${r.table === undefined ? '' : ` table ${r.table}`}`);
    lines.push(...ruleLines(plan.rules, '-4', 'add'));
    return `${lines.join('\n')}\n`;
}
/** The `ip -batch` script that removes what upBatch added, IPv6 rules aside (run with -force: missing parts are fine). */
function downBatch(iface, routes, rules) {
    const routeDel = (route) => {
        const [prefix, ...table] = route.split(' ');
        return ['route del', prefix, 'dev', iface, ...table].join(' ');
    };
    return `${[...ruleLines(rules, '-4', 'del'), ...routes.map(routeDel), `link delete dev ${iface}`].join('\n')}\n`;
}

// EXTERNAL MODULE: ./src/run.ts + 1 modules
var run = __nccwpck_require__(61);
;// CONCATENATED MODULE: ./src/state.ts
// What main created, saved as it goes so that post can undo exactly that, even when main was
// killed part-way.



const state_KEY = 'created';
const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark';
// What post accepts from the state: it hands these to ip, sysctl and resolvconf.
const ROUTE = /^[0-9a-f:.]+\/[0-9]{1,3}( table [0-9]{1,10})?$/;
const RULE = /^-[46] (not fwmark [0-9]{1,10} table [0-9]{1,10}|table main suppress_prefixlength 0)$/;
const IFACE_OR_PREFIXED = /^([A-Za-z0-9-]+\.)?[a-zA-Z0-9_=+.-]{1,15}$/;
const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
function saveCreated(created) {
    toolkit/* saveState */.LZ(state_KEY, created ? JSON.stringify(created) : '');
}
/** What main recorded, or undefined when it created nothing (or its record is unreadable). */
function loadCreated() {
    const text = core.getState(state_KEY);
    if (!text)
        return undefined;
    try {
        const c = JSON.parse(text);
        if (typeof c.iface !== 'string' || !IFACE.test(c.iface))
            return undefined;
        return {
            iface: c.iface,
            userspace: c.userspace === true,
            pid: typeof c.pid === 'number' ? c.pid : undefined,
            routes: strings(c.routes).filter((r) => ROUTE.test(r) && typeof parsePrefix(r.split(' ')[0]) !== 'string'),
            rules: strings(c.rules).filter((r) => RULE.test(r)),
            sysctl: c.sysctl && c.sysctl.key === SRC_VALID_MARK && /^[0-9]$/.test(String(c.sysctl.was)) ? c.sysctl : undefined,
            dns: c.dns &&
                (c.dns.manager === 'resolvectl' || c.dns.manager === 'resolvconf') &&
                IFACE_OR_PREFIXED.test(c.dns.name)
                ? c.dns
                : undefined,
            files: strings(c.files).filter((f) => /wireguard-tunnel-/.test(f))
        };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/system.ts
// Read-only probes of the system, through the file system only (no processes started).



const socketPath = (iface) => `/var/run/wireguard/${iface}.sock`;
const linkExists = (iface) => (0,external_node_fs_.existsSync)(`/sys/class/net/${iface}`);
function readText(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** The kernel has WireGuard loaded, built in, or as a module it can load. */
function kernelHasWireguard() {
    if ((0,external_node_fs_.existsSync)('/sys/module/wireguard'))
        return true;
    const dir = `/lib/modules/${(0,external_node_os_.release)()}`;
    return (/\/wireguard\.ko/.test(readText(`${dir}/modules.builtin`)) || /\/wireguard\.ko/.test(readText(`${dir}/modules.dep`)));
}
/** The MTU of a network device, or 0 when unknown. */
function deviceMtu(dev) {
    return Number(readText(`/sys/class/net/${dev}/mtu`).trim()) || 0;
}
function argvOf(pid) {
    return readText(`/proc/${pid}/cmdline`)
        .split('\0')
        .filter((a) => a !== '');
}
/** True when the process is wireguard-go serving this interface. */
function isWireguardGo(pid, iface) {
    const argv = argvOf(pid);
    return argv.length >= 2 && (0,external_node_path_.basename)(argv[0]) === 'wireguard-go' && argv[argv.length - 1] === iface;
}
/**
 * The wireguard-go process serving the interface, if one runs. `near`: the pid of whatever started
 * it; its daemon is forked a few pids later, so those are looked at first.
 */
function findWireguardGo(iface, near) {
    if (near !== undefined) {
        for (let pid = near + 1; pid <= near + 64; pid++)
            if (isWireguardGo(pid, iface))
                return pid;
    }
    let found;
    for (const entry of (0,external_node_fs_.readdirSync)('/proc')) {
        if (!/^[0-9]+$/.test(entry))
            continue;
        const pid = Number(entry);
        if (isWireguardGo(pid, iface) && (found === undefined || pid > found))
            found = pid;
    }
    return found;
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

;// CONCATENATED MODULE: ./src/teardown.ts
// Undoing what main created: shared by post and by main's rollback. Never throws: every problem
// comes back as a warning.







const message = (err) => (err instanceof Error ? err.message : String(err));
/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid, name) {
    if ((0,run/* isRoot */.jX)()) {
        try {
            process.kill(pid, `SIG${name}`);
        }
        catch {
            // Exited meanwhile.
        }
    }
    else {
        await (0,run/* run */.eF)(['kill', `-${name}`, String(pid)], { root: true });
    }
}
/**
 * Stops wireguard-go: SIGTERM, on which it closes its interface (routes go with it) and removes
 * its socket; SIGKILL only if it will not go. Faster than deleting the link and waiting.
 */
async function stopWireguardGo(created, report) {
    const { iface } = created;
    const pid = created.pid !== undefined && isWireguardGo(created.pid, iface) ? created.pid : findWireguardGo(iface);
    // Without a process, or after a kill, the socket may be stale: wireguard-go removes it only on a clean exit.
    let stale = pid === undefined;
    if (pid !== undefined) {
        const gone = () => !isWireguardGo(pid, iface);
        const sent = performance.now();
        await signal(pid, 'TERM');
        if (!(await waitUntil(gone, 3000))) {
            stale = true;
            await signal(pid, 'KILL');
            if (!(await waitUntil(gone, 1000)))
                report.warnings.push(`wireguard-go (pid ${pid}) for ${iface} would not stop`);
        }
        toolkit/* debug */.Yz(`wireguard-go stopped ${Math.round(performance.now() - sent)} ms after SIGTERM`);
        // The interface closes as the process exits.
        await waitUntil(() => !linkExists(iface), 1000);
        report.removed.push(`wireguard-go (pid ${pid})`);
    }
    const sock = socketPath(iface);
    if ((0,run/* isRoot */.jX)()) {
        if ((0,external_node_fs_.existsSync)(sock)) {
            (0,external_node_fs_.rmSync)(sock, { force: true });
            report.removed.push(sock);
        }
    }
    else if (stale) {
        await (0,run/* run */.eF)(['rm', '-f', sock], { root: true });
    }
}
/** Removes DNS, rules, routes, interface, wireguard-go, socket, sysctl and files that `created` records. */
async function teardown(created) {
    const report = { removed: [], warnings: [] };
    const { iface } = created;
    const attempt = async (what, undo) => {
        try {
            await undo();
        }
        catch (err) {
            report.warnings.push(`could not ${what}: ${message(err)}`);
        }
    };
    if (created.dns) {
        const { manager, name } = created.dns;
        await attempt(`revert DNS for ${iface}`, async () => {
            const { argv } = dnsDown(manager, name);
            const r = await (0,run/* run */.eF)(argv, { root: true });
            if (r.code !== 0 && linkExists(iface))
                throw new Error(r.stderr.trim() || `exit ${r.code}`);
            report.removed.push(`DNS (${manager})`);
        });
    }
    const hadLink = linkExists(iface);
    if (created.userspace)
        await attempt(`stop wireguard-go for ${iface}`, () => stopWireguardGo(created, report));
    if (linkExists(iface) || created.rules.length > 0) {
        await attempt(`delete interface ${iface}`, async () => {
            const ip = (0,src_tools/* locate */.x5)('ip') ?? 'ip';
            const rules6 = ruleLines(created.rules, '-6', 'del');
            if (rules6.length > 0)
                await (0,run/* run */.eF)([ip, '-6', '-force', '-batch', '-'], { root: true, input: `${rules6.join('\n')}\n` });
            const r = await (0,run/* run */.eF)([ip, '-force', '-batch', '-'], {
                root: true,
                input: downBatch(iface, created.routes, created.rules)
            });
            if (linkExists(iface))
                throw new Error(r.stderr.trim() || `exit ${r.code}`);
            if (created.rules.length > 0)
                report.removed.push(`rules ${created.rules.join(', ')}`);
        });
    }
    if (hadLink && !linkExists(iface))
        report.removed.unshift(created.routes.length > 0 ? `${iface} with routes ${created.routes.join(', ')}` : iface);
    if (created.sysctl) {
        const { key, was } = created.sysctl;
        await attempt(`restore ${key}`, async () => {
            await (0,run/* mustRun */.Pv)(['sysctl', '-q', '-w', `${key}=${was}`], { root: true });
            report.removed.push(`${key} back to ${was}`);
        });
    }
    for (const file of created.files) {
        await attempt(`remove ${file}`, async () => {
            if ((0,external_node_fs_.existsSync)(file)) {
                (0,external_node_fs_.rmSync)(file, { recursive: true, force: true });
                report.removed.push(file);
            }
        });
    }
    return report;
}

;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./src/uapi.ts
// WireGuard's cross-platform configuration protocol (UAPI), spoken to wireguard-go over its unix
// socket. Used when this step is root and the interface is userspace: it configures the peer and
// reads handshakes without starting `wg`, and the private key travels over the socket only, never
// through a file. (The socket is root's, so an unprivileged step uses `sudo wg` instead.)



const hex = (base64) => Buffer.from(base64, 'base64').toString('hex');
/** The `set=1` request that gives the interface exactly the configured key and peers (as `wg setconf`). */
function uapiSetRequest(cfg, resolved, fwmark = cfg.fwmark) {
    const lines = [
        'set=1',
        `private_key=${hex(cfg.privateKey)}`,
        `listen_port=${cfg.listenPort ?? 0}`,
        `fwmark=${fwmark ?? 0}`,
        'replace_peers=true'
    ];
    for (const peer of cfg.peers) {
        lines.push(`public_key=${hex(peer.publicKey)}`, 'replace_allowed_ips=true');
        if (peer.presharedKey)
            lines.push(`preshared_key=${hex(peer.presharedKey)}`);
        if (peer.endpoint)
            lines.push(`endpoint=${endpointText(resolved.get(peer.endpoint.host) ?? peer.endpoint.host, peer.endpoint.port)}`);
        lines.push(`persistent_keepalive_interval=${bringUpKeepalive(peer)}`);
        for (const ip of peer.allowedIps)
            lines.push(`allowed_ip=${prefixText(ip)}`);
    }
    return `${lines.join('\n')}\n\n`;
}
/** The request that turns keepalive off again on the peers probed, or none. */
function uapiKeepaliveRestore(cfg) {
    const probed = probedPeers(cfg);
    if (probed.length === 0)
        return undefined;
    return `set=1\n${probed.map((p) => `public_key=${hex(p.publicKey)}\nupdate_only=true\npersistent_keepalive_interval=0\n`).join('')}\n`;
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
function uapi(socketPath, request, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        const socket = (0,external_node_net_namespaceObject.connect)(socketPath);
        let answer = '';
        const timer = setTimeout(() => socket.destroy(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`)), timeoutMs);
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

;// CONCATENATED MODULE: ./src/verify.ts
// Proving the tunnel works: a handshake with every peer that has an endpoint, then every `check`
// target, all within one deadline.




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
/** Reads handshakes with `wg show IFACE latest-handshakes` (kernel, or an unprivileged step). */
const wgHandshakes = (cfg, wg) => async () => parseHandshakes((await (0,run/* run */.eF)([wg, 'show', cfg.iface, 'latest-handshakes'], { root: true })).stdout);
/** Waits for a handshake with every peer that has an endpoint; resolves with the keys still missing. */
async function waitForHandshakes(cfg, read, deadline) {
    const want = cfg.peers.filter((p) => p.endpoint).map((p) => p.publicKey);
    let every = 1;
    for (;;) {
        const seen = await read();
        const missing = want.filter((k) => !seen.get(k));
        if (missing.length === 0 || Date.now() >= deadline)
            return missing;
        await sleep(Math.min(every, deadline - Date.now()));
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
        await sleep(Math.min(100, deadline - Date.now()));
    }
}

;// CONCATENATED MODULE: ./src/up.ts
// The main step: validate, install what is missing, bring the interface up, prove it carries
// traffic, and on any failure roll back everything it created.















/** Milliseconds as a person reads them: `12 ms`, `1.4 s`. */
const duration = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const errorText = (err) => (err instanceof Error ? err.message : String(err));
const getInput = (name) => toolkit/* getInput */.V4(name);
/** A debug line with the time since the process started, for reading where the step spends it. */
const mark = (what) => toolkit/* debug */.Yz(`${what} at ${Math.round(performance.now())} ms`);
/** Masks every secret input before anything can log it; returns the strings masked. */
function maskSecrets() {
    const secrets = new Set();
    for (const name of SECRET_INPUTS) {
        const value = getInput(name);
        if (value === '')
            continue;
        secrets.add(value);
        // A multi-line value is masked by the runner only as a whole: also each line of a key input,
        // and each key of a configuration.
        const parts = name === 'config'
            ? [...value.matchAll(/^\s*(?:private|preshared)key\s*=\s*(\S+)/gim)].map((m) => m[1] ?? '')
            : value.split('\n');
        for (const part of parts.map((p) => p.trim()))
            if (part.length >= 8)
                secrets.add(part);
    }
    for (const s of secrets)
        toolkit/* setSecret */.Pq(s);
    return [...secrets];
}
/** Resolves each endpoint host name once (IP literals stay as they are), within the timeout. */
async function resolveEndpoints(cfg) {
    const resolved = new Map();
    for (const peer of cfg.peers) {
        const host = peer.endpoint?.host;
        if (host === undefined || resolved.has(host))
            continue;
        if (/^[0-9.]+$/.test(host) || host.includes(':')) {
            resolved.set(host, host);
            continue;
        }
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${cfg.timeoutMs / 1000} s`)), cfg.timeoutMs);
        });
        try {
            const { lookup } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 553, 23));
            const { address } = await Promise.race([lookup(host), timeout]);
            resolved.set(host, address);
        }
        catch (err) {
            const code = err.code;
            throw new InputError('endpoint', `host name "${host}" does not resolve (${code ?? errorText(err)}): check its spelling and that the runner's DNS knows it`);
        }
        finally {
            clearTimeout(timer);
        }
    }
    return resolved;
}
/** wg-quick's automatic MTU: from the routes towards the endpoints, else the default route. */
async function chooseMtu(cfg, ip, resolved) {
    if (cfg.mtu !== undefined)
        return cfg.mtu;
    const fromRoute = (text) => {
        const mtu = /\bmtu ([0-9]+)/.exec(text);
        if (mtu)
            return Number(mtu[1]);
        const dev = /\bdev (\S+)/.exec(text);
        return dev ? deviceMtu(dev[1]) : 0;
    };
    const hosts = [
        ...new Set(cfg.peers.flatMap((p) => (p.endpoint ? [resolved.get(p.endpoint.host) ?? p.endpoint.host] : [])))
    ];
    const mtus = await Promise.all(hosts.map(async (h) => fromRoute((await (0,run/* run */.eF)([ip, 'route', 'get', h])).stdout)));
    if (mtus.some((m) => m > 0))
        return autoMtu(mtus);
    const def = (await (0,run/* run */.eF)([ip, 'route', 'show', 'default'])).stdout.split('\n')[0] ?? '';
    return autoMtu([fromRoute(def)]);
}
/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
const userspaceFirst = (cfg) => cfg.userspace === 'true' || (cfg.userspace === 'auto' && !kernelHasWireguard());
/** Creates the interface: the kernel's WireGuard when it has one, else wireguard-go. */
async function createInterface(cfg, tools, created) {
    if (!userspaceFirst(cfg)) {
        const argv = [tools.ip, 'link', 'add', 'dev', cfg.iface, 'type', 'wireguard'];
        const r = await (0,run/* run */.eF)(argv, { root: true });
        if (r.code === 0)
            return;
        if (!(0,run/* isRoot */.jX)() && /^sudo: /m.test(r.stderr))
            throw new run/* CommandError */.Qd((0,run/* commandLine */.ay)(argv, { root: true }, false), r);
        const noKernel = /Unknown device type|not supported/i.test(r.stderr);
        if (!noKernel || cfg.userspace === 'false') {
            const why = noKernel
                ? 'this kernel has no WireGuard module and userspace is false (set userspace: auto to use wireguard-go)'
                : explainCreateFailure(r.stderr);
            throw new Error(`could not create interface ${cfg.iface}: ${why}`);
        }
        toolkit/* info */.pq('The kernel has no WireGuard module; using wireguard-go');
    }
    const wgGo = tools['wireguard-go'] ?? (await (0,src_tools/* ensureTools */.QC)(['wireguard-go'], cfg.install))['wireguard-go'];
    created.userspace = true;
    saveCreated(created);
    // Without -f, wireguard-go forks a daemon that outlives this step and returns once the interface exists.
    const r = await (0,run/* mustRun */.Pv)([wgGo, cfg.iface], { root: true }, (said) => new Error(`could not start wireguard-go for ${cfg.iface}: ${explainCreateFailure(said)}`));
    startedPid = r.pid;
}
/** What stopped an interface from being made, with the fix for the usual causes (job containers). */
function explainCreateFailure(said) {
    const text = said
        .split('\n')
        .filter((l) => l.trim() !== '' && !/[│┌└]/.test(l))
        .map((l) => l.replace(/^[A-Z]+: \(\S+\) [0-9/]+ [0-9:]+ /, '').trim())
        .join(' ') || 'no reason given';
    if (/Operation not permitted|permission denied/i.test(said)) {
        return `${text}: this step may not create network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun`;
    }
    if (/\/dev\/net\/tun|TUN device/i.test(said))
        return `${text}: wireguard-go needs /dev/net/tun; in a job container, add options: --device=/dev/net/tun --cap-add=NET_ADMIN`;
    return text;
}
/** The pid of the process that started wireguard-go: its daemon comes right after it. */
let startedPid;
/** Records the wireguard-go process for post (which can also find it without this record). */
function recordPid(cfg, created) {
    if (!created.userspace)
        return;
    created.pid = findWireguardGo(cfg.iface, startedPid);
    saveCreated(created);
}
/** Speaking UAPI to wireguard-go needs its root-only socket. */
const viaUapi = (created) => created.userspace && (0,run/* isRoot */.jX)();
/**
 * Gives the interface its key and peers: over wireguard-go's socket when root, else with
 * `wg setconf` from a 0600 file that exists only while `wg` reads it.
 */
async function configurePeers(cfg, wg, resolved, fwmark, created) {
    if (viaUapi(created)) {
        await uapi(socketPath(cfg.iface), uapiSetRequest(cfg, resolved, fwmark));
        return;
    }
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'wireguard-tunnel-'));
    const file = (0,external_node_path_.join)(dir, `${cfg.iface}.conf`);
    created.files.push(dir);
    saveCreated(created);
    try {
        (0,external_node_fs_.writeFileSync)(file, wgConf(cfg, resolved, fwmark), { mode: 0o600, flag: 'wx' });
        await (0,run/* mustRun */.Pv)([wg, 'setconf', cfg.iface, file], { root: true });
    }
    finally {
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    }
}
function handshakeFailure(cfg, missing, resolved) {
    const peer = cfg.peers.find((p) => p.publicKey === missing[0]);
    const ep = peer?.endpoint;
    const at = ep ? endpointText(resolved.get(ep.host) ?? ep.host, ep.port) : 'its endpoint';
    const named = ep && resolved.get(ep.host) !== ep.host ? ` (${endpointText(ep.host, ep.port)})` : '';
    const addresses = cfg.addresses.map((a) => prefixText({ ...a, bits: maxBits(a.family) })).join(',');
    return (`No handshake with peer ${missing[0]} at ${at}${named} within ${cfg.timeoutMs / 1000} s. Likely causes: ` +
        `the server does not know this runner's public key ${cfg.publicKey} (on the server: wg set <interface> peer ${cfg.publicKey} allowed-ips ${addresses}); ` +
        `UDP to ${at} is blocked or nothing listens there; peer-public-key is not the server's key.`);
}
function checkFailure(cfg, failed) {
    return (`The tunnel is up but ${checkLabel(failed.check)} did not answer within ${cfg.timeoutMs / 1000} s (last error: ${failed.reason}). ` +
        `Likely causes: allowed-ips does not cover that address; the server does not forward or route traffic from ${cfg.addresses.map((a) => a.address).join(', ')}; the service is down or filtered.`);
}
/** The routing plan; a full tunnel's table is its FwMark, else the first free table from 51820. */
async function planRouting(cfg, ip) {
    if (!isFullTunnel(cfg))
        return routingPlan(cfg, 0);
    if (cfg.fwmark !== undefined)
        return routingPlan(cfg, cfg.fwmark);
    const shown = await Promise.all(['-4', '-6'].map((f) => (0,run/* run */.eF)([ip, f, 'route', 'show', 'table', 'all'])));
    const used = new Set([
        ...shown
            .map((r) => r.stdout)
            .join('\n')
            .matchAll(/\btable ([0-9]+)/g)
    ].map((m) => Number(m[1])));
    return routingPlan(cfg, pickTable(used));
}
/** Sets net.ipv4.conf.all.src_valid_mark=1 for an IPv4 full tunnel, recording what it was. */
async function enableSrcValidMark(created) {
    const was = (0,external_node_fs_.readFileSync)('/proc/sys/net/ipv4/conf/all/src_valid_mark', 'utf8').trim();
    if (was === '1')
        return;
    created.sysctl = { key: SRC_VALID_MARK, was };
    saveCreated(created);
    await (0,run/* mustRun */.Pv)(['sysctl', '-q', '-w', `${SRC_VALID_MARK}=1`], { root: true });
}
/** Applies DNS servers and search domains; warns when the system has no way to. */
async function applyDns(cfg, created) {
    if (cfg.dns.length === 0)
        return;
    const manager = dnsManager();
    if (!manager) {
        toolkit/* warning */.$e(`DNS servers ${cfg.dns.join(', ')} were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf`);
        return;
    }
    const name = manager === 'resolvconf' ? resolvconfName(cfg.iface, readInterfaceOrder()) : cfg.iface;
    created.dns = { manager, name };
    saveCreated(created);
    for (const c of dnsUp(cfg, manager, name))
        await (0,run/* mustRun */.Pv)(c.argv, { root: true, input: c.input });
}
/** Turns keepalive off again on the peers that were probed with one. */
async function restoreKeepalive(cfg, tools, created) {
    if (viaUapi(created)) {
        const request = uapiKeepaliveRestore(cfg);
        if (request)
            await uapi(socketPath(cfg.iface), request);
        return;
    }
    const restore = keepaliveRestore(cfg);
    if (restore)
        await (0,run/* mustRun */.Pv)([tools.wg, ...restore], { root: true });
}
async function bringUp(cfg, tools, resolved, created) {
    const deadline = Date.now() + cfg.timeoutMs;
    // The MTU and routing look-ups read the system only: they run while the interface is made
    // (started first: wireguard-go takes longest).
    const made = createInterface(cfg, tools, created);
    const [, mtu, plan] = await Promise.all([made, chooseMtu(cfg, tools.ip, resolved), planRouting(cfg, tools.ip)]);
    mark('interface created');
    await configurePeers(cfg, tools.wg, resolved, plan.fwmark ?? cfg.fwmark, created);
    created.routes = plan.routes.map(routeText);
    created.rules = plan.rules;
    saveCreated(created);
    if (plan.srcValidMark)
        await enableSrcValidMark(created);
    await (0,run/* mustRun */.Pv)([tools.ip, '-batch', '-'], { root: true, input: upBatch(cfg, mtu, plan) });
    const rules6 = ruleLines(plan.rules, '-6', 'add');
    if (rules6.length > 0)
        await (0,run/* mustRun */.Pv)([tools.ip, '-6', '-batch', '-'], { root: true, input: `${rules6.join('\n')}\n` });
    await applyDns(cfg, created);
    mark('link up');
    const upAt = Date.now();
    const read = viaUapi(created)
        ? async () => parseUapiHandshakes(await uapi(socketPath(cfg.iface), 'get=1\n\n'))
        : wgHandshakes(cfg, tools.wg);
    const missing = await waitForHandshakes(cfg, read, deadline);
    if (missing.length > 0)
        throw new Error(handshakeFailure(cfg, missing, resolved));
    const handshakeMs = Date.now() - upAt;
    mark('handshake');
    const [checks] = await Promise.all([
        Promise.all(cfg.checks.map((c) => runCheck(c, deadline))),
        restoreKeepalive(cfg, tools, created)
    ]);
    mark('checks');
    recordPid(cfg, created);
    const failed = checks.find((c) => !c.ok);
    if (failed)
        throw new Error(checkFailure(cfg, failed));
    return {
        mode: created.userspace ? 'userspace (wireguard-go)' : 'kernel',
        mtu,
        routes: created.routes,
        handshakeMs,
        checks
    };
}
function report(cfg, resolved, o) {
    const peers = cfg.peers.map((p) => p.endpoint
        ? `${endpointText(p.endpoint.host, p.endpoint.port)}${resolved.get(p.endpoint.host) !== p.endpoint.host ? ` (${resolved.get(p.endpoint.host)})` : ''}`
        : p.publicKey);
    const rows = [
        ['Interface', `${cfg.iface} (${o.mode}, MTU ${o.mtu})`],
        ['Addresses', cfg.addresses.map(prefixText).join(', ')],
        ['Peer', peers.join(', ')],
        ['Routes', o.routes.join(', ') || '(the addresses’ own networks)'],
        ['Handshake', duration(o.handshakeMs)],
        ['Public key', cfg.publicKey]
    ];
    for (const c of o.checks)
        rows.push([checkLabel(c.check), `answered in ${duration(c.ms)}`]);
    toolkit/* info */.pq(`WireGuard tunnel ${cfg.iface} is up: handshake with ${peers.join(', ')} in ${duration(o.handshakeMs)}`);
    for (const [k, v] of rows)
        toolkit/* info */.pq(`  ${k}: ${v}`);
    const cell = (t) => t.replace(/[|\\]/g, (c) => `\\${c}`);
    toolkit/* appendSummary */.fe([
        '### WireGuard tunnel is up',
        '',
        '| | |',
        '|---|---|',
        ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
        ''
    ].join('\n'));
}
async function reportFailure(iface, secrets, message) {
    // Diagnostics are loaded only on failure.
    const { collectDiagnostics } = await __nccwpck_require__.e(/* import() */ 829).then(__nccwpck_require__.bind(__nccwpck_require__, 829));
    const text = await collectDiagnostics(iface, secrets).catch((e) => `diagnostics failed: ${errorText(e)}`);
    toolkit/* startGroup */.Oh('WireGuard diagnostics');
    toolkit/* info */.pq(text);
    toolkit/* endGroup */.N4();
    toolkit/* appendSummary */.fe(`### WireGuard tunnel failed\n\n${message}\n\n<details><summary>Diagnostics</summary>\n\n\`\`\`\n${text}\n\`\`\`\n\n</details>\n`);
}
async function runMain() {
    let created;
    let secrets = [];
    try {
        secrets = maskSecrets();
        const cfg = buildConfig(getInput);
        toolkit/* setOutput */.uH('public-key', cfg.publicKey);
        toolkit/* setOutput */.uH('interface', cfg.iface);
        mark('inputs valid');
        const resolved = await resolveEndpoints(cfg);
        // One apt transaction for everything missing, wireguard-go included when it will be needed.
        const tools = await (0,src_tools/* ensureTools */.QC)(userspaceFirst(cfg) ? ['wg', 'ip', 'wireguard-go'] : ['wg', 'ip'], cfg.install);
        if (linkExists(cfg.iface)) {
            throw new Error(`interface ${cfg.iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${cfg.iface}\`, or choose another name with the interface input`);
        }
        created = { iface: cfg.iface, userspace: false, routes: [], rules: [], files: [] };
        saveCreated(created);
        const outcome = await bringUp(cfg, tools, resolved, created);
        report(cfg, resolved, outcome);
        mark('main done');
    }
    catch (err) {
        const message = errorText(err);
        if (created) {
            if (linkExists(created.iface))
                await reportFailure(created.iface, secrets, message);
            const undone = await teardown(created);
            for (const w of undone.warnings)
                toolkit/* warning */.$e(`rollback: ${w}`);
            saveCreated(undefined);
        }
        toolkit/* setFailed */.C1(message);
    }
}

;// CONCATENATED MODULE: ./src/main.ts

// Exit as soon as the step is done: nothing it started needs waiting for (stdout to a pipe or a
// file is written synchronously on Linux), and lingering handles would only delay the job.
void runMain().then(() => process.exit());

