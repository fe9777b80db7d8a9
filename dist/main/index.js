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

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/parse.ts
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
function wgEndpoint(value) {
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

;// CONCATENATED MODULE: ./src/secrets.ts
// What the runner must be told to mask, computed from the inputs before anything is validated or
// logged. The runner masks only exact strings: a secret input as a whole, and (as we tell it) each of
// its lines. A configuration with a typo may print, or lead a tool to print, a key in a shape that
// is neither, so every key-shaped run of `config` is masked too. One pass per line, no regex with
// nested quantifiers: a 60,000-line configuration is read in a few milliseconds.
const SECRET_INPUTS = ['private-key', 'preshared-key', 'config'];
/** Shorter strings are not masked: a mask of a common fragment would blank out half the log. */
const MIN = 8;
/**
 * Words of the wg-quick format, never masked even when a line holds nothing else (masking
 * "Interface" would blank out our own messages about `[Interface]`).
 */
const WORDS = new Set([
    'interface',
    'peer',
    'privatekey',
    'presharedkey',
    'publickey',
    'allowedips',
    'endpoint',
    'persistentkeepalive',
    'listenport',
    'fwmark',
    'address',
    'table',
    'saveconfig',
    'preup',
    'postup',
    'predown',
    'postdown'
]);
/** Names that put what follows them in a secret's position, however the separator is mangled. */
const SECRET_NAMES = ['privatekey', 'presharedkey', 'private', 'preshared', 'psk'];
/**
 * Maximal base64 runs with the "=" after them; hex runs of 64 or more; a run of 42 or more. The
 * lookbehinds start a match only where a run starts, so each scan is linear.
 */
const RUN = /[A-Za-z0-9+/]+=*/g;
const HEX_RUN = /(?<![0-9a-fA-F])[0-9a-fA-F]{64,}/g;
/**
 * Runs of 16 or more: masked when they look random (letters with digits, "+" or "/", or 20 or more
 * of both cases), as pieces of base64 and hex keys do and words do not.
 */
const RUN16 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16}/;
const RUNS16 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16,}=*/g;
/** A line whose key name is a blob (a digit, "+" or "/" in it), e.g. `<part of a key> = 1`. */
const NAME_BLOB = /^[A-Za-z]*[0-9+/][A-Za-z0-9+/]*\s*=/;
const mixed = (s) => /[A-Za-z]/.test(s) && (/[0-9+/]/.test(s) || (s.length >= 20 && /[A-Z]/.test(s) && /[a-z]/.test(s)));
/** A line whose value sits in a private or preshared key's position, however the separator is written. */
const SECRET_NAME = /^(?:private|preshared|psk)/i;
/** A line that is a blob on its own: base64 and spaces, "=" only at the end, e.g. a key without its name. */
const BARE = /^[A-Za-z0-9+/\s]+=*$/;
const isSpace = (c) => c === 32 || (c >= 9 && c <= 13);
/** Whether the (trimmed) line puts its value in a secret's position: a private or preshared key, or a bare blob. */
function isSecretLine(line) {
    return SECRET_NAME.test(line) || BARE.test(line);
}
/** The maximal base64 runs of a line: the run, and the run with the "=" signs after it. */
function* runsOf(line) {
    for (const m of line.matchAll(RUN)) {
        const padded = m[0];
        let end = padded.length;
        while (end > 0 && padded.charCodeAt(end - 1) === 61)
            end--;
        yield { core: padded.slice(0, end), padded };
    }
}
/**
 * The key forms of a 43-character base64 core: alone, with its "=", and (for a key in a secret's
 * position, as the UAPI would write it) the 32 bytes as hex.
 */
