import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 46:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Yb: () => (/* binding */ dnsDown),
/* harmony export */   ub: () => (/* binding */ applyDns)
/* harmony export */ });
/* unused harmony exports resolvconfName, dnsUp */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(994);
/* harmony import */ var _probe_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(195);
/* harmony import */ var _echo_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(32);
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(96);
// DNS for the tunnel, as wg-quick's DNS = does it: through systemd-resolved where it runs (hosted
// Ubuntu runners), else through resolvconf; reverted in post.





/** Which DNS manager this system has, if any. */
function dnsManager() {
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)('/run/systemd/resolve') && (0,_probe_js__WEBPACK_IMPORTED_MODULE_2__/* .locate */ .x5)('resolvectl'))
        return 'resolvectl';
    if ((0,_probe_js__WEBPACK_IMPORTED_MODULE_2__/* .locate */ .x5)('resolvconf'))
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
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)('/etc/resolvconf/interface-order', 'utf8');
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
        _toolkit_js__WEBPACK_IMPORTED_MODULE_4__/* .warning */ .$e(`DNS servers ${cfg.dns.join(', ')} were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf`);
        return;
    }
    const name = manager === 'resolvconf' ? resolvconfName(cfg.iface, readInterfaceOrder()) : cfg.iface;
    journal.add({ kind: 'dns', manager, name, iface: cfg.iface });
    for (const c of dnsUp(cfg, manager, name)) {
        (0,_echo_js__WEBPACK_IMPORTED_MODULE_3__/* .echo */ .WI)(c.argv);
        await (0,_run_js__WEBPACK_IMPORTED_MODULE_1__/* .mustRun */ .Pv)(c.argv, { root: true, input: c.input, ...limits });
    }
}


/***/ }),

/***/ 32:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bo: () => (/* binding */ commandGroup),
/* harmony export */   KO: () => (/* binding */ echoBatch),
/* harmony export */   WI: () => (/* binding */ echo),
/* harmony export */   k6: () => (/* binding */ endCommandGroup)
/* harmony export */ });
/* unused harmony exports echoLine, shownCommand, batchCommands */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(96);
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
        _toolkit_js__WEBPACK_IMPORTED_MODULE_1__/* .endGroup */ .N4();
    log.open = false;
    log.title = undefined;
}
/** Echoes one command line as wg-quick does. */
function echoLine(line) {
    if (!log.open && log.title !== undefined) {
        _toolkit_js__WEBPACK_IMPORTED_MODULE_1__/* .startGroup */ .Oh(log.title);
        log.open = true;
    }
    _toolkit_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`[#] ${line}`);
}
/** A command as the user would type it: the program by its name, not its path. Pure. */
const shownCommand = (argv) => [(0,node_path__WEBPACK_IMPORTED_MODULE_0__.basename)(argv[0] ?? ''), ...argv.slice(1)].join(' ');
/** Echoes a command that is about to change the system. */
const echo = (argv) => echoLine(shownCommand(argv));
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


/***/ }),

/***/ 674:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ ensureTools)
/* harmony export */ });
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(96);
/* harmony import */ var _echo_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(32);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(994);
/* harmony import */ var _probe_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(195);
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
    _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Installing ${packages.join(', ')} with apt-get`);
    (0,_echo_js__WEBPACK_IMPORTED_MODULE_1__/* .echo */ .WI)(install);
    const first = await (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .eF)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
    if (first.code === 0)
        return;
    _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('apt-get install failed; refreshing the package lists and trying once more');
    const update = aptCommand(['update']);
    (0,_echo_js__WEBPACK_IMPORTED_MODULE_1__/* .echo */ .WI)(update);
    await (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .eF)(update, { root: true, env: APT_ENV, ...APT_LIMIT });
    (0,_echo_js__WEBPACK_IMPORTED_MODULE_1__/* .echo */ .WI)(install);
    await (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .mustRun */ .Pv)(install, { root: true, env: APT_ENV, ...APT_LIMIT });
}
/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
async function ensureTools(tools, install) {
    const paths = {};
    const missing = [];
    for (const t of tools) {
        const path = (0,_probe_js__WEBPACK_IMPORTED_MODULE_3__/* .locate */ .x5)(t);
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
        throw new Error(`${names} not found (looked in ${(0,_probe_js__WEBPACK_IMPORTED_MODULE_3__/* .searchPath */ .oe)().join(':')}); install ${packages.join(' and ')} first or set install: true`);
    if ((0,_probe_js__WEBPACK_IMPORTED_MODULE_3__/* .locate */ .x5)('apt-get') === undefined)
        throw new Error(`${names} not found and apt-get is not available to install it: install ${packages.join(' and ')} in an earlier step`);
    await aptInstall(packages);
    for (const t of missing) {
        const path = (0,_probe_js__WEBPACK_IMPORTED_MODULE_3__/* .locate */ .x5)(t);
        if (path === undefined)
            throw new Error(`\`${t}\` still not found after installing ${PACKAGE[t]} (looked in ${(0,_probe_js__WEBPACK_IMPORTED_MODULE_3__/* .searchPath */ .oe)().join(':')})`);
        paths[t] = path;
    }
    return paths;
}


/***/ }),

/***/ 473:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ls: () => (/* binding */ refuseTakenName),
/* harmony export */   eE: () => (/* binding */ createInterface),
/* harmony export */   g: () => (/* binding */ userspaceFirst),
/* harmony export */   sY: () => (/* binding */ startedDaemon)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(96);
/* harmony import */ var _report_messages_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(649);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(994);
/* harmony import */ var _probe_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(195);
/* harmony import */ var _echo_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(32);
/* harmony import */ var _install_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(674);
// Making the interface: the kernel's WireGuard where it has one, else wireguard-go. Each is written
// in the journal before it is made and gets its identity (ifindex; pid and start time) the moment
// it exists, so that rollback and post remove this interface and this process, never another
// job's of the same name.







/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
const userspaceFirst = (userspace) => userspace === 'true' || (userspace === 'auto' && !(0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .kernelHasWireguard */ .Sv)());
/**
 * Refuses a name that is taken, before anything is touched: an interface of that name here, or a
 * live wireguard-go socket of that name (the socket folder is shared by every namespace, and `wg`
 * would talk to that socket's daemon instead of our interface). A socket nobody listens on is what
 * a killed wireguard-go leaves: wireguard-go and `wg` replace it. One this step may not open (not
 * root) cannot be told from a live one, and is refused too.
 */
async function refuseTakenName(iface) {
    if ((0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .linkExists */ .JO)(iface))
        throw new Error((0,_report_messages_js__WEBPACK_IMPORTED_MODULE_2__/* .interfaceTaken */ .Pk)(iface));
    const path = (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .socketPath */ .Xy)(iface);
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path))
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
        throw new Error((0,_report_messages_js__WEBPACK_IMPORTED_MODULE_2__/* .socketTaken */ .Vx)(iface));
}
/** Makes the interface; resolves with whether wireguard-go serves it. */
async function createInterface(req, journal) {
    if (!userspaceFirst(req.userspace)) {
        if (await createKernelInterface(req, journal))
            return { userspace: false };
        _toolkit_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq('The kernel has no WireGuard module; using wireguard-go');
    }
    await startWireguardGo(req, journal);
    return { userspace: true };
}
/** `ip link add … type wireguard`; false when the kernel has no WireGuard and userspace may serve. */
async function createKernelInterface(req, journal) {
    const { iface } = req;
    const rec = journal.add({ kind: 'interface', name: iface, netns: (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .netns */ .p3)() });
    const argv = [req.tools.ip, 'link', 'add', 'dev', iface, 'type', 'wireguard'];
    (0,_echo_js__WEBPACK_IMPORTED_MODULE_5__/* .echo */ .WI)(argv);
    const r = await (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)(argv, { root: true, ...req.limits });
    if (r.code === 0) {
        journal.update(rec, { ifindex: (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .ifindex */ .Cl)(iface) });
        return true;
    }
    const full = (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .commandLine */ .ay)(argv, { root: true }, (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .isRoot */ .jX)());
    if (r.timedOut) {
        // Stopped at the deadline: its request may have reached the kernel all the same. The name was
        // free when this step began (refuseTakenName), so a link of that name now is the one it asked
        // for: recorded by its ifindex, rollback deletes it; none, and the record goes.
        const made = (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .ifindex */ .Cl)(iface);
        if (made === undefined)
            journal.remove(rec);
        else
            journal.update(rec, { ifindex: made });
        throw new _run_js__WEBPACK_IMPORTED_MODULE_3__/* .CommandError */ .Qd(full, r);
    }
    // Nothing was made: the record goes.
    journal.remove(rec);
    if ((0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .sudoRefused */ .Ub)(full, r.stderr))
        throw new _run_js__WEBPACK_IMPORTED_MODULE_3__/* .CommandError */ .Qd(full, r);
    const noKernel = /Unknown device type|not supported/i.test(r.stderr);
    if (noKernel && req.userspace !== 'false')
        return false;
    const why = noKernel
        ? 'this kernel has no WireGuard module and userspace is false (set userspace: auto to use wireguard-go)'
        : (0,_report_messages_js__WEBPACK_IMPORTED_MODULE_2__/* .explainCreateFailure */ .M8)(iface, r.stderr);
    throw new Error(`could not create interface ${iface}: ${why}`);
}
/**
 * Starts wireguard-go, which forks a daemon that outlives this step and returns once the interface
 * exists. Its environment is the minimal one (src/common/process.ts): with LOG_LEVEL set, the daemon would keep
 * this step's pipes open.
 */
async function startWireguardGo(req, journal) {
    const { iface } = req;
    const wgGo = req.tools['wireguard-go'] ?? (await (0,_install_js__WEBPACK_IMPORTED_MODULE_6__/* .ensureTools */ .Q)(['wireguard-go'], req.install))['wireguard-go'];
    const link = journal.add({ kind: 'interface', name: iface, netns: (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .netns */ .p3)() });
    const proc = journal.add({ kind: 'wireguard-go', name: iface, since: (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .ticksNow */ .HU)() });
    let r;
    (0,_echo_js__WEBPACK_IMPORTED_MODULE_5__/* .echo */ .WI)([wgGo, iface]);
    try {
        r = await (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .mustRun */ .Pv)([wgGo, iface], { root: true, ...req.limits }, (said) => {
            return new Error(`could not start wireguard-go for ${iface}: ${(0,_report_messages_js__WEBPACK_IMPORTED_MODULE_2__/* .explainCreateFailure */ .M8)(iface, said)}`);
        });
    }
    catch (err) {
        // It exited without a daemon: its interface closed with it, and nothing is ours to undo.
        if (!(err instanceof _run_js__WEBPACK_IMPORTED_MODULE_3__/* .CommandError */ .Qd && err.result.timedOut)) {
            journal.remove(proc);
            journal.remove(link);
        }
        throw err;
    }
    journal.update(link, { ifindex: (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .ifindex */ .Cl)(iface) });
    const daemon = await startedDaemon(iface, proc.since, req.limits, r.pid);
    journal.update(proc, { ...daemon, socket: (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .fileId */ .qp)((0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .socketPath */ .Xy)(iface)) });
}
/**
 * The daemon a start of wireguard-go forked, proven to be in this network namespace: read directly
 * when root, else through `sudo readlink` (a root process's namespace is not the user's to read).
 * Undefined when none can be proven ours: then nothing is ever signalled on a guess.
 */
async function startedDaemon(iface, since, limits, near) {
    const ours = (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .netns */ .p3)();
    for (const c of (0,_probe_js__WEBPACK_IMPORTED_MODULE_4__/* .wireguardGoCandidates */ .dQ)(iface, since, near)) {
        const theirs = c.netns ?? (await (0,_run_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)(['readlink', `/proc/${c.pid}/ns/net`], { root: true, ...limits })).stdout.trim();
        if (ours !== undefined && theirs === ours)
            return { pid: c.pid, start: c.start };
    }
    return undefined;
}


/***/ }),

