// @ts-check
// The VM lab: runs a command inside a QEMU guest with Debian's own kernel, which has the WireGuard
// module this machine's kernel lacks. The guest sees the host's whole file tree read-only (9p) under
// a tmpfs overlay, so it uses the host's Node, wg, ip and checkout and never writes to the host.
// Stdout and stderr come back over two virtio-serial ports, the exit code through a small writable
// 9p export (a temp dir). No network device. See docs/kernel-lab.md.
//
// The kernel package is fetched with `apt-get download` and unpacked into a cache folder, never
// installed; kernel and initramfs are cached there and rebuilt when their inputs change. Every wait
// is bounded, and the only process ever killed is the qemu this module started.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  closeSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))

/**
 * Where progress lines go, one line each.
 * @typedef {(line: string) => void} Log
 */
/** @typedef {ReturnType<typeof ensureKernel>} Kernel */
/** @typedef {ReturnType<typeof prepare>} Prepared */

/**
 * Options of runInVm.
 * @typedef {object} VmOptions
 * @property {string} [cwd] where the command runs: a host path, seen at the same place in the guest
 * @property {Record<string, string>} [env] variables exported in the guest before the command
 * @property {number} [timeoutMs] bound on the command once the guest is up
 * @property {number} [bootTimeoutMs] bound on the boot
 * @property {number} [memoryMiB] the guest's memory
 * @property {(data: Buffer) => void} [onStdout] called with the command's stdout as it comes
 * @property {(data: Buffer) => void} [onStderr] called with the command's stderr as it comes
 * @property {Log} [log] progress lines (installing, building, boot time)
 * @property {boolean} [showConsole] also stream the guest's console (kernel messages) to stderr
 * @property {Prepared} [prepared] what prepare() returned, to skip preparing again
 */

/**
 * How a qemu process ended: `err` when it could not start.
 * @typedef {{ err?: Error, code?: number | null, signal?: NodeJS.Signals | null }} QemuExit
 */

/** Where the unpacked kernel and the initramfs live (override with WGT_VM_CACHE). */
export const CACHE = process.env.WGT_VM_CACHE || '/var/cache/wireguard-tunnel-vm'
const BUSYBOX = '/bin/busybox'
/** What the initramfs loads before it can mount the host: PCI virtio, the serial ports, 9p, overlay. */
const INITRD_MODULES = ['virtio_pci', 'virtio_console', '9pnet_virtio', '9p', 'overlay']
/** Bounds on each wait, in ms. TCG boots in about 3 s and shuts down in under 1 s. */
export const BOOT_TIMEOUT_MS = 120_000
export const SHUTDOWN_TIMEOUT_MS = 30_000

/**
 * [command, Debian package]: what the VM lab needs on the host.
 * @type {[command: string, pkg: string][]}
 */
const VM_TOOLS = [
  ['qemu-system-x86_64', 'qemu-system-x86'],
  ['depmod', 'kmod'],
  ['cpio', 'cpio'],
  ['xz', 'xz-utils'],
  ['dpkg-deb', 'dpkg']
]
/**
 * [command, Debian package]: what the namespace lab needs, used in the guest from the host's tree.
 * @type {[command: string, pkg: string][]}
 */
export const LAB_TOOLS = [
  ['wg', 'wireguard-tools'],
  ['wg-quick', 'wireguard-tools'],
  ['wireguard-go', 'wireguard-go'],
  ['ip', 'iproute2'],
  ['ping', 'iputils-ping'],
  ['sudo', 'sudo'],
  ['setpriv', 'util-linux'],
  ['curl', 'curl'],
  ['nft', 'nftables'],
  ['openssl', 'openssl']
]

const has = (/** @type {string} */ cmd) => spawnSync('sh', ['-c', 'command -v "$1" >/dev/null', 'sh', cmd]).status === 0
const installed = (/** @type {string} */ pkg) =>
  /install ok installed/.test(spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout ?? '')