function keyForms(core, padded, add, hex) {
    add(core);
    const key = padded.length === 44 ? padded : `${core}=`;
    add(key);
    if (hex)
        add(Buffer.from(key, 'base64').toString('hex'));
}
/** A key-shaped run (42 characters or more, with its "=" signs): it and the keys it may hold. */
function longRun(core, padded, add, hex) {
    add(core);
    add(padded);
    if (core.length === 43)
        keyForms(core, padded, add, hex);
    if (core.length > 43) {
        // A key glued to other text: the 43 characters at either end are one.
        const end = core.slice(-43);
        keyForms(end, `${end}${padded.slice(core.length)}`, add, hex);
        const start = core.slice(0, 43);
        keyForms(start, start, add, hex);
    }
}
/**
 * The secret-shaped strings of one line of a secret input. `all`: the line is a secret's (a key
 * input's, or a line in a key's position): it, its value without spaces and every base64 run in it
 * count. Otherwise only key-shaped runs (42 characters or more) and 64-character hex runs: the
 * runner masks a registered string wherever it appears, so the line around them needs no mask.
 */
function lineSecrets(line, all, add) {
    if (all) {
        add(line);
        // wg(8) drops every space of a line: `PrivateKey = QF3d… xyz=` is one key, and the value joined is it.
        const eq = line.indexOf('=');
        const value = (eq < 0 ? line : line.slice(eq + 1)).trim();
        if (/\s/.test(value)) {
            const joined = value.replace(/\s+/g, '');
            add(joined);
            for (const { core, padded } of runsOf(joined))
                if (core.length >= 42)
                    longRun(core, padded, add, true);
        }
        for (const { core, padded } of runsOf(line)) {
            const lower = core.toLowerCase();
            if (WORDS.has(lower))
                continue;
            add(core);
            add(padded);
            // A key glued to its name (`PrivateKeyQF3d…`): the part after the name.
            const name = SECRET_NAMES.find((n) => lower.startsWith(n));
            if (name !== undefined)
                add(core.slice(name.length));
            if (core.length >= 42)
                longRun(core, padded, add, true);
        }
    }
    else {
        for (const [padded] of line.matchAll(RUNS16)) {
            let end = padded.length;
            while (end > 0 && padded.charCodeAt(end - 1) === 61)
                end--;
            const core = padded.slice(0, end);
            if (core.length >= 42)
                longRun(core, padded, add, false);
            else if (mixed(core)) {
                add(core);
                add(padded);
            }
        }
        // A blob where a key's name goes: part of a key on a line of its own, cut at an "=".
        const blob = NAME_BLOB.exec(line);
        if (blob)
            add(blob[0].slice(0, -1).trim());
    }
    if (line.length < 64)
        return;
    for (const [hex] of line.matchAll(HEX_RUN)) {
        add(hex);
        add(hex.slice(0, 64));
        add(hex.slice(-64));
        add(Buffer.from(hex.slice(0, 64), 'hex').toString('base64'));
    }
}
/** Every string to mask for one secret input's value. */
function inputSecrets(name, value, add) {
    if (value === '')
        return;
    add(value);
    const key = name !== 'config';
    const seen = new Set();
    for (const raw of value.split('\n')) {
        const line = raw.trim();
        if (line === '' || seen.has(line))
            continue;
        seen.add(line);
        // Most lines of a configuration hold nothing key-shaped: two native scans rule them out.
        const secretLine = key || isSecretLine(line);
        if (secretLine || RUN16.test(line) || NAME_BLOB.test(line))
            lineSecrets(line, secretLine, add);
    }
}
/**
 * Every string the runner must be told to mask (`::add-mask::`), before anything else runs: each
 * secret input whole and each of its lines that carries a secret; every base64 run of a key input;
 * in `config`, every key-shaped run anywhere (44 characters with or without "=", 43, glued to other
 * text, 64 hex) and every run of 8 or more in a private or preshared key's position however it is
 * written (`PrivateKey: X`, `privatekey<TAB>X`, a bare line); and the hex form of each key.
 */
function secretsToMask(get) {
    const out = new Set();
    const add = (s) => {
        if (s.length < MIN)
            return;
        const t = isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(s.length - 1)) ? s.trim() : s;
        if (t.length >= MIN && (t.length > 19 || !WORDS.has(t.toLowerCase())))
            out.add(t);
    };
    for (const name of SECRET_INPUTS) {
        const value = get(name);
        if (value === '')
            continue;
        // The whole value as given, whatever its length: the runner masks it as one string.
        out.add(value);
        inputSecrets(name, value, add);
    }
    return [...out];
}
/**
 * The key-shaped runs of a configuration (not its lines or the whole), for deciding whether a word
 * an error would quote might be part of a key.
 */
