// @ts-check
// Observing the lab: what a namespace holds (links, addresses, routes, rules, processes, sockets)
// for before/after comparison, every process's command line and environment while a step runs
// (where a leaked secret would show), and processes found by the namespace they run in: the
// lab's identity for what it started, never a name.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { tryRun } from './machine.mjs'

/** @import { Lab } from './network.mjs' */

/** A named namespace's identity as /proc/PID/ns/net shows it, e.g. `net:[4026532301]`. */
export function netnsId(/** @type {string} */ name) {
  try {
    return `net:[${statSync(`/run/netns/${name}`).ino}]`
  } catch {
    return undefined
  }
}

/** Pids of the processes running in any of the namespaces given by identity. */
export function processesIn(/** @type {string[]} */ ids) {
  const want = new Set(ids)
  const pids = []
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      if (want.has(readlinkSync(`/proc/${entry}/ns/net`)) && !isZombie(Number(entry))) pids.push(Number(entry))
    } catch {
      /* exited while we looked */
    }
  }
  return pids
}

function isZombie(/** @type {number} */ pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return / [ZX] /.test(stat.slice(stat.lastIndexOf(')')))
}

function argvOf(/** @type {number} */ pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  } catch {
    return []
  }
}

/** Stops every process in these namespaces: SIGTERM (wireguard-go then removes its socket), SIGKILL what stays. */
export function killProcessesIn(/** @type {string[]} */ ids) {
  if (ids.length === 0) return
  const signal = (/** @type {NodeJS.Signals} */ name) => {
    for (const pid of processesIn(ids)) {
      try {
        process.kill(pid, name)
      } catch {
        /* gone already */
      }
    }
  }
  signal('SIGTERM')
  for (let i = 0; i < 200 && processesIn(ids).length > 0; i++) spawnSync('sleep', ['0.01'])
  signal('SIGKILL')
  for (let i = 0; i < 200 && processesIn(ids).length > 0; i++) spawnSync('sleep', ['0.01'])
}

/** wireguard-go processes serving `iface`, in the runner namespace of `lab` when given, else anywhere. */
/**
 * @param {string} iface
 * @param {Lab} [lab]
 */
export function wireguardGoPids(iface, lab) {
  const candidates = lab ? processesIn(runnerNetns(lab)) : allPids()
  return candidates.filter((pid) => {
    const argv = argvOf(pid)
    return argv.length >= 2 && basename(argv[0] ?? '') === 'wireguard-go' && argv[argv.length - 1] === iface
  })
}

function allPids() {
  return readdirSync('/proc')
    .filter((e) => /^[0-9]+$/.test(e))
    .map(Number)
    .filter((pid) => {
      try {
        return !isZombie(pid)
      } catch {
        return false
      }
    })
}

/** The runner namespace's identity, as a list for processesIn (empty once it is gone). */
function runnerNetns(/** @type {Lab} */ lab) {
  return [netnsId(lab.run)].filter((id) => id !== undefined)
}

/**
 * What the runner namespace holds, as text to compare before and after a step: links, addresses,
 * routes and rules (without what changes by itself), src_valid_mark, the lab interface's UAPI
 * socket and the command lines of the processes in it.
 * @param {Lab} lab
 */
