export const id = 497;
export const ids = [497];
export const modules = {

/***/ 497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   collectDiagnostics: () => (/* binding */ collectDiagnostics)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(922);
/* harmony import */ var _host_run_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(994);
/* harmony import */ var _host_probe_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(195);
// What the interface looked like when bring-up failed: `wg show` (keys hidden), addresses, routes.
// Only loaded on failure.



/** Replaces every secret by `***`, whatever the command printed. */
function redact(text, secrets) {
    let out = text;
    for (const s of secrets)
        if (s)
            out = out.split(s).join('***');
    return out;
}
async function collectDiagnostics(iface, secrets, deadline) {
    const wg = (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .locate */ .x5)('wg') ?? 'wg';
    const ip = (0,_host_probe_js__WEBPACK_IMPORTED_MODULE_1__/* .locate */ .x5)('ip') ?? 'ip';
    const commands = [
        { argv: [wg, 'show', iface], root: true, env: { WG_HIDE_KEYS: 'always' } },
        { argv: [ip, 'address', 'show', 'dev', iface], root: false },
        { argv: [ip, '-4', 'route', 'show', 'dev', iface], root: false },
        { argv: [ip, '-6', 'route', 'show', 'dev', iface], root: false }
    ];
    const outputs = await Promise.all(commands.map(async (c) => {
        const r = await (0,_host_run_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .eF)(c.argv, { root: c.root, env: c.env, deadline }).catch((e) => ({
            code: 1,
            stdout: '',
            stderr: (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorText */ .k)(e)
        }));
        const shownArgv = c.argv.map((a, i) => (i === 0 ? (a.split('/').pop() ?? a) : a));
        return `$ ${shownArgv.join(' ')}\n${(r.stdout + r.stderr).trim() || '(nothing)'}`;
    }));
    return redact(outputs.join('\n\n'), secrets);
}


/***/ })

};