function keyRunsOf(text) {
    const out = new Set();
    const add = (s) => {
        if (s.length >= MIN)
            out.add(s);
    };
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        const secretLine = isSecretLine(line);
        if (!secretLine && !RUN16.test(line))
            continue;
        for (const { core } of runsOf(line))
            if (secretLine || core.length >= 42 || (core.length >= 16 && mixed(core)))
                add(core);
        for (const [hex] of line.matchAll(HEX_RUN))
            add(hex);
    }
    return [...out];
}

;// CONCATENATED MODULE: ./src/wgquick.ts
// The `config` input: a whole wg-quick configuration, read as wg-quick and `wg setconf` read it.
// wg-quick (src/wg-quick/linux.bash, parse_options) takes its own keys of [Interface] (Address, MTU,
// DNS, Table, Pre/PostUp/Down, SaveConfig): the key is the text before the first "=", trimmed, any
// case; the value is trimmed; Address and DNS split at commas and spaces. Every other line goes to
// wg(8) (src/config.c), which drops every space of the line and matches the key in any case.
// The whole input is a secret: an error names the line and at most a key name, never any part of a
// value, and an unknown key's name only when it cannot be part of a key. One pass, linear time.



const INPUT = 'config';
/** Keys wg-quick runs as shell commands, or that write the file back: refused, with what to do instead. */
const REFUSED = ['PreUp', 'PostUp', 'PreDown', 'PostDown', 'SaveConfig'];
/** wg-quick's own keys of [Interface]. */
const QUICK_KEYS = ['Address', 'MTU', 'DNS', 'Table', ...REFUSED];
const WG_INTERFACE_KEYS = ['PrivateKey', 'ListenPort', 'FwMark'];
const INTERFACE_KEYS = [...WG_INTERFACE_KEYS, ...QUICK_KEYS];
const PEER_KEYS = ['PublicKey', 'PresharedKey', 'Endpoint', 'AllowedIPs', 'PersistentKeepalive'];
/** Every known key by its lower-case name, longest first (so `PresharedKey` wins over a shorter prefix). */
const KNOWN = new Map([...INTERFACE_KEYS, ...PEER_KEYS].sort((a, b) => b.length - a.length).map((k) => [k.toLowerCase(), k]));
const IS_REFUSED = new Set(REFUSED);
const IS_QUICK = new Set(QUICK_KEYS);
const IN_INTERFACE = new Set(INTERFACE_KEYS);
function fail(line, problem) {
    throw new InputError(INPUT, problem, line);
}
/** The text without any white space, as wg(8) reads a line. */
function squeeze(text) {
    const t = text.trim();
    return /\s/.test(t) ? t.replace(/\s+/g, '') : t;
}
/** The letters a line's key starts with (`Private Key:` → `privatekey`), lower case. */
function leadingLetters(text) {
    let out = '';
    for (let i = 0; i < text.length && out.length <= 24; i++) {
        const c = text.charCodeAt(i);
        if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122))
            out += String.fromCharCode(c | 32);
        else if (!(c === 32 || c === 9 || c === 95 || c === 45))
            break;
    }
    return out;
}
/** The known key a malformed line starts with (`PrivateKey: …`, `PrivateKey …`), if any. */
function knownPrefix(text) {
    const letters = leadingLetters(text);
    for (const [lower, key] of KNOWN)
        if (letters.startsWith(lower))
            return key;
    return undefined;
}
/**
 * An unknown key's name, when quoting it cannot reveal part of a key: a word or CamelCase words
 * (each capital followed by small letters, as `Colour` or `PersistentKeepAlive`; random base64
 * letters almost never are), at most 24 letters, and no part of a key-shaped run of the configuration.
 */
