#!/usr/bin/env node
// @ts-check
// node lab/vm/run.mjs [--timeout SECONDS] [--console] -- COMMAND [ARG…]
// Runs COMMAND in a QEMU guest with Debian's kernel (WireGuard module included), in the current
// directory as the guest sees the host's tree, and exits with its exit code. Installs what it needs
// on first use. See docs/kernel-lab.md.
import { runInVm } from './vm.mjs'

const args = process.argv.slice(2)
const dash = args.indexOf('--')
const own = dash < 0 ? [] : args.slice(0, dash)
const argv = dash < 0 ? args : args.slice(dash + 1)
let timeoutMs = 30 * 60_000
let showConsole = false
for (let i = 0; i < own.length; i++) {
  if (own[i] === '--console') showConsole = true
  else if (own[i] === '--timeout' && /^[1-9][0-9]*$/.test(own[i + 1] ?? '')) timeoutMs = Number(own[++i]) * 1000
  else {
    console.error(
      `unknown option ${own[i]}\nusage: node lab/vm/run.mjs [--timeout SECONDS] [--console] -- COMMAND [ARG…]`
    )
    process.exit(2)
  }
}
if (argv.length === 0) {
  console.error('usage: node lab/vm/run.mjs [--timeout SECONDS] [--console] -- COMMAND [ARG…]')
  process.exit(2)
}
const log = (/** @type {string} */ line) => console.error(`vm: ${line}`)
try {
  // Nothing after the command's own output: its last line (a suite's summary) stays the last.
  const r = await runInVm(argv, { timeoutMs, log, showConsole })
  process.exitCode = r.code
} catch (err) {
  log(err instanceof Error ? err.message : String(err))
  process.exitCode = 125
}
