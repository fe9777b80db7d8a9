// The one place that starts processes. Commands are argument arrays, never shell strings; commands
// that need root go through `sudo -n` when this process is not root, so a missing permission fails
// at once instead of waiting for a password. Children get a minimal environment: nothing of the
// step's own (INPUT_* secrets, the runner's ACTIONS_* tokens, a job's LOG_LEVEL) reaches them.
import * as core from '../toolkit.js'
import { searchPath } from './probe.js'

export interface RunOptions {
  /** Run as root: directly when already root, else through `sudo -n`. */
  root?: boolean
  /** Written to the command's standard input. */
  input?: string
  /** Variables the command needs, on top of the minimal environment (through `env` under sudo). */
  env?: Record<string, string>
  /** Kill the command after this many milliseconds (default 60 s: no step hangs until the job's timeout). */
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

/**
 * What every child starts from: a PATH that has the sbin directories, and the C locale so that
 * the messages matched here (`File exists`, `Unknown device type`) read the same everywhere.
 * wireguard-go's variables (LOG_LEVEL, WG_PROCESS_FOREGROUND, …) are deliberately absent: with
 * LOG_LEVEL set, its daemon keeps the step's pipes open and the step hangs.
 */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: searchPath().join(':'), LC_ALL: 'C', ...extra }
}

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
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const root = isRoot()
  // As root the variables go straight into the environment; through sudo, which resets it, by `env`.
  const full = commandLine(argv, root ? { ...opts, env: undefined } : opts, root)
  const env = childEnv(root ? opts.env : {})
  // The time since the process started; process.uptime(), as the global `performance` would load
  // node:perf_hooks (0.7 ms) for a debug line.
  core.debug(`run: ${commandLine(argv, opts, root).join(' ')} (at ${Math.round(process.uptime() * 1000)} ms)`)
  const own = opts.timeoutMs ?? 60_000
  const left = opts.deadline === undefined ? Infinity : opts.deadline - Date.now()
  const limit = Math.max(0, Math.min(own, left))
  // Node's modules are loaded at first use (process.getBuiltinModule), not when the bundle starts:
  // a static import would load node:child_process (and node:net, node:stream) for every step, a
  // step refused at its inputs included, and costs milliseconds of the step's cold start.
  const { spawn } = process.getBuiltinModule('node:child_process')
  return new Promise((resolve, reject) => {
    const child = spawn(full[0] as string, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      timedOut = left <= own
      stderr += `\n(killed after ${Math.round(limit) / 1000} s)`
      child.kill('SIGKILL')
    }, limit)
    // A killed command's own children may still hold its pipes: stop waiting for them.
    child.on('exit', () => {
      if (!killed) return
      child.stdout.destroy()
      child.stderr.destroy()
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        err.code === 'ENOENT'
          ? new Error(`\`${full[0]}\` was not found on PATH (${env.PATH})`)
          : new Error(`\`${full[0]}\` could not start: ${err.message}`)
      )
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ pid: child.pid, code: code ?? (signal ? 128 : 1), stdout, stderr, ...(timedOut ? { timedOut } : {}) })
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(opts.input ?? '')
  })
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
