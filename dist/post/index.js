import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/toolkit.ts
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
    process.stdout.write(`::${name}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
/** Registers a secret with the runner, which masks it in every later log line (and swallows this one). */
const setSecret = (secret) => command('add-mask', secret);
const debug = (message) => command('debug', message);
const warning = (message) => command('warning', message);
const info = (message) => void process.stdout.write(`${message}${external_node_os_namespaceObject.EOL}`);
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
    return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}
function fileCommand(variable, name, value) {
    const file = process.env[variable];
    if (file)
        appendFileSync(file, fileCommandText(name, value), 'utf8');
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

;// CONCATENATED MODULE: ./src/names.ts
// Interface names as Linux and wg-quick accept them: 1 to 15 of letters, digits and _=+.-
const IFACE = /^[a-zA-Z0-9_=+.-]{1,15}$/;

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
function ip_maxBits(family) {
    return family === 4 ? 32 : 128;
}
/** Parses `ADDR/BITS` or a bare `ADDR` (a host prefix). Returns a reason string on failure. */
function parsePrefix(text) {
    const slash = text.indexOf('/');
    const addrText = slash < 0 ? text : text.slice(0, slash);
    const parsed = parseAddress(addrText);
    if (!parsed)
        return `"${text}" is not an IPv4 or IPv6 address`;
    const max = ip_maxBits(parsed.family);
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
function ip_network(prefix) {
    const parsed = parseAddress(prefix.address);
    if (!parsed)
        throw new Error(`invalid address ${prefix.address}`);
    const bytes = parsed.bytes.map((b, i) => {
        const keep = Math.min(8, Math.max(0, prefix.bits - i * 8));
        return b & ((0xff << (8 - keep)) & 0xff);
    });
    return { family: prefix.family, address: formatBytes(prefix.family, bytes), bits: prefix.bits };
}
function ip_prefixText(prefix) {
    return `${prefix.address}/${prefix.bits}`;
}
/** True when `outer` contains every address of `inner`. */
function ip_contains(outer, inner) {
    if (outer.family !== inner.family || outer.bits > inner.bits)
        return false;
    return ip_network({ ...inner, bits: outer.bits }).address === ip_network(outer).address;
}

;// CONCATENATED MODULE: ./src/state.ts
// What main created, saved as it goes so that post can undo exactly that, even when main was
// killed part-way.



const KEY = 'created';
const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark';
// What post accepts from the state: it hands these to ip, sysctl and resolvconf.
const ROUTE = /^[0-9a-f:.]+\/[0-9]{1,3}( table [0-9]{1,10})?$/;
const RULE = /^-[46] (not fwmark [0-9]{1,10} table [0-9]{1,10}|table main suppress_prefixlength 0)$/;
const IFACE_OR_PREFIXED = /^([A-Za-z0-9-]+\.)?[a-zA-Z0-9_=+.-]{1,15}$/;
const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
function saveCreated(created) {
    core.saveState(KEY, created ? JSON.stringify(created) : '');
}
/** What main recorded, or undefined when it created nothing (or its record is unreadable). */
function loadCreated() {
    const text = getState(KEY);
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

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
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
function run_run(argv, opts = {}) {
    const full = commandLine(argv, opts, isRoot());
    debug(`run: ${full.join(' ')} (at ${Math.round(performance.now())} ms)`);
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
async function run_mustRun(argv, opts = {}, explain) {
    const r = await run_run(argv, opts);
    if (r.code === 0)
        return r;
    const full = commandLine(argv, opts, isRoot());
    if (explain && !(full[0] === 'sudo' && /^sudo: /m.test(r.stderr)))
        throw explain(`${r.stderr}\n${r.stdout}`);
    throw new CommandError(full, r);
}

;// CONCATENATED MODULE: ./src/tools.ts
// Finding the programs the tunnel needs, and installing the missing ones with apt in one
// transaction, non-interactively.




/** The Debian/Ubuntu package that provides each tool. */
const PACKAGE = { wg: 'wireguard-tools', ip: 'iproute2', 'wireguard-go': 'wireguard-go' };
/** PATH, then the sbin directories that an unprivileged user's PATH may lack. */
function searchPath() {
    const dirs = (process.env.PATH ?? '').split(external_node_path_namespaceObject.delimiter).filter((d) => d !== '');
    for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin'])
        if (!dirs.includes(d))
            dirs.push(d);
    return dirs;
}
function tools_locate(tool) {
    for (const dir of searchPath()) {
        const path = (0,external_node_path_namespaceObject.join)(dir, tool);
        if ((0,external_node_fs_namespaceObject.existsSync)(path))
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
    core.info(`Installing ${packages.join(', ')} with apt-get`);
    const first = await run(install, { root: true, env: APT_ENV, ...APT_LIMIT });
    if (first.code === 0)
        return;
    core.info('apt-get install failed; refreshing the package lists and trying once more');
    await run(aptCommand(['update']), { root: true, env: APT_ENV, ...APT_LIMIT });
    await mustRun(install, { root: true, env: APT_ENV, ...APT_LIMIT });
}
/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
async function ensureTools(tools, install) {
    const paths = {};
    const missing = [];
    for (const t of tools) {
        const path = tools_locate(t);
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
    if (tools_locate('apt-get') === undefined)
        throw new Error(`${names} not found and apt-get is not available to install it: install ${packages.join(' and ')} in an earlier step`);
    await aptInstall(packages);
    for (const t of missing) {
        const path = tools_locate(t);
        if (path === undefined)
            throw new Error(`\`${t}\` still not found after installing ${PACKAGE[t]} (looked in ${searchPath().join(':')})`);
        paths[t] = path;
    }
    return paths;
}

