// How the action starts processes, over the shared runner (src/common/process.ts): commands are
// argument arrays, never shell strings; commands that need root go through `sudo -n` when this
// process is not root, so a missing permission fails at once instead of waiting for a password;
// each is logged as a `::debug::` line. Children get a minimal environment: PATH with the sbin
// directories, LC_ALL=C, nothing of the step's own (INPUT_* secrets, the runner's ACTIONS_*
// tokens, a job's LOG_LEVEL, with which wireguard-go's daemon would keep the step's pipes open).
import { minimalEnv, runProcess, startProcess } from '../../common/process.js'
import * as core from '../toolkit.js'
import { searchPath } from './probe.js'

export interface RunOptions {
  /** Run as root: directly when already root, else through `sudo -n`. */
  root?: boolean
  /** Written to the command's standard input. */
  input?: string
  /** Variables the command needs, on top of the minimal environment (through `env` under sudo). */
  env?: Record<string, string>
  /** Stop the command after this many milliseconds (default 60 s: no step hangs until the job's timeout). */
  timeoutMs?: number
  /** Epoch milliseconds: the step's deadline, which bounds the command too. */
  deadline?: number
}

export interface RunResult {
  /** The process started (sudo's, when through sudo). */
  pid?: number
  code: number
  stdout: string
  stderr: string
  /** Killed at the step's deadline (not at the command's own limit). */
  timedOut?: boolean
}

export const isRoot = (): boolean => process.getuid?.() === 0

/** The argument vector actually started for a command. Pure, for tests. */
export function commandLine(argv: readonly string[], opts: RunOptions, root: boolean): string[] {
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)
  const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv]
  return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv
}

/** Whether a command's failure was sudo refusing to run it. */
export const sudoRefused = (argv: readonly string[], stderr: string): boolean =>
  argv[0] === 'sudo' && /^sudo: /m.test(stderr)

/** A command that failed: says what ran (arguments carry no secrets) and what it printed. */
export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult
  ) {
    super(describeFailure(argv, result))
    this.name = 'CommandError'
  }
}

function describeFailure(argv: readonly string[], r: RunResult): string {
  const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ')
  if (r.timedOut) {
    const stall =
      argv[0] === 'sudo'
        ? ' `sudo` itself may be stalling: check that this host name resolves (/etc/hosts) and that sudo needs no password.'
        : ''
    return `\`${argv.join(' ')}\` did not finish within the step's timeout.${stall}`
  }
  if (sudoRefused(argv, r.stderr)) {
    return `\`${argv.slice(2).join(' ')}\` needs root and this step runs as uid ${process.getuid?.()}: \`sudo -n\` refused (${said}). Run the job as root or give the runner user passwordless sudo.`
  }
  return `\`${argv.join(' ')}\` failed (exit ${r.code})${said ? `: ${said}` : ''}`
}

/** Runs a command and resolves with its exit code and output; rejects only when it cannot start. */
export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const root = isRoot()
  // As root the variables go straight into the environment; through sudo, which resets it, by `env`.
  const full = commandLine(argv, root ? { ...opts, env: undefined } : opts, root)
  const own = opts.timeoutMs ?? 60_000
  const left = opts.deadline === undefined ? Infinity : opts.deadline - Date.now()
  const r = await runProcess(full, {
    env: minimalEnv(searchPath().join(':'), root ? opts.env : {}),
    input: opts.input,
    limitMs: Math.min(own, left),
    log: core.debug,
    label: commandLine(argv, opts, root).join(' ')
  })
  const { killed, ...result } = r
  // Stopped at the step's deadline rather than at the command's own limit.
  return killed && left <= own ? { ...result, timedOut: true } : result
}

/**
 * Runs a command that must succeed; throws a CommandError otherwise, or the error `explain` makes
 * of its output (a refused sudo and a timeout are always said as such).
 */
export async function mustRun(
  argv: readonly string[],
  opts: RunOptions = {},
  explain?: (said: string) => Error
): Promise<RunResult> {
  const r = await run(argv, opts)
  if (r.code === 0) return r
  const full = commandLine(argv, opts, isRoot())
  if (explain && !r.timedOut && !sudoRefused(full, r.stderr)) throw explain(`${r.stderr}\n${r.stdout}`)
  throw new CommandError(full, r)
}

/**
 * Holds an exclusive flock(2) on `path` (made if missing) until the function it resolves with is
 * called: `flock -x PATH cat`, whose `cat` echoes a line once the lock is held and exits when its
 * input ends. The kernel drops the lock when its holder exits, so a step that is killed never
 * leaves it held. Rejects when the lock is not had within the step's deadline (at most 10 s).
 */
export async function holdLock(path: string, opts: RunOptions = {}): Promise<() => Promise<void>> {
  const left = opts.deadline === undefined ? 10_000 : opts.deadline - Date.now()
  const seconds = Math.max(1, Math.min(10, Math.ceil(left / 1000)))
  const argv = commandLine(['flock', '-x', '-w', String(seconds), path, 'cat'], opts, isRoot())
  const child = startProcess(argv, { env: minimalEnv(searchPath().join(':')), log: core.debug })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (out.includes('held\n')) resolve()
    })
    child.once('error', (err) => reject(new Error(`\`${argv[0]}\` could not start: ${err.message}`)))
    void closed.then((code) =>
      reject(
        new CommandError(argv, {
          code: code ?? 1,
          stdout: out,
          stderr: stderr || `the lock ${path} was not had within ${seconds} s`
        })
      )
    )
    child.stdin.write('held\n')
  })
  return async () => {
    child.stdin.end()
    await closed
  }
}

/**
 * Writes `text` to a file only root may write (or with undefined removes it): as root directly,
 * whole or not at all (a temporary file renamed over it); otherwise `sudo tee`, in place (the
 * caller holds a lock against readers that would see it half written), or `sudo rm -f`.
 */
export async function writeAsRoot(path: string, text: string | undefined, opts: RunOptions = {}): Promise<void> {
  if (isRoot()) {
    const { renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs')
    if (text === undefined) {
      rmSync(path, { force: true })
      return
    }
    const tmp = `${path}.${process.pid}`
    writeFileSync(tmp, text, { mode: 0o644 })
    renameSync(tmp, path)
    return
  }
  const root = { ...opts, root: true }
  if (text === undefined) await mustRun(['rm', '-f', path], root)
  else await mustRun(['tee', path], { ...root, input: text })
}
