// The one way both programs start a process: an argument array (never a shell), a minimal
// environment, a time limit, and what to log injected by the caller (the action logs `::debug::`
// lines; the gateway, whose stdout carries its audit lines, logs nothing there). A command past its
// limit is stopped so that nothing it started outlives it: SIGTERM first, which `sudo` passes on to
// the command it runs (a SIGKILL of `sudo` cannot be passed on, and would orphan a root command),
// then SIGKILL after a grace period.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'

/** Where a runner's log lines go; never stdout of a program whose stdout is a protocol. */
export type Log = (line: string) => void

/**
 * How long a command has after SIGTERM before SIGKILL. Enough for `sudo` to pass the signal on and
 * for a program that catches it to finish cleanly (wireguard-go closes its interface and socket in
 * a few milliseconds; `ip`, `wg` and `sleep` do not catch it and are gone at once); short against
 * the 5 s a failed bring-up has to roll back after its deadline.
 */
export const KILL_GRACE_MS = 1000

export interface ProcessOptions {
  /** The child's whole environment (see minimalEnv). */
  env: Record<string, string>
  /** Written to the command's standard input, which is then closed. */
  input?: string
  /** Milliseconds before the command is stopped (SIGTERM, then SIGKILL after `graceMs`). */
  limitMs: number
  /** Milliseconds between SIGTERM and SIGKILL (default KILL_GRACE_MS). */
  graceMs?: number
  /** Each command is logged as `run: LABEL (at N ms)` before it starts. */
  log?: Log
  /** What the log shows (default: the arguments joined by spaces). */
  label?: string
}

export interface ProcessResult {
  pid?: number
  /** The exit code; 128 when a signal ended it, 1 when neither is known. */
  code: number
  stdout: string
  stderr: string
  /** Stopped at its time limit (`stderr` then ends with a line that says so). */
  killed?: boolean
}

/**
 * What every child starts from: `path` as PATH, and the C locale so that the messages callers match
 * (`File exists`, `Unknown device type`) read the same everywhere. Nothing of this process's own
 * environment (secrets, tokens, a LOG_LEVEL that keeps wireguard-go's daemon on the step's pipes).
 */
export function minimalEnv(path: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: path, LC_ALL: 'C', ...extra }
}

/**
 * Starts `argv` and resolves with its exit code and output; rejects only when it cannot start, with
 * an Error that names the program (and the PATH searched) and carries the errno `code` (`ENOENT`).
 * Never rejects for a command that started and failed.
 */
export function runProcess(argv: readonly string[], opts: ProcessOptions): Promise<ProcessResult> {
  opts.log?.(`run: ${opts.label ?? argv.join(' ')} (at ${Math.round(process.uptime() * 1000)} ms)`)
  const limit = Math.max(0, opts.limitMs)
  return new Promise((resolve, reject) => {
    // Loaded at first use, not when a bundle starts: a step refused at its inputs never pays for
    // node:child_process (and node:net, node:stream), nor for node:perf_hooks (hence process.uptime).
    const { spawn } = process.getBuiltinModule('node:child_process')
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env })
    let stdout = ''
    let stderr = ''
    let killed = false
    let exited = false
    let grace: NodeJS.Timeout | undefined
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      if (exited) {
        // It exited in time, but something it started still holds its pipes: stop waiting for
        // that (the command itself was not stopped, so its exit code stands).
        child.stdout.destroy()
        child.stderr.destroy()
        return
      }
      killed = true
      stderr += `\n(killed after ${Math.round(limit) / 1000} s)`
      child.kill('SIGTERM')
      grace = setTimeout(() => {
        if (!exited) child.kill('SIGKILL')
      }, opts.graceMs ?? KILL_GRACE_MS)
    }, limit)
    child.on('exit', () => {
      exited = true
      clearTimeout(grace)
      if (!killed) return
      // A stopped command's own children may still hold its pipes: stop waiting for them.
      child.stdout.destroy()
      child.stderr.destroy()
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      clearTimeout(grace)
      const message =
        err.code === 'ENOENT'
          ? `\`${argv[0]}\` was not found on PATH (${opts.env.PATH})`
          : `\`${argv[0]}\` could not start: ${err.message}`
      reject(Object.assign(new Error(message), { code: err.code }))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      clearTimeout(grace)
      resolve({ pid: child.pid, code: code ?? (signal ? 128 : 1), stdout, stderr, ...(killed ? { killed } : {}) })
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(opts.input ?? '')
  })
}

/**
 * Starts `argv` for a caller that talks to it over its pipes while it lives (a lock holder such as
 * `flock … cat`), with what runProcess gives every child: an argument array, the environment given
 * (see minimalEnv), the injected log line. It has no time limit of its own: the caller bounds its
 * wait and ends it (closing its input). A failure to start is the child's `error` event.
 */
export function startProcess(
  argv: readonly string[],
  opts: Pick<ProcessOptions, 'env' | 'log' | 'label'>
): ChildProcessWithoutNullStreams {
  opts.log?.(`run: ${opts.label ?? argv.join(' ')} (at ${Math.round(process.uptime() * 1000)} ms)`)
  const { spawn } = process.getBuiltinModule('node:child_process')
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env })
  child.stdin.on('error', () => undefined)
  return child
}
