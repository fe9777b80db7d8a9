// How the gateway starts processes (`wg`, `ip`, `nft`), over the shared runner
// (src/common/process.ts): argument arrays, never a shell; a script on stdin where a command reads
// one (`nft -f -`); a time limit (SIGTERM, then SIGKILL); a minimal environment. Nothing is logged:
// the gateway's stdout carries its audit lines.
import { errorText } from '../common/errors.js'
import { minimalEnv, runProcess } from '../common/process.js'

export class CommandError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CommandError'
  }
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The Debian package that brings each command, for the one line that says it is missing. */
const PACKAGE: Record<string, string> = { wg: 'wireguard-tools', ip: 'iproute2', nft: 'nftables' }

interface RunOptions {
  /** Written to the command's stdin, which is then closed (a script for `nft -f -`). */
  input?: string
  /** Milliseconds before the command is stopped; 10 s by default. */
  timeoutMs?: number
}

/**
 * Runs `argv` and resolves with its stdout; rejects with a CommandError naming the command (its
 * first four arguments) and what it said on stderr (nft's `Error: …` line, else the last two
 * lines), or the package to install when the command is missing.
 */
export async function run(argv: readonly string[], { input, timeoutMs = 10_000 }: RunOptions = {}): Promise<string> {
  const command = argv[0] as string
  let r
  try {
    r = await runProcess(argv, { env: minimalEnv(PATH), input, limitMs: timeoutMs })
  } catch (err) {
    throw new CommandError(
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? `\`${command}\` was not found on PATH (${PATH}); install ${PACKAGE[command] ?? command}`
        : errorText(err)
    )
  }
  if (r.code === 0 && !r.killed) return r.stdout
  // nft says what went wrong on its first line (`Error: …`), then quotes the command; others at the end.
  const lines = r.stderr.trim().split('\n')
  const said = lines.find((l) => l.startsWith('Error: ')) ?? lines.slice(-2).join(' / ')
  throw new CommandError(`\`${argv.slice(0, 4).join(' ')}\` failed${said ? `: ${said}` : ` (exit ${r.code})`}`)
}
