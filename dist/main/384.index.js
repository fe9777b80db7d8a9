export const id = 384;
export const ids = [384];
export const modules = {

/***/ 384:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   teardown: () => (/* binding */ teardown)
/* harmony export */ });
/* unused harmony export liveFullTunnel */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _host_dns_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(46);
/* harmony import */ var _host_link_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(473);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(922);
/* harmony import */ var _journal_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(329);
/* harmony import */ var _host_run_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(994);
/* harmony import */ var _host_probe_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(195);
/* harmony import */ var _host_shared_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(860);
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(96);
/* harmony import */ var _host_echo_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(32);
// Undoing what the journal records, newest first: shared by post and by main's rollback. Each
// record is undone only after its identity is checked (the interface still has the recorded
// ifindex in this network namespace, the process the recorded start time, the rule its priority),
// so that nothing of the same name made by another job is ever touched. Never throws: every
// problem comes back as a warning, and what could not be undone stays in the journal for post.










/** Each undo command may take this long: enough for a slow sudo, short of hanging post. */
const COMMAND_MS = 10_000;
const ip = () => (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .locate */ .x5)('ip') ?? 'ip';
const asRoot = (b) => ({ root: true, timeoutMs: COMMAND_MS, deadline: b.deadline });
/** A wait of `ms`, cut short by the budget. */
const within = (b, ms) => b.deadline === undefined ? ms : Math.max(0, Math.min(ms, b.deadline - Date.now()));
/** The interface as recorded is still there: same name, same ifindex, and we are in its namespace. */
function stillOurs(rec) {
    const now = (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .ifindex */ .Cl)(rec.name);
    if (now === undefined)
        return 'gone';
    return rec.ifindex !== undefined && now === rec.ifindex ? 'ours' : 'other';
}
/** Sends a signal to a root process: directly when root, else through `sudo -n kill`. */
async function signal(pid, name, b) {
    (0,_host_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .WI)(['kill', `-${name}`, String(pid)]);
    if (!(0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .isRoot */ .jX)()) {
        await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)(['kill', `-${name}`, String(pid)], asRoot(b));
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
        : await (0,_host_link_js__WEBPACK_IMPORTED_MODULE_2__/* .startedDaemon */ .sY)(rec.name, rec.since, { timeoutMs: COMMAND_MS, deadline: b.deadline });
    // Dead already (killed, crashed): its socket may be left behind.
    const running = proc !== undefined && (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .sameProcess */ .ID)(proc);
    if (running) {
        const gone = () => !(0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .sameProcess */ .ID)(proc);
        const sent = process.uptime();
        await signal(proc.pid, 'TERM', b);
        if (!(await (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .waitUntil */ .a0)(gone, within(b, 3000)))) {
            await signal(proc.pid, 'KILL', b);
            if (!(await (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .waitUntil */ .a0)(gone, within(b, 1000)))) {
                return { left: `wireguard-go (pid ${proc.pid}) for ${rec.name} would not stop`, retry: true };
            }
        }
        _toolkit_js__WEBPACK_IMPORTED_MODULE_7__/* .debug */ .Yz(`wireguard-go stopped ${Math.round((process.uptime() - sent) * 1000)} ms after SIGTERM`);
    }
    // wireguard-go removes its socket on a clean exit; after a kill, the socket stays, and only the very
    // one recorded goes. The process is gone by now either way, so a socket still there with the
    // recorded identity is stale whatever ended it: a daemon already dying from a SIGKILL when this
    // step looked (its fds closed, its link gone, /proc not yet a zombie's) still "stops" on SIGTERM,
    // yet never removed its socket.
    const sock = (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .socketPath */ .Xy)(rec.name);
    const removeSocket = rec.socket !== undefined && (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .fileId */ .qp)(sock) === rec.socket;
    if (removeSocket) {
        (0,_host_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .WI)(['rm', '-f', sock]);
        if ((0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .isRoot */ .jX)())
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(sock, { force: true });
        else
            await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)(['rm', '-f', sock], asRoot(b));
    }
    const what = [running ? `${rec.name} (wireguard-go, pid ${proc.pid})` : '', removeSocket ? `${sock} (stale)` : ''];
    const said = what.filter((w) => w !== '').join(', ');
    return said ? { undone: said } : { gone: true };
}
async function deleteInterface(rec, b) {
    // The link closes as wireguard-go exits: give it a moment before looking.
    await (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .waitUntil */ .a0)(() => stillOurs(rec) !== 'ours', within(b, 1000));
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
    (0,_host_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .WI)(argv);
    await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .mustRun */ .Pv)(argv, asRoot(b));
    return { undone: rec.name };
}
async function deleteRule(rec, b) {
    const argv = [ip(), `-${rec.family}`, 'rule', 'del', ...rec.selector.split(' '), 'priority', String(rec.priority)];
    (0,_host_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .WI)(argv);
    const r = await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)(argv, asRoot(b));
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
            (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)([ip(), '-4', 'rule', 'show'], read),
            (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)([ip(), '-4', 'route', 'show', 'table', 'all'], read)
        ]);
        return liveFullTunnel(rules.stdout, routes.stdout);
    };
    if (rec.owner === undefined) {
        if (rec.was === undefined)
            return { gone: true };
        if (await fullTunnels())
            return { kept: `${_journal_js__WEBPACK_IMPORTED_MODULE_3__/* .SRC_VALID_MARK */ .wH} stays 1: another full tunnel's rules need it` };
        const argv = ['sysctl', '-q', '-w', `${rec.key}=${rec.was}`];
        (0,_host_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .WI)(argv);
        await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .mustRun */ .Pv)(argv, asRoot(b));
        return { undone: `${rec.key} back to ${rec.was}` };
    }
    const done = await (0,_host_shared_js__WEBPACK_IMPORTED_MODULE_6__/* .releaseSrcValidMark */ .JZ)(rec.owner, fullTunnels, { timeoutMs: COMMAND_MS, deadline: b.deadline });
    if ('restored' in done)
        return { undone: `${rec.key} back to ${done.restored}` };
    if ('kept' in done)
        return {
            kept: done.kept === 'ours'
                ? `${_journal_js__WEBPACK_IMPORTED_MODULE_3__/* .SRC_VALID_MARK */ .wH} stays 1: another full tunnel of this action still needs it (the last to end puts it back)`
                : `${_journal_js__WEBPACK_IMPORTED_MODULE_3__/* .SRC_VALID_MARK */ .wH} stays 1: another full tunnel's rules need it`
        };
    return { gone: true };
}
async function revertDns(rec, iface, b) {
    // Under a name that another job's interface has now, the DNS settings are theirs.
    if (iface && stillOurs(iface) === 'other')
        return { left: `DNS for ${rec.iface}: the interface is no longer ours` };
    if (rec.manager === 'resolvectl' && !(0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .linkExists */ .JO)(rec.iface))
        return { gone: true };
    const { argv } = (0,_host_dns_js__WEBPACK_IMPORTED_MODULE_1__/* .dnsDown */ .Yb)(rec.manager, rec.name);
    (0,_host_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .WI)(argv);
    await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_4__/* .mustRun */ .Pv)(argv, asRoot(b));
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
            if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(rec.path))
                return { gone: true };
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(rec.path, { recursive: true, force: true });
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
    if (iface?.netns !== undefined && (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .netns */ .p3)() !== undefined && iface.netns !== (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_5__/* .netns */ .p3)()) {
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
            report.warnings.push(`could not remove ${describe(rec)}: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .errorText */ .k)(err)}`);
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


/***/ })

};