;// CONCATENATED MODULE: ./src/dns.ts
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

;// CONCATENATED MODULE: ./src/system.ts
// Read-only probes of the system, through the file system only (no processes started).



const socketPath = (iface) => `/var/run/wireguard/${iface}.sock`;
const linkExists = (iface) => (0,external_node_fs_namespaceObject.existsSync)(`/sys/class/net/${iface}`);
function readText(path) {
    try {
        return (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** The kernel has WireGuard loaded, built in, or as a module it can load. */
function kernelHasWireguard() {
    if (existsSync('/sys/module/wireguard'))
        return true;
    const dir = `/lib/modules/${release()}`;
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
    return argv.length >= 2 && (0,external_node_path_namespaceObject.basename)(argv[0]) === 'wireguard-go' && argv[argv.length - 1] === iface;
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
    for (const entry of (0,external_node_fs_namespaceObject.readdirSync)('/proc')) {
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
    if (isRoot()) {
        try {
            process.kill(pid, `SIG${name}`);
        }
        catch {
            // Exited meanwhile.
        }
    }
    else {
        await run_run(['kill', `-${name}`, String(pid)], { root: true });
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
        debug(`wireguard-go stopped ${Math.round(performance.now() - sent)} ms after SIGTERM`);
        // The interface closes as the process exits.
        await waitUntil(() => !linkExists(iface), 1000);
        report.removed.push(`wireguard-go (pid ${pid})`);
    }
    const sock = socketPath(iface);
    if (isRoot()) {
        if ((0,external_node_fs_namespaceObject.existsSync)(sock)) {
            (0,external_node_fs_namespaceObject.rmSync)(sock, { force: true });
            report.removed.push(sock);
        }
    }
    else if (stale) {
        await run_run(['rm', '-f', sock], { root: true });
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
            const r = await run_run(argv, { root: true });
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
            const ip = tools_locate('ip') ?? 'ip';
            const rules6 = ruleLines(created.rules, '-6', 'del');
            if (rules6.length > 0)
                await run_run([ip, '-6', '-force', '-batch', '-'], { root: true, input: `${rules6.join('\n')}\n` });
            const r = await run_run([ip, '-force', '-batch', '-'], {
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
            await run_mustRun(['sysctl', '-q', '-w', `${key}=${was}`], { root: true });
            report.removed.push(`${key} back to ${was}`);
        });
    }
    for (const file of created.files) {
        await attempt(`remove ${file}`, async () => {
            if ((0,external_node_fs_namespaceObject.existsSync)(file)) {
                (0,external_node_fs_namespaceObject.rmSync)(file, { recursive: true, force: true });
                report.removed.push(file);
            }
        });
    }
    return report;
}

;// CONCATENATED MODULE: ./src/down.ts
// The post step: undo exactly what main recorded. It never fails the job; problems are warnings.



async function runPost() {
    try {
        const created = loadCreated();
        if (!created) {
            info('Nothing to tear down: main created no tunnel');
            return;
        }
        const report = await teardown(created);
        for (const w of report.warnings)
            warning(`${w} (proceeding anyway)`);
        debug(`post done at ${Math.round(performance.now())} ms`);
        info(report.removed.length > 0
            ? `Removed ${report.removed.join('; ')}`
            : `Nothing of ${created.iface} was left to remove`);
    }
    catch (err) {
        warning(`teardown failed: ${err instanceof Error ? err.message : String(err)} (proceeding anyway)`);
    }
}

;// CONCATENATED MODULE: ./src/post.ts

// Exit as soon as the step is done (see main.ts).
void runPost().then(() => process.exit());