function aptEnv() {
  return { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
}

/**
 * Installs the missing packages with apt-get (no recommends); runs apt-get update once if that fails.
 * @param {string[]} pkgs
 * @param {Log} log
 */
function aptInstall(pkgs, log) {
  if (pkgs.length === 0) return
  log(`installing ${pkgs.join(' ')} (apt-get, first use)`)
  // Other jobs on the machine may hold dpkg's lock for a while: wait for it (bounded) instead of failing.
  const args = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-q', '--no-install-recommends', ...pkgs]
  if (spawnSync('apt-get', args, { env: aptEnv(), stdio: ['ignore', 2, 2] }).status === 0) return
  execFileSync('apt-get', ['update', '-q'], { env: aptEnv(), stdio: ['ignore', 2, 2] })
  execFileSync('apt-get', args, { env: aptEnv(), stdio: ['ignore', 2, 2] })
}

/** Makes sure the host has what the VM (and the lab inside it) needs. */
export function ensureHostPackages(/** @type {Log} */ log = () => {}) {
  if (process.getuid?.() !== 0)
    throw new Error('the VM lab needs root (it installs packages and runs qemu): run it as root')
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim()
  if (arch !== 'amd64') throw new Error(`the VM lab boots Debian's amd64 kernel; this machine is ${arch}`)
  const need = new Set([...VM_TOOLS, ...LAB_TOOLS].filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg))
  // A static busybox for the initramfs; the dynamic `busybox` package would not run there.
  if (!installed('busybox-static')) need.add('busybox-static')
  aptInstall([...need], log)
}

/**
 * Orders Debian kernel versions such as 6.1.0-41 and 6.12.117+deb12 (numbers compared as numbers).
 * @param {string} a
 * @param {string} b
 */
function compareVersions(a, b) {
  const pa = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number)
  const pb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1)
    if (d !== 0) return d
  }
  return 0
}

/**
 * The kernel package: the newest generic `linux-image-<version>-amd64` apt knows (cloud and rt
 * flavours left out: they lack modules a runner's kernel has), else the meta package's dependency.
 */
export function kernelPackage() {
  const names = execFileSync('apt-cache', ['pkgnames', 'linux-image-'], { encoding: 'utf8' })
    .split('\n')
    // A match has its group: [name, version].
    .map((n) => /** @type {[string, string] | null} */ (/^linux-image-([0-9][0-9a-z.+~-]*)-amd64$/.exec(n.trim())))
    .filter(
      /** @returns {m is [string, string]} */
      (m) => m !== null && !/-(cloud|rt)$/.test(m[1]) && !/dbg/.test(m[0])
    )
    .sort((a, b) => compareVersions(a[1], b[1]))
  const newest = names[names.length - 1]
  if (newest) return newest[0]
  const depends = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' })
  const dep = /** @type {[string, string] | null} */ (/Depends: (linux-image-[0-9]\S*-amd64)/.exec(depends))
  if (!dep) throw new Error('apt knows no linux-image-*-amd64 package: run apt-get update')
  return dep[1]
}

/**
 * A folder next to `final`, renamed onto it when complete: concurrent first uses never see half a build.
 * @param {string} final
 * @param {(tmp: string) => void} build fills the folder it is given
 */
