// One `ip -j -batch` process that changes the kernel, then reads back what it holds, then asks
// the kernel which way some addresses would go: reading in the process that made the change costs
// no process of its own (a process start is most of what an `ip` command costs). `ip` stops at the
// first line that fails and names it (`Command failed -:N`); with -j it prints nothing for a line
// that changes, and one JSON array for each line that reads or asks.
import { run, type RunOptions, type RunResult } from './run.js'

/** The lines of a batch, by what they do. */
export interface BatchLines {
  /** Lines that change the kernel (`address add …`, `route add …`, `rule add …`). */
  change: readonly string[]
  /** Lines that read back what was changed (`address show dev …`). */
  read?: readonly string[]
  /** Lines that ask the way to an address (`route get …`): a failure here is an answer, not a failed batch. */
  ask?: readonly string[]
}

/** The route the kernel answered for one `ask` line, or what it said when it has none. */
export type Answer = { route: Record<string, unknown> } | { error: string }

export interface BatchResult {
  result: RunResult
  /** Every change line succeeded (the reads and questions may still have stopped early). */
  changed: boolean
  /** The change line that failed (1-based), when one did. */
  failedAt?: number
  /** One JSON array per read line that ran, in order. */
  reads: unknown[][]
  /** One answer per ask line that ran, in order (the batch stops after the first that fails). */
  answers: Answer[]
  /** What `ip` said when a read failed (the rest of the batch did not run). */
  unread?: string
}

/** The JSON arrays a batch printed, in order (one per line that reads or asks). */
export function jsonArrays(stdout: string): unknown[][] {
  const out: unknown[][] = []
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('[')) continue
    try {
      const value: unknown = JSON.parse(line)
      if (Array.isArray(value)) out.push(value)
    } catch {
      // Not a whole array: nothing of ours.
    }
  }
  return out
}

/** The batch's script: changes, then reads, then questions. */
export const batchScript = (lines: BatchLines): string =>
  [...lines.change, ...(lines.read ?? []), ...(lines.ask ?? [])].map((l) => `${l}\n`).join('')

/** Splits what the batch printed by the lines it ran. Pure, for tests. */
export function splitBatch(lines: BatchLines, result: RunResult): BatchResult {
  const reads = lines.read?.length ?? 0
  const stoppedAt = Number(/^Command failed -:([0-9]+)/m.exec(result.stderr)?.[1] ?? 0) || undefined
  const failed = result.code !== 0 ? (stoppedAt ?? 1) : undefined
  if (failed !== undefined && failed <= lines.change.length)
    return { result, changed: false, failedAt: failed, reads: [], answers: [] }
  const arrays = jsonArrays(result.stdout)
  const answers: Answer[] = arrays.slice(reads).map((a) => ({ route: (a[0] ?? {}) as Record<string, unknown> }))
  const askedFrom = lines.change.length + reads
  const said = (result.stderr.split('\n').find((l) => l.trim() !== '' && !/^Command failed/.test(l)) ?? '').trim()
  if (failed !== undefined && failed > askedFrom) answers.push({ error: said || 'no route' })
  const unread = failed !== undefined && failed <= askedFrom ? said || `exit ${result.code}` : undefined
  return { result, changed: true, reads: arrays.slice(0, reads), answers, ...(unread === undefined ? {} : { unread }) }
}

/** Runs the batch (`ip -j [args] -batch -`) and splits what it printed. */
export async function ipBatch(
  ip: string,
  args: readonly string[],
  lines: BatchLines,
  opts: RunOptions
): Promise<BatchResult> {
  const result = await run([ip, '-j', ...args, '-batch', '-'], { ...opts, input: batchScript(lines) })
  return splitBatch(lines, result)
}