/***/ 466:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CK: () => (/* binding */ endpointAddress),
/* harmony export */   DE: () => (/* binding */ policyRouteCount),
/* harmony export */   EP: () => (/* binding */ IPV6_MIN_MTU),
/* harmony export */   Fp: () => (/* binding */ placeRules),
/* harmony export */   GD: () => (/* binding */ tablesInUse),
/* harmony export */   HO: () => (/* binding */ endpointText),
/* harmony export */   Km: () => (/* binding */ bringUpKeepalive),
/* harmony export */   Kq: () => (/* binding */ pickTable),
/* harmony export */   MP: () => (/* binding */ firstIpv6),
/* harmony export */   RI: () => (/* binding */ routeText),
/* harmony export */   Uo: () => (/* binding */ isFullTunnel),
/* harmony export */   _h: () => (/* binding */ routeBatch),
/* harmony export */   c0: () => (/* binding */ autoMtu),
/* harmony export */   iF: () => (/* binding */ routingPlan),
/* harmony export */   j3: () => (/* binding */ routeBatchLines),
/* harmony export */   kt: () => (/* binding */ probedPeers),
/* harmony export */   lW: () => (/* binding */ ruleLine),
/* harmony export */   vK: () => (/* binding */ linkBatch),
/* harmony export */   vQ: () => (/* binding */ rulePriorities)
/* harmony export */ });
/* harmony import */ var _common_ip_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(796);

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
    return addresses.some((a) => a.bits < (0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .maxBits */ .fx)(a.family) && (0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .contains */ .gR)((0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .network */ .Nm)(a), prefix));
}
const routeText = (r) => `${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .prefixText */ .Oj)(r.prefix)}${r.table === undefined ? '' : ` table ${r.table}`}`;
/** The allowed IPs of all peers, each once, most specific first (wg-quick: `sort -nr -k 2 -t /`). */
function allowedIps(t) {
    const seen = new Set();
    const all = [];
    for (const p of t.peers.flatMap((peer) => peer.allowedIps)) {
        const key = (0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .prefixText */ .Oj)(p);
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
/**
 * The least MTU IPv6 allows on a link (RFC 8200, section 5): Linux turns IPv6 off on a link whose
 * MTU goes below it (addrconf_notify, NETDEV_CHANGEMTU), dropping its IPv6 addresses and routes.
 */
const IPV6_MIN_MTU = 1280;
/** The tunnel's first IPv6 address, else its first IPv6 allowed IP: what an MTU under 1280 would cut off. */
function firstIpv6(t) {
    const address = t.addresses.find((a) => a.family === 6);
    if (address)
        return { prefix: address, what: 'address' };
    const allowed = t.peers.flatMap((p) => p.allowedIps).find((a) => a.family === 6);
    return allowed && { prefix: allowed, what: 'allowed IP' };
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
    const lines = addresses.map((a) => `address add ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .prefixText */ .Oj)(a)} dev ${iface}`);
    lines.push(`link set mtu ${mtu} up dev ${iface}`);
    return `${lines.join('\n')}\n`;
}
/**
 * The lines of routeBatch in order: the policy table's routes first (adding them claims the table,
 * see routing.ts), the other routes, then the IPv4 rules; IPv6 rules go in an `ip -6 -batch` of
 * their own. A failed batch names its line: this says what that line was.
 */
function routeBatchLines(plan, rules) {
    const policy = (r) => plan.fwmark !== undefined && r.table === plan.fwmark;
    const ordered = [...plan.routes.filter(policy), ...plan.routes.filter((r) => !policy(r))];
    return [...ordered.map((route) => ({ route })), ...rules.filter((r) => r.family === 4).map((rule) => ({ rule }))];
}
/** The `ip -batch` script of routeBatchLines. */
function routeBatch(iface, plan, rules) {
    const lines = routeBatchLines(plan, rules).map((l) => 'route' in l
        ? `route add ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .prefixText */ .Oj)(l.route.prefix)} dev ${iface}${l.route.table === undefined ? '' : ` table ${l.route.table}`}`
        : ruleLine(l.rule, 'add'));
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
/** The policy table's routes, as many lines as open routeBatch: a failure among them is a table taken meanwhile. */
const policyRouteCount = (plan) => plan.fwmark === undefined ? 0 : plan.routes.filter((r) => r.table === plan.fwmark).length;


/***/ }),

/***/ 195:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CG: () => (/* binding */ fileText),
/* harmony export */   Cl: () => (/* binding */ ifindex),
/* harmony export */   HU: () => (/* binding */ ticksNow),
/* harmony export */   ID: () => (/* binding */ sameProcess),
/* harmony export */   JO: () => (/* binding */ linkExists),
/* harmony export */   OS: () => (/* binding */ ipv6Disabled),
/* harmony export */   RQ: () => (/* binding */ deviceMtu),
/* harmony export */   SM: () => (/* binding */ srcValidMark),
/* harmony export */   Sv: () => (/* binding */ kernelHasWireguard),
/* harmony export */   Xy: () => (/* binding */ socketPath),
/* harmony export */   a0: () => (/* binding */ waitUntil),
/* harmony export */   au: () => (/* binding */ SOCKET_DIR),
/* harmony export */   dQ: () => (/* binding */ wireguardGoCandidates),
/* harmony export */   oe: () => (/* binding */ searchPath),
/* harmony export */   p3: () => (/* binding */ netns),
/* harmony export */   qp: () => (/* binding */ fileId),
/* harmony export */   rn: () => (/* binding */ hasNetAdmin),
/* harmony export */   s0: () => (/* binding */ pathExists),
/* harmony export */   x5: () => (/* binding */ locate),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony export START_WINDOW_TICKS */
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
/**
 * net.ipv4.conf.all.src_valid_mark as the kernel has it now (`0` or `1`), which an IPv4 full tunnel
 * sets and post puts back. Throws where /proc does not have it.
 */
const srcValidMark = () => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)('/proc/sys/net/ipv4/conf/all/src_valid_mark', 'utf8').trim();
/**
 * Why the interface has no IPv6 where /proc says: the kernel has none at all (booted with
 * ipv6.disable=1: no /proc/sys/net/ipv6), or it is turned off on the link by sysctl. Undefined
 * when /proc does not say.
 */
function ipv6Disabled(iface) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)('/proc/sys/net/ipv6'))
        return { cause: 'kernel' };
    if (readText(`/proc/sys/net/ipv6/conf/${iface}/disable_ipv6`).trim() === '1')
        return { cause: 'sysctl', key: `net.ipv6.conf.${iface}.disable_ipv6` };
    return undefined;
}
/** A file's text, or undefined where there is none (a state file this action keeps, host/shared.ts). */
function fileText(path) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** Whether the path exists (a folder this action keeps its state in). */
const pathExists = (path) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path);
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
    const ours = netns();
    const fits = (pid) => {
        if (!isWireguardGo(pid, iface))
            return undefined;
        const start = startTime(pid);
        if (start === undefined || Number(start) < sinceTicks || Number(start) > sinceTicks + START_WINDOW_TICKS) {
            return undefined;
        }
        const theirs = netns(pid);
        if (theirs !== undefined && ours !== undefined && theirs !== ours)
            return undefined;
        return { pid, start, netns: theirs };
    };
    const pids = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)('/proc')
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
        const s = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(path, { bigint: true });
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


/***/ }),

/***/ 994:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Qd: () => (/* binding */ CommandError),
  ay: () => (/* binding */ commandLine),
  xH: () => (/* binding */ holdLock),
  jX: () => (/* binding */ isRoot),
  Pv: () => (/* binding */ mustRun),
  eF: () => (/* binding */ run),
  Ub: () => (/* binding */ sudoRefused),
  iY: () => (/* binding */ writeAsRoot)
});

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

// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __nccwpck_require__(96);
// EXTERNAL MODULE: ./src/action/host/probe.ts
var probe = __nccwpck_require__(195);
;// CONCATENATED MODULE: ./src/action/host/run.ts
// How the action starts processes, over the shared runner (src/common/process.ts): commands are
// argument arrays, never shell strings; commands that need root go through `sudo -n` when this
// process is not root, so a missing permission fails at once instead of waiting for a password;
// each is logged as a `::debug::` line. Children get a minimal environment: PATH with the sbin
// directories, LC_ALL=C, nothing of the step's own (INPUT_* secrets, the runner's ACTIONS_*
// tokens, a job's LOG_LEVEL, with which wireguard-go's daemon would keep the step's pipes open).



const isRoot = () => process.getuid?.() === 0;
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
async function run(argv, opts = {}) {
    const root = isRoot();
    // As root the variables go straight into the environment; through sudo, which resets it, by `env`.
    const full = commandLine(argv, root ? { ...opts, env: undefined } : opts, root);
    const own = opts.timeoutMs ?? 60_000;
    const left = opts.deadline === undefined ? Infinity : opts.deadline - Date.now();
    const r = await runProcess(full, {
        env: minimalEnv((0,probe/* searchPath */.oe)().join(':'), root ? opts.env : {}),
        input: opts.input,
        limitMs: Math.min(own, left),
        log: toolkit/* debug */.Yz,
        label: commandLine(argv, opts, root).join(' ')
    });
    const { killed, ...result } = r;
    // Stopped at the step's deadline rather than at the command's own limit.
    return killed && left <= own ? { ...result, timedOut: true } : result;
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
/**
 * Holds an exclusive flock(2) on `path` (made if missing) until the function it resolves with is
 * called: `flock -x PATH cat`, whose `cat` echoes a line once the lock is held and exits when its
 * input ends. The kernel drops the lock when its holder exits, so a step that is killed never
 * leaves it held. Rejects when the lock is not had within the step's deadline (at most 10 s).
 */
async function holdLock(path, opts = {}) {
    const left = opts.deadline === undefined ? 10_000 : opts.deadline - Date.now();
    const seconds = Math.max(1, Math.min(10, Math.ceil(left / 1000)));
    const argv = commandLine(['flock', '-x', '-w', String(seconds), path, 'cat'], opts, isRoot());
    const child = startProcess(argv, { env: minimalEnv((0,probe/* searchPath */.oe)().join(':')), log: toolkit/* debug */.Yz });
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
        void closed.then((code) => reject(new CommandError(argv, {
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
    if (isRoot()) {
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
        await mustRun(['rm', '-f', path], root);
    else
        await mustRun(['tee', path], { ...root, input: text });
}


/***/ }),

/***/ 860:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   JZ: () => (/* binding */ releaseSrcValidMark),
/* harmony export */   xe: () => (/* binding */ newOwnerId),
/* harmony export */   y4: () => (/* binding */ needSrcValidMark)
/* harmony export */ });
/* unused harmony exports STATE_DIR, recordPath, parseRecord, joined, left */
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(994);
/* harmony import */ var _probe_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(195);
/* harmony import */ var _journal_journal_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(329);
/* harmony import */ var _echo_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(32);
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
function recordPath(ns = (0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .netns */ .p3)()) {
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
const alive = (o) => (0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .ifindex */ .Cl)(o.iface) === o.ifindex;
const readRecord = (path) => parseRecord((0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .fileText */ .CG)(path) ?? '');
/**
 * Writes (or with undefined removes) the record, as root (run.ts). Through sudo it is written in
 * place, under the lock: a write cut short leaves a record that parseRecord refuses, and then the
 * value found is taken as the original, which at worst leaves 1 where wg-quick would too.
 */
const writeRecord = (path, record, limits) => (0,_run_js__WEBPACK_IMPORTED_MODULE_0__/* .writeAsRoot */ .iY)(path, record === undefined ? undefined : `${JSON.stringify(record)}\n`, limits);
/** Runs `change` holding the lock; the folder is made first where it is missing. */
async function locked(limits, change) {
    if (!(0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .pathExists */ .s0)(STATE_DIR))
        await (0,_run_js__WEBPACK_IMPORTED_MODULE_0__/* .mustRun */ .Pv)(['mkdir', '-p', '-m', '755', STATE_DIR], { root: true, ...limits });
    const release = await (0,_run_js__WEBPACK_IMPORTED_MODULE_0__/* .holdLock */ .xH)(LOCK, { root: true, ...limits });
    try {
        return await change();
    }
    finally {
        await release();
    }
}
/** Sets the value, echoed as wg-quick echoes its own (the record and its lock are this action's bookkeeping, like its journal: not echoed). */
async function setValue(value, limits) {
    const argv = ['sysctl', '-q', '-w', `${_journal_journal_js__WEBPACK_IMPORTED_MODULE_2__/* .SRC_VALID_MARK */ .wH}=${value}`];
    (0,_echo_js__WEBPACK_IMPORTED_MODULE_3__/* .echo */ .WI)(argv);
    await (0,_run_js__WEBPACK_IMPORTED_MODULE_0__/* .mustRun */ .Pv)(argv, { root: true, ...limits });
}
/** Joins the record as `me` and sets src_valid_mark to 1 where it is not. */
async function needSrcValidMark(me, limits) {
    const path = recordPath();
    await locked(limits, async () => {
        const current = (0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .srcValidMark */ .SM)();
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
    if (!(0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .pathExists */ .s0)(STATE_DIR))
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
        if ((0,_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .srcValidMark */ .SM)() !== leaving.restore)
            await setValue(leaving.restore, limits);
        await writeRecord(path, undefined, limits);
        return { restored: leaving.restore };
    });
}


/***/ }),

/***/ 329:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   A5: () => (/* binding */ validRecord),
/* harmony export */   CQ: () => (/* binding */ Journal),
/* harmony export */   wH: () => (/* binding */ SRC_VALID_MARK)
/* harmony export */ });
/* unused harmony export parseJournal */
/* harmony import */ var _common_grammar_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(460);
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
/* harmony export */   aQ: () => (/* binding */ OUTPUT),
/* harmony export */   bO: () => (/* binding */ INPUT),
/* harmony export */   c4: () => (/* binding */ STATE)
/* harmony export */ });
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

