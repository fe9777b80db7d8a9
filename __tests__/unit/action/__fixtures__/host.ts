// A fake host for the orchestration's unit tests. It stands in for src/action/host/run.ts (the one
// module that starts processes) and src/action/host/probe.ts (the read-only probes) over a small
// model of what a kernel holds: links with addresses, routes, policy rules, src_valid_mark, DNS
// settings, wireguard-go daemons with their sockets, and the state files the action keeps (with
// the lock it takes to change them). Every command is recorded (argv, standard
// input, as root or not) and answered from the model as ip, wg, wireguard-go, sysctl, resolvconf,
// kill, … answer it; any step (a command, or one line of an `ip -batch` script, which stops at its
// first failing line as ip does) can be made to fail. Importing this module replaces Date.now with
// a fake clock that only sleeps and waits move, and process.kill with signals to the model's
// processes (no real process is ever signalled).
//
//   jest.unstable_mockModule(RUN, () => fakeRun)
//   jest.unstable_mockModule(PROBE, () => fakeProbe)
//   const { teardown } = await import('…/teardown.js')
import { jest } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { contains, network, parsePrefix, prefixText, type Prefix } from '../../../../src/common/ip.js'
import type * as Probe from '../../../../src/action/host/probe.js'
import type * as Run from '../../../../src/action/host/run.js'

type Family = 4 | 6
type Answer = Run.RunResult

export interface Link {
  name: string
  ifindex: number
  netns: string
  kind: 'kernel' | 'wireguard-go' | 'other'
  addresses: string[]
  mtu?: number
  up?: boolean
  fwmark?: number
}
export interface Route {
  prefix: string
  dev: string
  /** Undefined: the main table. */
  table?: number
}
export interface Rule {
  family: Family
  priority: number
  selector: string
}
export interface Proc {
  pid: number
  start: string
  argv: string[]
  netns: string
  alive: boolean
  /** The interface a wireguard-go daemon serves: it closes when the daemon exits. */
  iface?: string
  /** Stays up on SIGTERM (stuck), goes only on SIGKILL. */
  ignoresTerm?: boolean
  /** Already dying from a SIGKILL (its fds closed, not yet a zombie): any signal "stops" it, and its socket stays. */
  dying?: boolean
}

/** A command as it was started. */
export interface Command {
  /** argv with the program's directory left out: `ip link add …`. */
  text: string
  argv: string[]
  input?: string
  root: boolean
  env?: Record<string, string>
}

/** One step: a command, or one line of an `ip -batch` script (`ip -batch: route add …`). */
export interface Step {
  n: number
  text: string
  /** What it changed, for what teardown must undo: `+link wg0`, `-rule 4 32765 …`, … */
  effects: string[]
  failed?: boolean
}

/** How a step fails: what it prints, its exit code, how many times; timedOut as run.ts reports a kill at the deadline. */
export interface FailureSpec {
  stderr?: string
  code?: number
  times?: number
  timedOut?: boolean
}

interface Failure {
  when: (step: Step) => boolean
  stderr: string
  code: number
  times: number
  timedOut: boolean
}

/** What a command answers, before it is turned into a RunResult. */
type Outcome = { code: number; stdout?: string; stderr?: string; pid?: number; timedOut?: boolean }
const ok = (stdout = ''): Outcome => ({ code: 0, stdout })
const error = (stderr: string, code = 2): Outcome => ({ code, stderr })

export const OUR_NETNS = 'net:[4026531840]'
export const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark'

const familyOf = (prefix: string): Family => (prefix.includes(':') ? 6 : 4)
const shownPrefix = (prefix: string): string => (prefix === '0.0.0.0/0' || prefix === '::/0' ? 'default' : prefix)
/** How `ip rule show` prints a selector. */
function ruleText(selector: string): string {
  const mark = /^not fwmark ([0-9]+) table ([0-9]+)$/.exec(selector)
  if (mark) return `not from all fwmark 0x${Number(mark[1]).toString(16)} lookup ${mark[2]}`
  if (selector === 'table main suppress_prefixlength 0') return 'from all lookup main suppress_prefixlength 0'
  return selector
}