function buildAtomically(final, build) {
  if (existsSync(final)) return
  mkdirSync(dirname(final), { recursive: true, mode: 0o755 })
  const tmp = mkdtempSync(join(dirname(final), '.tmp-'))
  try {
    build(tmp)
    try {
      renameSync(tmp, final)
    } catch (err) {
      // Another run finished the same build first: use theirs.
      if (!existsSync(final)) throw err
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** Downloads and unpacks the kernel package into the cache (once), with depmod run over its modules. */
export function ensureKernel(/** @type {Log} */ log = () => {}) {
  let pkg = kernelPackage()
  let dir = join(CACHE, pkg)
  if (!existsSync(dir)) {
    // A stale package list may name a file the mirror no longer has: refresh once and choose again.
    const fetch = (/** @type {string} */ tmp) => {
      log(`downloading ${pkg} (apt-get download; unpacked into ${CACHE}, not installed)`)
      execFileSync('apt-get', ['download', '-q', '-o', 'APT::Sandbox::User=root', pkg], {
        cwd: tmp,
        env: aptEnv(),
        stdio: ['ignore', 2, 2]
      })
      const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'))
      if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`)
      execFileSync('dpkg-deb', ['-x', join(tmp, deb), join(tmp, 'root')])
      rmSync(join(tmp, deb))
      const root = join(tmp, 'root')
      // Newer packages put modules under usr/lib; depmod -b looks in <base>/lib/modules.
      if (!existsSync(join(root, 'lib/modules')) && existsSync(join(root, 'usr/lib/modules')))
        execFileSync('ln', ['-s', 'usr/lib', join(root, 'lib')])
      const release = /** @type {string} */ (readdirSync(join(root, 'lib/modules'))[0])
      execFileSync('depmod', ['-b', root, release])
    }
    try {
      buildAtomically(dir, fetch)
    } catch (err) {
      log(`${/** @type {Error} */ (err).message.split('\n')[0]}; running apt-get update and trying again`)
      execFileSync('apt-get', ['update', '-q'], { env: aptEnv(), stdio: ['ignore', 2, 2] })
      pkg = kernelPackage()
      dir = join(CACHE, pkg)
      buildAtomically(dir, fetch)
    }
  }
  const root = join(dir, 'root')
  const release = /** @type {string} */ (readdirSync(join(root, 'lib/modules'))[0])
  const vmlinuz = join(root, 'boot', `vmlinuz-${release}`)
  if (!existsSync(vmlinuz)) throw new Error(`${vmlinuz} is missing: remove ${dir} and run again`)
  return { pkg, dir, root, release, vmlinuz, modules: join(root, 'lib/modules', release) }
}

/**
 * Builds (or reuses) the initramfs for `kernel`: static busybox, init.sh, the boot modules.
 * @param {Kernel} kernel
 * @param {Log} [log]
 */
export function ensureInitramfs(kernel, log = () => {}) {
  const init = readFileSync(join(HERE, 'init.sh'))
  // filter(Boolean) leaves only the matches' paths.
  const depends = /** @type {string[]} */ (
    INITRD_MODULES.flatMap((mod) =>
      execFileSync('modprobe', ['-S', kernel.release, '-d', kernel.root, '--show-depends', mod], { encoding: 'utf8' })
        .split('\n')
        .map((l) => /^insmod (\S+)/.exec(l)?.[1])
        .filter(Boolean)
    )
  )
  const modules = [...new Set(depends)]
  const hash = createHash('sha256')
  hash.update(init).update(readFileSync(BUSYBOX)).update(modules.join('\n'))
  const file = join(kernel.dir, `initrd-${hash.digest('hex').slice(0, 16)}.cpio.gz`)
  if (existsSync(file)) return file
  log(`building the initramfs (${modules.length} modules)`)
  buildAtomically(`${file}.d`, (/** @type {string} */ tmp) => {
    const tree = join(tmp, 'tree')
    for (const d of ['bin', 'modules']) mkdirSync(join(tree, d), { recursive: true })
    copyFileSync(BUSYBOX, join(tree, 'bin/busybox'))
    chmodSync(join(tree, 'bin/busybox'), 0o755)
    writeFileSync(join(tree, 'init'), init, { mode: 0o755 })
    const order = []
    for (const path of modules) {
      // busybox insmod reads plain .ko files only.
      const name = basename(path).replace(/\.ko\.(xz|zst|gz)$/, '.ko')
      const dest = join(tree, 'modules', name)
      if (path.endsWith('.xz')) writeFileSync(dest, execFileSync('xz', ['-dc', path], { maxBuffer: 1 << 28 }))
      else if (path.endsWith('.ko')) copyFileSync(path, dest)
      else throw new Error(`cannot unpack ${path} for the initramfs`)
      order.push(name)
    }
    writeFileSync(join(tree, 'modules/order'), `${order.join('\n')}\n`)
    execFileSync('sh', [
      '-c',
      'cd "$1" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1 >"$2"',
      'sh',
      tree,
      join(tmp, 'initrd')
    ])
    renameSync(join(tmp, 'initrd'), join(dirname(file), basename(file)))
  })
  rmSync(`${file}.d`, { recursive: true, force: true })
  // Older builds stay (1.5 MB each): another checkout on this machine may be booting with one.
  return file
}

/** Everything a boot needs, installed and built on first use. */
export function prepare(/** @type {Log} */ log = () => {}) {
  ensureHostPackages(log)
  const kernel = ensureKernel(log)
  const initrd = ensureInitramfs(kernel, log)
  return { ...kernel, initrd }
}

const quote = (/** @type {string} */ s) => `'${String(s).replace(/'/g, `'\\''`)}'`

/**
 * Reads what a growing file gained since `pos`; returns the new position.
 * @param {string} file
 * @param {number} pos
 * @param {(data: Buffer) => void} onData
 */
function drain(file, pos, onData) {
  if (!existsSync(file)) return pos
  const size = statSync(file).size
  if (size <= pos) return pos
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.alloc(size - pos)
    const n = readSync(fd, buf, 0, buf.length, pos)
    onData(buf.subarray(0, n))
    return pos + n
  } finally {
    closeSync(fd)
  }
}

/**
 * Boots a guest and runs `argv` in it, in `cwd` (a host path, seen at the same place in the guest).
 * Streams the command's stdout and stderr to `onStdout`/`onStderr` as they come. Resolves with
 * { code, release, bootMs, ms } where code is the command's exit code; rejects with the console's
 * tail when the guest does not boot, the command outlives `timeoutMs`, or the guest gives no code.
 * @param {string[]} argv
 * @param {VmOptions} [opts]
 */
export async function runInVm(argv, opts = {}) {
  const {
    cwd = process.cwd(),
    env = {},
    timeoutMs = 30 * 60_000,
    bootTimeoutMs = BOOT_TIMEOUT_MS,
    memoryMiB = 2048,
    onStdout = (d) => process.stdout.write(d),
    onStderr = (d) => process.stderr.write(d),
    log = () => {},
    showConsole = false
  } = opts
  if (argv.length === 0) throw new Error('no command to run in the guest')
  const vm = opts.prepared ?? prepare(log)
  const dir = mkdtempSync(join(tmpdir(), 'wgt-vm-'))
  const exp = join(dir, 'export')
  mkdirSync(exp, { mode: 0o700 })
  // VMLAB_DEADLINE: the guest reboots itself past it, should the host's own bound fail.
  const lines = [
    `VMLAB_MODULES=${quote(vm.modules)}`,
    `VMLAB_CWD=${quote(cwd)}`,
    `VMLAB_DEADLINE=${Math.ceil((timeoutMs + bootTimeoutMs) / 1000)}`
  ]
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`bad environment variable name ${JSON.stringify(k)}`)
    lines.push(`export ${k}=${quote(v)}`)
  }
  writeFileSync(join(exp, 'job'), `${lines.join('\n')}\n`)
  writeFileSync(join(exp, 'cmd'), `exec ${argv.map(quote).join(' ')}\n`)
  copyFileSync(join(HERE, 'guest.sh'), join(exp, 'guest.sh'))
  const files = { console: join(dir, 'console'), stdout: join(dir, 'stdout'), stderr: join(dir, 'stderr') }
  // QEMU's option syntax doubles a comma inside a value.
  const opt = (/** @type {string} */ path) => path.replace(/,/g, ',,')
  const args = [
    ...['-accel', 'tcg,thread=multi', '-cpu', 'max', '-smp', '2', '-m', String(memoryMiB)],
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot', '-monitor', 'none'],
    ...['-kernel', vm.vmlinuz, '-initrd', vm.initrd],
    ...[
      '-append',
      `console=ttyS0 ${showConsole ? 'printk.time=1' : 'quiet loglevel=3'} panic=-1 random.trust_cpu=on rdinit=/init`
    ],
    ...['-chardev', `file,id=con,path=${opt(files.console)}`, '-serial', 'chardev:con'],
    // The host's / read-only; inode numbers of its several file systems kept apart.
    ...['-fsdev', 'local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap'],
    ...['-device', 'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot'],
    // The one writable share. mapped-file: the guest's modes and owners are kept in metadata
    // files, so nothing it creates is setuid or owned by anyone on the host.
    ...['-fsdev', `local,id=vmlab,path=${opt(exp)},security_model=mapped-file`],
    ...['-device', 'virtio-9p-pci,fsdev=vmlab,mount_tag=vmlab'],
    ...['-device', 'virtio-serial-pci'],
    ...['-chardev', `file,id=out,path=${opt(files.stdout)}`, '-device', 'virtserialport,chardev=out,name=stdout'],
    ...['-chardev', `file,id=err,path=${opt(files.stderr)}`, '-device', 'virtserialport,chardev=err,name=stderr']
  ]
  const started = Date.now()
  let qemuErr = ''
  // setpriv execs qemu (same pid) with a parent-death signal: if this process dies without
  // cleaning up (SIGKILL), qemu goes with it instead of running on.
  const qemu = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'qemu-system-x86_64', ...args], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  qemu.stderr.on('data', (d) => (qemuErr += d))
  // Set by the handlers below. The cast: the checker, blind to assignments in callbacks, would hold it null.
  let exited = /** @type {QemuExit | null} */ (null)
  const exit = new Promise((resolve) => {
    qemu.on('error', (err) => resolve((exited = { err })))
    qemu.on('exit', (code, signal) => resolve((exited = { code, signal })))
  })
  const kill = () => {
    if (exited === null && qemu.pid) qemu.kill('SIGKILL')
  }
  // A signal to this process must not leave a qemu behind.
  const onSignal = (/** @type {NodeJS.Signals} */ sig) => {
    kill()
    rmSync(dir, { recursive: true, force: true })
    process.exit(sig === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const pos = { stdout: 0, stderr: 0, console: 0 }
  const pump = () => {
    if (showConsole) pos.console = drain(files.console, pos.console, (d) => process.stderr.write(d))
    pos.stdout = drain(files.stdout, pos.stdout, onStdout)
    pos.stderr = drain(files.stderr, pos.stderr, onStderr)
  }
  const consoleTail = () => {
    const text = existsSync(files.console) ? readFileSync(files.console, 'utf8') : ''
    return `${text.split('\n').slice(-30).join('\n')}${qemuErr ? `\nqemu: ${qemuErr.trim()}` : ''}`
  }
  /**
   * Polls until `cond` or until qemu exits; false when `ms` passed first.
   * @param {() => boolean} cond
   * @param {number} ms
   */
  const until = async (cond, ms) => {
    const end = Date.now() + ms
    while (!cond()) {
      if (exited !== null || Date.now() > end) return cond()
      pump()
      await new Promise((r) => setTimeout(r, 50))
    }
    return true
  }
  try {
    if (!(await until(() => existsSync(join(exp, 'booted')), bootTimeoutMs))) {
      kill()
      throw new Error(
        exited?.err
          ? `could not start qemu-system-x86_64: ${exited.err.message}`
          : `the guest did not boot within ${bootTimeoutMs / 1000} s; console:\n${consoleTail()}`
      )
    }
    const bootMs = Date.now() - started
    log(`guest up in ${(bootMs / 1000).toFixed(1)} s (Debian kernel ${vm.release})`)
    const rcFile = join(exp, 'rc')
    if (!(await until(() => existsSync(rcFile), timeoutMs))) {
      kill()
      throw new Error(
        exited !== null
          ? `the guest stopped without an exit code; console:\n${consoleTail()}`
          : `the command did not finish within ${timeoutMs / 1000} s: guest stopped`
      )
    }
    if (!(await until(() => exited !== null, SHUTDOWN_TIMEOUT_MS))) {
      log(`the guest did not power off within ${SHUTDOWN_TIMEOUT_MS / 1000} s: stopped`)
      kill()
    }
    await exit
    pump()
    const code = Number(readFileSync(rcFile, 'utf8').trim())
    return { code: Number.isInteger(code) ? code : 1, release: vm.release, bootMs, ms: Date.now() - started }
  } finally {
    kill()
    await Promise.race([exit, new Promise((r) => setTimeout(r, 5000).unref())])
    pump()
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    rmSync(dir, { recursive: true, force: true })
  }
}