/***/ 649:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   IW: () => (/* binding */ tableTaken),
/* harmony export */   J0: () => (/* binding */ allowedIpsInput),
/* harmony export */   M8: () => (/* binding */ explainCreateFailure),
/* harmony export */   Pk: () => (/* binding */ interfaceTaken),
/* harmony export */   Q$: () => (/* binding */ handshakeFailure),
/* harmony export */   Q3: () => (/* binding */ checkOutsideTunnel),
/* harmony export */   RA: () => (/* binding */ configRefused),
/* harmony export */   V1: () => (/* binding */ checkFailure),
/* harmony export */   VK: () => (/* binding */ kernelSaid),
/* harmony export */   Vx: () => (/* binding */ socketTaken),
/* harmony export */   bn: () => (/* binding */ kernelDiffers),
/* harmony export */   c7: () => (/* binding */ noNetAdmin),
/* harmony export */   gh: () => (/* binding */ errnoName),
/* harmony export */   h: () => (/* binding */ ipv6MtuTooSmall),
/* harmony export */   p0: () => (/* binding */ duration),
/* harmony export */   rG: () => (/* binding */ unsupportedPlatform),
/* harmony export */   um: () => (/* binding */ ipRefused),
/* harmony export */   xY: () => (/* binding */ endpointShown)
/* harmony export */ });
/* unused harmony export atOrigin */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_ip_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(796);
/* harmony import */ var _host_plan_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(466);
/* harmony import */ var _host_probe_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(195);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(814);
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
const socketTaken = (iface) => `${_host_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .SOCKET_DIR */ .au}/${iface}.sock exists: another wireguard-go serves the name ${iface} (perhaps in another network namespace or job, which share that folder); it was left untouched. Choose another name with the interface input, or if an earlier job left it behind, remove it with \`sudo rm ${_host_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .SOCKET_DIR */ .au}/${iface}.sock\``;
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
    const given = (0,_host_plan_js__WEBPACK_IMPORTED_MODULE_3__/* .endpointText */ .HO)(e.host, e.port);
    return e.address !== undefined && e.address !== e.host ? `${given} (${e.address})` : given;
}
function handshakeFailure(t, missing, timeoutMs, 
/** In gateway mode, the gateway's origin: it added the peer, so the causes are others. */
gateway) {
    const ep = t.peers.find((p) => p.publicKey === missing)?.endpoint;
    const at = ep ? (0,_host_plan_js__WEBPACK_IMPORTED_MODULE_3__/* .endpointText */ .HO)(ep.address ?? ep.host, ep.port) : 'its endpoint';
    const named = ep?.address !== undefined && ep.address !== ep.host ? ` (${(0,_host_plan_js__WEBPACK_IMPORTED_MODULE_3__/* .endpointText */ .HO)(ep.host, ep.port)})` : '';
    const head = `No handshake with peer ${missing} at ${at}${named} within ${seconds(timeoutMs)}. Likely causes: `;
    if (gateway !== undefined) {
        return (head +
            `UDP to ${at} is blocked or nothing listens there; the gateway ${gateway} manages another interface than the one its endpoint serves (check its interface and endpoint settings).`);
    }
    const addresses = t.addresses.map((a) => (0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)({ ...a, bits: (0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .maxBits */ .fx)(a.family) })).join(',');
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
    if (o.input === _names_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.gateway)
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
    const fromConfig = (mtuOrigin ?? v6.origin)?.input === _names_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.config;
    const lead = chosen.given ? mtuOrigin : undefined;
    const value = chosen.given
        ? `${atOrigin(lead)}${fromConfig ? `MTU = ${chosen.mtu}` : `MTU ${chosen.mtu}`}`
        : `The automatic MTU ${chosen.mtu} (${chosen.towards ? `the route towards ${chosen.towards}` : 'the default route'}${chosen.dev ? ` leaves via ${chosen.dev}` : ''} with MTU ${chosen.pathMtu}, minus 80 for WireGuard)`;
    const setting = fromConfig ? 'MTU = in config' : 'the mtu input';
    const fix = chosen.given
        ? `Set ${setting} to 1280 or more, or remove every IPv6 address and allowed IP`
        : `Set ${setting} to 1280 or more (WireGuard's packets are then fragmented on that path), or remove every IPv6 address and allowed IP`;
    return (`${value} is under 1280, the least IPv6 allows (RFC 8200), and ${alsoAt(v6.origin, lead)} gives the IPv6 ${v6.what} ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(v6.prefix)}: ` +
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
                ? `${head} no IPv6 address on ${iface} (${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(d.prefix)}), ${leaks}: ${ipv6OffText(iface, d.ipv6Off, want.mtu)}`
                : `${head} no address ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(d.prefix)} on ${iface}, which this step added: ${other}`;
        case 'mtu':
            return `${head} MTU ${d.held} on ${iface}, not the ${d.want} this step set: ${other}`;
        case 'down':
            return `${head} ${iface} down, though this step set it up: ${other}`;
        case 'route': {
            const where = `${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(d.prefix)} via ${iface}${d.table === 254 ? '' : ` in table ${d.table}`}`;
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
    if (input === _names_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.config)
        return 'AllowedIPs in config';
    if (input === _names_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.gateway)
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
const EXTACK = [
    [/Address already assigned/i, 'EEXIST'],
    [/IPv6 is disabled/i, 'EACCES'],
    [/mtu (greater|less) than device/i, 'EINVAL'],
    [/Nexthop device is not up|Device for nexthop is not up/i, 'ENETDOWN'],
    [/Cannot find device|does not exist/i, 'ENODEV']
];
/** Linux errno numbers by name (Node's table, plus ENOANO, wireguard-go's "unknown" code, which Node's lacks). */
// 55 has no name in Node's table; 95 is read as EOPNOTSUPP (what strerror names), not ENOTSUP.
const ERRNO = {
    ENOANO: 55,
    ...Object.fromEntries(Object.entries(node_os__WEBPACK_IMPORTED_MODULE_0__.constants.errno).filter(([k]) => k !== 'ENOTSUP'))
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
                const key = o?.input === _names_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.config ? `ListenPort = ${t.listenPort}` : `ListenPort ${t.listenPort}`;
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
            const head = `${atOrigin(item.origin)}Address ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(item.prefix)}: the kernel refused it on ${iface} (${why})`;
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
            const head = `${atOrigin(item.origin)}allowed IP ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(item.prefix)}: the kernel refused its route through ${iface} in ${table} (${why})`;
            if (v6(item.prefix))
                return `${head}: ${ipv6Refused(iface, evidence.ipv6Off)}`;
            if (said.errno === 'EEXIST')
                return `${head}: ${table} already has a route to ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(item.prefix)}${evidence.holder ? ` via ${evidence.holder}` : ''}, another network of this runner. Remove ${(0,_common_ip_js__WEBPACK_IMPORTED_MODULE_4__/* .prefixText */ .Oj)(item.prefix)} from ${allowedIps}, or delete that route in a step before this one`;
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


/***/ }),

/***/ 96:
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
/* unused harmony exports fileCommandText, getState */
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

/***/ 922:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   k: () => (/* binding */ errorText)
/* harmony export */ });
// Turning anything thrown into the one line a step reports.
/** The message of an error, or the thrown value as text (a thrown non-Error must not pass silently). */
const errorText = (err) => (err instanceof Error ? err.message : String(err));


/***/ }),

/***/ 460:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dv: () => (/* binding */ parseHostPort),
/* harmony export */   RV: () => (/* binding */ interfaceProblem),
/* harmony export */   U9: () => (/* binding */ isLoopback),
/* harmony export */   m0: () => (/* binding */ isKey),
/* harmony export */   uy: () => (/* binding */ isHostName),
/* harmony export */   vp: () => (/* binding */ IFACE),
/* harmony export */   ws: () => (/* binding */ wgEndpoint)
/* harmony export */ });
/* unused harmony exports KEY, isPeerKey, parsePort */
/* harmony import */ var _ip_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(796);
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
    const addr = (0,_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .parseAddress */ .or)(host);
    if (text.startsWith('[') && addr?.family !== 6)
        return { problem: 'brackets', host };
    if (!addr && !isHostName(host))
        return { problem: 'host', host };
    const port = parsePort(portText);
    if (port === undefined)
        return { problem: 'port', host };
    return { host: (0,_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .canonicalAddress */ .Z5)(host) ?? host, port };
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
    const ip = (0,_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .canonicalAddress */ .Z5)(host);
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
    const a = (0,_ip_js__WEBPACK_IMPORTED_MODULE_0__/* .parseAddress */ .or)(h);
    if (!a)
        return false;
    return a.family === 4 ? a.bytes[0] === 127 : a.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}


/***/ }),

/***/ 796:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   A1: () => (/* binding */ parsePrefix),
/* harmony export */   Nm: () => (/* binding */ network),
/* harmony export */   Oj: () => (/* binding */ prefixText),
/* harmony export */   Z5: () => (/* binding */ canonicalAddress),
/* harmony export */   fx: () => (/* binding */ maxBits),
/* harmony export */   gR: () => (/* binding */ contains),
/* harmony export */   or: () => (/* binding */ parseAddress)
/* harmony export */ });
/* unused harmony export formatBytes */
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


/***/ }),

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 553:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns/promises");

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