export function snapshot(lab) {
  const inRun = (/** @type {string[]} */ args) => tryRun(['ip', '-n', lab.run, ...args]).stdout
  return {
    links: inRun(['-o', 'link', 'show']).replace(/\s+link\/.*$/gm, ''),
    addresses: inRun(['-o', 'address', 'show']).replace(/valid_lft.*$/gm, ''),
    routes4: inRun(['-4', 'route', 'show', 'table', 'all']),
    routes6: inRun(['-6', 'route', 'show', 'table', 'all']).replace(/ expires \S+/g, ''),
    rules4: inRun(['-4', 'rule', 'show']),
    rules6: inRun(['-6', 'rule', 'show']),
    srcValidMark: tryRun(['ip', 'netns', 'exec', lab.run, 'sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).stdout,
    sockets: existsSync('/var/run/wireguard')
      ? readdirSync('/var/run/wireguard').filter((f) => f === `${lab.iface}.sock`)
      : [],
    processes: processesIn(runnerNetns(lab)).map((pid) => argvOf(pid).join(' '))
  }
}

/** @typedef {ReturnType<typeof snapshot>} Snapshot */

/**
 * Polls (every `everyMs`, bounded: 10 s) until `cond` (or the promise it returns) holds; rejects
 * naming `what` otherwise.
 * @param {() => unknown} cond
 * @param {string} what
 */
export async function waitFor(cond, what, ms = 10000, everyMs = 5) {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/**
 * Runs a command in the runner namespace (bounded); never throws.
 * @param {Lab} lab
 * @param {string[]} argv
 */
export function inRunner(lab, argv, timeoutMs = 10000) {
  return spawnSync('ip', ['netns', 'exec', lab.run, ...argv], { encoding: 'utf8', timeout: timeoutMs })
}

/** Fetches a URL from inside the runner namespace (curl, bounded). */
export function curl(/** @type {Lab} */ lab, /** @type {string} */ url) {
  const r = inRunner(lab, ['curl', '-sS', '--max-time', '5', url])
  return { ok: r.status === 0, body: r.stdout, error: r.stderr }
}

/**
 * Samples every process's command line and environment while `during` runs; resolves with what
 * `during` resolved to, the command lines and the environments seen (each as `PID\nCMDLINE\nENV`).
 * @template T
 * @param {() => Promise<T>} during
 * @returns {Promise<{ result: T, commandLines: Set<string>, environments: Set<string> }>}
 */
export async function sampleCommandLines(during) {
  /** @type {Set<string>} */
  const seen = new Set()
  /** @type {Set<string>} */
  const environments = new Set()
  let running = true
  const sample = () => {
    for (const entry of readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(entry)) continue
      try {
        const c = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        if (c) seen.add(c.split('\0').join(' '))
        const e = readFileSync(`/proc/${entry}/environ`, 'utf8')
        if (e) environments.add(`${entry}\n${c.split('\0').join(' ')}\n${e.split('\0').join('\n')}`)
      } catch {
        /* exited */
      }
    }
  }
  const loop = (async () => {
    while (running) {
      sample()
      await new Promise((r) => setImmediate(r))
    }
  })()
  try {
    return { result: await during(), commandLines: seen, environments }
  } finally {
    running = false
    await loop
  }
}

/**
 * What a configuration left on an interface in the runner namespace and in its routing, for
 * comparison with what `wg-quick up` leaves (the differential tests, in the namespace and VM labs).
 * Peers in a fixed order: wireguard-go lists them in no particular order.
 * @param {Lab} lab
 * @param {string} name
 * @param {boolean} keepListenPort
 */
export function interfaceView(lab, name, keepListenPort) {
  const run = (/** @type {string[]} */ argv) => inRunner(lab, argv).stdout
  const onDev = (/** @type {string} */ text) =>
    text
      .split('\n')
      .filter((l) => l.includes(`dev ${name} `) && !l.includes('fe80') && !l.startsWith('multicast'))
      .sort()
  return {
    showconf: run(['wg', 'showconf', name])
      .split('\n')
      .filter((l) => keepListenPort || !l.startsWith('ListenPort'))
      .join('\n')
      .split(/\n(?=\[)/)
      .map((section) => section.trim())
      .sort(),
    addresses: run(['ip', '-o', 'address', 'show', 'dev', name])
      .split('\n')
      .map((l) => /inet6? (\S+)/.exec(l)?.[1])
      .filter((a) => a && !a.startsWith('fe80')),
    mtu: run(['cat', `/sys/class/net/${name}/mtu`]).trim(),
    routes: [
      ...onDev(run(['ip', '-4', 'route', 'show', 'table', 'all'])),
      ...onDev(run(['ip', '-6', 'route', 'show', 'table', 'all']))
    ],
    rules: run(['ip', '-4', 'rule', 'show']) + run(['ip', '-6', 'rule', 'show']),
    srcValidMark: run(['sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).trim()
  }
}