function quotedName(name, text) {
    if (name.length > 24 || !/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(name))
        return undefined;
    if (keyRunsOf(text).some((run) => run.includes(name)))
        return undefined;
    return name;
}
/** wg(8)'s strtoul-based numbers: decimal, or hexadecimal after a lower-case "0x" where allowed. */
function wgNumber(value, hex) {
    if (hex && value.length > 2 && value.startsWith('0x'))
        return /^0x[0-9a-fA-F]+$/.test(value) ? parseInt(value, 16) : NaN;
    return /^[0-9]+$/.test(value) ? Number(value) : NaN;
}
function integer(line, key, value, min, max, hex = false) {
    const n = wgNumber(value, hex);
    if (!(n >= min && n <= max))
        fail(line, `${key} must be a number from ${min} to ${max}${hex ? ' (or 0x…)' : ''}`);
    return n;
}
function key(line, name, value) {
    if (!KEY.test(value))
        fail(line, `${name} must be a WireGuard key: 44 characters of base64 ending in "=" (as printed by wg genkey / wg pubkey); the value is not shown`);
    return value;
}
/** Address = and DNS = items, as wg-quick splits them: at commas and white space. */
function quickItems(value) {
    return value.split(/[\s,]+/).filter((s) => s !== '');
}
function prefixes(line, name, items) {
    return items.map((item) => {
        const p = ip_parsePrefix(item);
        if (typeof p === 'string')
            fail(line, `${name} has an entry that is not an address or CIDR`);
        return p;
    });
}
/** Parses a wg-quick configuration into the tunnel; throws an InputError naming the line. */
function parseWgQuick(text) {
    let section = 'none';
    let privateKey;
    const t = {
        addresses: [],
        dns: [],
        dnsSearch: [],
        table: 'auto',
        peers: []
    };
    let peer;
    const peers = [];
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
        const n = index + 1;
        const raw = lines[index];
        const hash = raw.indexOf('#');
        const body = hash < 0 ? raw : raw.slice(0, hash);
        const trimmed = body.trim();
        if (trimmed === '')
            continue;
        if (trimmed.startsWith('[')) {
            const name = squeeze(trimmed).toLowerCase();
            if (name === '[interface]')
                section = 'interface';
            else if (name === '[peer]') {
                section = 'peer';
                peer = {
                    publicKey: undefined,
                    presharedKey: undefined,
                    endpoint: undefined,
                    allowedIps: [],
                    keepalive: 0,
                    line: n
                };
                peers.push(peer);
            }
            else
                fail(n, 'is not a section header wg-quick knows: write [Interface] or [Peer] on a line of its own');
            continue;
        }
        const eq = body.indexOf('=');
        const keyText = eq < 0 ? trimmed : body.slice(0, eq).trim();
        const lower = keyText.toLowerCase();
        const known = eq < 0 ? undefined : (KNOWN.get(lower) ?? KNOWN.get(squeeze(lower)));
        if (known === undefined) {
            const prefix = knownPrefix(keyText);
            if (prefix !== undefined)
                fail(n, `malformed ${prefix} line: write ${prefix} = value, with "=" (the line is not shown: it may hold a secret)`);
            if (eq < 0)
                fail(n, 'is neither a section header nor Key = Value (the line is not shown: it may hold a secret)');
            const name = quotedName(keyText, text);
            fail(n, `unknown key ${name ?? '(its name is not shown: it may be part of a key)'}${section === 'none' ? '' : ` in [${section === 'peer' ? 'Peer' : 'Interface'}]`}`);
        }
        if (IS_REFUSED.has(known))
            fail(n, `${known} is not supported: this action runs no commands from the configuration; do that in a run: step before or after this one`);
        if (section === 'none')
            fail(n, `${known} comes before any [Interface] or [Peer] section`);
        const inInterface = IN_INTERFACE.has(known);
        if (section === 'interface' && !inInterface)
            fail(n, `${known} belongs in a [Peer] section, not in [Interface]`);
        if (section === 'peer' && inInterface)
            fail(n, `${known} belongs in the [Interface] section, not in a [Peer]`);
        // wg-quick's keys: matched on the trimmed key, value trimmed. wg's: every space dropped.
        const quick = IS_QUICK.has(known);
        if (quick && KNOWN.get(lower) !== known)
            fail(n, `malformed ${known} line: its name has spaces inside`);
        const value = quick ? body.slice(eq + 1).trim() : squeeze(body.slice(eq + 1));
        if (!quick && value === '')
            fail(n, `${known} has no value`);
        switch (known) {
            case 'PrivateKey':
                privateKey = key(n, known, value);
                break;
            case 'ListenPort':
                t.listenPort = integer(n, known, value, 0, 65535);
                break;
            case 'FwMark':
                t.fwmark =
                    value.toLowerCase() === 'off' ? undefined : integer(n, known, value, 0, 0xffffffff, true) || undefined;
                break;
            case 'Address':
                t.addresses.push(...prefixes(n, known, quickItems(value)));
                break;
            case 'MTU':
                // Empty is wg-quick's automatic MTU.
                t.mtu = value === '' ? undefined : integer(n, known, value, 576, 65535);
                break;
            case 'DNS':
                for (const item of quickItems(value)) {
                    const ip = ipText(item);
                    if (ip !== undefined)
                        t.dns.push(ip);
                    else if (isHostName(item))
                        t.dnsSearch.push(item);
                    else
                        fail(n, 'DNS has an entry that is neither an IP address (a server) nor a domain name (a search domain)');
                }
                break;
            case 'Table': {
                const table = value === '' ? 'auto' : parseTable(value);
                if (table === undefined)
                    fail(n, 'Table must be auto, off, main or a table number');
                t.table = table;
                break;
            }
            default: {
                const p = peer;
                switch (known) {
                    case 'PublicKey':
                        p.publicKey = key(n, known, value);
                        break;
                    case 'PresharedKey':
                        p.presharedKey = key(n, known, value);
                        break;
                    case 'Endpoint': {
                        const ep = wgEndpoint(value);
                        if (typeof ep === 'string')
                            fail(n, `Endpoint ${ep} (HOST:PORT; an IPv6 address may go in brackets)`);
                        p.endpoint = { host: ep.host, port: ep.port, source: { input: INPUT, line: n } };
                        break;
                    }
                    case 'AllowedIPs':
                        p.allowedIps.push(...prefixes(n, known, value.split(',').filter((s) => s !== '')).map(network));
                        break;
                    case 'PersistentKeepalive':
                        p.keepalive = value.toLowerCase() === 'off' ? 0 : integer(n, known, value, 0, 65535);
                        break;
                }
            }
        }
    }
    if (privateKey === undefined)
        throw new InputError(INPUT, '[Interface] has no PrivateKey');
    if (t.addresses.length === 0)
        throw new InputError(INPUT, '[Interface] has no Address');
    if (peers.length === 0)
        throw new InputError(INPUT, 'has no [Peer] section');
    const seen = new Set();
    for (const p of peers) {
        if (!p.publicKey)
            fail(p.line, '[Peer] has no PublicKey');
        if (seen.has(p.publicKey))
            fail(p.line, 'a second [Peer] with the same PublicKey');
        seen.add(p.publicKey);
        t.peers.push({
            publicKey: p.publicKey,
            presharedKey: p.presharedKey,
            endpoint: p.endpoint,
            allowedIps: p.allowedIps,
            keepalive: p.keepalive
        });
    }
    return { privateKey, publicKey: publicKeyOf(privateKey), ...t };
}