// EXTERNAL MODULE: ./src/action/host/run.ts + 1 modules
var run = __nccwpck_require__(994);
// EXTERNAL MODULE: ./src/common/ip.ts
var common_ip = __nccwpck_require__(796);
// EXTERNAL MODULE: ./src/action/host/plan.ts
var host_plan = __nccwpck_require__(466);
// EXTERNAL MODULE: ./src/action/host/probe.ts
var probe = __nccwpck_require__(195);
// EXTERNAL MODULE: ./src/action/report/messages.ts
var messages = __nccwpck_require__(649);
// EXTERNAL MODULE: ./src/action/host/echo.ts
var echo = __nccwpck_require__(32);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: ./src/action/backend/wgcommand.ts
// The `wg` command as a backend: the kernel's WireGuard, or wireguard-go from an unprivileged step
// (`sudo wg` reaches its root-only socket). The configuration reaches `wg setconf` through a named
// pipe (0600, in a 0700 folder in RUNNER_TEMP that exists only while `wg` reads it): the key is
// never on a command line and never written to a disk. (Standard input cannot serve: Node's child
// pipes are sockets, which `wg` cannot open as /dev/stdin.)









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
            lines.push(`Endpoint = ${(0,host_plan/* endpointAddress */.CK)(peer.endpoint)}`);
        if (peer.allowedIps.length > 0)
            lines.push(`AllowedIPs = ${peer.allowedIps.map(common_ip/* prefixText */.Oj).join(', ')}`);
        const keepalive = (0,host_plan/* bringUpKeepalive */.Km)(peer);
        if (keepalive > 0)
            lines.push(`PersistentKeepalive = ${keepalive}`);
    }
    return `${lines.join('\n')}\n`;
}
/** `wg` arguments that put back keepalive off on the peers that were probed, or none. */
function keepaliveRestore(iface, t) {
    const probed = (0,host_plan/* probedPeers */.kt)(t.peers);
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
/**
 * Writes `text` into the named pipe once `wg` opens it for reading: opened without blocking (a
 * `wg` that failed before opening it must not leave this step waiting), polled until it is.
 */
async function feed(fifo, text, reader) {
    // Set once `wg` has exited (an object: it changes in a callback).
    const wgExited = { done: false };
    void reader.then(() => (wgExited.done = true), () => (wgExited.done = true));
    for (let wait = 1;; wait = Math.min(wait * 2, 20)) {
        let fd;
        try {
            fd = (0,external_node_fs_.openSync)(fifo, external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_NONBLOCK);
        }
        catch (err) {
            // ENXIO: no reader yet.
            if (err.code !== 'ENXIO' || wgExited.done)
                return;
            await (0,probe/* sleep */.yy)(wait);
            continue;
        }
        try {
            const data = Buffer.from(text);
            // A pipe takes 64 KiB at once; a configuration is far smaller, but a full pipe is waited out.
            for (let at = 0; at < data.length;) {
                try {
                    at += (0,external_node_fs_.writeSync)(fd, data, at);
                }
                catch (err) {
                    if (err.code !== 'EAGAIN' || wgExited.done)
                        throw err;
                    await (0,probe/* sleep */.yy)(1);
                }
            }
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
        return;
    }
}
/** `who`: what serves the interface, wireguard-go or the kernel, as errors name it. */
function wgBackend(ctx) {
    const { iface, wg, journal } = ctx;
    const opts = { root: true, ...ctx.limits };
    return {
        describe: '`wg`',
        async configure(t, fwmark) {
            const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'wireguard-tunnel-'));
            const record = journal.add({ kind: 'file', path: dir });
            try {
                const fifo = (0,external_node_path_.join)(dir, `${iface}.conf`);
                await (0,run/* mustRun */.Pv)(['mkfifo', '-m', '600', fifo], ctx.limits);
                (0,echo/* echo */.WI)([wg, 'setconf', iface, fifo]);
                const reading = (0,run/* mustRun */.Pv)([wg, 'setconf', iface, fifo], opts, (said) => {
                    const { errno, text } = (0,messages/* kernelSaid */.VK)(said);
                    return new Error((0,messages/* configRefused */.RA)(iface, ctx.who, { ...t, fwmark }, errno, undefined, text));
                });
                await Promise.all([reading, feed(fifo, wgConf(t, fwmark), reading)]);
            }
            finally {
                (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
                journal.remove(record);
            }
        },
        async setFwmark(fwmark) {
            const argv = [wg, 'set', iface, 'fwmark', String(fwmark)];
            (0,echo/* echo */.WI)(argv);
            await (0,run/* mustRun */.Pv)(argv, opts);
        },
        // Read with a limit of its own, so that the last read at the deadline still reports what it saw.
        handshakes: async () => parseHandshakes((await (0,run/* mustRun */.Pv)([wg, 'show', iface, 'latest-handshakes'], { root: true, timeoutMs: 5000 })).stdout),
        async restoreKeepalive(t) {
            const args = keepaliveRestore(iface, t);
            if (!args)
                return;
            (0,echo/* echo */.WI)([wg, ...args]);
            await (0,run/* mustRun */.Pv)([wg, ...args], opts);
        }
    };
}

;// CONCATENATED MODULE: ./src/action/backend/uapi.ts
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
            lines.push(`endpoint=${(0,host_plan/* endpointAddress */.CK)(peer.endpoint)}`);
        lines.push(`persistent_keepalive_interval=${(0,host_plan/* bringUpKeepalive */.Km)(peer)}`);
        for (const ip of peer.allowedIps)
            lines.push(`allowed_ip=${(0,common_ip/* prefixText */.Oj)(ip)}`);
    }
    return `${lines.join('\n')}\n\n`;
}
/** The request that turns keepalive off again on the peers probed, or none. */
function uapiKeepaliveRestore(t) {
    const probed = (0,host_plan/* probedPeers */.kt)(t.peers);
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
/** An `errno=N` answer other than 0: wireguard-go refused the request. */
class UapiRefused extends Error {
    errno;
    constructor(errno) {
        super(`wireguard-go refused the request (errno ${errno}: ${(0,messages/* errnoName */.gh)(errno) ?? 'no symbolic name known'})`);
        this.errno = errno;
        this.name = 'UapiRefused';
    }
}
/** Sends one request and resolves with the answer (up to the blank line); rejects on errno ≠ 0. */
function uapi(path, request, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        // node:net is loaded at first use, not at the step's start (see host/run.ts).
        const socket = process.getBuiltinModule('node:net').connect(path);
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
                reject(new UapiRefused(Number(errno)));
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
    const path = (0,probe/* socketPath */.Xy)(ctx.iface);
    // A local socket answers in microseconds: a short limit of its own, past the step's deadline too,
    // so that the last handshake read at the deadline still reports what it saw.
    const ask = (request) => uapi(path, request, 5000);
    return {
        describe: `wireguard-go's socket ${path}`,
        // Echoed as the `wg` command that does the same, as wg-quick shows its own setconf.
        async configure(t, fwmark) {
            (0,echo/* echo */.WI)(['wg', 'setconf', ctx.iface, '/dev/fd/63']);
            try {
                await ask(uapiSetRequest(t, fwmark));
            }
            catch (err) {
                if (!(err instanceof UapiRefused))
                    throw err;
                const name = (0,messages/* errnoName */.gh)(err.errno);
                throw new Error((0,messages/* configRefused */.RA)(ctx.iface, 'wireguard-go', { ...t, fwmark }, name, err.errno), { cause: err });
            }
        },
        setFwmark: async (fwmark) => {
            (0,echo/* echo */.WI)(['wg', 'set', ctx.iface, 'fwmark', String(fwmark)]);
            await ask(`set=1
fwmark=${fwmark}

`);
        },
        handshakes: async () => parseUapiHandshakes(await ask('get=1\n\n')),
        restoreKeepalive: async (t) => {
            const request = uapiKeepaliveRestore(t);
            if (!request)
                return;
            (0,echo/* echo */.WI)(['wg', ...(keepaliveRestore(ctx.iface, t) ?? [])]);
            await ask(request);
        }
    };
}

;// CONCATENATED MODULE: ./src/action/backend/choose.ts



/** wireguard-go's socket is root's: speak UAPI to it when root, else go through `sudo wg`. */
function chooseBackend(ctx) {
    return ctx.userspace && (0,run/* isRoot */.jX)()
        ? uapiBackend(ctx)
        : wgBackend({ ...ctx, who: ctx.userspace ? 'wireguard-go' : 'the kernel' });
}

// EXTERNAL MODULE: ./src/common/grammar.ts
var grammar = __nccwpck_require__(460);
// EXTERNAL MODULE: ./src/action/names.ts
var names = __nccwpck_require__(814);
;// CONCATENATED MODULE: ./src/action/inputs/values.ts
// Value parsers shared by the per-field inputs (inputs.ts) and the `config` input (wgquick.ts), and
// the one error type both throw; the grammar of each value is the one both programs share
// (src/common/grammar.ts). Pure; nothing here imports inputs.ts or wgquick.ts.



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
    return new InputError(source.input, problem, source.input === names/* INPUT */.bO.config ? source.line : undefined);
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
function parseKey(input, value, secret) {
    const v = value.trim();
    if ((0,grammar/* isKey */.m0)(v))
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
    // node:crypto takes milliseconds to load: only a step given a private key pays for it.
    const { createPrivateKey, createPublicKey } = process.getBuiltinModule('node:crypto');
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
        const p = (0,common_ip/* parsePrefix */.A1)(item);
        if (typeof p === 'string')
            throw new InputError(input, `${looksSecret(item) ? 'an entry (not shown: it looks like a key) is not an address' : p} (expected an address like 192.0.2.2/24 or 2001:db8::2/64)`);
        return p;
    });
}
/** `host:port`, `1.2.3.4:port` or `[v6]:port` into host and port; undefined when not that shape. */
function splitHostPort(input, text) {
    const hp = (0,grammar/* parseHostPort */.Dv)(text);
    if (hp === undefined || !('problem' in hp))
        return hp;
    switch (hp.problem) {
        case 'brackets':
            throw new InputError(input, `${shown(text)}: only IPv6 addresses go in brackets`);
        case 'host':
            throw new InputError(input, `${shown(hp.host)} is not a valid host name or IP address`);
        case 'port':
            throw new InputError(input, `port in ${shown(text)} must be a number from 1 to 65535`);
    }
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
/** DNS = as wg-quick splits it: addresses are servers, names are search domains. */
function splitDns(input, value) {
    const out = { dns: [], dnsSearch: [] };
    for (const v of listItems(value)) {
        const ip = (0,common_ip/* canonicalAddress */.Z5)(v);
        if (ip !== undefined)
            out.dns.push(ip);
        else if ((0,grammar/* isHostName */.uy)(v))
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

;// CONCATENATED MODULE: ./src/action/inputs/secrets.ts
// What the runner must be told to mask, computed from the inputs before anything is validated or
// logged. The runner masks only exact strings: a secret input as a whole, and (as we tell it) each of
// its lines. A configuration with a typo may print, or lead a tool to print, a key in a shape that
// is neither, so every key-shaped run of `config` is masked too. One pass per line, no regex with
// nested quantifiers: a 60,000-line configuration is read in a few milliseconds.

const SECRET_INPUTS = [names/* INPUT */.bO.privateKey, names/* INPUT */.bO.presharedKey, names/* INPUT */.bO.config];
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
    const key = name !== names/* INPUT */.bO.config;
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

;// CONCATENATED MODULE: ./src/action/inputs/wgquick.ts
// The `config` input: a whole wg-quick configuration, read as wg-quick and `wg setconf` read it.
// wg-quick (src/wg-quick/linux.bash, parse_options) takes its own keys of [Interface] (Address, MTU,
// DNS, Table, Pre/PostUp/Down, SaveConfig): the key is the text before the first "=", trimmed, any
// case; the value is trimmed; Address and DNS split at commas and spaces. Every other line goes to
// wg(8) (src/config.c), which drops every space of the line and matches the key in any case.
// The whole input is a secret: an error names the line and at most a key name, never any part of a
// value, and an unknown key's name only when it cannot be part of a key. One pass, linear time.





const INPUT = names/* INPUT */.bO.config;
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
    if (!(0,grammar/* isKey */.m0)(value))
        fail(line, `${name} must be a WireGuard key: 44 characters of base64 ending in "=" (as printed by wg genkey / wg pubkey); the value is not shown`);
    return value;
}
/** Address = and DNS = items, as wg-quick splits them: at commas and white space. */
function quickItems(value) {
    return value.split(/[\s,]+/).filter((s) => s !== '');
}
function prefixes(line, name, items) {
    return items.map((item) => {
        const p = (0,common_ip/* parsePrefix */.A1)(item);
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
    const origins = { addresses: {}, allowedIps: {} };
    /** Records where each prefix was first given. */
    const note = (into, list, line) => {
        for (const p of list)
            into[(0,common_ip/* prefixText */.Oj)(p)] ??= { input: INPUT, line };
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
                origins.listenPort = { input: INPUT, line: n };
                break;
            case 'FwMark':
                t.fwmark =
                    value.toLowerCase() === 'off' ? undefined : integer(n, known, value, 0, 0xffffffff, true) || undefined;
                origins.fwmark = { input: INPUT, line: n };
                break;
            case 'Address': {
                const given = prefixes(n, known, quickItems(value));
                t.addresses.push(...given);
                note(origins.addresses, given, n);
                break;
            }
            case 'MTU':
                // Empty is wg-quick's automatic MTU.
                t.mtu = value === '' ? undefined : integer(n, known, value, 576, 65535);
                origins.mtu = t.mtu === undefined ? undefined : { input: INPUT, line: n };
                break;
            case 'DNS':
                for (const item of quickItems(value)) {
                    const ip = (0,common_ip/* canonicalAddress */.Z5)(item);
                    if (ip !== undefined)
                        t.dns.push(ip);
                    else if ((0,grammar/* isHostName */.uy)(item))
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
                        const ep = (0,grammar/* wgEndpoint */.ws)(value);
                        if (typeof ep === 'string')
                            fail(n, `Endpoint ${ep} (HOST:PORT; an IPv6 address may go in brackets)`);
                        p.endpoint = { host: ep.host, port: ep.port, source: { input: INPUT, line: n } };
                        break;
                    }
                    case 'AllowedIPs': {
                        const given = prefixes(n, known, value.split(',').filter((s) => s !== '')).map(common_ip/* network */.Nm);
                        p.allowedIps.push(...given);
                        note(origins.allowedIps, given, n);
                        break;
                    }
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
    return { privateKey, publicKey: publicKeyOf(privateKey), ...t, origins };
}

;// CONCATENATED MODULE: ./src/action/inputs/inputs.ts
// The typed configuration, built and validated from the action's inputs in one place. Pure: it
// reads inputs through the function it is given and touches nothing else. The step's settings
// (interface, checks, timeout, install, userspace) plus where the tunnel comes from: a static
// description (the per-field inputs or `config`) or a gateway that leases one at run time.






/** The inputs that `config` replaces. */
const FIELD_INPUTS = [
    names/* INPUT */.bO.privateKey,
    names/* INPUT */.bO.address,
    names/* INPUT */.bO.peerPublicKey,
    names/* INPUT */.bO.endpoint,
    names/* INPUT */.bO.allowedIps,
    names/* INPUT */.bO.presharedKey,
    names/* INPUT */.bO.persistentKeepalive,
    names/* INPUT */.bO.mtu,
    names/* INPUT */.bO.dns
];
/** The inputs a gateway's lease replaces: an error with `gateway`. */
const GATEWAY_EXCLUDES = [
    names/* INPUT */.bO.privateKey,
    names/* INPUT */.bO.address,
    names/* INPUT */.bO.peerPublicKey,
    names/* INPUT */.bO.endpoint,
    names/* INPUT */.bO.allowedIps,
    names/* INPUT */.bO.presharedKey,
    names/* INPUT */.bO.config
];
function parseInterface(input, value) {
    const v = value.trim();
    const problem = (0,grammar/* interfaceProblem */.RV)(v);
    if (problem !== undefined)
        throw new InputError(input, `${shown(v)} ${problem}`);
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
        const ip = (0,common_ip/* canonicalAddress */.Z5)(text);
        if (ip !== undefined)
            return { kind: 'icmp', host: ip, text };
        const hp = splitHostPort(input, text);
        if (hp)
            return { kind: 'tcp', ...hp, text };
        if ((0,grammar/* isHostName */.uy)(text))
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
/**
 * The most URLs the `gateway` input may list. Each one tried may take its share of the step's
 * timeout; eight covers a fleet per region with standbys, and keeps a share worth having.
 */
const MAX_GATEWAYS = 8;
/**
 * One gateway URL: https:// (http:// only for a loopback address), no credentials, query or
 * fragment. `line` is given for an input of several lines, and then named in the error.
 */
function parseGatewayUrl(input, value, line) {
    const v = value.trim();
    const fail = (problem) => {
        throw new InputError(input, problem, line);
    };
    if (v.length > 2048)
        fail("is longer than 2048 characters; give the gateway's base URL");
    let url;
    try {
        url = new URL(v);
    }
    catch {
        return fail(`${shown(v)} is not a URL; give the gateway's address, e.g. https://vpn.example.com:8443`);
    }
    if (url.username !== '' || url.password !== '')
        fail('has a user name or password in the URL (not shown); the gateway needs none: the job proves itself with its OIDC token');
    if (looksSecret(v))
        fail(`${shown(v)}: a gateway URL holds no key or token`);
    if (url.protocol === 'http:' && !(0,grammar/* isLoopback */.U9)(url.hostname))
        fail(`${shown(v)} must use https:// (http:// only for a loopback address such as 127.0.0.1): the lease carries the tunnel's addresses and the OIDC token`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        fail(`${shown(v)} must be an https:// URL`);
    if (url.search !== '' || url.hash !== '')
        fail(`${shown(v)} must have no query or fragment; give the gateway's base URL`);
    return url;
}
/**
 * The `gateway` input: one URL per line (blank lines ignored), at most MAX_GATEWAYS, each once.
 * Errors name the line (counted as written, blank lines too) when the input has several; a
 * single URL's errors read as they always have. Two lines are the same gateway when their URLs
 * are, as this action asks them (the base URL, with or without its last slash).
 */
function parseGateways(input, value) {
    const lines = value
        .split('\n')
        .map((text, i) => ({ text: text.trim(), line: i + 1 }))
        .filter((l) => l.text !== '');
    if (lines.length > MAX_GATEWAYS)
        throw new InputError(input, `lists ${lines.length} gateways; at most ${MAX_GATEWAYS}, each tried in turn within the step's timeout`);
    if (lines.length === 1)
        return [parseGatewayUrl(input, value)];
    const seen = new Map();
    return lines.map(({ text, line }) => {
        const url = parseGatewayUrl(input, text, line);
        const same = url.href.replace(/\/$/, '');
        const first = seen.get(same);
        if (first !== undefined)
            throw new InputError(input, `${shown(text)} is the gateway of line ${first} again; list each gateway once`, line);
        seen.set(same, line);
        return url;
    });
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
    const hosts = addresses.filter((a) => a.bits === (0,common_ip/* maxBits */.fx)(a.family));
    if (hosts.length > 0) {
        throw new InputError(names/* INPUT */.bO.allowedIps, `is required when an address has no network (${(0,common_ip/* prefixText */.Oj)(hosts[0])} is a single host): list the networks to route through the tunnel`);
    }
    return addresses.map(common_ip/* network */.Nm);
}
const optional = (get, name, parse) => {
    const v = get(name);
    return v.trim() === '' ? undefined : parse(v);
};
const keepaliveOf = (get) => optional(get, names/* INPUT */.bO.persistentKeepalive, (v) => parseInteger(names/* INPUT */.bO.persistentKeepalive, v, 0, 65535));
const mtuOf = (get) => optional(get, names/* INPUT */.bO.mtu, (v) => parseInteger(names/* INPUT */.bO.mtu, v, 576, 65535));
/** The tunnel from the per-field inputs. */
function fromFields(get) {
    const privateKey = parseKey(names/* INPUT */.bO.privateKey, required(get, names/* INPUT */.bO.privateKey), true);
    const addresses = parsePrefixes(names/* INPUT */.bO.address, required(get, names/* INPUT */.bO.address));
    if (addresses.length === 0)
        throw new InputError(names/* INPUT */.bO.address, 'is required and was empty');
    const peerPublicKey = parseKey(names/* INPUT */.bO.peerPublicKey, required(get, names/* INPUT */.bO.peerPublicKey), false);
    const endpoint = parseEndpoint(names/* INPUT */.bO.endpoint, required(get, names/* INPUT */.bO.endpoint));
    const allowedText = get(names/* INPUT */.bO.allowedIps);
    const allowedIps = allowedText.trim() === '' ? defaultAllowedIps(addresses) : parsePrefixes(names/* INPUT */.bO.allowedIps, allowedText).map(common_ip/* network */.Nm);
    if (allowedIps.length === 0)
        throw new InputError(names/* INPUT */.bO.allowedIps, 'lists no network');
    const presharedKey = optional(get, names/* INPUT */.bO.presharedKey, (v) => parseKey(names/* INPUT */.bO.presharedKey, v, true));
    const mtu = mtuOf(get);
    // Allowed IPs left out are the addresses' networks: an error about them names `address`.
    const allowedFrom = { input: allowedText.trim() === '' ? names/* INPUT */.bO.address : names/* INPUT */.bO.allowedIps };
    return {
        privateKey,
        publicKey: publicKeyOf(privateKey),
        addresses,
        table: 'auto',
        ...splitDns(names/* INPUT */.bO.dns, get(names/* INPUT */.bO.dns)),
        peers: [{ publicKey: peerPublicKey, presharedKey, endpoint, allowedIps, keepalive: keepaliveOf(get) ?? 25 }],
        mtu,
        origins: {
            mtu: mtu === undefined ? undefined : { input: names/* INPUT */.bO.mtu },
            addresses: Object.fromEntries(addresses.map((a) => [(0,common_ip/* prefixText */.Oj)(a), { input: names/* INPUT */.bO.address }])),
            allowedIps: Object.fromEntries(allowedIps.map((a) => [(0,common_ip/* prefixText */.Oj)(a), allowedFrom]))
        }
    };
}
/** Where the tunnel comes from: `gateway`, `config` or the per-field inputs, each alone. */
function tunnelSource(get) {
    const given = (names) => names.filter((n) => get(n).trim() !== '');
    if (get(names/* INPUT */.bO.gateway).trim() !== '') {
        const clash = given(GATEWAY_EXCLUDES);
        if (clash.length > 0)
            throw new InputError(names/* INPUT */.bO.gateway, `cannot be combined with ${clash.join(', ')}: the gateway leases the key, address and peer; remove those inputs, or remove gateway`);
        const urls = parseGateways(names/* INPUT */.bO.gateway, get(names/* INPUT */.bO.gateway));
        const keepalive = keepaliveOf(get);
        // The gateway hears a live runner by its keepalives (and ends a lease it does not hear from).
        if (keepalive === 0)
            throw new InputError(names/* INPUT */.bO.persistentKeepalive, "cannot be 0 with gateway: the gateway hears that a job is alive by its keepalives, and would end a quiet job's lease. Remove persistent-keepalive (the gateway's applies), or give a number of seconds");
        const audienceText = get(names/* INPUT */.bO.audience);
        const audience = audienceText.trim() === '' ? undefined : parseAudience(names/* INPUT */.bO.audience, audienceText);
        return {
            kind: 'gateway',
            gateways: urls.map((url) => ({ url, audience: audience ?? url.origin })),
            mtu: mtuOf(get),
            keepalive,
            ...splitDns(names/* INPUT */.bO.dns, get(names/* INPUT */.bO.dns))
        };
    }
    if (get(names/* INPUT */.bO.audience).trim() !== '')
        throw new InputError(names/* INPUT */.bO.audience, 'applies only with gateway: set gateway, or remove audience');
    if (get(names/* INPUT */.bO.config).trim() !== '') {
        const clash = given(FIELD_INPUTS);
        if (clash.length > 0) {
            throw new InputError(names/* INPUT */.bO.config, `cannot be combined with ${clash.join(', ')}: give either a whole configuration in config, or the per-field inputs`);
        }
        return { kind: 'static', tunnel: parseWgQuick(get(names/* INPUT */.bO.config)) };
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
    const iface = parseInterface(names/* INPUT */.bO.interface, get(names/* INPUT */.bO.interface) || 'wg0');
    const source = tunnelSource(get);
    if (source.kind === 'static')
        checkTunnel(source.tunnel, get(names/* INPUT */.bO.config).trim() !== '' ? names/* INPUT */.bO.config : names/* INPUT */.bO.peerPublicKey);
    const checks = parseChecks(names/* INPUT */.bO.check, get(names/* INPUT */.bO.check));
    const timeoutText = get(names/* INPUT */.bO.timeout);
    const timeoutMs = timeoutText.trim() === '' ? 30_000 : parseTimeout(names/* INPUT */.bO.timeout, timeoutText);
    const install = parseChoice(names/* INPUT */.bO.install, get(names/* INPUT */.bO.install) || 'true', ['true', 'false']) === 'true';
    const userspace = parseChoice(names/* INPUT */.bO.userspace, get(names/* INPUT */.bO.userspace) || 'auto', ['auto', 'true', 'false']);
    return { iface, checks, timeoutMs, install, userspace, source };
}

// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __nccwpck_require__(922);
// EXTERNAL MODULE: ./src/action/host/link.ts
var host_link = __nccwpck_require__(473);
// EXTERNAL MODULE: ./src/action/host/dns.ts
var dns = __nccwpck_require__(46);
;// CONCATENATED MODULE: ./src/action/host/readback.ts
// After bring-up, what the kernel actually holds, compared with what was planned: every command
// can succeed and the kernel still hold less (an MTU under 1280 turns IPv6 off on the link and
// drops its IPv6 addresses and routes without a word; another program may change the link
// meanwhile). The reads ride on the `ip -batch` scripts that make the state (the link's on the
// batch that sets it up, the routes' and IPv4 rules' on the routing batch, the IPv6 rules' on
// theirs): `ip -j` prints nothing for what it adds and a JSON array for each read, so reading back
// costs no process of its own. The comparison is pure and tested on what `ip -j` prints.


/** The kernel's main routing table (rt_tables: 254). */
const MAIN = 254;
/**
 * A table as `ip -j` names it: its number, or the name rt_tables gives the kernel's own (`main`,
 * `local`, `default`). Read by name rather than asked in numbers (`ip -N`), which not every
 * iproute2 a runner may have knows.
 */
function tableNumber(name) {
    if (name === undefined || name === 'main')
        return MAIN;
    if (name === 'local')
        return 255;
    if (name === 'default')
        return 253;
    return Number(name);
}
/** The batch line that reads the link and its addresses back, after the lines that set them. */
const linkRead = (iface) => `address show dev ${iface}`;
/** The batch lines that read the interface's routes (every table) and, when wanted, the rules back. */
const routesRead = (iface, rules) => [
    `route show table all dev ${iface}`,
    ...(rules ? ['rule show'] : [])
];
/**
 * What the reads printed (batch.ts): the link batch's `address show`, the routing batch's routes
 * and IPv4 rules, the IPv6 rules batch's rules. A read that did not run is missing.
 */
function heldFrom(link, routes = [], rules4 = [], rules6 = []) {
    return {
        link: link?.[0],
        routes: routes,
        rules: { 4: rules4, 6: rules6 }
    };
}
/** A route's destination as a prefix in canonical text (`default` by its family; a bare address is a host route). */
function routePrefix(r) {
    const family = r.pref !== undefined || (r.dst ?? '').includes(':') ? 6 : 4;
    if (r.dst === 'default')
        return family === 4 ? '0.0.0.0/0' : '::/0';
    const [address = '', bits] = (r.dst ?? '').split('/');
    const canonical = (0,common_ip/* canonicalAddress */.Z5)(address);
    return canonical && `${canonical}/${bits ?? (0,common_ip/* maxBits */.fx)(family)}`;
}
/** Whether the rule read is the one placed: same priority, same selector. */
function sameRule(r, want) {
    if (r.priority !== want.priority)
        return false;
    const mark = /^not fwmark ([0-9]+) table ([0-9]+)$/.exec(want.selector);
    if (mark)
        return r.not !== undefined && Number(r.fwmark) === Number(mark[1]) && tableNumber(r.table) === Number(mark[2]);
    return (want.selector === 'table main suppress_prefixlength 0' &&
        tableNumber(r.table) === MAIN &&
        r.suppress_prefixlen === 0);
}
/**
 * The first difference between what the kernel holds and what was planned, or undefined. IPv6
 * missing comes first, with its cause (`ipv6Off`: the MTU held, or what `disabled` finds in /proc),
 * as it is what a person must hear: that traffic would leave outside the tunnel.
 */
function difference(want, held, disabled = () => undefined) {
    const link = held.link;
    if (link === undefined)
        return { kind: 'no-link' };
    const mtu = link.mtu ?? 0;
    const off = () => mtu > 0 && mtu < host_plan/* IPV6_MIN_MTU */.EP ? { cause: 'mtu', mtu } : (disabled(want.iface) ?? { cause: 'unknown' });
    const holds = new Set((link.addr_info ?? []).map((a) => `${(0,common_ip/* canonicalAddress */.Z5)(a.local ?? '') ?? ''}/${a.prefixlen ?? ''}`));
    const lost = want.addresses.filter((a) => !holds.has((0,common_ip/* prefixText */.Oj)(a)));
    const lost6 = lost.find((a) => a.family === 6);
    if (lost6)
        return { kind: 'address', prefix: lost6, ipv6Off: off() };
    if (lost[0])
        return { kind: 'address', prefix: lost[0] };
    if (mtu !== want.mtu)
        return { kind: 'mtu', held: mtu, want: want.mtu };
    if (!(link.flags ?? []).includes('UP'))
        return { kind: 'down' };
    const routes = new Set(held.routes.map((r) => `${routePrefix(r)} ${tableNumber(r.table)}`));
    for (const r of want.routes) {
        const table = r.table ?? MAIN;
        if (routes.has(`${(0,common_ip/* prefixText */.Oj)(r.prefix)} ${table}`))
            continue;
        const why = r.prefix.family === 6 ? off() : undefined;
        return { kind: 'route', prefix: r.prefix, table, ...(why && why.cause !== 'unknown' ? { ipv6Off: why } : {}) };
    }
    for (const r of want.rules) {
        if (!held.rules[r.family].some((x) => sameRule(x, r)))
            return { kind: 'rule', ...r };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/action/host/batch.ts
// One `ip -j -batch` process that changes the kernel, then reads back what it holds, then asks
// the kernel which way some addresses would go: reading in the process that made the change costs
// no process of its own (a process start is most of what an `ip` command costs). `ip` stops at the
// first line that fails and names it (`Command failed -:N`); with -j it prints nothing for a line
// that changes, and one JSON array for each line that reads or asks.

/** The JSON arrays a batch printed, in order (one per line that reads or asks). */
function jsonArrays(stdout) {
    const out = [];
    for (const line of stdout.split('\n')) {
        if (!line.startsWith('['))
            continue;
        try {
            const value = JSON.parse(line);
            if (Array.isArray(value))
                out.push(value);
        }
        catch {
            // Not a whole array: nothing of ours.
        }
    }
    return out;
}
/** The batch's script: changes, then reads, then questions. */
const batchScript = (lines) => [...lines.change, ...(lines.read ?? []), ...(lines.ask ?? [])].map((l) => `${l}\n`).join('');
/** Splits what the batch printed by the lines it ran. Pure, for tests. */
function splitBatch(lines, result) {
    const reads = lines.read?.length ?? 0;
    const stoppedAt = Number(/^Command failed -:([0-9]+)/m.exec(result.stderr)?.[1] ?? 0) || undefined;
    const failed = result.code !== 0 ? (stoppedAt ?? 1) : undefined;
    if (failed !== undefined && failed <= lines.change.length)
        return { result, changed: false, failedAt: failed, reads: [], answers: [] };
    const arrays = jsonArrays(result.stdout);
    const answers = arrays.slice(reads).map((a) => ({ route: (a[0] ?? {}) }));
    const askedFrom = lines.change.length + reads;
    const said = (result.stderr.split('\n').find((l) => l.trim() !== '' && !/^Command failed/.test(l)) ?? '').trim();
    if (failed !== undefined && failed > askedFrom)
        answers.push({ error: said || 'no route' });
    const unread = failed !== undefined && failed <= askedFrom ? said || `exit ${result.code}` : undefined;
    return { result, changed: true, reads: arrays.slice(0, reads), answers, ...(unread === undefined ? {} : { unread }) };
}
/** Runs the batch (`ip -j [args] -batch -`) and splits what it printed. */
async function ipBatch(ip, args, lines, opts) {
    const result = await (0,run/* run */.eF)([ip, '-j', ...args, '-batch', '-'], { ...opts, input: batchScript(lines) });
    return splitBatch(lines, result);
}

// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __nccwpck_require__(96);
;// CONCATENATED MODULE: ./src/action/verify.ts






/** Waits for a handshake with every peer that has an endpoint; resolves with the keys still missing. */
async function waitForHandshakes(peers, read, deadline) {
    const want = peers.filter((p) => p.endpoint).map((p) => p.publicKey);
    let every = 1;
    for (;;) {
        const seen = want.length > 0 ? await read() : new Map();
        const missing = want.filter((k) => !seen.get(k));
        if (missing.length === 0 || Date.now() >= deadline)
            return missing;
        await (0,probe/* sleep */.yy)(Math.min(every, deadline - Date.now()));
        every = Math.min(every * 2, 100);
    }
}
function checkLabel(check) {
    switch (check.kind) {
        case 'icmp':
            return `ping ${check.host}`;
        case 'tcp':
            return `TCP ${(0,host_plan/* endpointText */.HO)(check.host, check.port)}`;
        case 'http':
            return `${check.url.startsWith('https:') ? 'HTTPS' : 'HTTP'} ${check.url}`;
    }
}
/** The host a check goes to: an IP address or a name, brackets off. */
function checkHost(check) {
    return check.kind === 'http' ? new URL(check.url).hostname.replace(/^\[|\]$/g, '') : check.host;
}
/** The targets of the checks that go to an IP address: their route can be asked before any name resolves. */
function addressTargets(checks) {
    return checks.flatMap((check) => {
        const address = (0,common_ip/* canonicalAddress */.Z5)(checkHost(check));
        return address === undefined ? [] : [{ check, address }];
    });
}
/**
 * The question for one target, asked as the check will be sent: by this step's user (`uid`: rules
 * may match it, and the question may go through sudo) and unmarked, so a full tunnel's `not fwmark`
 * rule sends it into the tunnel's table as it will the check (only WireGuard's own packets carry
 * the mark). A check whose target does not go through the tunnel proves nothing about it, and its
 * traffic would leave unencrypted.
 */
const routeQuestion = (t, uid = process.getuid?.() ?? 0) => `route get ${t.address} uid ${uid}`;
/** Every address a check of a name may go to: all that the name resolves to (one that does not is left to the check). */
async function nameTargets(checks) {
    const named = checks.filter((c) => (0,common_ip/* canonicalAddress */.Z5)(checkHost(c)) === undefined);
    if (named.length === 0)
        return [];
    const { lookup } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 553, 23));
    const found = await Promise.all(named.map(async (check) => {
        try {
            return (await lookup(checkHost(check), { all: true })).map((a) => ({
                check,
                address: (0,common_ip/* canonicalAddress */.Z5)(a.address) ?? a.address
            }));
        }
        catch {
            return [];
        }
    }));
    return found.flat();
}
/**
 * Asks the kernel the way to every address the checks of a name resolve to (after the handshake:
 * the tunnel may carry the DNS), in one `ip` batch; resolves with the first that would not leave
 * through `iface`. (Checks of an address are asked on bring-up's own batches, up.ts.)
 */
async function checkNameRoutes(checks, ip, iface, limits) {
    const targets = await nameTargets(checks);
    if (targets.length === 0)
        return undefined;
    const { answers } = await ipBatch(ip, [], { change: [], ask: targets.map((t) => routeQuestion(t)) }, limits);
    return firstOutside(targets, answers, iface);
}
/**
 * The first target whose answer (batch.ts: a route, or what `ip` said when it had none) does not
 * leave through `iface`. A target left unanswered (the batch stopped earlier) is said so. Pure.
 */
function firstOutside(targets, answers, iface) {
    for (const [i, t] of targets.entries()) {
        const a = answers[i];
        if (a === undefined)
            return { ...t, error: 'ip route get gave no answer' };
        if ('error' in a)
            return { ...t, error: a.error };
        const { dev, table, type } = a.route;
        if (dev === iface && type === undefined)
            continue;
        const local = type === 'local';
        return { ...t, dev, local, ...(tableNumber(table) === 254 ? {} : { table }) };
    }
    return undefined;
}
/** Whether one of the allowed IPs covers the address. */
function coveredBy(allowedIps, address) {
    const parsed = (0,common_ip/* parseAddress */.or)(address);
    if (!parsed)
        return false;
    const host = { family: parsed.family, address, bits: (0,common_ip/* maxBits */.fx)(parsed.family) };
    return allowedIps.some((p) => (0,common_ip/* contains */.gR)(p, host));
}
function tcpOnce(host, port, ms) {
    // node:net is loaded at first use, not at the step's start (see host/run.ts).
    const net = process.getBuiltinModule('node:net');
    return new Promise((resolve) => {
        const socket = net.connect({ host, port, timeout: ms });
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
    const net = process.getBuiltinModule('node:net');
    const tls = secure ? await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 692, 23)) : undefined;
    return new Promise((resolve) => {
        const socket = tls
            ? tls.connect({
                host,
                port,
                servername: net.isIP(host) ? undefined : host,
                rejectUnauthorized: false,
                timeout: ms
            })
            : net.connect({ host, port, timeout: ms });
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
        await (0,probe/* sleep */.yy)(Math.min(100, deadline - Date.now()));
    }
}

;// CONCATENATED MODULE: ./src/action/report/report.ts
// What a step tells the person reading the job: the tunnel that came up (log and job summary), or
// why it failed with the interface's state at that moment.





/** A table cell: one line, with the characters Markdown and HTML would read escaped. */
const cell = (t) => t
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[|\\]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;');
function report(o) {
    const peers = o.peers.map((p) => (p.endpoint ? (0,messages/* endpointShown */.xY)(p.endpoint) : p.publicKey));
    const handshake = o.handshakeMs === undefined ? 'not awaited (no peer has an Endpoint)' : (0,messages/* duration */.p0)(o.handshakeMs);
    const rows = [
        ['Interface', `${o.iface} (${o.mode}, MTU ${o.mtu})`],
        ['Addresses', o.addresses.map(common_ip/* prefixText */.Oj).join(', ')],
        ['Peer', peers.join(', ')],
        ['Routes', o.routes.join(', ') || '(the addresses’ own networks)'],
        ['Handshake', handshake],
        ['Public key', o.publicKey],
        ...(o.extra ?? [])
    ];
    for (const c of o.checks)
        rows.push([checkLabel(c.check), `answered in ${(0,messages/* duration */.p0)(c.ms)}`]);
    const head = o.handshakeMs === undefined
        ? `WireGuard tunnel ${o.iface} is up (no handshake awaited: no peer has an Endpoint)`
        : `WireGuard tunnel ${o.iface} is up: handshake with ${peers.join(', ')} in ${(0,messages/* duration */.p0)(o.handshakeMs)}`;
    toolkit/* info */.pq(head);
    for (const [k, v] of rows)
        toolkit/* info */.pq(`  ${k}: ${v}`);
    const table = rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`);
    toolkit/* appendSummary */.fe(['### WireGuard tunnel is up', '', '| | |', '|---|---|', ...table, ''].join('\n'));
}
async function reportFailure(iface, secrets, message, deadline) {
    // Diagnostics are loaded only on failure.
    const { collectDiagnostics } = await __nccwpck_require__.e(/* import() */ 497).then(__nccwpck_require__.bind(__nccwpck_require__, 497));
    const text = await collectDiagnostics(iface, secrets, deadline).catch((e) => `diagnostics failed: ${(0,errors/* errorText */.k)(e)}`);
    toolkit/* startGroup */.Oh('WireGuard diagnostics');
    toolkit/* info */.pq(text);
    toolkit/* endGroup */.N4();
    // The message may quote a gateway's reason, and the diagnostics what `wg`/`ip` printed: neither
    // may become Markdown (a link, an image) or leave its code block.
    const fence = '`'.repeat(Math.max(3, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length + 1)));
    toolkit/* appendSummary */.fe(`### WireGuard tunnel failed\n\n${markdownText(message)}\n\n<details><summary>Diagnostics</summary>\n\n${fence}\n${text}\n${fence}\n\n</details>\n`);
}
/** `text` as literal Markdown text: every character Markdown or HTML could read as markup is escaped. */
const markdownText = (text) => text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

;// CONCATENATED MODULE: ./src/action/inputs/tunnel.ts
// The tunnel: what WireGuard and the routing need, whoever described it. The per-field inputs, the
// `config` input and (in gateway mode) the gateway's lease all produce this one type.

/** Where an address (`address`) or an allowed IP was given, when that was written down. */
function prefixOrigin(t, what, p) {
    return (what === 'address' ? t.origins?.addresses : t.origins?.allowedIps)?.[(0,common_ip/* prefixText */.Oj)(p)];
}

;// CONCATENATED MODULE: ./src/action/host/resolve.ts
// What bring-up must know of the world before it changes anything: the address each endpoint host
// name resolves to (carried in the endpoint from then on), and wg-quick's automatic MTU.








const isIp = (host) => /^[0-9.]+$/.test(host) || host.includes(':');
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
                    const source = peers.find((p) => p.endpoint?.host === host)?.endpoint?.source ?? { input: names/* INPUT */.bO.endpoint };
                    const code = err.code ?? (0,errors/* errorText */.k)(err);
                    // From config (a secret) the name is not shown, only the line; the endpoint input is no secret.
                    const what = source.input === names/* INPUT */.bO.endpoint ? `host name "${host}"` : 'Endpoint host name';
                    const fix = "check its spelling and that the runner's DNS knows it";
                    throw endpointError(source, `${what} does not resolve (${code}): ${fix}`);
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
        const dev = /\bdev (\S+)/.exec(text)?.[1];
        const mtu = /\bmtu ([0-9]+)/.exec(text);
        if (mtu)
            return { mtu: Number(mtu[1]), dev };
        return { mtu: dev ? (0,probe/* deviceMtu */.RQ)(dev) : 0, dev };
    };
    const hosts = [...new Set(peers.flatMap((p) => (p.endpoint ? [p.endpoint.address ?? p.endpoint.host] : [])))];
    const seen = await Promise.all(hosts.map(async (h) => ({ ...fromRoute((await (0,run/* run */.eF)([ip, 'route', 'get', h], limits)).stdout), towards: h })));
    const best = seen.reduce((b, s) => (s.mtu > (b?.mtu ?? 0) ? s : b), undefined);
    if (best)
        return { mtu: (0,host_plan/* autoMtu */.c0)([best.mtu]), given: false, pathMtu: best.mtu, dev: best.dev, towards: best.towards };
    const def = fromRoute((await (0,run/* run */.eF)([ip, 'route', 'show', 'default'], limits)).stdout.split('\n')[0] ?? '');
    return { mtu: (0,host_plan/* autoMtu */.c0)([def.mtu]), given: false, pathMtu: def.mtu > 0 ? def.mtu : 1500, dev: def.dev };
}
/**
 * The refusal of an MTU under 1280 with any IPv6 in the tunnel (given, or chosen from the route
 * towards the endpoint), or undefined: Linux would turn IPv6 off on the link without a word, and
 * that traffic would leave by the uplink. (wg-quick fails on it only later, at a route it cannot
 * add, after changing things.) Pure: checked before anything is made.
 */
function ipv6MtuRefusal(tunnel, chosen) {
    const v6 = (0,host_plan/* firstIpv6 */.MP)(tunnel);
    if (chosen.mtu >= host_plan/* IPV6_MIN_MTU */.EP || v6 === undefined)
        return undefined;
    return (0,messages/* ipv6MtuTooSmall */.h)(chosen, tunnel.origins?.mtu, { ...v6, origin: prefixOrigin(tunnel, v6.what, v6.prefix) });
}

// EXTERNAL MODULE: ./src/action/journal/journal.ts
var journal = __nccwpck_require__(329);
// EXTERNAL MODULE: ./src/action/host/shared.ts
var shared = __nccwpck_require__(860);
;// CONCATENATED MODULE: ./src/action/host/routing.ts











/** How many times a table taken meanwhile is traded for the next free one. */
const TABLE_TRIES = 5;
/** Reads the routes and rules of both families once (four `ip` reads, at the same time). */
async function readRouting(ctx) {
    const shown = await Promise.all([
        ['-4', 'route', 'show', 'table', 'all'],
        ['-6', 'route', 'show', 'table', 'all'],
        ['-4', 'rule', 'show'],
        ['-6', 'rule', 'show']
    ].map((args) => (0,run/* run */.eF)([ctx.ip, ...args], ctx.limits)));
    const [r4 = '', r6 = '', u4 = '', u6 = ''] = shown.map((r) => r.stdout);
    return {
        used: (0,host_plan/* tablesInUse */.GD)(`${r4}\n${r6}`, `${u4}\n${u6}`),
        priorities: { 4: (0,host_plan/* rulePriorities */.vQ)(u4), 6: (0,host_plan/* rulePriorities */.vQ)(u6) }
    };
}
/** The routing plan; a full tunnel's table is its FwMark (which must be free), else the first free from 51820. */
async function planRouting(t, ctx) {
    if (!(0,host_plan/* isFullTunnel */.Uo)(t))
        return { ...(0,host_plan/* routingPlan */.iF)(t, 0), priorities: { 4: [], 6: [] } };
    const { used, priorities } = await readRouting(ctx);
    if (t.fwmark !== undefined) {
        if (used.has(t.fwmark))
            throw new Error((0,messages/* tableTaken */.IW)(t.fwmark));
        return { ...(0,host_plan/* routingPlan */.iF)(t, t.fwmark), priorities };
    }
    return { ...(0,host_plan/* routingPlan */.iF)(t, (0,host_plan/* pickTable */.Kq)(used)), priorities };
}
/**
 * The line for a route or rule the kernel refused, with the evidence it needs: the interface that
 * already routes the prefix (for "File exists"), or why IPv6 is off.
 */
async function routeRefused(t, line, stderr, ctx) {
    const said = (0,messages/* kernelSaid */.VK)(stderr);
    const allowed = (0,messages/* allowedIpsInput */.J0)(t.origins);
    if (line === undefined)
        return (0,messages/* ipRefused */.um)(ctx.iface, undefined, said, allowed);
    if ('rule' in line)
        return (0,messages/* ipRefused */.um)(ctx.iface, { kind: 'rule', ...line.rule }, said, allowed);
    const { prefix, table } = line.route;
    const item = { kind: 'route', prefix, table, origin: prefixOrigin(t, 'allowed IP', prefix) };
    let holder;
    if (said.errno === 'EEXIST') {
        const args = [
            '-j',
            `-${prefix.family}`,
            'route',
            'show',
            'table',
            String(table ?? 'main'),
            'exact',
            (0,common_ip/* prefixText */.Oj)(prefix)
        ];
        const shown = await (0,run/* run */.eF)([ctx.ip, ...args], ctx.limits);
        try {
            holder = JSON.parse(shown.stdout)[0]?.dev;
        }
        catch {
            holder = undefined;
        }
    }
    return (0,messages/* ipRefused */.um)(ctx.iface, item, said, allowed, { holder, ipv6Off: (0,probe/* ipv6Disabled */.OS)(ctx.iface) });
}
/**
 * Sets net.ipv4.conf.all.src_valid_mark=1 for an IPv4 full tunnel, as an owner of the namespace's
 * shared record (host/shared.ts), so that the last of ours to end puts back what the first found.
 * The owner id goes in the journal first.
 */
async function enableSrcValidMark(ctx) {
    const link = ctx.journal.find('interface');
    const owner = { id: (0,shared/* newOwnerId */.xe)(), iface: ctx.iface, ifindex: link?.ifindex ?? (0,probe/* ifindex */.Cl)(ctx.iface) ?? 0 };
    ctx.journal.add({ kind: 'sysctl', key: journal/* SRC_VALID_MARK */.wH, owner: owner.id });
    await (0,shared/* needSrcValidMark */.y4)(owner, ctx.limits);
}
/**
 * Adds the plan's routes and rules; resolves with the plan applied (its table may differ from the
 * one planned when another tunnel took that one first; the interface's fwmark follows it), what the
 * kernel holds after, and the answers to `ask`.
 */
async function applyRouting(t, planned, backend, ctx, ask = { routes: [], rules6: [] }) {
    // src_valid_mark is set beside the routes (it needs only the interface), and settled either way.
    const marking = planned.srcValidMark ? enableSrcValidMark(ctx) : Promise.resolve();
    const [routed, marked] = await Promise.allSettled([addRoutes(t, planned, backend, ctx, ask), marking]);
    if (routed.status === 'rejected')
        throw routed.reason;
    if (marked.status === 'rejected')
        throw marked.reason;
    return routed.value;
}
/** Whether bring-up runs a routing batch (routes, or IPv4 rules): else nothing rides on it. */
const hasRouteBatch = (plan) => plan.routes.length > 0 || plan.rules.some((r) => r.family === 4);
/** The routes and rules of applyRouting, trading a table taken meanwhile for the next free one. */
async function addRoutes(t, planned, backend, ctx, ask) {
    const { journal, ip } = ctx;
    const root = { root: true, ...ctx.limits };
    let plan = planned;
    // The priorities read while planning; read again only when a table has to be traded.
    let priorities = planned.priorities;
    for (let attempt = 1;; attempt++) {
        const rules = (0,host_plan/* placeRules */.Fp)(plan.rules, priorities);
        const recs = rules.map((r) => journal.add({ kind: 'rule', family: r.family, priority: r.priority, selector: r.selector }));
        const script = (0,host_plan/* routeBatch */._h)(ctx.iface, plan, rules);
        const change = script.split('\n').filter((l) => l !== '');
        (0,echo/* echoBatch */.KO)([], script);
        const rules4 = rules.some((x) => x.family === 4);
        // What was added is read back, and the questions asked, in the same process.
        const done = change.length > 0
            ? await ipBatch(ip, [], { change, read: routesRead(ctx.iface, rules4), ask: ask.routes }, root)
            : undefined;
        if (done === undefined || done.changed) {
            const six = rules.filter((x) => x.family === 6);
            const applied = {
                ...plan,
                placed: rules,
                shown: { routes: done?.reads[0], rules4: rules4 ? done?.reads[1] : undefined },
                answers: { routes: done?.answers ?? [], rules6: [] },
                ...(done?.unread === undefined ? {} : { unread: done.unread })
            };
            if (six.length === 0)
                return applied;
            const lines = { change: six.map((x) => (0,host_plan/* ruleLine */.lW)(x, 'add')), read: ['rule show'], ask: ask.rules6 };
            (0,echo/* echoBatch */.KO)(['-6'], `${lines.change.join('\n')}\n`);
            const added = await ipBatch(ip, ['-6'], lines, root);
            if (!added.changed) {
                const r = added.result;
                if (r.timedOut || (0,run/* sudoRefused */.Ub)((0,run/* commandLine */.ay)([ip], root, (0,run/* isRoot */.jX)()), r.stderr))
                    throw new run/* CommandError */.Qd((0,run/* commandLine */.ay)([ip, '-6', '-batch', '-'], root, (0,run/* isRoot */.jX)()), r);
                const rule = six[(added.failedAt ?? 1) - 1];
                const said = (0,messages/* kernelSaid */.VK)(r.stderr);
                throw new Error((0,messages/* ipRefused */.um)(ctx.iface, rule && { kind: 'rule', ...rule }, said, (0,messages/* allowedIpsInput */.J0)(t.origins)));
            }
            return {
                ...applied,
                shown: { ...applied.shown, rules6: added.reads[0] },
                answers: { ...applied.answers, rules6: added.answers },
                unread: applied.unread ?? added.unread
            };
        }
        const r = done.result;
        const failedAt = done.failedAt ?? 0;
        const taken = t.fwmark === undefined && failedAt >= 1 && failedAt <= (0,host_plan/* policyRouteCount */.DE)(plan) && /File exists/.test(r.stderr);
        if (r.timedOut || (0,run/* sudoRefused */.Ub)((0,run/* commandLine */.ay)([ip], root, (0,run/* isRoot */.jX)()), r.stderr))
            throw new run/* CommandError */.Qd((0,run/* commandLine */.ay)([ip, '-batch', '-'], root, (0,run/* isRoot */.jX)()), r);
        if (!taken || attempt >= TABLE_TRIES) {
            const line = (0,host_plan/* routeBatchLines */.j3)(plan, rules)[failedAt - 1];
            throw new Error(await routeRefused(t, line, r.stderr, ctx));
        }
        // The batch stopped at the policy table's routes: no rule was added. Take back what went into
        // that table on this interface, and move to the next free table.
        for (const rec of recs)
            journal.remove(rec);
        const table = plan.fwmark;
        for (const f of ['-4', '-6']) {
            const flush = [ip, f, 'route', 'flush', 'dev', ctx.iface, 'table', String(table)];
            (0,echo/* echo */.WI)(flush);
            await (0,run/* run */.eF)(flush, root);
        }
        const seen = await readRouting(ctx);
        seen.used.add(table);
        priorities = seen.priorities;
        plan = (0,host_plan/* routingPlan */.iF)(t, (0,host_plan/* pickTable */.Kq)(seen.used));
        await backend.setFwmark(plan.fwmark);
    }
}

;// CONCATENATED MODULE: ./src/action/lease/source.ts
async function obtainTunnel(cfg, journal, deadline) {
    if (cfg.source.kind === 'static')
        return { tunnel: cfg.source.tunnel, rows: [] };
    const { leaseTunnel } = await __nccwpck_require__.e(/* import() */ 524).then(__nccwpck_require__.bind(__nccwpck_require__, 524));
    return leaseTunnel(cfg.source, journal, deadline);
}

;// CONCATENATED MODULE: ./src/action/journal/state.ts
// The journal as the runner keeps it between main and post: the step state `journal`, which main
// saves after every change and the runner hands to post as STATE_journal.



const KEY = names/* STATE */.c4.journal;
/** A journal that main writes to the step state as it goes. */
const stepJournal = () => new journal/* Journal */.CQ((text) => toolkit/* saveState */.LZ(KEY, text));
/** What main recorded, for post (which keeps it up to date in case it has to be run again). */
const loadJournal = () => new Journal((text) => core.saveState(KEY, text), parseJournal(core.getState(KEY)));

// EXTERNAL MODULE: ./src/action/host/install.ts
var install = __nccwpck_require__(674);
;// CONCATENATED MODULE: ./src/action/up.ts
// The main step, in the order of wg-quick's cmd_up: make the interface, configure it, give it
// addresses and MTU, route, set DNS; then prove it (a handshake with every peer, every check).
// Each step writes what it makes in the journal first; on any failure everything is rolled back,
// and whatever could not be is left in the journal for post.























/**
 * A debug line with the time since the process started, for reading where the step spends it.
 * process.uptime(), not performance.now(): the global `performance` loads node:perf_hooks (0.7 ms).
 */
const mark = (what) => toolkit/* debug */.Yz(`${what} at ${Math.round(process.uptime() * 1000)} ms`);
/** Refuses, in one line, a runner that cannot host a tunnel at all. */
function checkPlatform() {
    if (process.platform !== 'linux')
        throw new Error((0,messages/* unsupportedPlatform */.rG)(process.platform));
    if (!(0,probe/* hasNetAdmin */.rn)((0,run/* isRoot */.jX)()))
        throw new Error(messages/* noNetAdmin */.c7);
}
/** Waits for all, then throws the first failure: nothing still runs (and journals) after a rollback starts. */
async function settleAll(work) {
    const settled = await Promise.allSettled(work);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed)
        throw failed.reason;
    return settled.map((s) => s.value);
}
/** The tunnel (given, or leased from the gateway), endpoints resolved, routing planned, MTU chosen: reads only. */
async function prepare(cfg, tools, journal, deadline) {
    const given = await obtainTunnel(cfg, journal, deadline);
    toolkit/* setOutput */.uH(names/* OUTPUT */.aQ.publicKey, given.tunnel.publicKey);
    const peers = await resolveEndpoints(given.tunnel.peers, Math.max(1, deadline - Date.now()));
    const tunnel = { ...given.tunnel, peers };
    const limits = { deadline };
    const [planned, chosen] = await Promise.all([
        // A table that another tunnel uses is refused here, before anything is made.
        planRouting(tunnel, { iface: cfg.iface, ip: tools.ip, journal, limits }),
        tunnel.mtu !== undefined
            ? Promise.resolve({ mtu: tunnel.mtu, given: true })
            : chooseMtu(peers, tools.ip, limits)
    ]);
    const refused = ipv6MtuRefusal(tunnel, chosen);
    if (refused)
        throw new Error(refused);
    return { tunnel, planned, mtu: chosen.mtu, rows: given.rows, gateway: given.gateway };
}
/**
 * Gives the interface its addresses and MTU and sets it up; a refusal names the address or MTU and
 * its line. Resolves with the link as the kernel holds it after (readback.ts) and the answers to
 * the questions asked (batch.ts), all in the one `ip` process.
 */
async function linkUp(t, mtu, ip, limits, ask) {
    const items = [
        ...t.addresses.map((prefix) => ({ kind: 'address', prefix, origin: prefixOrigin(t, 'address', prefix) })),
        { kind: 'mtu', mtu, origin: t.origins?.mtu }
    ];
    const script = (0,host_plan/* linkBatch */.vK)(t.iface, t.addresses, mtu);
    const change = script.split('\n').filter((l) => l !== '');
    (0,echo/* echoBatch */.KO)([], script);
    const root = { root: true, ...limits };
    const done = await ipBatch(ip, [], { change, read: [linkRead(t.iface)], ask }, root);
    if (!done.changed) {
        const r = done.result;
        const argv = (0,run/* commandLine */.ay)([ip, '-batch', '-'], root, (0,run/* isRoot */.jX)());
        if (r.timedOut || (0,run/* sudoRefused */.Ub)(argv, r.stderr))
            throw new run/* CommandError */.Qd(argv, r);
        const said = (0,messages/* kernelSaid */.VK)(r.stderr);
        const item = done.failedAt === undefined ? undefined : items[done.failedAt - 1];
        throw new Error((0,messages/* ipRefused */.um)(t.iface, item, said, (0,messages/* allowedIpsInput */.J0)(t.origins), { ipv6Off: (0,probe/* ipv6Disabled */.OS)(t.iface) }));
    }
    return { link: done.reads[0], answers: done.answers, unread: done.unread };
}
/** Throws the one line for the first way the kernel's state differs from `want` (or could not be read). */
function refuseDifference(want, unread, held) {
    const differs = unread === undefined ? difference(want, held, probe/* ipv6Disabled */.OS) : { kind: 'unread', said: unread };
    if (differs)
        throw new Error((0,messages/* kernelDiffers */.bn)(want, differs));
}
/**
 * Which batch asks the way to each check of an address (batch.ts): the last that can answer it,
 * after everything its answer depends on is in place. IPv6 targets go on the IPv6 rules batch where
 * there is one; the rest on the routing batch, else on the link batch.
 */
function whereToAsk(targets, planned) {
    const rules6 = planned.rules.some((r) => r.family === 6);
    const routes = hasRouteBatch(planned);
    const on = { link: [], routes: [], rules6: [] };
    for (const t of targets)
        on[t.address.includes(':') && rules6 ? 'rules6' : routes ? 'routes' : 'link'].push(t);
    return on;
}
/** Configures the interface made, gives it addresses, routes and DNS, then proves it carries traffic. */
async function bringUp(settings, { tunnel, planned, mtu, gateway }, userspace, tools, journal, deadline) {
    const { iface, timeoutMs } = settings;
    const cfg = { ...tunnel, iface };
    const limits = { deadline };
    const ctx = { iface, ip: tools.ip, journal, limits };
    const backend = chooseBackend({ iface, limits, userspace, wg: tools.wg, journal });
    // Checks of an address have their way asked on bring-up's own batches, once it is in place.
    const on = whereToAsk(addressTargets(settings.checks), planned);
    const questions = (ts) => ts.map((q) => routeQuestion(q));
    await backend.configure(cfg, planned.fwmark ?? cfg.fwmark);
    // Every command may succeed and the kernel still hold less: what it holds is read on the same
    // batches and compared with the plan, the link before anything is routed through it.
    const linked = await linkUp(cfg, mtu, tools.ip, limits, questions(on.link));
    const linkWant = { iface, addresses: cfg.addresses, mtu, routes: [], rules: [] };
    refuseDifference(linkWant, linked.unread, heldFrom(linked.link));
    const plan = await applyRouting(cfg, planned, backend, ctx, {
        routes: questions(on.routes),
        rules6: questions(on.rules6)
    });
    const { routes, rules4, rules6 } = plan.shown;
    const want = { ...linkWant, routes: plan.routes, rules: plan.placed };
    refuseDifference(want, plan.unread, heldFrom(linked.link, routes, rules4, rules6));
    const outside = firstOutside(on.link, linked.answers, iface) ??
        firstOutside(on.routes, plan.answers.routes, iface) ??
        firstOutside(on.rules6, plan.answers.rules6, iface);
    if (outside)
        throw new Error(outsideTunnel(cfg, outside));
    await (0,dns/* applyDns */.ub)(cfg, journal, limits);
    mark('link up');
    const upAt = Date.now();
    const missing = await waitForHandshakes(cfg.peers, () => backend.handshakes(), deadline);
    if (missing.length > 0) {
        throw new Error((0,messages/* handshakeFailure */.Q$)(cfg, missing[0], timeoutMs, gateway));
    }
    const handshakeMs = cfg.peers.some((p) => p.endpoint) ? Date.now() - upAt : undefined;
    mark('handshake');
    // Checks of a name are asked after the handshake: the tunnel may carry their DNS.
    const late = await checkNameRoutes(settings.checks, tools.ip, iface, limits);
    if (late)
        throw new Error(outsideTunnel(cfg, late));
    const [checks] = await Promise.all([
        Promise.all(settings.checks.map((c) => runCheck(c, deadline))),
        backend.restoreKeepalive(cfg)
    ]);
    mark('checks');
    const failed = checks.find((c) => !c.ok);
    if (failed)
        throw new Error((0,messages/* checkFailure */.V1)(checkLabel(failed.check), failed.reason ?? '', cfg.addresses, timeoutMs));
    const mode = userspace ? 'userspace (wireguard-go)' : 'kernel';
    return { ...cfg, mode, mtu, routes: plan.routes.map(host_plan/* routeText */.RI), handshakeMs, checks };
}
/** The line for a check whose target would not go through the tunnel, with the fix that fits. */
function outsideTunnel(t, r) {
    const allowed = t.peers.flatMap((p) => p.allowedIps);
    return (0,messages/* checkOutsideTunnel */.Q3)(checkLabel(r.check), r, t.iface, {
        allowedIps: (0,messages/* allowedIpsInput */.J0)(t.origins),
        covered: coveredBy(allowed, r.address),
        table: t.table,
        endpoint: t.peers.some((p) => p.endpoint?.address === r.address)
    });
}
/**
 * How long past the step's deadline a rollback may run (a few milliseconds on a runner; seconds
 * where every process is slow, as under emulation or a stalling sudo): what it cannot undo by then
 * is post's. Diagnostics get a third of it at most: undoing comes first.
 */
const ROLLBACK_MS = 5000;
/** Shows what the interface looked like, then undoes the journal; what stays is post's to retry. */
async function rollBack(journal, secrets, message, deadline) {
    const budget = Math.max(deadline, Date.now()) + ROLLBACK_MS;
    const made = journal.find('interface');
    (0,echo/* endCommandGroup */.k6)();
    if (made?.ifindex !== undefined && (0,probe/* ifindex */.Cl)(made.name) === made.ifindex) {
        await reportFailure(made.name, secrets, message, Date.now() + Math.min(1500, (budget - Date.now()) / 3));
    }
    (0,echo/* commandGroup */.Bo)(`Rolling back ${made?.name ?? 'what main made'}`);
    // Loaded only here, on failure: a step that succeeds never compiles the teardown (post's code).
    const { teardown } = await __nccwpck_require__.e(/* import() */ 384).then(__nccwpck_require__.bind(__nccwpck_require__, 384));
    const undone = await teardown(journal, budget);
    (0,echo/* endCommandGroup */.k6)();
    for (const w of undone.warnings)
        toolkit/* warning */.$e(`rollback: ${w}`);
    if (journal.find('lease')) {
        const { releaseLeases } = await __nccwpck_require__.e(/* import() */ 524).then(__nccwpck_require__.bind(__nccwpck_require__, 524));
        const leases = await releaseLeases(journal, budget);
        for (const w of leases.warnings)
            toolkit/* warning */.$e(`rollback: ${w}`);
    }
    if (!journal.empty)
        toolkit/* warning */.$e('rollback left some of what main made in place; post will try again');
}
async function runMain() {
    const journal = stepJournal();
    let secrets = [];
    let deadline;
    try {
        // Masked before anything else can print them.
        secrets = secretsToMask(toolkit/* getInput */.V4);
        for (const s of secrets)
            toolkit/* setSecret */.Pq(s);
        checkPlatform();
        const cfg = readConfig(toolkit/* getInput */.V4);
        toolkit/* setOutput */.uH(names/* OUTPUT */.aQ.interface, cfg.iface);
        (0,echo/* commandGroup */.Bo)(`Bringing up ${cfg.iface}`);
        mark('inputs valid');
        // One apt transaction for everything missing, wireguard-go included when it will be needed.
        const want = (0,host_link/* userspaceFirst */.g)(cfg.userspace) ? ['wg', 'ip', 'wireguard-go'] : ['wg', 'ip'];
        const tools = await (0,install/* ensureTools */.Q)(want, cfg.install);
        // `timeout` bounds the whole step but for installing packages (whose time apt decides).
        deadline = Date.now() + cfg.timeoutMs;
        await (0,host_link/* refuseTakenName */.Ls)(cfg.iface);
        const limits = { deadline };
        const preparing = prepare(cfg, tools, journal, deadline);
        // A tunnel from the inputs is checked in full before anything is made; a lease is asked for
        // while the interface is made (it does not depend on it).
        if (cfg.source.kind === 'static')
            await preparing;
        const making = (0,host_link/* createInterface */.eE)({ ...cfg, tools, limits }, journal);
        const [prepared, { userspace }] = await settleAll([preparing, making]);
        mark('interface created');
        const up = await bringUp(cfg, prepared, userspace, tools, journal, deadline);
        toolkit/* setOutput */.uH(names/* OUTPUT */.aQ.address, up.addresses.map((a) => a.address).join(','));
        up.extra = prepared.rows;
        (0,echo/* endCommandGroup */.k6)();
        report(up);
        mark('main done');
    }
    catch (err) {
        const message = (0,errors/* errorText */.k)(err);
        (0,echo/* endCommandGroup */.k6)();
        if (!journal.empty)
            await rollBack(journal, secrets, message, deadline ?? Date.now());
        toolkit/* setFailed */.C1(message);
    }
}

;// CONCATENATED MODULE: ./src/action/main.ts


void runMain().then(exitWhenFlushed);

