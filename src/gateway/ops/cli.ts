// The operators' command line, on the gateway's own bundle, talking to the running gateway through its
// control socket (control.ts):
//   node dist/gateway/index.js leases list [--json]
//   node dist/gateway/index.js leases show ID [--json]
//   node dist/gateway/index.js leases revoke ID | --repository NAME-OR-ID | --run RUN-ID
//   node dist/gateway/index.js drain | undrain
// with `--config FILE` (its control-socket; /etc/wireguard-gateway/gateway.yml by default) or
// `--socket PATH`. Parsing and formatting are pure; one request per command.
import { request } from 'node:http'
import { errorText } from '../../common/errors.js'
import { loadConfig } from '../settings.js'
import type { LeaseView, Selector } from './control.js'

export const DEFAULT_CONFIG = '/etc/wireguard-gateway/gateway.yml'

export const USAGE = `usage: node dist/gateway/index.js COMMAND [--config FILE | --socket PATH]
  leases list [--json]            live leases: repository, run, addresses, age, last handshake
                                  (with PostgreSQL state: every gateway's, with a GATEWAY column)
  leases show ID [--json]         one lease, live or ended
  leases revoke ID                end a lease now: its peer and firewall rules go at once
                                  (with PostgreSQL state: a lease of any gateway of the fleet)
  leases revoke --repository R    end every live lease of a repository (name or id)
  leases revoke --run RUN-ID      end every live lease of a workflow run
  drain                           refuse new leases (503), keep the live ones
  undrain                         take new leases again
The running gateway is reached through its control-socket (from --config, ${DEFAULT_CONFIG} by default).`

export type Command =
  | { kind: 'list'; json: boolean }
  | { kind: 'show'; id: string; json: boolean }
  | { kind: 'revoke'; selector: Selector }
  | { kind: 'drain' | 'undrain' }

export interface Invocation {
  command: Command
  /** Where the socket is: given, or read from a configuration file. */
  socket: { path: string } | { config: string }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`)
    this.name = 'UsageError'
  }
}

/** The first words that make the bundle a command line rather than the server. */
export const isCli = (argv: readonly string[]): boolean => ['leases', 'drain', 'undrain'].includes(argv[0] ?? '')

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Parses the command line (without `node` and the script); throws a UsageError naming what is wrong. Pure. */
export function parseCli(argv: readonly string[]): Invocation {
  const words: string[] = []
  const options: Record<string, string | true> = {}
  const takesValue = new Set(['--config', '--socket', '--repository', '--run'])
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (!a.startsWith('--')) {
      words.push(a)
      continue
    }
    if (a in options) throw new UsageError(`${a} is given twice`)
    if (takesValue.has(a)) {
      const v = argv[++i]
      if (v === undefined || v === '' || v.startsWith('--')) throw new UsageError(`${a} needs a value`)
      options[a] = v
    } else if (a === '--json') options[a] = true
    else throw new UsageError(`unknown option ${a}`)
  }
  const allow = (...names: string[]): void => {
    const extra = Object.keys(options).find((o) => o !== '--config' && o !== '--socket' && !names.includes(o))
    if (extra) throw new UsageError(`${extra} does not go with "${words.join(' ')}"`)
  }
  const json = options['--json'] === true
  let command: Command
  const [first, second, third, ...rest] = words
  if (rest.length > 0) throw new UsageError(`unexpected "${rest[0]}"`)
  if ((first === 'drain' || first === 'undrain') && second === undefined) {
    allow()
    command = { kind: first }
  } else if (first === 'leases' && second === 'list' && third === undefined) {
    allow('--json')
    command = { kind: 'list', json }
  } else if (first === 'leases' && second === 'show') {
    if (third === undefined || !ID.test(third))
      throw new UsageError('leases show needs a lease id (as `leases list` shows it)')
    allow('--json')
    command = { kind: 'show', id: third, json }
  } else if (first === 'leases' && second === 'revoke') {
    allow('--repository', '--run')
    const repository = options['--repository'] as string | undefined
    const run = options['--run'] as string | undefined
    const given = [third, repository, run].filter((x) => x !== undefined)
    if (given.length !== 1) throw new UsageError('leases revoke needs one of: a lease id, --repository R, --run RUN-ID')
    if (third !== undefined && !ID.test(third)) throw new UsageError(`"${third}" is not a lease id`)
    command = {
      kind: 'revoke',
      selector: third !== undefined ? { id: third } : repository !== undefined ? { repository } : { run: run as string }
    }
  } else {
    throw new UsageError(words.length ? `unknown command "${words.join(' ')}"` : 'no command')
  }
  if (options['--config'] !== undefined && options['--socket'] !== undefined)
    throw new UsageError('give --config or --socket, not both')
  const socket =
    options['--socket'] !== undefined
      ? { path: options['--socket'] as string }
      : { config: (options['--config'] as string | undefined) ?? DEFAULT_CONFIG }
  return { command, socket }
}

/** `3d4h`, `5m12s`, `40s`: the largest two units of a duration in milliseconds. Pure. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor(s / 3600) % 24, 'h'],
    [Math.floor(s / 60) % 60, 'm'],
    [s % 60, 's']
  ]
  const first = parts.findIndex(([n]) => n > 0)
  if (first < 0) return '0s'
  return parts
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join('')
}

/**
 * The table `leases list` prints: one line per lease, columns padded. With PostgreSQL state (leases
 * carry `gateway`), a GATEWAY column names the gateway holding each; a lease of another gateway shows
 * `-` as its last handshake (only its own gateway reads it); `partial` (why only this gateway's leases
 * are shown) is a line under the heading. Pure.
 */
export function formatList(leases: readonly LeaseView[], draining: boolean, now: number, partial?: string): string {
  const fleet = leases.some((l) => l.gateway !== undefined)
  const head = ['ID', ...(fleet ? ['GATEWAY'] : []), 'REPOSITORY', 'RUN', 'ADDRESSES', 'AGE', 'LAST HANDSHAKE']
  const rows = [head]
  for (const l of leases)
    rows.push(
      [
        l.id,
        ...(fleet ? [l.gateway ?? '-'] : []),
        l.repository,
        l.runId || '-',
        l.addresses.join(','),
        age(now - Date.parse(l.createdAt)),
        l.local === false ? '-' : l.latestHandshake ? `${age(now - Date.parse(l.latestHandshake))} ago` : 'never'
      ].map(printable)
    )
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)))
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] as number)))
      .join('  ')
      .trimEnd()
  )
  const count = `${leases.length} live lease${leases.length === 1 ? '' : 's'}`
  const heading = `${count}${fleet && !partial ? ' in the fleet' : ''}${draining ? '; draining: new leases are refused' : ''}`
  return `${heading}\n${partial ? `${printable(partial)}\n` : ''}${lines.join('\n')}\n`
}

/** One lease, one `key: value` line each. Pure. */
export function formatLease(l: LeaseView, now: number): string {
  const lines: [string, string][] = [
    ['id', l.id],
    ['repository', `${l.repository} (id ${l.repositoryId})`],
    ['run', l.runId || '-'],
    ['workflow', l.workflowRef || '-'],
    ...(l.gateway === undefined ? [] : ([['gateway', l.gateway]] as [string, string][])),
    ['rule', String(l.rule)],
    ['public key', l.publicKey],
    ['addresses', l.addresses.join(', ')],
    ['created', `${l.createdAt} (${age(now - Date.parse(l.createdAt))} ago)`],
    ['expires', l.expiresAt],
    [
      'last handshake',
      l.latestHandshake ? `${l.latestHandshake} (${age(now - Date.parse(l.latestHandshake))} ago)` : 'never'
    ]
  ]
  if (l.endedAt) lines.push(['ended', `${l.endedAt} (${l.endReason ?? 'ended'})`])
  return `${lines.map(([k, v]) => `${`${k}:`.padEnd(16)}${printable(v)}`).join('\n')}\n`
}

/**
 * `text` with every control character (C0, DEL, C1) and bidirectional override shown as `\u{…}`:
 * a workflow ref carries a branch name the job's author chose, which must not drive the operator's
 * terminal (escape sequences) or reorder what it shows (bidi controls).
 */
export const printable = (text: string): string =>
  text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this finds
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`
  )