;// CONCATENATED MODULE: ./src/config.ts
// The typed configuration, built and validated from the action's inputs in one place. Pure: it
// reads inputs through the function it is given and touches nothing else. The step's settings
// (interface, checks, timeout, install, userspace) plus where the tunnel comes from: a static
// description (the per-field inputs or `config`) or a gateway that leases one at run time.






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
/** The inputs a gateway's lease replaces: an error with `gateway`. */
const GATEWAY_EXCLUDES = [
    'private-key',
    'address',
    'peer-public-key',
    'endpoint',
    'allowed-ips',
    'preshared-key',
    'config'
];
/** Names `ip` or wireguard-go would read as something else, or Linux refuses (EINVAL). */
const RESERVED_NAMES = new Set(['.', '..', 'all', 'default', 'help']);
function parseInterface(input, value) {
    const v = value.trim();
    if (v.startsWith('-'))
        throw new InputError(input, `${shown(v)} starts with "-": wireguard-go and ip would read it as an option; choose a name that starts with a letter or digit`);
    if (RESERVED_NAMES.has(v.toLowerCase()))
        throw new InputError(input, `${shown(v)} is a name Linux or ip reserves; choose another, e.g. wg0`);
    if (!names_IFACE.test(v)) {
        throw new InputError(input, `${shown(v)} must be 1 to 15 characters of letters, digits and _=+.- (a Linux interface name)`);
    }
    return v;
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
        const ip = ipText(text);
        if (ip !== undefined)
            return { kind: 'icmp', host: ip, text };
        const hp = splitHostPort(input, text);
        if (hp)
            return { kind: 'tcp', ...hp, text };
        if (isHostName(text))
            return { kind: 'icmp', host: text, text };
        throw new InputError(input, `${shown(text)} must be HOST (ping), HOST:PORT (TCP connect) or an http(s):// URL`);
    });
}
function parseTimeout(input, value) {
    const v = value.trim();
    if (!/^[0-9]+(\.[0-9]+)?$/.test(v) || Number(v) <= 0 || Number(v) > 3600) {
        throw new InputError(input, `must be a number of seconds greater than 0 and at most 3600; got ${shown(v)}`);
    }
    return Math.round(Number(v) * 1000);
}
/** Hosts that `http://` is allowed for: the machine itself (127.0.0.0/8, ::1, localhost). */
function isLoopback(hostname) {
    const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (h === 'localhost' || h.endsWith('.localhost'))
        return true;
    if (h === '::1')
        return true;
    return /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(h) && ipText(h) !== undefined;
}
/** The `gateway` input: an https:// URL (http:// only for a loopback address), no credentials in it. */
function parseGateway(input, value) {
    const v = value.trim();
    if (v.length > 2048)
        throw new InputError(input, "is longer than 2048 characters; give the gateway's base URL");
    let url;
    try {
        url = new URL(v);
    }
    catch {
        throw new InputError(input, `${shown(v)} is not a URL; give the gateway's address, e.g. https://vpn.example.com:8443`);
    }
    if (url.username !== '' || url.password !== '')
        throw new InputError(input, 'has a user name or password in the URL (not shown); the gateway needs none: the job proves itself with its OIDC token');
    if (looksSecret(v))
        throw new InputError(input, `${shown(v)}: a gateway URL holds no key or token`);
    if (url.protocol === 'http:' && !isLoopback(url.hostname))
        throw new InputError(input, `${shown(v)} must use https:// (http:// only for a loopback address such as 127.0.0.1): the lease carries the tunnel's addresses and the OIDC token`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new InputError(input, `${shown(v)} must be an https:// URL`);
    if (url.search !== '' || url.hash !== '')
        throw new InputError(input, `${shown(v)} must have no query or fragment; give the gateway's base URL`);
    return url;
}
/** The `audience` input: one token of printable text, as the OIDC `aud` claim. */
function parseAudience(input, value) {
    const v = value.trim();
    if (v.length > 256 || !/^[\x21-\x7e]+$/.test(v))
        throw new InputError(input, `${shown(v)} must be 1 to 256 printable characters without spaces`);
    return v;
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
const optional = (get, name, parse) => {
    const v = get(name);
    return v.trim() === '' ? undefined : parse(v);
};
const keepaliveOf = (get) => optional(get, 'persistent-keepalive', (v) => parseInteger('persistent-keepalive', v, 0, 65535));
const mtuOf = (get) => optional(get, 'mtu', (v) => parseInteger('mtu', v, 576, 65535));
/** The tunnel from the per-field inputs. */
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
    const presharedKey = optional(get, 'preshared-key', (v) => parseKey('preshared-key', v, true));
    return {
        privateKey,
        publicKey: publicKeyOf(privateKey),
        addresses,
        table: 'auto',
        ...splitDns('dns', get('dns')),
        peers: [{ publicKey: peerPublicKey, presharedKey, endpoint, allowedIps, keepalive: keepaliveOf(get) ?? 25 }],
        mtu: mtuOf(get)
    };
}
/** Where the tunnel comes from: `gateway`, `config` or the per-field inputs, each alone. */
function tunnelSource(get) {
    const given = (names) => names.filter((n) => get(n).trim() !== '');
    if (get('gateway').trim() !== '') {
        const clash = given(GATEWAY_EXCLUDES);
        if (clash.length > 0)
            throw new InputError('gateway', `cannot be combined with ${clash.join(', ')}: the gateway leases the key, address and peer; remove those inputs, or remove gateway`);
        const url = parseGateway('gateway', get('gateway'));
        const audienceText = get('audience');
        return {
            kind: 'gateway',
            url,
            audience: audienceText.trim() === '' ? url.origin : parseAudience('audience', audienceText),
            mtu: mtuOf(get),
            keepalive: keepaliveOf(get),
            ...splitDns('dns', get('dns'))
        };
    }
    if (get('audience').trim() !== '')
        throw new InputError('audience', 'applies only with gateway: set gateway, or remove audience');
    if (get('config').trim() !== '') {
        const clash = given(FIELD_INPUTS);
        if (clash.length > 0) {
            throw new InputError('config', `cannot be combined with ${clash.join(', ')}: give either a whole configuration in config, or the per-field inputs`);
        }
        return { kind: 'static', tunnel: parseWgQuick(get('config')) };
    }
    return { kind: 'static', tunnel: fromFields(get) };
}
/** Refuses a tunnel whose peer is the runner itself (both keys pasted from the same pair). */
function checkTunnel(tunnel, input) {
    if (tunnel.peers.some((p) => p.publicKey === tunnel.publicKey)) {
        throw new InputError(input, "a peer's public key is this runner's own (derived from the private key); it must be the server's");
    }
}
/** Builds the whole configuration from the action's inputs, or throws an InputError. */
function readConfig(get) {
    const iface = parseInterface('interface', get('interface') || 'wg0');
    const source = tunnelSource(get);
    if (source.kind === 'static')
        checkTunnel(source.tunnel, get('config').trim() !== '' ? 'config' : 'peer-public-key');
    const checks = parseChecks('check', get('check'));
    const timeoutText = get('timeout');
    const timeoutMs = timeoutText.trim() === '' ? 30_000 : parseTimeout('timeout', timeoutText);
    const install = parseChoice('install', get('install') || 'true', ['true', 'false']) === 'true';
    const userspace = parseChoice('userspace', get('userspace') || 'auto', ['auto', 'true', 'false']);
    return { iface, checks, timeoutMs, install, userspace, source };
}
/** The settings and a tunnel side by side, as the runtime reads them (cfg.iface, cfg.peers, …). */
function flatConfig(cfg, tunnel) {
    const { iface, checks, timeoutMs, install, userspace } = cfg;
    return { iface, checks, timeoutMs, install, userspace, ...tunnel };
}
/**
 * Transitional: readConfig, flattened, for the runtime that has no gateway mode yet. A gateway
 * configuration is refused here with one clear line.
 */
function buildFlatConfig(get) {
    const cfg = readConfig(get);
    if (cfg.source.kind !== 'static')
        throw new InputError('gateway', 'is not supported by this version of the action yet; use the per-field inputs or config');
    return flatConfig(cfg, cfg.source.tunnel);
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
    const secrets = secretsToMask(getInput);
    for (const s of secrets)
        toolkit/* setSecret */.Pq(s);
    return secrets;
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
        const cfg = buildFlatConfig(getInput);
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