class FakeHost {
  root = true
  netns = OUR_NETNS
  netAdmin = true
  /** What the probe says: the kernel has a WireGuard module. */
  kernelModule = true
  /** What `ip link add … type wireguard` finds. */
  kernelWorks = true
  srcValidMark = '0'
  ticks = 100_000
  now = 1_767_225_600_000
  tools: Record<string, string | undefined> = {}
  mtus: Record<string, number> = {}
  links: Link[] = []
  routes: Route[] = []
  rules: Rule[] = []
  /** DNS settings by name (resolvconf record or resolvectl link) → what was given. */
  dns = new Map<string, string>()
  procs = new Map<number, Proc>()
  /** Socket path → identity, as fileId reads it (while the file exists). */
  sockets = new Map<string, string>()
  /** Public key (base64) → last handshake (seconds), as wg and UAPI report them. */
  handshakes = new Map<string, number>()
  commands: Command[] = []
  steps: Step[] = []
  /** UAPI requests wireguard-go's socket was sent. */
  uapi: string[] = []
  /** Commands no handler knows: a test that sees one is wrong, not the code. */
  unknown: string[] = []
  /** Files the action keeps (path → text), and the folders made for them. */
  files = new Map<string, string>()
  folders = new Set<string>()
  /** Locks held now (path), by holdLock. */
  locks = new Set<string>()
  /** Why IPv6 is off on a link, as probe.ipv6Disabled reads it from /proc. */
  ipv6Off: Probe.Ipv6Disabled | undefined = undefined
  /** A scratch folder for sockets (removed by reset). */
  dir = ''
  private failures: Failure[] = []
  private hooks: { when: (step: Step) => boolean; fn: (step: Step) => void }[] = []
  private servers = new Map<string, Server>()
  private nextIfindex = 3
  private nextPid = 4000
  private nextInode = 500

  /** A fresh host: lo and eth0, a default route, the three standard rules; ip, wg, wireguard-go found. */
  async reset(): Promise<void> {
    await this.close()
    Object.assign(this, {
      root: true,
      netns: OUR_NETNS,
      netAdmin: true,
      kernelModule: true,
      kernelWorks: true,
      srcValidMark: '0',
      ticks: 100_000,
      now: 1_767_225_600_000,
      nextIfindex: 3,
      nextPid: 4000,
      nextInode: 500
    })
    this.tools = {
      ip: '/usr/sbin/ip',
      wg: '/usr/bin/wg',
      'wireguard-go': '/usr/bin/wireguard-go',
      resolvconf: '/usr/sbin/resolvconf',
      'apt-get': '/usr/bin/apt-get'
    }
    this.mtus = { eth0: 1500 }
    this.links = [
      { name: 'lo', ifindex: 1, netns: OUR_NETNS, kind: 'other', addresses: ['127.0.0.1/8'] },
      { name: 'eth0', ifindex: 2, netns: OUR_NETNS, kind: 'other', addresses: ['198.51.100.2/24'] }
    ]
    this.routes = [
      { prefix: '0.0.0.0/0', dev: 'eth0' },
      { prefix: '198.51.100.0/24', dev: 'eth0' }
    ]
    this.rules = [
      { family: 4, priority: 0, selector: 'from all lookup local' },
      { family: 4, priority: 32766, selector: 'from all lookup main' },
      { family: 4, priority: 32767, selector: 'from all lookup default' },
      { family: 6, priority: 0, selector: 'from all lookup local' },
      { family: 6, priority: 32766, selector: 'from all lookup main' }
    ]
    this.dns = new Map()
    this.procs = new Map()
    this.sockets = new Map()
    this.handshakes = new Map()
    this.commands = []
    this.steps = []
    this.uapi = []
    this.unknown = []
    this.files = new Map()
    this.folders = new Set()
    this.locks = new Set()
    this.ipv6Off = undefined
    this.failures = []
    this.hooks = []
    this.dir = mkdtempSync(join(tmpdir(), 'wgt-fakehost-'))
  }