/** One request over the unix socket; resolves with the status and the parsed body. */
type Answer = { status: number; body: Record<string, unknown> }

function ask(socket: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        timeout: 30_000,
        headers: text ? { 'content-type': 'application/json' } : {}
      },
      (res) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (data += d))
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: (data ? JSON.parse(data) : {}) as Answer['body'] })
          } catch {
            reject(new Error(`the gateway answered ${res.statusCode ?? 0} with something that is not JSON`))
          }
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error('the gateway did not answer within 30 s')))
    req.on('error', reject)
    req.end(text)
  })
}

/** Runs a command line; writes the answer to stdout (errors to stderr, one line) and resolves with the exit code. */
export async function runCli(
  argv: readonly string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t)
): Promise<number> {
  let inv: Invocation
  let socket: string
  try {
    inv = parseCli(argv)
    socket = 'path' in inv.socket ? inv.socket.path : loadConfig(inv.socket.config).controlSocket
  } catch (e) {
    err(`wireguard-gateway: ${errorText(e)}\n`)
    return 2
  }
  const c = inv.command
  try {
    const answer =
      c.kind === 'list'
        ? await ask(socket, 'GET', '/leases')
        : c.kind === 'show'
          ? await ask(socket, 'GET', `/leases/${c.id}`)
          : c.kind === 'revoke'
            ? await ask(socket, 'POST', '/revoke', c.selector)
            : await ask(socket, 'POST', `/${c.kind}`)
    if (answer.status !== 200) {
      const said = typeof answer.body.error === 'string' ? answer.body.error : `the gateway answered ${answer.status}`
      err(`wireguard-gateway: ${said}\n`)
      return 1
    }
    const now = Date.now()
    const b = answer.body
    if ((c.kind === 'list' || c.kind === 'show') && c.json) out(`${JSON.stringify(b, null, 2)}\n`)
    else if (c.kind === 'list')
      out(
        formatList(
          b.leases as LeaseView[],
          b.draining === true,
          now,
          typeof b.partial === 'string' ? b.partial : undefined
        )
      )
    else if (c.kind === 'show') out(formatLease(b as unknown as LeaseView, now))
    else if (c.kind === 'revoke') {
      const ids = b.revoked as string[]
      out(`revoked ${ids.length} lease${ids.length === 1 ? '' : 's'}${ids.map((id) => `\n  ${id}`).join('')}\n`)
    } else
      out(
        `${b.draining === true ? 'draining: new leases are refused' : 'taking new leases'}; ${Number(b.leases)} live\n`
      )
    return 0
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    err(
      `wireguard-gateway: cannot reach the gateway at ${socket} (${code ?? errorText(e)}): ${
        code === 'ENOENT' || code === 'ECONNREFUSED'
          ? 'is it running, with this control-socket?'
          : code === 'EACCES'
            ? 'the control socket is root’s: run this as root'
            : errorText(e)
      }\n`
    )
    return 1
  }
}
