// What a wg-quick user expects to read: every command that changes the system, echoed as wg-quick
// echoes it (`[#] ip link add …`) before it runs, inside a collapsed log group (one for bring-up,
// one for a rollback, one for post). Read-only probes are not echoed. No secret is ever on these
// lines: keys reach WireGuard through a pipe or a socket, never an argument; the configuration is
// echoed as wg-quick shows its own (`wg setconf IFACE /dev/fd/63`), never its content.
import { basename } from 'node:path'
import * as core from '../toolkit.js'

/** The title of the group the next command opens (none: commands are echoed outside any), and whether one is open. */
const log: { title?: string; open: boolean } = { open: false }

/**
 * Names the group the next echoed commands go in, opened at the first of them (a phase that changes
 * nothing leaves no empty group), closing any that is open.
 */
export function commandGroup(title: string): void {
  endCommandGroup()
  log.title = title
}

/** Closes the group of echoed commands, if one is open: what follows is read outside it. */
export function endCommandGroup(): void {
  if (log.open) core.endGroup()
  log.open = false
  log.title = undefined
}

/** Echoes one command line as wg-quick does. */
export function echoLine(line: string): void {
  if (!log.open && log.title !== undefined) {
    core.startGroup(log.title)
    log.open = true
  }
  core.info(`[#] ${line}`)
}

/** A command as the user would type it: the program by its name, not its path. Pure. */
export const shownCommand = (argv: readonly string[]): string => [basename(argv[0] ?? ''), ...argv.slice(1)].join(' ')

/** Echoes a command that is about to change the system. */
export const echo = (argv: readonly string[]): void => echoLine(shownCommand(argv))

/**
 * The commands an `ip [-4|-6] -batch -` script runs, one per line, each with the family it acts on
 * as wg-quick writes them (`ip -4 address add …`, `ip -6 route add …`): the batch's own option, else
 * the family of the line's address (a rule without one is IPv4, `ip`'s default). Pure.
 */
export function batchCommands(options: readonly string[], script: string): string[] {
  return script
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const family =
        options.length > 0 ? options : /^link /.test(line) ? [] : [/^(address|route) \S+ \S*:/.test(line) ? '-6' : '-4']
      return ['ip', ...family, line].join(' ')
    })
}

/** Echoes each command of an `ip -batch` script. */
export function echoBatch(options: readonly string[], script: string): void {
  for (const line of batchCommands(options, script)) echoLine(line)
}