  /** Stops the fake daemons' sockets and removes the scratch folder. */
  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => new Promise((r) => s.close(r))))
    this.servers.clear()
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
  }

  /** Makes step `n` (1-based, in the order steps ran since reset) fail. */
  failAt(n: number, spec: FailureSpec = {}): void {
    this.failOn((s) => s.n === n, { stderr: `injected failure at step ${n}`, times: 1, ...spec })
  }

  /** Makes the steps `when` picks fail (every time unless `times` says otherwise). */
  failOn(when: (step: Step) => boolean, spec: FailureSpec = {}): void {
    const { stderr = 'injected failure', code = 2, times = Infinity, timedOut = false } = spec
    this.failures.push({ when, stderr, code, times, timedOut })
  }

  /** Runs `fn` just before each step `when` picks (another job acting meanwhile). */
  before(when: (step: Step) => boolean, fn: (step: Step) => void): void {
    this.hooks.push({ when, fn })
  }

  /** The interface of that name in this step's network namespace. */
  link(name: string): Link | undefined {
    return this.links.find((l) => l.name === name && l.netns === this.netns)
  }

  /** An interface made by someone else (another job, an earlier run). */
  addLink(name: string, kind: Link['kind'] = 'kernel', netns = this.netns): Link {
    const link: Link = { name, ifindex: this.nextIfindex++, netns, kind, addresses: [] }
    this.links.push(link)
    return link
  }

  /** A running process (another job's wireguard-go, or whatever reuses a pid). */
  addProc(argv: string[], start: string, extra: Partial<Proc> = {}): Proc {
    const proc: Proc = { pid: this.nextPid++, start, argv, netns: this.netns, alive: true, ...extra }
    this.procs.set(proc.pid, proc)
    return proc
  }

  /** Everything the model holds, to compare before and after. */
  snapshot(): unknown {
    const sorted = <T>(list: T[]): T[] => [...list].map((x) => JSON.stringify(x)).sort() as unknown as T[]
    return {
      links: sorted(this.links),
      routes: sorted(this.routes),
      rules: sorted(this.rules),
      srcValidMark: this.srcValidMark,
      files: [...this.files.entries()].sort(),
      dns: [...this.dns.entries()].sort(),
      procs: sorted([...this.procs.values()].filter((p) => p.alive)),
      sockets: [...this.sockets.entries()].filter(([path]) => existsSync(path)).sort()
    }
  }

  /** The effects of the steps from `from` (0-based index into steps) on. */
  effects(from = 0, to = this.steps.length): string[] {
    return this.steps.slice(from, to).flatMap((s) => s.effects)
  }

  /** The commands' text, with their standard input where they have one. */
  log(): string[] {
    return this.commands.map((c) => (c.input === undefined || c.input === '' ? c.text : `${c.text} <<< ${c.input}`))
  }

  // ---- process signals (process.kill, `kill`) -----------------------------------------------

  signal(pid: number, name: string, step?: Step): boolean {
    const proc = this.procs.get(pid)
    if (!proc?.alive) return false
    if (name === 'TERM' && proc.ignoresTerm) return true
    proc.alive = false
    if (proc.iface !== undefined) {
      const link = this.links.find((l) => l.name === proc.iface && l.kind === 'wireguard-go' && l.netns === proc.netns)
      if (link) this.dropLink(link)
      // On SIGTERM wireguard-go removes its socket; killed, it leaves it behind (stale).
      const path = fakeProbe.socketPath(proc.iface)
      const server = this.servers.get(path)
      server?.close()
      this.servers.delete(path)
      if (name === 'KILL' || proc.dying) {
        if (server) writeFileSync(path, '')
      } else {
        rmSync(path, { force: true })
      }
      step?.effects.push(`-wireguard-go ${proc.iface}`)
    }
    return true
  }

  /** process.kill, as a step of its own (it changes the system as a command would). */
  signalStep(pid: number, name: string): Step {
    return this.step(`process.kill ${pid} SIG${name}`)
  }

  private dropLink(link: Link): void {
    this.links = this.links.filter((l) => l !== link)
    this.routes = this.routes.filter((r) => r.dev !== link.name)
  }

  // ---- running commands ------------------------------------------------------------------------

  private step(text: string): Step {
    const step: Step = { n: this.steps.length + 1, text, effects: [] }
    this.steps.push(step)
    for (const h of this.hooks) if (h.when(step)) h.fn(step)
    return step
  }

  /** The injected failure for this step, if any. */
  private injected(step: Step): Outcome | undefined {
    const f = this.failures.find((x) => x.times > 0 && x.when(step))
    if (!f) return undefined
    f.times--
    step.failed = true
    return { ...error(`${f.stderr}\n`, f.code), ...(f.timedOut ? { timedOut: true } : {}) }
  }

  async run(argv: readonly string[], opts: Run.RunOptions = {}): Promise<Answer> {
    const args = [...argv]
    const text = [basename(args[0] ?? ''), ...args.slice(1)].join(' ')
    this.commands.push({ text, argv: args, input: opts.input, root: opts.root === true, env: opts.env })
    let out: Outcome
    if (/^ip (-j )?(-[46] )?-batch -$/.test(text)) {
      out = this.batch(text, opts.input ?? '', text.includes(' -6 ') ? 6 : 4)
    } else {
      const step = this.step(text)
      out = this.injected(step) ?? (await this.execute(text.split(' '), step, opts.input ?? ''))
    }
    // Answered asynchronously, as a process is.
    await Promise.resolve()
    const answer = { pid: out.pid, code: out.code, stdout: out.stdout ?? '', stderr: out.stderr ?? '' }
    return out.timedOut ? { ...answer, timedOut: true } : answer
  }

  /**
   * `ip -batch -`: line by line, stopping at the first that fails, as ip does without -force; with
   * -j, each line that reads prints one JSON array on a line of its own.
   */
  private batch(text: string, script: string, family: Family): Outcome {
    const lines = script.split('\n').filter((l) => l.trim() !== '')
    let stdout = ''
    for (const [i, line] of lines.entries()) {
      const step = this.step(`${text.replace(/ -$/, '')}: ${line}`)
      const out = this.injected(step) ?? this.ipLine(line.split(' '), family, step)
      stdout += out.stdout ?? ''
      if (out.code !== 0) return { code: 1, stdout, stderr: `${out.stderr ?? ''}Command failed -:${i + 1}\n` }
    }
    return ok(stdout)
  }

  /** The route `ip route get` would answer for an unmarked packet: a full tunnel's table first, then main. */
  private routeGet(address: string, family: Family): Outcome {
    const host = `${address}/${family === 4 ? 32 : 128}`
    const tables = [
      ...this.rules
        .filter((r) => r.family === family)
        .sort((x, y) => x.priority - y.priority)
        .flatMap((r) => /^not fwmark [0-9]+ table ([0-9]+)$/.exec(r.selector)?.[1] ?? [])
        .map(Number),
      undefined
    ]
    const local = this.links.find((l) => l.addresses.some((a) => a.split('/')[0] === address))
    if (local) return ok(`[{"type":"local","dst":"${address}","dev":"lo","table":"local","flags":[]}]\n`)
    // Each address's own network is routed through its link in the main table, as the kernel does.
    const connected: Route[] = this.links.flatMap((l) =>
      l.addresses.map((a) => ({ prefix: prefixText(network(parsePrefix(a) as Prefix)), dev: l.name }))
    )
    for (const table of tables) {
      const hits = [...this.routes, ...connected]
        .filter((r) => r.table === table && familyOf(r.prefix) === family)
        .filter((r) => contains(parsePrefix(r.prefix) as Prefix, parsePrefix(host) as Prefix))
        .sort((a, b) => Number(b.prefix.split('/')[1]) - Number(a.prefix.split('/')[1]))
      const best = hits[0]
      if (best) {
        const t = best.table === undefined ? '' : `,"table":"${best.table}"`
        return ok(`[{"dst":"${address}","dev":"${best.dev}"${t},"flags":[],"cache":[]}]\n`)
      }
    }
    return error('RTNETLINK answers: Network is unreachable\n')
  }

  /** What `ip -j` prints for the reads bring-up makes on its batches. */
  private ipRead(a: string, family: Family): Outcome | undefined {
    let m: RegExpExecArray | null
    if ((m = /^address show dev (\S+)$/.exec(a))) {
      const link = this.link(m[1] as string)
      if (!link) return error(`Device "${m[1]}" does not exist.\n`, 1)
      const info = link.addresses.map((p) => {
        const [local, bits] = p.split('/')
        return { family: p.includes(':') ? 'inet6' : 'inet', local, prefixlen: Number(bits) }
      })
      const flags = ['POINTOPOINT', 'NOARP', ...(link.up ? ['UP', 'LOWER_UP'] : [])]
      return ok(
        `${JSON.stringify([{ ifindex: link.ifindex, ifname: link.name, flags, mtu: link.mtu ?? 1420, addr_info: info }])}\n`
      )
    }
    if ((m = /^route show table all dev (\S+)$/.exec(a))) {
      const on = this.routes.filter((r) => r.dev === m?.[1])
      const shown = on.map((r) => ({
        dst: r.prefix === '0.0.0.0/0' || r.prefix === '::/0' ? 'default' : r.prefix,
        ...(r.table === undefined ? {} : { table: String(r.table) }),
        ...(familyOf(r.prefix) === 6 ? { pref: 'medium' } : {})
      }))
      return ok(`${JSON.stringify(shown)}\n`)
    }
    if (a === 'rule show') {
      const shown = this.rules
        .filter((r) => r.family === family)
        .sort((x, y) => x.priority - y.priority)
        .map((r) => {
          const mark = /^not fwmark ([0-9]+) table ([0-9]+)$/.exec(r.selector)
          if (mark)
            return {
              priority: r.priority,
              not: null,
              src: 'all',
              fwmark: `0x${Number(mark[1]).toString(16)}`,
              table: mark[2]
            }
          if (r.selector === 'table main suppress_prefixlength 0')
            return { priority: r.priority, src: 'all', table: 'main', suppress_prefixlen: 0 }
          return { priority: r.priority, src: 'all', table: r.selector.split(' ').at(-1) }
        })
      return ok(`${JSON.stringify(shown)}\n`)
    }
    if ((m = /^route get (\S+) uid [0-9]+$/.exec(a))) return this.routeGet(m[1] as string, m[1]?.includes(':') ? 6 : 4)
    return undefined
  }

  private async execute(words: string[], step: Step, input: string): Promise<Outcome> {
    const [tool, ...args] = words
    const a = args.join(' ')
    switch (tool) {
      case 'ip':
        return this.ip(args, step)
      case 'wg':
        return this.wg(args)
      case 'wireguard-go':
        return this.wireguardGo(args, step)
      case 'sysctl': {
        const m = /^-q -w ([a-z0-9_.]+)=([0-9])$/.exec(a)
        if (!m || m[1] !== SRC_VALID_MARK) break
        if (m[2] !== this.srcValidMark) step.effects.push(m[2] === '1' ? '+src_valid_mark' : '-src_valid_mark')
        this.srcValidMark = m[2] as string
        return ok()
      }
      case 'resolvconf': {
        const add = /^-a (\S+) -m 0 -x$/.exec(a)
        if (add) {
          if (!this.dns.has(add[1] as string)) step.effects.push(`+dns ${add[1]}`)
          this.dns.set(add[1] as string, input)
          return ok()
        }
        const del = /^-d (\S+) -f$/.exec(a)
        if (!del) break
        if (this.dns.delete(del[1] as string)) step.effects.push(`-dns ${del[1]}`)
        return ok()
      }
      case 'resolvectl': {
        const [verb, link, ...rest] = args
        if (verb === 'dns' || verb === 'domain') {
          if (!this.link(link ?? '')) return error(`Failed to resolve interface "${link}": No such device\n`, 1)
          if (verb === 'dns' && !this.dns.has(link as string)) step.effects.push(`+dns ${link}`)
          if (verb === 'dns') this.dns.set(link as string, rest.join(' '))
          return ok()
        }
        if (verb !== 'revert') break
        if (this.dns.delete(link as string)) step.effects.push(`-dns ${link}`)
        return ok()
      }
      case 'kill': {
        const m = /^-(TERM|KILL) ([0-9]+)$/.exec(a)
        if (!m) break
        return this.signal(Number(m[2]), m[1] as string, step) ? ok() : error(`kill: (${m[2]}) - No such process\n`, 1)
      }
      case 'write':
      case 'tee': {
        const path = args[0] ?? ''
        if (args.length !== 1 || !this.folders.has(dirname(path))) break
        if (!this.files.has(path)) step.effects.push(`+file ${basename(path)}`)
        this.files.set(path, input)
        return ok(input)
      }
      case 'mkdir': {
        // The folder stays (as /var/run/wireguard does): no effect to undo.
        if (a !== '-p -m 755 /run/wireguard-tunnel') break
        this.folders.add('/run/wireguard-tunnel')
        return ok()
      }
      case 'remove':
      case 'rm': {
        if (tool === 'remove') args.unshift('-f')
        const path = args[1] ?? ''
        if (args[0] === '-f' && this.files.has(path)) {
          this.files.delete(path)
          step.effects.push(`-file ${basename(path)}`)
          return ok()
        }
        if (args[0] !== '-f' || !path.startsWith(this.dir)) break
        if (existsSync(path)) step.effects.push(`-socket ${basename(path)}`)
        rmSync(path, { force: true })
        return ok()
      }
      case 'readlink': {
        const m = /^\/proc\/([0-9]+)\/ns\/net$/.exec(a)
        if (!m) break
        const proc = this.procs.get(Number(m[1]))
        return proc?.alive ? ok(`${proc.netns}\n`) : error('', 1)
      }
      case 'mkfifo':
      case 'ping':
        return ok()
      case 'flock':
        if (/^-x -w [0-9]+ \/run\/wireguard-tunnel\/lock cat$/.test(a) && this.folders.has('/run/wireguard-tunnel'))
          return ok()
        break
      case 'apt-get': {
        const packages: Record<string, string> = {
          'wireguard-tools': 'wg',
          iproute2: 'ip',
          'wireguard-go': 'wireguard-go'
        }
        if (args.includes('update')) return ok()
        const at = args.indexOf('--no-install-recommends')
        if (at < 0) break
        for (const p of args.slice(at + 1)) {
          const tool = packages[p]
          if (tool) this.tools[tool] = `/usr/bin/${tool}`
        }
        return ok()
      }
    }
    this.unknown.push(words.join(' '))
    return error(`fake host: no answer for \`${words.join(' ')}\``, 127)
  }

  private ip(args: string[], step: Step): Outcome {
    const json = args[0] === '-j'
    if (json) args.shift()
    let family: Family | undefined
    if (args[0] === '-4' || args[0] === '-6') family = Number((args.shift() as string).slice(1)) as Family
    const a = args.join(' ')
    let m: RegExpExecArray | null
    if (json && (m = /^route show table (\S+) exact (\S+)$/.exec(a))) {
      const table = m[1] === 'main' ? undefined : Number(m[1])
      const hits = this.routes.filter((r) => r.prefix === m?.[2] && r.table === table)
      return ok(`${JSON.stringify(hits.map((r) => ({ dst: shownPrefix(r.prefix), dev: r.dev })))}\n`)
    }
    if ((m = /^link add dev (\S+) type wireguard$/.exec(a))) {
      if (!this.kernelWorks) return error('Error: Unknown device type.\n')
      if (this.link(m[1] as string)) return error('RTNETLINK answers: File exists\n')
      this.links.push({
        name: m[1] as string,
        ifindex: this.nextIfindex++,
        netns: this.netns,
        kind: 'kernel',
        addresses: []
      })
      step.effects.push(`+link ${m[1]}`)
      return ok()
    }
    if ((m = /^link delete dev (\S+)$/.exec(a))) {
      const link = this.link(m[1] as string)
      if (!link) return error(`Cannot find device "${m[1]}"\n`, 1)
      this.dropLink(link)
      step.effects.push(`-link ${m[1]}`)
      return ok()
    }
    if (a === 'route show table all' && family) {
      return ok(
        this.routes
          .filter((r) => familyOf(r.prefix) === family)
          .map((r) => `${shownPrefix(r.prefix)} dev ${r.dev}${r.table ? ` table ${r.table}` : ''} scope link\n`)
          .join('')
      )
    }
    if (a === 'route show default') return ok('default via 198.51.100.254 dev eth0 proto static\n')
    if ((m = /^route show dev (\S+)$/.exec(a))) {
      const on = this.routes.filter((r) => r.dev === m?.[1] && familyOf(r.prefix) === (family ?? 4))
      return ok(on.map((r) => `${shownPrefix(r.prefix)}${r.table ? ` table ${r.table}` : ''} scope link\n`).join(''))
    }
    if ((m = /^route get (\S+)$/.exec(a))) return ok(`${m[1]} via 198.51.100.254 dev eth0 src 198.51.100.2 uid 0\n`)
    if ((m = /^route flush dev (\S+) table ([0-9]+)$/.exec(a)) && family) {
      const [dev, table] = [m[1], Number(m[2])]
      this.routes = this.routes.filter((r) => !(r.dev === dev && r.table === table && familyOf(r.prefix) === family))
      return ok()
    }
    if (a === 'rule show' && family) {
      return ok(
        this.rules
          .filter((r) => r.family === family)
          .sort((x, y) => x.priority - y.priority)
          .map((r) => `${r.priority}:\t${ruleText(r.selector)}\n`)
          .join('')
      )
    }
    if ((m = /^rule del (.+) priority ([0-9]+)$/.exec(a)) && family) {
      const [selector, priority] = [m[1], Number(m[2])]
      const at = this.rules.findIndex((r) => r.family === family && r.selector === selector && r.priority === priority)
      if (at < 0) return error('RTNETLINK answers: No such file or directory\n')
      this.rules.splice(at, 1)
      step.effects.push(`-rule ${family} ${priority} ${selector}`)
      return ok()
    }
    if ((m = /^address show dev (\S+)$/.exec(a))) {
      const link = this.link(m[1] as string)
      if (!link) return error(`Device "${m[1]}" does not exist.\n`, 1)
      return ok(`${link.ifindex}: ${link.name}: <POINTOPOINT,NOARP,UP> mtu ${link.mtu ?? 1420}\n`)
    }
    this.unknown.push(`ip ${a}`)
    return error(`fake host: no answer for \`ip ${a}\``, 127)
  }

  /** One line of an `ip -batch` script. */
  private ipLine(words: string[], family: Family, step: Step): Outcome {
    const a = words.join(' ')
    const read = this.ipRead(a, family)
    if (read) return read
    let m: RegExpExecArray | null
    const device = (name: string): Link | Outcome => this.link(name) ?? error(`Cannot find device "${name}"\n`, 1)
    if ((m = /^address add (\S+) dev (\S+)$/.exec(a))) {
      const link = device(m[2] as string)
      if (!('ifindex' in link)) return link
      if (link.addresses.includes(m[1] as string)) return error('RTNETLINK answers: File exists\n')
      link.addresses.push(m[1] as string)
      return ok()
    }
    if ((m = /^link set mtu ([0-9]+) up dev (\S+)$/.exec(a))) {
      const link = device(m[2] as string)
      if (!('ifindex' in link)) return link
      Object.assign(link, { mtu: Number(m[1]), up: true })
      return ok()
    }
    if ((m = /^route add (\S+) dev (\S+)( table ([0-9]+))?$/.exec(a))) {
      const link = device(m[2] as string)
      if (!('ifindex' in link)) return link
      const route: Route = { prefix: m[1] as string, dev: m[2] as string, table: m[4] ? Number(m[4]) : undefined }
      if (this.routes.some((r) => r.prefix === route.prefix && r.table === route.table)) {
        return error('RTNETLINK answers: File exists\n')
      }
      this.routes.push(route)
      return ok()
    }
    if ((m = /^rule add (.+) priority ([0-9]+)$/.exec(a))) {
      const rule: Rule = { family, selector: m[1] as string, priority: Number(m[2]) }
      if (this.rules.some((r) => r.family === family && r.priority === rule.priority && r.selector === rule.selector)) {
        return error('RTNETLINK answers: File exists\n')
      }
      this.rules.push(rule)
      step.effects.push(`+rule ${family} ${rule.priority} ${rule.selector}`)
      return ok()
    }
    this.unknown.push(`ip -batch: ${a}`)
    return error(`fake host: no answer for \`${a}\``, 127)
  }

  private wg(args: string[]): Outcome {
    const [verb, iface = '', ...rest] = args
    const link = this.link(iface)
    if (!link) return error('Unable to access interface: No such device\n', 1)
    if (verb === 'setconf' && rest.length === 1) return ok()
    if (verb === 'set' && rest[0] === 'fwmark') {
      link.fwmark = Number(rest[1])
      return ok()
    }
    if (verb === 'set' && rest[0] === 'peer') return ok()
    if (verb === 'show' && rest[0] === 'latest-handshakes') {
      return ok([...this.handshakes].map(([key, t]) => `${key}\t${t}\n`).join(''))
    }
    if (verb === 'show' && rest.length === 0) return ok(`interface: ${iface}\n  private key: (hidden)\n`)
    this.unknown.push(`wg ${args.join(' ')}`)
    return error('fake host: no answer', 127)
  }

  /** `wireguard-go IFACE`: makes the interface and forks a daemon that serves UAPI on its socket. */
  private async wireguardGo(args: string[], step: Step): Promise<Outcome> {
    const iface = args[0] as string
    if (this.link(iface)) {
      return error(`ERROR: (${iface}) 2026/01/01 00:00:00 Failed to create TUN device: device or resource busy\n`, 1)
    }
    const starter = this.nextPid++
    this.nextPid += 2
    this.addProc(['wireguard-go', iface], String(this.ticks + 2), { iface })
    this.links.push({
      name: iface,
      ifindex: this.nextIfindex++,
      netns: this.netns,
      kind: 'wireguard-go',
      addresses: []
    })
    const path = fakeProbe.socketPath(iface)
    this.servers.set(path, await this.serveUapi(path))
    this.sockets.set(path, `64768:${this.nextInode++}:1767225600000000000`)
    step.effects.push(`+wireguard-go ${iface}`)
    return { code: 0, pid: starter }
  }

  private serveUapi(path: string): Promise<Server> {
    const server = createServer((socket) => {
      let request = ''
      socket.setEncoding('utf8')
      socket.on('error', () => undefined)
      socket.on('data', (d: string) => {
        request += d
        if (!request.endsWith('\n\n')) return
        this.uapi.push(request)
        socket.end(this.uapiAnswer(path, request))
        request = ''
      })
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => resolve(server))
    })
  }

  private uapiAnswer(path: string, request: string): string {
    if (request.startsWith('get=1')) {
      const hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex')
      const peers = [...this.handshakes].map(([k, t]) => `public_key=${hex(k)}\nlast_handshake_time_sec=${t}\n`)
      return `listen_port=51820\n${peers.join('')}errno=0\n\n`
    }
    const fwmark = /^fwmark=([0-9]+)$/m.exec(request)
    const link = this.links.find((l) => fakeProbe.socketPath(l.name) === path && l.kind === 'wireguard-go')
    if (fwmark && link) link.fwmark = Number(fwmark[1])
    return 'errno=0\n\n'
  }
}

