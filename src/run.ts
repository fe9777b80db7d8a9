// The one place that starts processes. Commands are argument arrays, never shell strings; commands
// that need root go through `sudo -n` when this process is not root, so a missing permission fails
// at once instead of waiting for a password.
import { spawn } from 'node:child_process'
import * as core from './toolkit.js'

export interface RunOptions {
  /** Run as root: directly when already root, else through `sudo -n`. */
  root?: boolean
  /** Written to the command's standard input. */
  input?: string
  /** Extra environment, passed through `env` so that sudo keeps it. */
  env?: Record<string, string>
  /** Kill the command after this many milliseconds (default 60 s: no step hangs until the job's timeout). */
  timeoutMs?: number
}

export interface RunResult {
  /** The process started (sudo's, when through sudo). */
  pid?: number
  code: number
  stdout: string
  stderr: string
}

export const isRoot = (): boolean => process.getuid?.() === 0

/** The argument vector actually started for a command. Pure, for tests. */
export function commandLine(argv: readonly string[], opts: RunOptions, root: boolean): string[] {
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)
  const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv]
  return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv
}

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
  if (argv[0] === 'sudo' && /^sudo: /m.test(r.stderr)) {
    return `\`${argv.slice(2).join(' ')}\` needs root and this step runs as uid ${process.getuid?.()}: \`sudo -n\` refused (${said}). Run the job as root or give the runner user passwordless sudo.`
  }
  return `\`${argv.join(' ')}\` failed (exit ${r.code})${said ? `: ${said}` : ''}`
}

/** Runs a command and resolves with its exit code and output; rejects only when it cannot start. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const full = commandLine(argv, opts, isRoot())
  core.debug(`run: ${full.join(' ')} (at ${Math.round(performance.now())} ms)`)
  return new Promise((resolve, reject) => {
    const child = spawn(full[0] as string, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const limit = opts.timeoutMs ?? 60_000
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${limit / 1000} s)`
      child.kill('SIGKILL')
    }, limit)
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        err.code === 'ENOENT'
          ? new Error(`\`${full[0]}\` was not found on PATH (${process.env.PATH ?? ''})`)
          : new Error(`\`${full[0]}\` could not start: ${err.message}`)
      )
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ pid: child.pid, code: code ?? (signal ? 128 : 1), stdout, stderr })
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(opts.input ?? '')
  })
}

/**
 * Runs a command that must succeed; throws a CommandError otherwise, or the error `explain` makes
 * of its output (a refused sudo is always said as such).
 */
export async function mustRun(
  argv: readonly string[],
  opts: RunOptions = {},
  explain?: (said: string) => Error
): Promise<RunResult> {
  const r = await run(argv, opts)
  if (r.code === 0) return r
  const full = commandLine(argv, opts, isRoot())
  if (explain && !(full[0] === 'sudo' && /^sudo: /m.test(r.stderr))) throw explain(`${r.stderr}\n${r.stdout}`)
  throw new CommandError(full, r)
}
