// The gateway's one place that starts processes (`wg`, `ip`, `nft`): argument arrays, never a shell;
// a script on stdin where a command reads one (`nft -f -`); a time limit; a minimal environment.
// (src/action/host/run.ts logs each command as an Actions `::debug::` line on stdout, where the
// gateway writes its audit lines; hence this small runner of its own.)
import { execFile } from 'node:child_process'

export class CommandError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CommandError'
  }
}

const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' }

/** The Debian package that brings each command, for the one line that says it is missing. */
const PACKAGE: Record<string, string> = { wg: 'wireguard-tools', ip: 'iproute2', nft: 'nftables' }

interface RunOptions {
  /** Written to the command's stdin, which is then closed (a script for `nft -f -`). */
  input?: string
  /** Milliseconds before the command is killed; 10 s by default. */
  timeoutMs?: number
}

/**
 * Runs `argv` and resolves with its stdout; rejects with a CommandError naming the command (its
 * first four arguments) and the last two lines it wrote to stderr, or the package to install when
 * the command is missing.
 */
export function run(argv: readonly string[], { input, timeoutMs = 10_000 }: RunOptions = {}): Promise<string> {
  const command = argv[0] as string
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      argv.slice(1),
      { env: ENV, timeout: timeoutMs, maxBuffer: 64 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout)
        // nft says what went wrong on its first line (`Error: …`), then quotes the command; others at the end.
        const lines = stderr.trim().split('\n')
        const said = lines.find((l) => l.startsWith('Error: ')) ?? lines.slice(-2).join(' / ')
        const code = (err as NodeJS.ErrnoException).code
        reject(
          new CommandError(
            code === 'ENOENT'
              ? `\`${command}\` was not found on PATH (${ENV.PATH}); install ${PACKAGE[command] ?? command}`
              : `\`${argv.slice(0, 4).join(' ')}\` failed${said ? `: ${said}` : ` (${err.message})`}`
          )
        )
      }
    )
    // A command that exits before reading all of its input must not crash the gateway (EPIPE).
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(input ?? '')
  })
}