export const host = new FakeHost()

// No real process is ever signalled from these tests: process.kill acts on the model.
jest.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
  const name = String(signal ?? 'SIGTERM').replace(/^SIG/, '')
  if (!host.signal(pid, name, host.signalStep(pid, name))) {
    throw Object.assign(new Error(`kill ESRCH`), { code: 'ESRCH' })
  }
  return true
})
// The fake clock: only sleeps and waits move it, so a deadline passes without waiting for it.
jest.spyOn(Date, 'now').mockImplementation(() => host.now)

/** commandLine as run.ts defines it: sudo -n when not root, variables through env(1). */
function commandLine(argv: readonly string[], opts: Run.RunOptions, root: boolean): string[] {
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)
  const withEnv = env.length > 0 ? ['env', ...env, ...argv] : [...argv]
  return opts.root && !root ? ['sudo', '-n', ...withEnv] : withEnv
}

const sudoRefused = (argv: readonly string[], stderr: string): boolean => argv[0] === 'sudo' && /^sudo: /m.test(stderr)

class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: Answer
  ) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ')
    super(`\`${argv.join(' ')}\` failed (exit ${result.code})${said ? `: ${said}` : ''}`)
    this.name = 'CommandError'
  }
}

/** src/action/host/run.ts over the fake host (same exports, same contract). */
export const fakeRun: typeof Run = {
  isRoot: () => host.root,
  commandLine,
  sudoRefused,
  CommandError,
  run: (argv, opts) => host.run(argv, opts),
  /** As root a file write (a step of its own, `write PATH`), through sudo `tee` or `rm -f`, as run.ts does. */
  async writeAsRoot(path, text, opts = {}) {
    if (!host.root) {
      const argv = text === undefined ? ['rm', '-f', path] : ['tee', path]
      const r = await host.run(argv, { ...opts, root: true, input: text })
      if (r.code !== 0) throw new CommandError(commandLine(argv, { ...opts, root: true }, host.root), r)
      return
    }
    const out = await host.run([text === undefined ? 'remove' : 'write', path], { ...opts, root: true, input: text })
    if (out.code !== 0) throw new Error(`could not write ${path}: ${out.stderr}`)
  },
  /** A step of its own (`flock -x -w N PATH cat`); the lock is the model's, held until released. */
  async holdLock(path, opts = {}) {
    const out = await host.run(['flock', '-x', '-w', '10', path, 'cat'], { ...opts, input: undefined })
    if (out.code !== 0) throw new CommandError(commandLine(['flock', path], opts, host.root), out)
    if (host.locks.has(path)) throw new Error(`fake host: ${path} is locked twice`)
    host.locks.add(path)
    return async () => {
      host.locks.delete(path)
      await Promise.resolve()
    }
  },
  async mustRun(argv, opts = {}, explain) {
    const r = await host.run(argv, opts)
    if (r.code === 0) return r
    const full = commandLine(argv, opts, host.root)
    if (explain && !r.timedOut && !sudoRefused(full, r.stderr)) throw explain(`${r.stderr}\n${r.stdout}`)
    throw new CommandError(full, r)
  }
}

