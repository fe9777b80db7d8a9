export const id = 851;
export const ids = [851];
export const modules = {

/***/ 851:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
exports.collectDiagnostics = collectDiagnostics;
// What the interface looked like when bring-up failed: `wg show` (keys hidden), addresses, routes.
// Only loaded on failure.
const errors_js_1 = __webpack_require__(916);
const run_js_1 = __webpack_require__(786);
const system_js_1 = __webpack_require__(666);
/** Replaces every secret by `***`, whatever the command printed. */
function redact(text, secrets) {
    let out = text;
    for (const s of secrets)
        if (s)
            out = out.split(s).join('***');
    return out;
}
async function collectDiagnostics(iface, secrets, deadline) {
    const wg = (0, system_js_1.locate)('wg') ?? 'wg';
    const ip = (0, system_js_1.locate)('ip') ?? 'ip';
    const commands = [
        { argv: [wg, 'show', iface], root: true, env: { WG_HIDE_KEYS: 'always' } },
        { argv: [ip, 'address', 'show', 'dev', iface], root: false },
        { argv: [ip, '-4', 'route', 'show', 'dev', iface], root: false },
        { argv: [ip, '-6', 'route', 'show', 'dev', iface], root: false }
    ];
    const outputs = await Promise.all(commands.map(async (c) => {
        const r = await (0, run_js_1.run)(c.argv, { root: c.root, env: c.env, deadline }).catch((e) => ({
            code: 1,
            stdout: '',
            stderr: (0, errors_js_1.errorText)(e)
        }));
        const shownArgv = c.argv.map((a, i) => (i === 0 ? (a.split('/').pop() ?? a) : a));
        return `$ ${shownArgv.join(' ')}\n${(r.stdout + r.stderr).trim() || '(nothing)'}`;
    }));
    return redact(outputs.join('\n\n'), secrets);
}


/***/ })

};