/** src/action/host/probe.ts over the fake host. */
export const fakeProbe: typeof Probe = {
  SOCKET_DIR: '/var/run/wireguard',
  socketPath: (iface) => join(host.dir, `${iface}.sock`),
  linkExists: (iface) => host.link(iface) !== undefined,
  searchPath: () => ['/usr/local/sbin', '/usr/sbin', '/usr/bin'],
  locate: (tool) => host.tools[tool],
  kernelHasWireguard: () => host.kernelModule,
  deviceMtu: (dev) => host.mtus[dev] ?? 0,
  srcValidMark: () => host.srcValidMark,
  ipv6Disabled: () => host.ipv6Off,
  fileText: (path) => host.files.get(path),
  pathExists: (path) => host.folders.has(path) || host.files.has(path),
  netns: (pid = 'self') => (pid === 'self' ? host.netns : host.root ? host.procs.get(pid)?.netns : undefined),
  ifindex: (iface) => host.link(iface)?.ifindex,
  ticksNow: () => host.ticks,
  sameProcess: (p) => {
    const proc = host.procs.get(p.pid)
    return proc !== undefined && proc.alive && proc.start === p.start
  },
  START_WINDOW_TICKS: 6000,
  wireguardGoCandidates: (iface, since) =>
    [...host.procs.values()]
      .filter((p) => p.alive && basename(p.argv[0] ?? '') === 'wireguard-go' && p.argv.at(-1) === iface)
      .filter((p) => Number(p.start) >= since && Number(p.start) <= since + 6000)
      // As root the namespace is read directly; otherwise it is left to the caller (sudo readlink).
      .filter((p) => !host.root || p.netns === host.netns)
      .map((p) => ({ pid: p.pid, start: p.start, netns: host.root ? p.netns : undefined })),
  fileId: (path) => (existsSync(path) ? host.sockets.get(path) : undefined),
  hasNetAdmin: () => host.netAdmin,
  sleep: async (ms) => {
    host.now += Math.max(0, ms)
  },
  waitUntil: async (done, ms) => {
    if (done()) return true
    host.now += ms
    return done()
  }
}
